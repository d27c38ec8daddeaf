"""Builders of well-formed answers: streams (one choice or several) and plain bodies."""

from __future__ import annotations

import time
from typing import Any

from .steps import Body, Scenario, Step
from .wire import _JSON, _Chunker, _dumps, _new_id, _tokens, _tool_call, _tool_call_deltas


def stream(answer: str | list[str], *, reasoning: str | list[str] | None = None,
           usage: str = "cumulative", finish_reason: str | None = None, model: str = "fake/echo",
           tool_calls: list[dict] | None = None, prompt_tokens: int = 10,
           token_rate: float | None = None) -> Scenario:
    """A well-formed SiliconFlow stream.

    A str is split into word tokens, a list is used as-is.  Order: role-only chunk, reasoning
    deltas, content deltas, tool-call deltas; the last of them carries ``finish_reason``
    (default ``"tool_calls"`` with tool calls, else ``"stop"``).  ``usage``: ``"cumulative"``
    (SiliconFlow: on every chunk, running totals), ``"final"`` (one extra ``choices: []`` chunk
    at the end) or ``"none"``.  ``tool_calls`` items: ``{"name", "arguments"[, "id"]}`` where
    arguments is a JSON string (or an object, dumped for you).
    """
    if finish_reason is None:
        finish_reason = "tool_calls" if tool_calls else "stop"
    ck = _Chunker(model, prompt_tokens, usage)
    reasoning_tokens, answer_tokens = _tokens(reasoning), _tokens(answer)
    # (delta, is a reasoning token)
    items: list[tuple[dict, bool]] = [({"content": None, "reasoning_content": t}, True)
                                      for t in reasoning_tokens]
    items += [({"content": t, "reasoning_content": None}, False) for t in answer_tokens]
    for i, call in enumerate(tool_calls or []):
        items += [(d, False) for d in _tool_call_deltas(i, call)]

    steps: list[Step] = [ck.role()]
    for n, (delta, is_reasoning) in enumerate(items, 1):
        last = n == len(items)
        steps.append(ck.chunk(delta, finish_reason if last else None, token=True, reasoning=is_reasoning))
    if not items:  # nothing generated: finish_reason still needs a chunk to ride on
        steps.append(ck.chunk({"content": "", "reasoning_content": None}, finish_reason))
    steps += ck.tail()
    return Scenario(steps=steps, token_rate=token_rate, answer="".join(answer_tokens),
                    reasoning=None if reasoning is None else "".join(reasoning_tokens))


def stream_choices(answers: list[str | list[str]], *, reasoning: list[str | list[str] | None] | None = None,
                   usage: str = "cumulative", finish_reason: str | list[str] = "stop", model: str = "fake/echo",
                   prompt_tokens: int = 10, token_rate: float | None = None) -> Scenario:
    """One stream with ``len(answers)`` choices interleaved, as a server answers ``n`` > 1.

    Each choice gets its role-only chunk first (``index`` 0, 1, …), then the choices take
    turns, one token chunk each (``choices: [{"index": i, ...}]``; a choice's reasoning before
    its answer); a choice that runs out drops out of the rotation, and each choice's last
    chunk carries its own ``finish_reason`` (one for all, or a list, one per choice).  Usage
    is the request's: every choice's tokens, cumulative on every chunk (``usage`` as for
    :func:`stream`).  ``token_rate`` paces token chunks of all choices together.
    """
    count = len(answers)
    reasons = [finish_reason] * count if isinstance(finish_reason, str) else list(finish_reason)
    thoughts = list(reasoning) if reasoning is not None else [None] * count
    if not count or len(reasons) != count or len(thoughts) != count:
        raise ValueError("one answer, finish reason and reasoning per choice")
    ck = _Chunker(model, prompt_tokens, usage)
    # Per choice: (delta, is a reasoning token)
    items = [[({"content": None, "reasoning_content": t}, True) for t in _tokens(thought)]
             + [({"content": t, "reasoning_content": None}, False) for t in _tokens(answer)]
             for answer, thought in zip(answers, thoughts, strict=True)]
    steps: list[Step] = [ck.role(i) for i in range(count)]
    for position in range(max(len(tokens) for tokens in items)):
        for i, tokens in enumerate(items):
            if position < len(tokens):
                delta, is_reasoning = tokens[position]
                reason = reasons[i] if position == len(tokens) - 1 else None
                steps.append(ck.chunk(delta, reason, token=True, reasoning=is_reasoning, index=i))
    for i, tokens in enumerate(items):
        if not tokens:  # nothing generated: finish_reason still needs a chunk to ride on
            steps.append(ck.chunk({"content": "", "reasoning_content": None}, reasons[i], index=i))
    steps += ck.tail()
    texts = ["".join(_tokens(answer)) for answer in answers]
    return Scenario(steps=steps, token_rate=token_rate, answer=texts[0], answers=texts,
                    reasoning=None if thoughts[0] is None else "".join(_tokens(thoughts[0])))


