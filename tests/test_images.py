"""sfui/images.py: which files are taken (by their bytes), how pictures are scaled and
encoded, the data: URLs, the request's content, and the refusals in both languages.
Every picture is made here with Pillow."""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from sfui import images
from sfui.i18n import STRINGS, t
from sfui.images import (
    ACCEPTED,
    DETAILS,
    MAX_BYTES,
    MAX_SIDE,
    PreparedImage,
    describe_type,
    prepare_image,
    prepare_path,
    sniff_type,
)
from sfui.params import InputError

MB = 1024 * 1024
RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 255, 0)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _picture(size=(100, 100), fmt="PNG", mode="RGB", color=RED, **options) -> bytes:
    return _encode(Image.new(mode, size, color), fmt, **options)


def _noise(size, fmt="PNG", **options) -> bytes:
    """A photo-like picture: random pixels, which no lossless format compresses."""
    bands = [Image.effect_noise(size, 80) for _ in range(3)]
    return _encode(Image.merge("RGB", bands), fmt, **options)


def _halves(size, first=RED, second=BLUE) -> Image.Image:
    """Left half ``first``, right half ``second``."""
    image = Image.new("RGB", size, second)
    image.paste(first, (0, 0, size[0] // 2, size[1]))
    return image


def _sent(prepared: PreparedImage) -> tuple[str, bytes, Image.Image]:
    """The data: URL taken apart: its MIME type, the file's bytes, the picture they hold."""
    match = re.fullmatch(r"data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)", prepared.data_url)
    assert match, prepared.data_url[:80]
    data = base64.b64decode(match[2], validate=True)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert len(data) == prepared.bytes_sent
    assert (image.width, image.height) == (prepared.width, prepared.height)  # the size reported is the size sent
    assert sniff_type(data) == match[1] == prepared.mime
    return match[1], data, image


def _refusal(data: bytes, name: str = "") -> InputError:
    with pytest.raises(InputError) as caught:
        prepare_image(data, name)
    return caught.value


def _has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


# --- types, from the bytes ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt, mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"),
                                       ("GIF", "image/gif")])
def test_the_four_accepted_types_are_known_by_their_bytes(fmt, mime):
    data = _picture(fmt=fmt)
    assert sniff_type(data) == mime
    assert mime in ACCEPTED
    # the name says otherwise: the bytes win
    prepared = prepare_image(data, "holiday.bmp")
    sent_mime, _, image = _sent(prepared)
    assert sent_mime == ("image/png" if fmt == "GIF" else mime)  # a GIF goes as its first frame, in PNG
    assert image.convert("RGB").getpixel((50, 50))[0] > 200  # still red
    assert (prepared.width, prepared.height, prepared.name) == (100, 100, "holiday.bmp")


@pytest.mark.parametrize("data", [b"", b"hello", b"BM" + bytes(60), b"RIFF\x00\x00\x00\x00WAVEfmt ", b"GIF88a",
                                  b"\x89PNG\r\n", b"\xff\xd8", b"%PDF-1.7"])
def test_anything_else_is_not_an_accepted_type(data):
    assert sniff_type(data) is None


def test_sniffing_reads_only_the_first_bytes():
    assert sniff_type(b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(10)) == "image/webp"
    assert sniff_type(b"GIF87a") == "image/gif"
    assert sniff_type(bytearray(b"\xff\xd8\xff\xe0")) == "image/jpeg"


@pytest.mark.parametrize("data, mime", [
    (b"just some notes\nsecond line\n", "text/plain"),
    ("会议记录：明天十点\n".encode(), "text/plain"),
    ("会议记录：明天十点\n".encode("gbk"), "text/plain"),
    ("notes".encode("utf-16"), "text/plain"),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'></svg>", "image/svg+xml"),
    (b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "image/avif"),
    (b"PK\x03\x04\x14\x00\x00\x00", "application/zip"),
    (bytes(range(256)) * 4, "application/octet-stream"),
])
def test_a_refused_file_is_described_by_its_bytes(data, mime):
    assert describe_type(data) == mime


def test_a_bmp_is_refused_as_a_bmp():
    error = _refusal(_picture(fmt="BMP"), "scan.png")
    assert error.key == "input_image_type" and error.values == {"type": "image/bmp"}


