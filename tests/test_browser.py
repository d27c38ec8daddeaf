"""The app in a real browser: Debian's Chromium driven by Playwright, the real
Gradio app, the fake SiliconFlow over real HTTP.

What only a browser can show: the streamed answer growing on screen, the
panels, the Stop button closing the upstream socket, Markdown/KaTeX rendering,
untrusted model output staying inert, and the visitor's API key never
reaching the page.

Helpers read the page the way a visitor does (rendered text, visible
elements). Every wait is a generous Playwright wait, never a timing assertion.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.support import TEST_KEY
from tests.support.sfserver import Chunk, _default_scenario, error, stream

WAIT_MS = 15_000  # generous: two shared cores may also be running other suites
ZH_CONTEXT = dict(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})

# The status row of the usage panel once a turn has ended (en and zh).
ENDED = re.compile(r"^(done|error|stopped|完成|出错|已停止)$")


# --- page helpers ---------------------------------------------------------------------


def open_app(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator("#user-input textarea")).to_be_editable(timeout=WAIT_MS)
    return page


def send(page: Page, text: str) -> None:
    """Type a message and press Enter (the box is a one-line textbox: Enter submits)."""
    box = page.locator("#user-input textarea")
    box.fill(text)
    box.press("Enter")


def user_messages(page: Page):
    return page.locator("#chatbot [data-testid=user]")


def bot_messages(page: Page):
    """Every assistant bubble: answers, thinking bubbles and notices."""
    return page.locator("#chatbot [data-testid=bot]")


def last_answer(page: Page) -> str:
    texts = bot_messages(page).all_inner_texts()
    return texts[-1].strip() if texts else ""


def usage_text(page: Page) -> str:
    return page.locator("#usage-panel").inner_text()


def usage_rows(page: Page) -> dict[str, str]:
    """The usage table as {row name: value}."""
    return dict(page.eval_on_selector_all(
        "#usage-panel tbody tr", "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText.trim()])"
    ))


def status_cell(page: Page):
    return page.locator("#usage-panel tbody tr").first.locator("td").last


def wait_turn_ended(page: Page) -> None:
    expect(status_cell(page)).to_have_text(ENDED, timeout=WAIT_MS)


# Marks the chat's last question, so that the next one can be told from it: the chat shows
# only the latest turns (sfui.chat_window), so a new question need not add to their count.
MARK_LAST_QUESTION = """() => {
    const questions = document.querySelectorAll('#chatbot [data-testid=user]');
    if (questions.length) questions[questions.length - 1].dataset.testAsked = questions[questions.length - 1].innerText;
    return questions.length;
}"""
NEW_LAST_QUESTION = """(before) => {
    const questions = document.querySelectorAll('#chatbot [data-testid=user]');
    const last = questions[questions.length - 1];
    if (!last) return false;
    return last.dataset.testAsked === undefined || last.dataset.testAsked !== last.innerText
        || questions.length > before;
}"""


def ask(page: Page, text: str) -> str:
    """Send a message, wait until its turn has ended, return the last bot bubble's text."""
    before = page.evaluate(MARK_LAST_QUESTION)
    send(page, text)
    # The user's message and the new turn's status arrive in the same update,
    # so once it is shown the status row no longer belongs to the previous turn.
    page.wait_for_function(NEW_LAST_QUESTION, arg=before, timeout=WAIT_MS)
    wait_turn_ended(page)
    return last_answer(page)


def toast_texts(page: Page):
    return page.locator("[data-testid=toast-text]")


def set_number(page: Page, elem_id: str, value: str) -> None:
    """Set a slider through its number box, as a visitor typing a value does."""
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(value)
    box.press("Enter")
    box.blur()
    expect(page.locator(f"#{elem_id} input[type=range]")).to_have_value(value)


def open_accordion(page: Page, label: str) -> None:
    header = page.locator("button.label-wrap", has_text=label)
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


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


