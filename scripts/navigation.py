"""Write the navigation line (previous · contents · next) into every notebook.

Generated, not typed: each notebook gets one markdown cell tagged
``navigation`` right after its lesson card and one as its last cell. Titles
come from each notebook's first ``#`` heading. Run after adding or renaming a
notebook (`make nav`); it changes markdown only, so stored outputs stay valid.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TAG = "navigation"


def title(nb: nbformat.NotebookNode) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return "Untitled"


def nav_line(paths: list[Path], titles: list[str], i: int) -> str:
    parts = []
    if i > 0:
        parts.append(f"< [{titles[i - 1]}]({paths[i - 1].name})")
    parts.append("[Contents](../README.md#notebook-map)")
    if i < len(paths) - 1:
        parts.append(f"[{titles[i + 1]}]({paths[i + 1].name}) >")
    return " | ".join(parts)


def nav_cell(text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = [TAG]
    cell.pop("id", None)
    return cell


def update(paths: list[Path]) -> None:
    books = [nbformat.read(p, as_version=4) for p in paths]
    titles = [title(nb) for nb in books]
    for i, (path, nb) in enumerate(zip(paths, books, strict=True)):
        text = nav_line(paths, titles, i)
        cells = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
        top, bottom = nav_cell(text), nav_cell(text)
        top["id"], bottom["id"] = "nav-top", "nav-bottom"
        nb.cells = [cells[0], top, *cells[1:], bottom]
        nbformat.write(nb, path)
        print(f"{path.name}: {text}")


if __name__ == "__main__":
    update(sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")))
    sys.exit(0)
