"""The figures a report states: reconsideration, litigation, normative documents …

Introduced in ``notebooks/04_cross_report_comparison.ipynb``.

:func:`extract_indicators` reads a cleaned report sentence by sentence and
picks out figures by rules. A rule names a procedure and a measure (e.g.
``reconsideration_received``): it matches a measure word followed closely by
a number ("收到行政复议申请154件"), and it counts only where the sentence is
about that procedure. A figure whose clause names two procedures at once
("行政复议、诉讼案件72件") is left out rather than given to either. A figure a
report does not state stays missing (NaN), never 0.

Extraction by rules is transparent but partial: read the ``sentence`` column
before you use a figure.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass

import pandas as pd

from . import cache as _cache
from . import clean
from .clean import sentences
from .corpus import Docs, as_docs
from .parallel import map_reports

# Fingerprint this module's code now, as it is loaded (see helpers.cache.source_version).
_cache.source_version(sys.modules[__name__])

__all__ = ["INDICATORS", "extract_indicators", "first_figures", "indicator_table", "parse_number"]

# Words that say which procedure a sentence is about, longest first.
_TRIGGERS = {
    "行政复议": "reconsideration",
    "复议": "reconsideration",
    "行政诉讼": "litigation",
    "行政应诉": "litigation",
    "行政案件": "litigation",
    "诉讼案件": "litigation",
    "出庭应诉": "litigation",
    "规范性文件": "normative_documents",
    "重大行政决策": "major_decisions",
    "法律顾问": "legal_advisers",
    "合法性审查": "legality_review",
    "行政执法案件": "enforcement",
    "起诉": "litigation",
    # Not our procedures, but named so that their figures are never taken for ours:
    "治安行政案件": "police",
    "刑事案件": "criminal",
    "民事案件": "civil",
}
_TRIGGER_RE = re.compile("|".join(sorted(_TRIGGERS, key=len, reverse=True)))

_CN_DIGITS = "零一二两三四五六七八九"
# A number as reports write it: 154, 1,234, 95.92, 1.2万, 十二; "120余件" is approximate.
# It may not start in the middle of another number.
_NUMBER = (
    r"(?<![\d.,])(?P<n>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?万?"
    rf"|[{_CN_DIGITS}十百千]+万?)(?P<more>余|多)?"
)
# A count's unit, but not a duration ("5个工作日", "30天").
_COUNT_UNIT = r"(?P<unit>件|起|份|项|个|名|位)(?!工作日|个?月|日|天|小时)"
_RATE_UNIT = r"(?P<unit>%|％)"
_GAP = r"(?P<gap>[^，；。]{0,12}?)"
_RATE_GAP = r"(?P<gap>[^；。]{0,15}?)"
# A gap with these words describes a change, not a level ("同比增加12件", "提高15%").
_CHANGE_RE = re.compile(r"同比|增加|减少|增长|下降|提高|降低|提升|上升")


@dataclass(frozen=True)
class _Rule:
    procedure: str
    measure: str
    pattern: re.Pattern
    english: str
    needs_context: bool = True  # False: the pattern itself names the procedure


def _rule(procedure, measure, pattern, english, needs_context=True) -> _Rule:
    return _Rule(procedure, measure, re.compile(pattern), english, needs_context)


_RULES = [
    _rule("reconsideration", "received", rf"(?:收到|新收){_GAP}{_NUMBER}{_COUNT_UNIT}",
          "applications for administrative reconsideration received"),
    _rule("reconsideration", "accepted", rf"受理{_GAP}{_NUMBER}{_COUNT_UNIT}",
          "reconsideration cases accepted"),
    _rule("reconsideration", "concluded", rf"(?:审结|办结){_GAP}{_NUMBER}{_COUNT_UNIT}",
          "reconsideration cases concluded"),
    _rule("reconsideration", "corrected", rf"纠错{_NUMBER}{_COUNT_UNIT}",
          "decisions corrected on reconsideration"),
    _rule("reconsideration", "correction_rate", rf"纠错率{_RATE_GAP}{_NUMBER}{_RATE_UNIT}",
          "share of reconsideration decisions that corrected the agency (%)"),
    _rule("litigation", "cases",
          rf"(?:案件共有|案件共|受理[^，；。]{{0,8}}?案件){_NUMBER}(?P<unit>件|起)",
          "administrative lawsuits against the government"),
    _rule("litigation", "concluded", rf"审结{_NUMBER}{_COUNT_UNIT}",
          "administrative lawsuits concluded"),
    _rule("litigation", "losses", rf"败诉{_NUMBER}{_COUNT_UNIT}",
          "lawsuits the government lost"),
    _rule("litigation", "loss_rate", rf"败诉率{_RATE_GAP}{_NUMBER}{_RATE_UNIT}",
          "share of lawsuits the government lost (%)", needs_context=False),
    _rule("litigation", "head_appearances", rf"出庭应诉{_NUMBER}{_COUNT_UNIT}",
          "cases in which the agency head appeared in court", needs_context=False),
    _rule("litigation", "head_appearance_rate",
          rf"(?:出庭应诉率|出庭诉讼率|出庭率|应诉率){_RATE_GAP}{_NUMBER}{_RATE_UNIT}",
          "share of lawsuits in which the agency head appeared in court (%)",
          needs_context=False),
    _rule("normative_documents", "issued",
          rf"(?:制发|出台|发布|印发){_GAP}规范性文件{_NUMBER}{_COUNT_UNIT}",
          "normative documents issued", needs_context=False),
    _rule("normative_documents", "filed", rf"备案{_GAP}规范性文件{_NUMBER}{_COUNT_UNIT}",
          "normative documents filed for record", needs_context=False),
    _rule("normative_documents", "repealed", rf"废止{_NUMBER}{_COUNT_UNIT}",
          "normative documents repealed"),
    _rule("major_decisions", "listed", rf"重大行政决策{_GAP}{_NUMBER}(?P<unit>项|个)",
          "major administrative decisions listed", needs_context=False),
    _rule("legal_advisers", "appointed", rf"聘请{_NUMBER}(?P<unit>名|位)",
          "legal advisers appointed"),
    _rule("legality_review", "reviews", rf"合法性审查{_NUMBER}{_COUNT_UNIT}",
          "legality reviews carried out", needs_context=False),
    _rule("enforcement", "cases", rf"{_NUMBER}(?P<unit>件)行政执法案件",
          "administrative enforcement cases", needs_context=False),
]  # fmt: skip

#: indicator name -> English description, in the order of the rules.
INDICATORS = {f"{r.procedure}_{r.measure}": r.english for r in _RULES}


def parse_number(text: str) -> float:
    """A number written with digits or Chinese numerals.

    Example:
        >>> [parse_number(t) for t in ["154", "1,234", "95.92", "1.2万"]]
        [154.0, 1234.0, 95.92, 12000.0]
        >>> [parse_number(t) for t in ["十二", "两百零五", "三万"]]
        [12.0, 205.0, 30000.0]
    """
    plain = text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?万?", plain):
        return float(plain.removesuffix("万")) * (10_000 if plain.endswith("万") else 1)
    if not re.search(rf"[{_CN_DIGITS}\d]", text):
        raise ValueError(f"not a number: {text!r}")
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in digits:
            digit = digits[ch]
        elif ch in units:
            section += (digit or 1) * units[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        else:
            raise ValueError(f"not a number: {text!r}")
    return float(total + section + digit)


def _procedure_before(sentence: str, end: int) -> str | None:
    """The procedure named last before position ``end`` of the sentence."""
    found = None
    for match in _TRIGGER_RE.finditer(sentence, 0, end):
        found = _TRIGGERS[match.group()]
    return found


def _clause_procedures(sentence: str, start: int, end: int) -> set[str]:
    """Procedures named in the clause (between ，/；) that holds [start, end)."""
    left = max(sentence.rfind("，", 0, start), sentence.rfind("；", 0, start)) + 1
    return {_TRIGGERS[m.group()] for m in _TRIGGER_RE.finditer(sentence, left, end)}


_FIGURE_COLUMNS = ["indicator", "value", "unit", "approx", "text", "sentence", "position"]


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


def _cached_figures(text: str) -> list[dict]:
    """:func:`_figures`, from the cache when the same text was read by the same rules."""
    if not isinstance(text, str):
        raise TypeError(f"a report's text must be a string; got {type(text).__name__}.")
    rules = _cache.source_version(sys.modules[__name__]) + _cache.source_version(clean)
    entry = _cache.key("figures", rules, text)  # the rules, and the sentence splitter
    found = _memo.get(entry)
    if found is None:
        body = _cache.read_entry("figures", entry)
        found = json.loads(body) if body is not None else None
    if found is None:
        found = _figures(text)
        _cache.write_entry("figures", entry, json.dumps(found, ensure_ascii=False))
    _memo.put(entry, found)
    return found


def _figures(text: str) -> list[dict]:
    """One report's figures as rows, in the order of the text (the work behind the table)."""
    rows = []
    cursor = 0
    for sentence in sentences(text):
        offset = text.find(sentence, cursor)
        cursor = offset + len(sentence)
        taken: set[tuple[int, int]] = set()
        for rule in _RULES:
            for match in rule.pattern.finditer(sentence):
                span = match.span("n")
                if span in taken:
                    continue
                gap = match.groupdict().get("gap") or ""
                if _CHANGE_RE.search(gap) or (match["unit"] in "%％" and "率" in gap):
                    continue  # a change ("提高15%"), or another rate's figure
                if rule.needs_context:
                    if _procedure_before(sentence, span[0]) != rule.procedure:
                        continue
                    if len(_clause_procedures(sentence, match.start(), span[1])) > 1:
                        continue  # "行政复议、诉讼案件72件": whose figure? neither
                number, unit = match["n"], match["unit"]
                end = match.end("more") if match["more"] else span[1]
                figure = sentence[span[0] : end] + (unit if unit in "%％" else "")
                before = sentence[max(0, span[0] - 2) : span[0]]
                taken.add(span)
                rows.append(
                    {
                        "indicator": f"{rule.procedure}_{rule.measure}",
                        "value": parse_number(number),
                        "unit": "%" if unit in "%％" else unit,
                        "approx": bool(match["more"]) or bool(re.search(r"约|近|逾|超过$", before)),
                        "text": figure,
                        "sentence": sentence,
                        "position": offset + span[0],
                    }
                )
    return sorted(rows, key=lambda row: row["position"])


def first_figures(figures: list[dict]) -> dict[str, float]:
    """Indicator -> the first value a report states, from its extracted figures (in text order).

    The rule of :func:`indicator_table`: where a report states a figure twice
    (a summary, then a detail), the first statement is the one kept.

    Example:
        >>> first_figures([{"indicator": "a", "value": 1.0}, {"indicator": "a", "value": 2.0}])
        {'a': 1.0}
    """
    first: dict[str, float] = {}
    for row in figures:
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
