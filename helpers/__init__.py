"""Helpers for the notebooks on Chinese local-government rule-of-law reports.

One module per stage of the pipeline, in the order of the notebooks:

- :mod:`helpers.corpus` — reading raw reports and their manifest (notebook 01)
- :mod:`helpers.fonts`, :mod:`helpers.notebook` — the Chinese font and ``setup()``

Importing this package is quick and silent: heavy libraries (jieba, OpenCC,
matplotlib) are imported only inside the functions that need them.
"""

from .corpus import (
    REPO_ROOT,
    Report,
    ReportError,
    ReportWarning,
    detect_script,
    infer_metadata,
    load_reports,
    read_manifest,
    read_report,
)
from .fonts import font_name, font_path, use_chinese_font
from .notebook import SEED, setup

__all__ = [
    "REPO_ROOT",
    "SEED",
    "Report",
    "ReportError",
    "ReportWarning",
    "detect_script",
    "font_name",
    "font_path",
    "infer_metadata",
    "load_reports",
    "read_manifest",
    "read_report",
    "setup",
    "use_chinese_font",
]
