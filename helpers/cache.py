"""The cache: slow results (segmentations) kept between sessions, and never stale.

Where it lives:

- by default in your user cache folder, e.g. ``~/.cache/fazhi-reports`` on Linux
  (platformdirs chooses the right place on each system);
- elsewhere if the environment variable ``FAZHI_CACHE_DIR`` names a folder;
- wherever :func:`set_cache_dir` says at run time; ``set_cache_dir(None)`` switches
  the disk cache off.

Nothing is ever written inside the installed package or the repository.

Why it can be trusted: an entry's key is a SHA-256 of *everything that decides
the result*: the text, the options, the data files (vocabulary, stopwords …),
the library's version, and the source code of the module that computes it.
Change any of them and the old entry is simply never found again. Each file also
carries a checksum of its body, so a damaged file is ignored and rewritten, and
files are written atomically (a temporary file, then a rename), so a crash never
leaves half an entry.

In one session, recent results are also kept in memory, in a memo of bounded size
(least recently used entries go first), so a long session does not grow without
limit.

Example:
    >>> import tempfile
    >>> before = cache_dir()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     set_cache_dir(folder) == Path(folder)
    True
    >>> _ = set_cache_dir(None)  # off: nothing is written to disk
    >>> cache_dir() is None
    True
    >>> _ = set_cache_dir(before)  # as it was
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections import OrderedDict
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import ClassVar

__all__ = [
    "ENV_VAR",
    "KINDS",
    "Memo",
    "cache_dir",
    "clear_cache",
    "default_cache_dir",
    "key",
    "read_binary_entry",
    "read_entry",
    "set_cache_dir",
    "source_version",
    "write_binary_entry",
    "write_entry",
]

#: The environment variable that moves the cache (read when the cache is used, not at import).
ENV_VAR = "FAZHI_CACHE_DIR"
_APP = "fazhi-reports"
_UNSET = object()
_chosen: object = _UNSET  # what set_cache_dir chose: a Path, None (off), or unset
_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}(\.[A-Za-z0-9-]+)?$")
_TEMPORARY = ".fazhi-tmp-"
#: The sub-folders of the cache, one per kind of result. clear_cache touches only these.
KINDS = ("segment", "clean", "figures", "formulaic", "counts")


def default_cache_dir() -> Path:
    """The user's cache folder for this project (platformdirs), e.g. ``~/.cache/fazhi-reports``."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(_APP, appauthor=False))


def cache_dir() -> Path | None:
    """The folder the cache uses now, or None when the disk cache is off."""
    if _chosen is not _UNSET:
        return _chosen  # type: ignore[return-value]
    from_env = os.environ.get(ENV_VAR, "").strip()
    return Path(from_env).expanduser().absolute() if from_env else default_cache_dir()


def set_cache_dir(path: str | Path | None) -> Path | None:
    """Move the cache to ``path`` (created when first used), or switch it off with None.

    A relative path is taken from the current working directory, now.
    Returns the folder in use. The in-memory memo stays: its entries are keyed
    by content, so they are valid whatever the folder.
    """
    global _chosen
    if path is not None and not isinstance(path, str | os.PathLike):
        raise TypeError(
            f"set_cache_dir takes a folder (str or Path) or None; got {type(path).__name__}."
        )
    _chosen = None if path is None else Path(path).expanduser().absolute()
    return _chosen  # type: ignore[return-value]


