"""Comparing reports: document-term matrix, TF-IDF, keyness, similarity, themes, formulaic text.

Introduced in ``notebooks/04_cross_report_comparison.ipynb``. Every function
that takes ``docs`` accepts the reports in any form of
:func:`helpers.corpus.as_docs` (the corpus table, a Series, a dict id → text,
or a list), and the segmentation options of :func:`helpers.segment`.

Tables about reports follow one convention: a wide table (report × term,
report × theme, report × report) is indexed by ``id``; a long table (one row
per sentence pair) names its reports in ``id`` columns.
"""

from __future__ import annotations

import csv
import math
import numbers
import re
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .checks import check_bool, check_int
from .clean import sections
from .corpus import Docs, as_docs
from .freq import log_likelihood
from .segmentation import check_options, corpus_counts, family, gloss, segment

__all__ = [
    "KEYNESS_COLUMNS",
    "dtm",
    "keyness",
    "load_themes",
    "similarity",
    "tag_paragraphs",
    "tag_sections",
    "tfidf",
    "theme_profile",
]

THEMES_FILE = Path(__file__).resolve().parent / "data" / "themes.csv"


def _report_count(name: str, value, n: int) -> int:
    """min_df / max_df as a number of reports: an int is one, a float a share of n."""
    whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    allowed = (
        f"{name} must be an int in the range [1, inf) (a number of reports) or a float in "
        f"the range [0.0, 1.0] (a share of them); got {value!r}"
    )
    if not real:
        raise TypeError(f"{allowed} ({type(value).__name__}).")
    if whole and value >= 1:
        return int(value)
    if not whole and 0.0 <= value <= 1.0:
        return math.ceil(value * n) if name == "min_df" else math.floor(value * n)
    raise ValueError(allowed + ".")


#: dtm(sparse=None) returns a sparse table from this many cells (reports × terms) on:
#: about 16 MB as a dense table of integers. Below it, a plain table is easier to read.
SPARSE_FROM = 2_000_000


def _is_sparse(matrix: pd.DataFrame) -> bool:
    return len(matrix.columns) > 0 and all(
        isinstance(dtype, pd.SparseDtype) for dtype in matrix.dtypes
    )


def _as_scipy(matrix: pd.DataFrame):
    """The values of a (sparse or dense) report × term table as a scipy CSR matrix of floats."""
    from scipy import sparse

    if _is_sparse(matrix):
        return matrix.sparse.to_coo().tocsr().astype(float)
    return sparse.csr_matrix(matrix.to_numpy(dtype=float))


def _table(values, index, columns, *, sparse: bool) -> pd.DataFrame:
    """A report × term table from a scipy matrix: sparse-backed, or a plain one."""
    if sparse:
        table = pd.DataFrame.sparse.from_spmatrix(values, index=index, columns=columns)
    else:
        table = pd.DataFrame(values.toarray(), index=index, columns=columns)
    table.index.name, table.columns.name = "id", "term"
    return table


def dtm(
    docs: Docs,
    *,
    min_df: float = 1,
    max_df: float = 1.0,
    sparse: bool | None = None,
    n_jobs: int | None = None,
    **segment_options,
) -> pd.DataFrame:
    """Document-term matrix: one row per report (indexed by ``id``), one column per term.

    Cells are counts. ``min_df`` / ``max_df`` drop terms that occur in too few
    / too many reports: an int is a number of reports, a float in [0, 1] a
    share of them. Columns are sorted by total count (then term), so the matrix
    reads like a frequency table.

    A real corpus's vocabulary keeps growing with its size, and most cells are
    0, so a large matrix is returned **sparse-backed** (pandas ``SparseDtype``:
    memory grows with the non-zero cells, not reports × terms); ``sparse=None``
    decides by size (:data:`SPARSE_FROM` cells), ``True``/``False`` force it.
    :func:`tfidf`, :func:`similarity`, :func:`theme_profile` and
    :func:`keyness` work on either without making it dense. ``n_jobs``: see
    :mod:`helpers.parallel`.

    Example:
        >>> dtm({"a": "行政复议工作。", "b": "行政诉讼工作。"})
        term  工作  行政复议  行政诉讼
        id
        a      1     1     0
        b      1     0     1
    """
    from scipy import sparse as scipy_sparse

    docs = as_docs(docs)
    if not docs:  # no reports: an empty matrix, as every other corpus function gives
        check_options(segment_options)
        empty = scipy_sparse.csr_matrix((0, 0), dtype=np.int64)
        return _table(empty, pd.Index([], name="id"), [], sparse=bool(sparse))
    low = _report_count("min_df", min_df, len(docs))
    high = _report_count("max_df", max_df, len(docs))
    if low > high:
        raise ValueError(
            f"min_df={min_df!r} asks for terms in at least {low} reports but max_df={max_df!r} "
            f"allows at most {high}: no term can pass. Lower min_df or raise max_df."
        )
    if sparse is not None:
        check_bool("sparse", sparse)
    counts = corpus_counts(docs, n_jobs=n_jobs, **segment_options)
    terms, matrix = counts.terms, counts.matrix.tocsc()
    present = np.diff(matrix.indptr)  # reports per term: a column's non-zero cells
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    keep = np.flatnonzero((present >= low) & (present <= high))
    if len(keep) == 0 and len(docs):
        raise ValueError(
            f"no term occurs in at least {low} and at most {high} of the {len(docs)} reports; "
            "loosen min_df or max_df."
        )
    order = keep[np.lexsort((terms[keep].astype(str), -totals[keep]))]
    matrix = matrix[:, order]  # column-major, as a sparse DataFrame keeps it
    if sparse is None:
        sparse = matrix.shape[0] * matrix.shape[1] >= SPARSE_FROM
    return _table(matrix, pd.Index(list(docs), name="id"), list(terms[order]), sparse=sparse)


