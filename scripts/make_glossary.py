"""Write docs/glossary.md from the governance vocabulary (make glossary).

The glossary is generated, never edited by hand, so that it and the
segmentation vocabulary (helpers/data/governance_terms.csv) cannot disagree;
tests/test_glossary.py checks that the file matches what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pypinyin import Style, pinyin

import helpers

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "glossary.md"


def to_pinyin(term: str) -> str:
    """Pinyin with tone marks, one syllable per character: 行政复议 -> xíng zhèng fù yì."""
    syllables = [s[0] for s in pinyin(term, style=Style.TONE, heteronym=False)]
    return " ".join(syllables)


def render() -> str:
    vocabulary = helpers.load_vocabulary()
    rows = sorted(vocabulary.itertuples(), key=lambda r: (to_pinyin(r.term).lower(), r.term))
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


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(helpers.load_vocabulary())} terms")
    sys.exit(0)
