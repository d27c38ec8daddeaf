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
from sfui.i18n import t
from sfui.params import Controls
from sfui.ui.chat_handlers import ChatHandlers, NotVision, Refused
from sfui.ui.common import AppContext
from sfui.ui.send_step import SEND_OUTPUTS, HeldMessages, PageSend
from sfui.usage_table import waiting_usage_markdown
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import no_limits
from tests.support.sfserver import Sleep, stream
from tests.test_chat_window import as_browser_sends, conversation, page_question

SESSION = "session-send"
SKIP = {"__type__": "update"}


def web_request(lang: str = "en-US") -> SimpleNamespace:
    return SimpleNamespace(session_hash=SESSION, headers={"accept-language": lang})


def handlers(fake, api_key: str | None = TEST_KEY) -> PageSend:
    settings = Settings(api_key=api_key, base_url=fake.base_url, limits_chosen=no_limits())
    return PageSend(ChatHandlers(AppContext(settings), gr.Chatbot()))


def send(chat: PageSend, text: str, shown: list, whole: list, lang: str = "en-US",
         panels_before: dict | None = None) -> list[tuple]:
    async def frames():
        return [frame async for frame in chat.respond_in_page({"text": text, "files": []}, panels_before, shown,
                                                              whole, "Qwen/Qwen3-8B", "", Controls(), None,
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
    fake.push(slow_answer("Because of Rayleigh scattering.", 0.3))
    frames = send(handlers(fake), question, [*as_browser_sends(earlier), page_question(question)], earlier,
                  lang="zh-CN" if question.startswith("天") else "en-US")

    (body,) = fake.chat_requests()
    assert [m["content"] for m in body["messages"] if m["role"] == "user"] == ["q1", "q2", question]
    assert all(len(frame) == SEND_OUTPUTS for frame in frames)
    # The page shows the question (and "waiting") already: no frame before the first token's.
    first, *others = frames
    assert texts(first[0])[-2] == question and "Because" in texts(first[0])[-1]
    assert texts(first[1])[-2] == question  # (the session's copy has it)
    assert texts(frames[-1][0])[-2:] == [question, "Because of Rayleigh scattering."]
    # Values only after the first frame: no output that Gradio would rebuild as a component.
    assert others and not any(value == SKIP for frame in others for value in frame)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_frame_leaves_the_panels_the_page_set_at_enter(fake, lang):
    """The page's Send empties the reasoning panel and puts the usage table's "waiting" in the
    usage panel at Enter (SEND_JS): the first token's frame leaves them as they are (the page
    would draw the same text again), and the figures follow."""
    earlier = conversation(1, thinking=False)
    fake.push(stream("At once."))
    page_lang = "zh-CN" if lang == "zh" else "en-US"
    frames = send(handlers(fake), "Quick?", [*as_browser_sends(earlier), page_question("Quick?")], earlier,
                  lang=page_lang)
    assert texts(frames[0][0])[-1].startswith("At")  # the first token's frame
    assert frames[0][2:] == (SKIP, SKIP)
    assert t(lang, "status_done") in frames[-1][3]
    # The table the page puts there is the one the step would send while it waits.
    assert waiting_usage_markdown(lang).endswith(f"| {t(lang, 'status')} | {t(lang, 'status_waiting')} |")
    # A reasoning model's first frame brings its reasoning, which the panel did not have.
    fake.push(stream("Answer.", reasoning="Thinking first."))
    frames = send(handlers(fake), "Why?", [*as_browser_sends(earlier), page_question("Why?")], earlier,
                  lang=page_lang)
    assert "Thinking" in frames[0][2]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_message_puts_the_panels_back_as_the_page_found_them(fake, lang):
    """Send put "waiting" in the panels at Enter; a message the step does not send (no key
    here) leaves the chat and the panels as they were before."""
    before = {"reasoning": "Earlier thoughts", "usage": "| Usage | Value |\n|---|---:|\n| Status | done |"}
    frame, last = send(handlers(fake, api_key=None), "Hello?", [page_question("Hello?")], [],
                       lang="zh-CN" if lang == "zh" else "en-US", panels_before=before)
    assert frame == ([], SKIP, "Earlier thoughts", before["usage"])
    assert last == (SKIP,) * SEND_OUTPUTS  # the last frame changes nothing
    assert fake.chat_requests() == []


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
