"""A long conversation in a real browser: the chat shows its latest questions and
"Show earlier" the rest, while every request, save, export, View code, Retry,
Undo and Edit works on the whole conversation (sfui.chat_window)."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from sfui.chat_window import SHOWN_QUESTIONS
from tests.support.page import (
    ANSWERS,
    CHAT,
    CODE,
    MESSAGE_BOX,
    WAIT_MS,
    ask,
    chat_button,
    copied_code,
    download,
    import_file,
    open_accordion,
    open_app,
    open_sidebar,
    questions,
    reopen_after_reload,
    stored,
    wait_saved,
    wait_stored_after,
    wait_turn_ended,
)
from tests.support.sfserver import stream

TURNS = 10


def import_long(page: Page, turns: int = TURNS) -> None:
    messages = []
    for i in range(1, turns + 1):
        messages += [{"role": "user", "content": f"Step {i} question"},
                     {"role": "assistant", "content": f"Step {i} answer"}]
    import_file(page, "long.json", json.dumps({"messages": messages}).encode())
    wait_saved(page, 1)
    expect(page.locator(ANSWERS).last).to_have_text("Step 10 answer", timeout=WAIT_MS)


def steps(first: int, last: int) -> list[str]:
    return [f"Step {i} question" for i in range(first, last + 1)]


def expect_window(page: Page, asked: list[str]) -> None:
    """The conversation has asked the questions ``asked``: the chat shows the latest
    SHOWN_QUESTIONS of them, and the button offers the others."""
    expect(questions(page)).to_have_count(SHOWN_QUESTIONS, timeout=WAIT_MS)
    expect(questions(page)).to_have_text(asked[-SHOWN_QUESTIONS:], timeout=WAIT_MS)
    hidden = len(asked) - SHOWN_QUESTIONS
    expect(page.locator("#show-earlier-btn")).to_have_text(f"Show the {hidden} earlier questions and answers")


def test_only_the_latest_turns_are_shown_and_the_whole_conversation_is_sent(launch_app, page):
    app = launch_app()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.url.rstrip("/"))
    open_app(page, app.url)
    open_sidebar(page)
    import_long(page)
    expect_window(page, steps(1, TURNS))

    # View code shows the whole conversation, not only what the chat shows.
    page.locator(MESSAGE_BOX).fill("What next?")
    open_accordion(page, "View code")
    expect(page.locator(CODE)).to_contain_text("curl", timeout=WAIT_MS)
    code = copied_code(page)
    assert "Step 1 question" in code and "Step 1 answer" in code and "What next?" in code

    ask(page, "What next?", "Echo: What next?")
    sent = app.fake.chat_requests()[-1]["messages"]
    assert len(sent) == 2 * TURNS + 1
    assert sent[0] == {"role": "user", "content": "Step 1 question"}
    assert sent[-1] == {"role": "user", "content": "What next?"}
    wait_turn_ended(page)
    expect_window(page, [*steps(1, TURNS), "What next?"])

    # The save holds the whole conversation.
    page.wait_for_function("() => document.querySelector('#conversations') !== null")
    exported = json.loads(download(page, "#export-json-btn"))
    assert len(exported["messages"]) == 2 * TURNS + 2
    assert exported["messages"][0]["content"] == "Step 1 question"

    # Show earlier: every question, and the button goes.
    page.locator("#show-earlier-btn").click()
    expect(questions(page)).to_have_count(TURNS + 1, timeout=WAIT_MS)
    expect(questions(page).first).to_have_text("Step 1 question")
    expect(page.locator("#show-earlier-btn")).to_be_hidden()

    # The next answer slides the chat back to the latest turns; the request is whole again.
    before = stored(page)
    ask(page, "And then?", "Echo: And then?")
    assert len(app.fake.chat_requests()[-1]["messages"]) == 2 * TURNS + 3
    wait_turn_ended(page)
    expect_window(page, [*steps(1, TURNS), "What next?", "And then?"])
    wait_stored_after(page, before)

    # Reopened after a reload: the latest turns again, the rest behind the button.
    reopen_after_reload(page, app.url)
    expect_window(page, [*steps(1, TURNS), "What next?", "And then?"])

    # Clear: a new conversation, with nothing of the old one in its request.
    page.locator("#clear-btn").click()
    expect(questions(page)).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#show-earlier-btn")).to_be_hidden()
    ask(page, "Fresh start", "Echo: Fresh start")
    assert app.fake.chat_requests()[-1]["messages"] == [{"role": "user", "content": "Fresh start"}]


def test_retry_undo_and_edit_act_on_the_message_clicked(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    open_sidebar(page)
    import_long(page)

    # Retry the last answer: the request is the whole conversation up to its question.
    app.fake.push(stream("A second, different answer."))
    page.locator(chat_button("Retry")).click()
    expect(page.locator(ANSWERS).last).to_have_text("A second, different answer.", timeout=WAIT_MS)
    wait_turn_ended(page)
    sent = app.fake.chat_requests()[-1]["messages"]
    assert len(sent) == 2 * TURNS - 1 and sent[0]["content"] == "Step 1 question"
    assert sent[-1]["content"] == "Step 10 question"
    expect_window(page, steps(1, TURNS))

    # Undo the last question: it goes back in the box, and an earlier question comes into view.
    page.locator(chat_button("Undo")).click()
    expect(page.locator(MESSAGE_BOX)).to_have_value("Step 10 question", timeout=WAIT_MS)
    expect_window(page, steps(1, TURNS - 1))
    page.locator(MESSAGE_BOX).fill("")

    # Edit the first question shown: the hidden turns before it are still sent.
    edited = TURNS - SHOWN_QUESTIONS  # its step number
    first_shown = questions(page).first
    expect(first_shown).to_have_text(f"Step {edited} question")
    first_shown.hover()
    page.locator(chat_button("Edit")).first.click()
    page.locator(f"{CHAT} textarea").first.fill(f"Step {edited}, edited")
    page.locator(chat_button("Submit")).click()
    expect(page.locator(ANSWERS).last).to_contain_text(f"Echo: Step {edited}, edited", timeout=WAIT_MS)
    wait_turn_ended(page)
    sent = app.fake.chat_requests()[-1]["messages"]
    assert [m["content"] for m in sent[:2]] == ["Step 1 question", "Step 1 answer"]
    assert len(sent) == 2 * (edited - 1) + 1 and sent[-1] == {"role": "user", "content": f"Step {edited}, edited"}
    expect_window(page, [*steps(1, edited - 1), f"Step {edited}, edited"])
