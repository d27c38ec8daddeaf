"""The chat's event handlers: Send as the public ``/chat`` (the page's Send, around the
same converse(): sfui/ui/send_step.py), Retry (in the page and as ``/retry``), Edit,
Undo, Stop, Clear and Show earlier.
Retry and Edit keep what they replace (sfui/alternatives.py); the bar under the chat
shows it (sfui/ui/alt_bar.py, its switching: sfui/ui/alt_handlers.py).

Each handler builds one :class:`~sfui.chat_request.ChatRequest` from the page's
inputs and passes it down; what happens to a message (refused, ignored, held back
for a model that cannot see pictures, asked) is :func:`sfui.chat_request.decide`'s
call, and which messages the pane shows is :class:`sfui.chat_window.AnswerWindow`'s.
This module turns their answers into Gradio's outputs.

A step that refuses ends on a frame that changes nothing: Gradio sends a
generator's last frame again, whole, with its completion, and that can arrive
after the next event's first frame (a refusal's notice or message would come back).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import gradio as gr

from .. import alternatives
from ..chat import (
    FramePacer,
    append_user,
    awaiting_answer,
    clean_history,
    edit_history,
    last_text,
    undo_last_question,
)
from ..chat_request import IGNORE, NOT_VISION, REFUSE, ChatRequest, decide, refusal
from ..chat_window import AnswerWindow, ChatView, PageConversation, view_from, view_of, whole_view
from ..i18n import t
from ..params import Controls
from ..rounds import AnswerPlan, Round
from ..streaming import PanelUpdates
from ..tool_loop import ToolExchange
from . import uploads
from .alt_bar import status_update
from .answer_requests import admitted, request_frames
from .common import AppContext, FinishedAnswer, as_text, lang_of, unchanged
from .sessions import came_back

# Browser updates per second while streaming, at most: FramePacer sends fewer as the
# answer grows long or many answers stream at once. Each is one SSE message and a
# re-render whose cost grows with the answer; bench/ measured 10 fps at two thirds of
# the browser CPU of 20 fps, and text at 10 updates a second still reads as streaming.
FPS = 10
# The chat's view (ChatArea.view_outputs, chat_view): the chat, the whole conversation, the
# "show earlier" button and the alternatives bar's status.
CHAT_VIEW_OUTPUTS = 4
# The outputs of the page's streaming steps: the chat's view, then the two panels. (The page's
# Send has fewer: sfui/ui/send_step.py.)
PANE_OUTPUTS = CHAT_VIEW_OUTPUTS + 2


@dataclass(frozen=True)
class AnswerFrame:
    """One frame of an answer: the whole conversation with it, the reasoning panel's
    text, the usage table's; ``ended``: it is the answer's last frame (it ended, was
    stopped or failed)."""

    messages: list
    reasoning: str
    usage: str
    ended: bool = False

    def outputs(self) -> tuple[list, str, str]:
        return self.messages, self.reasoning, self.usage


@dataclass(frozen=True)
class Refused:
    """converse()'s only frame when a message is not sent (a toast says why, if it
    was not blank): ``message`` is what goes back in the box (the text and the
    pictures still attachable)."""

    message: Any


@dataclass(frozen=True)
class NotVision:
    """converse()'s only frame when pictures go to a model not known to see them;
    the message goes back in the box as it was."""

    model: str
    message: Any


def earlier_button(view: ChatView, lang: str) -> Any:
    """The "show earlier" button for ``view``: shown with how many questions it
    would add back, or hidden when nothing is hidden."""
    if not view.hidden_questions:
        return gr.update(visible=False)
    return gr.update(visible=True, value=t(lang, "show_earlier", count=view.hidden_questions))


def chat_view(messages: list, lang: str, start: int | None = None, focus: Any = None) -> tuple[list, list, Any, Any]:
    """A conversation as the chat shows it (ChatArea.view_outputs): its latest turns (or
    from message ``start`` on), the whole of it, the "show earlier" button, and the
    alternatives bar (on the place ``focus`` names, while it holds)."""
    view = view_of(messages) if start is None else view_from(messages, start)
    return view.shown, list(messages), earlier_button(view, lang), status_update(messages, lang, focus)


class PaneFrames:
    """An answer's frames as the page's streaming steps send them: the messages the
    pane shows (sfui.chat_window.AnswerWindow), the whole conversation for the session,
    the "show earlier" button (set with the first frame and the last), the two panels.
    ``serialize``: the step skips Gradio's postprocessing, so the chat goes out through
    the Chatbot's own. ``question_shown``: the page put the question in the chat itself
    (Send), so a frame before any answer leaves the chat as it is."""

    def __init__(self, chatbot: gr.Chatbot, lang: str, keep_from: int, serialize: bool,
                 question_shown: bool = False) -> None:
        self.chatbot = chatbot
        self.lang = lang
        self.window = AnswerWindow(keep_from)
        self.serialize = serialize
        self.question_shown = question_shown

    @property
    def started(self) -> bool:
        return self.window.started is not None

    def frame(self, frame: AnswerFrame) -> tuple:
        step = self.window.frame(frame.messages, ended=frame.ended)
        button = bar = gr.skip()
        if step.view is not None:
            button, bar = earlier_button(step.view, self.lang), status_update(frame.messages, self.lang)
        return self._chat(step.shown, frame), frame.messages, button, bar, frame.reasoning, frame.usage

    def send_frame(self, frame: AnswerFrame) -> tuple:
        """A frame of the page's Send (send_step.SEND_OUTPUTS): no button and no alternatives
        bar, the after-step sets them."""
        step = self.window.frame(frame.messages, ended=frame.ended)
        return self._chat(step.shown, frame), frame.messages, frame.reasoning, frame.usage

    def _chat(self, shown: list, frame: AnswerFrame) -> Any:
        if self.question_shown and not frame.ended and awaiting_answer(frame.messages):
            return gr.skip()  # the question, already in the page's chat: no answer yet
        return self.chatbot.postprocess(shown).model_dump() if self.serialize else shown


class _RetryData(gr.EventData):
    """gr.RetryData, except that a call through the API (``/retry`` from
    gradio_client carries no event data) means "the last answer" instead of
    crashing in gr.RetryData's constructor."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.index = data.get("index") if isinstance(data, dict) else None


