"""Refusals end cleanly: every step that refuses (or ignores) a message ends on a frame
that changes nothing. Gradio 6 sends a generator's last frame again, whole, with its
completion message, and that can reach the page after the next event's first frame: a
last frame that changed something (the message back in the box, the vision notice)
would then undo the newer event. The page's Send gives a message back in the step after
its streaming step (sfui/ui/send_step.py: PageSend.after_send), and takes out of the chat the question the
page showed at once. No browser: the handlers run directly."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from PIL import Image

from sfui.chat import MAX_MESSAGE_CHARS
from sfui.config import Settings
from sfui.params import Controls
from sfui.ui import uploads
from sfui.ui.chat_handlers import PANE_OUTPUTS, ChatHandlers
from sfui.ui.common import AppContext
from sfui.ui.send_step import SEND_OUTPUTS, PageSend
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async

BOX, NOTICE, NOTICE_TEXT = 2, 3, 4  # their places in the outputs of Send's after-step
SESSION = "session-refusals"
EARLIER = [{"role": "user", "content": [{"type": "text", "text": "first"}]},
           {"role": "assistant", "content": [{"type": "text", "text": "Echo: first"}]}]


def changes_nothing(frame: tuple) -> bool:
    return all(isinstance(value, dict) and value == {"__type__": "update"} for value in frame)


def web_request(lang: str = "en-US") -> SimpleNamespace:
    return SimpleNamespace(session_hash=SESSION, headers={"accept-language": lang})


def handlers(key: str | None = TEST_KEY) -> ChatHandlers:
    # The server is never reached: every case here is refused before a request is made.
    return ChatHandlers(AppContext(Settings(api_key=key, base_url="http://127.0.0.1:9/v1")), chatbot=gr.Chatbot())


def page_send(key: str | None = TEST_KEY) -> PageSend:
    return PageSend(handlers(key))


def send(chat: PageSend, message, *, model: str = "Qwen/Qwen3-8B", anyway: bool = False,
         controls: Controls | None = None, shown: list | None = None) -> list[tuple]:
    """Send's streaming step's frames. ``shown``: the chat as the page sends it (by default,
    EARLIER with the question the page put in it at once)."""
    step = chat.respond_anyway if anyway else chat.respond_in_page
    if shown is None:
        question = [{"type": "text", "text": message["text"]}] if message["text"].strip() else []
        question += [{"type": "file", "file": file} for file in message["files"]]
        shown = [*EARLIER, {"role": "user", "content": question}] if question else EARLIER

    async def frames():
        return [frame async for frame in step(message, shown, EARLIER, model, "", controls or Controls(), None,
                                              web_request())]

    return run_async(frames())


def after(chat: PageSend) -> tuple:
    """The outputs of Send's after-step: the button, the alternatives bar, the box, the notice, its text."""
    return chat.after_send(EARLIER, web_request())


@pytest.fixture
def upload_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    folder.mkdir()
    return folder


def picture(folder: Path, name: str = "p.png", good: bool = True) -> dict:
    path = folder / name.split(".")[0] / name
    path.parent.mkdir()
    if good:
        Image.new("RGB", (8, 8)).save(path, "PNG")
    else:
        path.write_text("not a picture")
    return {"path": str(path), "orig_name": name}


def assert_refused_then_clean(frames: list[tuple], chat: PageSend, box_value, *, busy: bool = False) -> None:
    assert len(frames) == 2, frames
    refusal, last = frames
    # The question the page showed is taken out of the chat (while another answer of the
    # page streams, that answer's next frame does it); the panels stay as they were.
    assert refusal[0] == ({"__type__": "update"} if busy else EARLIER)
    assert changes_nothing(refusal[1:])
    assert len(last) == SEND_OUTPUTS and changes_nothing(last)
    outputs = after(chat)
    assert outputs[BOX] == box_value  # the message goes back in the box: nothing typed is lost
    assert outputs[NOTICE] == {"__type__": "update", "visible": False}
    assert after(chat)[BOX] == {"__type__": "update"}  # given back once


def test_no_key_refuses_and_ends_clean():
    message = {"text": "hello", "files": []}
    with pytest.warns(UserWarning, match="No API key yet"):  # the toast says why
        frames = send(chat := page_send(key=None), message)
    assert_refused_then_clean(frames, chat, message)


def test_a_message_too_long_refuses_and_ends_clean():
    message = {"text": "x" * (MAX_MESSAGE_CHARS + 1), "files": []}
    assert_refused_then_clean(send(chat := page_send(), message), chat, message)


def test_a_bad_request_field_refuses_and_ends_clean():
    message = {"text": "hello", "files": []}
    assert_refused_then_clean(send(chat := page_send(), message, controls=Controls(max_tokens="lots")), chat, message)


def test_busy_refuses_and_ends_clean():
    chat = page_send()
    message = {"text": "second question", "files": []}
    with chat.chat.ctx.runs.track(SESSION):  # this page's previous answer still streams
        frames = send(chat, message)
        assert_refused_then_clean(frames, chat, message, busy=True)


