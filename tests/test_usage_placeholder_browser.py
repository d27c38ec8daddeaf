"""The usage panel's placeholder is in the page's language as the page loads (sfui/ui/keys.py:
USAGE_PLACEHOLDER_JS, in the browser), and no step that waits for the server puts it there:
the step that reads the model list used to, and under load it ended after a first answer,
whose figures it replaced (the browser suite caught it twice in CI)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sfui.config import Settings
from sfui.i18n import t
from sfui.ui.page import build_demo
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import WAIT_MS, ask, open_app, status_cell


def test_no_load_step_of_the_server_writes_the_usage_panel():
    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    usage = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "usage-panel")
    on_load = [dep for dep in config["dependencies"] if any(target[1] == "load" for target in dep["targets"])]
    writers = [dep for dep in on_load if usage in dep["outputs"]]
    assert writers and all(not dep["backend_fn"] for dep in writers)  # the browser's own step only


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_placeholder_is_in_the_pages_language(launch_app, browser, lang):
    app = launch_app()
    context = browser.new_context(viewport=VIEWPORT, **(ZH_CONTEXT if lang == "zh" else {"locale": "en-US"}))
    try:
        page = open_app(context.new_page(), app.url)
        expect(page.locator("#usage-panel")).to_contain_text(t(lang, "usage_empty"), timeout=WAIT_MS)
        ask(page, "#fake:error-401 hello")  # the first answer's figures replace it
        expect(status_cell(page)).to_have_text(t(lang, "status_error"), timeout=WAIT_MS)
    finally:
        context.close()
