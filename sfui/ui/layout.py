"""Where each panel goes: the key card (while there is no key), then the chat on
the left; the model, the live panels and the request fields on the right.
Returns the components record the wiring steps use; it wires nothing itself."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..catalog import model_hint
from ..i18n import t
from .chat_pane import ChatArea, render_chat_area
from .code import CodePanel, render_code_panel
from .common import label
from .compare_tab import CompareArea, render_compare_area
from .fields import field_inputs, render_fields
from .keys import KeyBox, render_key_box
from .presenter import PresenterArea, render_present_button, render_presenter_bar
from .preset_picker import render_presets
from .sidebar import Sidebar, render_sidebar


@dataclass
class SidePanels:
    model: gr.Dropdown
    model_hint: gr.Markdown
    reasoning_panel: gr.Textbox
    usage_panel: gr.Markdown
    system_prompt: gr.Textbox
    fields: dict  # request field name -> its control
    presets: gr.Radio  # Precise / Balanced / Creative: sets temperature and top_p
    code: CodePanel  # "View code": the next Send's request as a program


@dataclass
class Page:
    chat: ChatArea
    compare: CompareArea
    sidebar: Sidebar
    side: SidePanels
    keys: KeyBox
    presenter: PresenterArea | None = None  # presenter mode: its button, the deck, the QR code
    tabs: gr.Tabs | None = None  # Chat ("chat") and Compare ("compare"), by id

    def stream_inputs(self) -> list:
        """The streaming handlers' inputs, in their parameters' order."""
        side = self.side
        return [self.chat.chatbot, self.chat.history, side.model, side.system_prompt, *field_inputs(side.fields),
                self.keys.key_state]


def _render_model_and_panels(model_choices: list, default_model: str) -> tuple:
    model = gr.Dropdown(
        choices=model_choices, value=default_model, label=label("label_model"), info=label("help_model"),
        allow_custom_value=True, filterable=True, elem_id="model",
    )
    hint = gr.Markdown(model_hint(default_model), elem_id="model-info")
    reasoning_panel = gr.Textbox(
        label=label("label_reasoning"), elem_id="reasoning-panel", lines=8, max_lines=14, interactive=False,
        autoscroll=True,
    )
    usage_panel = gr.Markdown(t("en", "usage_empty"), elem_id="usage-panel", container=True)
    return model, hint, reasoning_panel, usage_panel


def _render_request_fields() -> tuple[gr.Textbox, dict, gr.Radio]:
    with gr.Accordion(label("label_parameters"), open=True):
        presets = render_presets()
        fields = render_fields(advanced=False)
        system_prompt = gr.Textbox(
            label=label("label_system_prompt"), info=label("help_system_prompt"), lines=2, elem_id="system-prompt",
            placeholder=label("label_system_prompt_placeholder"),
        )
    with gr.Accordion(label("label_advanced"), open=False):
        fields.update(render_fields(advanced=True))
    return system_prompt, fields, presets


def render_page(model_choices: list, default_models: list[str], has_server_key: bool) -> Page:
    """``default_models``: the chat's model first, then the compare slots' (None = empty)."""
    default_model = default_models[0]
    sidebar = render_sidebar()
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, elem_id="main-column"):
            with gr.Row(elem_id="title-row", equal_height=True):
                gr.Markdown(label("label_title"), elem_id="title")
                present_btn = render_present_button()
            keys = render_key_box(has_server_key)
            presenter = render_presenter_bar(present_btn)
            with gr.Tabs(elem_id="tabs") as tabs:
                with gr.Tab(label("label_chat_tab"), id="chat", elem_id="chat-tab"):
                    chat = render_chat_area()
                with gr.Tab(label("label_compare_tab"), id="compare", elem_id="compare-tab"):
                    compare = render_compare_area(model_choices, default_models[1:])
        with gr.Column(scale=2, elem_id="side-column"):
            model, model_hint, reasoning_panel, usage_panel = _render_model_and_panels(model_choices, default_model)
            system_prompt, fields, presets = _render_request_fields()
            code = render_code_panel()
    side = SidePanels(model, model_hint, reasoning_panel, usage_panel, system_prompt, fields, presets, code)
    return Page(chat, compare, sidebar, side, keys, presenter, tabs)
