"""sfui.api.events: the reply that a stream's events add up to. Pure: no server."""

from __future__ import annotations

import ast
import pathlib
import threading

import pytest

from sfui.api import errors
from sfui.api.events import (
    MAX_CHOICES,
    Finished,
    ReasoningDelta,
    Replies,
    Reply,
    Retrying,
    TextDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)


def reply_of(*events: object) -> Reply:
    reply = Reply()
    for event in events:
        reply.apply(event)
    return reply


def test_an_empty_reply():
    reply = Reply()
    assert (reply.text, reply.reasoning, reply.usage, reply.finish_reason, reply.tool_calls) == ("", "", None, None, ())


def test_text_and_reasoning_are_concatenated_separately():
    reply = reply_of(ReasoningDelta("Two plus "), TextDelta("It "), ReasoningDelta("two"), TextDelta("is 4."))
    assert reply.text == "It is 4."
    assert reply.reasoning == "Two plus two"


def test_tool_calls_are_assembled_across_deltas():
    reply = reply_of(
        ToolCallDelta(0, "call_1", "get_weather", '{"city": '),
        ToolCallDelta(1, "call_2", "get_time", ""),
        ToolCallDelta(0, None, None, '"Paris"}'),
        ToolCallDelta(1, None, None, '{"tz": "UTC"}'),
    )
    assert reply.tool_calls == (
        ToolCall("call_1", "get_weather", '{"city": "Paris"}'),
        ToolCall("call_2", "get_time", '{"tz": "UTC"}'),
    )


def test_a_later_id_or_name_replaces_an_earlier_one_and_empty_ones_do_not():
    reply = reply_of(
        ToolCallDelta(0, "call_1", "f", "a"), ToolCallDelta(0, "", "", "b"), ToolCallDelta(0, "call_9", "g", "c")
    )
    assert reply.tool_calls == (ToolCall("call_9", "g", "abc"),)


def test_a_tool_call_index_may_skip_ahead():
    reply = reply_of(ToolCallDelta(2, "call_3", "h", "{}"))
    assert reply.tool_calls == (ToolCall(), ToolCall(), ToolCall("call_3", "h", "{}"))


def test_the_last_usage_wins():
    """SiliconFlow sends a running total on every chunk: the totals are replaced, never added up."""
    reply = reply_of(UsageUpdate(Usage(10, 1, 11)), UsageUpdate(Usage(10, 5, 15, 2)))
    assert reply.usage == Usage(10, 5, 15, 2)


def test_finish_reason_and_events_without_content():
    rate_limited = errors.RateLimitError("rate limited", status=429)
    reply = reply_of(
        Retrying(attempt=1, max_retries=2, delay=1.0, error=rate_limited), TextDelta("Hi"), Finished("length"), object()
    )
    assert (reply.text, reply.finish_reason) == ("Hi", "length")


def test_values_are_replaced_never_changed_in_place():
    """Another thread may hold what it read a moment ago: applying an event must
    not change it under that reader."""
    reply = reply_of(ToolCallDelta(0, "call_1", "f", '{"a"'))
    calls_before, first_call = reply.tool_calls, reply.tool_calls[0]
    reply.apply(ToolCallDelta(0, None, None, ": 1}"))
    assert calls_before == (ToolCall("call_1", "f", '{"a"'),) and first_call.arguments == '{"a"'
    assert reply.tool_calls[0].arguments == '{"a": 1}'
    with pytest.raises(AttributeError):
        first_call.arguments = "changed"  # frozen


def test_events_import_no_http_module():
    """Chat logic imports the events; they must not drag the HTTP client (or requests) in."""
    source = pathlib.Path(__file__).parents[1].joinpath("sfui", "api", "events.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {node.module or ""} | {alias.name for alias in node.names}
    assert not imported & {"requests", "urllib3", "client", "sfui.api.client", "gradio"}



# --- several choices (n > 1) ------------------------------------------------------------


def test_events_belong_to_choice_0_unless_told():
    assert TextDelta("a") == TextDelta("a", 0) and TextDelta("a", 1).choice == 1
    assert (ReasoningDelta("r").choice, Finished("stop").choice, ToolCallDelta(0, None, None, "").choice) == (0, 0, 0)
    assert ToolCallDelta(2, None, None, "", choice=1).index == 2  # index stays the tool call's position


def test_replies_route_each_event_to_its_choice():
    replies = Replies()
    for event in (TextDelta("zero "), TextDelta("one ", 1), ReasoningDelta("hmm", 1), TextDelta("done", 0),
                  ToolCallDelta(0, "call_1", "f", "{}", choice=2), Finished("stop", 1), Finished("length", 0)):
        replies.apply(event)
    zero, one, two = replies.all
    assert (zero.text, zero.reasoning, zero.finish_reason) == ("zero done", "", "length")
    assert (one.text, one.reasoning, one.finish_reason) == ("one ", "hmm", "stop")
    assert (two.text, two.tool_calls) == ("", (ToolCall("call_1", "f", "{}"),))


def test_usage_is_the_requests_and_goes_to_every_choice():
    replies = Replies()
    replies.apply(TextDelta("a", 1))
    replies.apply(UsageUpdate(Usage(10, 2, 12)))
    assert [r.usage for r in replies.all] == [Usage(10, 2, 12)] * 2
    late = replies.get(3)  # a choice that had not arrived yet starts with the usage so far
    assert late.usage == Usage(10, 2, 12) and replies.all[2].usage == Usage(10, 2, 12)
    replies.apply(UsageUpdate(Usage(10, 5, 15)))
    assert {r.usage for r in replies.all} == {Usage(10, 5, 15)}


def test_a_reply_asked_for_early_is_the_one_its_events_fill():
    replies = Replies()
    first, held = replies.get(0), replies.get(2)
    assert len(replies.all) == 3 and replies.all[1].text == ""
    replies.apply(TextDelta("late", 2))
    assert replies.get(2) is held and held.text == "late" and replies.get(0) is first


def test_the_tuple_of_replies_is_replaced_when_it_grows():
    replies = Replies()
    before = replies.all
    replies.apply(TextDelta("x", 1))
    assert before == (replies.get(0),) and len(replies.all) == 2  # a reader's snapshot is unchanged


def test_a_choice_index_is_bounded():
    replies = Replies()
    with pytest.raises(IndexError):
        replies.get(MAX_CHOICES)
    with pytest.raises(IndexError):
        replies.get(-1)
    assert len(replies.all) == 1


def test_replies_grown_from_two_threads_give_one_reply_per_choice():
    replies = Replies()
    seen: list[list[Reply]] = [[], []]

    def grow(out: list) -> None:
        for index in range(MAX_CHOICES):
            out.append(replies.get(index))

    threads = [threading.Thread(target=grow, args=(out,)) for out in seen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a is b for a, b in zip(*seen, strict=True))
    assert list(replies.all) == seen[0]
