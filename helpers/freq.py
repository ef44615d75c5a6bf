"""Term frequency: counts, n-grams, collocations and keyword in context.

Introduced in ``notebooks/03_term_frequency.ipynb``.

Every function here takes the reports in any form of
:func:`helpers.corpus.as_docs` (the corpus table, a Series, a dict id → text,
or a list) and the segmentation options of :func:`helpers.segment`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .checks import check_bool, check_int
from .corpus import Docs, as_docs
from .segmentation import check_options, corpus_counts, family, gloss, segment_spans, token_runs

__all__ = ["collocations", "kwic", "log_likelihood", "ngrams", "term_frequencies", "top_terms"]


def term_frequencies(
    docs: Docs,
    *,
    by: str = "term",
    by_report: bool = False,
    n_jobs: int | None = None,
    **segment_options,
) -> pd.DataFrame:
    """How often each term occurs, overall and relative to corpus size.

    Columns: ``term``, ``count`` (occurrences in all docs), ``per_10k``
    (count per 10,000 tokens of the whole corpus), ``doc_freq`` (in how many
    docs it occurs), ``english`` (the vocabulary's gloss, where known), and with
    ``by_report=True`` one count column per report, named by its id. Sorted by
    count, then term. (:func:`helpers.dtm` gives the same counts as a report ×
    term table indexed by ``id``.) ``n_jobs``: see :mod:`helpers.parallel`.

    ``by="family"`` counts concepts instead of words: every token counts for
    its vocabulary family (:func:`helpers.segmentation.family`: 行政执法 and
    综合行政执法 both for 执法), the first column is ``family``, and ``terms``
    lists the words counted for it, most frequent first.

    Example:
        >>> table = term_frequencies({"a": "推行一网通办。", "b": "一网通办全面推行。"})
        >>> table[["term", "count", "per_10k", "doc_freq"]].to_dict("records")[0]
        {'term': '一网通办', 'count': 2, 'per_10k': 5000.0, 'doc_freq': 2}
        >>> by_family = term_frequencies(["行政执法，综合行政执法。"], by="family")
        >>> by_family[["family", "count", "terms"]].to_dict("records")[0]
        {'family': '执法', 'count': 2, 'terms': '综合行政执法、行政执法'}
    """
    check_bool("by_report", by_report)
    if by not in ("term", "family"):
        raise ValueError(f"by must be 'term' or 'family'; got {by!r}.")
    counts = corpus_counts(docs, n_jobs=n_jobs, **segment_options)
    matrix = counts.matrix.tocsc()
    terms = counts.terms.astype(str)
    if by == "family":
        matrix, terms, members = _by_family(matrix, terms)
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    n_tokens = int(totals.sum())
    table = pd.DataFrame({"term": terms, "count": totals})
    table["per_10k"] = (table["count"] / n_tokens * 10_000).round(2) if n_tokens else 0.0
    table["doc_freq"] = np.diff(matrix.indptr)  # reports with the term: the column's non-zeros
    table["english"] = pd.array([gloss(term) for term in table["term"]], dtype="string")
    if by_report:
        clash = set(counts.ids) & set(table.columns)
        if clash:
            raise ValueError(f"a report label ({sorted(clash)[0]!r}) is also a column name.")
        dense = matrix.T.toarray()  # term × report
        for k, label in enumerate(counts.ids):
            table[label] = dense[:, k]
    table = table.sort_values(["count", "term"], ascending=[False, True], kind="stable")
    if by == "family":
        table.insert(4, "terms", [members[name] for name in table["term"]])
        table = table.rename(columns={"term": "family"})
    return table.reset_index(drop=True)


def _by_family(matrix, terms: np.ndarray):
    """Columns of a report × term matrix added up by family; and each family's words."""
    from scipy import sparse

    names = [family(term) for term in terms]
    index = {name: k for k, name in enumerate(dict.fromkeys(names))}
    columns = np.array([index[name] for name in names])
    join = sparse.csr_matrix(
        (np.ones(len(terms), dtype=np.int64), (np.arange(len(terms)), columns)),
        shape=(len(terms), len(index)),
    )
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    members: dict[str, list[tuple[int, str]]] = {name: [] for name in index}
    for term, name, total in zip(terms, names, totals, strict=True):
        members[name].append((-int(total), str(term)))
    listed = {name: "、".join(term for _, term in sorted(found)) for name, found in members.items()}
    return (matrix @ join).tocsc(), np.array(list(index), dtype=str), listed


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """Consecutive runs of ``n`` tokens.

    Example:
        >>> ngrams(["依法", "行政", "决策"], 2)
        [('依法', '行政'), ('行政', '决策')]
    """
    check_int("n", n, low=1)
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Dunning's G² of the 2×2 table [[a, b], [c, d]]: 2 Σ O ln(O / E).

    E is what each cell would hold if rows and columns were independent
    (row total × column total / grand total). Zero cells add nothing. Used for
    collocations here and for keyness in :mod:`helpers.compare`. G² is never
    negative; floating-point rounding can make the sum a tiny negative number
    when the observed counts equal the expected ones, so it is clipped at 0.

    Example:
        >>> round(log_likelihood(10, 990, 2, 998), 3)  # 10 vs 2 uses in 1,000 words each
        5.854
    """
    n = a + b + c + d
    rows, cols = (a + b, c + d), (a + c, b + d)
    total = 0.0
    for observed, row, col in ((a, 0, 0), (b, 0, 1), (c, 1, 0), (d, 1, 1)):
        if observed:
            total += observed * math.log(observed / (rows[row] * cols[col] / n))
    return max(0.0, 2 * total)


def collocations(docs: Docs, *, min_count: int = 3, **segment_options) -> pd.DataFrame:
    """Word pairs that occur side by side more often than chance.

    Pairs are neighbouring tokens between punctuation marks. Every pair counts
    towards the totals; only pairs of two words that :func:`helpers.segment`
    keeps (with the same options: no stopword, no number) are listed. For a
    pair (w1, w2) with count c12 among N pairs, c1 pairs starting with w1 and
    c2 ending with w2:

    - ``pmi`` = log2(c12 · N / (c1 · c2)): how many times more often than
      chance, on a log scale;
    - ``log_likelihood`` = Dunning's G² of the 2×2 table (w1 / not w1 × w2 /
      not w2): how far the counts are from what independence predicts, large
      for frequent pairs (see notebook 04 on reading it as a test).

    Columns: w1, w2, bigram, count, pmi, log_likelihood; sorted by
    log-likelihood. Only pairs seen at least ``min_count`` times, and more
    often than chance (PMI > 0): G² alone is also large for pairs that are
    rarer than chance.

    Example:
        >>> docs = {"a": "行政诉讼案件增加。行政诉讼案件减少。行政诉讼工作加强。执法案件下降。"}
        >>> collocations(docs, min_count=2)[["bigram", "count", "pmi", "log_likelihood"]]
                 bigram  count   pmi  log_likelihood
        0  行政诉讼案件      2  0.83            1.76
    """
    check_int("min_count", min_count, low=1)
    check_options(segment_options)
    pairs: Counter[tuple[tuple[str, bool], tuple[str, bool]]] = Counter()
    for text in as_docs(docs).values():
        for run in token_runs(text, **segment_options):
            pairs.update(itertools.pairwise(run))
    n = sum(pairs.values())
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    for ((w1, _), (w2, _)), c in pairs.items():
        first[w1] += c
        second[w2] += c
    rows = []
    for ((w1, keep1), (w2, keep2)), c12 in pairs.items():
        if c12 < min_count or not (keep1 and keep2):
            continue
        c1, c2 = first[w1], second[w2]
        if c12 * n <= c1 * c2:
            continue  # not more often than chance (PMI <= 0): G² would still be large
        rows.append(
            {
                "w1": w1,
                "w2": w2,
                "bigram": w1 + w2,
                "count": c12,
                "pmi": round(math.log2(c12 * n / (c1 * c2)), 3),
                "log_likelihood": round(
                    log_likelihood(c12, c1 - c12, c2 - c12, n - c1 - c2 + c12), 2
                ),
            }
        )
    columns = ["w1", "w2", "bigram", "count", "pmi", "log_likelihood"]
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["log_likelihood", "bigram"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def kwic(docs: Docs, term: str, *, window: int = 12, **segment_options) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` as a whole word, with its neighbours.

    ``left`` and ``right`` are the ``window`` characters before and after,
    exact substrings of the text (line breaks shown as spaces would change
    them, so they are kept). Columns: id, position (character offset), left,
    keyword, right. Pandas right-aligns the ``left`` column, so the keywords
    line up like a printed concordance.

    Only whole words that :func:`helpers.segment` keeps (with the same
    options) match, so ``len(kwic(docs, t))`` is the count of ``t`` in
    :func:`term_frequencies`. ``kwic(docs, "执法")`` does not list the 执法
    inside 行政执法, a term that segmentation splits is not found at all (add it
    with ``extra_terms``), and a stopword needs ``stopwords=False``.

    Example:
        >>> lines = kwic({"a": "推行一网通办，全面一网通办。"}, "一网通办", window=3)
        >>> lines[["left", "keyword", "right"]]
          left keyword right
        0   推行    一网通办   ，全面
        1  ，全面    一网通办     。
    """
    check_int("window", window, low=0)
    if not isinstance(term, str) or not term:
        raise TypeError(f"term must be a non-empty string; got {term!r}.")
    rows = []
    for label, text in as_docs(docs).items():
        for token, start in segment_spans(text, **segment_options):
            if token == term:
                end = start + len(token)
                rows.append(
                    {
                        "id": label,
                        "position": start,
                        "left": text[max(0, start - window) : start],
                        "keyword": token,
                        "right": text[end : end + window],
                    }
                )
    return pd.DataFrame(rows, columns=["id", "position", "left", "keyword", "right"])


