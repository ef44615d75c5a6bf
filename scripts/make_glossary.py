"""Write docs/glossary.md from the governance vocabulary and the methods glossary (make glossary).

The glossary is generated, never edited by hand, so that it and the
segmentation vocabulary (helpers/data/governance_terms.csv) cannot disagree;
tests/test_glossary.py checks that the file matches what this script writes.
Its second part, "Methods (方法术语)", comes from helpers/data/methods_glossary.csv:
the text-analysis terms of the notebooks in English and Chinese, each with the
notebook that introduces it.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from pypinyin import Style, pinyin

import helpers

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "glossary.md"
METHODS_FILE = ROOT / "helpers" / "data" / "methods_glossary.csv"
METHODS_COLUMNS = ["term", "chinese", "pinyin", "definition", "definition_zh", "notebook"]
METHODS_HEADING = "## Methods (方法术语)"
NOTEBOOKS = ROOT / "notebooks"


def to_pinyin(term: str) -> str:
    """Pinyin with tone marks, one syllable per character: 行政复议 -> xíng zhèng fù yì."""
    syllables = [s[0] for s in pinyin(term, style=Style.TONE, heteronym=False)]
    return " ".join(syllables)


def pinyin_order(term: str) -> tuple[list[str], list[int], str]:
    """Sort key: the letters syllable by syllable, then the tones (1-4, 5 neutral), then the term.

    Tone-marked vowels must not decide the order (by code point, bā would come after bú).
    ü is spelled v, so lü comes after lu. Anything that is not pinyin (the + of 互联网+)
    keeps its own spelling and tone 0.

    >>> sorted(["骂", "吗", "麻", "妈", "马"], key=pinyin_order)
    ['妈', '麻', '马', '骂', '吗']
    >>> pinyin_order("八五普法")
    (['ba', 'wu', 'pu', 'fa'], [1, 3, 3, 3], '八五普法')
    """
    letters = [s[0].lower() for s in pinyin(term, style=Style.NORMAL, heteronym=False)]
    numbered = pinyin(term, style=Style.TONE3, heteronym=False, neutral_tone_with_five=True)
    numbered = [s[0].lower() for s in numbered]  # "fa3", or "+" as it was
    tones = [int(n[-1]) if n != plain else 0 for n, plain in zip(numbered, letters, strict=True)]
    return letters, tones, term


def render() -> str:
    """The whole page: the governance vocabulary, then the methods."""
    return render_vocabulary() + "\n" + render_methods()


def render_vocabulary() -> str:
    """The first part: the governance vocabulary, in pinyin order (pinyin_order)."""
    vocabulary = helpers.load_vocabulary()
    rows = sorted(vocabulary.itertuples(), key=lambda r: pinyin_order(r.term))
    lines = [
        "# Glossary 术语表",
        "",
        "Terms of art of Chinese rule-of-law government work, with pinyin and an English gloss.",
        f"Generated from `helpers/data/governance_terms.csv` ({len(rows)} terms) by",
        "`scripts/make_glossary.py` (`make glossary`): do not edit by hand. The same file is the",
        "vocabulary that keeps these terms whole when the notebooks segment text, so the glossary",
        "and the analysis always agree. *Attested in* says where the term occurs: a seed report",
        "(`seeds/NNN_*.txt`) or a national document. Licence: CC BY 4.0.",
        "",
        "| Term | Pinyin | English | Attested in |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {row.term} | {to_pinyin(row.term)} | {row.english} | {row.source} |")
    return "\n".join(lines) + "\n"


def load_methods() -> list[dict[str, str]]:
    """Rows of helpers/data/methods_glossary.csv; lines starting with # are comments.

    Refuses a file whose header is not METHODS_COLUMNS, a row with an empty or a
    missing cell, a term given twice, or a notebook number with no notebook.
    """
    with open(METHODS_FILE, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    reader = csv.DictReader(lines)
    name = METHODS_FILE.name
    if reader.fieldnames != METHODS_COLUMNS:
        raise ValueError(f"{name}: the columns must be {METHODS_COLUMNS}, not {reader.fieldnames}")
    rows: list[dict[str, str]] = []
    for number, row in enumerate(reader, start=1):
        if None in row:  # DictReader files cells beyond the header under None
            raise ValueError(f"{name}, row {number} ({row['term']!r}): more cells than columns")
        cells = {column: (row[column] or "").strip() for column in METHODS_COLUMNS}
        empty = [column for column in METHODS_COLUMNS if not cells[column]]
        if empty:
            raise ValueError(f"{name}, row {number} ({cells['term']!r}): empty {empty}")
        if any(cells["term"] == earlier["term"] for earlier in rows):
            raise ValueError(f"{name}: {cells['term']!r} is given twice")
        notebook_file(cells["notebook"])  # raises for a number that names no notebook
        rows.append(cells)
    return rows


def notebook_file(number: str) -> Path:
    """The notebook a two-digit number names: "03" -> notebooks/03_term_frequency.ipynb."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb")) if re.fullmatch(r"\d\d", number) else []
    if len(found) != 1:
        raise ValueError(f"{METHODS_FILE.name}: no notebook numbered {number!r}")
    return found[0]


def cell(text: str) -> str:
    """Text for one cell of a Markdown table: a | would end the cell, so escape it."""
    return text.replace("|", "\\|")


def render_methods() -> str:
    """The second part: the methods glossary, alphabetically by English term."""
    rows = sorted(load_methods(), key=lambda r: (r["term"].lower(), r["term"]))
    lines = [
        METHODS_HEADING,
        "",
        "The text-analysis terms of the notebooks, in English and Chinese, with the formula in",
        "words where there is one. Generated from `helpers/data/methods_glossary.csv`",
        f"({len(rows)} terms) by the same script: do not edit by hand. *Notebook* links to the",
        "notebook that introduces the term. Licence: CC BY 4.0.",
        "",
        "| Term | 中文 | Pinyin | Definition | 释义 | Notebook |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        link = f"[{row['notebook']}](../notebooks/{notebook_file(row['notebook']).name})"
        cells = [row[c] for c in ("term", "chinese", "pinyin", "definition", "definition_zh")]
        lines.append("| " + " | ".join(cell(c) for c in cells) + f" | {link} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(helpers.load_vocabulary())} terms, "
        f"{len(load_methods())} methods"
    )
    sys.exit(0)
