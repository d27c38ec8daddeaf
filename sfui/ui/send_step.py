"""The page's Send around its streaming step: what the browser does first, and the quick
step after it.

The streaming step updates only the chat, the session's conversation and the two panels,
values all: an output that is to stay as it is (the message box, the vision notice, the
"show earlier" button) would take a ``gr.skip()`` in every frame, and Gradio builds a new
component for each one (bench/: 4 ms of the server's time per frame for four of them,
against 0.07 ms for the frame without). So the box and the notice are the browser's step's
and the after-step's: the browser empties the box and shows the question at once; a
message the streaming step does not send is *held* here (:class:`HeldMessages`), and
the after-step (``ChatHandlers.after_send``), which runs once the streaming step has
ended, gives it back to the box (or shows the notice about pictures), and sets the
"show earlier" button for the conversation as it then stands.

Held messages are kept per browser session, in arrival order; whichever after-step of
that page comes first takes the oldest, so a message refused while another answer of the
page streams (and ends) comes back all the same.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from typing import Any

# Sessions with a held message, at most: a page closed between its refusal and its
# after-step leaves one behind (the oldest go first).
HELD_SESSIONS = 10_000

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
