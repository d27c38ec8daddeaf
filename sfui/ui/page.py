"""The whole app: the page's layout, then each feature's wiring."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import gradio as gr

from ..budget_limits import describe
from ..catalog import DEFAULT_MODELS
from ..config import Settings
from ..i18n import t
from . import html_preview, uploads
from .alt_bar import CSS as ALTERNATIVES_CSS
from .chat_pane import wire_chat
from .code import wire_code_panel
from .common import LABELS, AppContext, model_choices
from .compare_tab import wire_compare
from .continue_pane import wire_continue_offer
from .conversation_search import CSS as SEARCH_CSS
from .fields import field_inputs
from .frame_diffs import keep_every_update
from .free_skips import skip_for_free
from .gradio_analytics import LAUNCH_OPTIONS, without_gradio_analytics
from .gradio_login_check import login_check_on_the_loop
from .keys import wire_keys
from .layout import render_page
from .loading_status import HEAD_SCRIPT as LOADING_STATUS_SCRIPT
from .presenter import CSS as PRESENTER_CSS
from .presenter import HEAD_SCRIPT as PRESENTER_SCRIPT
from .presenter import wire_presenter
from .preset_picker import wire_presets
from .quiet_progress import untrack_quiet_progress
from .sessions import SessionReaper
from .share_panel import wire_share
from .sidebar import wire_sidebar
from .starters import EXAMPLE_PICTURES, wire_examples

# How often visitors waiting in the queue are told their place in it (queue_options).
STATUS_UPDATE_SECONDS = 1.0
# What Gradio's frontend says when the queue is full (gradio 6.31: queue_full).
GRADIO_BUSY = "This application is currently busy"
ASSETS = Path(__file__).resolve().parents[2] / "assets"
FAVICON = ASSETS / "favicon.svg"
# The page's own emoji in colour (a subset of Noto Color Emoji, built by tools/emoji_font.py),
# for machines without an emoji font. Last in the font stack: a browser fetches it only
# when no font before it can draw an emoji on the page.
EMOJI_FONT = ASSETS / "emoji.ttf"
EMOJI_RANGE = "U+2300-23FF, U+2600-27BF, U+2B00-2BFF, U+1F000-1FAFF"

# Chat messages (the chat's and the compare panes') are styled, laid out and painted
# only when near the view (content-visibility). On every update Gradio's Chatbot
# touches every message and then reads the chat's height to decide whether to follow
# the answer down, which forces style and layout of the whole conversation: in a long
# one, the page's largest cost per frame after the scripts (bench/). A row keeps its
# last drawn height as its placeholder (contain-intrinsic-size: auto), so the scroll
# bar and the scroll position do not jump; its text stays in the page (find, copy).
CHAT_ROWS = ".message-wrap > .message-row"
CHAT_ROWS_CSS = f"\n{CHAT_ROWS} {{ content-visibility: auto; contain-intrinsic-size: auto 160px; }}\n"

# Colours come from the theme's variables only, so the page holds in light and dark mode.
CSS = CHAT_ROWS_CSS + """
#reasoning-panel textarea { font-size: 0.85em; }
#usage-panel table { font-size: 0.9em; width: 100%; }
#usage-panel td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
footer { display: none !important; }
/* The capability hints (🧠 👁 💬) are emoji: the machine's colour emoji font draws them
   when it has one, else the app's own (EMOJI_FONT). Each one also stands beside words
   that say the same. */
.gradio-container, .gradio-container input, .gradio-container textarea, .gradio-container button {
  font-family: var(--font), "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", "sfui emoji"; }
/* The example prompts: only in an empty chat (Clear brings them back). */
#examples { align-items: center; flex-wrap: wrap; gap: 6px; }
#examples-title { flex: 0 0 auto; width: auto; min-width: 0; }
#examples .example-btn { flex: 0 1 auto; width: auto; }
#chat-tab:has(#chatbot [data-testid="user"]) #examples { display: none; }
/* While the key card is on top, an empty chat is shorter: the card, the examples, the
   box and Send all stay on the first screen. */
#main-column:has(#key-card) #chat-tab:not(:has(#chatbot [data-testid="user"])) #chatbot {
  height: 400px !important; max-height: 400px !important; }
/* A phone: the chat, the box and Send fit on the first screen; the side panels
   follow below; nothing scrolls sideways. */
