"""Streamed frames that arrive together keep every update (sfui/ui/frame_diffs.py).

Gradio's browser client applies each frame's diff in place to the frame before; frames it
handles in one go (here: every message of an event that came before the answer to its
queue/join request, which the client then replays at once) lost an update that the next
frame left unchanged: the refused message never came back into the box."""

from __future__ import annotations

import pytest
from gradio import utils
from playwright.sync_api import expect

from sfui.ui.frame_diffs import frame_diff
from tests.support import page as app_page

# Holds back the answers to the page's queue/join requests while window.sfuiLateJoins is set:
# the event's messages (refusal, its last frame, completion) all come over the stream first.
LATE_JOINS_JS = """(() => {
  const fetchFirst = window.fetch;
  window.fetch = async function (input, init) {
    const response = await fetchFirst.apply(this, arguments);
    const url = typeof input === 'string' ? input : input.url;
    if (window.sfuiLateJoins && url.includes('/queue/join')) await new Promise((r) => setTimeout(r, 1500));
    return response;
  };
})();"""


def test_a_prop_update_is_replaced_whole_and_text_still_appends():
    skip, message = {"__type__": "update"}, {"text": "And now this", "files": []}
    assert frame_diff(message, skip) == [["replace", [], skip]]
    assert frame_diff({"__type__": "update", "visible": False}, skip) == [["replace", [], skip]]
    assert frame_diff(skip, message) == [["replace", [], message]]
    assert frame_diff(skip, dict(skip)) == []
    # Everything else is Gradio's own diff: the streamed answer's text is appended.
    chat = [{"role": "assistant", "content": [{"type": "text", "text": "Counting: 1"}]}]
    longer = [{"role": "assistant", "content": [{"type": "text", "text": "Counting: 1 2"}]}]
    assert frame_diff(chat, longer) == utils.diff(chat, longer) == [["append", [0, "content", 0, "text"], " 2"]]


@pytest.fixture(scope="module")
def app(launch_module_app):
    return launch_module_app()


def test_a_refusal_whose_frames_come_together_still_gives_the_message_back(app, visitors):
    visitor = visitors(app.url)
    page = visitor.page
    page.add_init_script(LATE_JOINS_JS)
    page.reload()
    expect(page.locator(app_page.MESSAGE_BOX)).to_be_editable(timeout=app_page.WAIT_MS)
    visitor.send("#fake:slow count")  # ~10 s of counting
    visitor.wait_for_chat("Counting: 1 2")

    page.evaluate("window.sfuiLateJoins = true")
    visitor.send("And now this")
    assert "still coming" in visitor.warning("Not sent")
    expect(page.locator(app_page.MESSAGE_BOX)).to_have_value("And now this", timeout=app_page.WAIT_MS)
    page.locator("#stop-btn").click()
