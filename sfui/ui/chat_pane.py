"""The chat pane: its layout, the handlers of Send, Stop, Retry, Undo and Clear,
and the public ``/chat`` and ``/retry`` endpoints.

Send is a chain. Its first step runs in the browser (no server round trip
before the request is queued): it empties the box, unless the message is
blank, and hands the message (its text and attached pictures) over through a
hidden box. The queued step reads and checks the pictures (sfui/ui/uploads.py:
each upload is deleted once read; the picture goes on as a data: URL in the
chat history), then streams into the chat and the side panels only; the box is
touched again only to give back a refused message. A message with pictures to
a model not known to see images is not sent: a notice says so, with Send anyway
for a model id the catalogue does not know.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..catalog import model_info
from ..chat import (
    MAX_MESSAGE_CHARS,
    FramePacer,
    Turn,
    api_messages,
    append_user,
    awaiting_answer,
    check_message,
    clean_history,
    edit_history,
    last_text,
    truncate_for_retry,
    undo_last_question,
)
from ..chat_window import (
    ChatView,
    answering_view,
    shown_from,
    view_of,
    whole_conversation,
    whole_index,
    whole_view,
)
from ..i18n import t
from ..images import PreparedImage
from ..params import Controls, InputError
from ..streaming import QUESTION_GRACE, PanelUpdates, stream_turn
from . import uploads
from .common import AppContext, FinishedAnswer, as_text, label, lang_of, unchanged
from .fields import with_request_fields
from .starters import ExampleButtons, render_examples

LATEX = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "\\[", "right": "\\]", "display": True},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "$", "right": "$", "display": False},
]

# Browser updates per second while streaming, at most: FramePacer sends fewer as the
# answer grows long or many answers stream at once. Each is one SSE message and a
# re-render whose cost grows with the answer; bench/ measured 10 fps at two thirds of
# the browser CPU of 20 fps, and text at 10 updates a second still reads as streaming.
FPS = 10

# The browser-side first step of Send: empty the box (a blank message stays, and is
# ignored) and pass the message on to the queued step through a hidden textbox.
TAKE_MESSAGE_JS = "(message) => [message && message.trim() ? '' : message, message]"
# The same for the chat's box, whose value is {text, files}: a message with only a
# picture is not blank.
TAKE_MULTIMODAL_JS = """(message) => {
  const blank = !message || (!(message.text || '').trim() && !(message.files || []).length);
  return [blank ? message : {text: '', files: []}, message];
}"""



class AnswerFrame(tuple):
    """One frame of an answer as stream_reply yields it: (chat messages, reasoning
    text, usage table); ``ended``: it is the answer's last frame (it ended, was
    stopped or failed)."""

    ended = False


@dataclass(frozen=True)
class Refused:
    """converse()'s only frame when a message cannot be sent (a toast says why):
    ``message`` is what goes back in the box (the text and the pictures still
    attachable)."""

    message: Any


@dataclass(frozen=True)
class NotVision:
    """converse()'s only frame when pictures go to a model not known to see them;
    the message goes back in the box as it was."""

    model: str
    message: Any


@dataclass
class ChatArea:
    chatbot: gr.Chatbot  # the latest turns of the conversation (sfui.chat_window)
    history: gr.State  # the whole conversation, on the server (per tab)
    show_earlier_btn: gr.Button  # "Show the N earlier questions", above the chat while some are hidden
    user_input: gr.MultimodalTextbox
    send_btn: gr.Button
    stop_btn: gr.Button
    clear_btn: gr.Button
    pending_message: gr.MultimodalTextbox  # the message on its way from the box to the streaming step
    api_chat: gr.Button  # a trigger no visitor can press: only for the /chat endpoint
    api_retry: gr.Button  # the same for /retry
    api_message: gr.Textbox  # /chat's message: text, as the API has always taken it
    vision_notice: gr.Row  # "this model can't see images", shown instead of sending
    vision_text: gr.Markdown
    send_anyway_btn: gr.Button
    examples: ExampleButtons  # the starters under the empty chat

    def view_outputs(self) -> list:
        """The outputs that show a conversation: the chat, the whole conversation and
        the "show earlier" button, in :func:`chat_view`'s order."""
        return [self.chatbot, self.history, self.show_earlier_btn]


