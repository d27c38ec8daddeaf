"""Saved conversations, export and import, as plain Python.

The store is one JSON-serializable dict that the browser keeps (gr.BrowserState);
the server keeps nothing. ``{"version": 1, "conversations": [...]}``, newest first.
A conversation is a plain dict::

    {"id", "title", "model", "system_prompt", "created", "updated",   # epoch seconds
     "messages": [...],   # the chat as shown (Gradio's messages format, text-only content as strings)
     "answers": [...],    # one record per answer (answer_record): model, request fields, usage, timings
     "panels": {"reasoning": str, "usage": str}}   # the side panels for the last answer

Every function is pure (new objects out, inputs untouched). What comes back from
the browser or from a file is checked before use: ``clean_store`` drops what is
malformed and never raises; ``from_json`` refuses a bad file with an InputError
whose catalogue key (``input_import_*``) says why, in the visitor's language. The
format itself (checking a conversation, an answer's record) is sfui/conversation_format.py;
its names are re-exported here.

Nothing here imports Gradio or does HTTP.
"""

from __future__ import annotations

import json
import math
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from .chat import MAX_MESSAGE_CHARS, Turn, message_text
from .chat_images import image_name_of, image_url_of
from .conversation_format import (
    ANSWER_STATUSES,
    MAX_NAME_CHARS,
    MAX_TITLE_CHARS,
    PANELS,
    SCHEMA_VERSION,
    USAGE_FIELDS,
    Malformed,
    answer_message_index,
    answer_record,
    check_content,
    check_conversation,
    is_number,
)
from .i18n import t
from .params import InputError

__all__ = [
    "ANSWER_STATUSES", "MAX_IMPORT_BYTES", "MAX_MESSAGES", "MAX_NAME_CHARS", "MAX_TITLE_CHARS", "NEARLY_FULL",
    "PANELS", "QUOTA_CHARS", "SCHEMA_VERSION", "USAGE_FIELDS", "answer_message_index", "answer_record",
    "clean_store", "delete", "empty_store", "export_filename", "fits", "from_json", "get", "import_error_message",
    "list_rows", "load_store", "new_conversation", "rename", "restore", "save", "storage_status", "stored_chars",
    "title_from", "to_json", "to_markdown", "too_large", "when", "with_answer", "with_changes", "with_messages",
]

# Browsers give a site about 5M characters of localStorage (Chrome and Firefox: 5 Mi UTF-16
# units for keys and values together). 5,000,000 leaves room for the page's other entries
# (the Compare tally, Gradio's own).
QUOTA_CHARS = 5_000_000
NEARLY_FULL = 0.8
# A file larger than the whole quota could never be kept (stored_chars is 4/3 of the JSON's
# bytes, and an export is larger still: it is indented), so it is refused before it is parsed.
# The other way round, any conversation that fits (at most 3.75 MB of JSON) exports below it.
MAX_IMPORT_BYTES = 5_000_000
# About 700 turns (a thinking bubble, an answer and the question each): far past any
# context window, and it bounds the work one imported file can cause.
MAX_MESSAGES = 2_000


def _new_id() -> str:
    return uuid.uuid4().hex


def _conversations(store: Any) -> list[dict]:
    """The store's conversations (a clean_store result; anything else is skipped, not an error)."""
    conversations = store.get("conversations") if isinstance(store, dict) else None
    if not isinstance(conversations, list):
        return []
    return [c for c in conversations if isinstance(c, dict) and is_number(c.get("updated"))]


def _newest_first(conversations: list[dict]) -> list[dict]:
    return sorted(conversations, key=lambda conversation: -conversation["updated"])  # stable: ties keep order


# --- the store ---------------------------------------------------------------------------------


def empty_store() -> dict:
    return {"version": SCHEMA_VERSION, "conversations": []}


