"""Build the static HTML book: every notebook, README.md and docs/*.md, with a contents page.

Notebooks are rendered from their STORED outputs (nothing is re-executed; run `make run`
first) with nbconvert's "lab" template; markdown pages with mistune. Links between the
files ("02_cleaning.ipynb", "../README.md#notebook-map") are rewritten to the built pages.
Pages sit side by side in one folder with book.css and fonts/ (the Chinese font, so the
book renders Chinese on machines without a CJK system font). Same input, same bytes.

Usage:  python scripts/build_book.py [--out DIR]     (default: _build/html)
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import string
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import mistune
import nbformat
from fontTools.ttLib import TTFont
from mistune.toc import add_toc_hook
from nbconvert import HTMLExporter

from helpers.fonts import FONT_FILE, font_path

ROOT = Path(__file__).resolve().parent.parent
CSS = Path(__file__).resolve().parent / "book.css"
HEAD = '<link rel="stylesheet" href="book.css">\n'
NAV = '<nav class="book-nav"><a href="index.html">Contents</a></nav>\n'
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<link rel="stylesheet" href="book.css">
</head>
<body class="book-page">
{nav}<main>
{body}</main>
</body>
</html>
"""


def first_heading(markdown: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*#*$", markdown, flags=re.MULTILINE)
    return match.group(1) if match else None


def notebook_title(nb: nbformat.NotebookNode, path: Path) -> str:
    texts = (c.source for c in nb.cells if c.cell_type == "markdown")
    return next(filter(None, map(first_heading, texts)), path.stem)


def check_executed(nb: nbformat.NotebookNode, path: Path) -> None:
    code = [(i, c) for i, c in enumerate(nb.cells, 1) if c.cell_type == "code" and c.source.strip()]
    unrun = [i for i, c in code if c.execution_count is None and not c.outputs]
    if unrun:
        cells = ", ".join(map(str, unrun[:10]))
        sys.exit(
            f"error: {path.relative_to(ROOT)} has not been executed (cells {cells} have no "
            "stored outputs). The book shows stored outputs only: run `make run`, then rebuild."
        )


def markdown_to_html(text: str) -> str:
    """Markdown with GitHub-style heading ids ("Notebook map" -> "notebook-map")."""
    seen: dict[str, int] = {}

    def slug(token: dict, index: int) -> str:
        base = re.sub(r"[^\w\- ]", "", token["text"].lower()).replace(" ", "-")
        seen[base] = seen.get(base, -1) + 1
        return base if seen[base] == 0 else f"{base}-{seen[base]}"

    plugins = ["table", "strikethrough", "url", "footnotes", "task_lists"]
    md = mistune.create_markdown(escape=False, plugins=plugins)
    add_toc_hook(md, min_level=1, max_level=6, heading_id=slug)
    return str(md(text))


def rewrite_links(page: str, source: Path, pages: dict[Path, str], out: Path) -> str:
    """Point local links at built pages; copy other linked repository files into the book."""

    def fix(match: re.Match[str]) -> str:
        attr, url = match.groups()
        parts = urlsplit(html.unescape(url))
        if parts.scheme or parts.netloc or not parts.path:  # web, data: URI, or "#anchor"
            return match.group(0)
        target = (source.parent / unquote(parts.path)).resolve()
        if target in pages:
            new = pages[target]
        elif target.is_file() and target.is_relative_to(ROOT):
            new = "files/" + target.relative_to(ROOT).as_posix()
            (out / new).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, out / new)
        else:
            sys.exit(f"error: {source.relative_to(ROOT)} links to {url!r}, which does not exist")
        new += f"#{parts.fragment}" if parts.fragment else ""
        return f'{attr}="{html.escape(new)}"'

    return re.sub(r'\b(href|src)="([^"]*)"', fix, page)


