"""Share links (sfui/share.py): the chat's and Compare's share buttons, the link and its QR
code, opening a link (the banner and Run again), and the page-side script that reads one.

The server never receives a link's fragment. Making a link, the page sends its address
without the fragment; the server builds the fragment from the page's own state. Opening a
link, a script on page load reads ``location.hash``, removes it from the address bar
(history.replaceState: a reload then does not open the link again), decompresses it
(DecompressionStream "deflate-raw") and parses the JSON; only that object (or the name of
what was wrong with it) goes to the server, which checks it as an imported file is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from .. import share
from ..chat import truncate_for_retry
from ..chat_request import ChatRequest, refusal
from ..compare import MAX_SLOTS
from ..i18n import t
from ..params import FIELDS, Controls, InputError
from ..qr import qr_svg
from .chat_handlers import CHAT_VIEW_OUTPUTS, PANE_OUTPUTS, ChatHandlers, PaneFrames, Refused, chat_view
from .common import AppContext, as_text, label, lang_of, unchanged
from .sessions import came_back

# The page's address without its fragment: where a new link points.
BASE_JS = "() => location.href.split('#')[0]"

# On page load: the link's fragment, decoded in the browser, or null (no link), or
# {sfui_share_error: what} when it cannot be decoded. The server never sees the fragment.
READ_JS = """async () => {
  const hash = location.hash || '';
  if (!hash.startsWith('PREFIX')) return null;
  const total = location.href.length;
  history.replaceState(history.state, '', location.pathname + location.search);
  const fail = (what) => ({ERROR_KEY: what});
  if (total > MAX_LINK) return fail('too_long');
  let bytes;
  try {
    const b64 = hash.slice(PREFIX_LEN).replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - b64.length % 4) % 4));
    bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch (e) { return fail('base64'); }
  const chunks = [];
  let size = 0;
  try {
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_DECODED) { reader.cancel().catch(() => {}); return fail('too_large'); }
      chunks.push(value);
    }
  } catch (e) { return fail('deflate'); }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) { all.set(chunk, at); at += chunk.length; }
  try {
    const value = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(all));
    return value === null ? fail('json') : value;
  } catch (e) { return fail('json'); }
}"""
for _name, _value in (("PREFIX_LEN", len(share.PREFIX)), ("PREFIX", share.PREFIX), ("MAX_LINK", share.MAX_LINK_CHARS),
                      ("MAX_DECODED", share.MAX_DECODED_BYTES), ("ERROR_KEY", share.ERROR_KEY)):
    READ_JS = READ_JS.replace(_name, str(_value))

# A Compare link opens the Compare tab.
SHOW_COMPARE_JS = """(kind) => {
  if (kind !== 'compare') return;
  const button = document.querySelector('#compare-tab-button')
    || [...document.querySelectorAll('#tabs [role=tab]')].find((b) => b.id && b.id.startsWith('compare'))
    || document.querySelectorAll('#tabs [role=tab]')[1];
  if (button) button.click();
}"""


@dataclass
class ChatShare:
    """The chat's share row, link and QR code, and the banner of an opened link."""

    banner_row: gr.Row
    banner: gr.Markdown
    run_btn: gr.Button
    with_answers: gr.Checkbox
    share_btn: gr.Button
    link: gr.Textbox
    qr: gr.HTML
    note: gr.Markdown
    base: gr.Textbox  # the page's address, from the browser
    payload: gr.JSON  # an opened link's decoded JSON, from the browser
    kind: gr.Textbox  # the opened link's kind, for the script that shows Compare
    shared: gr.State  # the opened link, checked (share.Shared.to_state): what Run again sends


@dataclass
class CompareShare:
    with_answers: gr.Checkbox
    share_btn: gr.Button
    banner: gr.Markdown
    link: gr.Textbox
    qr: gr.HTML
    note: gr.Markdown


_RENDERED: list[CompareShare] = []  # the Compare tab's row, until wire_share takes it


def render_banner() -> tuple[gr.Row, gr.Markdown, gr.Button]:
    """The banner of an opened link (or of a link that could not be opened), above the chat."""
    with gr.Row(visible=False, elem_id="shared-banner-row") as row:
        banner = gr.Markdown(elem_id="shared-banner")
        run_btn = gr.Button(label("label_share_run"), variant="primary", size="sm", scale=0, min_width=140,
                            visible=False, elem_id="share-run-btn")
    return row, banner, run_btn


