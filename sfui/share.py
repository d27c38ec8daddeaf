"""Share links that carry the request: a chat (or a Compare question) as a link whose
fragment (``#s=...``) holds the model(s), the request fields, the system prompt and the
messages, so that nothing is stored anywhere and the link works on any server.

The link::

    <page address>#s=<base64url, no padding, of raw deflate (zlib wbits=-15) of UTF-8 JSON>

and the JSON (``v``: this format's version)::

    {"sfui": "share", "v": 1, "kind": "chat", "model": "...", "system_prompt": "...",
     "params": {...the request fields as sent...}, "messages": [...], "answers": true,
     "left_out": {"pictures": 0}}
    {"sfui": "share", "v": 1, "kind": "compare", "slots": [{"model": "...", "temperature": "0.3"}, ...],
     "samples": 1, "system_prompt": "...", "params": {...}, "question": "...", "answers": true,
     "panes": [{"label": "...", "messages": [...]}, ...], "left_out": {"pictures": 0}}

A Compare link carries each pane's conversation as the page showed it (``panes``, in pane
order, each labelled as it was: "Model A" while a blind round waits for its vote), unless it
was shared without the answers (then no ``panes``).

Never the key: a link is built from the model, the fields, the system prompt and the
messages only. Pictures are left out (their number is kept, and the page says so).

Browsers never send a fragment to a server. The page decodes it itself (DecompressionStream
"deflate-raw", sfui/ui/share_panel.py) and sends the decoded JSON object to
:func:`validate`, which checks it exactly as an imported file is (sfui/conversation_files.py:
the same limits; HTML and scripts stay text) and raises InputError (``share_*`` or
``input_import_*`` keys) for a link it cannot take. :func:`decode_fragment` is the same
decoding in Python (tests, tools).

Plain Python: no Gradio, no HTTP.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from .chat import check_message, message_text
from .chat_images import image_url_of
from .compare import MAX_SAMPLES, MAX_SLOTS
from .compare_round import plan_slots
from .conversation_files import from_json
from .conversation_format import MAX_NAME_CHARS, SCHEMA_VERSION
from .params import CHOICE, FIELDS, JSON, LINES, NUMBER, Controls, InputError, format_number

VERSION = 1
PREFIX = "#s="
# The whole link (address and fragment) is refused above this: browsers and chat apps take
# much longer addresses, but a link is meant to be pasted and read; a longer conversation
# goes as a file (the sidebar's Export JSON).
MAX_LINK_CHARS = 8_000
# A QR code (error correction M, version 40) holds at most 2,331 bytes: the QR code is
# shown only for a link that fits (about 2,300 characters), the link up to MAX_LINK_CHARS.
MAX_QR_CHARS = 2_331
# What the page decompresses at most (a small fragment can inflate a thousandfold).
MAX_DECODED_BYTES = 1_000_000
# Model ids as SiliconFlow writes them: a forged link with markup in its model is refused.
MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")
KINDS = ("chat", "compare")
BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")
# The page's decoding errors, as the page reports them: {"sfui_share_error": code}.
PAGE_ERRORS = ("too_long", "base64", "deflate", "json", "too_large")
ERROR_KEY = "sfui_share_error"


@dataclass(frozen=True)
class Shared:
    """A link's content, checked: what the page shows and what Run again sends."""

    kind: str
    model: str  # the chat's model ("" for Compare)
    system_prompt: str
    params: dict  # the request fields as sent
    messages: list = field(default_factory=list)  # the chat's conversation (Compare: the question alone)
    answers: bool = True
    pictures_left_out: int = 0
    slots: tuple = ()  # Compare: ((model, temperature text), ...)
    samples: int = 1
    panes: tuple = ()  # Compare with the answers: ((label, messages), ...) in pane order

    @property
    def question(self) -> str:
        """The last question (Compare's question)."""
        users = [m for m in self.messages if m.get("role") == "user"]
        return message_text(users[-1]["content"]) if users else ""

    def to_state(self) -> dict:
        return {"kind": self.kind, "model": self.model, "system_prompt": self.system_prompt,
                "params": self.params, "messages": self.messages, "answers": self.answers,
                "pictures": self.pictures_left_out, "slots": [list(s) for s in self.slots], "samples": self.samples,
                "panes": [[label, messages] for label, messages in self.panes]}

    @classmethod
    def from_state(cls, obj: Any) -> Shared | None:
        if not isinstance(obj, dict) or obj.get("kind") not in KINDS:
            return None
        return cls(obj["kind"], obj["model"], obj["system_prompt"], obj["params"], obj["messages"], obj["answers"],
                   obj["pictures"], tuple(tuple(s) for s in obj["slots"]), obj["samples"],
                   tuple((label, messages) for label, messages in obj.get("panes", [])))


# --- building a link ------------------------------------------------------------------------------


