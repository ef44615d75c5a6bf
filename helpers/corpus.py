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

import hashlib
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .checks import check_int
from .errors import ReportError, ReportWarning, shown
from .formats import SUPPORTED_FORMATS, read_format
from .manifest import COMPUTED_COLUMNS, MANIFEST_COLUMNS, infer_metadata, read_manifest
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
    undecodable or unsupported file; the message names the file and says what
    to do.

    Example:
        >>> r = read_report("seeds/000_227b57bffbdecf9d.txt")
        >>> r.encoding, r.sha256[:12]
        ('utf-8', '3aa20f58fe32')
    """
    path = Path(path)
    name = shown(path)
    if not path.exists():
        raise ReportError(f"{name}: no such file. Check the name and the folder.")
    if path.is_dir():
        raise ReportError(f"{name}: is a folder, not a file. Pass a report file.")
    if not path.is_file():
        raise ReportError(f"{name}: is not a regular file (a device or pipe?). Pass a report file.")
    if path.suffix.lower() not in SUPPORTED_FORMATS:
        supported = ", ".join(SUPPORTED_FORMATS)
        raise ReportError(
            f"{name}: {path.suffix or 'no extension'} is not a supported format ({supported}). "
            "Save the report in one of these."
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise ReportError(
            f"{name}: {size:,} bytes, more than the {max_bytes:,}-byte limit (a whole "
            "annual report is usually under 100 kB). Is this the right file? If it is, "
            "pass a larger max_bytes."
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReportError(
            f"{name}: cannot be read ({err.strerror}). Check the file's permissions."
        ) from None
    decoded = read_format(path, data)
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
    stems = Counter(path.stem for path in files)
    ids: dict[Path, str] = {}
    for path in files:
        wanted = path.stem if stems[path.stem] == 1 else f"{path.stem}-{path.suffix.lstrip('.')}"
        candidate, n = wanted, 1
        while candidate in taken:
            n += 1
            candidate = f"{wanted}-{n}"
        taken.add(candidate)
        ids[path] = candidate
    return ids


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
      bytes as an earlier one, a manifest row whose file is absent.

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
        meta = survey.metadata(path, found, problem)
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
        if self.errors == "collect":
            self.rows.append({"file": file, "reason": reason, "loaded": loaded})
        elif loaded:
            warnings.warn(f"{shown(self.folder / file)}: {reason}", ReportWarning, stacklevel=4)
        else:
            raise ReportError(f"{shown(self.folder / file)}: {reason}")

    def table(self) -> pd.DataFrame:
        """The collected problems, one row per file and reason, sorted by file."""
        table = pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS)
        return table.sort_values("file", kind="stable").reset_index(drop=True)


def _read_one(task: tuple[Path, int]) -> Report | str:
    """One file's work, in any process: the Report, or why it cannot be read."""
    path, max_bytes = task
    try:
        return read_report(path, max_bytes=max_bytes)
    except ReportError as err:
        return str(err).removeprefix(shown(path) + ": ")


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
            problem(
                path.name,
                f"has the same bytes as {self.seen[found.sha256]}. Remove one copy so that no "
                "report is counted twice.",
                loaded=False,
            )
            return None
        self.seen[found.sha256] = path.name
        if path.name in self.listed:
            meta = dict(self.listed[path.name])
            if meta["sha256"] and meta["sha256"].lower() != found.sha256:
                problem(
                    path.name,
                    "its SHA-256 differs from the manifest's, so the file changed after the "
                    "manifest was written. If that was intended, update the sha256 column.",
                    loaded=True,
                )
            meta["source"] = "manifest"
            return meta
        meta = dict.fromkeys(MANIFEST_COLUMNS, "")
        inferred = found.inferred if hasattr(found, "inferred") else infer_metadata(found.text)
        meta.update({k: "" if v is None else str(v) for k, v in inferred.items()})
        meta["file"], meta["id"] = path.name, self.new_ids[path]
        if self.has_manifest:
            problem(
                path.name,
                "not in the manifest, so its metadata was inferred from its text (check "
                "title, region, year). Add a manifest row to fix it.",
                loaded=True,
            )
        meta["source"] = "inferred"
        return meta


def survey_folder(folder, *, manifest="manifest.csv", formats=None, problem) -> FolderSurvey:
    """List a folder by the rules of :func:`load_reports` (see there); read no report.

    ``problem(file, reason, loaded=...)`` is told about every refused entry.
    """
    selected = _formats(formats)
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(
            f"{shown(folder)}: no such folder. Check the path (a relative path starts from "
            "the working directory, the notebook's own folder in JupyterLab)."
        )
    manifest_path = folder / manifest if manifest is not None else None
    if manifest_path is not None and not manifest_path.exists() and manifest != "manifest.csv":
        raise ReportError(
            f"{shown(manifest_path)}: no such manifest. Check its name, or pass manifest=None "
            "to infer every report's metadata from its text."
        )
    table = (
        read_manifest(manifest_path)
        if manifest_path is not None and manifest_path.exists()
        else None
    )
    listed = {} if table is None else {row["file"]: row for row in table.to_dict("records")}
    # The manifest is not a report, whether it is used or not (manifest=None).
    skipped = {manifest_path, folder / "manifest.csv"}
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p not in skipped)
    if not entries and not listed:
        raise ReportError(
            f"{shown(folder)}: the folder has no report files. Put reports there "
            f"({', '.join(SUPPORTED_FORMATS)})."
        )
    for name in listed:
        if not (folder / name).exists():
            problem(
                name,
                f"listed in {shown(manifest_path)} but not in the folder. Add the file or "
                "delete its manifest row.",
                loaded=False,
            )
    readable = []
    for path in entries:
        if path.is_dir():
            problem(
                path.name + "/",
                "a folder: load_reports reads the files directly in a folder, not "
                "sub-folders. Move its reports up a level, or load it on its own.",
                loaded=False,
            )
        elif path.suffix.lower() not in SUPPORTED_FORMATS:
            problem(
                path.name,
                f"{path.suffix or 'no extension'} is not a supported format "
                f"({', '.join(SUPPORTED_FORMATS)}).",
                loaded=False,
            )
        elif path.suffix.lower() in selected:
            readable.append(path)
    unlisted = [path for path in readable if path.name not in listed]
    new_ids = _unique_ids(unlisted, {row["id"] for row in listed.values()})
    # Listed files first: of two files with the same bytes, the one the manifest names stays.
    readable.sort(key=lambda p: (p.name not in listed, p.name))
    return FolderSurvey(folder, manifest_path, listed, readable, new_ids, table is not None)


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