def fold_solutions(nb: nbformat.NotebookNode) -> None:
    """Solution cells become closed <details> blocks: code and output shown only on request."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "solution" not in cell.metadata.get("tags", []):
            continue
        output = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        block = (
            '<details class="solution"><summary>Solution (try the exercise first)</summary>\n'
            f"<pre><code>{html.escape(cell.source)}</code></pre>\n"
            + (f"<pre class=\"output\">{html.escape(output)}</pre>\n" if output else "")
            + "</details>"
        )
        raw = nbformat.v4.new_raw_cell(block)
        raw.metadata["format"] = "text/html"
        raw["id"] = cell.get("id", f"solution-{index}")
        nb.cells[index] = raw


def render_notebook(path: Path, exporter: HTMLExporter) -> tuple[str, str]:
    nb = nbformat.read(path, as_version=4)
    check_executed(nb, path)
    fold_solutions(nb)
    title = notebook_title(nb, path)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return title, body


def write_font(out: Path) -> None:
    """The font, cut down to the characters the book uses, with its licence notice.

    The full Noto Sans CJK SC file is 16 MB; the book uses about a thousand
    characters, so a subset (fontTools, as the SIL OFL allows) keeps it small.
    """
    from fontTools import subset

    (out / "fonts").mkdir()
    used = set()
    for page in out.glob("*.html"):
        used |= set(page.read_text(encoding="utf-8"))
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    font = subset.load_font(str(font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in used | set(string.printable)))
    subsetter.subset(font)
    subset.save_font(font, str(out / "fonts" / FONT_FILE), options)
    names = TTFont(font_path(), lazy=True)["name"]
    notice = [str(names.getDebugName(i)) for i in (1, 0, 13, 14) if names.getDebugName(i)]
    (out / "fonts" / "LICENSE.txt").write_text(
        "\n\n".join([FONT_FILE, *notice]) + "\n", encoding="utf-8"
    )


def build(out: Path) -> None:
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    pages = {p.resolve(): f"{p.stem}.html" for p in [*notebooks, *docs]}
    if len(set(pages.values()) | {"index.html"}) != len(pages) + 1:
        sys.exit("error: two source files would make pages with the same name: rename one")
    if out.exists() and any(out.iterdir()) and not (out / "book.css").is_file():
        sys.exit(f"error: {out} is not empty and holds no book: choose another --out")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    def write(name: str, page: str) -> None:
        (out / name).write_text(page, encoding="utf-8")

    exporter = HTMLExporter(template_name="lab")
    toc: list[tuple[str, str, str]] = []  # (section, page, title)
    for path in notebooks:
        title, body = render_notebook(path, exporter)
        body = rewrite_links(body, path, pages, out).replace("</head>", HEAD + "</head>", 1)
        write(pages[path.resolve()], body.replace("<main>", "<main>\n" + NAV, 1))
        toc.append(("Notebooks", pages[path.resolve()], title))
    for path in docs:
        text = path.read_text(encoding="utf-8")
        title = first_heading(text) or path.stem
        body = rewrite_links(markdown_to_html(text), path, pages, out)
        write(pages[path.resolve()], PAGE.format(title=html.escape(title), nav=NAV, body=body))
        toc.append(("Documentation", pages[path.resolve()], title))

    book_title = toc[len(notebooks)][2] if docs else "Notebooks"
    index = f"<h1>{html.escape(book_title)}</h1>\n"
    for section in ("Notebooks", "Documentation"):
        links = [f'<li><a href="{p}">{html.escape(t)}</a></li>' for s, p, t in toc if s == section]
        index += f"<h2>{section}</h2>\n<ol>\n" + "\n".join(links) + "\n</ol>\n"
    write("index.html", PAGE.format(title=html.escape(book_title), nav="", body=index))
    shutil.copyfile(CSS, out / "book.css")
    write_font(out)

    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"Built {len(toc) + 1} pages (with index.html) in {out}: {size} bytes in total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html", help="output folder")
    build(parser.parse_args().out.resolve())


if __name__ == "__main__":
    main()
