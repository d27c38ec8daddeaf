"""The key card, the balance and the model picker in a real browser against the fake
SiliconFlow: the card only while there is no key, a pasted key tried at once (folded
away with the balance when good, kept with the reason when not), the balance read
again after each answer, and the card, the reasons and the model labels in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sfui.api import errors
from sfui.catalog import model_hint
from sfui.i18n import t
from tests.support import TEST_KEY
from tests.support.page import KEY_BOX, MODEL_BOX, WAIT_MS, pane_answer, send_compare, show_compare

GET_A_KEY = "https://cloud.siliconflow.cn/account/ak"

# Records every text #key-status shows, so a test can tell what was said along the way.
RECORD_STATUS_JS = """() => {
    window.__statuses = [];
    const status = document.querySelector('#key-status');
    new MutationObserver(() => window.__statuses.push(status.innerText))
        .observe(status, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture
def fake(module_fake):
    module_fake.reset()
    module_fake.total_balance = "88.88"
    module_fake.user_info_status = 200
    return module_fake


def paste(page, key: str) -> None:
    page.locator(KEY_BOX).fill(key)
    page.locator("#api-key-btn").click()


def card(page):
    return page.locator("#key-card")


def status(page):
    return page.locator("#key-status")


def model_options(page) -> list[str]:
    """The model dropdown's choices as the visitor reads them."""
    page.locator(MODEL_BOX).click()
    options = page.locator("#model [role=option], ul.options li")
    expect(options.first).to_be_visible(timeout=WAIT_MS)
    texts = options.all_inner_texts()
    page.keyboard.press("Escape")
    return [text.strip().lstrip("✓").strip() for text in texts]


def english_hints(options: list[str]) -> list[str]:
    """The options whose capability hints (after " · ") are in English."""
    return [text for text in options
            if re.search(r"free|reasoning|thinking|vision|__i18n__", text.partition(" · ")[2])]


# --- when the card shows ------------------------------------------------------------------------


def test_without_any_key_the_card_comes_first(launch_module_app, fake, visitors):
    app = launch_module_app(api_key=None)
    page = visitors(app.url).page
    expect(card(page)).to_be_visible()
    expect(card(page)).to_contain_text("Paste your SiliconFlow API key")
    expect(card(page)).to_contain_text("never in the page")
    expect(card(page).locator(f'a[href="{GET_A_KEY}"]')).to_be_visible()
    expect(card(page).locator(KEY_BOX)).to_be_visible()  # the one key box is in the card
    expect(page.locator("#api-key")).to_have_count(1)
    # Above the tabs, in the left column: before the chat, beside the model picker's column.
    card_box = card(page).bounding_box()
    assert card_box["y"] + card_box["height"] <= page.locator("#tabs").bounding_box()["y"] + 1
    assert card_box["x"] + card_box["width"] <= page.locator("#model").bounding_box()["x"]
    # No key has been tried: nothing says it is set, no balance, no bar.
    expect(page.locator("#key-bar")).to_be_hidden()
    expect(page.locator("#balance")).to_be_hidden()
    assert "works" not in status(page).inner_text()
    assert [r.path for r in fake.received if "user/info" in r.path] == []


def test_with_a_server_key_there_is_no_card(launch_module_app, fake, visitors):
    app = launch_module_app(api_key=TEST_KEY)
    page = visitors(app.url).page
    expect(page.locator("#key-bar")).to_be_visible()
    expect(card(page)).to_be_hidden()
    expect(page.locator("#api-key-change")).to_have_text("Use my own key")
    expect(page.locator("#api-key-forget")).to_be_hidden()  # nothing of the visitor's to forget
    expect(page.locator("#balance")).to_have_text("")  # the server key's balance is not shown to strangers
    # A visitor can still bring their own key: the card opens on request, and folds again.
    page.locator("#api-key-change").click()
    expect(card(page)).to_be_visible()
    paste(page, TEST_KEY)
    expect(status(page)).to_contain_text("Your key works", timeout=WAIT_MS)
    expect(card(page)).to_be_hidden()
    expect(page.locator("#balance")).to_contain_text("88.88")
    expect(page.locator("#api-key-change")).to_have_text("Change key")
    page.locator("#api-key-forget").click()
    expect(status(page)).to_contain_text("Using the key configured on the server", timeout=WAIT_MS)
    expect(card(page)).to_be_hidden()
    expect(page.locator("#balance")).to_have_text("")
    expect(page.locator("#api-key-forget")).to_be_hidden()


# --- trying a key ---------------------------------------------------------------------------------


def test_a_good_key_folds_the_card_and_shows_the_balance_refreshed_after_each_answer(launch_module_app, fake,
                                                                                    visitors):
    app = launch_module_app(api_key=None)
    visitor = visitors(app.url)
    page = visitor.page
    paste(page, TEST_KEY)
    expect(status(page)).to_contain_text("Your key works", timeout=WAIT_MS)
    expect(card(page)).to_be_hidden()
    expect(page.locator("#balance")).to_have_text("Balance: 88.88", timeout=WAIT_MS)
    paths = [r.path for r in fake.received]
    assert "/v1/user/info" in paths
    if "/v1/models" in paths:  # else the app's model list of this key was still fresh: it was tried before
        assert paths.index("/v1/models") < paths.index("/v1/user/info")  # tried first, then the balance
    assert all(r.headers["Authorization"] == f"Bearer {TEST_KEY}" for r in fake.received)

    # The chat: the balance is read again once the answer has ended.
    fake.total_balance = "80.50"
    visitor.send("spend a little")
    visitor.wait_for_chat("Echo: spend a little")
    expect(page.locator("#balance")).to_have_text("Balance: 80.50", timeout=WAIT_MS)

    # Compare: the same, after every pane has answered.
    fake.total_balance = "1234.5"
    show_compare(page)
    send_compare(page, "compare and spend")
    expect(pane_answer(page, 2)).to_contain_text("Echo: compare and spend", timeout=WAIT_MS)
    expect(page.locator("#balance")).to_have_text("Balance: 1,234.50", timeout=WAIT_MS)


def test_a_wrong_key_keeps_the_card_with_the_reason(launch_module_app, fake, visitors):
    app = launch_module_app(api_key=None)
    visitor = visitors(app.url)
    page = visitor.page
    page.evaluate(RECORD_STATUS_JS)
    paste(page, "sk-wrong-123456")
    expect(status(page)).to_contain_text("The API key was not accepted", timeout=WAIT_MS)
    expect(status(page)).to_contain_text("HTTP 401")
    expect(card(page)).to_be_visible()
    expect(page.locator(KEY_BOX)).to_have_value("")  # not left in the page
    expect(page.locator("#balance")).to_be_hidden()
    said = page.evaluate("window.__statuses")
    assert said and not [text for text in said if "works" in text]  # never "works" before (or after) trying
    assert [r.path for r in fake.received] == ["/v1/models"]  # no balance asked for a refused key
    # The key was not kept: a message is refused for want of a key, and nothing is sent.
    visitor.send("hello?")
    assert "No API key" in visitor.warning("No API key")
    assert fake.chat_requests() == []


def test_a_wrong_base_url_says_the_address_was_not_found(launch_module_app, fake, visitors):
    app = launch_module_app(api_key=None, base_url=fake.base_url.replace("/v1", "/wrong"))
    page = visitors(app.url).page
    paste(page, TEST_KEY)
    expect(status(page)).to_contain_text("could not be tried", timeout=WAIT_MS)
    expect(status(page)).to_contain_text("The API address was not found")
    expect(status(page)).to_contain_text("HTTP 404")
    expect(card(page)).to_be_visible()


def test_a_failing_user_info_does_not_make_a_good_key_bad(launch_module_app, fake, visitors):
    fake.user_info_status = 410
    app = launch_module_app(api_key=None)
    visitor = visitors(app.url)
    page = visitor.page
    paste(page, TEST_KEY)
    expect(status(page)).to_contain_text("Your key works", timeout=WAIT_MS)
    expect(card(page)).to_be_hidden()
    expect(page.locator("#key-bar")).to_be_visible()
    expect(page.locator("#balance")).to_have_text("")  # quietly: no balance, no error
    assert "/v1/user/info" in [r.path for r in fake.received]  # it did ask
    visitor.send("still answering")
    visitor.wait_for_chat("Echo: still answering")


def test_change_key_reopens_the_card_and_forget_brings_it_back(launch_module_app, fake, visitors):
    app = launch_module_app(api_key=None)
    page = visitors(app.url).page
    paste(page, TEST_KEY)
    expect(card(page)).to_be_hidden(timeout=WAIT_MS)
    page.locator("#api-key-change").click()
    expect(card(page)).to_be_visible()
    paste(page, "sk-wrong-2")  # a bad new key: the good one stays in use, the card stays open
    expect(status(page)).to_contain_text("not accepted", timeout=WAIT_MS)
    expect(card(page)).to_be_visible()
    expect(page.locator("#balance")).to_have_text("Balance: 88.88")
    page.locator("#api-key-change").click()  # fold it again without changing anything
    expect(card(page)).to_be_hidden()
    page.locator("#api-key-forget").click()
    expect(status(page)).to_contain_text("Your key was forgotten", timeout=WAIT_MS)
    expect(card(page)).to_be_visible()
    expect(page.locator("#key-bar")).to_be_hidden()


# --- in Chinese -----------------------------------------------------------------------------------


def test_the_chinese_page_has_a_chinese_card_reason_and_model_labels(launch_module_app, fake, visitors):
    app = launch_module_app(api_key=None)
    page = visitors(app.url, locale="zh-CN").page
    expect(card(page)).to_contain_text("粘贴硅基流动 API 密钥即可开始")
    expect(card(page).locator(f'a[href="{GET_A_KEY}"]')).to_have_text("获取密钥")
    expect(page.locator("#model-info")).to_have_text(model_hint("Qwen/Qwen3-8B", "zh"), timeout=WAIT_MS)
    # The labels of the page's own config: the browser translates their hints.
    options = model_options(page)
    assert "Qwen/Qwen3-8B · 🧠 可选思考、免费" in options
    assert english_hints(options) == []

    paste(page, "sk-wrong-zh")
    expect(status(page)).to_contain_text(errors.AuthenticationError.title("zh"), timeout=WAIT_MS)
    expect(card(page)).to_be_visible()
    paste(page, TEST_KEY)
    expect(status(page)).to_contain_text(t("zh", "key_set"), timeout=WAIT_MS)
    expect(page.locator("#balance")).to_have_text("余额：88.88")
    # The live list, sent to this page alone: its labels in Chinese too.
    options = model_options(page)
    assert "deepseek-ai/DeepSeek-R1 · 🧠 推理" in options
    assert "fake/echo" in options
    assert english_hints(options) == []
