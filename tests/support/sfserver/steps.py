"""What a scenario is made of: the steps of one scripted response, and the :class:`Scenario`.

If a scenario's steps contain a :class:`Body` it is a plain response (``Content-Length``);
otherwise it is an SSE stream sent with ``Transfer-Encoding: chunked``, every step flushed as
its own HTTP chunk.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """One SSE event, ``data: <json>\\n\\n``.

    ``token=True`` marks a generated token: those chunks are paced by the token rate
    (the scenario's, else the server's).  The builders set it; hand-made chunks rarely need it.
    """
    obj: Any
    token: bool = False


@dataclass(frozen=True)
class Raw:
    """Exactly these bytes, as one HTTP chunk."""
    data: bytes


@dataclass(frozen=True)
class Sleep:
    """Write nothing for a while (ends early when the server stops, or when ``until`` is set:
    a test holds the answer back for as long as it needs, and no longer)."""
    seconds: float
    until: threading.Event | None = None


@dataclass(frozen=True)
class Done:
    """``data: [DONE]\\n\\n``."""


@dataclass(frozen=True)
class Drop:
    """Close the connection abruptly: no terminating HTTP chunk, no further bytes.

    Before a :class:`Body` it means no response at all.  It is a FIN (``shutdown``), not an
    RST, so the bytes already sent are guaranteed to reach the client first.
    """


@dataclass(frozen=True)
class Body:
    """A whole non-streamed response body; makes the scenario a plain response."""
    data: bytes
    content_type: str = "application/json"


Step = Chunk | Raw | Sleep | Done | Drop | Body


@dataclass
class Scenario:
    """One scripted response.

    ``answer``/``reasoning`` are informational only: the text a correct client ends up showing
    (for faults, the text received before the fault).  The server never reads them.
    """
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    token_rate: float | None = None  # tokens/s for Chunk(token=True); None = the server's rate
    answer: str | None = None
    reasoning: str | None = None
    answers: list[str] | None = None  # every choice's answer, for n > 1 (answer is choice 0's)

    @property
    def is_stream(self) -> bool:
        return not any(isinstance(s, Body) for s in self.steps)
