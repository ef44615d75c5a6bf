"""The Chinese edition (notebooks/zh/) keeps step with the English one.

- Code: every code cell does the same computation in both editions. Their syntax trees
  must be equal once string constants (printed prose, chart labels, paths one folder
  deeper) are set aside; comments are not in the tree at all.
- Text: every markdown cell has its counterpart (same cell id, same position), and the
  Chinese one is written in Chinese.
- One source: each Chinese notebook is what scripts/zh_edition.py makes from the English
  notebook and its translation file, so an edit to either shows up here until the
  edition is rebuilt (``python scripts/zh_edition.py`` then ``make run``).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat
import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import zh_edition

ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ZH = ROOT / "notebooks" / "zh"
CJK = re.compile(r"[\u4e00-\u9fff]")


class SetStringsAside(ast.NodeTransformer):
    """Replace every string constant by the same placeholder; keep everything else."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant("<str>") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # an f-string: its expressions are computation, its literal text is display
        values = [self.visit(v) for v in node.values if not isinstance(v, ast.Constant)]
        return ast.JoinedStr(values=values)


def computation(source: str) -> str:
    """The code's syntax tree with strings set aside (IPython magics left out)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = SetStringsAside().visit(ast.parse("\n".join(lines)))
    return ast.dump(tree, include_attributes=False)


def pairs(english: Path) -> list[tuple[nbformat.NotebookNode, nbformat.NotebookNode]]:
    zh = ZH / english.name
    assert zh.exists(), f"no Chinese edition of {english.name}: python scripts/zh_edition.py"
    a, b = nbformat.read(english, as_version=4), nbformat.read(zh, as_version=4)
    assert [c.id for c in a.cells] == [c.id for c in b.cells], f"{english.name}: cells differ"
    return list(zip(a.cells, b.cells, strict=True))


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_code_cells_do_the_same_computation(english: Path) -> None:
    for en, zh in pairs(english):
        assert en.cell_type == zh.cell_type, en.id
        assert en.metadata.get("tags", []) == zh.metadata.get("tags", []), en.id
        if en.cell_type == "code":
            assert computation(en.source) == computation(zh.source), (
                f"{english.name}, cell {en.id}: the code differs between the editions"
            )


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_every_markdown_cell_has_a_chinese_counterpart(english: Path) -> None:
    for en, zh in pairs(english):
        if en.cell_type != "markdown" or "navigation" in en.metadata.get("tags", []):
            continue  # navigation lines are written by scripts/zh_edition.py itself
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"`[^`]*`|\]\([^)]*\)", "", en.source))
        if len(words) >= 5:  # prose, not just a link or a formula
            assert len(CJK.findall(zh.source)) >= 10 and zh.source != en.source, (
                f"{english.name}, cell {en.id} is not translated"
            )


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_chinese_edition_is_generated_from_the_english_one(english: Path) -> None:
    generated = zh_edition.generate(english)
    committed = nbformat.read(ZH / english.name, as_version=4)
    for new, old in zip(generated.cells, committed.cells, strict=True):
        assert new.source == old.source, (
            f"notebooks/zh/{english.name}, cell {new.id} is not what the English notebook and "
            "its translation give: run python scripts/zh_edition.py, then make run"
        )


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_every_translation_records_the_english_it_was_made_from(english: Path) -> None:
    # generate() refuses a cell whose English changed since; this checks the record exists.
    recorded = zh_edition.read_translation(english).get("english", {})
    cells = nbformat.read(english, as_version=4).cells
    prose = [c for c in cells if c.cell_type == "markdown" and not zh_edition.is_navigation(c)]
    assert {c.id for c in prose} == set(recorded), "run: python scripts/zh_edition.py --stamp"
    edited = prose[0].source + " (edited)"
    assert recorded[prose[0].id] != zh_edition.fingerprint(edited)


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.stem)
def test_chinese_edition_speaks_chinese_and_its_links_resolve(english: Path) -> None:
    zh = nbformat.read(ZH / english.name, as_version=4)
    code = "\n".join(c.source for c in zh.cells if c.cell_type == "code")
    assert 'helpers.setup(language="zh")' in code
    for cell in zh.cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", cell.source):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            assert (ZH / target).resolve().exists(), f"zh/{english.name}, {cell.id}: {target}"


def test_the_token_replacement_changes_only_strings_and_comments() -> None:
    source = 'x = len("abc")  # count\nprint(f"{x} reports")\npath = "../seeds"\n'
    tokens = {'"abc"': '"甲乙丙"', "# count": "# 计数", 'f"{x} reports"': 'f"{x} 份报告"'}
    used: set[str] = set()
    out = zh_edition.translate_code(source, tokens, used)
    assert out == 'x = len("甲乙丙")  # 计数\nprint(f"{x} 份报告")\npath = "../../seeds"\n'
    assert used == set(tokens)
    assert computation(out) == computation(source)
    assert computation("y = len('abc')") != computation(source)
