"""The manifest: a table that says what each report file is, and how that was decided.

Introduced in ``notebooks/01_reading.ipynb``; writing one in
``notebooks/05_your_own_reports.ipynb``.

A manifest is a CSV file beside the reports, one row per file. Only ``file``
and ``id`` are required; the other columns of :data:`MANIFEST_COLUMNS` are
filled in where known, and you may add columns of your own. ``url`` and
``accessed`` record where and when a page was saved (``docs/collecting.md``):
blank where unknown, as for the seeds, whose scrape kept neither. Every value is
checked by one rule of :data:`VALUE_CHECKS`, a table of (column, check, message)
that you can read. For a file the manifest does not describe,
:func:`infer_metadata` reads what the report's own text states.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .errors import ReportError, shown

__all__ = [
    "COMPUTED_COLUMNS",
    "LEVELS",
    "MANIFEST_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCRIPTS",
    "VALUE_CHECKS",
    "detect_script",
    "infer_metadata",
    "infer_title",
    "read_manifest",
    "to_simplified_chars",
    "write_manifest",
]

#: Columns a manifest must have. Every other column is optional.
REQUIRED_COLUMNS = ("file", "id")

#: The manifest's columns, in order (missing optional ones are filled with empty values).
MANIFEST_COLUMNS = (
    "file",
    "sha256",
    "id",
    "title",
    "issuer",
    "region",
    "prefecture",
    "province",  # the provincial-level division: a province, autonomous region (宁夏回族自治区) …
    "level",
    "report_year",
    "published",
    "url",
    "accessed",
    "script",
    "notes",
)

#: Columns computed from the files when they are read; a manifest may not set them.
COMPUTED_COLUMNS = ("format", "encoding", "newline", "bytes", "chars", "source", "text")
#: Columns helpers.clean_reports adds; write_manifest leaves them out too.
CLEANED_COLUMNS = ("clean", "flags")

LEVELS = ("prefecture-level city", "county-level city", "district", "county", "town")
SCRIPTS = ("simplified", "traditional")


# --------------------------------------------------------------------------
# The rules a manifest's values follow
# --------------------------------------------------------------------------


def _is_iso_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


@dataclass(frozen=True)
class Check:
    """One rule: the values of ``column`` must pass ``test``; else the row gets ``message``.

    Empty values are allowed (unknown), except in a ``required`` column.
    """

    column: str
    test: Callable[[str], bool]
    message: str
    required: bool = False


#: The rules every manifest row follows, one per line: column, test, what to do.
VALUE_CHECKS = (
    Check("file", bool, "is empty. Fill in the report's file name.", required=True),
    Check(
        "file",
        lambda v: not any(mark in v for mark in "/\\") and v not in (".", ".."),
        "is not a plain file name. A manifest describes the files in its own folder: "
        "write the name only, e.g. report.txt, and keep sub-folders in their own manifest.",
    ),
    Check("id", bool, "is empty. Give the report a short unique id.", required=True),
    Check(
        "report_year",
        lambda v: re.fullmatch(r"(19|20)\d{2}", v) is not None,
        "is not a four-digit year. Write e.g. 2019, or leave it empty if unknown.",
    ),
    Check(
        "published",
        _is_iso_date,
        "is not a date written YYYY-MM-DD. Fix it, or leave it empty if the page gives none.",
    ),
    Check(
        "url",
        lambda v: re.fullmatch(r"https?://\S+", v) is not None,
        "is not a web address (http:// or https://, no spaces). Write the page's address as "
        "the browser shows it, or leave it empty if unknown.",
    ),
    Check(
        "accessed",
        _is_iso_date,
        "is not a date written YYYY-MM-DD: the day you saved the page. Leave it empty if unknown.",
    ),
    Check("level", LEVELS.__contains__, f"is not one of: {', '.join(LEVELS)}."),
    Check("script", SCRIPTS.__contains__, f"is not one of: {', '.join(SCRIPTS)}."),
)

#: Columns whose values must differ from row to row.
UNIQUE_COLUMNS = ("file", "id")


def _csv_rows(path: Path) -> list[list[str]]:
    """The rows of a manifest file, after checking that it is UTF-8 CSV text."""
    name = shown(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ReportError(
            f"{name}: the manifest cannot be read ({err.strerror}); it must be a CSV file."
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReportError(
            f"{name}: the manifest is not UTF-8 text (byte {err.start}). Save it as "
            "'CSV UTF-8' from your spreadsheet program."
        ) from None
    if "\x00" in text or not text.strip():
        raise ReportError(f"{name}: the manifest is empty or binary; it must be a CSV file.")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ReportError(f"{name}: not a valid CSV file ({err}).") from None


def _check_header(header: list[str], name: str) -> None:
    repeated = sorted(column for column, n in Counter(header).items() if n > 1)
    if repeated:
        raise ReportError(f"{name}: the column {repeated[0]!r} appears twice in the header.")
    reserved = [column for column in header if column in COMPUTED_COLUMNS]
    if reserved:
        raise ReportError(
            f"{name}: the column {reserved[0]!r} is computed when reading the files; "
            "rename or remove it from the manifest."
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ReportError(
            f"{name}: the manifest lacks the required column(s) {', '.join(missing)}; it has "
            f"{', '.join(header)}. Add a header line naming at least file and id."
        )


def _check_values(table: pd.DataFrame, name: str) -> None:
    for check in VALUE_CHECKS:
        for row, value in table[check.column].items():
            if (value or check.required) and not check.test(value):
                raise ReportError(
                    f"{name}: row {row + 2} ({table.at[row, 'file'] or 'no file'}): "
                    f"{check.column} {value!r} {check.message}"
                )
    for column in UNIQUE_COLUMNS:
        repeated = table[column][table[column].duplicated()].tolist()
        if repeated:
            raise ReportError(
                f"{name}: {column} {repeated[0]!r} appears more than once. Each report gets "
                "one row and a unique id."
            )


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read and check a manifest CSV; raise :class:`~helpers.ReportError` saying what is wrong.

    Checks, in order: UTF-8 CSV text; the header (no repeated or computed
    column, the required ones present); every row as long as the header (blank
    rows that spreadsheets leave at the end are skipped); every value by the
    rules of :data:`VALUE_CHECKS`; no file or id twice. The table's index is
    the row's position (row 0 is the file's line 2). Values are stripped
    strings, ``""`` where empty.

    Example:
        >>> read_manifest("seeds/manifest.csv")[["id", "level"]].head(2)
                     id              level
        0  taicang-2019  county-level city
        1  huinong-2018           district
    """
    path = Path(path)
    name = shown(path)
    rows = _csv_rows(path)
    header = [column.strip() for column in rows[0]]
    _check_header(header, name)
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    for line, row in body:
        if len(row) != len(header):
            raise ReportError(
                f"{name}: line {line} has {len(row)} fields but the header has {len(header)}. "
                "Put any value that contains a comma in double quotes, and check for a "
                "missing or extra comma."
            )
    values = [[cell.strip() for cell in row] for _, row in body]
    table = pd.DataFrame(values, columns=header, dtype=object)
    table.index = [line - 2 for line, _ in body]
    for column in MANIFEST_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    _check_values(table, name)
    return table


