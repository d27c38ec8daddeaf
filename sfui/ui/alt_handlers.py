"""Switching between alternatives: the bar's ‹ and › (alt-prev-btn, alt-next-btn), and a
click on a message choosing which place the bar shows. The branch logic is
sfui/alternatives.py's; this module turns it into the chat's view (chat_view).

A switch changes the conversation, so it is one of the chat's edits (saved after it, as
after Undo); it waits while an answer streams, whose frames would write over it.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from .. import alternatives
from ..chat import clean_history
from ..chat_window import PageConversation, window_start
from ..i18n import t
from .alt_bar import AltBar, status_update
from .chat_handlers import CHAT_VIEW_OUTPUTS, chat_view
from .common import AppContext, lang_of, unchanged

# A switch's outputs: the chat's view, then the focus.
SWITCH_OUTPUTS = CHAT_VIEW_OUTPUTS + 1


class AltHandlers:
    """``shown``: what the chat pane shows; ``whole``: the session's whole conversation;
    ``focus``: the place the visitor chose (sfui.alternatives.Focus), or None."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _switch(self, step: int, shown: Any, whole: Any, focus: Any, request: gr.Request) -> tuple:
        lang = lang_of(request)
        if self.ctx.runs.busy(request.session_hash):
            gr.Warning(t(lang, "alt_busy"), duration=8)
            return unchanged(SWITCH_OUTPUTS)
        conversation = PageConversation.of(whole, shown).whole
        fork = alternatives.focused_fork(conversation, focus)
        if fork is None or not 0 <= fork.shown + step < fork.count:
            return unchanged(SWITCH_OUTPUTS)
        switched = alternatives.switch(conversation, fork, fork.shown + step)
        still = alternatives.fork_at(switched, fork.position, fork.kind)
        focus = None if still is None else alternatives.Focus.on(switched, still)
        # The chat shows the latest turns, and the place switched with them.
        start = min(window_start(switched), fork.position)
        return (*chat_view(switched, lang, start, focus), focus)

    def previous_alternative(self, shown, whole, focus, request: gr.Request):
        """‹: the alternative before the one shown. Outputs: the chat's view, the focus."""
        return self._switch(-1, shown, whole, focus, request)

    def next_alternative(self, shown, whole, focus, request: gr.Request):
        """›: the alternative after the one shown. Outputs: the chat's view, the focus."""
        return self._switch(1, shown, whole, focus, request)

    def focus_alternatives(self, shown, whole, selected: gr.SelectData, request: gr.Request):
        """A click on a message with alternatives (an edited question, or an answer retried):
        the bar shows that place. Outputs: the bar's status, the focus."""
        conversation = PageConversation.of(whole, clean_history(shown or []))
        fork = alternatives.fork_of_message(conversation.whole, conversation.whole_index(selected.index))
        if fork is None:
            return gr.skip(), gr.skip()
        focus = alternatives.Focus.on(conversation.whole, fork)
        return status_update(conversation.whole, lang_of(request), focus), focus


def wire_alt_bar(bar: AltBar, ctx: AppContext, *, chatbot: gr.Chatbot, history: gr.State,
                 view_outputs: list) -> list:
    """The bar's ‹ and ›, and a click on a message. Returns the switches (the conversation
    changes: the saved one follows, as after Undo)."""
    handlers = AltHandlers(ctx)
    inputs, outputs = [chatbot, history, bar.focus], [*view_outputs, bar.focus]
    # Queued (so that the busy toast is shown) one at a time, each click reading the
    # conversation the one before left; "multiple": a click while the one before is saved
    # still counts (Gradio's default drops it). No progress over the chat for a quick step.
    options = dict(api_visibility="private", show_progress="hidden", trigger_mode="multiple",
                   concurrency_limit=1, concurrency_id="alternatives")
    switches = [bar.prev_btn.click(handlers.previous_alternative, inputs, outputs, **options),
                bar.next_btn.click(handlers.next_alternative, inputs, outputs, **options)]
    chatbot.select(handlers.focus_alternatives, [chatbot, history], [bar.status, bar.focus], queue=False,
                   api_visibility="private", show_progress="hidden")
    return switches
