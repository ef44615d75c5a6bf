"""Execute every notebook top to bottom in a fresh kernel and save its outputs.

This is how stored outputs are refreshed (`make run`): never edit outputs by
hand. Notebooks run in file-name order, each in its own new kernel, with the
notebook's folder as working directory. After the run, any output written to
stderr is listed, because strict nbval would compare it and it usually holds
noise (timings, paths) that must be silenced at its source.

Usage:  python scripts/run_notebooks.py [NOTEBOOK ...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = [ROOT / "notebooks", ROOT / "notebooks" / "solutions"]


def notebooks(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    found: list[Path] = []
    for folder in NOTEBOOK_DIRS:
        found += sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    return found


def stderr_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((index, output.get("text", "")[:200]))
    return found


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        record_timing=False,  # no timestamps in the stored notebook
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    for index, text in stderr_outputs(nb):
        print(f"  WARNING {path.name} cell {index} wrote to stderr: {text!r}")
    return seconds


def main(args: list[str]) -> int:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    total = 0.0
    for path in notebooks(args):
        seconds = run(path)
        total += seconds
        print(f"{path.relative_to(ROOT)}: executed in {seconds:.1f} s")
    print(f"all notebooks: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
