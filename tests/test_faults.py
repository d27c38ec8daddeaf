"""The fault matrix: every way the API can fail, driven through the whole app.

Each row makes the fake SiliconFlow (or the network) fail in one way, sends a
message through the app's public ``/chat`` endpoint with gradio_client, and
checks what a visitor would see:

- the question stays in the chat;
- a notice (an assistant message with a metadata title) in the visitor's
  language says what happened and what to do (the row's key phrase);
- no traceback or exception class name anywhere in what the app sent;
- an answer that had started stays, as its own message, and the notice is
  titled "incomplete";
- retryable failures show their retries (⏳ notes) and stop after
  ``max_retries + 1`` attempts;
- afterwards the app still serves: Retry (``/retry``) regenerates the answer
  and a new message is answered.

Apps are launched once per configuration (a working fake, a closed port, an
unresolvable host) and shared by all rows of this module.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pytest

from sfui.api import errors
from sfui.config import Settings
from sfui.i18n import t
from tests.support import TEST_KEY
from tests.support.api import ChatAPI, message_text
from tests.support.launch import free_port
from tests.support.sfserver import (
    Body,
    FakeSiliconFlow,
    Scenario,
    Sleep,
    bare_error_after,
    drop_after,
    error,
    html_page,
    huge_chunk,
    invalid_utf8,
    malformed_after,
    no_done,
    slow_first_token,
    stall_after,
)

MAX_RETRIES = Settings().max_retries
ATTEMPTS = MAX_RETRIES + 1
READ_TIMEOUT = 1.0
SILENCE = 3 * READ_TIMEOUT  # how long the slow scenarios stay quiet: well past the read timeout
# Short timeouts and backoff keep the matrix fast; retries themselves stay on.
APP_SETTINGS = dict(read_timeout=READ_TIMEOUT, connect_timeout=2.0, backoff_factor=0.05)


@dataclass(frozen=True)
class Fault:
    """One row of the matrix.

    ``scenarios`` are pushed to the fake before the message (one per request
    the app is expected to make). ``en``/``zh`` are the phrases the notice must
    contain (``zh=None``: the row is not run in Chinese). ``answer`` marks a
    row that must *succeed* and show that answer. ``upstream`` picks the app:
    "fake" (talks to the fake), "refused" (a closed port), "dns" (a host name
    that cannot resolve)."""

    name: str
    scenarios: tuple[Scenario, ...] = ()
    en: str | None = None
    zh: str | None = None
    partial: bool = False
    retried: bool = False
    upstream: str = "fake"
    answer: str | None = None


def every_attempt(scenario: Scenario) -> tuple[Scenario, ...]:
    """The same failure for the first try and every retry."""
    return (scenario,) * ATTEMPTS


def succeeds(scenario: Scenario) -> dict:
    return dict(scenarios=(scenario,), answer=scenario.answer)


# A 200 whose headers never come: the read timeout fires before the first byte.
NO_HEADERS = Scenario(steps=[Sleep(SILENCE), Body(b"{}")])

ROWS = [
    # The error table of the API notes, with SiliconFlow's own bodies (sfserver.ERROR_BODIES).
    Fault("400 unknown model", (error(400),), en="model name", zh="模型名称"),
    Fault("401 invalid key", (error(401),), en="API key", zh="API 密钥"),
    Fault("402 balance", (error(402),), en="Top up", zh="充值"),
    Fault("403 forbidden", (error(403),), en="real-name verification"),
    Fault("404 wrong path", (error(404),), en="base URL"),
    # Retry-After (honoured) keeps the 429 row fast; the others use the app's short backoff.
    Fault("429 rate limit", every_attempt(error(429, headers={"Retry-After": "0.1"})), en="Rate limit", zh="限流",
          retried=True),
    Fault("500 internal error", every_attempt(error(500)), en="internal error", retried=True),
    Fault("503 overloaded", every_attempt(error(503)), en="overloaded", zh="负载过高", retried=True),
    Fault("504 gateway timeout", every_attempt(error(504)), en="timed out", retried=True),
    # The network.
    Fault("connection refused", upstream="refused", en="refused the connection", zh="拒绝连接", retried=True),
    Fault("DNS failure", upstream="dns", en="could not be resolved", zh="无法解析", retried=True),
    # Silence.
    Fault("timeout before the response headers", (NO_HEADERS,), en="read timeout"),
    Fault("timeout before the first token", (slow_first_token(SILENCE),), en="read timeout", zh="读取超时"),
    Fault("stall mid-stream", (stall_after(5, 300),), en="read timeout", zh="读取超时", partial=True),
    # Broken streams.
    Fault("connection dropped mid-stream", (drop_after(5),), en="closed before the answer was complete", partial=True),
    Fault("stream ends without [DONE]", (no_done(5),), en="closed before the answer was complete", partial=True),
    Fault("bare JSON error line in a 200 stream", (bare_error_after(5),), en="reported an error", zh="报错",
          partial=True),
    Fault("malformed data: line", (malformed_after(5),), en="not a valid answer", partial=True),
    Fault("HTML page instead of SSE", (html_page(),), en="base URL", zh="接口地址"),
    # Odd but valid: these must succeed.
    Fault("single 1 MB chunk", **succeeds(huge_chunk())),
    Fault("invalid UTF-8", **succeeds(invalid_utf8())),
]

CASES = [pytest.param(row, "en", id=f"en-{row.name}") for row in ROWS] + [
    pytest.param(row, "zh", id=f"zh-{row.name}") for row in ROWS if row.zh is not None
]

def all_error_classes() -> set[type]:
    found, todo = set(), [errors.SiliconFlowError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


# What must never reach a visitor: Python tracebacks and our exception class names
# (the notice is written for a person; str(exc) is for the log).
TRACEBACK_MARKERS = [
    "Traceback (most recent call last)",
    'File "',
    re.compile(r"line \d+, in "),
    *sorted(cls.__name__ for cls in all_error_classes()),
]


# --- the apps, one per configuration ---------------------------------------------------------


class Upstream:
    """An app for one configuration, with a gradio_client per language, and a
    way to make its upstream answer normally again (for the recovery checks)."""

    def __init__(self, app, answering) -> None:
        self.app = app
        self._answering = answering
        self._apis: dict[str, ChatAPI] = {}

    def api(self, lang: str) -> ChatAPI:
        if lang not in self._apis:
            self._apis[lang] = ChatAPI(self.app.url, lang)
        return self._apis[lang]

    def answering(self):
        """Context manager: the fake that answers the follow-up requests, or
        None when nothing can (an unresolvable host stays unresolvable)."""
        return self._answering()

    def close(self) -> None:
        for api in self._apis.values():
            api.close()


@pytest.fixture(scope="module")
def upstreams(launch_module_app, module_fake):
    made: dict[str, Upstream] = {}

    def make(kind: str) -> Upstream:
        if kind == "fake":
            return Upstream(launch_module_app(**APP_SETTINGS), lambda: contextlib.nullcontext(module_fake))
        if kind == "refused":
            port = free_port()  # nothing listens here until the recovery check starts a fake on it
            app = launch_module_app(base_url=f"http://127.0.0.1:{port}/v1", **APP_SETTINGS)
            return Upstream(app, lambda: FakeSiliconFlow(api_key=TEST_KEY, port=port))
        if kind == "dns":
            app = launch_module_app(base_url="http://nonexistent.invalid/v1", **APP_SETTINGS)
            return Upstream(app, lambda: contextlib.nullcontext(None))
        raise ValueError(kind)

    def get(kind: str) -> Upstream:
        if kind not in made:
            made[kind] = make(kind)
        return made[kind]

    yield get
    for upstream in made.values():
        upstream.close()


# --- checks ------------------------------------------------------------------------------------


def strings(value):
    """Every string inside the nested outputs."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def assert_no_traceback(outputs) -> None:
    for text in strings(outputs):
        for marker in TRACEBACK_MARKERS:
            found = marker.search(text) if isinstance(marker, re.Pattern) else marker in text
            assert not found, f"technical error text {marker!r} reached the visitor: {text[:300]!r}"


