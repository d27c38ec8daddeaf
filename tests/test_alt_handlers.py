"""sfui/ui/alt_handlers.py: ‹ and › switch the place the bar shows, in the visitor's language,
keeping that place in view; a click on a message chooses the place; nothing switches while an
answer streams."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr
import pytest

from sfui import alternatives as alt
from sfui.chat import edit_history
from sfui.runs import RunRegistry
from sfui.ui.alt_handlers import SWITCH_OUTPUTS, AltHandlers


def q(text: str) -> dict:
    return {"role": "user", "content": text}


def a(text: str) -> dict:
    return {"role": "assistant", "content": text}


def request(lang: str = "en", session: str = "s") -> SimpleNamespace:
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session)


def handlers() -> AltHandlers:
    return AltHandlers(SimpleNamespace(runs=RunRegistry()))


def edited_then_retried() -> list:
    """Three turns; the first question edited (two wordings), then its answer retried."""
    history = [q("One"), a("A1"), q("Two"), a("A2"), q("Three"), a("A3")]
    history = [*alt.edited(history, 0, edit_history(history, 0, "Uno")), a("B1")]
    return [*alt.retried(history), a("B1 again")]


def test_previous_and_next_step_through_the_answers_in_the_visitors_language():
    history = [q("Why?"), a("First")]
    history = [*alt.retried([*alt.retried(history), a("Second")]), a("Third")]
    shown, whole, _, status, focus = handlers().previous_alternative(history, history, None, request("zh-CN,zh;q=0.9"))
    assert [m["content"] for m in whole] == ["Why?", "Second"] and shown == whole
    assert status == {"__type__": "update", "visible": True, "value": "回答 2 / 3"}
    shown, whole, _, status, focus = handlers().previous_alternative(shown, whole, focus, request())
    assert whole[-1]["content"] == "First" and status["value"] == "Answer 1 / 3"
    assert handlers().previous_alternative(shown, whole, focus, request()) == (gr.skip(),) * SWITCH_OUTPUTS
    shown, whole, _, status, _ = handlers().next_alternative(shown, whole, focus, request())
    assert whole[-1]["content"] == "Second" and status["value"] == "Answer 2 / 3"


def test_a_click_chooses_the_place_and_the_switch_keeps_it_in_view():
    history = edited_then_retried()
    status, focus = handlers().focus_alternatives(history, history, SimpleNamespace(index=1), request())
    assert status["value"] == "Answer 2 / 2" and focus.kind == alt.REPLIES  # an answer retried
    status, focus = handlers().focus_alternatives(history, history, SimpleNamespace(index=0), request())
    assert status["value"] == "Question 2 / 2" and focus.kind == alt.VERSIONS
    shown, whole, button, status, focus = handlers().previous_alternative(history, history, focus, request())
    assert [m["content"] for m in whole] == ["One", "A1", "Two", "A2", "Three", "A3"]
    assert shown == whole and button["visible"] is False  # the place switched (the first question) is in view
    assert status["value"] == "Question 1 / 2" and focus == alt.Focus.on(whole, alt.Fork(0, alt.VERSIONS, 0, 2))
    # A message without alternatives leaves the bar as it was.
    assert handlers().focus_alternatives(whole, whole, SimpleNamespace(index=3), request()) == (gr.skip(), gr.skip())


def test_a_focus_of_another_conversation_is_not_followed():
    history = edited_then_retried()
    stale = alt.Focus.on([q("elsewhere")], alt.Fork(0, alt.VERSIONS, 1, 2))
    *_, status, _ = handlers().previous_alternative(history, history, stale, request())
    assert status["value"] == "Answer 1 / 2"  # the lowest place: the retried answer


def test_nothing_switches_while_an_answer_streams():
    chat = handlers()
    history = [*alt.retried([q("Q"), a("A")]), a("B")]
    with chat.ctx.runs.track("s"), pytest.warns(UserWarning, match="still coming"):
        assert chat.previous_alternative(history, history, None, request()) == (gr.skip(),) * SWITCH_OUTPUTS
