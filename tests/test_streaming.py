"""sfui.streaming: a real ChatStream from the fake server, streamed into a Turn."""

from __future__ import annotations

from sfui.chat import Turn
from sfui.streaming import RunRegistry, stream_turn
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
    from sfui.events import ReasoningDelta, TextDelta
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
    from sfui.events import Finished, ReasoningDelta, TextDelta, ToolCallDelta, Usage, UsageUpdate

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
