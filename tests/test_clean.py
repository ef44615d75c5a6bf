"""Cleaning the seed reports: what must go, what must stay, and the log of every change."""

from __future__ import annotations

import re
import time

import opencc
import pytest

import helpers
from helpers import clean

# Page furniture, as it stands in the raw files (read there, line by line).
# Each entry: report id -> raw lines that are web page, not report.
FURNITURE = {
    "taicang-2019": [
        "您好,歡迎光臨太倉市政府門戶!| 用戶中心",
        "智能問答|無障礙瀏覽|繁體版|English",
        "當前位置: 首頁\xa0>\xa0政府信息公開\xa0>\xa0重點政務信息\xa0>\xa0法治建設"
        "\xa0>\xa0依法治市(法治政府建設)",
        "來源:司法局發布時間:2020-02-28 09:43瀏覽量:字體:",
        "相關文件",
        "打印此頁關閉窗口",
        "彩88-欢迎您",
    ],
    "huinong-2018": [],
    "tianning-2024": ["您当前的位置:首页 > 内容"],
    "zhenjiang-2013": [
        "您当前的位置:首页\xa0>\xa0法治政府建设",
        "发布时间:2014-01-28\xa0\xa0\xa0稿件来源:\xa0\xa0\xa0【字体大小: 】\xa0\xa0\xa0浏览次数:",
        "【加入收藏】【打印此文】 【关闭】",
    ],
    "jiaojiang-2023": [
        "信息索引号: 11331002002673575G/2024-154968  主题分类:",
        " 体裁分类:  发布机构: 区政府办公室",
        " 成文日期: 2024-03-04  公开方式: 主动公开",
        "发布日期: 2024- 03- 04 16: 22 访问次数: 信息来源: 椒江区人民政府",
    ],
}
# Words of that furniture, in Simplified, that no report sentence uses: none may
# survive cleaning. (相关文件 and 关闭 also occur in report sentences, so the
# test below checks that no cleaned *line* is furniture instead.)
FURNITURE_WORDS = [
    "欢迎光临", "用户中心", "无障碍浏览", "繁体版", "当前位置", "浏览量", "浏览次数",
    "访问次数", "字体大小", "打印此页", "打印此文", "关闭窗口", "加入收藏", "彩88", "信息索引号",
    "发布时间", "发布日期", "成文日期", "公开方式",
]  # fmt: skip


@pytest.fixture(scope="module")
def cleaned(reports):
    return {row.id: helpers.clean_report(row.text) for row in reports.itertuples()}


@pytest.fixture(scope="module")
def raw(reports):
    return dict(zip(reports["id"], reports["text"], strict=True))


def test_the_furniture_list_is_taken_from_the_raw_files(raw):
    for report_id, lines in FURNITURE.items():
        raw_lines = raw[report_id].split("\n")
        for line in lines:
            assert line in raw_lines, f"{report_id}: {line!r} is not a line of the raw file"


@pytest.mark.parametrize("report_id", FURNITURE)
def test_every_furniture_line_is_removed_and_logged(report_id, cleaned):
    result = cleaned[report_id]
    removed = result.log[result.log["step"] == "furniture"]["original"].tolist()
    assert removed == FURNITURE[report_id]
    for word in FURNITURE_WORDS:
        assert word not in result.text, f"{report_id}: furniture word {word} survived"
    t2s = opencc.OpenCC("t2s")
    clean_lines = set(result.text.split("\n"))
    for line in FURNITURE[report_id]:
        assert t2s.convert(" ".join(line.split())) not in clean_lines


def test_report_parts_that_look_like_page_text_stay(cleaned):
    # Title, addressee, signature and disclosure note are the report's own.
    assert cleaned["taicang-2019"].text.startswith("太仓市人民政府关于2019年度法治政府建设")
    tianning = cleaned["tianning-2024"].text.split("\n")
    assert tianning[0] == "常州市人民政府："
    assert tianning[-3:] == ["常州市天宁区人民政府", "2025年2月21日", "（此件公开发布）"]
    assert cleaned["jiaojiang-2023"].text.startswith("椒江区2023年度法治政府建设情况的报告\n")