def top_terms(docs: Docs, n: int = 20, *, n_jobs: int | None = None, **segment_options):
    """Each report's ``n`` most frequent terms, as a long table.

    Columns: ``id``, ``rank`` (1 = most frequent), ``term``, ``count``,
    ``per_10k`` (per 10,000 of the report's own words) and ``english``. Ties are
    broken by term, so the table is the same on every run.

    Example:
        >>> top_terms({"a": "依法行政，依法行政，行政复议。"}, n=1)[["id", "rank", "term", "count"]]
          id  rank  term  count
        0  a     1  依法行政      2
    """
    check_int("n", n, low=1)
    counts = corpus_counts(docs, n_jobs=n_jobs, **segment_options)
    rows = []
    for row, label in enumerate(counts.ids):
        line = counts.matrix.getrow(row)
        words = max(int(line.sum()), 1)
        found = zip(counts.terms[line.indices], line.data, strict=True)
        pairs = sorted(found, key=lambda pair: (-pair[1], pair[0]))
        for rank, (term, count) in enumerate(pairs[:n], start=1):
            rows.append(
                {
                    "id": label,
                    "rank": rank,
                    "term": term,
                    "count": int(count),
                    "per_10k": round(count / words * 10_000, 2),
                    "english": gloss(term),
                }
            )
    table = pd.DataFrame(rows, columns=["id", "rank", "term", "count", "per_10k", "english"])
    table["english"] = table["english"].astype("string")
    return table
