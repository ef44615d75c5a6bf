"""The raw reports are never edited: every file matches the manifest's SHA-256."""

from __future__ import annotations

import csv
import hashlib

import pytest
from support import ROOT, SEED_FILES, SEEDS

UPSTREAM = ROOT.parent / "shared" / "seeds"


def manifest_rows() -> list[dict[str, str]]:
    with open(SEEDS / "manifest.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_manifest_lists_every_seed_once():
    assert sorted(r["file"] for r in manifest_rows()) == [p.name for p in SEED_FILES]
    assert len(SEED_FILES) == 5


def test_every_seed_matches_its_manifest_hash():
    # Hashes computed here with hashlib, not with the helpers under test.
    for row in manifest_rows():
        digest = hashlib.sha256((SEEDS / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], (
            f"{row['file']} was edited: raw data must stay byte for byte"
        )


def test_seeds_are_byte_identical_to_the_upstream_copy_when_present():
    # The maintainers' checkout (and CI) has the originals beside the repository;
    # a learner's clone does not, and then the manifest hashes above are the check.
    if not UPSTREAM.is_dir():
        pytest.skip("no ../shared/seeds here; the manifest hashes checked the files")
    upstream = sorted(UPSTREAM.glob("*.txt"))
    assert [p.name for p in upstream] == [p.name for p in SEED_FILES]
    for original in upstream:
        assert (SEEDS / original.name).read_bytes() == original.read_bytes(), original.name


def test_manifest_has_the_documented_columns_and_values():
    rows = manifest_rows()
    expected = [
        "file",
        "sha256",
        "id",
        "title",
        "issuer",
        "region",
        "prefecture",
        "province",
        "level",
        "report_year",
        "published",
        "script",
        "notes",
    ]
    assert list(rows[0].keys()) == expected
    for row in rows:
        assert row["level"] in {"prefecture-level city", "county-level city", "district"}
        assert row["script"] in {"simplified", "traditional"}
        assert row["notes"], f"{row['file']}: notes must say what a reader needs to know"
        assert row["report_year"] == "" or 1990 < int(row["report_year"]) < 2100