def test_header_statements_go_to_meta(cleaned):
    expected = {
        "index_number": "11331002002673575G/2024-154968",
        "publisher": "区政府办公室",
        "written": "2024-03-04",
        "published": "2024-03-04 16:22",
        "source": "椒江区人民政府",
        "title": "椒江区2023年度法治政府建设情况的报告",
    }
    meta = cleaned["jiaojiang-2023"].meta
    assert {key: meta.get(key) for key in expected} == expected
    assert cleaned["taicang-2019"].meta["source"] == "司法局"
    assert cleaned["taicang-2019"].meta["published"] == "2020-02-28 09:43"
    assert cleaned["zhenjiang-2013"].meta["published"] == "2014-01-28"
    assert "source" not in cleaned["zhenjiang-2013"].meta  # the page's source field is empty
    assert cleaned["tianning-2024"].meta["title"] is None  # no title line: none invented


def test_no_traditional_characters_remain(cleaned):
    t2s = opencc.OpenCC("t2s")
    for report_id, result in cleaned.items():
        assert t2s.convert(result.text) == result.text, report_id
    log = cleaned["taicang-2019"].log
    converted = log[log["kind"] == "t2s"]
    assert len(converted) > 30
    assert cleaned["taicang-2019"].meta["t2s_chars"] > 1500


def test_simplified_reports_are_not_converted(cleaned):
    for report_id in ["huinong-2018", "tianning-2024", "zhenjiang-2013", "jiaojiang-2023"]:
        assert (cleaned[report_id].log["step"] != "simplified").all()


def test_every_sentence_of_the_report_body_is_kept(raw, cleaned):
    # The furniture lines hold no 。, so the body's full stops must all survive.
    for report_id, result in cleaned.items():
        assert result.text.count("。") == raw[report_id].count("。"), report_id
        assert len(helpers.sentences(result.text)) >= raw[report_id].count("。")


def test_no_run_together_years_remain(cleaned):
    for report_id, result in cleaned.items():
        assert not re.search(r"(?<!\d)(19|20)\d{2}(19|20)\d{2}(?!\d)", result.text), report_id


def test_cleaning_is_idempotent(cleaned):
    for report_id, result in cleaned.items():
        assert helpers.clean_report(result.text).text == result.text, report_id


def test_zhenjiang_repairs_are_logged(cleaned):
    result = cleaned["zhenjiang-2013"]
    dates = result.log[result.log["step"] == "dates"]
    lost_dashes = dates[dates["original"] == "20132015"]
    assert len(lost_dashes) == 3
    assert set(lost_dashes["replacement"]) == {"2013—2015"}
    assert result.text.count("三年行动计划（2013—2015年）") == 3
    signature = dates[dates["original"] == "2014128"].iloc[0]
    assert signature["replacement"] == "2014年1月28日"
    # The strong argument: 2014-12-08 would postdate the page's publication (2014-01-28).
    assert "2014-12-08 would come after the page's publication date 2014-01-28" in signature["note"]
    assert result.text.endswith("2014年1月28日")


def test_a_date_is_settled_by_publication_first_and_by_the_header_only_when_needed():
    from helpers.clean import _settle_date

    # Published 2014-03-01: both 2014-01-28 and 2014-12-08? 12-08 is after publication.
    assert _settle_date(["2014-01-28", "2014-12-08"], ("2014-03-01",))[0] == "2014-01-28"
    # Published 2015-01-10: both readings are possible; only equality with a header date helps.
    both = ["2014-01-28", "2014-12-08"]
    assert _settle_date(both, ("2015-01-10",)) == (None, "")
    settled, why = _settle_date(both, ("2014-12-08", "2015-01-10"))
    assert settled == "2014-12-08" and "matches the page header's date" in why
    assert _settle_date(both, ()) == (None, "")


def test_ambiguous_date_without_a_header_is_flagged_not_guessed():
    result = helpers.clean_report("某县2013年工作总结\n全年审结案件12件。\n2014128")
    assert result.text.endswith("\n2014128")
    flags = result.log[result.log["kind"] == "flag"]
    assert flags["original"].tolist() == ["2014128"]
    assert "2014-01-28 or 2014-12-08" in result.meta["flags"][0]


