"""Page furniture: the rules file, made-up pages of other sites' layouts, and the seeds unchanged.

The rules are data (helpers/data/furniture.csv). The test pages in
tests/data/furniture_pages/ are made up: each .txt is a page, each .expected says
what every line of it is, report text ("body") or furniture of a given kind.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from support import ROOT

import helpers
from helpers import clean

PAGES = ROOT / "tests" / "data" / "furniture_pages"
PAGE_NAMES = sorted(path.stem for path in PAGES.glob("*.txt"))
SEED_REMOVED = ROOT / "tests" / "data" / "seed_furniture_removed.csv"
WORD_LISTS = {"{control}", "{label}"}
PLACES = {"page", "margin", "head"}


def read_page(name: str) -> tuple[str, list[tuple[str, str]]]:
    """A test page's text (without its "made up" comment) and its (label, line) pairs."""
    lines = (PAGES / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("# Made up for tests"), f"{name}.txt must say it is made up"
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    expected = (PAGES / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert expected[0].startswith("# Made up for tests"), f"{name}.expected must say so too"
    pairs = [tuple(row.split("\t")) for row in expected if not row.startswith("#")]
    return "\n".join(lines), pairs


# --------------------------------------------------------------------------
# The rules file
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules() -> pd.DataFrame:
    return clean.furniture_rules()


def test_the_rules_file_says_where_it_comes_from_and_its_licence():
    header = [
        line for line in clean.FURNITURE_FILE.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]  # fmt: skip
    text = " ".join(header)
    assert "written for this project" in text.lower() and "seed" in text
    assert "tests/data/furniture_pages" in text and "CC BY 4.0" in text


def test_furniture_rules_is_a_table_the_notebook_can_show():
    rules = clean.furniture_rules()
    assert "furniture_rules" in clean.__all__
    assert list(rules.columns) == ["kind", "where", "field", "max_chars", "pattern", "why"]
    assert len(rules) > 40 and rules["max_chars"].dtype == "Int64"
    rules.loc[0, "why"] = "edited"  # a table of its own: editing it changes no rule
    assert clean.furniture_rules().loc[0, "why"] != "edited"


def test_every_rule_has_a_kind_a_place_and_a_why(rules):
    assert set(rules["where"]) <= PLACES | WORD_LISTS
    assert (rules["kind"].str.len() > 0).all()
    for rule in rules.itertuples():
        assert len(rule.why) > 20 and rule.why.endswith("."), f"{rule.pattern}: no why"
        assert rule.why[0].isupper(), f"{rule.why}: a sentence"
    line_rules = rules[rules["where"].isin(PLACES)]
    assert set(line_rules["kind"]) == {
        "controls", "metadata", "counter", "links", "navigation", "page date", "section label",
        "footer", "spam",
    }  # fmt: skip
    assert (line_rules["max_chars"].dropna() > 0).all()


def test_every_pattern_compiles_and_every_word_list_it_names_exists(rules):
    for rule in rules.itertuples():
        named = set(re.findall(r"\{[a-z_]+\}", rule.pattern))
        assert named <= WORD_LISTS, f"{rule.pattern}: unknown word list {named - WORD_LISTS}"
        if rule.where in WORD_LISTS:
            assert not named, "a word list cannot use another"
            re.compile(rule.pattern)
        else:
            re.compile(clean._expand(rule.pattern))
        assert not re.search("[：，（）；？！]", rule.pattern), "a rule sees : , ( ) half-width"


def test_every_label_has_one_field_and_labels_do_not_overlap(rules):
    labels = rules[rules["where"] == "{label}"]
    fields = [field for field in labels["field"] if field]
    assert len(fields) == len(set(fields)), "one row per meta field"
    for row in labels.itertuples():
        for label in row.pattern.split("|"):
            label = re.sub(r"\(\?<!\[[^\]]*\]\)", "", label)  # no "not after a Chinese character"
            assert re.fullmatch("[\u4e00-\u9fff]{2,5}", label), label
            assert clean._label_field(label) == row.field, f"{label} is in two rows"


def test_the_rules_are_part_of_the_cache_key(monkeypatch):
    version = clean.rules_version.__wrapped__()
    edited = clean._furniture_text() + "navigation,margin,,,^test$,A test rule.\n"
    monkeypatch.setattr(clean, "_furniture_text", lambda: edited)
    assert clean.rules_version.__wrapped__() != version


# --------------------------------------------------------------------------
# The made-up pages: every body line stays, every furniture line goes, with its kind
# --------------------------------------------------------------------------


def test_there_are_enough_varied_pages():
    assert len(PAGE_NAMES) >= 8
    kinds = {label for name in PAGE_NAMES for label, _ in read_page(name)[1]}
    assert kinds >= {
        "body", "navigation", "metadata", "controls", "links", "footer", "spam", "counter",
        "page date", "section label", "repeated title",
    }  # fmt: skip


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_the_expected_file_lists_the_pages_lines(name):
    text, pairs = read_page(name)
    assert [line for _, line in pairs] == [line for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_body_line_stays_and_every_furniture_line_goes(name):
    text, pairs = read_page(name)
    step = helpers.remove_furniture(text)
    body = [line for label, line in pairs if label == "body"]
    assert [line for line in step.text.split("\n") if line.strip()] == body
    furniture = [(label, line) for label, line in pairs if label != "body"]
    assert [(change["kind"], change["original"]) for change in step.changes] == furniture


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_page_cleans_once_and_for_all(name):
    text, _ = read_page(name)
    result = helpers.clean_report(text, cache=False)
    assert helpers.clean_report(result.text, cache=False).text == result.text


def test_what_the_made_up_headers_state_goes_to_meta():
    meta = helpers.remove_furniture(read_page("catalogue_traditional")[0]).meta
    assert meta == {
        "index_number": "11440000/2023-01234",
        "category": "法治政府建设",
        "publisher": "某某市司法局",
        "document_number": "无",
        "source": "某某市司法局",
        "published": "2023-03-28",
        "views": "1024",
    }
    meta = helpers.remove_furniture(read_page("town_counters_share")[0]).meta
    assert meta == {"author": "镇党政办", "source": "某某镇", "published": "2023-01-10"}


# --------------------------------------------------------------------------
# Lines that look like furniture but are the report's own
# --------------------------------------------------------------------------

BODY = "全年办理行政复议案件12件，审结10件。"
LABEL_LIKE = [
    "工作目标：提升效能。责任单位：区司法局。",  # two label: fields, with full stops
    "工作目标：提升效能 责任单位：区司法局",
    "资金来源：区财政 完成时间：2023年底",  # 来源 and 时间 end longer words
    "责任单位：区司法局 完成日期：2023年12月 资金来源：区财政",
    "1.资金来源：区财政；完成时间：2023年底",
]


@pytest.mark.parametrize("line", LABEL_LIKE)
@pytest.mark.parametrize("where", ["body", "foot"])
def test_a_report_line_with_label_fields_is_kept(line, where):
    text = f"某县报告\n{BODY}\n{line}\n{BODY}" if where == "body" else f"某县报告\n{BODY}\n{line}"
    step = helpers.remove_furniture(text)
    assert step.text == text and step.changes == [] and step.meta == {}


def test_one_label_is_a_metadata_line_only_in_the_margins():
    line = "时间：2023年11月 地点：区文化中心"  # 地点 is no header label
    within = f"某县报告\n{BODY}\n{line}\n{BODY}"
    assert helpers.remove_furniture(within).changes == []
    after = helpers.remove_furniture(f"某县报告\n{BODY}\n{line}")
    assert [change["kind"] for change in after.changes] == ["metadata"]


def test_a_metadata_bar_between_paragraphs_still_goes():
    text = f"某县报告\n{BODY}\n发布时间：2023-03-15 浏览次数：12\n{BODY}"
    step = helpers.remove_furniture(text)
    assert [change["kind"] for change in step.changes] == ["metadata"]
    assert step.meta == {"published": "2023-03-15", "views": "12"}


@pytest.mark.parametrize(
    "heading",
    [
        "（三）推进无障碍环境建设",  # 无障碍: the site's accessibility link
        "（二）压实承办单位责任",  # 承办单位: the footer's "run by"
        "（四）严厉打击赌场和棋牌室违法经营",  # 赌场, 棋牌: spam words
        "（一）找准所在位置 明确发展目标",  # 所在位置: a breadcrumb's "you are here"
        "一、政务公开",  # a section name, numbered
        "附件",  # heads the report's own attachments
        "2023年3月10日",  # a date without a weekday
        "某某县人民政府",
        "（此件公开发布）",
    ],
)
def test_a_heading_in_the_margins_that_shares_words_with_furniture_stays(heading):
    for text in (f"某县报告\n{heading}\n{BODY}", f"某县报告\n{BODY}\n{heading}"):
        assert helpers.remove_furniture(text).changes == [], text


def test_a_section_name_stands_for_a_section_only_above_the_report():
    above = helpers.remove_furniture(f"政务公开\n某县报告\n{BODY}")
    within = f"某县报告\n{BODY}\n政务公开\n{BODY}"
    assert [change["kind"] for change in above.changes] == ["section label"]
    assert helpers.remove_furniture(within).changes == []


# --------------------------------------------------------------------------
# The seeds: exactly the lines removed before the rules became data
# --------------------------------------------------------------------------


def seed_removed() -> list[dict]:
    with open(SEED_REMOVED, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_the_seeds_lose_exactly_the_lines_they_lost_before(reports):
    before = seed_removed()
    assert {row["id"] for row in before} < set(reports["id"])
    now = []
    for row in reports.itertuples():
        step = helpers.remove_furniture(row.text)
        now += [
            {"id": row.id, "line": str(c["line"]), "kind": c["kind"], "original": c["original"],
             "note": c["note"]}
            for c in step.changes
        ]  # fmt: skip
        raw = row.text.split("\n")
        assert all(raw[int(c["line"]) - 1] == c["original"] for c in step.changes)
    assert now == before


def test_the_seeds_clean_log_points_at_the_same_raw_lines(reports):
    _, log = helpers.clean_reports(reports, log=True)
    furniture = log[log["step"] == "furniture"]
    found = [(row.id, str(row.raw_line), row.kind) for row in furniture.itertuples()]
    assert found == [(row["id"], row["line"], row["kind"]) for row in seed_removed()]
