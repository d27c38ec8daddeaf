"""Presenter mode, for showing models to a room: ``present-btn`` (or ``?present=1`` in the
address) puts a class on the page's root element, and the page's CSS (:data:`CSS`) does
the rest at once, with no server round trip: larger type, the key card and bar, the side
column (model, parameters, reasoning, usage, View code) and the Compare tab's parameters
hidden, the chat and Compare's panes across the whole width. Thinking stays visible as
the chat's thinking bubble.

The deck (``deck``, ``deck-prev-btn``, ``deck-next-btn``, and the arrow keys) steps through
the prepared prompts (sfui/presenter.py): each goes into the message box, with its model
picked (or, for a Compare entry, into the Compare tab with its slots filled), and the box
takes the focus, so Enter sends it. ``present-qr`` is a QR code of the page's public
address (SFUI_PUBLIC_URL, else the address the page was opened at, without its query and
fragment), for the audience's phones.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..compare import MAX_SLOTS
from ..config import Settings
from ..i18n import t
from ..presenter import Deck, DeckEntry, load_deck
from ..qr import qr_svg
from .common import label, lang_of

PRESENT_CLASS = "sfui-present"
MAX_URL_CHARS = 2000
CHAT_TAB, COMPARE_TAB = "chat", "compare"  # the tabs' ids (sfui/ui/layout.py)

TOGGLE_JS = f"""() => {{
  const on = document.documentElement.classList.toggle('{PRESENT_CLASS}');
  const button = document.getElementById('present-btn');
  if (button) button.setAttribute('aria-pressed', String(on));
  return window.location.origin + window.location.pathname;
}}"""
# The page's address for the QR code: without its query (?present=1) and fragment. Given
# only in presenter mode: the deck and the QR code are drawn (one server step) the first time
# presenter mode is on, never on an ordinary page load.
PAGE_URL = "window.location.origin + window.location.pathname"
LOAD_URL_JS = f"() => document.documentElement.classList.contains('{PRESENT_CLASS}') ? {PAGE_URL} : null"
# The prompt the deck shows (the arrow keys step on while a box holds it unchanged).
DECK_PROMPT_JS = "(document.querySelector('#deck .sfui-deck-prompt') || {}).textContent"
# After a deck step: the box that got the prompt takes the focus (Enter sends it), the cursor at its end.
FOCUS_BOX_JS = f"""() => {{
  let tries = 0;
  const focus = () => {{
    const prompt = {DECK_PROMPT_JS};
    const box = [...document.querySelectorAll('#compare-input textarea, #user-input textarea')]
      .find((el) => el.offsetParent !== null && el.value === prompt);
    if (!box) {{ if (++tries < 60) setTimeout(focus, 50); return; }}
    box.focus();
    box.selectionStart = box.selectionEnd = box.value.length;
  }};
  focus();
}}"""

# In the page's <head>: ?present=1 turns presenter mode on before the page is drawn; in
# presenter mode ← and → step through the deck unless the focus is in a text box that holds
# something else than the deck's prompt (an edited prompt keeps its arrow keys).
HEAD_SCRIPT = f"""<script>(() => {{
  const root = document.documentElement;
  const flag = new URLSearchParams(window.location.search).get('present');
  const on = ['1', 'true', 'yes', 'on', ''];
  if (flag !== null && on.includes(flag.toLowerCase())) root.classList.add('{PRESENT_CLASS}');
  const untouched = (el) => !(el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))
    || (el.closest('#user-input, #compare-input') && (el.value === '' || el.value === {DECK_PROMPT_JS}));
  document.addEventListener('keydown', (event) => {{
    const id = {{ArrowLeft: 'deck-prev-btn', ArrowRight: 'deck-next-btn'}}[event.key];
    if (!id || !root.classList.contains('{PRESENT_CLASS}')) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || !untouched(event.target)) return;
    const button = document.getElementById(id);
    if (!button) return;
    event.preventDefault();
    button.click();
  }}, true);
}})();</script>"""

_ON = f"html.{PRESENT_CLASS}"
CSS = f"""
html:not(.{PRESENT_CLASS}) #presenter-bar {{ display: none !important; }}
#title-row {{ align-items: center; }}
#present-btn {{ flex: 0 0 auto; }}
{_ON} #side-column, {_ON} #key-card, {_ON} #key-bar, {_ON} #key-status, {_ON} #examples,
{_ON} [id^="compare-temperature-"], {_ON} #compare-n, {_ON} #compare-blind {{ display: none !important; }}
{_ON} #main-column {{ flex: 1 1 100% !important; max-width: 100% !important; }}
{_ON} #chatbot .message-row, {_ON} [id^="compare-pane-"] .message-row,
{_ON} #user-input textarea, {_ON} #compare-input textarea {{ font-size: 1.5rem !important; line-height: 1.45; }}
{_ON} #chatbot .message-row *, {_ON} [id^="compare-pane-"] .message-row * {{ font-size: inherit; }}
{_ON} #chatbot {{ height: 68vh !important; max-height: 68vh !important; }}
#presenter-bar {{ align-items: center; gap: 12px; }}
#deck {{ font-size: 1.15rem; }}
#deck .sfui-deck-meta {{ opacity: 0.75; margin-left: 0.6em; }}
#deck .sfui-deck-prompt {{ margin-top: 4px; max-height: 4.5em; overflow: hidden; }}
#present-qr figure {{ margin: 0; text-align: center; }}
#present-qr svg {{ width: 150px; height: 150px; }}
#present-qr figcaption {{ font-size: 0.85rem; overflow-wrap: anywhere; }}
@media (max-width: 640px) {{
  {_ON} #chatbot {{ height: 55vh !important; max-height: 55vh !important; }}
  #present-qr svg {{ width: 110px; height: 110px; }}
}}
"""


@dataclass
class PresenterArea:
    present_btn: gr.Button
    bar: gr.Row  # the deck and the QR code, shown only in presenter mode (CSS)
    deck: gr.HTML
    prev_btn: gr.Button
    next_btn: gr.Button
    qr: gr.HTML
    page_url: gr.JSON  # hidden: the address the page was opened at, from the browser
    position: gr.Number  # hidden: the deck's entry in the box (-1: none yet), moved by the browser


def render_present_button() -> gr.Button:
    return gr.Button(label("label_present"), size="sm", scale=0, min_width=120, elem_id="present-btn")


def render_presenter_bar(present_btn: gr.Button) -> PresenterArea:
    with gr.Row(elem_id="presenter-bar", equal_height=False) as bar:
        with gr.Column(scale=4, min_width=300):
            deck = gr.HTML(elem_id="deck")
            with gr.Row():
                prev_btn = gr.Button(label("label_deck_prev"), size="sm", elem_id="deck-prev-btn")
                next_btn = gr.Button(label("label_deck_next"), size="sm", variant="primary", elem_id="deck-next-btn")
        with gr.Column(scale=0, min_width=180):
            qr = gr.HTML(elem_id="present-qr", min_height=0)
    page_url = gr.JSON(visible=False, elem_id="present-url")
    position = gr.Number(-1, visible=False, precision=0, elem_id="deck-position")
    return PresenterArea(present_btn, bar, deck, prev_btn, next_btn, qr, page_url, position)


def step_js(step: int, entries: int) -> str:
    """A press of Previous (``step`` -1) or Next (+1), in the browser: the deck's position moves
    at once, so every press counts however quickly they come (the server then shows the entry
    they reached). The page keeps the position too (``sfuiDeckPosition``): Gradio reads a
    step's inputs before it runs, so presses within one moment would all read the same one.
    From none yet, either goes to the first entry; the ends hold."""
    return f"""(position) => {{
  const held = Number.isInteger(window.sfuiDeckPosition) ? window.sfuiDeckPosition : position;
  const current = Number.isInteger(held) ? held : -1;
  const moved = {entries} === 0 ? -1 : current < 0 ? 0 : Math.max(0, Math.min(current + ({step}), {entries} - 1));
  window.sfuiDeckPosition = moved;
  return moved;
}}"""


def deck_html(deck: Deck, index: int, lang: str) -> str:
    """The deck's line: "3 / 8", the entry's model(s), and its prompt (escaped)."""
    if not deck.entries:
        return f'<div class="sfui-deck">{html.escape(t(lang, "present_deck_empty"))}</div>'
    if index < 0:
        return f'<div class="sfui-deck">{html.escape(t(lang, "present_deck_start", total=len(deck)))}</div>'
    entry = deck.entries[index]
    meta = ""
    if entry.compare:
        meta = t(lang, "present_deck_compare", models=", ".join(entry.compare))
    elif entry.model:
        meta = t(lang, "present_deck_model", model=entry.model)
    position = t(lang, "present_deck_position", index=index + 1, total=len(deck))
    return (f'<div class="sfui-deck"><strong class="sfui-deck-position">{html.escape(position)}</strong>'
            f'<span class="sfui-deck-meta">{html.escape(meta)}</span>'
            f'<div class="sfui-deck-prompt">{html.escape(entry.text(lang))}</div>'
            f'<div class="sfui-deck-hint"><small>{html.escape(t(lang, "present_deck_hint"))}</small></div></div>')


def qr_html(url: str, lang: str) -> str:
    """A QR code of ``url`` with its caption, or why there is none."""
    shown = html.escape(url)
    try:
        svg = qr_svg(url)
    except ValueError:
        return f"<p>{html.escape(t(lang, 'present_qr_too_long', url=url[:200]))}</p>"
    caption = html.escape(t(lang, "present_qr_caption"))
    return f'<figure>{svg}<figcaption>{caption}<br><a href="{shown}">{shown}</a></figcaption></figure>'


def page_address(public_url: str | None, browser_url: Any) -> str | None:
    """The address the QR code shows: SFUI_PUBLIC_URL, else the page's own (an http(s)
    address the browser sent; anything else is ignored)."""
    if public_url:
        return public_url
    url = str(browser_url or "").strip()
    if not url.startswith(("http://", "https://")) or len(url) > MAX_URL_CHARS:
        return None
    return url


class PresenterHandlers:
    def __init__(self, deck: Deck, public_url: str | None) -> None:
        self.deck = deck
        self.public_url = public_url

    def on_load(self, browser_url: Any, request: gr.Request) -> tuple[str, str]:
        """The deck's first line and the QR code, in the visitor's language."""
        lang = lang_of(request)
        url = page_address(self.public_url, browser_url)
        return deck_html(self.deck, -1, lang), (qr_html(url, lang) if url else "")

    def deck_show(self, position: Any, request: gr.Request) -> tuple:
        """The entry at ``position`` (the browser moved it: :func:`step_js`) where it goes,
        and the deck's line."""
        index = self.deck.clamp(int(position)) if isinstance(position, (int, float)) and position >= 0 else -1
        lang = lang_of(request)
        if index < 0:
            return (deck_html(self.deck, index, lang), *(gr.skip(),) * (4 + MAX_SLOTS))
        return (deck_html(self.deck, index, lang), *entry_updates(self.deck.entries[index], lang))


