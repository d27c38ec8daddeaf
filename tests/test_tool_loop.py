"""sfui.tool_loop: the rounds of one question with the demo's tools, driven by hand (the
streaming step's part, sending and settling each request, is tests/test_tools_app.py's).
No server, no Gradio."""

from __future__ import annotations

from sfui.api.events import Finished, TextDelta, ToolCallDelta, Usage, UsageUpdate
from sfui.chat_request import ChatRequest
from sfui.i18n import t
from sfui.params import Controls
from sfui.prices import Charge, Price
from sfui.tool_loop import MAX_ROUNDS, ToolExchange, ToolRound
from tests.support.asyncutil import run_async

PRICE = Charge(Price(1.0, 1.0), "¥")
QUESTION = [{"role": "user", "content": "What is 6*7?"}]


def request(**controls) -> ChatRequest:
    return ChatRequest("Qwen/Qwen2.5-7B-Instruct", None, Controls(tools_demo=True, **controls))


def end(turn, *events, stopped=False):
    for event in events:
        turn.reply.apply(event)
        turn.apply(event)
    turn.stopped = stopped
    turn.finish()
    return turn


def calling(name="calculator", arguments='{"expression": "6*7"}', reason="tool_calls", tokens=5):
    return (ToolCallDelta(0, "call_x", name, arguments), UsageUpdate(Usage(10, tokens, 10 + tokens)),
            Finished(reason))


def after(plan, turn):
    return run_async(plan.after(turn))


def test_a_call_runs_and_the_next_request_carries_its_result():
    ran = []
    plan = ToolExchange(run=lambda name, arguments: ran.append((name, arguments)) or "42")
    first = plan.first(QUESTION, request(max_tokens=64), "en", PRICE)
    assert [tool["function"]["name"] for tool in first.params["tools"]] == [
        "calculator", "current_time", "convert_units"]
    assert first.params["max_tokens"] == 64 and first.messages == QUESTION
    recorded = plan.recorded({"model": "m", **first.params})  # what the saved answer keeps
    assert "tools" not in recorded and recorded["tools_demo"] is True and recorded["max_tokens"] == 64
    assert isinstance(first.turn, ToolRound)
    second = after(plan, end(first.turn, *calling()))
    assert ran == [("calculator", '{"expression": "6*7"}')]
    assert second.messages[1]["tool_calls"][0]["function"] == {"name": "calculator",
                                                               "arguments": '{"expression": "6*7"}'}
    assert second.messages[2] == {"role": "tool", "tool_call_id": "call_1", "content": "42"}
    card = second.turn.history[-1]
    assert card["metadata"]["title"] == t("en", "tool_ran", name="calculator") and "42" in card["content"]
    assert second.params["tools"] == first.params["tools"]
    # The final answer: the question's usage is both requests', its time counts from the first.
    final = end(second.turn, TextDelta("42."), UsageUpdate(Usage(20, 2, 22)), Finished("stop"))
    assert final.usage == Usage(30, 7, 37) and final.started == first.turn.started
    assert after(plan, final) is None
    assert final.messages()[-1] == {"role": "assistant", "content": "42."}


def test_while_a_call_streams_in_its_card_shows_it_running():
    plan = ToolExchange()
    turn = plan.first(QUESTION, request(), "zh", PRICE).turn
    turn.reply.apply(ToolCallDelta(0, "call_x", "calculator", '{"expr'))
    (card,) = turn.tool_messages()
    assert card["metadata"] == {"title": t("zh", "tool_running", name="calculator"), "status": "pending"}


def test_at_most_five_requests_then_the_calls_are_shown_not_run():
    plan = ToolExchange(run=lambda name, arguments: "2")
    step = plan.first(QUESTION, request(), "en", PRICE)
    for _ in range(MAX_ROUNDS - 1):
        step = after(plan, end(step.turn, *calling()))
        assert step is not None
    last = end(step.turn, *calling())
    assert after(plan, last) is None and plan.rounds == MAX_ROUNDS == 5
    *cards, notice = last.new_messages()
    assert [card["metadata"]["title"] for card in cards] == [t("en", "tool_not_run", name="calculator")]
    assert notice["content"] == t("en", "tool_rounds_limit", rounds=5)


def test_nothing_runs_after_a_stop_an_error_a_cut_or_a_visitors_tool():
    def never(name, arguments):
        raise AssertionError("ran")

    cases = [
        dict(events=calling(), stopped=True),
        dict(events=calling(reason="length")),  # the arguments may be cut short
        dict(events=calling(name="get_weather")),  # the visitor's own tool: shown only
        dict(events=(TextDelta("No tool needed."), Finished("stop"))),
    ]
    for case in cases:
        plan = ToolExchange(run=never)
        turn = plan.first(QUESTION, request(), "en", PRICE).turn
        assert after(plan, end(turn, *case["events"], stopped=case.get("stopped", False))) is None, case
    plan = ToolExchange(run=never)
    shown = end(plan.first(QUESTION, request(), "en", PRICE).turn, *calling(name="get_weather"))
    (card,) = shown.tool_messages()
    assert card["metadata"]["title"] == t("en", "tool_call", name="get_weather")
