"""Tool calls as a model makes them, and the protocol a server checks: the ``calc``,
``calc-slow`` and ``tool-loop`` scenarios, and the 400 a malformed tool exchange gets.

A ``tool`` message must answer a call of the assistant message before it (by
``tool_call_id``), and every call must be answered before the conversation goes on;
otherwise the request is refused, as OpenAI-compatible servers refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .builders import non_stream, stream
from .steps import Scenario
from .wire import _INVALID_PARAMETER, error

CALCULATOR = "calculator"


@dataclass(frozen=True)
class ToolState:
    """What a request says about tools: the names it offers, and after its last user message,
    the calls made (one list per assistant message) and the results sent back."""

    offered: tuple[str, ...] = ()
    calls: tuple[tuple[str, ...], ...] = ()  # per assistant message with tool_calls: the calls' names
    results: tuple[str, ...] = ()  # the tool messages' contents, in order


def _offered(tools: Any) -> tuple[str, ...]:
    names = []
    for tool in tools if isinstance(tools, list) else []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            names.append(function["name"])
    return tuple(names)


def protocol_error(messages: list[dict]) -> str | None:
    """Why the tool exchange in ``messages`` is malformed, or None."""
    waiting: set[str] = set()  # calls of the last assistant message not answered yet
    for message in messages:
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in waiting:
                return f"tool message answers no call: {call_id!r}"
            waiting.discard(call_id)
            continue
        if waiting:
            return f"tool calls not answered: {sorted(waiting)}"
        if role == "assistant":
            calls = message.get("tool_calls") or []
            ids = [call.get("id") for call in calls if isinstance(call, dict)]
            if len(ids) != len(calls) or not all(isinstance(i, str) and i for i in ids) or len(set(ids)) != len(ids):
                return "each tool call needs an id of its own"
            waiting = set(ids)
    return f"tool calls not answered: {sorted(waiting)}" if waiting else None


def tool_state(body: dict, messages: list[dict]) -> ToolState:
    last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=-1)
    after = messages[last_user + 1:]
    calls = tuple(tuple(str((c.get("function") or {}).get("name")) for c in m.get("tool_calls") or [])
                  for m in after if m.get("role") == "assistant" and m.get("tool_calls"))
    results = tuple(str(m.get("content") or "") for m in after if m.get("role") == "tool")
    return ToolState(_offered(body.get("tools")), calls, results)


def refused(body: dict, messages: list[dict]) -> Scenario | None:
    """The 400 a malformed tool exchange gets, or None."""
    problem = protocol_error(messages)
    if problem is None:
        return None
    return error(400, {**_INVALID_PARAMETER, "message": f"{_INVALID_PARAMETER['message']} ({problem})"})


def _answer(model: str, streamed: bool, prompt_tokens: int, answer: str, *, token_rate: float | None = None,
            call: dict | None = None) -> Scenario:
    calls = [call] if call else None
    if streamed:
        return stream(answer, model=model, prompt_tokens=prompt_tokens, tool_calls=calls, token_rate=token_rate)
    return non_stream(answer, model=model, prompt_tokens=prompt_tokens, tool_calls=calls)


def calc(model: str, streamed: bool, prompt_tokens: int, prompt: str, tools: ToolState, *,
         slow: bool = False) -> Scenario:
    """The calculator called with the prompt as its expression; once its result is back,
    "The result is <result>." (``slow``: then a count at 20 tokens/s, to stop)."""
    if CALCULATOR not in tools.offered:
        return _answer(model, streamed, prompt_tokens, "No calculator was offered.")
    if not tools.results:
        call = {"name": CALCULATOR, "arguments": {"expression": prompt.strip()}}
        return _answer(model, streamed, prompt_tokens, "", call=call)
    answer = f"The result is {'; '.join(tools.results)}."
    if slow:
        answer += " Counting: " + " ".join(str(i) for i in range(1, 201))
    return _answer(model, streamed, prompt_tokens, answer, token_rate=20 if slow else None)


def tool_loop(model: str, streamed: bool, prompt_tokens: int, tools: ToolState) -> Scenario:
    """The calculator called again and again, whatever came back: a model that never answers."""
    if CALCULATOR not in tools.offered:
        return _answer(model, streamed, prompt_tokens, "No calculator was offered.")
    call = {"name": CALCULATOR, "arguments": {"expression": f"{len(tools.calls) + 1} + 1"}}
    return _answer(model, streamed, prompt_tokens, "", call=call)
