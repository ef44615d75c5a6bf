"""Formulaic text (套话): sentences that two reports share, word for word or nearly.

Introduced in ``notebooks/04_cross_report_comparison.ipynb``, section 7.

Each sentence (of at least ``min_chars`` characters) becomes the set of its
character ``n``-grams ("shingles"; heading numbers such as （四）, 1. or 一是 left
out). Two sentences are near-duplicates when the **Jaccard similarity** of their
sets, |A ∩ B| / |A ∪ B|, is at least ``threshold``.

Finding the pairs, two ways (``method``):

- ``"exact"`` compares every pair of distinct sentences. The notebook teaches
  this; its cost grows with the square of the number of sentences, which is
  fine for a few dozen reports and hopeless for thousands.
- ``"lsh"`` finds candidate pairs with **MinHash** signatures and
  **locality-sensitive hashing** (datasketch's MinHash, computed for many
  sentences at once): each sentence's signature is cut into b bands of r
  values, and two sentences become candidates when one band is identical,
  which happens with probability 1 − (1 − J^r)^b for Jaccard J. b and r are
  chosen from the threshold so that a pair *at* the threshold is found with
  probability 0.98 (at 0.4: 60 bands of 3), and more similar pairs almost
  surely. Every candidate is then checked with the exact Jaccard, so LSH never
  reports a false pair; it can miss a few true ones near the threshold
  (``tests/test_scale.py`` measures the recall). Its cost grows about linearly
  with the corpus, though a low threshold (under about 0.3) needs many more
  candidates.
- ``"auto"`` (the default): exact up to :data:`EXACT_UP_TO` distinct sentences,
  LSH above.

Identical sentences are compared once (a stock phrase used in 500 reports is one
sentence, not 125,000 pairs), and :func:`formulaic_share` asks only whether a
sentence has *a* near-duplicate elsewhere, so it stops at the first one found.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import cache as _cache
from .checks import check_int, check_share
from .clean import sentences
from .corpus import Docs, as_docs
from .parallel import imap_reports, map_reports

# Fingerprint this module's code now, as it is loaded (see helpers.cache.source_version).
_cache.source_version(sys.modules[__name__])

__all__ = ["EXACT_UP_TO", "formulaic_share", "shared_sentences"]

#: method="auto" compares every pair of distinct sentences up to this many of them.
EXACT_UP_TO = 2_500
#: LSH finds a pair whose Jaccard equals the threshold at least this often (more similar
#: pairs more often): the number of bands and rows is chosen for it (see _bands).
PAIR_RECALL = 0.98
METHODS = ("auto", "exact", "lsh")

_ENUMERATOR_RE = re.compile(r"^(?:（?[一二三四五六七八九十\d]+[）、.．]|[一二三四五六七八九十]+是)")


_NOT_ALNUM_RE = re.compile(r"[\W_]+")  # \w is isalnum() or "_": this keeps the alphanumerics


def _shingles(sentence: str, n: int) -> frozenset[str]:
    # Heading numbers ("（四）", "1.", "一是") say nothing about wording; nor do punctuation marks.
    chars = _NOT_ALNUM_RE.sub("", _ENUMERATOR_RE.sub("", sentence))
    return frozenset([chars[i : i + n] for i in range(len(chars) - n + 1)])


def _check(threshold, n, min_chars, method) -> None:
    check_share("threshold", threshold, closed_low=False)
    check_int("n", n, low=1)
    check_int("min_chars", min_chars, low=1)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}.")


@dataclass
class _Sentences:
    """Every qualifying sentence of the corpus, and the distinct ones among them."""

    labels: list[str]  # report ids, in corpus order
    units: list[tuple[int, int]]  # (report number, distinct sentence number), in corpus order
    distinct: list[str]  # each distinct sentence once
    shingles: _Shingles  # its shingle set
    where: list[list[int]]  # for each distinct sentence, the units that are it


def _long_sentences(task: tuple[str, int]) -> list[str]:
    """One report's work, in any process: its sentences of at least min_chars characters."""
    text, min_chars = task
    return [sentence for sentence in sentences(text) if len(sentence) >= min_chars]