def _without_pictures(content: Any) -> tuple[Any, int]:
    """A message's content with its pictures (and any other file) left out, and how many."""
    if not isinstance(content, (list, tuple)):
        return (content if isinstance(content, str) else message_text(content)), 0
    texts, dropped = [], 0
    for part in content:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif image_url_of(part) or isinstance(part, dict):
            dropped += 1
    return "".join(texts), dropped


def shareable_messages(history: list, with_answers: bool) -> tuple[list[dict], int]:
    """The conversation as a link carries it: role, text and display metadata (the
    thinking bubbles' titles), pictures left out (counted); the answers only
    ``with_answers`` (else the questions alone)."""
    out, pictures = [], 0
    for message in history or []:
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            continue
        if message["role"] == "assistant" and not with_answers:
            continue
        content, dropped = _without_pictures(message.get("content"))
        pictures += dropped
        kept: dict = {"role": message["role"], "content": content}
        metadata = message.get("metadata")
        if isinstance(metadata, dict) and metadata.get("title"):
            kept["metadata"] = {k: v for k, v in metadata.items() if k in ("title", "status", "duration")}
        out.append(kept)
    return out, pictures


def chat_document(history: list, model: str, system_prompt: str | None, params: dict, with_answers: bool) -> dict:
    """A chat's link content (see the module's docstring). Raises InputError
    ``share_nothing`` when there is no question to share."""
    messages, pictures = shareable_messages(history, with_answers)
    if not any(m["role"] == "user" for m in messages):
        raise InputError("share_nothing")
    return {"sfui": "share", "v": VERSION, "kind": "chat", "model": model, "system_prompt": system_prompt or "",
            "params": params, "messages": messages, "answers": bool(with_answers), "left_out": {"pictures": pictures}}


def compare_document(slots: list[tuple[str, str]], samples: int, system_prompt: str | None, params: dict,
                     question: Any, panes: list[tuple[str, list]] | None = None) -> dict:
    """A Compare question's link content: the slots (model, temperature as typed), the
    number of answers per slot, the fields and the question (its pictures left out); with
    ``panes`` ((label, conversation) per pane, as the page shows them) the answers too."""
    text, pictures = _without_pictures(question)
    if not str(text).strip():
        raise InputError("share_nothing")
    document = {"sfui": "share", "v": VERSION, "kind": "compare",
                "slots": [{"model": m, "temperature": temp} for m, temp in slots], "samples": samples,
                "system_prompt": system_prompt or "", "params": params, "question": text, "answers": bool(panes)}
    if panes:
        document["panes"] = []
        for pane_label, history in panes:
            messages, dropped = shareable_messages(history, with_answers=True)
            pictures += dropped
            document["panes"].append({"label": pane_label, "messages": messages})
    document["left_out"] = {"pictures": pictures}
    return document


def encode(document: dict) -> str:
    """The fragment's value: raw deflate of the compact UTF-8 JSON, base64url without padding."""
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def make_link(base_url: str, document: dict) -> str:
    """``base_url`` (the page's address, any fragment dropped) with the document in its
    fragment. Raises InputError ``share_too_long`` over MAX_LINK_CHARS."""
    link = f"{str(base_url or '').split('#', 1)[0]}{PREFIX}{encode(document)}"
    if len(link) > MAX_LINK_CHARS:
        raise InputError("share_too_long", length=f"{len(link):,}", limit=f"{MAX_LINK_CHARS:,}")
    return link


def fits_qr(link: str) -> bool:
    return len(link.encode("utf-8")) <= MAX_QR_CHARS


# --- reading a link -----------------------------------------------------------------------------


def decode_fragment(fragment: str) -> Any:
    """The JSON a link's fragment holds (``#s=...``, ``s=...`` or the bare value), as the
    page decodes it. Raises InputError ``share_bad_<code>`` (PAGE_ERRORS)."""
    value = fragment.split(PREFIX, 1)[1] if PREFIX in fragment else fragment.removeprefix("s=")
    if len(value) > MAX_LINK_CHARS:
        raise page_error("too_long")
    try:
        if not BASE64URL.match(value):
            raise ValueError(value[:20])
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise page_error("base64") from None
    try:
        unpacker = zlib.decompressobj(-15)
        raw = unpacker.decompress(packed, MAX_DECODED_BYTES + 1)
        if not unpacker.eof:
            raise page_error("too_large" if len(raw) > MAX_DECODED_BYTES else "deflate")
    except zlib.error:
        raise page_error("deflate") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise page_error("json") from None


def page_error(code: str) -> InputError:
    return InputError(f"share_bad_{code if code in PAGE_ERRORS else 'json'}")


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise InputError("share_field", field=what)


def _model(value: Any, what: str = "model") -> str:
    _need(isinstance(value, str) and 0 < len(value) <= MAX_NAME_CHARS and bool(MODEL_ID.match(value)), what)
    return value


