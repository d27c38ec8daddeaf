"""Idle sessions let go (sfui/sessions.py, sfui/ui/sessions.py): which ones, with a clock the
test moves; then in a launched app with a TTL of a second, through Gradio's queue protocol: a
page's session leaves Gradio's memory, and the page's next question is answered with the message
(in English and Chinese) instead of going out; an answer streaming past the TTL is never cut;
an API caller's session is let go without a word. The message in a real browser:
tests/test_sessions_browser.py."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from sfui.config import Settings
from sfui.i18n import t
from sfui.sessions import DEFAULT_SESSION_TTL, IdleSessions, sweep_every
from tests.support.asyncutil import run_async
from tests.support.page import WAIT_MS
from tests.test_budget_app import Event, call_event, session, upstream_events

WAIT_S = WAIT_MS / 1000  # the suite's one generous wait: nothing here is timed


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sessions_idle_past_the_ttl_and_not_busy_are_let_go():
    clock = Clock()
    sessions = IdleSessions(60.0, clock)
    last_used = {"old": 900.0, "busy": 900.0, "recent": 990.0, "edge": 940.0}
    assert sessions.idle(last_used, busy=lambda s: s == "busy") == ["old"]
    clock.now = 1001.0
    assert sessions.idle(last_used, busy=lambda s: False) == ["old", "busy", "edge"]
    assert IdleSessions(0, clock).idle(last_used, busy=lambda s: False) == []  # 0: never


def test_a_page_let_go_is_told_once_and_the_memory_of_them_is_bounded():
    sessions = IdleSessions(60.0, Clock(), remembered=3)
    sessions.let_go(["a", "b"])
    assert sessions.came_back("a") and not sessions.came_back("a")  # told once
    assert not sessions.came_back("never-let-go") and not sessions.came_back(None)
    sessions.let_go(["c", "d", "e"])
    assert len(sessions) == 3 and not sessions.came_back("b")  # the oldest forgotten first
    assert sessions.came_back("e")


def test_the_ttl_setting_and_the_sweeps():
    assert Settings.from_env().session_ttl == DEFAULT_SESSION_TTL == 3600
    assert sweep_every(3600) == 60 and sweep_every(1) == 0.5 and sweep_every(20) == 5


def test_the_ttl_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SFUI_SESSION_TTL", "90")
    assert Settings.from_env().session_ttl == 90
    monkeypatch.setenv("SFUI_SESSION_TTL", "-5")
    assert Settings.from_env().session_ttl == 0


# --- in a launched app ------------------------------------------------------------------------------

TTL = 1.0


def named_event(app, name: str) -> Event:
    config = httpx.get(app.url + "config", timeout=30).json()
    components = {c["id"]: c for c in config["components"]}
    dep = next(d for d in config["dependencies"] if d.get("api_name") == name)
    return Event(dep["id"], name, [components[i] for i in dep["inputs"]])


def gradio_sessions(app) -> dict:
    return app.demo.server_app.state_holder.session_data


def wait_until_let_go(app, session_hash: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while session_hash in gradio_sessions(app) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_hash not in gradio_sessions(app)


def asked(app, marker: str) -> int:
    return sum(marker in str(request.body) for request in app.fake.chat_received())


@pytest.fixture(scope="module")
def app(launch_module_app):
    """One app for the module: every test uses questions of its own."""
    return launch_module_app(session_ttl=TTL)


def test_a_page_that_comes_back_after_its_session_was_let_go_is_told_and_sends_nothing(app):
    register, after_send = named_event(app, "register"), named_event(app, "after_send")
    send = next(event for event in upstream_events(app) if event.name == "respond_in_page")
    page = session()

    async def scenario(headers: dict, lang: str) -> None:
        first, later = f"first question {lang}", f"after a long lunch {lang}"
        async with httpx.AsyncClient(base_url=app.url, timeout=WAIT_S) as http:
            loaded = await call_event(http, register.fn_index, ["", None], page, headers=headers)
            assert loaded.completed and page in gradio_sessions(app)
            answered = await call_event(http, send.fn_index, send.data(first), page, headers=headers)
            assert answered.completed and asked(app, first) == 1
            wait_until_let_go(app, page)
            back = await call_event(http, send.fn_index, send.data(later), page, headers=headers)
            assert back.warnings == [t(lang, "session_expired", minutes=1)]
            assert asked(app, later) == 0  # nothing went out: the pasted key is gone
            # The message goes back in the box, whole: the step after Send's streaming step gives it back.
            given = await http.post("gradio_api/run/predict", headers=headers, json={
                "data": [[]], "fn_index": after_send.fn_index, "session_hash": page})
            given.raise_for_status()
            assert {"text": later, "files": []} in given.json()["data"]
            again = await call_event(http, send.fn_index, send.data(later), page, headers=headers)
            assert not again.warnings and asked(app, later) == 1  # told once: then it goes

    run_async(scenario({"accept-language": "en-US"}, "en"))
    page = session()
    run_async(scenario({"accept-language": "zh-CN,zh;q=0.9"}, "zh"))
    assert "请重新粘贴" in t("zh", "session_expired", minutes=1) and "paste it again" in t("en", "session_expired",
                                                                                         minutes=1)


def test_an_answer_streaming_past_the_ttl_is_not_cut_and_an_api_caller_is_not_told(app):
    chat = next(event for event in upstream_events(app) if event.name == "chat")
    streaming, caller = session(), session()

    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=app.url, timeout=WAIT_S) as http:
            # fake/slow-first is silent for 3 s before it answers: three TTLs pass meanwhile.
            slow = chat.data("#fake:slow-first the whole answer")
            long_answer = asyncio.create_task(call_event(http, chat.fn_index, slow, streaming))
            first = await call_event(http, chat.fn_index, chat.data("api question"), caller)
            assert first.completed and not first.warnings
            wait_until_let_go(app, caller)
            assert streaming in gradio_sessions(app)  # busy: kept
            again = await call_event(http, chat.fn_index, chat.data("api again"), caller)
            assert again.completed and not again.warnings and asked(app, "api again") == 1
            done = await long_answer
            assert done.completed and not done.error and not done.warnings
            assert "Echo: the whole answer" in str(done.frames[-1][0])

    run_async(scenario())


# --- lean sessions: no copy of every component's config per session ----------------------------------


def test_a_lean_session_is_gradios_session_without_the_config_copy_until_it_is_read():
    """Same attributes and behaviour as Gradio's SessionState (so a Gradio upgrade that changes
    SessionState fails here); the config copy is built only when read, and then equals Gradio's."""
    import gradio as gr
    from gradio.state_holder import SessionState

    from sfui.ui.sessions import LeanSessionState

    with gr.Blocks() as demo:
        state = gr.State("default")
        box = gr.Textbox("hello")
    gradio_session, lean = SessionState(demo), LeanSessionState(demo)
    assert set(vars(gradio_session)) - {"config_values"} <= set(vars(lean))
    assert lean._config_values is None
    for kept in (gradio_session, lean):
        assert kept[state._id] == "default"
        kept[state._id] = "changed"
        kept[box._id] = gr.Textbox("updated")
        assert kept[state._id] == "changed" and kept[box._id].value == "updated"
    assert lean._config_values is None  # updates never built it
    # Read (a deep link would): built then, with the components as they are now.
    assert [c["id"] for c in lean.components] == [c["id"] for c in gradio_session.components]
    assert lean.config_values[box._id]["props"]["value"] == "updated"


