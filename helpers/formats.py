"""One reader per file format: bytes in, text out.

Introduced in ``notebooks/01_reading.ipynb`` (plain text) and
``notebooks/05_your_own_reports.ipynb`` (the others). :func:`helpers.read_report`
chooses the reader by the file's extension:

- ``.txt``: decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, GB18030
  (which includes GBK and GB2312) or Big5; line endings (LF, CRLF, CR) become
  ``"\\n"`` the way Python's ``open()`` does;
- ``.html`` / ``.htm``: decoded with the charset the page declares if that is a
  text encoding that fits the bytes (else detected as for a text file), then
  the text a browser shows is kept: scripts, styles, comments and hidden
  elements (``hidden``, ``display:none`` …, where spam is planted) are dropped.
  The tokenizer is linear in the page's size and never recurses, so a hostile
  page (deep nesting, unclosed comments) cannot hang it. Page furniture is left
  for cleaning, which logs it;
- ``.docx``: after checks that the file is a real, unencrypted, reasonably sized
  Word archive, ``word/document.xml`` is streamed through expat (DTDs refused,
  inflated bytes counted): paragraphs, tables, text boxes, content controls and
  inserted text in document order, deleted text left out;
- ``.pdf``: pypdf extracts the text layer (an empty password is tried on an
  encrypted file); a scanned PDF has none and is refused.

Each reader returns a :class:`Decoded` (text, encoding, how it was decided,
line endings) or raises :class:`~helpers.ReportError` naming the file and the
fix; :func:`read_format` turns any other error into one too, so one bad file
never stops a folder from loading.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import Message, ReportError, shown

__all__ = ["SUPPORTED_FORMATS", "Decoded", "decode_text", "read_format"]

#: Extension -> what it is. Everything else in a folder is listed as unsupported.
SUPPORTED_FORMATS = {
    ".txt": "plain text",
    ".html": "saved web page",
    ".htm": "saved web page",
    ".docx": "Word document",
    ".pdf": "PDF with a text layer",
}
#: The same in Chinese, for messages.
_FORMAT_NAMES_ZH = {
    ".txt": "纯文本",
    ".html": "保存的网页",
    ".htm": "保存的网页",
    ".docx": "Word 文档",
    ".pdf": "带文字层的 PDF",
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
    b"%PDF": Message("a PDF document", zh="一份 PDF 文档"),
    b"PK\x03\x04": Message(
        "a ZIP archive (a .docx/.xlsx file is one)",
        zh="一个 ZIP 压缩包（.docx/.xlsx 文件就是 ZIP 压缩包）",
    ),
    b"\xd0\xcf\x11\xe0": Message(
        "an old Microsoft Office document (.doc/.xls)",
        zh="一份旧版 Microsoft Office 文档（.doc/.xls）",
    ),
    b"\x89PNG": Message("a PNG image", zh="一张 PNG 图片"),
    b"\xff\xd8\xff": Message("a JPEG image", zh="一张 JPEG 图片"),
    b"GIF8": Message("a GIF image", zh="一张 GIF 图片"),
    b"{\\rtf": Message("an RTF document", zh="一份 RTF 文档"),
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
                    "Re-save it from its source as UTF-8.",
                    zh=f"{name}: 文件以 {codec.upper()} 字节顺序标记开头，但位置 {err.start} "
                    f"的字节无法按 {codec.upper()} 解码；文件已损坏。"
                    "请从原始来源重新另存为 UTF-8。",
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
            "copy of the file, or fix the damaged part in a text editor and save as UTF-8.",
            zh=f"{name}: 这是 UTF-8 文本，但有 {bad} 个字节已损坏，第一个位于位置 {first_bad}"
            f"（文件共 {len(data)} 字节）。可能是下载或复制中断，截断了多字节字符，"
            "或混入了少量其他编码的字节。请重新获取该文件，"
            "或在文本编辑器中修复损坏处并另存为 UTF-8。",
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
        "as UTF-8.",
        zh=f"{name}: 这些字节无法按任何支持的编码解码（UTF-8、带 BOM 的 UTF-16、GB18030/GBK、"
        f"Big5）；第一个非 UTF-8 字节位于位置 {first_bad}。请用文本编辑器打开该文件，"
        "确认中文显示正常，然后另存为 UTF-8。",
    )


def decode_text(data: bytes, name: str) -> Decoded:
    """Decode the bytes of a plain-text report, or raise :class:`ReportError` saying why not.

    ``name`` is the file as messages should show it.

    Example:
        >>> decode_text("法治政府\\r\\n".encode("gb18030"), "a.txt").encoding
        'gb18030'
    """
    if not data.strip(b" \t\r\n\x0b\x0c" + codecs.BOM_UTF8):
        raise ReportError(
            f"{name}: the file is empty (no text at all). Re-save or re-download it.",
            zh=f"{name}: 文件是空的（没有任何文字）。请重新保存或重新下载。",
        )
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReportError(
                f"{name}: this is {kind}, not a plain-text report. Extract its text "
                "first (save as .txt, UTF-8), then read that file.",
                zh=f"{name}: 这是{kind:zh}，不是纯文本报告。请先提取其中的文字"
                "（另存为 .txt，UTF-8），再读取那个文件。",
            )
    has_bom = any(data.startswith(bom) for bom, _ in _BOMS)
    if not has_bom and not _is_utf8(data) and _looks_like_bomless_utf16(data):
        raise ReportError(
            f"{name}: looks like UTF-16 text without a byte-order mark, which cannot "
            "be read reliably. Open it in a text editor and save it as UTF-8.",
            zh=f"{name}: 看起来是不带字节顺序标记（BOM）的 UTF-16 文本，无法可靠读取。"
            "请用文本编辑器打开它，另存为 UTF-8。",
        )
    if not has_bom and b"\x00" in data:
        raise ReportError(
            f"{name}: contains NUL bytes, so it is a binary file, not a text report. "
            "Check that you picked the right file; extract its text as UTF-8 .txt.",
            zh=f"{name}: 含有 NUL 字节，是二进制文件而不是文本报告。请确认选对了文件；"
            "把其中的文字提取为 UTF-8 .txt。",
        )
    text, encoding, detected = _decode(data, name)
    text = text.removeprefix("\ufeff")
    if not text.strip():  # only spaces (NBSP, full-width spaces …) after decoding
        raise ReportError(
            f"{name}: the file has no text, only blank space. Re-save it.",
            zh=f"{name}: 文件中没有文字，只有空白。请重新保存。",
        )
    newline = _newline_style(text)
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding, detected, newline)


#: What ``_finish`` calls the source of a text, in messages ("the page contains no text").
_PAGE = Message("page", zh="网页中")
_DOCUMENT = Message("document", zh="文档中")
_PDF = Message("PDF", zh="PDF 中")


def _finish(text: str, name: str, kind: str, encoding: str | None, detected: str) -> Decoded:
    """Text extracted from a page or document: trailing spaces off, "\\n" line breaks."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    if not text.strip():
        kind = Message(kind)
        raise ReportError(
            f"{name}: the {kind} contains no text.",
            zh=f"{name}: {kind:zh}没有任何文字。",
        )
    return Decoded(text, encoding, detected, "LF")


