"""Settings for the whole test session: unit tests, docstring examples and notebooks.

1. **Its own empty cache.** Before anything imports the helpers, the session
   points ``FAZHI_CACHE_DIR`` at a new temporary folder, removed at the end. The
   notebook kernels that nbval starts inherit it. A warm cache can therefore
   never hide a bug, and the user's own cache is never touched.
2. **Figures are compared too**, in the notebook run nbval already does
   (``tests/nbval_figures.py``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

_CACHE = tempfile.mkdtemp(prefix="fazhi-test-cache-")
os.environ["FAZHI_CACHE_DIR"] = _CACHE
os.environ.setdefault("PYTHONHASHSEED", "0")  # the notebooks' kernels: as in `make run`
os.environ.pop("MPLBACKEND", None)  # the kernels use their own inline backend, as in `make run`
os.environ["FAZHI_PROGRESS"] = "0"  # no progress bar may enter a notebook's outputs

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
import nbval_figures  # noqa: E402  (found through the line above)


def pytest_collection_modifyitems(session, config, items):
    nbval_figures.install(items)


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
