"""ReportError and ReportWarning speak English and Chinese, and always name the file.

``helpers.setup(language="zh")`` (the Chinese edition) makes ``str(error)`` Chinese;
``error.english`` and ``error.chinese`` hold both. Checked three ways: every message
in the helpers' source has a Chinese twin with the same placeholders (an AST scan);
real bad files give Chinese or English messages as the language says; both
languages survive pickling (errors and reasons come back from worker processes).
"""

from __future__ import annotations

import ast
import codecs
import pickle
import random
import re
import shutil
import warnings
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from support import SEED_FILES

import helpers
from helpers import notebook
from helpers.corpus import _read_one
from helpers.errors import Message, ReportError, ReportWarning, shown
from helpers.manifest import read_manifest

HELPERS = Path(helpers.__file__).parent
#: The classes whose construction must carry a Chinese message (``zh=``).
BILINGUAL = ("ReportError", "ReportWarning", "Message")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


# --------------------------------------------------------------------------
# The language: set for one test, put back after it
# --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english_after(monkeypatch):
    """Every test here ends in English, with setup()'s other settings as they were."""
    monkeypatch.setattr(notebook, "_language", notebook.language())
    state = random.getstate(), np.random.get_state()
    options = ["display.max_rows", "display.max_columns", "display.max_colwidth", "display.width"]
    saved = {name: pd.get_option(name) for name in options}
    with mpl.rc_context():
        yield
    random.setstate(state[0])
    np.random.set_state(state[1])
    for name, value in saved.items():
        pd.set_option(name, value)


def speak(language: str) -> None:
    helpers.setup(language=language)
    assert notebook.language() == language


# --------------------------------------------------------------------------
# (1) The source: every message has a Chinese twin with the same placeholders
# --------------------------------------------------------------------------


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal(node: ast.AST | None) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _text(node: ast.AST) -> str:
    """The literal text of a string or f-string, without its placeholders."""
    if isinstance(node, ast.Constant):
        return node.value
    return "".join(
        part.value
        for part in node.values
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    )


def _placeholders(node: ast.AST) -> list[ast.FormattedValue]:
    return [part for part in getattr(node, "values", []) if isinstance(part, ast.FormattedValue)]


def _spec(value: ast.FormattedValue) -> str:
    return "" if value.format_spec is None else _text(value.format_spec)


def _constructions() -> list[tuple[str, int, str, ast.Call]]:
    found = []
    for path in sorted(HELPERS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in BILINGUAL:
                found.append((path.name, node.lineno, _called(node), node))
    return found


CONSTRUCTIONS = _constructions()


def _english(call: ast.Call) -> ast.AST | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _zh(call: ast.Call) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == "zh"), None)


def test_the_scan_finds_the_messages():
    errors = [c for c in CONSTRUCTIONS if c[2] == "ReportError"]
    assert len(errors) >= 45, len(errors)
    modules = {c[0] for c in errors}
    assert {"corpus.py", "formats.py", "manifest.py"} <= modules
    assert any(c[2] == "ReportWarning" for c in CONSTRUCTIONS)


@pytest.mark.parametrize(
    "module, line, cls, call",
    CONSTRUCTIONS,
    ids=[f"{module}:{line}:{cls}" for module, line, cls, _ in CONSTRUCTIONS],
)
def test_every_message_has_a_chinese_twin(module, line, cls, call):
    english, chinese = _english(call), _zh(call)
    if cls == "Message" and not (_literal(english) and re.search("[A-Za-z]", _text(english))):
        return  # Message(path.suffix), Message(err.kind), Message(""): the same in both
    assert english is not None and _literal(english), f"{module}:{line}: no English literal"
    assert chinese is not None, f"{module}:{line}: {cls}(...) without zh="
    assert _literal(chinese), f"{module}:{line}: zh= is not a string literal"
    # The Chinese is in the literal, or in a reason passed on as {reason:zh}.
    passed_on = any(_spec(v) == "zh" for v in _placeholders(chinese))
    assert CJK.search(_text(chinese)) or passed_on, f"{module}:{line}: zh= has no Chinese"

    # The same values are shown: the file (shown(...)), numbers, reasons.
    in_english = {ast.dump(v.value) for v in _placeholders(english)}
    in_chinese = {ast.dump(v.value) for v in _placeholders(chinese)}
    assert in_english == in_chinese, f"{module}:{line}: placeholders differ"

    # A Message placeholder is written {x:zh} in the Chinese and plain {x} in the English.
    for value in _placeholders(english):
        assert _spec(value) != "zh", f"{module}:{line}: the English uses :zh"
    zh_spec = {ast.dump(v.value) for v in _placeholders(chinese) if _spec(v) == "zh"}
    en_spec = {ast.dump(v.value) for v in _placeholders(english) if _spec(v) in ("", "en")}
    assert zh_spec <= en_spec, f"{module}:{line}: a :zh placeholder differs in the English"


