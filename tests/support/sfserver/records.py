"""What the server records of each request: a :class:`Received`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Received:
    """One request as the server saw it.

    ``headers`` is a dict whose lookups ignore case (clients differ in header-name case);
    ``time`` is ``time.monotonic()`` at arrival; ``trace_id`` is the one sent back;
    ``first_chunk_at`` is ``time.monotonic()`` just before the first body chunk of a
    stream was written (None until then), for latency benchmarks; ``ended_at`` is
    ``time.monotonic()`` when the server was done with the response, however it ended (None
    while it is in flight), and ``disconnected_at`` is that moment too when it ended because
    the client hung up before the end (None otherwise).  ``time`` to ``ended_at`` is the
    span to compare for "requests overlapping in time".
    """
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict | None
    raw: bytes
    time: float
    trace_id: str = ""
    first_chunk_at: float | None = None
    ended_at: float | None = None
    disconnected_at: float | None = None


class _Headers(dict):
    """A dict with case-insensitive keys (stored lower-case)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)
