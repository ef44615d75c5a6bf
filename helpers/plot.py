"""Figures with Chinese labels: top-term bars, word clouds, dispersion plots, heatmaps.

Introduced in ``notebooks/03_term_frequency.ipynb`` and
``notebooks/04_cross_report_comparison.ipynb``. Every function:

- draws with the Chinese font of :mod:`helpers.fonts`, set for its own figure
  only (a local ``rc_context``): your global matplotlib settings stay as they are;
- draws on the Axes you pass (``ax=``) or on a new figure, and returns the Axes;
  a word cloud's ``WordCloud`` object is on the Axes as ``ax.word_cloud``;
- is deterministic: the same data gives the same picture (word-cloud layouts
  use a fixed ``random_state``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import pandas as pd

from .checks import check_int
from .corpus import Docs, as_docs
from .fonts import font_name, font_path
from .notebook import SEED, say
from .segmentation import check_options, gloss, segment_spans

__all__ = [
    "bar_top_terms",
    "build_word_cloud",
    "chinese_font",
    "comparison_cloud",
    "dispersion_plot",
    "heatmap",
    "keyness_bars",
    "term_label",
    "word_cloud",
]


@contextmanager
def chinese_font() -> Iterator[None]:
    """Within this block, matplotlib draws text with the Chinese font; outside, nothing changes.

    Example:
        >>> import matplotlib as mpl
        >>> before = mpl.rcParams["font.family"]
        >>> with chinese_font():
        ...     mpl.rcParams["font.family"][0]
        'Noto Sans CJK SC'
        >>> mpl.rcParams["font.family"] == before
        True
    """
    import matplotlib as mpl

    # The font is named, not a generic "sans-serif": text made in this block keeps it
    # when the figure is drawn later (a notebook draws after the cell has run).
    with mpl.rc_context({"font.family": [font_name(), "DejaVu Sans"], "axes.unicode_minus": True}):
        yield


def _axes(ax, figsize: tuple[float, float]):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def term_label(term: str) -> str:
    """A term with its English gloss where there is one (:func:`helpers.segmentation.gloss`).

    In the Chinese edition (``helpers.setup(language="zh")``) the term alone: the gloss is
    for readers who do not read Chinese.

    Example:
        >>> term_label("行政复议"), term_label("太仓"), term_label("苹果")
        ('行政复议 (administrative reconsideration)', '太仓 (Taicang)', '苹果')
    """
    english = gloss(term)
    return say(f"{term} ({english})", term) if english else term


def bar_top_terms(
    table: pd.DataFrame, n: int = 20, *, column: str = "per_10k", title: str = "", ax=None
):
    """Horizontal bars of the ``n`` terms with the highest ``column``, largest on top.

    ``table`` is a :func:`helpers.term_frequencies` table. Labels carry the
    English gloss where the vocabulary has one. Returns the matplotlib Axes.
    """
    check_int("n", n, low=1)
    top = table.nlargest(n, column, keep="first").iloc[::-1]
    with chinese_font():
        ax = _axes(ax, (8, 0.3 * len(top) + 1))
        ax.barh([term_label(t) for t in top["term"]], top[column], color="#4C72B0")
        ax.set_xlabel(
            {
                "per_10k": say("per 10,000 words 每万词", "每万词频率"),
                "count": say("count 次数", "次数"),
            }.get(column, column)
        )
        if title:
            ax.set_title(title)
        ax.tick_params(axis="y", labelsize=9)
    return ax


def build_word_cloud(
    frequencies: Mapping[str, float] | pd.DataFrame,
    *,
    width: int = 800,
    height: int = 400,
    max_words: int = 100,
    colormap: str = "viridis",
    random_state: int = SEED,
):
    """A ``WordCloud`` laid out from frequencies (not from raw text); nothing is drawn.

    ``frequencies`` is a dict term → weight, or a term-frequency table (its
    ``per_10k`` column is used). wordcloud's own tokenizer cannot split Chinese
    and its default font has no Chinese glyphs, so we pass frequencies and the
    packaged font; ``collocations=False`` and a fixed ``random_state`` make the
    layout repeatable.

    Example:
        >>> cloud = build_word_cloud({"法治政府": 5, "行政复议": 3}, width=200, height=100)
        >>> sorted(cloud.words_)
        ['法治政府', '行政复议']
    """
    from wordcloud import WordCloud

    check_int("max_words", max_words, low=1)
    if isinstance(frequencies, pd.DataFrame):
        frequencies = dict(zip(frequencies["term"], frequencies["per_10k"], strict=True))
    cloud = WordCloud(
        font_path=str(font_path()),
        width=check_int("width", width, low=10),
        height=check_int("height", height, low=10),
        max_words=max_words,
        background_color="white",
        colormap=colormap,
        collocations=False,
        random_state=random_state,
        prefer_horizontal=1.0,
    )
    return cloud.generate_from_frequencies(dict(frequencies))


def _show_cloud(cloud, title: str, ax):
    with chinese_font():
        ax = _axes(ax, (cloud.width / 100, cloud.height / 100))
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_axis_off()
        if title:
            ax.set_title(title)
    ax.word_cloud = cloud  # the WordCloud object, for anyone who needs it
    return ax


def word_cloud(
    frequencies: Mapping[str, float] | pd.DataFrame,
    *,
    title: str = "",
    ax=None,
    width: int = 800,
    height: int = 400,
    max_words: int = 100,
    colormap: str = "viridis",
    random_state: int = SEED,
):
    """Draw a word cloud of ``frequencies`` (see :func:`build_word_cloud`); returns the Axes.

    The ``WordCloud`` object is ``ax.word_cloud`` (e.g. ``ax.word_cloud.words_``,
    each word's relative size).
    """
    cloud = build_word_cloud(
        frequencies,
        width=width,
        height=height,
        max_words=max_words,
        colormap=colormap,
        random_state=random_state,
    )
    return _show_cloud(cloud, title, ax)


def dispersion_plot(
    docs: Docs, terms: Sequence[str], *, by: str = "term", ax=None, **segment_options
):
    """Where in each report each term occurs ("x-ray" plot).

    One row per report; a mark at each occurrence of a term, at its relative
    position in the text (0 = start, 1 = end). ``by="family"`` marks every word
    of the term's vocabulary family (行政复议案件 and 行政复议机关 for 行政复议;
    see :func:`helpers.segmentation.family`). Returns the Axes.
    """
    import matplotlib.pyplot as plt

    from .segmentation import family

    check_options(segment_options)
    if by not in ("term", "family"):
        raise ValueError(f"by must be 'term' or 'family'; got {by!r}.")
    name = family if by == "family" else str
    if isinstance(terms, str):
        raise TypeError(f"terms takes a list of terms, e.g. [{terms!r}].")
    docs = as_docs(docs)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = list(docs)
    with chinese_font():
        ax = _axes(ax, (9, 0.5 * len(docs) + 1.2))
        for k, term in enumerate(terms):
            xs, ys = [], []
            for row, label in enumerate(labels):
                text = docs[label]
                for token, start in segment_spans(text, **segment_options):
                    if name(token) == name(term):
                        xs.append(start / max(len(text), 1))
                        ys.append(row + (k - (len(terms) - 1) / 2) * 0.15)
            colour = colors[k % len(colors)]
            ax.scatter(xs, ys, marker="|", s=200, color=colour, label=term_label(term))
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(-0.6, len(labels) - 0.4)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel(
            say(
                "position in the report 在报告中的位置 (0 = start, 1 = end)",
                "在报告中的位置（0 = 开头，1 = 结尾）",
            )
        )
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def comparison_cloud(
    keyness_by_report: Mapping[str, pd.DataFrame],
    *,
    n: int = 20,
    title: str = "",
    ax=None,
    width: int = 900,
    height: int = 450,
    random_state: int = SEED,
):
    """One word cloud of every report's distinctive terms, each report in its own colour.

    ``keyness_by_report`` maps a report's label to its :func:`helpers.keyness`
    table against the other reports. The ``n`` most over-used terms of each
    report (``use == "over"``) are drawn, sized by G²; a term distinctive for
    two reports goes to the one with the larger G². The wordcloud package has
    no comparison cloud, so colours come from a ``color_func`` that looks each
    word up; a legend names the reports. Returns the Axes (the cloud is
    ``ax.word_cloud``).
    """
    import matplotlib as mpl
    import matplotlib.patches as mpatches
    from wordcloud import WordCloud

    check_int("n", n, low=1)
    check_int("width", width, low=10)
    check_int("height", height, low=10)
    if not isinstance(keyness_by_report, Mapping) or not keyness_by_report:
        raise TypeError(
            "keyness_by_report takes a dict of report label -> helpers.keyness table, with at "
            f"least one report; got {keyness_by_report!r:.60}."
        )
    palette = [mpl.colors.to_hex(c) for c in mpl.colormaps["tab10"].colors]
    colours = {report: palette[i % len(palette)] for i, report in enumerate(keyness_by_report)}
    weight: dict[str, float] = {}
    owner: dict[str, str] = {}
    for report, table in keyness_by_report.items():
        top = table[table["use"] == "over"].nlargest(n, "g2", keep="first")
        for term, g2 in zip(top["term"], top["g2"], strict=True):
            if g2 > weight.get(term, -1):
                weight[term], owner[term] = g2, report
    cloud = WordCloud(
        font_path=str(font_path()),
        width=width,
        height=height,
        background_color="white",
        collocations=False,
        random_state=random_state,
        prefer_horizontal=1.0,
        color_func=lambda word, **_: colours[owner[word]],
    ).generate_from_frequencies(weight)
    ax = _show_cloud(cloud, title, ax)
    handles = [mpatches.Patch(color=c, label=report) for report, c in colours.items()]
    with chinese_font():
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return ax


def heatmap(
    table: pd.DataFrame,
    *,
    title: str = "",
    fmt: str = ".2f",
    cmap: str = "Blues",
    vmin: float | None = None,
    vmax: float | None = None,
    note: str = "",
    ax=None,
):
    """A labelled heatmap of a small table (similarities, theme profiles); returns the Axes.

    Row and column labels are drawn with the Chinese font; each cell shows its
    value. ``vmin`` / ``vmax`` fix the colour scale (e.g. ``vmin=0`` for
    similarities, so that small differences do not look like opposites); by
    default it runs from the smallest value to the largest.

    ``note`` is a short text drawn in small type below the axes, under the
    column labels, so that the figure can be read without the page around it
    (what a mark in a label means, where the figures come from). It belongs
    to the figure: ``fig.tight_layout()`` and ``savefig(..., bbox_inches="tight")``
    (what a notebook does when it shows a figure) keep it in the picture. With
    no note (the default) nothing is added.

    Example:
        >>> import pandas as pd
        >>> table = pd.DataFrame({"A": [1.0, 0.4], "B": [0.4, 1.0]}, index=["A 2019", "B 2018*"])
        >>> ax = heatmap(table, note="* year inferred")
        >>> [t.get_text() for t in ax.texts if t.get_text().startswith("*")]
        ['* year inferred']
    """
    import numpy as np

    values = table.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    low = vmin if vmin is not None else (finite.min() if finite.size else 0)
    high = vmax if vmax is not None else (finite.max() if finite.size else 1)
    with chinese_font():
        ax = _axes(ax, (1.1 * values.shape[1] + 2.5, 0.6 * values.shape[0] + 1.5))
        image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=low, vmax=high)
        ax.set_xticks(
            range(values.shape[1]), [str(c) for c in table.columns], rotation=35, ha="right"
        )
        ax.set_yticks(range(values.shape[0]), [str(i) for i in table.index])
        middle = (low + high) / 2
        for (row, col), value in np.ndenumerate(values):
            if np.isfinite(value):
                colour = "white" if value > middle else "black"
                ax.text(
                    col, row, format(value, fmt), ha="center", va="center", color=colour, fontsize=8
                )
        ax.figure.colorbar(image, ax=ax, shrink=0.8)
        ax.spines[:].set_visible(False)
        if title:
            ax.set_title(title)
        if note:
            _add_note(ax, note)
    return ax


def _add_note(ax, note: str):
    """Draw ``note`` in small type under ``ax`` and its x tick labels, left-aligned with it.

    An annotation of the Axes, placed at draw time (tick labels can be long
    or rotated): x in axes fraction, y at the bottom of the x axis's labels,
    then a few points lower. Returns the annotation.
    """
    if not isinstance(note, str):
        raise TypeError(f"note takes a string, e.g. '* year inferred'; got {note!r:.60}.")

    def below_the_labels(renderer):
        box = ax.xaxis.get_tightbbox(renderer)  # None when the axis draws nothing
        return box if box is not None else ax.get_window_extent(renderer)

    return ax.annotate(
        note,
        xy=(0, 0),
        xycoords=("axes fraction", below_the_labels),
        xytext=(0, -6),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="0.25",
        annotation_clip=False,
    )


def keyness_bars(table: pd.DataFrame, n: int = 10, *, title: str = "", ax=None):
    """Diverging bars: the ``n`` most over-used terms to the right, the ``n`` most under-used left.

    ``table`` is a :func:`helpers.keyness` table; bar length is G², signed by
    direction. Returns the Axes.
    """
    check_int("n", n, low=1)
    over = table[table["use"] == "over"].nlargest(n, "g2", keep="first")
    under = table[table["use"] == "under"].nlargest(n, "g2", keep="first")
    rows = pd.concat([under.iloc[::-1].assign(signed=-under["g2"].iloc[::-1]),
                      over.assign(signed=over["g2"])]).iloc[::-1]  # fmt: skip
    with chinese_font():
        ax = _axes(ax, (8, 0.32 * len(rows) + 1))
        colours = ["#C44E52" if v > 0 else "#4C72B0" for v in rows["signed"]]
        ax.barh([term_label(t) for t in rows["term"]], rows["signed"], color=colours)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel(
            say(
                "G² (left: used less than the others 少用; right: used more 多用)",
                "G²（左：比其他报告少用；右：比其他报告多用）",
            )
        )
        ax.tick_params(axis="y", labelsize=9)
        if title:
            ax.set_title(title)
    return ax
