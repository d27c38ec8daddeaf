"""Alternatives in a real browser, in English and Chinese: Retry and Edit keep what they
replace, "‹ 2 / 3 ›" under the chat switches between them (each branch with its later turns),
the next question continues the branch shown, and all of it is saved, reopened after a reload
and exported (the JSON keeps every branch, the Markdown the branch shown)."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    CHAT,
    QUESTIONS,
    WAIT_MS,
    ask,
    chat_button,
    download,
    open_app,
    open_sidebar,
    reopen_after_reload,
    wait_answer,
    wait_events_ended,
    wait_saved,
    watch_events,
)
from tests.support.sfserver import stream

STATUS = "#alt-status"
PREV, NEXT = "#alt-prev-btn", "#alt-next-btn"
# What the bar and Gradio's own message buttons say, per language.
WORDS = {
    "en": {"answer": "Answer", "question": "Question", "Retry": "Retry", "Edit": "Edit", "Submit": "Submit"},
    "zh": {"answer": "回答", "question": "问题", "Retry": "重试", "Edit": "编辑", "Submit": "发送"},
}


@pytest.fixture(params=["en", "zh"])
def lang_page(request, browser):
    """A page whose browser speaks English, or Chinese (Gradio's labels and the server's text)."""
    options = ZH_CONTEXT if request.param == "zh" else {"locale": "en-US"}
    context = browser.new_context(viewport=VIEWPORT, **options)
    context.set_default_timeout(WAIT_MS)
    yield context.new_page(), WORDS[request.param]
    context.close()


def expect_status(page: Page, words: dict, kind: str, shown: int, count: int) -> None:
    expect(page.locator(STATUS)).to_have_text(f"{words[kind]} {shown} / {count}", timeout=WAIT_MS)


# Counts, on every load of the page, the queued steps it starts and those that save the
# conversation after a chat edit (``ids``: their fn_index), from Gradio's queue as the page
# speaks it (tests/support/page.py's tap, installed by watch_events).
COUNT_SAVES_JS = """(ids) => {
  const saves = window.__saves = {started: 0, saves: 0};
  window.__queueTap.request.push((url, init) => {
    if (!url.includes('/queue/join')) return;
    saves.started += 1;
    try { if (ids.includes(JSON.parse(init.body).fn_index)) saves.saves += 1; } catch (e) {}
  });
}"""


def count_saves(page: Page, url: str) -> None:
    """From the page's next load on, count the saves after a chat edit (call after watch_events)."""
    config = httpx.get(url + "config", timeout=60).json()
    ids = [d["id"] for d in config["dependencies"] if re.fullmatch(r"after_edit(_\d+)?", d.get("api_name") or "")]
    page.add_init_script(script=f"({COUNT_SAVES_JS})({json.dumps(ids)})")


def switch(page: Page, button: str) -> None:
    """Click ‹ or ›, and wait until the save after the switch has been started and every step
    the page started has ended: the switch is saved."""
    saves = page.evaluate("() => window.__saves.saves")
    page.locator(button).click()
    page.wait_for_function("(n) => window.__saves.saves > n", arg=saves, timeout=WAIT_MS)
    wait_events_ended(page, page.evaluate("() => window.__saves.started"))


def retry(page: Page, words: dict, answer: str) -> None:
    page.locator(chat_button(words["Retry"])).click()
    wait_answer(page, re.escape(answer))


