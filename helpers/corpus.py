"""Reading reports: files on disk -> decoded text plus metadata, one row per report.

Introduced in ``notebooks/01_reading.ipynb``; other formats in
``notebooks/05_your_own_reports.ipynb``.

Two entry points:

- :func:`read_report` reads one file in any supported format (see
  :data:`~helpers.formats.SUPPORTED_FORMATS`) and tells you what it found: the
  text, the format and encoding, the file's SHA-256, its line endings.
- :func:`load_reports` reads a whole folder, with the ``manifest.csv`` that
  describes it (if there is one), and returns one pandas row per report: the
  *corpus table* every later notebook starts from.

Paths work as in pandas: a relative path starts from the current working
directory (a notebook's own folder in JupyterLab). Nothing here cleans the
text (that is ``helpers.clean``) and nothing here writes to disk.

:func:`as_docs` is the one input convention of the package: every function that
takes several reports accepts the corpus table, a Series, a dict or a list.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import unicodedata
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .cache import FileTooLargeError, NotRegularFileError, file_kind, read_regular
from .checks import check_int
from .errors import Message, ReportError, ReportWarning, in_language, is_utf8_name, shown
from .formats import SUPPORTED_FORMATS, read_format, shown_extension
from .manifest import (
    COMPUTED_COLUMNS,
    MANIFEST_COLUMNS,
    infer_metadata,
    is_safe_id,
    normalise_id,
    read_manifest,
)
from .parallel import map_reports

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PROBLEM_COLUMNS",
    "Docs",
    "Problems",
    "Report",
    "as_docs",
    "load_documents",
    "load_reports",
    "read_report",
    "survey_folder",
]

#: Default size limit: the five seed reports are 11-22 kB; 20 MB is a thousand
#: times that. Pass ``max_bytes=`` to raise it for a genuinely large report.
DEFAULT_MAX_BYTES = 20_000_000

#: The columns of the problems table that ``load_reports(errors="collect")`` returns.
PROBLEM_COLUMNS = ["file", "reason", "loaded"]


@dataclass(frozen=True, repr=False)
class Report:
    """One decoded report file.

    ``format`` is the file's kind ("txt", "html", "docx", "pdf"); ``encoding``
    is the text encoding it was decoded with (None for Word and PDF files,
    which have none of their own); ``detected`` says how that was decided.

    Example:
        >>> r = read_report("seeds/003_5834ccae6790da4b.txt")
        >>> r.format, r.encoding, r.newline
        ('txt', 'utf-8', 'LF')
        >>> r.text.splitlines()[1]
        '镇江市2013年政府法制工作总结及2014年工作打算'
    """

    path: Path
    text: str
    format: str
    encoding: str | None
    sha256: str
    n_bytes: int
    newline: str
    detected: str = field(default="")

    @property
    def name(self) -> str:
        """The file name, without its folder."""
        return self.path.name

    @property
    def chars(self) -> int:
        """Number of characters in the decoded text."""
        return len(self.text)

    def __repr__(self) -> str:
        first_line = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        if len(first_line) > 24:
            first_line = first_line[:24] + "…"
        kind = self.encoding if self.format == "txt" else self.format
        if self.format != "txt" and self.encoding:
            kind += f", {self.encoding}"
        return (
            f"Report({self.name!r}, {self.n_bytes:,} bytes, {kind}, "
            f"{self.newline}, {self.chars:,} chars, starts {first_line!r})"
        )


# --------------------------------------------------------------------------
# One file
# --------------------------------------------------------------------------


def read_report(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read one report file in any supported format and decode it.

    ``path`` is absolute or relative to the working directory. Raises
    :class:`~helpers.ReportError` for a missing, empty, binary, oversized,
    undecodable or unsupported file, a file with no visible text, a pipe or
    device (refused before it is opened), an unreadable file or a looping
    symbolic link; the message names the file and says what to do. No other
    exception escapes: anything unexpected from a format's reader becomes a
    ReportError naming the file and the kind of error.

    Example:
        >>> r = read_report("seeds/000_227b57bffbdecf9d.txt")
        >>> r.encoding, r.sha256[:12]
        ('utf-8', '3aa20f58fe32')
    """
    path = Path(path)
    try:
        return _read_report(path, max_bytes)
    except ReportError:
        raise
    except (OSError, RuntimeError, UnicodeError) as err:
        reason = _os_reason(path, err)
        raise ReportError(f"{shown(path)}: {reason}", zh=f"{shown(path)}: {reason:zh}") from None
    except MemoryError:
        raise ReportError(
            f"{shown(path)}: too large to decode in the memory available. Pass a smaller "
            "max_bytes, or split the report.",
            zh=f"{shown(path)}: 文件太大，可用内存不足以解码。请传入更小的 max_bytes，或拆分报告。",
        ) from None
    except Exception as err:  # the last line of defence: a reader failed in a way not foreseen
        raise ReportError(
            f"{shown(path)}: could not be read ({type(err).__name__}: {err}). Check that the "
            "file opens in its own program; if it does, save it again (or as .txt, UTF-8).",
            zh=f"{shown(path)}: 无法读取（{type(err).__name__}: {err}）。请确认文件能在原来的"
            "程序中打开；如果能，重新保存一次（或另存为 .txt，UTF-8）。",
        ) from err


