"""Stream answers into :class:`~sfui.chat.Turn` objects at a bounded frame rate,
stoppable from outside: one answer for the chat (:func:`stream_turn`), several
requests side by side for Compare (:func:`stream_panes`). No Gradio: the UI only
turns what is yielded into component values.

Stop and Clear reach each stream through its :class:`~sfui.runs.Run`: the stream
closes, and the handler ends normally with the partial answer (see sfui/runs.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .api import errors
from .api.pump import StreamPump
from .chat import FramePacer, Turn
from .runs import Run

if TYPE_CHECKING:
    from .api.stream import ChatStream

log = logging.getLogger("sfui")


class _FrameState:
    """What the streams feeding one view share: its frame budget (the pacer),
    whether something was applied that no frame has shown yet, whether a stream's
    first token waits to be shown (it goes out at once, whatever the budget), and,
    when several streams feed the view, how they wake its generator and learn that
    a frame went out."""

    def __init__(self, pacer: FramePacer, *, alone: bool = True) -> None:
        self.pacer = pacer
        self.alone = alone  # one stream, whose loop sends the frames itself (else stream_panes does)
        self.unseen = False
        self.first_token = False
        self.wake = asyncio.Event()
        self.frame_out = asyncio.Event()

    def changed(self) -> None:
        if not self.unseen:
            self.unseen = True
            self.wake.set()  # a generator waiting for something to show (not one waiting for its frame)

    def due(self) -> bool:
        return self.unseen and (self.first_token or self.pacer.due())


class _Feed:
    """One stream feeding the Turns that show its choices: ``turns[i]`` shows
    choice i. The chat has one Turn; a Compare slot one, or one per sample."""

    def __init__(self, stream: ChatStream, turns: Sequence[Turn], run: Run) -> None:
        self.stream, self.turns, self.run = stream, list(turns), run
        self.pump: StreamPump | None = None
        self.shown = False  # a frame has shown this stream's first token

    def start(self) -> StreamPump:
        """Read the stream in the pump's task; each Turn shows its choice's reply."""
        for index, turn in enumerate(self.turns):
            turn.reply = self.stream.reply_for(index)
            # The server's usage is the request's: with several choices (the caller gives
            # one Turn per choice) it is no one answer's.
            turn.usage_shared = len(self.turns) > 1
        if self.run.stopped:
            self.stream.close()  # Stop came before the stream had started: the request is never sent
        pump = StreamPump(self.stream.aevents(), close=self.stream.close).start()
        self.pump = self.run.pump = pump
        return pump

    def take(self, batch: list) -> bool:
        """Route each event to the Turn of its choice, usage and retries to every Turn
        (they are the request's); True if a chat changed. Only a change to a chat asks
        for a frame: a usage-only chunk (SiliconFlow sends one before the first token)
        would otherwise spend the first frame and hold the first token back a whole
        frame interval. Its figures go out with the next frame."""
        changed = False
        turns = self.turns
        for event in batch:
            choice = getattr(event, "choice", None)
            if choice is None:
                for turn in turns:
                    changed = turn.apply(event) or changed
            elif choice < len(turns):  # a choice no Turn shows stays in its reply only
                changed = turns[choice].apply(event) or changed
        return changed

    def first_token_waiting(self) -> bool:
        """This stream's first token (or tool call) arrived and no frame showed it yet."""
        return not self.shown and any(turn.first_token_at is not None or turn.tool_calls for turn in self.turns)

    def fail(self, exc: BaseException) -> None:
        """End with an error notice: a client error's own, else a generic one (logged, never a traceback)."""
        if isinstance(exc, errors.SiliconFlowError):
            log.warning("chat request failed: %s", exc)
            error = exc
        else:
            log.error("unexpected error while streaming", exc_info=exc)
            error = errors.SiliconFlowError(type(exc).__name__)
        # Choices that had finished keep their whole answer; the error is the others'.
        for turn in [turn for turn in self.turns if turn.finish_reason is None] or self.turns:
            turn.fail(error)

    def finish(self) -> None:
        for turn in self.turns:
            turn.stopped = self.run.stopped
            turn.finish()

    def shown_chars(self) -> int:
        return sum(len(turn.answer) + len(turn.reasoning) for turn in self.turns)


# How long the question waits for a first token before a view shows it alone: an answer
# that starts this soon brings the question along in its own frame (the page would render
# the question's frame and then the first token's, back to back). Short enough that a
# question waiting for a slow model is shown without a delay anyone sees.
QUESTION_GRACE = 0.05
# ... and when the page shows the question itself (its Send): the frame before the first
# token then brings only the usage panel's "waiting" (the last answer's figures go), and it
# goes as soon as the request is on its way. Waiting for the first token, it landed just
# before one that came soon after the grace, and the page rendered two frames back to back
# (bench/first_token.py); sent at once, it is long handled when the first token comes.
WAITING_GRACE = 0.0


async def _take_until_first_token(feed: _Feed, state: _FrameState, timeout: float) -> bool:
    """Apply one stream's events for up to ``timeout`` seconds, until its first token
    (or its end, or Clear): whether one of those came."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    assert feed.pump is not None, "start the feed first"
    while not feed.first_token_waiting():
        left = deadline - loop.time()
        if left <= 0:
            return False
        batch = await feed.pump.next_batch(timeout=left)
        if batch is None or feed.run.discarded:
            return True  # ended: its last frame shows the question with whatever came
        if feed.take(batch):
            state.changed()
    state.first_token = True
    return True


async def _frames(feed: _Feed, state: _FrameState) -> AsyncIterator[None]:
    """Feed one stream's events into its Turns; yield whenever a frame is due: the
    one streaming loop, for the chat (:func:`stream_turn`) and for each request of a
    Compare (:func:`stream_panes`). Whoever iterates sends the frame, with
    :func:`_sending` and :func:`_sent` around it. Ends when the stream does (or is
    discarded); raises the stream's error."""
    pump, frame = feed.pump, state.pacer
    assert pump is not None, "start the feed first"
    while True:
        if state.due() and (feed.shown or state.alone):
            yield
            continue
        if state.unseen and feed.shown:
            # Something is waiting to be shown: sleep until its frame (or the stream's
            # end), then take everything that piled up meanwhile, in one go.
            await pump.wait_for_end(frame.wait_time())
            batch = await pump.next_batch(timeout=0)
        elif state.unseen and state.alone:
            # The first token is not out yet, but something is (a retry note): take events
            # as they come, and wake for that frame.
            batch = await pump.next_batch(timeout=frame.wait_time())
        else:
            # Nothing waits to be shown, or this stream's first token is not out yet: take
            # events as they come (the time of the first token is exact, and it waits for
            # no other stream's frame: stream_panes sends those).
            batch = await pump.next_batch()
        if batch is None:
            return
        if feed.take(batch):
            state.changed()
            if not state.first_token and feed.first_token_waiting():
                state.first_token = True
                state.wake.set()  # its frame is due now, even if another one is waiting for the budget
        if feed.run.discarded:
            return


def _sending(feeds: Sequence[_Feed], state: _FrameState) -> list[_Feed]:
    """A frame is about to show everything applied so far: the feeds whose first token it shows."""
    state.unseen = False
    return [feed for feed in feeds if feed.first_token_waiting()]


def _sent(feeds: Sequence[_Feed], first_shown: Sequence[_Feed], state: _FrameState) -> None:
    """The frame went out: book it, let the streams waiting for it go on."""
    state.pacer.sent(sum(feed.shown_chars() for feed in feeds))
    for feed in first_shown:
        feed.shown = True
    state.first_token = any(feed.first_token_waiting() for feed in feeds)  # arrived while the frame went out
    state.frame_out.set()
    state.frame_out = asyncio.Event()


async def stream_turn(stream: ChatStream, turn: Turn, run: Run, fps: float = 20.0, *,
                      pacer: FramePacer | None = None, sent_grace: float | None = None) -> AsyncIterator[Turn]:
    """Feed ``stream``'s events into ``turn``; yield the turn whenever the
    browser is due an update (paced by ``pacer``, by default at most ``fps`` a
    second; each with everything that arrived since the last one), and once
    more in its final state, as soon as the stream ends. The turn shows the
    stream's reply, which the stream fills as it reads (in the pump's thread).

    ``sent_grace``: yield the turn once first, as soon as the request is on its way
    (the question, before any answer), after waiting up to this many seconds for the
    first token; left out if the first token (or the stream's end) comes meanwhile: its
    frame then shows the question too, one frame where the page would render two back
    to back.

    Client errors end the turn with a notice; any other exception is logged
    and shown as a generic error, never as a traceback."""
    feed = _Feed(stream, [turn], run)
    state = _FrameState(pacer or FramePacer(fps, chars_per_second=float("inf"), total_fps=float("inf")))
    pump = feed.start()
    try:
        if sent_grace is not None and not await _take_until_first_token(feed, state, sent_grace):
            yield turn
        async for _ in _frames(feed, state):
            first_shown = _sending([feed], state)
            yield turn
            _sent([feed], first_shown, state)
    except Exception as exc:
        feed.fail(exc)
    finally:
        # Also runs when the handler is cancelled (closed tab): the upstream socket closes now.
        pump.close()
    if run.discarded:
        return
    feed.finish()
    yield turn


@dataclass
class PaneSource:
    """One request of a comparison and the panes showing it: ``turns[i]`` shows the
    request's choice i (a slot has one Turn; n samples of one model in one request,
    n Turns). ``run`` is this request's own (from ``RunRegistry.track``): Stop and
    Clear reach each request through its Run."""

    stream: ChatStream
    turns: list[Turn]
    run: Run


async def _feed_panes(feed: _Feed, state: _FrameState, ended: list[_Feed]) -> None:
    """One request of :func:`stream_panes`, in its own task: a failure ends its panes only."""
    try:
        async for _ in _frames(feed, state):
            state.wake.set()  # a frame is due: ask for it and wait until it is out
            await state.frame_out.wait()
    except Exception as exc:
        feed.fail(exc)
    finally:
        if feed.pump is not None:
            feed.pump.close()
    if not feed.run.discarded:
        feed.finish()
        state.changed()
    ended.append(feed)
    state.wake.set()


async def _first_token_within(state: _FrameState, feeds: Sequence[_Feed], ended: list[_Feed], timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for a first token (or a request's end, or Clear):
    whether one came."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        state.wake.clear()
        if state.first_token or ended or any(feed.run.discarded for feed in feeds):
            return True
        left = deadline - loop.time()
        if left <= 0:
            return False
        try:
            await asyncio.wait_for(state.wake.wait(), left)
        except TimeoutError:
            return False


async def _first_tokens_together(feeds: Sequence[_Feed], ended: list[_Feed], timeout: float) -> None:
    """Wait up to ``timeout`` seconds until every request has a first token to show (or
    has shown one, or has ended). Polled: a first token after the first one wakes no one."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline and not any(feed.run.discarded for feed in feeds):
        if all(feed.shown or feed.first_token_waiting() or feed in ended for feed in feeds):
            return
        await asyncio.sleep(min(0.002, max(deadline - loop.time(), 0)))


async def stream_panes(sources: Sequence[PaneSource], pacer: FramePacer, *,
                       sent: bool = False, sent_grace: float = 0.0,
                       together: float = 0.0) -> AsyncIterator[list[Turn]]:
    """Stream several requests at once into their panes: yield the list of every
    source's Turns (in order) whenever something changed and ``pacer`` (one frame
    budget for them all) says a frame is due, or a pane's first token arrived (shown
    at once), and once more when every request has ended, every Turn finished.

    ``sent``: yield the Turns once more first, as soon as every request is on its
    way (before any answer arrived; not a frame of the budget), so that the caller
    shows the question while the requests travel, not before they leave.
    ``sent_grace``: that yield waits up to this many seconds for a first token, and is
    left out if one comes (or a request ends) meanwhile: the first token's frame then
    shows the question too, one frame where the page would render two back to back.
    ``together``: the first frame that shows a first token waits up to this many seconds
    for the other requests' first tokens (requests sent at once answer a few ms apart,
    and the page renders each frame in turn): once per call, so the fastest pane's first
    token comes at most this much later, and no later frame waits.

    Each request is read in its own thread and fed in its own task, so a slow one
    never holds back another's first token. A failing request ends its own panes
    with its error; the others go on. Stop (each Run stopped) ends every request
    and keeps the partial answers, marked stopped; Clear (a Run discarded) ends
    them all with no further frame."""
    feeds = [_Feed(source.stream, source.turns, source.run) for source in sources]
    if len({id(feed.run) for feed in feeds}) != len(feeds):
        raise ValueError("each PaneSource needs its own Run: Stop closes a Run's one stream")
    turns = [turn for feed in feeds for turn in feed.turns]
    state = _FrameState(pacer, alone=False)
    ended: list[_Feed] = []
    tasks: list[asyncio.Task] = []
    try:
        for feed in feeds:
            feed.start()
        tasks = [asyncio.create_task(_feed_panes(feed, state, ended)) for feed in feeds]
        if sent and not (sent_grace > 0 and await _first_token_within(state, feeds, ended, sent_grace)):
            yield turns
        async for _ in _pane_frames(feeds, state, ended, together):
            first_shown = _sending(feeds, state)
            yield turns
            _sent(feeds, first_shown, state)
    finally:
        await _close(feeds, tasks)
    if any(feed.run.discarded for feed in feeds):
        return
    yield turns


async def _close(feeds: Sequence[_Feed], tasks: Sequence[asyncio.Task]) -> None:
    """Also when the handler is cancelled (closed tab) or Clear: every upstream socket closes now."""
    for feed in feeds:
        if feed.pump is not None:
            feed.pump.close()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _pane_frames(feeds: Sequence[_Feed], state: _FrameState, ended: list[_Feed],
                       together: float) -> AsyncIterator[None]:
    """Yield whenever a frame of :func:`stream_panes` is due, until every request has
    ended (or Clear). ``together``: see stream_panes."""
    discarded = lambda: any(feed.run.discarded for feed in feeds)  # noqa: E731
    while len(ended) < len(feeds):
        state.wake.clear()
        if discarded():
            return
        if state.due():
            if together > 0 and state.first_token:
                await _first_tokens_together(feeds, ended, together)
                together = 0.0
                if discarded():
                    return
            yield
            continue
        # Until something changes (or the frame for what did is due), or a request ends.
        timeout = max(state.pacer.wait_time(), 0.001) if state.unseen else None
        try:
            await asyncio.wait_for(state.wake.wait(), timeout)
        except TimeoutError:
            pass


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
