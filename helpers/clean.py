"""Cleaning: from raw page text to analysable report text, with a log of every change.

Introduced in ``notebooks/02_cleaning.ipynb``.

The raw files are never edited. Cleaning is a sequence of small pure steps,
each taking text and returning a :class:`Step` (the new text, one log row per
change, and anything it learned about the page). :func:`clean_report` runs them
in this order:

1. :func:`remove_furniture` — navigation, metadata bars, page controls and spam
   lines out, by the rules of ``helpers/data/furniture.csv`` (:func:`furniture_rules`);
   what the header states (publisher, dates, index number) goes to ``meta``.
2. :func:`to_simplified` — Traditional to Simplified with OpenCC, only when the
   text is Traditional.
3. :func:`normalise_width`, :func:`normalise_punctuation`,
   :func:`normalise_spaces` (these two again until neither changes anything),
   :func:`drop_blank_lines` — one convention for characters, spaces, punctuation
   and paragraphs.
4. :func:`repair_dates` — repairs the unambiguous ("20132015" → "2013—2015"),
   flags the ambiguous and the masked, never guesses.

Then :func:`paragraphs`, :func:`sentences` and :func:`sections` cut the clean
text into units.
"""

from __future__ import annotations

import copy
import csv
import functools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import cache as _cache
from .checks import check_bool
from .manifest import detect_script, infer_title, to_simplified_chars

# Fingerprint this module's code now, as it is loaded (see helpers.cache.source_version).
_cache.source_version(sys.modules[__name__])
_cache.source_version(sys.modules["helpers.manifest"])

__all__ = [
    "LOG_COLUMNS",
    "CleanResult",
    "Step",
    "clean_report",
    "clean_reports",
    "drop_blank_lines",
    "furniture_rules",
    "normalise_punctuation",
    "normalise_spaces",
    "normalise_width",
    "paragraphs",
    "remove_furniture",
    "repair_dates",
    "sections",
    "sentences",
    "to_simplified",
]

#: A change: the step and kind of change, the line (of the text the step received),
#: the raw file's line (in a clean_report log), what was there, what replaced it, a note.
LOG_COLUMNS = ["step", "kind", "line", "raw_line", "original", "replacement", "note"]


@dataclass(frozen=True)
class Step:
    """What one cleaning step returns: the new text, its log rows, what it learned."""

    text: str
    changes: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def log(self) -> pd.DataFrame:
        """The changes as a table with the columns of :data:`LOG_COLUMNS`."""
        table = pd.DataFrame(self.changes, columns=LOG_COLUMNS)
        table["line"] = table["line"].astype("Int64")
        table["raw_line"] = table["raw_line"].astype("Int64")
        return table

    def __repr__(self) -> str:
        return f"Step({len(self.text):,} chars, {len(self.changes)} changes, meta={self.meta})"


def _change(step: str, kind: str, line: int | None, original: str, replacement: str, note=""):
    return {
        "step": step,
        "kind": kind,
        "line": line,
        "original": original,
        "replacement": replacement,
        "note": note,
    }


def _simplified(text: str) -> str:
    return to_simplified_chars(text)


# --------------------------------------------------------------------------
# Step 1: page furniture
# --------------------------------------------------------------------------

#: The furniture rules, one row per rule; the file's header explains its columns.
FURNITURE_FILE = Path(__file__).parent / "data" / "furniture.csv"
_RULE_COLUMNS = ["kind", "where", "field", "max_chars", "pattern", "why"]
# Which rules apply to a line, by where it stands: before the report's first
# paragraph ("head"), from its first to its last ("body"), after its last ("foot").
_RULES_AT = {"head": {"page", "margin", "head"}, "body": {"page"}, "foot": {"page", "margin"}}


@functools.cache
def _furniture_text() -> str:
    return FURNITURE_FILE.read_text(encoding="utf-8")


def furniture_rules() -> pd.DataFrame:
    """The page-furniture rules (``helpers/data/furniture.csv``), one row per rule, in order.

    Columns: ``kind`` (the log's name for what a rule removes), ``where`` (page,
    margin or head), ``field`` (for a metadata label: its key in ``meta``),
    ``max_chars``, ``pattern`` (a regular expression) and ``why``. Rows whose
    ``where`` is ``{control}`` or ``{label}`` are not rules but the entries of
    a word list, which the patterns use by that name.

    Example:
        >>> rules = furniture_rules()
        >>> rules.loc[rules["kind"] == "page date", ["where", "max_chars"]].to_dict("records")
        [{'where': 'margin', 'max_chars': 79}]
    """
    return _rules_table().copy()


@functools.cache
def _rules_table() -> pd.DataFrame:
    lines = [line for line in _furniture_text().splitlines(True) if not line.startswith("#")]
    table = pd.DataFrame(list(csv.DictReader(lines)), columns=_RULE_COLUMNS)
    table["max_chars"] = pd.array([int(n) if n else None for n in table["max_chars"]], "Int64")
    return table


def _expand(pattern: str) -> str:
    """A rule's pattern with each word list ({control}, {label}) written out."""
    return re.sub(r"\{([a-z_]+)\}", lambda name: _word_list(name[1]), pattern)


@functools.cache
def _word_list(name: str) -> str:
    """The entries of a word list as one regular expression: entry|entry|…"""
    rules = _rules_table()
    return "|".join(rules.loc[rules["where"] == f"{{{name}}}", "pattern"])


class _Rule(NamedTuple):
    kind: str
    where: str
    max_chars: int
    pattern: re.Pattern


