"""Read a blocking ChatStream in a thread; consume it from asyncio in batches.

Why: the UI handler is an async generator. Reading the HTTP stream in its own
thread means (1) Stop cancels the handler at once, even while the read is
blocked waiting for the model, and the handler's ``finally`` closes the
upstream socket; (2) the handler can wait for "new events *or* the next UI
frame", so it sends the browser at most one update per frame with everything
that arrived since the last one, and never leaves text unshown because the
model paused.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any


class _End:
    pass


_END = _End()
_BLOCKED = 0.002  # seconds: a read that took longer waited for the network, not the CPU


class _Starter:
    """Starts the readers' threads, from a thread of its own. ``Thread.start`` waits until
    the new thread has run (and got the GIL once): on the event loop's thread that wait
    held up every other visitor, one wait per answer (bench/visitors.py, 200 answers
    starting at once on 2 busy cores: a sixth of the loop's busy time)."""

    def __init__(self) -> None:
        self._pending: queue.SimpleQueue[threading.Thread] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, thread: threading.Thread) -> None:
        self._pending.put(thread)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sfui-stream-starter", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._pending.get().start()


_STARTER = _Starter()


class StreamPump:
    def __init__(self, stream: Iterable[Any], *, close: Any = None,
                 nap_after: Callable[[Any], bool] = lambda item: True) -> None:
        """``nap_after(item)``: whether the reader may nap after reading ``item``
        (see ``nap``); False for an item after which the stream is about to end."""
        self._stream = stream
        self._nap_after = nap_after
        self._close = close or getattr(stream, "close", None)
        self._items: deque[Any] = deque()
        self._error: BaseException | None = None
        self._finished = False
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._ended: asyncio.Event | None = None  # set once the reader has finished
        # The reader wakes the event loop only while the consumer waits: a token
        # that arrives between frames costs no loop wake-up (profiled: ~15% of CPU),
        # and only once until the consumer has woken (the tokens of one read come
        # one after another).
        self._waiting = False
        self._woken = False
        self._thread: threading.Thread | None = None
        # Set by the consumer once it paces its updates (seconds): how long the reader
        # may leave new tokens in the socket after catching up. 0: read each at once.
        self.nap = 0.0
        self._stop_napping = threading.Event()

    def start(self) -> StreamPump:
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self._ended = asyncio.Event()
        self._thread = threading.Thread(target=self._run, name="sfui-stream", daemon=True)
        _STARTER.start(self._thread)
        return self

    def _notify(self, event: asyncio.Event | None = None) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe((event or self._wakeup).set)  # type: ignore[union-attr]
            except RuntimeError:
                pass  # the loop shut down under us; nobody is waiting any more

    def _run(self) -> None:
        items = iter(self._stream)
        clock = time.monotonic
        try:
            while True:
                started = clock()
                try:
                    item = next(items)
                except StopIteration:
                    break
                self._items.append(item)
                if self._waiting and not self._woken:
                    self._woken = True
                    self._notify()
                nap = self.nap
                if nap and clock() - started > _BLOCKED and not self._closing and self._nap_after(item):
                    # This item had to be waited for: the reader has caught up with the
                    # stream. Let the next tokens pile up in the socket for a while
                    # and read them in one go, instead of waking up for each one (on
                    # this kind of machine a wake-up costs more CPU than the token).
                    # Items read without waiting (a backlog) never nap, so the reader
                    # cannot fall behind.
                    self._stop_napping.wait(nap)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            if not self._closing:
                self._error = exc
        finally:
            self._items.append(_END)
            self._notify()
            self._notify(self._ended)

    async def next_batch(self, timeout: float | None = None) -> list[Any] | None:
        """Everything that arrived since the last call; waits up to ``timeout``
        seconds for at least one item ([] on time-out). None once the stream
        has ended; re-raises the stream's error after the items before it."""
        if self._finished:
            return None
        assert self._wakeup is not None, "call start() first"
        if not self._items and timeout == 0:
            return []
        if not self._items:
            try:
                await asyncio.wait_for(self._until_items(), timeout)
            except TimeoutError:
                return []
        batch: list[Any] = []
        while self._items:
            item = self._items.popleft()
            if item is _END:
                self._finished = True
                break
            batch.append(item)
        if self._finished and not batch:
            if self._error is not None:
                raise self._error
            return None
        if self._finished and self._error is not None:
            # Deliver the items first; the error comes with the next call.
            self._finished = False
            self._items.appendleft(_END)
        return batch

    async def wait_for_end(self, timeout: float) -> None:
        """Sleep ``timeout`` seconds, or less if the stream ends (or is closed)
        meanwhile: the consumer's wait for its next frame, which must not hold
        back the final update. Items arriving meanwhile do not wake it."""
        assert self._ended is not None, "call start() first"
        if self._ended.is_set() or timeout <= 0:
            return
        try:
            await asyncio.wait_for(self._ended.wait(), timeout)
        except TimeoutError:
            pass

    async def _until_items(self) -> None:
        # A wake-up can be stale: the reader's set() for an item that an
        # earlier call already took runs after that call returned. So wait
        # until there really is something. The clear() cannot swallow the
        # set() of a new item: set() runs on this loop, so after the clear.
        # _waiting is set before the check, and the reader appends before it reads
        # _waiting, so an item is either seen here or followed by a wake-up.
        # _woken is cleared before the second check: an item the reader appended without
        # a wake-up (one was on its way) is seen there, and any later one wakes us.
        self._waiting = True
        try:
            while not self._items:
                self._woken = False
                self._wakeup.clear()  # type: ignore[union-attr]
                if self._items:
                    break
                await self._wakeup.wait()  # type: ignore[union-attr]
        finally:
            self._waiting = False

    def close(self) -> None:
        """Stop the stream now (from the event loop's thread); the reader
        thread ends on its own once its blocked read returns."""
        self._closing = True
        self._stop_napping.set()
        if self._close is not None:
            self._close()
