"""sfui.streaming: a real ChatStream from the fake server, streamed into a Turn."""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack

import pytest

from sfui.chat import FramePacer, Turn
from sfui.runs import RunRegistry
from sfui.streaming import PaneSource, stream_panes, stream_turn
from tests.support.asyncutil import run_async
from tests.support.sfserver import Sleep, stream

HELLO = [{"role": "user", "content": "hello"}]


def collect(async_iter, on_item=None) -> list:
    async def run():
        items = []
        async for item in async_iter:
            items.append((item.status, item.answer))
            if on_item:
                on_item(len(items))
        return items

    return run_async(run())


def test_final_yield_is_the_finished_turn(fake, client):
    registry = RunRegistry()
    with registry.track("visitor") as run:
        frames = collect(stream_turn(client.chat_stream("fake/echo", HELLO), Turn(HELLO), run, fps=1000))
    assert frames[-1] == ("done", "Echo: hello")
    assert len(registry) == 0  # the run is forgotten once it ends


def test_the_turn_shows_the_streams_reply(fake, client):
    """One accumulator: the Turn reads the reply the stream assembled, it does not keep its own."""
    registry = RunRegistry()
    stream = client.chat_stream("fake/echo", HELLO)
    turn = Turn(HELLO)
    with registry.track("visitor") as run:
        collect(stream_turn(stream, turn, run, fps=1000))
    assert turn.reply is stream.reply
    assert turn.answer == stream.text == "Echo: hello"
    assert turn.usage is not None and turn.usage == stream.usage
    assert turn.finish_reason == stream.finish_reason == "stop"


def test_updates_are_coalesced_to_the_frame_rate(fake, client):
    # 60 tokens in well under a second at fps=2: far fewer frames than tokens.
    fake.push(stream(["t "] * 60, token_rate=200))
    registry = RunRegistry()
    with registry.track("visitor") as run:
        frames = collect(stream_turn(client.chat_stream("m", HELLO), Turn(HELLO), run, fps=2))
    assert frames[-1][1] == "t " * 60
    assert len(frames) < 10


def test_stop_keeps_the_partial_answer_and_closes_upstream(fake, client):
    registry = RunRegistry()

    def stop_after_first_frame(count):
        if count == 1:
            assert registry.stop("visitor") == 1

    with registry.track("visitor") as run:
        frames = collect(
            stream_turn(client.chat_stream("fake/slow", HELLO), Turn(HELLO), run, fps=50), stop_after_first_frame
        )
    status, answer = frames[-1]
    assert status == "stopped"
    assert answer and "200" not in answer  # partial: the slow count never got to the end
    assert fake.wait_for_disconnect(timeout=5)


def test_stop_of_one_session_leaves_the_others_alone(fake, client):
    registry = RunRegistry()
    with registry.track("alice"), registry.track("bob"):
        assert registry.stop("alice") == 1
        assert registry.stop("carol") == 0
        assert len(registry) == 2  # tracked until their handlers end


def test_clear_discards_the_answer_without_a_final_update(fake, client):
    registry = RunRegistry()

    def clear_after_first_frame(count):
        if count == 1:
            registry.stop("visitor", discard=True)

    with registry.track("visitor") as run:
        frames = collect(
            stream_turn(client.chat_stream("fake/slow", HELLO), Turn(HELLO), run, fps=50), clear_after_first_frame
        )
    assert len(frames) == 1  # nothing after the clear could redraw the old conversation
    assert fake.wait_for_disconnect(timeout=5)


def test_stop_before_the_stream_starts_sends_nothing_further(fake, client):
    registry = RunRegistry()
    with registry.track("visitor") as run:
        run.stop()
        frames = collect(stream_turn(client.chat_stream("fake/slow", HELLO), Turn(HELLO), run))
    assert frames[-1][0] == "stopped"
    assert "200" not in frames[-1][1]
    assert fake.chat_requests() == []  # the request was never sent


def test_errors_become_a_notice_not_an_exception(fake, client):
    registry = RunRegistry()
    with registry.track("visitor") as run:
        turn = Turn(HELLO)
        frames = collect(stream_turn(client.chat_stream("fake/drop", HELLO), turn, run))
    assert frames[-1][0] == "error"
    assert turn.messages()[-1]["metadata"]["title"].startswith("⚠️")


def apply(turn: Turn, event: object) -> bool:
    """Feed an event the way a stream does: its reply takes the content, then
    the Turn takes the timing and says whether the chat changed."""
    turn.reply.apply(event)
    return turn.apply(event)


