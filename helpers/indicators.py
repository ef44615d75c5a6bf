"""The figures a report states: reconsideration, litigation, normative documents …

Introduced in ``notebooks/04_cross_report_comparison.ipynb``.

:func:`extract_indicators` reads a cleaned report paragraph by paragraph and
sentence by sentence, and decides for every number with a unit (154件, 95.92%,
两次, 近三成) whether it is one of the figures of :func:`indicator_scheme`
(59 indicators named procedure_measure, e.g. ``reconsideration_received``).
The rules are data, one row per indicator, in ``helpers/data/indicator_rules.csv``;
the words that name a procedure are in ``helpers/data/indicator_procedures.csv``.
For each number:

1. **Which procedure?** The one named nearest the number ("收到行政复议申请154件";
   "行政复议决定被法院判决撤销2件" is about the court's judgment), else the
   sentence's subject, else the one named last in the paragraph
   ("2.认真做好行政应诉工作。…审结案件中，驳回诉讼请求30件"). Two named side by
   side ("行政复议、诉讼案件72件") leave it open, and the figure is left out;
   a procedure that is not ours (信访, 法律援助, 人民调解 …) blocks it.
2. **Which measure?** Of that procedure's rules whose unit the number has,
   the one whose cue stands nearest it: in the words just before it
   ("受理112件"), just after it ("16件规范性文件的备案审查", "有141件…出庭应诉"),
   or across a few words ("合法性审查政策性文件54件"); a noun such as 案件
   or 申请 counts only when no verb does. A cue after 不予 or 拟 is denied or
   only proposed; a change ("同比增加12件"), a letter ("督促函92件") or a cue
   too far away makes no figure; a rate "占…的N%" after a count is that
   count's rate; lawsuits named with 一审 or 二审 are counted by instance.
3. **Not a figure at all:** a list number glued to the text ("5市政府…"), a
   Chinese numeral inside a word (统一, 第一, 唯一), a number after 第 or inside
   quotes ("“三项制度”"), a duration (5个工作日), a target (力争, 确保 …), and
   anything in a plans section (:func:`helpers.compare.tag_paragraphs`).

Every figure keeps its ``sentence``, and a ``note`` says where definitions
differ between reports: the instance, cases carried over, direct or all
corrections, and for a rate which stated counts reproduce it (Huinong's 40.7%
is 11 / 27, and the 27 include 11 suits withdrawn before trial). ``part``
marks a figure that is only part of a total (one field, one mechanism, one
item of a list, a subset after 其中): :func:`indicator_table` skips those.

The rules were written on the five seed reports; ``tests/data/seed_figures.csv``
is a hand-read list of every figure in them, and the tests measure recall and
precision against it. On reports the rules were not written for, expect less:
read the ``sentence`` column before you use a figure.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from . import cache as _cache
from . import clean
from .clean import sentences
from .corpus import Docs, as_docs
from .parallel import map_reports

# Fingerprint this module's code now, as it is loaded (see helpers.cache.source_version).
_cache.source_version(sys.modules[__name__])

__all__ = [
    "INDICATORS",
    "extract_indicators",
    "first_figures",
    "indicator_scheme",
    "indicator_table",
    "load_rules",
    "parse_number",
]

DATA = Path(__file__).parent / "data"
RULES_FILE = DATA / "indicator_rules.csv"
PROCEDURES_FILE = DATA / "indicator_procedures.csv"


@dataclass(frozen=True)
class Rule:
    """One row of ``helpers/data/indicator_rules.csv``: how one indicator is recognised."""

    indicator: str
    procedure: str
    kind: str  # "count" or "rate"
    units: frozenset[str]
    before: re.Pattern | None  # a cue in the words just before the number
    after: re.Pattern | None  # a cue in the words just after the unit
    fallback: re.Pattern | None  # a noun cue (案件, 申请), used when no other cue stands near
    rate_of: str  # for a rate: the count it is the rate of
    denominators: tuple[str, ...]  # for a rate: the counts it may be divided by
    english: str
    chinese: str


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _pattern(text: str) -> re.Pattern | None:
    return re.compile(text) if text else None


def load_rules() -> list[Rule]:
    """The indicator rules, read from ``helpers/data/indicator_rules.csv``.

    The module reads them once, when it is imported: after editing the file, restart
    the kernel (or ``importlib.reload(helpers.indicators)``) to use the new rules.
    """
    return [
        Rule(
            indicator=row["indicator"],
            procedure=row["procedure"],
            kind=row["kind"],
            units=frozenset(row["units"].split("|")),
            before=_pattern(row["before"]),
            after=_pattern(row["after"]),
            fallback=_pattern(row["fallback"]),
            rate_of=row["rate_of"],
            denominators=tuple(filter(None, row["denominators"].split("|"))),
            english=row["english"],
            chinese=row["chinese"],
        )
        for row in _rows(RULES_FILE)
    ]


_RULES = load_rules()
_PROCEDURES = {row["cue"]: row["procedure"] for row in _rows(PROCEDURES_FILE)}
_PROCEDURE_RE = re.compile("|".join(sorted(map(re.escape, _PROCEDURES), key=len, reverse=True)))

#: indicator name -> English description, in the order of the rules.
INDICATORS = {rule.indicator: rule.english for rule in _RULES}


def indicator_scheme() -> pd.DataFrame:
    """The indicators, one row each: procedure, kind, units, cues and glosses.

    Example:
        >>> scheme = indicator_scheme()
        >>> scheme.loc["litigation_loss_rate", ["procedure", "kind", "chinese"]].tolist()
        ['litigation', 'rate', '败诉率']
    """
    rows = [
        {
            "indicator": rule.indicator,
            "procedure": rule.procedure,
            "kind": rule.kind,
            "units": "|".join(sorted(rule.units)),
            "before": rule.before.pattern if rule.before else "",
            "after": rule.after.pattern if rule.after else "",
            "fallback": rule.fallback.pattern if rule.fallback else "",
            "chinese": rule.chinese,
            "english": rule.english,
        }
        for rule in _RULES
    ]
    return pd.DataFrame(rows).set_index("indicator")


_CN_DIGITS = "〇零一二两三四五六七八九"
_CN_NUMERAL = _CN_DIGITS + "十百千万"  # what a Chinese numeral in a figure is written with
#: The longest Chinese numeral a figure may have, in characters. 一千二百三十四万五千六百七十八
#: has 15; a longer run of numerals is not a count (and a bound keeps the scan linear).
MAX_NUMERAL_CHARS = 20
#: The largest number a figure may state: 10^12. No count comes near it (China has 1.4 × 10^9
#: people, and amounts are written with 万 or 亿 as the unit, so their numeral stays small);
#: beyond it a run of digits is a code or garbage (5,000 nines were float("inf")).
MAX_VALUE = 10**12
# A number as reports write it: 154, 1,234, 95.92, 1.2万, and its unit. Not the
# middle of another number, nor a list number glued to the text ("5市政府…").
_ARABIC = r"(?<![\d.,A-Za-z“第])(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# A Chinese numeral (十二件, 两次, 近三成, 一万二千人), but never inside a word: 统一, 第一,
# 唯一, 同一, 逐一 … ("统一项目" is not "1 project"). It starts where a run of numerals
# starts (so a long run is read once, not again from each of its characters), does not
# start with 万, and has at most MAX_NUMERAL_CHARS characters.
_CHINESE = (
    rf"(?<![第统唯同之单逐划均专每某万任“\d.{_CN_NUMERAL}])"  # 3千余: not "千" = 1000
    rf"(?P<c>[{_CN_DIGITS}十百千][{_CN_NUMERAL}]{{0,{MAX_NUMERAL_CHARS - 1}}})"
)
_UNITS = (
    "场次|人次|件次|%|％|成|亿元|万元|元|"
    "件|起|份|项|个|名|位|人|次|期|场|本|卷|条|家|所|部|堂|宗|轮|张"
)
_NUMBER_RE = re.compile(
    rf"(?P<written>(?:{_ARABIC}|{_CHINESE})(?P<wan>万)?(?P<more>余|多)?)(?P<unit>{_UNITS})"
    r"(?!工作日|个?月|日|天|小时|年|周|季度|百分点|方面|领域)"
)
_SEPARATORS = "，；。：、（）()！？"
_CLAUSE_SEPARATORS = "，；。：！？"
_SHARE_RE = re.compile(r"占[^，；。]{0,14}?的?$")

_DIGIT_VALUES = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}


def _checked(value: float, text: str) -> float:
    """``value`` if it is a plausible figure (finite, at most MAX_VALUE); else ValueError."""
    if not math.isfinite(value) or value > MAX_VALUE:
        raise ValueError(f"not a plausible figure (above 10^12): {text[:40]!r}")
    return value


def _parse_chinese(text: str) -> int:
    """A Chinese numeral's value, read in one pass; ValueError if it is not well formed.

    The rules: a digit (一 … 九, 两 = 2, 零 = 〇 = 0) counts the unit after it (十 百
    千 within a group of four, then 万 and 亿 for the groups); 十, 百 or 千 alone stands
    for 一十, 一百, 一千 (十二 = 12, 百余 = 100); 零 only marks a gap (一千零五 = 1005);
    a last digit right after a unit counts the next unit down, as people say it
    (三千五 = 3500, 一万二 = 12,000, 十五 = 15). Units inside a group must fall
    (千 before 百 before 十), and so must the groups (亿 before 万). Digits without
    units are read one by one only when one is a zero (二〇二三 = 2023): 三五 ("three
    or five") is no number.

    Example:
        >>> [_parse_chinese(t) for t in ["十", "十二", "两百", "一千零五", "三千五", "百"]]
        [10, 12, 200, 1005, 3500, 100]
        >>> _parse_chinese("一千二百三十四万五千六百七十八")
        12345678
        >>> _parse_chinese("三五")
        Traceback (most recent call last):
        ...
        ValueError: not a number: '三五' (digits in a row)
    """
    if not text:
        raise ValueError("not a number: ''")
    if all(ch in _DIGIT_VALUES for ch in text):
        if len(text) > 1 and not any(ch in "〇零" for ch in text):
            raise ValueError(f"not a number: {text!r} (digits in a row)")
        return int("".join(str(_DIGIT_VALUES[ch]) for ch in text))
    total = 0  # the groups closed by 亿
    group = 0  # the group closed by 万 (the part between 亿 and 万)
    section = 0  # the part below 万 read so far
    digit: int | None = None  # a digit waiting for its unit
    small = 10**4  # the last of 十百千 in this section (units must fall)
    wan = False  # 万 read since the last 亿
    after_unit = 0  # the unit just before the waiting digit (0: there was a 零 or nothing)
    for ch in text:
        if ch in _DIGIT_VALUES:
            value = _DIGIT_VALUES[ch]
            if value == 0:
                after_unit = 0  # 零 marks a gap: 一千零五
            elif digit is not None:
                raise ValueError(f"not a number: {text!r} (digits in a row)")
            else:
                digit = value
            continue
        if ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= small:
                raise ValueError(f"not a number: {text!r} ({ch} after a smaller unit)")
            section += (1 if digit is None else digit) * unit
            small = unit
        elif ch in _BIG_UNITS:
            unit = _BIG_UNITS[ch]
            amount = section + (digit or 0)
            if ch == "万" and wan:
                raise ValueError(f"not a number: {text!r} (万 twice)")
            if not amount + (group if ch == "亿" else 0):
                raise ValueError(f"not a number: {text!r} ({ch} without a number before it)")
            if ch == "万":
                group, wan = amount * unit, True
            else:
                total, group, wan = (total + group + amount) * unit, 0, False
            section, small = 0, 10**4
        else:
            raise ValueError(f"not a number: {text!r}")
        digit, after_unit = None, unit
    if digit is not None:
        section += digit * (after_unit // 10 if after_unit >= 100 else 1)
    return total + group + section


def parse_number(text: str) -> float:
    """A number written with digits or Chinese numerals; ValueError if it is none.

    Arabic: 154, 1,234, 95.92, 1.2万. Chinese: see :func:`_parse_chinese` (十二,
    两百零五, 一千二百三十四万). A value above :data:`MAX_VALUE` (10^12), or one that
    is not finite, is refused with ValueError: it cannot be a figure.

    Example:
        >>> [parse_number(t) for t in ["154", "1,234", "95.92", "1.2万"]]
        [154.0, 1234.0, 95.92, 12000.0]
        >>> [parse_number(t) for t in ["十二", "两百零五", "三万", "十", "百"]]
        [12.0, 205.0, 30000.0, 10.0, 100.0]
        >>> parse_number("9" * 5000)
        Traceback (most recent call last):
        ...
        ValueError: not a plausible figure (above 10^12): '9999999999999999999999999999999999999999'
    """
    plain = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?万?", plain):
        if len(plain) > 40:  # too long to be a figure; float() would take it as inf or round it
            return _checked(math.inf, text)
        value = float(plain.removesuffix("万")) * (10_000 if plain.endswith("万") else 1)
        return _checked(value, text)
    return _checked(float(_parse_chinese(text)), text)


_FIGURE_COLUMNS = [
    "indicator", "value", "unit", "approx", "text", "sentence", "position", "note", "part",
]  # fmt: skip


def extract_indicators(text: str | Docs, *, n_jobs: int | None = None) -> pd.DataFrame:
    """The figures a cleaned report states, one row each, in the order of the text.

    ``text`` is one report's text, or several reports (any form of
    :func:`helpers.corpus.as_docs`); then the table starts with an ``id``
    column, report after report (``n_jobs``: see :mod:`helpers.parallel`).
    Results are cached like segmentations, keyed by the text and the rules' code.

    Columns: ``indicator`` (procedure_measure, e.g. ``reconsideration_received``),
    ``value`` (a float; percentages as numbers: 95.92), ``unit`` (件, %, …),
    ``approx`` (True for "约100件", "120余件"),
    ``text`` (the figure as written, a substring of ``sentence``),
    ``sentence`` (a substring of the text) and ``position`` (offset of the figure).

    Example:
        >>> report = "全年收到行政复议申请154件，办结148件。行政诉讼败诉率10.48%。"
        >>> extract_indicators(report)[["indicator", "value", "unit", "text"]]
                           indicator   value unit    text
        0   reconsideration_received  154.00    件     154
        1  reconsideration_concluded  148.00    件     148
        2       litigation_loss_rate   10.48    %  10.48%
    """
    if isinstance(text, str):
        return pd.DataFrame(_cached_figures(text), columns=_FIGURE_COLUMNS)
    docs = as_docs(text)
    found = map_reports(_cached_figures, list(docs.values()), n_jobs=n_jobs, desc="figures")
    rows = [
        {"id": label, **row} for label, figures in zip(docs, found, strict=True) for row in figures
    ]
    return pd.DataFrame(rows, columns=["id", *_FIGURE_COLUMNS])


_memo = _cache.Memo(maxsize=256, size=len, max_size=50_000)  # figures (rows) in all


@cache
def _rules_version() -> str:
    """What the figures depend on: this code, its rule files, the sentence splitter and tagger."""
    from . import compare

    files = "".join(path.read_text(encoding="utf-8") for path in (RULES_FILE, PROCEDURES_FILE))
    modules = (sys.modules[__name__], clean, compare)
    return _cache.key("rules", files, *(_cache.source_version(module) for module in modules))


def _cached_figures(text: str) -> list[dict]:
    """:func:`_figures`, from the cache when the same text was read by the same rules."""
    if not isinstance(text, str):
        raise TypeError(f"a report's text must be a string; got {type(text).__name__}.")
    entry = _cache.key("figures", _rules_version(), text)
    found = _memo.get(entry)
    if found is None:
        body = _cache.read_entry("figures", entry)
        found = json.loads(body) if body is not None else None
    if found is None:
        found = _figures(text)
        _cache.write_entry("figures", entry, json.dumps(found, ensure_ascii=False))
    _memo.put(entry, found)
    return found


@dataclass
class _Number:
    """A number with its unit in a sentence: where it is, and what it says."""

    start: int  # of the number
    end: int  # of the unit
    value: float
    unit: str
    approx: bool
    text: str  # as written, without the unit (with it for a percentage)


def _numbers(sentence: str) -> list[_Number]:
    """Every number with a unit in a sentence, in order."""
    found = []
    for match in _NUMBER_RE.finditer(sentence):
        unit, written = match["unit"], match["written"]
        if match["c"] == "一" and unit in ("个", "项", "件", "名", "位", "份", "家"):
            continue  # 一个, 一项: "a", "one such", rarely a figure
        if match["n"] and unit == "成":
            continue
        try:
            value = parse_number((match["n"] or match["c"]) + (match["wan"] or ""))
        except ValueError:
            continue  # no figure: 三五件 ("three or five"), a code of 20 digits, 一十百件 …
        if unit in ("%", "％", "成"):
            written += unit
            value, unit = (value * 10 if unit == "成" else value), "%"  # 三成: three tenths
        elif unit in ("万元", "亿元"):
            value, unit = value * (10_000 if unit == "万元" else 100_000_000), "元"
        start = match.start()
        approx = bool(match["more"]) or bool(re.search(r"(?:约|近|逾|超过)$", sentence[:start]))
        found.append(_Number(start, match.end(), value, unit, approx, written))
    return found


def _named(window: str) -> list[tuple[int, int, str]]:
    """The procedures a stretch of text names: (start, end, procedure) of each cue."""
    return [(m.start(), m.end(), _PROCEDURES[m.group()]) for m in _PROCEDURE_RE.finditer(window)]


def _procedure_of(window: str, context: str | None, *, last: bool = True) -> str | None:
    """The procedure a figure's words are about: the one named nearest the number.

    That is the last one named in words before the number (``last``), the first
    in words after it, and for the rest of a sentence, its subject, the first
    (``last=False``). Else the context's. Two procedures named side by side
    ("行政复议、诉讼案件72件") leave it open (None): such a figure is counted for neither.
    """
    named = _named(window)
    if not named:
        return context
    for (_, end, procedure), (start, _, other) in itertools.pairwise(named):
        if procedure != other and window[end:start] in ("、", "和", "及", "与", "以及", "或"):
            return None  # coordinate: "复议、诉讼"
    return named[-1][2] if last else named[0][2]


def _cue(pattern: re.Pattern | None, words: str, *, last: bool) -> re.Match | None:
    if pattern is None:
        return None
    matches = list(pattern.finditer(words))
    if not matches:
        return None
    return matches[-1] if last else matches[0]


def _unbracket(words: str) -> str:
    """The words without what stands in brackets: "继续有效（含拟修改）" → "继续有效"."""
    return re.sub(r"（[^（）]*）|\([^()]*\)", "", words)


@dataclass
class _Previous:
    """The figure before this one in the sentence, for lists ("审查9项…、5份…、3项…")."""

    end: int = 0
    rule: Rule | None = None
    procedure: str | None = None
    clause_start: int = -1


def _windows(sentence: str, number: _Number, previous: _Previous):
    """The stretches of words that may hold a figure's cue, nearest first."""
    start = number.start
    clause_start = max(sentence.rfind(ch, 0, start) for ch in _CLAUSE_SEPARATORS) + 1
    near_start = max(sentence.rfind(ch, 0, start) for ch in _SEPARATORS) + 1
    since = max(previous.end, 0)

    def ahead(separators: str) -> str:
        stops = [i for i in (sentence.find(ch, number.end) for ch in separators) if i >= 0]
        return sentence[number.end : min(stops, default=len(sentence))]

    return clause_start, [
        (_unbracket(sentence[max(near_start, since) : start]), "before"),
        (ahead(_SEPARATORS), "after"),
        (_unbracket(sentence[max(clause_start, since) : start]), "before"),
        (ahead(_CLAUSE_SEPARATORS), "after"),
        # a rate may stand a clause away from its name: "出庭应诉率在全省领先，达到了95.92%"
        (_unbracket(sentence[since:start]) if number.unit == "%" else "", "before"),
    ]