def earlier_button(view: ChatView, lang: str) -> Any:
    """The "show earlier" button for ``view``: shown with how many questions it
    would add back, or hidden when nothing is hidden."""
    if not view.hidden_questions:
        return gr.update(visible=False)
    return gr.update(visible=True, value=t(lang, "show_earlier", count=view.hidden_questions))


def chat_view(messages: list, lang: str) -> tuple[list, list, Any]:
    """A conversation as the chat shows it (:meth:`ChatArea.view_outputs`): its latest
    turns, the whole of it, and the "show earlier" button."""
    view = view_of(messages)
    return view.shown, list(messages), earlier_button(view, lang)


def render_chat_area() -> ChatArea:
    show_earlier_btn = gr.Button(label("label_show_earlier"), visible=False, size="sm", elem_id="show-earlier-btn")
    chatbot = gr.Chatbot(
        elem_id="chatbot",
        editable="user",  # edit an earlier question and send it again from there
        label=label("label_chat"),
        height=560,
        buttons=["copy", "copy_all"],
        latex_delimiters=LATEX,
        sanitize_html=True,
        placeholder=label("label_chat_placeholder"),
    )
    examples = render_examples()
    with gr.Row(visible=False, elem_id="vision-notice") as vision_notice:
        vision_text = gr.Markdown(elem_id="vision-notice-text")
        send_anyway_btn = gr.Button(label("label_send_anyway"), elem_id="send-anyway-btn", size="sm", scale=0,
                                    min_width=140)
    with gr.Row(elem_id="input-row"):
        user_input = gr.MultimodalTextbox(
            elem_id="user-input",
            show_label=False,
            placeholder=label("label_placeholder"),
            sources=["upload"],  # the clip button; drag-drop and paste work as well
            file_types=["image"],
            file_count="multiple",
            # A longer paste would become a pasted_text.txt attachment instead of text.
            max_plain_text_length=MAX_MESSAGE_CHARS,
            submit_btn=False,  # Send is its own button, beside Stop
            lines=1,
            max_lines=12,
            scale=8,
            autofocus=True,
        )
        with gr.Column(scale=1, min_width=110):
            send_btn = gr.Button(label("label_send"), variant="primary", elem_id="send-btn")
            stop_btn = gr.Button(label("label_stop"), variant="stop", elem_id="stop-btn")
            clear_btn = gr.Button(label("label_clear"), elem_id="clear-btn")
    pending_message = gr.MultimodalTextbox(visible=False, elem_id="pending-message", file_count="multiple",
                                           max_plain_text_length=MAX_MESSAGE_CHARS)
    api_chat = gr.Button(visible=False, elem_id="api-chat")
    api_retry = gr.Button(visible=False, elem_id="api-retry")
    api_message = gr.Textbox(visible=False, elem_id="api-message")
    return ChatArea(chatbot, gr.State([]), show_earlier_btn, user_input, send_btn, stop_btn, clear_btn,
                    pending_message, api_chat, api_retry, api_message, vision_notice, vision_text, send_anyway_btn,
                    examples)


