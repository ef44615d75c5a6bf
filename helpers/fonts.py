"""A Chinese font that every figure can use, on every machine.

Introduced in ``notebooks/01_reading.ipynb``.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs: labels come out
as empty boxes. Relying on whatever fonts the computer happens to have makes a
notebook work on one machine and fail on the next. So the font comes from a
Python package in ``requirements.txt``: ``mplfonts`` ships *Noto Sans CJK SC*
(Google/Adobe, SIL Open Font License 1.1), which covers Simplified and
Traditional characters. We use that one file only; nothing is copied into
matplotlib or system folders.

Example:
    >>> font_path().name
    'NotoSansCJKsc-Regular.otf'
    >>> font_name()
    'Noto Sans CJK SC'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["FONT_FILE", "FONT_LICENCE", "font_name", "font_path", "use_chinese_font"]

#: The font file inside the ``mplfonts`` package (it ships other files too, among
#: them SimHei, which is not openly licensed: we never use those).
FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_LICENCE = "SIL Open Font License 1.1"


def font_path() -> Path:
    """Path of the Noto Sans CJK SC font file, for matplotlib, wordcloud or PIL.

    Raises ``FileNotFoundError`` with the fix if the font package is missing.

    Example:
        >>> from wordcloud import WordCloud
        >>> cloud = WordCloud(font_path=str(font_path()), width=200, height=100)
        >>> cloud.generate_from_frequencies({"法治政府": 3, "行政执法": 2}).words_
        {'法治政府': 1.0, '行政执法': 0.6666666666666666}
    """
    try:
        folder = resources.files("mplfonts") / "fonts"
    except ModuleNotFoundError:
        folder = None
    path = Path(str(folder / FONT_FILE)) if folder is not None else None
    if path is None or not path.is_file():
        raise FileNotFoundError(
            f"The Chinese font {FONT_FILE} was not found: the 'mplfonts' package is not "
            "installed in this Python. Run `make install` (or "
            "`pip install -r requirements.txt`) in the repository, then restart the kernel."
        )
    return path


@cache
def font_name() -> str:
    """The family name matplotlib knows the font by (registers the file once)."""
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_chinese_font() -> str:
    """Make matplotlib draw all text with the Chinese font; returns its family name.

    Example:
        >>> use_chinese_font()
        'Noto Sans CJK SC'
    """
    import matplotlib as mpl

    name = font_name()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    # The font has the proper minus sign (U+2212), so negative tick labels stay correct.
    mpl.rcParams["axes.unicode_minus"] = True
    return name