# Procedures whose figures count work done in other procedures' cases: a legal
# adviser "代理诉讼、参与行政复议案件26件" is the advisers' work, not a reconsideration count.
_ACTORS = {"legal_advisers"}


def _kind(number: _Number) -> str:
    return {"%": "rate", "元": "amount"}.get(number.unit, "count")


# A number in a clause with these words is a target or a plan, not a result.
_PLAN_RE = re.compile(r"力争|确保|争取|目标|(?<!按)计划|预计|力求|不低于|不少于")
# A clause that only says "reaching" or "in all" after a change: its cue is earlier.
_TOTAL_RE = re.compile(r"(?:达到|达|共计|总计|合计|累计|共|总数为?|总量为?)")
# A change inside a clause, taken out before looking for the cue of a level after it.
_CHANGE_PART_RE = re.compile(
    r"(?:同比|较上年|比上年)?(?:增加|增长|减少|下降|上升|提高|降低)[^，；。]*"
)


def _classify(sentence: str, number: _Number, previous: _Previous, context: str | None):
    """(rule, procedure) that give this number its indicator; (None, procedure) if none does."""
    kind = _kind(number)
    clause_start, windows = _windows(sentence, number, previous)
    near_after = windows[1][0]
    clause = sentence[max(clause_start, previous.end) : number.start]
    if _PLAN_RE.search(sentence[clause_start : number.start]):
        return None, None  # "力争…出庭应诉率达到100%": a target
    if kind == "count" and _TOTAL_RE.fullmatch(clause.strip()):
        # "申请量同比增长30%，达到412件": the level's cue is before the change
        earlier = _CHANGE_PART_RE.sub("", _unbracket(sentence[:clause_start]))
        windows = [(earlier, "before"), *windows]
    if previous.procedure and previous.clause_start == clause_start:
        context = previous.procedure  # a list goes on about the same procedure
    else:
        context = _procedure_of(sentence[:clause_start], context, last=False) or context
    clause_words = windows[2][0]
    if _named(clause_words) and _procedure_of(clause_words, None) is None:
        return None, None  # "涉及行政复议、诉讼案件72件": whose figure? neither
    seen = None
    object_named = _procedure_of(near_after, None, last=False)  # "审结的147件行政案件"
    for cues in ("strong", "fallback"):
        for words, side in windows:
            if not words or (cues == "fallback" and side == "after"):
                continue
            procedure = _procedure_of(words, object_named or context, last=side == "before")
            if procedure is None or procedure.startswith("other:"):
                continue
            seen = seen or procedure
            candidates = [procedure] + (
                [context] if context in _ACTORS and context != procedure else []
            )
            for wanted in candidates:
                found = _nearest_rule(wanted, kind, number.unit, words, side, cues)
                if found is _CHANGE:
                    return None, wanted
                if found is not None:
                    return _refined(found, sentence, clause_start, number), wanted
    between = sentence[previous.end : number.start]
    if (
        previous.rule is not None
        and previous.clause_start == clause_start
        and re.fullmatch(r"[^，；。：]{0,14}、", between)
        and previous.rule.kind == kind
        and number.unit in previous.rule.units
    ):
        return previous.rule, previous.procedure  # "审查9项行政措施、5份行政协议": the same verb
    if kind == "rate" and previous.rule is not None and _SHARE_RE.search(clause):
        for rule in _RULES:  # "审结…件，占受理案件总数的94.68%": the rate of that count
            if rule.rate_of == previous.rule.indicator:
                return rule, rule.procedure
    return None, seen


