"""Chinese renders in figures: every character of the seed reports has a glyph."""

from __future__ import annotations

import warnings

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from support import SEED_FILES

import helpers


def seed_characters() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in SEED_FILES)
    return sorted({ch for ch in text if ch.isprintable() and not ch.isspace()})


def missing_glyph_warnings(text: str) -> list[str]:
    helpers.setup()
    # Only the Chinese font: no fallback that could hide a missing glyph.
    only_noto = {"font.family": "sans-serif", "font.sans-serif": [helpers.fonts.font_name()]}
    with matplotlib.rc_context(only_noto), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure(figsize=(8, 8))  # drawn off-screen, whatever the backend
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_title(text[:40])
        for row in range(0, len(text), 40):
            ax.text(0, 1 - row / len(text), text[row : row + 40], fontsize=6)
        fig.canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_every_seed_character_draws_without_a_missing_glyph_warning():
    chars = seed_characters()
    assert len(chars) > 1000  # Simplified and Traditional Han, digits, punctuation
    assert missing_glyph_warnings("".join(chars)) == []


def test_the_check_above_does_detect_a_missing_glyph():
    # An emoji is not in Noto Sans CJK: the same check must report it.
    assert any("128512" in w for w in missing_glyph_warnings("法治 \U0001f600"))


def test_matplotlib_uses_the_packaged_font_not_a_system_one():
    helpers.setup()
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert found == str(helpers.fonts.font_path())


def test_the_font_file_is_openly_licensed():
    names = TTFont(helpers.fonts.font_path(), lazy=True)["name"]
    licence = str(names.getDebugName(13))  # nameID 13: licence description
    assert "SIL Open Font License" in licence
    assert helpers.fonts.font_name() == "Noto Sans CJK SC"


def test_font_path_explains_how_to_fix_a_missing_font(monkeypatch):
    monkeypatch.setattr(helpers.fonts, "FONT_FILE", "NoSuchFont.otf")
    with pytest.raises(FileNotFoundError, match="make install"):
        helpers.fonts.font_path()
