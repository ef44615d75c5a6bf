"""Paths and small helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SAMPLES = ROOT / "samples" / "your_reports"


def copy_seed(name: str, folder: Path) -> Path:
    target = folder / name
    target.write_bytes((SEEDS / name).read_bytes())
    return target