@functools.cache
def _line_rules() -> tuple[_Rule, ...]:
    """The rules (not the word lists), compiled, in the file's order."""
    return tuple(
        _Rule(
            rule.kind,
            rule.where,
            sys.maxsize if pd.isna(rule.max_chars) else rule.max_chars,
            re.compile(_expand(rule.pattern)),
        )
        for rule in _rules_table().itertuples()
        if not rule.where.startswith("{")
    )


@functools.cache
def _label_re() -> re.Pattern:
    """Any label of a metadata bar, with its colon."""
    return re.compile(f"({_word_list('label')})\\s*:")


@functools.cache
def _label_field(label: str) -> str:
    """The key in ``meta`` of a label's value ('' for a label whose value is not kept)."""
    rules = _rules_table()
    for rule in rules[rules["where"] == "{label}"].itertuples():
        if re.fullmatch(rule.pattern, label):
            return rule.field
    raise ValueError(f"{label!r} is not a label of {FURNITURE_FILE.name}")


def _probe(line: str) -> str:
    """A line as the furniture rules see it: Simplified, half-width, single spaces."""
    line = _FULLWIDTH_RE.sub(lambda m: _FULLWIDTH[m[0]], line)
    line = line.translate(_FULL_TO_HALF_PUNCT)
    return _simplified(" ".join(_SPACES_RE.sub(" ", line).split()))


def _looks_like_body(line: str) -> bool:
    """A paragraph of report text: it has a sentence, or is long and has clauses.

    A long breadcrumb ("当前位置：首页 > … > …") has neither 。 nor commas.
    """
    line = line.strip()
    clauses = line.count("，") + line.count(",")
    return "。" in line or line.endswith("；") or (len(line) >= 40 and clauses >= 2)


def _furniture_kind(probe: str, place: str) -> str | None:
    """The kind of the first rule that matches a line (None: report text).

    ``place`` is where the line stands: "head" (before the report's first
    paragraph), "body" or "foot" (after its last paragraph). A line with a
    full stop is report text whatever the rules say.
    """
    line = probe.strip()
    if not line or "。" in line:
        return None
    for rule in _line_rules():
        applies = rule.where in _RULES_AT[place] and len(line) <= rule.max_chars
        if applies and rule.pattern.search(line):
            return rule.kind
    return None


def _meta_fields(probe: str) -> dict[str, str]:
    """Split a metadata bar into field -> value, even when the fields run together."""
    found = list(_label_re().finditer(probe))
    fields = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(probe)
        value = " ".join(probe[match.end() : end].split()).strip("【】[]()（） ")
        key = _label_field(match.group(1))
        if value and key and key not in fields:
            fields[key] = _iso_datetime(value) if key in ("published", "written") else value
    return fields


def _iso_datetime(value: str) -> str:
    """'2024- 03- 04 16: 22' -> '2024-03-04 16:22'; '2014-01-28' stays."""
    match = re.match(
        r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})日?(?:\s*(\d{1,2})\s*:\s*(\d{2}))?",
        value,
    )
    if not match:
        return value
    y, m, d, hh, mm = match.groups()
    date = f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
    return f"{date} {int(hh):02d}:{mm}" if hh else date


def _places(probes: list[str]) -> list[str]:
    """Where each line stands: "head", "body" (first to last paragraph) or "foot"."""
    body = [i for i, probe in enumerate(probes) if _looks_like_body(probe)]
    first, last = (body[0], body[-1]) if body else (len(probes), -1)
    return ["head" if i < first else "foot" if i > last else "body" for i in range(len(probes))]


def remove_furniture(text: str) -> Step:
    """Remove web-page furniture lines; keep the report's title, headings and signature.

    The rules are data: ``helpers/data/furniture.csv`` (see :func:`furniture_rules`)
    describes web pages in general, not particular files: breadcrumbs, menu bars,
    metadata bars (``发布时间: …  浏览次数: …``), lines made only of page controls
    (打印 / 关闭 / 字体 …), counters, links to other pages, page dates, footers and
    spam lines. Many rules apply only in the page's margins, before the report's
    first paragraph or after its last, where a line such as "来源：司法局" cannot
    be a heading of the report.

    What is code, because it is not a pattern: where the report's paragraphs are
    (a line with 。, ending in ；, or long with clauses; the margins are the lines
    around them); that a line with 。 is never furniture; a title that the page
    template repeats before the report starts ("repeated title"); and reading the
    values of a metadata bar into ``meta``.

    Example:
        >>> page = "首页 > 政务公开\\n某县报告\\n发布时间：2023-03-15 点击数：12\\n"
        >>> step = remove_furniture(page + "正文。\\n【打印】【关闭】")
        >>> step.text
        '某县报告\\n正文。'
        >>> step.meta
        {'published': '2023-03-15', 'views': '12'}
    """
    lines = text.split("\n")
    probes = [_probe(line) for line in lines]
    kept, changes, meta = [], [], {}
    seen_in_head: set[str] = set()
    for i, (line, probe, place) in enumerate(zip(lines, probes, _places(probes), strict=True)):
        kind = _furniture_kind(probe, place)
        if kind is None and place == "head" and probe.strip():
            if probe.replace(" ", "") in seen_in_head:
                kind = "repeated title"
            seen_in_head.add(probe.replace(" ", ""))
        if kind is None:
            kept.append(line)
            continue
        note = ""
        if kind == "metadata":
            fields = _meta_fields(probe)
            for key, value in fields.items():
                meta.setdefault(key, value)
            note = "; ".join(f"{k}={v}" for k, v in fields.items())
        changes.append(_change("furniture", kind, i + 1, line, "", note))
    return Step("\n".join(kept), changes, meta)


