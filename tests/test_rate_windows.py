"""sfui/rate_windows.py: requests per key in a moving window, with a clock the test moves."""

from __future__ import annotations

from sfui import rate_windows
from sfui.rate_windows import MovingWindows


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