def think_tags_stream(reasoning: str | list[str], answer: str | list[str], split_tags: bool = True,
                      **kwargs: Any) -> Scenario:
    """Thinking inline in ``content`` as ``<think>…</think>``, then the answer.

    With ``split_tags`` the tags are cut across chunks (``"<thi"``, ``"nk>"``…), as token
    boundaries fall in practice.  ``kwargs`` go to :func:`stream`.
    """
    opening = ["<thi", "nk>\n"] if split_tags else ["<think>\n"]
    closing = ["\n</th", "ink>\n\n"] if split_tags else ["\n</think>\n\n"]
    scenario = stream(opening + _tokens(reasoning) + closing + _tokens(answer), **kwargs)
    scenario.answer = "".join(_tokens(answer))
    scenario.reasoning = "".join(_tokens(reasoning))
    return scenario


def non_stream(answer: str | list[str], reasoning: str | list[str] | None = None, *,
               model: str = "fake/echo", finish_reason: str | None = None,
               tool_calls: list[dict] | None = None, prompt_tokens: int = 10) -> Scenario:
    """A ``chat.completion`` JSON body (the reply to ``stream: false``)."""
    answer_tokens, reasoning_tokens = _tokens(answer), _tokens(reasoning)
    if finish_reason is None:
        finish_reason = "tool_calls" if tool_calls else "stop"
    message: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(answer_tokens),
        "reasoning_content": None if reasoning is None else "".join(reasoning_tokens),
    }
    if tool_calls:
        message["tool_calls"] = [{"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}
                                 for call_id, name, args in map(_tool_call, tool_calls)]
    completion = len(answer_tokens) + len(reasoning_tokens)
    body = {
        "id": _new_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                  "total_tokens": prompt_tokens + completion,
                  "completion_tokens_details": {"reasoning_tokens": len(reasoning_tokens)}},
        "system_fingerprint": "",
    }
    return Scenario(steps=[Body(_dumps(body), _JSON)], answer=message["content"],
                    reasoning=message["reasoning_content"])


def non_stream_choices(answers: list[str | list[str]], reasoning: list[str | None] | None = None, *,
                       model: str = "fake/echo", finish_reason: str | list[str] = "stop",
                       prompt_tokens: int = 10) -> Scenario:
    """A ``chat.completion`` JSON body with one choice per answer (``n`` > 1, not streamed);
    usage counts every choice's tokens."""
    thoughts = list(reasoning) if reasoning is not None else [None] * len(answers)
    reasons = [finish_reason] * len(answers) if isinstance(finish_reason, str) else list(finish_reason)
    choices, completion, reasoning_tokens = [], 0, 0
    for i, (answer, thought, reason) in enumerate(zip(answers, thoughts, reasons, strict=True)):
        message = {"role": "assistant", "content": "".join(_tokens(answer)),
                   "reasoning_content": None if thought is None else "".join(_tokens(thought))}
        choices.append({"index": i, "message": message, "finish_reason": reason})
        completion += len(_tokens(answer)) + len(_tokens(thought))
        reasoning_tokens += len(_tokens(thought))
    body = {
        "id": _new_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": choices,
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                  "total_tokens": prompt_tokens + completion,
                  "completion_tokens_details": {"reasoning_tokens": reasoning_tokens}},
        "system_fingerprint": "",
    }
    texts = [c["message"]["content"] for c in choices]
    return Scenario(steps=[Body(_dumps(body), _JSON)], answer=texts[0], answers=texts)
