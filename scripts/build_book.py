"""Build the static HTML book: every notebook, README.md and docs/*.md, with a contents page.

Notebooks are rendered from their STORED outputs (nothing is re-executed; run `make run`
first) with nbconvert's "lab" template; markdown pages with mistune. Links between the
files ("02_cleaning.ipynb", "../README.md#notebook-map") are rewritten to the built pages.
Pages sit side by side in one folder with book.css and fonts/ (the Chinese font, so the
book renders Chinese on machines without a CJK system font). Same input, same bytes.

The book works offline: formulas ($...$, $$...$$) become MathML here, at build time
(latex2mathml), so no page loads MathJax, require.js or anything else from the web, and
the build stops on a page that would.

Usage:  python scripts/build_book.py [--out DIR]     (default: _build/html)
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import string
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

import mistune
import nbformat
from fontTools.ttLib import TTFont
from jinja2 import DictLoader, pass_context
from latex2mathml.converter import convert as latex2mathml
from mistune.plugins import import_plugin
from mistune.toc import add_toc_hook
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath, MathInlineParser

from helpers.fonts import FONT_FILE, font_path

ROOT = Path(__file__).resolve().parent.parent
CSS = Path(__file__).resolve().parent / "book.css"
HEAD = '<link rel="stylesheet" href="book.css">\n'
#: The two editions: English, and the Chinese one (notebooks/zh/, *.zh.md). Every page's
#: navigation links to the contents of its edition and to the same page in the other one.
INDEX = {"en": "index.html", "zh": "index.zh.html"}
WORDS = {
    "en": {"contents": "Contents", "other": "中文", "other_lang": "zh-CN", "html_lang": "en",
           "notebooks": "Notebooks", "docs": "Documentation",
           "solution": "Solution (try the exercise first)"},
    "zh": {"contents": "目录", "other": "English", "other_lang": "en", "html_lang": "zh-CN",
           "notebooks": "笔记本", "docs": "文档", "solution": "参考答案（请先自己做练习）"},
}  # fmt: skip


def nav(language: str, other_page: str) -> str:
    """The navigation bar: this edition's contents, and this page in the other language."""
    words = WORDS[language]
    return (
        f'<nav class="book-nav"><a href="{INDEX[language]}">{words["contents"]}</a>'
        f'<a class="book-lang" href="{other_page}" hreflang="{words["other_lang"]}" '
        f'lang="{words["other_lang"]}">{words["other"]}</a></nav>\n'
    )


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
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


# --- Formulas, as MathML ------------------------------------------------------------------

# Elements of latex2mathml's output and the number of children each must have: a
# \frac with one argument gives an <mfrac> with one child, and no error.
ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "mroot": 2,
         "munder": 2, "mover": 2, "munderover": 3}  # fmt: skip
MATHML = "{http://www.w3.org/1998/Math/MathML}"


class FormulaError(ValueError):
    """A formula that latex2mathml cannot turn into sound MathML."""


def tex_to_mathml(tex: str, display: str = "inline") -> str:
    """MathML for one formula; FormulaError rather than a wrong rendering.

    >>> tex_to_mathml("p < 0.05")  # doctest: +ELLIPSIS
    '<math ... display="inline"><mrow><mi>p</mi><mo>&#x0003C;</mo><mn>0.05</mn></mrow></math>'
    """
    try:
        return checked_mathml(tex, display)
    except FormulaError as error:
        raise FormulaError(f"cannot convert the formula {tex!r}: {error}") from None