_RULE_OF = {rule.indicator: rule for rule in _RULES}


def _refined(rule: Rule, sentence: str, clause_start: int, number: _Number) -> Rule:
    """Lawsuits named with their instance are counted as first- or second-instance cases."""
    if rule.indicator != "litigation_cases":
        return rule
    instance = re.findall(r"[一二]审", sentence[clause_start : number.start])
    if instance:
        return _RULE_OF["litigation_first_instance" if instance[-1] == "一审" else
                        "litigation_second_instance"]  # fmt: skip
    return rule


# Words between a cue and its number that make the number something else: a change
# ("同比增加12件"), a plan or requirement, a document about the matter (督促函), an
# extension.
_BARRIER_RE = re.compile(
    r"同比|增加|减少|增长|下降|提高|降低|提升|上升|较上年|比上年|计划|方面|提出|涉及|要求|目标"
    r"|延长|注销|换发|函|通知|督促|提醒"
)
_MAX_GAP = 32  # characters between a cue and its number, at most ("收到行政复议申请154件": 6)
# After a number, the words up to its cue describe what is counted, so only a
# change counts as a barrier there; and "…审查情况" counts situations, not documents.
_AFTER_BARRIER_RE = re.compile(r"同比|增加|减少|增长|下降|提高|降低|较上年|比上年")
# A cue just after these words is denied or only planned: "不予受理21件", "拟废止38件".
_NEGATED_RE = re.compile(r"(?:不予|未予?|拟|尚未|暂未|待)$")
_CHANGE = object()  # the nearest cue stands before a change: the number is no level


