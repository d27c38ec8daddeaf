"""A long conversation in the chat pane: only its latest turns are shown.

The browser's chat component re-renders and copies every message it holds on
each update, so a chat holding the whole of a long conversation gets slower with
every turn: the first token at turn 50 and reopening a saved 100-turn
conversation both paid for every earlier message. The chat pane therefore holds
only the last few questions with their answers (the *window*); the whole
conversation stays on the server, in the page's session state, for the API
requests, saving, export, View code, Retry, Undo and Edit. "Show earlier" puts
the whole conversation in the pane on request. While an answer streams the pane
keeps what it showed and adds the new turn; the answer's last frame slides the
window back to the latest turns.

The shown messages are always the tail of the whole conversation, so an index
the chat component reports (Retry, Undo, Edit) is turned into one of the whole
conversation by adding how many messages are hidden.

Plain Python, no Gradio: messages are dicts or objects with ``role`` and
``content``, as the chat holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .chat import message_text

# How many of the latest questions the chat pane shows, each with what answered it.
SHOWN_QUESTIONS = 2


def _role(message: Any) -> Any:
    return message.get("role") if isinstance(message, dict) else getattr(message, "role", None)


def window_start(history: list, questions: int = SHOWN_QUESTIONS) -> int:
    """The index of the first message shown: the ``questions``-th visitor message
    from the end (so the window opens on a question), or 0 when there are fewer."""
    seen = 0
    for i in range(len(history) - 1, -1, -1):
        if _role(history[i]) == "user":
            seen += 1
            if seen == questions:
                return i
    return 0


@dataclass(frozen=True)
class ChatView:
    """What the chat pane shows of a conversation: ``shown`` (its tail), and how
    many messages and questions are hidden before it."""

    shown: list
    hidden_messages: int
    hidden_questions: int


def view_from(history: list, start: int) -> ChatView:
    """``history`` from its message ``start`` on."""
    start = max(0, min(start, len(history)))
    hidden = sum(1 for message in history[:start] if _role(message) == "user")
    return ChatView(list(history[start:]), start, hidden)


def view_of(history: list, questions: int = SHOWN_QUESTIONS) -> ChatView:
    """The latest ``questions`` questions of ``history`` with their answers."""
    return view_from(history, window_start(history, questions))


def answering_view(history: list, keep_from: int) -> ChatView:
    """What the chat shows while ``history``'s last question is answered, when it
    showed the whole conversation from message ``keep_from`` on before: every message
    it showed stays where it was (and at least the latest questions are shown). The
    window slides to :func:`view_of` only with the answer's last frame: moving the
    first message shown makes the browser draw every message in the chat again, and
    before the first token that would delay it."""
    return view_from(history, min(keep_from, window_start(history)))


def shown_from(whole: list, shown: list | None) -> int:
    """The index in ``whole`` (as :func:`whole_conversation` returned it) of the
    first message the chat shows."""
    return max(0, len(whole) - len(shown or []))


def whole_view(history: list) -> ChatView:
    """All of ``history`` ("Show earlier")."""
    return ChatView(list(history), 0, 0)


def whole_conversation(kept: list | None, shown: list | None) -> list:
    """The whole conversation behind the chat pane's ``shown`` messages, given the
    session's ``kept`` copy. ``kept`` counts when ``shown`` is its tail, message by
    message by role (the browser sends the content back in its own block form, and
    an Edit has changed a question's text in the pane before it arrives). Otherwise
    the pane is the truth: a session that lost its copy (a restarted server), or an
    API caller, who sends the whole history as the chat."""
    kept, shown = list(kept or []), list(shown or [])
    if not shown:
        return []  # the pane always shows the latest question of a conversation
    if len(kept) < len(shown):
        return shown
    tail = kept[len(kept) - len(shown):]
    if all(_role(a) == _role(b) for a, b in zip(tail, shown, strict=True)):
        return kept
    return shown



def without_sent_question(shown: list | None, text: str | None, pictures: int = 0) -> tuple[list, bool]:
    """The chat pane's messages as they were before Send, and whether the page already
    shows the question being sent. The page's Send puts the question in the chat itself
    (no server round trip: sfui/ui/chat_pane.py), so the step answering it receives it
    as the pane's last message: a question with the same text and as many pictures.
    Any other pane (an example prompt's Send, which the page does not show first) comes
    back whole."""
    shown = list(shown or [])
    last = shown[-1] if shown else None
    if last is None or _role(last) != "user":
        return shown, False
    content = last.get("content") if isinstance(last, dict) else getattr(last, "content", None)
    files = sum(1 for part in content if isinstance(part, dict) and part.get("type") == "file") \
        if isinstance(content, list) else 0
    if message_text(content).strip() != (text or "").strip() or files != pictures:
        return shown, False
    return shown[:-1], True


@dataclass(frozen=True)
class PageConversation:
    """The conversation behind the chat pane as a step receives it: the ``whole`` of
    it (:func:`whole_conversation`) and where the ``shown`` messages start in it."""

    whole: list
    shown_from: int

    @classmethod
    def of(cls, kept: list | None, shown: list | None) -> PageConversation:
        """From the session's ``kept`` copy and the pane's ``shown`` messages."""
        whole = whole_conversation(kept, shown)
        return cls(whole, shown_from(whole, shown))

    def whole_index(self, index: Any) -> Any:
        """An index the chat pane reported (Retry, Undo, Edit), as one of the whole
        conversation. Anything but an int passes through unchanged."""
        if not isinstance(index, int) or isinstance(index, bool):
            return index
        return index + self.shown_from


@dataclass(frozen=True)
class WindowFrame:
    """One frame of the pane while an answer streams: the messages it shows and, when
    the hidden part changed (the first frame and the last), the view, for the "show
    earlier" button."""

    shown: list
    view: ChatView | None


class AnswerWindow:
    """Which messages the pane shows while an answer streams, asked once per frame:
    the first frame keeps the messages the pane showed (from ``keep_from``) and adds
    the new turn (:func:`answering_view`); later frames keep that start; the answer's
    last frame slides to the latest turns (:func:`view_of`)."""

    def __init__(self, keep_from: int) -> None:
        self.keep_from = keep_from
        self.started: int | None = None  # the index of the first message shown, once a frame was

    def frame(self, messages: list, *, ended: bool = False) -> WindowFrame:
        view = None
        if self.started is None or ended:
            view = view_of(messages) if ended else answering_view(messages, self.keep_from)
            self.started = view.hidden_messages
        return WindowFrame(messages[self.started:], view)
