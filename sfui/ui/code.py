"""The "View code" panel: the request the next Send would make, as a program in
curl, Python (requests or openai), Go or JavaScript that streams the answer.

The code is built by :mod:`sfui.codegen` from the page's own inputs (the chat,
the message box, the model, the system prompt and every request field), with
the same functions Send uses, so it shows what Send posts. The key never
enters: the snippets read ``SILICONFLOW_API_KEY`` from the environment.

A past answer of the open saved conversation can be chosen instead (``code-answer``):
its request is rebuilt from the conversation up to its question and the model,
system prompt and fields saved with it (``request_body(model, history, None, ...)``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from .. import conversations
from ..chat import check_message
from ..codegen import LANGUAGES, code_language, request_body, snippet
from ..demo_tools import as_sent, with_demo_tools
from ..i18n import t
from ..params import Controls, InputError
from .common import AppContext, as_text, label, lang_of
from .fields import with_request_fields

PROSE = "markdown"  # the code view's highlighting for a message instead of code
NEXT_SEND = "next"  # code-answer's choice for the request the next Send would make


@dataclass
class CodePanel:
    accordion: gr.Accordion
    language: gr.Radio
    answer: gr.Dropdown  # the next Send, or a past answer of the open saved conversation
    code: gr.Code
    refresh_btn: gr.Button


def render_code_panel() -> CodePanel:
    """The panel, closed: its code is made when it is opened (nothing is computed
    for visitors who never look)."""
    with gr.Accordion(label("label_code_view"), open=False, elem_id="view-code") as accordion:
        language = gr.Radio(
            [(label("label_code_" + lang.replace("-", "_")), lang) for lang in LANGUAGES],
            value=LANGUAGES[0], label=label("label_code_lang"), elem_id="code-lang",
        )
        answer = gr.Dropdown(
            [(label("label_code_next_send"), NEXT_SEND)], value=NEXT_SEND, label=label("label_code_answer"),
            elem_id="code-answer",
        )
        code = gr.Code(
            value="", language=code_language(LANGUAGES[0]), label=label("label_code_code"), elem_id="code-view",
            interactive=False, lines=8, max_lines=30, buttons=["copy"],
        )
        refresh_btn = gr.Button(label("label_code_refresh"), elem_id="code-refresh-btn", size="sm")
    return CodePanel(accordion, language, answer, code, refresh_btn)


def box_text_and_pictures(message: Any) -> tuple[str | None, tuple[str, ...]]:
    """The message box's text and its attached pictures' names, from its value as
    gr.MultimodalTextbox.preprocess passes it ({"text", "files": [paths]})."""
    if not isinstance(message, dict):
        return as_text(message), ()
    files = message.get("files") or []
    names = tuple(os.path.basename(f if isinstance(f, str) else str(f.get("orig_name") or f.get("path") or ""))
                  for f in files)
    return as_text(message.get("text")), names


class CodeHandlers:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def view(self, language: Any, history: list | None, message: str | None, model: str | None,
             system_prompt: str | None, controls: Controls, lang: str,
             pictures: tuple[str, ...] = ()) -> tuple[str, str]:
        """(the code view's text, its highlighting). A request Send would refuse shows
        the same refusal instead of code; an empty box, what to do. Those are prose,
        shown as Markdown: gr.Code cannot go back to no highlighting at all."""
        language = language if language in LANGUAGES else LANGUAGES[0]
        try:
            params = controls.to_params()
            if controls.tools_demo:  # the demo's tools go with the request, as Send sends them
                params = with_demo_tools(params)
            if check_message(message, bool(pictures)) is None:
                return t(lang, "code_no_message"), PROSE
            # The model as Send resolves it: an empty choice means the default model.
            body = request_body(model or self.ctx.settings.default_model, history or [], message, system_prompt,
                                params, detail=controls.image_detail, pictures=pictures)
        except InputError as exc:
            return exc.user_message(lang), PROSE
        return snippet(language, self.ctx.settings.base_url, body), code_language(language)

    def past_answer(self, language: Any, conversation: dict, index: int) -> tuple[str, str]:
        """The code of the request behind the conversation's answer ``index``: its
        conversation up to its question, with the model, system prompt and fields it was sent with."""
        language = language if language in LANGUAGES else LANGUAGES[0]
        record = conversation["answers"][index]
        # Everything before the answer: after a question with the demo's tools, the calls
        # and their results too (the last request of the exchange; sfui.tool_cards).
        history = conversation["messages"][:record["message_index"]]
        body = request_body(record["model"], history, None, record["system_prompt"], as_sent(record["params"]))
        return snippet(language, self.ctx.settings.base_url, body), code_language(language)

    def answer_choices(self, conversation: dict | None, lang: str) -> list[tuple[str, str]]:
        choices = [(t(lang, "label_code_next_send"), NEXT_SEND)]
        for i, record in enumerate((conversation or {}).get("answers", [])):
            choices.append((t(lang, "code_past_answer", number=i + 1, model=record["model"]), str(i)))
        return choices

    async def show(self, language, answer, store, current, history, message, model, system_prompt,
                   controls: Controls, request: gr.Request) -> AsyncIterator[Any]:
        lang = lang_of(request)
        conversation = conversations.get(conversations.clean_store(store), current)
        choices = self.answer_choices(conversation, lang)
        index = int(answer) if isinstance(answer, str) and answer.isdigit() else None
        if conversation is not None and index is not None and index < len(conversation["answers"]):
            text, highlight = self.past_answer(language, conversation, index)
        else:
            answer = NEXT_SEND
            text, pictures = box_text_and_pictures(message)
            text, highlight = self.view(language, history, text, as_text(model), as_text(system_prompt), controls,
                                        lang, pictures)
        yield gr.update(value=text, language=highlight), gr.update(choices=choices, value=answer)


def wire_code_panel(panel: CodePanel, ctx: AppContext, *, history: gr.State, user_input: gr.MultimodalTextbox,
                    model: gr.Dropdown, system_prompt: gr.Textbox, fields: list, store: gr.BrowserState,
                    current: gr.State) -> None:
    """Update the code when the panel opens, the language or the answer changes, or
    the refresh button is pressed. ``fields``: the request-field controls in table
    order (``field_inputs(side.fields)``); ``store``/``current``: the saved
    conversations and the open one's id, for its past answers."""
    handlers = CodeHandlers(ctx)
    gr.on(
        [panel.accordion.expand, panel.language.change, panel.answer.input, panel.refresh_btn.click],
        with_request_fields(handlers.show),
        [panel.language, panel.answer, store, current, history, user_input, model, system_prompt, *fields],
        [panel.code, panel.answer],
        # Private: the page's own view, not an API; the chat it reads is the visitor's.
        api_visibility="private",
        show_progress="hidden",
        # A language picked while the panel's first code is still on its way must not be
        # dropped (Gradio's default, "once"): the code would stay in the language before.
        trigger_mode="always_last",
    )
