"""The API key card, the balance, and the model picker's live list.

With no key at all (no server key, none pasted), the page starts with the key
card (``key-card``): the one key box, a "get a key" link and where the key is
kept. A pasted key is tried at once (``GET /models``, sfui/account.py); a good
one folds the card away and the key bar (``key-bar``) shows the balance
(``balance``) with *Change key* (``api-key-change``, which opens the card
again) and *Forget my key*. A bad one keeps the card, with the reason.

A pasted key is kept on the server in the tab's ``gr.State`` and the box is
emptied at once. Every handler here is private: never in the API info, never
callable by clients, never in run history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..account import balance_text, check_key, failure_text, fetch_balance
from ..catalog import model_hint
from ..i18n import t
from .common import AFTER_EACH, AppContext, label, lang_of, model_choices
from .page_script import texts_js

_KEEP = object()  # an update() argument left out: that output does not change

# The usage panel's placeholder in the page's language, as the page loads (the panel is built
# in English; the step that reads the model list is too late: a first answer may have ended).
USAGE_PLACEHOLDER_JS = f"() => {texts_js('usage_empty')}.usage_empty"


@dataclass
class KeyBox:
    key_state: gr.State  # the visitor's pasted key: server-side, per browser tab
    # Whether the key card is shown (it is, while there is no key): kept in the page, not the
    # session, so Change key still opens it after an idle session was let go (sfui/ui/sessions.py).
    card_open: gr.Checkbox
    card: gr.Column
    api_key_box: gr.Textbox
    use_key_btn: gr.Button
    bar: gr.Row
    balance: gr.Markdown
    change_key_btn: gr.Button
    forget_key_btn: gr.Button
    key_status: gr.Markdown
    budget: gr.Markdown  # the demo's budget left, while the server's key pays
    browser_id: gr.BrowserState  # this browser's signed id, for the demo's limits (sfui/visitors.py)

    def outputs(self) -> list:
        """What the key handlers update, in the order of ``KeyHandlers.update``."""
        return [self.api_key_box, self.key_state, self.key_status, self.card, self.card_open, self.bar,
                self.balance, self.change_key_btn, self.forget_key_btn]


def render_key_box(has_server_key: bool) -> KeyBox:
    """The key card and, under it, the key bar and the status line. With a server
    key (a Space secret) the card starts folded away."""
    key_state = gr.State(None)
    card_open = gr.Checkbox(not has_server_key, visible=False, elem_id="key-card-open")
    with gr.Column(visible=not has_server_key, variant="panel", elem_id="key-card") as card:
        gr.Markdown(label("label_key_card_title"), elem_id="key-card-title")
        gr.Markdown(label("label_key_card_text"), elem_id="key-card-text")
        with gr.Row(equal_height=True):
            api_key_box = gr.Textbox(
                type="password", label=label("label_api_key"), show_label=False,
                placeholder=label("label_api_key_placeholder"), elem_id="api-key", scale=4,
            )
            use_key_btn = gr.Button(label("label_use_key"), variant="primary", elem_id="api-key-btn", scale=1)
    with gr.Row(visible=has_server_key, equal_height=True, elem_id="key-bar") as bar:
        balance = gr.Markdown(elem_id="balance")
        budget = gr.Markdown(elem_id="budget")
        change_key_btn = gr.Button(label("label_own_key"), size="sm", scale=0, elem_id="api-key-change")
        forget_key_btn = gr.Button(label("label_forget_key"), size="sm", scale=0, visible=False,
                                   elem_id="api-key-forget")
    key_status = gr.Markdown(elem_id="key-status")
    # Published in /config like every BrowserState secret: the id is signed by the server instead.
    browser_id = gr.BrowserState("", storage_key="sfui-visitor", secret="sfui-visitor-id")
    return KeyBox(key_state, card_open, card, api_key_box, use_key_btn, bar, balance, change_key_btn,
                  forget_key_btn, key_status, budget, browser_id)


class KeyHandlers:
    def __init__(self, ctx: AppContext, other_models: int = 0) -> None:
        self.ctx = ctx
        self.other_models = other_models  # pickers that get the list's choices (their values stay)

    @staticmethod
    def update(*, box: Any = _KEEP, key: Any = _KEEP, status: Any = _KEEP, card: bool | None = None,
               bar: bool | None = None, balance: Any = _KEEP, own_key: bool | None = None,
               lang: str = "en") -> tuple:
        """The outputs of KeyBox.outputs(): ``card``/``bar`` shown or not; ``own_key``:
        whether the visitor's own key is in use (the bar then offers Change key and
        Forget, else Use my own key)."""
        card_update = gr.skip() if card is None else gr.update(visible=card)
        card_open = gr.skip() if card is None else card
        bar_update = gr.skip() if bar is None else gr.update(visible=bar)
        change, forget = gr.skip(), gr.skip()
        if own_key is not None:
            change = gr.update(value=t(lang, "label_change_key" if own_key else "label_own_key"))
            forget = gr.update(visible=own_key)
        box, key, status, balance = (gr.skip() if value is _KEEP else value for value in (box, key, status, balance))
        return box, key, status, card_update, card_open, bar_update, balance, change, forget

    def others(self, ids: list[str] | None = None, lang: str | None = None) -> tuple:
        if ids is None:
            return (gr.skip(),) * self.other_models
        return (gr.update(choices=model_choices(ids, lang=lang)),) * self.other_models

    def dropdown(self, ids: list[str], current: str | None, lang: str) -> Any:
        """The model dropdown's update for a model list, labels in ``lang``. A model
        not offered (on the demo's key, one without a price) gives way to the first offered."""
        current = current or self.ctx.settings.default_model
        if ids and current not in ids and not self.ctx.guard.priced(current) and self.ctx.guard.limits.money:
            return gr.update(choices=model_choices(ids, ids[0], lang), value=ids[0])
        # Choices only: the value stays whatever the visitor picked meanwhile (``current`` was
        # read when this step started; a slow /models must not undo a pick made since).
        return gr.update(choices=model_choices(ids, current, lang))

    def offered(self, visitor_key: str | None) -> list[str] | None:
        """The models this visitor may pick (None: no key at all, the page's list stays)."""
        key = self.ctx.effective_key(visitor_key)
        if not key:
            return None
        return self.ctx.offered(self.ctx.directory.get(self.ctx.client_for(key), key).ids, visitor_key)

    def on_load(self, visitor_key: str | None, current: str | None, request: gr.Request):
        """The model lists and the model's hint in the visitor's language. Not the usage
        panel's placeholder: this step waits for the model list, and a first answer may
        have ended meanwhile (USAGE_PLACEHOLDER_JS puts it in the page's language at once)."""
        lang = lang_of(request)
        ids = self.offered(visitor_key)
        model = gr.skip() if ids is None else self.dropdown(ids, current, lang)
        return model, model_hint(current, lang), *self.others(ids, lang)

    def models_again(self, visitor_key: str | None, current: str | None, request: gr.Request):
        """After Forget my key: the server's key pays again, with its list of models."""
        lang = lang_of(request)
        ids = self.offered(visitor_key)
        return (gr.skip() if ids is None else self.dropdown(ids, current, lang)), *self.others(ids, lang)

    def register(self, browser_id: Any, visitor_key: str | None, request: gr.Request):
        """On load: this browser's id (kept if it is one of ours, else a new one) for the
        page's session, and the budget meter. Outputs: the stored id, the meter."""
        keys = self.ctx.guard.keys
        known = keys.verified(browser_id)
        browser = known or keys.mint()
        self.ctx.browsers.register(request.session_hash, browser)
        return (gr.skip() if known else browser), self.meter(visitor_key, request)

    def meter(self, visitor_key: str | None, request: gr.Request) -> str:
        """The demo's budget left for this visitor; nothing on their own key."""
        if visitor_key:
            return ""
        return self.ctx.guard.meter(self.ctx.visitor(request), lang_of(request))

    def use_key(self, pasted: str, current: str | None, request: gr.Request):
        """Try the pasted key at once; keep it only if the API accepted it."""
        lang = lang_of(request)
        skips = (gr.skip(),) * (2 + self.other_models)  # the model picker, its hint, the other pickers
        key = (pasted or "").strip() or None
        if key is None:
            yield *self.update(box="", status=t(lang, "key_none")), *skips
            return
        # Keys tried per visitor are limited: the page is no oracle for guessing keys.
        too_many = self.ctx.guard.key_check(self.ctx.visitor(request), lang)
        if too_many:
            yield *self.update(box="", status=too_many), *skips
            return
        # The box is emptied at once: the key is not left in the page, even while it is tried.
        yield *self.update(box="", status=t(lang, "key_checking")), *skips
        client = self.ctx.client_for(key)
        check = check_key(self.ctx.directory, client, key)
        if not check.ok:
            # Not stored: a key that cannot be used now would only fail later, less clearly.
            yield *self.update(status=failure_text(check.problem, lang), card=True), *skips
            return
        status = t(lang, "key_set")
        if check.models.live:
            status += " " + t(lang, "models_live", count=len(check.models.ids))
        balance = balance_text(fetch_balance(client), lang, client.base_url)
        outputs = self.update(key=key, status=status, card=False, bar=True, balance=balance, own_key=True, lang=lang)
        yield (*outputs, self.dropdown(check.models.ids, current, lang), model_hint(current, lang),
               *self.others(check.models.ids, lang))

    def forget_key(self, request: gr.Request):
        lang = lang_of(request)
        server_key = bool(self.ctx.settings.api_key)
        status = t(lang, "key_cleared") + (" " + t(lang, "key_env") if server_key else "")
        return self.update(box="", key=None, status=status, card=not server_key, bar=server_key, balance="",
                           own_key=False, lang=lang)

    def toggle_card(self, card_open: bool):
        """Change key / Use my own key: open the card, or fold it away again."""
        return self.update(card=not card_open)

    def refresh_balance(self, visitor_key: str | None, request: gr.Request) -> str:
        """The balance after an answer. Only the visitor's own key's: the server's
        key (a Space secret) pays for strangers, whose page is no place for its balance."""
        if not visitor_key:
            return ""
        client = self.ctx.client_for(visitor_key)
        return balance_text(fetch_balance(client), lang_of(request), client.base_url)

    def show_model_hint(self, model_id: str | None, request: gr.Request) -> str:
        return model_hint(model_id, lang_of(request))


def wire_keys(demo: gr.Blocks, box: KeyBox, ctx: AppContext, *, model, model_hint_md, usage_panel,
              other_models: list, answered: list) -> None:
    """``other_models``: more model pickers (the compare slots) that get the same live list;
    ``answered``: the events that end with an answer (chat and Compare), after which the
    balance is read again."""
    handlers = KeyHandlers(ctx, len(other_models))
    private = dict(api_visibility="private", show_progress="hidden")
    use_outputs = [*box.outputs(), model, model_hint_md, *other_models]
    for trigger in (box.api_key_box.submit, box.use_key_btn.click):
        trigger(handlers.use_key, [box.api_key_box, model], use_outputs, **private).then(
            handlers.meter, [box.key_state], [box.budget], **private)
    box.forget_key_btn.click(handlers.forget_key, None, box.outputs(), **private).then(
        handlers.models_again, [box.key_state, model], [model, *other_models], **private).then(
        handlers.meter, [box.key_state], [box.budget], **private)
    box.change_key_btn.click(handlers.toggle_card, [box.card_open], box.outputs(), queue=False,
                             api_visibility="private")
    for event in answered:
        event.then(handlers.refresh_balance, [box.key_state], [box.balance], **private, **AFTER_EACH)
        event.then(handlers.meter, [box.key_state], [box.budget], **private, **AFTER_EACH)
    # The browser's id first: the demo's limits count by it from the first Send.
    demo.load(handlers.register, [box.browser_id, box.key_state], [box.browser_id, box.budget], **private)
    demo.load(None, None, [usage_panel], js=USAGE_PLACEHOLDER_JS, queue=False)
    # Runs after the page is shown, so a slow /models never delays start-up or first paint.
    # Its progress shows on the model list only: the page revisits every component that ever
    # showed progress on each later status message (sfui/ui/quiet_progress.py).
    demo.load(handlers.on_load, [box.key_state, model], [model, model_hint_md, *other_models],
              api_visibility="private", show_progress_on=[model])
    model.change(handlers.show_model_hint, [model], [model_hint_md], queue=False, api_visibility="private")
