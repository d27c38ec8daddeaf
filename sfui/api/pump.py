"""Read a ChatStream on the event loop; consume it in batches.

Why: the UI handler is an async generator that sends the browser at most one update per
frame. The pump reads the answer in a task of its own, so the handler can wait for "new
events *or* the next UI frame" and take everything that arrived since the last one, and
never leaves text unshown because the model paused. Stop cancels the handler at once,
even while the read waits for the model, and the handler's ``finally`` closes the pump,
which closes the upstream request. (The answer used to be read in a thread per answer;
with hundreds streaming at once, those threads' wake-ups kept the event loop waiting for
the interpreter lock: sfui.api.async_http.)
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, Callable
from typing import Any


class _End:
    pass


_END = _End()


class StreamPump:
    def __init__(self, stream: AsyncIterable[Any], *, close: Callable[[], None] | None = None) -> None:
        """``close``: what ends the stream at once (ChatStream.close: the server sees the
        disconnect); the reading task is cancelled as well."""
        self._stream = stream
        self._close = close
        self._items: deque[Any] = deque()
        self._error: BaseException | None = None
        self._finished = False
        self._closing = False
        self._wakeup: asyncio.Event | None = None
        self._ended: asyncio.Event | None = None  # set once the reading has finished
        # A new item wakes the consumer only while it waits: a token that arrives
        # between frames costs no wake-up, and only once until the consumer has woken
        # (the tokens of one read come one after another).
        self._waiting = False
        self._woken = False
        self._task: asyncio.Task | None = None

    def start(self) -> StreamPump:
        self._wakeup = asyncio.Event()
        self._ended = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._read())
        return self

    async def _read(self) -> None:
        try:
            async for item in self._stream:
                self._items.append(item)
                if self._waiting and not self._woken:
                    self._woken = True
                    self._wakeup.set()  # type: ignore[union-attr]
        except asyncio.CancelledError:
            pass  # close(): nobody reads what is left
        except Exception as exc:  # handed to the consumer, which re-raises it
            if not self._closing:
                self._error = exc
        finally:
            self._items.append(_END)
            self._wakeup.set()  # type: ignore[union-attr]
            self._ended.set()  # type: ignore[union-attr]

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
        # A wake-up can be stale: set for an item that an earlier call already took.
        # So wait until there really is something. _waiting is set before the check and
        # the reader appends before it reads _waiting, so an item is either seen here or
        # followed by a wake-up; _woken is cleared before the second check, so an item
        # appended without a wake-up (one was on its way) is seen there.
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
        """Stop the stream now (from the event loop's thread)."""
        self._closing = True
        if self._close is not None:
            self._close()
        if self._task is not None:
            self._task.cancel()  # the stream's own cleanup closes its response
