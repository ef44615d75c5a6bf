"""Reading reports: encodings, the manifest, and every kind of bad input."""

from __future__ import annotations

import codecs
import os
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from support import ROOT, SEED_FILES, SEEDS, copy_seed

import helpers
from helpers import ReportError
from helpers.errors import ReportWarning
from helpers.manifest import infer_metadata

TRADITIONAL = "000_227b57bffbdecf9d.txt"
ZHENJIANG = "003_5834ccae6790da4b.txt"
JIAOJIANG = "004_cb0d57f057b2aa38.txt"


# --------------------------------------------------------------------------
# The seed corpus
# --------------------------------------------------------------------------


def test_load_reports_gives_one_row_per_seed_with_the_documented_columns(reports):
    assert len(reports) == 5
    for column in [
        "id",
        "file",
        "title",
        "region",
        "province",
        "level",
        "report_year",
        "published",
        "script",
        "encoding",
        "chars",
        "sha256",
        "text",
    ]:
        assert column in reports.columns
    assert reports["id"].is_unique
    assert list(reports["file"]) == [p.name for p in SEED_FILES]
    assert (reports["source"] == "manifest").all()
    assert (reports["format"] == "txt").all()


def test_text_is_the_raw_file_decoded_with_nothing_removed(reports, seed_texts):
    for row in reports.itertuples():
        assert row.text == seed_texts[row.file]
        assert row.chars == len(seed_texts[row.file])
        assert row.encoding == "utf-8"


def test_report_years_are_nullable_integers_never_zero(reports):
    assert str(reports["report_year"].dtype) == "Int64"
    years = reports["report_year"].dropna()
    assert ((years > 2000) & (years < 2030)).all()
    assert str(reports["published"].dtype).startswith("datetime64")


def test_manifest_facts_agree_with_the_reports_own_text(reports):
    for row in reports.itertuples():
        # The script the manifest states is the one the characters show.
        assert helpers.detect_script(row.text) == row.script, row.file
        # The stated year is in the text as "YYYY年" (the masked report says
        # 2020 throughout; its manifest year is inferred and documented).
        if row.id != "huinong-2018":
            assert f"{row.report_year}年" in row.text, row.file
            assert row.published.strftime("%Y") in row.text or row.id == "tianning-2024"
    huinong = reports.set_index("id").loc["huinong-2018"]
    assert "INFERRED" in huinong["notes"] and "红果子镇" in huinong["text"]
    by_file = reports.set_index("file")
    # Titles are the reports' own words, where the page has one.
    for file, title in by_file["title"].items():
        if not title.startswith("["):
            assert title in (SEEDS / file).read_text(encoding="utf-8"), file


def test_relative_paths_start_from_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT / "notebooks")  # where a notebook runs
    assert len(helpers.load_reports("../seeds")) == 5
    assert helpers.read_report("../seeds/" + ZHENJIANG).n_bytes == 21_296
    monkeypatch.chdir(tmp_path)  # not the repository: "seeds" is not here
    with pytest.raises(ReportError, match=r"seeds: no such folder.*working directory"):
        helpers.load_reports("seeds")


def test_reading_writes_and_changes_nothing(tmp_path):
    for path in SEED_FILES:
        copy_seed(path.name, tmp_path)
    shutil.copy(SEEDS / "manifest.csv", tmp_path / "manifest.csv")

    def snapshot():
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}

    before = snapshot()
    helpers.load_reports(tmp_path)
    assert snapshot() == before


def test_report_repr_is_short_and_informative():
    text = repr(helpers.read_report(SEEDS / ZHENJIANG))
    assert text.startswith(f"Report('{ZHENJIANG}', 21,296 bytes, utf-8, LF,")
    assert "/" not in text.split("'")[1]  # the file name, not a machine path


# --------------------------------------------------------------------------
# Encodings: re-encoded copies of real seeds decode to the same text
# --------------------------------------------------------------------------

