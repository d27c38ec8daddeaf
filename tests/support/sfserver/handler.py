"""The HTTP side: a request handler that records each request, routes it and writes the
scenario's bytes (SSE steps as HTTP chunks), and the threading server it runs in."""

from __future__ import annotations

import json
import selectors
import socket
import socketserver
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .records import Received, _Headers
from .scenarios import _default_scenario
from .steps import Body, Chunk, Done, Drop, Raw, Scenario, Sleep
from .wire import _dumps, _sse, error

if TYPE_CHECKING:
    from .server import FakeSiliconFlow


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
                if not self._pause(step.seconds, step.until):
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
                if not self._pause(step.seconds, step.until):
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

    def _pause(self, seconds: float, until: threading.Event | None = None) -> bool:
        """Sleep (until ``until`` is set, if given); False if the server is stopping.  Raises
        _PeerGone if the client hangs up.

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
            if remaining <= 0 or (until is not None and until.is_set()):
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
