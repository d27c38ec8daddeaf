"""A scriptable fake of SiliconFlow's OpenAI-compatible API, for tests and benchmarks.

Speaks the wire format described in ``/work/shared/siliconflow-api.md``, quirks included:
cumulative ``usage`` on every stream chunk, ``reasoning_content`` deltas, non-OpenAI error
bodies (bare JSON strings, ``{"code","message","data"}``), an ``x-siliconcloud-trace-id``
header on every response, errors arriving inside a 200 stream, and so on.
Standard library only; binds 127.0.0.1 only.

Usage::

    with FakeSiliconFlow() as fake:                     # api_key "sk-test-0123456789"
        client = MyClient(base_url=fake.base_url, api_key="sk-test-0123456789")
        fake.push(error(429, headers={"Retry-After": "1"}), stream("Hello there"))
        ...                                             # 1st request gets 429, 2nd the stream
        assert fake.chat_requests()[-1]["model"] == "Qwen/Qwen3-8B"

A :class:`Scenario` is a status, headers and a list of steps.  If its steps contain a
:class:`Body` it is a plain response (``Content-Length``); otherwise it is an SSE stream sent
with ``Transfer-Encoding: chunked``, every step flushed as its own HTTP chunk.

Each ``POST /v1/chat/completions`` consumes the next pushed scenario (FIFO).  When the queue
is empty the request itself chooses: a last user message starting with ``#fake:<name>``
(the rest of the message is the prompt) or a ``model`` of ``fake/<name>`` picks a named
scenario; anything else is echoed.  This lets a UI test that can only type text, or only pick
a model, drive every failure mode.  Named scenarios (stable names, tests rely on them):

================  ==========================================================================
name              what the client receives
================  ==========================================================================
``echo``          ``"Echo: <prompt>"`` token by token, cumulative usage (the default).
                  ``max_tokens`` truncates it with ``finish_reason: "length"``
``reasoning``     ``reasoning_content`` deltas, then the echo answer as ``content``
``think-tags``    ``<think>…</think>`` inline in ``content`` (tags split across chunks),
                  then the echo answer
``tools``         two streamed tool calls (``get_weather``, ``get_time``),
                  ``finish_reason: "tool_calls"``, no content
``slow``          ``"Counting: 1 2 … 200"`` at 20 tokens/s (~10 s): for Stop buttons
``slow-first``    the echo answer, after 3 s of silence before the first chunk
``stall``         5 tokens, then 300 s without a byte, then ``finish_reason`` + ``[DONE]``
``drop``          5 tokens, then the socket is closed (no terminating HTTP chunk)
``no-done``       5 tokens, then a clean end of the response: no ``finish_reason``, no ``[DONE]``
``bare-error``    5 tokens, then the bare line ``{"code":60000,...}`` (no ``data:``), end
``malformed``     5 tokens, then ``data: {not json``, end
``html``          status 200, ``text/html``: an HTML page instead of SSE
``huge``          a single content delta of 1,000,000 characters
``invalid-utf8``  a content chunk containing the bytes ``FF FE``, then more tokens
``final-usage``   the echo answer, usage only in one last ``choices: []`` chunk (OpenAI style)
``keepalive``     :func:`keepalive_comments`, the SSE decoder corpus
``length``        a short answer cut off with ``finish_reason: "length"``
``xss``           an answer carrying script, ``onerror``, ``javascript:`` and ``<style>``
                  payloads that set ``window.__xss`` (or hide the page) if rendered unsafely
``vision``        what it was shown: ``"Saw 2 images: image/png 2048x1536 detail=auto,
                  image/jpeg 640x480 detail=low. Echo: <prompt>"`` (every ``image_url`` part of
                  the whole request, in order, sizes read from the data: URL's bytes;
                  ``"Saw 0 images."`` when there are none). ``fake/vision`` matches the
                  catalogue's vision rule, so the page treats it as a model that sees images.
                  Every scenario counts ``IMAGE_PROMPT_TOKENS`` prompt tokens per image part
``error-<nnn>``   :func:`error` with that status and SiliconFlow's body, e.g. ``error-429``
================  ==========================================================================

A request with ``"n": k`` (k > 1) gets k answers from ``echo``, ``reasoning``, ``slow``,
``slow-first`` and ``final-usage`` (the others ignore ``n``): streamed, k choices interleaved in
one stream (:func:`stream_choices`: each choice's role chunk, then one token chunk per choice
in turn, each chunk's ``choices[0]`` carrying its ``index``, each choice ending with its own
``finish_reason``, usage counting all of them); not streamed, one body with k choices.  Choice
i answers ``"Echo (choice i): <prompt>"`` (``slow``: ``"Counting (choice i): 1 2 …"``, every
choice at 20 tokens/s); ``max_tokens`` cuts each one.  k > 16 is refused with a 400.

Every request is recorded in ``fake.received`` (``fake.chat_received()``: the chat
completions only) as a :class:`Received`, with its timing: arrival (``time``), first body
chunk (``first_chunk_at``), end of the response (``ended_at``) and, when the client hung up
first, ``disconnected_at``; ``fake.disconnects`` / ``wait_for_disconnect()`` count the streams
abandoned.  Requests are served concurrently (one thread each), so a ``fake/slow-first`` and a
``fake/echo`` request overlap and the echo finishes first.

Requests with ``stream`` false or absent get a ``chat.completion`` JSON body with the same
answer; the stream-only faults (stall, drop, no-done, bare-error, malformed, huge,
invalid-utf8, keepalive) fall back to the plain echo reply for them.
An unknown ``fake/<name>`` / ``#fake:<name>`` gets SiliconFlow's 400 "Model does not exist".
"""

from __future__ import annotations

import base64
import http
import json
import re
import selectors
import socket
import socketserver
import struct
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "FakeSiliconFlow", "Received", "Scenario", "Step",
    "Chunk", "Raw", "Sleep", "Done", "Drop", "Body",
    "ERROR_BODIES", "BARE_ERROR_LINE", "DEFAULT_MODELS",
    "stream", "stream_choices", "think_tags_stream", "non_stream", "non_stream_choices", "error",
    "stall_after", "drop_after",
    "no_done", "bare_error_after", "malformed_after", "html_page", "huge_chunk",
    "invalid_utf8", "slow_first_token", "keepalive_comments",
]

# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Chunk:
    """One SSE event, ``data: <json>\\n\\n``.

    ``token=True`` marks a generated token: those chunks are paced by the token rate
    (the scenario's, else the server's).  The builders set it; hand-made chunks rarely need it.
    """
    obj: Any
    token: bool = False


@dataclass(frozen=True)
class Raw:
    """Exactly these bytes, as one HTTP chunk."""
    data: bytes


@dataclass(frozen=True)
class Sleep:
    """Write nothing for a while (ends early when the server stops)."""
    seconds: float


@dataclass(frozen=True)
class Done:
    """``data: [DONE]\\n\\n``."""


@dataclass(frozen=True)
class Drop:
    """Close the connection abruptly: no terminating HTTP chunk, no further bytes.

    Before a :class:`Body` it means no response at all.  It is a FIN (``shutdown``), not an
    RST, so the bytes already sent are guaranteed to reach the client first.
    """


@dataclass(frozen=True)
class Body:
    """A whole non-streamed response body; makes the scenario a plain response."""
    data: bytes
    content_type: str = "application/json"


Step = Chunk | Raw | Sleep | Done | Drop | Body


@dataclass
class Scenario:
    """One scripted response.

    ``answer``/``reasoning`` are informational only: the text a correct client ends up showing
    (for faults, the text received before the fault).  The server never reads them.
    """
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    token_rate: float | None = None  # tokens/s for Chunk(token=True); None = the server's rate
    answer: str | None = None
    reasoning: str | None = None
    answers: list[str] | None = None  # every choice's answer, for n > 1 (answer is choice 0's)

    @property
    def is_stream(self) -> bool:
        return not any(isinstance(s, Body) for s in self.steps)


@dataclass
class Received:
    """One request as the server saw it.

    ``headers`` is a dict whose lookups ignore case (clients differ in header-name case);
    ``time`` is ``time.monotonic()`` at arrival; ``trace_id`` is the one sent back;
    ``first_chunk_at`` is ``time.monotonic()`` just before the first body chunk of a
    stream was written (None until then), for latency benchmarks; ``ended_at`` is
    ``time.monotonic()`` when the server was done with the response, however it ended (None
    while it is in flight), and ``disconnected_at`` is that moment too when it ended because
    the client hung up before the end (None otherwise).  ``time`` to ``ended_at`` is the
    span to compare for "requests overlapping in time".
    """
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict | None
    raw: bytes
    time: float
    trace_id: str = ""
    first_chunk_at: float | None = None
    ended_at: float | None = None
    disconnected_at: float | None = None


class _Headers(dict):
    """A dict with case-insensitive keys (stored lower-case)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


# --------------------------------------------------------------------------- wire helpers

_JSON = "application/json"
_TEXT = "text/plain; charset=utf-8"

# Bodies as captured from SiliconFlow (see the shared notes): note the bare JSON strings.
ERROR_BODIES: dict[int, tuple[bytes, str]] = {
    400: (b'{"code":20012,"message":"Model does not exist. Please check it carefully.","data":null}', _JSON),
    401: (b'"Invalid token"', _JSON),
    402: (b'{"code":30001,"message":"Sorry, your account balance is insufficient","data":null}', _JSON),
    403: (b'"Forbidden"', _JSON),
    404: (b"404 page not found", _TEXT),
    429: (b'{"message":"Request was rejected due to rate limiting. Details:TPM limit reached.","data":null}',
          _JSON),
    500: (b'{"code":50000,"message":"Internal server error","data":null}', _JSON),
    503: (b'{"code":50505,"message":"Model service overloaded. Please try again later.","data":null}', _JSON),
    504: (b'"upstream timeout"', _JSON),
}

# The error SiliconFlow writes *inside* a 200 stream, without a "data:" prefix.
BARE_ERROR_LINE = (b'{"code":60000,"message":"Request processing has failed due to some unknown error.",'
                   b'"data":null}\n\n')

# Not in the notes: modelled on SiliconFlow's generic "invalid parameter" error.
_INVALID_PARAMETER = {"code": 20015, "message": "The parameter is invalid. Please check again.", "data": None}

DEFAULT_MODELS: tuple[str, ...] = (
    "deepseek-ai/DeepSeek-V3",
    "deepseek-ai/DeepSeek-R1",
    "Qwen/Qwen3-8B",
    "Qwen/QwQ-32B",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-VL-72B-Instruct",
    "THUDM/GLM-4.1V-9B-Thinking",
    "fake/echo",
    "fake/reasoning",
    "fake/think-tags",
    "fake/tools",
    "fake/slow",
)

# Words with their trailing whitespace; leading whitespace is a token of its own.
_TOKEN_RE = re.compile(r"\S+\s*|\s+")
_FILLER = "The quick brown fox jumps over the lazy dog while the cat watches".split()


def _tokens(text: str | list[str] | None) -> list[str]:
    if text is None:
        return []
    if isinstance(text, str):
        return _TOKEN_RE.findall(text)
    return list(text)


def _filler(n: int) -> list[str]:
    return [_FILLER[i % len(_FILLER)] + " " for i in range(n)]


def _dumps(obj: Any) -> bytes:
    # Compact and raw UTF-8, like the real server; multi-byte characters are not \u-escaped.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sse(obj: Any) -> bytes:
    return b"data: " + _dumps(obj) + b"\n\n"


def _new_id() -> str:
    return uuid.uuid4().hex


class _Chunker:
    """Builds the chunks of one completion, keeping id, created and the running usage."""

    ROLE_DELTA = {"role": "assistant", "content": "", "reasoning_content": None}

    def __init__(self, model: str, prompt_tokens: int, usage: str) -> None:
        if usage not in ("cumulative", "final", "none"):
            raise ValueError(f"usage must be 'cumulative', 'final' or 'none', not {usage!r}")
        self.id = _new_id()
        self.created = int(time.time())
        self.model = model
        self.prompt_tokens = prompt_tokens
        self.usage_mode = usage
        self.completion_tokens = 0
        self.reasoning_tokens = 0

    def usage(self) -> dict:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens},
        }

    def envelope(self, choices: list, *, with_usage: bool) -> dict:
        obj = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
               "model": self.model, "choices": choices, "system_fingerprint": ""}
        if with_usage:
            obj["usage"] = self.usage()
        return obj

    def chunk(self, delta: dict, finish_reason: str | None = None, *,
              token: bool = False, reasoning: bool = False, index: int = 0) -> Chunk:
        """A chunk with one delta of choice ``index``; ``token`` counts it as one completion
        token (the usage counts every choice's tokens: it is the request's)."""
        if token:
            self.completion_tokens += 1
            self.reasoning_tokens += reasoning
        choice = {"index": index, "delta": delta, "finish_reason": finish_reason}
        return Chunk(self.envelope([choice], with_usage=self.usage_mode == "cumulative"), token=token)

    def role(self, index: int = 0) -> Chunk:
        return self.chunk(dict(self.ROLE_DELTA), index=index)

    def content(self, text: str, finish_reason: str | None = None) -> Chunk:
        return self.chunk({"content": text, "reasoning_content": None}, finish_reason, token=True)

    def tail(self) -> list[Step]:
        """What follows the last token: the usage-only chunk (usage="final") and [DONE]."""
        steps: list[Step] = []
        if self.usage_mode == "final":
            steps.append(Chunk(self.envelope([], with_usage=True)))
        steps.append(Done())
        return steps


def _tool_call(call: dict) -> tuple[str, str, str]:
    """(id, name, arguments as a JSON string) of a builder's ``{"name", "arguments"[, "id"]}``."""
    args = call.get("arguments", "")
    if not isinstance(args, str):
        args = json.dumps(args)
    return call.get("id") or f"call_{uuid.uuid4().hex[:24]}", call["name"], args


