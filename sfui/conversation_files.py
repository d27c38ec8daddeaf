"""A saved conversation as a file: export (sfui's JSON, Markdown to read) and import
(sfui's JSON, or an OpenAI-style ``messages`` list), as plain Python.

``from_json`` refuses a file it cannot take with an InputError whose catalogue key
(``input_import_*``) says why, in the visitor's language; what it returns is checked
(sfui/conversation_format.py) and ready for the store (sfui/conversations.py).

Nothing here imports Gradio or does HTTP.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from . import alternatives
from .chat import MAX_MESSAGE_CHARS, message_text
from .chat_images import image_name_of, image_url_of
from .conversation_format import (
    MAX_NAME_CHARS,
    SCHEMA_VERSION,
    USAGE_FIELDS,
    Malformed,
    check_content,
    check_conversation,
    is_number,
    new_conversation,
    random_id,
    with_changes,
)
from .i18n import t
from .params import InputError
from .prices import format_money

# A file larger than the browser's whole quota (sfui.storage_room.QUOTA_CHARS) could never
# be kept (stored_chars is 4/3 of the JSON's bytes, and an export is larger still: it is
# indented), so it is refused before it is parsed. The other way round, any conversation
# that fits (at most 3.75 MB of JSON) exports below it.
MAX_IMPORT_BYTES = 5_000_000
# About 700 turns (a thinking bubble, an answer and the question each): far past any
# context window, and it bounds the work one imported file can cause.
MAX_MESSAGES = 2_000


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
    if answer.get("cost") is not None:
        parts.append(f"{t(lang, 'cost')} {format_money(answer['cost']['amount'], answer['cost']['currency'])}")
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


# --- import ---------------------------------------------------------------------------------------


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
    """Too many messages (the alternatives kept count too), or one too long, before any
    other work on them."""
    every = list(alternatives.every_message(messages))
    if len(every) > MAX_MESSAGES:
        raise InputError("input_import_too_many", count=f"{len(every):,}", limit=f"{MAX_MESSAGES:,}")
    for number, message in enumerate(every, 1):
        if isinstance(message, dict):
            length = max(len(message_text(message.get(name))) for name in ("content", "reasoning_content"))
            if length > MAX_MESSAGE_CHARS:
                raise InputError("input_import_message_too_long", number=number, length=f"{length:,}",
                                 limit=f"{MAX_MESSAGE_CHARS:,}")


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:40]


def _check_version(document: dict) -> None:
    """A file that declares a format version sfui does not read is refused with that
    version named, whatever else it holds (a ``messages`` list too: it is not an OpenAI
    list then, but a conversation of a format this sfui does not know)."""
    version = document.get("version")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise InputError("input_import_version", version=_show(version), supported=SCHEMA_VERSION)


def _from_sfui(document: dict) -> dict:
    _check_version(document)
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
              new_id: Callable[[], str] = random_id) -> dict:
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
        if isinstance(document, dict) and "version" in document:
            _check_version(document)
        if isinstance(document, dict) and isinstance(document.get("messages"), list):
            return _from_openai(document["messages"], document.get("model"), lang, now, new_id)
        if isinstance(document, list):
            return _from_openai(document, None, lang, now, new_id)
    except RecursionError:  # content nested thousands deep
        raise InputError("input_import_shape") from None
    raise InputError("input_import_shape")
