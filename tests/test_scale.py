"""From five reports to thousands: processes, caches, engines, sparse tables, LSH and Dask.

The generated corpus is SYNTHETIC (benchmarks/synthetic.py: the seeds' paragraphs
recombined and altered, with a fixed random seed), written to a temporary folder.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest
from support import ROOT, SEEDS

import helpers
from helpers import cache, clean, formulaic, parallel, segmentation
from helpers.freq import log_likelihood

sys.path.insert(0, str(ROOT / "benchmarks"))
import synthetic


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """40 synthetic reports (files and manifest), and an empty cache of the module's own."""
    before = cache.cache_dir()
    helpers.set_cache_dir(tmp_path_factory.mktemp("cache"))
    folder = synthetic.make_corpus(40, tmp_path_factory.mktemp("synthetic"))
    yield folder
    helpers.set_cache_dir(before)


@pytest.fixture(scope="module")
def generated_clean(generated):
    return helpers.clean_reports(helpers.load_reports(generated), n_jobs=1)


def forget_memo() -> None:
    for memo in cache.Memo._all:
        memo.clear()


def test_the_generated_corpus_is_labelled_and_kept_apart_from_the_seeds(generated):
    reports = helpers.load_reports(generated)
    assert len(reports) == 40 and reports["chars"].between(14_000, 17_000).all()
    assert reports["text"].str.startswith("【合成数据 SYNTHETIC").all()
    assert reports["notes"].str.startswith("SYNTHETIC").all()
    with pytest.raises(ValueError, match="never written into seeds"):
        synthetic.make_corpus(1, SEEDS)


# --------------------------------------------------------------------------
# Processes: the same results as one process
# --------------------------------------------------------------------------


def fresh_start() -> None:
    """Empty every cache, the workers' memory too: the next call must do the work."""
    helpers.clear_cache()
    parallel.shutdown()


def every_table(clean: pd.DataFrame, n_jobs: int) -> dict[str, pd.DataFrame]:
    """What each corpus function gives for ``clean`` with ``n_jobs`` processes."""
    return {
        "terms": helpers.term_frequencies(clean, n_jobs=n_jobs, officialese=True),
        "dtm": helpers.dtm(clean, n_jobs=n_jobs),
        "themes": helpers.theme_profile(clean, n_jobs=n_jobs),
        "figures": helpers.indicator_table(clean, n_jobs=n_jobs),
        "keyness": helpers.keyness(clean.iloc[:5], clean.iloc[5:], n_jobs=n_jobs),
        "stated": helpers.extract_indicators(clean, n_jobs=n_jobs),
        "formulaic": helpers.formulaic_share(clean, n_jobs=n_jobs),
    }


def test_two_processes_give_exactly_what_one_gives(generated, generated_clean):
    fresh_start()
    two = helpers.clean_reports(helpers.load_reports(generated, n_jobs=2), n_jobs=2)
    pd.testing.assert_frame_equal(two, generated_clean)
    one_process = every_table(generated_clean, n_jobs=1)
    fresh_start()
    two_processes = every_table(generated_clean, n_jobs=2)
    for name, table in one_process.items():
        pd.testing.assert_frame_equal(two_processes[name], table, obj=name)


def test_n_jobs_is_checked_and_chosen_by_corpus_size():
    assert parallel.resolve_n_jobs(None, parallel.PARALLEL_FROM - 1) == 1
    assert parallel.resolve_n_jobs(-1, 10_000) == parallel._cores()
    assert parallel.resolve_n_jobs(8, 3) == 3  # never more processes than reports
    with pytest.raises(ValueError, match="n_jobs must be None, -1"):
        helpers.dtm(["依法行政。"], n_jobs=0)
    with pytest.raises(TypeError, match="n_jobs must be an int"):
        helpers.clean_reports(["依法行政。"], n_jobs="2")