def test_every_error_names_its_file_in_both_languages():
    """An error's message starts with the same placeholder (the file) in both languages."""
    for module, line, cls, call in CONSTRUCTIONS:
        if cls == "Message":
            continue
        english, chinese = _english(call), _zh(call)
        first_en, first_zh = _placeholders(english)[:1], _placeholders(chinese)[:1]
        if first_en:
            assert first_zh and ast.dump(first_en[0].value) == ast.dump(first_zh[0].value), (
                f"{module}:{line}: the Chinese does not start with the same name"
            )


# --------------------------------------------------------------------------
# (2) Real files: the message follows the language and names the file
# --------------------------------------------------------------------------

#: file name -> (bytes, a fragment of the Chinese message, one of the English message)
BAD_FILES = {
    "empty.txt": (b"", "文件是空的", "the file is empty"),
    "binary.txt": (b"\x00\x01\x02\x03" * 64, "二进制文件", "binary file"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(64), "这是一张 PNG 图片", "this is a PNG image"),
    "utf16.txt": (
        "法治政府建设年度报告。".encode("utf-16-le") * 20,
        "不带字节顺序标记（BOM）的 UTF-16",
        "UTF-16 text without a byte-order mark",
    ),
    "fake.docx": (b"this is no zip archive", "另存为 .docx", "save it again as .docx"),
    "report.doc": ("法治政府".encode(), "不支持的格式（.doc）", ".doc is not a supported format"),
    "README": (b"just text", "不支持的格式（无扩展名）", "no extension is not a supported format"),
    "blank.txt": ("\u3000 \u00a0\n".encode(), "只有空白", "only blank space"),
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, (data, _, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    shutil.copy(SEED_FILES[0], folder / SEED_FILES[0].name)
    return folder


def _refusal(path: Path) -> ReportError:
    with pytest.raises(ReportError) as caught:
        helpers.read_report(path)
    return caught.value


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_read_report_speaks_chinese_after_setup_zh(bad_folder, name):
    path = bad_folder / name
    _, chinese, _ = BAD_FILES[name]
    speak("zh")
    error = _refusal(path)
    message = str(error)
    assert message == error.chinese
    assert message.startswith(shown(path) + ": ")
    assert chinese in message
    assert CJK.search(message.removeprefix(shown(path)))
    assert "Save" not in message and "Check" not in message  # no English sentence left


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_read_report_speaks_english_by_default(bad_folder, name):
    path = bad_folder / name
    _, chinese, english = BAD_FILES[name]
    speak("en")
    error = _refusal(path)
    message = str(error)
    assert message == error.english == error.args[0]
    assert message.startswith(shown(path) + ": ")
    assert english in message
    assert not CJK.search(message)
    assert chinese in error.chinese and error.chinese.startswith(shown(path) + ": ")


def test_the_language_can_change_after_the_error_was_raised(bad_folder):
    speak("en")
    error = _refusal(bad_folder / "empty.txt")
    assert "empty" in str(error)
    speak("zh")
    assert "文件是空的" in str(error)


def test_a_missing_file_and_a_folder_are_refused_in_chinese(tmp_path):
    speak("zh")
    missing = _refusal(tmp_path / "nowhere.txt")
    expected = "文件不存在。请检查文件名和所在文件夹。"
    assert str(missing) == f"{shown(tmp_path / 'nowhere.txt')}: {expected}"
    folder = tmp_path / "a.txt"
    folder.mkdir()
    assert "这是文件夹，不是文件" in str(_refusal(folder))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_problem_rows_follow_the_language(bad_folder, n_jobs):
    speak("zh")
    reports, problems = helpers.load_reports(bad_folder, errors="collect", n_jobs=n_jobs)
    assert list(reports["file"]) == [SEED_FILES[0].name]
    reasons = dict(zip(problems["file"], problems["reason"], strict=True))
    assert set(reasons) == set(BAD_FILES)
    for name, (_, chinese, _) in BAD_FILES.items():
        assert chinese in reasons[name], (name, reasons[name])
        assert not reasons[name].startswith(name)  # the file is in its own column

    speak("en")
    _, problems = helpers.load_reports(bad_folder, errors="collect", n_jobs=n_jobs)
    reasons = dict(zip(problems["file"], problems["reason"], strict=True))
    for name, (_, _, english) in BAD_FILES.items():
        assert english in reasons[name], (name, reasons[name])
        assert not CJK.search(reasons[name])


def test_a_manifest_problem_and_a_warning_speak_chinese(bad_folder):
    for name in BAD_FILES:
        (bad_folder / name).unlink()
    seed = SEED_FILES[0].name
    extra = bad_folder / "extra.txt"
    extra.write_text("某市2019年法治政府建设工作报告\n依法行政。", encoding="utf-8")
    manifest = bad_folder / "manifest.csv"
    manifest.write_text(f"file,id\n{seed},seed\n", encoding="utf-8")
    speak("zh")
    with pytest.warns(ReportWarning) as caught:
        helpers.load_reports(bad_folder)
    messages = [str(w.message) for w in caught if w.category is ReportWarning]
    assert messages == [f"{shown(extra)}: " + str(caught[0].message).split(": ", 1)[1]]
    assert "不在清单中" in messages[0] and "请核对标题、地区、年份" in messages[0]
    assert "not in the manifest" in caught[0].message.english

    manifest.write_text(f"file,id\n{seed},seed\nextra.txt,seed\n", encoding="utf-8")
    with pytest.raises(ReportError) as refused:
        helpers.load_reports(bad_folder)
    assert str(refused.value).startswith(f"{shown(manifest)}: id 'seed' 出现了不止一次")
    assert "Unicode NFC" in str(refused.value)

    manifest.write_text(f"file,id,report_year\n{seed},seed,19\n", encoding="utf-8")
    with pytest.raises(ReportError) as refused:
        helpers.load_reports(bad_folder)
    assert str(refused.value) == (
        f"{shown(manifest)}: 第 2 行（{seed}）：report_year '19' "
        "不是四位数的年份。请写成例如 2019；不知道就留空。"
    )
    speak("en")
    assert str(refused.value).endswith(
        "'19' is not a four-digit year. Write e.g. 2019, or leave it empty if unknown."
    )


def test_a_manifest_that_is_not_utf8_is_refused_in_chinese(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_bytes("file,id\n报告.txt,甲\n".encode("gb18030"))
    speak("zh")
    with pytest.raises(ReportError) as refused:
        read_manifest(manifest)
    assert str(refused.value).startswith(f"{shown(manifest)}: 清单不是 UTF-8 文本")
    assert "CSV UTF-8" in str(refused.value)


def test_a_plain_string_reason_stays_as_it_is():
    """Problems also takes a plain str (the same in both languages)."""
    from helpers.corpus import Problems

    speak("zh")
    problems = Problems("reports", "collect")
    problems("b.txt", "is empty.", loaded=False)
    problems("c.txt", Message("is empty.", zh="是空的。"), loaded=False)
    assert list(problems.table()["reason"]) == ["is empty.", "是空的。"]
    with pytest.raises(ReportError, match=r"^reports/c\.txt: 是空的。$"):
        Problems("reports", "raise")("c.txt", Message("is empty.", zh="是空的。"), loaded=False)


# --------------------------------------------------------------------------
# (3) Pickling keeps both languages
# --------------------------------------------------------------------------


def test_pickling_keeps_both_languages(bad_folder):
    speak("en")
    raised = _refusal(bad_folder / "utf16.txt")
    made = ReportError("a.txt: is empty.", zh="a.txt: 是空的。")
    warned = ReportWarning("a.txt: not listed.", zh="a.txt: 不在清单中。")
    reason = Message("is empty.", zh="是空的。")
    for original in (raised, made, warned, reason):
        copy = pickle.loads(pickle.dumps(original))
        assert type(copy) is type(original)
        assert copy.english == original.english and copy.chinese == original.chinese
    copy = pickle.loads(pickle.dumps(raised))
    assert copy.args == raised.args and str(copy) == raised.english
    speak("zh")
    assert str(copy) == raised.chinese and "UTF-16" in str(copy)
    assert f"{pickle.loads(pickle.dumps(reason)):zh}" == "是空的。"


def test_a_worker_sends_back_both_languages(bad_folder):
    """What a worker process returns for a refused file pickles with both languages."""
    speak("en")  # a worker's language may differ from the session's
    found = _read_one((bad_folder / "empty.txt", helpers.corpus.DEFAULT_MAX_BYTES))
    assert isinstance(found, Message)
    back = pickle.loads(pickle.dumps(found))
    assert back.startswith("the file is empty") and back.chinese.startswith("文件是空的")


def test_a_message_is_its_english_string():
    """Code that treats a reason as a str (compares, slices, joins) sees the English."""
    reason = Message("is empty.", zh="是空的。")
    assert reason == "is empty." and reason[:2] == "is" and isinstance(reason, str)
    assert f"{reason}" == f"{reason:en}" == "is empty." and f"{reason:>10}" == " is empty."
    assert ReportError("x: y").chinese == "x: y"  # without zh=, the same in both
    assert ReportError(Message("x: y", zh="x: 乙")).chinese == "x: 乙"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("plain", ReportWarning, stacklevel=1)  # the warnings module's own way
    assert str(caught[0].message) == "plain"


def test_no_bom_no_problem_for_utf16_with_bom(tmp_path):
    """A control: UTF-16 with its BOM still reads, whatever the language."""
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "法治政府建设年度报告。".encode("utf-16-le"))
    speak("zh")
    assert helpers.read_report(path).encoding == "utf-16"
