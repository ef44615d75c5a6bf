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

import codecs
import hashlib
import re
import zipfile
from pathlib import Path

import pandas as pd

from .corpus import (
    COMPUTED_COLUMNS,
    DEFAULT_MAX_BYTES,
    MANIFEST_COLUMNS,
    Report,
    ReportError,
    _resolve,
    _show,
    corpus_row,
    corpus_table,
    infer_metadata,
    read_manifest,
    read_report,
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


_BLOCKS = (
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "header", "footer", "nav", "title", "ul", "ol", "dd", "dt", "blockquote", "pre",
)  # fmt: skip
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in <meta charset=…>, if Python knows it."""
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    name = "gb18030" if name in ("gbk", "gb2312", "gb18030", "x-gbk") else name
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def _read_html(path: Path, max_bytes: int) -> Report:
    from bs4 import BeautifulSoup  # imported here: only HTML needs it

    data = path.read_bytes()
    declared = _declared_charset(data)
    markup, how = None, ""
    if declared:
        try:
            markup, how = data.decode(declared), f"{declared} (declared by the page)"
        except UnicodeDecodeError:
            markup = None  # the declaration is wrong: detect instead
    if markup is None:
        page = read_report(path, max_bytes=max_bytes)
        markup, how = page.text, page.encoding
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    # A line break around block elements only: "申请<span>36</span>件" stays one line.
    for element in soup.find_all(_BLOCKS):
        element.insert_before("\n")
        element.insert_after("\n")
    blocks = [" ".join(line.split()) for line in soup.get_text("").split("\n")]
    text = "\n".join(line for line in blocks if line)
    return _report(path, text, "html", f"{how} page, text by BeautifulSoup")


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
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError) as err:
        raise ReportError(f"{shown}: a damaged .docx archive ({err}). Save it again.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReportError(
            f"{shown}: the archive unpacks to {unpacked:,} bytes, more than the "
            f"{MAX_UNPACKED_BYTES:,} a report needs; refused as unsafe to open."
        )
    if b"wordprocessingml.document.main" not in types:
        raise ReportError(
            f"{shown}: a ZIP archive but not a Word document (no main document part)."
        )
    import docx  # python-docx, imported here: only Word files need it
    import docx.table

    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises several kinds for damaged files
        raise ReportError(f"{shown}: Word could not be read ({type(err).__name__}).") from None
    lines = []
    for block in document.iter_inner_content():  # paragraphs and tables, in document order
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell appears once, not per column
                        seen.add(id(cell._tc))
                        cells.append(" ".join(p.text for p in cell.paragraphs))
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return _report(path, "\n".join(lines), "docx", "paragraphs and tables by python-docx")


def _join_wrapped_lines(text: str) -> str:
    """Undo a PDF's line wrapping: a full line that does not end a sentence continues.

    A PDF stores lines as laid out on the page, so a paragraph comes back cut
    wherever a line was full ("纠错率达11.7%" / "。"). A line at least 80% as long
    as the page's usual full line (the 90th percentile of line lengths), not
    ending in 。！？；：, is joined to the next. A blank line is never crossed.
    """
    lines = [line.strip() for line in text.split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    full = 0.8 * lengths[int(0.9 * (len(lengths) - 1))]
    paragraphs: list[list[str]] = []
    joining = False
    for line in lines:
        if joining and line:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        joining = len(line) >= full and not line.endswith(("。", "！", "？", "；", "："))
    return "\n".join("".join(parts) for parts in paragraphs)


def _opens_without_password(reader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several kinds, e.g. for AES without a crypto library
        return False


def _read_pdf(path: Path) -> Report:
    shown = _show(path)
    from pypdf import PdfReader  # imported here: only PDF needs it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        # Many PDFs are "encrypted" with an empty user password (they only forbid
        # editing or printing) and open without one.
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ReportError(f"{shown}: the PDF is protected by a password. Save an open copy.")
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


def load_documents(
    folder: str | Path,
    manifest: str | Path | None = "manifest.csv",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
):
    """Read every file in ``folder``; returns ``(reports, problems)``.

    ``reports`` has the columns of :func:`helpers.load_reports`. A file listed
    in the folder's manifest (``manifest``, relative to the folder; it may be
    absent) takes its metadata from there (``source`` "manifest"); any other
    file's metadata is inferred from its text (``source`` "inferred"): check it
    and correct it. ``problems`` lists each file that could not be used, with
    the reason (columns ``file``, ``reason``). Hidden files are skipped.
    """
    folder = _resolve(folder)
    if not folder.is_dir():
        raise ReportError(f"{_show(folder)}: no such folder.")
    manifest_path = folder / manifest if manifest is not None else None
    listed = {}
    if manifest_path is not None and manifest_path.is_file():
        table = read_manifest(manifest_path)
        listed = {row["file"]: row for row in table.to_dict("records")}
    rows, problems = [], []
    seen: dict[str, str] = {}
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    stems = [p.stem for p in entries]
    for path in entries:
        if path == manifest_path:
            continue
        if path.is_dir():
            problems.append({"file": path.name + "/", "reason": "a folder: its files are not read"})
            continue
        if path.suffix.lower() not in SUPPORTED_FORMATS:
            problems.append({"file": path.name, "reason": f"unsupported format {path.suffix}"})
            continue
        try:
            report = read_document(path, max_bytes=max_bytes)
        except ReportError as err:
            problems.append({"file": path.name, "reason": str(err).split(": ", 1)[-1]})
            continue
        if report.sha256 in seen:
            problems.append({"file": path.name, "reason": f"same bytes as {seen[report.sha256]}"})
            continue
        seen[report.sha256] = path.name
        if path.name in listed:
            meta = {k: ("" if v is None else str(v)) for k, v in listed[path.name].items()}
            source = "manifest"
        else:
            meta = dict.fromkeys(MANIFEST_COLUMNS, "")
            inferred = infer_metadata(report.text)
            meta.update({k: "" if v is None else str(v) for k, v in inferred.items()})
            # "report.html" and "report.pdf" would both be "report": keep the format then.
            unique = stems.count(path.stem) == 1
            meta["id"] = path.stem if unique else f"{path.stem}-{path.suffix.lstrip('.')}"
            source = "inferred"
        meta["file"] = path.name
        rows.append(corpus_row(meta, report, source))
    return corpus_table(rows), pd.DataFrame(problems, columns=["file", "reason"])


def write_manifest(reports: pd.DataFrame, path: str | Path) -> Path:
    """Write the manifest columns of ``reports`` (and any columns you added) to a new CSV file.

    Save it as ``manifest.csv`` beside your reports, correct it by hand, and
    :func:`load_documents` (and, for .txt files, :func:`helpers.load_reports`)
    reads it next time. Raises ``FileExistsError`` if the
    file exists, so nothing you corrected is lost.
    """
    path = _resolve(path)
    if path.exists():
        raise FileExistsError(f"{_show(path)} exists already; choose another name or delete it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = [c for c in reports.columns if c not in COMPUTED_COLUMNS]  # your own columns too
    table = reports[keep].copy()
    table["published"] = pd.to_datetime(table["published"]).dt.strftime("%Y-%m-%d")
    table.to_csv(path, index=False, encoding="utf-8")
    return path
