"""Exercise checks: is an answer right, and if not, a hint, without ever showing the answer.

The notebooks' check cells call :func:`check` with the exercise's name and your
answers, one keyword per part::

    helpers.exercises.check("01.1", longest_id=longest_id, n_traditional=n_traditional)

It prints ``correct: …`` with a short explanation, or ``not yet: …`` with a hint
for the first part that is not right yet, and returns True or False.

How an answer is compared without being stored: each part's right answer is
kept only as a **fingerprint**, the SHA-256 of the exercise, the part and the
answer written in one standard way (:func:`canonical`). The fingerprint cannot
be turned back into the answer, so neither the notebooks nor this package hold
it in a form you can read. Numbers are compared at a stated number of decimals,
with a tolerance of one unit in the last place (so 13.545 and 13.5449 both
pass at 3 decimals). Typical wrong answers have fingerprints too, each with its
own hint. An exercise that asks for code (a rule, a function) is checked by what
the code does on examples, not by how it is written.

The fingerprints and hints are ``helpers/data/exercises.csv``, written by
``scripts/make_exercises.py`` from the answer key ``scripts/exercise_key.py``
(for instructors: that file holds the answers).

The messages speak the learner's language, as :func:`helpers.setup` set it
(:func:`helpers.notebook.language`): after ``helpers.setup(language="zh")`` they are
in Simplified Chinese, ``正确：…`` and ``还不对：…``. The Chinese of the hints is
``helpers/data/exercises_zh.csv`` (one row per English message); the messages written
here are given in both languages (:func:`_say`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["canonical", "check", "fingerprint"]

DATA_FILE = Path(__file__).parent / "data" / "exercises.csv"
#: The Chinese of every message of :data:`DATA_FILE`: columns ``english``, ``chinese``.
CHINESE_FILE = Path(__file__).parent / "data" / "exercises_zh.csv"


def _say(en: str, zh: str) -> str:
    """The message in the learner's language: ``zh`` after ``setup(language="zh")``, else ``en``.

    Example:
        >>> _say("not yet: sort the years", "还不对：请给年份排序")
        'not yet: sort the years'
    """
    from .notebook import say

    return say(en, zh)


@cache
def _chinese() -> dict[str, str]:
    """English message of exercises.csv -> its Chinese (exercises_zh.csv)."""
    with open(CHINESE_FILE, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["english"]: row["chinese"] for row in rows if row["chinese"]}


def _in_language(message: str) -> str:
    """A message of exercises.csv in the learner's language (English if it has no Chinese)."""
    from .notebook import say

    return say(message, _chinese().get(message, message))


def _general_hint() -> str:
    return _say("not yet: check your answer against the question", "还不对：请对照题目检查你的答案")


def _still_none(name: str) -> str:
    return _say(
        f"not yet: {name} is still None; replace None with your answer",
        f"还不对：{name} 仍是 None；请把 None 换成你的答案",
    )


def canonical(value, decimals: int | None = None) -> str:
    """An answer written in one standard way, so that equal answers give equal text.

    Strings are stripped (and quoted inside a list, so ["1"] is not [1]); whole
    floats are integers; with ``decimals`` a number is rounded and written with
    that many decimals; lists keep their order and sets are sorted; numpy and
    pandas values count as their Python equivalents.

    Example:
        >>> canonical([" a", 2.0, {3, 1}]), canonical(13.5449, 3), canonical(None)
        ('["a",2,{1,3}]', '13.545', 'None')
    """
    return _canonical(value, decimals, nested=False)


def _canonical(value, decimals: int | None, nested: bool) -> str:
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy, pandas
        value = value.tolist()
    if value is None or isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):
        number = float(value)
        if decimals is not None and math.isfinite(number):
            return f"{round(number, decimals):.{decimals}f}"
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, str):
        return json.dumps(value.strip(), ensure_ascii=False) if nested else value.strip()
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v, decimals, True) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v, decimals, True) for v in value) + "]"
    return repr(value)


