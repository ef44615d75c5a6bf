"""Figures are checked in the notebook run that nbval already does.

nbval compares a notebook's text outputs with the stored ones and skips images.
:func:`install` extends each nbval cell so that it also compares its fresh PNG
figures with the stored ones (matplotlib's ``compare_images``, with a small RMS
tolerance for antialiasing noise). The root ``conftest.py`` installs it.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

#: RMS difference of pixel values (0-255) allowed between a stored and a fresh figure.
TOLERANCE = 2.0


def pngs(outputs) -> list[bytes]:
    """The PNG images among a cell's outputs, decoded."""
    return [
        base64.b64decode(output["data"]["image/png"])
        for output in outputs
        if "image/png" in output.get("data", {})
    ]


def figure_differences(stored_outputs, fresh_outputs) -> list[str]:
    """How a cell's fresh figures differ from its stored ones, one message each (none: same)."""
    from matplotlib.testing.compare import compare_images
    from matplotlib.testing.exceptions import ImageComparisonFailure

    stored, fresh = pngs(stored_outputs), pngs(fresh_outputs)
    if len(stored) != len(fresh):
        return [f"{len(stored)} figure(s) stored, {len(fresh)} drawn now"]
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        for k, (old, new) in enumerate(zip(stored, fresh, strict=True)):
            expected, actual = Path(folder, f"{k}-stored.png"), Path(folder, f"{k}-new.png")
            expected.write_bytes(old)
            actual.write_bytes(new)
            try:
                found = compare_images(str(expected), str(actual), tol=TOLERANCE)
            except ImageComparisonFailure as err:  # e.g. a figure of another size
                found = str(err)
            if found is not None:
                problems.append(f"figure {k + 1} changed: {found}")
    return problems


def install(items) -> None:
    """Make every nbval cell among ``items`` check its figures as well as its text."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: nothing to extend
        return
    for item in items:
        if not isinstance(item, IPyNbCell):
            continue
        compare_text = item.compare_outputs

        def compare(test, ref, skip_compare=None, item=item, compare_text=compare_text):
            same = compare_text(test, ref, skip_compare)
            problems = figure_differences(item.cell.outputs, test)
            item.comparison_traceback.extend(problems)
            return same and not problems

        item.compare_outputs = compare