def test_panel_updates_send_only_what_changed():
    from sfui.api.events import ReasoningDelta, TextDelta
    from sfui.streaming import PanelUpdates

    now = [0.0]
    turn = Turn(HELLO, clock=lambda: now[0])
    waiting = turn.usage_markdown()
    panels = PanelUpdates(reasoning="", usage=waiting, usage_interval=0.5, clock=lambda: now[0])
    apply(turn, ReasoningDelta("hmm"))
    now[0] = 0.1
    _, reasoning, usage = panels.render(turn)
    assert reasoning == "hmm"
    assert usage is waiting  # shown 0.1 s ago: the very same text, so Gradio sends nothing for it
    now[0] = 0.2
    apply(turn, TextDelta("Hi"))
    messages, reasoning, usage = panels.render(turn)
    assert messages[-1]["content"] == "Hi"
    assert reasoning == "hmm" and usage is waiting
    now[0] = 0.7
    usage = panels.render(turn)[2]
    assert usage != waiting and "answering" in usage  # the usage table refreshes every 0.5 s
    now[0] = 0.8
    assert panels.render(turn)[2] is usage
    turn.finish()
    _, reasoning, usage = panels.render(turn)
    assert reasoning == "hmm" and "done" in usage  # the final frame carries every panel


def test_a_usage_only_chunk_does_not_hold_back_the_first_token(fake, client):
    """SiliconFlow's first chunk carries only the role and usage. It must not use
    up a frame: the first frame shown is the one with the first token. (At 0.2 fps
    a wasted first frame would hold the token back 5 s, and frame 1 would be empty.)"""
    scenario = stream(["Hi"])
    scenario.steps.insert(1, Sleep(0.1))  # the token comes 100 ms after the role chunk
    fake.push(scenario)
    registry = RunRegistry()
    with registry.track("visitor") as run:
        frames = collect(stream_turn(client.chat_stream("m", HELLO), Turn(HELLO), run, fps=0.2))
    assert frames[0] == ("answering", "Hi")
    assert frames[-1] == ("done", "Hi")


def test_usage_events_alone_ask_for_no_frame():
    from sfui.api.events import Finished, ReasoningDelta, TextDelta, ToolCallDelta, Usage, UsageUpdate

    turn = Turn(HELLO)
    assert apply(turn, UsageUpdate(Usage(10, 0, 10))) is False
    assert apply(turn, Finished("stop")) is False
    assert apply(turn, ReasoningDelta("hmm")) is True
    assert apply(turn, TextDelta("Hi")) is True
    assert apply(turn, ToolCallDelta(0, "call_1", "f", "{}")) is True  # a tool-call card appears


def test_the_end_of_the_stream_does_not_wait_for_the_next_frame(fake, client):
    """At 0.2 fps the second token would wait 5 s for its frame; the stream's
    end cuts that wait short, and the final frame carries everything."""
    scenario = stream(["Hi", " there"])
    scenario.steps.insert(2, Sleep(0.1))  # " there" comes 100 ms after "Hi", then the stream ends
    fake.push(scenario)
    registry = RunRegistry()
    with registry.track("visitor") as run:
        frames = collect(stream_turn(client.chat_stream("m", HELLO), Turn(HELLO), run, fps=0.2))
    assert frames == [("answering", "Hi"), ("done", "Hi there")]


# --- several requests at once (Compare): stream_panes -------------------------------------------


def pacer(fps: float = 50) -> FramePacer:
    return FramePacer(fps, chars_per_second=float("inf"), total_fps=float("inf"))


def collect_panes(sources, fps: float = 50, on_frame=None, pacer_: FramePacer | None = None,
                  linger: float = 0.0) -> list:
    """Every frame of stream_panes as [(status, answer) per pane]; ``on_frame(count, turns)``
    runs after each one (in the event loop, as a Stop handler would). ``linger``: seconds the
    loop runs on after the last frame, as a server's does (the test loop's end would cancel
    whatever the stopped answers still had to close)."""
    async def run():
        frames = []
        async for turns in stream_panes(sources, pacer_ or pacer(fps)):
            frames.append([(turn.status, turn.answer) for turn in turns])
            if on_frame:
                on_frame(len(frames), turns)
        await asyncio.sleep(linger)
        return frames

    return run_async(run())