def entry_updates(entry: DeckEntry, lang: str) -> tuple:
    """The chat's box, the model, the tabs, Compare's box and its slots, for ``entry``."""
    text = entry.text(lang)
    if entry.compare:
        slots = [*entry.compare, *[None] * (MAX_SLOTS - len(entry.compare))]
        return (gr.skip(), gr.skip(), gr.Tabs(selected=COMPARE_TAB), text, *slots)
    model = entry.model if entry.model else gr.skip()
    return ({"text": text, "files": []}, model, gr.Tabs(selected=CHAT_TAB), gr.skip(), *(gr.skip(),) * MAX_SLOTS)


def wire_presenter(demo: gr.Blocks, area: PresenterArea, settings: Settings, *, chat_input: gr.MultimodalTextbox,
                   model: gr.Dropdown, tabs: gr.Tabs, compare_input: gr.Textbox, compare_models: list) -> None:
    """The present button (in the browser only), the deck's steps and the QR code on load."""
    handlers = PresenterHandlers(load_deck(settings.deck_file), settings.public_url)
    quick = dict(queue=False, api_visibility="private", show_progress="hidden")
    # The page's address lands in page_url when presenter mode first comes on (the button, or
    # ?present=1 at load); its change draws the deck and the QR code, once.
    area.present_btn.click(None, None, [area.page_url], js=TOGGLE_JS, queue=False)
    demo.load(None, None, [area.page_url], js=LOAD_URL_JS, queue=False)
    area.page_url.change(handlers.on_load, [area.page_url], [area.deck, area.qr], **quick)
    outputs = [area.deck, chat_input, model, tabs, compare_input, *compare_models]
    # Each press moves the position in the browser at once; then the server shows the entry
    # there, "always_last": presses while it does collapse into one showing, of the position
    # they reached (read when it starts), so three quick presses go three entries on. One at a
    # time (a showing takes a moment): showings that did start together end in their order.
    showing = {**quick, "queue": True, "trigger_mode": "always_last", "concurrency_limit": 1,
               "concurrency_id": "deck"}
    for button, step in ((area.prev_btn, -1), (area.next_btn, 1)):
        moved = button.click(None, [area.position], [area.position], js=step_js(step, len(handlers.deck)),
                             queue=False)
        moved.then(handlers.deck_show, [area.position], outputs, **showing).then(
            None, None, None, js=FOCUS_BOX_JS, queue=False)