def _read_report(path: Path, max_bytes: int) -> Report:
    name = shown(path)
    info = os.stat(path)  # follows symbolic links; raises OSError for a missing or looping one
    if stat.S_ISDIR(info.st_mode):
        raise ReportError(
            f"{name}: is a folder, not a file. Pass a report file.",
            zh=f"{name}: 这是文件夹，不是文件。请传入报告文件。",
        )
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        supported = ", ".join(SUPPORTED_FORMATS)
        extension = shown_extension(path)
        raise ReportError(
            f"{name}: {extension} is not a supported format ({supported}). "
            "Save the report in one of these.",
            zh=f"{name}: 不支持的格式（{extension:zh}）；支持 {supported}。"
            "请将报告另存为其中一种。",
        )
    data = read_regular(path, limit=max_bytes)  # a pipe or device is refused, never opened
    decoded = read_format(path, data)
    problem = text_problem(decoded.text)
    if problem:
        raise ReportError(f"{name}: {problem}", zh=f"{name}: {problem:zh}")
    return Report(
        path=path,
        text=decoded.text,
        format="html" if path.suffix.lower() == ".htm" else path.suffix.lower().lstrip("."),
        encoding=decoded.encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        n_bytes=len(data),
        newline=decoded.newline,
        detected=decoded.detected,
    )


#: Why a symbolic link cannot be followed to a report (no file name).
_BROKEN_LINK = Message(
    "a symbolic link to a file that does not exist. Fix or delete the link.",
    zh="是指向不存在文件的符号链接。请修复或删除该链接。",
)


def _os_reason(path: Path, err: Exception) -> Message:
    """Why the operating system would not give a file's bytes, and what to do (no file name)."""
    if isinstance(err, NotRegularFileError):
        kind = Message(err.kind)
        return Message(
            f"is {kind}, not a regular file; it was not opened (reading a pipe or device "
            "can wait forever). Pass a report file.",
            zh=f"是{kind:zh}，不是普通文件；没有打开它（读取管道或设备可能永远等待下去）。"
            "请传入报告文件。",
        )
    if isinstance(err, FileTooLargeError):
        return Message(
            f"{err.size:,} bytes, more than the {err.limit:,}-byte limit (a whole annual report "
            "is usually under 100 kB). Is this the right file? If it is, pass a larger max_bytes.",
            zh=f"有 {err.size:,} 字节，超过了 {err.limit:,} 字节的上限（一整份年度报告通常不到 "
            "100 kB）。是不是选错了文件？如果没错，请传入更大的 max_bytes。",
        )
    if isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP:
        return Message(
            "a symbolic link that leads round in a loop (to itself, perhaps through other "
            "links). Delete the link, or point it at the report file.",
            zh="是循环的符号链接（直接或经由其他链接指回自身）。请删除该链接，或让它指向报告文件。",
        )
    if isinstance(err, FileNotFoundError):
        if os.path.islink(path):
            return _BROKEN_LINK
        return Message(
            "no such file. Check the name and the folder.",
            zh="文件不存在。请检查文件名和所在文件夹。",
        )
    if isinstance(err, PermissionError):
        return Message(
            "cannot be read: permission denied. Check the file's permissions (e.g. "
            "`chmod u+r` on it), or copy it somewhere you can read it.",
            zh="无法读取：权限不足。请检查文件权限（例如对它执行 `chmod u+r`），"
            "或把它复制到你有读取权限的位置。",
        )
    if isinstance(err, UnicodeError):
        return Message(
            "its name cannot be used on this system (not valid UTF-8?). Rename the file.",
            zh="文件名在本系统上无法使用（不是有效的 UTF-8？）。请重命名该文件。",
        )
    reason = getattr(err, "strerror", None) or str(err)
    return Message(
        f"cannot be read ({reason}). Check that the file is there and readable.",
        zh=f"无法读取（{reason}）。请确认文件存在且可读。",
    )


