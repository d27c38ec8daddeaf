"""sfui.events: the reply that a stream's events add up to. Pure: no server."""

from __future__ import annotations

import ast
import pathlib

import pytest

from sfui import errors
from sfui.events import (
    Finished,
    ReasoningDelta,
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
    source = pathlib.Path(__file__).parents[1].joinpath("sfui", "events.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {node.module or ""} | {alias.name for alias in node.names}
    assert not imported & {"requests", "urllib3", "client", "sfui.client", "gradio"}


def test_chat_logic_does_not_import_the_http_client():
    source = pathlib.Path(__file__).parents[1].joinpath("sfui", "chat.py").read_text(encoding="utf-8")
    modules = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    assert "client" not in modules and "sfui.client" not in modules
