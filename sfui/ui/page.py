"""The whole app: the page's layout, then each feature's wiring."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..catalog import DEFAULT_MODELS
from ..config import Settings
from . import uploads
from .chat import wire_chat
from .code import wire_code_panel
from .common import LABELS, AppContext, model_choices
from .compare import wire_compare
from .conversations import wire_sidebar
from .fields import field_inputs
from .keys import wire_keys
from .layout import render_page

CSS = """
#reasoning-panel textarea { font-size: 0.85em; }
#usage-panel table { font-size: 0.9em; width: 100%; }
#usage-panel td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
footer { display: none !important; }
#chatbot img.sfui-image { max-width: 100%; max-height: 360px; width: auto; height: auto; border-radius: 6px; }
#vision-notice { align-items: center; }
"""


def build_demo(settings: Settings | None = None) -> gr.Blocks:
    ctx = AppContext(settings or Settings.from_env())
    curated = ctx.directory.get(ctx.client_for(None), None).ids
    # delete_cache: attached pictures are deleted once Send reads them; this sweeps the ones never sent.
    with gr.Blocks(title="sfui · SiliconFlow chat", fill_height=True, delete_cache=uploads.UPLOAD_SWEEP) as demo:
        page = render_page(model_choices(curated), default_models(ctx.settings.default_model),
                           bool(ctx.settings.api_key))
        side = page.side
        chat_events = wire_chat(page.chat, ctx, page.stream_inputs(), [side.reasoning_panel, side.usage_panel])
        wire_sidebar(page.sidebar, ctx, chat_events, chatbot=page.chat.chatbot, reasoning_panel=side.reasoning_panel,
                     usage_panel=side.usage_panel, model=side.model)
        wire_compare(page.compare, ctx, system_prompt=side.system_prompt, fields=field_inputs(side.fields),
                     key_state=page.keys.key_state)
        wire_code_panel(side.code, ctx, chatbot=page.chat.chatbot, user_input=page.chat.user_input, model=side.model,
                        system_prompt=side.system_prompt, fields=field_inputs(side.fields),
                        store=page.sidebar.store, current=page.sidebar.current)
        wire_keys(demo, page.keys, ctx, model=side.model, model_hint=side.model_hint, key_notice=page.key_notice,
                  usage_panel=side.usage_panel, other_models=page.compare.models)
    return demo


def default_models(chat_model: str) -> list[str | None]:
    """The chat's model, then the compare slots': the chat's model against the next
    curated one, slots 3 and 4 empty."""
    other = next(m for m in DEFAULT_MODELS if m != chat_model)
    return [chat_model, chat_model, other, None, None]


def launch_options(settings: Settings | None = None) -> dict[str, Any]:
    """Keyword arguments for ``demo.launch``. Host and port come from
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, which Gradio reads itself."""
    settings = settings or Settings()
    return dict(
        theme=gr.themes.Soft(),
        css=CSS,
        i18n=LABELS,
        # Run history records the inputs of every call in the browser: off, so
        # nothing a visitor types (a key included) is kept there.
        run_history=False,
        footer_links=[],
        show_error=False,
        # Streams are async and do not hold a thread, but sync handlers (key,
        # model list) do: leave room for every concurrent visitor.
        max_threads=max(40, settings.concurrency_limit),
        # Gradio refuses larger uploads itself; smaller ones over the picture limit get sfui's own message.
        max_file_size=uploads.UPLOAD_LIMIT,
    )


def queue_options(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings()
    return dict(default_concurrency_limit=settings.concurrency_limit)