#: Unicode categories that draw nothing: controls, format characters (zero-width
#: spaces and joiners, direction marks, the BOM), unassigned code points, separators.
_INVISIBLE = ("Cc", "Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp")


def text_problem(text: str) -> Message | None:
    """Why a decoded text is no report (NUL characters, nothing visible), or None if fine.

    Every reader's text is checked, whatever the encoding or byte-order mark.

    Example:
        >>> text_problem("\\u200b\\u200c\\ufeff" * 300)[:34]
        'has no visible text, only invisibl'
        >>> text_problem("a\\x00b")[:20], text_problem("法治政府建设")
        ('contains NUL charact', None)
    """
    if "\x00" in text:
        return Message(
            "contains NUL characters, so it is a binary file, not a text report (a byte-order "
            "mark does not change that). Check that you picked the right file; extract its "
            "text as UTF-8 .txt.",
            zh="含有 NUL 字符，是二进制文件而不是文本报告（有字节顺序标记也一样）。"
            "请确认选对了文件；把其中的文字提取为 UTF-8 .txt。",
        )
    if all(unicodedata.category(ch) in _INVISIBLE for ch in text):
        return Message(
            "has no visible text, only invisible characters (zero-width spaces, format or "
            "control characters, blank space). Re-save or re-download the report.",
            zh="没有可见的文字，只有不可见字符（零宽空格、格式或控制字符、空白）。"
            "请重新保存或重新下载该报告。",
        )
    return None


# --------------------------------------------------------------------------
# A folder and its manifest
# --------------------------------------------------------------------------


def _formats(formats) -> set[str]:
    """The extensions to read, e.g. (".txt", "html") -> {".txt", ".html"}."""
    if formats is None:
        return set(SUPPORTED_FORMATS)
    if isinstance(formats, str):
        formats = [formats]
    chosen = {("." + f.lower().lstrip(".")) for f in formats}
    unknown = sorted(chosen - set(SUPPORTED_FORMATS))
    if unknown:
        raise ValueError(
            f"formats must name supported formats ({', '.join(SUPPORTED_FORMATS)}); "
            f"got {', '.join(unknown)}."
        )
    return chosen | ({".htm"} if ".html" in chosen else set())


def _unique_ids(files: list[Path], taken: set[str]) -> dict[Path, str]:
    """Ids for files the manifest does not describe: the file name without extension.

    Two files with the same stem ("a.txt", "a.html") keep their format ("a-txt",
    "a-html"); an id that is still taken gets a number ("a-2").
    """
    stems = Counter(id_from_name(path.stem) for path in files)
    ids: dict[Path, str] = {}
    for path in files:
        stem = id_from_name(path.stem)
        wanted = stem if stems[stem] == 1 else f"{stem}-{path.suffix.lstrip('.')}"
        candidate, n = wanted, 1
        while candidate in taken:
            n += 1
            candidate = f"{wanted}-{n}"
        taken.add(candidate)
        ids[path] = candidate
    return ids


