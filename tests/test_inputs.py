"""Bad input through the whole app: nothing odd a visitor or an API caller
sends may reach the model unchecked, lose what was typed, or wipe the chat.

- empty and whitespace-only messages are ignored;
- a 1 MB message is refused with a reason the visitor sees (a warning toast),
  and the text stays in the box;
- out-of-range parameters arriving through the API never reach the model;
- Chinese, emoji and right-to-left text arrive at the model unchanged and
  come back unchanged.
"""

from __future__ import annotations

import json
import re

import pytest
import requests
from gradio_client.exceptions import AppError
from playwright.sync_api import expect

from sfui.chat import MAX_MESSAGE_CHARS
from tests.support import page as app_page
from tests.support.api import ChatAPI, message_text

BIG_MESSAGE_CHARS = 1_000_000  # well over sfui's limit (MAX_MESSAGE_CHARS)


@pytest.fixture(scope="module")
def app(launch_module_app):
    return launch_module_app()


@pytest.fixture
def fake(module_fake):
    """This module's fake, with no requests from earlier tests."""
    module_fake.reset()
    return module_fake


@pytest.fixture(scope="module")
def api(app):
    chat_api = ChatAPI(app.url)
    yield chat_api
    chat_api.close()


@pytest.fixture(scope="module")
def conversation(api, module_fake):
    """One answered exchange, to show that a refused input leaves it alone."""
    module_fake.reset()
    return api.chat("An earlier question").history


def is_unchanged(output, before) -> bool:
    """The app left this output as it was: gradio_client reports a no-change
    update (gr.skip()) or the same value."""
    if isinstance(output, dict) and output.get("__type__") == "update":
        return "value" not in output
    return output == before


# --- empty and whitespace-only messages ------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["", " ", "   \n\t  \n", "\u3000"], ids=["empty", "space", "whitespace", "ideographic-space"]
)
def test_blank_message_is_ignored(api, fake, conversation, message):
    reply = api.chat(message, conversation)
    assert fake.chat_requests() == []
    chatbot = reply.outputs[-1][0]
    assert is_unchanged(chatbot, conversation), f"the chat changed: {chatbot!r}"


# --- parameters out of range -------------------------------------------------------------------

OUT_OF_RANGE = [
    ("temperature", 5),
    ("temperature", -0.5),
    ("top_p", 1.5),
    ("top_k", 0),
    ("top_k", 101),
    ("max_tokens", 10**6),
    ("max_tokens", 0),
    ("frequency_penalty", -3),
    ("thinking_budget", 10),
    ("thinking_budget", 10**6),
    ("min_p", 2),
]


@pytest.mark.parametrize("name,value", OUT_OF_RANGE, ids=[f"{n}={v}" for n, v in OUT_OF_RANGE])
def test_out_of_range_parameter_is_refused(api, fake, conversation, name, value):
    """Sliders: Gradio 6 itself checks minimum and maximum when it preprocesses
    the input and fails the call with a gr.Error ("Value 5 is greater than
    maximum value 2.0.") before sfui's handler runs. Free-text fields
    (thinking budget, min_p): sfui's own check (PARAM_RANGES) refuses with a
    warning toast and leaves every output unchanged."""
    try:
        reply = api.chat("Use this parameter", conversation, **{name: value})
    except AppError as refused:
        reason = str(refused)
        assert str(value) in reason and ("maximum" in reason or "minimum" in reason), reason
    else:
        assert all(is_unchanged(output, None) for output in reply.outputs[-1]), reply.outputs[-1]
    assert fake.chat_requests() == [], "an out-of-range value reached the model"


