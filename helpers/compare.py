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

from .checks import check_int, check_share
from .clean import sections, sentences
from .corpus import Docs, as_docs
from .freq import log_likelihood
from .segmentation import check_options, gloss, segment

__all__ = [
    "dtm",
    "formulaic_share",
    "keyness",
    "load_themes",
    "shared_sentences",
    "similarity",
    "tag_sections",
    "tfidf",
    "theme_profile",
]

THEMES_FILE = Path(__file__).resolve().parent / "data" / "themes.csv"


def _report_count(name: str, value, n: int) -> int:
    """min_df / max_df as a number of reports: an int is one, a float a share of n."""
    whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    real = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if whole and value >= 1:
        return int(value)
    if real and not whole and 0.0 <= value <= 1.0:
        return math.ceil(value * n) if name == "min_df" else math.floor(value * n)
    raise ValueError(
        f"{name} must be an int in the range [1, inf) (a number of reports) or a float in "
        f"the range [0.0, 1.0] (a share of them); got {value!r}."
    )


def dtm(docs: Docs, *, min_df: float = 1, max_df: float = 1.0, **segment_options) -> pd.DataFrame:
    """Document-term matrix: one row per report (indexed by ``id``), one column per term.

    Cells are counts. ``min_df`` / ``max_df`` drop terms that occur in too few
    / too many reports: an int is a number of reports, a float in [0, 1] a
    share of them. Columns are sorted by total count (then term), so the matrix
    reads like a frequency table.

    Example:
        >>> dtm({"a": "行政复议案件。", "b": "行政诉讼案件。"})
        term  案件  行政复议  行政诉讼
        id
        a      1     1     0
        b      1     0     1
    """
    check_options(segment_options)
    docs = as_docs(docs)
    low = _report_count("min_df", min_df, len(docs))
    high = _report_count("max_df", max_df, len(docs))
    if low > high:
        raise ValueError(
            f"min_df={min_df!r} asks for terms in at least {low} reports but max_df={max_df!r} "
            f"allows at most {high}: no term can pass. Lower min_df or raise max_df."
        )
    counts = {label: Counter(segment(text, **segment_options)) for label, text in docs.items()}
    matrix = pd.DataFrame.from_dict(counts, orient="index").fillna(0).astype(int)
    present = (matrix > 0).sum()
    matrix = matrix.loc[:, (present >= low) & (present <= high)]
    if matrix.shape[1] == 0 and len(docs):
        raise ValueError(
            f"no term occurs in at least {low} and at most {high} of the {len(docs)} reports; "
            "loosen min_df or max_df."
        )
    order = sorted(matrix.columns, key=lambda term: (-matrix[term].sum(), term))
    matrix = matrix[order]
    matrix.index.name, matrix.columns.name = "id", "term"
    return matrix


def tfidf(
    matrix: pd.DataFrame, *, smooth_idf: bool = True, norm: str | None = "l2"
) -> pd.DataFrame:
    """TF-IDF weights from a document-term matrix of counts (scikit-learn's default variant).

    - tf(t, d) = count of t in d;
    - idf(t) = ln((1 + n) / (1 + df(t))) + 1 with ``smooth_idf`` (as if one
      extra report contained every term once), else ln(n / df(t)) + 1;
    - tf-idf = tf × idf, then each row divided by its Euclidean length (``norm="l2"``),
      so long and short reports are comparable.

    Example:
        >>> weights = tfidf(dtm({"a": "行政复议案件。", "b": "行政诉讼案件。"}))
        >>> weights.round(3)
        term    案件   行政复议   行政诉讼
        id
        a     0.58  0.815  0.000
        b     0.58  0.000  0.815
    """
    if norm not in ("l2", None):
        raise ValueError(f"norm must be 'l2' or None, not {norm!r}")
    counts = matrix.to_numpy(dtype=float)
    n = counts.shape[0]
    df = (counts > 0).sum(axis=0)
    # Without smoothing, a term in no report would divide by zero; its counts are all 0.
    smoothed = np.log((1 + n) / (1 + df)) + 1
    idf = smoothed if smooth_idf else np.log(n / np.maximum(df, 1)) + 1
    weights = counts * idf
    if norm == "l2":
        lengths = np.sqrt((weights**2).sum(axis=1, keepdims=True))
        weights = np.divide(weights, lengths, out=np.zeros_like(weights), where=lengths > 0)
    return pd.DataFrame(weights, index=matrix.index, columns=matrix.columns)


