"""Pictures for vision models, as plain Python: check an uploaded file and make it fit.

A file is judged by its bytes, never by its name or the type a browser claims:
``sniff_type`` reads the magic bytes, and only PNG, JPEG, WebP and GIF (``ACCEPTED``) go
on. ``prepare_image`` refuses what cannot be sent with an InputError whose catalogue key
(``input_image_*``) says why in the visitor's language, and otherwise returns a
``PreparedImage`` holding a ``data:`` URL:

- a small picture in an accepted type (long side at most ``MAX_SIDE``, one frame, upright)
  is sent byte for byte;
- a larger one is turned upright (its EXIF orientation applied, so a phone photo is not
  sideways) and scaled down to ``MAX_SIDE`` on its long side, aspect kept, with a
  Lanczos filter; a photo (a JPEG file, or opaque pixels that a lossless PNG cannot hold
  compactly) is sent as a JPEG of quality ``JPEG_QUALITY``, anything with transparent
  pixels and any other opaque picture (a screenshot, a diagram) as a PNG, which keeps
  text sharp;
- a GIF (or another animated file) becomes its first frame, as a PNG.

A re-encoded picture keeps its colour profile and drops its other metadata (EXIF,
including any GPS position). How a picture travels in the chat history is
sfui/chat_images.py; how it goes into a request, sfui/chat.py (``api_messages``).

Nothing here imports Gradio or does HTTP.
"""

from __future__ import annotations

import base64
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from .i18n import t
from .params import InputError

ACCEPTED = {"image/png", "image/jpeg", "image/webp", "image/gif"}
MAX_BYTES = 20 * 1024 * 1024  # the largest file taken (20 MB)
MAX_SIDE = 2048  # the long side of a picture as sent, in pixels
# The most pixels decoded at once (after a JPEG's reduced-size decoding): a 20 MB file can
# still declare 50,000 x 50,000 pixels, and decoding that would take gigabytes of memory.
MAX_PIXELS = 100_000_000
JPEG_QUALITY = 90
# An opaque picture that is not a JPEG file (a screenshot, a diagram, a photo saved as PNG)
# is sent as a PNG when that takes at most this many bytes per pixel, else as a JPEG: a
# screenshot compresses well losslessly, a photo does not (3 bytes a pixel uncompressed).
PNG_BYTES_PER_PIXEL = 1.5
DETAILS = ("auto", "low", "high")
# A small photo-like picture shipped with the app (drawn by bench/sample_image.py), for
# "describe this picture": prepare_path(SAMPLE_IMAGE) and send it like an upload.
SAMPLE_IMAGE = Path(__file__).resolve().parent.parent / "assets" / "sample.jpg"

_MB = 1024 * 1024
_ORIENTATION = 0x0112  # the EXIF tag
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF"}


@dataclass(frozen=True)
class PreparedImage:
    """A picture ready to send: its ``data:`` URL and what was done to it. ``width`` and
    ``height`` are the picture as sent; ``original_*`` the picture as uploaded (upright,
    i.e. after its EXIF orientation). ``bytes_sent`` is the size of the image file in the
    URL (before base64)."""

    data_url: str = field(repr=False)
    mime: str
    width: int
    height: int
    original_width: int
    original_height: int
    bytes_sent: int
    scaled: bool
    name: str = ""


class ImageInputError(InputError):
    """An InputError about one file: its message starts with the file's name, when there is one."""

    def __init__(self, key: str, name: str = "", **values: Any) -> None:
        self.name = name
        super().__init__(key, **values)

    def problem(self, lang: str) -> str:
        problem = super().problem(lang)
        return t(lang, "input_image_named", name=self.name, problem=problem) if self.name else problem


# --- what a file is --------------------------------------------------------------------------


def sniff_type(data: bytes) -> str | None:
    """The MIME type of an accepted picture from its first bytes (PNG, JPEG, WebP, GIF),
    or None for anything else."""
    head = bytes(data[:16])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


