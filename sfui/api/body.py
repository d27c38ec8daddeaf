"""A chat completion's body, bytes in, events out: pure, no I/O.

Both ways of reading an answer push what they read through here: the blocking one
(:class:`~sfui.api.stream.ChatStream` iterated, on ``requests``) and the one on the
event loop (:mod:`sfui.api.async_http`). So a quirk of SiliconFlow's streams (a bare
error object in a 200 stream, an HTML page, a missing ``[DONE]``) is judged in one place,
whichever reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from . import errors
from .chunks import ChunkParser
from .events import Event
from .sse import ForeignLine, SSEDecoder


class SSEBody:
    """An event-stream body: :meth:`feed` each piece as it arrives, then :meth:`end`.
    Once ``done`` (``[DONE]`` came), the rest of the body is not read."""

    def __init__(self, parser: ChunkParser, trace_id: str | None) -> None:
        self._parser = parser
        self._trace_id = trace_id
        self._decoder = SSEDecoder()
        self.done = False

    def feed(self, chunk: bytes) -> Iterator[Event]:
        for item in self._decoder.feed(chunk):
            if isinstance(item, ForeignLine):
                yield from self._foreign_line(item.text)
                continue
            if item.data.strip() == "[DONE]":
                self.done = True
                return
            try:
                obj = json.loads(item.data)
            except ValueError:
                raise errors.MalformedResponseError(
                    f"a stream line is not JSON: {item.data[:80]!r}", status=200, trace_id=self._trace_id
                ) from None
            yield from self._parser.feed(obj)

    def end(self) -> Iterator[Event]:
        """The body has ended (or ``[DONE]`` came): what is left, or the error of a cut stream."""
        if not self.done:
            for item in self._decoder.close():
                if isinstance(item, ForeignLine):
                    yield from self._foreign_line(item.text)
                elif item.data.strip() == "[DONE]":
                    self.done = True
        yield from self._parser.flush()
        if not self.done and not self._parser.complete:
            raise errors.IncompleteStreamError(
                "the stream ended without [DONE]", status=200, trace_id=self._trace_id
            )

    def _foreign_line(self, text: str) -> Iterator[Event]:
        """A line without ``data:``: a bare error object (SiliconFlow) or a
        body that is not SSE at all."""
        try:
            obj = json.loads(text)
        except ValueError:
            if text.lstrip().startswith("<"):
                raise errors.MalformedResponseError(
                    "an HTML page instead of an event stream", status=200, trace_id=self._trace_id
                ) from None
            return  # unknown line: ignored, as the SSE spec says
        if errors.looks_like_error_object(obj):
            raise errors.stream_error_from_object(obj, self._trace_id)
        if isinstance(obj, dict) and "choices" in obj:
            yield from self._parser.feed(obj)  # a server that forgot the "data:" prefix


def json_body(parser: ChunkParser, body: bytes, status: int, trace_id: str | None) -> Iterator[Event]:
    """A whole chat.completion object (stream=false, or a server that ignored stream=true)."""
    try:
        obj = json.loads(body)
    except ValueError:
        raise errors.MalformedResponseError(
            "the response is not JSON: " + errors.parse_error_body(body)[1][:120], status=status, trace_id=trace_id
        ) from None
    if not isinstance(obj, dict) or "choices" not in obj:
        if errors.looks_like_error_object(obj):
            raise errors.stream_error_from_object(obj, trace_id)
        raise errors.MalformedResponseError("no choices in the response", status=status, trace_id=trace_id)
    yield from parser.feed(obj)
    yield from parser.flush()


def not_a_stream(content_type: str, body: bytes, status: int, trace_id: str | None) -> errors.SiliconFlowError:
    """A body that is neither an event stream nor JSON."""
    return errors.MalformedResponseError(
        f"expected a server-sent event stream, got {content_type or 'no content type'}: "
        + errors.parse_error_body(body)[1][:120],
        status=status,
        trace_id=trace_id,
    )


def kind_of(content_type: str, streamed: bool) -> str:
    """How to read a body: "sse", "json" or "other"."""
    content_type = content_type.lower()
    if "text/event-stream" in content_type:
        return "sse"
    if "json" in content_type or not streamed:
        return "json"
    return "other"