# --------------------------------------------------------------------------
# Step 2: Traditional -> Simplified
# --------------------------------------------------------------------------


def to_simplified(text: str, *, threshold: float = 0.05) -> Step:
    """Convert a Traditional-script text to Simplified with OpenCC (``t2s``).

    A text counts as Traditional when the conversion would change more than
    ``threshold`` of its Han characters; otherwise it is returned unchanged, so
    a Simplified report never gets "corrected" by a dictionary. One log row per
    changed line, with the number of characters changed.

    Example:
        >>> to_simplified("法治政府建設報告。").text
        '法治政府建设报告。'
        >>> to_simplified("法治政府建设报告。").changes
        []
    """
    if detect_script(text, threshold=threshold) != "traditional":
        return Step(text)
    lines = text.split("\n")
    converted = [_simplified(line) for line in lines]
    changes = []
    total = 0
    for number, (before, after) in enumerate(zip(lines, converted, strict=True), start=1):
        n = sum(map(str.__ne__, before, after))  # characters changed
        if before != after:
            total += n
            changes.append(_change("simplified", "t2s", number, before, after, f"{n} characters"))
    return Step("\n".join(converted), changes, {"script": "traditional", "t2s_chars": total})


# --------------------------------------------------------------------------
# Step 3: normalisation
# --------------------------------------------------------------------------

#: Characters that make the surroundings "Chinese context": Han characters, CJK
#: punctuation (、。《》【】…), full-width forms and the curly quotes Chinese uses.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\u3001-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026"
#: Narrower: what a space next to is dropped (not the curly quotes, which English uses too).
CJK_NO_QUOTES = r"\u3400-\u4dbf\u4e00-\u9fff\u3001-\u303f\uff00-\uffef"
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}  # Ａ-Ｚ
_FULLWIDTH |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}  # ａ-ｚ
_FULLWIDTH |= {"％": "%", "＋": "+"}
_FULLWIDTH_RE = re.compile("[" + "".join(_FULLWIDTH) + "]")
# Full-width marks inside a number: ９５．９２ → 95.92, ０９：４３ → 09:43.
_IN_NUMBER = {"．": ".", "：": ":", "－": "-", "／": "/", "，": ","}
_IN_NUMBER_RE = re.compile(r"(?<=\d)[．：－／](?=\d)")


def _fix_width(line: str) -> str:
    line = _FULLWIDTH_RE.sub(lambda m: _FULLWIDTH[m[0]], line)
    return _IN_NUMBER_RE.sub(lambda m: _IN_NUMBER[m[0]], line)


def _per_line(step: str, kind: str, text: str, fix, note: str = "") -> Step:
    lines = text.split("\n")
    out, changes = [], []
    for number, line in enumerate(lines, start=1):
        new = fix(line)
        if new != line:
            changes.append(_change(step, kind, number, line, new, note))
        out.append(new)
    return Step("\n".join(out), changes)


def normalise_width(text: str) -> Step:
    """Full-width digits, Latin letters, ％ and ＋ to their half-width forms.

    Example:
        >>> normalise_width("受理案件１５４件，占９５．９２％，０９：４３").text
        '受理案件154件，占95.92%，09:43'
    """
    return _per_line("normalise", "full-width", text, _fix_width)


_SPACES_RE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t]")
_CJK_SPACE_RE = re.compile(rf"(?<=[{CJK_NO_QUOTES}]) +| +(?=[{CJK_NO_QUOTES}])")
_SPACE_ENTITY_RE = re.compile(r"&(?:nbsp|ensp|emsp|#160|#12288);")


def _fix_spaces(line: str) -> str:
    line = _SPACE_ENTITY_RE.sub(" ", line)  # "&nbsp;" left over from HTML
    line = _SPACES_RE.sub(" ", line).strip()
    line = re.sub(r" {2,}", " ", line)
    return _CJK_SPACE_RE.sub("", line)


def normalise_spaces(text: str) -> Step:
    """Non-breaking, full-width and other odd spaces to plain spaces; drop spaces next to Chinese.

    Chinese is written without spaces, so a space beside a Chinese character is
    a layout leftover ("申请154 件" → "申请154件"). Spaces between Latin letters
    or digits stay ("09:43", "PM 2.5").

    Example:
        >>> normalise_spaces("\\u00a0 2.\\u00a0加强规范性文件 管理,审结 122件 ").text
        '2.加强规范性文件管理,审结122件'
    """
    return _per_line("normalise", "spaces", text, _fix_spaces)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_FULL_TO_HALF_PUNCT = str.maketrans({full: half for half, full in _HALF_TO_FULL.items()})
# Matching parentheses are converted as a pair; any other mark by its neighbours.
_PUNCT_RE = re.compile(r"[,:;?!()]")
_CHINESE_RE = re.compile(f"[{CJK}]")


def _neighbour_positions(line: str, i: int) -> tuple[int, int]:
    """Where the nearest characters before and after position ``i`` are, past plain spaces.

    -1 or ``len(line)`` where there is none. Only the spaces beside ``i`` are read, so
    asking for every mark of a line reads each run of spaces at most twice.

    Example:
        >>> _neighbour_positions("法  ,  a", 3)
        (0, 6)
        >>> _neighbour_positions(",", 0)
        (-1, 1)
    """
    before, after = i - 1, i + 1
    while before >= 0 and line[before] == " ":
        before -= 1
    while after < len(line) and line[after] == " ":
        after += 1
    return before, after


