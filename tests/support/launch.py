"""Launching the real app in-process against a fake SiliconFlow, and the
process set-up the tests need. Importing this module changes nothing; the
set-up is two explicit calls, :func:`isolate_environment` and
:func:`patient_launch_check`, made by tests/conftest.py."""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.support import TEST_KEY
from tests.support.sfserver import FakeSiliconFlow

__all__ = [
    "PATIENT_HTTP", "LaunchedApp", "app_launcher", "free_port", "isolate_environment", "no_limits",
    "patient_launch_check",
    "patient_url_ok",
]

# gradio_client's HTTP calls time out after a few seconds by default, too short
# for a 2-core CI machine running 10+ sessions at once.
PATIENT_HTTP = {"timeout": 60}


def isolate_environment() -> None:
    """No analytics, no Hugging Face Hub, and no server key or base URL from the
    developer's environment: tests never read a developer's real settings,
    every setting is explicit. Call it before gradio is imported."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.pop("SILICONFLOW_API_KEY", None)
    os.environ.pop("SILICONFLOW_BASE_URL", None)
    # The demo's counters of an app a test builds itself go to a folder of this process's.
    os.environ["SFUI_DATA_DIR"] = tempfile.mkdtemp(prefix="sfui-tests-data-")


def no_limits() -> dict[str, float]:
    """Settings.limits_chosen with every limit of the public demo off (0)."""
    from sfui.budget_limits import VARIABLES

    return {name: 0 for name in VARIABLES}


def patient_url_ok(url: str, deadline: float = 30.0) -> bool:
    """Gradio's launch() checks its own server with a few 3 s HEAD requests and
    gives up ("localhost is not accessible") when a loaded CI machine is slow to
    answer. Same check, more patience; a server that never answers still fails."""
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


def patient_launch_check() -> None:
    """Make every later ``launch()`` in this process use :func:`patient_url_ok`
    (patches ``gradio.networking.url_ok``)."""
    import gradio.networking

    gradio.networking.url_ok = patient_url_ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LaunchedApp:
    def __init__(self, demo: Any, url: str, fake: FakeSiliconFlow, settings: Any) -> None:
        self.demo = demo
        self.url = url
        self.fake = fake
        self.settings = settings


@contextmanager
def app_launcher(fake: FakeSiliconFlow) -> Iterator[Callable[..., LaunchedApp]]:
    """Yields ``launch(api_key=TEST_KEY, **settings)``, which starts the real app
    (sfui.ui.build_demo) talking to ``fake`` unless ``base_url`` is overridden;
    every app launched is closed on exit."""
    from sfui.config import Settings
    from sfui.ui import build_demo, launch_options, queue_options

    launched: list[LaunchedApp] = []

    def launch(api_key: str | None = TEST_KEY, **overrides: Any) -> LaunchedApp:
        # The demo's limits are off unless a test sets them (tests/test_budget*.py do): the
        # other tests send faster than a person, all from 127.0.0.1. Each app keeps its
        # counters in a folder of its own.
        overrides.setdefault("limits_chosen", no_limits())
        overrides.setdefault("data_dir", tempfile.mkdtemp(prefix="sfui-tests-data-"))
        settings = Settings(**{"api_key": api_key, "base_url": fake.base_url, **overrides})
        demo = build_demo(settings)
        port = free_port()
        demo.queue(**queue_options(settings)).launch(
            server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
            **launch_options(settings, demo),
        )
        app = LaunchedApp(demo, f"http://127.0.0.1:{port}/", fake, settings)
        launched.append(app)
        return app

    try:
        yield launch
    finally:
        for app in launched:
            app.demo.close()