# Other types a visitor may well pick, so that a refusal can name them.
_OTHER_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"\xff\x0a", "image/jxl"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "image/jxl"),
    (b"8BPS", "image/vnd.adobe.photoshop"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x7fELF", "application/x-executable"),
    (b"MZ", "application/x-msdownload"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"ID3", "audio/mpeg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
)
_FTYP_BRANDS = {  # ISO base media files (HEIC from iPhones, AVIF, MP4, MOV): the brand at bytes 8-12
    b"heic": "image/heic", b"heix": "image/heic", b"hevc": "image/heic", b"heim": "image/heic",
    b"heis": "image/heic", b"mif1": "image/heif", b"msf1": "image/heif",
    b"avif": "image/avif", b"avis": "image/avif", b"qt  ": "video/quicktime",
}
# Bytes that do not occur in text files (control characters other than \t \n \v \f \r and ESC).
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def describe_type(data: bytes) -> str:
    """The MIME type of any file, as well as its first bytes tell: an accepted picture's,
    a few common others (PDF, HEIC, BMP, ZIP, ...), "image/svg+xml", "text/html" or
    "text/plain" for text in any encoding, else "application/octet-stream"."""
    sniffed = sniff_type(data)
    if sniffed:
        return sniffed
    head = bytes(data[:8192])
    for magic, mime in _OTHER_MAGIC:
        if head.startswith(magic):
            return mime
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if head[:4] == b"RIFF":
        return {b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}.get(head[8:12], "application/octet-stream")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        return "text/plain"
    if head and not _BINARY_BYTES.search(head):  # text: UTF-8, GBK, Latin-1, ...
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if b"<svg" in start[:4096] and start.startswith((b"<svg", b"<?xml", b"<!doctype svg", b"<!--")):
            return "image/svg+xml"
        if start.startswith((b"<!doctype html", b"<html")):
            return "text/html"
        return "text/plain"
    return "application/octet-stream"


def _megabytes(size: int) -> str:
    """``size`` bytes in MB (of 1,048,576 bytes, as MAX_BYTES counts them), rounded up to a
    tenth so that a file over the limit never reads as the limit: "25 MB", "20.1 MB"."""
    tenths = math.ceil(size * 10 / _MB)
    return f"{tenths // 10:,} MB" if tenths % 10 == 0 else f"{tenths / 10:,.1f} MB"


def _base_name(name: str) -> str:
    return re.split(r"[\\/]", name or "")[-1].strip()


# --- preparing a picture ---------------------------------------------------------------------


def prepare_path(path: str | os.PathLike[str], name: str = "") -> PreparedImage:
    """``prepare_image`` for a file on disk (an upload Gradio has stored), refusing one that
    is too large before reading it. ``name`` is the name to show (default: the file's)."""
    name = _base_name(name or os.fspath(path))
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise ImageInputError("input_image_too_large", name, size=_megabytes(size), limit=_megabytes(MAX_BYTES))
    with open(path, "rb") as file:
        data = file.read(MAX_BYTES + 1)
    return prepare_image(data, name)


def prepare_image(data: bytes, name: str = "") -> PreparedImage:
    """The picture in ``data`` as it will be sent (see the module's notes), or an InputError
    (``input_image_empty``, ``input_image_too_large``, ``input_image_type``,
    ``input_image_too_many_pixels``, ``input_image_unreadable``) whose message names the
    file when ``name`` is given."""
    name = _base_name(name)
    data = bytes(data)
    if not data:
        raise ImageInputError("input_image_empty", name)
    if len(data) > MAX_BYTES:
        raise ImageInputError("input_image_too_large", name, size=_megabytes(len(data)), limit=_megabytes(MAX_BYTES))
    mime = sniff_type(data)
    if mime is None:
        raise ImageInputError("input_image_type", name, type=describe_type(data))
    try:
        return _prepare(data, mime, name)
    except InputError:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit (about 179 million pixels) on the size a file declares
        raise ImageInputError("input_image_too_many_pixels", name, limit=MAX_PIXELS // 1_000_000) from None
    except MemoryError:
        raise
    except Exception as exc:  # a damaged file raises anything (OSError, SyntaxError, struct.error, ...)
        raise ImageInputError("input_image_unreadable", name) from exc


def _prepare(data: bytes, mime: str, name: str) -> PreparedImage:
    image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[mime]])
    if mime != "image/jpeg":  # (a JPEG is checked after choosing its reduced size below)
        _check_pixels(image, name)  # before getexif(), which decodes a whole PNG
    orientation = image.getexif().get(_ORIENTATION, 1)
    turned = orientation in (5, 6, 7, 8)  # these swap width and height
    stored_w, stored_h = image.size
    width, height = (stored_h, stored_w) if turned else (stored_w, stored_h)
    frames = getattr(image, "n_frames", 1)
    scaled = max(width, height) > MAX_SIDE
    target = _fit(width, height) if scaled else (width, height)

    if not scaled and mime != "image/gif" and frames == 1 and orientation not in range(2, 9):
        image.load()  # decode it all: a damaged file is refused here, not by the API
        return _result(data, mime, (width, height), (width, height), False, name)

    if mime == "image/jpeg" and scaled:
        # Decode at 1/2, 1/4 or 1/8 size when that is still at least the target (far less
        # memory and time for a 50-megapixel photo); the Lanczos filter does the rest.
        image.draft(None, (target[1], target[0]) if turned else target)
    _check_pixels(image, name)
    image.load()
    # the colour profile goes with the pixels, unless they change colour space (CMYK -> RGB)
    icc = image.info.get("icc_profile") if image.mode not in ("CMYK", "YCbCr", "LAB") else None
    upright = _upright(image, target)
    out, out_mime = _reencode(upright, mime, icc)
    return _result(out, out_mime, upright.size, (width, height), scaled, name)


