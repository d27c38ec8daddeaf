"""Shared fixtures: the fake SiliconFlow server, clients, the app launched
against it, and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Tests never read a developer's real .env: every setting is explicit.
os.environ.pop("SILICONFLOW_API_KEY", None)
os.environ.pop("SILICONFLOW_BASE_URL", None)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sfserver import FakeSiliconFlow  # noqa: E402

TEST_KEY = "sk-test-0123456789"
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


# gradio_client's HTTP calls time out after a few seconds by default, too short
# for a 2-core CI machine running 10+ sessions at once.
PATIENT_HTTP = {"timeout": 60}


def _patient_url_ok(url: str, deadline: float = 30.0) -> bool:
    """Gradio's launch() checks its own server with a few 3 s HEAD requests and
    gives up ("localhost is not accessible") when a loaded CI machine is slow to
    answer. Same check, more patience; a server that never answers still fails."""
    import time

    import httpx

    give_up = time.monotonic() + deadline
    while time.monotonic() < give_up:
        try:
            if httpx.head(url, timeout=5).status_code < 400:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


import gradio.networking  # noqa: E402

gradio.networking.url_ok = _patient_url_ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fake():
    """A fresh fake SiliconFlow on 127.0.0.1 that expects TEST_KEY."""
    with FakeSiliconFlow(api_key=TEST_KEY) as server:
        yield server


@pytest.fixture
def client(fake):
    from sfui import SiliconFlowClient

    return SiliconFlowClient(TEST_KEY, fake.base_url, max_retries=2, backoff_factor=0.05, read_timeout=5)


class LaunchedApp:
    def __init__(self, demo, url: str, fake: FakeSiliconFlow, settings) -> None:
        self.demo = demo
        self.url = url
        self.fake = fake
        self.settings = settings


@contextmanager
def app_launcher(fake: FakeSiliconFlow):
    """Yields ``launch(api_key=TEST_KEY, **settings)``, which starts the real app
    (sfui.ui.build_demo) talking to ``fake`` unless ``base_url`` is overridden;
    every app launched is closed on exit."""
    from sfui.config import Settings
    from sfui.ui import build_demo, launch_options, queue_options

    launched: list[LaunchedApp] = []

    def launch(api_key: str | None = TEST_KEY, **overrides) -> LaunchedApp:
        settings = Settings(**{"api_key": api_key, "base_url": fake.base_url, **overrides})
        demo = build_demo(settings)
        port = free_port()
        demo.queue(**queue_options(settings)).launch(
            server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options(settings)
        )
        app = LaunchedApp(demo, f"http://127.0.0.1:{port}/", fake, settings)
        launched.append(app)
        return app

    try:
        yield launch
    finally:
        for app in launched:
            app.demo.close()


@pytest.fixture
def launch_app(fake):
    """Factory: launch the real app against `fake`. ``launch_app(api_key=None)``
    starts it without a server key."""
    with app_launcher(fake) as launch:
        yield launch


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium is a failure,
    not a skip: a skipped browser test proves nothing."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run .ci/run (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    yield pg
    context.close()


# --- Module-scoped apps (added for the fault matrix, secrets, inputs and soak tests) ---


@pytest.fixture(scope="module")
def module_fake():
    """A fake SiliconFlow shared by every test of a module (call ``.reset()`` between tests)."""
    with FakeSiliconFlow(api_key=TEST_KEY) as server:
        yield server


@pytest.fixture(scope="module")
def launch_module_app(module_fake):
    """Factory like ``launch_app``, but the apps live for the whole module (one
    launch per configuration, not per test) and ``base_url`` may be overridden
    (a closed port, an unresolvable host). ``LaunchedApp.fake`` is always
    ``module_fake``, even when the app does not talk to it."""
    with app_launcher(module_fake) as launch:
        yield launch


class ChatAPI:
    """The app's public ``/chat`` and ``/retry`` endpoints, called the way a
    gradio_client user calls them. ``lang`` sets the Accept-Language header
    (the app answers in the visitor's language)."""

    # Keyword names are the handler's parameters, as client.view_api() lists them.
    CONTROLS = dict(
        model="Qwen/Qwen3-8B", system_prompt="", temperature=0.7, top_p=0.7, top_k=50, max_tokens=512,
        frequency_penalty=0.5, stop="", enable_thinking="default", thinking_budget="", min_p="",
        response_format="text", tools="",
    )

    def __init__(self, url: str, lang: str = "en") -> None:
        from gradio_client import Client

        accept = "zh-CN,zh;q=0.9" if lang == "zh" else "en-US,en;q=0.9"
        self.client = Client(url, verbose=False, headers={"Accept-Language": accept}, httpx_kwargs=PATIENT_HTTP)

    def chat(self, message: str, history: list | tuple = (), timeout: float = 60, **controls) -> "ChatReply":
        job = self.client.submit(
            message=message, history=list(history), api_name="/chat", **{**self.CONTROLS, **controls}
        )
        job.result(timeout=timeout)  # raises the app's error, if any
        return ChatReply(job.outputs(), chatbot_index=0)

    def retry(self, history: list, timeout: float = 60, **controls) -> "ChatReply":
        job = self.client.submit(history=list(history), api_name="/retry", **{**self.CONTROLS, **controls})
        job.result(timeout=timeout)
        return ChatReply(job.outputs(), chatbot_index=0)

    def close(self) -> None:
        self.client.close()


class ChatReply:
    """Every output a call streamed, in order; ``history`` is the final chat."""

    def __init__(self, outputs: list, chatbot_index: int) -> None:
        self.outputs = [tuple(o) for o in outputs]
        self.histories = [o[chatbot_index] for o in self.outputs if isinstance(o[chatbot_index], list)]
        self.history = self.histories[-1] if self.histories else None


def message_text(message: dict) -> str:
    """The text of a chat message as gradio_client returns it (content blocks)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(block.get("text") or "" for block in content or () if isinstance(block, dict))


class Visitor:
    """One browser tab on the app, with the few actions the tests need."""

    WAIT_MS = 60_000  # generous: a loaded 2-core CI box can be very slow; nothing here is timed

    def __init__(self, page) -> None:
        self.page = page

    def open(self, url: str) -> "Visitor":
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
        self.page.locator("#api-key input").fill(key)
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


@pytest.fixture
def visitors(browser):
    """Factory: ``visitors(url, locale="en-US", **context_options) -> Visitor``,
    each in its own browser context (its own cookies, storage and Gradio session)."""
    contexts = []

    def _open(url: str, locale: str = "en-US", **options) -> Visitor:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale, **options)
        contexts.append(context)
        return Visitor(context.new_page()).open(url)

    yield _open
    for context in contexts:
        context.close()
