"""In Chromium: the public demo's budgets on the server's key (issue 20), in English and Chinese.

A visitor without a key of their own gets answers while their budget holds, watches the key
bar's meter count down, and is then refused with a toast (what is left, when it resets, that
their own key lifts the limit): nothing goes upstream and the message stays in the box. Their
own key then answers. A visitor is their address (the one the trusted proxies saw) as much as
their browser: a new window from the same address shares the budget, another address does not,
and an X-Forwarded-For the client wrote itself changes nothing. The daily budget stops everyone.

The test plays the proxy: a context's ``X-Forwarded-For`` is what a proxy in front of the app
would have appended. The price makes every answer cost exactly its worst case: max_tokens is
8, the question echoes back longer than that (the fake cuts it at 8 tokens), input is free.
Three apps, each with its own counters, shared by the tests they do not disturb: each test
spends from addresses of its own.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from sfui.prices import YUAN, format_money
from tests.support import TEST_KEY
from tests.support.browser import ZH_CONTEXT, Visitor
from tests.support.launch import no_limits
from tests.support.page import (
    BUDGET,
    MESSAGE_BOX,
    WAIT_MS,
    ask,
    events_joined,
    questions,
    read_toast,
    send,
    set_number,
    usage_text,
    wait_events_ended,
)

MODEL = "Qwen/Qwen2.5-7B-Instruct"  # in the fake's list; the only priced one, so the page picks it
MAX_TOKENS = 8
OUTPUT = 50_000.0  # ¥ per million output tokens: an answer of 8 tokens costs ¥0.40
WORST = MAX_TOKENS * OUTPUT / 1_000_000
BUDGET_TOTAL = 1.0  # two answers fit (¥0.40 each); a third does not (¥0.20 left)
QUESTION = "please say back every one of these words"  # echoed past max_tokens: 8 tokens billed


def money(amount: float) -> str:
    return format_money(amount, YUAN)


LEFT_AFTER = [money(BUDGET_TOTAL - n * WORST) for n in range(3)]  # ¥1.00, ¥0.6000, ¥0.2000

# What the visitor reads, by language: the meter and the refusals' key words.
TEXTS = {
    "en": dict(
        meter="{left} of {total} left today",
        everyone_meter="{left} of {total} left today for everyone",
        refused=["could cost up to {worst}", "has {left} left for you today", "(00:00 UTC)",
                 "Your own SiliconFlow key lifts the limit", "Use my own key", "still in the box"],
        everyone=["could cost up to {worst}", "budget for everyone has {left} left", "(00:00 UTC)",
                  "Your own SiliconFlow key lifts the limit", "Use my own key"],
        resets=r"resets in (\d+ h )?\d+ min",
    ),
    "zh": dict(
        meter="今日还剩 {left}（共 {total}）",
        everyone_meter="所有访客今日还剩 {left}（共 {total}）",
        refused=["最多可能花费 {worst}", "你今日的演示额度只剩 {left}", "UTC 00:00",
                 "你自己的 SiliconFlow 密钥", "使用我自己的密钥", "你的消息仍在输入框中"],
        everyone=["最多可能花费 {worst}", "所有访客今日共用的演示额度只剩 {left}", "UTC 00:00",
                  "你自己的 SiliconFlow 密钥", "使用我自己的密钥"],
        resets=r"额度将在 (\d+ 小时 )?\d+ 分钟后重置",
    ),
}
LANGS = ["en", "zh"]


# --- the apps ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prices_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("budget-prices") / "prices.json"
    path.write_text(json.dumps({MODEL: {"input": 0, "output": OUTPUT}}))
    return str(path)


def limits(**chosen: float) -> dict[str, float]:
    return {**no_limits(), **chosen}


@pytest.fixture(scope="module")
def proxied_app(launch_module_app, prices_file):
    """Behind one trusted proxy, a budget per visitor."""
    return launch_module_app(trusted_proxies=1, prices_file=prices_file,
                             limits_chosen=limits(visitor_budget=BUDGET_TOTAL))


@pytest.fixture(scope="module")
def direct_app(launch_module_app, prices_file):
    """No proxy: the connection's own address (127.0.0.1) is the visitor's."""
    return launch_module_app(trusted_proxies=0, prices_file=prices_file,
                             limits_chosen=limits(visitor_budget=BUDGET_TOTAL))


@pytest.fixture(scope="module")
def daily_app(launch_module_app, prices_file):
    """Behind one trusted proxy, only a budget for everyone."""
    return launch_module_app(trusted_proxies=1, prices_file=prices_file,
                             limits_chosen=limits(daily_budget=BUDGET_TOTAL))


# --- a visitor ----------------------------------------------------------------------------------


def visit(visitors, app, lang: str = "en", forwarded_for: str | None = None) -> Visitor:
    """A new browser context (its own storage, like a private window) on ``app`` in ``lang``,
    behind the test's proxy when ``forwarded_for`` is given; max_tokens set to MAX_TOKENS."""
    headers = dict(ZH_CONTEXT["extra_http_headers"]) if lang == "zh" else {"Accept-Language": "en-US,en;q=0.9"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    visitor = visitors(app.url, locale="zh-CN" if lang == "zh" else "en-US", extra_http_headers=headers)
    set_number(visitor.page, "max_tokens", str(MAX_TOKENS))
    return visitor


def meter_shows(visitor: Visitor, left: str, lang: str = "en", everyone: bool = False) -> None:
    text = TEXTS[lang]["everyone_meter" if everyone else "meter"].format(left=left, total=money(BUDGET_TOTAL))
    expect(visitor.page.locator(BUDGET)).to_contain_text(text, timeout=WAIT_MS)


def answered(visitor: Visitor, app, text: str = QUESTION) -> None:
    """Send ``text``: it is answered, by one more request upstream."""
    before = len(app.fake.chat_received())
    answer = ask(visitor.page, text)
    assert answer.startswith("Echo:"), (answer, usage_text(visitor.page))
    assert len(app.fake.chat_received()) == before + 1
    assert app.fake.chat_requests()[-1]["model"] == MODEL


def refused(visitor: Visitor, app, lang: str = "en", left: str = LEFT_AFTER[2], everyone: bool = False) -> str:
    """Send a message that does not fit: a warning toast says why, in ``lang``; nothing goes
    upstream, the chat gets no new question and the message is back in the box."""
    page, words = visitor.page, TEXTS[lang]
    before, asked = len(app.fake.chat_received()), questions(page).count()
    message = f"{QUESTION} {page.evaluate('Math.random()')}"
    send(page, message)
    toast = read_toast(page, money(WORST), kind="warning", close=True)
    for part in words["everyone" if everyone else "refused"]:
        assert part.format(worst=money(WORST), left=left) in toast, (part, toast)
    assert re.search(words["resets"], toast), toast
    expect(page.locator(MESSAGE_BOX)).to_have_value(message, timeout=WAIT_MS)
    wait_events_ended(page, events_joined(page))  # whatever the Send started has ended
    assert len(app.fake.chat_received()) == before
    assert questions(page).count() == asked
    return toast


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_visitor_runs_out_of_the_demo_budget_then_their_own_key_answers(visitors, proxied_app, lang):
    visitor = visit(visitors, proxied_app, lang, forwarded_for=f"203.0.113.{LANGS.index(lang) + 10}")
    meter_shows(visitor, LEFT_AFTER[0], lang)
    for spent in (1, 2):
        answered(visitor, proxied_app)
        meter_shows(visitor, LEFT_AFTER[spent], lang)  # counts down after each answer
    refused(visitor, proxied_app, lang)
    meter_shows(visitor, LEFT_AFTER[2], lang)

    visitor.use_key(TEST_KEY)
    expect(visitor.page.locator("#api-key-forget")).to_be_visible(timeout=WAIT_MS)
    expect(visitor.page.locator(BUDGET)).to_have_text(re.compile(r"^\s*$"), timeout=WAIT_MS)
    answered(visitor, proxied_app)  # the visitor's own key: no limit
    answered(visitor, proxied_app)
    expect(visitor.page.locator(BUDGET)).to_have_text(re.compile(r"^\s*$"), timeout=WAIT_MS)


def test_an_address_shares_its_budget_across_windows_and_not_with_another(visitors, proxied_app):
    address, other = "198.51.100.7", "198.51.100.8"
    first = visit(visitors, proxied_app, forwarded_for=address)
    answered(first, proxied_app)
    answered(first, proxied_app)
    refused(first, proxied_app)

    # A private window (new storage, a new browser id) from the same address: the same budget.
    window = visit(visitors, proxied_app, forwarded_for=address)
    meter_shows(window, LEFT_AFTER[2])
    refused(window, proxied_app)
    # A client that writes an X-Forwarded-For entry of its own before the proxy's: the proxy's counts.
    forged = visit(visitors, proxied_app, forwarded_for=f"1.2.3.4, {address}")
    meter_shows(forged, LEFT_AFTER[2])
    refused(forged, proxied_app)
    # Another address behind the proxy: a budget of its own.
    second = visit(visitors, proxied_app, forwarded_for=other)
    meter_shows(second, LEFT_AFTER[0])
    answered(second, proxied_app)
    meter_shows(second, LEFT_AFTER[1])


def test_a_forged_forwarded_for_changes_nothing_without_a_proxy(visitors, direct_app):
    first = visit(visitors, direct_app)
    answered(first, direct_app)
    answered(first, direct_app)
    refused(first, direct_app)
    # No proxy is trusted: the header is the client's own words, and the visitor is still 127.0.0.1.
    forged = visit(visitors, direct_app, forwarded_for="10.9.9.9")
    meter_shows(forged, LEFT_AFTER[2])
    refused(forged, direct_app)


def test_the_daily_budget_stops_everyone(visitors, daily_app):
    english = visit(visitors, daily_app, "en", forwarded_for="192.0.2.1")
    chinese = visit(visitors, daily_app, "zh", forwarded_for="192.0.2.2")
    meter_shows(english, LEFT_AFTER[0], "en", everyone=True)
    answered(english, daily_app)
    chinese.page.reload()  # the meter is read on load: the other visitor's answer shows
    expect(chinese.page.locator(MESSAGE_BOX)).to_be_editable(timeout=WAIT_MS)
    set_number(chinese.page, "max_tokens", str(MAX_TOKENS))
    meter_shows(chinese, LEFT_AFTER[1], "zh", everyone=True)
    answered(chinese, daily_app)
    meter_shows(chinese, LEFT_AFTER[2], "zh", everyone=True)
    # Each has spent ¥0.40 of a per-visitor budget that is off; everyone's is what runs out.
    refused(english, daily_app, "en", everyone=True)
    refused(chinese, daily_app, "zh", everyone=True)