# A half-width mark, or a run of characters that make a Chinese context.
_MARK_OR_CHINESE_RE = re.compile(f"[,:;?!()]|[{CJK}]+")


def _mark_pairs(line: str) -> tuple[dict[int, int], dict[int, int], set[int]]:
    """The half-width marks' structure: matching ( ) pairs, what encloses what, Chinese inside.

    Returns ``partner`` (position of a matched parenthesis -> position of the other),
    ``parent`` (position of a mark -> position of the ``(`` of the innermost matched pair
    around it) and ``holds_chinese`` (the ``(`` of each pair with a Chinese character
    directly inside). One pass over the line.

    Example:
        >>> _mark_pairs("(a(法),b")
        ({2: 4, 4: 2}, {}, {2})
    """
    partner: dict[int, int] = {}
    enclosing: dict[int, int] = {}  # mark -> the ( on top of the stack when it came
    chinese_in: set[int] = set()
    stack: list[int] = []
    for match in _MARK_OR_CHINESE_RE.finditer(line):
        i, ch = match.start(), match.group()
        if ch == "(":
            if stack:
                enclosing[i] = stack[-1]
            stack.append(i)
        elif ch == ")" and stack:
            opener = stack.pop()
            partner[opener], partner[i] = i, opener
            if stack:
                enclosing[i] = enclosing[opener] = stack[-1]
        elif ch in ",:;?!)":
            if stack:
                enclosing[i] = stack[-1]
        elif stack:
            chinese_in.add(stack[-1])
    # A ( never closed encloses nothing: whatever stands under it is never closed either.
    parent = {i: opener for i, opener in enclosing.items() if opener in partner}
    return partner, parent, {opener for opener in chinese_in if opener in partner}


def _mostly_chinese(line: str) -> bool:
    han = len(re.findall(r"[\u4e00-\u9fff]", line))
    return han > 0.5 * len(line.replace(" ", "")) if line.strip() else False


def _fix_punctuation(line: str) -> str:
    """Half-width marks to full-width where they stand in Chinese text, in one pass.

    A mark is converted when the nearest character on either side (past spaces) is
    Chinese; a mark converted this way is Chinese to its neighbours too ("(LBG),简称"
    → "（LBG），简称"), so the conversion spreads along runs of marks. ``,`` and ``:``
    between digits stay (1,234 and 09:43); ``,`` and ``;`` in a mostly Chinese line
    turn when no Latin letter stands beside them ("达96.5%,80%事项"). Matching ( )
    are converted together, never one of them: when Chinese stands inside or just
    outside, or a converted mark does. The result is the fixed point of these rules,
    found with a work list in one pass over the marks, so running it again changes
    nothing and a line of 100,000 nested brackets takes no longer than its length.

    Example:
        >>> _fix_punctuation("(LBG),简称 1,234, PM2.5 (fine)")
        '（LBG），简称 1,234, PM2.5 (fine)'
        >>> _fix_punctuation("法(((a)))")
        '法（（（a）））'
    """
    if not _PUNCT_RE.search(line):
        return line  # most lines: nothing half-width to convert
    mostly_chinese = _mostly_chinese(line)
    partner, parent, holds_chinese = _mark_pairs(line)

    def node(i: int) -> int:
        """A mark stands for itself; a matched parenthesis for its pair (the ( position)."""
        return min(i, partner.get(i, i))

    chinese: dict[str, bool] = {"": False}  # character -> is it Chinese (asked once each)

    def is_chinese(ch: str) -> bool:
        if ch not in chinese:
            chinese[ch] = bool(_CHINESE_RE.match(ch))
        return chinese[ch]

    marks = [m.start() for m in _PUNCT_RE.finditer(line)]
    around = {i: _neighbour_positions(line, i) for i in marks}
    padded = f"{line}\0"  # padded[-1] and padded[len(line)]: no character there
    vetoed = set()
    ready = []  # nodes that turn full-width whatever their neighbours do
    for i in marks:
        mark = line[i]
        j, k = around[i]
        before, after = padded[j].strip("\0"), padded[k].strip("\0")
        if i in partner:
            outside = before if mark == "(" else after
            if is_chinese(outside) or (mark == "(" and i in holds_chinese):
                ready.append(node(i))
        elif mark in ",:" and before.isdigit() and after.isdigit():
            vetoed.add(i)  # 1,234 and 09:43 are numbers
        elif is_chinese(before) or is_chinese(after):
            ready.append(i)
        elif mark in ",;" and mostly_chinese and not re.search("[A-Za-z]", before + after):
            ready.append(i)  # "达96.5%,80%事项": a list in a Chinese sentence

    converted: set[int] = set()
    while ready:
        n = ready.pop()
        if n in converted:
            continue
        converted.add(n)
        for i in {n, partner.get(n, n)}:
            if i in parent:
                ready.append(parent[i])  # a pair with a converted mark inside
            before, after = around[i]
            for j, side in ((before, "before"), (after, "after")):
                if j not in around or j in vetoed:
                    continue  # not a mark, or a number's comma
                if j in partner:  # a pair is converted by what stands outside it
                    outside = (line[j] == "(" and side == "after") or (
                        line[j] == ")" and side == "before"
                    )
                    if not outside:
                        continue
                ready.append(node(j))
    if not converted:
        return line
    chars = list(line)
    for n in converted:
        for i in {n, partner.get(n, n)}:
            chars[i] = _HALF_TO_FULL[line[i]]
    return "".join(chars)


