"""What a saved conversation is: its format, checked, made and changed, and the record
kept for each answer.

A conversation is a plain JSON dict (see sfui/conversations.py for the store that
holds them, sfui/conversation_files.py for export and import)::

    {"id", "title", "model", "system_prompt", "created", "updated",   # epoch seconds
     "messages": [...],   # the chat as shown (Gradio's messages format, text-only content as strings)
     "answers": [...],    # one record per answer (answer_record): model, request fields, usage, cost, timings
                          # (a question may carry the alternatives Retry and Edit kept, each a branch
                          # {"messages", "answers"}: sfui/alternatives.py)
     "panels": {"reasoning": str, "usage": str}}   # the side panels for the last answer

Whatever comes back from the browser or from a file goes through
``check_conversation`` before it is used: it returns a clean copy (text-only content
as strings, unknown metadata dropped) or raises ``Malformed`` naming the first bad
field. ``answer_record`` builds an answer's record from a finished Turn. Every
function that changes a conversation returns a new one (inputs untouched).

Nothing here imports Gradio or does HTTP.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from typing import Any, TypeGuard

from . import alternatives
from .chat import Turn, message_text
from .chat_images import clean_image_blocks

SCHEMA_VERSION = 1
MAX_TITLE_CHARS = 200
MAX_NAME_CHARS = 300  # ids and model names
ROLES = ("user", "assistant")
ANSWER_STATUSES = ("done", "stopped", "error")
USAGE_FIELDS = ("prompt_tokens", "completion_tokens", "reasoning_tokens", "total_tokens")
PANELS = ("reasoning", "usage")
MAX_CURRENCY_CHARS = 8
# Gradio's message metadata keys and their types; anything else is dropped.
_METADATA: dict[str, type | tuple[type, ...]] = {
    "title": str, "status": str, "duration": (int, float), "log": str, "id": (str, int), "parent_id": (str, int),
}


# --- checking what comes back from the browser or a file ---------------------------------------


class Malformed(ValueError):
    """Part of a conversation is not what sfui writes; ``field`` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _need(ok: bool, field: str) -> None:
    if not ok:
        raise Malformed(field)


def is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(obj: dict, name: str, limit: int | None = None) -> str:
    """A string field; missing means empty (a hand-written file may leave it out)."""
    value = obj.get(name, "")
    _need(isinstance(value, str) and (limit is None or len(value) <= limit), name)
    return value