def _collect(docs: dict[str, str], n: int, min_chars: int, n_jobs=None, keep=True) -> _Sentences:
    tasks = [(text, min_chars) for text in docs.values()]
    number: dict[str, int] = {}
    units: list[tuple[int, int]] = []
    where: list[list[int]] = []
    per_report = imap_reports(_long_sentences, tasks, n_jobs=n_jobs, desc="sentences")
    for r, found in enumerate(per_report):
        for sentence in found:  # each distinct sentence is kept once, however often it occurs
            k = number.setdefault(sentence, len(number))
            if k == len(where):
                where.append([])
            where[k].append(len(units))
            units.append((r, k))
    distinct = list(number)
    return _Sentences(list(docs), units, distinct, _Shingles(distinct, n, keep), where)


class _Shingles:
    """The shingle set of each distinct sentence, made when asked for.

    With ``keep`` they are kept once made (fast for many checks, but a set of
    two-character strings takes about 2 kB: 200 MB for 100,000 sentences);
    without, each check makes them again.
    """

    def __init__(self, distinct: list[str], n: int, keep: bool = True):
        self.distinct, self.n, self.keep = distinct, n, keep
        self._made: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.distinct)

    def __getitem__(self, i: int) -> frozenset[str]:
        found = self._made.get(i)
        if found is None:
            found = _shingles(self.distinct[i], self.n)
            if self.keep:
                self._made[i] = found
        return found

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b)


