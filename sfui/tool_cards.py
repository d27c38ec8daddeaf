"""A demo tool's call and its result as a card in the chat, and back.

A card is an assistant message with a title (so the chat draws it as a box of its own
and it is saved, exported and reopened like any message) whose content is the call as
the model wrote it and the result sfui sent back::

    `calculator`

    ```json
    {"expression": "6*7"}
    ```

    ```text
    42
    ```

The same card, read back (:func:`exchange_of`), is the call and the ``tool`` message
of the next request: a conversation's API messages carry each exchange as the model
saw it (an assistant message with ``tool_calls``, then one ``tool`` message per call),
so every later request, and View code, shows the whole exchange. A card without a
result (a call still running, or not run) is for the reader only.

Plain Python: no Gradio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .i18n import t

TOOL_NAME = r"[A-Za-z0-9_.\-]{1,64}"
_CARD = re.compile(
    rf"\A`(?P<name>{TOOL_NAME})`\n\n(?P<f1>`{{3,}})json\n(?P<arguments>.*?)\n(?P=f1)"
    rf"(?:\n\n(?P<f2>`{{3,}})text\n(?P<result>.*?)\n(?P=f2))?\Z",
    re.DOTALL,
)
RUNNING, RAN, NOT_RUN = "running", "ran", "not_run"


@dataclass(frozen=True)
class Exchange:
    """One call of a demo tool and what it returned."""

    name: str
    arguments: str  # the JSON text the model wrote
    result: str


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _block(kind: str, text: str) -> str:
    fence = _fence(text)
    return f"{fence}{kind}\n{text}\n{fence}"


def card(name: str, arguments: str, result: str | None, lang: str, state: str) -> dict:
    """The card of one call: ``state`` RUNNING (a spinner), RAN (with ``result``) or NOT_RUN."""
    content = f"`{name}`\n\n{_block('json', arguments)}"
    if state == RAN and result is not None:
        content += "\n\n" + _block("text", result)
    metadata: dict[str, Any] = {"title": t(lang, "tool_" + state, name=name)}
    if state == RUNNING:
        metadata["status"] = "pending"
    return {"role": "assistant", "content": content, "metadata": metadata}


def exchange_of(message: Any) -> Exchange | None:
    """The exchange a card holds, or None (another message, or a card without a result)."""
    content = message.get("content") if isinstance(message, dict) else getattr(message, "content", None)
    if isinstance(content, list) and len(content) == 1 and isinstance(content[0], dict):
        content = content[0].get("text")  # the block form the browser sends back
    if not isinstance(content, str):
        return None
    found = _CARD.match(content)
    if found is None or found.group("result") is None:
        return None
    return Exchange(found.group("name"), found.group("arguments"), found.group("result"))


def add_exchange(turns: list[dict], message: Any) -> bool:
    """Add the exchange of ``message`` (a card) to the API messages ``turns``: the call
    joins the assistant message it follows (the round's text, or the calls before it),
    or starts one; its ``tool`` message goes last. False, and nothing added, for any
    other message. Call ids are numbered within the request."""
    exchange = exchange_of(message)
    if exchange is None or not turns:
        return False
    call_id = f"call_{sum(1 for turn in turns if turn.get('role') == 'tool') + 1}"
    call = {"id": call_id, "type": "function", "function": {"name": exchange.name, "arguments": exchange.arguments}}
    last = turns[-1]
    if last["role"] == "tool":  # another call of the same round
        owner = next(turn for turn in reversed(turns) if turn["role"] == "assistant")
        owner["tool_calls"] = [*owner.get("tool_calls", []), call]
    elif last["role"] == "assistant" and "tool_calls" not in last:
        last["tool_calls"] = [call]
    else:
        turns.append({"role": "assistant", "content": None, "tool_calls": [call]})
    turns.append({"role": "tool", "tool_call_id": call_id, "content": exchange.result})
    return True
