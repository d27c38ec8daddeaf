"""ChatHandlers.stream_reply with an answer of several requests (sfui/ui/answer_requests.py),
driven directly against the fake SiliconFlow: Stop while the tools run sends nothing more, and
Clear then shows nothing more. (The launched app's part is tests/test_tools_app.py's.)"""

from __future__ import annotations

import json
import time

import gradio as gr
import pytest

from sfui.budget import utc_day
from sfui.chat_request import ANONYMOUS, ChatRequest
from sfui.config import Settings
from sfui.i18n import t
from sfui.params import Controls
from sfui.tool_loop import ToolExchange
from sfui.ui.chat_handlers import AnswerFrame, ChatHandlers
from sfui.ui.common import AppContext
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import no_limits
from tests.test_tools_app import cost_of_request

SESSION = "session-1"
QUESTION = [{"role": "user", "content": "#fake:calc 6*7"}]


PRICED = "priced/model"
PRICE = {"input": 100.0, "output": 400.0}  # ¥ per million tokens


def handlers(fake, tmp_path) -> ChatHandlers:
    """The chat's handlers of an app on the server's key with a visitor's budget, a priced model."""
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({PRICED: PRICE}))
    settings = Settings(api_key=TEST_KEY, base_url=fake.base_url, data_dir=str(tmp_path), prices_file=str(prices),
                        limits_chosen={**no_limits(), "visitor_budget": 1.0})
    return ChatHandlers(AppContext(settings), gr.Chatbot())


def spent(chat: ChatHandlers) -> float:
    guard = chat.ctx.guard
    (counter,) = guard.keys.counters(ANONYMOUS)
    return guard.store.totals(utc_day(time.time()), [counter])[counter]


def frames_with(chat: ChatHandlers, pressed) -> list[AnswerFrame]:
    """The answer's frames when ``pressed`` (Stop or Clear of the session) comes while its tool runs."""
    def run_tool(name: str, arguments: str) -> str:
        pressed()
        return "42"

    request = ChatRequest(PRICED, None, Controls(tools_demo=True))

    async def collect() -> list[AnswerFrame]:
        return [frame async for frame in chat.stream_reply(QUESTION, request, "en", SESSION,
                                                           plan=ToolExchange(run=run_tool))]

    return run_async(collect())


def test_stop_while_the_tools_run_sends_nothing_more(fake, tmp_path):
    chat = handlers(fake, tmp_path)
    frames = frames_with(chat, lambda: chat.ctx.runs.stop(SESSION))
    assert len(fake.chat_requests()) == 1
    last = frames[-1]
    assert last.ended and "| Status | stopped |" in last.usage
    card = last.messages[-1]
    assert card["metadata"]["title"] == t("en", "tool_ran", name="calculator") and "42" in card["content"]
    assert chat.ctx.answers.take(SESSION) is not None  # saved as it stands
    # Only the request that went out is counted: none was held for a second one.
    assert spent(chat) == pytest.approx(cost_of_request(fake.chat_requests()[0], PRICE))


def test_clear_while_the_tools_run_shows_nothing_more(fake, tmp_path):
    chat = handlers(fake, tmp_path)
    frames = frames_with(chat, lambda: chat.ctx.runs.stop(SESSION, discard=True))
    assert len(fake.chat_requests()) == 1
    assert not any(frame.ended for frame in frames)
    assert chat.ctx.answers.take(SESSION) is None