def check_content(content: Any, field: str = "messages") -> str | list:
    """Content as stored: a string when it is text only (Gradio hands the history
    over as ``[{"type": "text", "text": ...}]`` blocks), else the list of parts with
    file and image parts kept as they are. A component part is kept only when it is
    one of the chat's own pictures (sfui.chat_images), rewritten from its data: URL:
    the page would render any other one, HTML and all, from a file someone sent."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        content = [content]
    _need(isinstance(content, list), field)
    parts: list[dict] = []
    for part in content:
        part = {"type": "text", "text": part} if isinstance(part, str) else part
        _need(isinstance(part, dict) and isinstance(part.get("type"), str), field)
        if part["type"] == "text":
            _need(isinstance(part.get("text"), str), field)
            parts.append({"type": "text", "text": part["text"]})
        elif part["type"] == "component":
            parts.extend(clean_image_blocks([part]))
        else:
            try:  # a copy, and proof that it is plain JSON
                parts.append(json.loads(json.dumps(part, allow_nan=False)))
            except (TypeError, ValueError, RecursionError):
                raise Malformed(field) from None
    if all(part["type"] == "text" for part in parts):  # (also when every part was dropped)
        return "".join(part["text"] for part in parts)
    return parts


def _metadata(obj: Any) -> dict:
    if not isinstance(obj, dict):
        return {}
    clean = {k: v for k, v in obj.items() if k in _METADATA and isinstance(v, _METADATA[k]) and not isinstance(v, bool)}
    if clean.get("status") not in (None, "pending", "done"):
        del clean["status"]
    if "duration" in clean and not is_number(clean["duration"]):
        del clean["duration"]
    return clean


def _message(obj: Any, level: int = 0) -> dict:
    """A message of the branch shown (``level`` 0) or of a branch kept ``level`` deep."""
    _need(isinstance(obj, dict) and obj.get("role") in ROLES, "messages")
    message = {"role": obj["role"], "content": check_content(obj.get("content"))}
    metadata = _metadata(obj.get("metadata"))
    if metadata:
        message["metadata"] = metadata
    for kind in alternatives.KINDS:
        if obj.get(kind) is not None:
            _need(obj["role"] == "user", "messages")
            message[kind] = _alternatives(obj[kind], kind, level + 1)
    return message


def _alternatives(entries: Any, kind: str, level: int) -> list:
    """A question's alternatives (sfui/alternatives.py): one None (the one shown), and a
    branch for each other one; a kept wording starts with its question."""
    _need(isinstance(entries, list) and 1 < len(entries) <= alternatives.MAX_ALTERNATIVES, "messages")
    _need(entries.count(None) == 1 and level <= alternatives.MAX_DEPTH, "messages")
    checked: list[dict | None] = []
    for entry in entries:
        if entry is None:
            checked.append(None)
            continue
        _need(isinstance(entry, dict) and isinstance(entry.get("messages"), list), "messages")
        messages = [_message(message, level) for message in entry["messages"]]
        if kind == alternatives.VERSIONS:
            _need(bool(messages) and messages[0]["role"] == "user" and kind not in messages[0], "messages")
        answers = entry.get("answers", [])
        _need(isinstance(answers, list), "answers")
        checked.append({"messages": messages, "answers": [check_answer(a, len(messages)) for a in answers]})
    return checked


def _optional_number(obj: dict, name: str) -> float | None:
    value = obj.get(name)
    _need(value is None or (is_number(value) and value >= 0), "answers")
    return value


def _cost(obj: dict) -> dict | None:
    """An answer's cost, ``{"amount": money, "currency": sign}``; None (files written before
    sfui kept costs, or a model without a price) when unknown."""
    cost = obj.get("cost")
    if cost is None:
        return None
    _need(isinstance(cost, dict) and is_number(cost.get("amount")) and cost["amount"] >= 0, "answers")
    currency = cost.get("currency")
    _need(isinstance(currency, str) and 0 < len(currency) <= MAX_CURRENCY_CHARS, "answers")
    return {"amount": cost["amount"], "currency": currency}


def check_answer(obj: Any, message_count: int) -> dict:
    _need(isinstance(obj, dict), "answers")
    index, usage, params = obj.get("message_index"), obj.get("usage"), obj.get("params", {})
    _need(type(index) is int and 0 <= index < message_count, "answers")
    _need(isinstance(params, dict), "answers")
    _need(usage is None or (isinstance(usage, dict) and all(type(usage.get(k, 0)) is int for k in USAGE_FIELDS)),
          "answers")
    _need(obj.get("status", "done") in ANSWER_STATUSES, "answers")
    finish_reason = obj.get("finish_reason")
    _need(finish_reason is None or isinstance(finish_reason, str), "answers")
    try:
        params = json.loads(json.dumps(params, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        raise Malformed("answers") from None
    return {
        "message_index": index,
        "model": _text(obj, "model", MAX_NAME_CHARS),
        "params": params,
        "system_prompt": _text(obj, "system_prompt"),
        "usage": None if usage is None else {k: usage.get(k, 0) for k in USAGE_FIELDS},
        "cost": _cost(obj),
        "ttft": _optional_number(obj, "ttft"),
        "total_time": _optional_number(obj, "total_time"),
        "tokens_per_second": _optional_number(obj, "tokens_per_second"),
        "finish_reason": finish_reason,
        "status": obj.get("status", "done"),
    }


def check_conversation(obj: Any) -> dict:
    """A clean copy of a conversation, or Malformed naming the first bad field."""
    _need(isinstance(obj, dict), "conversation")
    conversation_id = obj.get("id")
    _need(isinstance(conversation_id, str) and 0 < len(conversation_id.strip()) <= MAX_NAME_CHARS, "id")
    for name in ("created", "updated"):
        _need(is_number(obj.get(name)), name)
    messages, answers, panels = obj.get("messages"), obj.get("answers", []), obj.get("panels", {})
    _need(isinstance(messages, list), "messages")
    _need(isinstance(answers, list), "answers")
    _need(isinstance(panels, dict), "panels")
    clean_messages = [_message(message) for message in messages]
    return {
        "id": conversation_id,
        "title": _text(obj, "title", MAX_TITLE_CHARS),
        "model": _text(obj, "model", MAX_NAME_CHARS),
        "system_prompt": _text(obj, "system_prompt"),
        "created": obj["created"],
        "updated": obj["updated"],
        "messages": clean_messages,
        "answers": [check_answer(answer, len(clean_messages)) for answer in answers],
        "panels": {name: _text(panels, name) for name in PANELS},
    }


def answer_message_index(history_length: int, new_messages: list[dict]) -> int:
    """Where a turn's answer lands when its ``new_messages`` follow ``history_length``
    messages: the answer text (the first message without a title), else the turn's last
    message (an error notice, or the thinking of a stopped answer)."""
    for offset, message in enumerate(new_messages):
        if not (message.get("metadata") or {}).get("title"):
            return history_length + offset
    return history_length + max(len(new_messages) - 1, 0)


def answer_record(turn: Turn, model: str, params: dict, system_prompt: str, message_index: int) -> dict:
    """The record kept for one finished answer: what was asked (model, request fields as
    sent, system prompt) and what came back (usage, its cost, timings, finish reason, status)."""
    usage, cost = turn.usage, turn.cost
    rate = turn.answer_tokens_per_second()

    def since_start(moment: float | None) -> float | None:
        return None if moment is None else round(max(moment - turn.started, 0.0), 3)

    return check_answer({
        "message_index": message_index,
        "model": model,
        "params": params,
        "system_prompt": system_prompt or "",
        "usage": None if usage is None else {k: int(getattr(usage, k)) for k in USAGE_FIELDS},
        "cost": None if cost is None or turn.charge is None else {"amount": round(cost, 10),
                                                                   "currency": turn.charge.currency},
        "ttft": since_start(turn.first_token_at),
        "total_time": since_start(turn.ended_at),
        "tokens_per_second": None if rate is None else round(rate, 2),
        "finish_reason": turn.finish_reason,
        # an answer saved before it ended is kept as stopped: it will not go on
        "status": turn.status if turn.status in ANSWER_STATUSES else "stopped",
    }, message_index + 1)


def total_cost(conversation: dict) -> dict[str, float]:
    """What the conversation's answers cost, per currency (one, unless the site changed);
    answers without a known cost left out: {} when none has one."""
    totals: dict[str, float] = {}
    for answer in alternatives.every_answer(conversation):  # the alternatives kept cost too
        cost = answer.get("cost") if isinstance(answer, dict) else None
        if isinstance(cost, dict) and is_number(cost.get("amount")) and isinstance(cost.get("currency"), str):
            totals[cost["currency"]] = totals.get(cost["currency"], 0.0) + cost["amount"]
    return totals


# --- making and changing a conversation --------------------------------------------------------


def random_id() -> str:
    """A new conversation's id."""
    return uuid.uuid4().hex


