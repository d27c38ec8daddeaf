"""The settings a saved conversation reopens with (sfui/conversation_settings.py): its last
answer's model, system prompt and request fields, as the controls show them."""

from __future__ import annotations

import json

from sfui import demo_tools
from sfui.conversation_settings import RESTORED_FIELDS, ReopenSettings, last_answer, reopen_settings
from sfui.params import FIELDS, Controls


def record(index: int, model: str = "Qwen/Qwen3-8B", system_prompt: str = "", **params) -> dict:
    return {"message_index": index, "model": model, "system_prompt": system_prompt, "params": params}


def conversation(*answers: dict, model: str = "", system_prompt: str = "") -> dict:
    return {"id": "c1", "model": model, "system_prompt": system_prompt, "answers": list(answers)}


def test_the_last_answer_is_the_latest_message_with_a_record():
    first, second = record(1, "a/first"), record(3, "b/second")
    assert last_answer(conversation(second, first)) is second
    assert last_answer(conversation()) is None


def test_the_fields_come_back_as_the_controls_that_send_them_again():
    params = {"temperature": 1.3, "top_p": 0.9, "top_k": 50, "max_tokens": 100, "frequency_penalty": 0.5,
              "stop": ["END", "a\nb"], "enable_thinking": False, "seed": 42, "response_format": {"type": "json_object"},
              "tools": [{"type": "function", "function": {"name": "calc"}}]}
    settings = reopen_settings(conversation(record(1), record(3, "deepseek-ai/DeepSeek-V3", "Be brief.", **params)))
    assert settings.model == "deepseek-ai/DeepSeek-V3" and settings.system_prompt == "Be brief."
    fields = settings.fields
    assert fields is not None
    assert fields["temperature"] == 1.3 and fields["seed"] == "42" and fields["stop"] == "END\na\\nb"
    assert fields["enable_thinking"] == "off" and fields["response_format"] == "json_object"
    assert fields["min_p"] == "" and fields["presence_penalty"] == ""  # not sent: the model's default again
    assert "detail" not in fields  # not a field of the request body: no record keeps it
    assert fields["tools_demo"] is False
    # sent again, they are the same request fields
    assert Controls(**fields).to_params() == params
    assert set(fields) == set(RESTORED_FIELDS) == {f.name for f in FIELDS if f.in_body} | {"tools_demo"}


def test_the_demos_tools_come_back_as_the_switch_and_only_the_visitors_own_in_the_box():
    own = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    sent = demo_tools.with_demo_tools({"temperature": 0.7, "tools": [own]})
    settings = reopen_settings(conversation(record(1, **demo_tools.recorded(sent))))
    assert settings.fields is not None
    assert settings.fields["tools_demo"] is True
    assert json.loads(settings.fields["tools"]) == [own]
    none_of_theirs = reopen_settings(conversation(record(1, **demo_tools.recorded(demo_tools.with_demo_tools({})))))
    assert none_of_theirs.fields is not None
    assert none_of_theirs.fields["tools_demo"] is True and none_of_theirs.fields["tools"] == ""


def test_fields_the_controls_do_not_have_are_left_out():
    settings = reopen_settings(conversation(record(1, temperature=0.2, n=3, user="someone")))
    assert settings.fields is not None and settings.fields["temperature"] == 0.2


def test_a_value_the_controls_cannot_send_leaves_the_fields_as_they_are():
    settings = reopen_settings(conversation(record(1, "m/x", "Hi", temperature=9.0)))
    assert settings == ReopenSettings("m/x", "Hi", None)
    assert reopen_settings(conversation({**record(1), "params": "not a dict"})).fields is None


def test_without_a_record_the_conversation_names_what_it_can():
    assert reopen_settings(conversation(model="a/b", system_prompt="Terse.")) == ReopenSettings("a/b", "Terse.", None)
    assert reopen_settings(conversation()) == ReopenSettings(None, None, None)


def test_an_empty_system_prompt_of_the_last_answer_clears_the_box():
    assert reopen_settings(conversation(record(1, system_prompt=""), system_prompt="old")).system_prompt == ""
