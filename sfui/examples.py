"""The example prompts shown in an empty chat: what each asks, in which
language, and which model answers it. Plain data, no Gradio.

A record's texts live in the catalogue (``label_example_<key>`` is the short
title on its button, ``example_<key>_prompt`` the message sent), so every
example exists in English and Chinese. ``image`` is a picture under assets/
sent with the prompt; an example that shows a picture is one more record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .i18n import t

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass(frozen=True)
class Example:
    key: str  # names its catalogue entries and its button (elem_id "example-<key>")
    model: str  # one of catalog.DEFAULT_MODELS (offered before the live list arrives); tests check it
    image: str | None = None  # a file name under assets/, sent with the prompt (needs a vision model)

    @property
    def title_key(self) -> str:
        return f"label_example_{self.key}"

    @property
    def prompt_key(self) -> str:
        return f"example_{self.key}_prompt"

    @property
    def elem_id(self) -> str:
        return f"example-{self.key}"

    @property
    def image_path(self) -> Path | None:
        return ASSETS / self.image if self.image else None

    def prompt(self, lang: str) -> str:
        return t(lang, self.prompt_key)


EXAMPLES: tuple[Example, ...] = (
    # A puzzle a reasoning model (🧠) works out step by step, its thinking in the Reasoning panel.
    Example("puzzle", "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"),
    Example("code", "deepseek-ai/DeepSeek-V3"),
    # Answered with formulas: the chat renders $...$ and $$...$$.
    Example("math", "Qwen/Qwen3-8B"),
    Example("poem", "THUDM/GLM-4-9B-0414"),
    # A free model that sees images (👁), with the sample picture that ships in assets/.
    Example("picture", "THUDM/GLM-4.1V-9B-Thinking", image="sample.jpg"),
)

BY_KEY: dict[str, Example] = {example.key: example for example in EXAMPLES}
