"""The apps under test, each run as a real ``python <script>`` subprocess.

:class:`AppSpec` says how to start an app and how to talk to it (which textarea
to type into, how to call its ``/chat`` endpoint with ``gradio_client``);
:class:`AppProcess` starts one on a free port, times its cold start (spawn ->
HTTP 200 on ``/``), reports its CPU time and memory, and stops it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests

from bench.common import ROOT, TEST_KEY, free_port, message_text
from sfui.budget_limits import VARIABLES
from tests.support.page import CHAT_INTERFACE_BOX, MESSAGE_BOX

READY_TIMEOUT = 120.0  # seconds; a cold Gradio import on a busy 2-core box takes ~3 s


def _sfui_chat(client: Any, message: str) -> Any:
    """sfui's /chat takes every control; those without a default get "" (an empty
    box in the page: the model's default). Read from the API, not hard-coded, so
    renaming a control does not break the benchmark."""
    endpoint = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/chat"]
    required = {p["parameter_name"]: "" for p in endpoint["parameters"] if not p.get("parameter_has_default")}
    return client.predict(**{**required, "message": message, "history": []}, api_name="/chat")


def _chat_interface_chat(client: Any, message: str) -> Any:
    return client.predict(message, api_name="/chat")


def _sfui_answer(outputs: list) -> str:
    """The answer text in /chat's outputs: (chat messages, reasoning, usage); the bare
    page's /chat has the chat messages alone."""
    messages = outputs[0] if outputs else []
    texts = [message_text(m) for m in messages or () if isinstance(m, dict) and m.get("role") == "assistant"]
    return texts[-1] if texts else ""


def _chat_interface_answer(outputs: list) -> str:
    """gr.ChatInterface's /chat streams the accumulated answer (then its history state)."""
    return outputs[0] if outputs and isinstance(outputs[0], str) else ""


@dataclass(frozen=True)
class AppSpec:
    """How to run and drive one app."""

    name: str
    script: str  # relative to the repository root
    input_selector: str = ""  # the message box (Playwright selector); empty: no chat UI
    call_chat: Callable[[Any, str], Any] | None = None  # one /chat call through gradio_client
    answer_text: Callable[[list], str] = str  # the answer text in /chat's outputs as streamed
    has_compare: bool = False  # a Compare tab (bench/measure_compare.py drives it)

    @property
    def has_chat(self) -> bool:
        return bool(self.input_selector)


SFUI = AppSpec("sfui", "app.py", MESSAGE_BOX, _sfui_chat, _sfui_answer, has_compare=True)
BASELINE = AppSpec("baseline", "bench/baseline_app.py", CHAT_INTERFACE_BOX, _chat_interface_chat,
                   _chat_interface_answer)
BARE = AppSpec("bare Gradio", "bench/bare_app.py", "#bare-input textarea", answer_text=_sfui_answer)


def app_env(upstream_url: str, port: int) -> dict[str, str]:
    """The environment of an app under test: pointed at the fake upstream, on its own port.
    Every setting is explicit so a developer's ``.env`` cannot change the figures."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SILICONFLOW_", "SFUI_", "GRADIO_"))}
    env.update(
        SILICONFLOW_BASE_URL=upstream_url,
        SILICONFLOW_API_KEY=TEST_KEY,  # the key the fake upstream expects
        GRADIO_SERVER_NAME="127.0.0.1",
        GRADIO_SERVER_PORT=str(port),
        GRADIO_ANALYTICS_ENABLED="False",
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    # The public demo's limits off: every visitor of a benchmark comes from 127.0.0.1, faster
    # than a person (bench/budget.py measures the limits themselves).
    env.update({variable: "0" for variable in VARIABLES.values()})
    return env


@dataclass
class AppProcess:
    """One running app. ``with AppProcess.start(spec, url) as app: ...`` stops it afterwards."""

    spec: AppSpec
    url: str
    popen: subprocess.Popen
    cold_start: float  # seconds from spawning the interpreter to the first HTTP 200 on /
    _ps: psutil.Process = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._ps = psutil.Process(self.popen.pid)

    @classmethod
    def start(cls, spec: AppSpec, upstream_url: str, log_path: Path | None = None, *,
              env: dict[str, str] | None = None, cpus: set[int] | None = None) -> AppProcess:
        """``env``: settings of the app's own over the benchmark's; ``cpus``: run it on these cores only."""
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL
        started = time.perf_counter()
        popen = subprocess.Popen(
            [sys.executable, spec.script], cwd=ROOT, env={**app_env(upstream_url, port), **(env or {})},
            stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=None if cpus is None else lambda: os.sched_setaffinity(0, cpus),
        )
        if log_path:
            log.close()  # the child has its own copy of the descriptor
        try:
            _wait_until_serving(url, popen)
        except BaseException:
            _terminate(popen)
            raise
        return cls(spec, url, popen, time.perf_counter() - started)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the app so far, children included."""
        t = self._ps.cpu_times()
        return t.user + t.system + t.children_user + t.children_system

    def rss_mb(self) -> float:
        return self._ps.memory_info().rss / 2**20

    def stop(self) -> None:
        _terminate(self.popen)

    def __enter__(self) -> AppProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_until_serving(url: str, popen: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    with requests.Session() as http:
        while time.monotonic() < deadline:
            if popen.poll() is not None:
                raise RuntimeError(f"{popen.args} exited with status {popen.returncode} before serving")
            try:
                if http.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet
            time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer within {READY_TIMEOUT:.0f} s")


def _terminate(popen: subprocess.Popen) -> None:
    if popen.poll() is None:
        popen.terminate()
        try:
            popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait()