def test_a_text_file_renamed_png_is_refused_naming_its_real_type():
    error = _refusal(b"Shopping list:\n- milk\n- eggs\n", "notes.png")
    assert error.key == "input_image_type"
    assert error.problem("en") == "notes.png: the file is text/plain, not a PNG, JPEG, WebP or GIF image"
    zh = error.problem("zh")
    assert "notes.png" in zh and "text/plain" in zh and _has_chinese(zh)
    assert error.user_message("en").startswith("Not sent: notes.png: ")


def test_an_unknown_binary_file_is_named_as_such():
    error = _refusal(bytes(range(256)) * 10, "data.jpg")
    assert "application/octet-stream" in error.problem("en")


# --- sent as it is -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_small_picture_is_sent_byte_for_byte(fmt):
    data = _encode(_halves((100, 100)), fmt)
    prepared = prepare_image(data, "small")
    mime, sent, _ = _sent(prepared)
    assert sent == data
    assert prepared.data_url == f"data:{mime};base64," + base64.b64encode(data).decode()
    assert (prepared.width, prepared.height, prepared.original_width, prepared.original_height) == (100, 100, 100, 100)
    assert prepared.scaled is False and prepared.bytes_sent == len(data)


def test_a_picture_exactly_max_side_long_is_not_scaled():
    data = _picture((MAX_SIDE, 10))
    prepared = prepare_image(data)
    assert prepared.scaled is False and _sent(prepared)[1] == data


def test_the_data_url_stays_out_of_the_repr():
    prepared = prepare_image(_picture())
    assert "base64" not in repr(prepared) and "width=100" in repr(prepared)
    with pytest.raises(AttributeError):
        prepared.width = 5  # frozen


# --- scaled down -------------------------------------------------------------------------------


def test_a_5000_by_3000_photo_is_scaled_to_2048_with_its_aspect():
    data = _encode(_halves((5000, 3000)), "JPEG", quality=95)
    prepared = prepare_image(data, "big.jpg")
    mime, sent, image = _sent(prepared)
    assert mime == "image/jpeg"
    assert (prepared.width, prepared.height) == (2048, 1229)  # 3000 * 2048 / 5000 = 1228.8
    assert (prepared.original_width, prepared.original_height) == (5000, 3000)
    assert abs(prepared.width / prepared.height - 5000 / 3000) < 0.002
    assert prepared.scaled is True and len(sent) < len(data)
    # the content is scaled, not cropped: red on the left, blue on the right
    left, right = image.getpixel((300, 600)), image.getpixel((1700, 600))
    assert left[0] > 200 > left[2] and right[2] > 200 > right[0]


def test_a_tall_picture_is_scaled_on_its_long_side():
    prepared = prepare_image(_picture((1000, 6000)))
    _sent(prepared)
    assert (prepared.width, prepared.height, prepared.scaled) == (341, 2048, True)


def test_a_large_screenshot_stays_a_png():
    image = Image.new("RGB", (3000, 2000), "white")
    for y in range(0, 2000, 40):  # lines of "text"
        image.paste((20, 20, 20), (100, y, 2800, y + 3))
    prepared = prepare_image(_encode(image, "PNG"))
    mime, _, sent = _sent(prepared)
    assert mime == "image/png" and sent.size == (2048, 1365)


def test_a_large_photo_saved_as_png_goes_as_jpeg():
    data = _noise((2400, 1200))
    assert len(data) > 5 * MB
    prepared = prepare_image(data)
    mime, sent, _ = _sent(prepared)
    assert mime == "image/jpeg" and (prepared.width, prepared.height) == (2048, 1024)
    assert len(sent) < len(data) / 2


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_large_picture_with_transparency_stays_a_png_with_its_alpha(fmt):
    # photo-like pixels (which would go as JPEG if they were opaque), the right half transparent
    bands = [Image.effect_noise((2400, 1200), 80) for _ in range(3)]
    alpha = Image.new("L", (2400, 1200), 255)
    alpha.paste(0, (1200, 0, 2400, 1200))
    image = Image.merge("RGBA", bands + [alpha])
    prepared = prepare_image(_encode(image, fmt, **({"lossless": True} if fmt == "WEBP" else {})))
    mime, _, sent = _sent(prepared)
    assert mime == "image/png" and sent.mode == "RGBA" and sent.size == (2048, 1024)
    assert sent.getpixel((10, 10))[3] == 255 and sent.getpixel((2000, 10))[3] == 0


