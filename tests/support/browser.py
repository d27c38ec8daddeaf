"""Debian's Chromium (never one downloaded by Playwright), the browser contexts the tests
open, and one browser tab on the app as a visitor (the ``visitors`` fixture's), whose
actions are those of :mod:`.page`."""

from __future__ import annotations

import os

from tests.support import page as app_page

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "PHONE", "VIEWPORT", "ZH_CONTEXT", "Visitor"]

CHROMIUM = os.environ.get("SFUI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 1000}
PHONE = {"width": 400, "height": 800}
# A Chinese visitor: the browser's language (Gradio's labels) and the header (the server's text).
ZH_CONTEXT = dict(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})


class Visitor:
    """One browser tab on the app, with the few actions the tests need."""

    WAIT_MS = app_page.WAIT_MS

    def __init__(self, page) -> None:
        self.page = page

    def open(self, url: str) -> Visitor:
        app_page.watch_events(self.page)  # so that a test can wait until every event has ended
        app_page.open_app(self.page, url)
        return self

    def send(self, text: str) -> None:
        """Put ``text`` in the message box and press Enter. The text is set by
        script: typing a megabyte key by key would take minutes."""
        app_page.send(self.page, text, by_script=True)

    def wait_for_chat(self, text: str) -> None:
        self.page.wait_for_function(
            f"(t) => document.querySelector('{app_page.CHAT}').innerText.includes(t)", arg=text,
            timeout=self.WAIT_MS,
        )

    def chat_text(self) -> str:
        return self.page.locator(app_page.CHAT).inner_text()

    def wait_for_key_status(self, text: str) -> None:
        self.page.wait_for_function(
            "(t) => document.querySelector('#key-status').innerText.includes(t)", arg=text, timeout=self.WAIT_MS
        )

    def use_key(self, key: str) -> None:
        """Paste ``key`` in the key card; the card is folded away while a key is in
        use, so open it first (Change key / Use my own key)."""
        box = self.page.locator(app_page.KEY_BOX)
        if not box.is_visible():
            self.page.locator("#api-key-change").click()
        box.fill(key, timeout=self.WAIT_MS)
        self.page.locator("#api-key-btn").click()

    def forget_key(self) -> None:
        self.page.locator("#api-key-forget").click()

    def warning(self, containing: str) -> str:
        """Wait for a warning toast (gr.Warning) containing ``containing``,
        return its text and close it, so the next one can be told apart."""
        return app_page.read_toast(self.page, containing, kind="warning", close=True)
