"""One call at the top of every notebook: ``helpers.setup(language="en")``.

It makes a notebook give the same output on every run and every machine:
fixed random seeds, pandas display options, a matplotlib style, the Chinese
font. It also sets the language of the helpers' messages to the learner (exercise
hints and checks): ``"en"`` in the English notebooks, ``"zh"`` in the Chinese edition
(``notebooks/zh/``).
"""

from __future__ import annotations

import random

__all__ = ["LANGUAGES", "SEED", "language", "say", "setup"]

#: The seed every notebook uses, so random layouts (word clouds, samples) repeat.
SEED = 2024
#: The languages of the helpers' messages to learners: English and Simplified Chinese.
LANGUAGES = ("en", "zh")
_language = "en"


def language() -> str:
    """The language the helpers speak to the learner, as set by :func:`setup`.

    Example:
        >>> setup(language="zh"); language()
        'zh'
        >>> setup(); language()
        'en'
    """
    return _language


def say(english: str, chinese: str) -> str:
    """The one of two texts that is in the learner's language (see :func:`setup`).

    Every message the helpers give a learner in both languages goes through here.

    Example:
        >>> say("not yet", "还不对")
        'not yet'
    """
    return chinese if _language == "zh" else english


def setup(seed: int = SEED, *, language: str = "en") -> None:
    """Prepare a notebook session. Prints nothing; safe to call twice.

    - ``language``: ``"en"`` or ``"zh"``, the language of the helpers' messages to the
      learner (exercise checks and hints);

    - seeds Python's and NumPy's random generators with ``seed``;
    - pandas: show up to 60 rows and full column text up to 80 characters;
    - matplotlib: inline-friendly size and resolution, the Chinese font
      (see :mod:`helpers.fonts`);

    (jieba's start-up log, a timing and a temp-folder path on stderr, is
    silenced where :mod:`helpers.segmentation` imports jieba, not here: jieba resets
    its log level when it is imported.)

    Example:
        >>> setup()
    """
    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    from .fonts import use_chinese_font

    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    _language = language

    random.seed(seed)
    np.random.seed(seed)

    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)

    mpl.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "svg.hashsalt": str(seed),  # stable ids if a figure is saved as SVG
        }
    )
    use_chinese_font()
