"""Hostile and broken files: each one becomes a ReportError naming the file, or the right text.

Every file is built here, in a temporary folder, with the standard library (and
pypdf/fpdf2 for PDFs). Time bounds are generous: they only catch a hang.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile
from pathlib import Path

import pytest

import helpers
from helpers import ReportError

SPAM = "彩88娱乐城"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _page(path: Path, body: str, charset: str = "utf-8", encoding: str = "utf-8") -> Path:
    head = f'<html><head><meta charset="{charset}"><title>某县报告</title></head>'
    path.write_bytes((head + f"<body>{body}</body></html>").encode(encoding))
    return path


def _docx(path: Path, body: str, *, document: str | None = None) -> Path:
    """A minimal Word file whose document.xml body is ``body`` (w: namespace declared)."""
    xml = document or (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<w:body>{body}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", xml)
    return path


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _timed(path: Path, **kwargs):
    """read_report's result (or its ReportError) and the seconds it took."""
    start = time.perf_counter()
    try:
        result = helpers.read_report(path, **kwargs)
    except ReportError as err:
        result = err
    return result, time.perf_counter() - start


def _error(path: Path, *phrases: str) -> str:
    """Assert read_report refuses ``path`` with a message naming it and every phrase."""
    with pytest.raises(ReportError) as caught:
        helpers.read_report(path)
    message = str(caught.value)
    assert message.startswith(path.as_posix() + ": "), message
    for phrase in phrases:
        assert phrase.lower() in message.lower(), (phrase, message)
    return message


def _pdf(text: str = "法治政府建设年度报告", pages: int = 1) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for n in range(pages):
        pdf.add_page()
        pdf.cell(text=f"Annual report page {n + 1}: {text.encode('ascii', 'ignore').decode()}")
    return bytes(pdf.output())


# --------------------------------------------------------------------------
# Saved web pages
# --------------------------------------------------------------------------


def test_hidden_content_is_dropped_and_visible_text_kept(tmp_path):
    body = (
        f'<p>全年收到行政复议申请36件。<span style="display: none !important">{SPAM}1</span>'
        "办结30件。</p>"
        f'<div style="color:red; VISIBILITY : hidden">{SPAM}2</div>'
        f"<div hidden><p>{SPAM}3</p></div>"
        f'<span aria-hidden="true">{SPAM}4</span>'
        f"<template><p>{SPAM}5</p></template>"
        f"<!-- {SPAM}6 --><![CDATA[{SPAM}7]]>"
        f"<script>var s = '{SPAM}8';</script><style>.a{{content:'{SPAM}9'}}</style>"
        f"<noscript>{SPAM}10</noscript>"
        '<script>var opener = "<!--";</script>'  # raw text: no comment starts here
        "<p>二、存在的不足</p>"
        f"<!-- {SPAM}11 never closed <p>still a comment</p>"
    )
    report = helpers.read_report(_page(tmp_path / "spam.html", body))
    assert SPAM not in report.text and "still a comment" not in report.text
    assert "全年收到行政复议申请36件。办结30件。" in report.text  # the tail of a hidden span stays
    assert report.text.split("\n")[-1] == "二、存在的不足"


def test_an_unclosed_hidden_paragraph_ends_where_html_ends_it(tmp_path):
    body = f'<p style="display:none">{SPAM}<p>正文第一段。</p><ul><li>甲<li>乙</ul>'
    text = helpers.read_report(_page(tmp_path / "p.html", body)).text
    assert text.split("\n")[1:] == ["正文第一段。", "甲", "乙"]


def test_a_quoted_greater_than_sign_does_not_end_a_tag(tmp_path):
    body = f'<p title="a > b" style="x:1;display:none">{SPAM}</p><p>正文</p>'
    assert helpers.read_report(_page(tmp_path / "q.html", body)).text.endswith("\n正文")


@pytest.mark.parametrize(
    "label", ["base64", "rot13", "hex", "zlib", "no-such-charset", "cp037", "latin-1"]
)
def test_an_unusable_or_wrong_charset_falls_back_to_detection(tmp_path, label):
    path = _page(tmp_path / "page.html", "<p>法治政府建设年度报告。</p>", charset=label)
    report = helpers.read_report(path)
    assert "法治政府建设年度报告。" in report.text
    assert report.encoding == "utf-8"
    assert f"charset={label}" in report.detected and "declared by the page" not in report.detected