class _RetryData(gr.EventData):
    """gr.RetryData, except that a call through the API (``/retry`` from
    gradio_client carries no event data) means "the last answer" instead of
    crashing in gr.RetryData's constructor."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.index = data.get("index") if isinstance(data, dict) else None


class ChatHandlers:
    """The chat's event handlers. The streaming ones take the request fields as
    one ``controls`` parameter; :func:`with_request_fields` gives Gradio one
    parameter per field in its place."""

    def __init__(self, ctx: AppContext, chatbot: gr.Chatbot) -> None:
        self.ctx = ctx
        self.chatbot = chatbot

    # --- the answer ---------------------------------------------------------------

    async def stream_reply(
        self, history: list, model_id: str, system: str, controls: Controls, visitor_key: str | None, lang: str,
        session: str,
    ) -> AsyncIterator[tuple[list, str, str]]:
        """Yield (chat messages, reasoning text, usage table): the visitor's message
        with a "waiting" table (unless the first token comes along), then the answer
        as it streams."""
        ctx = self.ctx
        history = clean_history(history)
        turn = Turn(history, lang)
        waiting = turn.usage_markdown()
        # Registered before the first yield: from the caller's busy check to here
        # nothing awaits, so two quick sends from one page cannot both start; and a
        # Stop pressed before the request goes out ends it before it starts.
        with ctx.runs.track(session) as run:
            stream = ctx.client_for(ctx.effective_key(visitor_key)).chat_stream(
                (model_id or ctx.settings.default_model).strip(),
                api_messages(history, system, controls.image_detail), **controls.to_params()
            )
            panels = PanelUpdates(reasoning="", usage=waiting)
            pacer = FramePacer(FPS, streams=lambda: len(ctx.runs))
            # The request leaves first; the question is shown with the first token when
            # that comes within QUESTION_GRACE, else alone (with the "waiting" table).
            frames = stream_turn(stream, turn, run, pacer=pacer, sent_grace=QUESTION_GRACE)
            async for shown in frames:
                frame = AnswerFrame(panels.render(shown))
                if shown.ended_at is not None:
                    frame.ended = True
                    # For the conversation's save step, which runs right after this one.
                    ctx.answers.remember(session, FinishedAnswer(shown, stream.payload))
                yield frame

    def refusal(self, message: str | None, controls: Controls, visitor_key: str | None, lang: str,
                has_pictures: bool = False) -> str | None:
        """Why this message cannot be sent (shown as a toast), or None if it can.
        An empty message is not refused: it is ignored."""
        try:
            check_message(message, has_pictures)
            controls.to_params()
            _ = controls.image_detail
        except InputError as exc:
            return exc.user_message(lang)
        if not self.ctx.effective_key(visitor_key):
            return t(lang, "no_key_toast")
        return None

    async def converse(self, message, history, model, system_prompt, controls: Controls, visitor_key, request,
                       anyway: bool = False, one_at_a_time: bool = False):
        """The frames answering ``message`` (the box's value: text and attached
        pictures), or just one frame saying why not: Refused (with a toast saying
        why), or NotVision for pictures to a model not known to see them (unless
        ``anyway``). An empty message is ignored: no frame at all. Pictures are read
        only once nothing else stands in the way, and then deleted from Gradio's
        upload cache; a refused picture is deleted and left out of the message given
        back. ``one_at_a_time``: refuse while this page's previous answer streams."""
        lang = lang_of(request)
        text, attachments = uploads.message_parts(message)
        model, system_prompt = as_text(model), as_text(system_prompt)
        problem = self.refusal(text, controls, visitor_key, lang, bool(attachments))
        if problem:
            gr.Warning(problem, duration=15)
            yield Refused(message)
            return
        if check_message(text, bool(attachments)) is None:
            yield Refused(message)
            return
        model_id = (model or self.ctx.settings.default_model).strip()
        if attachments and not anyway and not model_info(model_id).vision:
            yield NotVision(model_id, message)
            return
        images: list[PreparedImage] = []
        if attachments:
            prepared, problems = await asyncio.to_thread(uploads.read_attachments, attachments, lang)
            if problems:
                good = [a for a, image in zip(attachments, prepared, strict=True) if image is not None]
                gr.Warning(t(lang, "bad_input", problem="; ".join(problems)), duration=20)
                yield Refused(uploads.box_value(text, good))
                return
            if one_at_a_time and self.ctx.runs.busy(request.session_hash):
                # (another Send of this page started while the pictures were read)
                gr.Warning(t(lang, "busy_toast"), duration=10)
                yield Refused(message)
                return
            for attachment in attachments:
                uploads.discard(attachment.path)
            images = [image for image in prepared if image is not None]
        frames = self.ask(history or [], text or "", images, model, system_prompt, controls, visitor_key, lang,
                          request.session_hash)
        async for frame in frames:
            yield frame

    def ask(self, history: list, text: str, images: list[PreparedImage], model: str | None,
            system_prompt: str | None, controls: Controls, visitor_key: str | None, lang: str,
            session: str) -> AsyncIterator[tuple[list, str, str]]:
        """Send ``text`` with ``images`` (sfui.images.prepare_path / prepare_image) after
        ``history``: the frames of the answer, as Send streams them. The one call for a
        message with pictures that has passed the checks (an example prompt with a
        sample picture can call it too)."""
        asked = append_user(history, text, images)
        return self.stream_reply(asked, model, system_prompt, controls, visitor_key, lang, session)

    def serialized(self, frame: tuple[list, str, str]) -> tuple[Any, str, str]:
        """A frame as Gradio's postprocessing would have sent it: the streaming steps
        skip it; the chat goes through the Chatbot's own postprocess."""
        messages, reasoning, usage = frame
        return self.chatbot.postprocess(messages).model_dump(), reasoning, usage

    # --- the endpoints --------------------------------------------------------------

    async def respond(self, message, history, kept, model, system_prompt, controls: Controls, visitor_key,
                      request: gr.Request):
        """Stream the answer to ``message``: the public ``/chat`` endpoint; its
        parameters are named after the API's request fields. ``message`` is text (the
        API takes no pictures: a picture in ``history`` is sent again, though). Like the
        page's step, it skips Gradio's pre- and postprocessing. The caller's
        ``history`` is the whole conversation, and so is the chat it gets back."""
        try:
            history = whole_conversation(kept, history)
            frames = self.converse(as_text(message), history, model, system_prompt, controls, visitor_key, request)
            async for frame in frames:
                # Gradio would set every output to None if we yielded nothing.
                yield unchanged(3) if isinstance(frame, Refused | NotVision) else self.serialized(frame)
        finally:
            # An API caller has no saved conversations: nothing will take this answer.
            self.ctx.answers.take(request.session_hash)

    async def respond_in_page(self, message, history, kept, model, system_prompt, controls: Controls, visitor_key,
                              request: gr.Request):
        """/chat for the page's Send: the message box was emptied in the browser,
        so a refused message is put back in it (nothing the visitor typed is lost).

        Runs without Gradio's pre- and postprocessing: the inputs arrive as the page
        sent them, validated here (Controls, check_message, the pictures by
        sfui.images; the chat by its data model), and the chat goes out serialized by
        the Chatbot's own postprocess."""
        async for frame in self._respond_in_page(message, history, kept, model, system_prompt, controls, visitor_key,
                                                 request, anyway=False):
            yield frame

    async def respond_anyway(self, message, history, kept, model, system_prompt, controls: Controls, visitor_key,
                             request: gr.Request):
        """Send anyway: the message with pictures goes to the chosen model although the
        catalogue does not know it to see images (a custom model id)."""
        async for frame in self._respond_in_page(message, history, kept, model, system_prompt, controls, visitor_key,
                                                 request, anyway=True):
            yield frame

    async def _respond_in_page(self, message, history, kept, model, system_prompt, controls, visitor_key, request,
                               anyway: bool):
        hidden = gr.update(visible=False)
        text, attachments = uploads.message_parts(message)
        lang = lang_of(request)
        if self.ctx.runs.busy(request.session_hash) and ((text or "").strip() or attachments):
            # Sent while this page's previous answer still streams: one answer at a
            # time per page, and the message goes back in the box, not into the void.
            gr.Warning(t(lang, "busy_toast"), duration=10)
            yield (*unchanged(PANE_OUTPUTS), message, gr.skip(), gr.skip())
            return
        whole = whole_conversation(kept, history)
        pane = PaneFrames(self.chatbot, lang, shown_from(whole, history), serialize=True)
        frames = self.converse(message, whole, model, system_prompt, controls, visitor_key, request, anyway=anyway,
                               one_at_a_time=True)
        async for frame in frames:
            if isinstance(frame, Refused):
                yield (*unchanged(PANE_OUTPUTS), frame.message, hidden, gr.skip())
            elif isinstance(frame, NotVision):
                notice = t(lang, "image_not_vision", model=frame.model)
                yield (*unchanged(PANE_OUTPUTS), frame.message, gr.update(visible=True), notice)
            else:
                first = pane.started is None
                yield (*pane.frame(frame), gr.skip(), hidden if first else gr.skip(), gr.skip())

    async def _regenerate(self, history, model, system_prompt, controls: Controls, visitor_key, index, lang,
                          session: str):
        """The frames of a new answer to the question the answer at ``index`` (of the
        whole conversation ``history``; None: the last one) replied to, or nothing."""
        history = truncate_for_retry(history, index if isinstance(index, int) else None)
        problem = self.refusal(None, controls, visitor_key, lang)
        if problem:
            gr.Warning(problem, duration=15)
        if problem or not awaiting_answer(history):
            return
        async for frame in self.stream_reply(history, model, system_prompt, controls, visitor_key, lang, session):
            yield frame

    async def regenerate(self, history, kept, model, system_prompt, controls: Controls, visitor_key,
                         retry_data: _RetryData, request: gr.Request):
        """Retry in the page: drop the answer clicked (the chat's index, of its latest
        turns) and stream a new one into the chat."""
        lang = lang_of(request)
        whole = whole_conversation(kept, history)
        index = whole_index(whole, history, getattr(retry_data, "index", None))
        pane = PaneFrames(self.chatbot, lang, shown_from(whole, history), serialize=False)
        async for frame in self._regenerate(whole, model, system_prompt, controls, visitor_key, index, lang,
                                            request.session_hash):
            yield pane.frame(frame)
        if pane.started is None:
            yield unchanged(PANE_OUTPUTS)

    async def regenerate_api(self, history, kept, model, system_prompt, controls: Controls, visitor_key,
                             request: gr.Request):
        """The public ``/retry``: a new answer to the last question of ``history``
        (the whole conversation, which comes back whole)."""
        lang = lang_of(request)
        answered = False
        async for frame in self._regenerate(whole_conversation(kept, history), model, system_prompt, controls,
                                            visitor_key, None, lang, request.session_hash):
            answered = True
            yield frame
        if not answered:
            yield unchanged(3)

    async def edit(self, history, kept, model, system_prompt, controls: Controls, visitor_key,
                   edit_data: gr.EditData, request: gr.Request):
        """An earlier message of the visitor's, edited: the answers after it are
        replaced by a new answer to the edited message."""
        lang = lang_of(request)
        whole = whole_conversation(kept, history)
        index = whole_index(whole, history, getattr(edit_data, "index", None))
        keep_from = shown_from(whole, history)
        whole = edit_history(whole, index, getattr(edit_data, "value", None))
        problem = self.refusal(last_text(whole), controls, visitor_key, lang) if whole else None
        if problem:
            gr.Warning(problem, duration=15)
        if problem or not whole or not awaiting_answer(whole):
            yield unchanged(PANE_OUTPUTS)
            return
        pane = PaneFrames(self.chatbot, lang, keep_from, serialize=False)
        frames = self.stream_reply(whole, model, system_prompt, controls, visitor_key, lang, request.session_hash)
        async for frame in frames:
            yield pane.frame(frame)

    async def stop(self, request: gr.Request) -> None:
        # Async and queue=False: runs on the event loop at once, like the pumps it closes.
        self.ctx.runs.stop(request.session_hash)

    def undo(self, history: list, kept: list, undo_data: gr.UndoData, request: gr.Request):
        """Undo: take back the question clicked (the chat's index) and what followed.
        Outputs: the chat's view (chat_view) and the message box."""
        whole = whole_conversation(kept, clean_history(history or []))
        index = whole_index(whole, history, getattr(undo_data, "index", None))
        whole, text, pictures = undo_last_question(whole, index if isinstance(index, int) else None)
        # The question goes back in the box whole: its text and its pictures (their
        # uploads were deleted when it was sent, so they are written back from the chat).
        return (*chat_view(whole, lang_of(request)), {"text": text, "files": uploads.restore(pictures)})

    def show_earlier(self, kept: list):
        """Show earlier: the whole conversation in the chat. Outputs: chat_view's."""
        view = whole_view(kept or [])
        return view.shown, gr.skip(), gr.update(visible=False)

    async def clear(self, request: gr.Request):
        # Stops this session's answer too, without letting its last update redraw the chat.
        self.ctx.runs.stop(request.session_hash, discard=True)
        return [], [], gr.update(visible=False), "", t(lang_of(request), "usage_empty")


