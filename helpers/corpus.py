"""Reading raw reports: bytes on disk -> decoded text plus metadata.

Introduced in ``notebooks/01_reading.ipynb``.

Two entry points:

- :func:`read_report` reads one file (any supported encoding) and tells you
  what it found: the text, the encoding used, the file's SHA-256, its line
  endings.
- :func:`load_reports` reads a folder of ``.txt`` reports together with a
  ``manifest.csv`` that describes them, and returns one pandas row per report.

Nothing here cleans the text: ``text`` is the raw report, decoded. Cleaning is
the next stage (``helpers/clean.py``, notebook 02). Nothing here writes to disk.

Supported encodings: UTF-8 (with or without BOM), UTF-16 with a BOM,
GB18030 (which includes GBK and GB2312) and Big5. Line endings (LF, CRLF, CR)
are turned into ``"\\n"`` the way Python's ``open()`` does; ``Report.newline``
records what the file used.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

__all__ = [
    "MANIFEST_COLUMNS",
    "REPO_ROOT",
    "REQUIRED_MANIFEST_COLUMNS",
    "Report",
    "ReportError",
    "ReportWarning",
    "infer_metadata",
    "load_reports",
    "read_report",
]

#: The repository's root folder; relative paths given to :func:`load_reports`
#: are resolved against it, so a notebook works from whatever folder it runs in.
REPO_ROOT = Path(__file__).resolve().parent.parent

#: Default size limit: the five seed reports are 11-22 kB; 20 MB is a thousand
#: times that. Pass ``max_bytes=`` to raise it for a genuinely large report.
DEFAULT_MAX_BYTES = 20_000_000

#: Columns a manifest must have. Every other column is optional.
REQUIRED_MANIFEST_COLUMNS = ("file", "id")

#: Columns :func:`load_reports` always returns from the manifest side
#: (missing optional ones are filled with empty values).
MANIFEST_COLUMNS = (
    "file",
    "sha256",
    "id",
    "title",
    "issuer",
    "region",
    "prefecture",
    "province",
    "level",
    "report_year",
    "published",
    "script",
    "notes",
)

#: Columns load_reports computes from the files (a manifest may not set them).
COMPUTED_COLUMNS = ("encoding", "newline", "bytes", "chars", "source", "text")

LEVELS = ("prefecture-level city", "county-level city", "district", "county", "town")
SCRIPTS = ("simplified", "traditional")

# Magic numbers of file types people save by mistake instead of plain text.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (a .docx/.xlsx file is one)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ReportError(ValueError):
    """A report or manifest that cannot be read, with the file named and a fix suggested."""


class ReportWarning(UserWarning):
    """Something a reader should know about a report that still loaded (e.g. no manifest row)."""


@dataclass(frozen=True, repr=False)
class Report:
    """One decoded report file.

    Example:
        >>> r = read_report(REPO_ROOT / "seeds" / "003_5834ccae6790da4b.txt")
        >>> r.encoding, r.newline
        ('utf-8', 'LF')
        >>> r.text.splitlines()[1]
        '镇江市2013年政府法制工作总结及2014年工作打算'
    """

    path: Path
    text: str
    encoding: str
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
        return (
            f"Report({self.name!r}, {self.n_bytes:,} bytes, {self.encoding}, "
            f"{self.newline}, {self.chars:,} chars, starts {first_line!r})"
        )


# --------------------------------------------------------------------------
# Paths and error messages
# --------------------------------------------------------------------------


def _resolve(path: str | Path) -> Path:
    """Absolute paths stay as they are; relative ones are taken from the repository root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def _show(path: Path) -> str:
    """A path for messages: relative to the repository when inside it (no machine paths)."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------
# One file
# --------------------------------------------------------------------------


def _newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def _utf8_error_share(data: bytes) -> tuple[int, int]:
    """Return (bytes in valid multi-byte UTF-8 sequences, bytes in invalid ones)."""
    good = bad = 0
    text = data.decode("utf-8", errors="surrogateescape")
    for ch in text:
        if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that did not decode
            bad += 1
        elif ord(ch) > 0x7F:
            good += len(ch.encode("utf-8"))
    return good, bad


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_bomless_utf16(data: bytes) -> bool:
    """True if the bytes read as Chinese/ASCII text in UTF-16 LE or BE (and there is no BOM)."""
    if len(data) < 8 or len(data) % 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        plausible = sum(
            ch in "\n\r\t\xa0"
            or " " <= ch <= "~"
            or "\u2000" <= ch <= "\u206f"
            or "\u3000" <= ch <= "\u303f"
            or "\u4e00" <= ch <= "\u9fff"
            or "\uff00" <= ch <= "\uffef"
            for ch in text
        )
        if plausible >= 0.95 * len(text):
            return True
    return False


def _decode(data: bytes, shown: str) -> tuple[str, str, str]:
    """Decode report bytes. Returns (text, encoding, how it was decided)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                raise ReportError(
                    f"{shown}: starts with a {codec.upper()} byte-order mark but byte "
                    f"{err.start} does not decode as {codec.upper()}; the file is damaged. "
                    "Re-save it from its source as UTF-8."
                ) from None
            return text, codec, "byte-order mark"

    try:
        return data.decode("utf-8"), "utf-8", "valid UTF-8"
    except UnicodeDecodeError as err:
        first_bad = err.start

    # Mostly valid UTF-8 with a few bad bytes is a damaged UTF-8 file (often a
    # multi-byte character cut off at the end), not a GBK or Big5 file.
    good, bad = _utf8_error_share(data)
    if good and good >= 9 * bad:
        raise ReportError(
            f"{shown}: this is UTF-8 text with {bad} damaged byte(s), the first at byte "
            f"{first_bad} of {len(data)} (a multi-byte character cut off by an interrupted "
            "download or copy, or a few bytes in another encoding pasted in). Get a fresh "
            "copy of the file, or fix the damaged part in a text editor and save as UTF-8."
        )

    from charset_normalizer import from_bytes  # imported here: only needed for legacy encodings

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "cp950"]).best()
    if best is not None:
        # GBK and GB2312 are subsets of GB18030. Big5 files saved on Windows are
        # really cp950 (Big5 plus extra characters such as 裏 and €), so try that
        # next, then Big5-HKSCS (Hong Kong characters).
        if best.encoding.startswith("gb"):
            candidates = ["gb18030"]
        else:
            candidates = ["big5", "cp950", "big5hkscs"]
        for codec in candidates:
            try:
                return data.decode(codec), codec, f"charset-normalizer ({best.encoding})"
            except UnicodeDecodeError:
                continue
    raise ReportError(
        f"{shown}: the bytes decode under none of the supported encodings (UTF-8, UTF-16 "
        f"with BOM, GB18030/GBK, Big5); the first non-UTF-8 byte is at position {first_bad}. "
        "Open the file in a text editor, check that it shows Chinese correctly, and save it "
        "as UTF-8."
    )