def test_panes_stream_concurrently_and_a_slow_one_holds_back_no_fast_ones_first_token(fake, client):
    registry = RunRegistry()
    fake.token_rate = 20  # the fast answer's 7 tokens take 0.3 s: both requests are in flight at once
    question = [{"role": "user", "content": "one two three four five six"}]
    with registry.track("v") as slow_run, registry.track("v") as fast_run:
        slow, fast = Turn(question), Turn(question)
        sources = [PaneSource(client.chat_stream("fake/slow-first", question), [slow], slow_run),
                   PaneSource(client.chat_stream("fake/echo", question), [fast], fast_run)]
        frames = collect_panes(sources)
    echo = "Echo: one two three four five six"
    assert frames[-1] == [("done", echo), ("done", echo)]
    # The fast pane's answer was on screen, finished, before the slow one's first token.
    fast_shown = next(i for i, frame in enumerate(frames) if frame[1][1])
    slow_shown = next(i for i, frame in enumerate(frames) if frame[0][1])
    assert fast_shown < slow_shown
    assert any(frame == [("waiting", ""), ("done", echo)] for frame in frames)
    assert fast.first_token_at < slow.first_token_at
    slow_log, fast_log = sorted(fake.chat_received(), key=lambda r: r.body["model"] != "fake/slow-first")
    assert fast_log.time < slow_log.ended_at and slow_log.time < fast_log.ended_at  # overlapping in time


def test_n_choices_fill_one_pane_each_and_share_the_requests_usage(fake, client):
    registry = RunRegistry()
    turns = [Turn(HELLO) for _ in range(3)]
    with registry.track("v") as run:
        stream = client.chat_stream("fake/echo", HELLO, n=3)
        frames = collect_panes([PaneSource(stream, turns, run)])
    assert frames[-1] == [("done", f"Echo (choice {i}): hello") for i in range(3)]
    assert [turn.reply for turn in turns] == list(stream.choices)
    assert {turn.usage for turn in turns} == {stream.usage} and stream.usage.completion_tokens == 12
    assert all(turn.usage_shared for turn in turns)
    assert len(fake.chat_requests()) == 1 and fake.chat_requests()[0]["n"] == 3


def test_one_failing_pane_shows_its_error_while_the_others_finish(fake, client):
    registry = RunRegistry()
    with registry.track("v") as bad_run, registry.track("v") as drop_run, registry.track("v") as good_run:
        bad, dropped, good = Turn(HELLO), Turn(HELLO), Turn(HELLO)
        frames = collect_panes([PaneSource(client.chat_stream("fake/error-400", HELLO), [bad], bad_run),
                                PaneSource(client.chat_stream("fake/drop", HELLO), [dropped], drop_run),
                                PaneSource(client.chat_stream("fake/echo", HELLO), [good], good_run)])
    assert [status for status, _ in frames[-1]] == ["error", "error", "done"]
    assert bad.messages()[-1]["content"] == bad.error.user_message("en")
    assert dropped.answer  # the part that came before the drop stays
    assert good.answer == "Echo: hello" and good.error is None


def test_stop_ends_every_pane_keeps_the_partial_answers_and_closes_every_request(fake, client):
    registry = RunRegistry()

    def stop_once_both_stream(count, turns):
        if all(turn.answer for turn in turns) and not registry_stopped:
            registry_stopped.append(registry.stop("v"))

    registry_stopped: list[int] = []
    with registry.track("v") as run_a, registry.track("v") as run_b:
        turns = [Turn(HELLO), Turn(HELLO)]
        frames = collect_panes([PaneSource(client.chat_stream("fake/slow", HELLO), [turns[0]], run_a),
                                PaneSource(client.chat_stream("fake/slow", HELLO), [turns[1]], run_b)],
                               on_frame=stop_once_both_stream)
    assert registry_stopped == [2]
    assert [status for status, _ in frames[-1]] == ["stopped", "stopped"]
    assert all(answer and "200" not in answer for _, answer in frames[-1])
    assert all(turn.ended_at is not None for turn in turns)
    assert fake.wait_for_disconnect(2, timeout=5)
    assert all(record.disconnected_at is not None for record in fake.chat_received())


def test_clear_ends_every_pane_without_a_final_frame(fake, client):
    registry = RunRegistry()
    with registry.track("v") as run_a, registry.track("v") as run_b:
        frames = collect_panes([PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_a),
                                PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_b)],
                               on_frame=lambda count, turns: registry.stop("v", discard=True), linger=1.0)
    assert len(frames) == 1
    # A pane whose request had not left yet never sends it; every one that did is closed
    # (one stopped while its response was on the way, when that came).
    sent = len(fake.chat_requests())
    assert sent >= 1 and fake.wait_for_disconnect(sent, timeout=5), sent