def test_nan_parameter_never_reaches_the_model(app, fake):
    """NaN is valid in Python's JSON and slips past Gradio's range check (every
    comparison with NaN is false): sfui itself must refuse it. gradio_client
    cannot send NaN, so this is a raw call to the documented HTTP API."""
    data = ["Use NaN", [], *ChatAPI.CONTROLS.values()]
    data[4] = float("nan")  # temperature: message, history, model, system, temperature, ...
    body = json.dumps({"data": data})  # allow_nan: writes NaN
    start = requests.post(
        app.url + "gradio_api/call/chat", data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    start.raise_for_status()
    events = requests.get(app.url + f"gradio_api/call/chat/{start.json()['event_id']}", timeout=30).text
    assert "event: complete" in events or "event: error" in events, events[:500]
    assert fake.chat_requests() == [], "a NaN temperature reached the model"


def test_edge_values_are_sent_exactly_and_integers_stay_integers(api, fake):
    api.chat("Edges", temperature=2, top_p=0, top_k=100, max_tokens=100.7, frequency_penalty=-2)
    sent = fake.chat_requests()[-1]
    assert (sent["temperature"], sent["top_p"], sent["top_k"], sent["frequency_penalty"]) == (2, 0, 100, -2)
    assert sent["max_tokens"] == 101 and isinstance(sent["max_tokens"], int)


# --- text in any script ------------------------------------------------------------------------

SCRIPTS = [
    "你好 👋🏽 مرحبا שלום",
    "Family 👨‍👩‍👧‍👦, flag 🇨🇳, e\u0301 (combining accent), \u200fRTL mark and \u200dZWJ",
    "עברית ثم العربية، then English: שלום, عالم!",
    "数学：∑ x² ≤ ∞ · 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 · 🀄",
]


@pytest.mark.parametrize("text", SCRIPTS, ids=["mixed", "emoji-sequences", "bidi", "astral"])
def test_text_in_any_script_round_trips_unchanged(api, fake, text):
    reply = api.chat(text, system_prompt=f"Answer in the language of: {text}")
    sent = fake.chat_requests()[-1]["messages"]
    assert sent == [
        {"role": "system", "content": f"Answer in the language of: {text}"}, {"role": "user", "content": text}
    ]
    user, answer = reply.history
    assert message_text(user) == text
    assert message_text(answer) == f"Echo: {text}"


# --- in the browser ---------------------------------------------------------------------------


def test_huge_message_is_refused_with_a_visible_reason_and_nothing_is_lost(app, fake, visitors):
    visitor = visitors(app.url)
    visitor.send("A first question")
    visitor.wait_for_chat("Echo: A first question")
    # The answer's text shows before its turn has ended: a message sent before that is given
    # back for another reason (one answer at a time).
    app_page.wait_events_ended(visitor.page, app_page.events_joined(visitor.page))

    visitor.send("x" * BIG_MESSAGE_CHARS)

    # gr.Warning renders as a toast: [data-testid=toast-body] with the "warning" class.
    reason = visitor.warning("Not sent")
    assert f"{BIG_MESSAGE_CHARS:,}" in reason and f"{MAX_MESSAGE_CHARS:,}" in reason, reason
    # Nothing lost: the text is still in the box, the chat as it was, nothing sent.
    # The box was emptied in the browser on Enter; the refusal puts the text back.
    visitor.page.wait_for_function(
        "n => document.querySelector('#user-input textarea').value.length === n", arg=BIG_MESSAGE_CHARS
    )
    chat = visitor.chat_text()
    assert "A first question" in chat and "Echo: A first question" in chat
    assert len(fake.chat_requests()) == 1


def test_out_of_range_field_shows_the_reason_in_the_browser(app, fake, visitors):
    visitor = visitors(app.url)
    page = visitor.page
    page.get_by_role("button", name=re.compile("More request fields")).click()  # a closed accordion
    page.locator("#thinking-budget textarea, #thinking-budget input").first.fill("10")
    visitor.send("Think a little")
    reason = visitor.warning("thinking_budget")
    assert "128" in reason and "32768" in reason, reason
    expect(page.locator("#user-input textarea")).to_have_value("Think a little", timeout=app_page.WAIT_MS)
    assert fake.chat_requests() == []


def test_blank_messages_in_the_browser_keep_the_chat(app, fake, visitors):
    """A handler that ends without output makes Gradio set every output to
    None: an ignored blank message must not wipe the chat in the page."""
    visitor = visitors(app.url)
    visitor.send("Keep this exchange")
    visitor.wait_for_chat("Echo: Keep this exchange")

    joined = app_page.events_joined(visitor.page)
    for blank in ("", "   "):
        visitor.send(blank)
    app_page.wait_events_ended(visitor.page, at_least=joined + 2)  # both ignored sends have ended
    assert "Echo: Keep this exchange" in visitor.chat_text()

    visitor.send("And a second one")
    visitor.wait_for_chat("Echo: And a second one")
    assert "Echo: Keep this exchange" in visitor.chat_text()
    # The second request carried the first exchange: the handler saw the chat intact.
    assert [m["content"] for m in fake.chat_requests()[-1]["messages"]] == [
        "Keep this exchange",
        "Echo: Keep this exchange",
        "And a second one",
    ]
    assert len(fake.chat_requests()) == 2


def test_a_message_sent_while_an_answer_streams_stays_in_the_box(app, fake, visitors):
    """One answer at a time per page. A message sent meanwhile is not lost (the
    box was already emptied in the browser): it comes back with the reason, and
    can be sent once the answer has ended (here: after Stop)."""
    visitor = visitors(app.url)
    page = visitor.page
    visitor.send("#fake:slow count")  # ~10 s of counting
    visitor.wait_for_chat("Counting: 1 2")

    visitor.send("And now this")
    assert "still coming" in visitor.warning("Not sent")
    expect(page.locator("#user-input textarea")).to_have_value("And now this", timeout=app_page.WAIT_MS)
    assert len(fake.chat_requests()) == 1

    page.locator("#stop-btn").click()
    expect(page.locator("#usage-panel tbody tr").first.locator("td").last).to_have_text("stopped", timeout=30_000)
    page.locator("#user-input textarea").press("Enter")
    visitor.wait_for_chat("Echo: And now this")
    assert len(fake.chat_requests()) == 2
