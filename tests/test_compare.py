"""Comparison across reports, and the figures the reports state."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
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


def test_each_family_belongs_to_one_theme():
    from helpers.segmentation import family

    themes = helpers.load_themes()
    owner: dict[str, set] = {}
    for row in themes.itertuples():
        owner.setdefault(family(row.term), set()).add(row.theme)
    assert {name: t for name, t in owner.items() if len(t) > 1} == {}
    # What issue 13 found: words that name a bureau, a field or an award are not theme terms,
    # and generic words are in no theme's family.
    assert not {"应急", "安全生产", "信息化"} & set(themes["term"])
    for word in ["法治化", "法治建设", "听证", "督查", "一把手", "行政机关负责人"]:
        assert family(word) not in owner, word


def test_a_theme_counted_by_family_finds_the_compounds(docs):
    # Worked by hand: 行政负责人出庭应诉 is one token, which the word 出庭应诉 does not match,
    # but its family (行政诉讼) is the family of 出庭应诉, a disputes term.
    text = "做好出庭应诉，行政负责人出庭应诉率100%。法治建设第一责任人述法。"
    words = helpers.segment(text)
    assert words == ["做好", "出庭应诉", "行政负责人出庭应诉", "率", "法治建设第一责任人", "述法"]
    by_word = helpers.theme_profile([text]).iloc[0]
    by_family = helpers.theme_profile([text], by="family").iloc[0]
    assert by_word["disputes"] == round(1 / 6 * 10_000, 1)
    assert by_family["disputes"] == round(2 / 6 * 10_000, 1)
    assert by_word["capacity"] == round(1 / 6 * 10_000, 1)  # 述法 only
    assert by_family["capacity"] == round(2 / 6 * 10_000, 1)  # and 法治建设第一责任人
    with pytest.raises(ValueError, match="'term' or 'family'"):
        helpers.theme_profile(docs, by="families")


def test_term_frequencies_by_family_counts_the_concept():
    # The sentence of notebook 03, worked by hand: 执法 three times as characters (in 行政执法,
    # 执法水平, 执法效能), once as a bare word, three times as a family (行政执法, 三项制度, 执法).
    sentence = "落实行政执法“三项制度”，提高执法水平，提升执法效能。"
    assert sentence.count("执法") == 3
    words = helpers.segment(sentence, officialese=True)
    assert words == ["行政执法", "三项制度", "执法水平", "执法", "效能"]
    table = helpers.term_frequencies([sentence], by="family", officialese=True)
    row = table.set_index("family").loc["执法"]
    assert row["count"] == 3 and row["terms"] == "三项制度、执法、行政执法"
    assert "执法水平" in set(table["family"])  # not in the vocabulary: a family of its own
    with pytest.raises(ValueError, match="'term' or 'family'"):
        helpers.term_frequencies([sentence], by="words")
    # By report too: each report's column counts its own words of the family.
    two = {"a": sentence, "b": "加强行政执法监督。"}
    wide = helpers.term_frequencies(two, by="family", by_report=True, officialese=True)
    assert wide.set_index("family").loc["执法", ["a", "b"]].tolist() == [3, 1]


def test_a_dispersion_plot_by_family_marks_the_compounds():
    text = "做好出庭应诉，行政负责人出庭应诉率100%。"
    by_word = helpers.dispersion_plot([text], ["出庭应诉"])
    by_family = helpers.dispersion_plot([text], ["出庭应诉"], by="family")
    marks = [len(c.get_offsets()) for c in by_word.collections]
    assert marks == [1] and [len(c.get_offsets()) for c in by_family.collections] == [2]
    with pytest.raises(ValueError, match="'term' or 'family'"):
        helpers.dispersion_plot([text], ["出庭应诉"], by="x")


def test_problems_stated_without_a_heading_are_tagged_by_paragraph(docs):
    def problems(report_id):
        table = helpers.tag_paragraphs(docs[report_id])
        return table.loc[table["part"] == "problems", "text"].tolist()

    # Taicang states its problems at the head of its plans section, Tianning in an unheaded
    # paragraph at the end of its achievements: headings miss both (read in the reports).
    taicang, tianning = problems("taicang-2019"), problems("tianning-2024")
    assert len(taicang) == 1 and "但也存在机构人员力量薄弱" in taicang[0]
    assert len(tianning) == 1 and "但仍然存在一些短板" in tianning[0]
    assert problems("zhenjiang-2013") == []  # 2013: before the 2019 template asked for them
    parts = helpers.tag_paragraphs(docs["tianning-2024"])
    # Its plans paragraph, and the plan items numbered 一、二、三 again after 五、.
    plans = parts.loc[parts["part"] == "plans", "text"].tolist()
    assert plans[0].startswith("2025年是") and plans[1].startswith("一、强化统筹")
    # Taicang's plan items after its problems paragraph are plans again.
    taicang_parts = helpers.tag_paragraphs(docs["taicang-2019"])
    after = taicang_parts["text"].str.startswith("（一）以全面依法治市为总揽")
    assert taicang_parts.loc[after, "part"].tolist() == ["plans"]
