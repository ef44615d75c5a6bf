"""Figures are checked in the notebook run nbval does: the check itself must be able to fail."""

from __future__ import annotations

import base64
import io

import matplotlib
import nbval_figures

matplotlib.use("Agg", force=True)


def png_output(draw) -> dict:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    draw(ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode()
    return {"output_type": "display_data", "data": {"image/png": png}}


def test_the_same_figure_passes_and_a_changed_one_fails():
    bars = png_output(lambda ax: ax.bar([1, 2, 3], [3, 1, 2]))
    same = png_output(lambda ax: ax.bar([1, 2, 3], [3, 1, 2]))
    changed = png_output(lambda ax: ax.bar([1, 2, 3], [3, 2, 2]))
    assert nbval_figures.figure_differences([bars], [same]) == []
    problems = nbval_figures.figure_differences([bars], [changed])
    assert len(problems) == 1 and problems[0].startswith("figure 1 changed")
    resized = png_output(lambda ax: (ax.bar([1, 2, 3], [3, 1, 2]), ax.figure.set_size_inches(4, 2)))
    problems = nbval_figures.figure_differences([bars], [resized])
    assert len(problems) == 1 and "size" in problems[0]


def test_a_figure_that_appears_or_vanishes_fails():
    bars = png_output(lambda ax: ax.bar([1, 2], [1, 2]))
    text = {"output_type": "stream", "name": "stdout", "text": "no figure"}
    assert nbval_figures.figure_differences([bars], [text]) == ["1 figure(s) stored, 0 drawn now"]
    assert nbval_figures.figure_differences([text], [bars]) == ["0 figure(s) stored, 1 drawn now"]
