"""Segmentation: cleaned Chinese text -> words, with a governance vocabulary.

Introduced in ``notebooks/03_term_frequency.ipynb``.

Chinese is written without spaces, so "words" must be found by a segmenter.
We use jieba in its precise (default) mode: the Python original, or its Rust
port jieba-rs, which gives the same words faster (see :func:`segment`'s
``engine``). Out of the box jieba splits many terms of art (一网通办 → 一网通 /
办), so :func:`segment` first teaches it the project's vocabulary,
``helpers/data/governance_terms.csv``, with ``add_word``. Then it drops
punctuation, spaces, numbers (with the measure word after a number: 83件) and
stopwords.

The same options everywhere: every function of the package that segments
(``term_frequencies``, ``dtm``, ``keyness``, ``kwic``, ``collocations``,
``theme_profile``, ``dispersion_plot`` …) takes the keyword arguments of
:func:`segment` (:data:`OPTIONS`) and means the same by them.

Segmenting is the slow part of the pipeline, so results are cached (see
:mod:`helpers.cache`): keyed by the text, the options, the word lists, jieba's
version and this module's own source code, so a cached result is never stale.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import sys
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import cache as _cache
from .checks import check_bool

# Fingerprint this module's code now, as it is loaded (see helpers.cache.source_version).
_cache.source_version(sys.modules[__name__])

__all__ = [
    "ENGINES",
    "MEASURE_WORDS",
    "OPTIONS",
    "CountsBuilder",
    "WordCounts",
    "check_options",
    "corpus_counts",
    "count_words",
    "family",
    "gloss",
    "load_officialese",
    "load_stopwords",
    "load_vocabulary",
    "segment",
    "segment_spans",
    "token_runs",
    "tokenizer",
]

DATA = Path(__file__).resolve().parent / "data"
VOCABULARY_FILE = DATA / "governance_terms.csv"
STOPWORDS_FILE = DATA / "stopwords_zh.txt"
OFFICIALESE_FILE = DATA / "officialese.csv"
#: English glosses of common words that are not in the vocabulary (工作, 推进, 政府 …).
COMMON_GLOSSES_FILE = DATA / "common_glosses.csv"

_NUMBER_RE = re.compile(r"^[\d.,:%．，％+\-—~～]+$")
#: Measure words (量词) that follow a number: "83件" (83 cases) is a quantity, so
#: when numbers are dropped the measure word right after one goes too. Without
#: this, 件, 项 and 家 rank among the top words of every report.
MEASURE_WORDS = frozenset(
    [
        "件", "项", "家", "个", "次", "人", "名", "人次", "起", "条", "份", "本", "批", "场",
        "期", "户", "余", "余件", "余项", "万", "亿", "元", "万元", "亿元", "余万元", "个百分点",
        "倍", "天", "小时", "个月", "年", "年度", "月", "日", "处", "所", "类", "种", "支",
        "场次", "篇", "期次", "卷",
    ]
)  # fmt: skip


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a data CSV whose header lines start with '#'."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def load_vocabulary() -> pd.DataFrame:
    """The governance vocabulary: columns term, pos, english, family, source, note.

    Example:
        >>> vocabulary = load_vocabulary()
        >>> vocabulary.set_index("term").loc["行政复议", "english"]
        'administrative reconsideration'
    """
    columns = ["term", "pos", "english", "family", "source", "note"]
    return pd.DataFrame(_read_csv(VOCABULARY_FILE), columns=columns)


@cache
def load_stopwords() -> frozenset[str]:
    """The general Chinese stopword list (stopwords-iso, MIT licence).

    Example:
        >>> {"的", "和", "我们"} <= load_stopwords()
        True
    """
    with open(STOPWORDS_FILE, encoding="utf-8") as f:
        return frozenset(w.strip() for w in f if w.strip() and not w.startswith("#"))


@cache
def load_officialese() -> pd.DataFrame:
    """The short list of formulaic officialese (进一步, 加强, 推进 …), with glosses."""
    return pd.DataFrame(_read_csv(OFFICIALESE_FILE), columns=["term", "english"])


@cache
def _glossary() -> dict[str, str]:
    table = load_vocabulary()
    return dict(zip(table["term"], table["english"], strict=True))


@cache
def _common_glosses() -> dict[str, str]:
    """Term -> gloss of the common words (helpers/data/common_glosses.csv), read once."""
    rows = _read_csv(COMMON_GLOSSES_FILE)
    return {row["term"]: row["english"] for row in rows}


@cache
def _families() -> dict[str, str]:
    vocabulary = load_vocabulary()
    return dict(zip(vocabulary["term"], vocabulary["family"], strict=True))


def family(term: str) -> str:
    """The concept a word is an instance of: its vocabulary family, else the word itself.

    The vocabulary's ``family`` column groups the terms of one concept, so that
    行政执法, 行政执法人员 and 综合行政执法 all count as 执法 (see
    ``notebooks/03_term_frequency.ipynb``: substring, token and family counts
    answer different questions).

    Example:
        >>> family("综合行政执法"), family("行政执法人员"), family("苹果")
        ('执法', '执法', '苹果')
    """
    return _families().get(term) or term


def gloss(term: str) -> str | None:
    """English gloss of a word: the vocabulary's, else the common words', else None.

    Terms of art take their gloss from the governance vocabulary
    (``governance_terms.csv``); the frequent general words of the reports
    (工作, 推进, 政府, 全市 …), which the vocabulary leaves out, from
    ``helpers/data/common_glosses.csv``. No word is in both files.

    Example:
        >>> gloss("首违不罚"), gloss("推进"), gloss("苹果")
        ('no penalty for a first minor violation', 'advance, push forward', None)
    """
    english = _glossary().get(term)
    return english if english is not None else _common_glosses().get(term)


# --------------------------------------------------------------------------
# The options, checked once
# --------------------------------------------------------------------------

#: The segmentation options and their defaults: the keyword arguments of :func:`segment`.
OPTIONS = {
    "vocabulary": True,
    "stopwords": True,
    "officialese": False,
    "keep_numbers": False,
    "extra_terms": (),
    "engine": "auto",
    "cache": True,
}

#: The segmenters ``engine`` chooses between: the same algorithm and dictionary.
ENGINES = ("auto", "jieba", "rjieba")


def check_options(options: dict) -> dict:
    """The segmentation options with their defaults filled in, or a clear error.

    Example:
        >>> check_options({"officialese": True})["officialese"]
        True
        >>> check_options({"stopword": False})
        Traceback (most recent call last):
        ...
        TypeError: unknown segmentation option 'stopword'; the options are: vocabulary, ...
    """
    if not isinstance(options, dict):
        raise TypeError(f"segmentation options are keyword arguments; got {options!r}.")
    unknown = [name for name in options if name not in OPTIONS]
    if unknown:
        raise TypeError(
            f"unknown segmentation option {unknown[0]!r}; the options are: {', '.join(OPTIONS)}."
        )
    checked = OPTIONS | options
    for name, value in checked.items():
        if name == "extra_terms":
            if isinstance(value, str) or not all(isinstance(t, str) and t for t in value):
                raise TypeError(
                    "extra_terms takes a list of terms, e.g. extra_terms=['开门立法']; "
                    f"got {value!r}."
                )
            spaced = [term for term in value if any(c.isspace() for c in term)]
            if spaced:
                raise ValueError(
                    f"extra term {spaced[0]!r} holds a space or line break, which always "
                    "separates words, so it could never be found; write it without."
                )
            checked[name] = tuple(value)
        elif name == "engine":
            if value not in ENGINES:
                raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {value!r}.")
            checked[name] = _engine(value)
        else:
            check_bool(name, value)
    return checked


# --------------------------------------------------------------------------
# jieba, with the vocabulary
# --------------------------------------------------------------------------


def _import_jieba():
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources, which newer setuptools deprecate loudly.
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on stderr
    _place_dictionary_cache(jieba.dt)  # jieba's default tokenizer (jieba.lcut) too
    return jieba


def _place_dictionary_cache(cutter) -> None:
    """Keep jieba's dictionary cache in the project's cache folder, never in a shared one.

    jieba saves its prefix dictionary (9 MB) as ``jieba.cache`` in the system's
    temporary folder and later loads whatever file has that name with
    ``marshal``: anyone who can write there could change how text is cut. Here
    the file lives in ``<cache>/jieba/`` (:func:`helpers.cache.kind_dir`, a
    private temporary folder when the disk cache is off) and is named after
    the SHA-256 of jieba's ``dict.txt``. Call before the tokenizer is initialised.
    """
    if getattr(cutter, "initialized", False):
        return
    cutter.tmp_dir = str(_cache.kind_dir("jieba"))
    cutter.cache_file = f"{jieba_dictionary_sha256()}.cache"


@cache
def jieba_dictionary_sha256() -> str:
    """SHA-256 of jieba's own dictionary (``jieba/dict.txt``), or "absent"; read once.

    Part of :func:`data_version`, so a changed dictionary never reuses old segmentations.
    """
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return "absent"
    path = Path(next(iter(spec.submodule_search_locations)), "dict.txt")
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "absent"


def _engine(name: str) -> str:
    """The engine "auto" means: jieba-rs (rjieba) where it is installed, else jieba."""
    if name != "auto":
        if name == "rjieba" and not _has_rjieba():
            raise ImportError(
                "engine='rjieba' needs the rjieba package: run `make install` or "
                "`pip install rjieba`, or use engine='jieba'."
            )
        return name
    return "rjieba" if _has_rjieba() else "jieba"


@cache
def _has_rjieba() -> bool:
    import importlib.util

    return importlib.util.find_spec("rjieba") is not None


@lru_cache(maxsize=6)
def _rust_tokenizer(vocabulary: bool, extra_terms: tuple[str, ...]):
    """jieba-rs (through rjieba) with the same words and frequencies as :func:`tokenizer`."""
    import rjieba

    cutter = rjieba.Jieba()
    if vocabulary:
        for row in load_vocabulary().itertuples():
            cutter.add_word(row.term, _frequency(row.term), row.pos or None)
    for term in extra_terms:
        cutter.add_word(term, _frequency(term), None)
    return cutter


# jieba cuts a run of Latin letters, digits and marks that is not in its dictionary with
# this pattern (jieba/finalseg: re_skip); jieba-rs keeps the run whole ("COVID-19").
_JIEBA_LATIN = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_LATIN_RUN = re.compile(r"[a-zA-Z0-9+#&._%\-]+")


def _cut(text: str, vocabulary: bool, extra_terms: tuple[str, ...], engine: str) -> list[str]:
    """Every token of ``text`` (punctuation and spaces included), in precise mode."""
    if engine != "rjieba":
        return _jieba_tokenizer(vocabulary, extra_terms).lcut(text)
    cutter = _rust_tokenizer(vocabulary, extra_terms)
    tokens = []
    for token in cutter.cut(text):
        if (
            len(token) > 1
            and not token.isalnum()
            and _LATIN_RUN.fullmatch(token)
            and not cutter.has_word(token)
        ):  # "COVID-19", "2021-2025", "38.53.1%": cut as jieba cuts them
            tokens.extend(part for part in _JIEBA_LATIN.split(token) if part)
        else:
            tokens.append(token)
    return tokens


def tokenizer(vocabulary: bool = True, extra_terms=()):
    """A jieba tokenizer, with the governance vocabulary added (or plain jieba).

    ``extra_terms`` are added on top (your own terms, e.g. in an exercise).
    Each call with the same arguments returns the same object; building one
    loads jieba's dictionary once (about half a second), quietly. Do not
    ``add_word`` to the object you get: use ``extra_terms``, so that the
    cache knows about the change.

    Example:
        >>> tokenizer(vocabulary=False).lcut("推行一网通办")
        ['推行', '一网通', '办']
    """
    options = check_options({"vocabulary": vocabulary, "extra_terms": extra_terms})
    return _jieba_tokenizer(options["vocabulary"], options["extra_terms"])


@lru_cache(maxsize=6)  # each tokenizer holds a dictionary of ~60 MB
def _jieba_tokenizer(vocabulary: bool, extra_terms: tuple[str, ...]):
    jieba = _import_jieba()
    cutter = jieba.Tokenizer()
    _place_dictionary_cache(cutter)
    cutter.initialize()
    if vocabulary:
        for row in load_vocabulary().itertuples():
            cutter.add_word(row.term, freq=_frequency(row.term), tag=row.pos or None)
    for term in extra_terms:
        cutter.add_word(term, freq=_frequency(term))
    return cutter


def _frequency(term: str) -> int | None:
    """The dictionary frequency a term gets (None: jieba computes just enough).

    jieba prefers the cut whose words have the highest total frequency. For
    short terms jieba's own minimum keeps them whole without letting them
    swallow a neighbouring character (a large value turned 上位法律 into
    上位法/律). Longer terms need a large value to win against common
    two-character words (化解/矛盾纠纷). Terms starting with 政府 keep jieba's
    value so that 市政府 is not broken up. Tested on the seed reports.
    """
    if len(term) <= 3 or term.startswith("政府"):
        return None
    return 20_000


# --------------------------------------------------------------------------
# Cached segmentation
# --------------------------------------------------------------------------

# Recent texts' tokens and kept words, up to about 10 MB each (a token is ~60 bytes):
# enough for a notebook's corpus; a large corpus goes through the disk cache.
_tokens_memo = _cache.Memo(maxsize=256, size=len, max_size=150_000)
_words_memo = _cache.Memo(maxsize=512, size=len, max_size=150_000)
_SEPARATOR = "\x1f"  # joins tokens in a cache file; never in a cleaned text


@cache
def data_version() -> str:
    """Fingerprint of everything but the text that decides a segmentation.

    The word lists (vocabulary, stopwords, officialese), jieba's dictionary
    (:func:`jieba_dictionary_sha256`), the versions of jieba and of rjieba and
    this module's source code: editing any of them makes earlier cache entries
    unreachable.
    """
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for path in (VOCABULARY_FILE, STOPWORDS_FILE, OFFICIALESE_FILE):
        digest.update(path.read_bytes())
    for package in ("jieba", "rjieba"):
        try:
            digest.update(f"{package} {version(package)};".encode())
        except PackageNotFoundError:
            digest.update(f"{package} absent;".encode())
    digest.update(f"jieba dict.txt {jieba_dictionary_sha256()};".encode())
    digest.update(_cache.source_version(sys.modules[__name__]).encode())
    return digest.hexdigest()[:16]


def _load(kind_key: str) -> list[str] | None:
    body = _cache.read_entry("segment", kind_key)
    if body is None:
        return None
    return body.split(_SEPARATOR) if body else []


def _save(kind_key: str, tokens: list[str], text: str) -> None:
    if _SEPARATOR not in text:  # the separator would be ambiguous: such a text is not cached
        _cache.write_entry("segment", kind_key, _SEPARATOR.join(tokens))


def _tokens(text: str, options: dict) -> tuple[str, list[str]]:
    """(key, every token the engine finds in ``text``), from the cache when possible."""
    vocabulary, extra_terms = options["vocabulary"], options["extra_terms"]
    engine, use_cache = options["engine"], options["cache"]
    key = _cache.key("tokens", data_version(), engine, str(vocabulary), *extra_terms, "|", text)
    if use_cache:
        tokens = _tokens_memo.get(key)
        if tokens is None:
            tokens = _load(key)
            if tokens is not None and "".join(tokens) != text:
                tokens = None  # a damaged entry: segment again
        if tokens is not None:
            _tokens_memo.put(key, tokens)
            return key, tokens
    tokens = _cut(text, vocabulary, extra_terms, engine)
    if use_cache:
        _tokens_memo.put(key, tokens)
        _save(key, tokens, text)
    return key, tokens


@cache
def _kind(token: str) -> str:
    """'space' (punctuation, symbols, spaces), 'number', or 'word'."""
    if all(unicodedata.category(ch)[0] in "PSZC" for ch in token):
        return "space"
    if _NUMBER_RE.match(token):
        return "number"
    return "word"


def _keep(tokens: list[str], stopwords: bool, officialese: bool, keep_numbers: bool):
    """For each token: is it a word that :func:`segment` keeps? (The filter, in one place.)"""
    drop = set()
    if stopwords:
        drop |= load_stopwords()
    if officialese:
        drop |= set(load_officialese()["term"])
    kept = []
    after_number = False
    for token in tokens:
        kind = _kind(token)
        keep = False
        if kind == "space":
            after_number = False
        elif kind == "number" and not keep_numbers:
            after_number = True
        elif after_number and not keep_numbers and token in MEASURE_WORDS:
            after_number = False
        else:
            after_number = False
            keep = token not in drop
        kept.append(keep)
    return kept


def segment(
    text: str,
    *,
    vocabulary: bool = True,
    stopwords: bool = True,
    officialese: bool = False,
    keep_numbers: bool = False,
    extra_terms=(),
    engine: str = "auto",
    cache: bool = True,
) -> list[str]:
    """Cut a cleaned text into words.

    jieba's precise mode; with ``vocabulary`` the governance terms stay whole,
    and so do any ``extra_terms`` you add.
    Punctuation and spaces are always dropped; numbers, with the measure word
    that follows one (83件, 4次), unless ``keep_numbers``; general stopwords
    (的, 和, 我们 …) when ``stopwords``; the officialese list (进一步, 加强 …)
    when ``officialese``. ``cache=False`` segments afresh and stores nothing.
    Same text, same options: same tokens.

    ``engine`` chooses the segmenter: ``"jieba"``, the Python original that the
    notebooks teach, or ``"rjieba"``, jieba-rs, a Rust port of the same
    algorithm and dictionary, with the same vocabulary and frequencies: it cuts
    text about 20 times faster than ``jieba.lcut``, and the whole of
    :func:`segment` (whose filters cost the same with either engine) runs about
    8 times faster (``make bench-scale``). ``"auto"`` (the default) takes
    rjieba where it is installed. The two give the same tokens: jieba-rs keeps a run of Latin
    letters, digits and marks whole ("COVID-19", "2021-2025") where jieba cuts
    it, so such runs are cut again the way jieba does (``tests/test_scale.py``
    compares the two on the seeds, on generated reports and on such runs).

    Example:
        >>> text = "依法推行“双随机一公开”监管，持续推进一网通办。"
        >>> segment(text)
        ['依法', '推行', '双随机一公开', '监管', '持续', '推进', '一网通办']
        >>> segment(text, vocabulary=False)
        ['依法', '推行', '双', '随机', '公开', '监管', '持续', '推进', '一网通', '办']
        >>> segment(text, officialese=True)
        ['依法', '推行', '双随机一公开', '监管', '一网通办']
        >>> segment("全年审结83件。"), segment("全年审结83件。", keep_numbers=True)
        (['全年', '审结'], ['全年', '审结', '83', '件'])
    """
    options = check_options(
        {
            "vocabulary": vocabulary,
            "stopwords": stopwords,
            "officialese": officialese,
            "keep_numbers": keep_numbers,
            "extra_terms": extra_terms,
            "engine": engine,
            "cache": cache,
        }
    )
    if not isinstance(text, str):
        raise TypeError(f"segment takes one text (str); got {type(text).__name__}.")
    terms = options["extra_terms"]
    flags = (stopwords, officialese, keep_numbers)
    key = _cache.key(
        "words", data_version(), options["engine"], str(vocabulary), *terms, "|", str(flags), text
    )
    if cache:
        words = _words_memo.get(key)
        if words is None:
            words = _load(key)
        if words is not None:
            _words_memo.put(key, words)
            return list(words)
    _, tokens = _tokens(text, options)
    words = [t for t, keep in zip(tokens, _keep(tokens, *flags), strict=True) if keep]
    if cache:
        _words_memo.put(key, words)
        _save(key, words, text)
    return list(words)


def segment_spans(text: str, **options) -> list[tuple[str, int]]:
    """The words :func:`segment` keeps, each with its start offset in ``text``.

    Takes the same options as :func:`segment` and keeps the same words:
    ``[w for w, _ in segment_spans(t)] == segment(t)``. jieba's tokens cover
    the text without gaps, so ``text[start:start + len(word)] == word``: that
    is what makes exact keyword-in-context windows possible.

    Example:
        >>> segment_spans("推行一网通办。")
        [('推行', 0), ('一网通办', 2)]
    """
    options = check_options(options)
    if not isinstance(text, str):
        raise TypeError(f"segment_spans takes one text (str); got {type(text).__name__}.")
    _, tokens = _tokens(text, options)
    kept = _keep(tokens, options["stopwords"], options["officialese"], options["keep_numbers"])
    spans, start = [], 0
    for token, keep in zip(tokens, kept, strict=True):
        if keep:
            spans.append((token, start))
        start += len(token)
    return spans


def token_runs(text: str, **options) -> list[list[tuple[str, bool]]]:
    """jieba's tokens between punctuation marks, each marked kept (True) or not.

    Runs never cross punctuation or spaces. Used for collocations: a pair is
    two neighbouring tokens of one run, counted whether kept or not, reported
    only when both are kept.

    Example:
        >>> token_runs("依法行政，推进一网通办。")
        [[('依法行政', True)], [('推进', True), ('一网通办', True)]]
    """
    options = check_options(options)
    _, tokens = _tokens(text, options)
    kept = _keep(tokens, options["stopwords"], options["officialese"], options["keep_numbers"])
    runs: list[list[tuple[str, bool]]] = []
    run: list[tuple[str, bool]] = []
    for token, keep in zip(tokens, kept, strict=True):
        if _kind(token) == "space":
            if run:
                runs.append(run)
            run = []
        else:
            run.append((token, keep))
    if run:
        runs.append(run)
    return runs


@dataclass(frozen=True)
class PackedCounts:
    """One report's word counts in the form that travels between processes cheaply.

    A Counter crosses from a worker process to the session word by word (each
    word pickled on its own); the same counts as one string of the words,
    joined by line breaks (which no word holds), and one array of counts
    cross about eight times faster, so the session that adds them up keeps up
    with its workers.

    Example:
        >>> packed = PackedCounts.pack(Counter({"依法": 2, "行政": 1}))
        >>> packed.unpack(), packed.total
        (Counter({'依法': 2, '行政': 1}), 3)
    """

    words: str  # the distinct words, joined by "\n"
    counts: np.ndarray  # int64, one per word, in the same order

    @classmethod
    def pack(cls, counter: Counter) -> PackedCounts:
        return cls("\n".join(counter), np.fromiter(counter.values(), np.int64, len(counter)))

    def terms(self) -> list[str]:
        return self.words.split("\n") if self.words else []

    def unpack(self) -> Counter:
        return Counter(dict(zip(self.terms(), self.counts.tolist(), strict=True)))

    @property
    def total(self) -> int:
        """How many words the report has (every occurrence counted)."""
        return int(self.counts.sum())


def _count_words(task: tuple[str, dict]) -> PackedCounts:
    """One report's work, in any process: how often each word occurs (the tokens are dropped)."""
    text, options = task
    return PackedCounts.pack(Counter(segment(text, **options)))


