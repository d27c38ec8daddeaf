"""The "View code" panel in a real browser: it shows the request the next Send
makes (model, message, stream, the conversation so far), never the key, and the
copied code holds exactly the body that Send then posts."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support import TEST_KEY
from tests.support.page import (
    CODE,
    MESSAGE_BOX,
    QUESTIONS,
    WAIT_MS,
    ask,
    code_text,
    copied_code,
    open_accordion,
    open_app,
    pick_language,
    send,
    wait_turn_ended,
)
from tests.test_codegen import body_in_snippet


def test_view_code_shows_the_request_of_the_next_send(launch_app, page):
    app = launch_app()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.url.rstrip("/"))
    open_app(page, app.url)
    ask(page, "#fake:reasoning First question")  # a conversation with a thinking bubble in it
    message = "What does 'stream' do? `code` and 中文"
    page.locator(MESSAGE_BOX).fill(message)

    open_accordion(page, "View code")
    expect(page.locator(CODE)).to_contain_text("curl", timeout=WAIT_MS)
    pick_language(page, "Python (requests)")
    expect(page.locator(CODE)).to_contain_text("import requests", timeout=WAIT_MS)
    shown = code_text(page)
    assert f'"model": "{app.settings.default_model}"' in shown
    assert '"stream": True' in shown
    code = copied_code(page)
    assert message in code and "First question" in code
    assert 'os.environ["SILICONFLOW_API_KEY"]' in code
    assert TEST_KEY not in code and TEST_KEY not in page.content()

    # The code's body is exactly what Send posts next.
    body = body_in_snippet("python-requests", code)
    before = len(app.fake.chat_requests())
    send(page, message)
    expect(page.locator(QUESTIONS)).to_have_count(2, timeout=WAIT_MS)
    # The page shows the question before the server hears of it: the last answer's "done" stays until then.
    for _ in range(200):
        if len(app.fake.chat_requests()) > before:
            break
        page.wait_for_timeout(50)
    wait_turn_ended(page)
    assert len(app.fake.chat_requests()) == before + 1
    assert app.fake.chat_requests()[-1] == body

    # gr.Code has no Go highlighting (C++'s stands in): the code shows all the same.
    page.locator(MESSAGE_BOX).fill("Next one")
    pick_language(page, "Go")
    expect(page.locator(CODE)).to_contain_text("package main", timeout=WAIT_MS)
    expect(page.locator(CODE)).to_contain_text('os.Getenv("SILICONFLOW_API_KEY")')


def test_view_code_shows_why_a_request_would_be_refused(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    page.locator(MESSAGE_BOX).fill("Hello")
    open_accordion(page, "More request fields")
    budget = page.locator("#thinking-budget textarea, #thinking-budget input").first
    budget.fill("5")  # below 128: Send would refuse it
    budget.blur()
    open_accordion(page, "View code")
    expect(page.locator(CODE)).to_contain_text("thinking_budget", timeout=WAIT_MS)
    assert "curl" not in code_text(page)

    budget.fill("")
    budget.blur()
    page.locator("#code-refresh-btn").click()
    expect(page.locator(CODE)).to_contain_text("curl -sS -N", timeout=WAIT_MS)
    assert '"thinking_budget"' not in code_text(page)
