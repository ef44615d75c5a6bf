"""Exercise checks: right answers pass, typical wrong ones get their hints, no cell holds one.

The answer key (scripts/exercise_key.py) is the oracle here: it is written by hand,
and helpers/data/exercises.csv holds only fingerprints made from it.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from support import ROOT

import helpers
from helpers import exercises, groups, notebook

sys.path.insert(0, str(ROOT / "scripts"))
import make_exercises
from exercise_key import KEY

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


def value_of(text: str):
    """A Python value whose canonical form is ``text`` (the key writes wrong answers that way)."""
    if text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[text]
    if text.startswith("{"):
        inner = text[1:-1]
        return {json.loads(item) for item in inner.split(",")} if inner else set()
    if text.startswith("["):
        return json.loads(text)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def answers(exercise: str, **override):
    """The right answer to every part, with some parts replaced."""
    parts = {name: spec["right"][0] for name, spec in KEY[exercise]["parts"].items()}
    return parts | override


def printed(capsys, exercise: str, **given) -> tuple[bool, str]:
    result = exercises.check(exercise, **given)
    return result, capsys.readouterr().out.strip()


def test_the_fingerprint_file_is_what_the_key_makes():
    assert exercises.DATA_FILE.read_text(encoding="utf-8") == make_exercises.render()


def test_the_fingerprint_file_holds_no_answer():
    data = exercises.DATA_FILE.read_text(encoding="utf-8")
    for exercise, spec in KEY.items():
        for part in spec["parts"].values():
            for right in part["right"]:
                text = exercises.canonical(right, part.get("decimals"))
                if len(text) > 2:  # a short number or letter occurs in any text by chance
                    assert text not in data, (exercise, text)


@pytest.mark.parametrize("exercise", list(KEY))
def test_the_right_answer_passes(capsys, exercise):
    ok, out = printed(capsys, exercise, **answers(exercise))
    assert ok and out.startswith("correct") and out == KEY[exercise]["correct"]


@pytest.mark.parametrize("exercise", list(KEY))
def test_typical_wrong_answers_fail_with_their_hint(capsys, exercise):
    wrong = [
        (part, text, hint)
        for part, spec in KEY[exercise]["parts"].items()
        for text, hint in spec.get("wrong", {}).items()
    ]
    assert len(wrong) >= 3, f"{exercise} needs three typical wrong answers"
    for part, text, hint in wrong:
        ok, out = printed(capsys, exercise, **answers(exercise, **{part: value_of(text)}))
        assert not ok and out == hint, (part, text)
        assert out.startswith("not yet") and "print(" not in out and "==" not in out


@pytest.mark.parametrize("exercise", list(KEY))
def test_any_other_answer_gets_the_general_hint_and_none_is_named(capsys, exercise):
    for part, spec in KEY[exercise]["parts"].items():
        ok, out = printed(capsys, exercise, **answers(exercise, **{part: "no such answer"}))
        assert not ok and out == spec["hint"]
        ok, out = printed(capsys, exercise, **answers(exercise, **{part: None}))
        assert not ok and out == f"not yet: {part} is still None; replace None with your answer"


def test_numbers_are_compared_with_a_tolerance(capsys):
    assert printed(capsys, "04.1", weight=13.5449)[0]  # 13.545 at 3 decimals
    assert printed(capsys, "04.1", weight=13.546)[0]  # one unit in the last place
    assert not printed(capsys, "04.1", weight=13.55)[0]
    assert printed(capsys, "04.4", huinong_rate=11 / 27 * 100, denominator="b")[0]
    assert printed(capsys, "05.2", yangben_rate=2 / 15 * 100)[0]
    import numpy as np

    assert printed(capsys, "01.1", longest_id="zhenjiang-2013", n_traditional=np.int64(1))[0]


def test_a_check_names_its_answers(capsys):
    with pytest.raises(TypeError, match="takes the answers longest_id, n_traditional"):
        exercises.check("01.1", longest=1)
    with pytest.raises(ValueError, match=r"no exercise '09\.9'"):
        exercises.check("09.9", x=1)


def test_code_answers_are_checked_by_what_they_do(capsys, docs):
    def right(line):
        return re.fullmatch(r"(?:【(?:我要纠错|打印本页|关闭窗口)】\s*)+", line.strip()) is not None

    assert printed(capsys, "02.1", rule=right)[0]
    ok, out = printed(capsys, "02.1", rule=lambda line: False)
    assert not ok and "keeps them" in out
    ok, out = printed(capsys, "02.1", rule=lambda line: "【" in line)  # any bracket: too wide
    assert not ok and "report text" in out
    ok, out = printed(capsys, "02.1", rule="【我要纠错】")
    assert not ok and "must be a function" in out

    sentence = "广泛开展“送法进企业”活动共计92场次，举行涉企法律风险专题讲座80次。"
    assert printed(capsys, "03.1", tokens=helpers.segment(sentence, extra_terms=["送法进企业"]))[0]
    ok, out = printed(capsys, "03.1", tokens=helpers.segment(sentence))
    assert not ok and "cut in two" in out
    assert not printed(capsys, "03.1", tokens=None)[0]
    assert not printed(capsys, "03.1", tokens=list(sentence))[0]

    table = helpers.load_reports(ROOT / "seeds")
    cleaned = helpers.clean_reports(table)
    options = {"officialese": True}
    themes = groups.group_themes(cleaned, "province", **options)
    disputes = themes[themes["theme"] == "disputes"].set_index("group")["mean_per_10k"]
    top, low = disputes.idxmax(), disputes.idxmin()
    assert printed(capsys, "06.1", top_province=top, reports=cleaned, segment_options=options)[0]
    ok, out = printed(capsys, "06.1", top_province=low, reports=cleaned, segment_options=options)
    assert not ok and "highest first" in out
    ok, out = printed(capsys, "06.1", top_province="江苏", reports=cleaned, segment_options=options)
    assert not ok and "group labels" in out


CHECK_CELL = re.compile(r'helpers\.exercises\.check\("\d\d\.\d"(?:, \w+=\w+)+\)')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_check_cell_holds_its_answer_and_solutions_are_hidden(path):
    nb = nbformat.read(path, as_version=4)
    checks = solutions = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or "helpers.exercises.check(" not in cell.source:
            continue
        if "solution" in cell.metadata.get("tags", []):
            solutions += 1
            assert cell.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert text.rstrip().splitlines()[-1].startswith("correct"), (cell.id, text)
            continue
        checks += 1
        # A check cell is one call with the exercise's name and variables: no literal answer.
        assert CHECK_CELL.fullmatch(cell.source.strip()), (cell.id, cell.source)
    assert checks >= 1 and solutions == checks
    interpretation = [
        c for c in nb.cells if c.source.startswith("### Exercise") and "interpretation" in c.source
    ]
    assert len(interpretation) == 1


def test_every_exercise_is_used_by_a_notebook():
    code = "\n".join(
        c.source
        for p in NOTEBOOKS
        for c in nbformat.read(p, as_version=4).cells
        if c.cell_type == "code"
    )
    used = set(re.findall(r'helpers\.exercises\.check\("(\d\d\.\d)"', code))
    assert used == set(KEY) | set(exercises.PROPERTY_CHECKS)


# --------------------------------------------------------------------------
# The messages in Chinese (helpers.setup(language="zh"))
# --------------------------------------------------------------------------

PREFIXES = {"correct: ": "正确：", "not yet: ": "还不对："}


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def english_messages() -> list[str]:
    """Every distinct message of exercises.csv, in the order of the file."""
    rows = read_csv(exercises.DATA_FILE)
    return list(dict.fromkeys(row["message"] for row in rows if row["message"]))


def chinese_of() -> dict[str, str]:
    return {row["english"]: row["chinese"] for row in read_csv(exercises.CHINESE_FILE)}


@pytest.fixture
def chinese(monkeypatch):
    """helpers.setup(language="zh") for one test; the language is put back after it."""
    monkeypatch.setattr(notebook, "_language", notebook.language())
    helpers.setup(language="zh")


def test_every_message_has_one_chinese_row_and_no_row_is_stale():
    english = english_messages()
    rows = read_csv(exercises.CHINESE_FILE)
    assert list(rows[0]) == ["english", "chinese"]
    counts = Counter(row["english"] for row in rows)
    assert {m: counts[m] for m in english if counts[m] != 1} == {}  # exactly one row each
    assert set(counts) - set(english) == set()  # no row for a message that is gone
    assert make_exercises.untranslated() == ([], [])
    header = exercises.CHINESE_FILE.read_text(encoding="utf-8").split("\nenglish,")[0]
    assert "CC BY 4.0" in header and "translation" in header and header.startswith("#")


def test_the_chinese_follows_the_wording_convention_and_keeps_names_and_numbers():
    # What a translation keeps as it is: quoted column names ('word' is only a scare
    # quote), ids, numbers, Chinese terms, symbols and code names.
    kept = re.compile(
        r"'(?!word')\w+'|[a-z]+(?:-[a-z]+)*-\d{4}|\d+(?:[.,]\d+)*|[\u4e00-\u9fff]+|、|G²"
        r"|\\b|\(\?m\)|\^|[A-Za-z_]+(?:[.=][A-Za-z_]+)+"
        r"|\b(?:tf|idf|df|n|kwic|re|XX|True|False|None)\b"
    )
    english_words = re.compile(r"[A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,}")
    for english, chinese in chinese_of().items():
        prefix = next(p for p in PREFIXES if english.startswith(p))
        assert chinese.startswith(PREFIXES[prefix]), english
        assert not english_words.search(chinese), chinese  # nothing left untranslated
        for token in kept.findall(english):
            assert token in chinese, (token, english, chinese)


def test_the_fingerprint_files_hold_no_answer_in_either_language():
    data = exercises.CHINESE_FILE.read_text(encoding="utf-8")
    for exercise, spec in KEY.items():
        for part in spec["parts"].values():
            for right in part["right"]:
                text = exercises.canonical(right, part.get("decimals"))
                if len(text) > 2:
                    assert text not in data, (exercise, text)


def answer_texts(right, decimals) -> set[str]:
    """How a right answer could be written in a message: whole, and each item of two characters+."""
    texts = {exercises.canonical(right, decimals)}
    if isinstance(right, (list, set, tuple)):
        texts |= {str(item) for item in right}
    return {t for t in texts if len(t) > 1}


@pytest.mark.parametrize("exercise", list(KEY))
def test_chinese_hints_never_give_the_answer_the_english_keeps(exercise):
    spec = KEY[exercise]
    chinese = chinese_of()
    messages = [spec["correct"]] + [
        hint
        for part in spec["parts"].values()
        for hint in [part["hint"], *part.get("wrong", {}).values()]
    ]
    answers_ = set().union(
        *(
            answer_texts(right, part.get("decimals"))
            for part in spec["parts"].values()
            for right in part["right"]
        )
    )
    for english in messages:
        zh = chinese[english]
        if english.startswith("not yet"):
            assert "print(" not in zh and "==" not in zh, zh
        for answer in answers_:
            if answer not in english:
                assert answer not in zh, (exercise, answer, zh)


@pytest.mark.parametrize("exercise", list(KEY))
def test_in_chinese_right_and_wrong_answers_get_chinese_messages(capsys, chinese, exercise):
    zh = chinese_of()
    ok, out = printed(capsys, exercise, **answers(exercise))
    assert ok and out == zh[KEY[exercise]["correct"]] and out.startswith("正确：")
    for part, spec in KEY[exercise]["parts"].items():
        for text, hint in spec.get("wrong", {}).items():
            ok, out = printed(capsys, exercise, **answers(exercise, **{part: value_of(text)}))
            assert not ok and out == zh[hint] and out.startswith("还不对："), (part, text)
        ok, out = printed(capsys, exercise, **answers(exercise, **{part: "no such answer"}))
        assert not ok and out == zh[spec["hint"]]
        ok, out = printed(capsys, exercise, **answers(exercise, **{part: None}))
        assert not ok and out == f"还不对：{part} 仍是 None；请把 None 换成你的答案"


def test_the_language_can_be_switched_back_to_english(capsys, chinese):
    wrong = {"longest_id": "jiaojiang-2023", "n_traditional": 1}
    assert printed(capsys, "01.1", **wrong)[1] == "还不对：这是最短的报告；请取排序后表格的另一端"
    assert printed(capsys, "01.1", **answers("01.1"))[1].startswith("正确：最长的文本")
    assert printed(capsys, "03.1", tokens=None)[1].startswith("还不对：tokens 仍是 None")
    with pytest.raises(TypeError, match=r"练习 01\.1 的答案参数是 longest_id, n_traditional"):
        exercises.check("01.1", longest=1)
    helpers.setup(language="en")
    assert (
        printed(capsys, "01.1", **wrong)[1]
        == KEY["01.1"]["parts"]["longest_id"]["wrong"]["jiaojiang-2023"]
    )
    assert printed(capsys, "01.1", **answers("01.1"))[1] == KEY["01.1"]["correct"]
    assert printed(capsys, "03.1", tokens=None)[1].startswith("not yet: tokens is still None")
    with pytest.raises(TypeError, match="takes the answers longest_id, n_traditional"):
        exercises.check("01.1", longest=1)


def test_code_answers_are_checked_in_chinese_too(capsys, chinese):
    ok, out = printed(capsys, "02.1", rule=lambda line: False)
    assert not ok and out.startswith("还不对：这些行是页面功能按钮") and "【我要纠错】" in out
    ok, out = printed(capsys, "02.1", rule=lambda line: "【" in line)
    assert not ok and out.startswith("还不对：这些行是报告正文") and "【典型案例】" in out
    ok, out = printed(capsys, "02.1", rule="【我要纠错】")
    assert not ok and out.startswith("还不对：is_control_line 必须是一个函数")

    def right(line):
        return re.fullmatch(r"(?:【(?:我要纠错|打印本页|关闭窗口)】\s*)+", line.strip()) is not None

    ok, out = printed(capsys, "02.1", rule=right)
    assert ok and out.startswith("正确：")

    sentence = "广泛开展“送法进企业”活动共计92场次，举行涉企法律风险专题讲座80次。"
    ok, out = printed(capsys, "03.1", tokens=helpers.segment(sentence))
    assert not ok and out == "还不对：这个术语仍被切成了两段；看看 extra_terms 选项"
    ok, out = printed(capsys, "03.1", tokens=helpers.segment(sentence, extra_terms=["送法进企业"]))
    assert ok and out.startswith("正确：送法进企业")

    cleaned = helpers.clean_reports(helpers.load_reports(ROOT / "seeds"))
    given = {"reports": cleaned, "segment_options": {"officialese": True}}
    ok, out = printed(capsys, "06.1", top_province=None, **given)
    assert not ok and out == "还不对：top_province 仍是 None；请把 None 换成你的答案"
    ok, out = printed(capsys, "06.1", top_province="江苏", **given)
    assert not ok and out == "还不对：答案是表中某一组的标签"


def say_calls(tree: ast.Module) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_say"
    ]


def placeholders(node: ast.expr) -> list[str]:
    """The {…} of an f-string (with their !r), sorted; none for a plain string."""
    if isinstance(node, ast.Constant):
        return []
    assert isinstance(node, ast.JoinedStr), ast.unparse(node)
    return sorted(
        ast.unparse(v.value) + (f"!{chr(v.conversion)}" if v.conversion > 0 else "")
        for v in node.values
        if isinstance(v, ast.FormattedValue)
    )


MESSAGE_STARTS = ("not yet", "correct:", "no exercise", "exercise ")


def test_every_message_written_in_the_code_has_chinese_with_the_same_placeholders():
    tree = ast.parse(Path(exercises.__file__).read_text(encoding="utf-8"))
    calls = say_calls(tree)
    assert len(calls) >= 15
    for call in calls:
        assert len(call.args) == 2 and not call.keywords, ast.unparse(call)
        en, zh = call.args
        assert placeholders(en) == placeholders(zh), ast.unparse(call)
        assert re.search(r"[\u4e00-\u9fff]", ast.unparse(zh)), ast.unparse(zh)
    # Every message to the learner written in the code is the English of a _say call.
    english = {id(node) for call in calls for node in ast.walk(call.args[0])}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and str(node.value).startswith(MESSAGE_STARTS):
            assert id(node) in english, node.value
