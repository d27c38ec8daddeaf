"""A stand-in for SiliconFlow's streamed answers that costs the machine little, for
bench/visitors.py: one asyncio loop in a process of its own.

The tests' fake server (tests/support/sfserver) runs a thread per connection and wakes it for
each token: with 200 answers of 100 tokens at once it took 1.4-1.8 s of CPU per burst, on
the same 2 cores as the app being measured, where SiliconFlow costs the app's machine
nothing. This server writes the same bytes (the fake's own chunks, made by its builder,
with the same head and pacing: the first chunk after the first-token time, then one token
every 1/rate s) for every chat request, from one event loop, and answers the model list and
the account as the fake does. It keeps connections alive as the fake does.

Its interface (:class:`UpstreamProcess`, bench/visitors.Upstream's too): ``push(answer,
first_ms, count)`` sets the answer of every request from then on (``count`` is not needed:
every request gets it), ``reset()``, ``stop()``, ``base_url``.
"""

from __future__ import annotations

import asyncio
import email.utils
import multiprocessing
import threading
import uuid
from typing import Any

from bench.common import END_MARKER, TEST_KEY, Answer

# One chunk of the answer: seconds to wait before it, its bytes as one HTTP chunk.
Plan = list[tuple[float, bytes]]


def answer_words(tokens: int) -> list[str]:
    """The answer's tokens, the last one END_MARKER (the visitors know the end by it)."""
    return [f"word{i} " for i in range(tokens - 1)] + [END_MARKER]


def plan(tokens: int, rate: float | None, first_ms: float) -> Plan:
    """The fake's stream of ``tokens`` tokens at ``rate``, after ``first_ms``: its chunks,
    each with the pause the fake makes before it (tests/support/sfserver/handler.py)."""
    from tests.support.sfserver import Chunk, Done, Raw, stream
    from tests.support.sfserver.wire import _sse

    chunks: Plan = []
    pause, first_token = first_ms / 1000, True
    for step in stream(answer_words(tokens), token_rate=rate).steps:
        if isinstance(step, Chunk):
            if step.token:
                if not first_token and rate:
                    pause += 1.0 / rate
                first_token = False
            data = _sse(step.obj)
        elif isinstance(step, Done):
            data = b"data: [DONE]\n\n"
        elif isinstance(step, Raw):
            data = step.data
        else:
            raise TypeError(f"{type(step).__name__} is not in a plain stream")
        chunks.append((pause, b"%x\r\n" % len(data) + data + b"\r\n"))
        pause = 0.0
    chunks.append((0.0, b"0\r\n\r\n"))
    return chunks


def _response(status: int, body: Any) -> bytes:
    """A whole response: ``body`` as the fake's JSON for 200, else the fake's error body."""
    from tests.support.sfserver import ERROR_BODIES
    from tests.support.sfserver.wire import _dumps

    data, content_type = (_dumps(body), "application/json") if status == 200 else ERROR_BODIES[status]
    return _head(status, content_type, {"Content-Length": str(len(data))}) + data


def _head(status: int, content_type: str, extra: dict[str, str]) -> bytes:
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}[status]
    headers = {"Server": "sfserver", "Date": email.utils.formatdate(usegmt=True), "Content-Type": content_type,
               **extra, "x-siliconcloud-trace-id": uuid.uuid4().hex}
    return (f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + "\r\n").encode()


class _Server:
    def __init__(self) -> None:
        self.plan: Plan = plan(2, None, 0)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *lines = head.decode("latin-1").split("\r\n")
        method, path, _ = request_line.split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}
        await reader.readexactly(int(headers.get("content-length") or 0))
        if headers.get("authorization") != f"Bearer {TEST_KEY}":
            writer.write(_response(401, None))
        elif (method, path) == ("POST", "/v1/chat/completions"):
            await self._stream(writer)
        elif (method, path) == ("GET", "/v1/models"):
            from tests.support.sfserver import DEFAULT_MODELS
            writer.write(_response(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": m.split("/")[0]} for m in DEFAULT_MODELS]}))
        elif (method, path) == ("GET", "/v1/user/info"):
            writer.write(_response(200, {"code": 20000, "message": "OK", "status": True,
                                         "data": {"id": "fake-user", "totalBalance": "88.88"}}))
        else:
            writer.write(_response(404, None))
        await writer.drain()
        return headers.get("connection", "").lower() != "close"

    async def _stream(self, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, "text/event-stream", {"Transfer-Encoding": "chunked", "Cache-Control": "no-cache"}))
        for pause, chunk in self.plan:
            if pause > 0:
                await asyncio.sleep(pause)
            if writer.transport.is_closing():  # the reader hung up (a visitor gave up): stop writing
                return
            writer.write(chunk)  # one write per HTTP chunk, as the fake's


def _serve(connection: Any) -> None:
    server = _Server()
    loop = asyncio.new_event_loop()
    listening = loop.run_until_complete(asyncio.start_server(server.handle, "127.0.0.1", 0, backlog=4096))
    connection.send(f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}/v1")
    threading.Thread(target=loop.run_forever, daemon=True).start()
    while True:
        command, *args = connection.recv()
        if command == "push":
            tokens, rate, first_ms, _ = args  # every request gets the answer: no count
            new_plan = plan(tokens, rate, first_ms)
            loop.call_soon_threadsafe(setattr, server, "plan", new_plan)
        elif command != "reset":
            return
        connection.send(None)


class UpstreamProcess:
    """An upstream serving in a child process, driven over a pipe: ``serve(connection)`` sends
    its base URL, then answers each command ("push", "reset") and returns on "stop"."""

    name = ""

    def __init__(self, serve: Any) -> None:
        self._connection, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=serve, args=(child,), daemon=True)
        self._process.start()
        self.base_url: str = self._connection.recv()

    def push(self, answer: Answer, first_ms: float, count: int) -> None:
        self._connection.send(("push", answer.tokens, answer.rate, first_ms, count))
        self._connection.recv()

    def reset(self) -> None:
        self._connection.send(("reset",))
        self._connection.recv()

    def stop(self) -> None:
        self._connection.send(("stop",))
        self._process.join(10)


class LightUpstream(UpstreamProcess):
    """The light stand-in in a child process."""

    name = "light"

    def __init__(self) -> None:
        super().__init__(_serve)