def read_report(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read one report file and decode it, whatever its (supported) encoding.

    ``path`` may be absolute, or relative to the repository root.
    Raises :class:`ReportError` for a missing, empty, binary, oversized or
    undecodable file; the message names the file and says what to do.

    Example:
        >>> r = read_report("seeds/000_227b57bffbdecf9d.txt")
        >>> r.encoding, r.sha256[:12]
        ('utf-8', '3aa20f58fe32')
    """
    path = _resolve(path)
    shown = _show(path)
    if not path.exists():
        raise ReportError(f"{shown}: no such file. Check the name and the folder.")
    if path.is_dir():
        raise ReportError(f"{shown}: is a folder, not a file. Pass a .txt file.")
    if not path.is_file():
        raise ReportError(f"{shown}: is not a regular file (a device or pipe?). Pass a .txt file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise ReportError(
            f"{shown}: {size:,} bytes, more than the {max_bytes:,}-byte limit (a whole "
            "annual report is usually under 100 kB). Is this the right file? If it is, "
            "pass a larger max_bytes."
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReportError(
            f"{shown}: cannot be read ({err.strerror}). Check the file's permissions."
        ) from None
    if not data.strip(b" \t\r\n\x0b\x0c" + codecs.BOM_UTF8):
        raise ReportError(
            f"{shown}: the file is empty (no text at all). Re-save or re-download it."
        )
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReportError(
                f"{shown}: this is {kind}, not a plain-text report. Extract its text "
                "first (save as .txt, UTF-8), then read that file."
            )
    has_bom = any(data.startswith(bom) for bom, _ in _BOMS)
    if not has_bom and not _is_utf8(data) and _looks_like_bomless_utf16(data):
        raise ReportError(
            f"{shown}: looks like UTF-16 text without a byte-order mark, which cannot "
            "be read reliably. Open it in a text editor and save it as UTF-8."
        )
    if not has_bom and b"\x00" in data:
        raise ReportError(
            f"{shown}: contains NUL bytes, so it is a binary file, not a text report. "
            "Check that you picked the right file; extract its text as UTF-8 .txt."
        )
    text, encoding, detected = _decode(data, shown)
    text = text.removeprefix("\ufeff")
    if not text.strip():  # only spaces (NBSP, full-width spaces …) after decoding
        raise ReportError(f"{shown}: the file has no text, only blank space. Re-save it.")
    newline = _newline_style(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Report(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        n_bytes=len(data),
        newline=newline,
        detected=detected,
    )


# --------------------------------------------------------------------------
# Metadata stated in the text (for reports the manifest does not describe)
# --------------------------------------------------------------------------

_TITLE_WORDS = ("报告", "報告", "总结", "總結", "情况", "情況")
_DATE = re.compile(
    r"(?:发布|發布|成文|印发|发文)(?:时间|時間|日期)\s*[:：]\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:自治区|自治州|省|市|区|县|區|縣|旗|镇|乡|街道))")


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
    head_lines = [line.strip() for line in text.splitlines()[:15] if line.strip()]
    title = next(
        (
            line
            for line in head_lines
            if any(w in line for w in _TITLE_WORDS)
            and len(line) <= 60
            and not re.search(r"[:：>|]", line)
        ),
        None,
    )
    year = None
    if title:
        found = re.search(r"(19|20)\d{2}", title)
        year = int(found.group()) if found else None
    region = None
    if title:
        # "浙江省台州市椒江区…" names a chain of places; the report's own is the last.
        position = 0
        while place := _PLACE.match(title, position):
            region, position = place.group(1), place.end()
    published = None
    date = _DATE.search("\n".join(head_lines))
    if date:
        import datetime

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
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return "simplified"
    converted = to_simplified_chars("".join(han))
    changed = sum(a != b for a, b in zip(han, converted, strict=False))
    return "traditional" if changed / len(han) > threshold else "simplified"


# --------------------------------------------------------------------------
# A folder and its manifest
# --------------------------------------------------------------------------


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read and check a manifest CSV; raise :class:`ReportError` saying what is wrong.

    Checks: UTF-8 text, the required columns, no duplicate files or ids,
    ``report_year`` a whole number, ``published`` a YYYY-MM-DD date,
    ``level`` and ``script`` from their allowed values.
    """
    path = _resolve(path)
    shown = _show(path)
    if not path.exists():
        raise ReportError(f"{shown}: manifest not found. Pass manifest=None to load without one.")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ReportError(
            f"{shown}: the manifest cannot be read ({err.strerror}); it must be a CSV file."
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReportError(
            f"{shown}: the manifest is not UTF-8 text (byte {err.start}). Save it as "
            "'CSV UTF-8' from your spreadsheet program."
        ) from None
    if "\x00" in text or not text.strip():
        raise ReportError(f"{shown}: the manifest is empty or binary; it must be a CSV file.")
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ReportError(f"{shown}: not a valid CSV file ({err}).") from None
    header = [name.strip() for name in rows[0]]
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    for line, row in body:
        if len(row) != len(header):
            raise ReportError(
                f"{shown}: line {line} has {len(row)} fields but the header has {len(header)}. "
                "Put any value that contains a comma in double quotes, and check for a "
                "missing or extra comma."
            )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ReportError(f"{shown}: the column {repeated[0]!r} appears twice in the header.")
    reserved = [name for name in header if name in COMPUTED_COLUMNS]
    if reserved:
        raise ReportError(
            f"{shown}: the column {reserved[0]!r} is computed when reading the files; "
            "rename or remove it from the manifest."
        )
    table = pd.DataFrame([row for _, row in body], columns=header, dtype=object)
    table.index = [line - 2 for line, _ in body]
    missing = [c for c in REQUIRED_MANIFEST_COLUMNS if c not in table.columns]
    if missing:
        raise ReportError(
            f"{shown}: the manifest lacks the required column(s) {', '.join(missing)}; it has "
            f"{', '.join(table.columns)}. Add a header line naming at least file and id."
        )
    table = table.apply(lambda col: col.str.strip()) if len(table) else table
    for column in ("file", "id"):
        empty = table.index[table[column] == ""]
        if len(empty):
            raise ReportError(f"{shown}: row {empty[0] + 2} has an empty '{column}'. Fill it in.")
        dupes = table[column][table[column].duplicated()].tolist()
        if dupes:
            raise ReportError(
                f"{shown}: {column} {dupes[0]!r} appears more than once. Each report gets "
                "one row and a unique id."
            )
    for column in MANIFEST_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    for row, value in table["report_year"].items():
        if value and not re.fullmatch(r"(19|20)\d{2}", value):
            raise ReportError(
                f"{shown}: row {row + 2} ({table.at[row, 'file']}): report_year {value!r} is "
                "not a four-digit year. Write e.g. 2019, or leave it empty if unknown."
            )
    for row, value in table["published"].items():
        well_formed = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        if value and (
            not well_formed or pd.isna(pd.to_datetime(value, format="%Y-%m-%d", errors="coerce"))
        ):
            raise ReportError(
                f"{shown}: row {row + 2} ({table.at[row, 'file']}): published {value!r} is not "
                "a date written YYYY-MM-DD. Fix it, or leave it empty if the page gives none."
            )
    for column, allowed in (("level", LEVELS), ("script", SCRIPTS)):
        for row, value in table[column].items():
            if value and value not in allowed:
                raise ReportError(
                    f"{shown}: row {row + 2} ({table.at[row, 'file']}): {column} {value!r} "
                    f"is not one of {', '.join(allowed)}."
                )
    return table


def load_reports(
    folder: str | Path = "seeds",
    manifest: str | Path | None = "manifest.csv",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    """Load every ``.txt`` report in ``folder``, described by its manifest.

    ``folder`` is absolute or relative to the repository root; ``manifest`` is
    relative to ``folder`` (``None``: no manifest, every value is inferred).
    Returns one row per file, in file-name order, with the manifest's columns
    plus ``encoding``, ``newline``, ``bytes``, ``chars``, ``source``
    ("manifest" or "inferred") and ``text`` (the decoded raw text).

    A file the manifest does not list still loads: its title, region, year,
    publication date and script are inferred from its text and a
    :class:`ReportWarning` names it. A file whose SHA-256 differs from the
    manifest's also gets a warning (the file changed since the manifest was
    written). Errors (:class:`ReportError`) for: a missing folder, a folder
    with no ``.txt`` files, a broken manifest, a manifest row whose file is
    absent, two files with identical content, and any file
    :func:`read_report` rejects.

    Example:
        >>> reports = load_reports()
        >>> reports[["id", "report_year", "script"]].head(2)
                     id  report_year       script
        0  taicang-2019         2019  traditional
        1  huinong-2018         2018   simplified
    """
    folder = _resolve(folder)
    shown = _show(folder)
    if not folder.is_dir():
        raise ReportError(
            f"{shown}: no such folder. Check the path "
            "(relative paths start at the repository root)."
        )
    # Hidden files (".name.txt", macOS "._name.txt" copies) are not reports.
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() == ".txt" and not p.name.startswith(".")
    )
    if not files:
        raise ReportError(f"{shown}: the folder has no .txt files. Put plain-text reports there.")

    table = read_manifest(folder / manifest) if manifest is not None else None
    listed = {} if table is None else {row["file"]: row for row in table.to_dict("records")}
    # The manifest may also describe .html/.docx/.pdf files (load_documents reads those);
    # only a file that is nowhere in the folder is an error.
    absent = [name for name in listed if not (folder / name).exists()]
    if absent:
        raise ReportError(
            f"{_show(folder / str(manifest))}: lists {absent[0]!r}, which is not in {shown}. "
            "Add the file or delete its manifest row."
        )

    rows = []
    seen: dict[str, str] = {}
    for path in files:
        report = read_report(path, max_bytes=max_bytes)
        if report.sha256 in seen:
            raise ReportError(
                f"{_show(path)}: has the same content as {seen[report.sha256]}. "
                "Remove one copy so that no report is counted twice."
            )
        seen[report.sha256] = path.name
        if path.name in listed:
            meta = dict(listed[path.name])
            if meta["sha256"] and meta["sha256"].lower() != report.sha256:
                warnings.warn(
                    f"{_show(path)}: its SHA-256 differs from the manifest's, so the file "
                    "changed after the manifest was written. If that was intended, update "
                    "the sha256 column.",
                    ReportWarning,
                    stacklevel=2,
                )
            source = "manifest"
        else:
            inferred = infer_metadata(report.text)
            meta = {column: "" for column in MANIFEST_COLUMNS}
            meta.update({k: ("" if v is None else str(v)) for k, v in inferred.items()})
            meta["file"] = path.name
            meta["id"] = path.stem
            if table is not None:
                warnings.warn(
                    f"{_show(path)}: not in the manifest, so its metadata was inferred from "
                    "its text (check title, region, year). Add a manifest row to fix it.",
                    ReportWarning,
                    stacklevel=2,
                )
            source = "inferred"
        rows.append(corpus_row(meta, report, source))
    return corpus_table(rows)


def corpus_row(meta: dict, report: Report, source: str) -> dict:
    """One row of a corpus table: the manifest values plus what reading the file found."""
    return meta | {
        "sha256": report.sha256,
        "encoding": report.encoding,
        "newline": report.newline,
        "bytes": report.n_bytes,
        "chars": report.chars,
        "source": source,
        "text": report.text,
    }


def corpus_table(rows: list[dict]) -> pd.DataFrame:
    """Rows from :func:`corpus_row` as a table: manifest columns, your own, computed ones."""
    extra = sorted({k for row in rows for k in row} - set(MANIFEST_COLUMNS) - set(COMPUTED_COLUMNS))
    reports = pd.DataFrame(rows, columns=[*MANIFEST_COLUMNS, *extra, *COMPUTED_COLUMNS])
    return typed_columns(reports)


def typed_columns(reports: pd.DataFrame) -> pd.DataFrame:
    """Give a corpus table its dtypes: missing values are <NA> everywhere, the same in
    pandas 2 and 3: text as "string", years as nullable integers, dates as datetimes."""
    for column in reports.columns:
        if column not in ("bytes", "chars"):
            reports[column] = reports[column].astype("string").replace("", pd.NA)
    reports["report_year"] = reports["report_year"].astype("Int64")
    reports["published"] = pd.to_datetime(reports["published"], format="%Y-%m-%d")
    return reports
