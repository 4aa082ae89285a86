"""Measure text in the vendored fonts, to size the short rules under the agency, motto and subject."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .nd30 import POINT_MM
from .tools import FONTS_DIR


@cache
def _metrics(path: Path) -> tuple[dict[int, int], int]:
    font = TTFont(str(path), lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    advances = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    return advances, font["head"].unitsPerEm


def text_width_mm(text: str, size_pt: float, bold: bool = False, fonts_dir: Path = FONTS_DIR) -> float:
    """Advance width of ``text`` set in Liberation Serif (Regular or Bold) at ``size_pt``."""
    advances, per_em = _metrics(fonts_dir / f"LiberationSerif-{'Bold' if bold else 'Regular'}.ttf")
    units = sum(advances.get(ord(ch), per_em // 2) for ch in text)
    return units / per_em * size_pt * POINT_MM