def tfidf(
    matrix: pd.DataFrame, *, smooth_idf: bool = True, norm: str | None = "l2"
) -> pd.DataFrame:
    """TF-IDF weights from a document-term matrix of counts (scikit-learn's default variant).

    - tf(t, d) = count of t in d;
    - idf(t) = ln((1 + n) / (1 + df(t))) + 1 with ``smooth_idf`` (as if one
      extra report contained every term once), else ln(n / df(t)) + 1;
    - tf-idf = tf × idf, then each row divided by its Euclidean length (``norm="l2"``),
      so long and short reports are comparable.

    A sparse-backed matrix gives sparse-backed weights.

    Example:
        >>> weights = tfidf(dtm({"a": "行政复议工作。", "b": "行政诉讼工作。"}))
        >>> weights.round(3)
        term    工作   行政复议   行政诉讼
        id
        a     0.58  0.815  0.000
        b     0.58  0.000  0.815
    """
    from scipy import sparse

    if norm not in ("l2", None):
        raise ValueError(f"norm must be 'l2' or None; got {norm!r}.")
    check_bool("smooth_idf", smooth_idf)
    counts = _as_scipy(matrix)
    n = counts.shape[0]
    df = np.diff(counts.tocsc().indptr)  # reports with a non-zero count, per term
    # Without smoothing, a term in no report would divide by zero; its counts are all 0.
    smoothed = np.log((1 + n) / (1 + df)) + 1
    idf = smoothed if smooth_idf else np.log(n / np.maximum(df, 1)) + 1
    weights = counts @ sparse.diags(idf)
    if norm == "l2":
        lengths = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
        scale = np.divide(1.0, lengths, out=np.zeros_like(lengths), where=lengths > 0)
        weights = sparse.diags(scale) @ weights
    return _table(weights.tocsr(), matrix.index, matrix.columns, sparse=_is_sparse(matrix))


def _direction(target_rate: float, reference_rate: float) -> str:
    if target_rate > reference_rate:
        return "over"
    return "under" if target_rate < reference_rate else "same"


def _total_counts(side, n_jobs, segment_options) -> Counter:
    """Word counts of one side of a comparison: a text, reports, or rows of a DTM."""
    if isinstance(side, str):
        return Counter(segment(side, **segment_options))
    if _is_term_matrix(side):
        totals = np.asarray(_as_scipy(side).sum(axis=0)).ravel()
        return Counter({term: int(n) for term, n in zip(side.columns, totals, strict=True) if n})
    counts = corpus_counts(side, n_jobs=n_jobs, **segment_options)
    totals = np.asarray(counts.matrix.sum(axis=0)).ravel()
    return Counter({term: int(n) for term, n in zip(counts.terms, totals, strict=True) if n})


#: The columns of a keyness table.
KEYNESS_COLUMNS = ["term", "target", "reference", "g2", "log_ratio", "p_value", "use", "english"]