def test_a_progress_bar_shows_in_a_terminal_but_never_in_ci(monkeypatch, capsys):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("FAZHI_PROGRESS", raising=False)
    items = list(range(parallel.PROGRESS_FROM))
    assert parallel.map_reports(abs, items, n_jobs=1, desc="demo") == items
    assert "demo" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")
    parallel.map_reports(abs, items, n_jobs=1, desc="demo")
    monkeypatch.delenv("CI")
    monkeypatch.setenv("FAZHI_PROGRESS", "0")
    parallel.map_reports(abs, items, n_jobs=1, desc="demo")
    parallel.map_reports(abs, items[:10], n_jobs=1, desc="demo")  # short work: no bar either
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------
# Caches: a rerun on an unchanged corpus cleans and segments nothing
# --------------------------------------------------------------------------


def test_a_rerun_cleans_and_segments_nothing(generated, monkeypatch):
    reports = helpers.load_reports(generated)
    cleaned = helpers.clean_reports(reports, n_jobs=1)
    table = helpers.term_frequencies(cleaned, n_jobs=1)
    forget_memo()  # a new session: only the disk cache is left

    def forbidden(*args, **kwargs):
        raise AssertionError("this work should have come from the cache")

    monkeypatch.setattr(clean, "_clean", forbidden)
    monkeypatch.setattr(segmentation, "_cut", forbidden)
    again = helpers.clean_reports(reports, n_jobs=1)
    pd.testing.assert_frame_equal(again, cleaned)
    pd.testing.assert_frame_equal(helpers.term_frequencies(again, n_jobs=1), table)


def test_changed_cleaning_rules_clean_afresh(monkeypatch, tmp_path):
    helpers.set_cache_dir(tmp_path)
    try:
        text = "首页 > 法治\n某县2022年法治政府建设报告\n审结 12件。"
        first = helpers.clean_report(text)
        forget_memo()
        calls = []
        real = clean._clean
        monkeypatch.setattr(clean, "_clean", lambda t: calls.append(t) or real(t))
        assert helpers.clean_report(text).text == first.text and calls == []  # from the cache
        monkeypatch.setattr(clean, "rules_version", lambda: "edited rules")  # the code changed
        forget_memo()
        assert helpers.clean_report(text).text == first.text and calls == [text]
    finally:
        helpers.set_cache_dir(None)


# --------------------------------------------------------------------------
# The fast engine agrees with jieba
# --------------------------------------------------------------------------

LATIN = [
    "推广使用COVID-19疫苗和e-Government平台。", "Wi-Fi覆盖，通过ISO-9001认证。",
    "增长38.53.1%和3.5%，PM2.5下降。", "2021-2025年规划", "C++和C#语言，A&B公司。",
    "网址https://www.gov.cn/a_b.html，共1,234人。",
]  # fmt: skip


def test_rjieba_gives_jiebas_tokens(docs, generated_clean):
    for text in LATIN:  # runs of Latin letters, digits and marks, which jieba-rs keeps whole
        fast, slow = (segmentation._cut(text, True, (), engine) for engine in ("rjieba", "jieba"))
        assert fast == slow
    for text in [*LATIN, *docs.values(), *generated_clean["clean"]]:
        for options in ({}, {"keep_numbers": True, "stopwords": False}, {"vocabulary": False}):
            fast = helpers.segment(text, engine="rjieba", **options)
            assert fast == helpers.segment(text, engine="jieba", **options), (text[:30], options)


def test_the_engine_is_a_checked_option():
    with pytest.raises(ValueError, match="engine must be one of auto, jieba, rjieba"):
        helpers.segment("依法行政。", engine="pkuseg")
    assert helpers.segment("推行一网通办。", engine="jieba") == ["推行", "一网通办"]


# --------------------------------------------------------------------------
# Sparse tables
# --------------------------------------------------------------------------


