"""Shared fixtures: the fake SiliconFlow server, clients, the app launched
against it, and a real Chromium driven by Playwright. The helpers themselves
live in tests/support/ (importable by tests and bench alike, without side
effects); the process set-up they need is done here, once, at start-up."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support import TEST_KEY
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Visitor
from tests.support.launch import app_launcher, isolate_environment, patient_launch_check
from tests.support.page import WAIT_MS
from tests.support.sfserver import FakeSiliconFlow


def own_gradio_folder() -> None:
    """Give this process its own Gradio file cache, removed at exit. Gradio caches
    files at paths made from their content, in one folder per machine (/tmp/gradio),
    and an app that closes deletes every file it cached; sfui deletes an upload once
    Send has read it. Two test processes at once (pytest-xdist's workers, or two runs
    on one machine) would delete each other's files while their apps serve them."""
    folder = tempfile.mkdtemp(prefix="sfui-tests-gradio-")
    os.environ["GRADIO_TEMP_DIR"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


# Tests never read a developer's real settings, Gradio's launch() waits patiently
# for its own server on a loaded machine, and each test process has its own Gradio
# files. All before any test module (or gradio) is imported.
isolate_environment()
own_gradio_folder()
patient_launch_check()

# Every Playwright expect and wait waits as long as the page object's one wait (WAIT_MS): the
# defaults (5 s, 30 s) failed on a loaded 2-core CI machine. Nothing here is timed.
expect.set_options(timeout=WAIT_MS)

# Any test using one of these fixtures drives a real Chromium: it is marked
# ``browser`` automatically (see pytest_collection_modifyitems).
BROWSER_FIXTURES = frozenset({"browser", "page", "visitors"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def fake():
    """A fresh fake SiliconFlow on 127.0.0.1 that expects TEST_KEY."""
    with FakeSiliconFlow(api_key=TEST_KEY) as server:
        yield server


@pytest.fixture
def client(fake):
    from sfui import SiliconFlowClient

    return SiliconFlowClient(TEST_KEY, fake.base_url, max_retries=2, backoff_factor=0.05, read_timeout=5)


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
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(WAIT_MS)
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


@pytest.fixture
def visitors(browser):
    """Factory: ``visitors(url, locale="en-US", **context_options) -> Visitor`` (``viewport`` too),
    each in its own browser context (its own cookies, storage and Gradio session)."""
    contexts = []

    def _open(url: str, locale: str = "en-US", **options) -> Visitor:
        context = browser.new_context(locale=locale, **{"viewport": VIEWPORT, **options})
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return Visitor(context.new_page()).open(url)

    yield _open
    for context in contexts:
        context.close()
