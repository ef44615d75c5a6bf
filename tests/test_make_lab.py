"""`make lab` as a learner meets it: a JupyterLab that opens notebook 01 and draws Chinese.

The first test only asks the server for the notebook list. The browser tests open the
address `make lab` prints in headless Chromium (Debian's `chromium` and
`chromium-driver`, which `make browser` installs and CI installs first; elsewhere they are
skipped, saying so, and in CI a missing browser is a failure):

- notebook 01 opens first, and two different Chinese characters, in a markdown heading,
  a table output, a code cell and a printed output, are drawn as two different glyph
  bitmaps. Where no font has Chinese glyphs, each character is drawn as the same empty
  box, so the two bitmaps are identical: this is what a machine without a Chinese system
  font showed before :mod:`helpers.lab`;
- every cell of notebook 03 runs in the JupyterLab interface without an error output.

JupyterLab serves a copy of the notebooks, seeds and samples in a temporary folder (so the
test never saves over the committed notebooks or writes to outputs/), with its own empty
segmentation cache and its own Jupyter settings and runtime folders.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support import ROOT, require_chromium, start_chromium

TOKEN = "test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    process: subprocess.Popen[bytes]
    log: Path
    port: int
    root: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}?token={TOKEN}"

    def said(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


def start_lab(folder: Path, root: Path, *extra: str, target: str = "lab") -> Lab:
    """`make lab` in the repository, serving `root`, with settings kept in `folder`."""
    port = free_port()
    args = " ".join(
        (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN}", *extra)
    )  # fmt: skip
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(folder / name.lower())
    env["FAZHI_CACHE_DIR"] = str(folder / "cache")  # the kernels' own empty cache
    log = folder / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", target, f"LAB_ARGS={args}", f"LAB_ROOT={root}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the whole process group can be stopped
        )
    return Lab(process, log, port, root)


def wait_until_serving(lab: Lab, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and lab.process.poll() is None:
        try:
            with urllib.request.urlopen(lab.url("/api/status"), timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer; it said:\n{lab.said()}")


def stop(lab: Lab) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(lab.process.pid, signal.SIGTERM)
    try:
        lab.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(lab.process.pid, signal.SIGKILL)
        lab.process.wait()


@contextlib.contextmanager
def running_lab(folder: Path, *extra: str, target: str = "lab") -> Iterator[Lab]:
    root = folder / "root"
    for name in ("notebooks", "seeds", "samples"):
        shutil.copytree(ROOT / name, root / name)
    lab = start_lab(folder, root, *extra, target=target)
    try:
        wait_until_serving(lab)
        yield lab
    finally:
        stop(lab)


def printed_address(lab: Lab) -> str:
    """The address JupyterLab tells the learner to open."""
    found = re.findall(r"http://127\.0\.0\.1:\d+(/\S*)\?token=", lab.said())
    assert found, f"JupyterLab printed no address:\n{lab.said()}"
    return found[-1]


# --- without a browser --------------------------------------------------------------

def test_make_lab_serves_the_notebooks_and_prints_notebook_01(tmp_path: Path) -> None:
    with running_lab(tmp_path) as lab:
        with urllib.request.urlopen(lab.url("/api/contents/notebooks"), timeout=10) as answer:
            names = {item["name"] for item in json.load(answer)["content"]}
        with urllib.request.urlopen(lab.url("/custom/custom.css"), timeout=10) as answer:
            css = answer.read().decode()
        font = urllib.request.urlopen(lab.url("/fazhi-reports/NotoSansCJKsc-Regular.otf"))
        with font as answer:
            head = answer.read(4)
        with pytest.raises(urllib.error.HTTPError, match="404"):  # only the open-licensed font
            urllib.request.urlopen(lab.url("/fazhi-reports/SimHei.ttf"), timeout=10)
        address = printed_address(lab)
    assert "01_reading.ipynb" in names
    assert "@font-face" in css and "Fazhi Noto Sans CJK SC" in css
    assert head == b"OTTO"  # an OpenType font with CFF outlines, as the file name says
    assert address == "/lab/tree/notebooks/01_reading.ipynb"


def test_make_lab_zh_prints_the_chinese_notebook_01(tmp_path: Path) -> None:
    with running_lab(tmp_path, target="lab-zh") as lab:
        address = printed_address(lab)
        with urllib.request.urlopen(lab.url("/api/contents/notebooks/zh"), timeout=10) as answer:
            names = {item["name"] for item in json.load(answer)["content"]}
    assert address == "/lab/tree/notebooks/zh/01_reading.ipynb"
    assert "01_reading.ipynb" in names


# --- in Chromium ------------------------------------------------------------------

@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    require_chromium("JupyterLab")
    with running_lab(tmp_path_factory.mktemp("lab"), "--LabApp.expose_app_in_browser=True") as lab:
        yield lab


@pytest.fixture(scope="module")
def browser(lab: Lab, tmp_path_factory: pytest.TempPathFactory):
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"), "1400,1000", timeout=120)
    yield driver
    driver.quit()


def wait_for(driver, script: str, seconds: float, what: str):
    """Run `script` until it returns something truthy; that value, or fail naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