def _nearest_rule(
    procedure: str, kind: str, unit: str, words: str, side: str, cues: str
) -> Rule | object | None:
    """The rule whose cue stands nearest the number (ties: the file's order); or None.

    Returns ``_CHANGE`` when the nearest cue is separated from the number by a change or a
    document word ("收到申请同比增加12件"): then the number is not a figure at all.
    """
    best = None  # (distance, order, rule, barrier)
    for order, rule in enumerate(_RULES):
        if rule.procedure != procedure or rule.kind != kind or unit not in rule.units:
            continue
        pattern = rule.fallback if cues == "fallback" else (
            rule.before if side == "before" else rule.after
        )  # fmt: skip
        if pattern is None:
            continue
        matches = [m for m in pattern.finditer(words) if not _NEGATED_RE.search(words[: m.start()])]
        if not matches:
            continue
        if side == "before":
            cue = matches[-1]
            gap = words[cue.end() :]
            barrier = len(gap) > _MAX_GAP or bool(_BARRIER_RE.search(gap))
        else:
            cue = matches[0]
            gap = words[: cue.start()]
            barrier = bool(_AFTER_BARRIER_RE.search(gap)) or "情况" in words[cue.end() :]
        candidate = (len(gap), order, rule, barrier)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    if best is None:
        return None
    return _CHANGE if best[3] else best[2]


