"""The HTML book (scripts/build_book.py) builds, links up, and shows in a real browser.

The link checks need nothing else. The page checks open every page in headless Chromium:
it loads, its images display, its text is Chinese in the book's Chinese font, and a
screenshot is not blank. They need Debian's `chromium` and `chromium-driver` packages
(`make browser`, which CI runs first). Where those are missing they are skipped, saying
so, except in CI (the CI variable set), where a missing browser is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
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
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from support import ROOT

SCRIPT = ROOT / "scripts" / "build_book.py"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PAGES = ["index.html", *(f"{p.stem}.html" for p in [*NOTEBOOKS, *DOCS])]
CJK_FONT = "Noto Sans CJK SC"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
INSTALL = (
    "Chromium and chromedriver are not installed, so the book was not checked in a browser. "
    "Install them with `apt-get install chromium chromium-driver` (as root), or `make browser`."
)


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
    assert f"Built {len(PAGES)} pages" in run.stdout
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
    urls = parse(book / "index.html").urls
    for notebook in NOTEBOOKS:
        assert f"{notebook.stem}.html" in urls


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


def test_unexecuted_notebook_is_refused() -> None:
    spec = importlib.util.spec_from_file_location("build_book", SCRIPT)
    assert spec and spec.loader
    build_book = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_book)
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with pytest.raises(SystemExit, match=r"has not been executed.*make run"):
        build_book.check_executed(nb, NOTEBOOKS[0])


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail(INSTALL)
        pytest.skip(INSTALL)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--window-size=1280,1024",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


FONT_LOADED = f"""
const done = arguments[arguments.length - 1];
document.fonts.load('16px "{CJK_FONT}"', '法治').then(faces => done(faces.length), () => done(-1));
"""


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_in_chromium(
    book: Path, browser: webdriver.Chrome, page: str, tmp_path: Path
) -> None:
    browser.get((book / page).as_uri())
    assert browser.title.strip(), f"{page}: no title"

    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return [...document.images].every(i => i.complete)")
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

    shot = tmp_path / f"{Path(page).stem}.png"
    assert browser.save_screenshot(str(shot))
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.std() > 5, f"{page}: the screenshot {shot} is blank"
