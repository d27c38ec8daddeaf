"""sfui.continuation and sfui.rounds: Continue's request (SiliconFlow's ``prefix``, or a
trailing assistant message), the one answer it makes of both parts, with both parts'
usage, and the budget settling each request by its own usage. No server, no Gradio."""

from __future__ import annotations

import pytest

from sfui.api.client import build_payload
from sfui.api.errors import SiliconFlowError
from sfui.api.events import Finished, TextDelta, Usage, UsageUpdate
from sfui.budget import Ask, prompt_tokens_at_most, request_cost
from sfui.chat import Turn
from sfui.chat_request import ChatRequest
from sfui.continuation import (
    ContinueAnswer,
    ContinuedTurn,
    LastAnswers,
    can_continue,
    continue_point,
    without_echo,
)
from sfui.params import Controls
from sfui.prices import Charge, Price
from sfui.rounds import AnswerPlan, Carried, add_usage

PRICE = Charge(Price(1.0, 4.0), "¥")
PARTIAL = "The sky is blue because sunlight is scattered by "


def feed(turn: Turn, *events: object) -> Turn:
    for event in events:
        turn.reply.apply(event)
        turn.apply(event)
    return turn


def request(model: str = "Qwen/Qwen2.5-7B-Instruct", **controls) -> ChatRequest:
    return ChatRequest(model, "Be brief.", Controls(max_tokens=64, **controls))


HISTORY = [{"role": "user", "content": "Why is the sky blue?"}]


def test_continue_goes_on_from_the_answer_with_siliconflows_prefix():
    step = ContinueAnswer(PARTIAL).first(HISTORY, request(), "en", PRICE)
    assert step.messages == [{"role": "system", "content": "Be brief."}, HISTORY[0]]
    assert step.params["prefix"] == PARTIAL and "enable_thinking" not in step.params
    payload = build_payload(step.model, step.messages, stream=True, **step.params)
    assert payload["prefix"] == PARTIAL  # a field the client sends


def test_a_hybrid_model_continues_with_thinking_off():
    step = ContinueAnswer(PARTIAL).first(HISTORY, request("Qwen/Qwen3-8B", enable_thinking="on"), "en", PRICE)
    assert step.params["prefix"] == PARTIAL and step.params["enable_thinking"] is False


def test_a_reasoning_model_gets_the_answer_as_a_trailing_assistant_message():
    step = ContinueAnswer(PARTIAL).first(HISTORY, request("deepseek-ai/DeepSeek-R1"), "en", PRICE)
    assert step.messages[-1] == {"role": "assistant", "content": PARTIAL}
    assert "prefix" not in step.params


def test_the_continued_answer_is_one_answer_with_both_parts_and_their_usage():
    earlier = feed(Turn(HISTORY, charge=PRICE), TextDelta(PARTIAL),
                   UsageUpdate(Usage(prompt_tokens=10, completion_tokens=8, total_tokens=18)), Finished("length"))
    plan = ContinueAnswer(PARTIAL, earlier)
    turn = plan.first(HISTORY, request(), "en", PRICE).turn
    assert turn.answer == PARTIAL and turn.new_messages() == [{"role": "assistant", "content": PARTIAL}]
    feed(turn, TextDelta("air molecules."), UsageUpdate(Usage(prompt_tokens=20, completion_tokens=3,
                                                              total_tokens=23)), Finished("stop"))
    turn.finish()
    assert turn.messages() == [*HISTORY, {"role": "assistant", "content": PARTIAL + "air molecules."}]
    assert turn.usage == Usage(prompt_tokens=30, completion_tokens=11, total_tokens=41)
    assert turn.cost == pytest.approx((30 * 1 + 11 * 4) / 1e6)
    rows = dict(turn.usage_rows())
    assert rows["Prompt tokens"] == "30" and rows["Completion tokens"] == "11"
    # The budget settles this request by its own usage only: the first was settled already.
    ask = Ask("m", HISTORY, {"prefix": PARTIAL})
    assert request_cost(PRICE, [turn], ask) == pytest.approx((20 * 1 + 3 * 4) / 1e6)
    assert plan.recorded({"model": "m", "prefix": PARTIAL, "max_tokens": 64}) == {"model": "m", "max_tokens": 64}