def _packed_counts(docs: dict, options: dict, n_jobs: int | None) -> Iterator[PackedCounts]:
    from .parallel import imap_reports

    checked = check_options(options)  # "auto" resolved here: every worker uses this engine
    tasks = [(text, checked) for text in docs.values()]
    return imap_reports(_count_words, tasks, n_jobs=n_jobs, desc="segmenting")


def count_words(docs, *, n_jobs: int | None = None, **options) -> Iterator[tuple]:
    """(report id, Counter of its words) for each report, in order, one report per task.

    The pairs come one by one (see :mod:`helpers.parallel`), so a caller that
    adds them up never holds every report's words at once. Takes the reports in
    any form of :func:`helpers.corpus.as_docs` and the options of :func:`segment`.

    Example:
        >>> dict(count_words({"a": "推行一网通办，一网通办。"}))["a"]["一网通办"]
        2
    """
    from .corpus import as_docs

    docs = as_docs(docs)
    packed = _packed_counts(docs, options, n_jobs)
    return zip(docs, (counts.unpack() for counts in packed), strict=True)


@dataclass(frozen=True)
class WordCounts:
    """Every report's word counts at once: report × term, as a sparse matrix of counts.

    ``ids`` label the rows, ``terms`` the columns (in the order first met).
    """

    ids: list
    terms: np.ndarray
    matrix: object  # scipy.sparse.csr_matrix of int64


