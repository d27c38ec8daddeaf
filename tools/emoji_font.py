"""Build assets/emoji.ttf: the few colour emoji the page shows, for visitors whose
machine has no emoji font (their browser would draw empty boxes instead).

    pip install fonttools                 # a tool for this script only, not a dependency of sfui
    apt-get download fonts-noto-color-emoji && dpkg-deb -x fonts-noto-color-emoji_*.deb /tmp/noto
    python -m tools.emoji_font /tmp/noto/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

The emoji are found in sfui's own sources and catalogue (``page_emoji()``), so a new one
is covered by running this again; tests/test_firstscreen_browser.py checks that every one
of them is drawn in colour in a Chromium that has no emoji font. Noto Color Emoji is under
the SIL Open Font License 1.1, which allows a subset to be shipped with the app
(assets/emoji-LICENSE.txt). (run from the repository root)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "assets" / "emoji.ttf"
# Emoji blocks (and the few older symbols sfui uses that Unicode gives an emoji form).
_RANGES = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2300, 0x23FF), (0x2B00, 0x2BFF))


def is_emoji(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in _RANGES)


def page_emoji() -> list[str]:
    """Every emoji in sfui's sources and in both catalogues, sorted by code point."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "sfui").rglob("*.py")))
    return sorted({ch for ch in text if is_emoji(ch)})


def unicode_range(chars: list[str]) -> str:
    """The CSS ``unicode-range`` of ``chars``: U+1F9E0, U+1F441, ..."""
    return ", ".join(f"U+{ord(ch):X}" for ch in chars)


def build(source: Path, output: Path = OUTPUT) -> Path:
    from fontTools import subset  # only this script needs fontTools

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the font's name and licence records
    options.notdef_outline = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in page_emoji()] + [0xFE0F])
    subsetter.subset(font)
    subset.save_font(font, str(output), options)
    return output


if __name__ == "__main__":
    path = build(Path(sys.argv[1]))
    print(f"{path}: {path.stat().st_size} bytes, {len(page_emoji())} emoji: {''.join(page_emoji())}")
