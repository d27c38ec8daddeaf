"""The settings a saved conversation reopens with: the model, the system prompt and the
request fields its last answer was sent with, as the page's controls show them.

Each answer's record (sfui/conversation_format.py, ``answer_record``) keeps the request
as sent; the last answer's is the one the next question would follow. A conversation
without a record (imported from a plain messages list) reopens with the model and the
system prompt its file names, when it names them, and leaves the request fields as
they are. Nothing here imports Gradio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .params import FIELDS, Controls, InputError
from .share import controls_for

__all__ = ["ReopenSettings", "last_answer", "reopen_settings"]

_BODY_FIELDS = frozenset(f.name for f in FIELDS if f.in_body)


@dataclass(frozen=True)
class ReopenSettings:
    model: str | None  # None: leave the picker as it is
    system_prompt: str | None  # None: leave the box as it is
    fields: dict[str, Any] | None  # every request field in the body: its control's value; None: leave them


def last_answer(conversation: dict) -> dict | None:
    """The record of the conversation's last answer (the latest message that has one)."""
    answers = [a for a in conversation.get("answers") or [] if isinstance(a, dict)
               and type(a.get("message_index")) is int]
    return max(answers, key=lambda a: a["message_index"], default=None)


def _field_values(params: Any) -> dict[str, Any] | None:
    """The controls' values that send ``params`` again; fields the controls do not have
    (an API caller's extras) are left out; None when a value is not one the controls
    can send (a hand-edited file)."""
    if not isinstance(params, dict):
        return None
    try:
        values = Controls(**controls_for({k: v for k, v in params.items() if k in _BODY_FIELDS})).values
    except InputError:
        return None
    return {name: values[name] for name in _BODY_FIELDS}


def reopen_settings(conversation: dict) -> ReopenSettings:
    record = last_answer(conversation)
    if record is None:
        return ReopenSettings(conversation.get("model") or None, conversation.get("system_prompt") or None, None)
    return ReopenSettings(record.get("model") or conversation.get("model") or None,
                          str(record.get("system_prompt") or ""), _field_values(record.get("params")))
