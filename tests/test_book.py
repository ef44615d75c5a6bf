"""The HTML book (scripts/build_book.py) builds, links up, and shows in a real browser.

The link and formula checks need nothing else. The page checks open every page in headless
Chromium: it loads, asks nothing of the web (every request is a file: or data: URL), its
images display, its text is Chinese in the book's Chinese font, its formulas are MathML,
not TeX, the Contents bar lines up with the text, and a screenshot is not blank. They need
Debian's `chromium` and `chromium-driver` packages (`make browser`, which CI runs first).
Where those are missing they are skipped, saying so, except in CI (the CI variable set),
where a missing browser is a failure.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import numpy as np
import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait
from support import ROOT, require_chromium, start_chromium

SCRIPT = ROOT / "scripts" / "build_book.py"
CJK_FONT = "Noto Sans CJK SC"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


spec = importlib.util.spec_from_file_location("build_book", SCRIPT)
assert spec and spec.loader
build_book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_book)

EDITIONS = build_book.sources()  # language -> (notebooks, markdown pages)
NOTEBOOKS, DOCS = EDITIONS["en"]
SOURCES = [p for notebooks, docs in EDITIONS.values() for p in [*notebooks, *docs]]
PAGES = ["index.html", "index.zh.html", *(build_book.page_name(p) for p in SOURCES)]


def page_formulas(source: Path) -> list[tuple[str, str]]:
    """The formulas of a notebook's markdown cells or of a markdown file, as the book finds them."""
    if source.suffix != ".ipynb":
        return build_book.formulas(source.read_text(encoding="utf-8"), notebook=False)
    cells = nbformat.read(source, as_version=4).cells
    texts = [c.source for c in cells if c.cell_type == "markdown"]
    return [formula for text in texts for formula in build_book.formulas(text)]


FORMULAS = {build_book.page_name(p): page_formulas(p) for p in SOURCES}


