"""One reader per file format: bytes in, text out.

Introduced in ``notebooks/01_reading.ipynb`` (plain text) and
``notebooks/05_your_own_reports.ipynb`` (the others). :func:`helpers.read_report`
chooses the reader by the file's extension:

- ``.txt``: decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030
  (which includes GBK and GB2312) or Big5; line endings (LF, CRLF, CR) become
  ``"\\n"`` the way Python's ``open()`` does;
- ``.html`` / ``.htm``: decoded with the charset the page declares (else as a
  text file), then BeautifulSoup keeps the page's visible text (scripts and
  styles dropped). Page furniture is left for cleaning, which logs it;
- ``.docx``: python-docx reads the paragraphs and tables, after checks that the
  file is a real, reasonably sized Word archive;
- ``.pdf``: pypdf extracts the text layer; a scanned PDF has none and is refused.

Each reader returns a :class:`Decoded` (text, encoding, how it was decided,
line endings) or raises :class:`~helpers.ReportError` naming the file.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportError, shown

__all__ = ["SUPPORTED_FORMATS", "Decoded", "decode_text", "read_format"]

#: Extension -> what it is. Everything else in a folder is listed as unsupported.
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


@dataclass(frozen=True)
class Decoded:
    """What a reader found: the text (with "\\n" line breaks) and how it was decoded."""

    text: str
    encoding: str | None  # None for formats with no text encoding of their own (docx, pdf)
    detected: str
    newline: str


# --------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------

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
    for ch in data.decode("utf-8", errors="surrogateescape"):
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


def _decode(data: bytes, name: str) -> tuple[str, str, str]:
    """Decode report bytes. Returns (text, encoding, how it was decided)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                raise ReportError(
                    f"{name}: starts with a {codec.upper()} byte-order mark but byte "
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
            f"{name}: this is UTF-8 text with {bad} damaged byte(s), the first at byte "
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
        chinese = best.encoding.startswith("gb")
        candidates = ["gb18030"] if chinese else ["big5", "cp950", "big5hkscs"]
        for codec in candidates:
            try:
                return data.decode(codec), codec, f"charset-normalizer ({best.encoding})"
            except UnicodeDecodeError:
                continue
    raise ReportError(
        f"{name}: the bytes decode under none of the supported encodings (UTF-8, UTF-16 "
        f"with BOM, GB18030/GBK, Big5); the first non-UTF-8 byte is at position {first_bad}. "
        "Open the file in a text editor, check that it shows Chinese correctly, and save it "
        "as UTF-8."
    )


def decode_text(data: bytes, name: str) -> Decoded:
    """Decode the bytes of a plain-text report, or raise :class:`ReportError` saying why not.

    ``name`` is the file as messages should show it.

    Example:
        >>> decode_text("法治政府\\r\\n".encode("gb18030"), "a.txt").encoding
        'gb18030'
    """
    if not data.strip(b" \t\r\n\x0b\x0c" + codecs.BOM_UTF8):
        raise ReportError(f"{name}: the file is empty (no text at all). Re-save or re-download it.")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReportError(
                f"{name}: this is {kind}, not a plain-text report. Extract its text "
                "first (save as .txt, UTF-8), then read that file."
            )
    has_bom = any(data.startswith(bom) for bom, _ in _BOMS)
    if not has_bom and not _is_utf8(data) and _looks_like_bomless_utf16(data):
        raise ReportError(
            f"{name}: looks like UTF-16 text without a byte-order mark, which cannot "
            "be read reliably. Open it in a text editor and save it as UTF-8."
        )
    if not has_bom and b"\x00" in data:
        raise ReportError(
            f"{name}: contains NUL bytes, so it is a binary file, not a text report. "
            "Check that you picked the right file; extract its text as UTF-8 .txt."
        )
    text, encoding, detected = _decode(data, name)
    text = text.removeprefix("\ufeff")
    if not text.strip():  # only spaces (NBSP, full-width spaces …) after decoding
        raise ReportError(f"{name}: the file has no text, only blank space. Re-save it.")
    newline = _newline_style(text)
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding, detected, newline)


