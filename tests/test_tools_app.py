"""The demo's tools (issue 22, part 4) in the launched app, through the public /chat with
``tools_demo``: what the fake SiliconFlow received at each round (the tool definitions, the
call, the ``tool`` message), the cards and the final answer that come back, the round
limit, a tool's error as its result, the visitor's own JSON tools (shown, never run), and
the demo's budget admitting and settling every round."""

from __future__ import annotations

import json

import pytest

from sfui import demo_tools
from sfui.i18n import t
from tests.support.sfserver import stream
from tests.test_app import answers, chat, notices, text, title


@pytest.fixture(scope="module")
def shared_app(launch_module_app):
    from gradio_client import Client

    from tests.support.launch import PATIENT_HTTP

    app = launch_module_app()
    client = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    yield app, client
    client.close()


@pytest.fixture
def app(shared_app):
    app, _ = shared_app
    app.fake.reset()
    return app


@pytest.fixture
def api(shared_app):
    return shared_app[1]


def tool_names(body: dict) -> list[str]:
    return [tool["function"]["name"] for tool in body.get("tools") or []]


def test_the_calculator_runs_and_its_result_goes_back_to_the_model(app, api):
    run = chat(api, "#fake:calc 6*7", tools_demo=True)
    first, second = app.fake.chat_requests()
    assert tool_names(first) == ["calculator", "current_time", "convert_units"]
    assert first["messages"] == [{"role": "user", "content": "#fake:calc 6*7"}]
    call, result = second["messages"][1:]
    assert call["role"] == "assistant" and call["content"] is None
    (sent,) = call["tool_calls"]
    assert sent["function"]["name"] == "calculator"
    assert json.loads(sent["function"]["arguments"]) == {"expression": "6*7"}
    assert result == {"role": "tool", "tool_call_id": sent["id"], "content": "42"}
    assert tool_names(second) == tool_names(first)
    # The chat: the question, the card with the call and its result, the final answer.
    (card,) = notices(run.chatbot)
    assert title(card) == t("en", "tool_ran", name="calculator")
    assert '{"expression": "6*7"}' in text(card) and "```text\n42\n```" in text(card)
    assert answers(run.chatbot) == ["The result is 42."]
    usage = run.final[2]
    assert "| Status | done |" in usage


def test_a_later_question_sends_the_whole_exchange_again(app, api):
    first = chat(api, "#fake:calc 2+3", tools_demo=True)
    chat(api, "thanks", first.chatbot, tools_demo=True)
    messages = app.fake.chat_requests()[-1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "tool", "assistant", "user"]
    assert messages[2]["content"] == "5" and messages[3]["content"] == "The result is 5."


def test_a_tool_error_is_the_result_the_model_reads(app, api):
    run = chat(api, "#fake:calc 9**9**9", tools_demo=True)
    result = app.fake.chat_requests()[-1]["messages"][-1]
    assert result["role"] == "tool" and result["content"] == "Error: the result is too large"
    assert answers(run.chatbot) == ["The result is Error: the result is too large."]


def test_five_requests_at_most_then_the_calls_are_shown_not_run(app, api):
    run = chat(api, "#fake:tool-loop go", tools_demo=True)
    requests = app.fake.chat_requests()
    assert len(requests) == 5
    assert [m["role"] for m in requests[-1]["messages"]].count("tool") == 4
    cards = notices(run.chatbot)
    assert [title(card) for card in cards] == (
        [t("en", "tool_ran", name="calculator")] * 4
        + [t("en", "tool_not_run", name="calculator"), t("en", "tool_rounds_title")])
    assert text(cards[-1]) == t("en", "tool_rounds_limit", rounds=5)


def test_without_the_switch_nothing_runs(app, api):
    run = chat(api, "#fake:calc 6*7")
    (request,) = app.fake.chat_requests()
    assert "tools" not in request
    assert answers(run.chatbot) == ["No calculator was offered."]