def keyness(
    target,
    reference,
    *,
    min_count: int = 3,
    n_jobs: int | None = None,
    **segment_options,
) -> pd.DataFrame:
    """Which terms a target text uses more (or less) than a reference, and how surely.

    For each term: ``target`` and ``reference`` counts; ``g2`` (log-likelihood
    of the 2×2 table term / other words × target / reference); ``p_value``
    (G² follows a χ² distribution with one degree of freedom: p = erfc(√(G²/2)));
    ``log_ratio`` = log2 of the ratio of relative frequencies (a zero count
    counts as 0.5), positive when the target uses the term more; ``use``
    ("over", "under" or "same"). Terms with fewer than ``min_count`` uses in total are
    left out. Sorted by G².

    ``target`` and ``reference`` are each one text, several reports (any form
    of :func:`helpers.corpus.as_docs`, e.g. the corpus table), or rows of a
    :func:`dtm` (counts; the rows are added up).
    """
    check_int("min_count", min_count, low=1)
    check_options(segment_options)
    target_counts = _total_counts(target, n_jobs, segment_options)
    reference_counts = _total_counts(reference, n_jobs, segment_options)
    size_t, size_r = sum(target_counts.values()), sum(reference_counts.values())
    if not size_t or not size_r:
        empty = "target" if not size_t else "reference"
        raise ValueError(f"the {empty} has no words after segmentation; nothing to compare.")
    rows = []
    for term in sorted(set(target_counts) | set(reference_counts)):
        a, b = target_counts[term], reference_counts[term]
        if a + b < min_count:
            continue
        g2 = log_likelihood(a, size_t - a, b, size_r - b)
        ratio = math.log2((max(a, 0.5) / size_t) / (max(b, 0.5) / size_r))
        rows.append(
            {
                "term": term,
                "target": a,
                "reference": b,
                "g2": round(g2, 3),
                "log_ratio": round(ratio, 3),
                "p_value": math.erfc(math.sqrt(g2 / 2)),
                "use": _direction(a / size_t, b / size_r),
                "english": gloss(term),
            }
        )
    table = pd.DataFrame(rows, columns=KEYNESS_COLUMNS)
    table["english"] = table["english"].astype("string")
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


#: similarity() without top_k refuses more reports than this: the full table would
#: hold n² numbers (5,000 reports: 200 MB). Ask for each report's top_k neighbours instead.
DENSE_SIMILARITY_UP_TO = 5_000


def _unit_rows(matrix: pd.DataFrame):
    """The rows of a matrix scaled to length 1 (a row of zeros stays zero), and the lengths."""
    from scipy import sparse

    values = _as_scipy(matrix)
    lengths = np.sqrt(np.asarray(values.multiply(values).sum(axis=1)).ravel())
    scale = np.divide(1.0, lengths, out=np.zeros_like(lengths), where=lengths > 0)
    return (sparse.diags(scale) @ values).tocsr(), lengths