def _finish(text: str, name: str, kind: str, encoding: str | None, detected: str) -> Decoded:
    """Text extracted from a page or document: trailing spaces off, "\\n" line breaks."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    if not text.strip():
        raise ReportError(f"{name}: the {kind} contains no text.")
    return Decoded(text, encoding, detected, "LF")


# --------------------------------------------------------------------------
# Saved web pages
# --------------------------------------------------------------------------

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


def read_html(data: bytes, name: str) -> Decoded:
    """The visible text of a saved web page, one block element per line."""
    from bs4 import BeautifulSoup  # imported here: only HTML needs it

    declared = _declared_charset(data)
    markup, encoding, how = None, None, ""
    if declared:
        try:
            markup, encoding, how = data.decode(declared), declared, "declared by the page"
        except UnicodeDecodeError:
            markup = None  # the declaration is wrong: detect instead
    if markup is None:
        page = decode_text(data, name)
        markup, encoding, how = page.text, page.encoding, page.detected
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    # A line break around block elements only: "申请<span>36</span>件" stays one line.
    for element in soup.find_all(_BLOCKS):
        element.insert_before("\n")
        element.insert_after("\n")
    blocks = [" ".join(line.split()) for line in soup.get_text("").split("\n")]
    text = "\n".join(line for line in blocks if line)
    return _finish(text, name, "page", encoding, f"{encoding} ({how}); text by BeautifulSoup")


# --------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------


def read_docx(data: bytes, name: str) -> Decoded:
    """Paragraphs and tables of a Word file, in document order; merged cells once."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReportError(
            f"{name}: not a Word (.docx) file: a .docx is a ZIP archive and this is not one. "
            "Open it in Word or LibreOffice and save it again as .docx."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError) as err:
        raise ReportError(f"{name}: a damaged .docx archive ({err}). Save it again.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReportError(
            f"{name}: the archive unpacks to {unpacked:,} bytes, more than the "
            f"{MAX_UNPACKED_BYTES:,} a report needs; refused as unsafe to open."
        )
    if b"wordprocessingml.document.main" not in types:
        raise ReportError(f"{name}: a ZIP archive but not a Word document (no main document part).")
    import docx  # python-docx, imported here: only Word files need it
    import docx.table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several kinds for damaged files
        raise ReportError(f"{name}: Word could not be read ({type(err).__name__}).") from None
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
    return _finish("\n".join(lines), name, "document", None, "paragraphs and tables by python-docx")


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


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


def read_pdf(data: bytes, name: str) -> Decoded:
    """The text layer of a PDF, with the page's line wrapping undone."""
    from pypdf import PdfReader  # imported here: only PDF needs it
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Many PDFs are "encrypted" with an empty user password (they only forbid
        # editing or printing) and open without one.
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ReportError(f"{name}: the PDF is protected by a password. Save an open copy.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as err:
        raise ReportError(f"{name}: a damaged PDF ({err}).") from None
    # Some PDF writers map Chinese glyphs through two-byte codes that come out
    # with NUL characters in between; they are never text.
    text = _join_wrapped_lines("\n".join(pages).replace("\x00", ""))
    if not text.strip():
        raise ReportError(
            f"{name}: the PDF has no text layer (a scan?). Run OCR on it first, or find "
            "the report as a web page or Word file."
        )
    return _finish(text, name, "PDF", None, f"text layer of {len(pages)} page(s) by pypdf")


_READERS = {
    ".txt": decode_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
}


def read_format(path: Path, data: bytes) -> Decoded:
    """Read ``data`` (the bytes of ``path``) with the reader for the path's extension."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(SUPPORTED_FORMATS)
        raise ReportError(
            f"{shown(path)}: {path.suffix or 'no extension'} is not a supported format "
            f"({supported}). Save the report in one of these."
        )
    return reader(data, shown(path))