def checked_mathml(tex: str, display: str) -> str:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        raise FormulaError("unbalanced braces { }")
    try:
        mathml = latex2mathml(tex, display=display)
    except Exception as error:  # latex2mathml raises many kinds
        raise FormulaError(f"{type(error).__name__}: {error}") from None
    # latex2mathml copies the text of \text{...} as it is: "a < b" would break the page.
    mathml = re.sub(r"(<mtext[^>]*>)(.*?)(</mtext>)", escape_mtext, mathml)
    try:
        tree = ET.fromstring(mathml)
    except ET.ParseError as error:
        raise FormulaError(f"not well-formed MathML ({error})") from None
    for element in tree.iter():
        name = element.tag.removeprefix(MATHML)
        if "\\" in (element.text or ""):  # a command latex2mathml does not know
            raise FormulaError(f"unknown command {element.text.strip()}")
        if name in ARITY and len(element) != ARITY[name]:
            raise FormulaError(f"<{name}> needs {ARITY[name]} arguments, has {len(element)}")
    return mathml


def escape_mtext(match: re.Match[str]) -> str:
    """<mtext>a < b</mtext> -> <mtext>a &lt; b</mtext>; latex2mathml's &#x000A0; stays."""
    text = re.sub(r"&(?!#x[0-9A-Fa-f]+;)", "&amp;", match[2])
    return match[1] + text.replace("<", "&lt;").replace(">", "&gt;") + match[3]


class MathML:
    """Renderer methods that write formulas as MathML, not as TeX left for MathJax."""

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body, "inline")

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body.strip(), "block")

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")


class NotebookRenderer(MathML, IPythonRenderer):
    """nbconvert's renderer of markdown cells, with MathML."""


class DocRenderer(MathML, mistune.HTMLRenderer):
    """mistune's HTML renderer, with MathML."""


class MathInline(MathInlineParser):
    """nbconvert's math syntax, with pandoc's rule for $: "$5 to $10" is not a formula.

    The opening $ has a non-space after it, the closing $ a non-space before it and no
    digit after it. Code spans are parsed as before: a $ inside `...` stays text.
    """

    INLINE_MATH_TEX = (
        r"(?<![$\\])\$(?=[^\s$])(?P<math_inline_tex>(?:\\.|[^$\\])+?)(?<=[^\s\\])\$(?!\d)"
    )
    SPECIFICATION: ClassVar[dict[str, str]] = {
        **MathInlineParser.SPECIFICATION,
        "inline_math_tex": INLINE_MATH_TEX,
    }


def formulas(markdown: str, notebook: bool = True) -> list[tuple[str, str]]:
    """Every formula of a markdown cell (or, notebook=False, of a markdown file) as
    (TeX, "inline" or "block"), found as the book finds them."""
    found: list[tuple[str, str]] = []

    class Collect(mistune.HTMLRenderer):
        def inline_math(self, body: str) -> str:
            found.append((body, "inline"))
            return ""

        def block_math(self, body: str) -> str:
            found.append((body.strip(), "block"))
            return ""

        def latex_environment(self, name: str, body: str) -> str:
            found.append((f"\\begin{{{name}}}{body}\\end{{{name}}}", "block"))
            return ""

    renderer = Collect(escape=False)
    if notebook:
        MarkdownWithMath(renderer=renderer, inline=MathInline(hard_wrap=False))(markdown)
    else:
        doc_markdown(renderer)(markdown)
    return found


# The lab template without its scripts from the web: require.js, MathJax, mermaid and the
# widget manager (no notebook has widgets or mermaid diagrams; MathML needs no script).
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


class BookExporter(HTMLExporter):
    """HTMLExporter with the offline lab template and markdown cells with MathML."""

    def __init__(self) -> None:
        super().__init__(
            template_name="lab",
            template_file="book.html.j2",
            extra_loaders=[DictLoader({"book.html.j2": OFFLINE_TEMPLATE})],
        )

    @pass_context
    def markdown2html(self, context: dict, source: str) -> str:
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = NotebookRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=path,
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        markdown = MarkdownWithMath(renderer=renderer, inline=MathInline(hard_wrap=False))
        return markdown.render(source)


