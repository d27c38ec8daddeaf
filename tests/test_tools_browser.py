"""Continue and the demo's tools (issue 22, parts 3 and 4) in a real Chromium, against the
fake SiliconFlow: what the page shows (in English and Chinese) and what the fake received,
and Stop closing the upstream at every step of a tool exchange.

Every wait is a generous Playwright wait on something shown, never a timing assertion."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from sfui.i18n import t
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    CODE,
    MESSAGE_BOX,
    QUESTIONS,
    THOUGHTS,
    WAIT_MS,
    answers,
    ask,
    copied_code,
    download,
    last_answer,
    open_accordion,
    open_app,
    open_sidebar,
    pick_language,
    send,
    set_number,
    status_cell,
    usage_rows,
    wait_answer,
    wait_events_ended,
    wait_saved,
    wait_turn_ended,
    watch_events,
)
from tests.test_browser import expected_usage
from tests.test_codegen import body_in_snippet

CONTINUE = "#continue-btn"
TOOLS_SWITCH = "#tools-demo input[type=checkbox]"
QUESTION = "one two three four five six"
WHOLE = "Echo: " + QUESTION


@pytest.fixture(scope="module")
def shared_app(launch_module_app):
    return launch_module_app()


@pytest.fixture
def app(shared_app):
    shared_app.fake.reset()
    shared_app.fake.token_rate = None
    yield shared_app
    shared_app.fake.token_rate = None


@pytest.fixture
def zh_page(browser):
    context = browser.new_context(viewport=VIEWPORT, **ZH_CONTEXT)
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()


def cut_by_max_tokens(page, app) -> str:
    """Ask QUESTION with max_tokens 4: the answer stops on ``length`` after four tokens."""
    watch_events(page)
    open_app(page, app.url)
    set_number(page, "max_tokens", "4")
    partial = ask(page, QUESTION)
    assert partial == "Echo: one two three"
    return partial


# --- Continue ------------------------------------------------------------------------------------


def test_continue_after_max_tokens_makes_one_answer_of_both_parts(app, page):
    cut_by_max_tokens(page, app)
    expect(page.locator(CONTINUE)).to_be_visible()
    expect(page.locator(CONTINUE)).to_have_text("Continue")
    page.locator(CONTINUE).click()
    expect(answers(page)).to_have_text([WHOLE])  # one answer, both parts
    wait_turn_ended(page)
    expect(page.locator(CONTINUE)).to_be_hidden()  # this time it ended on "stop"
    first, second = app.fake.chat_requests()
    assert second["prefix"] == "Echo: one two three "  # the partial answer, as SiliconFlow takes it
    assert second["messages"] == first["messages"] == [{"role": "user", "content": QUESTION}]
    # The usage panel adds both requests.
    one, two = expected_usage(first), expected_usage(second)
    rows = usage_rows(page)
    assert rows["Prompt tokens"] == str(one["prompt_tokens"] + two["prompt_tokens"])
    assert rows["Completion tokens"] == str(one["completion_tokens"] + two["completion_tokens"]) == "7"
    assert rows["Finish reason"] == "stop"
    # So does the saved record: one answer, both requests' usage.
    open_sidebar(page)
    wait_saved(page, 1)
    wait_events_ended(page)
    exported = json.loads(download(page, "#export-json-btn"))
    assert [m["content"] for m in exported["messages"]] == [QUESTION, WHOLE]
    (record,) = exported["answers"]
    assert record["usage"]["completion_tokens"] == 7
    assert record["usage"]["prompt_tokens"] == one["prompt_tokens"] + two["prompt_tokens"]
    assert "prefix" not in record["params"] and record["finish_reason"] == "stop"


def test_continue_in_chinese(app, zh_page):
    page = zh_page
    cut_by_max_tokens(page, app)
    expect(page.locator(CONTINUE)).to_have_text("继续生成")
    page.locator(CONTINUE).click()
    wait_answer(page, "six")
    assert last_answer(page) == WHOLE
    expect(status_cell(page)).to_have_text("完成")


def test_continue_is_offered_after_stop_and_not_after_a_whole_answer(app, page):
    watch_events(page)
    open_app(page, app.url)
    ask(page, "a whole answer")
    expect(page.locator(CONTINUE)).to_be_hidden()
    send(page, "#fake:slow count")
    expect(answers(page).last).to_contain_text("Counting: 1 2 3", timeout=WAIT_MS)
    page.locator("#stop-btn").click()
    expect(status_cell(page)).to_have_text("stopped")
    expect(page.locator(CONTINUE)).to_be_visible()
    page.locator("#clear-btn").click()  # the chat shows nothing to continue
    expect(page.locator(CONTINUE)).to_be_hidden()


# --- the demo's tools ----------------------------------------------------------------------------


def ask_with_tools(page, app, question: str) -> None:
    watch_events(page)
    open_app(page, app.url)
    page.locator(TOOLS_SWITCH).check()
    send(page, question)


def test_the_calculator_runs_and_its_card_and_the_final_answer_show(app, page):
    ask_with_tools(page, app, "#fake:calc 6*7")
    wait_answer(page, "The result is 42.")
    card = page.locator(THOUGHTS, has_text=t("en", "tool_ran", name="calculator"))
    expect(card).to_contain_text('{"expression": "6*7"}')
    expect(card).to_contain_text("42")
    expect(page.locator(ANSWERS).last).to_have_text("The result is 42.")
    first, second = app.fake.chat_requests()
    assert [tool["function"]["name"] for tool in first["tools"]] == ["calculator", "current_time", "convert_units"]
    call, result = second["messages"][1:]
    (sent,) = call["tool_calls"]
    assert json.loads(sent["function"]["arguments"]) == {"expression": "6*7"}
    assert result == {"role": "tool", "tool_call_id": sent["id"], "content": "42"}


def test_view_code_shows_the_whole_exchange_and_send_posts_it(app, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.url.rstrip("/"))
    ask_with_tools(page, app, "#fake:calc 6*7")
    wait_answer(page, "The result is 42.")
    wait_events_ended(page)  # saved, with its record
    open_accordion(page, "View code")
    expect(page.locator(CODE)).to_contain_text("Type a message", timeout=WAIT_MS)
    pick_language(page, "Python (requests)")
    # The saved answer's request: the exchange's last one, the call and its result included.
    page.locator("#code-answer input").click()
    page.get_by_role("option", name=re.compile("answer 1")).click()
    expect(page.locator(CODE)).to_contain_text("import requests", timeout=WAIT_MS)
    assert body_in_snippet("python-requests", copied_code(page)) == app.fake.chat_requests()[1]
    # The next Send's request: the whole exchange, then the new question.
    page.locator(MESSAGE_BOX).fill("#fake:calc 7*8")
    page.locator("#code-answer input").click()
    page.get_by_role("option", name=re.compile("next Send", re.I)).click()
    expect(page.locator(CODE)).to_contain_text("7*8", timeout=WAIT_MS)
    body = body_in_snippet("python-requests", copied_code(page))
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "tool", "assistant", "user"]
    assert body["messages"][2]["content"] == "42"
    assert [tool["function"]["name"] for tool in body["tools"]] == ["calculator", "current_time", "convert_units"]
    send(page, "#fake:calc 7*8")
    expect(page.locator(QUESTIONS)).to_have_count(2, timeout=WAIT_MS)
    wait_answer(page, "The result is 56.")
    assert app.fake.chat_requests()[2] == body  # the code's body is exactly what Send posted


def test_tools_in_chinese(app, zh_page):
    page = zh_page
    watch_events(page)
    open_app(page, app.url)
    expect(page.locator("#tools-demo")).to_contain_text("工具")
    page.locator(TOOLS_SWITCH).check()
    send(page, "#fake:calc 2+3")
    wait_answer(page, "The result is 5.")
    expect(page.locator(THOUGHTS, has_text=t("zh", "tool_ran", name="calculator"))).to_contain_text("5")


def test_five_requests_then_the_question_stops(app, page):
    ask_with_tools(page, app, "#fake:tool-loop go")
    wait_answer(page, "Stopped after 5 requests")
    assert len(app.fake.chat_requests()) == 5
    expect(page.locator(THOUGHTS, has_text=t("en", "tool_ran", name="calculator"))).to_have_count(4)
    expect(page.locator(THOUGHTS, has_text=t("en", "tool_not_run", name="calculator"))).to_have_count(1)
    wait_events_ended(page)
    assert len(app.fake.chat_requests()) == 5


def test_stop_during_the_final_answer_closes_the_upstream(app, page):
    ask_with_tools(page, app, "#fake:calc-slow 6*7")
    expect(answers(page).last).to_contain_text("The result is 42. Counting: 1 2", timeout=WAIT_MS)
    page.locator("#stop-btn").click()
    assert app.fake.wait_for_disconnect(timeout=5), "Stop did not close the upstream stream"
    expect(status_cell(page)).to_have_text("stopped")
    wait_events_ended(page)
    assert len(app.fake.chat_requests()) == 2
    assert not last_answer(page).endswith("200")


def test_stop_while_the_model_calls_a_tool_runs_nothing(app, page):
    app.fake.token_rate = 2  # the call's fragments come slowly
    ask_with_tools(page, app, "#fake:calc 6*7")
    expect(page.locator(THOUGHTS, has_text=t("en", "tool_running", name="calculator"))).to_be_visible()
    page.locator("#stop-btn").click()
    assert app.fake.wait_for_disconnect(timeout=5), "Stop did not close the upstream stream"
    expect(status_cell(page)).to_have_text("stopped")
    wait_events_ended(page)
    assert len(app.fake.chat_requests()) == 1  # no second request: the call was not run
    expect(page.locator(THOUGHTS, has_text=t("en", "tool_not_run", name="calculator"))).to_have_count(1)