class Links(HTMLParser):
    """Collects every href/src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            elif name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book") / "html"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert f"Built {len(PAGES)} pages (two editions" in run.stdout
    return out


def test_book_has_every_page_and_the_font(book: Path) -> None:
    assert sorted(p.name for p in book.glob("*.html")) == sorted(PAGES)
    assert (book / "book.css").is_file()
    # The shipped font is a subset: it must still cover every character of every page.
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(book / "fonts" / "NotoSansCJKsc-Regular.otf"))
    used = {ch for page in book.glob("*.html") for ch in page.read_text(encoding="utf-8")}
    han = {ch for ch in used if "\u4e00" <= ch <= "\u9fff"}
    assert len(han) > 500
    assert all(font.get_char_index(ord(ch)) != 0 for ch in han)
    assert (book / "fonts" / "NotoSansCJKsc-Regular.otf").stat().st_size < 2_000_000


def test_index_links_to_every_notebook(book: Path) -> None:
    for language, index in build_book.INDEX.items():
        urls = parse(book / index).urls
        notebooks = EDITIONS[language][0]
        assert len(notebooks) == 6, language
        for notebook in notebooks:
            assert build_book.page_name(notebook) in urls


def test_both_editions_are_built_page_for_page() -> None:
    english, chinese = EDITIONS["en"][0], EDITIONS["zh"][0]
    assert [p.name for p in english] == [p.name for p in chinese]
    assert (ROOT / "README.zh.md") in EDITIONS["zh"][1]
    assert (ROOT / "docs" / "teaching.zh.md") in EDITIONS["zh"][1]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_links_to_the_other_language(book: Path, page: str) -> None:
    text = (book / page).read_text(encoding="utf-8")
    found = re.findall(r'<a class="book-lang" href="([^"]+)" hreflang="([^"]+)"', text)
    assert len(found) == 1, f"{page}: no language switch"
    target, language = found[0]
    assert (book / target).is_file(), f"{page}: the switch points at {target}"
    chinese_page = page.startswith("zh_") or page.endswith(".zh.html")
    assert language == ("en" if chinese_page else "zh-CN")
    assert f'<html lang="{"zh-CN" if chinese_page else "en"}"' in text
    source = next((p for p in SOURCES if build_book.page_name(p) == page), None)
    twin = source and build_book.counterpart(source)
    if twin and twin.exists():  # the same page in the other edition, not just its contents
        assert target == build_book.page_name(twin)


@pytest.mark.parametrize("page", PAGES)
def test_local_links_point_to_built_files(book: Path, page: str) -> None:
    for url in parse(book / page).urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:  # web addresses and data: URIs
            continue
        assert not parts.path.endswith(".ipynb"), f"{page}: {url} links to a notebook file"
        target = book / unquote(parts.path) if parts.path else book / page
        assert target.is_file(), f"{page}: {url} points to a missing file"
        if parts.fragment and target.suffix == ".html":  # browsers try the raw id, then decoded
            ids = parse(target).ids
            assert {parts.fragment, unquote(parts.fragment)} & ids, f"{page}: {url}: no such anchor"


def test_every_formula_converts_to_mathml() -> None:
    found = [(page, tex, display) for page, fs in FORMULAS.items() for tex, display in fs]
    assert len(found) >= 30, "the notebooks have about thirty formulas: are they still found?"
    failed = []
    for page, tex, display in found:
        try:
            build_book.tex_to_mathml(tex, display)
        except build_book.FormulaError as error:
            failed.append(f"{page}: {error}")
    assert failed == []


def test_only_formulas_are_math() -> None:
    text = "\n\n".join(
        [
            "It costs $5 to $10, or US$3, or $5-$10. `echo $HOME` and `$x$` are code; $a$ is not.",
            "```bash\necho $y$ $$z$$\n```",
            "    indented $w$ code",
            r"Escaped \$b\$; display:",
            r"$$\frac{c}{d}$$",
        ]
    )
    expected = [("a", "inline"), (r"\frac{c}{d}", "block")]
    assert build_book.formulas(text) == build_book.formulas(text, notebook=False) == expected
    page = build_book.markdown_to_html(text)
    assert page.count("<math ") == 2 and "<code>$x$</code>" in page and "$5 to $10" in page


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\frac{a}", "needs 2 arguments"),
        (r"\fracc{a}{b}", "unknown command"),
        ("{x", "unbalanced"),
        ("x^", "MissingSuperScriptOrSubscript"),
    ],
)
def test_a_formula_that_does_not_convert_is_refused(tex: str, message: str) -> None:
    with pytest.raises(build_book.FormulaError, match=message):
        build_book.tex_to_mathml(tex)


def test_text_in_a_formula_is_escaped() -> None:
    assert "<mtext>a&#x000A0;&lt;&#x000A0;b&#x000A0;&amp;&#x000A0;c</mtext>" in (
        build_book.tex_to_mathml(r"\text{a < b & c}")
    )


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js">',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Noto">',
        '<img alt="" src="http://example.org/a.png">',
        "<style>@font-face { src: url('https://example.org/f.woff') }</style>",
    ],
)
def test_a_page_that_would_load_from_the_web_is_refused(tag: str) -> None:
    page = f'<html><head>{tag}</head><body><a href="https://example.org">fine</a></body></html>'
    with pytest.raises(SystemExit, match="would load"):
        build_book.check_offline(page, "page.html")
    build_book.check_offline(page.replace(tag, ""), "page.html")  # a link is not a fetch


def test_an_image_from_the_web_becomes_its_alt_text() -> None:
    page = (
        '<a href="https://mybinder.org/v2"><img src="https://mybinder.org/badge_logo.svg"'
        ' alt="Binder" /></a> <img alt="chart" src="//example.org/a.png">'
        ' <img src="data:image/png;base64,AA" alt="kept"> <img src="files/b.png" alt="kept">'
    )
    assert build_book.offline_images(page) == (
        '<a href="https://mybinder.org/v2">Binder</a> <a href="//example.org/a.png">chart</a>'
        ' <img src="data:image/png;base64,AA" alt="kept"> <img src="files/b.png" alt="kept">'
    )


def test_docstring_examples() -> None:
    assert doctest.testmod(build_book).failed == 0


def test_unexecuted_notebook_is_refused() -> None:
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with pytest.raises(SystemExit, match=r"has not been executed.*make run"):
        build_book.check_executed(nb, NOTEBOOKS[0])


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    require_chromium("the book")
    profile = tmp_path_factory.mktemp("chromium-profile")
    driver = start_chromium(profile, "1280,1024", log_requests=True)
    driver.set_script_timeout(30)
    driver.get("about:blank")  # leave the new-tab page, whose chrome:// requests are logged too
    driver.get_log("performance")
    yield driver
    driver.quit()


FONT_LOADED = f"""
const done = arguments[arguments.length - 1];
document.fonts.load('16px "{CJK_FONT}"', '法治').then(faces => done(faces.length), () => done(-1));
"""


def requested_urls(browser: webdriver.Chrome) -> list[str]:
    """Every URL the browser asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