@cache
def source_version(module: ModuleType) -> str:
    """SHA-256 (16 hex digits) of a module's source file: part of every key it computes.

    Editing the code that produces a cached result (a filter, a rule) changes
    this, so the results cached under the old code are not reused. Each module
    that caches calls this when it is imported, so the fingerprint is that of
    the code that runs, even if the file is edited later in the session.
    """
    path = Path(module.__file__ or "")
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def key(*parts: str) -> str:
    """A cache key: the SHA-256 of its parts, each one length-prefixed (no two inputs collide).

    Example:
        >>> key("a", "bc") == key("ab", "c")
        False
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def _entry_path(kind: str, entry: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / kind / entry


def read_entry(kind: str, entry: str) -> str | None:
    """The body of a cache entry, or None if it is missing, damaged or the cache is off."""
    path = _entry_path(kind, entry)
    if path is None:
        return None
    try:  # bytes, then decode: reading as text would turn a "\r" inside an entry into "\n"
        checksum, _, body = path.read_bytes().decode("utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if checksum != hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]:
        return None
    return body


def write_entry(kind: str, entry: str, body: str) -> None:
    """Save a cache entry atomically. A read-only or full disk only costs speed: no error."""
    path = _entry_path(kind, entry)
    if path is None:
        return
    checksum = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_TEMPORARY)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as f:
            f.write(checksum + "\n" + body)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def read_binary_entry(kind: str, entry: str) -> bytes | None:
    """A binary cache entry (a saved array), or None if missing, damaged or the cache is off."""
    path = _entry_path(kind, entry)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, body = data[:32], data[32:]
    return body if checksum == hashlib.sha256(body).hexdigest()[:32].encode() else None


def write_binary_entry(kind: str, entry: str, body: bytes) -> None:
    """Save a binary cache entry atomically, behind a checksum (see :func:`write_entry`)."""
    path = _entry_path(kind, entry)
    if path is None:
        return
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_TEMPORARY)
        with os.fdopen(handle, "wb") as f:
            f.write(hashlib.sha256(body).hexdigest()[:32].encode() + body)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


class Memo:
    """A bounded in-memory memo: the most recently used results, within two limits.

    At most ``maxsize`` entries, and at most ``max_size`` in all as measured by
    ``size`` (e.g. ``len`` of a token list), so that a few very long reports
    cannot fill the memory either. The least recently used entries go first.

    Example:
        >>> memo = Memo(maxsize=2)
        >>> memo.put("a", 1); memo.put("b", 2); memo.put("c", 3)
        >>> memo.get("a") is None, memo.get("c"), len(memo)
        (True, 3, 2)
        >>> words = Memo(maxsize=100, size=len, max_size=5)
        >>> words.put("x", ["行政", "复议"]); words.put("y", ["依法", "行政", "决策", "公开"])
        >>> words.get("x") is None, words.total
        (True, 4)
    """

    _all: ClassVar[list[Memo]] = []  # every memo, so that clear_cache() empties them all

    def __init__(self, maxsize: int = 128, *, size=None, max_size: float = float("inf")):
        self.maxsize = maxsize
        self.size = size or (lambda value: 1)
        self.max_size = max_size
        self.total = 0
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        Memo._all.append(self)

    def get(self, name: Hashable):
        if name not in self._items:
            return None
        self._items.move_to_end(name)
        return self._items[name]

    def put(self, name: Hashable, value) -> None:
        if name in self._items:
            self.total -= self.size(self._items[name])
        self._items[name] = value
        self._items.move_to_end(name)
        self.total += self.size(value)
        while len(self._items) > self.maxsize or (self.total > self.max_size and self._items):
            _, dropped = self._items.popitem(last=False)
            self.total -= self.size(dropped)

    def clear(self) -> None:
        self._items.clear()
        self.total = 0

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Memo({len(self)} of at most {self.maxsize} entries)"


def clear_cache() -> int:
    """Empty the memo and delete this project's cache files; returns how many files went.

    Only entry files this package wrote are deleted (never anything else that
    happens to be in the folder).
    """
    for memo in Memo._all:
        memo.clear()
    folder = cache_dir()
    removed = 0
    if folder is None or not folder.is_dir():
        return 0
    for kind in KINDS:
        sub = folder / kind
        if not sub.is_dir() or sub.is_symlink():
            continue
        for path in sub.iterdir():
            temporary = path.name.startswith(_TEMPORARY)
            if _ENTRY_NAME.match(path.name) or temporary:
                with contextlib.suppress(FileNotFoundError):  # another process got there first
                    path.unlink()
                    removed += not temporary
    return removed