NOTEBOOK_SHOWN = """
const app = window.jupyterapp;
const panel = app && app.shell.currentWidget;
if (!panel || !panel.context || panel.context.path !== arguments[0]) return null;
if (!panel.context.isReady || !panel.content.widgets.length) return null;
return document.querySelectorAll('.jp-RenderedMarkdown h1').length > 0;
"""

# The screen rectangles of the first two different Chinese characters in an element.
TWO_CHARACTERS = """
const element = arguments[0];
element.scrollIntoView({block: 'center'});
const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
const found = new Map();
while (walker.nextNode() && found.size < 2) {
  const node = walker.currentNode;
  for (let i = 0; i < node.data.length && found.size < 2; i++) {
    const c = node.data[i];
    if (!/[\\u4e00-\\u9fff]/.test(c) || found.has(c)) continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const r = range.getBoundingClientRect();
    if (r.width >= 6 && r.height >= 6 && r.top >= 0 && r.bottom <= innerHeight)
      found.set(c, [r.left, r.top, r.right, r.bottom]);
  }
}
return [...found.entries()];
"""


def glyph(screenshot: Image.Image, box: list[float]) -> np.ndarray:
    """The ink of one character: its box from the screenshot, in grey, cut to the ink."""
    left, top, right, bottom = (round(v) for v in box)
    pixels = np.asarray(screenshot.crop((left, top, right, bottom)).convert("L"), dtype=int)
    ink = pixels < pixels.max() - 60  # darker than the background
    if not ink.any():
        return ink
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def two_glyphs(driver, element) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Two Chinese characters of `element` and their drawn bitmaps, once fonts have loaded."""
    driver.execute_async_script("document.fonts.ready.then(arguments[arguments.length - 1])")
    found = driver.execute_script(TWO_CHARACTERS, element)
    assert len(found) == 2, f"fewer than two Chinese characters on screen in {element.text[:80]!r}"
    screenshot = Image.open(io.BytesIO(driver.get_screenshot_as_png()))
    (first, box1), (second, box2) = found
    return [first, second], glyph(screenshot, box1), glyph(screenshot, box2)


def same_bitmap(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def assert_distinct_glyphs(driver, element, where: str) -> None:
    deadline = time.monotonic() + 30  # the font may still be arriving (font-display: swap)
    while True:
        characters, a, b = two_glyphs(driver, element)
        drawn = a.sum() > 10 and b.sum() > 10
        if drawn and not same_bitmap(a, b):
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{where}: {characters[0]} and {characters[1]} are drawn "
                + ("as the same bitmap (boxes?)" if drawn else "blank")
            )
        time.sleep(1)


def test_notebook_01_opens_first_and_draws_chinese(lab: Lab, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get(lab.url(printed_address(lab)))
    wait_for(browser, NOTEBOOK_SHOWN.replace("arguments[0]", "'notebooks/01_reading.ipynb'"),
             120, "notebook 01 to open")  # fmt: skip

    heading = browser.find_element(By.CSS_SELECTOR, ".jp-RenderedMarkdown h1")
    assert re.search(r"[\u4e00-\u9fff]", heading.text), heading.text
    assert_distinct_glyphs(browser, heading, "the heading of notebook 01")

    # A table output, a code cell's source and a printed output use other fonts.
    for selector, what in (
        (".jp-OutputArea-output table", "a table output"),
        (".jp-CodeCell .cm-content", "the code of a cell"),
        (".jp-OutputArea-output[data-mime-type='text/plain'] pre", "a printed output"),
    ):
        assert_distinct_glyphs(browser, with_chinese(browser, selector, what), f"{what} of 01")


SHOW_CELL_WITH_CHINESE = """
const notebook = window.jupyterapp.shell.currentWidget.content;
const index = notebook.widgets.findIndex(cell => cell.model.type === arguments[0]
  && new Set(cell.model.sharedModel.getSource().match(/[\\u4e00-\\u9fff]/g) || []).size >= 2);
