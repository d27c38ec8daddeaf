"""Presenter mode's deck: the prepared prompts a presenter steps through, in order.
Plain Python, no Gradio.

The deck comes from SFUI_DECK, a JSON file::

    [{"prompt": "Explain TCP in one paragraph", "model": "Qwen/Qwen3-8B"},
     {"prompt": "Write a haiku about rain", "compare": ["Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-V3"]}]

``prompt`` is required; ``model`` (the chat's model) and ``compare`` (2–4 models for the
Compare tab's slots) are optional, and an entry may not name both. Without SFUI_DECK, or
when the file cannot be used (it is then logged, with the entry and the reason), the deck
is the example prompts of the empty chat (sfui/examples.py) in the visitor's language,
without the one that needs a picture.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .chat import MAX_MESSAGE_CHARS
from .compare import MAX_SLOTS
from .examples import EXAMPLES, Example
from .i18n import t

log = logging.getLogger(__name__)

MAX_ENTRIES = 200  # a talk, not a data set
MAX_DECK_BYTES = 2_000_000
MAX_MODEL_CHARS = 200
ENTRY_KEYS = frozenset({"prompt", "model", "compare"})


class DeckError(ValueError):
    """An SFUI_DECK file that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class DeckEntry:
    """One prepared prompt. ``prompt`` is its text, or (an example's) None: then
    ``example_key`` names the example, whose text follows the visitor's language."""

    prompt: str | None = None
    model: str | None = None
    compare: tuple[str, ...] = ()
    example_key: str | None = None

    def text(self, lang: str) -> str:
        if self.prompt is not None:
            return self.prompt
        return t(lang, f"example_{self.example_key}_prompt")


@dataclass(frozen=True)
class Deck:
    entries: tuple[DeckEntry, ...]
    source: str  # the file's path, or "examples"

    def __len__(self) -> int:
        return len(self.entries)

    def clamp(self, index: int) -> int:
        """``index`` within the deck (an empty deck has none: -1)."""
        return max(0, min(index, len(self.entries) - 1)) if self.entries else -1


def example_deck(examples: tuple[Example, ...] = EXAMPLES) -> Deck:
    """The example prompts as a deck (those that send a picture left out: the deck puts text only in the box)."""
    entries = tuple(DeckEntry(model=example.model, example_key=example.key) for example in examples
                    if not example.image)
    return Deck(entries, "examples")


def _text(where: str, name: str, value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DeckError(f"{where}: {name!r} must be a non-empty string")
    if len(value) > limit:
        raise DeckError(f"{where}: {name!r} is longer than {limit} characters")
    return value.strip() if name != "prompt" else value


def _compare(where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_SLOTS:
        raise DeckError(f"{where}: 'compare' must be a list of 2 to {MAX_SLOTS} model ids")
    return tuple(_text(where, "compare", model, MAX_MODEL_CHARS) for model in value)


def parse_entry(raw: Any, number: int) -> DeckEntry:
    """One entry of the file (``number`` counts from 1, for the message)."""
    where = f"entry {number}"
    if not isinstance(raw, dict):
        raise DeckError(f"{where}: must be an object with a 'prompt'")
    unknown = sorted(set(raw) - ENTRY_KEYS)
    if unknown:
        raise DeckError(f"{where}: unknown key {unknown[0]!r} (allowed: compare, model, prompt)")
    prompt = _text(where, "prompt", raw.get("prompt"), MAX_MESSAGE_CHARS)
    model = _text(where, "model", raw["model"], MAX_MODEL_CHARS) if "model" in raw else None
    compare = _compare(where, raw["compare"]) if "compare" in raw else ()
    if model and compare:
        raise DeckError(f"{where}: give 'model' (the chat) or 'compare' (the Compare tab), not both")
    return DeckEntry(prompt=prompt, model=model, compare=compare)


def parse_deck(text: str, source: str = "SFUI_DECK") -> Deck:
    """A deck from the file's text; raises DeckError saying what is wrong and where."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeckError(f"not valid JSON: {exc}") from None
    if not isinstance(data, list) or not data:
        raise DeckError("must be a non-empty JSON list of entries")
    if len(data) > MAX_ENTRIES:
        raise DeckError(f"has {len(data)} entries; at most {MAX_ENTRIES}")
    return Deck(tuple(parse_entry(raw, number) for number, raw in enumerate(data, start=1)), source)


def read_deck(path: str | Path) -> Deck:
    """The deck in the file at ``path``; raises DeckError (OSError and bad text included)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_DECK_BYTES + 1)
    except OSError as exc:
        raise DeckError(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_DECK_BYTES:
        raise DeckError(f"is larger than {MAX_DECK_BYTES} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DeckError("is not UTF-8 text") from None
    return parse_deck(text, str(path))


def load_deck(path: str | Path | None) -> Deck:
    """The deck in effect: SFUI_DECK's (``path``), or the examples when there is none or
    it cannot be used (logged as a warning, with the reason)."""
    if not path:
        return example_deck()
    try:
        return read_deck(path)
    except DeckError as exc:
        log.warning("SFUI_DECK=%s ignored, the example prompts are the deck instead: %s", path, exc)
        return example_deck()