def id_from_name(stem: str) -> str:
    """An id made from a file name (without extension) that follows the id rule.

    NFC-normalised; what the rule forbids (``/ \\ : * ? " < > |``, "..",
    invisible characters, a leading or trailing dot or space) becomes "_"; at
    most 60 characters.

    Example:
        >>> id_from_name("taicang-2019"), id_from_name("a..b"), id_from_name("x\\u200by:z")
        ('taicang-2019', 'a_b', 'x_y_z')
    """
    value = normalise_id(stem)
    value = "".join(ch if ch.isprintable() else "_" for ch in value)
    value = re.sub(r'[/\\:*?"<>|]|\.\.+', "_", value)[:60].strip(" .") or "report"
    return value if is_safe_id(value) else "report"


def corpus_row(meta: dict, report: Report, source: str) -> dict:
    """One row of a corpus table: the manifest values plus what reading the file found."""
    return meta | {
        "sha256": report.sha256,
        "format": report.format,
        "encoding": report.encoding or "",
        "newline": report.newline,
        "bytes": report.n_bytes,
        "chars": report.chars,
        "source": source,
        "text": report.text,
    }


def corpus_table(rows: list[dict]) -> pd.DataFrame:
    """Rows from :func:`corpus_row` as a table: manifest columns, your own, computed ones.

    Missing values are <NA> everywhere: text as "string", years as nullable
    integers, dates as datetimes.
    """
    extra = sorted({k for row in rows for k in row} - set(MANIFEST_COLUMNS) - set(COMPUTED_COLUMNS))
    reports = pd.DataFrame(rows, columns=[*MANIFEST_COLUMNS, *extra, *COMPUTED_COLUMNS])
    for column in reports.columns:
        if column not in ("bytes", "chars"):
            reports[column] = reports[column].astype("string").replace("", pd.NA)
    reports["bytes"] = reports["bytes"].astype("int64")
    reports["chars"] = reports["chars"].astype("int64")
    reports["report_year"] = reports["report_year"].astype("Int64")
    reports["published"] = pd.to_datetime(reports["published"], format="%Y-%m-%d")
    reports["accessed"] = pd.to_datetime(reports["accessed"], format="%Y-%m-%d")
    return reports


