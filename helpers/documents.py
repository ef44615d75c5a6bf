"""Reports in other formats: saved web pages, Word and PDF files, and whole folders of them.

Introduced in ``notebooks/05_your_own_reports.ipynb``.

:func:`read_document` turns one file into the same :class:`~helpers.Report`
that :func:`helpers.read_report` gives for plain text:

- ``.txt``: :func:`helpers.read_report` (UTF-8, UTF-16 with BOM, GB18030, Big5);
- ``.html`` / ``.htm``: decoded like a text file, then BeautifulSoup keeps the
  page's visible text (scripts and styles dropped); page furniture is left for
  :func:`helpers.clean_report`, which logs what it removes;
- ``.docx``: python-docx reads the paragraphs and tables, after checks that the
  file is a real, reasonably sized Word archive;
- ``.pdf``: pypdf extracts the text layer; a scanned PDF has none and is refused.

:func:`load_documents` reads a whole folder and returns two tables: the
reports it could read, and the files it could not, each with the reason.
Nothing is written.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pandas as pd

from .corpus import (
    DEFAULT_MAX_BYTES,
    MANIFEST_COLUMNS,
    Report,
    ReportError,
    _resolve,
    _show,
    infer_metadata,
    read_report,
    typed_columns,
)

__all__ = ["SUPPORTED_FORMATS", "load_documents", "read_document", "write_manifest"]

SUPPORTED_FORMATS = {
    ".txt": "plain text",
    ".html": "saved web page",
    ".htm": "saved web page",
    ".docx": "Word document",
    ".pdf": "PDF with a text layer",
}

#: A .docx is a ZIP archive; one that unpacks to more than this is refused
#: (a "zip bomb" can be small on disk and huge when opened).
MAX_UNPACKED_BYTES = 50_000_000


def _report(path: Path, text: str, kind: str, detected: str) -> Report:
    data = path.read_bytes()
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    if not text.strip():
        raise ReportError(f"{_show(path)}: the {kind} contains no text.")
    return Report(
        path=path,
        text=text,
        encoding=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        n_bytes=len(data),
        newline="LF",
        detected=detected,
    )


def _read_html(path: Path, max_bytes: int) -> Report:
    from bs4 import BeautifulSoup  # imported here: only HTML needs it

    page = read_report(path, max_bytes=max_bytes)
    soup = BeautifulSoup(page.text, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    blocks = [line.strip() for line in soup.get_text("\n").split("\n")]
    text = "\n".join(line for line in blocks if line)
    return _report(path, text, "html", f"{page.encoding} page, text by BeautifulSoup")


def _read_docx(path: Path) -> Report:
    shown = _show(path)
    if not zipfile.is_zipfile(path):
        raise ReportError(
            f"{shown}: not a Word (.docx) file: a .docx is a ZIP archive and this is not one. "
            "Open it in Word or LibreOffice and save it again as .docx."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as err:
        raise ReportError(f"{shown}: a damaged .docx archive ({err}). Save it again.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReportError(
            f"{shown}: the archive unpacks to {unpacked:,} bytes, more than the "
            f"{MAX_UNPACKED_BYTES:,} a report needs; refused as unsafe to open."
        )
    if "word/document.xml" not in names:
        raise ReportError(f"{shown}: a ZIP archive but not a Word document (no word/document.xml).")
    import docx  # python-docx, imported here: only Word files need it

    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises several kinds for damaged files
        raise ReportError(f"{shown}: Word could not be read ({type(err).__name__}).") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return _report(path, "\n".join(lines), "docx", "paragraphs and tables by python-docx")


def _join_wrapped_lines(text: str, width: int = 30) -> str:
    """Undo a PDF's line wrapping: a long line that does not end a sentence continues.

    A PDF stores lines as laid out on the page, so a paragraph comes back cut
    wherever the line was full ("纠错率达11.7%" / "。"). A line of at least
    ``width`` characters that does not end in 。！？；： is joined to the next.
    """
    out: list[str] = []
    for line in text.split("\n"):
        if out and len(out[-1]) >= width and not out[-1].endswith(("。", "！", "？", "；", "：")):
            out[-1] += line.strip()
        else:
            out.append(line.strip())
    return "\n".join(out)


def _read_pdf(path: Path) -> Report:
    shown = _show(path)
    from pypdf import PdfReader  # imported here: only PDF needs it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ReportError(f"{shown}: the PDF is encrypted. Save an unprotected copy.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as err:
        raise ReportError(f"{shown}: a damaged PDF ({err}).") from None
    # Some PDF writers map Chinese glyphs through two-byte codes that come out
    # with NUL characters in between; they are never text.
    text = _join_wrapped_lines("\n".join(pages).replace("\x00", ""))
    if not text.strip():
        raise ReportError(
            f"{shown}: the PDF has no text layer (a scan?). Run OCR on it first, or find "
            "the report as a web page or Word file."
        )
    return _report(path, text, "pdf", f"text layer of {len(pages)} page(s) by pypdf")


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    """Read a report in any supported format (see :data:`SUPPORTED_FORMATS`).

    Raises :class:`helpers.ReportError`, naming the file and the problem, for
    unsupported formats and unreadable files.

    Example:
        >>> report = read_document("samples/your_reports/shili-county-2023.html")
        >>> report.encoding, report.text.splitlines()[:2]
        ('html', ['示例县2023年法治政府建设情况报告', '示例县人民政府门户网站'])
    """
    path = _resolve(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_FORMATS:
        formats = ", ".join(SUPPORTED_FORMATS)
        raise ReportError(
            f"{_show(path)}: {suffix or 'no extension'} is not supported ({formats})."
        )
    if suffix == ".txt":
        return read_report(path, max_bytes=max_bytes)
    if not path.is_file():
        raise ReportError(f"{_show(path)}: no such file.")
    if path.stat().st_size > max_bytes:
        raise ReportError(
            f"{_show(path)}: larger than {max_bytes:,} bytes; pass a larger max_bytes."
        )
    if suffix in (".html", ".htm"):
        return _read_html(path, max_bytes)
    if suffix == ".docx":
        return _read_docx(path)
    return _read_pdf(path)


def load_documents(folder: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES):
    """Read every file in ``folder``; returns ``(reports, problems)``.

    ``reports`` has the columns of :func:`helpers.load_reports`, with the
    metadata inferred from each text (``source`` is "inferred"): check it and
    correct it before you rely on it. ``problems`` lists each file that could
    not be used (columns ``file``, ``reason``). Hidden files are skipped.
    """
    folder = _resolve(folder)
    if not folder.is_dir():
        raise ReportError(f"{_show(folder)}: no such folder.")
    rows, problems = [], []
    seen: dict[str, str] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() not in SUPPORTED_FORMATS:
            problems.append({"file": path.name, "reason": f"unsupported format {path.suffix}"})
            continue
        try:
            report = read_document(path, max_bytes=max_bytes)
        except ReportError as err:
            problems.append({"file": path.name, "reason": str(err).split(": ", 1)[-1]})
            continue
        if report.sha256 in seen:
            problems.append({"file": path.name, "reason": f"same content as {seen[report.sha256]}"})
            continue
        seen[report.sha256] = path.name
        meta = dict.fromkeys(MANIFEST_COLUMNS, "")
        meta.update(
            {k: "" if v is None else str(v) for k, v in infer_metadata(report.text).items()}
        )
        meta.update(file=path.name, id=path.stem, sha256=report.sha256)
        meta.update(
            encoding=report.encoding,
            newline=report.newline,
            bytes=report.n_bytes,
            chars=report.chars,
            source="inferred",
            text=report.text,
        )
        rows.append(meta)
    columns = [*MANIFEST_COLUMNS, "encoding", "newline", "bytes", "chars", "source", "text"]
    reports = pd.DataFrame(rows, columns=columns)
    return typed_columns(reports), pd.DataFrame(problems, columns=["file", "reason"])


def write_manifest(reports: pd.DataFrame, path: str | Path) -> Path:
    """Write the manifest columns of ``reports`` to a new CSV file; never overwrites.

    Use it to save an inferred manifest, correct it by hand, and pass it to
    :func:`helpers.load_reports` next time. Raises ``FileExistsError`` if the
    file exists, so nothing you corrected is lost.
    """
    path = _resolve(path)
    if path.exists():
        raise FileExistsError(f"{_show(path)} exists already; choose another name or delete it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    table = reports[list(MANIFEST_COLUMNS)].copy()
    table["published"] = pd.to_datetime(table["published"]).dt.strftime("%Y-%m-%d")
    table.to_csv(path, index=False, encoding="utf-8")
    return path