def test_gbk_bytes_declared_latin1_are_detected_as_gb18030(tmp_path):
    body = "<p>全年收到行政复议申请36件，办结30件，法治政府建设。</p>"
    path = _page(tmp_path / "gbk.html", body, charset="iso-8859-1", encoding="gb18030")
    report = helpers.read_report(path)
    assert "法治政府建设" in report.text and report.encoding == "gb18030"
    assert "mojibake" in report.detected


def test_a_true_declaration_is_still_used(tmp_path):
    path = _page(tmp_path / "gbk.html", "<p>法治政府。</p>", charset="gb2312", encoding="gbk")
    report = helpers.read_report(path)
    assert report.encoding == "gb18030" and report.detected.startswith("gb18030 (declared")


@pytest.mark.parametrize(
    "kind, body",
    [
        ("nested closed", "<div>" * 100_000 + "<p>正文</p>" + "</div>" * 100_000),
        ("nested unclosed", "<div>" * 100_000 + "<p>正文</p>"),
        ("hidden nested", '<div style="display:none">' * 100_000 + SPAM + "</div>" * 100_000),
        ("unclosed comments", "<!--" * 250_000),
        ("stray end tags", "</" * 500_000),
        ("unclosed quotes", '<a b="' * 200_000),
    ],
)
def test_hostile_markup_finishes_quickly(tmp_path, kind, body):
    path = _page(tmp_path / "deep.html", "<p>正文开始。</p>" + body)
    report, seconds = _timed(path)
    assert seconds < 20, kind
    assert not isinstance(report, ReportError), report
    assert report.text.startswith("某县报告\n正文开始。") and SPAM not in report.text


@pytest.mark.parametrize("megabytes", [19.5, 50])
def test_a_huge_page_of_short_paragraphs_finishes(tmp_path, megabytes):
    path = tmp_path / "big.html"
    paragraph = "<p>短段落。</p>".encode()
    path.write_bytes(paragraph * int(megabytes * 1_000_000 // len(paragraph)))
    report, seconds = _timed(path, max_bytes=60_000_000)
    assert seconds < 60
    assert report.text.count("\n") + 1 == path.stat().st_size // len(paragraph)


# --------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------


def test_word_text_a_reader_sees_in_document_order(tmp_path):
    body = (
        _p("一、开头") + f"<w:p><w:r><w:t>保留</w:t></w:r><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>"
        f"<w:del><w:r><w:delText>{SPAM}删除</w:delText></w:r></w:del>"
        f"<w:del><w:r><w:t>{SPAM}删除</w:t></w:r></w:del>"
        f"<w:moveFrom><w:r><w:t>{SPAM}移走</w:t></w:r></w:moveFrom>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
        + _p("内容控件")
        + "</w:sdtContent></w:sdt>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><w:txbxContent>"
        + _p("文本框")
        + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + _p("文本框")
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:t>锚定段</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc>"
        + _p("外格")
        + "<w:tbl><w:tr><w:tc>"
        + _p("内格1")
        + "</w:tc><w:tc>"
        + _p("内格2")
        + "</w:tc></w:tr></w:tbl></w:tc><w:tc>"
        + _p("右格")
        + "</w:tc></w:tr></w:tbl>"
        + "<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p>"
        + _p("二、结尾")
    )
    text = helpers.read_report(_docx(tmp_path / "all.docx", body)).text
    assert (
        "删除" not in text
        and "移走" not in text
        and SPAM not in text
        and "隐藏" not in text
        and "PAGE" not in text
    )
    assert text.split("\n") == [
        "一、开头",
        "保留插入7",
        "内容控件",
        "文本框",  # once: the fallback copy for old Word is skipped
        "锚定段",
        "外格 内格1 内格2\t右格",
        "甲\t乙",
        "丙",
        "二、结尾",
    ]


def test_the_sample_word_file_reads_as_before():
    from support import SAMPLES

    text = helpers.read_report(SAMPLES / "yangben-district-2022.docx").text
    # The sha-256 of the text python-docx gave before the reader was rewritten.
    before = "760d9627156977fb7a65fa01e686c0914e1f7d88573ac6f19335cf626723b181"
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == before


def test_a_zip_bomb_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.docx"
    _docx(path, _p("x" * 60_000_000))
    (report, seconds) = _timed(path)
    assert seconds < 20 and isinstance(report, ReportError)
    assert "unpacks to" in str(report) and "unsafe" in str(report)


def test_an_understated_size_in_the_zip_directory_does_not_help(tmp_path):
    """The central directory says 100 bytes; the member really inflates to 60 MB."""
    path = _docx(tmp_path / "liar.docx", _p("x" * 60_000_000))
    data = bytearray(path.read_bytes())
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:  # a central-directory entry: uncompressed size at 24, name at 46
        length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + length] == b"word/document.xml":
            data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))
    report, seconds = _timed(path)
    assert seconds < 20 and isinstance(report, ReportError)
    assert str(report).startswith(path.as_posix() + ": ")


