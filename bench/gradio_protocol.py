"""Gradio's queue protocol, spoken without a browser as the page's JavaScript speaks it:
``POST gradio_api/queue/join`` names the event (its ``fn_index``, its inputs and a session
hash of the caller's choosing), then ``GET gradio_api/queue/data`` streams that session's
messages as server-sent events, one JSON object a ``data:`` line, whose ``msg`` says what
it is: ``estimation``, ``process_starts``, ``process_generating`` (a frame: the outputs
whole, then their diffs against the frame before), ``process_completed`` (the last frame,
whole) and ``close_stream``.

The one reader of it in bench/: the scripts that ask this way (measure_protocol,
measure_conversations) time and weigh the frames; joining, reading the stream and
applying the diffs are done here.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import httpx
from gradio_client.utils import apply_diff

JOIN = "gradio_api/queue/join"
DATA = "gradio_api/queue/data"


@dataclass(frozen=True)
class Frame:
    """One output message of an event, as read."""

    outputs: list[Any]  # every output as it stands after this message (diffs applied)
    size: int  # bytes of the ``data:`` line that brought it
    diff: bool  # it carried diffs against the frame before, not the outputs whole


# The queue's messages that carry a frame of the event's outputs.
FRAME_MESSAGES = ("process_generating", "process_completed")


def frame_of(message: dict, previous: Frame | None, size: int) -> Frame | None:
    """The frame a FRAME_MESSAGES ``message`` carries: whole, or (a generating message after
    ``previous``, the event's frame before it) a diff applied to ``previous``'s outputs; None
    when the event failed (its frames end there)."""
    if not message.get("success", True):
        return None
    data = message["output"].get("data")
    if message.get("msg") == "process_generating" and previous is not None:
        return Frame([apply_diff(o, d) for o, d in zip(previous.outputs, data, strict=False)], size, True)
    return Frame(data, size, False)


class QueueEvent:
    """One call of an event (``fn_index`` with the inputs ``data``, in a session of its own);
    its join request is made once :meth:`frames` is read."""

    def __init__(self, fn_index: int, data: list[Any], session: str | None = None) -> None:
        self.session = session or secrets.token_hex(6)
        # The join request's body, as sent.
        self.body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": self.session,
                                "event_data": None, "trigger_id": None}).encode()

    async def messages(self, http: httpx.AsyncClient, timeout: float) -> AsyncIterator[tuple[dict, int]]:
        """Join the queue and yield every message of the stream (with the size of its line) until
        the event completes. ``http``'s base URL is the app's; ``timeout``: for the stream. Read
        it to its end: the stream is closed when the event is."""
        join = await http.post(JOIN, content=self.body, headers={"content-type": "application/json"})
        join.raise_for_status()
        async with http.stream("GET", DATA, params={"session_hash": self.session}, timeout=timeout) as stream:
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                yield message, len(line.encode())
                if message.get("msg") in ("process_completed", "close_stream"):
                    return

    async def frames(self, http: httpx.AsyncClient, timeout: float) -> AsyncIterator[Frame]:
        """Each frame of the event until it completes (or fails: then the frames end early), as
        :meth:`messages` reads them."""
        frame: Frame | None = None
        async with aclosing(self.messages(http, timeout)) as messages:  # an early return closes the stream
            async for message, size in messages:
                if message.get("msg") in FRAME_MESSAGES:
                    frame = frame_of(message, frame, size)
                    if frame is None:
                        return
                    yield frame


class RawVisitor:
    """One visitor speaking the queue protocol over plain asyncio sockets (HTTP/1.1, its own
    connections), for hundreds of visitors from one event loop: httpx's shared pool and
    line reader took this loop more time than the app took to answer (bench/visitors.py,
    200 visitors: the joins reached the app over 3.5 s through one pool, within 0.12 s
    this way). ``url``: the app's, ``http://host:port/``."""

    def __init__(self, url: str) -> None:
        address = url.split("//", 1)[1].split("/", 1)[0]
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)

    async def _request(self, head: str, body: bytes = b"") -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write(f"{head}\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                     + body)
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            writer.close()
            raise ConnectionError(status.decode(errors="replace").strip())
        while (await reader.readline()).strip():
            pass  # the headers: uvicorn answers both requests chunked
        return reader, writer

    async def post(self, path: str, payload: bytes) -> None:
        """A request whose answer is not needed (a quick step's, a join's)."""
        reader, writer = await self._request(f"POST /{path} HTTP/1.1\r\nContent-Type: application/json"
                                             "\r\nConnection: close", payload)
        await reader.read()
        writer.close()

    async def frames(self, event: QueueEvent, timeout: float) -> AsyncIterator[Frame]:
        """As :meth:`QueueEvent.frames`."""
        await asyncio.wait_for(self.post(JOIN, event.body), timeout)
        reader, writer = await self._request(f"GET /{DATA}?session_hash={event.session} HTTP/1.1")
        frame: Frame | None = None
        try:
            async for line in _chunked_lines(reader):
                if not line.startswith(b"data:"):
                    continue
                message = json.loads(line[5:])
                kind = message.get("msg")
                if kind in FRAME_MESSAGES:
                    frame = frame_of(message, frame, len(line))
                    if frame is None:
                        return
                    yield frame
                if kind in ("process_completed", "close_stream"):
                    return
        finally:
            writer.close()


async def _chunked_lines(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The lines of a chunked HTTP body."""
    buffer = b""
    while True:
        size = int((await reader.readline()).strip() or b"0", 16)
        if size == 0:
            return
        buffer += await reader.readexactly(size)
        await reader.readexactly(2)  # the chunk's CRLF
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            yield line
