"""Property tests: the SSE decoder and the client's stream parser on arbitrary input.

The parser runs on a real ``requests.Response`` whose ``raw`` is a real
``urllib3.HTTPResponse`` over in-memory bytes: the same code path as over the
network, minus the socket, fast enough for hypothesis.
"""

from __future__ import annotations

import io
import json

import requests
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfui.api import errors
from sfui.api.client import SiliconFlowClient
from sfui.api.events import Finished, ReasoningDelta, TextDelta, ToolCallDelta, UsageUpdate
from sfui.api.sse import ForeignLine, SSEDecoder, SSEEvent
from sfui.api.stream import ChatStream

# No example database: nothing written into the repository; a failure prints its example.
FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
STREAM_EVENTS = (TextDelta, ReasoningDelta, ToolCallDelta, UsageUpdate, Finished)

# Pieces that make the interesting cases likely: field names, every line
# ending, comments, multi-byte and invalid UTF-8, JSON separators.
SSE_PIECES = [
    b"data: ", b"data:", b"event: e", b"id: 7", b"retry: 1", b": keep-alive",
    b"\n", b"\r", b"\r\n", b"\n\n", b"[DONE]",
    b'{"choices":[{"index":0,"delta":{"content":"hi "}}]}',
    b'{"choices":[{"index":0,"delta":{"reasoning_content":"hmm "},"finish_reason":null}]}',
    b'{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
    b'{"code":60000,"message":"failed","data":null}', b"<html>",
    "你好".encode(), "🙂".encode(), "\u2028".encode(), b"\xe4\xbd", b"\xff\xfe", b"{", b"}", b'"', b":",
]
sse_bytes = st.lists(st.sampled_from(SSE_PIECES) | st.binary(max_size=12), max_size=40).map(b"".join)


def cuts(data: bytes) -> st.SearchStrategy[list[bytes]]:
    """``data`` cut into consecutive pieces at arbitrary positions."""
    positions = st.lists(st.integers(0, len(data)), max_size=12).map(sorted)
    return positions.map(lambda ps: [data[a:b] for a, b in zip([0, *ps], [*ps, len(data)], strict=True)])


def decode_all(chunks: list[bytes]) -> list[SSEEvent | ForeignLine]:
    decoder = SSEDecoder()
    out = [item for chunk in chunks for item in decoder.feed(chunk)]
    return out + decoder.close()


@FUZZ
@given(st.data())
def test_decoder_chunking_does_not_change_the_events(data):
    raw = data.draw(sse_bytes | st.binary(max_size=300), label="raw")
    chunks = data.draw(cuts(raw), label="chunks")
    assert decode_all(chunks) == decode_all([raw])


@FUZZ
@given(st.binary(max_size=500))
def test_decoder_never_raises_and_returns_only_its_types(raw):
    for item in decode_all([raw]):
        assert isinstance(item, (SSEEvent, ForeignLine))


# --- the client's stream parser ----------------------------------------------------------


class Trickle(io.RawIOBase):
    """A readable byte stream that hands out the given pieces one read at a time,
    the way a socket returns whatever has arrived."""

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = [p for p in pieces if p]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pieces:
            return 0
        piece = self._pieces[0]
        n = min(len(buffer), len(piece))
        buffer[:n] = piece[:n]
        self._pieces[0] = piece[n:]
        if not self._pieces[0]:
            self._pieces.pop(0)
        return n


def sse_response(pieces: list[bytes]) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "text/event-stream"
    response.raw = urllib3.HTTPResponse(
        body=io.BufferedReader(Trickle(pieces)), headers={"Content-Type": "text/event-stream"},
        status=200, preload_content=False,
    )
    return response


OFFLINE_CLIENT = SiliconFlowClient("sk-fuzz", "http://127.0.0.1:9/v1")  # never connects


def parse(pieces: list[bytes]) -> tuple[ChatStream, list, errors.SiliconFlowError | None]:
    """Run ChatStream's SSE parser over the pieces: (stream, events, error raised)."""
    stream = ChatStream(OFFLINE_CLIENT, {"stream": True})
    events: list = []
    try:
        for event in stream._read_sse(sse_response(pieces)):
            stream.reply.apply(event)  # as ChatStream.__iter__ does with every event it yields
            events.append(event)
    except errors.SiliconFlowError as exc:  # anything else fails the test
        return stream, events, exc
    return stream, events, None