def test_answer_streams_in_and_ends_complete(launch_app, page):
    app = launch_app()
    app.fake.token_rate = 30  # ~2 s for this prompt: the page must show it growing
    prompt = " ".join(f"word{i}" for i in range(60))
    open_app(page, app.url)
    send(page, prompt)
    expect(user_messages(page)).to_have_count(1, timeout=WAIT_MS)

    seen: list[str] = []
    deadline = time.monotonic() + 30
    while not ENDED.match(status_cell(page).inner_text().strip()):
        assert time.monotonic() < deadline, "the answer never finished"
        text = last_answer(page) if bot_messages(page).count() else ""
        if text.startswith("Echo:") and (not seen or seen[-1] != text):
            seen.append(text)
        page.wait_for_timeout(80)

    final = "Echo: " + prompt
    assert last_answer(page) == final
    partial_lengths = {len(t) for t in seen if t != final}
    assert len(partial_lengths) >= 2, f"the answer did not visibly grow: {seen}"
    assert all(final.startswith(t) for t in seen), "a partial answer was not a prefix of the final one"


def test_send_goes_straight_to_the_queue(launch_app, page):
    """Send's first step (empty the box, hand the message on) runs in the browser:
    the first request after Enter is the queued streaming step itself, with no
    server round trip before it, and the box is empty before the answer comes."""
    app = launch_app()
    open_app(page, app.url)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    app.fake.push(stream(["Straight", " away"], token_rate=5))  # slow: the box is checked mid-answer
    send(page, "Hello there")
    expect(page.locator("#user-input textarea")).to_have_value("", timeout=WAIT_MS)
    expect(bot_messages(page).last).to_contain_text("Straight away", timeout=WAIT_MS)
    assert posts and "/queue/join" in posts[0], posts
    assert not [u for u in posts if "/run/predict" in u], posts


def test_the_question_shows_while_a_slow_model_has_not_answered(launch_app, page):
    """The question's frame waits a moment for the first token (one frame for both when it
    comes soon); a model that stays silent does not hold the question back: it shows, with
    the usage panel waiting, before any answer text."""
    app = launch_app()
    open_app(page, app.url)
    send(page, "#fake:slow-first patience")  # 3 s of silence before the first token
    expect(user_messages(page)).to_have_count(1, timeout=WAIT_MS)
    assert "Echo:" not in page.locator("#chatbot").inner_text()
    expect(status_cell(page)).to_contain_text("waiting", timeout=WAIT_MS)
    expect(bot_messages(page).last).to_contain_text("Echo: patience", timeout=WAIT_MS)


def test_reasoning_panels_and_usage(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    answer = ask(page, "#fake:reasoning why is the sky blue")
    assert answer == "Echo: why is the sky blue"

    request = app.fake.chat_requests()[-1]
    reasoning = _default_scenario(request).reasoning
    expect(page.locator("#reasoning-panel textarea")).to_have_value(reasoning)

    # A collapsed thinking bubble that opens on click and holds the reasoning.
    thought = page.locator("#chatbot .thought-group").first
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
    expect(page.locator("#chatbot .katex").first).to_be_visible()
    expect(page.locator("#chatbot pre code").first).to_be_visible()
    expect(page.locator("#reasoning-panel textarea")).to_have_value(CHAT_REASONING)
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
    open_app(page, app.url)
    send(page, "#fake:slow count")
    expect(bot_messages(page).last).to_contain_text("Counting: 1 2 3", timeout=WAIT_MS)
    page.locator("#stop-btn").click()
    assert app.fake.wait_for_disconnect(timeout=5), "Stop did not close the upstream stream"

    expect(status_cell(page)).to_have_text("stopped", timeout=WAIT_MS)
    partial = last_answer(page)
    page.wait_for_timeout(1000)
    assert last_answer(page) == partial, "the answer kept growing after Stop"
    assert partial.startswith("Counting: 1 2 3") and not partial.endswith("200")
    # Still readable: no error overlay over the chat (Gradio's own `cancels` often left one).
    expect(bot_messages(page).last).to_be_visible()
    expect(page.locator("#chatbot [data-testid=status-tracker] .error")).to_have_count(0)

    assert ask(page, "after stop") == "Echo: after stop"
    expect(bot_messages(page).first).to_have_text(partial)


def test_errors_are_explained_and_the_app_keeps_serving(launch_app, page):
    app = launch_app()
    open_app(page, app.url)

    notice = ask(page, "#fake:error-401 hi")
    assert "Check your SiliconFlow API key" in notice
    expect(bot_messages(page).last.get_by_text("Check your SiliconFlow API key")).to_be_visible()

    ask(page, "#fake:drop x")
    partial, cut_notice = bot_messages(page).all_inner_texts()[-2:]
    assert partial.strip() == "The quick brown fox jumps"
    assert "incomplete" in cut_notice

    assert ask(page, "still there?") == "Echo: still there?"
    assert "Traceback" not in page.content()


def test_error_message_in_chinese(launch_app, browser):
    app = launch_app()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, **ZH_CONTEXT)
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
    expect(bot_messages(page).last).to_contain_text("⏳", timeout=WAIT_MS)
    expect(bot_messages(page).last).to_have_text("Worth the wait.", timeout=WAIT_MS)
    wait_turn_ended(page)
    assert len(app.fake.chat_requests()) == 2
    assert "⏳" not in page.locator("#chatbot").inner_text()


