"""The real app (sfui.ui) launched against the fake SiliconFlow, driven through
its public API with gradio_client, the way any API client would use it.

/chat takes (message, history, model, system_prompt, then one parameter per request
field of sfui.params.FIELDS, named after it: temperature, top_p, ..., seed) and
streams (chatbot, reasoning, usage);
/retry takes the same without ``message`` and streams (chatbot, reasoning, usage).
History goes in and comes out in Gradio 6's normalized form: content is a list
of ``{"type": "text", "text": ...}`` blocks.

gr.Warning reaches a gradio_client caller only as a status update with
``log=(text, "warning")`` in the job's update stream (``async for update in job``);
plain iteration and ``result()`` do not show it. A handler that refuses input
returns without output, so the client gets no chatbot value back at all.
"""

from __future__ import annotations

import functools
import json
import time

import pytest
import requests
from gradio_client import Client

from sfui.api import errors
from sfui.i18n import t
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import PATIENT_HTTP
from tests.support.sfserver import (
    bare_error_after,
    drop_after,
    error,
    html_page,
    stream,
)

MODEL = "Qwen/Qwen3-8B"
RESULT_TIMEOUT = 60  # seconds; generous, a normal call takes well under one
# /chat has no defaults for these (their components start with no value): an
# API client must always pass them. The model is pinned so tests do not depend
# on the configured default.
REQUIRED = dict(model=MODEL, system_prompt="", stop="", tools="")
UI_DEFAULTS = {"temperature": 0.7, "top_p": 0.7, "top_k": 50, "max_tokens": 512, "frequency_penalty": 0.5}
TRACEBACK_MARKERS = ("Traceback", 'File "')


# --- helpers -------------------------------------------------------------------------------


class Run:
    """One finished call: every streamed output in order, and the warnings shown."""

    def __init__(self, job) -> None:
        job.result(timeout=RESULT_TIMEOUT)
        self.job = job
        self.outputs: list[tuple] = list(job.outputs())

    @functools.cached_property
    def warnings(self) -> list[str]:
        # The job is over, so its update queue is complete; reading it costs
        # the client's 0.5 s end-of-stream poll, hence only on demand.
        return run_async(_warnings(self.job))

    @property
    def final(self) -> tuple:
        assert self.outputs, "the call produced no output"
        return self.outputs[-1]

    @property
    def chatbot(self) -> list[dict]:
        return self.final[0]

    def transcript(self) -> str:
        """Everything the client received, as one string (for "never appears" checks)."""
        return json.dumps([self.outputs, self.warnings], ensure_ascii=False, default=str)


async def _warnings(job) -> list[str]:
    return [u.log[0] for u in [u async for u in job] if getattr(u, "log", None) and u.log[1] == "warning"]


def submit_chat(api: Client, message: str, history: list | None = None, **controls):
    return api.submit(message=message, history=history or [], api_name="/chat", **{**REQUIRED, **controls})


def chat(api: Client, message: str, history: list | None = None, **controls) -> Run:
    return Run(submit_chat(api, message, history, **controls))


def retry(api: Client, history: list, **controls) -> Run:
    return Run(api.submit(history=history, api_name="/retry", **{**REQUIRED, **controls}))


