"""Debian's Chromium (never one downloaded by Playwright) and one browser tab
on the app, with the few actions the tests need."""

from __future__ import annotations

import os

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "VIEWPORT", "Visitor"]

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


class Visitor:
    """One browser tab on the app, with the few actions the tests need."""

    WAIT_MS = 60_000  # generous: a loaded 2-core CI box can be very slow; nothing here is timed

    def __init__(self, page) -> None:
        self.page = page

    def open(self, url: str) -> Visitor:
        self.page.goto(url)
        self.page.locator("#user-input textarea").wait_for(timeout=self.WAIT_MS)  # Gradio renders after load
        return self

    def send(self, text: str) -> None:
        """Put ``text`` in the message box and press Enter. The text is set by
        script: typing a megabyte key by key would take minutes."""
        self.page.evaluate(
            """(text) => {
                const box = document.querySelector('#user-input textarea');
                box.value = text;
                box.dispatchEvent(new Event('input', {bubbles: true}));
            }""",
            text,
        )
        self.page.locator("#user-input textarea").press("Enter")

    def wait_for_chat(self, text: str) -> None:
        self.page.wait_for_function(
            "(t) => document.querySelector('#chatbot').innerText.includes(t)", arg=text, timeout=self.WAIT_MS
        )

    def chat_text(self) -> str:
        return self.page.locator("#chatbot").inner_text()

    def wait_for_key_status(self, text: str) -> None:
        self.page.wait_for_function(
            "(t) => document.querySelector('#key-status').innerText.includes(t)", arg=text, timeout=self.WAIT_MS
        )

    def use_key(self, key: str) -> None:
        """Paste ``key`` in the key card; the card is folded away while a key is in
        use, so open it first (Change key / Use my own key)."""
        box = self.page.locator("#api-key input")
        if not box.is_visible():
            self.page.locator("#api-key-change").click()
        box.fill(key, timeout=self.WAIT_MS)
        self.page.locator("#api-key-btn").click()

    def forget_key(self) -> None:
        self.page.locator("#api-key-forget").click()

    def warning(self, containing: str) -> str:
        """Wait for a warning toast (gr.Warning) containing ``containing``,
        return its text and close it, so the next one can be told apart."""
        toast = self.page.locator('[data-testid="toast-body"].warning').filter(has_text=containing).first
        toast.wait_for(timeout=self.WAIT_MS)
        text = toast.locator('[data-testid="toast-text"]').inner_text()
        toast.locator('[data-testid="toast-close"]').click()
        toast.wait_for(state="detached", timeout=self.WAIT_MS)
        return text
