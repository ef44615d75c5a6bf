"""Reports in other formats, read from the made-up sample folder of notebook 05."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from support import SAMPLES

import helpers
from helpers import ReportError


@pytest.fixture(scope="module")
def loaded():
    return helpers.load_reports(SAMPLES, errors="collect")


def test_every_supported_format_is_read(loaded):
    reports, _ = loaded
    formats = dict(zip(reports["format"], reports["encoding"], strict=True))
    assert formats == {"txt": "gb18030", "html": "utf-8", "docx": pd.NA, "pdf": pd.NA}
    titles = dict(zip(reports["file"], reports["title"], strict=True))
    assert titles["shili-county-2023.html"] == "示例县2023年法治政府建设情况报告"
    assert titles["yangben-district-2022.docx"] == "样本区2022年度法治政府建设工作报告"
    assert titles["yanshi-city-2021.pdf"] == "演示市2021年法治政府建设年度报告"
    assert titles["moni-town-2022.txt"] == "模拟镇2022年法治建设工作总结"
    for text in reports["text"]:
        assert "本文件为教学示例" in text  # every sample says it is made up


def test_every_refused_file_is_listed_with_its_reason(loaded):
    _, problems = loaded
    reasons = dict(zip(problems["file"], problems["reason"], strict=True))
    assert set(reasons) == {
        "empty-report.txt",
        "not-really-word.docx",
        "oversized-archive.docx",
        "scanned-report.pdf",
        "statistics.xlsx",
    }
    assert "empty" in reasons["empty-report.txt"]
    assert "not a Word" in reasons["not-really-word.docx"]
    assert "unpacks to 60,000,000 bytes" in reasons["oversized-archive.docx"]
    assert "no text layer" in reasons["scanned-report.pdf"]
    assert ".xlsx is not a supported format" in reasons["statistics.xlsx"]
    assert not problems["loaded"].any()


def test_html_keeps_visible_text_only():
    report = helpers.read_report(SAMPLES / "shili-county-2023.html")
    assert "var visits" not in report.text and "font-family" not in report.text
    assert "全年收到行政复议申请36件" in report.text


def test_pdf_lines_wrapped_by_the_page_are_joined():
    from pypdf import PdfReader

    raw = PdfReader(str(SAMPLES / "yanshi-city-2021.pdf")).pages[0].extract_text()
    assert "\x00" in raw  # this writer's glyph codes: why read_report removes NULs
    report = helpers.read_report(SAMPLES / "yanshi-city-2021.pdf")
    assert "\x00" not in report.text
    assert "审结120件，纠错率达11.7%。" in report.text


def test_docx_that_is_a_zip_but_not_word(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ReportError, match="not a Word document"):
        helpers.read_report(path)


def test_unsupported_extension_names_the_file(tmp_path):
    path = tmp_path / "report.rtf"
    path.write_text("{\\rtf1 报告}", encoding="utf-8")
    with pytest.raises(ReportError, match=r"report\.rtf: \.rtf is not a supported format"):
        helpers.read_report(path)


def test_the_samples_go_through_the_whole_pipeline(loaded):
    reports, _ = loaded
    cleaned = helpers.clean_reports(reports)
    html = cleaned.set_index("file").loc["shili-county-2023.html", "clean"]
    assert "门户网站" not in html and "浏览次数" not in html and "版权所有" not in html
    assert html.count("示例县2023年法治政府建设情况报告") == 1  # the <title> repeat removed
    table = helpers.indicator_table(cleaned)
    assert table.loc["shili-county-2023", "reconsideration_received"] == 36
    assert table.loc["yangben-district-2022", "litigation_loss_rate"] == 13.3
    assert table.loc["yanshi-city-2021", "reconsideration_correction_rate"] == 11.7


def test_write_manifest_never_overwrites(loaded, tmp_path):
    reports, _ = loaded
    path = helpers.write_manifest(reports, tmp_path / "manifest.csv")
    written = path.read_text(encoding="utf-8")
    assert written.startswith("file,sha256,id,title,")
    with pytest.raises(FileExistsError):
        helpers.write_manifest(reports, path)
    assert path.read_text(encoding="utf-8") == written
    # The written manifest works with load_reports once the .txt files sit beside it.
    (tmp_path / "moni-town-2022.txt").write_bytes((SAMPLES / "moni-town-2022.txt").read_bytes())
    lines = written.splitlines(keepends=True)
    (tmp_path / "manifest.csv").write_text(
        lines[0] + "".join(line for line in lines[1:] if line.startswith("moni-town")),
        encoding="utf-8",
    )
    assert helpers.load_reports(tmp_path)["report_year"].tolist() == [2022]


def test_inline_tags_do_not_split_a_sentence(tmp_path):
    page = (
        "<html><body><p>全年收到行政复议申请<span>36</span>件，<b>办结</b>30件。</p></body></html>"
    )
    (tmp_path / "inline.html").write_text(page, encoding="utf-8")
    text = helpers.read_report(tmp_path / "inline.html").text
    assert "全年收到行政复议申请36件，办结30件。" in text
    found = helpers.extract_indicators(text)
    assert found["value"].tolist() == [36.0, 30.0]


def test_a_page_is_decoded_with_the_charset_it_declares(tmp_path):
    page = '<html><head><meta charset="gbk"></head><body><p>批投法治政府建设。</p></body></html>'
    (tmp_path / "gbk.html").write_bytes(page.encode("gbk"))
    report = helpers.read_report(tmp_path / "gbk.html")
    assert "批投法治政府建设。" in report.text and "declared" in report.detected


def test_word_tables_keep_their_place_and_merged_cells_appear_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("一、情况")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并标题"
    table.cell(1, 0).text, table.cell(1, 1).text = "受理", "30件"
    document.add_paragraph("二、问题")
    document.save(str(tmp_path / "table.docx"))
    lines = helpers.read_report(tmp_path / "table.docx").text.split("\n")
    assert lines == ["一、情况", "合并标题", "受理\t30件", "二、问题"]


def test_a_pdf_locked_only_against_editing_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(SAMPLES / "yanshi-city-2021.pdf")))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    writer.write(str(tmp_path / "locked.pdf"))
    assert "纠错率达11.7%" in helpers.read_report(tmp_path / "locked.pdf").text


def test_folder_quirks_bad_dates_subfolders_and_same_names(tmp_path):
    (tmp_path / "a.txt").write_text(
        "某县2022年法治政府建设报告\n发布时间：2022-02-30\n正文。", "utf-8"
    )
    (tmp_path / "a.html").write_text("<p>某区2021年法治政府建设报告</p><p>正文。</p>", "utf-8")
    (tmp_path / "old").mkdir()
    reports, problems = helpers.load_reports(tmp_path, errors="collect")
    assert sorted(reports["id"]) == ["a-html", "a-txt"]  # no two reports share an id
    assert reports["published"].isna().all()  # 2022-02-30 is no date: left empty
    assert problems["file"].tolist() == ["old/"]


def test_a_corrected_manifest_is_used_next_time(loaded, tmp_path):
    for name in ["shili-county-2023.html", "moni-town-2022.txt"]:
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    reports, _ = helpers.load_reports(tmp_path, errors="collect")
    reports.loc[reports["id"] == "shili-county-2023", "level"] = "county"
    reports["collected"] = "2026-11-24"  # a column of your own survives
    helpers.write_manifest(reports, tmp_path / "manifest.csv")
    again, problems = helpers.load_reports(tmp_path, errors="collect")
    assert problems.empty and set(again["source"]) == {"manifest"}
    assert again.set_index("id").loc["shili-county-2023", "level"] == "county"
    assert set(again["collected"]) == {"2026-11-24"}
    assert helpers.load_reports(tmp_path, formats=[".txt"])["file"].tolist() == [
        "moni-town-2022.txt"
    ]