def text(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(block.get("text", "") for block in content)


def title(message: dict) -> str | None:
    return (message.get("metadata") or {}).get("title")


def answers(history: list[dict]) -> list[str]:
    """The assistant messages that are answers (no thinking bubbles or notices)."""
    return [text(m) for m in history if m["role"] == "assistant" and not title(m)]


def notices(history: list[dict]) -> list[dict]:
    return [m for m in history if m["role"] == "assistant" and title(m)]


def usage_table(markdown: str) -> dict[str, str]:
    rows = [line.strip("|").split("|") for line in markdown.splitlines()[2:]]
    return {name.strip(): value.strip() for name, value in rows}


def chat_trace_ids(fake) -> list[str]:
    return [r.trace_id for r in fake.received if r.path == "/v1/chat/completions"]


def has_answer(output: tuple) -> bool:
    chatbot = output[0]
    return isinstance(chatbot, list) and bool(answers(chatbot))


@pytest.fixture(scope="module")
def shared_app(launch_module_app):
    """One app and one API client for the module: launching an app (and closing a
    gradio_client, which waits for its heartbeat) per test cost most of this module's time."""
    app = launch_module_app()
    client = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    yield app, client
    client.close()


@pytest.fixture
def app(shared_app):
    """The shared app with a fresh fake server: no requests, scenarios or pacing left by an earlier test."""
    app, _ = shared_app
    app.fake.reset()
    app.fake.token_rate = None
    yield app
    app.fake.token_rate = None


@pytest.fixture
def api(app, shared_app):
    return shared_app[1]


# --- streaming ------------------------------------------------------------------------------


def test_a_message_streams_back_in_several_updates(app, api):
    app.fake.token_rate = 50  # ~0.8 s for 40 tokens: several 20-per-second frames
    message = " ".join(f"word{i}" for i in range(40))
    run = chat(api, message)

    streamed = [answers(out[0]) for out in run.outputs if isinstance(out[0], list)]
    partial = [a[0] for a in streamed if a]
    assert len(set(partial)) >= 3, f"expected several intermediate answers, got {partial!r}"
    assert all(later.startswith(earlier) for earlier, later in zip(partial, partial[1:], strict=False))
    # The first frame shows the user's message: with the first token, which comes within
    # the question's grace here (sfui.streaming.QUESTION_GRACE).
    assert streamed[0] == [] or streamed[0][0] == "Echo: "
    assert [(m["role"], text(m)) for m in run.outputs[0][0]][0] == ("user", message)

    assert [(m["role"], text(m)) for m in run.chatbot] == [("user", message), ("assistant", "Echo: " + message)]
    assert all(isinstance(m["content"], list) for m in run.chatbot)  # Gradio 6 block form
    assert run.warnings == []


def test_usage_panel_shows_the_servers_numbers(app, api):
    app.fake.push(stream("Echo: usage check", reasoning="let me see", prompt_tokens=12345))
    run = chat(api, "usage check")
    usage = usage_table(run.final[2])
    assert usage["Prompt tokens"] == "12,345"
    assert usage["Completion tokens"] == "6"  # 3 reasoning + 3 answer tokens
    assert usage["Reasoning tokens"] == "3"
    assert usage["Total tokens"] == "12,351"
    assert usage["Finish reason"] == "stop"
    assert usage["Status"] == "done"
    assert run.final[1] == "let me see"  # the reasoning panel
    assert answers(run.chatbot) == ["Echo: usage check"]


# --- what is sent -----------------------------------------------------------------------------


def test_defaults_are_sent_when_nothing_is_changed(app, api):
    chat(api, "hello")
    request = app.fake.chat_requests()[-1]
    assert set(request) == {"model", "messages", "stream", *UI_DEFAULTS}
    assert {k: request[k] for k in UI_DEFAULTS} == UI_DEFAULTS
    assert type(request["top_k"]) is int and type(request["max_tokens"]) is int
    assert request["model"] == MODEL and request["stream"] is True
    assert request["messages"] == [{"role": "user", "content": "hello"}]


def test_every_control_is_sent_exactly_as_set(app, api):
    tool = {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}
    chat(
        api, "hello",
        model="deepseek-ai/DeepSeek-V3",
        temperature=1.3, top_p=0.9, top_k=20, max_tokens=1000, frequency_penalty=-0.5,
        stop="END\n\\n\\n", enable_thinking="on", thinking_budget="2048", min_p="0.05",
        response_format="json_object", tools=json.dumps([tool]), presence_penalty="0.4", seed="7",
    )
    request = app.fake.chat_requests()[-1]
    assert request == {
        "model": "deepseek-ai/DeepSeek-V3",
        "messages": [{"role": "user", "content": "hello"}],
        "stream": True,
        "temperature": 1.3,
        "top_p": 0.9,
        "top_k": 20,
        "max_tokens": 1000,
        "frequency_penalty": -0.5,
        "stop": ["END", "\n\n"],
        "enable_thinking": True,
        "thinking_budget": 2048,
        "min_p": 0.05,
        "response_format": {"type": "json_object"},
        "tools": [{"type": "function", "function": tool}],
        "presence_penalty": 0.4,
        "seed": 7,
    }


def test_chat_and_retry_take_one_parameter_per_request_field(app, api):
    # One table (sfui.params.FIELDS) names the page's controls and the API's parameters.
    from sfui.params import FIELD_NAMES

    endpoints = api.view_api(return_format="dict", print_info=False)["named_endpoints"]
    for name, lead in (("/chat", ["message", "history"]), ("/retry", ["history"])):
        parameters = [p["parameter_name"] for p in endpoints[name]["parameters"]]
        assert parameters == [*lead, "model", "system_prompt", *FIELD_NAMES], name


def test_thinking_off_is_sent_as_false(app, api):
    chat(api, "hello", enable_thinking="off")
    assert app.fake.chat_requests()[-1]["enable_thinking"] is False


def test_multi_turn_sends_role_and_content_only(app, api):
    first = chat(api, "#fake:reasoning what is 2+2", system_prompt="Be brief.")
    assert [title(m) for m in first.chatbot] == [None, t("en", "thought"), None]  # a thinking bubble to leak
    (answer,) = answers(first.chatbot)
    assert answer.startswith("Echo:")

    second = chat(api, "and 3+3?", first.chatbot, system_prompt="Be brief.")
    assert app.fake.chat_requests()[-1]["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "#fake:reasoning what is 2+2"},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": "and 3+3?"},
    ]
    assert answers(second.chatbot) == [answer, "Echo: and 3+3?"]


def test_retry_regenerates_the_last_answer(app, api):
    first = chat(api, "hello")
    app.fake.push(stream("A second answer"))
    again = retry(api, first.chatbot)
    requests_sent = app.fake.chat_requests()
    assert len(requests_sent) == 2
    assert requests_sent[1]["messages"] == requests_sent[0]["messages"] == [{"role": "user", "content": "hello"}]
    assert [(m["role"], text(m)) for m in again.final[0]] == [("user", "hello"), ("assistant", "A second answer")]


def test_retry_after_an_error_answers_the_question(app, api):
    app.fake.push(error(401))
    failed = chat(api, "hello")
    assert notices(failed.chatbot)
    again = retry(api, failed.chatbot)
    assert [(m["role"], text(m)) for m in again.final[0]] == [("user", "hello"), ("assistant", "Echo: hello")]


# --- errors ------------------------------------------------------------------------------------

RETRY_NOW = {"Retry-After": "0"}
# name -> (scenarios to push, error class shown, partial answer kept)
FAULTS = {
    "401": ([error(401)], errors.AuthenticationError, ""),
    "402": ([error(402)], errors.InsufficientBalanceError, ""),
    "429 beyond retries": ([error(429, headers=RETRY_NOW)] * 3, errors.RateLimitError, ""),
    "503 beyond retries": ([error(503, headers=RETRY_NOW)] * 3, errors.OverloadedError, ""),
    "html instead of SSE": ([html_page()], errors.MalformedResponseError, ""),
    "bare error mid-stream": ([bare_error_after(5)], errors.UpstreamStreamError, bare_error_after(5).answer),
    "dropped mid-stream": ([drop_after(5)], errors.IncompleteStreamError, drop_after(5).answer),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_errors_are_explained_and_the_app_keeps_serving(app, api, name):
    scenarios, error_class, partial = FAULTS[name]
    app.fake.push(*scenarios)
    run = chat(api, "hello")

    assert len(app.fake.chat_requests()) == len(scenarios)  # retried exactly as often as allowed
    history = run.chatbot
    assert history[0]["role"] == "user" and text(history[0]) == "hello"
    assert answers(history) == ([partial] if partial else [])
    (notice,) = notices(history)
    assert title(notice) == t("en", "incomplete" if partial else "error")
    assert error_class.title("en") in text(notice)
    assert chat_trace_ids(app.fake)[-1] in text(notice)  # the id support asks for
    transcript = run.transcript()
    assert not any(marker in transcript for marker in TRACEBACK_MARKERS)
    assert usage_table(run.final[2])["Status"] == "error"

    # The next message, with the failed turn in the history, goes through.
    after = chat(api, "ping", history)
    assert answers(after.chatbot)[-1] == "Echo: ping"
    sent = app.fake.chat_requests()[-1]["messages"]
    assert sent[-1] == {"role": "user", "content": "ping"}
    assert text(notice) not in json.dumps(sent, ensure_ascii=False)  # notices are never sent back


def test_a_retry_in_progress_is_shown(app, api):
    app.fake.push(error(429, headers={"Retry-After": "1"}), stream("Finally here"))
    run = chat(api, "hello")
    notes = [text(m) for out in run.outputs if isinstance(out[0], list) for m in notices(out[0])]
    assert any(note.startswith("⏳") and "retrying in 1 s" in note for note in notes), notes
    assert answers(run.chatbot) == ["Finally here"]
    assert notices(run.chatbot) == []  # the note goes once the answer comes
    assert len(app.fake.chat_requests()) == 2


# --- stop and concurrency ---------------------------------------------------------------------


def test_cancel_closes_the_upstream_stream(app, api):
    job = submit_chat(api, "#fake:slow count")
    for output in job:
        if has_answer(output):
            break
    job.cancel()
    assert app.fake.wait_for_disconnect(timeout=10), "the upstream stream kept running after cancel"
    assert answers(chat(api, "still there?").chatbot) == ["Echo: still there?"]


def test_concurrent_chats_stream_side_by_side(app, api):
    """Four chats at once all get their first tokens before any of them
    finishes: none waits in a queue behind another."""
    app.fake.token_rate = 1  # slow enough that no stream can finish while the others start
    words = " ".join(f"w{i}" for i in range(10))
    jobs = [submit_chat(api, f"chat{n} {words}") for n in range(4)]

    deadline = time.monotonic() + RESULT_TIMEOUT
    while not all(any(map(has_answer, job.outputs())) for job in jobs) and time.monotonic() < deadline:
        time.sleep(0.05)
    finished_early = [n for n, job in enumerate(jobs) if job.done()]
    started = [n for n, job in enumerate(jobs) if any(map(has_answer, job.outputs()))]
    app.fake.token_rate = None  # let every stream run to its end

    runs = [Run(job) for job in jobs]
    assert started == [0, 1, 2, 3], "some chats never started streaming"
    assert finished_early == [], f"chats {finished_early} finished before all had started: they were queued"
    for n, run in enumerate(runs):
        assert answers(run.chatbot) == [f"Echo: chat{n} {words}"]


# --- secrets -----------------------------------------------------------------------------------


def test_the_server_key_never_reaches_a_client(launch_app):
    app = launch_app(api_key=TEST_KEY)
    pages = {path: requests.get(app.url + path, timeout=30) for path in
             ("", "config", "gradio_api/info", "gradio_api/openapi.json")}
    for path, response in pages.items():
        assert response.status_code in (200, 404), path
        assert TEST_KEY not in response.text, f"the key is in /{path}"
    assert pages[""].status_code == 200 and pages["config"].status_code == 200

    info = pages["gradio_api/info"].json()
    assert set(info["named_endpoints"]) == {"/chat", "/retry"}  # nothing that sets or reads a key
    assert info["unnamed_endpoints"] == {}

    api = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    try:
        ok = chat(api, "hello")
        app.fake.push(error(401))
        refused = chat(api, "hello again")
    finally:
        api.close()
    assert answers(ok.chatbot) == ["Echo: hello"]
    assert errors.AuthenticationError.title("en") in text(notices(refused.chatbot)[0])
    for run in (ok, refused):
        assert TEST_KEY not in run.transcript()
    # The key did go upstream, which is what makes the checks above meaningful.
    assert all(r.headers.get("Authorization") == f"Bearer {TEST_KEY}" for r in app.fake.received)


def test_without_a_key_the_app_starts_and_tells_the_user(launch_app):
    app = launch_app(api_key=None)
    page = requests.get(app.url, timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower()
    api = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    try:
        run = chat(api, "hello")
    finally:
        api.close()
    assert app.fake.chat_requests() == []
    assert run.warnings == [t("en", "no_key_toast")]
    assert not has_answer(run.final)


# --- input limits ------------------------------------------------------------------------------


def test_a_one_megabyte_message_is_refused_with_a_reason(app, api):
    run = chat(api, "x" * 1_000_000)
    assert app.fake.chat_requests() == []
    assert len(run.warnings) == 1 and "1,000,000" in run.warnings[0]
    assert not has_answer(run.final)
    assert answers(chat(api, "small").chatbot) == ["Echo: small"]  # still serving


def test_a_long_message_under_the_limit_is_sent_whole(app, api):
    message = "y" * 300_000
    app.fake.push(stream("Got it"))
    run = chat(api, message)
    assert app.fake.chat_requests()[-1]["messages"] == [{"role": "user", "content": message}]
    assert answers(run.chatbot) == ["Got it"]


@pytest.mark.parametrize("message", ["", "   ", "\n\t \n"])
def test_empty_messages_send_nothing(app, api, message):
    run = chat(api, message)
    assert app.fake.chat_requests() == []
    assert run.warnings == []
    assert not has_answer(run.final)


def test_invalid_controls_send_nothing_and_say_why(app, api):
    too_many_stops = chat(api, "hello", stop="a\nb\nc\nd\ne")
    assert too_many_stops.warnings == ["Not sent: at most 4 stop sequences (got 5)"]
    bad_tools = chat(api, "hello", tools="[{not json")
    assert len(bad_tools.warnings) == 1 and "tools is not valid JSON" in bad_tools.warnings[0]
    # /chat skips Gradio's slider preprocessing (its bounds check): sfui's own check refuses.
    out_of_range = chat(api, "hello", temperature=2.5)
    assert len(out_of_range.warnings) == 1 and "temperature" in out_of_range.warnings[0], out_of_range.warnings
    assert app.fake.chat_requests() == []


def test_non_text_values_in_text_fields_are_taken_as_text(app, api):
    """/chat skips Gradio's preprocessing, which turned any value of a Textbox
    input into str: a number for the message or system prompt still works."""
    app.fake.push(stream("Fine"))
    run = chat(api, 123, system_prompt=5)
    assert answers(run.chatbot) == ["Fine"]
    assert app.fake.chat_requests()[-1]["messages"] == [
        {"role": "system", "content": "5"},
        {"role": "user", "content": "123"},
    ]


def test_streaming_steps_show_progress_on_the_chat_only(app):
    """While an answer streams, only the chat shows Gradio's progress indicator:
    a status tracker on the side panels and the message box cost the page a
    re-render per event for nothing (bench/: ~12 ms off the first token)."""
    config = requests.get(app.url + "config", timeout=30).json()
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"] if c.get("props", {}).get("elem_id")}
    streaming = [d for d in config["dependencies"] if ids["usage-panel"] in d["outputs"] and d.get("queue") is not False
                 and ids["chatbot"] in d["outputs"] and d.get("show_progress") != "hidden" and len(d["outputs"]) >= 3]
    assert len(streaming) >= 3  # the page's Send (Enter and button), /chat and /retry
    for dep in streaming:
        assert dep["show_progress_on"] == [ids["chatbot"]], dep


def test_view_code_never_drops_a_language_picked_while_the_code_is_on_its_way():
    """The panel's events share one step: with Gradio's default trigger mode ("once") a language
    picked while the code for the panel's opening was still coming was dropped, and the code
    stayed in the language before (the screenshot smoke run caught it under load)."""
    from sfui.config import Settings
    from sfui.ui import build_demo

    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"] if c.get("props", {}).get("elem_id")}
    steps = [d for d in config["dependencies"] if ids["code-view"] in d["outputs"] and d.get("backend_fn")]
    assert steps and all(step["trigger_mode"] == "always_last" for step in steps), steps
