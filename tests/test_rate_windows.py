"""sfui/rate_windows.py: requests per key in a moving window: this process's, with a clock the
test moves, and Redis's (the limits package), against a real redis-server."""

from __future__ import annotations

import threading

import pytest

from sfui import rate_windows
from sfui.rate_windows import MovingWindows, RedisWindows
from tests.support.redis_server import flushed_client, running_redis


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_its_limit_then_waits_for_its_oldest_request_to_leave():
    clock = Clock()
    windows = MovingWindows(3, 60.0, clock)
    for _ in range(3):
        assert windows.wait(["a"]) == 0
        windows.hit(["a"])
        clock.now += 10
    assert windows.wait(["a"]) == 30.0  # the first request (at 1000) leaves at 1060; it is 1030
    assert windows.wait(["b"]) == 0  # another key is not held back
    clock.now = 1060.0
    assert windows.wait(["a"]) == 0


def test_every_key_must_fit_and_a_cost_counts_that_many():
    clock = Clock()
    windows = MovingWindows(4, 60.0, clock)
    windows.hit(["address"], cost=3)
    assert windows.wait(["address", "browser"], cost=1) == 0
    assert windows.wait(["address", "browser"], cost=2) == 60.0  # the address would go over
    assert windows.wait(["browser"], cost=5) == 60.0  # more than the limit never fits at once


def test_idle_keys_are_dropped_without_a_thread(monkeypatch):
    monkeypatch.setattr(rate_windows, "SWEEP_EVERY", 10)
    clock = Clock()
    windows = MovingWindows(5, 60.0, clock)
    windows._until_sweep = 10
    for key in range(9):
        windows.hit([f"old-{key}"])
    clock.now += 61
    windows.hit(["new"])  # the tenth request sweeps: the nine old keys have nothing in their window
    assert len(windows) == 1


# --- RedisWindows: the limits package's moving windows in a real redis-server ---------------------


@pytest.fixture(scope="module")
def redis_url():
    with running_redis() as url:
        yield url


def test_redis_windows_take_a_keys_limit_then_say_how_long_to_wait(redis_url):
    flushed_client(redis_url)
    windows = RedisWindows(redis_url, 3, 60.0, "rpm")
    assert [windows.take(["a"]) for _ in range(3)] == [0, 0, 0]
    wait = windows.take(["a"])
    assert 55 < wait <= 60  # the first of them leaves the window a minute after it came
    assert windows.take(["b"]) == 0  # another key is not held back
    assert 55 < windows.take(["b", "c"], cost=3) <= 60  # b has 2 places left: nothing is taken
    assert windows.take(["c"], cost=3) == 0  # ... so c still has all three
    assert windows.take(["d"], cost=4) == 60.0  # more than the limit never fits at once
    assert RedisWindows(redis_url, 3, 60.0, "key-checks").take(["a"]) == 0  # another kind of window


def test_redis_windows_shared_by_two_processes_never_pass_the_limit(redis_url):
    """Two processes' windows (two clients), 30 requests at once from 30 threads: exactly the
    limit is taken, whichever process asked."""
    flushed_client(redis_url)
    processes = [RedisWindows(redis_url, 7, 60.0, "rpm"), RedisWindows(redis_url, 7, 60.0, "rpm")]
    barrier = threading.Barrier(30)
    taken: list[float] = []

    def take(i: int) -> None:
        barrier.wait()
        taken.append(processes[i % 2].take(["address:x", "browser:y"]))

    workers = [threading.Thread(target=take, args=(i,)) for i in range(30)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert len(taken) == 30 and taken.count(0) == 7
    assert processes[0].take(["browser:y"]) > 0 and processes[1].take(["address:x"]) > 0
