"""Figures are checked too: nbval skips images, so this test re-runs every notebook in a
fresh kernel and compares each figure with the one stored in the notebook."""

from __future__ import annotations

import base64

import nbformat
import pytest
from conftest import ROOT
from matplotlib.testing.compare import compare_images
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TOLERANCE = 2.0  # RMS difference of pixel values (0-255): allows antialiasing noise only


def figures(nb) -> dict[tuple[int, int], bytes]:
    found = {}
    for index, cell in enumerate(nb.cells):
        pngs = [
            o["data"]["image/png"]
            for o in cell.get("outputs", [])
            if "image/png" in o.get("data", {})
        ]
        for k, png in enumerate(pngs):
            found[(index, k)] = base64.b64decode(png)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_figure_matches_the_stored_one(path, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    NotebookClient(
        fresh,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    before, after = figures(stored), figures(fresh)
    assert before.keys() == after.keys(), f"{path.name}: figures appeared or vanished"
    for (cell, k), png in before.items():
        expected, actual = (
            tmp_path / f"cell{cell}_{k}_stored.png",
            tmp_path / f"cell{cell}_{k}_new.png",
        )
        expected.write_bytes(png)
        actual.write_bytes(after[(cell, k)])
        problem = compare_images(str(expected), str(actual), tol=TOLERANCE)
        assert problem is None, f"{path.name}, cell {cell}: the figure changed ({problem})"
    if path.name[:2] in {"01", "03", "04", "05"}:
        assert before, f"{path.name}: expected figures, found none"