if (index >= 0) { notebook.activeCellIndex = index; notebook.scrollToItem(index, 'center'); }
return index;
"""


def with_chinese(driver, selector: str, what: str):
    """The first element matching `selector` whose text has two different Chinese characters.

    JupyterLab draws a cell's editor only once the cell has been on screen, so the first
    code cell with Chinese in its source is scrolled to first.
    """
    from selenium.webdriver.common.by import By

    if "CodeCell" in selector:
        assert driver.execute_script(SHOW_CELL_WITH_CHINESE, "code") >= 0, "no code with Chinese"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for element in driver.find_elements(By.CSS_SELECTOR, selector):
            text = element.get_attribute("textContent")
            if len(set(re.findall(r"[\u4e00-\u9fff]", text))) >= 2:
                return element
        time.sleep(0.5)
    raise AssertionError(f"notebook 01 shows no {what} with Chinese text")


RUN_STATE = """
const panel = window.jupyterapp.shell.currentWidget;
const cells = panel.content.widgets.filter(cell => cell.model.type === 'code');
const problems = [];
cells.forEach((cell, i) => {
  const outputs = cell.model.outputs.toJSON();
  outputs.forEach(o => {
    if (o.output_type === 'error') problems.push(`code cell ${i + 1}: ${o.ename}: ${o.evalue}`);
    if (o.output_type === 'stream' && o.name === 'stderr')
      problems.push(`code cell ${i + 1} wrote to stderr: ${String(o.text).slice(0, 200)}`);
  });
});
const status = panel.sessionContext.session && panel.sessionContext.session.kernel
  ? panel.sessionContext.session.kernel.status : 'none';
const ran = cells.filter(cell => cell.model.executionCount !== null).length;
return {cells: cells.length, ran, status, problems};
"""


def test_notebook_03_runs_in_jupyterlab_without_errors(lab: Lab, browser) -> None:
    path = "notebooks/03_term_frequency.ipynb"
    browser.get(lab.url(f"/lab/tree/{path}"))
    wait_for(browser, NOTEBOOK_SHOWN.replace("arguments[0]", f"'{path}'"), 120, "notebook 03")
    wait_for(
        browser,
        "const k = window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel;"
        "return k && k.status === 'idle';",
        120,
        "the kernel of notebook 03 to start",
    )
    # Clear the stored outputs first, so every output checked below comes from this run.
    browser.execute_script(
        "const app = window.jupyterapp;"
        "return app.commands.execute('notebook:clear-all-cell-outputs')"
        ".then(() => app.commands.execute('notebook:run-all-cells'));"
    )
    deadline = time.monotonic() + 600
    while True:
        state = browser.execute_script(RUN_STATE)
        if state["problems"]:
            raise AssertionError("\n".join(state["problems"]))
        if state["ran"] == state["cells"] and state["status"] == "idle":
            break
        assert time.monotonic() < deadline, f"notebook 03 did not finish: {state}"
        time.sleep(2)
    assert state["cells"] > 20
