"""Reports in other formats, read from the made-up sample folder of notebook 05."""

from __future__ import annotations

import zipfile

import pytest
from conftest import ROOT

import helpers
from helpers import ReportError

SAMPLES = ROOT / "samples" / "your_reports"


@pytest.fixture(scope="module")
def loaded():
    return helpers.load_documents(SAMPLES)


def test_every_supported_format_is_read(loaded):
    reports, _ = loaded
    assert sorted(reports["encoding"]) == ["docx", "gb18030", "html", "pdf"]
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
    assert "unsupported" in reasons["statistics.xlsx"]


def test_html_keeps_visible_text_only():
    report = helpers.read_document(SAMPLES / "shili-county-2023.html")
    assert "var visits" not in report.text and "font-family" not in report.text
    assert "全年收到行政复议申请36件" in report.text


def test_pdf_lines_wrapped_by_the_page_are_joined():
    report = helpers.read_document(SAMPLES / "yanshi-city-2021.pdf")
    assert "\x00" not in report.text
    assert "审结120件，纠错率达11.7%。" in report.text


def test_docx_that_is_a_zip_but_not_word(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ReportError, match="not a Word document"):
        helpers.read_document(path)


def test_unsupported_extension_names_the_file(tmp_path):
    path = tmp_path / "report.rtf"
    path.write_text("{\\rtf1 报告}", encoding="utf-8")
    with pytest.raises(ReportError, match=r"report\.rtf: \.rtf is not supported"):
        helpers.read_document(path)


def test_the_samples_go_through_the_whole_pipeline(loaded):
    reports, _ = loaded
    cleaned = helpers.clean_reports(reports)
    html = cleaned.set_index("file").loc["shili-county-2023.html", "clean"]
    assert "门户网站" not in html and "浏览次数" not in html and "版权所有" not in html
    assert html.count("示例县2023年法治政府建设情况报告") == 1  # the <title> repeat removed
    docs = dict(zip(cleaned["id"], cleaned["clean"], strict=True))
    table = helpers.indicator_table(docs)
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