def load_reports(
    folder: str | Path,
    *,
    manifest: str | Path | None = "manifest.csv",
    formats=None,
    errors: str = "raise",
    max_bytes: int = DEFAULT_MAX_BYTES,
    n_jobs: int | None = None,
):
    """Load every report in ``folder`` (and its manifest) into one table, a row per report.

    ``folder`` is absolute or relative to the working directory; ``manifest``
    is relative to ``folder`` (None: do not use one). ``formats`` limits which
    extensions are read (e.g. ``[".txt"]``; default: all of
    :data:`~helpers.formats.SUPPORTED_FORMATS`).

    Returns the *corpus table*: one row per report, in file-name order, with
    the manifest's columns (and any of your own) plus ``format``, ``encoding``,
    ``newline``, ``bytes``, ``chars``, ``source`` ("manifest" or "inferred")
    and ``text`` (the decoded raw text).

    The rules, the same for every folder:

    - hidden files (names starting with ".") and the manifest itself are not reports;
    - a file listed in the manifest takes its metadata from it; if its SHA-256
      differs from the manifest's, the file changed since: it loads, with a warning;
    - a file the manifest does not list loads with metadata inferred from its
      text (:func:`~helpers.manifest.infer_metadata`), with a warning when
      there is a manifest; its id is its file name without extension (with the
      format added if two files share a name);
    - without a manifest file, every report's metadata is inferred, silently;
    - refused, each with its reason: a sub-folder (not read), an unsupported
      format, a file :func:`read_report` cannot read, a file with the same
      bytes as an earlier one, a manifest row whose file is absent;
    - also refused, never opened (so nothing can hang or leak): a pipe, device
      or socket; a file whose name is not valid UTF-8 (rename it); a symbolic
      link whose target is outside the folder, or that loops, or that points
      nowhere. A symbolic link to a file *inside* the folder is read like that
      file (and so is refused as a copy if that file is read too);
    - an id (from the manifest, or inferred from the file name) follows
      :data:`~helpers.manifest.ID_RULE`, because ids become file names; an
      inferred id replaces what the rule forbids with "_".

    One bad entry never stops the others: whatever goes wrong reading a file
    (including errors nobody foresaw) becomes that file's problem. The
    manifest is different: every row depends on it, so a manifest that is
    broken, unreadable, not a regular file, or a link outside the folder
    always raises, naming the line and what to fix.

    ``errors="raise"`` (the default) raises :class:`~helpers.ReportError` at
    the first refusal and warns (:class:`~helpers.ReportWarning`) about the
    rest. ``errors="collect"`` goes on and returns ``(reports, problems)``:
    ``problems`` has one row per refused or questionable entry (columns
    ``file``, ``reason``, ``loaded``). ``n_jobs`` reads the files in several
    processes (:mod:`helpers.parallel`). A broken or missing manifest (other than
    the default ``manifest.csv``, which may be absent), a missing folder and an
    empty folder always raise.

    Example:
        >>> reports = load_reports("seeds")
        >>> reports[["id", "report_year", "script"]].head(2)
                     id  report_year       script
        0  taicang-2019         2019  traditional
        1  huinong-2018         2018   simplified
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect'; got {errors!r}.")
    check_int("max_bytes", max_bytes, low=1)
    problem = Problems(folder, errors)
    survey = survey_folder(folder, manifest=manifest, formats=formats, problem=problem)
    tasks = [(path, max_bytes) for path in survey.readable]
    read = map_reports(_read_one, tasks, n_jobs=n_jobs, desc="reading")
    rows = []
    for path, found in zip(survey.readable, read, strict=True):
        try:
            meta = survey.metadata(path, found, problem)
        except (ReportError, ReportWarning):
            raise
        except Exception as err:  # the last line of defence: never let one file stop the rest
            meta = None
            reason = Message(
                f"could not be read ({type(err).__name__}: {err}).",
                zh=f"无法读取（{type(err).__name__}: {err}）。",
            )
            problem(path.name, reason, loaded=False)
        if meta is not None:
            rows.append(corpus_row(meta, found, meta.pop("source")))
    rows.sort(key=lambda row: row["file"])
    reports = corpus_table(rows)
    if errors == "collect":
        return reports, problem.table()
    return reports


class Problems:
    """What reading a folder refused or questioned: raised, warned or collected.

    ``errors="raise"`` raises a :class:`ReportError` for a refused file and
    warns (:class:`ReportWarning`) for a questionable one that was loaded;
    ``errors="collect"`` keeps both as rows of :meth:`table`. Both
    :func:`load_reports` and :func:`helpers.count_reports` report through one.

    Example:
        >>> problems = Problems("reports", "collect")
        >>> problems("b.txt", "is empty.", loaded=False)
        >>> problems.table()
            file     reason  loaded
        0  b.txt  is empty.   False
    """

    def __init__(self, folder, errors: str = "collect") -> None:
        self.folder, self.errors, self.rows = Path(folder), errors, []

    def __call__(self, file: str, reason: str, *, loaded: bool) -> None:
        # A Message reason speaks both languages; a plain str is the same in both.
        reason = Message(reason)
        if self.errors == "collect":
            self.rows.append({"file": file, "reason": in_language(reason), "loaded": loaded})
            return
        name = shown(self.folder / file)
        if loaded:
            warning = ReportWarning(f"{name}: {reason}", zh=f"{name}: {reason:zh}")
            warnings.warn(warning, stacklevel=4)
        else:
            raise ReportError(f"{name}: {reason}", zh=f"{name}: {reason:zh}")

    def table(self) -> pd.DataFrame:
        """The collected problems, one row per file and reason, sorted by file."""
        table = pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS)
        return table.sort_values("file", kind="stable").reset_index(drop=True)


def _read_one(task: tuple[Path, int]) -> Report | Message:
    """One file's work, in any process: the Report, or why it cannot be read (both languages)."""
    path, max_bytes = task
    try:
        return read_report(path, max_bytes=max_bytes)
    except ReportError as err:
        return err.without_name(shown(path))
    except Exception as err:  # read_report converts everything; this is belt and braces
        return Message(
            f"could not be read ({type(err).__name__}: {err}).",
            zh=f"无法读取（{type(err).__name__}: {err}）。",
        )


