"""Segmentation: cleaned Chinese text -> words, with a governance vocabulary.

Introduced in ``notebooks/03_term_frequency.ipynb``.

Chinese is written without spaces, so "words" must be found by a segmenter.
We use jieba in its precise (default) mode. Out of the box it splits many terms
of art (一网通办 → 一网通 / 办), so :func:`segment` first teaches it the
project's vocabulary, ``helpers/data/governance_terms.csv``, with
``add_word``. Then it drops punctuation, spaces, numbers and stopwords.

Segmenting is the slow part of the pipeline, so results are cached by the
text's hash and the vocabulary's version: in memory, and on disk in
``.cache/segment/`` at the repository root (never in ``seeds/``).
:func:`clear_cache` empties it.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
import unicodedata
import warnings
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from .corpus import REPO_ROOT

__all__ = [
    "CACHE_DIR",
    "MEASURE_WORDS",
    "clear_cache",
    "gloss",
    "load_officialese",
    "load_stopwords",
    "load_vocabulary",
    "segment",
    "segment_spans",
    "tokenizer",
    "vocabulary_version",
]

DATA = Path(__file__).resolve().parent / "data"
VOCABULARY_FILE = DATA / "governance_terms.csv"
STOPWORDS_FILE = DATA / "stopwords_zh.txt"
OFFICIALESE_FILE = DATA / "officialese.csv"

#: Where segmentations are cached (override with the environment variable
#: ``FAZHI_CACHE_DIR``). Safe to delete at any time.
CACHE_DIR = Path(os.environ.get("FAZHI_CACHE_DIR", REPO_ROOT / ".cache" / "segment"))

_NUMBER_RE = re.compile(r"^[\d.,:%．，％+\-—~～]+$")
#: Measure words (量词) that follow a number: "83件" (83 cases) is a quantity, so
#: when numbers are dropped the measure word right after one goes too. Without
#: this, 件, 项 and 家 rank among the top words of every report.
MEASURE_WORDS = frozenset(
    [
        "件",
        "项",
        "家",
        "个",
        "次",
        "人",
        "名",
        "人次",
        "起",
        "条",
        "份",
        "本",
        "批",
        "场",
        "期",
        "户",
        "余",
        "余件",
        "余项",
        "万",
        "亿",
        "元",
        "万元",
        "亿元",
        "余万元",
        "个百分点",
        "倍",
        "天",
        "小时",
        "个月",
        "年",
        "年度",
        "月",
        "日",
        "处",
        "所",
        "类",
        "种",
        "支",
        "场次",
        "篇",
        "期次",
        "卷",
    ]
)


def _read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a data CSV whose header lines start with '#'."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def load_vocabulary() -> pd.DataFrame:
    """The governance vocabulary: columns term, pos, english, source.

    Example:
        >>> vocabulary = load_vocabulary()
        >>> vocabulary.set_index("term").loc["行政复议", "english"]
        'administrative reconsideration'
    """
    return pd.DataFrame(_read_csv(VOCABULARY_FILE), columns=["term", "pos", "english", "source"])


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


def gloss(term: str) -> str | None:
    """English gloss of a vocabulary term, or None.

    Example:
        >>> gloss("首违不罚"), gloss("苹果")
        ('no penalty for a first minor violation', None)
    """
    return _glossary().get(term)


#: Raise when the way terms are added to jieba changes (e.g. ``_frequency``),
#: so that segmentations cached under the old rules are not reused.
SEGMENT_RULES_VERSION = 2


@cache
def vocabulary_version() -> str:
    """Fingerprint of the vocabulary, the segmentation rules and jieba (part of the cache key)."""
    import jieba

    digest = hashlib.sha256(VOCABULARY_FILE.read_bytes())
    digest.update(f"{jieba.__version__}|{SEGMENT_RULES_VERSION}".encode())
    return digest.hexdigest()[:12]


def _import_jieba():
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources, which newer setuptools deprecate loudly.
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on stderr
    return jieba


@lru_cache(maxsize=6)  # each tokenizer holds a dictionary of ~60 MB
def tokenizer(vocabulary: bool = True, extra_terms: tuple[str, ...] = ()):
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
    jieba = _import_jieba()
    cutter = jieba.Tokenizer()
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


_memory: dict[str, list[str]] = {}
_filtered: dict[tuple, list[str]] = {}
_SEPARATOR = "\x1f"  # joins tokens in a cache file; never in a cleaned text


def _cache_key(text: str, vocabulary: bool, extra_terms: tuple[str, ...]) -> str:
    label = f"{vocabulary_version()}|{'vocab' if vocabulary else 'plain'}|{extra_terms}|"
    return hashlib.sha256((label + text).encode("utf-8")).hexdigest()


def _tokens(
    text: str, vocabulary: bool, cache: bool, extra_terms: tuple[str, ...] = ()
) -> tuple[str, list[str]]:
    """(cache key, every token jieba finds), from the cache when possible."""
    key = _cache_key(text, vocabulary, extra_terms)
    if cache and key in _memory:
        return key, _memory[key]
    path = CACHE_DIR / f"{key}.txt"
    if cache:
        tokens = _read(path)
        if tokens is not None and "".join(tokens) == text:
            _memory[key] = tokens
            return key, tokens
    tokens = tokenizer(vocabulary, extra_terms).lcut(text)
    if cache:
        _memory[key] = tokens
        _write(path, tokens, text)
    return key, tokens


def _write(path: Path, tokens: list[str], text: str) -> None:
    """Save tokens to a cache file, atomically (another process may be reading it)."""
    if _SEPARATOR in text:
        return  # the separator would be ambiguous: such a text is simply not cached
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        body = _SEPARATOR.join(tokens)
        checksum = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
        temporary.write_text(checksum + "\n" + body, encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # a read-only disk only costs speed


def _read(path: Path) -> list[str] | None:
    """Tokens from a cache file, or None if it is missing or damaged (then it is rewritten)."""
    try:
        checksum, _, body = path.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if checksum != hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]:
        return None
    return body.split(_SEPARATOR) if body else []


@cache
def _filter_version() -> str:
    """Fingerprint of what filtering depends on: the word lists and the measure words."""
    digest = hashlib.sha256(STOPWORDS_FILE.read_bytes() + OFFICIALESE_FILE.read_bytes())
    digest.update("|".join(sorted(MEASURE_WORDS)).encode())
    return digest.hexdigest()[:8]


def _as_terms(extra_terms) -> tuple[str, ...]:
    if isinstance(extra_terms, str):
        raise TypeError("extra_terms takes a list of terms, e.g. extra_terms=['开门立法']")
    return tuple(extra_terms)


def segment_spans(
    text: str, *, vocabulary: bool = True, extra_terms=(), cache: bool = True
) -> list[tuple[str, int]]:
    """Every token jieba finds (punctuation and spaces included) with its start offset.

    jieba's tokens cover the text without gaps, so each token starts where the
    previous one ended, and ``text[start:start + len(token)] == token``. That
    is what makes exact keyword-in-context windows possible.

    Example:
        >>> segment_spans("推行一网通办。")
        [('推行', 0), ('一网通办', 2), ('。', 6)]
    """
    _, tokens = _tokens(text, vocabulary, cache, _as_terms(extra_terms))
    spans, start = [], 0
    for token in tokens:
        spans.append((token, start))
        start += len(token)
    return spans


def clear_cache() -> int:
    """Delete every cached segmentation (memory and disk); returns how many files went."""
    _memory.clear()
    _filtered.clear()
    removed = 0
    if CACHE_DIR.is_dir():
        for path in [*CACHE_DIR.glob("*.txt"), *CACHE_DIR.glob("*.tmp")]:
            path.unlink(missing_ok=True)  # another process may have removed it already
            removed += path.suffix == ".txt"
    return removed


@cache
def _kind(token: str) -> str:
    """'space' (punctuation, symbols, spaces), 'number', or 'word'."""
    if all(unicodedata.category(ch)[0] in "PSZC" for ch in token):
        return "space"
    if _NUMBER_RE.match(token):
        return "number"
    return "word"


def segment(
    text: str,
    *,
    vocabulary: bool = True,
    stopwords: bool = True,
    officialese: bool = False,
    keep_numbers: bool = False,
    extra_terms=(),
    cache: bool = True,
) -> list[str]:
    """Cut a cleaned text into words.

    jieba's precise mode; with ``vocabulary`` the governance terms stay whole,
    and so do any ``extra_terms`` you add.
    Punctuation and spaces are always dropped; numbers, with the measure word
    that follows one (83件, 4次), unless ``keep_numbers``; general stopwords
    (的, 和, 我们 …) when ``stopwords``; the officialese list (进一步, 加强 …)
    when ``officialese``. Same text, same options: same tokens.

    Example:
        >>> text = "依法推行“双随机一公开”监管，持续推进一网通办。"
        >>> segment(text)
        ['依法', '推行', '双随机一公开', '监管', '持续', '推进', '一网通办']
        >>> segment(text, vocabulary=False)
        ['依法', '推行', '双', '随机', '公开', '监管', '持续', '推进', '一网通', '办']
        >>> segment(text, officialese=True)
        ['依法', '推行', '双随机一公开', '监管', '一网通办']
    """
    terms = _as_terms(extra_terms)
    key = _cache_key(text, vocabulary, terms)
    options = (key, stopwords, officialese, keep_numbers)
    if cache and options in _filtered:
        return list(_filtered[options])
    flags = f"{stopwords:d}{officialese:d}{keep_numbers:d}"
    words_file = CACHE_DIR / f"{key}.{flags}-{_filter_version()}.txt"
    words = _read(words_file) if cache else None
    if words is not None:
        _filtered[options] = words
        return list(words)
    _, tokens = _tokens(text, vocabulary, cache, terms)
    drop = set()
    if stopwords:
        drop |= load_stopwords()
    if officialese:
        drop |= set(load_officialese()["term"])
    words = []
    after_number = False
    for token in tokens:
        kind = _kind(token)
        if kind == "space":
            after_number = False
        elif kind == "number" and not keep_numbers:
            after_number = True
        elif after_number and not keep_numbers and token in MEASURE_WORDS:
            after_number = False
        else:
            after_number = False
            if token not in drop:
                words.append(token)
    if cache:
        _filtered[options] = words
        _write(words_file, words, text)
    return list(words)
