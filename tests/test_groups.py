"""Group comparisons: rates by hand, keyness by construction, the panel's sentences."""

from __future__ import annotations

import pandas as pd
import pytest

import helpers
from helpers import groups


@pytest.fixture(scope="module")
def table(clean_table):
    return clean_table


def test_periods_follow_the_outlines():
    assert [groups.period(y) for y in (2014, 2015, 2020, 2021, 2025, 2026)] == [
        "before 2015", "2015–2020 Outline", "2015–2020 Outline", "2021–2025 Outline",
        "2021–2025 Outline", "after 2025",
    ]  # fmt: skip


def test_group_labels_from_a_column_period_or_mapping_and_unknown_is_kept(table):
    by_province = groups.group_labels(table, "province")
    assert by_province.to_dict()["jiaojiang-2023"] == "浙江省"
    periods = groups.group_labels(table, "period")
    assert periods["zhenjiang-2013"] == "before 2015"
    assert periods["tianning-2024"] == "2021–2025 Outline"
    mapping = groups.group_labels(table, {"taicang-2019": "A"})
    assert mapping["taicang-2019"] == "A" and (mapping.drop("taicang-2019") == "(unknown)").all()
    with pytest.raises(ValueError, match="is not a column"):
        groups.group_labels(table, "provinec")


def test_mean_and_pooled_rates_by_hand():
    # Worked by hand: a has 10 words, 1 of them 行政复议 (1,000 per 10k); b has 1 word,
    # 行政复议 (10,000 per 10k). Mean = 5,500; pooled = 2 / 11 words = 1,818.18.
    docs = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["依法行政。" * 9 + "行政复议。", "行政复议。", "依法行政。"],
            "level": ["district", "district", "county"],
        }
    )
    rates = groups.group_rates(docs, "level").set_index(["group", "term"])
    row = rates.loc[("district", "行政复议")]
    assert (row["reports"], row["using"]) == (2, 2)
    assert (row["mean_per_10k"], row["pooled_per_10k"]) == (5500.0, 1818.18)
    county = rates.loc[("county", "依法行政")]
    assert (county["mean_per_10k"], county["pooled_per_10k"]) == (10_000.0, 10_000.0)
    assert ("county", "行政复议") in rates.index  # a term the group never uses: rate 0
    assert rates.loc[("county", "行政复议"), "mean_per_10k"] == 0


def test_group_themes_are_the_mean_of_the_reports_profiles(table):
    themes = groups.group_themes(table, "province").set_index(["group", "theme"])
    profile = helpers.theme_profile(table)  # each report's rates, rounded to 0.1
    members = table.loc[table["province"] == "江苏省", "id"]
    for theme in profile.columns:
        expected = profile.loc[members, theme].mean()
        # Each report's rate is rounded to 0.1 (error <= 0.05, so their mean's too), and so
        # is the group's mean: the two differ by at most 0.05 + 0.05.
        assert themes.loc[("江苏省", theme), "mean_per_10k"] == pytest.approx(expected, abs=0.1)


def test_group_keyness_is_keyness_of_the_groups_texts(table):
    found = groups.group_keyness(table, "province")
    zhejiang = found[found["group"] == "浙江省"].drop(columns=["group", "against"])
    inside = table[table["province"] == "浙江省"]
    rest = table[table["province"] != "浙江省"]
    pd.testing.assert_frame_equal(zhejiang.reset_index(drop=True), helpers.keyness(inside, rest))
    against = groups.group_keyness(table, "province", against="江苏省")
    assert set(against["group"]) == {"浙江省", "宁夏回族自治区"}
    with pytest.raises(ValueError, match="is not a group"):
        groups.group_keyness(table, "province", against="广东省")


def test_the_panel_keeps_every_figures_sentence(table):
    panel = groups.indicator_panel(table, rows="region", columns="report_year")
    figures = helpers.extract_indicators(table).drop_duplicates(["id", "indicator"])
    assert len(panel) == len(figures)
    for row in panel.itertuples():
        assert row.text in row.sentence
        assert row.sentence in table.set_index("id").loc[row.id, "clean"]
    received = panel[panel["indicator"] == "reconsideration_received"]
    taicang = received[received["region"] == "太仓市"]
    assert taicang["value"].tolist() == [154.0] and taicang["report_year"].tolist() == [2019]


def test_one_government_over_time():
    reports = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "region": ["甲县", "甲县", "乙县", "甲县"],
            "report_year": [2021, 2019, 2020, 2021],
        }
    )
    found = groups.over_time(reports)
    assert found["id"].tolist() == ["b", "a", "d"]  # 甲县: 2019, 2021 (two reports)
    assert groups.over_time(reports[reports["region"] == "乙县"]).empty
