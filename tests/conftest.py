"""Shared fixtures: the seed reports are the test data."""

from __future__ import annotations

import pytest
from support import SEED_FILES, SEEDS

import helpers


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """File name -> text, decoded here independently of the helpers (UTF-8, as shipped)."""
    return {p.name: p.read_bytes().decode("utf-8") for p in SEED_FILES}


@pytest.fixture(scope="session")
def reports():
    return helpers.load_reports(SEEDS)


@pytest.fixture(scope="session")
def clean_table(reports):
    """The corpus table with its clean column, as every notebook from 03 on starts."""
    return helpers.clean_reports(reports)


@pytest.fixture(scope="session")
def docs(clean_table) -> dict[str, str]:
    """Report id -> cleaned text, built here by hand from the corpus table."""
    return dict(zip(clean_table["id"], clean_table["clean"], strict=True))
