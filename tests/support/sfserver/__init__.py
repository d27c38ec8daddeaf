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
is empty the request itself chooses: ``#fake:<name>`` at the start of the last user message,
or a ``model`` of ``fake/<name>``, picks a named scenario; anything else is echoed.  The
names and what each one sends are listed in :mod:`.scenarios`.

Every request is recorded in ``fake.received`` (``fake.chat_received()``: the chat
completions only) as a :class:`Received`, with its timing: arrival (``time``), first body
chunk (``first_chunk_at``), end of the response (``ended_at``) and, when the client hung up
first, ``disconnected_at``; ``fake.disconnects`` / ``wait_for_disconnect()`` count the streams
abandoned.  Requests are served concurrently (one thread each), so a ``fake/slow-first`` and a
``fake/echo`` request overlap and the echo finishes first.

By hand: ``python -m tests.support.sfserver [port]`` serves until Ctrl-C and prints its
``base_url`` and ``api_key``.

The modules, by concern:

- :mod:`.steps`: what a scenario is made of (``Chunk``, ``Raw``, ``Sleep``, ``Done``,
  ``Drop``, ``Body``) and :class:`Scenario`;
- :mod:`.wire`: JSON and SSE framing, SiliconFlow's error bodies, the chunks of one
  completion with their usage, and :func:`error`;
- :mod:`.builders`: well-formed answers, streamed (one choice or several) or not;
- :mod:`.faults`: answers that go wrong (stall, drop, bare error line, broken bytes…);
- :mod:`.images`: what the ``vision`` scenario reads from image parts;
- :mod:`.scenarios`: the ``#fake:`` commands, what a request gets when nothing was pushed;
- :mod:`.records`: :class:`Received`, one request as the server saw it;
- :mod:`.handler`: the HTTP handler (routing, auth, writing a scenario) and its server;
- :mod:`.server`: :class:`FakeSiliconFlow`, lifecycle, scripting and inspection.
"""

from __future__ import annotations

from .builders import non_stream, non_stream_choices, stream, stream_choices, think_tags_stream
from .faults import (
    bare_error_after,
    drop_after,
    html_page,
    huge_chunk,
    invalid_utf8,
    keepalive_comments,
    malformed_after,
    no_done,
    slow_first_token,
    stall_after,
)
from .images import IMAGE_PROMPT_TOKENS
from .records import Received
from .scenarios import DEFAULT_MODELS
from .scenarios import _default_scenario as _default_scenario  # tests ask it what a request would get
from .server import FakeSiliconFlow
from .steps import Body, Chunk, Done, Drop, Raw, Scenario, Sleep, Step
from .wire import BARE_ERROR_LINE, ERROR_BODIES, error

__all__ = [
    "FakeSiliconFlow", "Received", "Scenario", "Step",
    "Chunk", "Raw", "Sleep", "Done", "Drop", "Body",
    "ERROR_BODIES", "BARE_ERROR_LINE", "DEFAULT_MODELS", "IMAGE_PROMPT_TOKENS",
    "stream", "stream_choices", "think_tags_stream", "non_stream", "non_stream_choices", "error",
    "stall_after", "drop_after",
    "no_done", "bare_error_after", "malformed_after", "html_page", "huge_chunk",
    "invalid_utf8", "slow_first_token", "keepalive_comments",
]
