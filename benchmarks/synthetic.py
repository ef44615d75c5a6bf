"""A SYNTHETIC corpus for benchmarks and scale tests, built from the five seed reports.

Nothing here is a real report. Each generated file is made of the seeds'
paragraphs recombined and altered, and says so in its first line, its file name
(``synthetic-0001.txt`` …) and its manifest row. The corpus is written to a folder
you name (by default a new temporary folder), never to ``seeds/``, and never
committed. The same ``n`` and ``seed`` give the same bytes.

How a report is made (fixed random seed):

- a page header, title and closing taken from a random seed report (page
  furniture included, so that cleaning has its real work to do), with the place
  names replaced by an invented one (合成东东南县 …);
- about 15,000 characters of body paragraphs drawn from all five seeds;
- every number replaced by a random one;
- some sentences edited (a clause dropped, words deleted or repeated), so that
  near-duplicate sentences exist at every degree of similarity, as formulaic
  text across real reports does.

Usage:  python benchmarks/synthetic.py N [FOLDER]
"""

from __future__ import annotations

import csv
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LABEL = "【合成数据 SYNTHETIC：由五份种子报告的段落重组、改写而成，不是真实报告】"
PLACES = (
    "太仓", "太倉", "惠农", "天宁", "镇江", "鎮江",
    "椒江", "常州", "苏州", "蘇州", "石嘴山", "台州",
)  # fmt: skip
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _seed_texts() -> list[str]:
    return [path.read_bytes().decode("utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def _place(k: int) -> str:
    """An invented place name, different for every k: 合成东东南县, 合成东东西县 …"""
    syllables, name = "东南西北中上下新安平康宁和永兴乐", ""
    while True:
        k, digit = divmod(k, len(syllables))
        name = syllables[digit] + name
        if k == 0 and len(name) >= 3:
            return f"合成{name}县"


def _rename(text: str, place: str) -> str:
    for name in PLACES:
        text = text.replace(name, place)
    return text


def _renumber(text: str, rng: random.Random) -> str:
    def number(match: re.Match) -> str:
        value = match.group()
        if "." in value:
            return f"{rng.uniform(0, 100):.2f}"
        if len(value) == 4 and value.startswith(("19", "20")):
            return str(rng.randint(2015, 2025))  # a year stays a plausible year
        return str(rng.randint(1, 10 ** len(value)))

    return _DIGITS.sub(number, text)


def _edit(sentence: str, rng: random.Random) -> str:
    """Change a sentence a little: a clause dropped, a stretch deleted, or words repeated."""
    clauses = sentence.split("，")
    choice = rng.random()
    if choice < 0.4 and len(clauses) > 2:
        clauses.pop(rng.randrange(1, len(clauses)))
        return "，".join(clauses)
    if choice < 0.8 and len(sentence) > 12:
        start = rng.randrange(0, len(sentence) - 6)
        return sentence[:start] + sentence[start + rng.randint(2, 6) :]
    start = rng.randrange(0, max(1, len(sentence) - 4))
    return sentence[: start + 4] + sentence[start : start + 4] + sentence[start + 4 :]


def _paragraphs(text: str) -> tuple[list[str], list[str], list[str]]:
    """(head, body, tail) lines of a raw seed: body lines are those with a sentence."""
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if "。" in line]
    first, last = (body[0], body[-1]) if body else (len(lines), len(lines))
    return lines[:first], [lines[i] for i in body], lines[last + 1 :]


def make_report(k: int, rng: random.Random, seeds: list[str], target_chars: int = 15_000) -> str:
    place = _place(k)
    head, _, tail = _paragraphs(seeds[rng.randrange(len(seeds))])
    pool = [line for text in seeds for line in _paragraphs(text)[1]]
    order: list[str] = []
    body, size = [], 0
    while size < target_chars:
        if not order:  # each paragraph once before any comes back
            order = rng.sample(pool, len(pool))
        paragraph = order.pop()
        sentences = [s for s in re.split(r"(?<=。)", paragraph) if s]
        sentences = [_edit(s, rng) if rng.random() < 0.3 else s for s in sentences]
        paragraph = _renumber("".join(sentences), rng)
        body.append(paragraph)
        size += len(paragraph)
    lines = [LABEL, *(_rename(line, place) for line in head), *(_rename(p, place) for p in body)]
    return "\n".join([*lines, *(_rename(line, place) for line in tail)]) + "\n"


def make_corpus(n: int, folder: str | Path | None = None, *, seed: int = 20241125) -> Path:
    """Write ``n`` synthetic reports and their manifest to ``folder``; returns the folder."""
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="synthetic-"))
    if folder.resolve() == SEEDS.resolve() or SEEDS.resolve() in folder.resolve().parents:
        raise ValueError("synthetic reports are never written into seeds/")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seeds = _seed_texts()
    rows = []
    for k in range(1, n + 1):
        name = f"synthetic-{k:04d}.txt"
        (folder / name).write_text(make_report(k, rng, seeds), encoding="utf-8")
        rows.append(
            {
                "file": name,
                "id": f"synthetic-{k:04d}",
                "title": f"{_place(k)}法治政府建设情况报告（合成数据）",
                "notes": "SYNTHETIC: seed paragraphs recombined and altered by "
                f"benchmarks/synthetic.py (seed {seed}); not a real report",
            }
        )
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "id", "title", "notes"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python benchmarks/synthetic.py N [FOLDER]")
    made = make_corpus(int(sys.argv[1]), sys.argv[2] if len(sys.argv) == 3 else None)
    print(f"{sys.argv[1]} SYNTHETIC reports in {made}")