def _figures(text: str) -> list[dict]:
    """One report's figures as rows, in the order of the text (the work behind the table)."""
    from .compare import tag_paragraphs

    rows = []
    cursor = 0
    parts = tag_paragraphs(text)
    for paragraph, part in zip(parts["text"], parts["part"], strict=True):
        context = None  # the procedure this paragraph has named last
        for sentence in sentences(paragraph):
            offset = text.find(sentence, cursor)
            cursor = offset + len(sentence)
            previous = _Previous()
            found: list[dict] = []
            for number in _numbers(sentence):
                rule, procedure = None, None
                if part != "plans":  # plans state targets, not results
                    rule, procedure = _classify(sentence, number, previous, context)
                clause_start = max(sentence.rfind(ch, 0, number.start) for ch in _CLAUSE_SEPARATORS)
                previous = _Previous(number.end, rule, procedure, clause_start + 1)
                if rule is None:
                    continue
                note, is_part = _scope_note(rule, sentence, number)
                found.append(
                    {
                        "indicator": rule.indicator,
                        "value": number.value,
                        "unit": number.unit,
                        "approx": number.approx,
                        "text": number.text,
                        "sentence": sentence,
                        "position": offset + number.start,
                        "note": note,
                        "part": is_part,
                    }
                )
            _mark_lists(found, sentence, offset)
            rows.extend(found)
            named = [procedure for _, _, procedure in _named(sentence)]
            ours = [procedure for procedure in named if not procedure.startswith("other:")]
            if named:  # a passing mention of another body (市纪委) does not change the subject
                context = (ours or named)[-1]
    _check_rates(rows)
    return sorted(rows, key=lambda row: row["position"])