def test_an_answer_and_two_retries_give_three_to_switch_between_after_a_reload_too(launch_app, lang_page):
    page, words = lang_page
    app = launch_app()
    watch_events(page)
    count_saves(page, app.url)
    open_app(page, app.url)
    open_sidebar(page)
    ask(page, "Why is the sky blue?", "Echo: Why is the sky blue?")
    wait_saved(page, 1)
    expect(page.locator("#alt-bar")).to_be_hidden()  # nothing to switch between yet
    app.fake.push(stream("Rayleigh scattering."), stream("Blue light scatters most."))
    retry(page, words, "Rayleigh scattering.")
    expect_status(page, words, "answer", 2, 2)
    retry(page, words, "Blue light scatters most.")
    expect_status(page, words, "answer", 3, 3)

    answers = page.locator(ANSWERS)
    for shown, answer in ((2, "Rayleigh scattering."), (1, "Echo: Why is the sky blue?")):
        switch(page, PREV)
        expect_status(page, words, "answer", shown, 3)
        expect(answers).to_have_text([answer])
    switch(page, NEXT)  # the second answer, saved as the one shown
    expect(answers).to_have_text(["Rayleigh scattering."])

    reopen_after_reload(page, app.url)
    expect_status(page, words, "answer", 2, 3)
    expect(answers).to_have_text(["Rayleigh scattering."])
    for button, shown, answer in ((NEXT, 3, "Blue light scatters most."), (PREV, 2, "Rayleigh scattering."),
                                  (PREV, 1, "Echo: Why is the sky blue?")):
        switch(page, button)
        expect_status(page, words, "answer", shown, 3)
        expect(answers).to_have_text([answer])

    # The next question continues the branch shown.
    ask(page, "And at sunset?", "Echo: And at sunset?")
    sent = app.fake.chat_requests()[-1]["messages"]
    assert [m["content"] for m in sent] == ["Why is the sky blue?", "Echo: Why is the sky blue?", "And at sunset?"]
    expect_status(page, words, "answer", 1, 3)


def test_an_edit_keeps_the_old_branch_and_the_json_export_keeps_every_branch(launch_app, lang_page):
    page, words = lang_page
    app = launch_app()
    watch_events(page)
    count_saves(page, app.url)
    open_app(page, app.url)
    open_sidebar(page)
    ask(page, "Tell me a joke", "Echo: Tell me a joke")
    ask(page, "Another one", "Echo: Another one")
    wait_saved(page, 1)
    page.locator(QUESTIONS).first.hover()
    page.locator(chat_button(words["Edit"])).first.click()
    page.locator(f"{CHAT} textarea").first.fill("Tell me a poem")
    page.locator(chat_button(words["Submit"])).click()
    wait_answer(page, "Echo: Tell me a poem")
    assert app.fake.chat_requests()[-1]["messages"] == [{"role": "user", "content": "Tell me a poem"}]
    expect_status(page, words, "question", 2, 2)
    chat = page.locator(CHAT)
    expect(chat).not_to_contain_text("Another one")

    # A Retry of the new answer: the bar shows the lowest place; a click on the question, its place.
    app.fake.push(stream("Roses are red."))
    retry(page, words, "Roses are red.")
    expect_status(page, words, "answer", 2, 2)
    page.locator(QUESTIONS).first.click()
    expect_status(page, words, "question", 2, 2)

    switch(page, PREV)
    expect_status(page, words, "question", 1, 2)
    expect(page.locator(QUESTIONS)).to_have_text(["Tell me a joke", "Another one"])
    expect(page.locator(ANSWERS)).to_have_text(["Echo: Tell me a joke", "Echo: Another one"])

    exported = json.loads(download(page, "#export-json-btn"))
    text = json.dumps(exported, ensure_ascii=False)
    for branch_text in ("Tell me a joke", "Another one", "Tell me a poem", "Echo: Tell me a poem", "Roses are red."):
        assert branch_text in text, branch_text
    assert [m["content"] for m in exported["messages"]] == ["Tell me a joke", "Echo: Tell me a joke", "Another one",
                                                            "Echo: Another one"]
    markdown = download(page, "#export-md-btn")
    assert "Another one" in markdown and "Tell me a poem" not in markdown

    reopen_after_reload(page, app.url)
    expect_status(page, words, "question", 1, 2)
    switch(page, NEXT)
    expect(page.locator(QUESTIONS)).to_have_text(["Tell me a poem"])
    expect(page.locator(ANSWERS)).to_have_text(["Roses are red."])