# The text of the markdown (cells, or the whole page) without code and formulas.
PROSE = """
const parts = document.querySelectorAll('.jp-RenderedMarkdown, body.book-page main');
return [...parts].map(part => {
    const copy = part.cloneNode(true);
    copy.querySelectorAll('code, pre, math').forEach(e => e.remove());
    return copy.textContent;
}).join('\\n');
"""
# A $ not before a digit ($5 is money) or a TeX command, left over from a formula.
TEX = re.compile(r"\$(?!\d)|\\(?:frac|text|sum|sqrt|ln|log|cdot|times)\b")
# Left edges of the Contents link and of the page's first heading (or paragraph).
LEFT_EDGES = """
const text = document.querySelector('main h1') || document.querySelector('main p');
return [document.querySelector('.book-nav a'), text].map(e => e.getBoundingClientRect().left);
"""


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_in_chromium(
    book: Path, browser: webdriver.Chrome, page: str, tmp_path: Path
) -> None:
    requested_urls(browser)  # forget the previous page's
    browser.get((book / page).as_uri())
    assert browser.title.strip(), f"{page}: no title"

    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete'"
            " && [...document.images].every(i => i.complete)"
        )
    )
    broken = browser.execute_script(
        "return [...document.images].filter(i => !(i.naturalWidth > 0))"
        ".map(i => i.src.slice(0, 60))"
    )
    assert broken == [], f"{page}: images that do not display: {broken}"

    text = browser.execute_script("return document.body.innerText")
    assert CHINESE.search(text), f"{page}: no Chinese text"
    family = browser.execute_script("return getComputedStyle(document.body).fontFamily")
    assert family.split(",")[0].strip(" \"'") == CJK_FONT, f"{page}: body font is {family}"
    assert browser.execute_async_script(FONT_LOADED) > 0, f"{page}: {CJK_FONT} did not load"

    formulas = FORMULAS.get(page, [])
    maths = browser.execute_script("return document.querySelectorAll('math').length")
    assert maths == len(formulas), f"{page}: {maths} <math> elements for {len(formulas)} formulas"
    tex = TEX.findall(browser.execute_script(PROSE))
    assert tex == [], f"{page}: TeX shown as text: {tex[:5]}"
    if page not in build_book.INDEX.values():  # contents pages have no Contents link
        nav, text = browser.execute_script(LEFT_EDGES)
        assert abs(nav - text) <= 1.5, f"{page}: Contents at x={nav}, the text at x={text}"

    shot = tmp_path / f"{Path(page).stem}.png"
    assert browser.save_screenshot(str(shot))
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.std() > 5, f"{page}: the screenshot {shot} is blank"

    # Last, so that nothing the checks above made the page load escapes.
    urls = requested_urls(browser)
    assert (book / "book.css").as_uri() in urls, f"{page}: the log of requests is not working"
    web = [u for u in urls if urlsplit(u).scheme not in ("file", "data")]
    assert web == [], f"{page}: the page asks the web for {web}"


@pytest.mark.parametrize("page", [f"{NOTEBOOKS[0].stem}.html", "README.html"])
def test_contents_bar_lines_up_with_the_text_on_a_narrow_screen(
    book: Path, browser: webdriver.Chrome, page: str
) -> None:
    browser.set_window_size(600, 900)  # below the lab template's 760px breakpoint
    try:
        browser.get((book / page).as_uri())
        nav, text = browser.execute_script(LEFT_EDGES)
    finally:
        browser.set_window_size(1280, 1024)
    assert abs(nav - text) <= 1.5, f"{page}: Contents at x={nav}, the text at x={text}"