def test_masked_years_are_flagged(cleaned):
    result = cleaned["huinong-2018"]
    flags = result.log[result.log["kind"] == "flag"]
    assert flags["original"].tolist().count("2020-2020") == 3
    assert any("masked years: all 25" in flag for flag in result.meta["flags"])
    assert "2020-2020" in result.text  # flagged, never rewritten


def test_punctuation_follows_one_convention_without_touching_numbers(cleaned):
    for report_id, result in cleaned.items():
        for mark in ",;()?!":
            assert mark not in result.text, f"{report_id}: half-width {mark!r} left"
    jiaojiang = cleaned["jiaojiang-2023"].text
    assert "实施纲要（2021—2025年）" in jiaojiang and "（2021-2025年）" in jiaojiang
    assert "10.48%" in jiaojiang and "95.92%" in cleaned["zhenjiang-2013"].text
    assert (
        helpers.normalise_punctuation("会议于09:43开始,共1,234人").text
        == "会议于09:43开始，共1,234人"
    )


def test_stray_spaces_beside_chinese_are_removed(cleaned):
    assert "申请154件，涉及全市6个区镇和13个" in cleaned["taicang-2019"].text
    assert "提出预警8项" in cleaned["jiaojiang-2023"].text
    assert not re.search(r"[\u4e00-\u9fff] | [\u4e00-\u9fff]", "".join(
        r.text for r in cleaned.values()
    ))  # fmt: skip


def test_clean_reports_adds_columns_and_keeps_the_raw_text(reports, raw):
    out, log = helpers.clean_reports(reports, log=True)
    assert list(out["text"]) == list(raw.values())
    assert "clean" in out.columns and "flags" in out.columns
    assert "text" in reports.columns and "clean" not in reports.columns  # input not modified
    assert log["id"].nunique() == 5 and log.columns[0] == "id"
    assert set(log["step"]) == {"furniture", "simplified", "normalise", "dates"}
    for report_id, text in raw.items():  # the corpus log is each report's own log
        own = helpers.clean_report(text).log
        assert log[log["id"] == report_id].drop(columns="id").reset_index(drop=True).equals(own)
    assert helpers.clean_reports(reports).equals(out)  # log=True changes nothing else


SYNTHETIC_PAGE = """\
网站首页 | 政务公开 | 办事服务 | 互动交流
您所在位置：首页 > 政务公开 > 法治政府建设
某某县2022年法治政府建设情况报告
某某县2022年法治政府建设情况报告
来源：县司法局  发布时间：2023-03-15  点击数：1024
【字号：大 中 小】【打印】【关闭】
2022年,某某县深入推进依法行政,全年办理行政复议案件１２件。
一、主要举措
(一)加强组织领导。县政府常务会议专题研究法治政府建设4次。
二、存在的问题
法治宣传教育仍需加强。
某某县人民政府
2023年3月10日
分享到：微信 微博
上一篇：关于印发某某方案的通知
下一篇：某某县2021年法治政府建设情况报告
"""


def test_a_synthetic_page_with_another_layout_is_cleaned():
    # Written for this test: a made-up county report wrapped in furniture of a
    # layout none of the seeds has (toolbar, 点击数, 字号 control, share and
    # previous/next links, a title the template repeats).
    result = helpers.clean_report(SYNTHETIC_PAGE)
    assert result.text == (
        "某某县2022年法治政府建设情况报告\n"
        "2022年，某某县深入推进依法行政，全年办理行政复议案件12件。\n"
        "一、主要举措\n"
        "（一）加强组织领导。县政府常务会议专题研究法治政府建设4次。\n"
        "二、存在的问题\n"
        "法治宣传教育仍需加强。\n"
        "某某县人民政府\n"
        "2023年3月10日"
    )
    assert result.meta["source"] == "县司法局"
    assert result.meta["published"] == "2023-03-15"
    assert result.meta["views"] == "1024"
    kinds = result.log[result.log["step"] == "furniture"]["kind"].tolist()
    assert kinds == ["navigation", "navigation", "repeated title", "metadata", "controls",
                     "controls", "links", "links"]  # fmt: skip


def test_a_heading_with_a_label_word_is_not_mistaken_for_metadata():
    text = "某县报告\n（三）资金来源：县财政预算安排\n全年投入资金100万元。"
    assert helpers.clean_report(text).text == text.replace("：", "：")