def test_a_repeated_prefix_is_left_out():
    prefix = "A long enough first part of the answer, "
    assert without_echo(prefix, prefix + "and the rest.", ended=False) == "and the rest."
    assert without_echo(prefix, prefix[:10], ended=False) == ""  # might still be a repeat: wait
    assert without_echo(prefix, prefix[:10], ended=True) == prefix[:10]
    assert without_echo(prefix, "and the rest.", ended=False) == "and the rest."
    assert without_echo("Short", "Short and sweet", ended=False) == "Short and sweet"
    turn = ContinuedTurn(HISTORY, carried=Carried(text=prefix))
    feed(turn, TextDelta(prefix), TextDelta("and the rest."))
    assert turn.answer == prefix + "and the rest."


def test_when_continue_is_offered():
    def ended(*events, stopped=False):
        turn = feed(Turn(HISTORY), *events)
        turn.stopped = stopped
        turn.finish()
        return turn

    assert can_continue(ended(TextDelta("cut"), Finished("length")))
    assert can_continue(ended(TextDelta("half"), stopped=True))
    assert not can_continue(ended(TextDelta("whole"), Finished("stop")))
    assert not can_continue(ended(stopped=True))  # stopped before any answer: nothing to go on from
    failed = ended(TextDelta("cut"), Finished("length"))
    failed.error = SiliconFlowError("dropped")
    assert not can_continue(failed)
    answers = LastAnswers(limit=2)
    answers.remember("a", ended(TextDelta("cut"), Finished("length")), "m")
    answers.remember("b", ended(TextDelta("done"), Finished("stop")), "m")
    answers.remember("c", ended(TextDelta("cut"), Finished("length")), "m")
    assert answers.get("a") is None  # the oldest session went
    assert not answers.continuable("b") and answers.continuable("c")


def test_where_continue_starts():
    thought = {"role": "assistant", "content": "hmm", "metadata": {"title": "Thought"}}
    whole = [*HISTORY, thought, {"role": "assistant", "content": [{"type": "text", "text": PARTIAL}]}]
    point = continue_point(whole, None)
    assert point is not None and point.history == [*HISTORY, thought] and point.partial == PARTIAL
    assert continue_point(HISTORY, None) is None  # a question waiting: nothing to continue
    assert continue_point([*HISTORY, thought], None) is None
    assert continue_point([], None) is None
    answers = LastAnswers()
    answers.remember("s", feed(Turn(HISTORY), TextDelta(PARTIAL)), "Qwen/Qwen3-8B")
    assert continue_point(whole, answers.get("s")).last.model == "Qwen/Qwen3-8B"
    answers.remember("s", feed(Turn(HISTORY), TextDelta("another answer")), "m")
    assert continue_point(whole, answers.get("s")).last is None  # the session's last answer is another one


def test_the_worst_case_counts_the_prefix_and_the_calls():
    base = prompt_tokens_at_most(HISTORY, {})
    assert prompt_tokens_at_most(HISTORY, {"prefix": "x" * 500}) == base + 500
    call = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "calculator", "arguments": "{}" + " " * 300}}]}
    assert prompt_tokens_at_most([*HISTORY, call], {}) > base + 300


def test_usage_adds_up_and_a_plain_answer_is_one_request():
    one = Usage(prompt_tokens=1, completion_tokens=2, total_tokens=3, reasoning_tokens=1)
    assert add_usage(one, one) == Usage(prompt_tokens=2, completion_tokens=4, total_tokens=6, reasoning_tokens=2)
    assert add_usage(None, one) == one and add_usage(one, None) == one and add_usage(None, None) is None
    step = AnswerPlan().first(HISTORY, request(), "en", PRICE)
    assert type(step.turn) is Turn and step.params == {"max_tokens": 64, **request().params()}
