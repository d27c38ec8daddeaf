"""Draw ``assets/sample.jpg``: a small photo-like picture for "describe this picture"
(the README's image screenshot, an example prompt): a sunset over a bay, with hills,
the sun's reflection on the water and a sailing boat, and a little grain so it
compresses like a photo. Drawn with Pillow from a fixed seed: the same file every time.

    python -m bench.sample_image            # writes assets/sample.jpg
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from tests.support import ROOT

SIZE = (800, 533)
QUALITY = 82
MAX_BYTES = 150 * 1024


def _gradient(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], top: tuple, bottom: tuple) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        f = (y - y0) / max(1, y1 - y0 - 1)
        draw.line([(x0, y), (x1, y)], fill=tuple(round(a + (b - a) * f) for a, b in zip(top, bottom, strict=True)))


def draw_sample(seed: int = 12) -> Image.Image:
    rng = random.Random(seed)
    width, height = SIZE
    horizon = int(height * 0.62)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, width, horizon), (38, 52, 112), (250, 160, 90))  # sky: dusk blue to orange
    sun = (int(width * 0.62), horizon - 38)
    for radius, colour in ((95, (252, 190, 120)), (70, (253, 205, 130)), (42, (255, 226, 160))):  # its glow
        draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(18))
    draw = ImageDraw.Draw(image)
    draw.ellipse([sun[0] - 30, sun[1] - 30, sun[0] + 30, sun[1] + 30], fill=(255, 240, 200))
    for shade, base, amplitude in (((88, 62, 84), horizon - 40, 60), ((52, 38, 60), horizon - 8, 40)):  # two hills
        points = [(0, height)]
        for x in range(0, width + 20, 20):
            points.append((x, base - amplitude * abs(((x / width) * 2.3 + rng.random() * 0.08) % 2 - 1)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    _gradient(draw, (0, horizon, width, height), (200, 120, 90), (40, 44, 80))  # the water
    for row in range(horizon + 4, height, 6):  # the sun's reflection, broken by ripples
        spread = 12 + (row - horizon) * 0.5
        for _ in range(3):
            x = sun[0] + rng.uniform(-spread, spread)
            draw.line([(x - rng.uniform(6, 24), row), (x + rng.uniform(6, 24), row)], fill=(255, 214, 150), width=2)
    boat_x, boat_y = int(width * 0.28), horizon + 52
    draw.polygon([(boat_x - 34, boat_y), (boat_x + 38, boat_y), (boat_x + 26, boat_y + 12),
                  (boat_x - 24, boat_y + 12)], fill=(30, 24, 34))  # hull
    draw.line([(boat_x, boat_y), (boat_x, boat_y - 70)], fill=(30, 24, 34), width=3)  # mast
    draw.polygon([(boat_x + 3, boat_y - 66), (boat_x + 3, boat_y - 6), (boat_x + 40, boat_y - 6)],
                 fill=(236, 220, 200))  # sail
    draw.polygon([(boat_x - 3, boat_y - 58), (boat_x - 3, boat_y - 6), (boat_x - 30, boat_y - 6)],
                 fill=(214, 196, 180))
    grain = Image.effect_noise(SIZE, 14).convert("RGB")  # a photo's grain
    return Image.blend(image, grain, 0.06).filter(ImageFilter.SMOOTH)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "sample.jpg")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    draw_sample().save(args.out, "JPEG", quality=QUALITY, optimize=True)
    size = args.out.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{args.out} is {size:,} bytes, over {MAX_BYTES:,}")
    print(f"{args.out}: {SIZE[0]}x{SIZE[1]}, {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
