"""Gradio's login check runs on the event loop in sfui (sfui/ui/gradio_login_check.py): a
queue join, its event stream and the page's config cost no hop to a worker thread. An app
with a Gradio login keeps Gradio's own check, which still refuses a visitor without one."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import fastapi.dependencies.utils as fastapi_dependencies
import gradio as gr
import pytest
import requests

from sfui.ui.gradio_login_check import login_check_on_the_loop
from sfui.ui.page import _lifespan
from tests.support.launch import free_port


@contextlib.contextmanager
def thread_hops():
    """Counts FastAPI's hand-overs of plain dependencies to a worker thread (the app is in
    this process, as the launch_app fixture starts it)."""
    calls: list[str] = []
    original = fastapi_dependencies.run_in_threadpool

    async def counting(func, *args, **kwargs):
        calls.append(getattr(func, "__name__", "?"))
        return await original(func, *args, **kwargs)

    fastapi_dependencies.run_in_threadpool = counting
    try:
        yield calls
    finally:
        fastapi_dependencies.run_in_threadpool = original


def test_queue_requests_and_the_config_check_the_login_on_the_loop(launch_app):
    app = launch_app()
    with thread_hops() as calls:
        assert requests.get(app.url + "config", timeout=10).status_code == 200
        # An empty join is refused (422), after its dependencies ran: the login check among them.
        assert requests.post(app.url + "gradio_api/queue/join", json={}, timeout=10).status_code == 422
        data = requests.get(app.url + "gradio_api/queue/data", params={"session_hash": "nobody"}, timeout=10,
                            stream=True)
        data.close()
    assert "login_check" not in calls, calls
    assert any(getattr(check, "__name__", "") == "login_check" for check in app.demo.app.dependency_overrides)


def test_an_app_with_a_login_keeps_gradios_check():
    with gr.Blocks() as demo:
        gr.Markdown("hi")
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                auth=("user", "secret"), app_kwargs={"lifespan": _lifespan(None)})
    try:
        assert demo.app.dependency_overrides == {}
        assert requests.get(f"http://127.0.0.1:{port}/config", timeout=10).status_code == 401
    finally:
        demo.close()


@pytest.mark.parametrize("login", [{"auth": ("u", "p")}, {"auth_dependency": lambda request: "u"}])
def test_either_kind_of_login_is_left_alone(login):
    app = SimpleNamespace(auth=None, auth_dependency=None, routes=[], dependency_overrides={})
    for name, value in login.items():
        setattr(app, name, value)
    assert login_check_on_the_loop(app) is False
    assert app.dependency_overrides == {}