class ChatHandlers:
    """The chat's event handlers. Those that ask take the request fields as one
    ``controls`` parameter; sfui.ui.fields.with_request_fields gives Gradio one
    parameter per field in its place. ``shown`` is what the chat pane shows,
    ``whole`` the session's copy of the whole conversation (PageConversation checks
    that the two agree); the public endpoints' ``history`` is the caller's whole
    conversation, under the name the API has always had."""

    def __init__(self, ctx: AppContext, chatbot: gr.Chatbot) -> None:
        self.ctx = ctx
        self.chatbot = chatbot

    def request(self, model: Any, system_prompt: Any, controls: Controls, visitor_key: str | None,
                caller: gr.Request | None = None, text: str | None = None, pictures: Any = ()) -> ChatRequest:
        """The page's inputs as one request: built once per event, passed down."""
        return ChatRequest.from_page(as_text(model), as_text(system_prompt), controls, visitor_key,
                                     default_model=self.ctx.settings.default_model, text=text, pictures=pictures,
                                     visitor=self.ctx.visitor(caller))

    def key_set(self, request: ChatRequest) -> bool:
        return self.ctx.effective_key(request.visitor_key) is not None

    # --- the answer ---------------------------------------------------------------------

    async def stream_reply(self, history: list, request: ChatRequest, lang: str, session: str,
                           plan: AnswerPlan | None = None) -> AsyncIterator[AnswerFrame]:
        """The answer to the last question of ``history`` (the whole conversation), frame
        by frame: the question with a "waiting" table (unless the first token comes along),
        then the answer as it streams. ``plan``: its requests (sfui.rounds): one, or with the
        demo's tools switched on, one per round of tool calls (sfui.tool_loop)."""
        ctx = self.ctx
        if came_back(ctx, session, lang):  # idle past SFUI_SESSION_TTL (Run again): told, and nothing sent
            yield Refused(None)
            return
        plan = plan or (ToolExchange() if request.controls.tools_demo else AnswerPlan())
        first = plan.first(clean_history(history), request, lang, ctx.charge(request.model))
        spending = admitted(ctx, request, first, lang)
        if spending is None:
            yield Refused(None)
            return
        # Registered before the first yield: from the caller's busy check to here nothing
        # awaits, so two quick sends from one page cannot both start; and a Stop pressed
        # before the request goes out ends it before it starts. One Run for every request.
        with ctx.runs.track(session) as run:
            panels = PanelUpdates(reasoning="", usage=first.turn.usage_markdown())
            pacer = FramePacer(FPS, streams=lambda: len(ctx.runs))
            step: Round | None = first
            while step is not None and spending is not None:
                ended, sent = None, {}
                # aclosing: a page closed mid-answer settles the request and closes its socket at once.
                async with aclosing(request_frames(ctx, request, step, spending, run, pacer)) as frames:
                    async for shown, payload in frames:
                        if shown.ended_at is None:
                            yield AnswerFrame(*panels.render(shown))
                        else:
                            ended, sent = shown, payload
                if ended is None:  # Clear: nothing more to show
                    return
                step = None if run.stopped else await plan.after(ended)
                if run.discarded:  # Clear while the tools ran
                    return
                if step is not None and run.stopped:  # Stop while the tools ran
                    ended.stopped, step = True, None
                spending = None if step is None else admitted(ctx, request, step, lang)
                if step is None or spending is None:
                    # For the conversation's save step, which runs right after this one, and for Continue.
                    ctx.answers.remember(session, FinishedAnswer(ended, plan.recorded(sent)))
                    ctx.last_answers.remember(session, ended, request.model)
                    yield AnswerFrame(*panels.render(ended), ended=True)
                    return
                yield AnswerFrame(*panels.render(step.turn))

    def ask(self, history: list, request: ChatRequest, lang: str, session: str) -> AsyncIterator[AnswerFrame]:
        """Send ``request``'s text with its pictures (prepared: sfui.images) after
        ``history``: the frames of the answer. The one call for a message that has passed
        the checks (an example prompt with a sample picture can call it too)."""
        asked = append_user(history, request.text or "", request.pictures)
        return self.stream_reply(asked, request, lang, session)

    async def converse(self, message: Any, history: list, request: ChatRequest, lang: str, session: str, *,
                       anyway: bool = False, one_at_a_time: bool = False):
        """The frames answering ``message`` (the box's value, whose text and pictures
        ``request`` carries), or one frame saying why not: Refused, or NotVision. A blank
        message gets no frame. Pictures are read only once nothing else stands in the
        way, and deleted from Gradio's upload cache once the message is sent; a picture
        that cannot be read is deleted and left out of the message given back. ``one_at_a_time``: refuse while
        this page's previous answer streams."""
        if came_back(self.ctx, session, lang):  # before the key checks: the pasted key is what was lost
            yield Refused(message)
            return
        busy = one_at_a_time and self.ctx.runs.busy(session)
        decision = decide(request, lang, key_set=self.key_set(request), busy=busy, anyway=anyway)
        if decision.verdict == REFUSE:
            gr.Warning(decision.reason, duration=15)
            yield Refused(message)
            return
        if decision.verdict == IGNORE:
            return
        if decision.verdict == NOT_VISION:
            yield NotVision(request.model, message)
            return
        attachments = list(request.pictures)
        if attachments:
            read = await self._read_pictures(message, request, lang, session, one_at_a_time)
            if isinstance(read, Refused):
                yield read
                return
            request = read
        async for frame in self.ask(history or [], request, lang, session):
            if isinstance(frame, Refused):  # the demo's limits: the message goes back whole
                yield Refused(message)
                return
            # Sent: the uploads were read, and are deleted (a refused message keeps them).
            for attachment in attachments:
                uploads.discard(attachment.path)
            attachments = []
            yield frame

    async def _read_pictures(self, message: Any, request: ChatRequest, lang: str, session: str,
                             one_at_a_time: bool) -> ChatRequest | Refused:
        """``request`` with its attached pictures read (and their uploads deleted), or
        why it cannot be sent after all."""
        attachments = list(request.pictures)
        prepared, problems = await asyncio.to_thread(uploads.read_attachments, attachments, lang)
        if problems:
            good = [a for a, image in zip(attachments, prepared, strict=True) if image is not None]
            gr.Warning(t(lang, "bad_input", problem="; ".join(problems)), duration=20)
            return Refused(uploads.box_value(request.text, good))
        if one_at_a_time and self.ctx.runs.busy(session):
            # (another Send of this page started while the pictures were read)
            gr.Warning(t(lang, "busy_toast"), duration=10)
            return Refused(message)
        return request.with_pictures([image for image in prepared if image is not None])

    # --- Send through the API (the page's Send: sfui/ui/send_step.py) ---------------------

    async def respond(self, message, history, whole, model, system_prompt, controls: Controls, visitor_key,
                      request: gr.Request):
        """Stream the answer to ``message``: the public ``/chat`` endpoint; its
        parameters are named after the API's request fields. ``message`` is text (the
        API takes no pictures: a picture in ``history`` is sent again, though). Like the
        page's step, it skips Gradio's pre- and postprocessing. The caller's
        ``history`` is the whole conversation, and so is the chat it gets back."""
        lang, text = lang_of(request), as_text(message)
        ask = self.request(model, system_prompt, controls, visitor_key, request, text)
        try:
            answered = False
            conversation = PageConversation.of(whole, history).whole
            async for frame in self.converse(text, conversation, ask, lang, request.session_hash):
                if isinstance(frame, AnswerFrame):
                    answered = True
                    messages, reasoning, usage = frame.outputs()
                    yield self.chatbot.postprocess(messages).model_dump(), reasoning, usage
            if not answered:
                yield unchanged(3)  # Gradio would set every output to None if nothing was yielded
        finally:
            # An API caller has no saved conversations: nothing will take this answer.
            self.ctx.answers.take(request.session_hash)

    # --- Retry and Edit ----------------------------------------------------------------------

    async def _regenerate(self, history: list, ask: ChatRequest, index: int | None, lang: str, session: str):
        """The frames of a new answer to the question the answer at ``index`` (of the
        whole conversation ``history``; None: the last one) replied to, or nothing. The
        answer replaced, with what followed it, is kept as an alternative."""
        history = alternatives.retried(history, index)
        if came_back(self.ctx, session, lang):
            return
        problem = refusal(ask, lang, key_set=self.key_set(ask))
        if problem:
            gr.Warning(problem, duration=15)
        if problem or not awaiting_answer(history):
            return
        async for frame in self.stream_reply(history, ask, lang, session):
            if isinstance(frame, Refused):  # the demo's limits (a toast said why)
                return
            yield frame

    async def regenerate(self, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                         retry_data: _RetryData, request: gr.Request):
        """Retry in the page: drop the answer clicked (the chat's index, of its latest
        turns) and stream a new one into the chat."""
        lang = lang_of(request)
        conversation = PageConversation.of(whole, shown)
        index = conversation.whole_index(getattr(retry_data, "index", None))
        ask = self.request(model, system_prompt, controls, visitor_key, request)
        pane = PaneFrames(self.chatbot, lang, conversation.shown_from, serialize=False)
        async for frame in self._regenerate(conversation.whole, ask, index if isinstance(index, int) else None,
                                            lang, request.session_hash):
            yield pane.frame(frame)
        if not pane.started:
            yield unchanged(PANE_OUTPUTS)

    async def regenerate_api(self, history, whole, model, system_prompt, controls: Controls, visitor_key,
                             request: gr.Request):
        """The public ``/retry``: a new answer to the last question of ``history``
        (the whole conversation, which comes back whole)."""
        ask = self.request(model, system_prompt, controls, visitor_key, request)
        answered = False
        async for frame in self._regenerate(PageConversation.of(whole, history).whole, ask, None, lang_of(request),
                                            request.session_hash):
            answered = True
            yield frame.outputs()
        if not answered:
            yield unchanged(3)

    async def edit(self, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                   edit_data: gr.EditData, request: gr.Request):
        """An earlier message of the visitor's, edited: the answers after it are
        replaced by a new answer to the edited message (and kept, with the old wording,
        as an alternative)."""
        lang = lang_of(request)
        conversation = PageConversation.of(whole, shown)
        index = conversation.whole_index(getattr(edit_data, "index", None))
        edited = alternatives.edited(conversation.whole, index,
                                     edit_history(conversation.whole, index, getattr(edit_data, "value", None)))
        ask = self.request(model, system_prompt, controls, visitor_key, request, last_text(edited))
        expired = bool(edited) and came_back(self.ctx, request.session_hash, lang)
        problem = refusal(ask, lang, key_set=self.key_set(ask)) if edited and not expired else None
        if problem:
            gr.Warning(problem, duration=15)
        if expired or problem or not edited or not awaiting_answer(edited):
            yield unchanged(PANE_OUTPUTS)
            return
        pane = PaneFrames(self.chatbot, lang, conversation.shown_from, serialize=False)
        async for frame in self.stream_reply(edited, ask, lang, request.session_hash):
            if isinstance(frame, Refused):  # the demo's limits (a toast said why)
                break
            yield pane.frame(frame)
        if not pane.started:
            yield unchanged(PANE_OUTPUTS)

    # --- the quick steps ---------------------------------------------------------------------

    async def stop(self, request: gr.Request) -> None:
        # Async and queue=False: runs on the event loop at once, like the pumps it closes.
        self.ctx.runs.stop(request.session_hash)

    def undo(self, shown: list, whole: list, undo_data: gr.UndoData, request: gr.Request):
        """Undo: take back the question clicked (the chat's index) and what followed.
        Outputs: the chat's view (chat_view) and the message box."""
        conversation = PageConversation.of(whole, clean_history(shown or []))
        index = conversation.whole_index(getattr(undo_data, "index", None))
        whole, text, pictures = undo_last_question(conversation.whole, index if isinstance(index, int) else None)
        # The question goes back in the box whole: its text and its pictures (their
        # uploads were deleted when it was sent, so they are written back from the chat).
        return (*chat_view(whole, lang_of(request)), {"text": text, "files": uploads.restore(pictures)})

    def show_earlier(self, whole: list):
        """Show earlier: the whole conversation in the chat. Outputs: chat_view's."""
        return whole_view(whole or []).shown, gr.skip(), gr.update(visible=False), gr.skip()

    async def clear(self, request: gr.Request):
        # Stops this session's answer too, without letting its last update redraw the chat.
        self.ctx.runs.stop(request.session_hash, discard=True)
        lang = lang_of(request)
        return [], [], gr.update(visible=False), status_update([], lang), "", t(lang, "usage_empty")