def title(message: dict) -> str | None:
    return (message.get("metadata") or {}).get("title")


def is_user(message: dict, text: str) -> bool:
    return message["role"] == "user" and message_text(message) == text


def assert_explained(history: list, prompt: str, fault: Fault, lang: str) -> None:
    """[question, (partial answer), notice]: nothing lost, the notice says what to do."""
    phrase = fault.en if lang == "en" else fault.zh
    assert is_user(history[0], prompt), "the question was lost"
    notice = history[-1]
    assert notice["role"] == "assistant" and title(notice), f"no notice at the end of the chat: {history!r}"
    assert phrase in message_text(notice), f"the notice lacks {phrase!r}: {message_text(notice)!r}"
    if fault.partial:
        expected = fault.scenarios[-1].answer.strip()
        assert len(history) == 3, f"expected question, partial answer, notice: {history!r}"
        partial = history[1]
        assert partial["role"] == "assistant" and not title(partial), "the partial answer is not its own message"
        assert message_text(partial).strip() == expected, "the partial answer was not kept as received"
        assert title(notice) == t(lang, "incomplete")
    else:
        assert len(history) == 2, f"expected question, notice: {history!r}"
        assert title(notice) == t(lang, "error")


def assert_answered(history: list, prompt: str, answer: str) -> None:
    assert [m["role"] for m in history[-2:]] == ["user", "assistant"], history
    assert is_user(history[-2], prompt)
    assert not title(history[-1]), f"a notice instead of an answer: {message_text(history[-1])[:300]!r}"
    assert message_text(history[-1]).strip() == answer.strip()