def similarity(matrix: pd.DataFrame, *, top_k: int | None = None) -> pd.DataFrame:
    """Cosine similarity between the rows of a matrix (counts or TF-IDF weights).

    cos(u, v) = u·v / (|u| |v|): 1 for the same direction, 0 for no shared
    term. Without ``top_k``: the report × report table, symmetric with 1 on the
    diagonal (NaN for a report with no words at all, which is similar to
    nothing), indexed by ``id``.

    With ``top_k``: a long table of each report's ``top_k`` most similar other
    reports (columns ``id``, ``neighbour``, ``similarity``, ``rank``), computed
    block by block, so that its memory grows with n × top_k, not n². Use it for
    large corpora (more than :data:`DENSE_SIMILARITY_UP_TO` reports).

    Example:
        >>> similarity(dtm({"a": "行政复议工作。", "b": "行政诉讼工作。"}))
        id    a    b
        id
        a   1.0  0.5
        b   0.5  1.0
    """
    unit, lengths = _unit_rows(matrix)
    ids = list(matrix.index)
    if top_k is None:
        if len(ids) > DENSE_SIMILARITY_UP_TO:
            raise ValueError(
                f"{len(ids):,} reports: the full similarity table would hold {len(ids) ** 2:,} "
                "numbers. Pass top_k (e.g. top_k=10) for each report's nearest neighbours."
            )
        cosine = np.clip((unit @ unit.T).toarray(), -1.0, 1.0)
        cosine = (cosine + cosine.T) / 2  # exactly symmetric despite rounding
        np.fill_diagonal(cosine, np.where(lengths > 0, 1.0, np.nan))
        index = pd.Index(ids, name="id")
        return pd.DataFrame(cosine, index=index, columns=index.copy())
    top_k = check_int("top_k", top_k, low=1)
    rows = []
    block = max(1, min(256, 2_000_000 // max(unit.shape[1], 1)))  # ≤ 16 MB of dense rows
    for start in range(0, len(ids), block):
        dense = unit[start : start + block].toarray()  # sparse × dense is the fast product
        scores = np.clip(np.asarray(unit @ dense.T).T, -1.0, 1.0)
        for offset, row in enumerate(scores):
            i = start + offset
            row[i] = -np.inf  # not its own neighbour
            k = min(top_k, len(ids) - 1)
            best = np.argpartition(-row, k - 1)[:k] if k > 0 else []
            best = sorted(best, key=lambda j, row=row: (-row[j], j))
            for rank, j in enumerate(best, start=1):
                rows.append({"id": ids[i], "neighbour": ids[j], "similarity": row[j], "rank": rank})
    return pd.DataFrame(rows, columns=["id", "neighbour", "similarity", "rank"])


@cache
def load_themes() -> pd.DataFrame:
    """The national themes and their indicative terms: columns theme, theme_zh, term, source."""
    with open(THEMES_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return pd.DataFrame(rows, columns=["theme", "theme_zh", "term", "source"])


def _is_term_matrix(value) -> bool:
    """A report × term table of counts (from :func:`dtm`), not a table of texts."""
    return (
        isinstance(value, pd.DataFrame)
        and value.index.name == "id"
        and not {"text", "clean"} & set(value.columns)
        and all(pd.api.types.is_numeric_dtype(dtype) for dtype in value.dtypes)
    )


def theme_profile(
    docs, *, by: str = "term", n_jobs: int | None = None, **segment_options
) -> pd.DataFrame:
    """How much each report says about each national theme: theme-term tokens per 10,000 words.

    One row per report, one column per theme (in the order of the themes
    file). A theme's value is the number of tokens that are one of its
    indicative terms, per 10,000 tokens of the report. Indexed by ``id``.

    ``by="family"`` counts a theme's concepts instead of its listed words:
    every token whose vocabulary family is the family of one of the theme's
    terms (:func:`helpers.segmentation.family`), so that 行政负责人出庭应诉 counts
    for disputes as 出庭应诉 does, and 法治建设第一责任人 as 第一责任人. Each
    family belongs to one theme only, so no word counts twice.

    ``docs`` is the reports (any form of :func:`helpers.corpus.as_docs`), or a
    :func:`dtm` of them, dense or sparse, made without ``min_df``/``max_df``
    (every word must be there: a report's words are its row's sum).

    Example:
        >>> text = ["行政负责人出庭应诉率100%，做好出庭应诉。"]
        >>> by_word, by_family = theme_profile(text), theme_profile(text, by="family")
        >>> by_word["disputes"].item(), by_family["disputes"].item()
        (2500.0, 5000.0)
    """
    if by not in ("term", "family"):
        raise ValueError(f"by must be 'term' or 'family'; got {by!r}.")
    check_options(segment_options)
    themes = load_themes()
    order = list(dict.fromkeys(themes["theme"]))
    if _is_term_matrix(docs):
        values, terms, ids = _as_scipy(docs), docs.columns, docs.index
    else:
        counts = corpus_counts(docs, n_jobs=n_jobs, **segment_options)
        values, terms, ids = counts.matrix, counts.terms, counts.ids
    sizes = np.maximum(np.asarray(values.sum(axis=1)).ravel(), 1)
    name = family if by == "family" else str
    columns: dict[str, list[int]] = {}
    for j, term in enumerate(terms):
        columns.setdefault(name(term), []).append(j)
    hits = np.zeros((values.shape[0], len(order)))
    for k, theme in enumerate(order):
        wanted = {name(t) for t in themes.loc[themes["theme"] == theme, "term"]}
        members = [j for key in wanted for j in columns.get(key, [])]
        if members:
            hits[:, k] = np.asarray(values[:, members].sum(axis=1)).ravel()
    rates = np.round(hits / sizes[:, None] * 10_000, 1)
    profile = pd.DataFrame(rates, index=pd.Index(ids, name="id"), columns=order)
    profile.index.name, profile.columns.name = "id", "theme"
    return profile


PROBLEM_WORDS = ("问题", "不足", "短板", "差距", "薄弱")
PLAN_WORDS = ("打算", "计划", "安排", "要点", "思路", "下一步", "下步", "明年", "展望")


def _part(heading: str) -> str:
    if any(word in heading for word in PROBLEM_WORDS):
        return "problems"
    if any(word in heading for word in PLAN_WORDS):
        return "plans"
    return "achievements"


def tag_sections(text: str) -> pd.DataFrame:
    """The outline of :func:`helpers.sections` with a ``part`` column.

    Each top-level section is tagged from its heading: ``problems`` (问题,
    不足, 短板 …), ``plans`` (打算, 计划, 安排, 要点, 下一步 …) or
    ``achievements`` (everything else); sub-sections inherit their section's
    part, and the text before the first heading is ``preamble``. A heuristic:
    a report that states its problems without a heading is not caught.

    Example:
        >>> outline = tag_sections("一、主要成效\\n办了很多事。\\n二、存在的问题\\n还有不足。")
        >>> outline[["heading", "part"]].values.tolist()
        [['主要成效', 'achievements'], ['存在的问题', 'problems']]
    """
    outline = sections(text).copy()
    parts, current = [], "preamble"
    for level, heading in zip(outline["level"], outline["heading"], strict=True):
        if level == 0:
            current = "preamble"
        elif level == 1:
            current = _part(heading)
        parts.append(current)
    outline["part"] = parts
    return outline


# An unheaded paragraph that opens on these states the report's problems ...
PROBLEM_OPENINGS = re.compile(
    r"(?:但|仍|还|也)[^。；]{0,4}存在|存在的(?:问题|不足|短板)|问题和不足|不足和原因|薄弱环节|短板|差距"
)
# ... and one that opens on these, its plans.
PLAN_OPENINGS = re.compile(
    r"下一步|下步|今后|明年|将(?:继续|进一步|持续|着力|重点|全面|坚持|围绕|紧扣|聚焦)"
)


def tag_paragraphs(text: str) -> pd.DataFrame:
    """Every paragraph with its section and part: achievements, problems or plans.

    :func:`tag_sections` tags whole sections by their headings, and so misses
    problems a report states without one. Here each paragraph takes its
    top-level section's part, except:

    - an unheaded paragraph whose first sentence states problems ("但也存在…问题",
      "存在的不足", "短板" …: :data:`PROBLEM_OPENINGS`) is ``problems``, and one
      whose first sentence announces plans ("下一步", "将继续" …:
      :data:`PLAN_OPENINGS`) is ``plans``, wherever they stand;
    - a top-level heading that starts its numbering again ("一、" after "五、")
      continues the part of the paragraph before it (a plans list after an
      unheaded plans paragraph).

    A heuristic, tagged by paragraph: a paragraph that states problems and then
    plans (Taicang's) is all ``problems``.

    Example:
        >>> text = "一、成效\\n办了很多事。\\n但也存在一些问题：人手不足。\\n下一步，将继续改进。"
        >>> tag_paragraphs(text)["part"].tolist()
        ['achievements', 'achievements', 'problems', 'plans']
    """
    from .clean import _heading, paragraphs
    from .clean import sentences as split_sentences

    numbers = "一二三四五六七八九十"
    rows: list[dict] = []
    part = "preamble"  # the part of the current top-level section
    carried = None  # the part an unheaded paragraph set, for the unheaded ones after it
    last_number, restarted = 0, None  # restarted: the part a restarted numbering keeps
    for paragraph in paragraphs(text):
        found = _heading(paragraph)
        if found and found[0] == 1:
            head = found[1][:1]
            number = numbers.find(head) + 1 if head and head in numbers else 0
            if rows and 0 < number <= last_number:  # "一、" again: a new list
                restarted = rows[-1]["part"]
            last_number = number
            by_heading = _part(found[2])
            part = by_heading if restarted is None or by_heading != "achievements" else restarted
            carried = None
        elif found:
            carried = None
        own = part if carried is None else carried
        if not found:
            first = next(iter(split_sentences(paragraph)), paragraph)
            if PROBLEM_OPENINGS.search(first):
                own = carried = "problems"
            elif PLAN_OPENINGS.search(first):
                own = carried = "plans"
        rows.append({"part": own, "heading": found[2] if found else "", "text": paragraph})
    table = pd.DataFrame(rows, columns=["part", "heading", "text"])
    table.index.name = "paragraph"
    return table
