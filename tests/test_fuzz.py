"""Property tests: cleaning and number parsing on any text, including hostile text.

Hypothesis generates the inputs. The profile below writes nothing to disk (no
``.hypothesis/`` folder), derives its examples from the test's name (the same
examples on every run) and keeps the number of examples small, so this file runs
in well under a minute. Cleaning runs with ``cache=False`` and figures are read
with ``helpers.indicators._figures``, so no test writes to the cache folder.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

import helpers
from helpers import indicators

# Hypothesis caches Unicode tables and constants even without a database: not in the repo.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "fazhi-hypothesis")
FUZZ = settings(
    database=None,
    derandomize=True,
    deadline=None,  # timing is tested on purpose below, not by hypothesis
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)


def clean(text: str) -> str:
    return helpers.clean_report(text, cache=False).text


# --------------------------------------------------------------------------
# Texts: arbitrary Unicode, and text built like a report
# --------------------------------------------------------------------------

# Any character but surrogates (a str with a lone surrogate cannot be written to a file).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
# What makes cleaning work: controls, NUL, bidi marks, odd spaces, half- and full-width marks.
TRICKY = [
    *"\x00\t\r\x0b\x0c\x1c\x85\u2028\u200b\u200e\u200f\u202a\u202e\u2066\ufeff",
    *"\u00a0\u2003\u3000 ,:;?!()（）。，：；、“”《》【】|>0123456789",
    *["&nbsp;", "\n", "\n\n"],
]
PIECE = st.one_of(st.text(ANY_CHAR, max_size=8), st.sampled_from(TRICKY))
ANY_TEXT = st.lists(PIECE, max_size=40)

WORDS = [
    "全年", "收到", "行政复议", "申请", "办结", "案件", "依法", "行政", "法治政府", "建设",
    "规范性文件", "备案审查", "出庭应诉", "败诉率", "我区", "审结", "负责人", "制度", "PM2.5",
    "LBG", "2023年", "154件", "1,234", "09:43", "95.92%", "十二件", "两百人", "三成",
]  # fmt: skip
GLUE = [
    "", "", "", " ", "\t", "\u00a0", "\u3000", ",", "，", ":", ";", "、", "(", ")", "（", "）",
    "“", "”", "!", "?",
]  # fmt: skip


@st.composite
def report_sentence(draw) -> str:
    """A sentence of report words, glued by spaces and marks of every width, ending in 。"""
    parts = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)), min_size=1))
    return "".join(word + glue for word, glue in parts) + "。"


@st.composite
def report_text(draw) -> str:
    """Paragraphs of report sentences; no line without 。, so no line can be page furniture."""
    paragraphs = draw(
        st.lists(st.lists(report_sentence(), min_size=1, max_size=4), min_size=1, max_size=6)
    )
    indent = draw(st.sampled_from(["", " ", "\u3000\u3000", "\t"]))
    return "\n".join(indent + "".join(sentences) for sentences in paragraphs)


# --------------------------------------------------------------------------
# Cleaning never fails, never changes its own output, never loses a full stop
# --------------------------------------------------------------------------


@FUZZ
@given(ANY_TEXT)
def test_cleaning_any_text_never_raises_and_cleans_once(pieces):
    text = "".join(pieces)
    once = clean(text)
    assert isinstance(once, str)
    assert clean(once) == once


@FUZZ
@given(ANY_TEXT)
def test_cleaning_never_loses_a_full_stop(pieces):
    # A line with 。 is never furniture, and no other step removes one (OpenCC may turn a
    # rare form into 。, so the count can only grow).
    text = "".join(pieces)
    assert clean(text).count("。") >= text.count("。")


@FUZZ
@given(report_text())
def test_a_report_cleans_once_and_keeps_every_full_stop(text):
    once = clean(text)
    assert clean(once) == once
    assert once.count("。") == text.count("。")


@pytest.mark.parametrize(
    "text",
    [
        "来\u3000(",  # a mark beside an odd space beside Chinese: was '来(' then '来（'
        "来\t(一)\u00a0,办结",
        "a , 法",
        "法" + "(" * 30 + "a" + ")" * 30,  # was converted five levels per cleaning
        "法" + ",,,,,,,,,,,,a",
        "1\u3000,2法法法法法法",
    ],
)
def test_cleaning_hand_picked_lines_twice_changes_nothing(text):
    once = clean(text)
    assert clean(once) == once


# --------------------------------------------------------------------------
# Cleaning stays linear on hostile text
# --------------------------------------------------------------------------

MEGABYTE = 1_000_000
CLEAN_BOUND = 5.0  # seconds for 1 MB; linear cleaning takes one to two


def megabyte_of(unit: str) -> str:
    return unit * (MEGABYTE // len(unit.encode("utf-8")))


@pytest.mark.parametrize(
    "text",
    [
        megabyte_of("（"),
        megabyte_of("("),
        megabyte_of("7"),
        megabyte_of("法,"),
        megabyte_of("\u3000"),
        megabyte_of("字体大小"),
        "法" + "(" * 100_000 + ")" * 100_000,
        megabyte_of("字体大小\n"),
    ],
    ids=["full-width-brackets", "brackets", "digits", "commas", "ideographic-spaces",
         "controls-one-line", "nested-brackets", "controls-lines"],
)  # fmt: skip
def test_cleaning_a_megabyte_of_hostile_text_takes_seconds(text):
    start = time.perf_counter()
    clean(text)
    assert time.perf_counter() - start < CLEAN_BOUND


# --------------------------------------------------------------------------
# Chinese numerals: an independent renderer is the oracle
# --------------------------------------------------------------------------

DIGITS = "零一二三四五六七八九"


def render_group(n: int) -> str:
    """0 < n < 10,000 in Chinese numerals, with 零 for a gap: 1005 -> 一千零五."""
    out, gap = [], False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append(DIGITS[digit] + unit)
    return "".join(out)


def render(n: int) -> str:
    """0 <= n < 10^12 in standard Chinese numerals: 12,340,000 -> 一千二百三十四万."""
    if n == 0:
        return "零"
    out = []
    groups = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    for value, unit in groups:
        if value == 0:
            continue
        if out and value < 1000:
            out.append("零")  # a gap before this group: 一万零五, 一亿零五十万
        out.append(render_group(value) + unit)
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text  # 十二, 十万, 十亿


def test_the_renderer_writes_what_a_reader_expects():
    assert [render(n) for n in (0, 10, 12, 105, 1005, 1050, 10_010)] == [
        "零", "十", "十二", "一百零五", "一千零五", "一千零五十", "一万零一十",
    ]  # fmt: skip
    assert render(12_340_000) == "一千二百三十四万"
    assert render(100_050_000) == "一亿零五万" and render(10**9) == "十亿"


def variants(text: str) -> list[str]:
    """The same numeral as reports also write it: 两 for 二 before a unit, 〇 for 零."""
    two = "".join(
        "两" if ch == "二" and text[i + 1 : i + 2] in ("百", "千", "万", "亿") else ch
        for i, ch in enumerate(text)
    )
    return [text, two, text.replace("零", "〇")]


@FUZZ
@given(st.integers(min_value=0, max_value=10**9))
def test_every_chinese_numeral_parses_to_its_number(n):
    for text in variants(render(n)):
        assert indicators.parse_number(text) == n, text


@FUZZ
@given(st.integers(min_value=2, max_value=10**8 - 1))
def test_a_figure_written_in_chinese_numerals_is_read(n):
    # Below 亿: in a figure, 亿 is part of the unit 亿元, not of the numeral.
    written = render(n)
    sentence = f"全年收到行政复议申请{written}件。"
    figures = indicators._figures(sentence)
    if len(written) > indicators.MAX_NUMERAL_CHARS:
        assert figures == []
    else:
        assert [(row["value"], row["text"]) for row in figures] == [(n, written)]


@FUZZ
@given(st.text(st.sampled_from("〇零一二两三四五六七八九十百千万余多件人%成"), max_size=30))
def test_any_run_of_numerals_is_a_figure_or_nothing(run):
    # Never an exception, never an absurd value: a malformed numeral is no figure.
    for row in indicators._figures(f"全年收到行政复议申请{run}件。"):
        assert 0 <= row["value"] <= indicators.MAX_VALUE
