"""In Chromium: presenter mode (issue 21, part 3). At 1400 px and 400 px, in English and
Chinese: the type at least 1.4 times larger, the key bar and the side column hidden, the
deck stepping with the arrow keys and the buttons, a prompt landing in the box and Enter
sending it; ``?present=1``, a Compare entry of the deck, and the QR code. One app (with a
deck file) for the whole module."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import PHONE, VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    COMPARE_BOX,
    MESSAGE_BOX,
    QUESTIONS,
    THOUGHTS,
    WAIT_MS,
    ask,
    model_box,
    open_app,
    pane_answer,
)

# Presenter mode's DOM: the app's element ids, and the class on the root element.
PRESENT_BTN, DECK, PREV, NEXT, QR = "#present-btn", "#deck", "#deck-prev-btn", "#deck-next-btn", "#present-qr"
HIDDEN_IN_PRESENTER = ("#key-bar", "#side-column", "#model", "#reasoning-panel", "#usage-panel", "#presets",
                       "#view-code", "#system-prompt")
PRESENTING = "() => document.documentElement.classList.contains('sfui-present')"
FONT_SIZES = f"""() => {{
  const size = (selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
  return {{question: size('{QUESTIONS}'), answer: size('{ANSWERS}'), box: size('{MESSAGE_BOX}')}};
}}"""

DECK_ENTRIES = [
    {"prompt": "#fake:reasoning Why is the sky blue?", "model": "deck/first-model"},
    {"prompt": "Say hello to the room", "model": "deck/second-model"},
    {"prompt": "Which of you is faster?", "compare": ["deck/left", "deck/right"]},
]


@pytest.fixture(scope="module")
def app(launch_module_app, tmp_path_factory):
    deck = tmp_path_factory.mktemp("deck") / "deck.json"
    deck.write_text(json.dumps(DECK_ENTRIES), encoding="utf-8")
    return launch_module_app(deck_file=str(deck))


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(url: str, viewport: dict, lang: str):
        options = ZH_CONTEXT if lang == "zh" else dict(locale="en-US")
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        return open_app(context.new_page(), url)

    yield _open
    for context in contexts:
        context.close()


def deck_line(page, position: str) -> None:
    expect(page.locator(DECK)).to_contain_text(position, timeout=WAIT_MS)


def expect_box(page, text: str, box: str = MESSAGE_BOX) -> None:
    expect(page.locator(box)).to_have_value(text, timeout=WAIT_MS)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("viewport", [VIEWPORT, PHONE], ids=["1400px", "400px"])
def test_presenter_mode(app, open_page, viewport, lang):
    page = open_page(app.url, viewport, lang)
    ask(page, "hello", answer="Echo: hello")
    normal = page.evaluate(FONT_SIZES)
    for selector in ("#key-bar", "#side-column", "#model"):
        expect(page.locator(selector)).to_be_attached()
    expect(page.locator("#key-bar")).to_be_visible()
    expect(page.locator(DECK)).to_be_hidden()

    button = page.locator(PRESENT_BTN)
    expect(button).to_have_text("演示模式" if lang == "zh" else "Present")
    button.click()
    page.wait_for_function(PRESENTING, timeout=WAIT_MS)
    expect(button).to_have_attribute("aria-pressed", "true")
    presenting = page.evaluate(FONT_SIZES)
    for part in normal:
        assert presenting[part] >= 1.4 * normal[part], (part, normal, presenting)
    for selector in HIDDEN_IN_PRESENTER:
        expect(page.locator(selector)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # nothing scrolls sideways
    deck_line(page, "已准备 3 个提示" if lang == "zh" else "3 prepared prompts")

    # The arrow keys (the focus in no text box), then in the box the deck filled while it is unchanged.
    page.locator("#title").click()
    page.keyboard.press("ArrowRight")
    deck_line(page, "1 / 3")
    expect_box(page, DECK_ENTRIES[0]["prompt"])
    expect(page.locator(model_box())).to_have_value(re.compile("deck/first-model"), timeout=WAIT_MS)
    page.keyboard.press("ArrowRight")
    deck_line(page, "2 / 3")
    expect_box(page, DECK_ENTRIES[1]["prompt"])
    expect(page.locator(model_box())).to_have_value(re.compile("deck/second-model"), timeout=WAIT_MS)
    page.keyboard.press("ArrowLeft")
    deck_line(page, "1 / 3")
    expect_box(page, DECK_ENTRIES[0]["prompt"])
    # The buttons; the box then has the focus, and Enter sends the prompt.
    page.locator(NEXT).click()
    deck_line(page, "2 / 3")
    page.locator(PREV).click()
    deck_line(page, "1 / 3")
    expect(page.locator(MESSAGE_BOX)).to_be_focused(timeout=WAIT_MS)
    page.keyboard.press("Enter")
    expect(page.locator(ANSWERS).last).to_have_text("Echo: Why is the sky blue?", timeout=WAIT_MS)
    assert app.fake.chat_requests()[-1]["model"] == "deck/first-model"
    expect(page.locator(THOUGHTS).last).to_be_visible()  # thinking stays, as the chat's bubble
    # The box is empty again: the arrow keys step on from it.
    expect_box(page, "")
    page.keyboard.press("ArrowRight")
    deck_line(page, "2 / 3")
    page.keyboard.press("Enter")
    expect(page.locator(ANSWERS).last).to_have_text("Echo: Say hello to the room", timeout=WAIT_MS)

    button.click()  # and back
    page.wait_for_function(f"() => !({PRESENTING})()", timeout=WAIT_MS)
    expect(page.locator("#key-bar")).to_be_visible()
    expect(page.locator(DECK)).to_be_hidden()
    assert page.evaluate(FONT_SIZES)["box"] == normal["box"]


def test_presses_in_one_moment_each_count(app, open_page):
    """Three presses of Next at once go three entries on (the page moves the position; the
    server shows where the presses ended), and two of Previous then go two back."""
    page = open_page(app.url + "?present=1", VIEWPORT, "en")
    deck_line(page, "3 prepared prompts")
    page.evaluate(f"() => {{ for (let i = 0; i < 3; i++) document.querySelector('{NEXT}').click(); }}")
    deck_line(page, "3 / 3")
    expect(page.locator(DECK)).to_contain_text("Compare: deck/left, deck/right")
    expect_box(page, DECK_ENTRIES[2]["prompt"], COMPARE_BOX)
    page.evaluate(f"() => {{ for (let i = 0; i < 2; i++) document.querySelector('{PREV}').click(); }}")
    deck_line(page, "1 / 3")
    expect_box(page, DECK_ENTRIES[0]["prompt"])


def test_present_in_the_address_a_compare_entry_and_the_qr_code(app, open_page):
    page = open_page(app.url + "?present=1", VIEWPORT, "en")
    assert page.evaluate(PRESENTING)
    expect(page.locator("#side-column")).to_be_hidden()
    qr = page.locator(QR)
    expect(qr.locator("svg")).to_be_visible(timeout=WAIT_MS)
    box = qr.locator("svg").bounding_box()
    assert box and box["width"] >= 100 and box["height"] >= 100
    # The page's own address, without ?present=1.
    expect(qr.locator("a")).to_have_attribute("href", app.url)
    expect(qr).to_contain_text("Open this page on your phone")

    page.locator(NEXT).click()
    deck_line(page, "1 / 3")
    page.locator(NEXT).click()
    page.locator(NEXT).click()
    deck_line(page, "3 / 3")
    expect(page.locator(DECK)).to_contain_text("Compare: deck/left, deck/right")
    expect_box(page, DECK_ENTRIES[2]["prompt"], COMPARE_BOX)
    expect(page.locator(model_box(1))).to_have_value(re.compile("deck/left"), timeout=WAIT_MS)
    expect(page.locator(model_box(2))).to_have_value(re.compile("deck/right"), timeout=WAIT_MS)
    expect(page.locator(COMPARE_BOX)).to_be_focused(timeout=WAIT_MS)
    page.locator(NEXT).click()  # the end of the deck: it stays on the last entry
    deck_line(page, "3 / 3")
    expect(page.locator(COMPARE_BOX)).to_be_focused(timeout=WAIT_MS)  # the box again, not the button
    page.keyboard.press("Enter")
    for slot in (1, 2):
        expect(pane_answer(page, slot)).to_have_text("Echo: Which of you is faster?", timeout=WAIT_MS)
    models = {request["model"] for request in app.fake.chat_requests()[-2:]}
    assert models == {"deck/left", "deck/right"}
    # Compare's panes across the whole width: the side column is gone, the main column fills the page.
    main = page.locator("#main-column").bounding_box()
    assert main and main["width"] >= 0.8 * VIEWPORT["width"]