def test_stop_before_the_panes_start(fake, client):
    registry = RunRegistry()
    with registry.track("v") as run_a, registry.track("v") as run_b:
        registry.stop("v")
        frames = collect_panes([PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_a),
                                PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_b)])
    assert frames[-1] == [("stopped", ""), ("stopped", "")]
    assert all(answer == "" for frame in frames for _, answer in frame)
    assert len(fake.chat_requests()) == 0  # never sent


def test_panes_share_one_frame_budget(fake, client):
    # Two answers streaming for 2 s at 4 frames a second: the frames of both together keep
    # one budget, a frame at least every quarter second by the pacer's own clock, except the
    # one at each pane's first token and the final one (a budget per pane would send twice
    # as many, each an eighth of a second after the last).
    fake.push(stream(["t "] * 200, token_rate=100), stream(["u "] * 200, token_rate=100))
    registry = RunRegistry()
    budget = FramePacer(4, chars_per_second=float("inf"), total_fps=float("inf"))
    shown_at: list[float] = []

    async def run():
        frames = []
        async for turns in stream_panes(sources, budget):
            frames.append(sorted(turn.answer for turn in turns))
            shown_at.append(budget.clock())
        return frames

    with registry.track("v") as run_a, registry.track("v") as run_b:
        sources = [PaneSource(client.chat_stream("m", HELLO), [Turn(HELLO)], run_a),
                   PaneSource(client.chat_stream("m", HELLO), [Turn(HELLO)], run_b)]
        frames = run_async(run())
    assert frames[-1] == ["t " * 200, "u " * 200]
    gaps = [later - earlier for earlier, later in zip(shown_at, shown_at[1:], strict=False)]
    assert len(frames) >= 4
    assert sum(gap < budget.min_interval for gap in gaps) <= 3, gaps


def test_each_pane_source_needs_its_own_run(fake, client):
    registry = RunRegistry()
    with registry.track("v") as run:
        sources = [PaneSource(client.chat_stream("fake/echo", HELLO), [Turn(HELLO)], run),
                   PaneSource(client.chat_stream("fake/echo", HELLO), [Turn(HELLO)], run)]
        with pytest.raises(ValueError):
            collect_panes(sources)


def test_no_panes_is_one_empty_frame():
    assert collect_panes([]) == [[]]


def test_a_panes_first_token_goes_out_at_once_whatever_the_frame_budget(fake, client):
    """At 0.2 frames a second the budget allows a frame every 5 s. The slow-first pane's
    first token (after 3 s) is shown when it comes, not at the next budgeted frame."""
    registry = RunRegistry()
    budget_said_wait: list[bool] = []

    def on_frame(count, turns):
        if turns[1].answer and not budget_said_wait:
            budget_said_wait.append(panes_pacer.wait_time() > 0)  # the budget's next frame was still to come
            registry.stop("v")

    fake.token_rate = 2  # the late pane's second token comes 0.5 s after its first: it has not ended
    panes_pacer = pacer(0.2)
    with registry.track("v") as run_a, registry.track("v") as run_b:
        late = Turn(HELLO)
        frames = collect_panes([PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_a),
                                PaneSource(client.chat_stream("fake/slow-first", HELLO), [late], run_b)],
                               pacer_=panes_pacer, on_frame=on_frame)
    assert budget_said_wait == [True]  # shown when it came, not at the next budgeted frame
    assert late.answer == "Echo: " and late.status == "stopped"  # shown before its second token
    assert len(frames) <= 4  # the slow pane's first token, the late one's, maybe its end, the final frame


def test_a_closed_tab_closes_every_request(fake, client):
    """The handler is cancelled (the visitor closed the tab): every upstream request closes at once."""
    registry = RunRegistry()

    async def run():
        with registry.track("v") as run_a, registry.track("v") as run_b:
            sources = [PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_a),
                       PaneSource(client.chat_stream("fake/slow", HELLO), [Turn(HELLO)], run_b)]
            first_frame = asyncio.Event()

            async def consume():
                async for turns in stream_panes(sources, pacer()):
                    if all(turn.answer for turn in turns):
                        first_frame.set()

            task = asyncio.create_task(consume())
            await asyncio.wait_for(first_frame.wait(), 10)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(1.0)  # the server's loop runs on (see collect_panes' linger)

    run_async(run())
    assert fake.wait_for_disconnect(2, timeout=5)
    assert len(registry) == 0