@media (max-width: 640px) {
  #title h2 { font-size: 1.15em; margin: 0; }
  #chatbot { height: 42vh !important; max-height: 42vh !important; min-height: 220px; }
  #chatbot [data-testid="block-label"] { display: none; }  /* it would cover the first message */
  #main-column:has(#key-card) #chat-tab:not(:has(#chatbot [data-testid="user"])) #chatbot {
    height: 240px !important; max-height: 240px !important; min-height: 0; }
  /* One line of examples that scrolls sideways by itself, not the page. */
  #examples { flex-wrap: nowrap; overflow-x: auto; }
  #examples-title { display: none; }
  #examples .example-btn { flex: 0 0 auto; }
  #input-row { flex-wrap: nowrap; }
  #input-row > .column { min-width: 88px !important; }
  .gradio-container * { overflow-wrap: anywhere; }
}
#chatbot img.sfui-image { max-width: 100%; max-height: 360px; width: auto; height: auto; border-radius: 6px; }
#vision-notice { align-items: center; }
"""


def emoji_font_css() -> str:
    """The @font-face of the app's emoji font, served from Gradio's file route (a
    relative URL: the page may live under a path)."""
    return (f'@font-face {{ font-family: "sfui emoji"; src: url("gradio_api/file={EMOJI_FONT}") format("truetype");'
            f" unicode-range: {EMOJI_RANGE}; font-display: swap; }}\n")


def build_demo(settings: Settings | None = None) -> gr.Blocks:
    ctx = AppContext(settings or Settings.from_env())
    without_gradio_analytics()  # before gr.Blocks: its queue reads it
    keep_every_update()  # a streamed frame's update is never lost to the next frame's diff
    skip_for_free()  # a gr.skip() builds no new component
    gr.set_static_paths([str(EMOJI_FONT), *EXAMPLE_PICTURES])  # served as files, cached by the browser
    # The page's first list is for the visitors on the server's key: on the demo's limits,
    # only the models with a price.
    curated = ctx.offered(ctx.directory.get(ctx.client_for(None), None).ids, None)
    chat_model = ctx.settings.default_model
    if curated and ctx.offered([chat_model], None) == []:
        chat_model = curated[0]  # the default has no price: not on the demo's key
    # delete_cache: attached pictures are deleted once Send reads them; this sweeps the ones never sent.
    with gr.Blocks(title="sfui · SiliconFlow chat", fill_height=True, delete_cache=uploads.UPLOAD_SWEEP) as demo:
        page = render_page(model_choices(curated), default_models(chat_model, curated),
                           bool(ctx.settings.api_key))
        side = page.side
        example_sends = wire_examples(page.chat.examples, model=side.model, pending_message=page.chat.pending_message)
        chat_events = wire_chat(page.chat, ctx, page.stream_inputs(), [side.reasoning_panel, side.usage_panel],
                                sends=example_sends)
        wire_share(demo, page, ctx, chat_events)  # share links: before the sidebar, which saves Run again
        wire_presets(side.presets, temperature=side.fields["temperature"], top_p=side.fields["top_p"])
        wire_sidebar(page.sidebar, ctx, chat_events, chat=page.chat, reasoning_panel=side.reasoning_panel,
                     usage_panel=side.usage_panel, model=side.model, system_prompt=side.system_prompt,
                     fields=side.fields)
        wire_continue_offer(page.chat.continue_btn, ctx, chat_events.answered, hiding=continue_hiding(page))
        compare_answered = wire_compare(page.compare, ctx, system_prompt=side.system_prompt,
                                        fields=field_inputs(side.fields), key_state=page.keys.key_state)
        wire_code_panel(side.code, ctx, history=page.chat.history, user_input=page.chat.user_input, model=side.model,
                        system_prompt=side.system_prompt, fields=field_inputs(side.fields),
                        store=page.sidebar.store, current=page.sidebar.current)
        wire_keys(demo, page.keys, ctx, model=side.model, model_hint_md=side.model_hint, usage_panel=side.usage_panel,
                  other_models=page.compare.models, answered=[*chat_events.answered, *compare_answered])
        wire_presenter(demo, page.presenter, ctx.settings, chat_input=page.chat.user_input, model=side.model,
                       tabs=page.tabs, compare_input=page.compare.user_input, compare_models=page.compare.models)
    untrack_quiet_progress(demo)  # the browser tracks only the progress it shows
    # Lets go of idle sessions (SFUI_SESSION_TTL) once launched: launch_options(settings, demo).
    demo.sfui_reaper = SessionReaper(ctx)  # type: ignore[attr-defined]
    return demo


def continue_hiding(page: Any) -> list:
    """The triggers after which the chat shows another conversation, or none: Continue hides."""
    chat, bar = page.chat, page.sidebar
    return [chat.clear_btn.click, chat.chatbot.clear, chat.chatbot.undo, bar.new_btn.click, bar.listing.select,
            bar.delete_btn.click, bar.undo_delete_btn.click]


def default_models(chat_model: str, offered: list[str] | tuple[str, ...] = DEFAULT_MODELS) -> list[str | None]:
    """The chat's model, then the compare slots': the chat's model against the next
    curated one (of those ``offered``), slots 3 and 4 empty."""
    other = next((m for m in DEFAULT_MODELS if m != chat_model and m in offered),
                 next(m for m in DEFAULT_MODELS if m != chat_model))
    return [chat_model, chat_model, other, None, None]


def _lifespan(reaper: Any) -> Any:
    """The app's lifespan: Gradio's login check on the loop (sfui/ui/gradio_login_check.py),
    then, with the ``demo`` build_demo made, its sessions' reaper (sfui/ui/sessions.py)."""
    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        login_check_on_the_loop(app)
        async with (reaper.lifespan(app) if reaper is not None else contextlib.nullcontext()):
            yield

    return lifespan