ENCODINGS = {
    # name on disk : (how to make the bytes, encoding read_report reports)
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8 with BOM": (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf-16-le with BOM": (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    "utf-16-be with BOM": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "gb18030": (lambda t: t.encode("gb18030"), "gb18030"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("seed", [p.name for p in SEED_FILES])
def test_every_seed_decodes_identically_from_every_supported_encoding(
    seed, encoding, tmp_path, seed_texts
):
    make_bytes, expected = ENCODINGS[encoding]
    copy = tmp_path / seed
    copy.write_bytes(make_bytes(seed_texts[seed]))
    report = helpers.read_report(copy)
    assert report.text == seed_texts[seed]
    assert report.encoding == expected


@pytest.mark.parametrize(
    "seed", ["001_1f37298efae2cdd4.txt", "002_8bfca62b454dad5d.txt", JIAOJIANG]
)
def test_gbk_files_are_read_as_gb18030_its_superset(seed, tmp_path, seed_texts):
    copy = tmp_path / seed
    copy.write_bytes(seed_texts[seed].encode("gbk"))
    report = helpers.read_report(copy)
    assert (report.text, report.encoding) == (seed_texts[seed], "gb18030")


def test_big5_traditional_report(tmp_path, seed_texts):
    # Big5 has no non-breaking space and no Simplified characters, so the copy
    # keeps the lines of the Traditional report that Big5 can represent.
    lines = []
    for line in seed_texts[TRADITIONAL].splitlines(keepends=True):
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue
        lines.append(line)
    body = "".join(lines)
    assert len(body) > 0.9 * len(seed_texts[TRADITIONAL])
    copy = tmp_path / "big5.txt"
    copy.write_bytes(body.encode("big5"))
    report = helpers.read_report(copy)
    assert report.text == body
    assert report.encoding == "big5"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_read_as_lf(newline, tmp_path, seed_texts):
    copy = tmp_path / ZHENJIANG
    copy.write_bytes(seed_texts[ZHENJIANG].replace("\n", newline).encode("utf-8"))
    report = helpers.read_report(copy)
    assert report.text == seed_texts[ZHENJIANG]
    assert report.newline == {"\r\n": "CRLF", "\r": "CR"}[newline]


def test_a_gb18030_corpus_loads_with_the_manifest(tmp_path, seed_texts):
    for name, text in seed_texts.items():
        (tmp_path / name).write_bytes(text.encode("gb18030"))
    shutil.copy(SEEDS / "manifest.csv", tmp_path / "manifest.csv")
    with pytest.warns(ReportWarning, match="SHA-256 differs"):
        loaded = helpers.load_reports(tmp_path)
    assert list(loaded["encoding"].unique()) == ["gb18030"]
    assert list(loaded["text"]) == list(seed_texts.values())


# --------------------------------------------------------------------------
# Bad input: a clear ReportError naming the file
# --------------------------------------------------------------------------


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b" \r\n\t\n", "empty"),
        (codecs.BOM_UTF8 + b"\n", "empty"),
        (b"\x00\x01\x02binary\x00data\xff" * 50, "NUL bytes"),
        ("法治政府".encode("utf-16-le") * 20, "UTF-16 text without a byte-order mark"),
        ("2019年,法治政府。\n".encode("utf-16-be") * 20, "UTF-16 text without a byte-order mark"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        ("\u00a0\u3000 \n".encode(), "only blank space"),
        (codecs.BOM_UTF16_LE + "  \n ".encode("utf-16-le"), "only blank space"),
    ],
)
def test_unreadable_files_raise_report_error_naming_the_file(tmp_path, data, message):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(ReportError, match=message) as err:
        helpers.read_report(path)
    assert "bad.txt" in str(err.value)


def test_truncated_multibyte_character_is_reported_with_its_position(tmp_path, seed_texts):
    data = seed_texts[ZHENJIANG].encode("utf-8")
    cut = data.rindex("。".encode()) + 1  # cut inside the 3-byte "。"
    path = write(tmp_path, "truncated.txt", data[:cut])
    with pytest.raises(ReportError, match=rf"first at byte {cut - 1}") as err:
        helpers.read_report(path)
    assert "truncated.txt" in str(err.value) and "cut off" in str(err.value)


def test_windows_big5_cp950_file(tmp_path):
    # cp950 (Big5 as Windows saves it) has characters plain Big5 lacks, e.g. 裏.
    text = "法治政府建設報告\n裏外一致，依法行政。\n" * 20
    path = write(tmp_path, "cp950.txt", text.encode("cp950"))
    report = helpers.read_report(path)
    assert report.text == text
    assert report.encoding in {"cp950", "big5hkscs"}


def test_a_few_foreign_bytes_in_a_utf8_file_are_reported_as_damage(tmp_path, seed_texts):
    data = seed_texts[ZHENJIANG].encode("utf-8")
    path = write(tmp_path, "mixed.txt", data[:3000] + "€".encode("cp1252") + data[3000:])
    with pytest.raises(ReportError, match="1 damaged byte"):
        helpers.read_report(path)


def test_bytes_that_no_supported_encoding_decodes(tmp_path):
    data = "报告".encode("gbk") + b"\xff\xfe\xfd\x80" * 40
    path = write(tmp_path, "garbled.txt", data[1:])
    with pytest.raises(ReportError, match="none of the supported encodings") as err:
        helpers.read_report(path)
    assert "garbled.txt" in str(err.value)


def test_file_larger_than_the_limit_is_refused_and_the_limit_can_be_raised(tmp_path):
    path = copy_seed(ZHENJIANG, tmp_path)
    with pytest.raises(ReportError, match="max_bytes"):
        helpers.read_report(path, max_bytes=10_000)
    assert helpers.read_report(path, max_bytes=30_000).n_bytes == 21_296


def test_hidden_files_are_not_reports(tmp_path):
    copy_seed(ZHENJIANG, tmp_path)
    write(tmp_path, "._" + ZHENJIANG, b"\x00\x05\x16\x07Mac OS X")  # macOS metadata copy
    loaded = helpers.load_reports(tmp_path, manifest=None)
    assert loaded["file"].tolist() == [ZHENJIANG]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        helpers.read_report(tmp_path / "nope.txt")
    with pytest.raises(ReportError, match="no such folder"):
        helpers.load_reports(tmp_path / "nowhere")


def test_folder_without_report_files(tmp_path):
    with pytest.raises(ReportError, match="no report files"):
        helpers.load_reports(tmp_path)
    write(tmp_path, "notes.md", "报告".encode())
    with pytest.raises(ReportError, match=r"notes\.md: \.md is not a supported format"):
        helpers.load_reports(tmp_path)
    reports, problems = helpers.load_reports(tmp_path, errors="collect")
    assert reports.empty and problems["file"].tolist() == ["notes.md"]


def test_two_files_with_identical_content(tmp_path):
    copy_seed(ZHENJIANG, tmp_path)
    shutil.copy(tmp_path / ZHENJIANG, tmp_path / "copy.txt")
    with pytest.raises(ReportError, match="same bytes") as err:
        helpers.load_reports(tmp_path, manifest=None)
    assert "copy.txt" in str(err.value) and ZHENJIANG in str(err.value)


def test_a_bad_file_in_a_folder_names_that_file(tmp_path):
    copy_seed(ZHENJIANG, tmp_path)
    write(tmp_path, "empty.txt", b"")
    with pytest.raises(ReportError, match=r"empty\.txt"):
        helpers.load_reports(tmp_path, manifest=None)


# --------------------------------------------------------------------------
# The manifest
# --------------------------------------------------------------------------


def seed_folder(tmp_path: Path, manifest_text: str | bytes | None) -> Path:
    for path in SEED_FILES:
        copy_seed(path.name, tmp_path)
    if manifest_text is not None:
        data = manifest_text.encode("utf-8") if isinstance(manifest_text, str) else manifest_text
        write(tmp_path, "manifest.csv", data)
    return tmp_path


def real_manifest() -> str:
    return (SEEDS / "manifest.csv").read_text(encoding="utf-8")


def test_manifest_missing_a_required_column(tmp_path):
    text = real_manifest().replace("file,sha256,id,", "filename,sha256,id,", 1)
    folder = seed_folder(tmp_path, text)
    with pytest.raises(ReportError, match=r"lacks the required column.*file") as err:
        helpers.load_reports(folder)
    assert "manifest.csv" in str(err.value)


def test_manifest_naming_an_absent_file(tmp_path):
    folder = seed_folder(tmp_path, real_manifest())
    os.remove(folder / JIAOJIANG)
    with pytest.raises(ReportError, match=f"{JIAOJIANG}: listed in .*manifest.csv but not in"):
        helpers.load_reports(folder)


def test_manifest_that_is_not_utf8(tmp_path):
    folder = seed_folder(tmp_path, real_manifest().encode("gb18030"))
    with pytest.raises(ReportError, match="not UTF-8"):
        helpers.load_reports(folder)


def test_manifest_that_is_a_folder(tmp_path):
    folder = seed_folder(tmp_path, None)
    (folder / "manifest.csv").mkdir()
    with pytest.raises(ReportError, match="cannot be read"):
        helpers.load_reports(folder)


def test_manifest_row_with_a_missing_field(tmp_path):
    lines = real_manifest().splitlines(keepends=True)
    file, _sha256, rest = lines[4].split(",", 2)
    short = f"{file},{rest}"  # the (unquoted) sha256 field lost
    folder = seed_folder(tmp_path, "".join([*lines[:4], short, *lines[5:]]))
    with pytest.raises(ReportError, match="line 5 has 12 fields but the header has 13"):
        helpers.load_reports(folder)


def test_manifest_with_trailing_empty_rows_from_a_spreadsheet(tmp_path):
    folder = seed_folder(tmp_path, real_manifest() + ",,,,,,,,,,,,\n,,,,,,,,,,,,\n")
    assert len(helpers.load_reports(folder)) == 5


@pytest.mark.parametrize(
    ("header_change", "message"),
    [
        (("notes", "title"), "appears twice"),
        (("notes", "text"), "computed when reading"),
    ],
)
def test_manifest_header_problems(tmp_path, header_change, message):
    old, new = header_change
    header, rest = real_manifest().split("\n", 1)
    folder = seed_folder(tmp_path, header.replace(old, new) + "\n" + rest)
    with pytest.raises(ReportError, match=message):
        helpers.load_reports(folder)


def test_a_folder_without_its_manifest_is_read_as_without_one(tmp_path):
    folder = seed_folder(tmp_path, None)
    without = helpers.load_reports(folder)
    assert (without["source"] == "inferred").all()
    assert without.equals(helpers.load_reports(folder, manifest=None))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",2013,", ",2013年,", "not a four-digit year"),
        (",2014-01-28,", ",2014/1/28,", "not a date written YYYY-MM-DD"),
        (",2014-01-28,", ",2014-1-28,", "not a date written YYYY-MM-DD"),
        (",zhenjiang-2013,", ",taicang-2019,", "appears more than once"),
        (",simplified,", ",simple,", "script 'simple'"),
    ],
)
def test_manifest_with_bad_values_names_the_row(tmp_path, old, new, message):
    text = real_manifest()
    assert old in text, "the test's assumption about the real manifest no longer holds"
    folder = seed_folder(tmp_path, text.replace(old, new, 1))
    with pytest.raises(ReportError, match=message):
        helpers.load_reports(folder)