def load_store(obj: Any) -> tuple[dict, int]:
    """The store as it came back from the browser, checked, and how many conversations
    could not be read (malformed, a repeated id, or a store of another version) so the
    page can say so instead of losing them without a word. Never raises."""
    if not isinstance(obj, dict) or not isinstance(obj.get("conversations"), list):
        return empty_store(), 0
    if type(obj.get("version")) is not int or obj["version"] != SCHEMA_VERSION:
        return empty_store(), len(obj["conversations"])
    kept, seen, dropped = [], set(), 0
    for raw in obj["conversations"]:
        try:
            conversation = check_conversation(raw)
        except (ValueError, TypeError, RecursionError):
            dropped += 1
            continue
        if conversation["id"] in seen:
            dropped += 1
            continue
        seen.add(conversation["id"])
        kept.append(conversation)
    return {"version": SCHEMA_VERSION, "conversations": _newest_first(kept)}, dropped


def clean_store(obj: Any) -> dict:
    """The store as it came back from the browser, anything malformed dropped. Never raises."""
    return load_store(obj)[0]


def new_conversation(now: float, new_id: Callable[[], str] = _new_id) -> dict:
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
    """The conversation following the chat (an answer, an edit, an undo): Gradio's block
    content stored as text, answers past the end dropped."""
    return with_changes(conversation, now, messages=list(history))


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


def save(store: dict, conversation: dict) -> dict:
    """The store with ``conversation`` inserted, or replacing the one with its id;
    newest first. A malformed conversation raises ValueError (a bug, not input)."""
    conversation = check_conversation(conversation)
    others = [c for c in _conversations(store) if c.get("id") != conversation["id"]]
    return {"version": SCHEMA_VERSION, "conversations": _newest_first([conversation, *others])}


def get(store: dict, conversation_id: str) -> dict | None:
    return next((c for c in _conversations(store) if c.get("id") == conversation_id), None)


def rename(store: dict, conversation_id: str, title: str) -> dict:
    """The store with one conversation renamed (its place in the list unchanged)."""
    title = " ".join(str(title or "").split())
    if not title:
        raise InputError("input_title_empty")
    if len(title) > MAX_TITLE_CHARS:
        raise InputError("input_title_too_long", limit=MAX_TITLE_CHARS)
    conversations = [{**c, "title": title} if c.get("id") == conversation_id else c for c in _conversations(store)]
    return {"version": SCHEMA_VERSION, "conversations": conversations}


def delete(store: dict, conversation_id: str) -> tuple[dict, dict | None]:
    """The store without the conversation, and the conversation removed (None if there
    was none) so the page can offer to undo."""
    removed = get(store, conversation_id)
    kept = [c for c in _conversations(store) if c.get("id") != conversation_id]
    return {"version": SCHEMA_VERSION, "conversations": kept}, removed


def restore(store: dict, conversation: dict) -> dict:
    """Undo a delete: the conversation goes back to its place (by when it was last used)."""
    return save(store, conversation)


