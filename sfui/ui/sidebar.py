"""The conversation sidebar: this browser's saved conversations, kept in the
browser (gr.BrowserState, never on the server), with New, search (in the browser:
conversation_search.py), open (with the settings of the last answer), rename,
delete (with undo), the storage line (from the page's measure: storage_meter.py),
and export/import.

A conversation is saved after each answer ends and after Undo, never from the
streaming step (the whole store travels with every event that takes it). Export
builds the file's text on the server and hands it to the browser, which saves
it; import reads the file in the browser and sends its text. Neither touches the
server's disk. The API key is never part of a conversation.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import gradio as gr

from .. import conversation_files, conversation_format, conversations, storage_room
from ..chat import awaiting_answer
from ..conversation_settings import RESTORED_FIELDS, reopen_settings
from ..i18n import t
from ..params import InputError
from .chat_handlers import CHAT_VIEW_OUTPUTS, chat_view
from .chat_pane import ChatArea
from .common import AFTER_EACH, AppContext, label, lang_of
from .conversation_search import render_search, wire_search
from .storage_meter import render_storage_meter, room_of, wire_storage_meter

STORAGE_KEY = "sfui-conversations"
# BrowserState encrypts with this; it is published in /config, so it protects
# nothing, but a fixed one keeps saved conversations readable across restarts.
STORAGE_SECRET = "sfui-conversations-v1"

# The browser side of Export: save the text the server prepared as a file.
DOWNLOAD_JS = """(text, name) => {
    if (!text) return;
    const type = name.endsWith('.json') ? 'application/json' : 'text/markdown';
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], {type: type + ';charset=utf-8'}));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}"""

# The browser side of Import: pick a file and read it as text; a file over the
# limit is not read at all (its size is sent instead, for the message).
IMPORT_JS = """() => new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.id = 'import-file';
    input.style.display = 'none';
    input.onchange = () => {
        const file = input.files[0];
        input.remove();
        if (!file) return resolve('');
        if (file.size > %(limit)d) return resolve('%(too_large)s' + file.size);
        file.text().then(resolve, () => resolve(''));
    };
    document.body.appendChild(input);
    input.click();
})"""
TOO_LARGE = "\u0000too-large:"

# A conversation opened (reopened, imported, restored) shows its end: the chat is
# scrolled down as soon as it is drawn, for a few frames while it lays out. Gradio's
# Chatbot would scroll too, but only 300 ms after its value changes.
SHOW_END_JS = """() => {
    const box = document.querySelector('#chatbot .bubble-wrap');
    if (!box) return;
    let frames = 0;
    const down = () => { box.scrollTop = box.scrollHeight; if (++frames < 10) requestAnimationFrame(down); };
    requestAnimationFrame(down);
}"""

# On a narrow screen the open sidebar covers the whole page: once a conversation is
# chosen (or a new one started) it closes, so the chat, the box and Send are in view.
_CLOSE_SIDEBAR_ON_NARROW = """
    const sidebar = document.querySelector('#sidebar');
    if (window.innerWidth < 768 && sidebar && sidebar.classList.contains('open')) {
        sidebar.querySelector('.toggle-button').click();
    }"""
# The step's inputs pass through unchanged.
CLOSE_ON_NARROW_JS = "(...inputs) => {" + _CLOSE_SIDEBAR_ON_NARROW + "\n    return inputs;\n}"
# Opening one conversation sends the server that conversation, not the whole store:
# the request of a click is then the size of what is opened (the server checks it
# as it checks any store that comes from the browser).
OPEN_JS = "(chosen, store) => {" + _CLOSE_SIDEBAR_ON_NARROW + """
    const all = store && Array.isArray(store.conversations) ? store.conversations : [];
    return [chosen, {...store, conversations: all.filter((c) => c && c.id === chosen)}];
}"""


@dataclass
class Sidebar:
    store: gr.BrowserState
    current: gr.State  # the open conversation's id, None for a new one (per tab, on the server)
    deleted: gr.State  # the conversation deleted last, for Undo
    new_btn: gr.Button
    search: gr.Textbox  # conv-search: filters the list in the browser (sfui/ui/conversation_search.py)
    listing: gr.Radio
    rename_box: gr.Textbox
    rename_btn: gr.Button
    delete_btn: gr.Button
    undo_delete_btn: gr.Button
    storage: gr.Markdown
    export_md_btn: gr.Button
    export_json_btn: gr.Button
    import_btn: gr.Button
    file_text: gr.Textbox  # an export on its way to the browser, or an import on its way in
    file_name: gr.Textbox
    measure: gr.JSON  # the site's storage as the page last measured it (sfui/ui/storage_meter.py)


def render_sidebar() -> Sidebar:
    store = gr.BrowserState(conversations.empty_store(), storage_key=STORAGE_KEY, secret=STORAGE_SECRET)
    with gr.Sidebar(open=False, position="left", elem_id="sidebar"):
        gr.Markdown(label("label_conversations"))
        new_btn = gr.Button(label("label_new_chat"), variant="primary", size="sm", elem_id="new-chat-btn")
        search = render_search()
        listing = gr.Radio(choices=[], value=None, show_label=False, elem_id="conversations")
        with gr.Row():
            rename_box = gr.Textbox(show_label=False, placeholder=label("label_rename_placeholder"), scale=3,
                                    elem_id="rename-chat")
            rename_btn = gr.Button(label("label_rename"), size="sm", scale=1, elem_id="rename-chat-btn")
        with gr.Row():
            delete_btn = gr.Button(label("label_delete_chat"), size="sm", variant="stop", elem_id="delete-chat-btn")
            undo_delete_btn = gr.Button(label("label_undo_delete"), size="sm", visible=False,
                                        elem_id="undo-delete-btn")
        with gr.Row():
            export_md_btn = gr.Button(label("label_export_md"), size="sm", elem_id="export-md-btn")
            export_json_btn = gr.Button(label("label_export_json"), size="sm", elem_id="export-json-btn")
        import_btn = gr.Button(label("label_import"), size="sm", elem_id="import-btn")
        storage = gr.Markdown(elem_id="storage-status")
    file_text = gr.Textbox(visible=False, elem_id="file-text")
    file_name = gr.Textbox(visible=False, elem_id="file-name")
    return Sidebar(store, gr.State(None), gr.State(None), new_btn, search, listing, rename_box, rename_btn,
                   delete_btn, undo_delete_btn, storage, export_md_btn, export_json_btn, import_btn, file_text,
                   file_name, render_storage_meter())


def _listing(store: dict, current: str | None, lang: str) -> Any:
    return gr.update(choices=conversations.list_rows(store, lang, time.time()), value=current)


# The chat's view (chat_view: the latest turns, the whole conversation, the button, the
# alternatives bar) and the two panels.
VIEW_OUTPUTS = CHAT_VIEW_OUTPUTS + 2


def _view(messages: list, conversation: dict | None, lang: str) -> tuple:
    """What the chat and the side panels show of ``messages`` (a saved ``conversation``'s,
    with its panels as they were after its last answer; None: a new chat)."""
    panels = (conversation or {}).get("panels") or {}
    return (*chat_view(messages, lang), panels.get("reasoning", ""), panels.get("usage") or t(lang, "usage_empty"))


# The model, the system prompt and every request field an answer's record keeps.
SETTINGS_OUTPUTS = 2 + len(RESTORED_FIELDS)


def _settings(conversation: dict) -> tuple:
    """The model, system prompt and request fields a reopened conversation's last answer was
    sent with (each left as it is where the conversation does not say)."""
    settings = reopen_settings(conversation)
    fields = settings.fields
    return (gr.skip() if settings.model is None else settings.model,
            gr.skip() if settings.system_prompt is None else settings.system_prompt,
            *(gr.skip() if fields is None else fields[name] for name in RESTORED_FIELDS))


class SidebarHandlers:
    """Outputs are named in each docstring; ``view`` = the chat's view (its latest
    turns, the whole conversation, the "show earlier" button: sfui.ui.chat.chat_view),
    the reasoning panel and the usage panel, as a reopened conversation shows them."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _keep(self, store: dict, conversation: dict, lang: str, measure: Any) -> tuple[dict | None, Any]:
        """The store with ``conversation`` saved and no change to the storage line (the page
        measures again once it is written); or, when the browser could not write it (by the
        page's last ``measure``), None, said at once, and the line that says why."""
        new = conversations.save(store, conversation)
        room = room_of(measure, store)
        if storage_room.fits(new, room):
            return new, gr.skip()
        gr.Warning(storage_room.not_saved_message(room, lang), duration=30)
        return None, storage_room.storage_line(room, lang)

    def show(self, request: gr.Request, store, current):
        """On load (the browser has read its store) and after each change: the list."""
        lang = lang_of(request)
        store, unreadable = conversations.load_store(store)
        if unreadable:
            # Saved by another version: say so before a save overwrites it.
            gr.Warning(t(lang, "conv_unreadable", count=unreadable), duration=30)
        return _listing(store, current, lang)

    def after_answer(self, request: gr.Request, history, store, current, reasoning, usage, measure):
        """After an answer: save it with its record. Outputs: store, current, list, storage, title box."""
        lang = lang_of(request)
        finished = self.ctx.answers.take(request.session_hash)
        if not history or awaiting_answer(history):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        store = conversations.clean_store(store)
        conversation = conversations.get(store, current) or conversation_format.new_conversation(time.time())
        conversation = conversation_format.with_messages(conversation, history, time.time())
        if finished is not None:
            conversation = conversation_format.with_answer(conversation, finished.turn, finished.payload)
        conversation = {**conversation, "panels": {"reasoning": reasoning or "", "usage": usage or ""}}
        saved, line = self._keep(store, conversation, lang, measure)
        if saved is None:
            return gr.skip(), gr.skip(), gr.skip(), line, gr.skip()
        cid = conversation["id"]
        return saved, cid, _listing(saved, cid, lang), line, conversation["title"]

    def after_edit(self, request: gr.Request, history, store, current, measure):
        """After Undo: the open conversation follows. Outputs: store, list, storage."""
        lang = lang_of(request)
        store = conversations.clean_store(store)
        conversation = conversations.get(store, current)
        if conversation is None:
            return gr.skip(), gr.skip(), gr.skip()
        changed = conversation_format.with_messages(conversation, history or [], time.time())
        saved, line = self._keep(store, changed, lang, measure)
        if saved is None:
            return gr.skip(), gr.skip(), line
        return saved, _listing(saved, current, lang), line

    def new(self, request: gr.Request, store):
        """Outputs: current, list, title box, chat, reasoning, usage."""
        lang = lang_of(request)
        self.ctx.runs.stop(request.session_hash, discard=True)
        return None, _listing(conversations.clean_store(store), None, lang), "", *_view([], None, lang)

    def open(self, request: gr.Request, chosen, store):
        """Outputs: current, title box, view, then the settings of its last answer: model,
        system prompt and every request field (sfui.conversation_settings)."""
        lang = lang_of(request)
        conversation = conversations.get(conversations.clean_store(store), chosen)
        if conversation is None:
            return (gr.skip(),) * (2 + VIEW_OUTPUTS + SETTINGS_OUTPUTS)
        self.ctx.runs.stop(request.session_hash, discard=True)
        return (conversation["id"], conversation["title"], *_view(conversation["messages"], conversation, lang),
                *_settings(conversation))

    def rename(self, request: gr.Request, title, store, current):
        """Outputs: store, list."""
        lang = lang_of(request)
        store = conversations.clean_store(store)
        if conversations.get(store, current) is None:
            gr.Warning(t(lang, "conv_nothing_open"), duration=8)
            return gr.skip(), gr.skip()
        try:
            renamed = conversations.rename(store, current, title or "")
        except InputError as exc:
            gr.Warning(t(lang, "conv_rename_failed", problem=exc.problem(lang)), duration=10)
            return gr.skip(), gr.skip()
        return renamed, _listing(renamed, current, lang)

    def delete(self, request: gr.Request, store, current):
        """Outputs: store, current, deleted, list, undo button, title box, view."""
        lang = lang_of(request)
        store, removed = conversations.delete(conversations.clean_store(store), current)
        if removed is None:
            gr.Warning(t(lang, "conv_nothing_open"), duration=8)
            return (gr.skip(),) * (6 + VIEW_OUTPUTS)
        self.ctx.runs.stop(request.session_hash, discard=True)
        gr.Info(t(lang, "conv_deleted", title=removed["title"]), duration=8)
        return (store, None, removed, _listing(store, None, lang), gr.update(visible=True), "",
                *_view([], None, lang))

    def undo_delete(self, request: gr.Request, store, deleted):
        """Outputs: store, current, deleted, list, undo button, title box, view."""
        lang = lang_of(request)
        if not isinstance(deleted, dict):
            return (gr.skip(),) * 4 + (gr.update(visible=False),) + (gr.skip(),) * (1 + VIEW_OUTPUTS)
        store = conversations.restore(conversations.clean_store(store), deleted)
        return (store, deleted["id"], None, _listing(store, deleted["id"], lang), gr.update(visible=False),
                deleted["title"], *_view(deleted["messages"], deleted, lang))

    def export(self, kind: str):
        def export_conversation(request: gr.Request, store, current):
            """Outputs: the file's text and name (the browser then saves them)."""
            lang = lang_of(request)
            conversation = conversations.get(conversations.clean_store(store), current)
            if conversation is None:
                gr.Warning(t(lang, "conv_nothing_open"), duration=8)
                return "", ""
            if kind == "md":
                text = conversation_files.to_markdown(conversation, lang)
            else:
                text = conversation_files.to_json(conversation)
            return text, conversation_files.export_filename(conversation, kind)

        return export_conversation

    def import_file(self, request: gr.Request, text, store, measure):
        """Outputs: store, current, list, storage, title box, view."""
        lang = lang_of(request)
        nothing = (gr.skip(),) * (5 + VIEW_OUTPUTS)
        if not text:
            return nothing
        try:
            if text.startswith(TOO_LARGE):
                raise conversation_files.too_large(int(text[len(TOO_LARGE):]))
            conversation = conversation_files.from_json(text, lang=lang)
        except InputError as exc:
            gr.Warning(conversation_files.import_error_message(exc, lang), duration=20)
            return nothing
        store = conversations.clean_store(store)
        saved, line = self._keep(store, conversation, lang, measure)
        if saved is None:
            return (*nothing[:3], line, *nothing[4:])
        cid = conversation["id"]
        return (saved, cid, _listing(saved, cid, lang), line, conversation["title"],
                *_view(conversation["messages"], conversation, lang))


