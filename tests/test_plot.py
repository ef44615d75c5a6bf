"""Figure helpers: nbval does not compare images, so these tests check the figures."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest

import helpers
from helpers.fonts import font_path
from helpers.plot import build_word_cloud


@pytest.fixture(scope="module")
def table(docs):
    return helpers.term_frequencies(docs)


@pytest.fixture(autouse=True)
def offscreen():
    with matplotlib.rc_context():
        matplotlib.use("Agg", force=True)
        helpers.setup()
        yield
        import matplotlib.pyplot as plt

        plt.close("all")


def drawn_without_missing_glyphs(ax) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.canvas.draw()
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_bar_chart_shows_the_top_terms_with_glosses(table):
    ax = helpers.bar_top_terms(table, n=20)
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert len(labels) == 20
    top = table.nlargest(20, "per_10k")["term"].tolist()
    assert labels[-1].startswith(top[0])  # largest bar on top
    assert "法治政府建设 (building a law-based government)" in labels
    widths = [bar.get_width() for bar in ax.patches]
    assert widths == sorted(widths)
    drawn_without_missing_glyphs(ax)


def test_word_cloud_is_chinese_readable_and_repeatable(table):
    ax = helpers.word_cloud(table.head(60), width=400, height=200, title="词云 word cloud")
    first = ax.word_cloud
    second = build_word_cloud(table.head(60), width=400, height=200)
    assert np.array_equal(first.to_array(), second.to_array())
    assert np.array_equal(ax.images[0].get_array(), first.to_array())  # what is drawn
    assert first.font_path == str(font_path())
    assert "法治政府建设" in first.words_  # a whole term, not split by wordcloud
    assert first.collocations is False
    other = build_word_cloud(table.head(60), width=400, height=200, random_state=7)
    assert not np.array_equal(first.to_array(), other.to_array())
    drawn_without_missing_glyphs(ax)


def test_word_cloud_font_has_a_glyph_for_every_character_it_draws(table):
    # wordcloud draws with PIL and this font file; a character without a glyph
    # would be drawn as an empty box (glyph index 0, ".notdef").
    from matplotlib.ft2font import FT2Font

    cloud = build_word_cloud(table.head(100), width=400, height=200)
    font = FT2Font(cloud.font_path)
    characters = {ch for word in cloud.words_ for ch in word}
    assert characters and all(font.get_char_index(ord(ch)) != 0 for ch in characters)


def test_dispersion_plot_marks_every_occurrence(docs):
    terms = ["行政复议", "规范性文件"]
    ax = helpers.dispersion_plot(docs, terms)
    points = sum(len(collection.get_offsets()) for collection in ax.collections)
    expected = sum(
        1 for text in docs.values() for token in helpers.segment(text) if token in terms
    )
    assert points == expected > 0
    assert [t.get_text() for t in ax.get_yticklabels()] == list(docs)
    drawn_without_missing_glyphs(ax)


def test_heatmap_labels_and_values(docs):
    sim = helpers.similarity(helpers.tfidf(helpers.dtm(docs)))
    sim.index = sim.columns = ["太仓 2019", "惠农 2018*", "天宁 2024", "镇江 2013", "椒江 2023"]
    ax = helpers.heatmap(sim, title="相似度 similarity")
    assert [t.get_text() for t in ax.get_yticklabels()] == list(sim.index)
    cells = [t.get_text() for t in ax.texts]
    assert cells.count("1.00") == 5 and len(cells) == 25
    drawn_without_missing_glyphs(ax)


def test_keyness_bars_diverge(docs):
    rest = [t for r, t in docs.items() if r != "zhenjiang-2013"]
    table = helpers.keyness(docs["zhenjiang-2013"], rest)
    ax = helpers.keyness_bars(table, n=8)
    widths = [bar.get_width() for bar in ax.patches]
    assert sum(w > 0 for w in widths) == 8 and sum(w < 0 for w in widths) == 8
    top = table[table["use"] == "over"].iloc[0]
    assert max(widths) == top["g2"]
    drawn_without_missing_glyphs(ax)


def test_plot_helpers_leave_global_settings_alone(docs, table):
    import matplotlib.pyplot as plt

    matplotlib.rcdefaults()  # as in a session that never called helpers.setup()
    before = dict(matplotlib.rcParams)
    rest = [t for r, t in docs.items() if r != "zhenjiang-2013"]
    axes = [
        helpers.bar_top_terms(table, n=5),
        helpers.word_cloud(table.head(20), width=200, height=100),
        helpers.dispersion_plot(docs, ["行政复议"]),
        helpers.heatmap(helpers.similarity(helpers.dtm(docs))),
        helpers.keyness_bars(helpers.keyness(docs["zhenjiang-2013"], rest), n=3),
    ]
    assert dict(matplotlib.rcParams) == before
    for ax in axes:  # yet every figure's Chinese labels are drawn with the Chinese font
        labels = [t for t in ax.get_yticklabels() if t.get_text()]
        if labels:
            assert labels[0].get_fontname() == "Noto Sans CJK SC"
        drawn_without_missing_glyphs(ax)
    plt.close("all")


def test_heatmap_colour_scale_can_start_at_zero(docs):
    sim = helpers.similarity(helpers.dtm(docs))
    ax = helpers.heatmap(sim, vmin=0, vmax=1)
    assert ax.images[0].get_clim() == (0, 1)
    low = float(np.nanmin(sim.to_numpy()))
    assert helpers.heatmap(sim).images[0].get_clim()[0] == pytest.approx(low)


def test_heatmap_note_is_drawn_below_the_labels_and_kept_when_saved(docs, tmp_path):
    from matplotlib.text import Text
    from PIL import Image

    sim = helpers.similarity(helpers.dtm(docs))
    sim.index = sim.columns = ["太仓 2019", "惠农 2018*", "天宁 2024", "镇江 2013", "椒江 2023"]
    note = "* 惠农 2018: year inferred 年份为推断"
    ax = helpers.heatmap(sim, note=note)
    fig = ax.figure
    drawn = [t for t in fig.findobj(Text) if t.get_text() == note]
    assert len(drawn) == 1
    assert drawn[0].get_fontsize() < ax.yaxis.get_ticklabels()[0].get_fontsize()
    drawn_without_missing_glyphs(ax)
    renderer = fig.canvas.get_renderer()
    box = drawn[0].get_window_extent(renderer)
    labels = ax.xaxis.get_tightbbox(renderer)
    assert box.y1 <= labels.y0  # under the rotated column labels, not over them
    assert box.x0 == pytest.approx(ax.get_window_extent(renderer).x0)  # left-aligned with the axes
    assert box.y0 < 0  # outside the default canvas ...
    path = tmp_path / "heatmap.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    saved = fig.get_tightbbox(renderer)  # in inches: what bbox_inches="tight" keeps
    assert saved.y0 * fig.dpi <= box.y0 + 1e-6  # ... yet inside the saved picture
    plain = tmp_path / "plain.png"
    helpers.heatmap(sim).figure.savefig(plain, dpi=100, bbox_inches="tight")
    taller = Image.open(path).height - Image.open(plain).height
    assert taller >= box.height * 0.8  # the picture grew by the note's line


def test_heatmap_without_a_note_adds_no_text(docs):
    from matplotlib.text import Text

    sim = helpers.similarity(helpers.dtm(docs))
    plain = helpers.heatmap(sim)
    empty = helpers.heatmap(sim, note="")
    count = [len([t for t in ax.figure.findobj(Text) if t.get_text()]) for ax in (plain, empty)]
    assert count[0] == count[1]
    assert len(empty.texts) == sim.size  # only the cells' values
    with pytest.raises(TypeError, match="note takes a string"):
        helpers.heatmap(sim, note=1)


def test_the_chinese_edition_labels_charts_in_chinese_only():
    import matplotlib.pyplot as plt
    import pandas as pd

    from helpers.plot import term_label

    try:
        helpers.setup(language="zh")
        assert term_label("行政复议") == "行政复议"
        table = pd.DataFrame({"term": ["行政复议", "执法"], "per_10k": [3.0, 2.0]})
        ax = helpers.bar_top_terms(table)
        assert [t.get_text() for t in ax.get_yticklabels()] == ["执法", "行政复议"]
        assert ax.get_xlabel() == "每万词频率"
    finally:
        helpers.setup(language="en")
    assert term_label("行政复议") == "行政复议 (administrative reconsideration)"
    plt.close("all")