def fingerprint(exercise: str, part: str, answer, decimals: int | None = None) -> str:
    """The SHA-256 (16 hex digits) of one part's answer, in canonical form.

    Example:
        >>> len(fingerprint("01.1", "n_traditional", 1))
        16
    """
    text = f"{exercise}|{part}|{canonical(answer, decimals)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Part:
    right: set[str] = field(default_factory=set)
    decimals: int | None = None
    wrong: dict[str, str] = field(default_factory=dict)  # fingerprint -> hint
    hint: str = ""  # the general hint; a part without one gets _general_hint()


@dataclass
class _Exercise:
    parts: dict[str, _Part] = field(default_factory=dict)
    correct: str = ""


@cache
def _exercises() -> dict[str, _Exercise]:
    with open(DATA_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    found: dict[str, _Exercise] = {}
    for row in rows:
        exercise = found.setdefault(row["exercise"], _Exercise())
        if row["kind"] == "correct":
            exercise.correct = row["message"]
            continue
        part = exercise.parts.setdefault(row["part"], _Part())
        if row["decimals"]:
            part.decimals = int(row["decimals"])
        if row["kind"] == "right":
            part.right.add(row["fingerprint"])
        elif row["kind"] == "wrong":
            part.wrong[row["fingerprint"]] = row["message"]
        elif row["kind"] == "hint":
            part.hint = row["message"]
    return found


def _candidates(answer, decimals: int | None) -> list:
    """The answer, and for a number also one unit up and down in the last decimal."""
    if decimals is None or isinstance(answer, bool) or not isinstance(answer, numbers.Number):
        return [answer]
    step = 10.0**-decimals
    return [answer, float(answer) - step, float(answer) + step]


def _judge(exercise: str, name: str, part: _Part, answer) -> str | None:
    """None when the part is right, else the hint to print."""
    if answer is None:
        return _still_none(name)
    tried = _candidates(answer, part.decimals)
    prints = {fingerprint(exercise, name, a, part.decimals) for a in tried}
    if prints & part.right:
        return None
    exact = fingerprint(exercise, name, answer, part.decimals)
    return part.wrong.get(exact) or part.hint or _general_hint()


#: Exercises checked by what the answer does, not by what it is: name -> checker.
#: A checker returns None when the answer is right, else the hint.
PROPERTY_CHECKS: dict[str, Callable] = {}


def _property(name: str):
    def register(function: Callable) -> Callable:
        PROPERTY_CHECKS[name] = function
        return function

    return register


def check(exercise: str, **answers) -> bool:
    """Print whether the answers to an exercise are right (with a hint if not); return it.

    Example:
        >>> check("01.1", longest_id=None, n_traditional=None)
        not yet: longest_id is still None; replace None with your answer
        False
    """
    if exercise in PROPERTY_CHECKS:
        hint, message = PROPERTY_CHECKS[exercise](**answers)
        print(message if hint is None else hint)
        return hint is None
    known = _exercises()
    if exercise not in known:
        names = ", ".join(sorted(known))
        raise ValueError(
            _say(
                f"no exercise {exercise!r}; the exercises are {names}.",
                f"没有练习 {exercise!r}；现有的练习是 {names}。",
            )
        )
    spec = known[exercise]
    unknown = set(answers) - set(spec.parts)
    missing = set(spec.parts) - set(answers)
    if unknown or missing:
        expected = ", ".join(spec.parts)
        given = ", ".join(answers) or _say("none", "无")
        raise TypeError(
            _say(
                f"exercise {exercise} takes the answers {expected}; got {given}.",
                f"练习 {exercise} 的答案参数是 {expected}；收到的是 {given}。",
            )
        )
    for name, part in spec.parts.items():
        hint = _judge(exercise, name, part, answers[name])
        if hint is not None:
            print(_in_language(hint))
            return False
    print(_in_language(spec.correct) if spec.correct else _say("correct", "正确"))
    return True


# --------------------------------------------------------------------------
# Exercises checked by what the answer does
# --------------------------------------------------------------------------

# Notebook 02, exercise 1: a rule for page controls on a site the cleaning rules never saw.
_CONTROL_LINES = [
    "【我要纠错】【打印本页】【关闭窗口】",
    "【打印本页】 【关闭窗口】",
    "【我要纠错】",
]
_REPORT_LINES = [
    "【典型案例】全年办理复议案件12件。",
    "【典型案例】",
    "一、主要工作",
    "我要纠错机制运行良好。",
    "【打印本页】后请关闭窗口。",
]


@_property("02.1")
def _control_rule(rule) -> tuple[str | None, str]:
    if not callable(rule):
        return _say(
            "not yet: is_control_line must be a function that takes a line",
            "还不对：is_control_line 必须是一个函数，参数是一行文本",
        ), ""
    missed = [line for line in _CONTROL_LINES if not rule(line)]
    removed = [line for line in _REPORT_LINES if rule(line)]
    if missed:
        return _say(
            f"not yet: these lines are page controls, but your rule keeps them: {missed}",
            f"还不对：这些行是页面功能按钮，但你的规则保留了它们：{missed}",
        ), ""
    if removed:
        return _say(
            f"not yet: these lines are report text, but your rule removes them: {removed}. "
            "A control line holds nothing but bracketed control words.",
            f"还不对：这些行是报告正文，但你的规则删除了它们：{removed}。"
            "功能按钮行只由括在【】中的功能词构成。",
        ), ""
    return None, _say(
        "correct: a rule by the shape of the whole line, which report text never has",
        "正确：这条规则看的是整行的形态，而报告正文从来不是这种形态",
    )


# Notebook 03, exercise 1: a term added to the vocabulary for one call.
@_property("03.1")
def _extra_term(tokens) -> tuple[str | None, str]:
    if tokens is None:
        return _still_none("tokens"), ""
    tokens = list(tokens)
    if "送法进企业" in tokens:
        if not all(isinstance(t, str) for t in tokens) or any(t in ("，", "。") for t in tokens):
            return _say(
                "not yet: tokens should be what helpers.segment returns: words only",
                "还不对：tokens 应当是 helpers.segment 返回的结果：只有词语",
            ), ""
        return None, _say(
            "correct: 送法进企业 is one token now, for this call only",
            "正确：送法进企业 现在是一个形符了，而且只在这一次调用中如此",
        )
    if any(re.fullmatch(r"送法进?", t) for t in tokens):
        return _say(
            "not yet: the term is still cut in two; look at the extra_terms option",
            "还不对：这个术语仍被切成了两段；看看 extra_terms 选项",
        ), ""
    return _say(
        "not yet: tokens should be the list helpers.segment returns for the sentence",
        "还不对：tokens 应当是 helpers.segment 对这个句子返回的列表",
    ), ""


# Notebook 06, exercise 1: its answer depends on the folders the workflow was given.
@_property("06.1")
def _top_province(top_province, reports, segment_options) -> tuple[str | None, str]:
    from . import groups

    table = groups.group_themes(reports, "province", **segment_options)
    disputes = table[table["theme"] == "disputes"].set_index("group")["mean_per_10k"]
    if top_province is None:
        return _still_none("top_province"), ""
    if top_province not in disputes.index:
        return _say(
            "not yet: the answer is one of the group labels of the table",
            "还不对：答案是表中某一组的标签",
        ), ""
    if disputes[top_province] < disputes.max():
        return _say(
            "not yet: sort the disputes rows by the mean rate, highest first",
            "还不对：把 disputes 的各行按平均比率从高到低排序",
        ), ""
    return None, _say(
        "correct: and count the reports behind it (the reports column) before you say anything "
        "about the province",
        "正确：在对这个省级行政区下任何结论之前，先数一数它背后有几份报告（reports 列）",
    )


def answer_parts(exercise: str) -> list[str]:
    """The names of an exercise's parts, in order (the keywords :func:`check` takes)."""
    return list(_exercises()[exercise].parts)


def known_exercises() -> Mapping[str, list[str]]:
    """Every exercise checked by fingerprint, with its parts; and those checked by property."""
    return {name: list(spec.parts) for name, spec in _exercises().items()} | {
        name: [] for name in PROPERTY_CHECKS
    }