def test_inflated_bytes_are_counted_while_streaming():
    """The real bytes are counted, whatever the archive declares: the read stops at the budget."""
    from helpers import formats

    class Stream(io.BytesIO):
        served = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Stream.served += len(chunk)
            return chunk

    stream = Stream(b"<document>" + b"x" * 10_000_000 + b"</document>")
    with pytest.raises(ReportError, match=r"a\.docx: word/document\.xml unpacks to more than"):
        formats._parse_xml(stream, "a.docx", "word/document.xml", None, 100_000)
    assert Stream.served < 200_000  # stopped early, not after reading everything


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE w:document [<!ENTITY a "彩彩彩彩彩彩彩彩彩彩"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE w:document SYSTEM "http://example.invalid/evil.dtd">',
    ],
)
def test_word_xml_with_a_dtd_is_refused(tmp_path, doctype):
    document = (
        f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}"><w:body>'
        f"{_p('&c;' if 'ENTITY c' in doctype else '正文')}</w:body></w:document>"
    )
    path = _docx(tmp_path / "dtd.docx", "", document=document)
    _error(path, "DTD", "save it again as .docx")


def test_damaged_word_files_are_report_errors(tmp_path):
    good = _docx(tmp_path / "good.docx", _p("正文")).read_bytes()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    _error(tmp_path / "cut.docx", "not a Word", "save it again")
    broken = _docx(tmp_path / "xml.docx", "<w:p><w:r><w:t>未闭合</w:r></w:p>")
    _error(broken, "not well-formed XML", "save it again")
    crc = bytearray(good)
    at = crc.find(b"PK\x01\x02")  # corrupt the first member's CRC in the central directory
    crc[at + 16 : at + 20] = b"\0\0\0\0"
    local = crc.find(b"PK\x03\x04")
    crc[local + 14 : local + 18] = b"\0\0\0\0"
    (tmp_path / "crc.docx").write_bytes(bytes(crc))
    _error(tmp_path / "crc.docx", "damaged", "save it again")


def test_an_encrypted_zip_member_is_a_password_error(tmp_path):
    data = bytearray(_docx(tmp_path / "enc.docx", _p("正文")).read_bytes())
    for magic, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(magic)
        while at >= 0:
            data[at + offset] |= 0x1  # the "encrypted" flag bit
            at = data.find(magic, at + 4)
    (tmp_path / "enc.docx").write_bytes(bytes(data))
    _error(tmp_path / "enc.docx", "password", "unprotected copy")


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------