def test_a_sparse_dtm_holds_the_same_counts_and_works_everywhere(generated_clean):
    dense = helpers.dtm(generated_clean, sparse=False)
    sparse = helpers.dtm(generated_clean, sparse=True)
    assert all(isinstance(t, pd.SparseDtype) for t in sparse.dtypes)
    assert sparse.sparse.density < 0.5  # most cells are zero: that is the point
    np.testing.assert_array_equal(sparse.sparse.to_dense().to_numpy(), dense.to_numpy())
    assert list(sparse.columns) == list(dense.columns) and sparse.index.name == "id"
    weights = helpers.tfidf(sparse)
    assert all(isinstance(t, pd.SparseDtype) for t in weights.dtypes)
    np.testing.assert_allclose(
        weights.sparse.to_dense().to_numpy(), helpers.tfidf(dense).to_numpy(), atol=1e-12
    )
    np.testing.assert_allclose(
        helpers.similarity(weights).to_numpy(), helpers.similarity(helpers.tfidf(dense)).to_numpy()
    )
    pd.testing.assert_frame_equal(
        helpers.theme_profile(sparse), helpers.theme_profile(generated_clean)
    )
    by_rows = helpers.keyness(sparse.iloc[:5], sparse.iloc[5:])
    by_texts = helpers.keyness(generated_clean.iloc[:5], generated_clean.iloc[5:])
    pd.testing.assert_frame_equal(by_rows, by_texts)


def test_similarity_top_k_is_the_top_of_the_full_table(generated_clean):
    weights = helpers.tfidf(helpers.dtm(generated_clean, sparse=True))
    full = helpers.similarity(weights)
    top = helpers.similarity(weights, top_k=3)
    assert len(top) == 3 * len(full)
    assert list(top.columns) == ["id", "neighbour", "similarity", "rank"]
    for report_id, rows in top.groupby("id", sort=False):
        others = full.loc[report_id].drop(report_id).sort_values(ascending=False, kind="stable")
        assert rows["similarity"].to_numpy() == pytest.approx(others.iloc[:3].to_numpy())
        assert (rows["rank"] == [1, 2, 3]).all()


def test_keyness_survives_rounding_that_makes_g2_negative():
    # Found by search: for these counts the rates are nearly equal, and the four
    # terms of G² cancel so that floating-point rounding leaves about -1.8e-10.
    a, size_t, b, size_r = 838, 305_859, 10_451, 3_814_479
    terms = [
        2 * o * math.log(o / e)
        for o, e in [
            (a, size_t * (a + b) / (size_t + size_r)),
            (size_t - a, size_t * (size_t + size_r - a - b) / (size_t + size_r)),
            (b, size_r * (a + b) / (size_t + size_r)),
            (size_r - b, size_r * (size_t + size_r - a - b) / (size_t + size_r)),
        ]
    ]
    assert sum(terms) < 0  # the rounding the old code crashed on (math domain error)
    assert log_likelihood(a, size_t - a, b, size_r - b) == 0.0
    counts = pd.DataFrame(
        {"词": [a, b], "其他": [size_t - a, size_r - b]}, index=pd.Index(["t", "r"], name="id")
    )
    table = helpers.keyness(counts.loc[["t"]], counts.loc[["r"]]).set_index("term")
    assert table.loc["词", "g2"] == 0.0 and table.loc["词", "p_value"] == 1.0


# --------------------------------------------------------------------------
# Formulaic text: MinHash + LSH against the exact method
# --------------------------------------------------------------------------


def shares_from_pairs(docs) -> list[tuple[int, int]]:
    """(sentences, shared) per report, from the exact method's pairs: the old definition."""
    pairs = helpers.shared_sentences(docs, method="exact")
    result = []
    for label, text in docs.items():
        own = [s for s in helpers.sentences(text) if len(s) >= 10]
        shared = set(pairs.loc[pairs["id_a"] == label, "sentence_a"])
        shared |= set(pairs.loc[pairs["id_b"] == label, "sentence_b"])
        result.append((len(own), len(shared)))
    return result


