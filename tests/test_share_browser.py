"""Share links in a real browser: a chat shared and opened in a fresh browser context shows
the same conversation with its banner, and Run again sends the same body (compared at the
fake server); forged, broken and over-long links are refused with nothing lost; the fragment
never reaches the server (neither a request's address or body, nor the fake's records, nor
the app's log); a Compare link opens Compare with the same slots. One app for the module."""

from __future__ import annotations

import base64
import json
import logging
import re
import zlib

import pytest
from playwright.sync_api import Page, expect

from sfui import share
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    CHAT,
    COMPARE_BOX,
    QUESTIONS,
    WAIT_MS,
    ask,
    open_app,
    open_sidebar,
    pane_answer,
    send_compare,
    show_compare,
    wait_compare_done,
    wait_saved,
    wait_turn_ended,
)

BANNER = "#shared-banner"
RUN = "#share-run-btn"
LINK = "#share-link textarea, #share-link input"
COMPARE_LINK = "#compare-share-link textarea, #compare-share-link input"
# Fields of a request body that are the request (not how it is streamed).
STREAMING = ("stream", "stream_options")


@pytest.fixture(scope="module")
def app(launch_module_app):
    return launch_module_app()


@pytest.fixture
def fresh(browser):
    """Factory: a page in a fresh browser context (no cookies, no storage), recording every
    request's address and body the page makes."""
    contexts = []

    def _open(locale: str = "en-US", **options):
        context = browser.new_context(viewport=VIEWPORT, **{"locale": locale, **options})
        contexts.append(context)
        pg = context.new_page()
        pg.sent = []  # type: ignore[attr-defined]
        pg.on("request", lambda r: pg.sent.append(r.url + "\n" + (r.post_data or "")))  # type: ignore[attr-defined]
        return pg

    yield _open
    for context in contexts:
        context.close()


def make_link(page: Page, button: str = "#share-btn", box: str = LINK) -> str:
    page.locator(button).click()
    link = page.locator(box).first
    expect(link).to_have_value(re.compile(r"#s="), timeout=WAIT_MS)
    return link.input_value()


def open_link(page: Page, link: str) -> None:
    page.goto(link, timeout=WAIT_MS)
    expect(page.locator("#user-input textarea")).to_be_editable(timeout=WAIT_MS)


def request_of(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in STREAMING}


def fragment(link: str) -> str:
    return link.split("#", 1)[1]


def encode(document) -> str:
    raw = json.dumps(document).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(raw) + packer.flush()).decode().rstrip("=")


def test_a_shared_chat_opens_elsewhere_and_runs_again_with_the_same_body(app, page, fresh, caplog):
    caplog.set_level(logging.DEBUG)
    app.fake.reset()
    open_app(page, app.url)
    ask(page, "What is a share link?", "Echo: What is a share link?")
    original = app.fake.chat_requests()[-1]
    link = make_link(page)
    assert link.startswith(app.url) and "#s=" in link
    assert app.settings.api_key not in link
    expect(page.locator("#share-qr svg")).to_be_visible(timeout=WAIT_MS)
    decoded = share.decode_fragment(fragment(link))
    assert decoded["model"] == original["model"] and decoded["answers"] is True

    visitor = fresh()
    open_link(visitor, link)
    banner = visitor.locator(BANNER)
    expect(banner).to_contain_text("shared conversation", timeout=WAIT_MS)
    expect(visitor.locator(QUESTIONS)).to_have_text(["What is a share link?"], timeout=WAIT_MS)
    expect(visitor.locator(ANSWERS).last).to_contain_text("Echo: What is a share link?")
    assert "#" not in visitor.url  # the fragment left the address bar: a reload does not reopen it

    app.fake.reset()
    visitor.locator(RUN).click()
    expect(visitor.locator(ANSWERS)).to_have_count(1, timeout=WAIT_MS)
    wait_turn_ended(visitor)
    again = app.fake.chat_requests()
    assert len(again) == 1
    assert request_of(again[0]) == request_of(original)

    secret = fragment(link)[2:]
    assert not [sent for sent in visitor.sent if secret[:40] in sent]
    assert secret[:40] not in json.dumps([vars(r) for r in app.fake.received], default=str)
    assert secret[:40] not in caplog.text


def test_without_the_answers_the_link_holds_only_the_questions(app, page, fresh):
    open_app(page, app.url)
    ask(page, "first question", "Echo: first question")
    page.locator("#share-with-answers input").uncheck()
    link = make_link(page)
    decoded = share.decode_fragment(fragment(link))
    assert [m["role"] for m in decoded["messages"]] == ["user"] and decoded["answers"] is False
    visitor = fresh()
    open_link(visitor, link)
    expect(visitor.locator(BANNER)).to_contain_text("without the answers", timeout=WAIT_MS)
    expect(visitor.locator(ANSWERS)).to_have_count(0)


