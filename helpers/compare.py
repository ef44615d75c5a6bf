"""Comparing reports: document-term matrix, TF-IDF, keyness, similarity, themes, formulaic text.

Introduced in ``notebooks/04_cross_report_comparison.ipynb``. Every function
that takes ``docs`` accepts a list, a pandas Series or a dict of report id →
cleaned text, like :func:`helpers.term_frequencies`; extra keyword arguments
go to :func:`helpers.segment`.
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

from .clean import sections, sentences
from .freq import Docs, as_docs, log_likelihood
from .segment import gloss, segment

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


def dtm(docs: Docs, *, min_df: float = 1, max_df: float = 1.0, **segment_options) -> pd.DataFrame:
    """Document-term matrix: one row per report, one column per term, cells are counts.

    ``min_df`` / ``max_df`` drop terms that occur in too few / too many
    reports: an int is a number of reports, a float in (0, 1] a share of them.
    Columns are sorted by total count (then term), so the matrix reads like a
    frequency table.

    Example:
        >>> dtm({"a": "行政复议案件。", "b": "行政诉讼案件。"})
           案件  行政复议  行政诉讼
        a   1     1     0
        b   1     0     1
    """
    docs = as_docs(docs)
    counts = {label: Counter(segment(text, **segment_options)) for label, text in docs.items()}
    matrix = pd.DataFrame.from_dict(counts, orient="index").fillna(0).astype(int)
    n = len(matrix)
    present = (matrix > 0).sum()
    low = int(min_df) if isinstance(min_df, numbers.Integral) else math.ceil(min_df * n)
    high = int(max_df) if isinstance(max_df, numbers.Integral) else math.floor(max_df * n)
    matrix = matrix.loc[:, (present >= low) & (present <= high)]
    order = sorted(matrix.columns, key=lambda term: (-matrix[term].sum(), term))
    return matrix[order]


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
             案件   行政复议   行政诉讼
        a  0.58  0.815  0.000
        b  0.58  0.000  0.815
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
    """
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
             a    b
        a  1.0  0.5
        b  0.5  1.0
    """
    values = matrix.to_numpy(dtype=float)
    lengths = np.sqrt((values**2).sum(axis=1))
    unit = np.divide(
        values, lengths[:, None], out=np.zeros_like(values), where=lengths[:, None] > 0
    )
    cosine = np.clip(unit @ unit.T, -1.0, 1.0)
    cosine = (cosine + cosine.T) / 2  # exactly symmetric despite rounding
    np.fill_diagonal(cosine, np.where(lengths > 0, 1.0, np.nan))
    return pd.DataFrame(cosine, index=matrix.index, columns=matrix.index)


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
    indicative terms, per 10,000 tokens of the report.
    """
    themes = load_themes()
    term_theme = dict(zip(themes["term"], themes["theme"], strict=True))
    order = list(dict.fromkeys(themes["theme"]))
    rows = {}
    for label, text in as_docs(docs).items():
        tokens = segment(text, **segment_options)
        hits = Counter(term_theme[t] for t in tokens if t in term_theme)
        size = max(len(tokens), 1)
        rows[label] = {theme: round(hits[theme] / size * 10_000, 1) for theme in order}
    return pd.DataFrame.from_dict(rows, orient="index", columns=order)


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


def shared_sentences(
    docs: Docs, *, threshold: float = 0.4, n: int = 2, min_chars: int = 10
) -> pd.DataFrame:
    """Pairs of near-identical sentences in two different reports (formulaic text, 套话).

    Each sentence (of at least ``min_chars`` characters) becomes the set of
    its character ``n``-grams (heading numbers such as （四） or 一是 left out);
    two sentences are near-duplicates when the
    Jaccard similarity |A ∩ B| / |A ∪ B| of their sets is at least
    ``threshold``. Columns: report_a, sentence_a, report_b, sentence_b,
    jaccard; sorted by jaccard.
    """
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
                        "report_a": label_a,
                        "sentence_a": sentence_a,
                        "report_b": label_b,
                        "sentence_b": sentence_b,
                        "jaccard": round(jaccard, 3),
                    }
                )
    table = pd.DataFrame(
        rows, columns=["report_a", "sentence_a", "report_b", "sentence_b", "jaccard"]
    )
    table = table.sort_values(["jaccard", "report_a", "report_b"], ascending=[False, True, True])
    return table.reset_index(drop=True)


def formulaic_share(
    docs: Docs, *, threshold: float = 0.4, n: int = 2, min_chars: int = 10
) -> pd.DataFrame:
    """Per report: sentences, how many have a near-duplicate in another report, and the share.

    Same sentence rules and arguments as :func:`shared_sentences`.
    """
    docs = as_docs(docs)
    pairs = shared_sentences(docs, threshold=threshold, n=n, min_chars=min_chars)
    rows = {}
    for label, text in docs.items():
        own = [s for s in sentences(text) if len(s) >= min_chars]
        shared = set(pairs.loc[pairs["report_a"] == label, "sentence_a"]) | set(
            pairs.loc[pairs["report_b"] == label, "sentence_b"]
        )
        rows[label] = {
            "sentences": len(own),
            "shared": len(shared),
            "share": round(len(shared) / len(own), 3) if own else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
