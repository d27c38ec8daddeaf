"""Pictures in the chat history (sfui/chat_images.py) and what the history, the
code view, saved conversations and uploads make of them, without a browser."""

from __future__ import annotations

import io
import json
import os

import pytest
from PIL import Image

from sfui import conversations
from sfui.chat import (
    api_messages,
    append_user,
    check_message,
    clean_history,
    edit_history,
    truncate_for_retry,
    undo_last_question,
)
from sfui.chat_images import (
    IMAGE_CLASS,
    clean_image_blocks,
    image_block_from_url,
    image_name_of,
    image_url_of,
    image_urls,
)
from sfui.codegen import PICTURE_URL_KEPT, request_body, snippet
from sfui.conversation_files import to_json, to_markdown
from sfui.conversation_format import check_content, new_conversation, with_messages
from sfui.images import prepare_image
from sfui.params import InputError


def png(size=(30, 20), color=(200, 10, 10), name="red.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return prepare_image(buffer.getvalue(), name)


RED, BLUE = png(), png((12, 8), (0, 0, 255), "blue.png")


def test_a_picture_block_is_an_img_with_its_data_url_and_reads_back():
    history = append_user([], "What is it?", [RED])
    block = history[0]["content"][1]
    assert history[0]["content"][0] == {"type": "text", "text": "What is it?"}
    assert block["type"] == "component" and block["component"] == "html"
    assert block["value"] == f'<img class="{IMAGE_CLASS}" src="{RED.data_url}" alt="red.png">'
    assert image_url_of(block) == RED.data_url
    assert image_name_of(block) == "red.png"


def test_a_name_with_markup_is_escaped_and_still_reads_back():
    block = image_block_from_url(RED.data_url, 'a"<b>&.png')
    assert "<b>" not in block["value"] and image_name_of(block) == 'a"<b>&.png'
    assert image_url_of(block) == RED.data_url


@pytest.mark.parametrize("value", [
    '<img class="sfui-image" src="data:image/png;base64,AAAA" alt="x" onerror="alert(1)">',
    '<img class="sfui-image" src="https://example.com/x.png" alt="x">',
    '<img class="sfui-image" src="data:image/svg+xml;base64,AAAA" alt="x">',
    '<img class="sfui-image" src="data:text/html;base64,AAAA" alt="x">',
    '<script>alert(1)</script>',
    '<img class="sfui-image" src="data:image/png;base64,AA AA" alt="x">',
])
def test_anything_but_our_own_markup_is_not_a_picture_and_is_dropped(value):
    part = {"type": "component", "component": "html", "value": value, "constructor_args": {}, "props": {}}
    assert image_url_of(part) is None
    assert clean_image_blocks([{"type": "text", "text": "hi"}, part]) == [{"type": "text", "text": "hi"}]
    with pytest.raises(ValueError):
        image_block_from_url(value)


def test_the_instance_gradio_adds_on_the_way_in_is_dropped():
    history = append_user([], "q", [RED])
    history[0]["content"][1]["instance"] = object()
    cleaned = clean_history(history)
    assert "instance" not in cleaned[0]["content"][1]
    assert image_url_of(cleaned[0]["content"][1]) == RED.data_url


def test_api_messages_send_every_picture_again_with_detail():
    history = append_user([], "Compare", [RED, BLUE])
    history.append({"role": "assistant", "content": "They differ."})
    history = append_user(history, "Which is bigger?")
    messages = api_messages(history, "Be brief.", detail="high")
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert messages[1] == {"role": "user", "content": [
        {"type": "text", "text": "Compare"},
        {"type": "image_url", "image_url": {"url": RED.data_url, "detail": "high"}},
        {"type": "image_url", "image_url": {"url": BLUE.data_url, "detail": "high"}},
    ]}
    assert messages[2:] == [{"role": "assistant", "content": "They differ."},
                            {"role": "user", "content": "Which is bigger?"}]
    assert image_urls(history[0]["content"]) == [RED.data_url, BLUE.data_url]
    with pytest.raises(InputError):
        api_messages(history, detail="ultra")


def test_a_picture_without_text_is_a_message_and_sends_only_the_picture():
    assert check_message("", has_pictures=True) == ""
    assert check_message("  ", has_pictures=False) is None
    history = append_user([], "", [RED])
    assert history[0]["content"] == [image_block_from_url(RED.data_url, "red.png")]
    assert api_messages(history) == [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": RED.data_url, "detail": "auto"}}]}]


def test_retry_undo_and_edit_keep_or_drop_the_pictures_with_their_question():
    history = append_user([], "first", [RED])
    history += [{"role": "assistant", "content": "A red square."}]
    assert truncate_for_retry(history) == history[:1]
    assert undo_last_question(history) == ([], "first", [RED.data_url])
    assert undo_last_question([{"role": "user", "content": "plain"}]) == ([], "plain", [])
    edited = edit_history(history, 0, "what colour?")
    assert edited == [{"role": "user", "content": [{"type": "text", "text": "what colour?"},
                                                   image_block_from_url(RED.data_url, "red.png")]}]
    assert api_messages(edited)[0]["content"][1]["image_url"]["url"] == RED.data_url


def test_the_code_view_shortens_each_picture_and_keeps_the_shape():
    history = append_user([], "Look", [RED])
    body = request_body("fake/vision", history, None, None, {}, detail="low")
    assert body["messages"][0]["content"][1]["image_url"] == {"url": RED.data_url, "detail": "low"}  # exact body
    code = snippet("python-requests", "http://127.0.0.1:1/v1", body)
    assert RED.data_url not in code
    assert RED.data_url[:PICTURE_URL_KEPT] in code
    assert f"{len(RED.data_url) - PICTURE_URL_KEPT:,} more characters" in code
    assert '"detail": "low"' in code
    assert body["messages"][0]["content"][1]["image_url"]["url"] == RED.data_url  # the body itself is untouched


def test_the_code_view_of_the_next_send_names_attached_pictures():
    body = request_body("fake/vision", [], "", None, {}, pictures=("cat.jpg",))
    parts = body["messages"][-1]["content"]
    assert parts == [{"type": "image_url", "image_url": {"url": "data:image/...;base64,... (cat.jpg, read when sent)",
                                                         "detail": "auto"}}]
    assert request_body("m", [], "", None, {})["messages"] == []  # nothing to send without pictures


def test_saved_conversations_keep_pictures_and_drop_foreign_html():
    history = append_user([], "Look", [RED])
    evil = {"type": "component", "component": "html", "value": "<img src=x onerror=alert(1)>",
            "constructor_args": {}, "props": {}}
    content = check_content([*history[0]["content"], evil])
    assert content == history[0]["content"]
    assert check_content([evil]) == ""
    conversation = with_messages(new_conversation(0.0), history, 1.0)
    document = json.loads(to_json(conversation))
    assert image_url_of(document["messages"][0]["content"][1]) == RED.data_url
    markdown = to_markdown(conversation, "en")
    assert f"![🖼 picture: red.png]({RED.data_url})" in markdown
    assert "图片：red.png" in to_markdown(conversation, "zh")
    # A store with photos is measured as what it is: the quota check sees the data: URLs.
    assert conversations.stored_chars({"conversations": [conversation]}) > len(RED.data_url)


def test_uploads_are_deleted_only_inside_gradios_upload_folder(tmp_path, monkeypatch):
    from sfui.ui import uploads

    folder = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    upload = folder / "abc123" / "photo.png"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"x")
    outside = tmp_path / "sample.jpg"
    outside.write_bytes(b"y")
    uploads.discard(str(outside))
    assert outside.exists()
    uploads.discard(str(upload))
    assert not upload.exists() and not upload.parent.exists() and folder.exists()
    uploads.discard(str(upload))  # twice is fine
    assert uploads.message_parts({"text": "hi", "files": [{"path": str(upload), "orig_name": "p.png"}]}) == (
        "hi", [uploads.Attachment(str(upload), "p.png")])
    assert uploads.message_parts("plain") == ("plain", [])
    assert uploads.box_value("hi", [uploads.Attachment(str(upload), "p.png")]) == {"text": "hi", "files": []}
    assert os.path.exists(outside)


def test_the_sample_picture_is_sent_by_a_plain_call_to_the_chats_ask(fake):
    """ChatHandlers.ask: the one call that sends text with prepared pictures (what an example
    prompt "describe this picture" does with SAMPLE_IMAGE), against the fake server."""
    from sfui.chat_request import ChatRequest
    from sfui.config import Settings
    from sfui.images import SAMPLE_IMAGE, prepare_path
    from sfui.params import Controls
    from sfui.ui.chat_handlers import ChatHandlers
    from sfui.ui.common import AppContext
    from tests.support import TEST_KEY
    from tests.support.asyncutil import run_async

    sample = prepare_path(SAMPLE_IMAGE)
    assert (sample.mime, sample.width, sample.height, sample.scaled) == ("image/jpeg", 800, 533, False)
    assert sample.bytes_sent == SAMPLE_IMAGE.stat().st_size < 150 * 1024  # sent byte for byte
    handlers = ChatHandlers(AppContext(Settings(api_key=TEST_KEY, base_url=fake.base_url)), chatbot=None)

    async def frames():
        ask = ChatRequest("fake/vision", "", Controls(detail="high"), None, "Describe this picture", (sample,))
        return [frame.outputs() async for frame in handlers.ask([], ask, "en", "session-1")]

    # (run_async: the session's Playwright browser may be running a loop in this thread)
    shown = run_async(frames())
    messages, _, usage = shown[-1]
    assert messages[0]["content"][1] == image_block_from_url(sample.data_url, "sample.jpg")
    assert messages[-1]["content"] == "Saw 1 image: image/jpeg 800x533 detail=high. Echo: Describe this picture"
    assert "done" in usage
    assert os.path.exists(SAMPLE_IMAGE)  # the app's own file is never deleted like an upload


def test_the_code_view_reads_the_boxs_text_and_attached_pictures():
    from sfui.ui.code import box_text_and_pictures

    assert box_text_and_pictures({"text": "hi", "files": ["/tmp/gradio/ab/cat.jpg"]}) == ("hi", ("cat.jpg",))
    assert box_text_and_pictures({"text": "hi", "files": [{"path": "/x/y.png", "orig_name": "mine.png"}]}) == (
        "hi", ("mine.png",))
    assert box_text_and_pictures("plain") == ("plain", ())
    assert box_text_and_pictures(None) == (None, ())


def test_read_attachments_prepares_good_files_and_names_and_deletes_bad_ones(tmp_path, monkeypatch):
    from sfui.ui import uploads

    folder = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    good, bad = folder / "a" / "ok.png", folder / "b" / "notes.png"
    Image.new("RGB", (9, 7)).save(good, "PNG")
    bad.write_text("not a picture")
    missing = folder / "c" / "gone.png"
    attachments = [uploads.Attachment(str(good), "ok.png"), uploads.Attachment(str(bad), "notes.png"),
                   uploads.Attachment(str(missing), "gone.png")]
    images, problems = uploads.read_attachments(attachments, "zh")
    assert (images[0].width, images[0].height) == (9, 7) and images[1:] == [None, None]
    assert problems == ["notes.png：文件类型为 text/plain，不是 PNG、JPEG、WebP 或 GIF 图片",
                        "gone.png：服务器上已没有这次上传的文件，请重新添加图片"]
    assert good.exists() and not bad.exists()  # the good one is deleted only once the message goes
