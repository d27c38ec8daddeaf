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
import socket
import threading
from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING

import httpx
import requests
import urllib3.exceptions

from . import async_http, body, errors
from .chunks import ChunkParser
from .events import Event, Replies, Reply, Retrying, ToolCall, Usage
from .http_errors import connection_error

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
        self._reading: httpx.Response | None = None  # aevents()'s response
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
        reading, self._reading = self._reading, None
        if reading is not None:  # read on the event loop: its task closes it; the server sees it now
            _shut_down(reading.extensions.get("network_stream") and
                       reading.extensions["network_stream"].get_extra_info("socket"))
        response, self._response = self._response, None
        if response is None:
            return
        _shut_down(getattr(getattr(response.raw, "_connection", None), "sock", None))
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

    async def aevents(self) -> AsyncIterator[Event]:
        """The same events as iterating, read on the running event loop instead of a
        blocking read (sfui.api.async_http says why): for a server streaming to many at
        once. Cancel the task to stop; the response is closed at once, so the server
        stops generating. Iterating and this are one reading each: use one of them."""
        if self._started:
            raise RuntimeError("a ChatStream can be read only once")
        self._started = True
        response = None
        try:
            async for item in async_http.open_response(self._client, self.payload, self._cancelled):
                if isinstance(item, Retrying):
                    self._replies.apply(item)
                    yield item
                else:
                    response = self._reading = item
            if response is None or self._cancelled.is_set():
                return  # closed before it was sent, while waiting to retry, or while connecting
            self.trace_id = self._parser.trace_id = response.headers.get("x-siliconcloud-trace-id")
            async for event in self._read_body_async(response):
                self._replies.apply(event)
                yield event
        finally:
            self._cancelled.set()
            self._reading = None
            if response is not None:
                await response.aclose()

    async def _read_body_async(self, response: httpx.Response) -> AsyncIterator[Event]:
        content_type = response.headers.get("Content-Type", "")
        kind = body.kind_of(content_type, bool(self.payload.get("stream")))
        chunks = async_http.body_chunks(response, self._client.timeout[1], self.trace_id)
        if kind == "sse":
            reader = body.SSEBody(self._parser, self.trace_id)
            async for chunk in chunks:
                for event in reader.feed(chunk):
                    yield event
                if reader.done:
                    break
            for event in reader.end():
                yield event
            return
        content = bytearray()
        async for chunk in chunks:
            content += chunk
            if kind == "other" and len(content) >= 2048:
                break
        if kind == "other":
            raise body.not_a_stream(content_type, bytes(content[:2048]), response.status_code, self.trace_id)
        for event in body.json_body(self._parser, bytes(content), response.status_code, self.trace_id):
            yield event

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
        kind = body.kind_of(response.headers.get("Content-Type", ""), bool(self.payload.get("stream")))
        if kind == "sse":
            yield from self._read_sse(response)
        elif kind == "json":
            try:
                content = response.content
            except requests.RequestException as exc:
                raise connection_error(exc) from None
            yield from body.json_body(self._parser, content, response.status_code, self.trace_id)
        else:
            raise body.not_a_stream(response.headers.get("Content-Type", ""),
                                    response.raw.read(2048, decode_content=True) or b"",
                                    response.status_code, self.trace_id)

    def _read_sse(self, response: requests.Response) -> Iterator[Event]:
        reader = body.SSEBody(self._parser, self.trace_id)
        for chunk in self._raw_chunks(response):
            yield from reader.feed(chunk)
            if reader.done:
                break
        yield from reader.end()

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


def _shut_down(sock: socket.socket | None) -> None:
    """Shut a response's socket down from any thread: the server sees the disconnect at
    once, and a read blocked on it wakes (a plain close() would not, on Linux)."""
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed by the peer