def test_sentences_keep_quotes_and_brackets_balanced():
    text = "他说：“依法行政。公开透明！”会议通过（详见附件。）。\n一、标题"
    assert helpers.sentences(text) == [
        "他说：“依法行政。公开透明！”会议通过（详见附件。）。",
        "一、标题",
    ]
    # A stray, unbalanced quote (the Taicang report has two) does not glue a paragraph together.
    assert helpers.sentences("推出“开办套餐。共8个。") == ["推出“开办套餐。", "共8个。"]


def test_sections_outline_of_a_seed(cleaned):
    outline = helpers.sections(cleaned["jiaojiang-2023"].text)
    top = outline[outline["level"] == 1]
    assert top["number"].tolist() == ["一", "二", "三", "四"]
    assert top["heading"].iloc[1] == "2023年推进法治政府建设存在的不足和原因"
    second = outline[outline["path"] == "一 > （五）"].iloc[0]
    assert second["heading"] == "有效化解社会矛盾纠纷，切实维护群众合法权益"
    assert "行政复议" in second["text"]
    # The first section's text contains its sub-sections.
    assert second["text"] in outline.iloc[1]["text"]


def test_no_report_text_is_lost_in_the_outline(cleaned):
    # Every character of the cleaned report is in the outline: in a heading
    # (behind its number) or in the text of the level-0 and level-1 rows.
    for report_id, result in cleaned.items():
        outline = helpers.sections(result.text)
        top = outline[outline["level"] <= 1]
        rebuilt = "".join(top["heading"]) + "".join(top["text"]) + "".join(outline["number"])
        han = sorted(re.findall(r"[\u4e00-\u9fff\d]", result.text))
        assert sorted(re.findall(r"[\u4e00-\u9fff\d]", rebuilt)) == han, report_id


def test_brackets_stay_paired_after_cleaning(cleaned):
    for report_id, result in cleaned.items():
        for line in result.text.split("\n"):
            assert line.count("（") == line.count("）"), f"{report_id}: {line[:40]}"
    example = helpers.normalise_punctuation("实施率达3.5%(2019-2020年)").text
    assert example == "实施率达3.5%（2019-2020年）"


def test_a_reversed_quote_pair_does_not_glue_sentences(cleaned):
    # Huinong writes 法律”八进“活动: the marks balance in number but not in order.
    for report_id, result in cleaned.items():
        for sentence in helpers.sentences(result.text):
            assert sentence.count("。") <= 2, f"{report_id}: {sentence[:40]}"


def test_numbers_in_a_sentence_are_not_headings():
    outline = helpers.sections("一、二审行政诉讼案件共12件。\n三、四季度召开会议。")
    assert outline["level"].tolist() == [0]


@pytest.mark.parametrize(
    "text",
    [
        "项目编号220132015，依据《三年行动计划（20132015年）》实施。",
        "网站备案：浙ICP备20132016号",
        "联系电话：021-20192024",
        "20230105",
    ],
)
def test_numbers_that_only_look_like_dates_are_not_rewritten(text):
    result = helpers.repair_dates(text)
    repaired = [c for c in result.changes if c["kind"] == "repair"]
    if "年）" in text:
        assert result.text.startswith("项目编号220132015，")  # the code is untouched
        assert "（2013—2015年）" in result.text  # the range is repaired
        assert len(repaired) == 1
    else:
        assert result.text == text and not repaired


@pytest.mark.parametrize(
    "text",
    [
        "英文名为Law-based Government (LBG),简称LBG。",
        "某县 2022年报告\n某县2022年报告\n正文，第一段。",
        "(2019) 召开全县会议。",
        "会议于０９：４３召开，完成率９５．９２％。",
        "the “Internet Plus” initiative，即互联网+。",
        "A::B);C，测试。",
    ],
)
def test_cleaning_twice_changes_nothing_on_tricky_lines(text):
    once = helpers.clean_report(text).text
    assert helpers.clean_report(once).text == once


def test_clean_reports_checks_its_table_like_every_corpus_function(reports):
    broken = reports[["id", "text"]].copy()
    broken.loc[1, "text"] = None
    with pytest.raises(TypeError, match="not text"):
        helpers.clean_reports(broken)
    doubled = reports[["id", "text"]].copy()
    doubled.loc[1, "id"] = doubled.loc[0, "id"]
    with pytest.raises(ValueError, match="share the id"):
        helpers.clean_reports(doubled)