def normalise_punctuation(text: str) -> Step:
    """Half-width , : ; ? ! ( ) to full-width ，：；？！（） where they sit in Chinese text.

    Chinese text is set with full-width punctuation, and the scraped pages mix
    both. We convert a mark when a neighbouring character is Chinese, so that
    sentence splitting and patterns later see one convention. Numbers keep their
    own marks: "1,234", "09:43", "3.5%" and "2019-2020" are not touched, nor is
    punctuation between Latin words.

    Example:
        >>> normalise_punctuation("(一)2019年,审结54件,涉及1,234人:详见附件(2021-2025年)").text
        '（一）2019年，审结54件，涉及1,234人：详见附件（2021-2025年）'
        >>> normalise_punctuation("实施率达3.5%(2019-2020年), PM2.5 (fine dust)").text
        '实施率达3.5%（2019-2020年）， PM2.5 (fine dust)'
    """
    return _per_line("normalise", "punctuation", text, _fix_punctuation)


def drop_blank_lines(text: str) -> Step:
    """Remove empty lines, so that every line is one paragraph.

    Example:
        >>> drop_blank_lines("第一段。\\n\\n\\n第二段。").text
        '第一段。\\n第二段。'
    """
    lines = text.split("\n")
    kept = [line for line in lines if line.strip()]
    changes = [
        _change("normalise", "blank line", number, line, "")
        for number, line in enumerate(lines, start=1)
        if not line.strip()
    ]
    return Step("\n".join(kept), changes)


# --------------------------------------------------------------------------
# Step 4: damaged dates
# --------------------------------------------------------------------------

# Two years run together. Only a year range in Chinese text qualifies: not
# preceded by a letter, digit, hyphen or a code marker (ICP备, 编号…), and
# followed by 年 ("20132015年" is 2013—2015年).
_RUN_TOGETHER_RE = re.compile(r"(?<![\dA-Za-z\-备号])((?:19|20)\d{2})((?:19|20)\d{2})(?!\d)")
_COMPACT_DATE_RE = re.compile(r"^((?:19|20)\d{2})(\d{3,4})$")
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SAME_YEAR_RANGE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-—–~～至]((?:19|20)\d{2})(?!\d)")


def _date_readings(year: str, rest: str) -> list[str]:
    """All valid month/day splits of the digits after a year: '128' -> 01-28 and 12-08."""
    readings = []
    for cut in range(1, len(rest)):
        month, day = rest[:cut], rest[cut:]
        if len(month) > 2 or len(day) > 2:
            continue
        m, d = int(month), int(day)
        if 1 <= m <= 12 and 1 <= d <= 31:
            readings.append(f"{year}-{m:02d}-{d:02d}")
    return sorted(set(readings))


def _settle_date(readings: list[str], known_dates: tuple[str, ...]) -> tuple[str | None, str]:
    """The one reading of a damaged date that the page's own dates allow, and why.

    A report is signed before its page is published, so a reading after the
    latest known (publication) date is impossible: that is the strong argument.
    That a reading equals the header's date is only a weaker one, used when the
    strong one leaves more than one reading.
    """
    if not readings or not known_dates:
        return None, ""
    latest = max(known_dates)
    alternatives = " or ".join(readings)
    possible = [reading for reading in readings if reading <= latest]
    if len(possible) == 1:
        later = [reading for reading in readings if reading > latest]
        if later:
            return possible[0], (
                f"ambiguous: {alternatives}; {' and '.join(later)} would come after the "
                f"page's publication date {latest}, so {possible[0]}"
            )
        return possible[0], f"date without separators, one reading; published {latest}"
    matching = [reading for reading in possible if reading in known_dates]
    if len(matching) == 1:
        only = matching[0]
        return only, f"ambiguous: {alternatives}; matches the page header's date {only}"
    return None, ""


