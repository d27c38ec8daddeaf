"""The first screen in a real browser, against the fake SiliconFlow: the example
prompts (in the visitor's language, sent with their model, gone once the chat
has a message), the presets reaching the request, the 400 px page, dark mode
and the favicon. Every wait is a Playwright wait on something shown."""

from __future__ import annotations

import requests
from playwright.sync_api import Page, expect

from sfui.examples import EXAMPLES
from sfui.i18n import t
from sfui.presets import PRESETS
from tests.support.browser import PHONE, VIEWPORT, ZH_CONTEXT
from tests.support.page import (
    ANSWERS,
    CHAT,
    MESSAGE_BOX,
    MODEL_BOX,
    WAIT_MS,
    ask,
    number_box,
    open_app,
    questions,
    set_number,
    toast,
    wait_turn_ended,
)

BY_KEY = {e.key: e for e in EXAMPLES}


def click_example(page: Page, key: str) -> None:
    page.locator(f"#{BY_KEY[key].elem_id}").click()


def wait_for_requests(fake, count: int, page: Page) -> list[dict]:
    page.wait_for_function(f"() => document.querySelector('{ANSWERS}') !== null", timeout=WAIT_MS)
    wait_turn_ended(page)
    requests_seen = fake.chat_requests()
    assert len(requests_seen) == count, requests_seen
    return requests_seen


