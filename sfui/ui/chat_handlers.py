"""The chat's event handlers: Send (in the page and as the public ``/chat``),
Retry (in the page and as ``/retry``), Edit, Undo, Stop, Clear and Show earlier.

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

from ..chat import (
    FramePacer,
    append_user,
    awaiting_answer,
    clean_history,
    edit_history,
    last_text,
    truncate_for_retry,
    undo_last_question,
)
from ..chat_request import IGNORE, NOT_VISION, REFUSE, ChatRequest, decide, refusal
from ..chat_window import AnswerWindow, ChatView, PageConversation, view_of, whole_view, without_sent_question
from ..i18n import t
from ..params import Controls
from ..rounds import AnswerPlan, Round
from ..streaming import PanelUpdates
from ..tool_loop import ToolExchange
from . import uploads
from .answer_requests import admitted, request_frames
from .common import AppContext, FinishedAnswer, as_text, lang_of, unchanged
from .send_step import HeldMessages

# Browser updates per second while streaming, at most: FramePacer sends fewer as the
# answer grows long or many answers stream at once. Each is one SSE message and a
# re-render whose cost grows with the answer; bench/ measured 10 fps at two thirds of
# the browser CPU of 20 fps, and text at 10 updates a second still reads as streaming.
FPS = 10
# The outputs of the page's streaming steps: the chat's view (ChatArea.view_outputs), then the two panels.
PANE_OUTPUTS = 5
# ... and of the page's Send: the chat, the whole conversation and the two panels, values all
# (sfui/ui/send_step.py: its after-step sets the "show earlier" button, the box and the notice).
SEND_OUTPUTS = 4


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


def chat_view(messages: list, lang: str) -> tuple[list, list, Any]:
    """A conversation as the chat shows it (ChatArea.view_outputs): its latest turns,
    the whole of it, and the "show earlier" button."""
    view = view_of(messages)
    return view.shown, list(messages), earlier_button(view, lang)


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
        button = gr.skip() if step.view is None else earlier_button(step.view, self.lang)
        return self._chat(step.shown, frame), frame.messages, button, frame.reasoning, frame.usage

    def send_frame(self, frame: AnswerFrame) -> tuple:
        """A frame of the page's Send (SEND_OUTPUTS): no button, the after-step sets it."""
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
        self.held = HeldMessages()  # messages Send did not send, until after_send gives them back

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

    # --- Send ------------------------------------------------------------------------------

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

    async def respond_in_page(self, message, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                              request: gr.Request):
        """/chat for the page's Send: the message box was emptied in the browser, so a
        refused message is put back in it (nothing the visitor typed is lost). Runs
        without Gradio's pre- and postprocessing: the inputs arrive as the page sent
        them, validated here; the chat goes out serialized by the Chatbot's own
        postprocess."""
        async for frame in self._respond_in_page(message, shown, whole, model, system_prompt, controls,
                                                 visitor_key, request, anyway=False):
            yield frame

    async def respond_anyway(self, message, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                             request: gr.Request):
        """Send anyway: the message with pictures goes to the chosen model although the
        catalogue does not know it to see images (a custom model id)."""
        async for frame in self._respond_in_page(message, shown, whole, model, system_prompt, controls,
                                                 visitor_key, request, anyway=True):
            yield frame

    async def _respond_in_page(self, message, shown, whole, model, system_prompt, controls, visitor_key, request,
                               anyway: bool):
        """Outputs: SEND_OUTPUTS. A message not sent is held for the after-step (after_send),
        and the question the page put in the chat is taken out again (unless another answer
        of the page streams: its next frame does that)."""
        lang, session = lang_of(request), request.session_hash
        text, attachments = uploads.message_parts(message)
        shown, question_shown = without_sent_question(shown, text, len(attachments))
        ask = self.request(model, system_prompt, controls, visitor_key, request, text, attachments)
        conversation = PageConversation.of(whole, shown)
        pane = PaneFrames(self.chatbot, lang, conversation.shown_from, serialize=True, question_shown=question_shown)
        async for frame in self.converse(message, conversation.whole, ask, lang, session, anyway=anyway,
                                         one_at_a_time=True):
            if isinstance(frame, (Refused, NotVision)):
                self.held.hold(session, frame)
                restore = shown if question_shown and not self.ctx.runs.busy(session) else gr.skip()
                yield (restore, *unchanged(SEND_OUTPUTS - 1))
            else:
                yield pane.send_frame(frame)
        if not pane.started:
            # Refused, held back or blank: the last frame changes nothing (see the module's docstring).
            yield unchanged(SEND_OUTPUTS)

    def after_send(self, whole: list, request: gr.Request):
        """The step after the page's Send: a held message back in the box (with the notice
        when it carried pictures for a model that cannot see them), else the "show earlier"
        button for the whole conversation. Outputs: the button, the box, the notice, its text."""
        lang, frame = lang_of(request), self.held.take(request.session_hash)
        if isinstance(frame, NotVision):
            return gr.skip(), frame.message, gr.update(visible=True), t(lang, "image_not_vision", model=frame.model)
        if isinstance(frame, Refused):
            return gr.skip(), frame.message, gr.update(visible=False), gr.skip()
        return earlier_button(view_of(whole or []), lang), gr.skip(), gr.skip(), gr.skip()

    # --- Retry and Edit ----------------------------------------------------------------------

    async def _regenerate(self, history: list, ask: ChatRequest, index: int | None, lang: str, session: str):
        """The frames of a new answer to the question the answer at ``index`` (of the
        whole conversation ``history``; None: the last one) replied to, or nothing."""
        history = truncate_for_retry(history, index)
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
        replaced by a new answer to the edited message."""
        lang = lang_of(request)
        conversation = PageConversation.of(whole, shown)
        index = conversation.whole_index(getattr(edit_data, "index", None))
        edited = edit_history(conversation.whole, index, getattr(edit_data, "value", None))
        ask = self.request(model, system_prompt, controls, visitor_key, request, last_text(edited))
        problem = refusal(ask, lang, key_set=self.key_set(ask)) if edited else None
        if problem:
            gr.Warning(problem, duration=15)
        if problem or not edited or not awaiting_answer(edited):
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
        return whole_view(whole or []).shown, gr.skip(), gr.update(visible=False)

    async def clear(self, request: gr.Request):
        # Stops this session's answer too, without letting its last update redraw the chat.
        self.ctx.runs.stop(request.session_hash, discard=True)
        return [], [], gr.update(visible=False), "", t(lang_of(request), "usage_empty")
