"""The "View code" panel: the request the next Send would make, as a program in
curl, Python (requests or openai), Go or JavaScript that streams the answer.

The code is built by :mod:`sfui.codegen` from the page's own inputs (the chat,
the message box, the model, the system prompt and every request field), with
the same functions Send uses, so it shows what Send posts. The key never
enters: the snippets read ``SILICONFLOW_API_KEY`` from the environment.

Extension point, "the request of a chosen past answer": a saved answer's
request (its model, messages and fields) is a body already; ``snippet(language,
base_url, body)`` turns it into code, and ``request_body(model, history, None,
system_prompt, params)`` rebuilds one from a history and explicit fields.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..chat import check_message
from ..codegen import LANGUAGES, code_language, request_body, snippet
from ..i18n import t
from ..params import Controls, InputError
from .common import AppContext, as_text, label, lang_of
from .fields import with_request_fields

PROSE = "markdown"  # the code view's highlighting for a message instead of code


@dataclass
class CodePanel:
    accordion: gr.Accordion
    language: gr.Radio
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
        code = gr.Code(
            value="", language=code_language(LANGUAGES[0]), label=label("label_code_code"), elem_id="code-view",
            interactive=False, lines=8, max_lines=30, buttons=["copy"],
        )
        refresh_btn = gr.Button(label("label_code_refresh"), elem_id="code-refresh-btn", size="sm")
    return CodePanel(accordion, language, code, refresh_btn)


class CodeHandlers:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def view(self, language: Any, history: list | None, message: str | None, model: str | None,
             system_prompt: str | None, controls: Controls, lang: str) -> tuple[str, str]:
        """(the code view's text, its highlighting). A request Send would refuse shows
        the same refusal instead of code; an empty box, what to do. Those are prose,
        shown as Markdown: gr.Code cannot go back to no highlighting at all."""
        language = language if language in LANGUAGES else LANGUAGES[0]
        try:
            params = controls.to_params()
            if check_message(message) is None:
                return t(lang, "code_no_message"), PROSE
            # The model as Send resolves it: an empty choice means the default model.
            body = request_body(model or self.ctx.settings.default_model, history or [], message, system_prompt,
                                params)
        except InputError as exc:
            return exc.user_message(lang), PROSE
        return snippet(language, self.ctx.settings.base_url, body), code_language(language)

    async def show(self, language, history, message, model, system_prompt, controls: Controls,
                   request: gr.Request) -> AsyncIterator[Any]:
        text, highlight = self.view(language, history, as_text(message), as_text(model), as_text(system_prompt),
                                    controls, lang_of(request))
        yield gr.update(value=text, language=highlight)


def wire_code_panel(panel: CodePanel, ctx: AppContext, *, chatbot: gr.Chatbot, user_input: gr.Textbox,
                    model: gr.Dropdown, system_prompt: gr.Textbox, fields: list) -> None:
    """Update the code when the panel opens, the language changes or the refresh
    button is pressed. ``fields``: the request-field controls in table order
    (``field_inputs(side.fields)``)."""
    handlers = CodeHandlers(ctx)
    gr.on(
        [panel.accordion.expand, panel.language.change, panel.refresh_btn.click],
        with_request_fields(handlers.show),
        [panel.language, chatbot, user_input, model, system_prompt, *fields],
        [panel.code],
        # Private: the page's own view, not an API; the chat it reads is the visitor's.
        api_visibility="private",
        show_progress="hidden",
    )
