"""What a chat completion stream says, as typed events, and the reply they add up to.

Pure: no HTTP, no Gradio. :class:`~sfui.api.stream.ChatStream` yields these events
and applies each one to its :class:`Reply`; the UI's :class:`~sfui.chat.Turn`
reads the reply and keeps only timing and what the page shows.

A request with ``n`` > 1 streams several answers (choices) interleaved. The
events that belong to one answer carry its ``choice`` (the wire's
``choices[].index``; 0 for the usual single answer), and the stream keeps one
Reply per choice. ``UsageUpdate`` carries none: usage is the whole request's.
(The field is not called ``index`` because ``ToolCallDelta.index`` already is
the tool call's position within its answer.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from . import errors

# Choice indexes become positions in a tuple: a bound keeps a bad index from a broken
# server (1e9) from allocating a billion Replies. OpenAI's n goes up to 128.
MAX_CHOICES = 128


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
    choice: int = 0


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str
    choice: int = 0


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    index: int
    id: str | None
    name: str | None
    arguments: str  # a fragment; Reply.tool_calls holds the assembled calls
    choice: int = 0


@dataclass(frozen=True, slots=True)
class UsageUpdate:
    """The request's token counts so far (all its choices together)."""

    usage: Usage


@dataclass(frozen=True, slots=True)
class Finished:
    reason: str
    choice: int = 0


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
        """Add one event. Retrying and unknown events change nothing. The event's
        ``choice`` is not looked at: the stream hands each reply its own choice's
        events (and every reply the usage)."""
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


class Replies:
    """The Replies of one request, one per choice: what a stream's events add up to.

    :meth:`apply` routes each event to its choice's Reply (``event.choice``)
    and a UsageUpdate, the request's total, to every one. The reader thread
    applies while other threads read: the tuple of Replies is replaced, never
    changed in place, when it grows, and a Reply, once made for a choice, stays
    that choice's Reply.
    """

    def __init__(self) -> None:
        self._all: tuple[Reply, ...] = (Reply(),)
        self._usage: Usage | None = None
        self._lock = threading.Lock()

    @property
    def all(self) -> tuple[Reply, ...]:
        """By choice index: as many as the highest index applied or asked for + 1, at least one."""
        return self._all

    def get(self, index: int) -> Reply:
        """Choice ``index``'s Reply; created (empty, with the usage so far) if no
        event for it came yet, so a view can hold it before the choice arrives."""
        replies = self._all
        if 0 <= index < len(replies):
            return replies[index]
        if not 0 <= index < MAX_CHOICES:
            raise IndexError(f"choice index {index} out of range (0 to {MAX_CHOICES - 1})")
        with self._lock:
            grown = list(self._all)
            while len(grown) <= index:
                reply = Reply()
                reply.usage = self._usage
                grown.append(reply)
            self._all = tuple(grown)
            return grown[index]

    def apply(self, event: object) -> None:
        if isinstance(event, UsageUpdate):
            # Under the lock: a Reply created meanwhile starts with this usage, or gets it here.
            with self._lock:
                self._usage = event.usage
                for reply in self._all:
                    reply.apply(event)
        elif isinstance(event, (TextDelta, ReasoningDelta, ToolCallDelta, Finished)):
            self.get(event.choice).apply(event)


def _with_delta(calls: tuple[ToolCall, ...], delta: ToolCallDelta) -> tuple[ToolCall, ...]:
    """``calls`` with ``delta`` merged into the call at its index: an id or name
    the delta carries replaces the call's, argument fragments are concatenated.
    The index is trusted: the client bounds it before it makes the delta."""
    grown = list(calls) + [ToolCall()] * (delta.index + 1 - len(calls))
    old = grown[delta.index]
    grown[delta.index] = ToolCall(delta.id or old.id, delta.name or old.name, old.arguments + delta.arguments)
    return tuple(grown)