def controls_for(params: Any) -> dict[str, Any]:
    """The page's control values that send ``params`` (the request fields as sent), by field
    name (a field left out takes its default); raises InputError when ``params`` is not what
    the controls can send (an unknown field, a value out of range)."""
    _need(isinstance(params, dict), "params")
    known = {f.name for f in FIELDS if f.in_body}
    _need(set(params) <= known, "params")
    values: dict[str, Any] = {}
    for f in FIELDS:
        if f.name not in params:
            continue
        value = params[f.name]
        if f.kind == CHOICE:
            matches = [key for key, wire in (f.choices or {}).items() if wire == value]
            _need(bool(matches), f.name)
            values[f.name] = matches[0]
        elif f.kind == LINES:
            _need(isinstance(value, list) and all(isinstance(s, str) for s in value), f.name)
            values[f.name] = "\n".join(s.replace("\n", "\\n") for s in value)
        elif f.kind == JSON:
            values[f.name] = json.dumps(value, ensure_ascii=False)
        else:
            _need(isinstance(value, (int, float)) and not isinstance(value, bool), f.name)
            values[f.name] = format_number(value) if f.kind == NUMBER else value
    sent = Controls(**values).to_params()  # raises InputError for a bad value
    _need(all(sent.get(name) == value for name, value in params.items()), "params")
    return values


def _check_conversation(messages: Any, model: str, system_prompt: str) -> list:
    """``messages`` checked exactly as an imported file's (sfui.conversation_files.from_json)."""
    document = {"sfui": "conversation", "version": SCHEMA_VERSION, "id": "shared", "created": 0, "updated": 0,
                "model": model, "system_prompt": system_prompt, "messages": messages}
    return from_json(json.dumps(document, ensure_ascii=False))["messages"]


def _pictures(obj: dict) -> int:
    left_out = obj.get("left_out", {})
    _need(isinstance(left_out, dict), "left_out")
    count = left_out.get("pictures", 0)
    _need(type(count) is int and 0 <= count <= 10_000, "left_out")
    return count


def _slots(obj: dict) -> tuple[tuple, int]:
    slots, samples = obj.get("slots"), obj.get("samples", 1)
    _need(isinstance(slots, list) and 0 < len(slots) <= MAX_SLOTS, "slots")
    _need(type(samples) is int, "samples")
    pairs = []
    for slot in slots or []:
        _need(isinstance(slot, dict), "slots")
        temperature = slot.get("temperature")
        _need(temperature is None or (isinstance(temperature, str) and len(temperature) <= 20), "slots")
        pairs.append((_model(slot.get("model"), "slots"), temperature or ""))
    models = [m for m, _ in pairs] + [None] * (MAX_SLOTS - len(pairs))
    plan_slots(models, [temp for _, temp in pairs] + [""] * (MAX_SLOTS - len(pairs)), samples)
    return tuple(pairs), samples


def _panes(obj: dict, system_prompt: str) -> tuple:
    """A Compare link's panes (label, conversation), each checked as an imported file's."""
    panes = obj.get("panes", [])
    _need(isinstance(panes, list) and len(panes) <= max(MAX_SLOTS, MAX_SAMPLES), "panes")
    checked = []
    for pane in panes:
        _need(isinstance(pane, dict), "panes")
        pane_label = pane.get("label")
        _need(isinstance(pane_label, str) and 0 < len(pane_label) <= MAX_NAME_CHARS, "panes")
        checked.append((pane_label, _check_conversation(pane.get("messages"), "", system_prompt)))
    return tuple(checked)


def validate(obj: Any) -> Shared:
    """A decoded link's JSON (as the page hands it over), checked: its version, its kind,
    its fields, and its messages exactly as an imported file's. Raises InputError."""
    if isinstance(obj, dict) and ERROR_KEY in obj:
        raise page_error(str(obj[ERROR_KEY]))
    size = len(json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    if size > MAX_DECODED_BYTES:
        raise page_error("too_large")
    if not isinstance(obj, dict) or obj.get("sfui") != "share":
        raise InputError("share_not_share")
    version = obj.get("v")
    if type(version) is not int or version != VERSION:
        raise InputError("share_version", version=json.dumps(version)[:20], supported=VERSION)
    kind = str(obj.get("kind"))
    _need(kind in KINDS, "kind")
    system_prompt = obj.get("system_prompt", "")
    _need(isinstance(system_prompt, str), "system_prompt")
    params = obj.get("params", {})
    controls_for(params)
    pictures = _pictures(obj)
    if kind == "compare":
        question = obj.get("question")
        _need(isinstance(question, str) and bool(question.strip()), "question")
        check_message(question)
        slots, samples = _slots(obj)
        messages = _check_conversation([{"role": "user", "content": question}], "", system_prompt)
        panes = _panes(obj, system_prompt)
        return Shared(kind, "", system_prompt, params, messages, bool(panes), pictures, slots, samples, panes)
    model = _model(obj.get("model"))
    answers = obj.get("answers", True)
    _need(isinstance(answers, bool), "answers")
    messages = _check_conversation(obj.get("messages"), model, system_prompt)
    _need(any(m["role"] == "user" for m in messages), "messages")
    return Shared(kind, model, system_prompt, params, messages, answers, pictures)