def wire_sidebar(bar: Sidebar, ctx: AppContext, events: Any, *, chat: ChatArea, reasoning_panel, usage_panel,
                 model, system_prompt, fields: dict) -> None:
    """``events``: the chat's ChatEvents (answers, edits, clears) that the open conversation follows;
    ``model``, ``system_prompt`` and ``fields`` (request field name -> control): what a reopened
    conversation sets back as they were for its last answer."""
    h = SidebarHandlers(ctx)
    # Quick steps: no progress indicator over the chat and panels they update.
    private = dict(api_visibility="private", show_progress="hidden")
    view = [*chat.view_outputs(), reasoning_panel, usage_panel]
    whole = chat.history  # the whole conversation: what is saved
    bar.store.change(h.show, [bar.store, bar.current], [bar.listing], queue=False, **private)
    wire_search(bar.store)
    wire_storage_meter(bar.store, bar.measure, bar.storage, STORAGE_KEY)
    for event in events.answered:
        event.then(h.after_answer, [whole, bar.store, bar.current, reasoning_panel, usage_panel, bar.measure],
                   [bar.store, bar.current, bar.listing, bar.storage, bar.rename_box], **private, **AFTER_EACH)
    for event in events.edited:
        event.then(h.after_edit, [whole, bar.store, bar.current, bar.measure], [bar.store, bar.listing, bar.storage],
                   **private, **AFTER_EACH)
    for event in events.cleared:
        # Clear starts a new conversation; the saved one stays in the list.
        event.then(lambda: (None, gr.update(value=None), ""), None, [bar.current, bar.listing, bar.rename_box],
                   queue=False, **private)
    bar.new_btn.click(h.new, [bar.store], [bar.current, bar.listing, bar.rename_box, *view], queue=False,
                      js=CLOSE_ON_NARROW_JS, **private)
    # Not queued: nothing waits on the model, and a click answered in one round trip opens sooner.
    settings = [model, system_prompt, *(fields[name] for name in RESTORED_FIELDS)]
    bar.listing.select(h.open, [bar.listing, bar.store], [bar.current, bar.rename_box, *view, *settings],
                       js=OPEN_JS, queue=False, **private).then(None, js=SHOW_END_JS)
    for trigger in (bar.rename_btn.click, bar.rename_box.submit):
        trigger(h.rename, [bar.rename_box, bar.store, bar.current], [bar.store, bar.listing], **private)
    deleted_outputs = [bar.store, bar.current, bar.deleted, bar.listing, bar.undo_delete_btn, bar.rename_box, *view]
    bar.delete_btn.click(h.delete, [bar.store, bar.current], deleted_outputs, **private)
    bar.undo_delete_btn.click(h.undo_delete, [bar.store, bar.deleted], deleted_outputs, **private).then(
        None, js=SHOW_END_JS)
    for button, kind in ((bar.export_md_btn, "md"), (bar.export_json_btn, "json")):
        button.click(h.export(kind), [bar.store, bar.current], [bar.file_text, bar.file_name], **private).then(
            None, [bar.file_text, bar.file_name], None, js=DOWNLOAD_JS)
    import_js = IMPORT_JS % {"limit": conversation_files.MAX_IMPORT_BYTES, "too_large": json.dumps(TOO_LARGE)[1:-1]}
    bar.import_btn.click(None, None, [bar.file_text], js=import_js).then(
        h.import_file, [bar.file_text, bar.store, bar.measure],
        [bar.store, bar.current, bar.listing, bar.storage, bar.rename_box, *view], **private).then(
        None, js=SHOW_END_JS)
