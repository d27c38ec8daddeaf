"""The API key box and the model picker's live list.

A pasted key is kept on the server in the tab's ``gr.State`` and the box is
emptied at once. Every handler here is private: never in the API info, never
callable by clients, never in run history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from .. import errors
from ..catalog import capability_hint
from ..i18n import t
from .common import AppContext, label, lang_of, model_choices


@dataclass
class KeyBox:
    key_state: gr.State  # the visitor's pasted key: server-side, per browser tab
    api_key_box: gr.Textbox
    use_key_btn: gr.Button
    forget_key_btn: gr.Button
    key_status: gr.Markdown


def render_key_box(has_server_key: bool) -> KeyBox:
    key_state = gr.State(None)
    with gr.Accordion(label("label_api_key"), open=not has_server_key):
        api_key_box = gr.Textbox(
            type="password", show_label=False, placeholder=label("label_api_key_placeholder"), elem_id="api-key"
        )
        with gr.Row():
            use_key_btn = gr.Button(label("label_use_key"), size="sm", elem_id="api-key-btn")
            forget_key_btn = gr.Button(label("label_forget_key"), size="sm", elem_id="api-key-forget")
        key_status = gr.Markdown(elem_id="key-status")
    return KeyBox(key_state, api_key_box, use_key_btn, forget_key_btn, key_status)


class KeyHandlers:
    def __init__(self, ctx: AppContext, other_models: int = 0) -> None:
        self.ctx = ctx
        self.other_models = other_models  # pickers that get the list's choices (their values stay)

    def others(self, models: Any = None) -> tuple:
        if models is None:
            return (gr.skip(),) * self.other_models
        return (gr.update(choices=model_choices(models.ids)),) * self.other_models

    def no_key_notice(self, visitor_key: str | None, lang: str) -> str:
        return "" if self.ctx.effective_key(visitor_key) else t(lang, "no_key")

    def dropdown(self, key: str | None, current: str | None) -> tuple[Any, Any]:
        """The model dropdown's update for ``key``'s model list, and that list."""
        models = self.ctx.directory.get(self.ctx.client_for(key), key)
        update = gr.update(choices=model_choices(models.ids, current), value=current or self.ctx.settings.default_model)
        return update, models

    def on_load(self, visitor_key: str | None, current: str | None, request: gr.Request):
        lang = lang_of(request)
        model, models = gr.skip(), None
        if self.ctx.effective_key(visitor_key):
            model, models = self.dropdown(self.ctx.effective_key(visitor_key), current)
        notice = self.no_key_notice(visitor_key, lang)
        return model, notice, t(lang, "usage_empty"), capability_hint(current, lang), *self.others(models)

    def use_key(self, pasted: str, current: str | None, request: gr.Request):
        lang = lang_of(request)
        key = (pasted or "").strip() or None
        if key is None:
            return "", gr.skip(), t(lang, "key_none"), gr.skip(), gr.skip(), *self.others()
        update, models = self.dropdown(key, current)
        if isinstance(models.problem, errors.AuthenticationError):
            # Not stored: a key the API refuses would only fail later, less clearly.
            return "", gr.skip(), models.problem.user_message(lang), gr.skip(), gr.skip(), *self.others()
        status = t(lang, "key_set")
        if models.live:
            status += " " + t(lang, "models_live", count=len(models.ids))
        elif models.problem is not None:
            status += " " + t(lang, "models_fallback", reason=models.problem.user_message(lang))
        # The box is emptied at once: the key is not left in the page.
        return "", key, status, update, "", *self.others(models)

    def forget_key(self, request: gr.Request):
        lang = lang_of(request)
        status = t(lang, "key_cleared") + (" " + t(lang, "key_env") if self.ctx.settings.api_key else "")
        return "", None, status, self.no_key_notice(None, lang)

    def show_model_hint(self, model_id: str | None, request: gr.Request) -> str:
        return capability_hint(model_id, lang_of(request))


def wire_keys(demo: gr.Blocks, box: KeyBox, ctx: AppContext, *, model, model_hint, key_notice, usage_panel,
              other_models: list) -> None:
    """``other_models``: more model pickers (the compare slots) that get the same live list."""
    handlers = KeyHandlers(ctx, len(other_models))
    key_outputs = [box.api_key_box, box.key_state, box.key_status, model, key_notice, *other_models]
    for trigger in (box.api_key_box.submit, box.use_key_btn.click):
        trigger(handlers.use_key, [box.api_key_box, model], key_outputs, api_visibility="private")
    forget_outputs = [box.api_key_box, box.key_state, box.key_status, key_notice]
    box.forget_key_btn.click(handlers.forget_key, None, forget_outputs, api_visibility="private")
    # Runs after the page is shown, so a slow /models never delays start-up or first paint.
    demo.load(handlers.on_load, [box.key_state, model], [model, key_notice, usage_panel, model_hint, *other_models],
              api_visibility="private")
    model.change(handlers.show_model_hint, [model], [model_hint], queue=False, api_visibility="private")
