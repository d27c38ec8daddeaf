"""Smoke test of ``python -m bench.screenshots``: its compare step runs end to end (the
real app against the scripted fake server, three models answering, the results table
and the charts shown) and writes a picture; so do the saved-conversations, View code,
first screen, phone, dark and picture steps. The chat step is checked in
tests/test_browser.py::test_readme_screenshot. What the pictures look like is for a
person to judge; here, only that they are taken.

The steps run in one run of the script, shared by this module's tests (one Python start,
one Chromium, the apps launched once: each extra run cost the CI stage about ten seconds)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from bench.screenshots import CODE_VIEWPORT, COMPARE_VIEWPORT, VIEWPORT
from tests.support import ROOT

# The script drives Chromium (in the subprocess): not marked automatically, as it uses no browser fixture.
pytestmark = pytest.mark.browser

STEPS = ("compare", "conversations", "code", "first-screen", "mobile", "dark", "images")


@dataclass(frozen=True)
class Run:
    out_dir: Path
    stdout: str


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Run:
    """One run of the script with every step these tests check."""
    out_dir = tmp_path_factory.mktemp("shots")
    only = [arg for step in STEPS for arg in ("--only", step)]
    proc = subprocess.run(
        [sys.executable, "-m", "bench.screenshots", *only, "--out-dir", str(out_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=560,
    )
    assert proc.returncode == 0, f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    return Run(out_dir, proc.stdout)


@pytest.mark.timeout(600)
def test_the_compare_screenshot_is_taken(shots):
    picture = shots.out_dir / "compare.png"
    assert f"compare: {picture}" in shots.stdout
    assert not (shots.out_dir / "screenshot.png").exists(), "--only took the chat, which it was not given"
    with Image.open(picture) as image:
        width, height = image.size
    # The Compare tab's column of the page, clipped: narrower than the page, and taller than wide
    # (the panes, then the results table, then the charts).
    assert 400 < width < COMPARE_VIEWPORT["width"] and height > width
    assert picture.stat().st_size > 50_000  # panes, a table and charts, not a blank page


@pytest.mark.timeout(600)
def test_the_conversations_and_code_screenshots_are_taken(shots):
    """Three conversations saved (two imported with their dates, one answered), one reopened from
    the list with its thinking bubble open; View code open on Python requests for the message in the box."""
    tmp_path = shots.out_dir
    for name in ("conversations", "code"):
        assert f"{name}: {tmp_path / (name + '.png')}" in shots.stdout
    with Image.open(tmp_path / "conversations.png") as image:
        assert image.size == (VIEWPORT["width"], VIEWPORT["height"])  # the whole window: sidebar, chat, panels
    with Image.open(tmp_path / "code.png") as image:
        width, height = image.size
    assert 300 < width < CODE_VIEWPORT["width"] / 2 and height > width  # the side column's panel only
    assert (tmp_path / "code.png").stat().st_size > 30_000  # the code, not an empty panel


@pytest.mark.timeout(600)
def test_the_first_screen_phone_and_dark_screenshots_are_taken(shots):
    """The first screen of an app without a key, a 400 px phone (drawn at 2x) and the dark chat."""
    from bench.screenshots import PHONE

    tmp_path = shots.out_dir
    for name in ("first-screen", "mobile", "dark"):
        assert f"{name}: {tmp_path / (name + '.png')}" in shots.stdout
    with Image.open(tmp_path / "first-screen.png") as image:
        assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
    with Image.open(tmp_path / "mobile.png") as image:
        assert image.size == (PHONE["width"] * 2, PHONE["height"] * 2)
    with Image.open(tmp_path / "dark.png") as image, Image.open(tmp_path / "first-screen.png") as light:
        # Mostly dark against the light first screen: the page's mean brightness.
        def brightness(picture):
            grey = picture.convert("L").resize((100, 100))
            return sum(grey.getdata()) / 10_000

        assert brightness(image) < 100 < 200 < brightness(light)


@pytest.mark.timeout(600)
def test_the_image_screenshot_is_taken(shots):
    """A vision model describing assets/sample.jpg: the picture attached through the box and shown
    in its bubble (the step waits for it to be decoded), the answer, the usage panel done."""
    sample = ROOT / "assets" / "sample.jpg"
    assert sample.stat().st_size < 150 * 1024
    picture = shots.out_dir / "images.png"
    assert f"images: {picture}" in shots.stdout
    with Image.open(picture) as image:
        assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
        # The sample's warm sunset colours are on screen (the page itself is white and grey).
        warm = sum(1 for r, g, b in image.convert("RGB").resize((280, 200)).getdata() if r > 180 and 90 < g < 190
                   and b < 140)
    assert warm > 50, warm


def test_the_sample_picture_is_what_its_script_draws(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.sample_image", "--out", str(tmp_path / "s.jpg")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    from PIL import ImageChops, ImageStat

    with Image.open(tmp_path / "s.jpg") as drawn, Image.open(ROOT / "assets" / "sample.jpg") as committed:
        assert drawn.size == committed.size
        # (a JPEG encoder of another version may round a few values differently)
        assert max(ImageStat.Stat(ImageChops.difference(drawn.convert("RGB"), committed.convert("RGB"))).mean) < 2