# The outputs of the page's streaming steps: the chat's view (ChatArea.view_outputs), then the two panels.
PANE_OUTPUTS = 5


class PaneFrames:
    """An answer's frames (AnswerFrame: the whole conversation, the reasoning, the
    usage) as the page's streaming steps send them: while the answer streams the chat
    keeps the messages it showed and gets the new turn (sfui.chat_window.answering_view;
    ``keep_from``: the index of the first message it showed); the answer's last frame
    slides it to the latest turns (view_of). The session keeps the whole conversation;
    the "show earlier" button is set with the first frame and the last.
    ``serialize``: the step skips Gradio's postprocessing, so the chat goes out
    through the Chatbot's own."""

    def __init__(self, chatbot: gr.Chatbot, lang: str, keep_from: int, serialize: bool) -> None:
        self.chatbot = chatbot
        self.lang = lang
        self.keep_from = keep_from
        self.serialize = serialize
        self.started: int | None = None  # the index of the first message shown

    def frame(self, frame: tuple[list, str, str]) -> tuple:
        """(chat, whole conversation, button, reasoning, usage): the view's outputs
        (ChatArea.view_outputs), then the panels'."""
        messages, reasoning, usage = frame
        button = gr.skip()
        if self.started is None or getattr(frame, "ended", False):
            view = view_of(messages) if getattr(frame, "ended", False) else answering_view(messages, self.keep_from)
            self.started, button = view.hidden_messages, earlier_button(view, self.lang)
        shown = messages[self.started:]
        if self.serialize:
            shown = self.chatbot.postprocess(shown).model_dump()
        return shown, messages, button, reasoning, usage