@pytest.mark.parametrize("locale, expected", [("en-US", "cannot be opened"), ("zh-CN", "无法打开")])
def test_broken_forged_and_over_long_links_are_refused_with_nothing_lost(app, fresh, locale, expected):
    options = ZH_CONTEXT if locale == "zh-CN" else {"locale": locale}
    visitor = fresh(**options)
    open_app(visitor, app.url)
    open_sidebar(visitor)
    ask(visitor, "keep me", "Echo: keep me")
    wait_saved(visitor, 1)
    good = {"sfui": "share", "v": 1, "kind": "chat", "model": "Qwen/Qwen3-8B", "system_prompt": "",
            "params": {}, "messages": [{"role": "user", "content": "hi"}]}
    cases = {
        "base64": "#s=***not base64***",
        "deflate": "#s=" + base64.urlsafe_b64encode(b"not deflate at all").decode().rstrip("="),
        "json": "#s=" + base64.urlsafe_b64encode(zlib.compress(b"{not json", 9)[2:-4]).decode().rstrip("="),
        "version": "#s=" + encode({**good, "v": 2}),
        "html model": "#s=" + encode({**good, "model": "<img src=x onerror=alert(1)>"}),
        "too long": "#s=" + "A" * (share.MAX_LINK_CHARS + 10),
    }
    words = {"en-US": {"base64": "base64", "deflate": "decompress", "json": "JSON", "version": "format 2",
                       "html model": "model", "too long": "8,000"},
             "zh-CN": {"base64": "base64", "deflate": "解压", "json": "JSON", "version": "格式为 2",
                       "html model": "model", "too long": "8,000"}}[locale]
    for name, tail in cases.items():
        visitor.goto("about:blank")
        open_link(visitor, app.url + tail)
        banner = visitor.locator(BANNER)
        expect(banner).to_contain_text(expected, timeout=WAIT_MS)
        expect(banner).to_contain_text(words[name])
        expect(visitor.locator(RUN)).to_be_hidden()
        open_sidebar(visitor)
        wait_saved(visitor, 1)  # nothing lost: the saved conversation is still there
        assert "#" not in visitor.url, name


def test_html_in_a_shared_message_stays_inert(app, fresh):
    document = {"sfui": "share", "v": 1, "kind": "chat", "model": "Qwen/Qwen3-8B", "system_prompt": "",
                "params": {}, "messages": [
                    {"role": "user", "content": 'look <img src=x onerror="window.__pwned=1"><script>window.__pwned=2'
                                                "</script>"},
                    {"role": "assistant", "content": "fine"}]}
    visitor = fresh()
    open_link(visitor, app.url + "#s=" + encode(document))
    expect(visitor.locator(BANNER)).to_contain_text("shared conversation", timeout=WAIT_MS)
    expect(visitor.locator(CHAT)).to_contain_text("look")
    visitor.wait_for_timeout(500)
    assert visitor.evaluate("() => window.__pwned") is None


def test_a_compare_link_opens_compare_with_the_same_slots_and_answers(app, page, fresh):
    open_app(page, app.url)
    show_compare(page)
    send_compare(page, "Which is faster?")
    wait_compare_done(page, 2)
    expect(pane_answer(page, 1)).to_contain_text("Which is faster?", timeout=WAIT_MS)
    answers = [pane_answer(page, i).inner_text() for i in (1, 2)]
    link = make_link(page, "#compare-share-btn", COMPARE_LINK)
    document = share.decode_fragment(fragment(link))
    slots = [slot["model"] for slot in document["slots"]]
    assert len(slots) == 2 and len(document["panes"]) == 2
    visitor = fresh(**ZH_CONTEXT)
    open_link(visitor, link)
    expect(visitor.locator(COMPARE_BOX)).to_have_value("Which is faster?", timeout=WAIT_MS)
    expect(visitor.locator(COMPARE_BOX)).to_be_visible()
    expect(visitor.locator("#compare-shared-banner")).to_contain_text("各窗格显示分享时的回答")
    for i, model in enumerate(slots, 1):
        expect(visitor.locator(f"#compare-model-{i} input")).to_have_value(re.compile(re.escape(model)))
    for i, answer in enumerate(answers, 1):
        expect(pane_answer(visitor, i)).to_have_text(answer.strip())
    assert visitor.locator("#compare-pane-3").is_hidden()

    page.locator("#compare-share-with-answers input").uncheck()
    page.locator("#compare-share-btn").click()
    expect(page.locator(COMPARE_LINK).first).not_to_have_value(link)
    bare = page.locator(COMPARE_LINK).first.input_value()
    assert "panes" not in share.decode_fragment(fragment(bare))
    other = fresh()
    open_link(other, bare)
    expect(other.locator("#compare-shared-banner")).to_contain_text("press Send to run it", timeout=WAIT_MS)
    expect(other.locator(COMPARE_BOX)).to_have_value("Which is faster?")
    expect(other.locator("#compare-pane-1")).not_to_contain_text(answers[0].strip()[:20])
