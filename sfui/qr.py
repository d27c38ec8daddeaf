"""QR codes as SVG, for share links and presenter mode (segno: pure Python, well kept)."""

from __future__ import annotations

import segno


def qr_svg(text: str, *, scale: int = 4, dark: str = "#000", light: str = "#fff") -> str:
    """``text`` as an inline SVG QR code (error correction M; the smallest version that holds it).
    Raises ValueError when ``text`` is too long for any QR code."""
    try:
        code = segno.make(text, error="m", micro=False)
    except segno.DataOverflowError as exc:
        raise ValueError(str(exc)) from None
    return code.svg_inline(scale=scale, dark=dark, light=light, border=2)
