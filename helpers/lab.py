"""Chinese on every screen of JupyterLab, and notebook 01 as the first page.

Set-up plumbing, not a lesson: ``make lab`` runs ``python -m helpers.lab`` once.

**The problem.** JupyterLab draws text with the computer's fonts. A machine without a
Chinese system font (minimal Linux, WSL, containers, many lab machines: ``fc-list
:lang=zh`` prints nothing) shows every Chinese character as an empty box, in headings,
code, printed output and tables alike. The figures are fine because they use the
project's own font (:mod:`helpers.fonts`); this module gives JupyterLab the same font.

**How.** Three small pieces, all inside the project's environment (``sys.prefix``:
``.venv/`` or a conda environment), none in the system or in your home folder:

1. ``helpers/data/lab/custom.css``: an ``@font-face`` for *Noto Sans CJK SC* (SIL Open
   Font License 1.1, the file that the ``mplfonts`` package ships), placed **after** the
   usual system Chinese fonts in JupyterLab's font lists, so a system font still wins
   where there is one. ``unicode-range`` limits it to Chinese characters.
2. A Jupyter *server extension* (this module's ``_load_jupyter_server_extension``) that
   serves that CSS as JupyterLab's ``custom/custom.css``, and the one font file at
   ``fazhi-reports/NotoSansCJKsc-Regular.otf``. (JupyterLab looks for ``custom.css``
   only in ``~/.jupyter/custom/``; the extension adds our folder after that one, so a
   ``custom.css`` of your own is still used.)
3. :func:`setup_lab` writes the settings that switch these on into the environment's
   ``etc/jupyter/``: the extension in ``jupyter_server_config.d/fazhi-reports.json``, and
   ``LabApp.custom_css`` and ``LabApp.default_url`` (the address JupyterLab prints opens
   ``notebooks/01_reading.ipynb``) in ``jupyter_server_config.json``, keeping any other
   settings that file holds.

Undo: delete those two files (``make distclean`` deletes the whole ``.venv/``).

Example:
    >>> css = CUSTOM_CSS.read_text(encoding="utf-8")
    >>> "@font-face" in css and FONT_ROUTE in css
    True
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .cache import write_atomically
from .fonts import FONT_FILE, font_path

__all__ = ["CUSTOM_CSS", "DEFAULT_URL", "FONT_ROUTE", "setup_lab"]

#: The stylesheet JupyterLab loads as ``custom/custom.css``.
CUSTOM_CSS = Path(__file__).parent / "data" / "lab" / "custom.css"
#: Where the server extension serves the font (relative to JupyterLab's base URL).
FONT_ROUTE = f"fazhi-reports/{FONT_FILE}"
#: The page the printed address opens: the first notebook, relative to the folder
#: JupyterLab was started in (the repository's top folder).
DEFAULT_URL = "/lab/tree/notebooks/01_reading.ipynb"
EXTENSION = "helpers.lab"


# --- the server extension ---------------------------------------------------------

def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell Jupyter Server that this module is an extension."""
    return [{"module": EXTENSION}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Serve our ``custom.css`` and the one font file it names."""
    from jupyter_server.utils import url_path_join

    web_app = serverapp.web_app
    # JupyterLab's custom/ route searches this list in order. The first entry is the
    # user's own ~/.jupyter/custom: ours goes after it. The list is shared with that
    # route, so changing it in place is enough, whichever extension loads first.
    searched = web_app.settings["static_custom_path"]
    folder = str(CUSTOM_CSS.parent)
    if folder not in searched:
        searched.insert(min(1, len(searched)), folder)
    # Only the one open-licensed file: the font folder also holds fonts we may not share.
    route = url_path_join(web_app.settings["base_url"], rf"/fazhi-reports/({FONT_FILE})")
    handler = web_app.settings["static_handler_class"]
    web_app.add_handlers(".*$", [(route, handler, {"path": [str(font_path().parent)]})])
    serverapp.log.info("Chinese font for JupyterLab served at /%s", FONT_ROUTE)


# --- the settings -----------------------------------------------------------------

def in_own_environment() -> bool:
    """True in a virtual environment or a named conda environment, not a system Python."""
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix):
        return True
    conda = os.environ.get("CONDA_PREFIX")
    return (
        bool(conda)
        and Path(conda).resolve() == Path(sys.prefix).resolve()
        and os.environ.get("CONDA_DEFAULT_ENV") not in (None, "base")
    )


def setup_lab(prefix: str | Path) -> list[Path]:
    """Switch the font and the first page on for the JupyterLab installed in ``prefix``.

    Writes two files under ``prefix/etc/jupyter/`` and returns their paths. Running it
    again writes the same content; other settings in ``jupyter_server_config.json``
    are kept.

    Example:
        >>> import json, tempfile
        >>> with tempfile.TemporaryDirectory() as prefix:
        ...     enable, settings = setup_lab(prefix)
        ...     json.loads(settings.read_text())["LabApp"]["default_url"]
        '/lab/tree/notebooks/01_reading.ipynb'
    """
    config_dir = Path(prefix) / "etc" / "jupyter"
    enable = config_dir / "jupyter_server_config.d" / "fazhi-reports.json"
    write_json(enable, {"ServerApp": {"jpserver_extensions": {EXTENSION: True}}})
    settings = config_dir / "jupyter_server_config.json"
    config = read_json(settings)
    lab = config.setdefault("LabApp", {})
    if not isinstance(lab, dict):
        raise ValueError(f"{settings}: 'LabApp' is not a JSON object. Fix or remove it.")
    lab["custom_css"] = True
    lab["default_url"] = DEFAULT_URL
    write_json(settings, config)
    return [enable, settings]


def read_json(path: Path) -> dict[str, Any]:
    """The settings a JSON file holds, or {} when there is no file yet."""
    if not path.exists():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        message = f"Cannot read {path} ({error}). Fix or remove it, then run again."
        raise ValueError(message) from None
    if not isinstance(value, dict):
        raise ValueError(f"{path} is not a JSON object. Fix or remove it, then run again.")
    return value


def write_json(path: Path, value: dict[str, Any]) -> None:
    """Write a settings file whole or not at all (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode())


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.lab [--prefix PREFIX]``: what ``make lab`` runs first."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.lab",
        description="Chinese font and first page for this project's JupyterLab.",
    )
    parser.add_argument(
        "--prefix",
        help="environment folder to set up (default: this Python's, if it is a virtual or "
        "conda environment)",
    )
    args = parser.parse_args(argv)
    if args.prefix is None and not in_own_environment():
        parser.exit(
            2,
            "error: this Python is not a virtual or conda environment, so the settings would "
            "apply to every user of it. Create one (python -m venv .venv) and run this with "
            "its Python (.venv/bin/python, or .venv\\Scripts\\python on Windows), or name "
            "the folder with --prefix.\n",
        )
    try:
        written = setup_lab(args.prefix or sys.prefix)
    except ValueError as error:
        parser.exit(2, f"error: {error}\n")
    font_path()  # fails here, with the fix, if the font package is missing
    for path in written:
        print(f"JupyterLab set up for this project: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
