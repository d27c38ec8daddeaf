"""sfui.tool_cards: a demo tool's call and result as a chat card, read back into the API
messages of every later request (and View code's). No server, no Gradio."""

from __future__ import annotations

import pytest

from sfui.chat import api_messages
from sfui.codegen import request_body
from sfui.i18n import t
from sfui.tool_cards import NOT_RUN, RAN, RUNNING, card, exchange_of


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def answer(text: str) -> dict:
    return {"role": "assistant", "content": text}


def ran(name: str, arguments: str, result: str, lang: str = "en") -> dict:
    return card(name, arguments, result, lang, RAN)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_card_by_state(lang):
    running = card("calculator", '{"expression": "6*7"}', None, lang, RUNNING)
    assert running["metadata"] == {"title": t(lang, "tool_running", name="calculator"), "status": "pending"}
    assert running["content"] == '`calculator`\n\n```json\n{"expression": "6*7"}\n```'
    done = ran("calculator", '{"expression": "6*7"}', "42", lang)
    assert done["metadata"] == {"title": t(lang, "tool_ran", name="calculator")}
    assert done["content"] == '`calculator`\n\n```json\n{"expression": "6*7"}\n```\n\n```text\n42\n```'
    assert card("calculator", "{}", None, lang, NOT_RUN)["metadata"]["title"] == t(lang, "tool_not_run",
                                                                                   name="calculator")
    assert t("zh", "tool_not_run", name="x") != t("en", "tool_not_run", name="x")


@pytest.mark.parametrize(("arguments", "result"), [
    ('{"expression": "6*7"}', "42"),
    ('{"a": "```"}', "a result with ```` fences\n```text\nand lines"),
    ("{not json at all", "Error: the arguments are not valid JSON"),
    ("", "line one\n\nline three\n"),
])
def test_a_card_reads_back_exactly(arguments, result):
    exchange = exchange_of(ran("convert_units", arguments, result))
    assert exchange is not None
    assert (exchange.name, exchange.arguments, exchange.result) == ("convert_units", arguments, result)
    # The browser's block form too.
    blocks = {"role": "assistant", "content": [{"type": "text", "text": ran("x", arguments, result)["content"]}]}
    assert exchange_of(blocks) is not None


def test_only_a_card_with_a_result_is_an_exchange():
    assert exchange_of(card("calculator", "{}", None, "en", RUNNING)) is None
    assert exchange_of(card("calculator", "{}", None, "en", NOT_RUN)) is None
    assert exchange_of({"role": "assistant", "content": '```json\n{"city": "Paris"}\n```'}) is None  # shown only
    assert exchange_of(answer("`calculator`\n\nplain text")) is None
    assert exchange_of({"role": "assistant", "content": None}) is None


def test_api_messages_carry_each_exchange_as_the_model_saw_it():
    history = [
        user("What is 6*7 and 2+2?"),
        {"role": "assistant", "content": "Let me think.", "metadata": {"title": "Thought", "status": "done"}},
        answer("I will use the calculator."),
        ran("calculator", '{"expression": "6*7"}', "42"),
        ran("calculator", '{"expression": "2+2"}', "4"),
        answer("6*7 is 42 and 2+2 is 4."),
        user("And in Paris, what time is it?"),
        ran("current_time", '{"timezone": "Europe/Paris"}', "2026-01-15 13:00:00 CET"),
        answer("It is 13:00."),
        user("Thanks"),
    ]
    assert api_messages(history) == [
        user("What is 6*7 and 2+2?"),
        {"role": "assistant", "content": "I will use the calculator.", "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "calculator",
                                                              "arguments": '{"expression": "6*7"}'}},
            {"id": "call_2", "type": "function", "function": {"name": "calculator",
                                                              "arguments": '{"expression": "2+2"}'}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "42"},
        {"role": "tool", "tool_call_id": "call_2", "content": "4"},
        answer("6*7 is 42 and 2+2 is 4."),
        user("And in Paris, what time is it?"),
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_3", "type": "function", "function": {"name": "current_time",
                                                              "arguments": '{"timezone": "Europe/Paris"}'}}]},
        {"role": "tool", "tool_call_id": "call_3", "content": "2026-01-15 13:00:00 CET"},
        answer("It is 13:00."),
        user("Thanks"),
    ]


def test_cards_that_were_not_run_stay_on_the_page():
    history = [user("loop"), ran("calculator", '{"expression": "1+1"}', "2"),
               card("calculator", '{"expression": "2+1"}', None, "en", NOT_RUN),
               {"role": "assistant", "content": "Stopped after 5 requests", "metadata": {"title": "Tool rounds"}},
               user("next")]
    assert [m["role"] for m in api_messages(history)] == ["user", "assistant", "tool", "user"]


def test_view_code_shows_the_whole_exchange():
    history = [user("6*7?"), ran("calculator", '{"expression": "6*7"}', "42"), answer("42.")]
    body = request_body("Qwen/Qwen3-8B", history, "and 7*8?", None, {"max_tokens": 64})
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "tool", "assistant", "user"]
    assert body["messages"][1]["tool_calls"][0]["function"]["name"] == "calculator"