def test_a_blank_message_is_ignored_with_one_frame_that_changes_nothing():
    frames = send(chat := page_send(), {"text": "   ", "files": []})
    assert len(frames) == 1 and changes_nothing(frames[0])
    assert changes_nothing(after(chat)[BOX:])


def test_pictures_to_a_model_that_cannot_see_show_the_notice_then_end_clean(upload_folder):
    message = {"text": "what is this?", "files": [picture(upload_folder)]}
    frames = send(chat := page_send(), message)
    assert len(frames) == 2
    held, last = frames
    assert held[0] == EARLIER and changes_nothing(held[1:]) and changes_nothing(last)
    outputs = after(chat)
    assert outputs[BOX] == message and outputs[NOTICE] == {"__type__": "update", "visible": True}
    assert "Qwen/Qwen3-8B" in outputs[NOTICE_TEXT]
    assert Path(message["files"][0]["path"]).exists()  # still attached: Send anyway sends it


def test_a_picture_that_cannot_be_read_refuses_and_ends_clean(upload_folder):
    good, bad = picture(upload_folder, "ok.png"), picture(upload_folder, "bad.png", good=False)
    frames = send(chat := page_send(), {"text": "look", "files": [good, bad]}, anyway=True)
    assert len(frames) == 2 and changes_nothing(frames[1])
    given_back = after(chat)[BOX]
    assert given_back["text"] == "look" and [f["orig_name"] for f in given_back["files"]] == ["ok.png"]


def test_busy_after_the_pictures_were_read_refuses_and_ends_clean(upload_folder, monkeypatch):
    chat = page_send()
    message = {"text": "look", "files": [picture(upload_folder)]}
    read = uploads.read_attachments
    runs = []

    def read_while_another_send_starts(attachments, lang):
        # Another Send of this page starts while the pictures are read.
        runs.append(chat.chat.ctx.runs.track(SESSION))
        runs[-1].__enter__()
        return read(attachments, lang)

    monkeypatch.setattr(uploads, "read_attachments", read_while_another_send_starts)
    try:
        frames = send(chat, message, anyway=True)
        assert_refused_then_clean(frames, chat, message, busy=True)
    finally:
        runs[-1].__exit__(None, None, None)


def test_retry_and_edit_refused_end_on_a_frame_that_changes_nothing():
    chat = handlers(key=None)
    shown = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]

    async def frames(step, data):
        return [frame async for frame in step(shown, shown, "Qwen/Qwen3-8B", "", Controls(), None, data,
                                              web_request())]

    retried = run_async(frames(chat.regenerate, SimpleNamespace(index=1)))
    edited = run_async(frames(chat.edit, SimpleNamespace(index=0, value="q, edited")))
    for refused in (retried, edited):
        assert len(refused) == 1 and len(refused[0]) == PANE_OUTPUTS and changes_nothing(refused[0])


# --- Compare -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compare_area():
    from sfui.ui.compare_tab import render_compare_area

    with gr.Blocks():
        return render_compare_area(["Qwen/Qwen3-8B"], ["Qwen/Qwen3-8B", "THUDM/GLM-4-9B-0414", None, None])


def compare(area, message: str, *, key: str | None = TEST_KEY, busy: bool = False,
            models=("Qwen/Qwen3-8B", "THUDM/GLM-4-9B-0414", None, None), temperatures=("", "", "", "")) -> list:
    from sfui.ui.compare_handlers import CompareHandlers, compare_session

    handlers = CompareHandlers(AppContext(Settings(api_key=key, base_url="http://127.0.0.1:9/v1")), area)

    async def frames():
        return [frame async for frame in handlers.stream(web_request(), message, None, 1, False, "", Controls(),
                                                         None, *models, *temperatures)]

    if not busy:
        return run_async(frames())
    with handlers.ctx.runs.track(compare_session(web_request())):
        return run_async(frames())


@pytest.mark.parametrize("case", ["no key", "busy", "one model", "bad temperature", "too long"])
def test_a_refused_comparison_gives_the_message_back_then_ends_clean(compare_area, case):
    from sfui.ui.compare_handlers import STREAM_OUTPUTS

    message = "x" * (MAX_MESSAGE_CHARS + 1) if case == "too long" else "which is better?"
    frames = compare(compare_area, message, key=None if case == "no key" else TEST_KEY, busy=case == "busy",
                     models=("Qwen/Qwen3-8B", None, None, None) if case == "one model" else
                     ("Qwen/Qwen3-8B", "THUDM/GLM-4-9B-0414", None, None),
                     temperatures=("9", "", "", "") if case == "bad temperature" else ("", "", "", ""))
    assert len(frames) == 2, frames
    refusal, last = frames
    assert refusal[STREAM_OUTPUTS - 2] == message  # to the refused state: the step after puts it in the box
    assert changes_nothing(refusal[:STREAM_OUTPUTS - 2])  # the panes, the status and the round stay
    assert len(last) == STREAM_OUTPUTS and changes_nothing(last)


def test_a_blank_comparison_is_ignored_with_one_frame_that_changes_nothing(compare_area):
    frames = compare(compare_area, "   ")
    assert len(frames) == 1 and changes_nothing(frames[0])
