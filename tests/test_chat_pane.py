"""sfui.ui.chat_handlers.PaneFrames: what the page's streaming steps send the chat while an
answer streams (the messages it showed, then the new turn) and with its last frame
(the latest turns), with the whole conversation for the session."""

from __future__ import annotations

import gradio as gr

from sfui.chat_window import SHOWN_QUESTIONS, view_of
from sfui.ui.chat_handlers import AnswerFrame, PaneFrames
from tests.test_chat_window import conversation


def frame(messages: list, ended: bool = False) -> AnswerFrame:
    return AnswerFrame(messages, "", "usage", ended=ended)


def questions(messages: list) -> list[str]:
    return [m["content"] for m in messages if m["role"] == "user"]


def test_the_chat_slides_to_the_latest_turns_only_with_the_last_frame():
    before = conversation(20)
    shown = view_of(before).shown
    pane = PaneFrames(gr.Chatbot(), "en", len(before) - len(shown), serialize=False)
    asked = [*before, {"role": "user", "content": "q21"}]
    chat, whole, button, bar, reasoning, usage = pane.frame(frame(asked))
    assert questions(chat) == [*questions(shown), "q21"] and whole == asked
    assert button["visible"] and "earlier" in button["value"] and bar == {"__type__": "update", "visible": False,
                                                                          "value": ""}
    answering = [*asked, {"role": "assistant", "content": "a2"}]
    chat, whole, button, bar, _, _ = pane.frame(frame(answering))
    assert questions(chat) == [*questions(shown), "q21"] and button == bar == gr.skip()
    answered = [*asked, {"role": "assistant", "content": "a21"}]
    chat, whole, button, _, _, _ = pane.frame(frame(answered, ended=True))
    assert len(questions(chat)) == SHOWN_QUESTIONS and questions(chat)[-1] == "q21" and whole == answered
    assert button["value"] == f"Show the {21 - SHOWN_QUESTIONS} earlier questions and answers"


def test_frames_skipping_postprocessing_go_out_as_the_chatbot_serializes_them():
    pane = PaneFrames(gr.Chatbot(), "zh", 0, serialize=True)
    chat, whole, button, _, _, _ = pane.frame(frame([{"role": "user", "content": "你好"}]))
    assert chat[0]["role"] == "user" and chat[0]["content"] == [{"type": "text", "text": "你好"}]
    assert whole == [{"role": "user", "content": "你好"}] and button == {"__type__": "update", "visible": False}