@dataclass
class ChatEvents:
    """The chat's events that change the conversation, for features that follow
    them (the saved conversations): each answer's end, and the other edits."""

    answered: list  # Send, Retry and Edit: the streaming steps
    edited: list  # Undo
    cleared: list  # Clear


def wire_chat(area: ChatArea, ctx: AppContext, stream_inputs: list, panels: list, sends: tuple = ()) -> ChatEvents:
    """Send, the API's /chat and /retry, Retry, Edit, Stop, Undo, Clear and Show
    earlier. ``stream_inputs``: the chat, the whole conversation, the model, system
    prompt, every request field and the key state, in the handlers' order;
    ``panels``: the reasoning and usage panels; ``sends``: other first steps that put
    a message in ``pending_message`` (the example prompts), each followed by the same
    streaming step as Send."""
    handlers = ChatHandlers(ctx, area.chatbot)
    chatbot = area.chatbot
    api_outputs = [chatbot, *panels]  # an API caller gets the whole chat back
    pane_outputs = [*area.view_outputs(), *panels]  # the page gets its latest turns (PaneFrames)
    stream_options = dict(concurrency_limit=ctx.settings.concurrency_limit, concurrency_id="chat",
                          show_progress="minimal", show_progress_on=[chatbot])
    # The streaming steps skip Gradio's pre- and postprocessing: Gradio runs each
    # component's (trivial) conversion in a worker thread, a thread hop per input per
    # event and per output per frame, which under many visitors delayed every request.
    answered = []
    page_outputs = [*pane_outputs, area.user_input, area.vision_notice, area.vision_text]
    take = dict(js=TAKE_MULTIMODAL_JS, queue=False)
    first_steps = [
        (area.user_input.submit(None, [area.user_input], [area.user_input, area.pending_message], **take),
         handlers.respond_in_page),
        (area.send_btn.click(None, [area.user_input], [area.user_input, area.pending_message], **take),
         handlers.respond_in_page),
        (area.send_anyway_btn.click(None, [area.user_input], [area.user_input, area.pending_message], **take),
         handlers.respond_anyway),
        *((first_step, handlers.respond_in_page) for first_step in sends),
    ]
    for first_step, handler in first_steps:
        answered.append(first_step.then(
            with_request_fields(handler), [area.pending_message, *stream_inputs],
            page_outputs, api_visibility="private", preprocess=False, postprocess=False,
            # "multiple": a message sent while an answer streams must reach the handler,
            # which gives it back; Gradio's default ("once") dropped it, and the box
            # had already been emptied.
            trigger_mode="multiple", **stream_options,
        ))
    area.api_chat.click(
        with_request_fields(handlers.respond), [area.api_message, *stream_inputs], api_outputs, api_name="chat",
        preprocess=False, postprocess=False, **stream_options,
    )
    area.api_retry.click(with_request_fields(handlers.regenerate_api), stream_inputs, api_outputs, api_name="retry",
                         **stream_options)
    answered.append(chatbot.retry(with_request_fields(handlers.regenerate), stream_inputs, pane_outputs,
                                  api_visibility="private", **stream_options))
    answered.append(chatbot.edit(with_request_fields(handlers.edit), stream_inputs, pane_outputs,
                                 api_visibility="private", **stream_options))
    # Another model chosen: the notice about the previous one no longer holds.
    model = stream_inputs[2]
    model.change(lambda: gr.update(visible=False), None, area.vision_notice, queue=False, api_visibility="private",
                 show_progress="hidden")
    area.stop_btn.click(handlers.stop, None, None, queue=False, api_visibility="private")
    undone = chatbot.undo(handlers.undo, [chatbot, area.history], [*area.view_outputs(), area.user_input],
                          queue=False, api_visibility="private")
    area.show_earlier_btn.click(handlers.show_earlier, [area.history], area.view_outputs(), queue=False,
                                api_visibility="private")
    cleared = [trigger(handlers.clear, None, pane_outputs, queue=False, api_visibility="private")
               for trigger in (area.clear_btn.click, chatbot.clear)]
    return ChatEvents(answered, [undone], cleared)
