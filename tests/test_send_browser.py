"""In Chromium: Send shows the visitor's question in the chat at once, before the server has
even been asked to answer it, in English and Chinese; a refused question goes back to the box
and does not stay in the chat (issue 23). No timing: the page's request to run the answer is
held back while the question is looked for."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from sfui.i18n import t
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    MESSAGE_BOX,
    QUESTIONS,
    WAIT_MS,
    ask,
    events_joined,
    open_app,
    read_toast,
    send,
    wait_answer,
    wait_events_ended,
    watch_events,
)
from tests.support.sfserver import stream

QUESTIONS_ASKED = {"en": "Why is the sky blue?", "zh": "天空为什么是蓝色的？"}
JOIN = "**/gradio_api/queue/join*"


def new_page(browser, lang: str):
    context = browser.new_context(viewport=VIEWPORT, **(ZH_CONTEXT if lang == "zh" else {"locale": "en-US"}))
    return context, context.new_page()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_question_shows_before_the_server_is_asked_to_answer(launch_app, fake, browser, lang):
    app = launch_app()
    question = QUESTIONS_ASKED[lang]
    fake.push(stream("Because of Rayleigh scattering."))
    context, page = new_page(browser, lang)
    try:
        open_app(page, app.url)
        held = []

        def hold(route) -> None:
            held.append(route)

        page.route(JOIN, hold)  # the streaming step's request waits here
        send(page, question)
        expect(page.locator(QUESTIONS).last).to_have_text(question)
        for _ in range(200):  # the join follows the question within moments (later under load)
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the page did not ask for the answer"
        assert not fake.chat_requests()  # the server has not even started on it
        for route in held:
            route.continue_()
        page.unroute(JOIN, hold)
        assert "Rayleigh" in wait_answer(page, "Rayleigh")
        expect(page.locator(QUESTIONS)).to_have_count(1)  # shown once, by the page and then the answer's frames
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_question_goes_back_to_the_box_and_leaves_the_chat(launch_app, browser, lang):
    app = launch_app(api_key=None)  # no key anywhere: Send is refused
    question = QUESTIONS_ASKED[lang]
    context, page = new_page(browser, lang)
    try:
        open_app(page, app.url)
        send(page, question)
        assert t(lang, "no_key_toast") in read_toast(page, kind="warning")  # it says why
        expect(page.locator(MESSAGE_BOX)).to_have_value(question)
        expect(page.locator(QUESTIONS)).to_have_count(0)
    finally:
        context.close()


def test_an_answer_that_ends_while_the_previous_after_step_is_out_still_gets_its_own(launch_app, browser):
    """Gradio's page skips a step whose previous run has not come back yet, unless the step
    says otherwise (sfui.ui.common.AFTER_EACH). The second answer's step after Send is held
    on its way back (the server has run it: two questions, nothing hidden) while a third
    answer comes and ends; once it is let go, the third answer's own step still runs, and the
    chat offers the earlier question it hides."""
    app = launch_app()
    after_send = {i for i, fn in app.demo.fns.items() if fn.name == "after_send"}
    assert after_send, "no step after Send in the app"
    context, page = new_page(browser, "en")
    held = []

    def hold_the_first_after_send(route) -> None:
        body = json.loads(route.request.post_data or "{}")
        if body.get("fn_index") in after_send and not held:
            held.append((route, route.fetch()))  # run on the server now, answered to the page later
        else:
            route.continue_()

    try:
        watch_events(page)
        open_app(page, app.url)
        watch = "**/gradio_api/run/predict*"
        ask(page, "first", "Echo: first")
        page.route(watch, hold_the_first_after_send)
        ask(page, "second", "Echo: second")
        for _ in range(400):  # the step follows the answer's end within moments (later under load)
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the page did not run the step after Send"
        ask(page, "third", "Echo: third")
        wait_events_ended(page, events_joined(page))
        expect(page.locator("#show-earlier-btn")).to_be_hidden()  # nothing has come back yet
        route, response = held[0]
        route.fulfill(response=response)  # the second answer's step: nothing hidden then
        expect(page.locator("#show-earlier-btn")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#show-earlier-btn")).to_contain_text("1")
        page.unroute(watch, hold_the_first_after_send)
    finally:
        context.close()
