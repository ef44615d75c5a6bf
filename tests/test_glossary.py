"""The glossary and the segmentation vocabulary can never disagree."""

from __future__ import annotations

import importlib.util

from support import ROOT

import helpers

spec = importlib.util.spec_from_file_location(
    "make_glossary", ROOT / "scripts" / "make_glossary.py"
)
make_glossary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_glossary)


def test_docs_glossary_is_what_the_vocabulary_generates():
    stored = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert stored == make_glossary.render(), "run `make glossary` after editing the vocabulary"


def test_every_vocabulary_term_has_one_glossary_row_with_its_gloss():
    stored = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = [line.split(" | ") for line in stored.splitlines() if line.startswith("| ")][1:]
    terms = [row[0].removeprefix("| ") for row in rows]
    vocabulary = helpers.load_vocabulary()
    assert sorted(terms) == sorted(vocabulary["term"])
    glosses = dict(zip(vocabulary["term"], vocabulary["english"], strict=True))
    for row in rows:
        assert row[2] == glosses[row[0].removeprefix("| ")]


def test_pinyin_has_tone_marks():
    assert make_glossary.to_pinyin("行政复议") == "xíng zhèng fù yì"