def _tool_call_deltas(index: int, call: dict) -> Iterator[dict]:
    call_id, name, args = _tool_call(call)
    yield {"tool_calls": [{"index": index, "id": call_id, "type": "function",
                           "function": {"name": name, "arguments": ""}}]}
    for start in range(0, len(args), 8):  # several small fragments, as real servers send
        yield {"tool_calls": [{"index": index, "function": {"arguments": args[start:start + 8]}}]}


# --------------------------------------------------------------------------- builders


def stream(answer: str | list[str], *, reasoning: str | list[str] | None = None,
           usage: str = "cumulative", finish_reason: str | None = None, model: str = "fake/echo",
           tool_calls: list[dict] | None = None, prompt_tokens: int = 10,
           token_rate: float | None = None) -> Scenario:
    """A well-formed SiliconFlow stream.

    A str is split into word tokens, a list is used as-is.  Order: role-only chunk, reasoning
    deltas, content deltas, tool-call deltas; the last of them carries ``finish_reason``
    (default ``"tool_calls"`` with tool calls, else ``"stop"``).  ``usage``: ``"cumulative"``
    (SiliconFlow: on every chunk, running totals), ``"final"`` (one extra ``choices: []`` chunk
    at the end) or ``"none"``.  ``tool_calls`` items: ``{"name", "arguments"[, "id"]}`` where
    arguments is a JSON string (or an object, dumped for you).
    """
    if finish_reason is None:
        finish_reason = "tool_calls" if tool_calls else "stop"
    ck = _Chunker(model, prompt_tokens, usage)
    reasoning_tokens, answer_tokens = _tokens(reasoning), _tokens(answer)
    # (delta, is a reasoning token)
    items: list[tuple[dict, bool]] = [({"content": None, "reasoning_content": t}, True)
                                      for t in reasoning_tokens]
    items += [({"content": t, "reasoning_content": None}, False) for t in answer_tokens]
    for i, call in enumerate(tool_calls or []):
        items += [(d, False) for d in _tool_call_deltas(i, call)]

    steps: list[Step] = [ck.role()]
    for n, (delta, is_reasoning) in enumerate(items, 1):
        last = n == len(items)
        steps.append(ck.chunk(delta, finish_reason if last else None, token=True, reasoning=is_reasoning))
    if not items:  # nothing generated: finish_reason still needs a chunk to ride on
        steps.append(ck.chunk({"content": "", "reasoning_content": None}, finish_reason))
    steps += ck.tail()
    return Scenario(steps=steps, token_rate=token_rate, answer="".join(answer_tokens),
                    reasoning=None if reasoning is None else "".join(reasoning_tokens))


def stream_choices(answers: list[str | list[str]], *, reasoning: list[str | list[str] | None] | None = None,
                   usage: str = "cumulative", finish_reason: str | list[str] = "stop", model: str = "fake/echo",
                   prompt_tokens: int = 10, token_rate: float | None = None) -> Scenario:
    """One stream with ``len(answers)`` choices interleaved, as a server answers ``n`` > 1.

    Each choice gets its role-only chunk first (``index`` 0, 1, …), then the choices take
    turns, one token chunk each (``choices: [{"index": i, ...}]``; a choice's reasoning before
    its answer); a choice that runs out drops out of the rotation, and each choice's last
    chunk carries its own ``finish_reason`` (one for all, or a list, one per choice).  Usage
    is the request's: every choice's tokens, cumulative on every chunk (``usage`` as for
    :func:`stream`).  ``token_rate`` paces token chunks of all choices together.
    """
    count = len(answers)
    reasons = [finish_reason] * count if isinstance(finish_reason, str) else list(finish_reason)
    thoughts = list(reasoning) if reasoning is not None else [None] * count
    if not count or len(reasons) != count or len(thoughts) != count:
        raise ValueError("one answer, finish reason and reasoning per choice")
    ck = _Chunker(model, prompt_tokens, usage)
    # Per choice: (delta, is a reasoning token)
    items = [[({"content": None, "reasoning_content": t}, True) for t in _tokens(thought)]
             + [({"content": t, "reasoning_content": None}, False) for t in _tokens(answer)]
             for answer, thought in zip(answers, thoughts, strict=True)]
    steps: list[Step] = [ck.role(i) for i in range(count)]
    for position in range(max(len(tokens) for tokens in items)):
        for i, tokens in enumerate(items):
            if position < len(tokens):
                delta, is_reasoning = tokens[position]
                reason = reasons[i] if position == len(tokens) - 1 else None
                steps.append(ck.chunk(delta, reason, token=True, reasoning=is_reasoning, index=i))
    for i, tokens in enumerate(items):
        if not tokens:  # nothing generated: finish_reason still needs a chunk to ride on
            steps.append(ck.chunk({"content": "", "reasoning_content": None}, reasons[i], index=i))
    steps += ck.tail()
    texts = ["".join(_tokens(answer)) for answer in answers]
    return Scenario(steps=steps, token_rate=token_rate, answer=texts[0], answers=texts,
                    reasoning=None if thoughts[0] is None else "".join(_tokens(thoughts[0])))