def render_chat_share(banner: tuple) -> ChatShare:
    """The share row under the chat's box; ``banner``: render_banner()'s."""
    with gr.Row(elem_id="share-row"):
        with_answers = gr.Checkbox(True, label=label("label_share_with_answers"),
                                   info=label("help_share_with_answers"), elem_id="share-with-answers", scale=3)
        share_btn = gr.Button(label("label_share"), size="sm", scale=1, min_width=140, elem_id="share-btn")
    link = gr.Textbox(label=label("label_share_link"), visible=False, interactive=False, buttons=["copy"],
                      elem_id="share-link")
    qr = gr.HTML(visible=False, elem_id="share-qr")
    note = gr.Markdown(elem_id="share-note")
    base = gr.Textbox(visible=False, elem_id="share-base")
    payload = gr.JSON(visible=False, elem_id="share-payload")
    kind = gr.Textbox(visible=False, elem_id="share-kind")
    return ChatShare(*banner, with_answers, share_btn, link, qr, note, base, payload, kind, gr.State(None))


def render_compare_share() -> CompareShare:
    """Compare's share button, its link and QR code (wired by wire_share)."""
    with gr.Row(elem_id="compare-share-row"):
        with_answers = gr.Checkbox(True, label=label("label_share_with_answers"),
                                   info=label("help_compare_share_with_answers"),
                                   elem_id="compare-share-with-answers", scale=2)
        share_btn = gr.Button(label("label_compare_share"), size="sm", scale=0, min_width=200,
                              elem_id="compare-share-btn")
        banner = gr.Markdown(elem_id="compare-shared-banner")
    link = gr.Textbox(label=label("label_share_link"), visible=False, interactive=False, buttons=["copy"],
                      elem_id="compare-share-link")
    qr = gr.HTML(visible=False, elem_id="compare-share-qr")
    note = gr.Markdown(elem_id="compare-share-note")
    row = CompareShare(with_answers, share_btn, banner, link, qr, note)
    _RENDERED.append(row)
    return row


# --- handlers ----------------------------------------------------------------------------------


def link_outputs(base: Any, document: dict, lang: str, pictures: int, answers: bool | None) -> tuple:
    """The link, its QR code and the note under them; or a refusal (hidden link, a note why)."""
    hidden = gr.update(value="", visible=False)
    try:
        link = share.make_link(as_text(base) or "", document)
    except InputError as exc:
        message = t(lang, "share_refused", problem=exc.problem(lang))
        gr.Warning(message, duration=15)
        return hidden, hidden, message
    qr = None
    if share.fits_qr(link):
        try:
            qr = qr_svg(link)
        except ValueError:
            qr = None
    parts = [t(lang, "share_ready", length=f"{len(link):,}", answers="" if answers is None else
               t(lang, "share_ready_answers" if answers else "share_ready_no_answers"))]
    if pictures:
        parts.append(t(lang, "share_pictures_left_out", count=pictures))
    if qr is None:
        parts.append(t(lang, "share_no_qr", length=f"{len(link):,}", limit=f"{share.MAX_QR_CHARS:,}"))
    qr_update = gr.update(value=qr, visible=True) if qr else hidden
    return gr.update(value=link, visible=True), qr_update, "\n\n".join(parts)


def _refused(lang: str, exc: InputError) -> tuple:
    message = t(lang, "share_refused", problem=exc.problem(lang))
    gr.Warning(message, duration=15)
    hidden = gr.update(value="", visible=False)
    return hidden, hidden, message


def field_values(params: dict) -> list:
    """Every request control's value (table order) that sends ``params``."""
    values = Controls(**share.controls_for(params)).values
    return [values[f.name] for f in FIELDS]


