"""The fake itself: :class:`FakeSiliconFlow`'s lifecycle, scripting and inspection."""

from __future__ import annotations

import socket
import threading
from collections import deque
from typing import Any

from .handler import _Server
from .records import Received
from .scenarios import DEFAULT_MODELS
from .steps import Scenario


class FakeSiliconFlow:
    """A SiliconFlow-compatible server on 127.0.0.1 (see the package docstring).

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
