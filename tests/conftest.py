"""Shared fixtures: the seed reports are the test data."""

from __future__ import annotations

from pathlib import Path

import pytest

import helpers

ROOT = helpers.REPO_ROOT
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """File name -> text, decoded here independently of the helpers (UTF-8, as shipped)."""
    return {p.name: p.read_bytes().decode("utf-8") for p in SEED_FILES}


@pytest.fixture(scope="session")
def reports():
    return helpers.load_reports()


@pytest.fixture(scope="session")
def docs(reports) -> dict[str, str]:
    """Report id -> cleaned text, as every notebook from 03 on starts."""
    cleaned = helpers.clean_reports(reports)
    return dict(zip(cleaned["id"], cleaned["clean"], strict=True))


def copy_seed(name: str, folder: Path) -> Path:
    target = folder / name
    target.write_bytes((SEEDS / name).read_bytes())
    return target
