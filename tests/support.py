"""Paths and small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SAMPLES = ROOT / "samples" / "your_reports"


def copy_seed(name: str, folder: Path) -> Path:
    target = folder / name
    target.write_bytes((SEEDS / name).read_bytes())
    return target


# --- headless Chromium, for the book's and JupyterLab's browser tests ---------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def require_chromium(what: str) -> None:
    """Skip (fail in CI, where the CI variable is set) when Chromium is not installed."""
    import pytest

    if CHROMIUM and CHROMEDRIVER:
        return
    message = (
        f"Chromium and chromedriver are not installed, so {what} was not checked in a browser. "
        "Install them with `apt-get install chromium chromium-driver` (as root), or "
        "`make browser`."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def start_chromium(profile: Path, window: str, *, log_requests: bool = False, timeout: int = 60):
    """A headless Chromium with its own profile folder, driven by Selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    if log_requests:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # network requests
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--window-size={window}", "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(timeout)
    driver.set_script_timeout(timeout)
    return driver