def offline_images(page: str) -> str:
    """An image from the web (a badge, say) becomes its alt text, linked to the image unless
    it is already inside a link: the page would fetch it, and the book works offline."""
    parts, inside_link, start = [], False, 0
    for match in re.finditer(r"<a\b[^>]*>|</a\s*>|<img\b[^>]*>", page, flags=re.IGNORECASE):
        tag = match[0]
        if not tag.lower().startswith("<img"):
            inside_link = not tag.startswith("</")
            continue
        src = re.search(r"""\bsrc\s*=\s*["']([^"']*)["']""", tag)
        if not src or not re.match(r"(https?:)?//", src[1].strip(), flags=re.IGNORECASE):
            continue
        alt = re.search(r"""\balt\s*=\s*["']([^"']*)["']""", tag)
        text = alt[1] if alt and alt[1].strip() else "image"
        parts.append(page[start : match.start()])
        parts.append(text if inside_link else f'<a href="{src[1]}">{text}</a>')
        start = match.end()
    return "".join(parts) + page[start:]


# What a browser would fetch by itself: src=, <link href=>, CSS url() and @import.
FETCHED = re.compile(
    r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|\burl\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""",
    flags=re.IGNORECASE,
)


def check_offline(page: str, name: str) -> None:
    """Stop the build if a page would load anything from the web."""
    match = FETCHED.search(page)
    if match:
        line = page[: match.start()].count("\n") + 1
        context = page[match.start() : match.start() + 80].splitlines()[0]
        sys.exit(f"error: {name}, line {line}, would load {context!r} from the web")


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


def doc_markdown(renderer: mistune.HTMLRenderer) -> mistune.Markdown:
    """The parser of the markdown files: mistune's, with nbconvert's math (MathInline)."""
    plugins = ["table", "strikethrough", "url", "footnotes", "task_lists"]
    return mistune.Markdown(
        renderer=renderer,
        inline=MathInline(hard_wrap=False),
        plugins=[import_plugin(name) for name in plugins],
    )


def markdown_to_html(text: str) -> str:
    """Markdown with GitHub-style heading ids ("Notebook map" -> "notebook-map"), math as MathML."""
    seen: dict[str, int] = {}

    def slug(token: dict, index: int) -> str:
        base = re.sub(r"[^\w\- ]", "", token["text"].lower()).replace(" ", "-")
        seen[base] = seen.get(base, -1) + 1
        return base if seen[base] == 0 else f"{base}-{seen[base]}"

    md = doc_markdown(DocRenderer(escape=False))
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


def fold_solutions(nb: nbformat.NotebookNode, language: str = "en") -> None:
    """Solution cells become closed <details> blocks: code and output shown only on request."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "solution" not in cell.metadata.get("tags", []):
            continue
        output = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        block = (
            f'<details class="solution"><summary>{WORDS[language]["solution"]}</summary>\n'
            f"<pre><code>{html.escape(cell.source)}</code></pre>\n"
            + (f"<pre class=\"output\">{html.escape(output)}</pre>\n" if output else "")
            + "</details>"
        )
        raw = nbformat.v4.new_raw_cell(block)
        raw.metadata["format"] = "text/html"
        raw["id"] = cell.get("id", f"solution-{index}")
        nb.cells[index] = raw


def render_notebook(path: Path, exporter: HTMLExporter, language: str = "en") -> tuple[str, str]:
    nb = nbformat.read(path, as_version=4)
    check_executed(nb, path)
    fold_solutions(nb, language)
    title = notebook_title(nb, path)
    try:
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    except FormulaError as error:
        sys.exit(f"error: {path.relative_to(ROOT)}: {error}")
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


def sources() -> dict[str, tuple[list[Path], list[Path]]]:
    """Each edition's notebooks and markdown pages."""
    docs = sorted((ROOT / "docs").glob("*.md"))
    return {
        "en": (
            sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
            [ROOT / "README.md", *(d for d in docs if not d.name.endswith(".zh.md"))],
        ),
        "zh": (
            sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb")),
            [p for p in [ROOT / "README.zh.md", *docs] if p.name.endswith(".zh.md")],
        ),
    }


def page_name(path: Path) -> str:
    """notebooks/01_x.ipynb -> 01_x.html; notebooks/zh/01_x.ipynb -> zh_01_x.html;
    README.zh.md -> README.zh.html."""
    prefix = "zh_" if path.suffix == ".ipynb" and path.parent.name == "zh" else ""
    return f"{prefix}{path.stem}.html"


def counterpart(path: Path) -> Path:
    """The same page in the other edition (which may not exist)."""
    if path.suffix == ".ipynb":
        if path.parent.name == "zh":
            return path.parent.parent / path.name
        return path.parent / "zh" / path.name
    if path.name.endswith(".zh.md"):
        return path.with_name(path.name[: -len(".zh.md")] + ".md")
    return path.with_name(path.stem + ".zh.md")


def build(out: Path) -> None:
    editions = sources()
    every = [p for notebooks, docs in editions.values() for p in [*notebooks, *docs]]
    pages = {p.resolve(): page_name(p) for p in every}
    if len(set(pages.values()) | set(INDEX.values())) != len(pages) + len(INDEX):
        sys.exit("error: two source files would make pages with the same name: rename one")
    if out.exists() and any(out.iterdir()) and not (out / "book.css").is_file():
        sys.exit(f"error: {out} is not empty and holds no book: choose another --out")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copyfile(CSS, out / "book.css")  # first: a build that fails half-way can be redone

    def write(name: str, page: str) -> None:
        page = offline_images(page)
        check_offline(page, name)
        (out / name).write_text(page, encoding="utf-8")

    def other(path: Path, language: str) -> str:
        """The same page in the other edition, or the other edition's contents."""
        return pages.get(counterpart(path).resolve(), INDEX["zh" if language == "en" else "en"])

    exporter = BookExporter()
    count = 0
    for language, (notebooks, docs) in editions.items():
        toc: list[tuple[str, str, str]] = []  # (section, page, title)
        for path in notebooks:
            title, body = render_notebook(path, exporter, language)
            body = rewrite_links(body, path, pages, out).replace("</head>", HEAD + "</head>", 1)
            body = re.sub(r'<html lang="[^"]*"', f'<html lang="{WORDS[language]["html_lang"]}"',
                          body, count=1)  # fmt: skip
            bar = nav(language, other(path, language))
            write(pages[path.resolve()], body.replace("<main>", "<main>\n" + bar, 1))
            toc.append(("notebooks", pages[path.resolve()], title))
        for path in docs:
            text = path.read_text(encoding="utf-8")
            title = first_heading(text) or path.stem
            try:
                body = rewrite_links(markdown_to_html(text), path, pages, out)
            except FormulaError as error:
                sys.exit(f"error: {path.relative_to(ROOT)}: {error}")
            page = PAGE.format(lang=WORDS[language]["html_lang"], title=html.escape(title),
                               nav=nav(language, other(path, language)), body=body)  # fmt: skip
            write(pages[path.resolve()], page)
            toc.append(("docs", pages[path.resolve()], title))

        book_title = toc[len(notebooks)][2] if docs else WORDS[language]["notebooks"]
        index = f"<h1>{html.escape(book_title)}</h1>\n"
        for section in ("notebooks", "docs"):
            links = [f'<li><a href="{p}">{html.escape(t)}</a></li>' for s, p, t in toc
                     if s == section]  # fmt: skip
            if links:
                items = "\n".join(links)
                index += f"<h2>{WORDS[language][section]}</h2>\n<ol>\n{items}\n</ol>\n"
        own = f'<a href="{INDEX[language]}">{WORDS[language]["contents"]}</a>'
        bar = nav(language, INDEX["zh" if language == "en" else "en"]).replace(own, "", 1)
        write(INDEX[language], PAGE.format(lang=WORDS[language]["html_lang"],
                                           title=html.escape(book_title), nav=bar, body=index))
        count += len(toc) + 1
    write_font(out)

    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"Built {count} pages (two editions, with their contents pages) in {out}: "
          f"{size} bytes in total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "html", help="output folder")
    build(parser.parse_args().out.resolve())


if __name__ == "__main__":
    main()