class ShareHandlers:
    def __init__(self, ctx: AppContext, chat: ChatHandlers) -> None:
        self.ctx = ctx
        self.chat = chat

    def make_chat_link(self, request: gr.Request, base, with_answers, history, model, system_prompt, *fields):
        """Outputs: the link, the QR code, the note."""
        lang = lang_of(request)
        try:
            params = Controls.from_values(fields).to_params()
            model_id = (as_text(model) or "").strip() or self.ctx.settings.default_model
            document = share.chat_document(history or [], model_id, as_text(system_prompt), params,
                                            bool(with_answers))
        except InputError as exc:
            return _refused(lang, exc)
        return link_outputs(base, document, lang, document["left_out"]["pictures"], bool(with_answers))

    def make_compare_link(self, request: gr.Request, base, with_answers, round_state, system_prompt, *fields):
        """Outputs: the link, the QR code, the note. The round's slots and its last question,
        and ``with_answers`` each pane's conversation, labelled as the page shows it."""
        from ..compare_round import CompareRound

        lang = lang_of(request)
        round_ = CompareRound.from_state(round_state)
        try:
            histories = round_.kept_histories() if round_ is not None else []
            questions = [m for m in (histories[0] if histories else []) if isinstance(m, dict)
                         and m.get("role") == "user"]
            if round_ is None or not questions:
                raise InputError("share_nothing")
            params = Controls.from_values(fields).to_params()
            slots = [(slot.model, "" if slot.temperature is None else f"{slot.temperature:g}")
                     for slot in round_.slots]
            panes = list(zip(round_.pane_names(lang), histories[:round_.count], strict=True)) \
                if with_answers else None
            document = share.compare_document(slots, round_.samples, as_text(system_prompt), params,
                                              questions[-1].get("content"), panes)
        except InputError as exc:
            return _refused(lang, exc)
        return link_outputs(base, document, lang, document["left_out"]["pictures"], bool(with_answers))

    def open_link(self, request: gr.Request, payload):
        """Outputs (open_outputs' order): the chat's view, the panels, the open conversation's
        id, model, system prompt, every field, Compare's models, temperatures, samples and box,
        the banner row, banner, Run again, Compare's banner, the link kept, its kind."""
        count = OPEN_OUTPUTS
        if payload is None:
            return unchanged(count)
        lang = lang_of(request)
        try:
            shared = share.validate(payload)
            fields = field_values(shared.params)
        except InputError as exc:
            message = t(lang, "share_open_failed", problem=exc.problem(lang))
            gr.Warning(message, duration=20)
            return (*unchanged(count - 6), gr.update(visible=True), message, gr.update(visible=False),
                    *unchanged(3))
        skip_compare = unchanged(4 * MAX_SLOTS + 2)
        if shared.kind == "compare":
            compare = compare_view(shared)
            models = ", ".join(f"`{m}`" for m, _ in shared.slots)
            banner = t(lang, "share_banner_compare_answers" if shared.panes else "share_banner_compare",
                       models=models)
            notes = self._pictures(shared, lang)
            return (*unchanged(PANE_OUTPUTS + 1), gr.skip(), shared.system_prompt, *fields, *compare, gr.skip(),
                    gr.skip(), gr.skip(), banner + notes, shared.to_state(), "compare")
        answers = "" if shared.answers else t(lang, "share_banner_no_answers")
        banner = t(lang, "share_banner", model=shared.model, answers=answers) + self._pictures(shared, lang)
        return (*chat_view(shared.messages, lang), "", t(lang, "usage_empty"), None, shared.model,
                shared.system_prompt, *fields, *skip_compare, gr.update(visible=True), banner,
                gr.update(visible=True), gr.skip(), shared.to_state(), "chat")

    @staticmethod
    def _pictures(shared: share.Shared, lang: str) -> str:
        if not shared.pictures_left_out:
            return ""
        return "\n\n" + t(lang, "share_pictures_left_out", count=shared.pictures_left_out)

    async def run_again(self, shared_state, visitor_key, request: gr.Request):
        """The link's request sent again (its model, fields, system prompt and messages up to
        the last question), on the visitor's key or within the demo's budget
        (ChatHandlers.stream_reply). Outputs: the chat's view and the two panels."""
        lang, session = lang_of(request), request.session_hash
        if came_back(self.ctx, session, lang):  # idle past SFUI_SESSION_TTL: the opened link was let go too
            yield unchanged(5)
            return
        shared = share.Shared.from_state(shared_state)
        if shared is None or shared.kind != "chat":
            gr.Warning(t(lang, "share_run_nothing"), duration=10)
            yield unchanged(PANE_OUTPUTS)
            return
        controls = Controls(**share.controls_for(shared.params))
        ask = ChatRequest(shared.model, shared.system_prompt, controls, visitor_key or None,
                          visitor=self.ctx.visitor(request))
        problem = refusal(ask, lang, key_set=self.chat.key_set(ask))
        if problem or self.ctx.runs.busy(session):
            gr.Warning(problem or t(lang, "busy_toast"), duration=15)
            yield unchanged(PANE_OUTPUTS)
            return
        pane = PaneFrames(self.chat.chatbot, lang, 0, serialize=False)
        async for frame in self.chat.stream_reply(truncate_for_retry(shared.messages), ask, lang, session):
            if isinstance(frame, Refused):  # the demo's limits (a toast said why)
                break
            yield pane.frame(frame)
        if not pane.started:
            yield unchanged(PANE_OUTPUTS)


