"""What the ``vision`` scenario reads from a request's ``image_url`` parts: type, size, detail."""

from __future__ import annotations

import base64
import re
import struct

IMAGE_PROMPT_TOKENS = 256  # prompt tokens an image part costs (a fixed figure; real models vary)


def _image_size(data: bytes) -> str:
    """``WxH`` of a PNG, GIF, JPEG or WebP file from its header, else ``?x?``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return f"{width}x{height}"
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return f"{width}x{height}"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        chunk = data[12:16]
        if chunk == b"VP8X" and len(data) >= 30:
            return f"{int.from_bytes(data[24:27], 'little') + 1}x{int.from_bytes(data[27:30], 'little') + 1}"
        if chunk == b"VP8 " and len(data) >= 30:
            width, height = struct.unpack("<HH", data[26:30])
            return f"{width & 0x3FFF}x{height & 0x3FFF}"
        if chunk == b"VP8L" and len(data) >= 25:
            bits = int.from_bytes(data[21:25], "little")
            return f"{(bits & 0x3FFF) + 1}x{((bits >> 14) & 0x3FFF) + 1}"
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return f"{width}x{height}"
            i += 2 + length
    return "?x?"


def _images_of(messages: list[dict]) -> list[str]:
    """Each ``image_url`` part of the request as ``"<mime> <W>x<H> detail=<detail>"``."""
    seen = []
    for message in messages:
        content = message.get("content")
        for part in content if isinstance(content, list) else []:
            if not (isinstance(part, dict) and part.get("type") == "image_url"
                    and isinstance(part.get("image_url"), dict)):
                continue
            url, detail = str(part["image_url"].get("url") or ""), part["image_url"].get("detail", "-")
            match = re.fullmatch(r"data:([\w/+.-]+);base64,([A-Za-z0-9+/=]*)", url)
            if match is None:
                seen.append(f"url {url[:40]} detail={detail}")
                continue
            try:
                data = base64.b64decode(match.group(2), validate=True)
            except ValueError:
                seen.append(f"{match.group(1)} undecodable detail={detail}")
                continue
            seen.append(f"{match.group(1)} {_image_size(data)} detail={detail}")
    return seen
