"""In Chromium, English and Chinese: a visitor pastes their key and chats; the page is left idle
past SFUI_SESSION_TTL (2 s here) and the server lets go of its session; the visitor's next
question is not sent, a toast says why in their language (the conversations are in the browser;
the key must be pasted again), the message is back in the box (and out of the chat) and the
conversation still on the page; pasted again, the key works (sfui/sessions.py, sfui/ui/sessions.py)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from sfui.i18n import t
from tests.support import TEST_KEY
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    KEY_BOX,
    MESSAGE_BOX,
    QUESTIONS,
    WAIT_MS,
    answers,
    ask,
    open_app,
    open_sidebar,
    send,
    toast,
    wait_saved,
)

TTL = 2.0


def wait_sessions_let_go(app) -> None:
    """Until the server holds no session at all (the page's own included)."""
    sessions = app.demo.server_app.state_holder.session_data
    deadline = time.monotonic() + WAIT_MS / 1000
    while sessions and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not sessions


def paste_key(page) -> None:
    page.locator(KEY_BOX).fill(TEST_KEY)
    page.locator("#api-key-btn").click()
    expect(page.locator("#key-card")).to_be_hidden(timeout=WAIT_MS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_page_idle_past_the_ttl_is_told_and_its_key_must_be_pasted_again(launch_app, fake, browser, lang):
    app = launch_app(api_key=None, session_ttl=TTL)  # no server key: the visitor's own pays
    context = browser.new_context(viewport=VIEWPORT, **(ZH_CONTEXT if lang == "zh" else {"locale": "en-US"}))
    try:
        page = open_app(context.new_page(), app.url)
        paste_key(page)
        ask(page, "before the break", "Echo: before the break")
        wait_sessions_let_go(app)

        send(page, "after the break")
        message = t(lang, "session_expired", minutes=1)
        expect(toast(page, message[:20], kind="warning")).to_contain_text(message, timeout=WAIT_MS)
        expect(page.locator(MESSAGE_BOX)).to_have_value("after the break", timeout=WAIT_MS)  # nothing lost
        expect(answers(page).last).to_contain_text("Echo: before the break")  # the conversation stays
        expect(page.locator(QUESTIONS)).to_have_count(1)  # the question the page showed at once is taken out
        open_sidebar(page)
        wait_saved(page, 1)  # the saved conversation is in the browser, listed
        assert not any("after the break" in str(body) for body in fake.chat_requests())

        # The page said to paste the key again: with it, the question goes out.
        page.locator("#api-key-change").click()
        paste_key(page)
        page.locator(MESSAGE_BOX).fill("")
        ask(page, "after the break", "Echo: after the break")
    finally:
        context.close()