_INSTANCE_NOTES = {
    "两级法院": "courts at two levels: instance unclear",
    "一审": "first instance",
    "二审": "second instance",
}


def _scope_note(rule: Rule, sentence: str, number: _Number) -> tuple[str, bool]:
    """What a figure covers where reports differ, and whether it is only a part of a total.

    Notes: the instance of a lawsuit count (from the instance word nearest before
    it), cases carried over, direct or all corrections; parts: one field (卫生健康
    领域案件86件), one mechanism ("首违不罚"机制…93起), one kind of case (违规培训15起).
    """
    notes, part = [], False
    before = sentence[: number.start]
    clause = before[max(before.rfind(ch) for ch in _CLAUSE_SEPARATORS) + 1 :]
    if rule.procedure == "litigation" and rule.kind == "count":
        instance = re.findall(r"两级法院|[一二]审", before)
        if instance:
            notes.append(_INSTANCE_NOTES[instance[-1]])
        elif rule.indicator == "litigation_cases":
            notes.append("instance not stated")
    if rule.indicator == "reconsideration_correction_rate":
        if "直接纠错" in clause:
            notes.append("direct corrections only (直接纠错)")
        elif "综合纠错" in clause:
            notes.append("corrections of every kind (综合纠错)")
    after = sentence[number.end : number.end + 12]
    if re.match(r"[（(]含[^）)]*结转", after):
        notes.append("includes cases carried over from the previous year")
    field = re.search(r"([\u4e00-\u9fff]{2,4})领域[^，、；。]{0,4}$", before)
    if field:
        notes.append(f"one field only: {field.group(1)}领域")
        part = True
    elif "机制" in clause:
        notes.append("one mechanism only")
        part = True
    elif rule.indicator == "enforcement_cases" and "案件" not in clause + after[:8]:
        notes.append("one kind of case only")
        part = True
    return "; ".join(notes), part