# --------------------------------------------------------------------------
# Saved web pages
# --------------------------------------------------------------------------

_BLOCKS = frozenset((
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "header", "footer", "nav", "title", "ul", "ol", "dd", "dt", "blockquote", "pre",
    "td", "th",  # a cell per line: cells run together make numbers (2022年|123 -> 2022年123)
))  # fmt: skip
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_GB_LABELS = ("gbk", "gb2312", "gb18030", "x-gbk", "gb_2312-80", "csgb2312")
#: Codecs Python knows that are no page's character set (they decode escapes or domain names).
_NOT_CHARSETS = frozenset(
    ("unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined", "utf-7", "mbcs")
)

#: Elements whose content a browser never shows.
_HIDING = frozenset(("script", "style", "noscript", "template", "iframe", "noembed", "noframes"))
#: Elements with no content and no end tag.
_VOID = frozenset((
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
))  # fmt: skip
#: Elements whose content is raw text up to their end tag (no tags, no comments inside).
_RAW_TEXT = frozenset(("script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"))
_RCDATA = frozenset(("title", "textarea"))  # text with character references, no tags
#: A start tag of one of these closes an open <p> (HTML's rule).
_CLOSES_P = frozenset((
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "dd", "dt", "listing", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "ul", "xmp", "plaintext",
))  # fmt: skip
#: Elements an implied or stray end tag does not reach past (HTML's "scope").
_SCOPE = frozenset(("html", "table", "td", "th", "caption", "template", "object", "button"))
#: Start tag -> (elements it closes if open, the elements that bound the search).
_IMPLIED = {
    "li": (("li",), ("ul", "ol")),
    "dd": (("dd", "dt"), ("dl",)),
    "dt": (("dd", "dt"), ("dl",)),
    "tr": (("tr",), ("table",)),
    "td": (("td", "th"), ("tr", "table")),
    "th": (("td", "th"), ("tr", "table")),
    "thead": (("thead", "tbody", "tfoot"), ("table",)),
    "tbody": (("thead", "tbody", "tfoot"), ("table",)),
    "tfoot": (("thead", "tbody", "tfoot"), ("table",)),
    "option": (("option",), ("select", "optgroup")),
    "optgroup": (("option", "optgroup"), ("select",)),
    "a": (("a",), ()),
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Possessive (*+): a tag with no ">" before a long run of text must fail at once, not try
# every split of that run between the two groups (quadratic).
_SIMPLE_TAG = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*+)([^\"'>]*+)>")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_GAP = re.compile(r"[\t\n\f\r /]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")


def _text_codec(label: str) -> str | None:
    """The Python codec for a page's declared charset, or None if it is no usable one.

    Usable means: a text encoding that reads ASCII as ASCII (the declaration itself
    was written in ASCII). Byte-to-byte codecs (``base64``, ``hex``, ``zlib``),
    ``rot13``, EBCDIC (``cp037``) and unknown names are not. A page declaring
    UTF-16 is read as UTF-8, as browsers do (the declaration could not be read otherwise).

    Example:
        >>> _text_codec("GB2312"), _text_codec("base64"), _text_codec("cp037")
        ('gb18030', None, None)
    """
    label = label.lower()
    if label in _GB_LABELS:
        return "gb18030"
    if label.replace("-", "").replace("_", "").startswith(("utf16", "utf32")):
        return "utf-8"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in (
        _NOT_CHARSETS | {"utf_7"}
    ):
        return None
    probe = '<meta charset="x"> Az09'
    try:
        ascii_compatible = probe.encode("ascii").decode(info.name) == probe
    except (UnicodeError, LookupError, ValueError, TypeError):
        return None
    return info.name if ascii_compatible else None


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in ``<meta charset=…>`` (as written), if any."""
    match = _CHARSET_RE.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _cjk(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def _looks_like_mojibake(text: str, data: bytes, codec: str) -> bool:
    """True if ``text`` (``data`` decoded with a page's declared ``codec``) is garbled Chinese.

    Two signs: the bytes are valid UTF-8 with several multi-byte characters while
    the page declares something else (UTF-8 read as Latin-1 gives "æ³\\x95æ²»"),
    or the text has no Chinese at all while most of its non-ASCII characters
    come in runs, as two-byte GBK characters read as Latin-1 do ("·¨ÖÎ").
    """
    if codec.replace("_", "-") in ("utf-8", "utf-8-sig"):
        return False
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return as_utf8 != text and sum(ord(ch) > 0x7F for ch in as_utf8) >= 4
    if _cjk(text):
        return False
    high = [i for i, ch in enumerate(text) if ord(ch) > 0x7F]
    positions = set(high)
    paired = sum(i - 1 in positions or i + 1 in positions for i in high)
    return paired >= 8 and paired >= 0.5 * len(high)


def _page_markup(data: bytes, name: str) -> tuple[str, str, str]:
    """Decode a saved page: (markup, encoding, how it was decided).

    A byte-order mark wins; then the page's ``<meta charset>`` if it is a usable
    text encoding that decodes the bytes into something other than mojibake;
    otherwise the encoding is detected as for a text file, and ``how`` says why
    the declaration was passed over.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        page = decode_text(data, name)
        return page.text, page.encoding or "", page.detected
    label = _declared_charset(data)
    if label is None:
        page = decode_text(data, name)
        return page.text, page.encoding or "", page.detected
    codec = _text_codec(label)
    if codec is None:
        why = f"the page declares charset={label}, which is no text encoding a web page can use"
    else:
        try:
            markup = data.decode(codec)
        except UnicodeDecodeError as err:
            why = f"the page declares charset={label}, but byte {err.start} does not decode in it"
        else:
            if not _looks_like_mojibake(markup, data, codec):
                return markup, codec, "declared by the page"
            why = f"the page declares charset={label}, which turns its text into mojibake"
    page = decode_text(data, name)
    return page.text, page.encoding or "", f"{page.detected}; {why}"


def _hides(tag: str, attrs: str) -> bool:
    """True if a start tag's attributes hide the element (``attrs`` as written in the tag)."""
    if tag in _HIDING:
        return True
    lowered = attrs.lower()
    if "hidden" not in lowered and "display" not in lowered and "visibility" not in lowered:
        return False  # the common case, decided without parsing the attributes
    found: dict[str, str] = {}
    for attr, value in _attributes(attrs):
        found.setdefault(attr, value)
    if "hidden" in found or found.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = _CSS_COMMENT.sub("", found.get("style", ""))
    return bool(_HIDDEN_STYLE.search(style))


def _attributes(attrs: str):
    """(name, value) pairs of a tag's attribute text; values unquoted and unescaped."""
    k, n = 0, len(attrs)
    while True:
        k = _GAP.match(attrs, k).end()
        match = _ATTR_NAME.match(attrs, k)
        if match is None:
            return
        attr, k, value = match.group().lower(), match.end(), ""
        after = _SPACES.match(attrs, k).end()
        if after < n and attrs[after] == "=":
            k = _SPACES.match(attrs, after + 1).end()
            if k < n and attrs[k] in "\"'":
                close = attrs.find(attrs[k], k + 1)
                close = n if close < 0 else close
                value, k = attrs[k + 1 : close], close + 1
            else:
                match = _UNQUOTED.match(attrs, k)
                value, k = match.group(), match.end()
        yield attr, html.unescape(value)


def _tag_end(s: str, k: int) -> int:
    """Index just past the ``>`` ending a tag whose name ends at ``k``; -1 at end of file.

    Follows HTML: a ``>`` inside a quoted attribute value does not end the tag.
    """
    n = len(s)
    while True:
        k = _GAP.match(s, k).end()
        if k >= n:
            return -1
        if s[k] == ">":
            return k + 1
        k = _ATTR_NAME.match(s, k).end()
        after = _SPACES.match(s, k).end()
        if after < n and s[after] == "=":
            k = _SPACES.match(s, after + 1).end()
            if k < n and s[k] in "\"'":
                close = s.find(s[k], k + 1)
                if close < 0:
                    return -1
                k = close + 1
            else:
                k = _UNQUOTED.match(s, k).end()


class _VisibleText:
    """Collects the text a browser shows, from a stream of tags and text.

    Keeps the stack of open elements as a list (never recursion), closes the
    elements HTML closes implicitly (``<p>`` before a block, ``<li>`` before
    ``<li>``, cells and rows), and counts how many open elements hide their content.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.where: dict[str, list[int]] = {}  # tag -> stack positions where it is open
        self.scopes: list[int] = []  # stack positions of the _SCOPE elements
        self.hidden = 0  # open elements that hide their content
        self.foreign = 0  # open <svg>/<math>: there "<x/>" closes itself

    def text(self, data: str) -> None:
        if not self.hidden and data:
            self.parts.append(html.unescape(data) if "&" in data else data)

    def _in_scope(self, tag: str, bounds: tuple[str, ...] = ()) -> int:
        """Stack position of the innermost open ``tag`` not behind a boundary; -1 if none."""
        open_at = self.where.get(tag)
        if not open_at:
            return -1
        wall = self.scopes[-1] if self.scopes and tag not in _SCOPE else -1
        for bound in bounds:
            if self.where.get(bound):
                wall = max(wall, self.where[bound][-1])
        return open_at[-1] if open_at[-1] > wall else -1

    def _pop_to(self, position: int) -> None:
        while len(self.stack) > position:
            tag, hides = self.stack.pop()
            self.where[tag].pop()
            if tag in _SCOPE:
                self.scopes.pop()
            if tag in ("svg", "math"):
                self.foreign -= 1
            if tag in _BLOCKS and not self.hidden:
                self.parts.append("\n")
            self.hidden -= hides

    def start(self, tag: str, attrs: str, self_closing: bool) -> None:
        if tag in _CLOSES_P and self._in_scope("p") >= 0:
            self._pop_to(self._in_scope("p"))
        if tag in _IMPLIED:
            closes, bounds = _IMPLIED[tag]
            found = max(self._in_scope(t, bounds) for t in closes)
            if found >= 0:
                self._pop_to(found)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.stack and self.stack[-1][0] in (
            "h1", "h2", "h3", "h4", "h5", "h6"
        ):  # fmt: skip
            self._pop_to(len(self.stack) - 1)
        if tag in _VOID:
            if tag in _BLOCKS and not self.hidden:
                self.parts.append("\n")
            return
        hides = _hides(tag, attrs)
        if tag in _BLOCKS and not self.hidden and not hides:
            self.parts.append("\n")
        self.where.setdefault(tag, []).append(len(self.stack))
        if tag in _SCOPE:
            self.scopes.append(len(self.stack))
        self.stack.append((tag, hides))
        self.hidden += hides
        if tag in ("svg", "math"):
            self.foreign += 1
        elif self_closing and self.foreign:
            self._pop_to(len(self.stack) - 1)

    def end(self, tag: str) -> None:
        if tag == "br" or (tag == "p" and self._in_scope("p") < 0):
            if not self.hidden:
                self.parts.append("\n")  # </br> and a stray </p> break the line, as in browsers
            return
        found = self._in_scope(tag)
        if found >= 0:
            self._pop_to(found)


def _feed(s: str, sink: _VisibleText) -> None:
    """Tokenize HTML the way browsers do, in one pass: every scan ends at its terminator
    or at the end of the file (an unclosed comment or tag ends the page), so the work
    is linear in the page's size whatever the page contains.
    """
    i, n = 0, len(s)
    while i < n:
        j = s.find("<", i)
        if j < 0:
            sink.text(s[i:])
            return
        if j > i:
            sink.text(s[i:j])
        nxt = s[j + 1 : j + 2]
        after = s[j + 2 : j + 3] if nxt == "/" else nxt
        if after.isascii() and after.isalpha():  # <p …> or </p …>
            closing = nxt == "/"
            match = _SIMPLE_TAG.match(s, j)
            if match is not None:
                tag, attrs, end = match.group(1).lower(), match.group(2), match.end()
            else:  # a quote in the tag: find its real end
                name = _TAG_NAME.match(s, j + 1 + closing)
                end = _tag_end(s, name.end())
                if end < 0:
                    return  # the file ends inside a tag: HTML drops that tag
                tag, attrs = name.group().lower(), s[name.end() : end - 1]
            if closing:
                sink.end(tag)
                i = end
                continue
            self_closing = attrs.endswith("/")
            sink.start(tag, attrs, self_closing)
            i = end
            if tag in _RAW_TEXT or tag in _RCDATA or tag == "plaintext":
                stop = re.compile(rf"</{re.escape(tag)}[\t\n\f\r />]", re.I).search(s, i)
                content = s[i:] if tag == "plaintext" or stop is None else s[i : stop.start()]
                if tag in _RCDATA:
                    sink.text(content)
                elif tag in ("xmp", "plaintext") and not sink.hidden:
                    sink.parts.append(content)  # shown as it is, "&" and "<" included
                if tag == "plaintext" or stop is None:
                    return  # the element runs to the end of the file
                sink.end(tag)
                close = s.find(">", stop.end() - 1)
                if close < 0:
                    return
                i = close + 1
        elif s.startswith("<!--", j):
            if s.startswith(">", j + 4) or s.startswith("->", j + 4):  # <!--> and <!--->
                i = s.find(">", j + 4) + 1
                continue
            match = _COMMENT_END.search(s, j + 4)
            if match is None:
                return  # an unclosed comment runs to the end of the file
            i = match.end()
        elif nxt in ("!", "?", "/"):  # <!DOCTYPE …>, <![CDATA[…]]>, <?xml …?>, </ 3>: not shown
            close = s.find(">", j + 2)
            if close < 0:
                return
            i = close + 1
        else:
            sink.text("<")
            i = j + 1


def read_html(data: bytes, name: str) -> Decoded:
    """The visible text of a saved web page, one block element per line.

    Left out: scripts, styles, comments, ``<template>``, ``<noscript>`` and
    elements hidden by ``hidden``, ``aria-hidden="true"`` or an inline
    ``display:none`` / ``visibility:hidden`` (where spam is often planted).

    Example:
        >>> page = '<p>全年<span>36</span>件</p><div style="display: none">彩票</div>'
        >>> read_html(page.encode("utf-8"), "a.html").text
        '全年36件'
    """
    markup, encoding, how = _page_markup(data, name)
    sink = _VisibleText()
    _feed(markup, sink)
    blocks = [" ".join(line.split()) for line in "".join(sink.parts).split("\n")]
    text = "\n".join(line for line in blocks if line)
    return _finish(text, name, _PAGE, encoding, f"{encoding} ({how}); visible text of the page")


# --------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------

_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MAIN_TYPES = (
    "wordprocessingml.document.main",
    "wordprocessingml.template.main",
    "ms-word.document.macroEnabled.main",
    "ms-word.template.macroEnabledTemplate.main",
)
#: Elements whose text a reader does not see: deleted or moved-away text (tracked
#: changes), and the fallback copy of a text box kept for old Word versions.
_UNSEEN = frozenset(((_W[0], "del"), (_W[0], "moveFrom"), (_W[1], "del"), (_W[1], "moveFrom"),
                     (_MC, "Fallback")))  # fmt: skip
_RUN_TEXT = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "-"}


class _Refused(Exception):
    """A Word part uses an XML feature Word never writes (a DTD, entities)."""


class _WordText:
    """Text of ``word/document.xml`` as a reader sees it, from expat's stream of events.

    One line per paragraph (a table row is one line, cells joined by tabs);
    paragraphs inside a paragraph (text boxes) become lines of their own where
    they stand. Deleted text, hidden text (``w:vanish``) and field codes are left out.
    """

    def __init__(self) -> None:
        self.path: list[str] = []  # local names of the open elements
        self.unseen: list[bool] = []
        self.skipping = 0
        self.paragraphs: list[list[str]] = []  # open paragraphs' text so far
        self.split: list[bool] = []  # an open paragraph already gave a line
        self.containers: list[tuple[str, list[str], list[bool]]] = [("body", [], [False])]
        self.in_text = False
        self.run_hidden = False

    @property
    def lines(self) -> list[str]:
        return self.containers[0][1]

    def _deliver(self, line: str) -> None:
        self.containers[-1][1].append(line)

    def _flush_open_paragraph(self) -> None:
        if self.paragraphs and self.paragraphs[-1]:
            self._deliver("".join(self.paragraphs[-1]))
            self.paragraphs[-1].clear()
            self.split[-1] = True

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        ns, _, local = tag.rpartition(" ")
        parent = self.path[-1] if self.path else ""
        hides = (ns, local) in _UNSEEN
        self.path.append(local)
        self.unseen.append(hides)
        self.skipping += hides
        if self.skipping or ns not in _W:
            return
        if local == "t" and parent == "r":
            self.in_text = True
        elif local in _RUN_TEXT and parent == "r":
            self._text(_RUN_TEXT[local])
        elif local == "br" and parent == "r":
            kind = next((v for k, v in attrs.items() if k.endswith(" type")), "textWrapping")
            self._text("\n" if kind == "textWrapping" else "")
        elif local == "r":
            self.run_hidden = False
        elif local == "vanish" and parent == "rPr" and self.path[-3:-2] == ["r"]:
            value = next((v for k, v in attrs.items() if k.endswith(" val")), "true")
            self.run_hidden = value.lower() not in ("0", "false", "off")
        elif local == "p":
            self._flush_open_paragraph()  # a paragraph in a paragraph: a text box
            self.paragraphs.append([])
            self.split.append(False)
        elif local in ("txbxContent", "tbl", "tr", "tc"):
            self._flush_open_paragraph()
            self.containers.append((local, [], [False]))
        elif local == "vMerge" and parent == "tcPr" and self.containers[-1][0] == "tc":
            value = next((v for k, v in attrs.items() if k.endswith(" val")), "continue")
            self.containers[-1][2][0] = value != "restart"  # a continued vertical merge

    def end(self, tag: str) -> None:
        ns, _, local = tag.rpartition(" ")
        self.path.pop()
        hid = self.unseen.pop()
        self.skipping -= hid
        if self.skipping or hid or ns not in _W:
            return
        if local == "t":
            self.in_text = False
        elif local == "p" and self.paragraphs:
            text, was_split = "".join(self.paragraphs.pop()), self.split.pop()
            if text or not was_split:
                self._deliver(text)
        elif local in ("txbxContent", "tbl", "tr", "tc") and self.containers[-1][0] == local:
            kind, items, (merged,) = self.containers.pop()
            if kind == "tc":
                cell = " ".join(items)
                if cell.strip() or not merged:  # a continued merge shows the cell above once
                    self._deliver(cell)
            elif kind == "tr":
                nested = any(c[0] == "tc" for c in self.containers)
                self._deliver((" " if nested else "\t").join(items))
            else:
                self.containers[-1][1].extend(items)

    def _text(self, text: str) -> None:
        if self.paragraphs and not self.run_hidden:
            self.paragraphs[-1].append(text)

    def data(self, text: str) -> None:
        if self.in_text and not self.skipping:
            self._text(text)


def _refuse(*_args) -> None:
    raise _Refused


def _parse_xml(stream, name: str, part: str, handler, budget: int) -> int:
    """Parse one XML part of a Word file in 64 kB chunks with expat; returns bytes read.

    Counts the bytes really inflated (not the size the archive declares) and stops
    past ``budget``; refuses a DTD, where entity tricks ("billion laughs",
    external entities) live. Word never writes one.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    if handler is not None:
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.data
    used = 0
    try:
        while chunk := stream.read(65536):
            used += len(chunk)
            if used > budget:
                raise ReportError(
                    f"{name}: {part} unpacks to more than {budget:,} bytes (a report needs "
                    'far less; a "zip bomb" is built this way); refused as unsafe to open. '
                    "If the document is genuine, open it in Word and save it as .txt.",
                    zh=f"{name}: {part} 解压后超过 {budget:,} 字节（报告远用不了这么多，"
                    "“zip 炸弹”就是这样构造的）；出于安全考虑，拒绝打开。"
                    "如果文档确实可信，请用 Word 打开并另存为 .txt。",
                )
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused:
        raise ReportError(
            f"{name}: {part} declares a DTD or entities, which Word never writes (they can "
            'hide "billion laughs" or external-file tricks); refused. Open the file in Word '
            "or LibreOffice and save it again as .docx.",
            zh=f"{name}: {part} 声明了 DTD 或实体，而 Word 从不写入这些（其中可能藏有"
            "“billion laughs”攻击或读取外部文件的手法）；已拒绝。"
            "请用 Word 或 LibreOffice 打开该文件，重新另存为 .docx。",
        ) from None
    except expat.ExpatError as err:
        raise ReportError(
            f"{name}: {part} is not well-formed XML ({expat.errors.messages[err.code]}, line "
            f"{err.lineno}); the file is damaged. Open it in Word and save it again.",
            zh=f"{name}: {part} 不是格式正确的 XML（{expat.errors.messages[err.code]}，"
            f"第 {err.lineno} 行）；文件已损坏。请用 Word 打开并重新保存。",
        ) from None
    return used


class _Types:
    """Collects ``[Content_Types].xml`` overrides: part name -> content type."""

    def __init__(self) -> None:
        self.parts: dict[str, str] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag.rpartition(" ")[2] == "Override":
            self.parts[attrs.get("PartName", "").lstrip("/")] = attrs.get("ContentType", "")

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass


def read_docx(data: bytes, name: str) -> Decoded:
    """The text of a Word file as a reader sees it, in document order.

    Paragraphs, tables (merged cells once, nested tables inside their cell), text
    boxes, content controls, inserted text and fields' shown results; not deleted
    text, hidden text or field codes. The archive is checked first (a real ZIP,
    not encrypted, not a "zip bomb") and the XML is read as a stream by expat,
    refusing DTDs.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReportError(
            f"{name}: not a Word (.docx) file: a .docx is a ZIP archive and this is not one. "
            "Open it in Word or LibreOffice and save it again as .docx.",
            zh=f"{name}: 不是 Word（.docx）文件：.docx 是 ZIP 压缩包，而这个文件不是。"
            "请用 Word 或 LibreOffice 打开它，重新另存为 .docx。",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            unpacked = sum(info.file_size for info in infos.values())
            if unpacked > MAX_UNPACKED_BYTES:
                raise ReportError(
                    f"{name}: the archive unpacks to {unpacked:,} bytes, more than the "
                    f"{MAX_UNPACKED_BYTES:,} a report needs; refused as unsafe to open.",
                    zh=f"{name}: 压缩包解压后有 {unpacked:,} 字节，超过一份报告所需的 "
                    f"{MAX_UNPACKED_BYTES:,} 字节；出于安全考虑，拒绝打开。",
                )
            if any(info.flag_bits & 0x1 for info in infos.values()):
                raise ReportError(
                    f"{name}: the Word file is password-protected (encrypted). Open it in "
                    "Word, remove the password, and save an unprotected copy.",
                    zh=f"{name}: 这个 Word 文件设有密码（已加密）。请用 Word 打开它，"
                    "去掉密码，另存一份不加密的副本。",
                )
            budget = MAX_UNPACKED_BYTES
            types = _Types()
            if "[Content_Types].xml" in infos:
                with archive.open("[Content_Types].xml") as stream:
                    budget -= _parse_xml(stream, name, "[Content_Types].xml", types, budget)
            main = next(
                (
                    part
                    for part, kind in types.parts.items()
                    if any(t in kind for t in _MAIN_TYPES) and part in infos
                ),
                None,
            )
            if main is None:
                raise ReportError(
                    f"{name}: a ZIP archive but not a Word document (no main document part).",
                    zh=f"{name}: 是 ZIP 压缩包，但不是 Word 文档（没有主文档部分）。",
                )
            words = _WordText()
            with archive.open(main) as stream:
                _parse_xml(stream, name, main, words, budget)
    except ReportError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise ReportError(
            f"{name}: a damaged .docx archive ({err}). Open it in Word and save it again.",
            zh=f"{name}: .docx 压缩包已损坏（{err}）。请用 Word 打开并重新保存。",
        ) from None
    except (NotImplementedError, RuntimeError, ValueError, OSError, KeyError) as err:
        raise ReportError(
            f"{name}: the .docx archive cannot be unpacked ({type(err).__name__}: {err}). "
            "Open it in Word or LibreOffice and save it again as .docx.",
            zh=f"{name}: 无法解压该 .docx 压缩包（{type(err).__name__}: {err}）。"
            "请用 Word 或 LibreOffice 打开它，重新另存为 .docx。",
        ) from None
    text = "\n".join(words.lines)
    return _finish(text, name, _DOCUMENT, None, f"text of {main} (paragraphs, tables, boxes)")


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------

#: A PDF with more pages than this is refused: an annual report has tens of pages,
#: and pypdf needs up to a few tenths of a second per page.
MAX_PDF_PAGES = 1_000


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


def _unlock(reader, name: str) -> None:
    """Open an encrypted PDF with the empty password, or raise a ReportError saying what to do.

    Many PDFs are "encrypted" with an empty user password: they only forbid
    editing or printing, and open without one.
    """
    from pypdf.errors import DependencyError

    try:
        opened = bool(reader.decrypt(""))
    except DependencyError:
        raise ReportError(
            f"{name}: the PDF is AES-encrypted, which needs the cryptography package. "
            "Install it (pip install cryptography) and read the file again.",
            zh=f"{name}: 该 PDF 使用 AES 加密，读取需要 cryptography 包。"
            "请先安装（pip install cryptography），再重新读取该文件。",
        ) from None
    except Exception:  # pypdf raises several kinds for unusual encryption
        opened = False
    if not opened:
        raise ReportError(
            f"{name}: the PDF is password-protected. Open it with its password and save an "
            "unprotected copy (or print it to a new PDF), then read that.",
            zh=f"{name}: 该 PDF 设有密码。请输入密码打开，另存一份不受保护的副本"
            "（或打印为新的 PDF），再读取那个文件。",
        )


def read_pdf(data: bytes, name: str, *, max_chars: int = 20_000_000) -> Decoded:
    """The text layer of a PDF, with the page's line wrapping undone.

    At most :data:`MAX_PDF_PAGES` pages and ``max_chars`` characters of text are
    read; any error pypdf raises on a damaged file becomes a :class:`ReportError`.
    """
    from pypdf import PdfReader  # imported here: only PDF needs it

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _unlock(reader, name)
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise ReportError(
                f"{name}: the PDF has {count:,} pages, more than the {MAX_PDF_PAGES:,} a "
                "report has. Save the report's pages as a PDF of their own and read that.",
                zh=f"{name}: 该 PDF 有 {count:,} 页，超过一份报告应有的 {MAX_PDF_PAGES:,} 页。"
                "请把报告所在的页面单独存为一个 PDF，再读取它。",
            )
        pages, chars = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > max_chars:
                raise ReportError(
                    f"{name}: the PDF's text passes {max_chars:,} characters by page "
                    f"{len(pages)}, more than a report has. Is this the right file? If it "
                    "is, pass a larger max_bytes.",
                    zh=f"{name}: 读到第 {len(pages)} 页时，该 PDF 的文字已超过 {max_chars:,} "
                    "个字符，多于一份报告应有的篇幅。是不是选错了文件？如果没错，"
                    "请传入更大的 max_bytes。",
                )
    except ReportError:
        raise
    except Exception as err:  # pypdf raises many kinds on a damaged file; never KeyboardInterrupt
        raise ReportError(
            f"{name}: pypdf cannot read this PDF ({type(err).__name__}: {_brief(err)}); it is "
            "damaged or unusual. Open it in a PDF viewer and save or print it as a new PDF, or "
            "find the report as a web page or Word file.",
            zh=f"{name}: pypdf 无法读取这个 PDF（{type(err).__name__}: {_brief(err)}）；"
            "文件已损坏或结构特殊。请用 PDF 阅读器打开它，另存或打印为新的 PDF，"
            "或者找到该报告的网页版或 Word 版。",
        ) from None
    # Some PDF writers map Chinese glyphs through two-byte codes that come out
    # with NUL characters in between; they are never text.
    text = _join_wrapped_lines("\n".join(pages).replace("\x00", ""))
    if not text.strip():
        raise ReportError(
            f"{name}: the PDF has no text layer (a scan?). Run OCR on it first, or find "
            "the report as a web page or Word file.",
            zh=f"{name}: 该 PDF 没有文字层（是扫描件？）。请先做 OCR 文字识别，"
            "或者找到该报告的网页版或 Word 版。",
        )
    return _finish(text, name, _PDF, None, f"text layer of {len(pages)} page(s) by pypdf")


def _brief(err: BaseException) -> str:
    """An exception's message on one line, at most 120 characters."""
    message = " ".join(str(err).split()) or "no message"
    return message if len(message) <= 120 else message[:119] + "…"


_READERS = {
    ".txt": decode_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
}


def read_format(path: Path, data: bytes, *, max_bytes: int | None = None) -> Decoded:
    """Read ``data`` (the bytes of ``path``) with the reader for the path's extension.

    Every failure becomes a :class:`ReportError` naming the file, so one bad file
    never stops a folder from loading. ``max_bytes`` bounds the text a PDF may
    unpack to (default: the larger of 20 MB and the file's size).
    """
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(SUPPORTED_FORMATS)
        extension = shown_extension(path)
        raise ReportError(
            f"{shown(path)}: {extension} is not a supported format "
            f"({supported}). Save the report in one of these.",
            zh=f"{shown(path)}: 不支持的格式（{extension:zh}）；支持 {supported}。"
            "请将报告另存为其中一种。",
        )
    try:
        if reader is read_pdf:
            return read_pdf(data, shown(path), max_chars=max(max_bytes or 20_000_000, len(data)))
        return reader(data, shown(path))
    except ReportError:
        raise
    except Exception as err:  # a reader's bug or a library's surprise: still one file's problem
        suffix = path.suffix.lower()
        kind = Message(SUPPORTED_FORMATS[suffix], zh=_FORMAT_NAMES_ZH[suffix])
        raise ReportError(
            f"{shown(path)}: could not be read ({type(err).__name__}: {_brief(err)}) as a "
            f"{kind}. Open it in the program that made it and save it again, or save its text "
            "as a UTF-8 .txt file.",
            zh=f"{shown(path)}: 无法按“{kind:zh}”格式读取（{type(err).__name__}: {_brief(err)}）。"
            "请用生成它的程序打开并重新保存，或把其中的文字另存为 UTF-8 .txt 文件。",
        ) from None


def shown_extension(path: Path) -> Message:
    """A file's extension for messages, or "no extension" (both languages).

    Example:
        >>> shown_extension(Path("a.doc")), f"{shown_extension(Path('README')):zh}"
        ('.doc', '无扩展名')
    """
    return Message(path.suffix) if path.suffix else Message("no extension", zh="无扩展名")
