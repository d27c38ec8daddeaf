"""One chat completion chunk (already parsed JSON) -> typed events, per choice.

Pure: no HTTP. :class:`~sfui.api.stream.ChatStream` decodes the wire (SSE or a whole
JSON body) and hands every object to a :class:`ChunkParser`, which knows the
shape of a chunk: the choices and their deltas, inline ``<think>`` tags (one
splitter per choice, since each answer has its own), tool-call fragments,
finish reasons and the request's cumulative usage.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import errors
from .events import MAX_CHOICES, Event, Finished, ReasoningDelta, TextDelta, ToolCallDelta, Usage, UsageUpdate
from .thinktags import ThinkTagSplitter

# Tool calls are assembled (by Reply) into a tuple by their index: a bound keeps a bad
# index (1e9) from allocating a billion entries. The API takes up to 128 tools.
MAX_TOOL_CALLS = 128


class ChunkParser:
    """Feed it a stream's chunks in order; get the events of each back.

    A chunk of the wrong shape (a broken proxy or server) is a
    MalformedResponseError, an error object a StreamError: never a TypeError."""

    def __init__(self, trace_id: str | None = None) -> None:
        self.trace_id = trace_id
        self.model: str | None = None
        self._think: dict[int, ThinkTagSplitter] = {}
        self._seen: set[int] = set()  # choices the server sent
        self._finished: set[int] = set()  # ... and those it finished
        self._usage: Usage | None = None

    @property
    def complete(self) -> bool:
        """Whether every choice the server sent has its finish reason (and there was one)."""
        return bool(self._finished) and self._seen <= self._finished

    def feed(self, obj: Any) -> Iterator[Event]:
        try:
            yield from self._events(obj)
        except (AttributeError, TypeError, ValueError, OverflowError) as exc:
            raise errors.MalformedResponseError(
                f"unexpected chunk shape ({type(exc).__name__}: {str(exc)[:80]})", status=200, trace_id=self.trace_id
            ) from None

    def flush(self) -> Iterator[Event]:
        """The end of the stream: text held back in case it began a think tag is real text."""
        for choice in sorted(self._think):
            yield from self._flush_think(choice)

    def _events(self, obj: Any) -> Iterator[Event]:
        if not isinstance(obj, dict):
            raise errors.MalformedResponseError(
                f"unexpected stream item: {str(obj)[:80]}", status=200, trace_id=self.trace_id
            )
        if errors.looks_like_error_object(obj):
            raise errors.stream_error_from_object(obj, self.trace_id)
        model = obj.get("model")
        if isinstance(model, str) and model:
            self.model = model
        for choice in obj.get("choices") or ():
            yield from self._choice(choice)
        usage = obj.get("usage")
        if isinstance(usage, dict):
            # Cumulative on SiliconFlow (every chunk), final-only elsewhere: the last one wins.
            new = Usage.from_api(usage)
            if new != self._usage:
                self._usage = new
                yield UsageUpdate(new)

    def _choice(self, choice: dict) -> Iterator[Event]:
        index = choice.get("index")
        if index is None:
            index = 0  # one answer: some servers leave the index out
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"choice index is a {type(index).__name__}")
        if not 0 <= index < MAX_CHOICES:
            raise ValueError(f"choice index {index} out of range")
        self._seen.add(index)
        delta = choice.get("delta") or choice.get("message") or {}
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if reasoning:
            if not isinstance(reasoning, str):
                raise TypeError(f"reasoning is a {type(reasoning).__name__}")
            yield ReasoningDelta(reasoning, index)
        content = delta.get("content")
        if content:
            yield from self._content(content, index)
        for position, call in enumerate(delta.get("tool_calls") or ()):
            yield _tool_call(call, position, index)
        reason = choice.get("finish_reason")
        if reason:
            if not isinstance(reason, str):
                raise TypeError(f"finish_reason is a {type(reason).__name__}")
            yield from self._flush_think(index)
            self._finished.add(index)
            yield Finished(reason, index)

    def _content(self, content: Any, choice: int) -> Iterator[Event]:
        if isinstance(content, list):  # content parts, from some servers' non-stream replies
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        splitter = self._think.get(choice)
        if splitter is None:
            splitter = self._think[choice] = ThinkTagSplitter()
        for is_reasoning, piece in splitter.feed(str(content)):
            yield ReasoningDelta(piece, choice) if is_reasoning else TextDelta(piece, choice)

    def _flush_think(self, choice: int) -> Iterator[Event]:
        splitter = self._think.get(choice)
        if splitter is not None:
            for is_reasoning, piece in splitter.flush():
                yield ReasoningDelta(piece, choice) if is_reasoning else TextDelta(piece, choice)


def _tool_call(call: dict, position: int, choice: int) -> ToolCallDelta:
    """A checked delta; the reply assembles the calls (sfui.api.events.Reply)."""
    # Streamed deltas carry "index"; a whole message's list may not.
    index = int(call.get("index", position))
    if not 0 <= index < MAX_TOOL_CALLS:
        raise ValueError(f"tool call index {index} out of range")
    function = call.get("function") or {}
    if not all(isinstance(v, (str, type(None))) for v in (call.get("id"), function.get("name"))):
        raise TypeError("tool call id and name must be strings")
    fragment = function.get("arguments") or ""
    if isinstance(fragment, dict):
        fragment = json.dumps(fragment)
    if not isinstance(fragment, str):
        raise TypeError(f"tool call arguments are a {type(fragment).__name__}")
    return ToolCallDelta(index, call.get("id"), function.get("name"), fragment, choice)