@dataclass
class FolderSurvey:
    """What a folder holds before a byte of any report is read: the rules of load_reports."""

    folder: Path
    manifest_path: Path | None
    listed: dict[str, dict]  # file name -> its manifest row
    readable: list[Path]  # the files to read, those the manifest lists first
    new_ids: dict[Path, str]  # ids for the files the manifest does not list
    has_manifest: bool
    seen: dict[str, str] = field(default_factory=dict)  # SHA-256 -> the file that had it

    def metadata(self, path: Path, found, problem) -> dict | None:
        """The manifest row of a file that was read (or its inferred one); None if refused.

        ``found`` is what reading gave: a Report (or anything with ``sha256`` and
        ``text``), or the reason it could not be read.
        """
        if isinstance(found, str):
            problem(path.name, found, loaded=False)
            return None
        if found.sha256 in self.seen:
            first = self.seen[found.sha256]
            reason = Message(
                f"has the same bytes as {first}. Remove one copy so that no report is counted "
                "twice.",
                zh=f"与 {first} 的字节完全相同。请删除其中一份，以免同一份报告被计算两次。",
            )
            problem(path.name, reason, loaded=False)
            return None
        self.seen[found.sha256] = path.name
        if path.name in self.listed:
            meta = dict(self.listed[path.name])
            if meta["sha256"] and meta["sha256"].lower() != found.sha256:
                reason = Message(
                    "its SHA-256 differs from the manifest's, so the file changed after the "
                    "manifest was written. If that was intended, update the sha256 column.",
                    zh="其 SHA-256 与清单中记录的不同，说明清单写成后文件被改动过。"
                    "如果是有意修改，请更新 sha256 列。",
                )
                problem(path.name, reason, loaded=True)
            meta["source"] = "manifest"
            return meta
        meta = dict.fromkeys(MANIFEST_COLUMNS, "")
        inferred = found.inferred if hasattr(found, "inferred") else infer_metadata(found.text)
        meta.update({k: "" if v is None else str(v) for k, v in inferred.items()})
        meta["file"], meta["id"] = path.name, self.new_ids[path]
        if self.has_manifest:
            reason = Message(
                "not in the manifest, so its metadata was inferred from its text (check "
                "title, region, year). Add a manifest row to fix it.",
                zh="不在清单中，因此其元数据是从正文推断的（请核对标题、地区、年份）。"
                "在清单中为它补一行即可。",
            )
            problem(path.name, reason, loaded=True)
        meta["source"] = "inferred"
        return meta


def survey_folder(folder, *, manifest="manifest.csv", formats=None, problem) -> FolderSurvey:
    """List a folder by the rules of :func:`load_reports` (see there); read no report.

    ``problem(file, reason, loaded=...)`` is told about every refused entry.
    Only ``lstat`` and ``stat`` look at the entries: nothing is opened here.
    """
    selected = _formats(formats)
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(
            f"{shown(folder)}: no such folder. Check the path (a relative path starts from "
            "the working directory, the notebook's own folder in JupyterLab).",
            zh=f"{shown(folder)}: 文件夹不存在。请检查路径（相对路径从工作目录算起，"
            "在 JupyterLab 中就是笔记本所在的文件夹）。",
        )
    root = folder.resolve()
    manifest_path = folder / manifest if manifest is not None else None
    table = _manifest_table(manifest_path, manifest, root)
    records = [] if table is None else _records(table)
    listed = {row["file"]: row for row in records}
    # The manifest is not a report, whether it is used or not (manifest=None).
    skipped = {manifest_path, folder / "manifest.csv"}
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p not in skipped)
    if not entries and not listed:
        raise ReportError(
            f"{shown(folder)}: the folder has no report files. Put reports there "
            f"({', '.join(SUPPORTED_FORMATS)}).",
            zh=f"{shown(folder)}: 文件夹中没有报告文件。请把报告（{', '.join(SUPPORTED_FORMATS)}）"
            "放进去。",
        )
    if listed:
        present = {p.name for p in entries}
        absent = [name for name in listed if name not in present]
        if absent:
            reason = Message(
                f"listed in {shown(manifest_path)} but not in the folder. Add the file or "
                "delete its manifest row.",
                zh=f"列在 {shown(manifest_path)} 中，但文件夹里没有这个文件。"
                "请补上该文件，或删除清单中对应的行。",
            )
            for name in absent:
                problem(name, reason, loaded=False)
    readable = []
    for path in entries:
        refusal = entry_problem(path, root)
        if refusal is not None:
            shown_name, reason = refusal
            problem(shown_name, reason, loaded=False)
        elif path.suffix.lower() in selected:
            readable.append(path)
    unlisted = [path for path in readable if path.name not in listed]
    new_ids = _unique_ids(unlisted, {row["id"] for row in listed.values()})
    # Listed files first, then regular files before links to them: of two files with the
    # same bytes, the one the manifest names stays, else the file itself, not a link to it.
    readable.sort(key=lambda p: (p.name not in listed, p.is_symlink(), p.name))
    return FolderSurvey(folder, manifest_path, listed, readable, new_ids, table is not None)


