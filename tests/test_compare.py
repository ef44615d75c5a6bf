"""Comparison across reports, and the figures the reports state."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2
from sklearn.feature_extraction.text import TfidfTransformer

import helpers


@pytest.fixture(scope="module")
def matrix(docs):
    return helpers.dtm(docs, officialese=True)


def test_dtm_counts_are_the_segment_counts(docs, matrix):
    assert list(matrix.index) == list(docs)
    for report_id, text in docs.items():
        counts = Counter(helpers.segment(text, officialese=True))
        row = matrix.loc[report_id]
        assert int(row.sum()) == sum(counts.values())
        for term, n in counts.most_common(20):
            assert row[term] == n


def test_dtm_refuses_document_frequencies_that_make_no_sense(docs):
    for wrong in (2.5, -1):
        with pytest.raises(ValueError, match=r"min_df must be an int in the range \[1, inf\)"):
            helpers.dtm(docs, min_df=wrong)
    for wrong in (True, "2"):
        with pytest.raises(TypeError, match=r"min_df must be an int in the range \[1, inf\)"):
            helpers.dtm(docs, min_df=wrong)
    with pytest.raises(ValueError, match=r"max_df must be .* or a float in the range \[0.0, 1.0\]"):
        helpers.dtm(docs, max_df=-1)
    with pytest.raises(ValueError, match="no term can pass"):
        helpers.dtm(docs, min_df=4, max_df=2)
    with pytest.raises(ValueError, match="no term occurs in at least 2 and at most 2 of the 2"):
        helpers.dtm({"a": "行政复议。", "b": "行政诉讼。"}, min_df=2)


def test_dtm_document_frequency_trimming(docs):
    everywhere = helpers.dtm(docs, min_df=5)
    assert ((everywhere > 0).sum() == 5).all()
    rare = helpers.dtm(docs, max_df=1)
    assert ((rare > 0).sum() == 1).all()
    assert set(helpers.dtm(docs, min_df=0.8).columns) == set(everywhere.columns) | set(
        helpers.dtm(docs, min_df=4, max_df=4).columns
    )


def test_tfidf_matches_scikit_learn(matrix):
    ours = helpers.tfidf(matrix).to_numpy()
    theirs = TfidfTransformer().fit_transform(matrix.to_numpy()).toarray()
    assert np.abs(ours - theirs).max() < 1e-9
    raw_ours = helpers.tfidf(matrix, smooth_idf=False, norm=None).to_numpy()
    raw_theirs = TfidfTransformer(smooth_idf=False, norm=None).fit_transform(matrix.to_numpy())
    assert np.abs(raw_ours - raw_theirs.toarray()).max() < 1e-9


@pytest.mark.parametrize("weighting", ["counts", "tfidf"])
def test_similarity_is_symmetric_with_unit_diagonal(matrix, weighting):
    values = matrix if weighting == "counts" else helpers.tfidf(matrix)
    sim = helpers.similarity(values)
    assert (sim.to_numpy() == sim.to_numpy().T).all()
    assert (np.diag(sim.to_numpy()) == 1.0).all()
    assert ((sim.to_numpy() >= 0) & (sim.to_numpy() <= 1)).all()
    a, b = values.iloc[0].to_numpy(float), values.iloc[1].to_numpy(float)
    expected = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert sim.iloc[0, 1] == pytest.approx(expected, abs=1e-12)


def test_keyness_of_one_report_against_the_rest_by_hand(docs):
    target = docs["zhenjiang-2013"]
    rest = [text for report_id, text in docs.items() if report_id != "zhenjiang-2013"]
    table = helpers.keyness(target, rest).set_index("term")
    a = Counter(helpers.segment(target))["行政指导"]
    b = sum(Counter(helpers.segment(t))["行政指导"] for t in rest)
    size_t = len(helpers.segment(target))
    size_r = sum(len(helpers.segment(t)) for t in rest)
    observed = [a, size_t - a, b, size_r - b]
    n = sum(observed)
    expected = [
        (a + b) * size_t / n,
        (n - a - b) * size_t / n,
        (a + b) * size_r / n,
        (n - a - b) * size_r / n,
    ]
    g2 = 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected, strict=True) if o)
    row = table.loc["行政指导"]
    assert (row["target"], row["reference"]) == (a, b)
    assert row["g2"] == pytest.approx(g2, abs=1e-3)
    assert row["p_value"] == pytest.approx(chi2.sf(row["g2"], 1), rel=1e-6)
    assert row["log_ratio"] == pytest.approx(
        math.log2((a / size_t) / (max(b, 0.5) / size_r)), abs=1e-3
    )
    assert row["use"] == "over"
    assert table["g2"].is_monotonic_decreasing


def test_theme_profile_counts_theme_terms_per_10k(docs):
    profile = helpers.theme_profile(docs, officialese=True)
    themes = helpers.load_themes()
    assert list(profile.columns) == list(dict.fromkeys(themes["theme"]))
    assert themes["term"].is_unique
    tokens = helpers.segment(docs["taicang-2019"], officialese=True)
    disputes = set(themes.loc[themes["theme"] == "disputes", "term"])
    expected = round(sum(t in disputes for t in tokens) / len(tokens) * 10_000, 1)
    assert profile.loc["taicang-2019", "disputes"] == expected > 0


def test_every_theme_term_is_a_single_token():
    for term in helpers.load_themes()["term"]:
        assert helpers.segment(term, stopwords=False) == [term]


def test_sections_are_tagged_achievements_problems_plans(docs):
    parts = {
        report_id: dict(
            zip(
                *helpers.tag_sections(text).query("level == 1")[["heading", "part"]].T.values,
                strict=True,
            )
        )
        for report_id, text in docs.items()
    }
    assert parts["huinong-2018"]["存在的问题"] == "problems"
    assert parts["jiaojiang-2023"]["2023年推进法治政府建设存在的不足和原因"] == "problems"
    assert parts["jiaojiang-2023"]["2024年推进法治政府建设的主要安排"] == "plans"
    assert parts["taicang-2019"]["明年工作打算"] == "plans"
    assert parts["zhenjiang-2013"]["2013年取得的工作成绩"] == "achievements"
    outline = helpers.tag_sections(docs["huinong-2018"])
    assert (outline.loc[outline["level"] == 0, "part"] == "preamble").all()


def test_shared_sentences_are_jaccard_of_bigrams_across_reports(docs):
    # Worked by hand. Without the list numbers 2. and 4., and without 、 and 。:
    # A = 认真做好行政应诉工作 has 9 bigrams, B = 认真做好行政应诉复议工作 has 11;
    # they share 8 (认真 真做 做好 好行 行政 政应 应诉 工作), so J = 8 / (9 + 11 - 8).
    two = {"a": "2.认真做好行政应诉工作。", "b": "4.认真做好行政应诉、复议工作。"}
    pair = helpers.shared_sentences(two).iloc[0]
    assert pair["jaccard"] == round(8 / 12, 3) == 0.667  # with the numbers it would be 8/14
    pairs = helpers.shared_sentences(docs)
    assert len(pairs) > 5
    assert (pairs["id_a"] != pairs["id_b"]).all()
    first = pairs.iloc[0]
    assert (first["id_a"], first["sentence_a"]) == ("taicang-2019", "2.认真做好行政应诉工作。")
    assert first["id_b"] == "huinong-2018"
    assert first["sentence_b"] == "4.认真做好行政应诉、复议工作。"
    assert first["jaccard"] == 0.667
    assert pairs["jaccard"].is_monotonic_decreasing and (pairs["jaccard"] >= 0.4).all()
    share = helpers.formulaic_share(docs)
    assert (share["shared"] <= share["sentences"]).all()
    assert share["shared"].sum() >= len(set(pairs["sentence_a"]))


# --------------------------------------------------------------------------
# Stated figures. Each expectation quotes the sentence read in the seed report.
# --------------------------------------------------------------------------

FIGURES = [
    # (report, indicator, value, the sentence as the cleaned report has it, abridged)
    ("taicang-2019", "reconsideration_received", 154, "全市共收到行政复议申请154件"),
    ("taicang-2019", "reconsideration_accepted", 123, "行政复议机关立案受理123件，审结122件"),
    ("taicang-2019", "reconsideration_correction_rate", 4.1, "直接纠错5件，直接纠错率4.1%"),
    ("taicang-2019", "litigation_cases", 73, "行政诉讼一审案件共有73件，已审结54件"),
    ("taicang-2019", "litigation_head_appearance_rate", 100, "负责人出庭应诉率连续保持100%"),
    ("huinong-2018", "litigation_head_appearance_rate", 40.7, "出庭应诉11件，出庭诉讼率40.7%"),
    ("huinong-2018", "litigation_losses", 9, "撤诉11件、败诉9件、正在审理3件"),
    ("tianning-2024", "reconsideration_received", 233, "全年收到申请233件，受理112件"),
    ("zhenjiang-2013", "reconsideration_correction_rate", 25, "受理48件，已审结44件，纠错率达25%"),
    ("zhenjiang-2013", "litigation_head_appearance_rate", 95.92, "在全省领先，达到了95.92%"),
    ("jiaojiang-2023", "litigation_cases", 104, "共受理我区行政案件104件，败诉11件"),
    ("jiaojiang-2023", "litigation_loss_rate", 10.48, "行政诉讼败诉率10.48%"),
    ("jiaojiang-2023", "normative_documents_issued", 15, "共制发区级规范性文件15份"),
]  # fmt: skip


@pytest.mark.parametrize(("report_id", "indicator", "value", "quote"), FIGURES)
def test_figures_read_in_the_seeds(docs, report_id, indicator, value, quote):
    assert quote in docs[report_id], "the quoted sentence is not in the cleaned report"
    found = helpers.extract_indicators(docs[report_id])
    rows = found[found["indicator"] == indicator]
    assert not rows.empty, f"{indicator} not found"
    row = rows.iloc[0]
    assert row["value"] == pytest.approx(value)
    assert quote in row["sentence"]


def test_every_figure_is_quoted_exactly(docs):
    for text in docs.values():
        for row in helpers.extract_indicators(text).itertuples():
            assert row.text in row.sentence
            assert row.sentence in text
            assert text[row.position : row.position + len(row.text)] == row.text


def test_a_figure_is_never_given_to_the_wrong_procedure(docs):
    taicang = helpers.extract_indicators(docs["taicang-2019"])
    # "涉及行政复议、诉讼案件72件": both procedures in one clause, so neither gets it.
    assert 72 not in taicang["value"].tolist()
    # "制发出庭应诉督促函92件" are reminder letters, not court appearances.
    tianning = helpers.extract_indicators(docs["tianning-2024"])
    assert 92 not in tianning["value"].tolist()
    # "发送预警通知书19份" are warning notices, not lawsuits.
    jiaojiang = helpers.extract_indicators(docs["jiaojiang-2023"])
    assert 19 not in jiaojiang.loc[jiaojiang["indicator"] == "litigation_cases", "value"].tolist()
    # The 纠错率 of Huinong's normative documents is not a reconsideration figure.
    huinong = helpers.extract_indicators(docs["huinong-2018"])
    assert "reconsideration_correction_rate" not in set(huinong["indicator"])


def test_a_figure_a_report_does_not_state_is_missing_not_zero(docs):
    table = helpers.indicator_table(docs)
    # Tianning and Jiaojiang state no 出庭应诉率.
    assert "出庭应诉率" not in docs["tianning-2024"] and "出庭应诉率" not in docs["jiaojiang-2023"]
    assert pd.isna(table.loc["tianning-2024", "litigation_head_appearance_rate"])
    assert pd.isna(table.loc["jiaojiang-2023", "litigation_head_appearance_rate"])
    assert (table.fillna(1) != 0).all().all()
    assert table.loc["zhenjiang-2013", "reconsideration_received"] == 75


def test_chinese_numerals_are_parsed():
    found = helpers.extract_indicators("全年收到行政复议申请十二件。")
    assert found[["indicator", "value", "text"]].values.tolist() == [
        ["reconsideration_received", 12.0, "十二"]
    ]


def test_comparison_cloud_colours_each_report(docs):
    rest = {rid: [t for r, t in docs.items() if r != rid] for rid in docs}
    tables = {rid: helpers.keyness(docs[rid], rest[rid]) for rid in docs}
    ax = helpers.comparison_cloud(tables, n=10, width=400, height=200)
    cloud = ax.word_cloud
    colours = {h.get_label(): h.get_facecolor() for h in ax.get_legend().legend_handles}
    assert set(colours) == set(docs) and len(set(colours.values())) == 5
    import matplotlib.colors as mcolors

    colours = {rid: mcolors.to_hex(c) for rid, c in colours.items()}
    for (word, _), _, _, _, colour in cloud.layout_:
        owners = [rid for rid, t in tables.items() if word in set(t.query("use == 'over'")["term"])]
        assert colour in {colours[rid] for rid in owners}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Written for this test, each a trap the first version fell into.
        ("全年收到行政复议申请1.2万件。", [("reconsideration_received", 12000.0, "1.2万")]),
        ("全年收到行政复议申请1,234件。", [("reconsideration_received", 1234.0, "1,234")]),
        ("行政复议申请受理后5个工作日内审查完毕。", []),
        ("行政复议办结时间缩短至30个工作日。", []),
        ("行政复议申请同比增加12件。", []),
        ("出庭应诉率大幅提升，案件调解率达到60%。", []),
        ("行政机关负责人出庭应诉率较上年提高15%。", []),
        ("公安机关共受理治安行政案件3000起。", []),
        ("全年收到行政复议申请120余件。", [("reconsideration_received", 120.0, "120余")]),
        ("行政诉讼败诉率为10.5％。", [("litigation_loss_rate", 10.5, "10.5％")]),
    ],
)
def test_figures_that_are_not_what_they_seem(sentence, expected):
    found = helpers.extract_indicators(sentence)
    assert (
        list(found[["indicator", "value", "text"]].itertuples(index=False, name=None)) == expected
    )
    if expected and "余" in sentence:
        assert found["approx"].iloc[0]


def test_a_combined_count_is_not_given_to_reconsideration():
    # 50 applications *and* lawsuits: not a reconsideration figure. (The litigation rule
    # still reads 案件共50件 as lawsuits; a known limit of rule-based extraction.)
    found = helpers.extract_indicators("行政复议工作中，收到申请和起诉案件共50件。")
    assert "reconsideration_received" not in set(found["indicator"])


def test_comparison_edge_cases(docs):
    with pytest.raises(ValueError, match="target has no words"):
        helpers.keyness("。", list(docs.values()))
    assert len(helpers.dtm(docs, min_df=np.int64(5)).columns) == len(
        helpers.dtm(docs, min_df=5).columns
    )
    with pytest.raises(ValueError, match="norm"):
        helpers.tfidf(helpers.dtm(docs), norm="l1")
    same = helpers.keyness("行政复议案件。", "行政复议案件。", min_count=1)
    assert set(same["use"]) == {"same"}


def test_an_empty_corpus_gives_an_empty_matrix():
    empty = helpers.dtm([])
    assert empty.shape == (0, 0) and empty.index.name == "id"
