"""The answers in progress, per browser session, so that Stop and Clear reach a
session's own answers and never another visitor's.

Stop does not rely on Gradio's ``cancels``: cancelling a running event races in
Gradio's frontend and, under load, covers the chat with an "Error" overlay
(reproduced with a minimal Gradio app too). Instead Stop closes the upstream
stream through the :class:`RunRegistry`; the handler then ends normally and
shows the partial answer as stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api.pump import StreamPump


class Run:
    """One answer being streamed."""

    def __init__(self) -> None:
        self.pump: StreamPump | None = None
        self.stopped = False  # Stop: keep what arrived, mark it stopped
        self.discarded = False  # Clear: the conversation is gone, show nothing more

    def stop(self, *, discard: bool = False) -> None:
        self.stopped = True
        self.discarded = self.discarded or discard
        if self.pump is not None:
            self.pump.close()


class RunRegistry:
    """The answers in progress, per browser session, so that one session's
    Stop ends its own answers and never another visitor's."""

    def __init__(self) -> None:
        self._runs: dict[str, set[Run]] = {}

    @contextmanager
    def track(self, session: str) -> Iterator[Run]:
        run = Run()
        self._runs.setdefault(session, set()).add(run)
        try:
            yield run
        finally:
            session_runs = self._runs.get(session, set())
            session_runs.discard(run)
            if not session_runs:
                self._runs.pop(session, None)

    def stop(self, session: str, *, discard: bool = False) -> int:
        """Stop every answer of ``session``; returns how many there were."""
        session_runs = list(self._runs.get(session, ()))
        for run in session_runs:
            run.stop(discard=discard)
        return len(session_runs)

    def busy(self, session: str) -> bool:
        """Whether ``session`` has an answer streaming now."""
        return bool(self._runs.get(session))

    def __len__(self) -> int:
        return sum(len(r) for r in self._runs.values())