def _direction(target_rate: float, reference_rate: float) -> str:
    if target_rate > reference_rate:
        return "over"
    return "under" if target_rate < reference_rate else "same"


def keyness(target: Docs | str, reference: Docs | str, *, min_count: int = 3, **segment_options):
    """Which terms a target text uses more (or less) than a reference, and how surely.

    For each term: ``target`` and ``reference`` counts; ``g2`` (log-likelihood
    of the 2×2 table term / other words × target / reference); ``p_value``
    (G² follows a χ² distribution with one degree of freedom: p = erfc(√(G²/2)));
    ``log_ratio`` = log2 of the ratio of relative frequencies (a zero count
    counts as 0.5), positive when the target uses the term more; ``use``
    ("over", "under" or "same"). Terms with fewer than ``min_count`` uses in total are
    left out. Sorted by G².

    ``target`` and ``reference`` are each one text or several reports (any form
    of :func:`helpers.corpus.as_docs`, e.g. the corpus table).
    """
    check_int("min_count", min_count, low=1)
    check_options(segment_options)
    target_counts = Counter()
    for text in [target] if isinstance(target, str) else as_docs(target).values():
        target_counts.update(segment(text, **segment_options))
    reference_counts = Counter()
    for text in [reference] if isinstance(reference, str) else as_docs(reference).values():
        reference_counts.update(segment(text, **segment_options))
    size_t, size_r = sum(target_counts.values()), sum(reference_counts.values())
    if not size_t or not size_r:
        empty = "target" if not size_t else "reference"
        raise ValueError(f"the {empty} has no words after segmentation; nothing to compare")
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
    table = pd.DataFrame(
        rows,
        columns=["term", "target", "reference", "g2", "log_ratio", "p_value", "use", "english"],
    )
    table["english"] = table["english"].astype("string")
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def similarity(matrix: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity between the rows of a matrix (counts or TF-IDF weights).

    cos(u, v) = u·v / (|u| |v|): 1 for the same direction, 0 for no shared
    term. The result is symmetric with 1 on the diagonal (NaN for a report with
    no words at all, which is similar to nothing).

    Example:
        >>> similarity(dtm({"a": "行政复议案件。", "b": "行政诉讼案件。"}))
        id    a    b
        id
        a   1.0  0.5
        b   0.5  1.0
    """
    values = matrix.to_numpy(dtype=float)
    lengths = np.sqrt((values**2).sum(axis=1))
    unit = np.divide(
        values, lengths[:, None], out=np.zeros_like(values), where=lengths[:, None] > 0
    )
    cosine = np.clip(unit @ unit.T, -1.0, 1.0)
    cosine = (cosine + cosine.T) / 2  # exactly symmetric despite rounding
    np.fill_diagonal(cosine, np.where(lengths > 0, 1.0, np.nan))
    index = pd.Index(matrix.index, name="id")
    return pd.DataFrame(cosine, index=index, columns=index.copy())


@cache
def load_themes() -> pd.DataFrame:
    """The national themes and their indicative terms: columns theme, theme_zh, term, source."""
    with open(THEMES_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return pd.DataFrame(rows, columns=["theme", "theme_zh", "term", "source"])


def theme_profile(docs: Docs, **segment_options) -> pd.DataFrame:
    """How much each report says about each national theme: theme-term tokens per 10,000 words.

    One row per report, one column per theme (in the order of the themes
    file). A theme's value is the number of tokens that are one of its
    indicative terms, per 10,000 tokens of the report. Indexed by ``id``.
    """
    check_options(segment_options)
    themes = load_themes()
    term_theme = dict(zip(themes["term"], themes["theme"], strict=True))
    order = list(dict.fromkeys(themes["theme"]))
    rows = {}
    for label, text in as_docs(docs).items():
        tokens = segment(text, **segment_options)
        hits = Counter(term_theme[t] for t in tokens if t in term_theme)
        size = max(len(tokens), 1)
        rows[label] = {theme: round(hits[theme] / size * 10_000, 1) for theme in order}
    profile = pd.DataFrame.from_dict(rows, orient="index", columns=order)
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


_ENUMERATOR_RE = re.compile(r"^(?:（?[一二三四五六七八九十\d]+[）、.．]|[一二三四五六七八九十]+是)")


def _shingles(sentence: str, n: int) -> frozenset[str]:
    # Heading numbers ("（四）", "1.", "一是") say nothing about wording.
    chars = "".join(ch for ch in _ENUMERATOR_RE.sub("", sentence) if ch.isalnum())
    return frozenset(chars[i : i + n] for i in range(len(chars) - n + 1))


def _check_sentence_options(threshold, n, min_chars) -> None:
    check_share("threshold", threshold, closed_low=False)
    check_int("n", n, low=1)
    check_int("min_chars", min_chars, low=1)


def shared_sentences(
    docs: Docs, *, threshold: float = 0.4, n: int = 2, min_chars: int = 10
) -> pd.DataFrame:
    """Pairs of near-identical sentences in two different reports (formulaic text, 套话).

    Each sentence (of at least ``min_chars`` characters) becomes the set of
    its character ``n``-grams (heading numbers such as （四） or 一是 left out);
    two sentences are near-duplicates when the
    Jaccard similarity |A ∩ B| / |A ∪ B| of their sets is at least
    ``threshold`` (in (0, 1]). Columns: id_a, sentence_a, id_b, sentence_b,
    jaccard; sorted by jaccard.
    """
    _check_sentence_options(threshold, n, min_chars)
    units = [
        (label, sentence, _shingles(sentence, n))
        for label, text in as_docs(docs).items()
        for sentence in sentences(text)
        if len(sentence) >= min_chars
    ]
    rows = []
    for i, (label_a, sentence_a, set_a) in enumerate(units):
        for label_b, sentence_b, set_b in units[i + 1 :]:
            if label_a == label_b or not set_a or not set_b:
                continue
            if min(len(set_a), len(set_b)) < threshold * max(len(set_a), len(set_b)):
                continue  # sizes alone rule the pair out
            jaccard = len(set_a & set_b) / len(set_a | set_b)
            if jaccard >= threshold:
                rows.append(
                    {
                        "id_a": label_a,
                        "sentence_a": sentence_a,
                        "id_b": label_b,
                        "sentence_b": sentence_b,
                        "jaccard": round(jaccard, 3),
                    }
                )
    table = pd.DataFrame(
        rows, columns=["id_a", "sentence_a", "id_b", "sentence_b", "jaccard"]
    )
    table = table.sort_values(["jaccard", "id_a", "id_b"], ascending=[False, True, True])
    return table.reset_index(drop=True)


def formulaic_share(
    docs: Docs, *, threshold: float = 0.4, n: int = 2, min_chars: int = 10
) -> pd.DataFrame:
    """Per report: sentences, how many have a near-duplicate in another report, and the share.

    Same sentence rules and arguments as :func:`shared_sentences`. Indexed by ``id``.
    """
    _check_sentence_options(threshold, n, min_chars)
    docs = as_docs(docs)
    pairs = shared_sentences(docs, threshold=threshold, n=n, min_chars=min_chars)
    rows = {}
    for label, text in docs.items():
        own = [s for s in sentences(text) if len(s) >= min_chars]
        shared = set(pairs.loc[pairs["id_a"] == label, "sentence_a"]) | set(
            pairs.loc[pairs["id_b"] == label, "sentence_b"]
        )
        rows[label] = {
            "sentences": len(own),
            "shared": len(shared),
            "share": round(len(shared) / len(own), 3) if own else float("nan"),
        }
    share = pd.DataFrame.from_dict(rows, orient="index", columns=["sentences", "shared", "share"])
    share.index.name = "id"
    return share