def repair_dates(text: str, known_dates: tuple[str, ...] = ()) -> Step:
    """Repair damaged dates only where the evidence is unambiguous; flag the rest.

    - Two four-digit years run together and followed by 年 ("20132015年"),
      ascending and at most 10 years apart: a lost dash, repaired to
      "2013—2015". Other runs of eight digits (codes, amounts, a descending
      pair) are flagged when they look like years, never changed.
    - A line that is only a year and digits ("2014128", "20140128") is a date
      whose separators were lost. It may have several readings (2014-01-28 or
      2014-12-08) and could even be a number, so it is rewritten as
      "2014年1月28日" only when the page's own dates (``known_dates``, from the
      header: publication and other dates) leave one reading. A report is signed
      before it is published, so a reading after the latest known date is
      impossible; where that leaves several, a reading equal to a known date is
      taken, and the log says which argument decided. Otherwise it is flagged.
    - Impossible ranges ("2020-2020") are flagged as masked years, and so is
      a text whose every year is the same when it also has such a range.

    Flags are log rows of kind ``flag`` and are listed in ``meta["flags"]``.

    Example:
        >>> step = repair_dates("三年行动计划（20132015年）\\n2014128", ("2014-01-28",))
        >>> step.text
        '三年行动计划（2013—2015年）\\n2014年1月28日'
        >>> print(step.changes[1]["note"])
        ambiguous: 2014-01-28 or 2014-12-08; 2014-12-08 would come after the page's \
publication date 2014-01-28, so 2014-01-28
    """
    lines = text.split("\n")
    changes, flags = [], []

    def flag(number: int, original: str, note: str) -> None:
        flags.append(note)
        changes.append(_change("dates", "flag", number, original, "", note))

    for number, line in enumerate(lines, start=1):

        def run_together(match: re.Match, number: int = number, line: str = line) -> str:
            first, second = int(match.group(1)), int(match.group(2))
            followed_by_year = line[match.end() : match.end() + 1] == "年"
            if followed_by_year and first < second <= first + 10:
                fixed = f"{first}—{second}"
                note = "lost dash in a year range"
                changes.append(_change("dates", "repair", number, match.group(), fixed, note))
                return fixed
            flag(number, match.group(), f"{match.group()}: two years run together? left as written")
            return match.group()

        new = _RUN_TOGETHER_RE.sub(run_together, line)
        compact = _COMPACT_DATE_RE.match(new.strip())
        if compact:
            readings = _date_readings(*compact.groups())
            settled, why = _settle_date(readings, known_dates)
            if settled:
                y, m, d = (int(part) for part in settled.split("-"))
                fixed = f"{y}年{m}月{d}日"
                new = new.replace(compact.group(), fixed, 1)
                changes.append(_change("dates", "repair", number, compact.group(), fixed, why))
            elif readings:
                alternatives = " or ".join(readings)
                flag(
                    number,
                    compact.group(),
                    f"{compact.group()}: a date ({alternatives})? left as written",
                )
        for match in _SAME_YEAR_RANGE_RE.finditer(new):
            if match.group(1) == match.group(2):
                flag(number, match.group(), f"impossible range {match.group()}: years masked?")
        lines[number - 1] = new
    years = _YEAR_RE.findall("\n".join(lines))
    masked_ranges = any(f.startswith("impossible range") for f in flags)
    if masked_ranges and len(years) >= 10 and len(set(years)) == 1:
        note = f"masked years: all {len(years)} year mentions read {years[0]}"
        flags.append(note)
        changes.append(_change("dates", "flag", None, years[0], "", note))
    return Step("\n".join(lines), changes, {"flags": flags} if flags else {})


# --------------------------------------------------------------------------
# The whole pipeline
# --------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class CleanResult:
    """The cleaned report text, what the page stated (``meta``) and the change log."""

    text: str
    meta: dict
    log: pd.DataFrame

    def __repr__(self) -> str:
        counts = (
            self.log["step"]
            .value_counts()
            .reindex(["furniture", "simplified", "normalise", "dates"], fill_value=0)
        )
        steps = ", ".join(f"{step} {n}" for step, n in counts.items())
        flags = len(self.meta.get("flags", []))
        return f"CleanResult({len(self.text):,} chars; log rows: {steps}; flags: {flags})"


def _with_raw_lines(step: Step, before: str, origin: list[int]) -> list[int]:
    """Give each change of ``step`` its raw file's line; return the raw lines of its output.

    ``origin[k]`` is the raw line of line k + 1 of ``before``, the text the step
    received. A step that removes lines (furniture, blank lines) logs each
    removed line, so the lines it kept are the others.
    """
    for change in step.changes:
        line = change["line"]
        change["raw_line"] = origin[line - 1] if line is not None else None
    if step.text.count("\n") == before.count("\n"):
        return origin
    removed = {change["line"] for change in step.changes}
    kept = [raw for k, raw in enumerate(origin, start=1) if k not in removed]
    kept = kept or origin[:1]  # every line went: the empty text left is still one line
    assert len(kept) == step.text.count("\n") + 1, "a step removed a line it did not log"
    return kept


_MAX_ROUNDS = 6  # punctuation and spaces settle in two rounds at most; this only stops a bug


def _marks_and_spaces(text: str) -> list[Step]:
    """:func:`normalise_punctuation` and :func:`normalise_spaces` until neither changes anything.

    Each can give the other something to do: removing an odd space lets a mark see
    its Chinese neighbour ("来\u3000(" → "来(" → "来（"), and a converted mark makes
    the space beside it droppable ("a , 法" → "a ，法" → "a，法"). Each step is
    idempotent by itself, so the first step that changes nothing ends the loop (on
    most texts the second or the third), and a step that changes nothing logs nothing.

    Example:
        >>> [step.text for step in _marks_and_spaces("来\u3000(a)")]
        ['来\u3000(a)', '来(a)', '来（a）', '来（a）']
    """
    steps = [normalise_punctuation(text)]
    steps.append(normalise_spaces(steps[-1].text))
    while steps[-1].changes and len(steps) < 2 * _MAX_ROUNDS:
        step_function = normalise_punctuation if len(steps) % 2 == 0 else normalise_spaces
        steps.append(step_function(steps[-1].text))
    return steps


def _clean(text: str) -> tuple[str, dict, list[dict]]:
    """Every step, in order: (clean text, what the page stated, one log row per change)."""
    furniture = remove_furniture(text)
    steps = [furniture]
    for step_function in (to_simplified, normalise_width):
        steps.append(step_function(steps[-1].text))
    steps += _marks_and_spaces(steps[-1].text)
    steps.append(drop_blank_lines(steps[-1].text))
    header_dates = tuple(
        furniture.meta[key][:10] for key in ("published", "written") if key in furniture.meta
    )
    steps.append(repair_dates(steps[-1].text, header_dates))
    origin, before = list(range(1, text.count("\n") + 2)), text  # raw line of each line
    for step in steps:
        origin, before = _with_raw_lines(step, before, origin), step.text
    meta: dict = {"title": infer_title(before)}
    for step in steps:
        meta.update(step.meta)
    meta.setdefault("flags", [])
    return before, meta, [row for step in steps for row in step.changes]