def test_the_app_keeps_lean_sessions(app):
    from sfui.ui.sessions import LeanSessionState, LeanStateHolder

    chat = next(event for event in upstream_events(app) if event.name == "chat")
    caller = session()

    async def one_chat() -> None:
        async with httpx.AsyncClient(base_url=app.url, timeout=WAIT_S) as http:
            assert (await call_event(http, chat.fn_index, chat.data("lean"), caller)).completed

    run_async(one_chat())
    holder = app.demo.server_app.state_holder
    assert isinstance(holder, LeanStateHolder)
    kept = holder.session_data[caller]
    assert isinstance(kept, LeanSessionState) and kept._config_values is None


@pytest.mark.parametrize("name", ["respond_in_page", "respond_anyway", "regenerate", "edit", "stream", "run_again"])
def test_every_page_event_that_asks_is_held_back_once_after_the_session_was_let_go(app, name):
    """The page's events that send a question (Send, Send anyway, Retry, Edit, Compare's Send,
    Run again): after the session was let go, the first one tells the visitor and sends nothing."""
    register = named_event(app, "register")
    event = next(e for e in upstream_events(app) if e.name == name)
    page, marker = session(), f"back-{name}"

    async def scenario() -> None:
        async with httpx.AsyncClient(base_url=app.url, timeout=WAIT_S) as http:
            assert (await call_event(http, register.fn_index, ["", None], page)).completed
            wait_until_let_go(app, page)
            back = await call_event(http, event.fn_index, event.data(marker), page, event_data=event.event_data(marker))
            assert back.warnings == [t("en", "session_expired", minutes=1)]
            assert asked(app, marker) == 0

    run_async(scenario())
