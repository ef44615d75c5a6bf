"""Exercise checks: right answers pass, typical wrong ones get their hints, no cell holds one.

The answer key (scripts/exercise_key.py) is the oracle here: it is written by hand,
and helpers/data/exercises.csv holds only fingerprints made from it.
"""

from __future__ import annotations

import json
import re
import sys

import nbformat
import pytest
from support import ROOT

import helpers
from helpers import exercises, groups

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