class CountsBuilder:
    """Adds up report after report's word counts into one sparse report × term matrix.

    Each report's counts (a Counter, or :class:`PackedCounts` from a worker)
    become three small arrays (row, column, count) as they come, so that a
    corpus costs about 16 bytes per non-zero cell rather than a dict entry per
    word of every report.

    Example:
        >>> builder = CountsBuilder()
        >>> builder.add(Counter({"依法": 2})); builder.add(Counter({"行政": 1, "依法": 1}))
        >>> counts = builder.finish(["a", "b"])
        >>> list(counts.terms), counts.matrix.toarray().tolist()
        (['依法', '行政'], [[2, 0], [1, 1]])
    """

    def __init__(self) -> None:
        self.column: dict[str, int] = {}
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.values: list[np.ndarray] = []

    def add(self, counts: Counter | PackedCounts) -> None:
        if isinstance(counts, PackedCounts):
            terms, values = counts.terms(), counts.counts
        else:
            terms, values = list(counts), np.fromiter(counts.values(), np.int64, len(counts))
        column, row = self.column, len(self.rows)
        new = [term for term in terms if term not in column]
        column.update(zip(new, range(len(column), len(column) + len(new)), strict=True))
        self.rows.append(np.full(len(terms), row, dtype=np.int32))
        self.cols.append(np.fromiter(map(column.__getitem__, terms), np.int32, len(terms)))
        self.values.append(values)

    def finish(self, ids: list) -> WordCounts:
        from scipy import sparse

        def joined(parts, dtype):
            return np.concatenate(parts) if parts else np.zeros(0, dtype)

        cells = (joined(self.rows, np.int32), joined(self.cols, np.int32))
        matrix = sparse.csr_matrix(
            (joined(self.values, np.int64), cells), shape=(len(self.rows), len(self.column))
        )
        return WordCounts(list(ids), np.array(list(self.column), dtype=object), matrix)


