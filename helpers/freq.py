"""Term frequency: counts, n-grams, collocations and keyword in context.

Introduced in ``notebooks/03_term_frequency.ipynb``.

Every function that takes ``docs`` accepts a list or pandas Series of cleaned
texts, or a dict of report id → text (the ids then label the rows; a Series'
index does the same). Extra keyword arguments go to :func:`helpers.segment`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .segment import gloss, load_stopwords, segment, segment_spans

__all__ = ["as_docs", "collocations", "kwic", "log_likelihood", "ngrams", "term_frequencies"]

Docs = Mapping[str, str] | pd.Series | Sequence[str]


def as_docs(docs: Docs) -> dict[str, str]:
    """Normalise ``docs`` to an ordered dict of label → text.

    Example:
        >>> as_docs(["甲。", "乙。"])
        {'0': '甲。', '1': '乙。'}
        >>> as_docs({"a": "甲。"})
        {'a': '甲。'}
    """
    if isinstance(docs, str):
        raise TypeError("docs is a single string; pass a list of texts, e.g. [text]")
    if isinstance(docs, pd.Series | Mapping):
        pairs = [(str(k), v) for k, v in docs.items()]
    else:
        pairs = [(str(i), v) for i, v in enumerate(docs)]
    labels = [label for label, _ in pairs]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ValueError(f"two documents share the label {repeated[0]!r}; labels must be unique")
    for label, text in pairs:
        if not isinstance(text, str):
            raise TypeError(f"document {label!r} is {type(text).__name__}, not text")
    return dict(pairs)


def term_frequencies(docs: Docs, *, by_report: bool = False, **segment_options) -> pd.DataFrame:
    """How often each term occurs, overall and relative to corpus size.

    Columns: ``term``, ``count`` (occurrences in all docs), ``per_10k``
    (count per 10,000 tokens of the whole corpus), ``doc_freq`` (in how many
    docs it occurs), ``english`` (the vocabulary's gloss, where known), and with
    ``by_report=True`` one count column per document. Sorted by count, then term.

    Example:
        >>> table = term_frequencies({"a": "推行一网通办。", "b": "一网通办全面推行。"})
        >>> table[["term", "count", "per_10k", "doc_freq"]].to_dict("records")[0]
        {'term': '一网通办', 'count': 2, 'per_10k': 5000.0, 'doc_freq': 2}
    """
    counts = {
        label: Counter(segment(text, **segment_options)) for label, text in as_docs(docs).items()
    }
    total = Counter()
    for counter in counts.values():
        total.update(counter)
    n_tokens = sum(total.values())
    table = pd.DataFrame(
        {
            "term": list(total),
            "count": list(total.values()),
        }
    )
    table["per_10k"] = (table["count"] / n_tokens * 10_000).round(2) if n_tokens else 0.0
    table["doc_freq"] = [sum(term in c for c in counts.values()) for term in table["term"]]
    table["english"] = pd.array([gloss(term) for term in table["term"]], dtype="string")
    if by_report:
        clash = set(counts) & set(table.columns)
        if clash:
            raise ValueError(f"a report label ({sorted(clash)[0]!r}) is also a column name")
        for label, counter in counts.items():
            table[label] = [counter.get(term, 0) for term in table["term"]]
    table = table.sort_values(["count", "term"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    """Consecutive runs of ``n`` tokens.

    Example:
        >>> ngrams(["依法", "行政", "决策"], 2)
        [('依法', '行政'), ('行政', '决策')]
    """
    if n < 1:
        raise ValueError(f"n must be 1 or more, not {n}")
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _runs(text: str, **options) -> Iterable[list[str]]:
    """Token runs between punctuation marks (collocations do not cross them)."""
    run: list[str] = []
    for token, _ in segment_spans(text, **options):
        if not token.strip() or not any(ch.isalnum() for ch in token):
            if run:
                yield run
            run = []
        else:
            run.append(token)
    if run:
        yield run


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Dunning's G² of the 2×2 table [[a, b], [c, d]]: 2 Σ O ln(O / E).

    E is what each cell would hold if rows and columns were independent
    (row total × column total / grand total). Zero cells add nothing. Used for
    collocations here and for keyness in :mod:`helpers.compare`.

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
    return 2 * total


def collocations(
    docs: Docs, *, min_count: int = 3, vocabulary: bool = True, extra_terms=()
) -> pd.DataFrame:
    """Word pairs that occur side by side more often than chance.

    Bigrams are counted between punctuation marks; pairs with a stopword or a
    number are left out. For a pair (w1, w2) with count c12 among N bigrams,
    c1 bigrams starting with w1 and c2 ending with w2:

    - ``pmi`` = log2(c12 · N / (c1 · c2)), how much more often than chance;
    - ``log_likelihood`` = Dunning's G² of the 2×2 table (w1 / not w1 × w2 /
      not w2), how sure we can be that the pair is not chance.

    Columns: w1, w2, bigram, count, pmi, log_likelihood; sorted by
    log-likelihood. Only pairs seen at least ``min_count`` times, and more
    often than chance (PMI > 0): G² alone is also large for pairs that are
    rarer than chance.
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for text in as_docs(docs).values():
        for run in _runs(text, vocabulary=vocabulary, extra_terms=extra_terms):
            pairs.update(itertools.pairwise(run))
    n = sum(pairs.values())
    first, second = Counter(), Counter()
    for (w1, w2), c in pairs.items():
        first[w1] += c
        second[w2] += c
    stop = load_stopwords()
    rows = []
    for (w1, w2), c12 in pairs.items():
        if c12 < min_count or w1 in stop or w2 in stop:
            continue
        if any(ch.isdigit() for ch in w1 + w2):
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


def kwic(
    docs: Docs, term: str, *, window: int = 12, vocabulary: bool = True, extra_terms=()
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` as a whole token, with its neighbours.

    ``left`` and ``right`` are the ``window`` characters before and after,
    exact substrings of the text (line breaks shown as spaces would change
    them, so they are kept). Columns: report, position (character offset),
    left, keyword, right. Pandas right-aligns the ``left`` column, so the
    keywords line up like a printed concordance.

    Only whole tokens match: ``kwic(docs, "执法")`` does not list the 执法 inside
    行政执法, and a term that segmentation splits is not found at all (add it
    with ``extra_terms``). Use :func:`helpers.segment` to check how a text was cut.

    Example:
        >>> lines = kwic({"a": "推行一网通办，全面一网通办。"}, "一网通办", window=3)
        >>> lines[["left", "keyword", "right"]]
          left keyword right
        0   推行    一网通办   ，全面
        1  ，全面    一网通办     。
    """
    if window < 0:
        raise ValueError(f"window must be 0 or more characters, not {window}")
    rows = []
    for label, text in as_docs(docs).items():
        for token, start in segment_spans(text, vocabulary=vocabulary, extra_terms=extra_terms):
            if token == term:
                end = start + len(token)
                rows.append(
                    {
                        "report": label,
                        "position": start,
                        "left": text[max(0, start - window) : start],
                        "keyword": token,
                        "right": text[end : end + window],
                    }
                )
    return pd.DataFrame(rows, columns=["report", "position", "left", "keyword", "right"])