def when(updated: float, now: float, lang: str, tz: tzinfo = UTC) -> str:
    """"just now", "5 min ago", "3 h ago", "yesterday", else the date."""
    seconds = now - updated
    if seconds < 60:
        return t(lang, "conv_just_now")  # a clock a little ahead says "just now" too
    if seconds < 3600:
        return t(lang, "conv_minutes_ago", count=int(seconds // 60))
    if seconds < 86400:
        return t(lang, "conv_hours_ago", count=int(seconds // 3600))
    if seconds < 2 * 86400:
        return t(lang, "conv_yesterday")
    return datetime.fromtimestamp(updated, tz).strftime("%Y-%m-%d")


def list_rows(store: dict, lang: str, now: float, tz: tzinfo = UTC) -> list[tuple[str, str]]:
    """(label, id) per conversation, newest first; label = title · model · when."""
    rows = []
    for c in _newest_first(_conversations(store)):
        parts = [c.get("title") or t(lang, "conv_untitled"), c.get("model"), when(c["updated"], now, lang, tz)]
        rows.append((" · ".join(part for part in parts if part), c.get("id")))
    return rows


# --- storage ---------------------------------------------------------------------------------


def stored_chars(store: Any) -> int:
    """The characters localStorage holds for the store (exact up to number formatting).

    Gradio 6.31's BrowserState stores ``base64(iv) + ":" + CryptoJS.AES.encrypt(
    JSON.stringify(value), sha256_hex(secret))`` (the frontend's Index-*.js). A string key
    is a passphrase, so the ciphertext is OpenSSL's format, base64: "Salted__" and an
    8-byte salt, then AES-CBC with PKCS#7 padding of the UTF-8 text. Base64 turns 3 bytes
    into 4 characters, so each ASCII character costs 4/3, each Chinese character (3
    bytes) 4 and each emoji (4 bytes) 16/3."""
    text = json.dumps(store, ensure_ascii=False, separators=(",", ":"))
    size = len(text.encode("utf-8", "surrogatepass"))
    ciphertext = 16 + 16 * (size // 16 + 1)  # padding always adds 1 to 16 bytes
    return 24 + 1 + 4 * math.ceil(ciphertext / 3)  # the 16-byte iv in base64, ":", the ciphertext


def storage_status(store: Any, lang: str) -> tuple[float, str]:
    """The share of QUOTA_CHARS the store uses and a one-line status; from NEARLY_FULL
    on, the line says what to do."""
    fraction = stored_chars(store) / QUOTA_CHARS
    percent = int(fraction * 100)  # rounded down, so "80%" is never shown below NEARLY_FULL's warning
    key = "conv_storage_full" if fraction >= NEARLY_FULL else "conv_storage"
    return fraction, t(lang, key, percent=percent)


def fits(store: Any) -> bool:
    """Whether the browser can keep the store: a write over quota fails with only a console
    message, so the page checks first and says why it did not save."""
    return stored_chars(store) <= QUOTA_CHARS


# --- export ------------------------------------------------------------------------------------


def to_json(conversation: dict) -> str:
    """The conversation as sfui's JSON file: ``{"sfui": "conversation", "version": 1,
    ...the conversation's fields}``, pretty-printed, text as written (not \\u-escaped)."""
    document = {"sfui": "conversation", "version": SCHEMA_VERSION, **check_conversation(conversation)}
    text = json.dumps(document, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8: escape everything
        text = json.dumps(document, ensure_ascii=True, indent=2)
    return text


def export_filename(conversation: dict, ext: str) -> str:
    """``sfui-<title in ASCII letters, digits and dashes>-<UTC date and time>.<ext>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(conversation.get("title") or "").lower()).strip("-")
    slug = slug[:40].strip("-") or "conversation"
    updated = conversation.get("updated")
    stamp = datetime.fromtimestamp(updated, UTC).strftime("-%Y%m%d-%H%M") if is_number(updated) else ""
    ext = re.sub(r"[^A-Za-z0-9]", "", str(ext))[:8].lower() or "txt"
    return f"sfui-{slug}{stamp}.{ext}"


def _md_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _md_header(conversation: dict, lang: str) -> list[str]:
    last = conversation["answers"][-1] if conversation["answers"] else None
    model = (last or {}).get("model") or conversation["model"]
    params = (last or {}).get("params") or {}
    fields = " · ".join(f"`{name}` = `{_md_value(value)}`" for name, value in params.items())
    lines = [f"# {conversation['title'] or t(lang, 'conv_untitled')}", ""]
    if model:
        lines += [f"- **{t(lang, 'conv_md_model')}:** `{model}`"]
    lines += [f"- **{t(lang, 'conv_md_fields')}:** {fields or t(lang, 'conv_md_fields_none')}"]
    system_prompt = last["system_prompt"] if last else conversation["system_prompt"]
    if system_prompt:
        lines += [f"- **{t(lang, 'conv_md_system')}:**", "", *(f"  > {line}" for line in system_prompt.splitlines())]
    return [*lines, "", "---", ""]


def _md_text(content: str | list, lang: str = "en") -> str:
    """A message's text; each picture as its data: URL in a Markdown image (a viewer
    shows it, and the file carries it), anything else as its type."""
    if isinstance(content, str):
        return content
    lines = []
    for part in content:
        url = image_url_of(part)
        if part["type"] == "text":
            lines.append(part["text"])
        elif url:
            alt = t(lang, "conv_md_image", name=image_name_of(part)).replace("[", "(").replace("]", ")")
            lines.append(f"![{alt}]({url})")
        else:
            lines.append(f"*[{part['type']}]*")
    return "\n\n".join(lines)


def _md_message(message: dict, lang: str) -> list[str]:
    text, metadata = _md_text(message["content"], lang), message.get("metadata") or {}
    if "duration" in metadata or "status" in metadata:  # thinking (only its bubbles have a status)
        summary = metadata.get("title", "")
        if "duration" in metadata:
            summary = t(lang, "conv_md_thought", seconds=f"{metadata['duration']:.1f}")
        return [f"<details><summary>{summary}</summary>", "", text, "", "</details>", ""]
    if metadata.get("title"):  # a notice or a tool call card: quoted under its title
        return [f"> **{metadata['title']}**", ">", *(f"> {line}" for line in text.splitlines()), ""]
    return [text, ""]


def _md_usage(answer: dict, lang: str) -> list[str]:
    usage = answer["usage"] or {}
    parts = [f"`{answer['model']}`"] if answer["model"] else []
    parts += [f"{t(lang, name)} {usage[name]:,}" for name in USAGE_FIELDS if name in usage]
    for key, value, unit in (("ttft", answer["ttft"], " s"), ("tps", answer["tokens_per_second"], ""),
                             ("total_time", answer["total_time"], " s")):
        if value is not None:
            parts.append(f"{t(lang, key)} {value:.{1 if key == 'tps' else 2}f}{unit}")
    if answer["finish_reason"]:
        parts.append(f"{t(lang, 'finish_reason')} `{answer['finish_reason']}`")
    if answer["status"] != "done":
        parts.append(f"{t(lang, 'status')} {t(lang, 'status_' + answer['status'])}")
    return [f"📊 *{t(lang, 'usage_title')}:* " + " · ".join(parts), ""]


def to_markdown(conversation: dict, lang: str) -> str:
    """The conversation to read: a header (title, model, the last answer's request fields,
    system prompt), then each message under its speaker, thinking folded in <details>
    with its duration, and each answer's usage and timings after it."""
    conversation = check_conversation(conversation)
    answers = {answer["message_index"]: answer for answer in conversation["answers"]}
    lines, speaker = _md_header(conversation, lang), None
    for index, message in enumerate(conversation["messages"]):
        if message["role"] != speaker:
            speaker = message["role"]
            lines += [f"## {t(lang, 'conv_md_' + speaker)}", ""]
        lines += _md_message(message, lang)
        if index in answers:
            lines += _md_usage(answers[index], lang)
    return "\n".join(lines).rstrip() + "\n"


# --- import ------------------------------------------------------------------------------------


def import_error_message(error: InputError, lang: str) -> str:
    """A refused import as the page says it: what was wrong, and that nothing changed."""
    return t(lang, "conv_import_failed", problem=error.problem(lang))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def too_large(size: int) -> InputError:
    """The refusal of a file of ``size`` bytes (also for the page, which measures a file
    before sending it)."""
    return InputError("input_import_too_large", size=_megabytes(size), limit=_megabytes(MAX_IMPORT_BYTES))


def _parse(data: str | bytes) -> Any:
    if isinstance(data, str):  # a character is at least one byte: measure only what might pass
        size = len(data) if len(data) > MAX_IMPORT_BYTES else len(data.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
    if size > MAX_IMPORT_BYTES:
        raise too_large(size)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, (bytes, bytearray)) else data.lstrip("\ufeff")
        return json.loads(text)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise InputError("input_import_not_json") from None


def _check_sizes(messages: list) -> None:
    """Too many messages, or one too long, before any other work on them."""
    if len(messages) > MAX_MESSAGES:
        raise InputError("input_import_too_many", count=f"{len(messages):,}", limit=f"{MAX_MESSAGES:,}")
    for number, message in enumerate(messages, 1):
        if isinstance(message, dict):
            length = max(len(message_text(message.get(name))) for name in ("content", "reasoning_content"))
            if length > MAX_MESSAGE_CHARS:
                raise InputError("input_import_message_too_long", number=number, length=f"{length:,}",
                                 limit=f"{MAX_MESSAGE_CHARS:,}")


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:40]


def _from_sfui(document: dict) -> dict:
    version = document.get("version")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise InputError("input_import_version", version=_show(version), supported=SCHEMA_VERSION)
    if not isinstance(document.get("messages"), list):
        raise InputError("input_import_field", field="messages")
    _check_sizes(document["messages"])
    try:
        conversation = check_conversation({k: v for k, v in document.items() if k not in ("sfui", "version")})
    except Malformed as bad:
        raise InputError("input_import_field", field=bad.field) from None
    if not conversation["messages"]:
        raise InputError("input_import_empty")
    return conversation


def _openai_message(raw: Any, number: int, lang: str) -> tuple[list[dict], str | None]:
    """One OpenAI-style message -> the messages the chat shows, or its system prompt."""
    role = raw.get("role") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(role, str):
        raise InputError("input_import_message", number=number)
    content = raw.get("content")
    try:
        content = "" if content is None and role in ("assistant", "tool") else check_content(content)
    except Malformed:
        raise InputError("input_import_message", number=number) from None
    if role in ("system", "developer"):
        return [], message_text(content)
    if role == "user":
        return [{"role": "user", "content": content}], None
    if role == "tool":
        return [{"role": "assistant", "content": content, "metadata": {"title": t(lang, "conv_tool_result")}}], None
    if role != "assistant":
        raise InputError("input_import_role", number=number, role=_show(role))
    out = []
    if isinstance(raw.get("reasoning_content"), str) and raw["reasoning_content"]:
        out.append({"role": "assistant", "content": raw["reasoning_content"],
                    "metadata": {"title": t(lang, "thought"), "status": "done"}})
    if content:
        out.append({"role": "assistant", "content": content})
    for call in raw.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            raise InputError("input_import_message", number=number)
        name, arguments = str(function.get("name") or "?"), function.get("arguments")
        card = f"```json\n{_md_value(arguments if arguments is not None else '')}\n```"
        out.append({"role": "assistant", "content": card, "metadata": {"title": t(lang, "tool_call", name=name)}})
    return out, None


def _from_openai(raw_messages: list, model: Any, lang: str, now: float, new_id: Callable[[], str]) -> dict:
    _check_sizes(raw_messages)
    messages: list[dict] = []
    system: list[str] = []
    for number, raw in enumerate(raw_messages, 1):
        shown, prompt = _openai_message(raw, number, lang)
        messages += shown
        if prompt:
            system.append(prompt)
    if not messages:
        raise InputError("input_import_empty")
    model = model if isinstance(model, str) and len(model) <= MAX_NAME_CHARS else ""
    fields = {"messages": messages, "model": model, "system_prompt": "\n\n".join(system)}
    return with_changes(new_conversation(now, new_id), now, **fields)


def from_json(data: str | bytes, *, lang: str = "en", now: float | None = None,
              new_id: Callable[[], str] = _new_id) -> dict:
    """A conversation from a file, ready to ``save``: sfui's JSON (its id kept, so importing
    an export again replaces that conversation), or an OpenAI-style ``messages`` list, bare
    or as ``{"messages": [...], "model": ...}`` (a new id; system messages become the
    system prompt, ``reasoning_content`` a thinking bubble, tool calls and results cards).
    Text is kept exactly, HTML and scripts included: the chat shows them inert.
    Raises InputError (``input_import_*``) for a file it cannot take; ``lang`` is for the
    titles of the bubbles and cards an OpenAI list gets."""
    document = _parse(data)
    now = time.time() if now is None else now
    try:
        if isinstance(document, dict) and "sfui" in document:
            if document["sfui"] != "conversation":
                raise InputError("input_import_shape")
            return _from_sfui(document)
        if isinstance(document, dict) and isinstance(document.get("messages"), list):
            return _from_openai(document["messages"], document.get("model"), lang, now, new_id)
        if isinstance(document, list):
            return _from_openai(document, None, lang, now, new_id)
    except RecursionError:  # content nested thousands deep
        raise InputError("input_import_shape") from None
    raise InputError("input_import_shape")