# --------------------------------------------------------------------------
# Writing a manifest
# --------------------------------------------------------------------------


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, all at once: a crash leaves no half file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".fazhi-tmp-")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        try:
            os.link(temporary, path)  # fails if the file exists: nothing is ever overwritten
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links (FAT, some network drives)
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(temporary, path)
    except FileExistsError:
        raise FileExistsError(
            f"{shown(path)} exists already; choose another name or delete it."
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def write_manifest(reports: pd.DataFrame, path: str | Path) -> Path:
    """Write the manifest columns of ``reports`` (and any columns you added) to a new CSV file.

    Save it as ``manifest.csv`` beside your reports, correct it by hand, and
    :func:`helpers.load_reports` reads it next time. ``path`` is relative to
    the working directory. Raises ``FileExistsError`` if the file exists, so
    nothing you corrected is lost.
    """
    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{shown(path)} exists already; choose another name or delete it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = [c for c in reports.columns if c not in (*COMPUTED_COLUMNS, *CLEANED_COLUMNS)]
    table = reports[keep].copy()
    for column in ("published", "accessed"):
        if column in table.columns:
            table[column] = pd.to_datetime(table[column]).dt.strftime("%Y-%m-%d")
    _write_new(path, table.to_csv(index=False).encode("utf-8"))
    return path


# --------------------------------------------------------------------------
# Metadata stated in the text (for reports the manifest does not describe)
# --------------------------------------------------------------------------

_TITLE_WORDS = ("报告", "報告", "总结", "總結", "情况", "情況")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_DATE = re.compile(
    r"(?:发布|發布|成文|印发|发文)(?:时间|時間|日期)\s*[:：]\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:自治区|自治州|省|市|区|县|區|縣|旗|镇|乡|街道))")


def _head_lines(text: str) -> list[str]:
    """The first 15 lines, stripped, without the blank ones."""
    return [line.strip() for line in text.splitlines()[:15] if line.strip()]


def infer_title(text: str) -> str | None:
    """The report's title: the first short line near the top that names a report (报告, 总结 …).

    Example:
        >>> infer_title("首页 > 法治\\n某某市2021年法治政府建设情况报告\\n正文。")
        '某某市2021年法治政府建设情况报告'
    """
    return next(
        (
            line
            for line in _head_lines(text)
            if any(w in line for w in _TITLE_WORDS)
            and len(line) <= 60
            and not re.search(r"[:：>|]", line)
        ),
        None,
    )


def infer_metadata(text: str) -> dict[str, object]:
    """Guess what a report's own text states about itself.

    Used for files that the manifest does not describe. It reads the first
    lines only and leaves a value empty (``None``) rather than guess wildly.

    Returns a dict with ``title``, ``region``, ``report_year``, ``published``
    (ISO date string) and ``script`` ("simplified" or "traditional").

    Example:
        >>> page = "首页 > 法治\\n某某市2021年法治政府建设情况报告\\n发布时间：2022-03-01"
        >>> meta = infer_metadata(page)
        >>> meta["title"], meta["region"], meta["report_year"], meta["published"]
        ('某某市2021年法治政府建设情况报告', '某某市', 2021, '2022-03-01')
    """
    head_lines = _head_lines(text)
    title = infer_title(text)
    year = None
    region = None
    if title:
        found = re.search(r"(19|20)\d{2}", title)
        year = int(found.group()) if found else None
        # "浙江省台州市椒江区…" names a chain of places; the report's own is the last.
        position = 0
        while place := _PLACE.match(title, position):
            region, position = place.group(1), place.end()
    published = None
    date = _DATE.search("\n".join(head_lines))
    if date:
        try:  # "2022-02-30" is no date: leave it empty rather than fail or guess
            published = datetime.date(*(int(g) for g in date.groups())).isoformat()
        except ValueError:
            published = None
    return {
        "title": title,
        "region": region,
        "report_year": year,
        "published": published,
        "script": detect_script(text),
    }


@cache
def _t2s():
    import opencc  # imported here: only needed when a script must be detected or converted

    return opencc.OpenCC("t2s")


def to_simplified_chars(text: str) -> str:
    """OpenCC's Traditional-to-Simplified conversion (one converter, built once).

    Example:
        >>> to_simplified_chars("法治政府建設")
        '法治政府建设'
    """
    return _t2s().convert(text)


def detect_script(text: str, threshold: float = 0.05) -> str:
    """Return "traditional" if OpenCC's Traditional->Simplified changes over 5% of Han characters.

    (``threshold`` sets that share.) A Simplified text changes hardly at all;
    a Traditional one changes about a third of its characters.

    Example:
        >>> detect_script("法治政府建設報告"), detect_script("法治政府建设报告")
        ('traditional', 'simplified')
    """
    from .checks import check_share

    check_share("threshold", threshold)
    han = "".join(_HAN_RE.findall(text))
    if not han:
        return "simplified"
    converted = to_simplified_chars(han)
    changed = sum(map(str.__ne__, han, converted))  # character by character
    return "traditional" if changed / len(han) > threshold else "simplified"
