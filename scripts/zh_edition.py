"""Build the Chinese edition of a notebook (notebooks/zh/) from the English one and its translation.

The code of the two editions must be the same computation, so it is never written twice: the
Chinese notebook is *generated* from the English notebook and a translation file,
``notebooks/zh/translations/<notebook>.json``:

    {
      "notebook": "01_reading.ipynb",
      "markdown": {"<cell id>": "中文 markdown …", …},      every markdown cell, by cell id
      "tokens": {"<exact token>": "<replacement>", …},      string literals and comments
      "english": {"<cell id>": "<sha256 of the English>", …}  what was translated
    }

- Every markdown cell is replaced by its translation (a missing one is an error). The
  translation file remembers a fingerprint of the English text each translation was made
  from, so an English cell edited since is an error until its translation is updated and the
  file re-stamped (``python scripts/zh_edition.py --stamp NAME.ipynb``).
- In code cells, a string literal or a comment whose exact source text (quotes and prefix
  included, e.g. ``"Reports per year"`` or ``f"{n} reports"`` or ``# count the words``) is a
  key of ``tokens`` is replaced by its value; nothing else in a code cell can change. A key
  that matches nothing is an error (the English changed: update the translation).
- ``helpers.setup(language="en")`` becomes ``helpers.setup(language="zh")``: the helpers'
  messages to the learner (exercise checks) are then in Chinese.
- Relative paths in string literals that start with ``../`` get one more ``../``: the Chinese
  notebooks sit one folder deeper.
- The navigation cells (tagged ``navigation``, written by scripts/navigation.py) are
  written here in Chinese, pointing within the Chinese edition; they need no translation.
- Cell ids, tags and metadata are kept. A code cell whose source is unchanged keeps the
  outputs the Chinese notebook already has; others are emptied (``make run`` executes them).

``tests/test_zh_edition.py`` checks the result the other way round, from the committed files:
the syntax trees of the two editions' code cells are equal once string constants are set
aside, and every markdown cell has its counterpart.

Usage:  python scripts/zh_edition.py [--stamp] [NOTEBOOK ...]   (default: every translated one)
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import sys
import tokenize
from pathlib import Path

import nbformat

from helpers.cache import write_atomically

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"
TRANSLATIONS = ZH / "translations"


def deeper(token: str) -> str:
    """A string literal's relative path one folder deeper: "../seeds" -> "../../seeds"."""
    for quote in ('"', "'"):
        for prefix in ("", "f", "r"):
            start = f"{prefix}{quote}../"
            if token.startswith(start):
                return f"{prefix}{quote}../../" + token[len(start) :]
    return token


def translate_code(source: str, tokens: dict[str, str], used: set[str]) -> str:
    """`source` with its string literals and comments replaced from `tokens`."""
    lines = source.splitlines(keepends=True)
    # offsets of line starts, to turn (row, col) into a position in the text
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    pieces, position = [], 0
    readline = io.StringIO(source).readline
    for token in tokenize.generate_tokens(readline):
        if token.type not in (tokenize.STRING, tokenize.COMMENT):
            continue
        new = tokens.get(token.string)
        if new is not None:
            used.add(token.string)
        else:
            new = deeper(token.string) if token.type == tokenize.STRING else token.string
        if new == token.string:
            continue
        begin = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        pieces += [source[position:begin], new]
        position = end
    pieces.append(source[position:])
    return "".join(pieces)


NAV_TAG = "navigation"
CONTENTS = "[目录](../../README.zh.md)"


def read_translation(english: Path) -> dict:
    translation_file = TRANSLATIONS / f"{english.stem}.json"
    if not translation_file.exists():
        raise SystemExit(f"{english.name}: no translation file {translation_file}")
    return json.loads(translation_file.read_text(encoding="utf-8"))


def chinese_title(english: Path) -> str:
    """The first ``#`` heading of the notebook's Chinese markdown."""
    markdown = read_translation(english)["markdown"]
    for cell in nbformat.read(english, as_version=4).cells:
        match = re.search(r"^#\s+(.+)$", markdown.get(cell.get("id"), ""), flags=re.MULTILINE)
        if cell.cell_type == "markdown" and match:
            return match.group(1).strip()
    return english.stem