def test_a_large_opaque_png_with_an_alpha_channel_is_not_kept_as_rgba():
    prepared = prepare_image(_picture((3000, 1000), mode="RGBA", color=(0, 0, 255, 255)))
    _, _, sent = _sent(prepared)
    assert sent.mode == "RGB" and sent.getpixel((5, 5)) == BLUE


def test_a_large_palette_gif_and_cmyk_jpeg_are_converted():
    gif = prepare_image(_picture((3000, 300), fmt="GIF", mode="P", color=1))
    assert gif.mime == "image/png" and gif.width == 2048
    cmyk = prepare_image(_picture((3000, 300), fmt="JPEG", mode="CMYK", color=(0, 255, 255, 0)))
    mime, _, sent = _sent(cmyk)
    assert mime == "image/jpeg" and sent.mode == "RGB"
    assert sent.getpixel((100, 100))[0] > 200 > sent.getpixel((100, 100))[1]  # still red


def test_a_re_encoded_photo_keeps_its_colour_profile_and_drops_its_exif():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "TestPhone"  # Make
    data = _encode(_halves((3000, 2000)), "JPEG", icc_profile=profile, exif=exif.tobytes())
    _, _, sent = _sent(prepare_image(data))
    assert sent.info.get("icc_profile") == profile
    assert dict(sent.getexif()) == {}


# --- upright -----------------------------------------------------------------------------------


def _rotated_jpeg(size, orientation=6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return _encode(_halves(size), "JPEG", exif=exif.tobytes(), quality=95)


def test_exif_orientation_is_applied_to_a_small_photo():
    # stored 300 x 200 (red left, blue right), tagged "rotate 90 degrees clockwise to show"
    prepared = prepare_image(_rotated_jpeg((300, 200)), "IMG_0001.JPG")
    mime, _, image = _sent(prepared)
    assert mime == "image/jpeg"
    assert (prepared.width, prepared.height) == (200, 300) == (prepared.original_width, prepared.original_height)
    assert prepared.scaled is False
    top, bottom = image.getpixel((100, 30)), image.getpixel((100, 270))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]  # the left side is now on top
    assert image.getexif().get(0x0112) is None  # and no viewer turns it again


@pytest.mark.parametrize("size", [(4000, 3000), (6000, 4500)])  # the second is decoded at half size first
def test_exif_orientation_is_applied_before_scaling_a_phone_photo(size):
    prepared = prepare_image(_rotated_jpeg(size))
    _, _, image = _sent(prepared)
    assert (prepared.original_width, prepared.original_height) == size[::-1]
    assert (prepared.width, prepared.height) == (1536, 2048) and prepared.scaled
    top, bottom = image.getpixel((768, 200)), image.getpixel((768, 1800))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]


def test_an_upright_orientation_tag_leaves_the_bytes_alone():
    data = _rotated_jpeg((300, 200), orientation=1)
    assert _sent(prepare_image(data))[1] == data


# --- GIF ----------------------------------------------------------------------------------------


def test_a_gif_becomes_its_first_frame_as_a_png():
    frames = [Image.new("RGB", (120, 80), color) for color in (RED, GREEN, BLUE)]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    prepared = prepare_image(data, "anim.gif")
    mime, sent, image = _sent(prepared)
    assert mime == "image/png" and getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((60, 40)) == RED
    assert (prepared.width, prepared.height, prepared.scaled) == (120, 80, False)


def test_a_gif_keeps_its_transparency():
    image = Image.new("P", (50, 50), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (25, 0, 50, 50))
    _, _, sent = _sent(prepare_image(_encode(image, "GIF", transparency=1)))
    rgba = sent.convert("RGBA")
    assert rgba.getpixel((5, 5)) == (255, 0, 0, 255) and rgba.getpixel((40, 5))[3] == 0


def test_an_animated_webp_becomes_its_first_frame():
    frames = [Image.new("RGB", (64, 64), color) for color in (GREEN, BLUE)]
    data = _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    prepared = prepare_image(data)
    _, sent, image = _sent(prepared)
    assert sent != data and getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((30, 30)) == GREEN


# --- refused -----------------------------------------------------------------------------------


