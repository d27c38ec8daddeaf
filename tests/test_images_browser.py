"""Pictures in the chat, in a real browser against the fake server (issue 12).

The pictures are made with Pillow in tmp_path and attached through the message
box's own file input (what the clip button, a drop or a paste hand over). What
the model received is read from the fake's log of requests, and from the answer
of ``fake/vision``, which lists the image parts it got (type and size)."""

from __future__ import annotations

import base64
import io
import json
import os
import re
from urllib.parse import urljoin

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from sfui.ui.uploads import get_upload_folder
from tests.support.browser import ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    ATTACHED,
    CHAT,
    MESSAGE_BOX,
    QUESTIONS,
    WAIT_MS,
    attach,
    chat_button,
    download,
    last_answer,
    open_app,
    open_sidebar,
    pick_model,
    read_toast,
    saved,
    send,
    wait_answer,
    wait_saved,
)
from tests.support.sfserver import stream

DATA_URL = re.compile(r"data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)")
PICTURES_ASKED = f"{QUESTIONS} img.sfui-image"  # the pictures in the questions' bubbles


def picture(path, size=(320, 240), fmt="PNG", color=(30, 120, 200)):
    Image.new("RGB", size, color).save(path, fmt)
    return str(path)


def photo(path, size):
    """A photo-like JPEG (a gradient with noise: it does not shrink to nothing)."""
    width, height = size
    small = Image.effect_noise((max(1, width // 8), max(1, height // 8)), 60).convert("RGB")
    small.resize(size).save(path, "JPEG", quality=85)
    return str(path)


def image_parts(request: dict) -> list[dict]:
    return [part for message in request["messages"] if isinstance(message.get("content"), list)
            for part in message["content"] if part.get("type") == "image_url"]


def decoded(part: dict) -> Image.Image:
    match = DATA_URL.fullmatch(part["image_url"]["url"])
    assert match, part["image_url"]["url"][:60]
    return Image.open(io.BytesIO(base64.b64decode(match.group(2))))


@pytest.fixture(scope="module")
def vision_app(launch_module_app):
    return launch_module_app(default_model="fake/vision")


@pytest.fixture(scope="module")
def text_app(launch_module_app):
    return launch_module_app()  # Qwen/Qwen3-8B: not a vision model


def test_one_image_with_text_arrives_as_an_image_url_part_and_shows_in_its_bubble(page, vision_app, tmp_path):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    attach(page, picture(tmp_path / "blue.png"))
    # While attached, Gradio serves the upload to anyone with its URL (no cookie, another client)...
    thumbnail = page.locator(f"{ATTACHED} img").first.get_attribute("src")
    upload_url = urljoin(vision_app.url, thumbnail)
    assert "/gradio_api/file=" in upload_url and requests.get(upload_url, timeout=10).status_code == 200
    send(page, "What is this?")
    answer = wait_answer(page, r"Saw 1 image")
    assert answer.startswith("Saw 1 image: image/png 320x240 detail=auto. Echo: What is this?")
    request = vision_app.fake.chat_requests()[-1]
    content = request["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "What is this?"}
    assert content[1]["type"] == "image_url" and content[1]["image_url"]["detail"] == "auto"
    assert decoded(content[1]).size == (320, 240)
    # The bubble shows the picture as a data: URL: nothing is fetched from the server's file route.
    img = page.locator(PICTURES_ASKED)
    expect(img).to_have_count(1)
    assert img.get_attribute("src").startswith("data:image/png;base64,")
    assert img.evaluate("i => i.complete && i.naturalWidth") == 320
    # The box is empty again, the upload deleted once read.
    expect(page.locator(ATTACHED)).to_have_count(0)
    leftovers = [f for _, _, files in os.walk(get_upload_folder()) for f in files if f == "blue.png"]
    assert leftovers == []
    # ... and once sent, not any more.
    assert requests.get(upload_url, timeout=10).status_code in (403, 404)


def test_two_images_a_big_one_scaled_and_resent_on_the_next_turn_and_on_retry(page, vision_app, tmp_path):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    attach(page, photo(tmp_path / "big.jpg", (5000, 2500)), picture(tmp_path / "small.gif", (40, 30), "GIF"))
    send(page, "Compare them")
    answer = wait_answer(page, r"Saw 2 images")
    # 5,000 px on the long side arrives as 2,048; the GIF as its first frame (a PNG).
    assert "image/jpeg 2048x1024 detail=auto, image/png 40x30 detail=auto" in answer
    first = vision_app.fake.chat_requests()[-1]
    assert [decoded(p).size for p in image_parts(first)] == [(2048, 1024), (40, 30)]

    send(page, "And now?")  # the model has no memory: both pictures go again
    wait_answer(page, r"Echo: And now\?")
    assert last_answer(page).startswith("Saw 2 images")
    second = vision_app.fake.chat_requests()[-1]
    assert [p["image_url"]["url"] for p in image_parts(second)] == [p["image_url"]["url"] for p in image_parts(first)]
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "user"]
    assert second["messages"][-1]["content"] == "And now?"
    # the usage panel shows what the pictures cost in prompt tokens
    expect(page.locator("#usage-panel")).to_contain_text(re.compile(r"5\d\d"))

    # Retry (Gradio offers it on the last answer): the pictures are sent again. The retried
    # answer is told apart from the one it replaces by its text: the request leaves before
    # the page shows anything of it, and the vision answer would read the same.
    count = len(vision_app.fake.chat_requests())
    vision_app.fake.push(stream("Answered again."))
    page.locator(ANSWERS).last.hover()
    page.locator(chat_button("Retry")).click()
    assert wait_answer(page, "Answered again") == "Answered again."
    assert len(vision_app.fake.chat_requests()) == count + 1
    retried = vision_app.fake.chat_requests()[-1]
    assert retried["messages"] == second["messages"]
    assert [p["image_url"]["url"] for p in image_parts(retried)] == [p["image_url"]["url"] for p in image_parts(first)]


def test_detail_goes_on_every_picture(page, vision_app, tmp_path):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    page.get_by_text("More request fields").click()
    page.locator("#image-detail").get_by_label("low").check()
    attach(page, picture(tmp_path / "a.png"))
    send(page, "Low detail")
    assert "detail=low" in wait_answer(page, r"Saw 1 image")
    body = vision_app.fake.chat_requests()[-1]
    assert "detail" not in body  # not a top-level field
    assert [p["image_url"]["detail"] for p in image_parts(body)] == ["low"]


def test_too_large_and_not_an_image_are_refused_and_nothing_is_sent(page, vision_app, tmp_path):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    big = tmp_path / "huge.png"
    with open(big, "wb") as file:  # 25 MB starting like a PNG
        file.write(b"\x89PNG\r\n\x1a\n" + os.urandom(25 * 1024 * 1024 - 8))
    fake_png = tmp_path / "notes.png"
    fake_png.write_text("these are my notes, not a picture\n" * 20)
    attach(page, str(big), str(fake_png))
    send(page, "Keep my words")
    text = read_toast(page, "huge.png", kind="warning")
    assert ("Not sent: huge.png: the image is 25 MB; the limit is 20 MB; "
            "notes.png: the file is text/plain, not a PNG, JPEG, WebP or GIF image") in text
    assert vision_app.fake.chat_requests() == []
    # The text comes back; the refused files do not.
    expect(page.locator(MESSAGE_BOX)).to_have_value("Keep my words")
    expect(page.locator(ATTACHED)).to_have_count(0)
    expect(page.locator(QUESTIONS)).to_have_count(0)


def test_refusals_in_chinese(visitors, vision_app, tmp_path):
    vision_app.fake.reset()
    page = visitors(vision_app.url, **ZH_CONTEXT).page
    fake_png = tmp_path / "笔记.png"
    fake_png.write_text("不是图片\n")
    attach(page, str(fake_png))
    send(page, "看看")
    text = read_toast(page, "笔记.png", kind="warning")
    assert "笔记.png：文件类型为 text/plain，不是 PNG、JPEG、WebP 或 GIF 图片" in text
    assert vision_app.fake.chat_requests() == []
    expect(page.locator(MESSAGE_BOX)).to_have_value("看看")


def test_an_image_to_a_model_that_cannot_see_warns_and_sends_nothing_then_send_anyway(page, text_app, tmp_path):
    text_app.fake.reset()
    open_app(page, text_app.url)
    attach(page, picture(tmp_path / "cat.png"))
    send(page, "Describe it")
    notice = page.locator("#vision-notice")
    expect(notice).to_be_visible(timeout=WAIT_MS)
    expect(notice).to_contain_text("Qwen/Qwen3-8B")
    expect(notice).to_contain_text("this model can't see images; pick a 👁 model")
    assert text_app.fake.chat_requests() == []
    # The message is kept, picture and all.
    expect(page.locator(MESSAGE_BOX)).to_have_value("Describe it")
    expect(page.locator(ATTACHED)).to_have_count(1)
    expect(page.locator(QUESTIONS)).to_have_count(0)

    page.locator("#send-anyway-btn").click()
    wait_answer(page, r"Echo: Describe it")
    expect(notice).to_be_hidden()
    request = text_app.fake.chat_requests()[-1]
    assert request["model"] == "Qwen/Qwen3-8B"
    assert len(image_parts(request)) == 1
    expect(page.locator(PICTURES_ASKED)).to_have_count(1)


def test_the_warning_in_chinese(visitors, text_app, tmp_path):
    text_app.fake.reset()
    page = visitors(text_app.url, **ZH_CONTEXT).page
    attach(page, picture(tmp_path / "cat.png"))
    send(page, "描述一下")
    expect(page.locator("#vision-notice")).to_contain_text("这个模型看不到图片，请选择带 👁 的模型", timeout=WAIT_MS)
    assert text_app.fake.chat_requests() == []


PNG_JS = """async ([kind, name, selector]) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 48;
    const g = canvas.getContext('2d'); g.fillStyle = '#c83232'; g.fillRect(0, 0, 64, 48);
    const blob = await new Promise(done => canvas.toBlob(done, 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], name, {type: 'image/png'}));
    const box = document.querySelector(selector);
    if (kind === 'paste') {
        box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    } else {
        const target = box.closest('.full-container') || box.parentElement;
        for (const type of ['dragenter', 'dragover', 'drop']) {
            target.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
        }
    }
}"""


@pytest.mark.parametrize("kind", ["paste", "drop"])
def test_a_pasted_or_dropped_picture_is_attached_and_sent(page, vision_app, kind):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    page.evaluate(PNG_JS, [kind, f"{kind}d.png", MESSAGE_BOX])
    expect(page.locator(ATTACHED)).to_have_count(1, timeout=WAIT_MS)
    send(page, f"A {kind}d picture")
    assert wait_answer(page, r"Saw 1 image").startswith("Saw 1 image: image/png 64x48")


def test_shift_enter_is_a_new_line_and_enter_sends(page, vision_app):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    box = page.locator(MESSAGE_BOX)
    box.fill("first line")
    box.press("Shift+Enter")
    box.type("second line")
    expect(box).to_have_value("first line\nsecond line")
    assert vision_app.fake.chat_requests() == []
    box.press("Enter")
    wait_answer(page, r"second line")
    assert vision_app.fake.chat_requests()[-1]["messages"][-1]["content"] == "first line\nsecond line"


def test_an_error_keeps_the_question_and_its_picture_and_retry_sends_it_again(page, vision_app, tmp_path):
    from tests.support.sfserver import error

    vision_app.fake.reset()
    open_app(page, vision_app.url)
    vision_app.fake.push(error(400))  # not retried: the turn ends in an error
    attach(page, picture(tmp_path / "p.png", (50, 40)))
    send(page, "Try this")
    expect(page.locator("#usage-panel")).to_contain_text("error", timeout=WAIT_MS)
    expect(page.locator(PICTURES_ASKED)).to_have_count(1)
    failed = vision_app.fake.chat_requests()[-1]
    page.locator(ANSWERS).last.hover()
    page.locator(chat_button("Retry")).last.click()
    assert wait_answer(page, r"Saw 1 image").startswith("Saw 1 image: image/png 50x40")
    assert image_parts(vision_app.fake.chat_requests()[-1]) == image_parts(failed)


def test_stop_while_an_answer_to_a_picture_streams(page, text_app, tmp_path):
    """A picture sent anyway to the slow fake: Stop ends it, the question and its picture stay."""
    text_app.fake.reset()
    open_app(page, text_app.url)
    attach(page, picture(tmp_path / "p.png"))
    send(page, "#fake:slow count")
    page.locator("#send-anyway-btn").click()
    expect(page.locator(ANSWERS).last).to_contain_text("Counting", timeout=WAIT_MS)
    page.locator("#stop-btn").click()
    expect(page.locator("#usage-panel")).to_contain_text("stopped", timeout=WAIT_MS)
    assert text_app.fake.wait_for_disconnect(timeout=WAIT_MS / 1000)
    expect(page.locator(PICTURES_ASKED)).to_have_count(1)


def test_a_saved_conversation_keeps_its_picture_after_a_reload_and_in_exports(page, vision_app, tmp_path):
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    attach(page, picture(tmp_path / "kept.png", (90, 60), color=(250, 200, 0)))
    send(page, "Keep this picture")
    wait_answer(page, r"Saw 1 image")
    sent = image_parts(vision_app.fake.chat_requests()[-1])[0]["image_url"]["url"]
    open_sidebar(page)
    wait_saved(page, 1)

    page.reload()
    open_app(page, vision_app.url)
    open_sidebar(page)
    saved(page).first.click()
    img = page.locator(PICTURES_ASKED)
    expect(img).to_have_count(1, timeout=WAIT_MS)
    assert img.get_attribute("src") == sent
    exported = json.loads(download(page, "#export-json-btn"))
    assert sent in exported["messages"][0]["content"][1]["value"]
    assert f"![🖼 picture: kept.png]({sent})" in download(page, "#export-md-btn")

    # The reopened conversation goes on with its picture.
    send(page, "Still there?")
    wait_answer(page, r"Echo: Still there\?")
    assert [p["image_url"]["url"] for p in image_parts(vision_app.fake.chat_requests()[-1])] == [sent]


def test_a_question_with_a_picture_offers_no_edit_and_undo_gives_it_back_whole(page, vision_app, tmp_path):
    """Gradio 6.31's Edit cannot submit a message holding a picture block (its edit buffer takes
    the block for text and the submit fails in the page without a word), so such a message gets no
    Edit button (Gradio offers it only when the message ends with text): a text-only one still does.
    Undo puts the question back in the box with its text and its picture, ready to send again."""
    vision_app.fake.reset()
    open_app(page, vision_app.url)
    attach(page, picture(tmp_path / "e.png", (70, 50)))
    send(page, "with a picture")
    wait_answer(page, r"Saw 1 image")
    send(page, "text only")
    wait_answer(page, r"Echo: text only")
    expect(page.locator("#usage-panel")).to_contain_text("done", timeout=WAIT_MS)
    users = page.locator(QUESTIONS)
    users.last.hover()
    # One Edit in the whole chat: the text-only question's, none for the one with a picture.
    expect(page.locator(chat_button("Edit"))).to_have_count(1)

    thumbnails = page.locator(ATTACHED)
    # (Gradio shows each block of a message as its own element: the picture's question is two)
    for remaining, text, pictures in ((2, "text only", 0), (0, "with a picture", 1)):  # the last turn each time
        page.locator(chat_button("Undo")).click()
        expect(users).to_have_count(remaining, timeout=WAIT_MS)
        expect(page.locator(MESSAGE_BOX)).to_have_value(text)
        expect(thumbnails).to_have_count(pictures, timeout=WAIT_MS)
    expect(page.locator(f"{CHAT} img.sfui-image")).to_have_count(0)

    # Sent again as it stands in the box: the same picture, byte for byte.
    first = image_parts(vision_app.fake.chat_requests()[0])
    page.locator(MESSAGE_BOX).press("Enter")
    wait_answer(page, r"Saw 1 image")
    again = image_parts(vision_app.fake.chat_requests()[-1])
    assert [p["image_url"]["url"] for p in again] == [p["image_url"]["url"] for p in first]


def test_choosing_another_model_hides_the_warning(page, text_app, tmp_path):
    text_app.fake.reset()
    open_app(page, text_app.url)
    attach(page, picture(tmp_path / "cat.png"))
    send(page, "Describe it")
    expect(page.locator("#vision-notice")).to_be_visible(timeout=WAIT_MS)
    pick_model(page, "Qwen/Qwen2.5-VL-72B-Instruct")
    expect(page.locator("#vision-notice")).to_be_hidden(timeout=WAIT_MS)
    page.locator("#send-btn").click()
    wait_answer(page, r"Echo: Describe it")
    request = text_app.fake.chat_requests()[-1]
    assert request["model"] == "Qwen/Qwen2.5-VL-72B-Instruct" and len(image_parts(request)) == 1