def nav_line(english: Path) -> str:
    """previous · 目录 · next, within the Chinese edition (as scripts/navigation.py does)."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    i = [p.name for p in paths].index(english.name)
    parts = []
    if i > 0:
        parts.append(f"< [{chinese_title(paths[i - 1])}]({paths[i - 1].name})")
    parts.append(CONTENTS)
    if i < len(paths) - 1:
        parts.append(f"[{chinese_title(paths[i + 1])}]({paths[i + 1].name}) >")
    return " | ".join(parts)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stamp(english: Path) -> None:
    """Record that the translation file now matches the English markdown."""
    path = TRANSLATIONS / f"{english.stem}.json"
    translation = read_translation(english)
    cells = nbformat.read(english, as_version=4).cells
    translation["english"] = {
        c.id: fingerprint(c.source)
        for c in cells
        if c.cell_type == "markdown" and not is_navigation(c)
    }
    write_atomically(path, (json.dumps(translation, ensure_ascii=False, indent=1) + "\n").encode())


def is_navigation(cell: nbformat.NotebookNode) -> bool:
    return NAV_TAG in cell.get("metadata", {}).get("tags", [])


def generate(english: Path) -> nbformat.NotebookNode:
    """The Chinese notebook, from the English notebook and its translation file."""
    translation_file = TRANSLATIONS / f"{english.stem}.json"
    translation = read_translation(english)
    markdown, tokens = translation["markdown"], translation.get("tokens", {})
    translated_from = translation.get("english", {})
    nb = nbformat.read(english, as_version=4)
    zh, used, missing, stale = copy.deepcopy(nb), set(), [], []
    for cell in zh.cells:
        if cell.cell_type == "markdown" and is_navigation(cell):
            cell.source = nav_line(english)
        elif cell.cell_type == "markdown":
            if cell.id not in markdown:
                missing.append(cell.id)
                continue
            if translated_from and translated_from.get(cell.id) != fingerprint(cell.source):
                stale.append(cell.id)
            cell.source = markdown[cell.id]
        elif cell.cell_type == "code":
            cell.source = translate_code(cell.source, tokens, used).replace(
                'helpers.setup(language="en")', 'helpers.setup(language="zh")'
            )
            cell.outputs, cell.execution_count = [], None
    prose = {c.id for c in nb.cells if c.cell_type == "markdown" and not is_navigation(c)}
    unknown = sorted(set(markdown) - prose - {c.id for c in nb.cells if is_navigation(c)})
    unused = sorted(set(tokens) - used)
    problems = [
        *(f"markdown cell {i} has no translation" for i in missing),
        *(f"translation for a markdown cell that does not exist: {i}" for i in unknown),
        *(f"token matches nothing in the code: {t!r}" for t in unused),
        *(
            f"markdown cell {i}: the English changed since it was translated (update the "
            f"translation, then: python scripts/zh_edition.py --stamp {english.name})"
            for i in stale
        ),
    ]
    if problems:
        raise SystemExit(f"{translation_file.name}:\n  " + "\n  ".join(problems))
    return zh


def build(english: Path) -> Path:
    """Write notebooks/zh/<name> (outputs empty: ``make run`` executes it)."""
    zh = generate(english)
    out = ZH / english.name
    if out.exists():  # keep the outputs of code that has not changed
        old = {c.id: c for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"}
        for cell in zh.cells:
            before = old.get(cell.get("id"))
            if cell.cell_type == "code" and before is not None and before.source == cell.source:
                cell.outputs, cell.execution_count = before.outputs, before.execution_count
    out.parent.mkdir(exist_ok=True)
    write_atomically(out, (nbformat.writes(zh) + "\n").encode())
    return out


def main(argv: list[str]) -> int:
    stamping = "--stamp" in argv
    argv = [a for a in argv if a != "--stamp"]
    names = argv or sorted(p.stem + ".ipynb" for p in TRANSLATIONS.glob("*.json"))
    for name in names:
        if stamping:
            stamp(NOTEBOOKS / Path(name).name)
        print("wrote", build(NOTEBOOKS / Path(name).name).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