def _mark_lists(rows: list[dict], sentence: str, offset: int) -> None:
    """Figures of one indicator listed together, or "其中" after a total, are parts."""
    for earlier, later in itertools.combinations(rows, 2):
        if earlier["indicator"] != later["indicator"]:
            continue
        between = sentence[
            earlier["position"] - offset + len(earlier["text"]) : later["position"] - offset
        ]
        if "其中" in between:
            later["part"] = True
            later["note"] = "; ".join(
                filter(None, [later["note"], f"part of the {earlier['text']} above"])
            )
        elif len(between) <= 20 and re.search(r"[、，]", between):
            for row in (earlier, later):
                if "one item of a list" not in row["note"]:
                    row["part"] = True
                    row["note"] = "; ".join(filter(None, [row["note"], "one item of a list"]))


def _included(rows: list[dict], found: list[str]) -> str:
    """Cases counted in a lawsuits denominator that never came before a judge."""
    if not any("(litigation_cases)" in pair for pair in found):
        return ""
    parts = [
        f"{row['value']:g} {name}"
        for name in ("withdrawn", "pending")
        for row in rows
        if row["indicator"] == f"litigation_{name}"
    ]
    return f"; the cases include {' and '.join(parts)}" if parts else ""


def _check_rates(rows: list[dict]) -> None:
    """Say of each rate which stated counts reproduce it, or that none does."""
    rules = {rule.indicator: rule for rule in _RULES}
    for row in rows:
        rule = rules[row["indicator"]]
        if rule.kind != "rate" or not rule.rate_of:
            continue
        numerators = [r["value"] for r in rows if r["indicator"] == rule.rate_of]
        pairs = [(r["indicator"], r["value"]) for r in rows if r["indicator"] in rule.denominators]
        decimals = len(row["text"].rstrip("%").partition(".")[2])
        found = [
            f"{n:g} / {d:g} ({name})"
            for n in numerators
            for name, d in pairs
            if d and round(n / d * 100, decimals) == row["value"]
        ]
        share = re.search(r"占([^，；。]{1,14}?)的?[\d.]+%", row["sentence"])
        if found:
            note = "= " + " or ".join(found) + _included(rows, found)
        elif share:
            note = f"a share of {share.group(1)}"
        elif numerators and pairs:
            note = "no stated count reproduces it"
        else:
            note = "its denominator is not stated"
        row["note"] = "; ".join(filter(None, [row["note"], note]))


