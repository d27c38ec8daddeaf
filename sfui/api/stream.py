"""One chat completion as a stream: :class:`ChatStream`.

:meth:`SiliconFlowClient.chat_stream <sfui.api.client.SiliconFlowClient.chat_stream>`
returns one: iterate it for typed events (:mod:`sfui.api.events`) as they arrive, then
read the totals (``text``, ``reasoning``, ``usage`` …) from it. The client sends the
request (with its retries); this module reads the answer: SSE through
:class:`~sfui.api.sse.SSEDecoder`, or a whole JSON body, each chunk handed to
:class:`~sfui.api.chunks.ChunkParser`. The stream owns the HTTP response and closes
it the moment iteration stops (Stop button, closed tab, ``break``), so the server
stops generating.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

import requests
import urllib3.exceptions

from . import errors
from .chunks import ChunkParser
from .events import Event, Replies, Reply, Retrying, ToolCall, Usage
from .http_errors import connection_error
from .sse import ForeignLine, SSEDecoder

if TYPE_CHECKING:
    from .client import SiliconFlowClient

_READ_SIZE = 65536


class ChatStream:
    """One chat completion: iterate for events, then read the totals.

    Every event it yields has been applied to its choice's :class:`Reply`
    first (``choices[event.choice]``; a UsageUpdate, the request's total, to
    every choice's). ``reply`` is choice 0's, and ``text``, ``reasoning``,
    ``usage``, ``finish_reason`` and ``tool_calls`` read it. Use it as a
    context manager (or call :meth:`close`) so the connection is released even
    when you stop early. Iterating twice is not supported.
    """

    def __init__(self, client: SiliconFlowClient, payload: dict) -> None:
        self._client = client
        self.payload = payload
        self.trace_id: str | None = None
        self._response: requests.Response | None = None
        self._cancelled = threading.Event()
        self._started = False
        self._parser = ChunkParser()
        self._replies = Replies()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP response now; the server sees the disconnect.

        Safe to call from another thread while one is blocked reading the
        stream: the socket is shut down first, which wakes a blocked read
        (a plain close() would not, on Linux)."""
        self._cancelled.set()
        response, self._response = self._response, None
        if response is None:
            return
        connection = getattr(response.raw, "_connection", None)
        sock = getattr(connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer
        response.close()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    # --- the replies --------------------------------------------------------------------

    @property
    def choices(self) -> tuple[Reply, ...]:
        """One Reply per choice, by index: as many as the highest index the server
        sent (or :meth:`reply_for` was asked for) + 1, at least one."""
        return self._replies.all

    def reply_for(self, index: int) -> Reply:
        """Choice ``index``'s Reply, the same object before, during and after the
        stream: a view can hold it before the server sent that choice. Safe from
        any thread; IndexError past sfui.api.events.MAX_CHOICES."""
        return self._replies.get(index)

    @property
    def reply(self) -> Reply:
        return self._replies.get(0)

    @property
    def model(self) -> str | None:
        """The model the server says answered (its chunks' ``model``)."""
        return self._parser.model

    @property
    def text(self) -> str:
        return self.reply.text

    @property
    def reasoning(self) -> str:
        return self.reply.reasoning

    @property
    def usage(self) -> Usage | None:
        return self.reply.usage

    @property
    def finish_reason(self) -> str | None:
        return self.reply.finish_reason

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        return self.reply.tool_calls

    def __iter__(self) -> Iterator[Event]:
        if self._started:
            raise RuntimeError("a ChatStream can be iterated only once")
        self._started = True
        events = self._events()
        try:
            for event in events:
                self._replies.apply(event)  # the one place where the replies grow
                yield event
        except Exception:
            # close() from another thread pulls the socket out from under a
            # blocked read, which then fails in arbitrary ways (http.client
            # even raises AttributeError). The caller asked for the stop:
            # end quietly instead of reporting a broken stream.
            if self._cancelled.is_set():
                return
            raise
        finally:
            # GeneratorExit (consumer stopped) lands here too: close the upstream at once.
            events.close()
            self.close()

    def _events(self) -> Generator[Event, None, None]:
        response = None
        for item in self._client._open(self.payload, self._cancelled):
            if isinstance(item, Retrying):
                yield item
            else:
                response = item
        if response is None:
            return  # closed while waiting to retry
        # Publish the response before checking the flag, so a close() from
        # another thread either sees the response or we see its flag.
        self._response = response
        if self._cancelled.is_set():
            return  # closed while connecting; __iter__ closes the response
        self.trace_id = self._parser.trace_id = response.headers.get("x-siliconcloud-trace-id")
        yield from self._read_body(response)

    def _read_body(self, response: requests.Response) -> Iterator[Event]:
        content_type = response.headers.get("Content-Type", "").lower()
        if "text/event-stream" in content_type:
            yield from self._read_sse(response)
        elif "json" in content_type or not self.payload.get("stream"):
            yield from self._read_json(response)
        else:
            body = response.raw.read(2048, decode_content=True) or b""
            raise errors.MalformedResponseError(
                f"expected a server-sent event stream, got {content_type or 'no content type'}: "
                + errors.parse_error_body(body)[1][:120],
                status=response.status_code,
                trace_id=self.trace_id,
            )

    # --- decoding -----------------------------------------------------------------------

    def _read_sse(self, response: requests.Response) -> Iterator[Event]:
        decoder = SSEDecoder()
        done = False
        for chunk in self._raw_chunks(response):
            for item in decoder.feed(chunk):
                if isinstance(item, ForeignLine):
                    yield from self._foreign_line(item.text)
                    continue
                if item.data.strip() == "[DONE]":
                    done = True
                    break
                try:
                    obj = json.loads(item.data)
                except ValueError:
                    raise errors.MalformedResponseError(
                        f"a stream line is not JSON: {item.data[:80]!r}", status=200, trace_id=self.trace_id
                    ) from None
                yield from self._parser.feed(obj)
            if done:
                break
        if not done:
            for item in decoder.close():
                if isinstance(item, ForeignLine):
                    yield from self._foreign_line(item.text)
                elif item.data.strip() == "[DONE]":
                    done = True
        yield from self._parser.flush()
        if not done and not self._parser.complete:
            raise errors.IncompleteStreamError(
                "the stream ended without [DONE]", status=200, trace_id=self.trace_id
            )

    def _raw_chunks(self, response: requests.Response) -> Iterator[bytes]:
        """Bytes as soon as they arrive (read1 returns what the socket has,
        instead of waiting to fill a buffer)."""
        raw = response.raw
        while True:
            try:
                chunk = raw.read1(_READ_SIZE, decode_content=True)
            except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
                raise errors.ReadTimeoutError(
                    f"no data for {self._client.timeout[1]:g} s", status=200, trace_id=self.trace_id
                ) from None
            except (urllib3.exceptions.ProtocolError, http.client.HTTPException, OSError) as exc:
                raise errors.IncompleteStreamError(
                    f"connection lost: {type(exc).__name__}", status=200, trace_id=self.trace_id
                ) from None
            if not chunk:
                return
            yield chunk

    def _foreign_line(self, text: str) -> Iterator[Event]:
        """A line without ``data:``: a bare error object (SiliconFlow) or a
        body that is not SSE at all."""
        try:
            obj = json.loads(text)
        except ValueError:
            if text.lstrip().startswith("<"):
                raise errors.MalformedResponseError(
                    "an HTML page instead of an event stream", status=200, trace_id=self.trace_id
                ) from None
            return  # unknown line: ignored, as the SSE spec says
        if errors.looks_like_error_object(obj):
            raise errors.stream_error_from_object(obj, self.trace_id)
        if isinstance(obj, dict) and "choices" in obj:
            yield from self._parser.feed(obj)  # a server that forgot the "data:" prefix

    def _read_json(self, response: requests.Response) -> Iterator[Event]:
        """A whole chat.completion object (stream=false, or a server that ignored stream=true)."""
        try:
            body = response.content
        except requests.RequestException as exc:
            raise connection_error(exc) from None
        try:
            obj = json.loads(body)
        except ValueError:
            raise errors.MalformedResponseError(
                "the response is not JSON: " + errors.parse_error_body(body)[1][:120],
                status=response.status_code,
                trace_id=self.trace_id,
            ) from None
        if not isinstance(obj, dict) or "choices" not in obj:
            if errors.looks_like_error_object(obj):
                raise errors.stream_error_from_object(obj, self.trace_id)
            raise errors.MalformedResponseError(
                "no choices in the response", status=response.status_code, trace_id=self.trace_id
            )
        yield from self._parser.feed(obj)
        yield from self._parser.flush()