def test_visitor_key_never_reaches_the_page(launch_app, page, browser):
    app = launch_app(api_key=None)
    open_app(page, app.url)
    expect(page.locator("#key-card")).to_contain_text("Paste your SiliconFlow API key")

    page.locator("#api-key input").fill(TEST_KEY)
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
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        other_page = open_app(other.new_page(), app.url)
        send(other_page, "hello from someone else")
        expect(toast_texts(other_page).first).to_contain_text("No API key yet", timeout=WAIT_MS)
        expect(user_messages(other_page)).to_have_count(0)
    finally:
        other.close()
    assert len(authorizations(app.fake)) == 1

    # Forgetting the key ends the first visitor's access as well.
    page.locator("#api-key-forget").click()
    expect(page.locator("#key-status")).to_contain_text("Your key was forgotten", timeout=WAIT_MS)
    expect(page.locator("#api-key input")).to_have_value("")  # the card is back, its box empty
    send(page, "hello again")
    expect(toast_texts(page).first).to_contain_text("No API key yet", timeout=WAIT_MS)
    expect(user_messages(page)).to_have_count(1)
    assert len(authorizations(app.fake)) == 1


def test_untrusted_answer_stays_inert(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    answer = ask(page, "#fake:xss probe")
    assert "end of probe" in answer
    page.wait_for_timeout(500)  # give any injected handler (img onerror) time to fire

    assert page.evaluate("typeof window.__xss") == "undefined"
    for selector in ("body", "#chatbot"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") != "none"
    chat = page.locator("#chatbot")
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
    page.locator("#chatbot button[aria-label=Retry]").click()
    expect(bot_messages(page).last).to_have_text("A second, different answer.", timeout=WAIT_MS)
    wait_turn_ended(page)
    assert len(app.fake.chat_requests()) == 2
    assert app.fake.chat_requests()[-1]["messages"] == [{"role": "user", "content": "first question"}]
    expect(bot_messages(page)).to_have_count(1)
    expect(user_messages(page)).to_have_count(1)

    page.locator("#chatbot button[aria-label=Undo]").click()
    expect(user_messages(page)).to_have_count(0, timeout=WAIT_MS)
    expect(bot_messages(page)).to_have_count(0)
    expect(page.locator("#user-input textarea")).to_have_value("first question")


def test_markdown_code_and_latex_over_two_turns(launch_app, page):
    app = launch_app()
    app.fake.push(stream("Here it is:\n\n```python\nprint(1)\n```\n"), stream("The square is $$x^2$$ indeed."))
    open_app(page, app.url)

    ask(page, "show me code")
    expect(page.locator("#chatbot pre code")).to_contain_text("print(1)")

    ask(page, "and some maths")
    expect(page.locator("#chatbot .katex").first).to_be_visible()
    assert "$$" not in last_answer(page)

    messages = app.fake.chat_requests()[-1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"] == "show me code"
    assert "print(1)" in messages[1]["content"]
    assert messages[2]["content"] == "and some maths"