def think_tags_stream(reasoning: str | list[str], answer: str | list[str], split_tags: bool = True,
                      **kwargs: Any) -> Scenario:
    """Thinking inline in ``content`` as ``<think>…</think>``, then the answer.

    With ``split_tags`` the tags are cut across chunks (``"<thi"``, ``"nk>"``…), as token
    boundaries fall in practice.  ``kwargs`` go to :func:`stream`.
    """
    opening = ["<thi", "nk>\n"] if split_tags else ["<think>\n"]
    closing = ["\n</th", "ink>\n\n"] if split_tags else ["\n</think>\n\n"]
    scenario = stream(opening + _tokens(reasoning) + closing + _tokens(answer), **kwargs)
    scenario.answer = "".join(_tokens(answer))
    scenario.reasoning = "".join(_tokens(reasoning))
    return scenario


def non_stream(answer: str | list[str], reasoning: str | list[str] | None = None, *,
               model: str = "fake/echo", finish_reason: str | None = None,
               tool_calls: list[dict] | None = None, prompt_tokens: int = 10) -> Scenario:
    """A ``chat.completion`` JSON body (the reply to ``stream: false``)."""
    answer_tokens, reasoning_tokens = _tokens(answer), _tokens(reasoning)
    if finish_reason is None:
        finish_reason = "tool_calls" if tool_calls else "stop"
    message: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(answer_tokens),
        "reasoning_content": None if reasoning is None else "".join(reasoning_tokens),
    }
    if tool_calls:
        message["tool_calls"] = [{"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}
                                 for call_id, name, args in map(_tool_call, tool_calls)]
    completion = len(answer_tokens) + len(reasoning_tokens)
    body = {
        "id": _new_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                  "total_tokens": prompt_tokens + completion,
                  "completion_tokens_details": {"reasoning_tokens": len(reasoning_tokens)}},
        "system_fingerprint": "",
    }
    return Scenario(steps=[Body(_dumps(body), _JSON)], answer=message["content"],
                    reasoning=message["reasoning_content"])


def non_stream_choices(answers: list[str | list[str]], reasoning: list[str | None] | None = None, *,
                       model: str = "fake/echo", finish_reason: str | list[str] = "stop",
                       prompt_tokens: int = 10) -> Scenario:
    """A ``chat.completion`` JSON body with one choice per answer (``n`` > 1, not streamed);
    usage counts every choice's tokens."""
    thoughts = list(reasoning) if reasoning is not None else [None] * len(answers)
    reasons = [finish_reason] * len(answers) if isinstance(finish_reason, str) else list(finish_reason)
    choices, completion, reasoning_tokens = [], 0, 0
    for i, (answer, thought, reason) in enumerate(zip(answers, thoughts, reasons, strict=True)):
        message = {"role": "assistant", "content": "".join(_tokens(answer)),
                   "reasoning_content": None if thought is None else "".join(_tokens(thought))}
        choices.append({"index": i, "message": message, "finish_reason": reason})
        completion += len(_tokens(answer)) + len(_tokens(thought))
        reasoning_tokens += len(_tokens(thought))
    body = {
        "id": _new_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": choices,
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                  "total_tokens": prompt_tokens + completion,
                  "completion_tokens_details": {"reasoning_tokens": reasoning_tokens}},
        "system_fingerprint": "",
    }
    texts = [c["message"]["content"] for c in choices]
    return Scenario(steps=[Body(_dumps(body), _JSON)], answer=texts[0], answers=texts)


def error(status: int, body: Any = None, *, headers: dict[str, str] | None = None,
          content_type: str | None = None) -> Scenario:
    """An error response.

    ``body=None`` uses :data:`ERROR_BODIES` (or ``{"message": <reason>, "data": null}`` for
    other statuses).  Bytes are sent as-is; anything else is JSON-encoded, so a str becomes a
    bare JSON string the way SiliconFlow sends ``"Invalid token"``.
    """
    if body is None and status in ERROR_BODIES:
        data, default_type = ERROR_BODIES[status]
    else:
        if body is None:
            try:
                reason = http.HTTPStatus(status).phrase
            except ValueError:
                reason = "Error"
            body = {"message": reason, "data": None}
        data = body if isinstance(body, bytes) else _dumps(body)
        default_type = _JSON
    return Scenario(status=status, headers=dict(headers or {}),
                    steps=[Body(data, content_type or default_type)])


def _prefix(n_tokens: int, model: str) -> tuple[_Chunker, list[Step], str]:
    """Role chunk + n filler tokens, no finish_reason: the start of a stream that goes wrong."""
    ck = _Chunker(model, 10, "cumulative")
    words = _filler(n_tokens)
    return ck, [ck.role()] + [ck.content(w) for w in words], "".join(words)


def stall_after(n_tokens: int, seconds: float, *, model: str = "fake/echo") -> Scenario:
    """n tokens, ``seconds`` of silence (read-timeout tests), then finish_reason and [DONE]."""
    ck, steps, text = _prefix(n_tokens, model)
    steps += [Sleep(seconds), ck.chunk({"content": "", "reasoning_content": None}, "stop"), *ck.tail()]
    return Scenario(steps=steps, answer=text)