_memo = _cache.Memo(maxsize=256, size=lambda found: len(found[0]), max_size=2_000_000)


@functools.cache
def rules_version() -> str:
    """Fingerprint of what decides a cleaning besides the text: this module's code, its
    furniture rules (helpers/data/furniture.csv), the metadata rules it uses
    (helpers/manifest.py) and OpenCC's version."""
    import opencc

    from . import manifest

    modules = _cache.source_version(sys.modules[__name__]) + _cache.source_version(manifest)
    return _cache.key(modules, _furniture_text(), getattr(opencc, "__version__", ""))[:16]


def _cleaned(text: str, use_cache: bool = True) -> tuple[str, dict, list[dict]]:
    """:func:`_clean`, from the cache when the same text was cleaned by the same rules before."""
    if not isinstance(text, str):
        raise TypeError(f"clean_report takes one report's text (str); got {type(text).__name__}.")
    if not use_cache:
        return _clean(text)
    entry = _cache.key("clean", rules_version(), text)
    found = _memo.get(entry)
    if found is None:
        body = _cache.read_entry("clean", entry)
        if body is not None:
            stored = json.loads(body)
            found = (stored["text"], stored["meta"], stored["log"])
    if found is None:
        found = _clean(text)
        body = json.dumps({"text": found[0], "meta": found[1], "log": found[2]}, ensure_ascii=False)
        _cache.write_entry("clean", entry, body)
    _memo.put(entry, found)
    return found


def clean_report(text: str, *, cache: bool = True) -> CleanResult:
    """Run every cleaning step on one report's raw text.

    Running it again on its own output changes nothing. Results are cached like
    segmentations (:mod:`helpers.cache`), keyed by the text and the rules'
    code; ``cache=False`` cleans afresh and stores nothing.

    Example:
        >>> page = "首页 > 法治\\n某县2022年法治政府建设报告\\n发布时间:2023-03-15\\n"
        >>> result = clean_report(page + "2022年,全县审结案件 12件。\\n\\n【打印】【关闭】")
        >>> print(result.text)
        某县2022年法治政府建设报告
        2022年，全县审结案件12件。
        >>> result.meta["published"], len(result.log)
        ('2023-03-15', 6)
    """
    check_bool("cache", cache)
    text, meta, changes = _cleaned(text, cache)
    return CleanResult(text, copy.deepcopy(meta), Step(text, list(changes)).log)


def _clean_for_table(task: tuple[str, bool]) -> tuple[str, str, list[dict]]:
    """One report's work for :func:`clean_reports`, in any process: (clean, flags, log rows).

    The log rows travel back only when they are asked for.
    """
    text, with_log = task
    clean, meta, changes = _cleaned(text)
    return clean, "; ".join(meta["flags"]), changes if with_log else []


def clean_reports(reports, *, log: bool = False, n_jobs: int | None = None):
    """Clean every report once: the corpus table with a ``clean`` and a ``flags`` column.

    ``reports`` is the corpus table from :func:`~helpers.load_reports` (its raw
    ``text`` column is kept unchanged beside ``clean``), or any other form of
    :func:`~helpers.corpus.as_docs` (a Series, a dict, a list), which gives a
    table with the columns ``id``, ``text``, ``clean`` and ``flags``.

    With ``log=True`` it returns ``(table, log)``: the same table, and every
    report's cleaning log in one table, with an ``id`` column first. ``n_jobs``
    spreads the reports over processes (:mod:`helpers.parallel`); cleanings are
    cached, so an unchanged corpus is not cleaned twice.

    Example:
        >>> table, log = clean_reports({"a": "某县报告\\n审结 12件。"}, log=True)
        >>> table[["id", "clean"]].to_dict("records")
        [{'id': 'a', 'clean': '某县报告\\n审结12件。'}]
        >>> log[["id", "kind", "original", "replacement"]].to_dict("records")
        [{'id': 'a', 'kind': 'spaces', 'original': '审结 12件。', 'replacement': '审结12件。'}]
    """
    from .corpus import as_docs
    from .parallel import map_reports

    check_bool("log", log)
    if isinstance(reports, pd.DataFrame) and {"id", "text"} <= set(reports.columns):
        as_docs(reports[["id", "text"]])  # the same checks as everywhere: unique ids, texts
        table = reports.copy()
    else:
        docs = as_docs(reports)
        table = pd.DataFrame({"id": list(docs), "text": list(docs.values())})
    tasks = [(text, log) for text in table["text"]]
    results = map_reports(_clean_for_table, tasks, n_jobs=n_jobs, desc="cleaning")
    table["clean"] = [clean for clean, _, _ in results]
    table["flags"] = [flags for _, flags, _ in results]
    if not log:
        return table
    rows = [
        {"id": report_id, **change}
        for report_id, (_, _, changes) in zip(table["id"], results, strict=True)
        for change in changes
    ]
    combined = pd.DataFrame(rows, columns=["id", *LOG_COLUMNS])
    combined["line"] = combined["line"].astype("Int64")
    combined["raw_line"] = combined["raw_line"].astype("Int64")
    return table, combined


# --------------------------------------------------------------------------
# Units: paragraphs, sentences, sections
# --------------------------------------------------------------------------

