"""The app in a real browser: Debian's Chromium driven by Playwright, the real
Gradio app, the fake SiliconFlow over real HTTP.

What only a browser can show: the streamed answer growing on screen, the
panels, the Stop button closing the upstream socket, Markdown/KaTeX rendering,
untrusted model output staying inert, and the visitor's API key never
reaching the page.

The page's helpers (tests/support/page.py) read it the way a visitor does
(rendered text, visible elements). Every wait is a generous Playwright wait,
never a timing assertion.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.support import TEST_KEY
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    CHAT,
    CHAT_ERROR,
    CODE_BLOCK,
    FORMULA,
    KEY_BOX,
    MESSAGE_BOX,
    REASONING,
    THOUGHTS,
    WAIT_MS,
    answers,
    ask,
    chat_button,
    last_answer,
    open_accordion,
    open_app,
    questions,
    send,
    set_number,
    status_cell,
    toast,
    usage_rows,
    usage_text,
    wait_events_ended,
    wait_turn_ended,
    watch_events,
)
from tests.support.sfserver import Chunk, _default_scenario, error, stream

# --- helpers --------------------------------------------------------------------------


def expected_usage(request_body: dict) -> dict:
    """The usage the fake sent for a request it answered with a named scenario:
    the scenario is rebuilt from the same body (deterministic apart from ids)."""
    scenario = _default_scenario(request_body)
    usages = [s.obj["usage"] for s in scenario.steps if isinstance(s, Chunk) and "usage" in s.obj]
    return usages[-1]


def authorizations(fake) -> list[str | None]:
    """The Authorization header of every chat request the fake received."""
    return [r.headers.get("Authorization") for r in fake.received
            if r.method == "POST" and r.path == "/v1/chat/completions"]


# --- tests ----------------------------------------------------------------------------


# Records every text the chat's last answer shows, as the page draws it (an answer's text only).
RECORD_ANSWER_JS = f"""() => {{
    const seen = window.__seen = [];
    new MutationObserver(() => {{
        const bots = document.querySelectorAll('{ANSWERS}');
        const text = bots.length ? bots[bots.length - 1].innerText.trim() : '';
        if (text.startsWith('Echo:') && seen[seen.length - 1] !== text) seen.push(text);
    }}).observe(document.querySelector('{CHAT}'), {{subtree: true, childList: true, characterData: true}});
}}"""


def test_answer_streams_in_and_ends_complete(launch_app, page):
    app = launch_app()
    app.fake.token_rate = 30  # ~2 s for this prompt: the page must show it growing
    prompt = " ".join(f"word{i}" for i in range(60))
    open_app(page, app.url)
    page.evaluate(RECORD_ANSWER_JS)
    send(page, prompt)
    expect(questions(page)).to_have_count(1, timeout=WAIT_MS)
    wait_turn_ended(page)
    seen: list[str] = page.evaluate("() => window.__seen")

    final = "Echo: " + prompt
    assert last_answer(page) == final
    partial_lengths = {len(t) for t in seen if t != final}
    assert len(partial_lengths) >= 2, f"the answer did not visibly grow: {seen}"
    assert all(final.startswith(t) for t in seen), "a partial answer was not a prefix of the final one"


def test_send_goes_straight_to_the_queue(launch_app, page):
    """Send's first step (empty the box, hand the message on, show it) runs in the browser:
    the first request after Enter is the queued streaming step itself, with no
    server round trip before it, and the box is empty before the answer comes."""
    app = launch_app()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    open_app(page, app.url)
    # The page's own load-time steps (the stored conversations read back...) are done first:
    # only what Send makes is recorded. Quiet for a second and a half: nothing more is coming.
    seen, quiet_since, give_up = -1, time.monotonic(), time.monotonic() + 30
    while time.monotonic() - quiet_since < 1.5 and time.monotonic() < give_up:
        if len(posts) != seen:
            seen, quiet_since = len(posts), time.monotonic()
        page.wait_for_timeout(100)
    posts.clear()
    app.fake.push(stream(["Straight", " away", ",", " slowly"], token_rate=2))  # slow: the box is checked mid-answer
    send(page, "Hello there")
    expect(page.locator(MESSAGE_BOX)).to_have_value("", timeout=WAIT_MS)
    expect(answers(page).last).to_contain_text("Straight", timeout=WAIT_MS)
    # Up to the answer's first words, the first request is the streaming step's join and nothing
    # unqueued reached the server (the steps after the stream, the one that gives back a message not
    # sent and the answer's save, may well be unqueued).
    before_answer = list(posts)
    assert before_answer and "/queue/join" in before_answer[0], before_answer
    assert not [u for u in before_answer if "/run/predict" in u], before_answer
    expect(answers(page).last).to_contain_text("Straight away, slowly", timeout=WAIT_MS)


def test_the_question_shows_while_a_slow_model_has_not_answered(launch_app, page):
    """The question's frame waits a moment for the first token (one frame for both when it
    comes soon); a model that stays silent does not hold the question back: it shows, with
    the usage panel waiting, before any answer text."""
    app = launch_app()
    open_app(page, app.url)
    send(page, "#fake:slow-first patience")  # 3 s of silence before the first token
    expect(questions(page)).to_have_count(1, timeout=WAIT_MS)
    assert "Echo:" not in page.locator(CHAT).inner_text()
    expect(status_cell(page)).to_contain_text("waiting", timeout=WAIT_MS)
    expect(answers(page).last).to_contain_text("Echo: patience", timeout=WAIT_MS)


def test_reasoning_panels_and_usage(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    answer = ask(page, "#fake:reasoning why is the sky blue")
    assert answer == "Echo: why is the sky blue"

    request = app.fake.chat_requests()[-1]
    reasoning = _default_scenario(request).reasoning
    expect(page.locator(REASONING)).to_have_value(reasoning)

    # A collapsed thinking bubble that opens on click and holds the reasoning.
    thought = page.locator(THOUGHTS).first
    expect(thought.locator(".title")).to_contain_text("Thought")
    expect(thought.get_by_text("Let me think step by step")).to_have_count(0)
    thought.locator(".title").click()
    expect(thought.get_by_text("Let me think step by step")).to_be_visible()

    usage = expected_usage(request)
    rows = usage_rows(page)
    assert rows["Prompt tokens"] == f"{usage['prompt_tokens']:,}"
    assert rows["Completion tokens"] == f"{usage['completion_tokens']:,}"
    assert rows["Reasoning tokens"] == f"{usage['completion_tokens_details']['reasoning_tokens']:,}"
    assert rows["Total tokens"] == f"{usage['total_tokens']:,}"
    assert int(rows["Reasoning tokens"]) > 0
    assert re.fullmatch(r"\d+\.\d\d s", rows["Time to first token"])
    assert rows["Finish reason"] == "stop"


def test_readme_screenshot(launch_app, page, tmp_path):
    """The picture in the README, a finished reasoning turn with both side panels, is taken by
    ``python -m bench.screenshots``: its chat step works (here into a temporary file)."""
    from bench.screenshots import CHAT_REASONING, chat_screenshot

    app = launch_app()
    path = chat_screenshot(page, app.url, app.fake, tmp_path / "screenshot.png")
    expect(page.locator(FORMULA).first).to_be_visible()
    expect(page.locator(CODE_BLOCK).first).to_be_visible()
    expect(page.locator(REASONING)).to_have_value(CHAT_REASONING)
    assert path.stat().st_size > 20_000


def test_controls_reach_the_request(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    values = {"temperature": "1.3", "top_p": "0.85", "top_k": "17", "max_tokens": "321", "frequency_penalty": "-0.5"}
    for elem_id, value in values.items():
        set_number(page, elem_id, value)
    page.locator("#system-prompt textarea").fill("You are terse.")
    open_accordion(page, "More request fields")
    page.locator("#stop-sequences textarea").fill("END")

    assert ask(page, "hello controls") == "Echo: hello controls"
    body = app.fake.chat_requests()[-1]
    assert body["temperature"] == 1.3
    assert body["top_p"] == 0.85
    assert body["top_k"] == 17
    assert body["max_tokens"] == 321
    assert body["frequency_penalty"] == -0.5
    assert body["stop"] == ["END"]
    # Opening the accordion shows the empty optional fields; empty must stay "model default".
    assert "min_p" not in body and "thinking_budget" not in body
    assert body["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "hello controls"},
    ]


def test_stop_closes_the_stream_and_keeps_the_partial_answer(launch_app, page):
    app = launch_app()
    watch_events(page)
    open_app(page, app.url)
    send(page, "#fake:slow count")
    expect(answers(page).last).to_contain_text("Counting: 1 2 3", timeout=WAIT_MS)
    page.locator("#stop-btn").click()
    assert app.fake.wait_for_disconnect(timeout=5), "Stop did not close the upstream stream"

    expect(status_cell(page)).to_have_text("stopped", timeout=WAIT_MS)
    partial = last_answer(page)
    wait_events_ended(page)  # the stopped answer's event has ended: its last frame has come and gone
    assert last_answer(page) == partial, "the answer kept growing after Stop"
    assert partial.startswith("Counting: 1 2 3") and not partial.endswith("200")
    # Still readable: no error overlay over the chat (Gradio's own `cancels` often left one).
    expect(answers(page).last).to_be_visible()
    expect(page.locator(CHAT_ERROR)).to_have_count(0)

    assert ask(page, "after stop") == "Echo: after stop"
    expect(answers(page).first).to_have_text(partial)


def test_errors_are_explained_and_the_app_keeps_serving(launch_app, page):
    app = launch_app()
    open_app(page, app.url)

    notice = ask(page, "#fake:error-401 hi")
    assert "Check your SiliconFlow API key" in notice
    expect(answers(page).last.get_by_text("Check your SiliconFlow API key")).to_be_visible()

    ask(page, "#fake:drop x")
    partial, cut_notice = answers(page).all_inner_texts()[-2:]
    assert partial.strip() == "The quick brown fox jumps"
    assert "incomplete" in cut_notice

    assert ask(page, "still there?") == "Echo: still there?"
    assert "Traceback" not in page.content()


def test_error_message_in_chinese(launch_app, browser):
    app = launch_app()
    context = browser.new_context(viewport=VIEWPORT, **ZH_CONTEXT)
    try:
        page = open_app(context.new_page(), app.url)
        notice = ask(page, "#fake:error-401 你好")
        assert "密钥" in notice
        assert "Check your" not in notice
        assert "出错" in usage_text(page)
    finally:
        context.close()


def test_retry_wait_is_shown(launch_app, page):
    app = launch_app()
    app.fake.push(error(429, headers={"Retry-After": "2"}), stream("Worth the wait."))
    open_app(page, app.url)
    send(page, "are you busy?")
    expect(answers(page).last).to_contain_text("⏳", timeout=WAIT_MS)
    expect(answers(page).last).to_have_text("Worth the wait.", timeout=WAIT_MS)
    wait_turn_ended(page)
    assert len(app.fake.chat_requests()) == 2
    assert "⏳" not in page.locator(CHAT).inner_text()


def test_visitor_key_never_reaches_the_page(launch_app, page, browser):
    app = launch_app(api_key=None)
    open_app(page, app.url)
    expect(page.locator("#key-card")).to_contain_text("Paste your SiliconFlow API key")

    page.locator(KEY_BOX).fill(TEST_KEY)
    page.locator("#api-key-btn").click()
    expect(page.locator("#key-status")).to_contain_text("Your key works", timeout=WAIT_MS)
    expect(page.locator("#key-card")).to_be_hidden()  # the key box (emptied) went with it

    assert ask(page, "hello with my key") == "Echo: hello with my key"
    assert authorizations(app.fake) == [f"Bearer {TEST_KEY}"]

    # Nowhere the page (or a script in it) could read it.
    assert TEST_KEY not in page.content()
    field_values = page.eval_on_selector_all("input, textarea", "els => els.map(e => e.value)")
    assert not [v for v in field_values if TEST_KEY in v]
    storage = page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])")
    assert TEST_KEY not in storage
    config = page.evaluate("() => window.gradio_config ? JSON.stringify(window.gradio_config) : ''")
    assert TEST_KEY not in config
    served_config = page.evaluate("() => fetch('/config').then(r => r.text())")
    assert '"components"' in served_config and TEST_KEY not in served_config

    # Another visitor on the same app does not get the first visitor's key.
    other = browser.new_context(viewport=VIEWPORT, locale="en-US")
    try:
        other_page = open_app(other.new_page(), app.url)
        send(other_page, "hello from someone else")
        expect(toast(other_page)).to_contain_text("No API key yet", timeout=WAIT_MS)
        expect(questions(other_page)).to_have_count(0)
    finally:
        other.close()
    assert len(authorizations(app.fake)) == 1

    # Forgetting the key ends the first visitor's access as well.
    page.locator("#api-key-forget").click()
    expect(page.locator("#key-status")).to_contain_text("Your key was forgotten", timeout=WAIT_MS)
    expect(page.locator(KEY_BOX)).to_have_value("")  # the card is back, its box empty
    send(page, "hello again")
    expect(toast(page)).to_contain_text("No API key yet", timeout=WAIT_MS)
    expect(questions(page)).to_have_count(1)
    assert len(authorizations(app.fake)) == 1


# Notes every picture whose load or error event has been dispatched (an onerror handler runs in
# the same dispatch, after this capturing listener).
RECORD_IMAGES_JS = """() => {
    const settled = window.__settledImages = new WeakSet();
    for (const kind of ['load', 'error']) {
        window.addEventListener(kind, (event) => {
            if (event.target instanceof HTMLImageElement) settled.add(event.target);
        }, true);
    }
}"""
IMAGES_SETTLED = f"() => [...document.querySelectorAll('{CHAT} img')].every((i) => window.__settledImages.has(i))"


def test_untrusted_answer_stays_inert(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    page.evaluate(RECORD_IMAGES_JS)
    answer = ask(page, "#fake:xss probe")
    assert "end of probe" in answer
    # Any injected handler (img onerror) has had its chance: every picture in the chat has loaded or failed.
    page.wait_for_function(IMAGES_SETTLED, timeout=WAIT_MS)

    assert page.evaluate("typeof window.__xss") == "undefined"
    for selector in ("body", CHAT):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") != "none"
    chat = page.locator(CHAT)
    assert chat.locator("script").count() == 0
    assert chat.locator("[onerror]").count() == 0
    hrefs = chat.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    styles = chat.locator("style").evaluate_all("els => els.map(e => e.textContent)")
    assert not [s for s in styles if "display:none" in s.replace(" ", "")]


def test_retry_and_undo_buttons(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    assert ask(page, "first question") == "Echo: first question"

    app.fake.push(stream("A second, different answer."))
    page.locator(chat_button("Retry")).click()
    expect(answers(page).last).to_have_text("A second, different answer.", timeout=WAIT_MS)
    wait_turn_ended(page)
    assert len(app.fake.chat_requests()) == 2
    assert app.fake.chat_requests()[-1]["messages"] == [{"role": "user", "content": "first question"}]
    expect(answers(page)).to_have_count(1)
    expect(questions(page)).to_have_count(1)

    page.locator(chat_button("Undo")).click()
    expect(questions(page)).to_have_count(0, timeout=WAIT_MS)
    expect(answers(page)).to_have_count(0)
    expect(page.locator(MESSAGE_BOX)).to_have_value("first question")


def test_markdown_code_and_latex_over_two_turns(launch_app, page):
    app = launch_app()
    app.fake.push(stream("Here it is:\n\n```python\nprint(1)\n```\n"), stream("The square is $$x^2$$ indeed."))
    open_app(page, app.url)

    ask(page, "show me code")
    expect(page.locator(CODE_BLOCK)).to_contain_text("print(1)")

    ask(page, "and some maths")
    expect(page.locator(FORMULA).first).to_be_visible()
    assert "$$" not in last_answer(page)

    messages = app.fake.chat_requests()[-1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"] == "show me code"
    assert "print(1)" in messages[1]["content"]
    assert messages[2]["content"] == "and some maths"
