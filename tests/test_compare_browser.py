"""The Compare tab in a real browser against the fake SiliconFlow: several models
(or n samples of one) answering at once, side by side, the results table, Stop,
a failing slot, blind mode and the tally kept in the browser.

Models named ``fake/<scenario>`` make the fake server answer with that scenario
(``fake/slow-first`` waits 3 s before its first token, ``fake/slow`` counts for
about 10 s); any other model id gets the echo answer.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    BLOCK_LABEL,
    COMPARE_BOX,
    QUESTION,
    WAIT_MS,
    model_box,
    open_compare,
    pane,
    pane_answer,
    pick_model,
    send_compare,
    toast,
    wait_compare_done,
)


def pick(page: Page, slot: int, model: str, temperature: str | None = None) -> None:
    """Type a model id into slot ``slot`` (a custom id is allowed) and press Enter; ``temperature``: the slot's."""
    pick_model(page, model, slot)
    if temperature is not None:
        page.locator(f"#compare-temperature-{slot} textarea").fill(temperature)


def stats_text(page: Page) -> str:
    return page.locator("#compare-stats").inner_text()


# --- tests ------------------------------------------------------------------------------


def test_three_models_stream_at_once_and_a_slow_one_holds_back_no_one(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    pick(page, 1, "fake/slow-first")
    pick(page, 2, "Qwen/Qwen3-8B")
    pick(page, 3, "deepseek-ai/DeepSeek-V3")
    send_compare(page, "hello all")

    # The fast panes answer while the slow one is still silent (3 s before its first token).
    expect(pane_answer(page, 2)).to_have_text("Echo: hello all", timeout=WAIT_MS)
    expect(pane_answer(page, 3)).to_have_text("Echo: hello all", timeout=WAIT_MS)
    assert app.fake.chat_requests()[0] is not None
    slow_started = [r for r in app.fake.received if r.body and r.body.get("model") == "fake/slow-first"]
    assert slow_started and slow_started[0].first_chunk_at is None, "the slow slot answered before the fast ones"

    wait_compare_done(page, 3)
    requests = [r for r in app.fake.received if r.path.endswith("/chat/completions")]
    assert sorted(r.body["model"] for r in requests) == sorted(["fake/slow-first", "Qwen/Qwen3-8B",
                                                               "deepseek-ai/DeepSeek-V3"])
    arrivals = [r.time for r in requests]
    assert max(arrivals) - min(arrivals) < 2.5, "the requests did not overlap: one waited for another"
    expect(page.locator("#compare-status")).to_contain_text("3 requests")


def test_results_table_shows_the_servers_token_counts(launch_app, page):
    from tests.support.sfserver import stream

    app = launch_app()
    # Whichever request comes first gets 111 prompt tokens, and so on: the table must hold all three.
    app.fake.push(*(stream("Same answer.", prompt_tokens=n) for n in (111, 222, 333)))
    open_compare(page, app.url)
    pick(page, 3, "THUDM/GLM-4-9B-0414")
    send_compare(page, "count")
    wait_compare_done(page, 3)
    table = stats_text(page)
    for n in ("111", "222", "333"):
        assert n in table, table
    expect(page.locator("#compare-chart")).to_be_visible()


X_LABELS = '[aria-label^="X-axis"] .role-axis-label text'  # Vega's SVG: the x axis's group is labelled so


def axis_labels(page: Page, chart: str) -> list[str]:
    """The x-axis labels of a results chart, left to right (Vega draws them as SVG text)."""
    labels = page.locator(f"#{chart} {X_LABELS}")
    expect(labels.first).to_be_visible(timeout=WAIT_MS)
    points = labels.evaluate_all("(ts) => ts.map((t) => [t.getBoundingClientRect().left, t.textContent])")
    return [text for _, text in sorted(points)]


def test_chart_bars_follow_the_panes_and_leave_the_organisation_off(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    # Alphabetically the three would be alpha, Qwen3, zeta: the bars must keep the panes' order.
    for slot, model in ((1, "zeta-lab/Zeta-7B"), (2, "Qwen/Qwen3-8B"), (3, "Pro/alpha-ai/Alpha-2")):
        pick(page, slot, model)
    send_compare(page, "order please")
    wait_compare_done(page, 3)
    # The first-token chart (the echo answers come in one burst: no speed bars to order).
    expect(page.locator(f"#compare-chart-ttft {X_LABELS}")).to_have_count(3, timeout=WAIT_MS)
    assert axis_labels(page, "compare-chart-ttft") == ["Zeta-7B", "Qwen3-8B", "Alpha-2"]
    # The table keeps the full ids.
    table = stats_text(page)
    assert "zeta-lab/Zeta-7B" in table and "Pro/alpha-ai/Alpha-2" in table, table


def test_stop_closes_every_upstream_request_and_keeps_the_partial_answers(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    for slot, model in ((1, "fake/slow"), (2, "fake/slow"), (3, "fake/slow")):
        pick(page, slot, model)
    send_compare(page, "count for me")
    for slot in (1, 2, 3):
        expect(pane_answer(page, slot)).to_contain_text("Counting: 1 2 3", timeout=WAIT_MS)
    page.locator("#compare-stop-btn").click()
    assert app.fake.wait_for_disconnect(count=3, timeout=10), "Stop did not close every upstream request"
    wait_compare_done(page, 3)
    for slot in (1, 2, 3):
        text = pane_answer(page, slot).inner_text()
        assert text.startswith("Counting: 1 2 3") and not text.rstrip().endswith("200"), text


def test_one_failing_slot_shows_its_error_while_the_others_finish(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    pick(page, 2, "fake/no-such-scenario")  # the fake answers 400 "Model does not exist"
    send_compare(page, "go")
    expect(pane(page, 2)).to_contain_text("The request was rejected", timeout=WAIT_MS)
    expect(pane_answer(page, 1)).to_have_text("Echo: go", timeout=WAIT_MS)
    wait_compare_done(page, 2)


def test_blind_mode_hides_the_names_until_the_vote_and_the_tally_survives_a_reload(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    pick(page, 1, "Qwen/Qwen2.5-7B-Instruct")
    pick(page, 2, "THUDM/GLM-4-9B-0414")
    page.locator("#compare-blind input").check()
    send_compare(page, "who are you")
    wait_compare_done(page, 2)
    labels = [pane(page, i).locator(BLOCK_LABEL).inner_text() for i in (1, 2)]
    assert sorted(labels) == ["Model A", "Model B"], labels
    for hidden in ("Qwen2.5-7B", "GLM-4-9B"):
        assert hidden not in labels[0] + labels[1] + stats_text(page)

    page.locator("#vote-1").click()
    winner = pane(page, 1).locator(BLOCK_LABEL)
    expect(winner).to_contain_text("Qwen/Qwen2.5-7B-Instruct", timeout=WAIT_MS)
    expect(pane(page, 2).locator(BLOCK_LABEL)).to_contain_text("THUDM/GLM-4-9B-0414")

    page.reload()
    open_compare(page, app.url)
    page.get_by_text(re.compile("Your votes")).click()
    tally = page.locator("#compare-tally")
    expect(tally).to_contain_text("Qwen/Qwen2.5-7B-Instruct", timeout=WAIT_MS)
    row = tally.locator("tbody tr").filter(has_text="Qwen/Qwen2.5-7B-Instruct")
    expect(row).to_contain_text("100%")


def test_one_model_at_two_temperatures_sends_both(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    pick(page, 1, "Qwen/Qwen3-8B", temperature="0.2")
    pick(page, 2, "Qwen/Qwen3-8B", temperature="1.3")
    send_compare(page, "a poem")
    wait_compare_done(page, 2)
    sent = sorted(r["temperature"] for r in app.fake.chat_requests())
    assert sent == [0.2, 1.3]


def test_samples_of_one_model_is_one_request_with_n(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    page.locator("#compare-n").get_by_text("3", exact=True).click()
    send_compare(page, "three ways")
    wait_compare_done(page, 3)
    requests = app.fake.chat_requests()
    assert len(requests) == 1 and requests[0]["n"] == 3
    answers = [pane_answer(page, slot).inner_text() for slot in (1, 2, 3)]
    assert len(set(answers)) == 3, answers
    assert all("three ways" in answer for answer in answers)


def test_the_tab_and_a_failing_slot_speak_chinese(launch_app, browser):
    app = launch_app()
    context = browser.new_context(viewport=VIEWPORT, **ZH_CONTEXT)
    try:
        page = context.new_page()
        open_compare(page, app.url)
        expect(page.get_by_role("tab", name="对比")).to_be_visible()
        expect(page.locator("#compare-blind")).to_contain_text("盲测模式")
        pick(page, 2, "fake/no-such-scenario")
        send_compare(page, "你好")
        expect(pane(page, 2)).to_contain_text("请求被拒绝", timeout=WAIT_MS)
        wait_compare_done(page, 2)
        expect(page.locator("#compare-stats")).to_contain_text("首 token")
    finally:
        context.close()


def test_a_refused_comparison_says_why_and_keeps_the_message(launch_app, page):
    app = launch_app()
    open_compare(page, app.url)
    box = page.locator(model_box(2))
    box.click()
    box.fill("")
    box.press("Enter")
    page.locator("#compare-temperature-1 textarea").fill("5")  # out of range
    send_compare(page, "keep this text")
    expect(toast(page, kind="warning")).to_contain_text("compare-temperature-1", timeout=WAIT_MS)
    expect(page.locator(COMPARE_BOX)).to_have_value("keep this text", timeout=WAIT_MS)
    assert app.fake.chat_requests() == []


def test_follow_ups_send_each_pane_its_own_conversation_and_clear_forgets_them(launch_app, page):
    """Each pane's conversation is kept on the server (the page no longer sends the panes):
    a follow-up still sends every slot its own history, and Clear starts afresh."""
    from tests.support.sfserver import stream

    app = launch_app()
    open_compare(page, app.url)
    pick(page, 1, "Qwen/Qwen3-8B")
    pick(page, 2, "THUDM/GLM-4-9B-0414")
    app.fake.push(stream("First answer."), stream("Second answer."))
    send_compare(page, "round one")
    wait_compare_done(page, 2)
    answers = {model: pane_answer(page, slot).inner_text().strip()
               for slot, model in ((1, "Qwen/Qwen3-8B"), (2, "THUDM/GLM-4-9B-0414"))}
    assert sorted(answers.values()) == ["First answer.", "Second answer."], answers

    app.fake.reset()
    send_compare(page, "round two")
    for slot in (1, 2):
        expect(pane(page, slot).locator(QUESTION)).to_have_count(2, timeout=WAIT_MS)
        expect(pane_answer(page, slot)).to_have_text("Echo: round two", timeout=WAIT_MS)

    def texts(message) -> str:
        content = message["content"]
        return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)

    requests = app.fake.chat_requests()
    assert sorted(r["model"] for r in requests) == sorted(answers)
    for body in requests:
        sent = [(m["role"], texts(m)) for m in body["messages"] if m["role"] != "system"]
        assert sent == [("user", "round one"), ("assistant", answers[body["model"]]), ("user", "round two")], sent

    page.locator("#compare-clear-btn").click()
    expect(pane(page, 1).locator(QUESTION)).to_have_count(0, timeout=WAIT_MS)
    app.fake.reset()
    send_compare(page, "afresh")
    for slot in (1, 2):
        expect(pane_answer(page, slot)).to_have_text("Echo: afresh", timeout=WAIT_MS)
    wait_compare_done(page, 2)
    for body in app.fake.chat_requests():
        assert [(m["role"], texts(m)) for m in body["messages"] if m["role"] != "system"] == [("user", "afresh")]


def test_a_message_sent_while_a_round_streams_comes_back_to_the_box(launch_app, page):
    """One comparison at a time: a message sent meanwhile is refused with a toast, and it is
    back in the box, also once that round has ended and shown its results."""
    app = launch_app()
    open_compare(page, app.url)
    for slot, model in ((1, "fake/slow"), (2, "fake/slow")):
        pick(page, slot, model)
    send_compare(page, "count for me")
    for slot in (1, 2):
        expect(pane_answer(page, slot)).to_contain_text("Counting: 1 2 3", timeout=WAIT_MS)
    send_compare(page, "typed while it streams")
    expect(toast(page)).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(COMPARE_BOX)).to_have_value("typed while it streams", timeout=WAIT_MS)
    page.locator("#compare-stop-btn").click()
    wait_compare_done(page, 2)
    expect(page.locator(COMPARE_BOX)).to_have_value("typed while it streams")
    assert len(app.fake.chat_requests()) == 2


def test_a_long_comparison_shows_the_latest_turns_and_show_earlier_brings_back_the_rest(launch_app, page):
    """Each pane shows its latest two questions with their answers, as the chat does; every
    request still carries the whole conversation; Show earlier puts the rest back in view,
    and Clear hides the button with the conversations."""
    app = launch_app()
    open_compare(page, app.url)
    pick(page, 1, "Qwen/Qwen3-8B")
    pick(page, 2, "THUDM/GLM-4-9B-0414")
    button = page.locator("#compare-show-earlier-btn")
    for n in (1, 2, 3):
        send_compare(page, f"question {n}")
        for slot in (1, 2):
            expect(pane_answer(page, slot)).to_have_text(f"Echo: question {n}", timeout=WAIT_MS)
        wait_compare_done(page, 2)
    for slot in (1, 2):
        questions = pane(page, slot).locator(QUESTION)
        expect(questions).to_have_count(2, timeout=WAIT_MS)
        expect(questions.first).to_have_text("question 2")
    for body in app.fake.chat_requests()[-2:]:
        asked = [m["content"] for m in body["messages"] if m["role"] == "user"]
        assert asked == ["question 1", "question 2", "question 3"], asked
    expect(button).to_be_visible()
    expect(button).to_contain_text("1")

    button.click()
    for slot in (1, 2):
        expect(pane(page, slot).locator(QUESTION)).to_have_count(3, timeout=WAIT_MS)
    expect(button).to_be_hidden(timeout=WAIT_MS)

    page.locator("#compare-clear-btn").click()
    expect(pane(page, 1).locator(QUESTION)).to_have_count(0, timeout=WAIT_MS)
    expect(button).to_be_hidden()
