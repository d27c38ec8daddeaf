"""Draw the benchmark as a PNG with Pillow: one panel per target, a bar per
row (client alone / sfui / compare / baseline) that has the figure, and the
target as a dashed line.

Each panel's scale is set so the target line and the small bars stay
readable: a bar more than four times the target is cut at the top (with a
zig-zag) and labelled with its real value.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bench.report import COMPARE, Row, Target

# (row, label under its bar, colour)
SERIES = (
    ("client alone", "client alone", (150, 150, 150)),
    ("sfui", "sfui", (46, 110, 200)),
    (COMPARE, "compare x3", (120, 80, 180)),
    ("baseline", "baseline", (230, 126, 34)),
)
TARGET_COLOUR = (200, 40, 40)
INK, GRID, BACKGROUND = (30, 30, 30), (225, 225, 225), (255, 255, 255)
PANEL_W, PANEL_H, COLS = 330, 250, 4
MARGIN = 16
CLIP_FACTOR = 4.0  # bars taller than this many times the target are cut


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)  # FreeType build of Pillow: a scalable font
    except (TypeError, OSError):
        return ImageFont.load_default()


def _dashed_hline(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int) -> None:
    for x in range(x0, x1, 10):
        draw.line([(x, y), (min(x + 6, x1), y)], fill=TARGET_COLOUR, width=2)


def _value_text(target: Target, value: float) -> str:
    return "timeout" if math.isinf(value) else target.fmt(value)


def _panel(draw: ImageDraw.ImageDraw, x: int, y: int, target: Target, rows: dict[str, Row]) -> None:
    title_font, small = _font(14), _font(12)
    draw.text((x + 8, y + 6), target.title, fill=INK, font=title_font)
    values = [(name, colour, rows.get(row, {}).get(target.key)) for row, name, colour in SERIES]
    values = [(n, c, v) for n, c, v in values if v is not None]
    plot_top, plot_bottom = y + 48, y + PANEL_H - 34
    left, right = x + 12, x + PANEL_W - 12
    finite = [v for _, _, v in values if not math.isinf(v) and v <= target.limit * CLIP_FACTOR]
    top_value = max([target.limit * 1.6, *finite]) * 1.12
    scale = (plot_bottom - plot_top) / top_value

    def y_of(v: float) -> int:
        return int(plot_bottom - min(max(v, 0), top_value) * scale)

    draw.line([(left, plot_bottom), (right, plot_bottom)], fill=GRID, width=1)
    if not values:
        draw.text((left, plot_top + 40), "not measured", fill=INK, font=small)
    slot = (right - left) / max(len(values), 1)
    for i, (name, colour, value) in enumerate(values):
        bx0 = int(left + slot * i + slot * 0.18)
        bx1 = int(left + slot * (i + 1) - slot * 0.18)
        clipped = math.isinf(value) or value > top_value
        top = plot_top if clipped else y_of(value)
        draw.rectangle([bx0, top, bx1, plot_bottom], fill=colour)
        if clipped:  # a white zig-zag across the bar: "taller than shown"
            zig = [(bx0 + k * 6, top + 14 + (4 if k % 2 else -4)) for k in range((bx1 - bx0) // 6 + 1)]
            draw.line(zig, fill=BACKGROUND, width=3)
        label = _value_text(target, value)
        lw = draw.textlength(label, font=small)
        draw.text((int((bx0 + bx1 - lw) / 2), top - 16), label, fill=INK, font=small)
        nw = draw.textlength(name, font=small)
        draw.text((int((bx0 + bx1 - nw) / 2), plot_bottom + 6), name, fill=INK, font=small)
    ty = y_of(target.limit)
    _dashed_hline(draw, left, right, ty)
    label = f"target {target.fmt(target.limit)}"
    box = draw.textbbox((left + 2, ty - 16), label, font=small)
    draw.rectangle([box[0] - 2, box[1] - 1, box[2] + 2, box[3] + 1], fill=BACKGROUND)  # readable over a bar
    draw.text((left + 2, ty - 16), label, fill=TARGET_COLOUR, font=small)
    draw.rectangle([x, y, x + PANEL_W - 1, y + PANEL_H - 1], outline=GRID)


def draw_chart(rows: dict[str, Row], target_list: list[Target], path: Path, caption: str) -> Path:
    panels = len(target_list) + 1  # the last cell holds the caption
    grid_rows = math.ceil(panels / COLS)
    width = COLS * PANEL_W + (COLS + 1) * MARGIN
    height = grid_rows * PANEL_H + (grid_rows + 1) * MARGIN + 40
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 12), "sfui benchmark (lower is better; dashed line = target)", fill=INK, font=_font(18))
    for i, target in enumerate(target_list):
        col, row = i % COLS, i // COLS
        _panel(draw, MARGIN + col * (PANEL_W + MARGIN), 40 + MARGIN + row * (PANEL_H + MARGIN), target, rows)
    i = len(target_list)
    cx, cy = MARGIN + (i % COLS) * (PANEL_W + MARGIN), 40 + MARGIN + (i // COLS) * (PANEL_H + MARGIN)
    draw.multiline_text((cx + 8, cy + 8), caption, fill=INK, font=_font(12), spacing=5)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path
