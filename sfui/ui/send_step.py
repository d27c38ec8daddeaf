"""The page's Send: what the browser does first, the streaming step (:class:`PageSend`, around
ChatHandlers.converse, the one path of every message sent) and the quick step after it.

The streaming step updates only the chat, the session's conversation and the two panels,
values all: an output that is to stay as it is (the message box, the vision notice, the
"show earlier" button, the alternatives bar) would take a ``gr.skip()`` in every frame, and Gradio builds a new
component for each one (bench/: 4 ms of the server's time per frame for four of them,
against 0.07 ms for the frame without). So the box and the notice are the browser's step's
and the after-step's: the browser empties the box and shows the question at once; a
message the streaming step does not send is *held* here (:class:`HeldMessages`), and
the after-step (``PageSend.after_send``), which runs once the streaming step has
ended, gives it back to the box (or shows the notice about pictures), and sets the
"show earlier" button and the alternatives bar for the conversation as it then stands.

Held messages are kept per browser session, in arrival order; whichever after-step of
that page comes first takes the oldest, so a message refused while another answer of the
page streams (and ends) comes back all the same.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Any

import gradio as gr

from ..chat_window import PageConversation, view_of, without_sent_question
from ..i18n import t
from ..params import Controls
from . import uploads
from .alt_bar import status_update
from .chat_handlers import ChatHandlers, NotVision, PaneFrames, Refused, earlier_button
from .common import lang_of, unchanged

# Sessions with a held message, at most: a page closed between its refusal and its
# after-step leaves one behind (the oldest go first).
HELD_SESSIONS = 10_000
# The outputs of the streaming step: the chat, the whole conversation and the two panels,
# values all (the after-step's: AFTER_SEND_OUTPUTS).
SEND_OUTPUTS = 4
# ... and of the after-step: the "show earlier" button, the alternatives bar's status, the
# box, the notice about pictures and its text.
AFTER_SEND_OUTPUTS = 5

# Send's first step, in the browser (no server round trip before the request is queued):
# empty the box and hand the message over (a message with only a picture is not blank);
# show the question in the chat at once, as the streaming step will (the step tells it
# from the chat it receives: sfui.chat_window.without_sent_question); hide the notice about
# pictures if it is shown. Not while this page's previous answer streams (its chat
# indicator is up): that message is refused, and the stream's next frame would take it
# out of the chat anyway. Outputs: the box, the hand-over box, the chat, the notice
# (undefined: left as it is).
SEND_JS = """(message, chat) => {
  const text = (message && message.text) || '';
  const files = (message && message.files) || [];
  if (!text.trim() && !files.length) return [message, message, undefined, undefined];
  const indicator = document.querySelector('#chatbot .wrap.minimal');
  const streaming = indicator !== null && !indicator.classList.contains('hide');
  const content = [...(text.trim() ? [{type: 'text', text}] : []),
                   ...files.map((file) => ({type: 'file', file, alt_text: null}))];
  const question = {role: 'user', metadata: null, content, options: null};
  const notice = document.getElementById('vision-notice') ? {__type__: 'update', visible: false} : undefined;
  return [{text: '', files: []}, message, streaming ? undefined : [...(chat || []), question], notice];
}"""


class HeldMessages:
    """Messages the page's Send did not send, per browser session, until the after-step
    gives them back."""

    def __init__(self, sessions: int = HELD_SESSIONS) -> None:
        self._held: OrderedDict[str, deque[Any]] = OrderedDict()
        self._sessions = sessions

    def hold(self, session: str, frame: Any) -> None:
        self._held.setdefault(session, deque()).append(frame)
        self._held.move_to_end(session)
        while len(self._held) > self._sessions:
            self._held.popitem(last=False)

    def take(self, session: str) -> Any:
        """The session's oldest held message (None: nothing held)."""
        held = self._held.get(session)
        if not held:
            return None
        frame = held.popleft()
        if not held:
            del self._held[session]
        return frame


class PageSend:
    """The page's Send, Enter, Send anyway and example prompts: the streaming step and the
    step after it, on the chat's handlers (``chat``)."""

    def __init__(self, chat: ChatHandlers) -> None:
        self.chat = chat
        self.held = HeldMessages()  # messages Send did not send, until after_send gives them back

    async def respond_in_page(self, message, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                              request: gr.Request):
        """/chat for the page's Send: the message box was emptied in the browser, so a
        refused message is put back in it (nothing the visitor typed is lost). Runs
        without Gradio's pre- and postprocessing: the inputs arrive as the page sent
        them, validated here; the chat goes out serialized by the Chatbot's own
        postprocess."""
        async for frame in self._respond(message, shown, whole, model, system_prompt, controls, visitor_key,
                                         request, anyway=False):
            yield frame

    async def respond_anyway(self, message, shown, whole, model, system_prompt, controls: Controls, visitor_key,
                             request: gr.Request):
        """Send anyway: the message with pictures goes to the chosen model although the
        catalogue does not know it to see images (a custom model id)."""
        async for frame in self._respond(message, shown, whole, model, system_prompt, controls, visitor_key,
                                         request, anyway=True):
            yield frame

    async def _respond(self, message, shown, whole, model, system_prompt, controls, visitor_key, request,
                       anyway: bool):
        """Outputs: SEND_OUTPUTS. A message not sent (refused, for a session let go while
        idle too, or held back for pictures) is held for the after-step, and the question the
        page put in the chat is taken out again (unless another answer of the page streams:
        its next frame does that)."""
        chat, lang, session = self.chat, lang_of(request), request.session_hash
        text, attachments = uploads.message_parts(message)
        shown, question_shown = without_sent_question(shown, text, len(attachments))
        ask = chat.request(model, system_prompt, controls, visitor_key, request, text, attachments)
        if question_shown:
            ask = ask.shown_by_page()
        conversation = PageConversation.of(whole, shown)
        pane = PaneFrames(chat.chatbot, lang, conversation.shown_from, serialize=True, question_shown=question_shown)
        async for frame in chat.converse(message, conversation.whole, ask, lang, session, anyway=anyway,
                                         one_at_a_time=True):
            if isinstance(frame, (Refused, NotVision)):
                self.held.hold(session, frame)
                restore = shown if question_shown and not chat.ctx.runs.busy(session) else gr.skip()
                yield (restore, *unchanged(SEND_OUTPUTS - 1))
            else:
                yield pane.send_frame(frame)
        if not pane.started:
            # Refused, held back or blank: the last frame changes nothing (chat_handlers' docstring).
            yield unchanged(SEND_OUTPUTS)

    def after_send(self, whole: list, request: gr.Request):
        """The step after the page's Send: a held message back in the box (with the notice
        when it carried pictures for a model that cannot see them), else the "show earlier"
        button and the alternatives bar for the whole conversation. Outputs: AFTER_SEND_OUTPUTS."""
        lang, frame = lang_of(request), self.held.take(request.session_hash)
        if isinstance(frame, NotVision):
            notice = t(lang, "image_not_vision", model=frame.model)
            return gr.skip(), gr.skip(), frame.message, gr.update(visible=True), notice
        if isinstance(frame, Refused):
            return gr.skip(), gr.skip(), frame.message, gr.update(visible=False), gr.skip()
        whole = whole or []
        return earlier_button(view_of(whole), lang), status_update(whole, lang), *unchanged(AFTER_SEND_OUTPUTS - 2)