def _upright(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` turned upright, in a plain mode, at ``size``; an alpha channel is kept
    only when some pixel is transparent."""
    image = _plain_mode(ImageOps.exif_transpose(image))
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if image.mode in ("RGBA", "LA") and not _has_transparent_pixels(image):
        image = image.convert(image.mode[:-1])
    return image


def _has_transparent_pixels(image: Image.Image) -> bool:
    lowest_alpha = image.getchannel("A").getextrema()[0]  # one band: (lowest, highest)
    return isinstance(lowest_alpha, (int, float)) and lowest_alpha < 255


def _reencode(image: Image.Image, mime: str, icc: bytes | None) -> tuple[bytes, str]:
    """The bytes to send for an upright ``image`` that came as ``mime``, and their type:
    PNG when it has transparent pixels, JPEG for a JPEG file, else PNG unless a photo-like
    picture makes the PNG huge."""
    if image.mode in ("RGBA", "LA"):  # (_upright kept the alpha channel: it is used)
        return _encode(image, "PNG", icc), "image/png"
    if mime == "image/jpeg":
        return _encode(image, "JPEG", icc), "image/jpeg"
    out = _encode(image, "PNG", icc)
    if mime != "image/gif" and len(out) > PNG_BYTES_PER_PIXEL * image.width * image.height:
        return _encode(image, "JPEG", icc), "image/jpeg"
    return out, "image/png"


def _fit(width: int, height: int) -> tuple[int, int]:
    """(width, height) scaled so that the long side is MAX_SIDE, aspect kept."""
    if width >= height:
        return MAX_SIDE, max(1, round(height * MAX_SIDE / width))
    return max(1, round(width * MAX_SIDE / height)), MAX_SIDE


def _check_pixels(image: Image.Image, name: str) -> None:
    if image.width * image.height > MAX_PIXELS:
        raise ImageInputError("input_image_too_many_pixels", name, limit=MAX_PIXELS // 1_000_000)


def _plain_mode(image: Image.Image) -> Image.Image:
    """The picture in a mode PNG and JPEG both take: L or RGB, with an alpha channel (LA,
    RGBA) when it has transparency. A palette, CMYK, 16-bit or 1-bit picture is converted."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if image.mode in ("L", "RGB") and not has_alpha:
        return image
    if image.mode in ("LA", "RGBA"):
        return image
    if image.mode.startswith("I;16") and not has_alpha:  # 16-bit grey: its top 8 bits
        return image.point(lambda v: v * (1 / 256)).convert("L")
    return image.convert("RGBA" if has_alpha else "RGB")


def _encode(image: Image.Image, pillow_format: str, icc: bytes | None) -> bytes:
    buffer = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if pillow_format == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, **extra)
    else:
        image.save(buffer, "PNG", **extra)
    return buffer.getvalue()


def _result(out: bytes, mime: str, size: tuple[int, int], original: tuple[int, int], scaled: bool,
            name: str) -> PreparedImage:
    url = f"data:{mime};base64,{base64.b64encode(out).decode('ascii')}"
    return PreparedImage(url, mime, size[0], size[1], original[0], original[1], len(out), scaled, name)
