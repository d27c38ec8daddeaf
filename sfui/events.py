"""What a chat completion stream says, as typed events, and the reply they add up to.

Pure: no HTTP, no Gradio. :class:`~sfui.client.ChatStream` yields these events
and applies each one to its :class:`Reply`; the UI's :class:`~sfui.chat.Turn`
reads the reply and keeps only timing and what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import errors


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int = 0

    @classmethod
    def from_api(cls, obj: dict) -> Usage:
        details = obj.get("completion_tokens_details") or {}
        return cls(
            prompt_tokens=int(obj.get("prompt_tokens") or 0),
            completion_tokens=int(obj.get("completion_tokens") or 0),
            total_tokens=int(obj.get("total_tokens") or 0),
            reasoning_tokens=int(details.get("reasoning_tokens") or obj.get("reasoning_tokens") or 0),
        )


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    index: int
    id: str | None
    name: str | None
    arguments: str  # a fragment; Reply.tool_calls holds the assembled calls


@dataclass(frozen=True, slots=True)
class UsageUpdate:
    usage: Usage


@dataclass(frozen=True, slots=True)
class Finished:
    reason: str


@dataclass(frozen=True, slots=True)
class Retrying:
    """The request failed in a retryable way; the client waits ``delay`` seconds
    and then makes retry number ``attempt`` of at most ``max_retries``."""

    attempt: int
    max_retries: int
    delay: float
    error: errors.SiliconFlowError


Event = TextDelta | ReasoningDelta | ToolCallDelta | UsageUpdate | Finished | Retrying


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One assembled tool call (``arguments`` is the JSON text the model wrote)."""

    id: str | None = None
    name: str = ""
    arguments: str = ""


class Reply:
    """The reply so far: the one place where events add up.

    One thread applies events while another may read (the stream is read in
    the pump's thread, shown from the event loop). Every attribute is an
    immutable value that :meth:`apply` replaces, never changes in place, so a
    reader always gets a whole value: a tool call is never seen half-updated.
    """

    __slots__ = ("text", "reasoning", "usage", "finish_reason", "tool_calls")

    def __init__(self) -> None:
        self.text = ""
        self.reasoning = ""
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self.tool_calls: tuple[ToolCall, ...] = ()

    def apply(self, event: object) -> None:
        """Add one event. Retrying and unknown events change nothing."""
        if isinstance(event, TextDelta):
            self.text += event.text
        elif isinstance(event, ReasoningDelta):
            self.reasoning += event.text
        elif isinstance(event, UsageUpdate):
            # Cumulative on SiliconFlow (every chunk), final-only elsewhere: the last one wins.
            self.usage = event.usage
        elif isinstance(event, Finished):
            self.finish_reason = event.reason
        elif isinstance(event, ToolCallDelta):
            self.tool_calls = _with_delta(self.tool_calls, event)

    def __repr__(self) -> str:
        return (
            f"Reply(text={self.text!r}, reasoning={self.reasoning!r}, usage={self.usage!r}, "
            f"finish_reason={self.finish_reason!r}, tool_calls={self.tool_calls!r})"
        )


def _with_delta(calls: tuple[ToolCall, ...], delta: ToolCallDelta) -> tuple[ToolCall, ...]:
    """``calls`` with ``delta`` merged into the call at its index: an id or name
    the delta carries replaces the call's, argument fragments are concatenated.
    The index is trusted: the client bounds it before it makes the delta."""
    grown = list(calls) + [ToolCall()] * (delta.index + 1 - len(calls))
    old = grown[delta.index]
    grown[delta.index] = ToolCall(delta.id or old.id, delta.name or old.name, old.arguments + delta.arguments)
    return tuple(grown)