def test_an_aes_pdf_with_an_empty_password_opens(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.encrypt(user_password="", owner_password="x", algorithm="AES-128")
    writer.write(tmp_path / "aes.pdf")
    assert "Annual report page 1" in helpers.read_report(tmp_path / "aes.pdf").text


def test_a_pdf_with_a_real_password_says_so(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.encrypt(user_password="secret", owner_password="x", algorithm="AES-256")
    writer.write(tmp_path / "locked.pdf")
    _error(tmp_path / "locked.pdf", "password-protected", "save an unprotected copy")


def _hand_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand: the numbered objects, a correct xref table and trailer."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%garbage without any objects\n%%EOF\n",
        _hand_pdf(CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
        _hand_pdf(
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>",
            b"<< /Length 8 /Filter /FlateDecode >>\nstream\nnot zlib\nendstream",
        ),
        _hand_pdf(CATALOG, b"<< /Type /Pages /Kids 5 /Count -3 >>"),
    ],
    ids=["no objects", "looping page tree", "bad stream", "nonsense page tree"],
)
def test_malformed_pdfs_are_report_errors(tmp_path, data):
    (tmp_path / "bad.pdf").write_bytes(data)
    report, seconds = _timed(tmp_path / "bad.pdf")
    assert seconds < 20
    assert isinstance(report, ReportError), report
    assert str(report).startswith((tmp_path / "bad.pdf").as_posix() + ": ")
    # pypdf skips a stream that does not inflate (strict=False): then there is no text layer.
    fix = "no text layer" if b"not zlib" in data else "save or print it as a new PDF"
    assert fix in str(report), str(report)


def test_any_pypdf_error_becomes_a_report_error(tmp_path, monkeypatch):
    import pypdf
    from pypdf.errors import LimitReachedError

    def boom(*_args, **_kwargs):
        raise LimitReachedError("declared stream length too large")

    (tmp_path / "limit.pdf").write_bytes(_pdf())
    monkeypatch.setattr(pypdf.PageObject, "extract_text", boom)
    _error(tmp_path / "limit.pdf", "LimitReachedError", "save or print it as a new PDF")


def test_too_many_pages_is_refused(tmp_path, monkeypatch):
    from helpers import formats

    monkeypatch.setattr(formats, "MAX_PDF_PAGES", 3)
    (tmp_path / "long.pdf").write_bytes(_pdf(pages=4))
    _error(tmp_path / "long.pdf", "4 pages", "of their own")


def test_too_much_text_is_refused(tmp_path):
    path = tmp_path / "wordy.pdf"
    path.write_bytes(_pdf(text="x" * 80, pages=40))  # about 4,000 characters of text
    with pytest.raises(ReportError, match=r"wordy\.pdf: .*passes 1,000 characters by page"):
        helpers.formats.read_pdf(path.read_bytes(), path.name, max_chars=1_000)


# --------------------------------------------------------------------------
# Any file: permissions, and a folder with one bad file
# --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".html", ".pdf", ".docx"])
def test_an_unreadable_file_says_permission(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"locked{suffix}"
    path.write_bytes(b"x")
    real_read, real_open = Path.read_bytes, os.open

    def refused(target) -> bool:
        return Path(target) == path

    def read_bytes(self):
        if refused(self):
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def os_open(target, *args, **kwargs):
        if refused(target):
            raise PermissionError(13, "Permission denied", str(target))
        return real_open(target, *args, **kwargs)

    # Running as root, chmod 000 would not stop the read: refuse it here instead.
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", os_open)
    message = _error(path, "cannot be read", "permission")
    assert "not a Word" not in message


def test_a_reader_crash_is_one_files_problem(tmp_path, monkeypatch):
    from helpers import formats

    def crash(data, name):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(formats._READERS, ".html", crash)
    _error(
        _page(tmp_path / "a.html", "<p>x</p>"),
        "(RecursionError",
        ") as a saved web page",
        "save it",
    )


def test_a_folder_with_hostile_files_still_loads_the_good_one(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    _page(folder / "good.html", "<p>某县2022年法治政府建设年度报告。</p><p>正文。</p>")
    _docx(folder / "bomb.docx", _p("x" * 60_000_000))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%garbage\n%%EOF\n")
    _page(folder / "deep.html", "<div>" * 100_000, charset="base64")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    reports, problems = helpers.load_reports(folder, errors="collect")
    assert sorted(reports["file"]) == ["deep.html", "good.html"]
    assert set(problems["file"]) == {"bomb.docx", "broken.pdf"}
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# --- found in review ---------------------------------------------------------------


def test_an_unclosed_tag_before_a_long_run_of_text_is_read_in_linear_time(tmp_path):
    # "<a" with no ">" and then 300 kB of Chinese without spaces: the tag pattern used to
    # try every split of the run between its two groups (30 s for 300 kB).
    page = tmp_path / "truncated.html"
    page.write_bytes(("<html><body><p>开头</p><a" + "法" * 100_000).encode("utf-8"))
    start = time.perf_counter()
    helpers.read_report(page)
    assert time.perf_counter() - start < 5


def test_table_cells_do_not_run_together_into_one_number(tmp_path):
    page = tmp_path / "table.html"
    page.write_text(
        "<html><body><table><tr><td>2022年</td><td>123</td><td>456</td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    text = helpers.read_report(page).text
    assert "2022年123" not in text and "123456" not in text
    assert [line.strip() for line in text.splitlines() if line.strip()] == ["2022年", "123", "456"]