def test_file_not_in_manifest_loads_with_inferred_metadata_and_a_warning(tmp_path):
    folder = seed_folder(tmp_path, None)
    lines = real_manifest().splitlines(keepends=True)
    write(folder, "manifest.csv", "".join(line for line in lines if ZHENJIANG not in line).encode())
    with pytest.warns(ReportWarning, match=ZHENJIANG):
        loaded = helpers.load_reports(folder)
    row = loaded.set_index("file").loc[ZHENJIANG]
    assert row["source"] == "inferred"
    assert row["title"] == "镇江市2013年政府法制工作总结及2014年工作打算"
    assert row["region"] == "镇江市"
    assert row["report_year"] == 2013
    assert row["published"] == pd.Timestamp("2014-01-28")
    assert row["script"] == "simplified"
    assert pd.isna(row["level"]) and pd.isna(row["province"])  # not stated: left empty


def test_inferred_region_is_the_last_place_of_a_chain():
    meta = infer_metadata("浙江省台州市椒江区2023年度法治政府建设情况的报告\n正文。")
    assert (meta["region"], meta["report_year"]) == ("椒江区", 2023)


def test_without_a_manifest_everything_is_inferred_silently(tmp_path):
    folder = seed_folder(tmp_path, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = helpers.load_reports(folder, manifest=None).set_index("file")
    assert loaded.loc[TRADITIONAL, "script"] == "traditional"
    assert loaded.loc[TRADITIONAL, "report_year"] == 2019
    assert loaded.loc[TRADITIONAL, "published"] == pd.Timestamp("2020-02-28")
    assert loaded.loc[JIAOJIANG, "title"] == "椒江区2023年度法治政府建设情况的报告"
    assert loaded.loc[JIAOJIANG, "published"] == pd.Timestamp("2024-03-04")
    # The report without a title line gets no invented title or year.
    assert pd.isna(loaded.loc["002_8bfca62b454dad5d.txt", "title"])
    assert pd.isna(loaded.loc["002_8bfca62b454dad5d.txt", "report_year"])


# --------------------------------------------------------------------------
# One loader, one set of rules: errors="raise" stops, errors="collect" lists
# --------------------------------------------------------------------------


def messy_folder(tmp_path: Path) -> Path:
    """Seeds with a manifest, and one entry of every kind the loader refuses or warns about."""
    folder = seed_folder(tmp_path, None)
    lines = real_manifest().splitlines(keepends=True)
    # Zhenjiang unlisted; Jiaojiang listed with a wrong SHA-256; a listed file that is absent.
    body = [line for line in lines[1:] if ZHENJIANG not in line]
    body = [
        ",".join([line.split(",")[0], "0" * 64, *line.split(",")[2:]])
        if JIAOJIANG in line
        else line
        for line in body
    ]
    absent = lines[1].replace(TRADITIONAL, "gone.txt").replace("taicang-2019", "gone")
    write(folder, "manifest.csv", "".join([lines[0], *body, absent]).encode())
    shutil.copy(folder / TRADITIONAL, folder / "copy-of-taicang.txt")
    write(folder, "statistics.xlsx", b"PK\x03\x04")
    (folder / "old").mkdir()
    return folder


def test_collect_lists_every_refused_or_questionable_entry(tmp_path):
    folder = messy_folder(tmp_path)
    reports, problems = helpers.load_reports(folder, errors="collect")
    assert reports["file"].tolist() == [p.name for p in SEED_FILES]
    by_file = problems.set_index("file")
    assert by_file.index.tolist() == sorted(
        [JIAOJIANG, ZHENJIANG, "copy-of-taicang.txt", "gone.txt", "old/", "statistics.xlsx"]
    )
    duplicate = by_file.loc["copy-of-taicang.txt", "reason"]
    assert duplicate.startswith(f"has the same bytes as {TRADITIONAL}")
    assert "listed in" in by_file.loc["gone.txt", "reason"]
    assert "SHA-256 differs" in by_file.loc[JIAOJIANG, "reason"]
    assert "not in the manifest" in by_file.loc[ZHENJIANG, "reason"]
    assert by_file["loaded"].to_dict() == {
        JIAOJIANG: True, ZHENJIANG: True, "copy-of-taicang.txt": False,
        "gone.txt": False, "old/": False, "statistics.xlsx": False,
    }  # fmt: skip
    assert reports.set_index("file").loc[ZHENJIANG, "source"] == "inferred"


def test_raise_stops_at_the_first_refusal_and_warns_about_the_rest(tmp_path):
    folder = messy_folder(tmp_path)
    with pytest.raises(ReportError, match=r"gone\.txt: listed in"):
        helpers.load_reports(folder)
    for name in ["copy-of-taicang.txt", "statistics.xlsx"]:
        os.remove(folder / name)
    (folder / "old").rmdir()
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "".join(line for line in manifest.splitlines(keepends=True) if "gone" not in line),
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reports = helpers.load_reports(folder)
    messages = [str(w.message) for w in caught if w.category is ReportWarning]
    assert len(messages) == 2 and len(reports) == 5
    by_file = {Path(m.split(": ")[0]).name: m for m in messages}
    assert "SHA-256 differs" in by_file[JIAOJIANG]
    assert "not in the manifest" in by_file[ZHENJIANG]


def test_formats_chooses_what_is_read(tmp_path):
    copy_seed(ZHENJIANG, tmp_path)
    write(tmp_path, "page.html", "<p>某区2021年法治政府建设报告</p><p>正文。</p>".encode())
    assert helpers.load_reports(tmp_path, formats=[".txt"])["file"].tolist() == [ZHENJIANG]
    assert helpers.load_reports(tmp_path, formats="html")["file"].tolist() == ["page.html"]
    assert len(helpers.load_reports(tmp_path)) == 2
    with pytest.raises(ValueError, match=r"formats must name supported formats.*got \.xls"):
        helpers.load_reports(tmp_path, formats=["xls"])
    with pytest.raises(ValueError, match="errors must be 'raise' or 'collect'; got 'ignore'"):
        helpers.load_reports(tmp_path, errors="ignore")


def test_an_inferred_id_never_takes_a_listed_one(tmp_path):
    copy_seed(ZHENJIANG, tmp_path)
    (tmp_path / "taicang-2019.txt").write_text("某县2019年法治政府建设报告\n正文。", "utf-8")
    header = real_manifest().splitlines(keepends=True)[0]
    row = next(line for line in real_manifest().splitlines(keepends=True) if ZHENJIANG in line)
    row = row.replace("zhenjiang-2013", "taicang-2019")
    write(tmp_path, "manifest.csv", (header + row).encode())
    reports, _ = helpers.load_reports(tmp_path, errors="collect")
    assert sorted(reports["id"]) == ["taicang-2019", "taicang-2019-2"]


def test_a_folder_with_a_manifest_can_be_read_without_it(tmp_path):
    folder = seed_folder(tmp_path, real_manifest())
    without = helpers.load_reports(folder, manifest=None)  # manifest.csv is no report either
    assert len(without) == 5 and (without["source"] == "inferred").all()
    with pytest.raises(ReportError, match=r"manifst\.csv: no such manifest"):
        helpers.load_reports(folder, manifest="manifst.csv")


def test_of_two_identical_files_the_listed_one_stays(tmp_path):
    folder = seed_folder(tmp_path, real_manifest())
    shutil.copy(folder / TRADITIONAL, folder / "000_0copy.txt")  # sorts before the listed file
    reports, problems = helpers.load_reports(folder, errors="collect")
    assert "taicang-2019" in set(reports["id"]) and "000_0copy.txt" not in set(reports["file"])
    assert problems.set_index("file").loc["000_0copy.txt", "reason"].startswith(
        f"has the same bytes as {TRADITIONAL}"
    )


@pytest.mark.parametrize("name", ["sub/report.txt", "..", "sub\\report.txt"])
def test_a_manifest_row_must_name_a_file_in_its_own_folder(tmp_path, name):
    header = real_manifest().splitlines(keepends=True)[0]
    write(tmp_path, "manifest.csv", (header + f"{name},,x,,,,,,,,,,\n").encode())
    with pytest.raises(ReportError, match="is not a plain file name"):
        helpers.load_reports(tmp_path)


def test_reprs_of_other_formats_say_no_encoding_when_there_is_none():
    from support import SAMPLES

    text = repr(helpers.read_report(SAMPLES / "yangben-district-2022.docx"))
    assert text.startswith("Report('yangben-district-2022.docx', 37,162 bytes, docx, LF,")
    assert "None" not in text


@pytest.mark.parametrize(
    ("url", "accessed", "message"),
    [
        ("www.gov.cn/report", "", "url 'www.gov.cn/report' is not a web address"),
        ("https://www.gov.cn/a b", "", "is not a web address"),
        ("https://www.gov.cn/report.html", "2024/3/1", "accessed '2024/3/1' is not a date"),
    ],
)
def test_manifest_provenance_columns_are_checked(tmp_path, url, accessed, message):
    copy_seed(ZHENJIANG, tmp_path)
    manifest = f"file,id,url,accessed\n{ZHENJIANG},z,{url},{accessed}\n"
    write(tmp_path, "manifest.csv", manifest.encode())
    with pytest.raises(ReportError, match=message):
        helpers.load_reports(tmp_path)


def test_manifest_provenance_is_carried_into_the_table(tmp_path):
    copy_seed(ZHENJIANG, tmp_path)
    row = f"{ZHENJIANG},z,https://www.zhenjiang.gov.cn/a.html,2024-03-01"
    write(tmp_path, "manifest.csv", f"file,id,url,accessed\n{row}\n".encode())
    loaded = helpers.load_reports(tmp_path).iloc[0]
    assert loaded["url"] == "https://www.zhenjiang.gov.cn/a.html"
    assert loaded["accessed"] == pd.Timestamp("2024-03-01")
    seeds = helpers.load_reports(SEEDS)
    assert seeds["url"].isna().all() and seeds["accessed"].isna().all()  # unknown: blank