def _similar_exact(shingles: list[frozenset], threshold: float) -> dict[tuple[int, int], float]:
    """Every pair i < j of distinct sentences with Jaccard >= threshold (all pairs compared).

    The intersections of all pairs at once are a sparse matrix product: X · Xᵀ,
    X having one row per sentence and a 1 for each of its shingles.
    """
    from scipy import sparse

    column: dict[str, int] = {}
    rows, cols = [], []
    for i, shingle_set in enumerate(shingles):
        for shingle in shingle_set:
            rows.append(i)
            cols.append(column.setdefault(shingle, len(column)))
    m = len(shingles)
    x = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(m, len(column))
    )
    sizes = np.array([len(s) for s in shingles])
    found: dict[tuple[int, int], float] = {}
    block = max(1, 4_000_000 // max(m, 1))
    xt = x.T.tocsc()
    for start in range(0, m, block):
        inter = (x[start : start + block] @ xt).tocoo()
        i, j, shared = inter.row + start, inter.col, inter.data
        keep = j > i
        i, j, shared = i[keep], j[keep], shared[keep]
        union = sizes[i] + sizes[j] - shared
        jaccard = shared / union
        for a, b, value in zip(i[jaccard >= threshold], j[jaccard >= threshold],
                               jaccard[jaccard >= threshold], strict=True):  # fmt: skip
            found[int(a), int(b)] = float(value)
    return found


@functools.cache
def _bands(threshold: float) -> tuple[int, int]:
    """(bands, rows): the most rows per band (fewest chance candidates) that still finds
    a pair at ``threshold`` with probability PAIR_RECALL, within 256 hash values.

    A pair of Jaccard J shares one band with probability 1 − (1 − J^rows)^bands.

    Example:
        >>> _bands(0.4), _bands(0.2)
        ((60, 3), (96, 2))
    """
    for rows in (5, 4, 3, 2, 1):
        miss = 1 - threshold**rows
        bands = 1 if miss <= 0 else math.ceil(math.log(1 - PAIR_RECALL) / math.log(miss))
        if bands * rows <= 256 or rows == 1:
            return bands, rows
    raise AssertionError("unreachable")


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The random permutations (a, b) of datasketch's MinHash, for ``num_perm`` hash values."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32, scheme="affine32")
    a, b = minhash.permutations
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies before its permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _signatures(sets: list[frozenset[str]], num_perm: int) -> np.ndarray:
    """MinHash signatures, one row per set: datasketch's MinHash ("affine32"), all sets at once.

    Each shingle is hashed with CRC-32 (so a signature is the same in every
    process and session) and mixed with MurmurHash3's finalizer; each of the
    ``num_perm`` permutations of datasketch's MinHash maps it to a·h + b in 32
    bits; a signature value is the smallest over the set. This is what
    ``datasketch.MinHash.update_batch`` computes, done for many sets in one array
    operation (``tests/test_scale.py`` checks that they agree).
    """
    a, b = _permutations(num_perm)
    sizes = np.array([len(shingle_set) for shingle_set in sets], dtype=np.int64)
    signatures = np.full((len(sets), len(a)), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = sizes > 0
    if filled.any():
        hashes = np.fromiter(
            (zlib.crc32(s.encode("utf-8")) for shingle_set in sets for s in shingle_set),
            dtype=np.uint32,
            count=int(sizes.sum()),
        )
        with np.errstate(over="ignore"):  # multiplication modulo 2**32 is the point
            permuted = a[:, None] * _fmix32(hashes)[None, :] + b[:, None]  # permutation × shingle
        starts = (np.cumsum(sizes) - sizes)[filled]
        signatures[filled] = np.minimum.reduceat(permuted, starts, axis=1).T
    return signatures


def _band_keys(task: tuple[list[str], int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Work for any process: the LSH band keys of some sentences, and their shingle counts.

    Each sentence's MinHash signature is cut into ``bands`` runs of ``rows``
    values, and each run is folded into one 32-bit key (one row of keys per
    sentence). 32-bit keys mean that now and then two unrelated sentences share
    one by chance, which only adds a candidate that the exact check turns down.
    Sentences with no shingles are never anyone's candidate (their count is 0).
    """
    chunk, n, bands, rows = task
    sets = [_shingles(sentence, n) for sentence in chunk]
    runs = _signatures(sets, bands * rows).reshape(len(chunk), bands, rows)
    keys = np.zeros((len(chunk), bands), dtype=np.uint32)
    with np.errstate(over="ignore"):  # multiplication modulo 2**32 is the point
        for r in range(rows):
            keys = keys * np.uint32(0x9E3779B1) + runs[:, :, r]
    return keys, np.array([len(shingle_set) for shingle_set in sets], dtype=np.int32)


class _Buckets:
    """The LSH index: for each band, the sentences sorted by their key in that band."""

    def __init__(self, distinct: list[str], n: int, threshold: float, n_jobs=None):
        self.bands, rows = _bands(threshold)
        size = 500  # sentences per task: ~17,000 shingles × ≤ 256 hash values, ≤ 17 MB
        tasks = [
            (distinct[start : start + size], n, self.bands, rows)
            for start in range(0, len(distinct), size)
        ]
        parts = map_reports(_band_keys, tasks, n_jobs=n_jobs, desc="MinHash")
        empty = np.zeros((0, self.bands), dtype=np.uint32)
        self.keys = np.concatenate([keys for keys, _ in parts]) if parts else empty
        #: each sentence's number of shingles (0: it can be no one's near-duplicate)
        self.sizes = np.concatenate([sizes for _, sizes in parts]) if parts else np.zeros(0, int)
        del parts
        self.order = np.empty(self.keys.shape, dtype=np.int32)  # per band, sentences by key
        self.sorted = np.empty_like(self.keys)
        for band in range(self.bands):  # one band at a time: no n × bands temporary
            self.order[:, band] = np.argsort(self.keys[:, band], kind="stable")
            self.sorted[:, band] = self.keys[self.order[:, band], band]

    def candidates(self, i: int) -> Iterator[int]:
        """Sentences that share a band with sentence i, each once, band after band."""
        seen = {i}
        for band in range(self.bands):
            column = self.sorted[:, band]
            key = self.keys[i, band]
            start = np.searchsorted(column, key, side="left")
            end = np.searchsorted(column, key, side="right")
            for j in self.order[start:end, band]:
                j = int(j)
                if j not in seen:
                    seen.add(j)
                    yield j


def _similar_lsh(distinct: list[str], shingles, threshold: float, n: int, n_jobs=None):
    """Pairs i < j with Jaccard >= threshold among the LSH candidates (each checked exactly)."""
    buckets = _Buckets(distinct, n, threshold, n_jobs)
    found: dict[tuple[int, int], float] = {}
    for i in range(len(distinct)):
        if not shingles[i]:
            continue
        for j in buckets.candidates(i):
            if j > i:
                value = _jaccard(shingles[i], shingles[j])
                if value >= threshold:
                    found[i, j] = value
    return found


def _method(method: str, n_distinct: int) -> str:
    if method == "auto":
        return "exact" if n_distinct <= EXACT_UP_TO else "lsh"
    return method


def shared_sentences(
    docs: Docs,
    *,
    threshold: float = 0.4,
    n: int = 2,
    min_chars: int = 10,
    method: str = "auto",
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Pairs of near-identical sentences in two different reports (formulaic text, 套话).

    See the module's docstring for the sentence rules and ``method``. Columns:
    id_a, sentence_a, id_b, sentence_b, jaccard; sorted by jaccard. The table
    has a row for every pair of occurrences, so a phrase that many reports
    share gives many rows (for large corpora, :func:`formulaic_share` counts
    without listing pairs).

    Example:
        >>> two = {"a": "2.认真做好行政应诉工作。", "b": "4.认真做好行政应诉、复议工作。"}
        >>> shared_sentences(two)[["id_a", "id_b", "jaccard"]]
          id_a id_b  jaccard
        0    a    b    0.667
    """
    _check(threshold, n, min_chars, method)
    found = _collect(as_docs(docs), n, min_chars, n_jobs)
    if _method(method, len(found.distinct)) == "exact":
        similar = _similar_exact(list(found.shingles), threshold)
    else:
        similar = _similar_lsh(found.distinct, found.shingles, threshold, n, n_jobs)
    for k, shingle_set in enumerate(found.shingles):  # the same sentence in two reports
        if shingle_set and len(found.where[k]) > 1:
            similar[k, k] = 1.0
    pairs: dict[tuple[int, int], float] = {}
    for (i, j), value in similar.items():
        for u in found.where[i]:
            for v in found.where[j]:
                a, b = min(u, v), max(u, v)
                if a != b and found.units[a][0] != found.units[b][0]:
                    pairs[a, b] = value
    rows = [
        {
            "id_a": found.labels[found.units[a][0]],
            "sentence_a": found.distinct[found.units[a][1]],
            "id_b": found.labels[found.units[b][0]],
            "sentence_b": found.distinct[found.units[b][1]],
            "jaccard": round(value, 3),
        }
        for (a, b), value in sorted(pairs.items())
    ]
    table = pd.DataFrame(rows, columns=["id_a", "sentence_a", "id_b", "sentence_b", "jaccard"])
    table = table.sort_values(["jaccard", "id_a", "id_b"], ascending=[False, True, True])
    return table.reset_index(drop=True)


def _shared_flags(found: _Sentences, threshold: float, method: str, n: int, n_jobs=None):
    """For each distinct sentence, the reports in which it has a near-duplicate elsewhere."""
    reports = [{found.units[u][0] for u in units} for units in found.where]
    flags: list[set[int]] = [set() for _ in found.distinct]
    if method == "exact":
        shingles = list(found.shingles)
        sizes = np.array([len(s) for s in shingles])
        similar = _similar_exact(shingles, threshold)
    else:
        buckets = _Buckets(found.distinct, n, threshold, n_jobs)
        sizes = buckets.sizes
    for k, owners in enumerate(reports):
        if sizes[k] and len(owners) > 1:
            flags[k] = set(owners)  # the very same sentence in another report
    if method == "exact":
        for i, j in similar:
            for a, b in ((i, j), (j, i)):
                flags[a] |= {r for r in reports[a] if reports[b] - {r}}
        return flags
    for i in range(len(found.distinct)):
        waiting = reports[i] - flags[i]  # reports where sentence i has no partner yet
        if not waiting or not sizes[i]:
            continue
        own = None
        for j in buckets.candidates(i):
            if not waiting:
                break  # a partner is found for every report that has sentence i
            helps = {r for r in waiting if reports[j] - {r}}  # j stands in another report
            if not helps or min(sizes[i], sizes[j]) / max(sizes[i], sizes[j]) < threshold:
                continue  # no use, or the sizes alone rule out a Jaccard of threshold
            own = found.shingles[i] if own is None else own
            if _jaccard(own, found.shingles[j]) >= threshold:
                flags[i] |= helps
                waiting -= helps
    return flags


def _formulaic_table(docs: dict[str, str], threshold, n, min_chars, method, n_jobs=None):
    # Each sentence needs one partner, usually its first candidate: shingle sets are
    # made when needed rather than kept (a large corpus has too many to keep).
    found = _collect(docs, n, min_chars, n_jobs, keep=False)
    flags = _shared_flags(found, threshold, _method(method, len(found.distinct)), n, n_jobs)
    counts = [0] * len(docs)
    for r, _ in found.units:  # every qualifying sentence, repeats included
        counts[r] += 1
    shared = [0] * len(docs)
    for owners in flags:  # each distinct sentence once per report
        for r in owners:
            shared[r] += 1
    share = [round(s / c, 3) if c else float("nan") for s, c in zip(shared, counts, strict=True)]
    table = pd.DataFrame(
        {"sentences": counts, "shared": shared, "share": share},
        index=pd.Index(list(docs), name="id"),
    )
    return table


def formulaic_share(
    docs: Docs,
    *,
    threshold: float = 0.4,
    n: int = 2,
    min_chars: int = 10,
    method: str = "auto",
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Per report: sentences, how many have a near-duplicate in another report, and the share.

    ``sentences`` counts the report's qualifying sentences; ``shared`` the
    distinct ones among them with a near-duplicate in another report;
    ``share`` = shared / sentences. Same sentence rules and arguments as
    :func:`shared_sentences`. Indexed by ``id``. The result is cached for the
    whole corpus (its texts, ids and the arguments), so a rerun on an unchanged
    corpus costs nothing.
    """
    _check(threshold, n, min_chars, method)
    docs = as_docs(docs)
    from importlib.metadata import version

    entry = _cache.key(
        "formulaic",
        _cache.source_version(sys.modules[__name__]),
        _cache.source_version(sys.modules["helpers.clean"]),
        version("datasketch"),  # its permutations decide the LSH candidates
        f"{threshold}|{n}|{min_chars}|{method}",
        *(part for label, text in docs.items() for part in (repr(label), text)),
    )
    body = _cache.read_entry("formulaic", entry)
    if body is not None:
        stored = json.loads(body)
        return pd.DataFrame(
            {
                "sentences": pd.array(stored["sentences"], dtype="int64"),
                "shared": pd.array(stored["shared"], dtype="int64"),
                "share": pd.array(stored["share"], dtype="float64"),
            },
            index=pd.Index(list(docs), name="id"),  # the key holds every id: these are they
        )
    table = _formulaic_table(docs, threshold, n, min_chars, method, n_jobs)
    stored = {column: table[column].tolist() for column in table}
    _cache.write_entry("formulaic", entry, json.dumps(stored, ensure_ascii=False))
    return table
