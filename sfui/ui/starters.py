"""The example prompts under the empty chat: one button per ``sfui.examples``
record, titled in the visitor's language. A click picks the example's model and
hands its prompt, in the visitor's language, to the chat's streaming step (the
same step Send uses; see ``wire_chat(sends=...)``). The row hides itself by CSS
once the chat has a message (``page.CSS``), so Clear brings it back.

Buttons, not ``gr.Chatbot(examples=...)``: in Gradio 6.31 the Chatbot draws an
example's ``display_text`` as given, without gr.I18n translation, so its
examples could only follow the visitor's language by a server round trip after
the page loads (English first, then the switch); a Button's value is translated
at mount like every label."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from ..examples import EXAMPLES, Example
from .common import label, lang_of

# The pictures the examples send, served from where they are (never copied into the
# upload cache, so sending one never deletes it).
EXAMPLE_PICTURES = [str(example.image_path) for example in EXAMPLES if example.image]


@dataclass
class ExampleButtons:
    row: gr.Row
    buttons: dict[str, gr.Button]  # example key -> its button


def render_examples() -> ExampleButtons:
    with gr.Row(elem_id="examples", equal_height=True) as row:
        gr.Markdown(label("label_examples"), elem_id="examples-title", container=False)
        buttons = {
            example.key: gr.Button(label(example.title_key), size="sm", variant="secondary", min_width=140,
                                   elem_id=example.elem_id, elem_classes=["example-btn"])
            for example in EXAMPLES
        }
    return ExampleButtons(row, buttons)


def _picker(example: Example) -> Callable[[gr.Request], tuple[str, dict]]:
    files = [str(example.image_path)] if example.image else []

    def pick(request: gr.Request) -> tuple[str, dict]:
        """The example's model for the picker, and its message (the prompt in the
        visitor's language, and its picture) as the message box would hand it over."""
        return example.model, {"text": example.prompt(lang_of(request)), "files": list(files)}

    pick.__name__ = f"pick_example_{example.key}"
    return pick


def wire_examples(area: ExampleButtons, *, model: gr.Dropdown, pending_message: gr.MultimodalTextbox) -> list:
    """Each button's first step (set the model picker, pass the prompt on). Returns
    the events, for the chat to chain its streaming step after each."""
    return [
        area.buttons[example.key].click(_picker(example), None, [model, pending_message], queue=False,
                                        api_visibility="private")
        for example in EXAMPLES
    ]