_OPEN_CLOSE = {
    "“": "”",
    "‘": "’",
    "（": "）",
    "《": "》",
    "「": "」",
    "『": "』",
    "【": "】",
    "(": ")",
}
_ENDS = "。！？；"


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a cleaned text: one paragraph each.

    Example:
        >>> paragraphs("一、总体情况\\n第一段。\\n\\n第二段。")
        ['一、总体情况', '第一段。', '第二段。']
    """
    return [line.strip() for line in text.split("\n") if line.strip()]


def _split_paragraph(paragraph: str) -> list[str]:
    # Track each bracket pair with its own depth. A pair that misbehaves in this
    # paragraph (a closer before its opener, as in 法律”八进“活动, or more
    # openers than closers) stops being tracked, so one stray mark cannot glue
    # the rest of the paragraph into one "sentence".
    tracked = {o: c for o, c in _OPEN_CLOSE.items() if paragraph.count(o) == paragraph.count(c)}
    opener_of = {c: o for o, c in tracked.items()}
    depth = dict.fromkeys(tracked, 0)
    out, start = [], 0
    i = 0
    while i < len(paragraph):
        ch = paragraph[i]
        if ch in depth:
            depth[ch] += 1
        elif ch in opener_of:
            opener = opener_of[ch]
            if depth.get(opener, 0) == 0:
                depth.pop(opener, None)  # closer without opener: stop tracking this pair
            else:
                depth[opener] -= 1
        elif ch in _ENDS and not any(depth.values()):
            end = i + 1
            while end < len(paragraph) and paragraph[end] in opener_of:
                end += 1
            out.append(paragraph[start:end])
            start = i = end
            continue
        i += 1
    if paragraph[start:].strip():
        out.append(paragraph[start:])
    return [s.strip() for s in out if s.strip()]


def sentences(text: str) -> list[str]:
    """Split a cleaned text into sentences on 。！？； and line breaks.

    A terminator inside quotes or brackets does not end the sentence, and a
    closing quote after a terminator stays with its sentence.

    Example:
        >>> sentences("他说：“要依法行政。要公开。”然后散会。\\n一、标题")
        ['他说：“要依法行政。要公开。”然后散会。', '一、标题']
    """
    return [s for paragraph in paragraphs(text) for s in _split_paragraph(paragraph)]


_CN_NUM = "一二三四五六七八九十"
_HEADINGS = [
    # "一、二审案件" and "三、四季度" are numbers in a sentence, not headings.
    (1, re.compile(rf"^([{_CN_NUM}]+)、(?![{_CN_NUM}])(.*)$")),
    (2, re.compile(rf"^（([{_CN_NUM}]+)）(.*)$")),
    (3, re.compile(r"^(\d{1,2})(?:\.|、|．)(?!\d)(.*)$")),
    (4, re.compile(r"^（(\d{1,2})）(.*)$")),
]


def _heading(paragraph: str) -> tuple[int, str, str, str] | None:
    """(level, number, heading, run-in text) if the paragraph starts with a heading number."""
    for level, pattern in _HEADINGS:
        match = pattern.match(paragraph)
        if match:
            number, rest = match.groups()
            head, sep, tail = rest.partition("。")
            if sep and tail.strip():  # a run-in heading: "（一）标题。正文……"
                return level, number, head.strip(), tail.strip()
            return level, number, rest.strip().rstrip("。"), ""
    return None


def sections(text: str) -> pd.DataFrame:
    """The report's outline from its heading numbers, with the text under each heading.

    Levels: 1 ``一、``, 2 ``（一）``, 3 ``1.`` / ``1、``, 4 ``（1）``. A heading
    followed by a sentence in the same paragraph (``（一）标题。正文…``) is split
    into heading and text. ``text`` holds everything under the heading, its
    sub-sections included; ``path`` gives the numbers from the top
    (e.g. ``二 > （三）``). Text before the first heading is level 0.

    Example:
        >>> outline = sections("前言。\\n一、成效\\n（一）复议。办理12件。\\n二、问题\\n不足。")
        >>> outline["path"].tolist(), outline["heading"].tolist()
        (['', '一', '一 > （一）', '二'], ['', '成效', '复议', '问题'])
        >>> outline.loc[1, "text"]  # section 一 with its sub-section
        '复议\\n办理12件。'
    """
    rows: list[dict] = [{"level": 0, "number": "", "heading": "", "own": []}]
    for paragraph in paragraphs(text):
        found = _heading(paragraph)
        if found:
            level, number, heading, run_in = found
            rows.append({"level": level, "number": number, "heading": heading, "own": []})
            if run_in:
                rows[-1]["own"].append(run_in)
        else:
            rows[-1]["own"].append(paragraph)
    stack: list[tuple[int, str]] = []
    for row in rows:
        if row["level"] == 0:
            row["path"] = ""
            continue
        while stack and stack[-1][0] >= row["level"]:
            stack.pop()
        label = (
            row["number"]
            if row["level"] == 1
            else (f"（{row['number']}）" if row["level"] in (2, 4) else f"{row['number']}.")
        )
        stack.append((row["level"], label))
        row["path"] = " > ".join(label for _, label in stack)
    for i, row in enumerate(rows):
        parts = list(row["own"])
        for later in rows[i + 1 :]:
            if row["level"] == 0 or later["level"] <= row["level"]:
                break
            parts.append(later["heading"])
            parts.extend(later["own"])
        row["text"] = "\n".join(parts)
    table = pd.DataFrame(rows)[["level", "number", "heading", "path", "text"]]
    if table.loc[0, "text"] == "" and len(table) > 1:
        table = table.drop(index=0).reset_index(drop=True)
    return table
