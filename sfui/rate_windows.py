"""Moving windows of requests per key, in one process: how many a key made in the
last ``period`` seconds, and when the oldest of them leaves the window.

No thread: each key's timestamps are pruned when the key is used, and idle keys are
dropped every so often from the request path itself (bench/budget.py measured a
timer thread that scanned every key, many times a second, as the check's p99).
Plain Python; the caller holds any lock it needs.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

# Requests between two sweeps of the keys no request has used for a whole period.
SWEEP_EVERY = 4096


class MovingWindows:
    """At most ``limit`` requests per key in any ``period`` seconds."""

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

    def __len__(self) -> int:
        return len(self._hits)