def first_figures(figures: list[dict]) -> dict[str, float]:
    """Indicator -> the first value a report states, from its extracted figures (in text order).

    The rule of :func:`indicator_table`: where a report states a figure twice
    (a summary, then a detail), the first statement is the one kept; a figure
    marked as a ``part`` (one field, one mechanism, one kind of case, an item of
    a list, a subset after 其中) is not the report's total, and is not kept.

    Example:
        >>> part = {"indicator": "a", "value": 1.0, "part": True}
        >>> first_figures([part, {"indicator": "a", "value": 2.0}])
        {'a': 2.0}
    """
    first: dict[str, float] = {}
    for row in figures:
        if not row.get("part"):  # a part (one field, one list item …) is not the total
            first.setdefault(row["indicator"], row["value"])
    return first


def indicator_table(docs: Docs, *, n_jobs: int | None = None) -> pd.DataFrame:
    """Report × indicator: the first value each report states; NaN where it states none.

    Indexed by ``id``; columns follow :data:`INDICATORS`; indicators no report
    states are dropped. :func:`extract_indicators` gives each figure with its sentence.
    """
    docs = as_docs(docs)
    found = map_reports(_cached_figures, list(docs.values()), n_jobs=n_jobs, desc="figures")
    values = {label: first_figures(figures) for label, figures in zip(docs, found, strict=True)}
    table = pd.DataFrame.from_dict(values, orient="index", columns=list(INDICATORS), dtype=float)
    table = table.dropna(axis=1, how="all")
    table.index.name, table.columns.name = "id", "indicator"
    return table
