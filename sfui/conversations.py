"""Saved conversations: the store the browser keeps, as plain Python.

The store is one JSON-serializable dict that the browser keeps (gr.BrowserState);
the server keeps nothing. ``{"version": 1, "conversations": [...]}``, newest first.
What a conversation is, and how one is made and changed, is
sfui/conversation_format.py; export and import, sfui/conversation_files.py.

Every function is pure (new objects out, inputs untouched). What comes back from
the browser is checked before use: ``clean_store`` drops what is malformed and
never raises. ``stored_chars`` is the store's size as the browser holds it (what it
leaves of the site's storage is sfui/storage_room.py).

Nothing here imports Gradio or does HTTP.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, tzinfo
from typing import Any

from .conversation_format import MAX_TITLE_CHARS, SCHEMA_VERSION, check_conversation, is_number, total_cost
from .i18n import t
from .params import InputError
from .prices import format_money

__all__ = [
    "clean_store", "delete", "empty_store", "get", "list_rows", "load_store", "rename", "restore", "save",
    "stored_chars", "when",
]


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


def cost_text(conversation: dict, lang: str) -> str:
    """The conversation's total cost as the sidebar shows it: "¥0.012", "free", or "" when
    no answer's cost is known."""
    totals = total_cost(conversation)
    if totals and not any(totals.values()):
        return t(lang, "cost_free")
    return " + ".join(format_money(amount, currency) for currency, amount in totals.items())


def list_rows(store: dict, lang: str, now: float, tz: tzinfo = UTC) -> list[tuple[str, str]]:
    """(label, id) per conversation, newest first; label = title · model · total cost · when
    (the cost when an answer's is known)."""
    rows = []
    for c in _newest_first(_conversations(store)):
        parts = [c.get("title") or t(lang, "conv_untitled"), c.get("model"), cost_text(c, lang),
                 when(c["updated"], now, lang, tz)]
        rows.append((" · ".join(part for part in parts if part), c.get("id") or ""))
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
