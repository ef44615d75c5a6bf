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

The safe file primitives every module that touches the disk uses live here too
(this module imports nothing heavy): :func:`read_regular` reads a file without
ever opening a pipe, device or socket (opening a FIFO waits forever), and
:func:`write_atomically` writes a temporary file in the same folder, then renames
it, so a crash leaves the old file or none (manifests, appendix tables, cache
entries, jieba's dictionary cache).

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

import atexit
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections import OrderedDict
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import ClassVar

from .errors import Message

__all__ = [
    "ENV_VAR",
    "KINDS",
    "FileTooLargeError",
    "Memo",
    "NotRegularFileError",
    "cache_dir",
    "clear_cache",
    "default_cache_dir",
    "file_kind",
    "key",
    "kind_dir",
    "read_binary_entry",
    "read_entry",
    "read_regular",
    "set_cache_dir",
    "source_version",
    "write_atomically",
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
#: ("jieba" holds jieba's own dictionary cache, see helpers.segmentation.)
KINDS = ("segment", "clean", "figures", "formulaic", "counts", "jieba")


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
        checksum, _, body = read_regular(path).decode("utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if checksum != hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]:
        return None
    return body


def write_entry(kind: str, entry: str, body: str) -> None:
    """Save a cache entry atomically. A read-only or full disk only costs speed: no error."""
    checksum = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    _save_entry(kind, entry, (checksum + "\n" + body).encode("utf-8"))


def read_binary_entry(kind: str, entry: str) -> bytes | None:
    """A binary cache entry (a saved array), or None if missing, damaged or the cache is off."""
    path = _entry_path(kind, entry)
    if path is None:
        return None
    try:
        data = read_regular(path)
    except OSError:
        return None
    checksum, body = data[:32], data[32:]
    return body if checksum == hashlib.sha256(body).hexdigest()[:32].encode() else None


def write_binary_entry(kind: str, entry: str, body: bytes) -> None:
    """Save a binary cache entry atomically, behind a checksum (see :func:`write_entry`)."""
    _save_entry(kind, entry, hashlib.sha256(body).hexdigest()[:32].encode() + body)


def _save_entry(kind: str, entry: str, data: bytes) -> None:
    """Write one entry file atomically; a read-only or full disk only costs speed."""
    path = _entry_path(kind, entry)
    if path is None or not _ENTRY_NAME.match(entry):
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)


def kind_dir(kind: str) -> Path:
    """The cache's sub-folder for ``kind`` (created, private to the user).

    With the disk cache off (``set_cache_dir(None)``), a private temporary folder
    of this process instead, removed when Python exits: never a folder shared
    with other users, such as ``/tmp`` itself.

    Example:
        >>> import tempfile
        >>> before = cache_dir()
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = set_cache_dir(folder)
        ...     kind_dir("jieba") == Path(folder) / "jieba"
        True
        >>> _ = set_cache_dir(before)
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.")
    folder = cache_dir()
    if folder is None:
        return _private_temporary() / kind
    path = folder / kind
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@cache
def _private_temporary() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fazhi-reports-"))  # mode 0700: this user only
    for kind in KINDS:
        (folder / kind).mkdir(mode=0o700)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# --------------------------------------------------------------------------
# Reading and writing files safely (used by every module that touches the disk)
# --------------------------------------------------------------------------


class NotRegularFileError(OSError):
    """Raised instead of opening something that is not a regular file; ``kind`` says what it is."""

    def __init__(self, path: str | os.PathLike, kind: str) -> None:
        super().__init__(f"{os.fspath(path)!s} is {kind}, not a regular file")
        self.filename, self.kind = os.fspath(path), kind


class FileTooLargeError(OSError):
    """Raised when a file has more bytes than a reader accepts; ``size`` is its size."""

    def __init__(self, path: str | os.PathLike, size: int, limit: int) -> None:
        super().__init__(f"{os.fspath(path)!s} has {size:,} bytes, over the limit of {limit:,}")
        self.filename, self.size, self.limit = os.fspath(path), size, limit


_KINDS_OF_FILE = (
    (stat.S_ISDIR, Message("a folder", zh="文件夹")),
    (stat.S_ISFIFO, Message("a named pipe (FIFO)", zh="命名管道（FIFO）")),
    (stat.S_ISCHR, Message("a character device", zh="字符设备")),
    (stat.S_ISBLK, Message("a block device", zh="块设备")),
    (stat.S_ISSOCK, Message("a socket", zh="套接字")),
    (stat.S_ISLNK, Message("a symbolic link", zh="符号链接")),
    (stat.S_ISREG, Message("a regular file", zh="普通文件")),
)
_NOT_A_FILE = Message("not a file", zh="未知类型的对象")


def file_kind(mode: int) -> Message:
    """What a file's ``st_mode`` says it is, in words (English; ``f"{kind:zh}"`` in Chinese).

    Example:
        >>> file_kind(stat.S_IFIFO | 0o644), file_kind(stat.S_IFREG | 0o644)
        ('a named pipe (FIFO)', 'a regular file')
    """
    return next((kind for test, kind in _KINDS_OF_FILE if test(mode)), _NOT_A_FILE)


def read_regular(path: str | os.PathLike, *, limit: int | None = None) -> bytes:
    """The bytes of a regular file; anything else is refused before it is opened.

    A pipe, device or socket raises :class:`NotRegularFileError` (opening a FIFO
    would wait forever for a writer); more than ``limit`` bytes raises
    :class:`FileTooLargeError` (the read stops there, even if the file grows);
    other failures raise the usual ``OSError`` (``FileNotFoundError``,
    ``PermissionError``, errno ELOOP for a symbolic-link loop …). Symbolic links
    are followed: the caller decides which ones to allow.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder) / "a.txt"
        ...     _ = path.write_bytes(b"abc")
        ...     read_regular(path)
        b'abc'
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(path, file_kind(info.st_mode))
    if limit is not None and info.st_size > limit:
        raise FileTooLargeError(path, info.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(handle, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):  # swapped for a pipe between the two looks: still not read
            raise NotRegularFileError(path, file_kind(mode))
        data = f.read() if limit is None else f.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise FileTooLargeError(path, len(data), limit)
    return data


def write_atomically(
    path: str | os.PathLike, data: bytes, *, overwrite: bool = True, inside=None
) -> Path:
    """Write ``data`` to ``path`` all at once: a crash leaves the old file or none, never half.

    The bytes go to a temporary file in the same folder (named ``.fazhi-tmp-…``),
    which then replaces ``path`` (``os.replace``). ``overwrite=False`` refuses an
    existing file (``FileExistsError``) and never replaces one, even in a race.
    ``inside`` (a folder) refuses a path that leads outside it, through ``..`` or
    a symbolic link (``ValueError``). The file gets the usual permissions (umask).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = write_atomically(Path(folder) / "a.csv", b"x,y\\n", inside=folder)
        ...     path.read_bytes(), sorted(p.name for p in Path(folder).iterdir())
        (b'x,y\\n', ['a.csv'])
    """
    path = Path(path)
    if inside is not None:
        root = Path(inside).resolve()
        if not path.parent.resolve().is_relative_to(root) or path.name in ("", ".", ".."):
            raise ValueError(
                f"{path.as_posix()} is outside {Path(inside).as_posix()}; nothing was written. "
                "Write only inside the folder you named (check for '..' or a symbolic link)."
            )
    temporary, handle = _new_temporary(path.parent)
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return path


def _new_temporary(folder: Path) -> tuple[Path, int]:
    """A new empty file in ``folder`` (mode from the umask, as for any new file) and its handle."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = folder / f"{_TEMPORARY}{secrets.token_hex(8)}"
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder.as_posix()}: cannot create a temporary file there.")


def _link_new(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path`` only if that name is free (no overwrite, no race)."""
    taken = FileExistsError(f"{path.as_posix()} exists already; choose another name or delete it.")
    try:
        os.link(temporary, path)  # fails if the file exists: nothing is ever overwritten
    except FileExistsError:
        raise taken from None
    except OSError:  # a file system without hard links (FAT, some network drives)
        if os.path.lexists(path):
            raise taken from None
        os.replace(temporary, path)


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
