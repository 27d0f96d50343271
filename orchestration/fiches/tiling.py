"""Where Plotly will put a treemap's tiles, to tell beforehand which tiles are too small for their label.

Plotly lays a flat treemap out with d3's squarified tiling (ratio 1) inside the plot area less its
padding; `squarify` reproduces it, so the fiche can number the small tiles and name them in a legend
instead of leaving them blank (Plotly hides a label that would be smaller than `uniformtext.minsize`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

ROOT_PAD = (6, 24, 6, 6)  # px Plotly keeps inside the treemap's root: left, top, right, bottom
TILE_PAD = 2  # px between tiles (`tiling.pad`)
TEXT_PAD = 3  # px between a tile's edge and its label
CHAR_EM = 0.7  # width of a bold character, in em: the widest of DejaVu Sans Bold's (the widest fallback font)
LINE_EM = 1.3  # Plotly's line spacing


def squarify(values: Sequence[float], width: float, height: float) -> list[tuple[float, float]]:
    """(width, height) of each tile of `values` (sorted descending) in a width × height box: d3's squarify, ratio 1."""
    sizes: list[tuple[float, float]] = []
    x0, y0, x1, y1 = 0.0, 0.0, float(width), float(height)
    remaining = float(sum(values))
    start = 0
    while start < len(values) and values[start] > 0:
        end, row_sum = _row(values, start, x1 - x0, y1 - y0, remaining)
        share = row_sum / remaining
        if x1 - x0 < y1 - y0:  # a row across the width, as tall as its share
            band = (y1 - y0) * share
            sizes += [((x1 - x0) * v / row_sum, band) for v in values[start:end]]
            y0 += band
        else:  # a column down the height
            band = (x1 - x0) * share
            sizes += [(band, (y1 - y0) * v / row_sum) for v in values[start:end]]
            x0 += band
        remaining -= row_sum
        start = end
    sizes += [(0.0, 0.0)] * (len(values) - len(sizes))  # zero values left at the end get no area
    return sizes


def _row(values: Sequence[float], start: int, dx: float, dy: float, remaining: float) -> tuple[int, float]:
    """d3's next row: values are added while its worst aspect ratio does not get worse; (end, sum)."""
    alpha = max(dy / dx, dx / dy) / remaining if dx > 0 and dy > 0 else 1.0 / remaining
    row_sum = low = high = float(values[start])
    worst = _worst(row_sum, low, high, alpha)
    end = start + 1
    while end < len(values):
        value = float(values[end])
        candidate = _worst(row_sum + value, min(low, value), max(high, value), alpha)
        if value <= 0 or candidate > worst:
            break
        row_sum, low, high, worst = row_sum + value, min(low, value), max(high, value), candidate
        end += 1
    return end, row_sum


def _worst(row_sum: float, low: float, high: float, alpha: float) -> float:
    """The worst aspect ratio of a row (d3's `max(maxValue / beta, beta / minValue)`)."""
    beta = row_sum * row_sum * alpha
    return max(high / beta, beta / low) if beta > 0 and low > 0 else float("inf")


def tile_sizes(values: Sequence[float], width: float, height: float) -> list[tuple[float, float]]:
    """Each tile's drawn size in a treemap of the given plot size (`values` in Plotly's order: descending)."""
    left, top, right, bottom = ROOT_PAD
    box_w, box_h = width - left - right + TILE_PAD, height - top - bottom + TILE_PAD
    return [(max(w - TILE_PAD, 0.0), max(h - TILE_PAD, 0.0)) for w, h in squarify(values, box_w, box_h)]


def label_fits(lines: Sequence[str], tile: tuple[float, float], font_px: float) -> bool:
    """Whether text of these lines fits inside a tile at `font_px` (bold, Plotly's line spacing and padding)."""
    width, height = tile
    need_w = max((len(line) for line in lines), default=0) * CHAR_EM * font_px + 2 * TEXT_PAD
    need_h = len(lines) * LINE_EM * font_px + 2 * TEXT_PAD
    return need_w <= width and need_h <= height


def fit_label(
    text: str, tail: str, sizes: Sequence[tuple[float, float]], font_px: float, max_chars: int = 28
) -> list[str] | None:
    """`text` wrapped to the narrowest of a tile's `sizes`, if its lines and a last line `tail` fit in each at
    `font_px`; else None."""
    narrowest = min(width for width, _ in sizes)
    chars = min(max_chars, int((narrowest - 2 * TEXT_PAD) / (CHAR_EM * font_px)))
    if chars < 1:
        return None
    lines = textwrap.wrap(text, chars, break_long_words=False)
    return lines if all(label_fits([*lines, tail], size, font_px) for size in sizes) else None