def test_a_25_mb_file_is_refused_with_its_size_and_the_limit():
    data = _picture() + bytes(25 * MB - len(_picture()))
    error = _refusal(data, "huge.png")
    assert error.key == "input_image_too_large"
    assert error.problem("en") == "huge.png: the image is 25 MB; the limit is 20 MB"
    zh = error.problem("zh")
    assert "25 MB" in zh and "20 MB" in zh and _has_chinese(zh)


def test_a_file_just_over_the_limit_does_not_read_as_the_limit():
    error = _refusal(bytes(MAX_BYTES + 1))
    assert error.values == {"size": "20.1 MB", "limit": "20 MB"}
    prepare_image(_picture() + bytes(MAX_BYTES - len(_picture())))  # exactly the limit is taken


def test_prepare_path_refuses_a_large_file_before_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.jpg"
    with open(path, "wb") as file:
        file.truncate(25 * MB)  # sparse
    monkeypatch.setattr(images, "prepare_image", lambda *a: pytest.fail("read"))
    with pytest.raises(InputError) as caught:
        prepare_path(path)
    assert caught.value.key == "input_image_too_large" and "big.jpg: " in caught.value.problem("en")


def test_prepare_path_reads_a_file_and_names_it(tmp_path):
    path = tmp_path / "gradio-upload" / "cat.png"
    path.parent.mkdir()
    path.write_bytes(_picture())
    prepared = prepare_path(path)
    assert prepared.name == "cat.png" and _sent(prepared)[1] == path.read_bytes()
    assert prepare_path(path, "Katze.png").name == "Katze.png"


def test_an_empty_file_is_refused():
    error = _refusal(b"", "C:\\Users\\me\\empty.png")
    assert error.key == "input_image_empty" and error.problem("en") == "empty.png: the file is empty"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_truncated_picture_is_refused_as_unreadable(fmt):
    data = _noise((300, 300), fmt)
    error = _refusal(data[: len(data) // 2], "cut")
    assert error.key == "input_image_unreadable"
    assert error.problem("en") == "cut: the image could not be read (the file is damaged or incomplete)"


def test_a_truncated_large_photo_is_refused_as_unreadable():
    data = _noise((3000, 2000), "JPEG")
    assert _refusal(data[: len(data) // 2]).key == "input_image_unreadable"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, b"GIF89a", b"\xff\xd8\xff" + bytes(50),
                                  b"RIFF\x00\x00\x00\x00WEBPVP8 nonsense"])
def test_the_right_magic_bytes_and_nothing_else_are_unreadable(data):
    assert _refusal(data).key == "input_image_unreadable"


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels and holds almost nothing."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(11_000, 10_000), (50_000, 50_000)])
def test_a_file_declaring_too_many_pixels_is_refused_before_decoding(size):
    error = _refusal(_png_header(*size), "bomb.png")
    assert error.key == "input_image_too_many_pixels"
    assert error.problem("en") == "bomb.png: the image has more than 100 million pixels, too many to open"


# --- the detail levels --------------------------------------------------------------------------


def test_the_detail_refusal_names_the_levels_in_both_languages():
    # sfui.chat refuses a detail outside DETAILS with this message (api_messages).
    error = InputError("input_image_detail", choices=DETAILS)
    assert error.problem("en") == "detail must be auto, low or high"
    assert error.problem("zh") == "detail 必须是 auto、low 或 high"


# --- both languages ---------------------------------------------------------------------------------


def test_every_image_message_is_in_both_languages():
    keys = sorted(key for key in STRINGS["en"] if key.startswith("input_image_"))
    assert len(keys) >= 7 and keys == sorted(key for key in STRINGS["zh"] if key.startswith("input_image_"))
    refusals = [
        _refusal(b"", "a.png"),
        _refusal(bytes(21 * MB), "a.png"),
        _refusal(b"text", "a.png"),
        _refusal(b"\x89PNG\r\n\x1a\n", "a.png"),
    ]
    for error in refusals:
        en, zh = error.problem("en"), error.problem("zh")
        assert en != zh and _has_chinese(zh) and not _has_chinese(en)
        assert zh.startswith("a.png：") and "{" not in en + zh
        assert error.user_message("zh").startswith(t("zh", "bad_input", problem=""))
    assert "21 MB" in refusals[1].problem("zh") and "text/plain" in refusals[2].problem("zh")
    # a refusal without a name is the bare sentence
    assert _refusal(b"").problem("zh") == "文件是空的"