def _records(table: pd.DataFrame) -> list[dict]:
    """The rows of a table as dicts; faster than ``to_dict("records")`` for 100,000s of rows."""
    columns = list(table.columns)
    return [dict(zip(columns, row, strict=True)) for row in table.itertuples(False, None)]


def _manifest_table(manifest_path: Path | None, manifest, root: Path) -> pd.DataFrame | None:
    """The folder's manifest, checked; None without one (the default name may be absent)."""
    if manifest_path is None:
        return None
    if not os.path.lexists(manifest_path):
        if manifest != "manifest.csv":
            raise ReportError(
                f"{shown(manifest_path)}: no such manifest. Check its name, or pass "
                "manifest=None to infer every report's metadata from its text.",
                zh=f"{shown(manifest_path)}: 清单文件不存在。请检查文件名，或传入 "
                "manifest=None，从正文推断每份报告的元数据。",
            )
        return None
    outside = _outside(manifest_path, root)
    if outside:
        raise ReportError(
            f"{shown(manifest_path)}: {outside} A manifest must be a file in the folder it "
            "describes: copy it there.",
            zh=f"{shown(manifest_path)}: {outside:zh}清单必须是它所描述的文件夹中的文件："
            "请把它复制到那里。",
        )
    return read_manifest(manifest_path)  # refuses a pipe or device before opening it


def _outside(path: Path, root: Path) -> Message | None:
    """Why a symbolic link may not be followed (it leaves ``root``, or loops), or None."""
    if not path.is_symlink():
        return None
    try:
        target = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return _BROKEN_LINK
    except (OSError, RuntimeError) as err:
        return _os_reason(path, err)
    if not target.is_relative_to(root):
        return Message(
            f"a symbolic link to {shown(target)}, outside the folder; links that leave the "
            "folder are not followed, so that only what is in the folder is read.",
            zh=f"是指向文件夹外 {shown(target)} 的符号链接；指向文件夹外的链接不会被跟随，"
            "以保证只读取文件夹中的内容。",
        )
    return None


def entry_problem(path: Path, root: Path) -> tuple[str, Message] | None:
    """(name as shown, reason) if a folder entry is refused before any reading; else None.

    Refused: a name that is not valid UTF-8, a symbolic link that leaves the
    folder (``root``, resolved) or loops or points nowhere, a sub-folder, a
    pipe, device or socket, an unsupported format. Only ``lstat`` and
    ``stat`` are used: nothing is opened.
    """
    name = path.name
    if not is_utf8_name(name):
        return shown(name), Message(
            "the file name is not valid UTF-8 (a file unpacked from an archive made on "
            "another system, e.g. a Chinese Windows one); it shows here with \\x escapes. "
            "Rename the file (e.g. in your file manager), or unpack the archive again with "
            "the right encoding (unzip -O GBK …).",
            zh="文件名不是有效的 UTF-8（文件是从其他系统——例如中文 Windows——"
            "制作的压缩包中解压的），"
            "这里以 \\x 转义显示。请重命名该文件（例如在文件管理器中），"
            "或用正确的编码重新解压（unzip -O GBK …）。",
        )
    outside = _outside(path, root)
    if outside:
        return name, outside
    try:
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as err:
        return name, _os_reason(path, err)
    if stat.S_ISDIR(mode):
        return name + "/", Message(
            "a folder: load_reports reads the files directly in a folder, not "
            "sub-folders. Move its reports up a level, or load it on its own.",
            zh="是子文件夹：load_reports 只读取文件夹中直接存放的文件，不读子文件夹。"
            "请把其中的报告移到上一级，或单独加载这个子文件夹。",
        )
    if not stat.S_ISREG(mode):
        kind = Message(file_kind(mode))
        return name, Message(
            f"is {kind}, not a regular file; it was not opened (reading a pipe or "
            "device can wait forever). Remove it from the folder.",
            zh=f"是{kind:zh}，不是普通文件；没有打开它（读取管道或设备可能永远等待下去）。"
            "请把它移出文件夹。",
        )
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        extension = shown_extension(path)
        return name, Message(
            f"{extension} is not a supported format ({', '.join(SUPPORTED_FORMATS)}).",
            zh=f"不支持的格式（{extension:zh}）；支持 {', '.join(SUPPORTED_FORMATS)}。",
        )
    return None


