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

import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from . import errors
from .chat import FramePacer, Turn
from .events import Finished
from .pump import StreamPump

if TYPE_CHECKING:
    from .client import ChatStream

log = logging.getLogger("sfui")

# Once the first update is out, the stream reader may leave tokens in the socket up
# to this long before reading them in one go: at most this much later on screen, for
# ~20 reader wake-ups a second instead of one per token (bench/: the reader's CPU was
# mostly wake-ups).
READ_NAP = 0.05


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


def _start_reading(stream: ChatStream, turn: Turn, run: Run) -> StreamPump:
    """Read ``stream`` in the pump's thread; ``turn`` shows the reply it fills."""
    turn.reply = stream.reply
    # No nap after the finish reason: the end of the stream follows at once, and the
    # final update (and the end of the visitor's event) must not wait for a nap.
    pump = run.pump = StreamPump(stream, nap_after=lambda event: not isinstance(event, Finished)).start()
    if run.stopped:
        pump.close()  # Stop came before the stream had started
    return pump


async def stream_turn(stream: ChatStream, turn: Turn, run: Run, fps: float = 20.0, *,
                      pacer: FramePacer | None = None) -> AsyncIterator[Turn]:
    """Feed ``stream``'s events into ``turn``; yield the turn whenever the
    browser is due an update (paced by ``pacer``, by default at most ``fps`` a
    second; each with everything that arrived since the last one), and once
    more in its final state, as soon as the stream ends. The turn shows the
    stream's reply, which the stream fills as it reads (in the pump's thread).

    Client errors end the turn with a notice; any other exception is logged
    and shown as a generic error, never as a traceback."""
    pump = _start_reading(stream, turn, run)
    frame = pacer or FramePacer(fps, chars_per_second=float("inf"), total_fps=float("inf"))
    unseen = False  # events applied but not yet shown
    try:
        while True:
            if unseen:
                # Something is waiting to be shown: sleep until its frame (or the
                # stream's end), then take everything that piled up meanwhile, in one go.
                await pump.wait_for_end(frame.wait_time())
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
                frame.sent(len(turn.answer) + len(turn.reasoning))
                unseen = False
                # Updates are paced from now on, so the reader need not wake for every
                # token (the first one was read at once).
                pump.nap = min(READ_NAP, frame.min_interval / 2)
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
    """What each frame shows in the side panels: the reasoning panel changes only
    when the reasoning grew; the usage table at most every ``usage_interval``
    seconds, and on the final frame. Every panel change costs the browser a
    re-render (measured in bench/: about a third of the page's work per frame was
    the side panels).

    An unchanged panel gets the very text it was last sent: Gradio then sends the
    browser nothing for it, and that costs less on the server than gr.skip(),
    which makes Gradio build a new component per frame. ``reasoning``/``usage``:
    what the panels show before the first frame."""

    def __init__(self, reasoning: str = "", usage: str = "", usage_interval: float = 0.5, clock=time.monotonic) -> None:
        self.usage_interval = usage_interval
        self.clock = clock
        self._reasoning = reasoning
        self._usage = usage
        self._usage_sent_at = clock()

    def render(self, turn: Turn) -> tuple[list, str, str]:
        final = turn.ended_at is not None
        if final or len(turn.reasoning) != len(self._reasoning):
            self._reasoning = turn.reasoning
        now = self.clock()
        if final or now - self._usage_sent_at >= self.usage_interval:
            self._usage = turn.usage_markdown()
            self._usage_sent_at = now
        return turn.messages(), self._reasoning, self._usage