def assert_retries_shown(reply, lang: str) -> None:
    """A ⏳ note was streamed while waiting to retry, and is gone at the end."""
    notes = [
        message_text(m)
        for history in reply.histories
        for m in history
        if title(m) == t(lang, "status_retrying")
    ]
    assert notes and all(note.startswith("⏳") for note in notes), "the retries were not shown"
    assert not any(title(m) == t(lang, "status_retrying") for m in reply.history), "a retry note was left behind"


# --- the matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("fault,lang", CASES)
def test_fault_is_explained_and_survived(fault: Fault, lang: str, upstreams, module_fake, capsys, caplog):
    upstream = upstreams(fault.upstream)
    module_fake.reset()
    module_fake.push(*fault.scenarios)
    api = upstream.api(lang)
    prompt = f"Question for the row {fault.name!r}"

    reply = api.chat(prompt)

    assert_no_traceback(reply.outputs)
    if fault.answer is not None:
        assert_answered(reply.history, prompt, fault.answer)
    else:
        assert_explained(reply.history, prompt, fault, lang)
    if fault.retried:
        assert_retries_shown(reply, lang)
    if fault.upstream == "fake":
        # Bounded: one attempt per scripted scenario (max_retries + 1 for retryable faults), no more, no fewer.
        assert len(module_fake.chat_requests()) == len(fault.scenarios)

    # The app keeps serving: Retry regenerates the failed answer, then a new message is answered.
    with upstream.answering() as server:
        retried = api.retry(reply.history)
        follow_up = api.chat("And now?", retried.history)
        assert_no_traceback([retried.outputs, follow_up.outputs])
        if server is None:  # nothing can answer: the same clear notice again, nothing lost
            assert_explained(retried.history, prompt, fault, lang)
            assert is_user(follow_up.history[-2], "And now?") and title(follow_up.history[-1]) == t(lang, "error")
            return
        assert len(retried.history) == 2, "Retry did not replace the failed answer"
        assert_answered(retried.history, prompt, f"Echo: {prompt}")
        assert_answered(follow_up.history, "And now?", "Echo: And now?")
        # Only the conversation goes back to the model: no notice, no partial answer.
        assert server.chat_requests()[-1]["messages"] == [
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": f"Echo: {prompt}"},
            {"role": "user", "content": "And now?"},
        ]

    server_output = capsys.readouterr()
    assert "Traceback" not in server_output.err + server_output.out
    assert not [r for r in caplog.records if r.exc_info], "an unexpected exception was logged"
