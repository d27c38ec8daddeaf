"""Continue (``continue-btn``): shown after an answer cut by max_tokens or stopped; it
sends the request that goes on from that answer (sfui/continuation.py) through
ChatHandlers.stream_reply, the demo's budget guard, and streams into the same answer.

The button follows the session's last answer: shown after each answer (Send, Retry,
Edit, Continue, Run again, the examples) that can go on, hidden after the others and
when the chat shows something else (Clear, Undo, another conversation, New, Delete).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from ..chat_request import ChatRequest, refusal
from ..chat_window import PageConversation
from ..continuation import ContinueAnswer, continue_point
from ..i18n import t
from ..params import Controls
from .chat_handlers import PANE_OUTPUTS, ChatHandlers, PaneFrames, Refused
from .common import AFTER_EACH, AppContext, lang_of, unchanged
from .fields import with_request_fields


class ContinueHandlers:
    def __init__(self, ctx: AppContext, chat: ChatHandlers) -> None:
        self.ctx = ctx
        self.chat = chat

    async def continue_answer(self, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                              request: gr.Request):
        """The chat's last answer goes on where it stopped, into the same answer, with the
        model that wrote it when this session knows it (else the one chosen) and the
        request fields as they are now (a larger max_tokens, say). Outputs: the chat's
        view and the two panels."""
        lang, session = lang_of(request), request.session_hash
        conversation = PageConversation.of(whole, shown)
        point = continue_point(conversation.whole, self.ctx.last_answers.get(session))
        chosen = point.last.model if point is not None and point.last is not None else model
        ask = self.chat.request(chosen, system_prompt, controls, visitor_key, request)
        problem = self.problem(point is not None, ask, lang, session)
        if problem or point is None:
            gr.Warning(problem, duration=15)
            yield unchanged(PANE_OUTPUTS)
            return
        pane = PaneFrames(self.chat.chatbot, lang, conversation.shown_from, serialize=False)
        plan = ContinueAnswer(point.partial, None if point.last is None else point.last.turn)
        async for frame in self.chat.stream_reply(point.history, ask, lang, session, plan=plan):
            if isinstance(frame, Refused):  # the demo's limits (a toast said why)
                break
            yield pane.frame(frame)
        if not pane.started:
            yield unchanged(PANE_OUTPUTS)

    def problem(self, has_answer: bool, ask: ChatRequest, lang: str, session: str) -> str | None:
        """Why Continue cannot go now, or None."""
        if not has_answer:
            return t(lang, "continue_nothing")
        if self.ctx.runs.busy(session):
            return t(lang, "busy_toast")
        return refusal(ask, lang, key_set=self.chat.key_set(ask))


def wire_continue(button: gr.Button, handlers: ChatHandlers, stream_inputs: list, pane_outputs: list,
                  stream_options: dict) -> Any:
    """Continue's streaming step (its inputs and outputs are Retry's): the event, for the
    chat's answered events."""
    continuing = ContinueHandlers(handlers.ctx, handlers)
    return button.click(with_request_fields(continuing.continue_answer), stream_inputs, pane_outputs,
                        api_visibility="private", **stream_options)


def wire_continue_offer(button: gr.Button | None, ctx: AppContext, answered: list, hiding: list[Callable]) -> None:
    """Show or hide Continue after each of ``answered`` (the chat's answer events); hide it
    on each of ``hiding`` (triggers that put something else in the chat)."""
    if button is None:
        return
    def offer_continue(request: gr.Request) -> Any:
        """After an answer: Continue shown when that answer can go on."""
        return gr.update(visible=ctx.last_answers.continuable(request.session_hash))

    quick = dict(queue=False, api_visibility="private", show_progress="hidden")
    for event in answered:
        event.then(offer_continue, None, button, **quick, **AFTER_EACH)
    for trigger in hiding:
        trigger(hide_continue, None, button, **quick)


def hide_continue() -> Any:
    return gr.update(visible=False)