def compare_view(shared: share.Shared) -> tuple:
    """Compare's inputs as a Compare link sets them: each slot's model, each slot's
    temperature, the samples, the question; then each pane (its label and conversation, or
    emptied) and each pane's column (shown when the link has that pane's answers)."""
    models = [m for m, _ in shared.slots]
    slots = list(shared.slots) + [("", "")] * (MAX_SLOTS - len(shared.slots))
    panes = list(shared.panes)[:MAX_SLOTS]
    pane_updates = [gr.update(label=pane_label, value=messages) for pane_label, messages in panes]
    pane_updates += [gr.update(value=[]) if panes else gr.skip() for _ in range(MAX_SLOTS - len(panes))]
    columns = [gr.update(visible=i < len(panes)) if panes else gr.skip() for i in range(MAX_SLOTS)]
    return (*(gr.update(value=m) for m in models + [None] * (MAX_SLOTS - len(models))),
            *(temp for _, temp in slots), shared.samples, shared.question, *pane_updates, *columns)


# The open step's outputs: chat view, panels (2), sidebar's open id, model, system prompt,
# the fields, Compare's slots (2 per slot), samples, box, panes and their columns, then the
# banner row, banner, Run again, Compare's banner, the link kept and its kind.
OPEN_OUTPUTS = CHAT_VIEW_OUTPUTS + 5 + len(FIELDS) + 4 * MAX_SLOTS + 2 + 6


# --- wiring -------------------------------------------------------------------------------------


def wire_share(demo: gr.Blocks, page: Any, ctx: AppContext, chat_events: Any) -> None:
    """The share buttons, opening a link on page load, and Run again (added to the chat's
    ``chat_events.answered``, so it is saved and the balance follows, as after Send).
    ``page``: sfui.ui.layout.Page."""
    chat, side, compare = page.chat, page.side, page.compare
    box = chat.share
    handlers = ShareHandlers(ctx, ChatHandlers(ctx, chat.chatbot))
    fields = [side.fields[f.name] for f in FIELDS]
    quick = dict(api_visibility="private", show_progress="hidden")
    share_outputs = [box.link, box.qr, box.note]
    box.share_btn.click(None, None, [box.base], js=BASE_JS, queue=False).then(
        handlers.make_chat_link, [box.base, box.with_answers, chat.history, side.model, side.system_prompt, *fields],
        share_outputs, **quick)
    if _RENDERED:
        row = _RENDERED.pop()
        row.share_btn.click(None, None, [box.base], js=BASE_JS, queue=False).then(
            handlers.make_compare_link, [box.base, row.with_answers, compare.round, side.system_prompt, *fields],
            [row.link, row.qr, row.note], **quick)
        compare_banner: Any = row.banner
    else:
        compare_banner = gr.State(None)
    open_outputs = [*chat.view_outputs(), side.reasoning_panel, side.usage_panel, page.sidebar.current, side.model,
                    side.system_prompt, *fields, *compare.models, *compare.temperatures, compare.samples,
                    compare.user_input, *compare.panes, *compare.columns, box.banner_row, box.banner, box.run_btn,
                    compare_banner, box.shared, box.kind]
    # The fragment is read in the browser; only a page opened with a link reaches the server
    # (the payload changes), an ordinary page load makes no request for it.
    demo.load(None, None, [box.payload], js=READ_JS, queue=False)
    # Its progress is hidden and tracked nowhere (sfui/ui/quiet_progress.py).
    box.payload.change(handlers.open_link, [box.payload], open_outputs, queue=False, **quick).then(
        None, [box.kind], None, js=SHOW_COMPARE_JS, queue=False)
    ran = box.run_btn.click(
        handlers.run_again, [box.shared, page.keys.key_state], [*chat.view_outputs(), side.reasoning_panel,
                                                                side.usage_panel],
        api_visibility="private", concurrency_limit=ctx.settings.concurrency_limit, concurrency_id="chat",
        show_progress="minimal", show_progress_on=[chat.chatbot])
    chat_events.answered.append(ran)