def load_documents(
    folder: str | Path,
    manifest: str | Path | None = "manifest.csv",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
):
    """Alias kept for old code: ``load_reports(folder, errors="collect")``.

    Returns ``(reports, problems)``. New code calls :func:`load_reports`.
    """
    return load_reports(folder, manifest=manifest, errors="collect", max_bytes=max_bytes)


# --------------------------------------------------------------------------
# One input convention for every function that takes several reports
# --------------------------------------------------------------------------

#: What every corpus function accepts (see :func:`as_docs`).
Docs = pd.DataFrame | pd.Series | Mapping[str, str] | Sequence[str]

_ACCEPTED = (
    "the corpus table (columns id and clean or text), a pandas Series of texts indexed "
    "by id, a dict of id -> text, or a list of texts"
)


def as_docs(docs: Docs) -> dict[str, str]:
    """The reports as an ordered dict of id -> text, whatever form they came in.

    Accepted: the corpus table from :func:`load_reports` or
    :func:`helpers.clean_reports` (its ``clean`` column if it has one, else
    ``text``; its ``id`` column labels the rows), a Series indexed by id, a
    dict id -> text, or a list of texts (labelled "0", "1", …). Ids are kept
    as they are (an int stays an int), so results join back to your table.
    Anything else raises a ``TypeError`` that says what is accepted.

    Example:
        >>> as_docs(["甲。", "乙。"])
        {'0': '甲。', '1': '乙。'}
        >>> table = pd.DataFrame({"id": ["a"], "text": ["甲 。"], "clean": ["甲。"]})
        >>> as_docs(table)
        {'a': '甲。'}
    """
    if isinstance(docs, str):
        raise TypeError(f"got a single string; pass {_ACCEPTED}, e.g. [text].")
    if isinstance(docs, pd.DataFrame):
        column = next((c for c in ("clean", "text") if c in docs.columns), None)
        if column is None:
            raise TypeError(
                f"a table has no 'clean' or 'text' column (it has: "
                f"{', '.join(map(str, docs.columns[:8]))}); pass {_ACCEPTED}."
            )
        if "id" in docs.columns:
            labels = docs["id"]
        elif docs.index.name == "id":
            labels = docs.index
        else:
            raise TypeError(f"a table of reports needs an 'id' column; pass {_ACCEPTED}.")
        pairs = list(zip(labels, docs[column], strict=True))
    elif isinstance(docs, pd.Series | Mapping):
        pairs = list(docs.items())
    elif isinstance(docs, list | tuple):
        pairs = [(str(i), v) for i, v in enumerate(docs)]
    else:
        raise TypeError(f"got {type(docs).__name__}; pass {_ACCEPTED}.")
    for label, _ in pairs:
        if pd.isna(label) if pd.api.types.is_scalar(label) else True:
            raise TypeError(f"a report's id must be a string or number; got {label!r}.")
    counts = Counter(label for label, _ in pairs)
    repeated = sorted(label for label, n in counts.items() if n > 1)
    if repeated:
        raise ValueError(f"two reports share the id {repeated[0]!r}; ids must be unique.")
    for label, text in pairs:
        if not isinstance(text, str):
            raise TypeError(f"report {label!r} is {type(text).__name__}, not text.")
    return dict(pairs)