def check_events(stream: ChatStream, events: list) -> None:
    """Events have the types the UI relies on, and the totals are exactly what they said."""
    assert all(isinstance(e, STREAM_EVENTS) for e in events)
    for event in events:
        if isinstance(event, (TextDelta, ReasoningDelta)):
            assert isinstance(event.text, str) and event.text
        elif isinstance(event, Finished):
            assert isinstance(event.reason, str)
        elif isinstance(event, ToolCallDelta):
            assert isinstance(event.arguments, str)
            assert all(isinstance(v, (str, type(None))) for v in (event.id, event.name))
    assert stream.text == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert stream.reasoning == "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert stream.model is None or isinstance(stream.model, str)


@FUZZ
@given(st.data())
def test_parser_on_arbitrary_bytes_yields_events_or_a_typed_error(data):
    raw = data.draw(sse_bytes | st.binary(max_size=300), label="raw")
    stream, events, _ = parse(data.draw(cuts(raw), label="pieces"))
    check_events(stream, events)


# Chunks shaped like the API's, with any JSON value in any slot: a server
# (or proxy) that sends the wrong types must get a typed error, not a crash.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def maybe(value_strategy):
    return value_strategy | json_values


tool_call = st.fixed_dictionaries({}, optional={
    "index": maybe(st.integers(0, 3) | st.integers(-3, 10**9)),
    "id": maybe(st.text(max_size=6)),
    "function": maybe(st.fixed_dictionaries({}, optional={
        "name": maybe(st.text(max_size=6)), "arguments": maybe(st.text(max_size=8))})),
})
delta = st.fixed_dictionaries({}, optional={
    "content": maybe(st.text(max_size=10)),
    "reasoning_content": maybe(st.text(max_size=10)),
    "tool_calls": maybe(st.lists(tool_call, max_size=2)),
})
usage = st.fixed_dictionaries({}, optional={
    "prompt_tokens": maybe(st.integers(0, 100)),
    "completion_tokens": maybe(st.integers(0, 100)),
    "total_tokens": maybe(st.integers(0, 200)),
    "completion_tokens_details": maybe(st.fixed_dictionaries({"reasoning_tokens": maybe(st.integers(0, 50))})),
})
choice = st.fixed_dictionaries({}, optional={
    "index": maybe(st.just(0)),
    "delta": maybe(delta),
    "message": maybe(delta),
    "finish_reason": maybe(st.sampled_from(["stop", "length", "tool_calls", "eos"])),
})
api_chunk = st.fixed_dictionaries({"choices": maybe(st.lists(choice, max_size=2))},
                                  optional={"usage": maybe(usage), "model": maybe(st.text(max_size=6))})


@FUZZ
@given(st.lists(api_chunk, max_size=6), st.booleans(), st.data())
def test_parser_on_wrongly_typed_chunks_yields_events_or_a_typed_error(chunks, done, data):
    body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    body += b"data: [DONE]\n\n" if done else b""
    stream, events, _ = parse(data.draw(cuts(body), label="pieces"))
    check_events(stream, events)


# Without "<" no text can open a think tag, so all of it is answer text
# (no lone surrogates either: a real server's UTF-8 cannot carry them).
answer_char = st.characters(blacklist_categories=("Cs",), blacklist_characters="<")
answer_tokens = st.lists(st.text(answer_char, max_size=12), min_size=1, max_size=8)


@FUZZ
@given(answer_tokens, st.data())
def test_parser_reassembles_well_formed_text_across_any_cuts(tokens, data):
    body = b"".join(
        b"data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": t}}]}, ensure_ascii=False).encode()
        + b"\n\n" for t in tokens
    ) + b"data: [DONE]\n\n"
    stream, events, error = parse(data.draw(cuts(body), label="pieces"))
    assert error is None
    assert (stream.text, stream.reasoning) == ("".join(tokens), "")
