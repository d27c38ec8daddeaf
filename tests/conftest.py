"""Shared fixtures: the fake SiliconFlow server, clients, the app launched
against it, and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import sys
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


@pytest.fixture
def launch_app(fake):
    """Factory: launch the real app (sfui.ui.build_demo) against `fake`.
    ``launch_app(api_key=None)`` starts it without a server key."""
    from sfui.config import Settings
    from sfui.ui import build_demo, launch_options, queue_options

    launched = []

    def _launch(api_key: str | None = TEST_KEY, **overrides) -> LaunchedApp:
        settings = Settings(api_key=api_key, base_url=fake.base_url, **overrides)
        demo = build_demo(settings)
        port = free_port()
        options = launch_options(settings)
        demo.queue(**queue_options(settings)).launch(
            server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **options
        )
        app = LaunchedApp(demo, f"http://127.0.0.1:{port}/", fake, settings)
        launched.append(app)
        return app

    yield _launch
    for app in launched:
        app.demo.close()


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