def test_lsh_finds_what_the_exact_method_finds_on_the_seeds(docs):
    pd.testing.assert_frame_equal(
        helpers.shared_sentences(docs, method="lsh"), helpers.shared_sentences(docs, method="exact")
    )
    expected = shares_from_pairs(docs)
    for method in ("lsh", "exact"):
        share = helpers.formulaic_share(docs, method=method)
        assert list(zip(share["sentences"], share["shared"], strict=True)) == expected, method


def test_the_formulaic_cache_knows_the_method_and_keeps_ids_as_given(docs, monkeypatch, tmp_path):
    before = cache.cache_dir()
    helpers.set_cache_dir(tmp_path / "cache")  # empty, so the first call must compute
    forget_memo()
    computed = []
    real = formulaic._formulaic_table
    monkeypatch.setattr(
        formulaic, "_formulaic_table", lambda *a, **k: computed.append(a[4]) or real(*a, **k)
    )
    try:
        numbered = dict(enumerate(docs.values()))  # integer ids
        first = helpers.formulaic_share(numbered, method="exact")
        helpers.formulaic_share(numbered, method="lsh")
        assert computed == ["exact", "lsh"]  # the second method is computed, not read back
        again = helpers.formulaic_share(numbered, method="exact")
        assert computed == ["exact", "lsh"]  # and the first is read back, with its int ids
        pd.testing.assert_frame_equal(again, first)
        assert list(again.index) == [0, 1, 2, 3, 4]
    finally:
        helpers.set_cache_dir(before)


def test_many_signatures_at_once_are_datasketchs(docs):
    import zlib

    from datasketch import MinHash

    sentences = [s for text in docs.values() for s in helpers.sentences(text)][:200]
    sentences.append("。。")
    sets = [formulaic._shingles(s, 2) for s in sentences]
    together = formulaic._signatures(sets, 180)
    for row, shingle_set in zip(together, sets, strict=True):
        one = MinHash(num_perm=180, seed=1, hashfunc=zlib.crc32)
        one.update_batch([s.encode("utf-8") for s in shingle_set])
        assert (one.hashvalues == row).all()


def test_bands_find_a_pair_at_the_threshold_with_the_stated_probability():
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.7, 0.9):
        bands, rows = formulaic._bands(threshold)
        found = 1 - (1 - threshold**rows) ** bands
        assert found >= formulaic.PAIR_RECALL and bands * rows <= 256, threshold


def test_lsh_recall_on_generated_reports(generated_clean):
    exact = helpers.shared_sentences(generated_clean, method="exact")
    lsh = helpers.shared_sentences(generated_clean, method="lsh")
    pairs = {"exact": exact, "lsh": lsh}
    found = {
        name: set(table[["id_a", "sentence_a", "id_b", "sentence_b"]].itertuples(index=False))
        for name, table in pairs.items()
    }
    assert len(found["exact"]) > 10_000
    recall = len(found["lsh"] & found["exact"]) / len(found["exact"])
    assert recall >= 0.95, recall
    assert found["lsh"] <= found["exact"]  # every LSH pair is checked: never a false one
    shares = {m: helpers.formulaic_share(generated_clean, method=m) for m in ("exact", "lsh")}
    assert (shares["lsh"]["shared"] <= shares["exact"]["shared"]).all()
    assert shares["lsh"]["shared"].sum() >= 0.95 * shares["exact"]["shared"].sum()


# --------------------------------------------------------------------------
# Beyond one machine: a Dask cluster gives what one process gives
# --------------------------------------------------------------------------