def test_sent_yields_once_when_every_request_is_on_its_way_before_any_answer(fake, client):
    """stream_panes(sent=True): the caller gets the Turns at once, before any answer, while
    the requests are already on their way: the page's first frame (the question in every
    pane) no longer delays them. Then the frames go on as without it."""
    registry = RunRegistry()
    fake.token_rate = 20

    async def run():
        frames = []
        with registry.track("v") as run_a, registry.track("v") as run_b:
            sources = [PaneSource(client.chat_stream("fake/slow-first", HELLO), [Turn(HELLO)], run_a),
                       PaneSource(client.chat_stream("fake/echo", HELLO), [Turn(HELLO)], run_b)]
            async for turns in stream_panes(sources, pacer(), sent=True):
                frames.append([(turn.status, turn.answer) for turn in turns])
                if len(frames) == 1:
                    # The generator is suspended here: the requests must reach the server anyway.
                    arrived = await asyncio.to_thread(lambda: _wait_for(lambda: len(fake.chat_received()) == 2))
                    assert arrived, "the requests were not sent before the first yield"
        return frames

    frames = run_async(run())
    assert frames[0] == [("waiting", ""), ("waiting", "")]
    assert frames[-1] == [("done", "Echo: hello"), ("done", "Echo: hello")]
    assert len(registry) == 0


def test_sent_grace_leaves_the_question_frame_out_when_a_first_token_comes_within_it(fake, client):
    """stream_panes(sent=True, sent_grace=...): the question's frame waits for a first token
    that long; an answer that starts meanwhile brings the question along in its own frame
    (one frame for the page to render, not two back to back). A request that stays silent
    gets the question frame once the grace is over."""
    registry = RunRegistry()

    async def first_frames(models: list[str], grace: float) -> list:
        frames = []
        with ExitStack() as stack:
            sources = [PaneSource(client.chat_stream(model, HELLO), [Turn(HELLO)], stack.enter_context(
                registry.track("v"))) for model in models]
            async for turns in stream_panes(sources, pacer(), sent=True, sent_grace=grace):
                frames.append([turn.first_token_at is not None for turn in turns])
                registry.stop("v")  # the first frame is all this test needs
        return frames[0]

    # The echo answers at once: the first frame already shows a first token.
    assert any(run_async(first_frames(["fake/echo", "fake/echo"], grace=5.0)))
    # The slow one waits 3 s: after the grace the question goes out alone.
    # (no first token in the first frame: it came before the 3 s were over)
    assert run_async(first_frames(["fake/slow-first", "fake/slow-first"], grace=0.2)) == [False, False]
    assert len(registry) == 0


def test_stream_turn_sent_grace_shows_the_question_alone_only_for_a_slow_first_token(fake, client):
    """stream_turn(sent_grace=...), the chat's: the request leaves before any frame; an answer
    that starts within the grace brings the question along in the first frame, a silent one
    gets the question's own frame (status "waiting", no answer) once the grace is over, and
    without a grace that frame is not sent at all."""
    registry = RunRegistry()

    def first_frame(model: str, grace: float | None) -> tuple[str, str]:
        with registry.track("v") as run:
            frames = collect(stream_turn(client.chat_stream(model, HELLO), Turn(HELLO), run, fps=1000,
                                         sent_grace=grace), on_item=lambda _: registry.stop("v"))
        return frames[0]

    frame = first_frame("fake/echo", grace=5.0)
    assert frame[1].startswith("Echo:"), frame  # the first token came along
    frame = first_frame("fake/slow-first", grace=0.2)
    assert frame == ("waiting", "")  # the question alone, after the grace, before the first token (3 s)
    frame = first_frame("fake/echo", grace=None)
    assert frame[1].startswith("Echo:")  # no grace: no question frame
    assert len(registry) == 0


def test_together_lets_the_first_answer_text_wait_for_the_other_panes_first_tokens(fake, client):
    """stream_panes(together=...): the first frame with a first token waits that long for
    the other requests' first tokens (one frame for the page, not one per pane); without
    it, the first answer text goes out alone."""
    registry = RunRegistry()

    async def first_shown(together: float) -> list[bool]:
        late = stream("late one")
        late.steps.insert(1, Sleep(0.3))  # its first token comes 300 ms after the other's
        fake.push(stream("early one"), late)
        with registry.track("v") as run_a, registry.track("v") as run_b:
            sources = [PaneSource(client.chat_stream("fake/echo", HELLO), [Turn(HELLO)], run_a),
                       PaneSource(client.chat_stream("fake/echo", HELLO), [Turn(HELLO)], run_b)]
            async for turns in stream_panes(sources, pacer(), together=together):
                shown = [turn.first_token_at is not None for turn in turns]
                if any(shown):
                    registry.stop("v")
                    return shown
        return []

    assert sorted(run_async(first_shown(0.0))) == [False, True]
    assert run_async(first_shown(3.0)) == [True, True]
    assert len(registry) == 0


def _wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False