def new_conversation(now: float, new_id: Callable[[], str] = random_id) -> dict:
    return {"id": new_id(), "title": "", "model": "", "system_prompt": "", "created": now, "updated": now,
            "messages": [], "answers": [], "panels": {"reasoning": "", "usage": ""}}


def title_from(text: str, limit: int = 48) -> str:
    """A title from a message: its first non-blank line, whitespace collapsed, cut to
    ``limit`` characters with "…"."""
    line = next((line for line in str(text or "").splitlines() if line.strip()), "")
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def with_changes(conversation: dict, now: float, **fields: Any) -> dict:
    """A new conversation with ``fields`` replaced (messages, answers, panels, model,
    system_prompt...) and ``updated`` set to ``now``. Answers whose message is gone
    (after an edit or an undo) are dropped; an empty title is taken from the first
    user message."""
    new = {**conversation, **fields, "updated": now}
    count = len(new.get("messages") or [])
    new["answers"] = [a for a in new.get("answers") or [] if isinstance(a, dict) and
                      type(a.get("message_index")) is int and a["message_index"] < count]
    if not new.get("title"):
        first = next((m for m in new.get("messages") or [] if isinstance(m, dict) and m.get("role") == "user"), None)
        new["title"] = title_from(message_text(first.get("content"))) if first else ""
    return check_conversation(new)


def with_messages(conversation: dict, history: list, now: float) -> dict:
    """The conversation following the chat (an answer, an edit, an undo, a switch between
    alternatives): Gradio's block content stored as text, each answer's record following
    its answer (sfui.alternatives.carry_records), answers past the end dropped."""
    messages, answers = alternatives.carry_records(conversation, list(history))
    return with_changes(conversation, now, messages=messages, answers=answers)


# Payload fields that are the conversation, not request settings.
_NOT_FIELDS = ("model", "messages", "stream", "stream_options")


def with_answer(conversation: dict, turn: Turn, payload: dict) -> dict:
    """The conversation (already holding the turn's messages: with_messages) with the
    record of the turn's answer, from the request as sent (``payload``: model, messages,
    fields). A record of an earlier answer at the same place (a retry) is replaced."""
    messages = payload.get("messages") or []
    first = messages[0] if messages and isinstance(messages[0], dict) else {}
    system_prompt = message_text(first.get("content")) if first.get("role") == "system" else ""
    params = {name: value for name, value in payload.items() if name not in _NOT_FIELDS}
    index = answer_message_index(len(turn.history), turn.new_messages())
    record = answer_record(turn, str(payload.get("model") or ""), params, system_prompt, index)
    answers = [a for a in conversation.get("answers") or [] if a.get("message_index", index) < len(turn.history)]
    return with_changes(conversation, conversation["updated"], answers=[*answers, record], model=record["model"],
                        system_prompt=system_prompt)