def test_write_manifest_of_a_cleaned_table_leaves_out_the_cleaning(reports, tmp_path):
    written = helpers.write_manifest(helpers.clean_reports(reports), tmp_path / "manifest.csv")
    header = written.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "clean" not in header and "flags" not in header and "text" not in header


def test_the_log_points_at_the_raw_files_lines(reports, raw):
    _, log = helpers.clean_reports(reports, log=True)
    lines = {report_id: text.split("\n") for report_id, text in raw.items()}
    furniture = log[log["step"] == "furniture"]
    assert len(furniture) > 10
    for row in furniture.itertuples():  # a removed line is the raw file's line, as it was
        assert lines[row.id][row.raw_line - 1] == row.original
    # Read in the raw file (notebook 01): Zhenjiang's signature date is its line 129, the
    # first lost dash its line 11; after the furniture went, they are lines 62 and 5.
    dates = log[(log["id"] == "zhenjiang-2013") & (log["step"] == "dates")]
    signature = dates[dates["original"] == "2014128"].iloc[0]
    assert (signature["line"], signature["raw_line"]) == (62, 129)
    assert lines["zhenjiang-2013"][128].strip() == "2014128"
    assert (dates.iloc[0]["line"], dates.iloc[0]["raw_line"]) == (5, 11)
    assert "20132015" in lines["zhenjiang-2013"][10]
    # A change that concerns the whole text has no line.
    masked = log[(log["id"] == "huinong-2018") & log["line"].isna()]
    assert len(masked) == 1 and masked["raw_line"].isna().all()


# --------------------------------------------------------------------------
# Speed: no furniture rule may backtrack without end on a hostile line
# --------------------------------------------------------------------------

LINE_BOUND = 0.5  # seconds for one search on a line of up to MAX_LINE characters; linear is ~1 ms
MAX_LINE = 10_000
# What hostile lines are made of besides each rule's own words: runs of full-width spaces,
# spaces, digits, separators and the pieces the rules' optional parts are made of.
HOSTILE_UNITS = [
    "\u3000", " ", "1", ":", "|", "【", "(", "-", "2023-1-1 ", "第1", "地址:", "首页 ab ",
    "访问量 ",
]  # fmt: skip


def _rule_words(pattern: str) -> list[str]:
    """The literal words of a furniture pattern: runs of Chinese characters or of letters."""
    return sorted(set(re.findall(r"[\u4e00-\u9fff]{2,}|[\u4e00-\u9fff]|[A-Za-z]{2,}", pattern)))


def _slowest_search(pattern: re.Pattern, unit: str) -> float:
    """The longest search on ``unit`` repeated and then spoilt by "x", at growing lengths.

    The length grows by a quarter at a time, so a pattern that backtracks exponentially
    (each repetition doubling the time) fails the bound after seconds, not hours.
    """
    slowest, repeats = 0.0, 1
    while len(unit) * repeats <= MAX_LINE and slowest <= LINE_BOUND:
        line = unit * repeats + "x"
        start = time.perf_counter()
        pattern.search(line)
        slowest = max(slowest, time.perf_counter() - start)
        repeats = max(repeats + 1, int(repeats * 1.25))
    return slowest


@pytest.mark.parametrize("number", range(len(clean._line_rules())))
def test_every_furniture_rule_is_fast_on_hostile_lines(number):
    rule = clean._line_rules()[number]
    words = _rule_words(rule.pattern.pattern)
    units = HOSTILE_UNITS + [word + sep for word in words for sep in ("", " ", ":")]
    for unit in units:
        took = _slowest_search(rule.pattern, unit)
        assert took <= LINE_BOUND, f"{rule.kind} rule {number}: {took:.2f} s on {unit!r} repeated"


def test_a_long_line_of_font_size_controls_is_cleaned_at_once():
    # 26 × 字体大小 and one other character took about a minute before the rules were fixed.
    line = "字体大小" * 26 + "x"
    start = time.perf_counter()
    result = helpers.clean_report(f"某县报告\n{line}\n正文。", cache=False)
    assert result.text.count("字体大小") == 26
    assert time.perf_counter() - start < 2