def launch_options(settings: Settings | None = None, demo: gr.Blocks | None = None) -> dict[str, Any]:
    """Keyword arguments for ``demo.launch``. Host and port come from
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, which Gradio reads itself. With the ``demo``
    build_demo made, idle sessions are let go while it serves (sfui/ui/sessions.py)."""
    settings = settings or Settings()
    reaper = getattr(demo, "sfui_reaper", None)
    # The visitor's address is sfui's to work out (SFUI_TRUSTED_PROXIES, sfui/visitors.py):
    # uvicorn must not replace the connection's own address by a header first (it would
    # believe any X-Forwarded-For sent from 127.0.0.1).
    os.environ["FORWARDED_ALLOW_IPS"] = ""
    skip_missing_matplotlib()
    return dict(
        theme=gr.themes.Soft(),
        css=emoji_font_css() + CSS + PRESENTER_CSS + ALTERNATIVES_CSS + SEARCH_CSS + html_preview.CSS,
        favicon_path=str(FAVICON),
        # Gradio serves favicon_path at /favicon.ico without naming it in the page; an
        # SVG icon is then taken only if the page says what it is. Relative: the page
        # may live under a path (a proxy, a Space).
        head=('<link rel="icon" type="image/svg+xml" href="favicon.ico">' + queue_busy_script() + PRESENTER_SCRIPT
              + html_preview.head_script() + LOADING_STATUS_SCRIPT),
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
        app_kwargs={"lifespan": _lifespan(reaper)},
        **LAUNCH_OPTIONS,  # Gradio's monitoring routes: off (sfui/ui/gradio_analytics.py)
    )


def skip_missing_matplotlib() -> None:
    """Gradio tries ``import matplotlib`` twice for every call of a step, each frame of a
    stream included (to set its backend around the call). Without matplotlib each try
    searches the whole import path again (a failed import is not remembered): ~40 µs of
    file lookups per try, on the event loop. Marked missing once, a try fails at once."""
    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]


def startup_lines(settings: Settings) -> list[str]:
    """What the owner reads at start-up about the demo's limits (sfui/budget_limits.py)."""
    prices = settings.price_list()
    return describe(settings.limits(prices), prices.currency, bool(settings.api_key), bool(prices.prices))


def queue_options(settings: Settings | None = None) -> dict[str, Any]:
    """``demo.queue``'s options: SFUI_QUEUE_SIZE caps the events waiting (beyond it, a
    visitor is told the demo is busy at once instead of waiting without end)."""
    settings = settings or Settings()
    queue_size = settings.limits(settings.price_list()).queue_size
    return dict(default_concurrency_limit=settings.concurrency_limit, max_size=queue_size or None,
                # Waiting visitors hear their place in the queue every second. Gradio's default
                # ("auto") tells every waiting visitor again each time an event starts: for N
                # visitors arriving at once, N²/2 messages while the first ones start.
                status_update_rate=STATUS_UPDATE_SECONDS)


def queue_busy_script() -> str:
    """Gradio's frontend says "This application is currently busy" in English when the
    queue is full: the page says sfui's own words instead, in the browser's language."""
    texts = json.dumps({"en": t("en", "queue_busy"), "zh": t("zh", "queue_busy")}, ensure_ascii=False)
    return f"""<script>(() => {{
  const texts = {texts};
  const busy = (navigator.language || "en").toLowerCase().startsWith("zh") ? texts.zh : texts.en;
  const swap = (root) => {{
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
      if (node.nodeValue.includes("{GRADIO_BUSY}")) node.nodeValue = busy;
    }}
  }};
  new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {{
    if (node.nodeType === 1) swap(node); else if (node.nodeType === 3 && node.parentNode) swap(node.parentNode);
  }}))).observe(document.documentElement, {{ childList: true, subtree: true }});
}})();</script>"""
