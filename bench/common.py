"""What every benchmark module shares: the scripted answers, the timing of one
turn, and the repository's own test helpers (fake upstream, Chromium flags and
viewport, from tests/support/, which has no import-time side effects).

Clocks: every timestamp here is wall-clock seconds (``time.time()``). The
browser, the fake upstream and this process all run on the same machine, so
the page's ``Date.now()`` and the fake's ``last_token_written_at`` are on the
same clock; intervals measured inside one process use that process's
high-resolution clock and are only anchored to the wall clock.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from tests.support import ROOT, TEST_KEY
from tests.support.api import message_text
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from tests.support.launch import free_port
from tests.support.sfserver import FakeSiliconFlow, Scenario, stream

__all__ = [
    "CHROMIUM", "CHROMIUM_ARGS", "END_MARKER", "VIEWPORT", "FakeSiliconFlow", "MODEL", "ROOT", "TEST_KEY",
    "Answer", "TurnTiming", "free_port", "median", "message_text", "stream", "wall_time", "worst_first_token",
]

MODEL = "Qwen/Qwen3-8B"
# The last token of every scripted answer. The page knows the answer is fully
# shown when the newest bot message contains it; it is plain letters so that
# Markdown leaves it alone.
END_MARKER = "ZZENDOFANSWERZZ"
_WORDS = "the quick brown fox jumps over the lazy dog while a cat watches".split()


@dataclass(frozen=True)
class Answer:
    """A scripted answer: ``tokens`` word tokens streamed at ``rate`` tokens/s
    (None: as fast as the socket takes them), the last one END_MARKER."""

    tokens: int
    rate: float | None

    @property
    def duration(self) -> float:
        """Seconds the upstream takes to stream it (unpaced: about a second at most)."""
        return self.tokens / self.rate if self.rate else 1.0

    def scenario(self) -> Scenario:
        words = [_WORDS[i % len(_WORDS)] + " " for i in range(max(self.tokens - 1, 0))]
        return stream(words + [END_MARKER], token_rate=self.rate)

    def push(self, fake: FakeSiliconFlow, count: int = 1) -> None:
        """Queue ``count`` copies: the next ``count`` chat requests get this answer."""
        fake.push(*(self.scenario() for _ in range(count)))


@dataclass(frozen=True)
class TurnTiming:
    """One question and its answer, in wall-clock seconds. ``first``/``final``
    are None when the answer never (fully) showed before the time-out."""

    sent: float  # Enter pressed (browser) / request started (client)
    first: float | None  # first answer text visible / received
    final: float | None  # the whole answer visible / its last token received
    updates: int = 0  # how many times the shown text changed (browser only)

    @property
    def first_token(self) -> float | None:
        return None if self.first is None else self.first - self.sent

    @property
    def complete(self) -> bool:
        return self.final is not None


def median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def wall_time(turns: list[TurnTiming]) -> float | None:
    """From the first Enter to the last answer fully shown; None if any never finished."""
    if not turns or not all(t.complete for t in turns):
        return None
    return max(t.final for t in turns) - min(t.sent for t in turns)  # type: ignore[type-var]


def worst_first_token(turns: list[TurnTiming]) -> float | None:
    if not turns or any(t.first_token is None for t in turns):
        return None
    return max(t.first_token for t in turns)  # type: ignore[type-var]
