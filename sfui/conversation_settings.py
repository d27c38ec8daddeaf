"""The settings a saved conversation reopens with: the model, the system prompt and the
request fields its last answer was sent with, as the page's controls show them.

Each answer's record (sfui/conversation_format.py, ``answer_record``) keeps the request
as sent, the demo's tools as the switch that sent them (sfui/demo_tools.py, ``recorded``);
the last answer's is the one the next question would follow. A conversation
without a record (imported from a plain messages list) reopens with the model and the
system prompt its file names, when it names them, and leaves the request fields as
they are. Nothing here imports Gradio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .demo_tools import SWITCH as TOOLS_SWITCH
from .params import FIELDS, Controls, InputError
from .share import controls_for

__all__ = ["RESTORED_FIELDS", "ReopenSettings", "last_answer", "reopen_settings"]

_BODY_FIELDS = frozenset(f.name for f in FIELDS if f.in_body)
# The request fields a record keeps, in the table's order: every field of the body and the
# demo's tools switch (not the pictures' detail, which no record keeps).
RESTORED_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.in_body or f.name == TOOLS_SWITCH)


@dataclass(frozen=True)
class ReopenSettings:
    model: str | None  # None: leave the picker as it is
    system_prompt: str | None  # None: leave the box as it is
    fields: dict[str, Any] | None  # every field of RESTORED_FIELDS: its control's value; None: leave them


def last_answer(conversation: dict) -> dict | None:
    """The record of the conversation's last answer (the latest message that has one)."""
    answers = [a for a in conversation.get("answers") or [] if isinstance(a, dict)
               and type(a.get("message_index")) is int]
    return max(answers, key=lambda a: a["message_index"], default=None)


def _field_values(params: Any) -> dict[str, Any] | None:
    """The controls' values that send ``params`` again (the demo's tools switch on when the
    record says they were sent); fields the controls do not have (an API caller's extras) are
    left out; None when a value is not one the controls can send (a hand-edited file)."""
    if not isinstance(params, dict):
        return None
    try:
        values = Controls(**controls_for({k: v for k, v in params.items() if k in _BODY_FIELDS})).values
    except InputError:
        return None
    return {**{name: values[name] for name in _BODY_FIELDS}, TOOLS_SWITCH: params.get(TOOLS_SWITCH) is True}


def reopen_settings(conversation: dict) -> ReopenSettings:
    record = last_answer(conversation)
    if record is None:
        return ReopenSettings(conversation.get("model") or None, conversation.get("system_prompt") or None, None)
    return ReopenSettings(record.get("model") or conversation.get("model") or None,
                          str(record.get("system_prompt") or ""), _field_values(record.get("params")))
