"""Stream one answer into a :class:`~sfui.chat.Turn` at a bounded frame rate,
stoppable from outside. No Gradio: the UI only turns each yielded Turn into
component values.

Stop does not rely on Gradio's ``cancels``: cancelling a running event races in
Gradio's frontend and, under load, covers the chat with an "Error" overlay
(reproduced with a minimal Gradio app too). Instead Stop closes the upstream
stream through the :class:`RunRegistry`; the handler then ends normally and
shows the partial answer as stopped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import contextmanager
from typing import AsyncIterator, Iterable, Iterator

from . import errors
from .chat import FrameClock, Turn
from .pump import StreamPump

log = logging.getLogger("sfui")


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

    def __len__(self) -> int:
        return sum(len(r) for r in self._runs.values())


async def stream_turn(stream: Iterable, turn: Turn, run: Run, fps: float = 20.0) -> AsyncIterator[Turn]:
    """Feed ``stream``'s events into ``turn``; yield the turn whenever the
    browser is due an update (at most ``fps`` a second, with everything that
    arrived since the last one), and once more in its final state.

    Client errors end the turn with a notice; any other exception is logged
    and shown as a generic error, never as a traceback."""
    pump = run.pump = StreamPump(stream).start()
    if run.stopped:
        pump.close()  # Stop came before the stream had started
    frame = FrameClock(fps)
    unseen = False  # events applied but not yet shown
    try:
        while True:
            if unseen:
                # Something is waiting to be shown: sleep until its frame, then take
                # everything that piled up meanwhile, in one go.
                await asyncio.sleep(frame.wait_time())
                batch = await pump.next_batch(timeout=0)
            else:
                batch = await pump.next_batch()
            if batch is None:
                break
            for event in batch:
                # Only a change to the chat asks for a frame. A usage-only chunk (SiliconFlow
                # sends one before the first token) would otherwise spend the first frame and
                # hold the first token back a whole frame interval. Its figures go out with
                # the next frame.
                unseen = turn.apply(event) or unseen
            if run.discarded:
                return
            if unseen and frame.due():
                yield turn
                frame.sent()
                unseen = False
    except errors.SiliconFlowError as exc:
        log.warning("chat request failed: %s", exc)
        turn.fail(exc)
    except Exception as exc:
        log.exception("unexpected error while streaming")
        turn.fail(errors.SiliconFlowError(type(exc).__name__))
    finally:
        # Also runs when the handler is cancelled (closed tab): the upstream socket closes now.
        pump.close()
    if run.discarded:
        return
    turn.stopped = run.stopped
    turn.finish()
    yield turn


class PanelUpdates:
    """What each frame must send: the chat always; the reasoning panel only when
    it grew; the usage table at most every ``usage_interval`` seconds, and on the
    final frame. Every output sent costs the browser a re-render (measured in
    bench/: about a third of the page's work per frame was the side panels).
    ``None`` means "unchanged"."""

    def __init__(self, usage_interval: float = 0.5, clock=time.monotonic, *, usage_shown: bool = False) -> None:
        """``usage_shown``: the caller has just shown a usage table (the "waiting"
        one, with the visitor's message), so the first frame, the one that
        carries the first token, need not re-send it."""
        self.usage_interval = usage_interval
        self.clock = clock
        self._reasoning_sent = -1
        self._usage_sent_at: float | None = clock() if usage_shown else None

    def render(self, turn: Turn) -> tuple[list, str | None, str | None]:
        final = turn.ended_at is not None
        reasoning = None
        if final or len(turn.reasoning) != self._reasoning_sent:
            reasoning = turn.reasoning
            self._reasoning_sent = len(turn.reasoning)
        usage = None
        now = self.clock()
        if final or self._usage_sent_at is None or now - self._usage_sent_at >= self.usage_interval:
            usage = turn.usage_markdown()
            self._usage_sent_at = now
        return turn.messages(), reasoning, usage