_counts_memo = _cache.Memo(maxsize=4, size=lambda counts: counts.matrix.nnz, max_size=20_000_000)


def corpus_counts(docs, *, n_jobs: int | None = None, **options) -> WordCounts:
    """The word counts of a whole corpus, computed once and cached for the corpus.

    Every report is segmented and counted on its own (in parallel; each result
    cached as :func:`segment` caches it); then the corpus's counts are kept as
    one sparse matrix, cached under a key of every id and text and the options,
    so that a rerun on an unchanged corpus reads one file instead of thousands.
    ``term_frequencies``, ``dtm``, ``theme_profile`` and ``keyness`` start from here.

    Example:
        >>> counts = corpus_counts({"a": "推行一网通办，一网通办。", "b": "依法行政。"})
        >>> counts.ids, list(counts.terms), counts.matrix.toarray().tolist()
        (['a', 'b'], ['推行', '一网通办', '依法行政'], [[1, 2, 0], [0, 0, 1]])
    """
    import io

    from scipy import sparse

    from .corpus import as_docs

    checked = check_options(options)
    docs = as_docs(docs)
    flags = {name: value for name, value in checked.items() if name != "cache"}
    entry = _cache.key(
        "counts", data_version(), repr(sorted(flags.items())),
        *(part for label, text in docs.items() for part in (repr(label), text)),
    )  # fmt: skip
    found = _counts_memo.get(entry) if checked["cache"] else None
    if found is None and checked["cache"]:
        body = _cache.read_binary_entry("counts", entry)
        if body is not None:
            arrays = np.load(io.BytesIO(body), allow_pickle=False)
            matrix = sparse.csr_matrix(
                (arrays["data"], arrays["indices"], arrays["indptr"]), shape=tuple(arrays["shape"])
            )
            found = WordCounts(list(docs), arrays["terms"].astype(object), matrix)
    if found is None:
        builder = CountsBuilder()
        for counts in _packed_counts(docs, options, n_jobs):
            builder.add(counts)
        found = builder.finish(list(docs))
        matrix = found.matrix
        if checked["cache"]:
            buffer = io.BytesIO()
            np.savez(
                buffer, data=matrix.data, indices=matrix.indices, indptr=matrix.indptr,
                shape=np.array(matrix.shape), terms=found.terms.astype(str),
            )  # fmt: skip
            _cache.write_binary_entry("counts", entry, buffer.getvalue())
    if checked["cache"]:
        _counts_memo.put(entry, found)
    return found
