"""The page's Send around its streaming step (sfui/ui/send_step.py, PageSend.respond_in_page
and after_send), driven directly against the fake SiliconFlow: the question the page showed
at once is sent once and left alone until the answer comes; an example prompt's question,
which the page did not show, comes in the step's own frame; the frames are values only; a
message not sent is held until the after-step gives it back. (In Chromium:
tests/test_send_browser.py.)"""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr
import pytest

from sfui import alternatives
from sfui.chat import message_text
from sfui.config import Settings
from sfui.params import Controls
from sfui.streaming import QUESTION_GRACE, WAITING_GRACE
from sfui.ui.chat_handlers import ChatHandlers, NotVision, Refused
from sfui.ui.common import AFTER_EACH, AppContext
from sfui.ui.page import build_demo
from sfui.ui.send_step import SEND_OUTPUTS, HeldMessages, PageSend
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import no_limits
from tests.support.sfserver import Sleep, stream
from tests.test_chat_window import as_browser_sends, conversation, page_question

SESSION = "session-send"
SKIP = {"__type__": "update"}


def web_request(lang: str = "en-US") -> SimpleNamespace:
    return SimpleNamespace(session_hash=SESSION, headers={"accept-language": lang})


def handlers(fake) -> PageSend:
    settings = Settings(api_key=TEST_KEY, base_url=fake.base_url, limits_chosen=no_limits())
    return PageSend(ChatHandlers(AppContext(settings), gr.Chatbot()))


def send(chat: PageSend, text: str, shown: list, whole: list, lang: str = "en-US") -> list[tuple]:
    async def frames():
        return [frame async for frame in chat.respond_in_page({"text": text, "files": []}, shown, whole,
                                                              "Qwen/Qwen3-8B", "", Controls(), None,
                                                              web_request(lang))]

    return run_async(frames())


def slow_answer(text: str, seconds: float = 0.5):
    """An answer whose first token comes after ``seconds``: the step shows a frame before it."""
    answer = stream(text)
    answer.steps.insert(0, Sleep(seconds))
    return answer


def texts(chat_value: list) -> list[str]:
    return [message_text(message["content"]) for message in chat_value]


@pytest.mark.parametrize("question", ["Why is the sky blue?", "天空为什么是蓝色的？"])
def test_the_question_the_page_showed_is_sent_once_and_left_alone_until_the_answer(fake, question):
    earlier = conversation(2, thinking=False)
    fake.push(slow_answer("Because of Rayleigh scattering.", WAITING_GRACE + 0.3))
    frames = send(handlers(fake), question, [*as_browser_sends(earlier), page_question(question)], earlier,
                  lang="zh-CN" if question.startswith("天") else "en-US")

    (body,) = fake.chat_requests()
    assert [m["content"] for m in body["messages"] if m["role"] == "user"] == ["q1", "q2", question]
    waiting, *answered = frames
    assert all(len(frame) == SEND_OUTPUTS for frame in frames)
    assert waiting[0] == SKIP  # the page shows the question already: its chat is left as it is
    assert texts(waiting[1])[-1] == question  # (the session's copy has it)
    assert texts(answered[-1][0])[-2:] == [question, "Because of Rayleigh scattering."]
    # Values only, frame after frame: no output that Gradio would rebuild as a component.
    assert not any(value == SKIP for frame in answered for value in frame)


def test_the_waiting_frame_goes_before_a_first_token_that_comes_at_once(fake):
    """The page shows the question: the frame that replaces the last answer's figures by
    "waiting" goes as soon as the request is on its way (WAITING_GRACE), not after a grace that
    a first token coming just after it would land on (the page rendered two frames back to back)."""
    assert WAITING_GRACE < QUESTION_GRACE
    earlier = conversation(1, thinking=False)
    fake.push(stream("At once."))
    waiting, *answered = send(handlers(fake), "Quick?", [*as_browser_sends(earlier), page_question("Quick?")],
                              earlier)
    assert waiting[0] == SKIP and "waiting" in waiting[3]
    assert "At once" in texts(answered[-1][0])[-1]


def test_an_example_prompts_question_comes_in_the_steps_own_frame(fake):
    """The example buttons hand their prompt over on the server: the page did not show it."""
    earlier = conversation(1, thinking=False)
    fake.push(slow_answer("An answer."))
    waiting, *_ = send(handlers(fake), "Write a poem", as_browser_sends(earlier), earlier)
    assert texts(waiting[0])[-1] == "Write a poem"


def test_after_the_answer_the_after_step_sets_the_button_and_leaves_the_box(fake):
    chat = handlers(fake)
    whole = conversation(3, thinking=False)
    button, bar, box, notice, notice_text = chat.after_send(whole, web_request())
    assert button["visible"] is True and "1" in button["value"]  # the first question is hidden
    assert bar["visible"] is False  # no alternatives
    assert box == notice == notice_text == SKIP


@pytest.mark.parametrize(("lang", "status"), [("en-US", "Answer 2 / 2"), ("zh-CN", "回答 2 / 2")])
def test_after_an_answer_with_alternatives_the_after_step_shows_the_bar(fake, lang, status):
    """An answer retried, then a new question: the bar still shows the retried answer's place."""
    retried = [*alternatives.retried(conversation(1, thinking=False)), {"role": "assistant", "content": "a1 again"}]
    whole = [*retried, {"role": "user", "content": "q2"}, {"role": "assistant", "content": "a2"}]
    _, bar, *_ = handlers(fake).after_send(whole, web_request(lang))
    assert bar == {"__type__": "update", "visible": True, "value": status}


def test_held_messages_come_back_oldest_first_to_any_after_step_of_the_page():
    held = HeldMessages()
    first, second = Refused({"text": "one", "files": []}), NotVision("m", {"text": "two", "files": []})
    held.hold("a", first)
    held.hold("a", second)
    held.hold("b", Refused("other page"))
    assert held.take("a") is first and held.take("a") is second and held.take("a") is None
    assert held.take("b").message == "other page"


def test_held_messages_keep_the_latest_sessions_only():
    held = HeldMessages(sessions=2)
    for session in ("a", "b", "c"):
        held.hold(session, Refused(session))
    assert held.take("a") is None and held.take("c").message == "c"


def test_every_step_after_an_answer_runs_for_each_answer_not_once_at_a_time():
    """The steps after an answer (chat, Compare, Retry, Edit, Continue...) are "always_last":
    Gradio's page skips a "once" step whose previous run is still on its way back, and an
    answer ending soon after another then lost its save, its "show earlier" button and its
    meter (in Chromium: tests/test_send_browser.py). Checked on the app's own config, so a
    step added later without it fails here."""
    demo = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1"))
    dependencies = demo.get_config_file()["dependencies"]
    answers = {i for i, fn in demo.fns.items() if fn.concurrency_id == "chat"}  # every event that answers
    after = {dep["id"]: dep["trigger_mode"] for dep in dependencies if dep["trigger_after"] in answers}
    names = {demo.fns[i].name for i in after}
    assert {"after_send", "after_answer", "meter", "refresh_balance", "offer_continue", "after"} <= names, names
    assert {demo.fns[i].name: mode for i, mode in after.items() if mode != AFTER_EACH["trigger_mode"]} == {}
    # The storage line after each write of the saved conversations: a refused write is said at once.
    storage = [dep["trigger_mode"] for dep in dependencies if demo.fns[dep["id"]].name == "storage_status"]
    assert storage and set(storage) == {AFTER_EACH["trigger_mode"]}