def test_the_pipeline_on_a_local_dask_cluster_equals_the_serial_one(generated, generated_clean):
    import distributed  # requirements-cluster.txt, which make test installs

    serial = helpers.count_reports(generated, n_jobs=1)
    serial_terms = helpers.term_frequencies(generated_clean, n_jobs=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        previous = helpers.use_dask(client)
        try:
            helpers.clear_cache()  # the workers must do the work
            on_cluster = helpers.count_reports(generated)
            terms = helpers.term_frequencies(generated_clean)
        finally:
            helpers.use_dask(previous)
    pd.testing.assert_frame_equal(on_cluster.reports, serial.reports)
    pd.testing.assert_frame_equal(on_cluster.dtm, serial.dtm)
    pd.testing.assert_frame_equal(on_cluster.indicators, serial.indicators)
    pd.testing.assert_frame_equal(terms, serial_terms)
    # And the one-pass pipeline gives what the step-by-step functions give.
    dense = serial.dtm.sparse.to_dense()
    assert (dense.to_numpy() == helpers.dtm(generated_clean, sparse=False).to_numpy()).all()
    pd.testing.assert_frame_equal(serial.indicators, helpers.indicator_table(generated_clean))
    with pytest.raises(TypeError, match=r"dask\.distributed\.Client"):
        helpers.use_dask("localhost:8786")


def test_counts_packed_for_another_process_are_the_counts(docs):
    import pickle
    from collections import Counter

    for text in docs.values():
        words = Counter(helpers.segment(text))
        packed = pickle.loads(pickle.dumps(segmentation._count_words((text, {}))))
        assert packed.unpack() == words and packed.total == sum(words.values()) > 1000
    empty = segmentation.PackedCounts.pack(Counter())
    assert empty.unpack() == Counter() and empty.total == 0 and empty.terms() == []


def test_count_reports_reads_a_folder_as_load_reports_does(tmp_path):
    import shutil

    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8").splitlines()
    # The first file loses its manifest row (so it is read last, and its metadata inferred),
    # and an empty file is refused: the rows must still come in file order.
    (folder / "manifest.csv").write_text("\n".join([manifest[0], *manifest[2:]]) + "\n", "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    counted = helpers.count_reports(folder, n_jobs=2)
    loaded, problems = helpers.load_reports(folder, errors="collect")
    pd.testing.assert_frame_equal(counted.reports.drop(columns=["flags", "words"]),
                                  loaded.drop(columns="text"))  # fmt: skip
    pd.testing.assert_frame_equal(counted.problems, problems)
    assert list(problems["file"]) == ["000_227b57bffbdecf9d.txt", "empty.txt"]
    cleaned = helpers.clean_reports(loaded)
    pd.testing.assert_frame_equal(counted.dtm.sparse.to_dense(), helpers.dtm(cleaned, sparse=False))
    pd.testing.assert_frame_equal(counted.indicators, helpers.indicator_table(cleaned))
    words = [len(helpers.segment(text)) for text in cleaned["clean"]]
    assert list(counted.reports["words"]) == words and words[0] > 1000


def test_a_worker_refuses_code_that_changed_under_the_session():
    folder, fingerprints = parallel._settings()
    assert parallel._run(((folder, fingerprints), len, "三个字")) == 3
    edited = fingerprints | {"segmentation": "0" * 16}
    with pytest.raises(RuntimeError, match="changed after this session imported it"):
        parallel._run(((folder, edited), len, "三个字"))


def test_a_script_without_a_main_guard_is_recognised(tmp_path, monkeypatch):
    import types

    unguarded, guarded = tmp_path / "a.py", tmp_path / "b.py"
    unguarded.write_text("import helpers\nhelpers.dtm(texts)\n", encoding="utf-8")
    guarded.write_text("def main(): ...\n\nif __name__ == '__main__':\n    main()\n", "utf-8")
    for path, expected in ((unguarded, True), (guarded, False)):
        script = types.ModuleType("__main__")
        script.__file__, script.__spec__ = str(path), None
        monkeypatch.setitem(sys.modules, "__main__", script)
        assert parallel._script_without_main_guard() is expected
