"""sfui.chat: the pure logic between the UI and the client. No server, no Gradio."""

from __future__ import annotations

import json

import pytest

from sfui.api import errors
from sfui.api.events import (
    Finished,
    ReasoningDelta,
    Reply,
    Retrying,
    TextDelta,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from sfui.chat import (
    MAX_MESSAGE_CHARS,
    FramePacer,
    Turn,
    api_messages,
    check_message,
    truncate_for_retry,
    undo_last_question,
)
from sfui.i18n import t
from sfui.params import InputError


class FakeClock:
    """A monotonic clock the test moves by hand: ``clock.now = 12.5``."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def assistant(text: str, title: str | None = None) -> dict:
    message: dict = {"role": "assistant", "content": text}
    if title is not None:
        message["metadata"] = {"title": title}
    return message


def as_blocks(message: dict) -> dict:
    """A message the way Gradio 6 hands history to a handler: content as text blocks."""
    return {**message, "content": [{"type": "text", "text": message["content"]}]}


# --- api_messages --------------------------------------------------------------------------


def test_system_prompt_comes_first_and_blank_ones_are_dropped():
    history = [user("hi"), assistant("hello")]
    assert api_messages(history, "Be brief.") == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
    ]
    assert api_messages(history, "  \n") == api_messages(history, None) == api_messages(history)
    assert api_messages(history)[0]["role"] == "user"


def test_display_only_messages_are_never_sent():
    history = [
        user("What is 2+2?"),
        assistant("Let me add the numbers…", title=t("en", "thought")),
        assistant("4"),
        assistant('```json\n{"city": "Paris"}\n```', title=t("en", "tool_call", name="get_weather")),
        user("And 3+3?"),
        assistant("6"),
        assistant("Rate limit reached …", title=t("en", "error")),
    ]
    assert api_messages(history) == [
        {"role": "user", "content": "What is 2+2?"},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "And 3+3?"},
        {"role": "assistant", "content": "6"},
    ]


def test_gradio6_block_content_is_read_and_files_are_skipped():
    history = [as_blocks(user("hi")), as_blocks(assistant("hello")), as_blocks(assistant("thinking…", title="💭"))]
    history.append({"role": "user", "content": [
        {"type": "text", "text": "look at "},
        {"type": "file", "file": {"path": "/tmp/cat.png"}},
        {"type": "text", "text": "this"},
    ]})
    assert api_messages(history) == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "look at this"},
    ]


def test_gradio_output_shape_with_null_metadata_is_sent():
    # What gradio_client hands back: metadata None, options None, content as blocks.
    history = [{**as_blocks(user("hi")), "metadata": None, "options": None},
               {**as_blocks(assistant("hello")), "metadata": None, "options": None}]
    assert api_messages(history) == [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]


def test_an_unanswered_question_is_dropped_when_a_newer_one_follows():
    history = [user("first"), assistant("Rate limit…", title="⚠️ Error"), user("second")]
    assert api_messages(history) == [{"role": "user", "content": "second"}]


def test_an_answer_split_in_two_bubbles_is_sent_as_one():
    history = [user("q"), assistant("part one, "), assistant("part two")]
    assert api_messages(history)[-1] == {"role": "assistant", "content": "part one, part two"}


def test_only_role_and_content_are_sent():
    history = [user("q"), {"role": "assistant", "content": "a", "reasoning_content": "secret thoughts",
                           "metadata": None, "options": None}]
    messages = api_messages(history, "sys")
    assert all(set(m) == {"role", "content"} for m in messages)
    assert "secret thoughts" not in json.dumps(messages)


# --- check_message ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t  \n"])
def test_empty_messages_are_ignored(text):
    assert check_message(text) is None


@pytest.mark.parametrize(
    "text", ["你好，世界！请用中文回答。", "👍🏽 family: 👨‍👩‍👧‍👦", "مرحبا بالعالم", "  indented\n\ncode  "]
)
def test_non_latin_text_is_sent_unchanged(text):
    assert check_message(text) == text


def test_too_long_messages_are_refused_with_both_languages():
    assert check_message("a" * MAX_MESSAGE_CHARS) == "a" * MAX_MESSAGE_CHARS
    with pytest.raises(InputError) as caught:
        check_message("a" * (MAX_MESSAGE_CHARS + 1))
    assert f"{MAX_MESSAGE_CHARS + 1:,}" in caught.value.problem("en")
    assert f"{MAX_MESSAGE_CHARS:,}" in caught.value.problem("zh")


# --- retry and undo ----------------------------------------------------------------------------

CONVERSATION = [
    user("q1"),
    assistant("a1"),
    user("q2"),
    assistant("thinking", title="💭 Thought"),
    assistant("a2"),
]


def test_retry_keeps_history_up_to_the_last_question():
    assert truncate_for_retry(CONVERSATION) == CONVERSATION[:3]


def test_retry_of_an_earlier_answer_cuts_at_its_question():
    assert truncate_for_retry(CONVERSATION, index=1) == CONVERSATION[:1]
    assert truncate_for_retry(CONVERSATION, index=4) == CONVERSATION[:3]
    assert truncate_for_retry(CONVERSATION, index=99) == CONVERSATION[:3]


def test_retry_without_a_question_leaves_history_alone_and_never_mutates():
    only_answers = [assistant("hello")]
    assert truncate_for_retry(only_answers) == only_answers
    original = list(CONVERSATION)
    result = truncate_for_retry(CONVERSATION)
    assert result is not CONVERSATION and CONVERSATION == original


def test_undo_removes_the_last_turn_and_returns_its_text():
    assert undo_last_question(CONVERSATION) == (CONVERSATION[:2], "q2", [])


def test_undo_at_an_index_removes_that_turn_and_everything_after():
    assert undo_last_question(CONVERSATION, index=1) == ([], "q1", [])
    assert undo_last_question(CONVERSATION, index=2) == (CONVERSATION[:2], "q2", [])


def test_undo_reads_block_content_and_handles_no_question():
    assert undo_last_question([as_blocks(user("你好"))]) == ([], "你好", [])
    assert undo_last_question([assistant("hi")]) == ([assistant("hi")], "", [])


# --- Turn --------------------------------------------------------------------------------------


def apply(turn: Turn, *events: object) -> None:
    """Feed events the way a stream does: its reply takes the content, then the
    Turn takes the timing."""
    for event in events:
        turn.reply.apply(event)
        turn.apply(event)


def feed(turn: Turn, clock: FakeClock, at: float, *events: object) -> None:
    clock.now = at
    apply(turn, *events)


def rate_limit(trace_id: str = "trace-429") -> errors.RateLimitError:
    return errors.RateLimitError("rate limited", status=429, trace_id=trace_id)


def test_a_reasoning_turn_end_to_end():
    clock = FakeClock(100.0)
    history = [user("What is 2+2?")]
    turn = Turn(history, "en", clock=clock)
    assert turn.status == "waiting"
    assert turn.messages() == history

    feed(turn, clock, 100.5, ReasoningDelta("Two plus "), ReasoningDelta("two…"))
    assert turn.status == "thinking"
    bubble = turn.new_messages()[0]
    assert bubble == {"role": "assistant", "content": "Two plus two…",
                      "metadata": {"title": t("en", "thinking"), "status": "pending"}}

    feed(turn, clock, 101.25, TextDelta("It "))
    feed(turn, clock, 101.5, TextDelta("is "))
    feed(turn, clock, 102.25, TextDelta("4."), UsageUpdate(Usage(12, 30, 42, 20)), Finished("stop"))
    assert turn.status == "answering"
    clock.now = 103.0
    turn.finish()
    assert turn.status == "done"
    assert turn.messages() == [
        *history,
        {"role": "assistant", "content": "Two plus two…",
         "metadata": {"title": t("en", "thought"), "status": "done", "duration": 1.2}},  # 101.25 - 100
        {"role": "assistant", "content": "It is 4."},
    ]

    rows = dict(turn.usage_rows())
    assert rows == {
        "Status": "done",
        "Prompt tokens": "12",
        "Completion tokens": "30",
        "Reasoning tokens": "20",
        "Total tokens": "42",
        "Time to first token": "0.50 s",
        # (30 - 20 reasoning) answer tokens; the first starts the clock: 9 over 1.0 s.
        "Tokens / s (answer)": "9.0",
        "Total time": "3.00 s",
        "Finish reason": "stop",
    }


def test_tokens_per_second_counts_deltas_without_usage():
    clock = FakeClock(0.0)
    turn = Turn([user("q")], clock=clock)
    for i, at in enumerate((1.0, 1.5, 2.0, 3.0)):
        feed(turn, clock, at, TextDelta(f"w{i} "))
    assert turn.answer_tokens_per_second() == pytest.approx(3 / 2.0)
    assert dict(turn.usage_rows())["Tokens / s (answer)"] == "1.5"
    assert "Prompt tokens" not in dict(turn.usage_rows())


def test_no_speed_from_a_single_instant():
    clock = FakeClock(0.0)
    turn = Turn([user("q")], clock=clock)
    feed(turn, clock, 1.0, TextDelta("all at once"))
    assert turn.answer_tokens_per_second() is None
    assert "Tokens / s (answer)" not in dict(turn.usage_rows())


def test_usage_markdown_is_a_table_with_thousands_separators():
    clock = FakeClock(0.0)
    turn = Turn([user("q")], clock=clock)
    feed(turn, clock, 0.25, TextDelta("a"), UsageUpdate(Usage(12345, 2000, 14345, 0)), Finished("length"))
    clock.now = 1.0
    turn.finish()
    lines = turn.usage_markdown().splitlines()
    assert lines[:2] == ["| Usage | Value |", "|---|---:|"]
    assert "| Prompt tokens | 12,345 |" in lines
    assert "| Total tokens | 14,345 |" in lines
    assert "| Finish reason | length |" in lines
    assert "| Total time | 1.00 s |" in lines


def test_running_time_uses_the_clock_until_finished():
    clock = FakeClock(10.0)
    turn = Turn([user("q")], clock=clock)
    clock.now = 12.0
    assert dict(turn.usage_rows())["Total time"] == "2.00 s"
    turn.finish()
    clock.now = 50.0
    assert dict(turn.usage_rows())["Total time"] == "2.00 s"


def test_tool_calls_become_cards():
    turn = Turn([user("weather?")])
    apply(turn, ToolCallDelta(0, "call_1", "get_weather", '{"city": '))
    apply(turn, ToolCallDelta(0, None, None, '"Paris"}'))
    apply(turn, ToolCallDelta(1, "call_2", "get_time", "not json"))
    apply(turn, Finished("tool_calls"))
    cards = turn.new_messages()
    assert cards == [
        {"role": "assistant", "content": '```json\n{\n  "city": "Paris"\n}\n```',
         "metadata": {"title": "🔧 Tool call: get_weather"}},
        {"role": "assistant", "content": "```json\nnot json\n```", "metadata": {"title": "🔧 Tool call: get_time"}},
    ]
    assert turn.tool_calls[0].id == "call_1"
    assert api_messages(turn.messages()) == [{"role": "user", "content": "weather?"}]


def test_the_turn_reads_its_content_from_the_reply():
    reply = Reply()
    turn = Turn([user("q")], reply=reply)
    assert turn.reply is reply
    events = (TextDelta("Hi"), UsageUpdate(Usage(3, 1, 4)), ToolCallDelta(0, "call_1", "f", "{}"), Finished("stop"))
    for event in events:
        reply.apply(event)
        turn.apply(event)
    assert (turn.answer, turn.usage, turn.finish_reason) == ("Hi", Usage(3, 1, 4), "stop")
    assert turn.tool_calls is reply.tool_calls  # the same assembled calls, not a second copy


def test_a_reply_ahead_of_the_turn_shows_in_step_with_the_turns_timing():
    """The stream fills the reply in its own thread, possibly some events ahead of the
    Turn: what shows follows the phase the Turn has reached, so an answer never
    appears under a thinking bubble that is still pending."""
    clock = FakeClock(0.0)
    reply = Reply()
    turn = Turn([user("q")], clock=clock, reply=reply)
    for event in (ReasoningDelta("hmm"), TextDelta("Hi")):
        reply.apply(event)  # the reader ran ahead
    assert turn.status == "waiting" and turn.new_messages() == []
    clock.now = 0.5
    turn.apply(ReasoningDelta("hmm"))
    assert turn.status == "thinking"
    assert turn.new_messages() == [
        {"role": "assistant", "content": "hmm", "metadata": {"title": t("en", "thinking"), "status": "pending"}}
    ]
    clock.now = 1.0
    turn.apply(TextDelta("Hi"))
    assert turn.status == "answering"
    assert turn.new_messages() == [
        {"role": "assistant", "content": "hmm",
         "metadata": {"title": t("en", "thought"), "status": "done", "duration": 1.0}},
        {"role": "assistant", "content": "Hi"},
    ]


def test_an_error_after_a_partial_answer_keeps_it_and_says_incomplete():
    turn = Turn([user("q")])
    apply(turn, TextDelta("The first half"))
    error = errors.UpstreamStreamError("unknown error", status=200, code=60000, trace_id="tr-123")
    turn.fail(error)
    assert turn.status == "error"
    answer, notice = turn.new_messages()
    assert answer == {"role": "assistant", "content": "The first half"}
    assert notice["metadata"] == {"title": t("en", "incomplete")}
    assert notice["content"] == error.user_message("en")
    assert "tr-123" in notice["content"] and "60000" in notice["content"]


def test_an_error_before_any_answer_is_a_plain_error_notice():
    turn = Turn([user("q")])
    turn.fail(rate_limit())
    assert turn.new_messages() == [
        {"role": "assistant", "content": rate_limit().user_message("en"), "metadata": {"title": t("en", "error")}}
    ]
    assert "trace-429" in turn.new_messages()[0]["content"]
    assert dict(turn.usage_rows())["Status"] == "error"


def test_an_error_after_reasoning_only_is_incomplete():
    turn = Turn([user("q")])
    apply(turn, ReasoningDelta("hmm"))
    turn.fail(errors.IncompleteStreamError("connection lost"))
    bubble, notice = turn.new_messages()
    assert bubble["metadata"]["status"] == "done"  # the spinner stops when the turn fails
    assert notice["metadata"]["title"] == t("en", "incomplete")


def test_retrying_shows_a_note_until_tokens_arrive():
    turn = Turn([user("q")])
    apply(turn, Retrying(attempt=1, max_retries=2, delay=3.0, error=rate_limit()))
    assert turn.status == "retrying"
    expected = "⏳ Rate limit reached — retrying in 3 s (retry 1 of 2)…"
    assert turn.retry_note == expected
    assert turn.new_messages() == [
        {"role": "assistant", "content": expected,
         "metadata": {"title": t("en", "status_retrying"), "status": "pending"}}
    ]
    assert dict(turn.usage_rows())["Status"] == "retrying…"
    apply(turn, TextDelta("Hello"))
    assert turn.retry_note is None and turn.status == "answering"
    assert turn.new_messages() == [{"role": "assistant", "content": "Hello"}]


def test_chinese_strings():
    clock = FakeClock(0.0)
    turn = Turn([user("你好")], "zh", clock=clock)
    apply(turn, Retrying(attempt=2, max_retries=2, delay=1.0, error=rate_limit()))
    assert turn.retry_note == "⏳ 请求过于频繁，已触发限流，1 秒后重试（第 2/2 次）…"
    feed(turn, clock, 0.5, ReasoningDelta("想一想"))
    assert turn.new_messages()[0]["metadata"]["title"] == "💭 思考中"
    feed(turn, clock, 1.0, TextDelta("你好！"), UsageUpdate(Usage(5, 7, 12, 3)))
    turn.fail(rate_limit("tr-zh"))
    bubble, answer, notice = turn.new_messages()
    assert bubble["metadata"]["title"] == "💭 已思考"
    assert notice["metadata"]["title"] == "⚠️ 以上回答不完整"
    assert "追踪 ID：tr-zh" in notice["content"] and "请求过于频繁" in notice["content"]
    table = turn.usage_markdown()
    assert table.startswith("| 用量 | 数值 |")
    assert "| 输入 tokens | 5 |" in table and "| 状态 | 出错 |" in table


# --- FramePacer -----------------------------------------------------------------------------------


def test_frame_pacer_paces_updates():
    clock = FakeClock(50.0)
    frames = FramePacer(fps=20, clock=clock)
    assert frames.due() and frames.wait_time() == 0.0  # the first update goes at once
    frames.sent()
    clock.now = 50.01
    assert not frames.due()
    assert frames.wait_time() == pytest.approx(0.04)
    clock.now = 50.05
    assert frames.due() and frames.wait_time() == 0.0
    frames.sent()
    clock.now = 50.07
    assert not frames.due()


def test_frame_pacer_spaces_updates_as_the_text_grows():
    """Each update re-renders the whole message: the interval keeps the characters
    re-rendered per second under the budget, up to the cap."""
    frames = FramePacer(fps=10, chars_per_second=40_000, max_interval=1.0, clock=FakeClock(0.0))
    assert frames.interval(0) == pytest.approx(0.1)
    assert frames.interval(4_000) == pytest.approx(0.1)
    assert frames.interval(20_000) == pytest.approx(0.5)
    assert frames.interval(400_000) == pytest.approx(1.0)  # a huge answer still grows every second
    # Below the cap, the characters re-rendered over a whole answer grow linearly
    # with its length, not quadratically.
    rendered = {}
    for length in (10_000, 40_000):
        shown, total, t = 0, 0, 0.0
        while shown < length:  # 250 tokens/s of 5 characters
            t += frames.interval(shown)
            shown = min(length, int(t * 1250))
            total += shown
        rendered[length] = total
    assert rendered[40_000] < 5 * rendered[10_000]  # 4x the text: ~4x the work, not 16x


def test_frame_pacer_shares_a_frame_budget_between_streams():
    streams = [1]
    frames = FramePacer(fps=10, total_fps=80, max_interval=1.0, streams=lambda: streams[0], clock=FakeClock(0.0))
    assert frames.interval(0) == pytest.approx(0.1)  # alone: the full rate
    streams[0] = 8
    assert frames.interval(0) == pytest.approx(0.1)
    streams[0] = 32
    assert frames.interval(0) == pytest.approx(0.4)  # 32 streams share 80 updates a second
    streams[0] = 1000
    assert frames.interval(0) == pytest.approx(1.0)


# --- edit ------------------------------------------------------------------------------------


def test_an_edited_question_drops_the_answers_after_it():
    from sfui.chat import edit_history, last_text

    history = [user("q1"), assistant("a1"), user("q2"), assistant("a2")]
    assert edit_history(history, 0, "q1 again") == [user("q1 again")]
    assert edit_history(history, 2, [{"type": "text", "text": "q2 again"}]) == [user("q1"), assistant("a1"),
                                                                               user("q2 again")]
    assert last_text(edit_history(history, 2, "new")) == "new"


@pytest.mark.parametrize("index", [1, 3, 4, -1, None, "0"])
def test_editing_anything_but_a_question_leaves_nothing_to_answer(index):
    from sfui.chat import edit_history

    assert edit_history([user("q1"), assistant("a1"), user("q2"), assistant("a2")], index, "x") == []