def test_an_example_sends_its_prompt_with_its_model_then_hides(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    examples = page.locator("#examples")
    expect(examples).to_be_visible()
    for example in EXAMPLES:
        expect(page.locator(f"#{example.elem_id}")).to_have_text(t("en", example.title_key))

    example = BY_KEY["puzzle"]
    click_example(page, "puzzle")
    body = wait_for_requests(app.fake, 1, page)[-1]
    assert body["model"] == example.model
    assert body["messages"][-1] == {"role": "user", "content": example.prompt("en")}
    expect(questions(page)).to_have_count(1)
    expect(questions(page).first).to_contain_text(example.prompt("en")[:40])
    expect(page.locator(MODEL_BOX)).to_have_value(example.model, timeout=WAIT_MS)
    expect(examples).to_be_hidden()  # the chat has a message now

    page.locator("#clear-btn").click()
    expect(questions(page)).to_have_count(0, timeout=WAIT_MS)
    expect(examples).to_be_visible()  # an empty chat again


def test_the_picture_example_sends_the_sample_picture_to_a_vision_model(launch_app, page):
    import base64

    from sfui.images import SAMPLE_IMAGE

    app = launch_app()
    open_app(page, app.url)
    example = BY_KEY["picture"]
    click_example(page, "picture")
    body = wait_for_requests(app.fake, 1, page)[-1]
    assert body["model"] == example.model
    text_part, image_part = body["messages"][-1]["content"]
    assert text_part == {"type": "text", "text": example.prompt("en")}
    url = image_part["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == SAMPLE_IMAGE.read_bytes()  # small: sent as it is
    # The picture is in its bubble, and the sample is still there for the next visitor.
    expect(page.locator(f"{CHAT} img.sfui-image")).to_have_count(1, timeout=WAIT_MS)
    assert SAMPLE_IMAGE.is_file()


def test_examples_in_chinese_are_chinese_and_send_chinese(launch_app, visitors):
    app = launch_app()
    page = visitors(app.url, **ZH_CONTEXT).page
    for example in EXAMPLES:
        expect(page.locator(f"#{example.elem_id}")).to_have_text(t("zh", example.title_key), timeout=WAIT_MS)
    click_example(page, "math")
    body = wait_for_requests(app.fake, 1, page)[-1]
    assert body["model"] == BY_KEY["math"].model
    assert body["messages"][-1]["content"] == BY_KEY["math"].prompt("zh")
    assert body["messages"][-1]["content"] != BY_KEY["math"].prompt("en")


def test_an_example_without_a_key_says_so_and_sends_nothing(launch_app, page):
    app = launch_app(api_key=None)
    open_app(page, app.url)
    click_example(page, "code")
    expect(toast(page, "key")).to_be_visible(timeout=WAIT_MS)
    assert app.fake.chat_requests() == []
    # Nothing is lost: the prompt is given back in the box.
    expect(page.locator(MESSAGE_BOX)).to_have_value(BY_KEY["code"].prompt("en"), timeout=WAIT_MS)


def test_each_preset_is_what_is_sent(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    expect(page.locator("#presets input:checked")).to_have_value("balanced")
    for number, preset in enumerate(reversed(PRESETS), start=1):
        page.locator("#presets label").filter(has_text=t("en", preset.label_key)).click()
        expect(page.locator(number_box("temperature"))).to_have_value(f"{preset.temperature:g}", timeout=WAIT_MS)
        expect(page.locator(number_box("top_p"))).to_have_value(f"{preset.top_p:g}", timeout=WAIT_MS)
        ask(page, f"preset {preset.key}")
        body = app.fake.chat_requests()[-1]
        assert len(app.fake.chat_requests()) == number
        assert (body["temperature"], body["top_p"]) == (preset.temperature, preset.top_p), preset
    # Moved by hand, the values are no preset's any more: none stays selected.
    set_number(page, "temperature", "1.35")
    expect(page.locator("#presets input:checked")).to_have_count(0, timeout=WAIT_MS)


LAYOUT_PARTS = ("#send-btn", MESSAGE_BOX, CHAT, "#model", "#temperature")


def _layout(page: Page) -> dict:
    for part in LAYOUT_PARTS:  # the page may still be mounting them on a loaded machine
        page.locator(part).first.wait_for(state="attached", timeout=WAIT_MS)
    return page.evaluate("""(parts) => {
        const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                               return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
        const [send, message, chat, model, params] = parts.map(box);
        return {scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth, innerHeight: innerHeight,
                send, box: message, chat, model, params};
    }""", list(LAYOUT_PARTS))


def test_at_400_px_the_chat_comes_first_and_send_is_in_view(launch_app, visitors):
    app = launch_app(api_key=None)  # a new visitor: no key, the notice at the top
    for options in ({}, ZH_CONTEXT):
        visitor = visitors(app.url, viewport=PHONE, **options)
        page = visitor.page
        expect(page.locator("#examples button").first).to_be_visible(timeout=WAIT_MS)
        shown = _layout(page)
        assert shown["scrollWidth"] <= shown["innerWidth"], shown  # no sideways scrolling
        assert 0 <= shown["send"]["top"] and shown["send"]["bottom"] <= shown["innerHeight"], shown
        assert shown["box"]["top"] < shown["innerHeight"], shown
        # The parameters come after the chat, not before it.
        assert shown["chat"]["bottom"] <= shown["model"]["top"] and shown["send"]["bottom"] <= shown["params"]["top"]


def test_on_a_desktop_with_no_key_the_card_the_box_and_send_are_all_in_view(launch_app, visitors):
    app = launch_app(api_key=None)
    page = visitors(app.url, viewport=VIEWPORT).page
    expect(page.locator("#key-card")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#examples button").first).to_be_visible(timeout=WAIT_MS)
    shown = _layout(page)
    assert shown["box"]["bottom"] <= shown["innerHeight"] and shown["send"]["bottom"] <= shown["innerHeight"], shown


def test_at_400_px_a_long_answer_scrolls_nothing_sideways(launch_app, visitors):
    app = launch_app()
    page = visitors(app.url, viewport=PHONE).page
    # A long unbroken word and a wide code line: both must wrap or scroll inside the chat.
    ask(page, "x" * 300 + "\n\n```\n" + "y = 1  # " + "z" * 300 + "\n```")
    shown = _layout(page)
    assert shown["scrollWidth"] <= shown["innerWidth"], shown


def test_dark_mode_is_dark(launch_app, visitors):
    app = launch_app()
    page = visitors(app.url + "?__theme=dark", color_scheme="dark").page
    colours = page.evaluate("""() => {
        const rgb = (el, prop) => getComputedStyle(el)[prop].match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        const app = document.querySelector('gradio-app');
        const button = document.querySelector('#examples .example-btn');
        return {dark: document.body.classList.contains('dark'), page: lum(rgb(app, 'backgroundColor')),
                text: lum(rgb(document.querySelector('#title'), 'color')),
                button: lum(rgb(button, 'backgroundColor')), buttonText: lum(rgb(button, 'color'))};
    }""")
    assert colours["dark"], colours
    assert colours["page"] < 0.3 < 0.6 < colours["text"], colours
    assert colours["button"] < 0.5 < colours["buttonText"], colours


def test_title_and_favicon(launch_app, page):
    app = launch_app()
    open_app(page, app.url)
    assert page.title() == "sfui · SiliconFlow chat"
    href = page.locator("link[rel=icon]").get_attribute("href")
    icon = requests.get(requests.compat.urljoin(app.url, href), timeout=30)
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.lstrip().startswith(b"<svg") and b"sfui" in icon.content


# Draws each character with the page's font stack, and an unassigned code point (which no
# font has: the "empty box"); a character drawn exactly like it has no glyph on this machine.
DRAW_JS = """async (chars) => {
    const family = getComputedStyle(document.querySelector('#title')).fontFamily;
    const draw = (ch) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 48;
        const g = canvas.getContext('2d');
        g.font = `32px ${family}`;
        g.textBaseline = 'top';
        g.fillText(ch, 4, 4);
        return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
    };
    const drawn = {};
    for (const ch of chars) {
        await document.fonts.load(`32px ${family}`, ch);  // the app's emoji font, fetched when needed
        drawn[ch] = draw(ch);
    }
    return {family, missing: draw(String.fromCodePoint(0x1FAFF)), drawn};
}"""


def test_every_emoji_of_the_page_is_drawn_without_an_emoji_font(launch_app, page):
    """This machine's Chromium has no emoji font (``fc-list`` lists none): the app's own
    (assets/emoji.ttf) draws the page's emoji instead of empty boxes."""
    from tools.emoji_font import page_emoji

    app = launch_app()
    open_app(page, app.url)
    shown = page.evaluate(DRAW_JS, page_emoji())
    assert shown["family"].endswith('"sfui emoji"'), shown["family"]
    boxes = [ch for ch, pixels in shown["drawn"].items() if pixels == shown["missing"]]
    assert boxes == [], f"drawn as empty boxes: {''.join(boxes)}"
    blank = [ch for ch, pixels in shown["drawn"].items() if not any(int(v) for v in pixels.split(",")[3::4])]
    assert blank == [], f"drawn as nothing: {''.join(blank)}"


def test_the_emoji_font_is_served(launch_app):
    from sfui.ui.page import EMOJI_FONT

    app = launch_app()
    font = requests.get(f"{app.url}gradio_api/file={EMOJI_FONT}", timeout=30)
    assert font.status_code == 200
    assert font.content == EMOJI_FONT.read_bytes()
