"""Alternatives: what Retry and Edit replace is kept, and the visitor can switch back.

The conversation stays one flat list of messages, the branch shown, so everything that
reads it (the API request, View code, share links, the Markdown export) reads the branch
shown and nothing else. The other branches ride on the visitor's questions, in two keys
that Gradio's chat ignores:

- ``"replies"`` on a question: the answers it got, each with what followed it (Retry);
- ``"versions"`` on a question: its earlier and later wordings, each with what followed
  (Edit). It belongs to the place, so it moves to whichever wording is shown.

Either is a list in the order the alternatives were made, with ``None`` where the one
shown is (its messages are the rest of the flat list) and ``{"messages": [...],
"answers": [...]}`` for each other one (a branch: messages from that place on, and the
saved records of its answers, ``message_index`` counted from the branch's first message).
Both keys sit on questions only: an answer's text may be rebuilt (Continue), a question
is only ever replaced by Edit, which moves ``"versions"`` on.

A message's *address* names it whatever is shown: the alternatives it lies in (other than
the first of each place, so that making a place of alternatives moves nothing) and its
index in its own branch read as one flat list. Switching, retrying and editing never change
an address, so the saved answer records follow their answers by address when the
conversation is saved again (:func:`carry_records`).

Plain Python, no Gradio. Every function returns new objects; its inputs stay untouched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .chat import awaiting_answer, truncate_for_retry

VERSIONS = "versions"
REPLIES = "replies"
KINDS = (VERSIONS, REPLIES)
# How deep branches may nest (a branch kept inside a branch kept ...): a chain of edits,
# each of an earlier question than the last, nests one deeper. Far past any real use, and
# it bounds the recursion that reading a file of someone else's can cause.
MAX_DEPTH = 32
# Alternatives at one place: past this, Retry and Edit no longer keep what they replace.
MAX_ALTERNATIVES = 100

Address = tuple[tuple[tuple[int, str, int], ...], int]


def _get(message: Any, name: str) -> Any:
    return message.get(name) if isinstance(message, dict) else getattr(message, name, None)


def _is_question(message: Any) -> bool:
    return _get(message, "role") == "user"


def _as_dict(message: Any) -> dict:
    if isinstance(message, dict):
        return message
    return {name: _get(message, name) for name in ("role", "content", "metadata") if _get(message, name) is not None}


def _entries(message: Any, kind: str) -> list | None:
    """The alternatives at a question (a list with exactly one None), else None."""
    entries = _get(message, kind) if _is_question(message) else None
    if isinstance(entries, list) and len(entries) > 1 and entries.count(None) == 1:
        return entries
    return None


def _branch_messages(entry: Any) -> list:
    messages = entry.get("messages") if isinstance(entry, dict) else None
    return messages if isinstance(messages, list) else []


def _without(message: Any, kind: str) -> dict:
    return {name: value for name, value in _as_dict(message).items() if name != kind}


# --- where the alternatives are -------------------------------------------------------------------


@dataclass(frozen=True)
class Fork:
    """A place with alternatives on the branch shown: the question at ``position`` (of the
    flat list), its ``kind`` (VERSIONS: the question's wordings; REPLIES: its answers), the
    one shown (0-based) and how many there are."""

    position: int
    kind: str
    shown: int
    count: int


def forks(history: list) -> list[Fork]:
    """The places with alternatives on the branch shown, top to bottom (a question's wordings
    before its answers)."""
    found = []
    for position, message in enumerate(history):
        for kind in KINDS:
            entries = _entries(message, kind)
            if entries is not None:
                found.append(Fork(position, kind, entries.index(None), len(entries)))
    return found


def fork_at(history: list, position: Any, kind: Any) -> Fork | None:
    return next((f for f in forks(history) if f.position == position and f.kind == kind), None)


def latest_fork(history: list) -> Fork | None:
    """The lowest place with alternatives: the latest answer's, or an edited question's."""
    found = forks(history)
    return found[-1] if found else None


def fork_of_message(history: list, index: Any) -> Fork | None:
    """The place a click on message ``index`` means: a question's wordings (else its answers),
    or the answers of the question an answer replied to."""
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(history):
        return None
    if _is_question(history[index]):
        return fork_at(history, index, VERSIONS) or fork_at(history, index, REPLIES)
    question = next((i for i in range(index, -1, -1) if _is_question(history[i])), None)
    return None if question is None else fork_at(history, question, REPLIES)


def depth(messages: list) -> int:
    """How deep branches nest in ``messages`` (0: no alternatives)."""
    deepest, stack = 0, [(messages, 1)]
    while stack:
        branch, level = stack.pop()
        for message in branch:
            for kind in KINDS:
                for entry in _entries(message, kind) or ():
                    if entry is not None:
                        deepest = max(deepest, level)
                        stack.append((_branch_messages(entry), level + 1))
    return deepest


# --- Retry, Edit and switching --------------------------------------------------------------------


def _keep(message: Any, kind: str, replaced: list, old_entries: Any) -> dict | None:
    """``message`` with ``replaced`` kept as the alternative shown until now (in the None of
    ``old_entries``) and a new one shown; None when it cannot be kept (too many, too deep)."""
    entries = list(old_entries) if isinstance(old_entries, list) and old_entries.count(None) == 1 else [None]
    if len(entries) >= MAX_ALTERNATIVES or depth(replaced) >= MAX_DEPTH:
        return None
    entries[entries.index(None)] = {"messages": list(replaced)}
    return {**_as_dict(message), kind: [*entries, None]}


def retried(history: list, index: int | None = None) -> list:
    """Retry of the answer at ``index`` (None: the last one): the conversation up to the
    question it answered, which keeps that answer and everything after it as an alternative.
    (Nothing to keep, or no room: the question alone, as before alternatives.)"""
    kept = truncate_for_retry(history, index)
    if not awaiting_answer(kept) or len(kept) == len(history):
        return kept
    position = len(kept) - 1
    question = _keep(kept[position], REPLIES, history[position + 1:], _get(kept[position], REPLIES))
    return kept if question is None else [*kept[:position], question]


def edited(history: list, index: Any, edit: list) -> list:
    """An Edit of the question at ``index``: ``edit`` (sfui.chat.edit_history's result, the new
    wording last) with the old wording and everything after it kept as an alternative."""
    if not edit or not isinstance(index, int) or not 0 <= index < len(history) or len(edit) != index + 1:
        return edit
    old = history[index]
    replaced = [_without(old, VERSIONS), *history[index + 1:]]
    question = _keep(_without(edit[-1], REPLIES), VERSIONS, replaced, _get(old, VERSIONS))
    return edit if question is None else [*edit[:-1], question]


def switch(history: list, fork: Fork, to: int) -> list:
    """The conversation with alternative ``to`` shown at ``fork`` (a place of ``history``),
    the one shown until now kept in its place. An answer that never came (stopped before its
    first word), the newest, is dropped instead of kept."""
    position = fork.position
    entries = _entries(history[position], fork.kind) if 0 <= position < len(history) else None
    if entries is None or not 0 <= to < len(entries) or to == entries.index(None):
        return list(history)
    entries, shown = list(entries), entries.index(None)
    target = _branch_messages(entries[to])
    if fork.kind == VERSIONS and not (target and _is_question(target[0])):
        return list(history)
    question = history[position]
    if fork.kind == REPLIES:
        entries[shown] = {"messages": list(history[position + 1:])}
    else:
        entries[shown] = {"messages": [_without(question, VERSIONS), *history[position + 1:]]}
    entries[to] = None
    if fork.kind == REPLIES and shown == len(entries) - 1 and not entries[shown]["messages"]:
        entries.pop()
    if fork.kind == REPLIES:
        question = _without(question, REPLIES) if len(entries) < 2 else {**_as_dict(question), REPLIES: entries}
        switched = [*history[:position], question, *target]
    else:
        switched = [*history[:position], {**_without(target[0], VERSIONS), VERSIONS: entries}, *target[1:]]
    # Putting away what was shown nests it one deeper: past MAX_DEPTH, no switch.
    return switched if depth(switched) <= MAX_DEPTH else list(history)


# --- the saved records follow their answers -------------------------------------------------------


def _choose(choices: tuple, position: int, kind: str, alternative: int) -> tuple:
    return choices if alternative == 0 else (*choices, (position, kind, alternative))


def _step(message: Any, flat: int, choices: tuple) -> tuple[tuple, tuple, list]:
    """One message of a branch read as a flat list from ``flat`` on, ``choices`` made so far:
    the choices of its own address, those of the messages after it, and its kept branches
    as (kind, alternative, entry, flat index of the entry's first message, its choices)."""
    kept: list = []
    at = after = choices
    versions, replies = _entries(message, VERSIONS), _entries(message, REPLIES)
    if versions is not None:
        kept += [(VERSIONS, k, entry, flat, _choose(choices, flat, VERSIONS, k))
                 for k, entry in enumerate(versions) if entry is not None]
        at = after = _choose(choices, flat, VERSIONS, versions.index(None))
    if replies is not None:
        kept += [(REPLIES, k, entry, flat + 1, _choose(at, flat, REPLIES, k))
                 for k, entry in enumerate(replies) if entry is not None]
        after = _choose(at, flat, REPLIES, replies.index(None))
    return at, after, kept


def _by_index(records: Any) -> dict[int, dict]:
    if not isinstance(records, list):
        return {}
    return {r["message_index"]: r for r in records if isinstance(r, dict) and type(r.get("message_index")) is int}


def _records(messages: list, answers: Any) -> Iterator[tuple[Address, dict]]:
    """Every answer record of a conversation (or a branch) with its answer's address."""
    stack: list[tuple[list, Any, tuple, int]] = [(messages, answers, (), 0)]
    while stack:
        branch, records, choices, offset = stack.pop()
        by_index = _by_index(records)
        for i, message in enumerate(branch):
            at, choices, kept = _step(message, offset + i, choices)
            stack += [(_branch_messages(entry), entry.get("answers"), sub, start) for _, _, entry, start, sub in kept]
            if i in by_index:
                yield (at, offset + i), by_index[i]


def _attach(branch: list, choices: tuple, offset: int, found: dict, own: Any) -> tuple[list, list]:
    """``branch`` with each kept branch's ``answers`` (from ``found`` by address, else the
    records it carried itself, ``own``) and the records of its own messages."""
    own_by_index = _by_index(own)
    messages, records = [], []
    for i, message in enumerate(branch):
        message = _as_dict(message)
        at, after, kept = _step(message, offset + i, choices)
        attached: dict[tuple[str, int], dict] = {}
        for kind, k, entry, start, sub in kept:
            sub_messages, sub_records = _attach(_branch_messages(entry), sub, start, found, entry.get("answers"))
            attached[(kind, k)] = {"messages": sub_messages, "answers": sub_records}
        for kind in KINDS:
            entries = _entries(message, kind)
            if entries is not None:
                message = {**message, kind: [None if e is None else attached[(kind, k)] for k, e in enumerate(entries)]}
        record = found.get((at, offset + i), own_by_index.get(i))
        if record is not None and message.get("role") == "assistant":
            records.append({**record, "message_index": i})
        messages.append(message)
        choices = after
    return messages, records


def carry_records(saved: dict, history: list) -> tuple[list, list]:
    """``history`` (the page's conversation) as it is saved over ``saved`` (the conversation
    as it was saved before): its messages, each kept branch with the records of its answers,
    and the records of the answers shown. A record follows its answer's address, so an answer
    switched out of sight keeps its model, usage and cost, and comes back with them."""
    found = dict(_records(saved.get("messages") or [], saved.get("answers")))
    return _attach(list(history), (), 0, found, None)


def every_answer(conversation: dict) -> Iterator[dict]:
    """The records of every answer, shown or kept."""
    for _, record in _records(conversation.get("messages") or [], conversation.get("answers")):
        yield record


def every_message(messages: Any) -> Iterator[Any]:
    """Every message of a conversation as it came (unchecked), shown or kept: to measure a
    file before it is checked."""
    stack = [messages if isinstance(messages, list) else []]
    while stack:
        for message in stack.pop():
            yield message
            for kind in KINDS:
                entries = message.get(kind) if isinstance(message, dict) else None
                for entry in entries if isinstance(entries, list) else ():
                    if isinstance(entry, dict) and isinstance(entry.get("messages"), list):
                        stack.append(entry["messages"])


# --- the bar's focus ------------------------------------------------------------------------------


def digest(history: list) -> str:
    """A fingerprint of the conversation: a focus holds only while the conversation it was
    set on is the one on the page."""
    text = json.dumps(history, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Focus:
    """The place the alternatives bar switches, chosen by the visitor (a click on a message,
    or a switch there) on the conversation of fingerprint ``conversation``."""

    position: int
    kind: str
    conversation: str

    @classmethod
    def on(cls, history: list, fork: Fork) -> Focus:
        return cls(fork.position, fork.kind, digest(history))


def focused_fork(history: list, focus: Any) -> Fork | None:
    """The place the bar shows: the focus while its conversation is on the page, else the
    lowest place with alternatives."""
    if isinstance(focus, Focus) and focus.conversation == digest(history):
        chosen = fork_at(history, focus.position, focus.kind)
        if chosen is not None:
            return chosen
    return latest_fork(history)