def drop_after(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then the socket closes without the terminating HTTP chunk."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps + [Drop()], answer=text)


def no_done(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then a clean end of the HTTP response: no finish_reason, no ``[DONE]``."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps, answer=text)


def bare_error_after(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then SiliconFlow's in-stream error: a JSON line without ``data:``."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps + [Raw(BARE_ERROR_LINE)], answer=text)


def malformed_after(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then an event whose JSON does not parse."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps + [Raw(b"data: {not json\n\n")], answer=text)


def html_page() -> Scenario:
    """Status 200 with an HTML page: a proxy, captive portal or wrong base URL."""
    page = (b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>\n"
            b"<body><h1>Welcome to nginx!</h1><p>If you see this page, the web server is working.</p>"
            b"</body></html>\n")
    return Scenario(steps=[Body(page, "text/html; charset=utf-8")])


def huge_chunk(size: int = 1_000_000, *, model: str = "fake/echo") -> Scenario:
    """One content delta of ``size`` characters (a repeating ``0123456789``), then done."""
    text = ("0123456789" * (size // 10 + 1))[:size]
    return stream([text], model=model)


def invalid_utf8(*, model: str = "fake/echo") -> Scenario:
    """A content chunk whose JSON string holds the invalid UTF-8 bytes FF FE, then more tokens.

    ``answer`` assumes the client decodes with ``errors="replace"``.
    """
    ck = _Chunker(model, 10, "cumulative")
    marker = "@@INVALID@@"
    bad = _sse(ck.content(marker).obj).replace(marker.encode(), b"bad \xff\xfe bytes ")
    steps: list[Step] = [ck.role(), ck.content("Before "), Raw(bad), ck.content("after "),
                         ck.content("them.", "stop"), *ck.tail()]
    return Scenario(steps=steps, answer="Before bad \ufffd\ufffd bytes after them.")


def slow_first_token(delay: float, answer: str | list[str] = "This answer took a while to start.",
                     **kwargs: Any) -> Scenario:
    """Headers at once, then ``delay`` seconds before the first chunk."""
    scenario = stream(answer, **kwargs)
    scenario.steps.insert(0, Sleep(delay))
    return scenario


def keepalive_comments(*, model: str = "fake/echo") -> Scenario:
    """An SSE decoder corpus; a correct decoder shows exactly ``scenario.answer``.

    Contains: ``: keep-alive`` comments, extra blank lines, content holding the literal
    ``data: `` and ``data: [DONE]``, one event spread over two ``data:`` lines (joined with
    a newline per the SSE spec, still one JSON document), and one event split across two HTTP
    chunks in the middle of a multi-byte UTF-8 character.
    """
    ck = _Chunker(model, 10, "cumulative")
    keepalive = Raw(b": keep-alive\n\n")
    steps: list[Step] = [keepalive, ck.role(), Raw(b"\n\n\n"), ck.content("Keep-alive "), keepalive,
                         ck.content("the literal data: inside "), ck.content("and data: [DONE] too, ")]

    multi = _dumps(ck.content("multi-line ").obj)
    cut = multi.index(b'"choices":') + len(b'"choices":')  # between two JSON tokens, not inside a string
    steps.append(Raw(b"data: " + multi[:cut] + b"\ndata: " + multi[cut:] + b"\n\n"))

    split = _sse(ck.content("你好 ").obj)
    cut = split.index("你".encode()) + 1  # inside the 3-byte character
    steps += [Raw(split[:cut]), Sleep(0.02), Raw(split[cut:])]  # the pause keeps the halves apart

    steps += [ck.content("done.", "stop"), keepalive, *ck.tail()]
    return Scenario(steps=steps,
                    answer="Keep-alive the literal data: inside and data: [DONE] too, multi-line 你好 done.")


# --------------------------------------------------------------------------- default scenarios

_TAG_RE = re.compile(r"\s*#fake:([A-Za-z0-9_.-]+)\s*")
_XSS_ANSWER = ('XSS probe: <script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> '
               '[link](javascript:window.__xss=3) <style>body{display:none}</style> end of probe.')
_TOOL_CALLS = [
    {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "celsius"}'},
    {"name": "get_time", "arguments": '{"timezone": "Europe/Paris"}'},
]


@dataclass
class _Request:
    """What the default scenarios need from a chat request."""
    prompt: str  # last user message text, without a #fake: tag
    model: str
    stream: bool
    prompt_tokens: int
    max_tokens: int | None
    n: int = 1  # choices asked for: n > 1 gets that many from the scenarios that honour it
    images: tuple[str, ...] = ()  # the request's image_url parts, described (see _images_of)


IMAGE_PROMPT_TOKENS = 256  # prompt tokens an image part costs (a fixed figure; real models vary)


def _image_size(data: bytes) -> str:
    """``WxH`` of a PNG, GIF, JPEG or WebP file from its header, else ``?x?``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return f"{width}x{height}"
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return f"{width}x{height}"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        chunk = data[12:16]
        if chunk == b"VP8X" and len(data) >= 30:
            return f"{int.from_bytes(data[24:27], 'little') + 1}x{int.from_bytes(data[27:30], 'little') + 1}"
        if chunk == b"VP8 " and len(data) >= 30:
            width, height = struct.unpack("<HH", data[26:30])
            return f"{width & 0x3FFF}x{height & 0x3FFF}"
        if chunk == b"VP8L" and len(data) >= 25:
            bits = int.from_bytes(data[21:25], "little")
            return f"{(bits & 0x3FFF) + 1}x{((bits >> 14) & 0x3FFF) + 1}"
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                i += 1 if marker == 0xFF else 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return f"{width}x{height}"
            i += 2 + length
    return "?x?"


def _images_of(messages: list[dict]) -> list[str]:
    """Each ``image_url`` part of the request as ``"<mime> <W>x<H> detail=<detail>"``."""
    seen = []
    for message in messages:
        content = message.get("content")
        for part in content if isinstance(content, list) else []:
            if not (isinstance(part, dict) and part.get("type") == "image_url"
                    and isinstance(part.get("image_url"), dict)):
                continue
            url, detail = str(part["image_url"].get("url") or ""), part["image_url"].get("detail", "-")
            match = re.fullmatch(r"data:([\w/+.-]+);base64,([A-Za-z0-9+/=]*)", url)
            if match is None:
                seen.append(f"url {url[:40]} detail={detail}")
                continue
            try:
                data = base64.b64decode(match.group(2), validate=True)
            except ValueError:
                seen.append(f"{match.group(1)} undecodable detail={detail}")
                continue
            seen.append(f"{match.group(1)} {_image_size(data)} detail={detail}")
    return seen


def _vision(req: _Request) -> Scenario:
    images = req.images
    listing = f"Saw {len(images)} image{'' if len(images) == 1 else 's'}"
    seen = f"{listing}: {', '.join(images)}." if images else f"{listing}."
    return _reply(req, f"{seen} Echo: {req.prompt}")


def _text_of(content: Any) -> str:
    """Text of a message content: a str, or a list of parts (images are ignored)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content
                         if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str))
    return ""


def _reply(req: _Request, answer: str | list[str], reasoning: str | None = None, *,
           finish_reason: str | None = None, tool_calls: list[dict] | None = None,
           usage: str = "cumulative", token_rate: float | None = None) -> Scenario:
    """The same answer as a stream or as a plain body, following the request's ``stream``."""
    common = dict(model=req.model, prompt_tokens=req.prompt_tokens,
                  finish_reason=finish_reason, tool_calls=tool_calls)
    if req.stream:
        return stream(answer, reasoning=reasoning, usage=usage, token_rate=token_rate, **common)
    return non_stream(answer, reasoning, **common)


def _choices(req: _Request, answers: list[list[str]], reasoning: list[str] | None = None, *,
             finish_reasons: list[str] | None = None, usage: str = "cumulative",
             token_rate: float | None = None) -> Scenario:
    """n > 1: one choice per answer, interleaved in one stream or together in one body."""
    reasons = finish_reasons or ["stop"] * len(answers)
    if req.stream:
        return stream_choices(answers, reasoning=reasoning, usage=usage, finish_reason=reasons, model=req.model,
                              prompt_tokens=req.prompt_tokens, token_rate=token_rate)
    return non_stream_choices(answers, reasoning, model=req.model, finish_reason=reasons,
                              prompt_tokens=req.prompt_tokens)


def _echo(req: _Request, usage: str = "cumulative") -> Scenario:
    if req.n > 1:
        answers = [_tokens(f"Echo (choice {i}): " + req.prompt) for i in range(req.n)]
    else:
        answers = [_tokens("Echo: " + req.prompt)]
    reasons = ["stop"] * len(answers)
    for i, tokens in enumerate(answers):
        if req.max_tokens is not None and len(tokens) > req.max_tokens:
            answers[i], reasons[i] = tokens[:req.max_tokens], "length"
    if req.n > 1:
        return _choices(req, answers, finish_reasons=reasons, usage=usage)
    return _reply(req, answers[0], finish_reason=None if reasons[0] == "stop" else reasons[0], usage=usage)


def _reasoning(req: _Request) -> Scenario:
    def thought(tag: str) -> str:
        return f"The user wrote {req.prompt!r}{tag}. Let me think step by step. Echoing it back is the answer."

    if req.n > 1:
        return _choices(req, [_tokens(f"Echo (choice {i}): " + req.prompt) for i in range(req.n)],
                        reasoning=[thought(f" (choice {i})") for i in range(req.n)])
    return _reply(req, "Echo: " + req.prompt, reasoning=thought(""))


def _slow(req: _Request) -> Scenario:
    count = " ".join(str(i) for i in range(1, 201))
    if req.n > 1:  # every choice at 20 tokens/s: the chunks of all of them together at n times that
        return _choices(req, [_tokens(f"Counting (choice {i}): {count}") for i in range(req.n)],
                        token_rate=20 * req.n)
    return _reply(req, "Counting: " + count, token_rate=20)


def _think_tags(req: _Request) -> Scenario:
    reasoning, answer = f"The user said {req.prompt!r}. I will echo it.", "Echo: " + req.prompt
    if req.stream:
        return think_tags_stream(reasoning, answer, model=req.model, prompt_tokens=req.prompt_tokens)
    return _reply(req, f"<think>\n{reasoning}\n</think>\n\n{answer}")


def _slow_first(req: _Request) -> Scenario:
    scenario = _echo(req)
    scenario.steps.insert(0, Sleep(3.0))  # before the Body too, so non-streamed replies wait as well
    return scenario


_NAMED = {
    "echo": _echo,
    "reasoning": _reasoning,
    "think-tags": _think_tags,
    "tools": lambda r: _reply(r, "", tool_calls=_TOOL_CALLS),
    "slow": _slow,
    "slow-first": _slow_first,
    "stall": lambda r: stall_after(5, 300, model=r.model),
    "drop": lambda r: drop_after(5, model=r.model),
    "no-done": lambda r: no_done(5, model=r.model),
    "bare-error": lambda r: bare_error_after(5, model=r.model),
    "malformed": lambda r: malformed_after(5, model=r.model),
    "html": lambda r: html_page(),
    "huge": lambda r: huge_chunk(model=r.model),
    "invalid-utf8": lambda r: invalid_utf8(model=r.model),
    "final-usage": lambda r: _echo(r, usage="final"),
    "keepalive": lambda r: keepalive_comments(model=r.model),
    "length": lambda r: _reply(r, _tokens("This answer is cut short because it ran into max_tokens")[:8],
                               finish_reason="length"),
    "xss": lambda r: _reply(r, _XSS_ANSWER),
    "vision": _vision,
}
_MAX_N = 16  # more choices than this is refused (400), so a typo cannot make the fake stream for hours
_STREAM_ONLY = {"stall", "drop", "no-done", "bare-error", "malformed", "huge", "invalid-utf8", "keepalive"}


def _default_scenario(body: dict | None) -> Scenario:
    """The scenario for a chat request when nothing was pushed (see the module docstring)."""
    if (not isinstance(body, dict) or not isinstance(body.get("model"), str) or not body["model"]
            or not isinstance(body.get("messages"), list) or not body["messages"]):
        return error(400, _INVALID_PARAMETER)
    messages = [m for m in body["messages"] if isinstance(m, dict)]
    model = body["model"]
    user_texts = [_text_of(m.get("content")) for m in messages if m.get("role") == "user"]
    prompt = user_texts[-1] if user_texts else ""

    tag = _TAG_RE.match(prompt)
    if tag:
        name, prompt = tag.group(1).lower(), prompt[tag.end():]
    elif model.startswith("fake/"):
        name = model[len("fake/"):]
    else:
        name = "echo"

    max_tokens, n = body.get("max_tokens"), body.get("n")
    images = _images_of(messages)
    n = n if isinstance(n, int) and not isinstance(n, bool) and n > 1 else 1
    if n > _MAX_N:
        return error(400, _INVALID_PARAMETER)
    req = _Request(
        prompt=prompt, model=model, stream=bool(body.get("stream")),
        prompt_tokens=max(1, sum(len(_text_of(m.get("content")).split()) for m in messages))
        + IMAGE_PROMPT_TOKENS * len(images),
        max_tokens=max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else None, n=n,
        images=tuple(images),
    )
    if name.startswith("error-") and name[6:].isdigit() and 400 <= int(name[6:]) <= 599:
        return error(int(name[6:]))
    if name not in _NAMED:
        known = ", ".join(sorted(_NAMED)) + ", error-<status>"
        return error(400, {"code": 20012, "data": None, "message":
                           f"Model does not exist. Please check it carefully. "
                           f"(unknown fake scenario {name!r}; known: {known})"})
    if not req.stream and name in _STREAM_ONLY:
        name = "echo"
    return _NAMED[name](req)


# --------------------------------------------------------------------------- server


class _PeerGone(ConnectionAbortedError):
    """The client closed its end while we were sleeping."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked transfer encoding and keep-alive need 1.1
    disable_nagle_algorithm = True  # each SSE event must leave now, not wait for the previous ACK
    server: _Server

    _selector: selectors.BaseSelector | None = None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # no per-request lines on stderr

    def version_string(self) -> str:
        return "sfserver"  # the Server header

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)
            if self._selector is not None:
                self._selector.close()

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    # -- request

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF after each chunk
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        raw = self._read_body()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        self._received = Received(
            method=self.command, path=url.path, query=parse_qs(url.query, keep_blank_values=True),
            headers=_Headers(self.headers.items()), body=parsed if isinstance(parsed, dict) else None,
            raw=raw, time=time.monotonic(), trace_id=uuid.uuid4().hex)
        fake._record(self._received)

        # Routing comes before auth, like the real (gin) server: a wrong path is a 404 whatever the key.
        route = _ROUTES.get((self.command, url.path))
        if route is None:
            self._serve(error(404))
        elif fake.api_key is not None and self.headers.get("Authorization") != f"Bearer {fake.api_key}":
            self._serve(error(401))  # does not consume a pushed scenario
        else:
            route(self)

    # -- endpoints

    def _chat(self) -> None:
        scenario = self.server.fake._pop()
        self._serve(scenario if scenario is not None else _default_scenario(self._received.body))

    def _models(self) -> None:
        if self.server.fake.models_error is not None:
            self._serve(self.server.fake.models_error)
            return
        data = [{"id": m, "object": "model", "created": 0, "owned_by": m.split("/")[0] if "/" in m else ""}
                for m in self.server.fake.models]
        self._serve(Scenario(steps=[Body(_dumps({"object": "list", "data": data}))]))

    def _user_info(self) -> None:
        status = self.server.fake.user_info_status
        if status != 200:
            self._serve(error(status))
            return
        info = {"id": "fake-user", "name": "tester", "image": "", "email": "", "isAdmin": False,
                "balance": "0.88", "status": "normal", "introduction": "", "role": "",
                "chargeBalance": "88.00", "totalBalance": self.server.fake.total_balance}
        body = {"code": 20000, "message": "OK", "status": True, "data": info}
        self._serve(Scenario(steps=[Body(_dumps(body))]))

    # -- response

    def _serve(self, scenario: Scenario) -> None:
        received = self._received
        try:
            if scenario.is_stream:
                self._serve_stream(scenario)
            else:
                self._serve_plain(scenario)
        except ConnectionError:
            self.close_connection = True
            if not self.server.fake._stopping.is_set():
                # Recorded before the count below, which wakes wait_for_disconnect().
                received.ended_at = received.disconnected_at = time.monotonic()
                if scenario.is_stream:
                    self.server.fake._count_disconnect()
        finally:
            if received.ended_at is None:
                received.ended_at = time.monotonic()

    def _send_head(self, status: int, content_type: str, extra: dict[str, str],
                   length: int | None = None) -> None:
        headers = {"Content-Type": content_type}
        if length is None:
            headers.update({"Transfer-Encoding": "chunked", "Cache-Control": "no-cache"})
        else:
            headers["Content-Length"] = str(length)
        headers["x-siliconcloud-trace-id"] = self._received.trace_id
        for key, value in extra.items():  # the scenario's headers win, compared without case
            for existing in [k for k in headers if k.lower() == key.lower()]:
                del headers[existing]
            headers[key] = str(value)
            if key.lower() == "x-siliconcloud-trace-id":
                self._received.trace_id = str(value)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()

    def _serve_plain(self, scenario: Scenario) -> None:
        for step in scenario.steps:
            if isinstance(step, Sleep):
                if not self._pause(step.seconds):
                    self.close_connection = True
                    return
            elif isinstance(step, Drop):
                self._drop()
                return
            elif isinstance(step, Body):
                self._send_head(scenario.status, step.content_type, scenario.headers, len(step.data))
                if self.command != "HEAD":
                    self.wfile.write(step.data)
                return
            else:
                raise TypeError(f"{type(step).__name__} cannot be used in a scenario with a Body")

    def _serve_stream(self, scenario: Scenario) -> None:
        fake = self.server.fake
        self._send_head(scenario.status, "text/event-stream", scenario.headers)
        first_token = True
        for step in scenario.steps:
            if isinstance(step, Chunk):
                if step.token:
                    rate = scenario.token_rate or fake.token_rate  # read each time: settable mid-stream
                    if not first_token and rate and not self._pause(1.0 / rate):
                        self.close_connection = True
                        return
                    first_token = False
                self._write_chunk(_sse(step.obj))
                if step.token:
                    fake.last_token_written_at = time.time()
            elif isinstance(step, Raw):
                if step.data:  # an empty HTTP chunk would end the response
                    self._write_chunk(step.data)
            elif isinstance(step, Done):
                self._write_chunk(b"data: [DONE]\n\n")
            elif isinstance(step, Sleep):
                if not self._pause(step.seconds):
                    self.close_connection = True  # server stopping: abandon the stream
                    return
            elif isinstance(step, Drop):
                self._drop()
                return
            else:
                raise TypeError(f"{type(step).__name__} cannot be used in a stream")
        self.wfile.write(b"0\r\n\r\n")

    def _write_chunk(self, data: bytes) -> None:
        if self._received.first_chunk_at is None:
            self._received.first_chunk_at = time.monotonic()
        # One write per HTTP chunk: wfile is unbuffered, so the client sees it immediately.
        self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _pause(self, seconds: float) -> bool:
        """Sleep; False if the server is stopping.  Raises _PeerGone if the client hangs up.

        Watching the socket while sleeping means a client that gives up during a long stall
        is counted at once, not when the next write fails minutes later.
        """
        stopping = self.server.fake._stopping
        if self._selector is None:
            self._selector = selectors.DefaultSelector()  # not select(): fds > 1024 under load
            self._selector.register(self.connection, selectors.EVENT_READ)
        deadline = time.monotonic() + seconds
        while not stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            slice_ = min(remaining, 0.05)  # how quickly stop() is noticed
            if self._selector.select(slice_):
                try:
                    peeked = self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    peeked = b""
                if not peeked:
                    raise _PeerGone()
                stopping.wait(slice_)  # readable with data (an early next request): don't spin
        return False


_ROUTES = {
    ("POST", "/v1/chat/completions"): _Handler._chat,
    ("GET", "/v1/models"): _Handler._models,
    ("GET", "/v1/user/info"): _Handler._user_info,
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # server_close() must not wait for streams in flight
    request_queue_size = 128  # the default backlog of 5 drops SYNs when 50 clients connect at once

    def __init__(self, address: tuple[str, int], fake: FakeSiliconFlow) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind() does a reverse DNS lookup (getfqdn) that can hang offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)) or self.fake._stopping.is_set():
            return  # clients hanging up are normal, not server errors
        self.fake.errors.append(exc)  # a bug in this module: keep it visible
        super().handle_error(request, client_address)


class FakeSiliconFlow:
    """A SiliconFlow-compatible server on 127.0.0.1 (see the module docstring).

    ``api_key=None`` accepts any or no ``Authorization``.  ``token_rate`` (tokens/s, settable
    at any time) paces streamed tokens of scenarios that have no rate of their own.
    ``errors`` collects unexpected exceptions raised while handling requests (should stay empty).
    """

    def __init__(self, *, api_key: str | None = "sk-test-0123456789", token_rate: float | None = None,
                 port: int = 0) -> None:
        self.api_key = api_key
        self.token_rate = token_rate
        self.models: list[str] = list(DEFAULT_MODELS)
        self.user_info_status = 200
        # /user/info's data.totalBalance (a string, as SiliconFlow sends it): set it between
        # answers to see a balance change.
        self.total_balance = "88.88"
        # Served by GET /models instead of the list when set (e.g. error(401, "...")), for key checks.
        self.models_error: Scenario | None = None
        self.received: list[Received] = []
        self.errors: list[BaseException] = []
        # Wall clock (time.time(), comparable with a browser's Date.now() on this machine) when
        # the latest token chunk of any stream was written: benchmarks measure display lag from it.
        self.last_token_written_at: float | None = None
        self._requested_port = port
        self._lock = threading.Lock()
        self._disconnected = threading.Condition(self._lock)
        self._disconnects = 0
        self._queue: deque[Scenario] = deque()
        self._connections: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> FakeSiliconFlow:
        if self._server is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self._requested_port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sfserver-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly, even with streams in flight (they are cut off)."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # sleeping streams notice within 50 ms
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # wakes handlers blocked on idle keep-alive connections
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def __enter__(self) -> FakeSiliconFlow:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server is not None else self._requested_port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting and inspection

    def push(self, *scenarios: Scenario) -> None:
        """Queue scenarios; each chat completion request takes the oldest one."""
        with self._lock:
            self._queue.extend(scenarios)

    def reset(self) -> None:
        """Forget requests, queued scenarios, disconnects and errors."""
        with self._lock:
            self.received.clear()
            self._queue.clear()
            self._disconnects = 0
            self.errors.clear()

    def chat_requests(self) -> list[dict]:
        """The JSON bodies of ``POST /v1/chat/completions``, in order."""
        return [r.body for r in self.chat_received() if r.body is not None]

    def chat_received(self) -> list[Received]:
        """The :class:`Received` records of ``POST /v1/chat/completions``, in arrival order:
        with their timing (``time``, ``first_chunk_at``, ``ended_at``, ``disconnected_at``)."""
        with self._lock:
            return [r for r in self.received if r.method == "POST" and r.path == "/v1/chat/completions"]

    @property
    def last_trace_id(self) -> str | None:
        """The ``x-siliconcloud-trace-id`` of the latest request's response."""
        with self._lock:
            return self.received[-1].trace_id if self.received else None

    @property
    def disconnects(self) -> int:
        """Streams the client abandoned before the server finished them."""
        with self._lock:
            return self._disconnects

    def wait_for_disconnect(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Wait until at least ``count`` disconnects were counted; False on timeout."""
        with self._disconnected:
            return self._disconnected.wait_for(lambda: self._disconnects >= count, timeout)

    # -- used by the handler

    def _record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def _pop(self) -> Scenario | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _count_disconnect(self) -> None:
        with self._disconnected:
            self._disconnects += 1
            self._disconnected.notify_all()

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


if __name__ == "__main__":  # a manual server: python tests/support/sfserver.py [port]
    fake = FakeSiliconFlow(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0).start()
    print(f"base_url {fake.base_url}  api_key {fake.api_key}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