def test_a_visitors_own_tools_are_sent_and_shown_never_run(app, api):
    own = [{"type": "function", "function": {"name": "calculator", "parameters": {"type": "object"}}},
           {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    # Switch off: the visitor's calculator is only shown.
    run = chat(api, "#fake:calc 6*7", tools=json.dumps(own))
    assert len(app.fake.chat_requests()) == 1
    assert [title(card) for card in notices(run.chatbot)] == [t("en", "tool_call", name="calculator")]
    # Switch on: the demo's calculator replaces theirs of the same name; a call of their
    # get_weather is shown and ends the answer.
    app.fake.reset()
    app.fake.push(stream("", tool_calls=[{"name": "get_weather", "arguments": {"city": "Paris"}}]))
    run = chat(api, "weather?", tools=json.dumps(own), tools_demo=True)
    (request,) = app.fake.chat_requests()
    assert tool_names(request) == ["calculator", "current_time", "convert_units", "get_weather"]
    assert request["tools"][0] == demo_tools.definitions()[0]
    assert [title(card) for card in notices(run.chatbot)] == [t("en", "tool_call", name="get_weather")]


# --- the demo's budget: every request of a question is admitted and settled -----------------------

PRICED = "priced/model"
PRICE = {"input": 1.0, "output": 2.0}  # ¥ per million tokens: a tool question's worst case is about ¥0.0013
BUDGET = 0.01


@pytest.fixture(scope="module")
def budget_app(launch_module_app, tmp_path_factory):
    from tests.support.launch import no_limits

    prices = tmp_path_factory.mktemp("prices") / "prices.json"
    prices.write_text(json.dumps({PRICED: PRICE}))
    return launch_module_app(prices_file=str(prices), trusted_proxies=1,
                             limits_chosen={**no_limits(), "visitor_budget": BUDGET})


def visitor_api(app, address: str):
    from gradio_client import Client

    from tests.support.launch import PATIENT_HTTP

    return Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP, headers={"X-Forwarded-For": address})


def cost_of_request(body: dict, price: dict = PRICE) -> float:
    """What the fake's answer to ``body`` costs: its usage (rebuilt from the same body) × ``price``."""
    from tests.support.sfserver import Chunk, _default_scenario

    scenario = _default_scenario(body)
    usage = [s.obj["usage"] for s in scenario.steps if isinstance(s, Chunk) and "usage" in s.obj][-1]
    return (usage["prompt_tokens"] * price["input"] + usage["completion_tokens"] * price["output"]) / 1e6


def spend(app, address: str, amount: float) -> None:
    """Count ``amount`` as spent by ``address`` today (as answers before would have)."""
    import time

    from sfui.budget import utc_day
    from tests.test_budget_app import context

    ctx = context(app)
    hold = ctx.guard.store.hold(utc_day(time.time()), {ctx.guard.keys.counter("address", address): BUDGET}, amount)
    assert hold is not None
    ctx.guard.store.settle(hold, amount)


def test_each_round_is_admitted_and_settled_by_the_demos_budget(budget_app):
    from tests.test_budget_app import context, spent_by

    budget_app.fake.reset()
    client = visitor_api(budget_app, "203.0.113.201")
    try:
        run = chat(client, "#fake:calc 6*7", model=PRICED, max_tokens=30, tools_demo=True)
    finally:
        client.close()
    requests = budget_app.fake.chat_requests()
    assert len(requests) == 2 and answers(run.chatbot) == ["The result is 42."]
    spent = spent_by(context(budget_app), "203.0.113.201")
    assert spent == pytest.approx(sum(cost_of_request(body) for body in requests))
    assert spent > cost_of_request(requests[0])  # both requests counted, each by its own usage


def test_a_round_the_budget_cannot_hold_is_not_sent(budget_app):
    from sfui.budget import Ask
    from sfui.prices import Price

    budget_app.fake.reset()
    address = "203.0.113.202"
    first = Ask(PRICED, [{"role": "user", "content": "#fake:calc 6*7"}],
                demo_tools.with_demo_tools({"max_tokens": 30})).worst_case(Price(PRICE["input"], PRICE["output"]))
    # Left: the first request's worst case and a little, not the second's (it is longer).
    spend(budget_app, address, BUDGET - first * 1.001)
    client = visitor_api(budget_app, address)
    try:
        run = chat(client, "#fake:calc 6*7", model=PRICED, max_tokens=30, tools_demo=True)
    finally:
        client.close()
    assert len(budget_app.fake.chat_requests()) == 1
    assert any(w.startswith("Not sent: this answer could cost up to") for w in run.warnings), run.warnings
    (card,) = notices(run.chatbot)  # the call ran; the answer ends with its card
    assert title(card) == t("en", "tool_ran", name="calculator") and answers(run.chatbot) == []
