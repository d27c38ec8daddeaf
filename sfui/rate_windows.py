"""Moving windows of requests per key: how many a key made in the last ``period``
seconds, and when the oldest of them leaves the window. :class:`RequestWindows` is what
the demo's guard needs; :class:`MovingWindows` keeps them in one process,
:class:`RedisWindows` in a Redis shared by every process of a deployment.

MovingWindows has no thread: each key's timestamps are pruned when the key is used, and
idle keys are dropped every so often from the request path itself (bench/budget.py
measured a timer thread that scanned every key, many times a second, as the check's
p99: the ``limits`` package's memory storage). The caller holds any lock it needs.

Plain Python: no Gradio.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from .budget_store import StoreUnavailable

# Requests between two sweeps of the keys no request has used for a whole period.
SWEEP_EVERY = 4096


class RequestWindows(Protocol):
    """At most ``limit`` requests per key in any ``period`` seconds."""

    limit: int
    period: float

    def take(self, keys: Sequence[str], cost: int = 1) -> float:
        """Count ``cost`` requests against every key if they fit every key's window: 0; else
        the seconds until they would (nothing is counted, save in a race that RedisWindows
        says more of)."""


class MovingWindows:
    """At most ``limit`` requests per key in any ``period`` seconds, in this process."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._until_sweep = SWEEP_EVERY

    def _window(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.period:
            hits.popleft()
        return hits

    def wait(self, keys: Sequence[str], cost: int = 1) -> float:
        """Seconds until ``cost`` more requests fit every key's window (0: they fit now)."""
        now = self.clock()
        longest = 0.0
        for key in keys:
            hits = self._window(key, now)
            over = len(hits) + cost - self.limit
            if over > 0:
                # The window frees up when the request ``over`` places from the oldest leaves it;
                # a cost over the limit never fits: a whole period, each time it is asked.
                oldest = hits[over - 1] if over <= len(hits) else now
                longest = max(longest, oldest + self.period - now)
        return longest

    def hit(self, keys: Sequence[str], cost: int = 1) -> None:
        """Count ``cost`` requests against each key, now."""
        now = self.clock()
        for key in keys:
            hits = self._hits.get(key)
            if hits is None:
                hits = self._hits[key] = deque()
            hits.extend([now] * cost)
        self._until_sweep -= 1
        if self._until_sweep <= 0:
            self._until_sweep = SWEEP_EVERY
            for key in [key for key, hits in self._hits.items() if not self._window(key, now)]:
                del self._hits[key]

    def take(self, keys: Sequence[str], cost: int = 1) -> float:
        wait = self.wait(keys, cost)
        if wait <= 0:
            self.hit(keys, cost)
        return wait

    def __len__(self) -> int:
        return len(self._hits)


class RedisWindows:
    """At most ``limit`` requests per key in any ``period`` seconds, across every process that
    shares ``redis_url``: the ``limits`` package's moving window in Redis (a list of
    timestamps per key, trimmed and appended by one Lua script, so two processes never both
    take a window's last place). ``name`` keeps two kinds of windows apart (requests per
    minute, keys tried per hour).

    Several keys (a visitor's address and browser) are checked first, then taken one by one:
    each take is atomic, the set is not. When a race fills a later key's window between the
    check and its take, the request is refused and the keys already taken keep it: a limit
    is never passed; a request may be counted that was not sent."""

    def __init__(self, redis_url: str, limit: int, period: float, name: str, prefix: str = "sfui") -> None:
        from limits import RateLimitItemPerSecond
        from limits.storage import RedisStorage
        from limits.strategies import MovingWindowRateLimiter

        self.limit = limit
        self.period = period
        self._item = RateLimitItemPerSecond(max(1, limit), max(1, int(period)), namespace=name)
        storage = RedisStorage(redis_url, key_prefix=f"{prefix}:limits", wrap_exceptions=True,
                               socket_timeout=5, socket_connect_timeout=5)
        self._limiter: Any = MovingWindowRateLimiter(storage)

    def _wait(self, keys: Sequence[str], cost: int) -> float:
        if cost > self.limit:
            return self.period  # never fits at once: a whole period, each time it is asked
        now = time.time()
        waits = [self._limiter.get_window_stats(self._item, key) for key in keys]
        return max([stats.reset_time - now for stats in waits if stats.remaining < cost] or [0.0])

    def take(self, keys: Sequence[str], cost: int = 1) -> float:
        from limits.errors import StorageError

        try:
            return self._take(keys, cost)
        except StorageError as error:
            raise StoreUnavailable(f"the rate limits' Redis: {error}") from error

    def _take(self, keys: Sequence[str], cost: int) -> float:
        if cost > self.limit or not all(self._limiter.test(self._item, key, cost=cost) for key in keys):
            return max(self._wait(keys, cost), 1.0)
        for key in keys:
            if not self._limiter.hit(self._item, key, cost=cost):
                return max(self._wait(keys, cost), 1.0)
        return 0.0
