"""sfui.params: the table of request fields, and how the controls' values become request fields."""

from __future__ import annotations

import json
import math

import pytest

from sfui.api.client import build_payload
from sfui.params import BY_NAME, FIELD_NAMES, FIELDS, Controls, InputError

# --- Controls.to_params ------------------------------------------------------------------


def test_default_controls_send_exactly_the_ui_defaults():
    assert Controls().to_params() == {
        "temperature": 0.7,
        "top_p": 0.7,
        "top_k": 50,
        "max_tokens": 512,
        "frequency_penalty": 0.5,
    }


def test_integer_fields_are_sent_as_integers():
    # Sliders hand floats over; top_k/max_tokens/thinking_budget must reach the API as ints.
    params = Controls(top_k=20.0, max_tokens=1000.0, thinking_budget="4096").to_params()
    assert params["top_k"] == 20 and type(params["top_k"]) is int
    assert params["max_tokens"] == 1000 and type(params["max_tokens"]) is int
    assert params["thinking_budget"] == 4096 and type(params["thinking_budget"]) is int


def test_every_field_is_translated():
    controls = Controls(
        temperature=1.3,
        top_p=0.9,
        top_k=20,
        max_tokens=1000,
        frequency_penalty=-0.5,
        stop="END\n\n  \nline\\nbreak",
        enable_thinking="on",
        thinking_budget=2048,
        min_p=0.05,
        response_format="json_object",
        tools='[{"name": "get_weather", "parameters": {"type": "object"}}]',
    )
    assert controls.to_params() == {
        "temperature": 1.3,
        "top_p": 0.9,
        "top_k": 20,
        "max_tokens": 1000,
        "frequency_penalty": -0.5,
        "stop": ["END", "line\nbreak"],  # blank lines skipped, a literal \n is a newline
        "enable_thinking": True,
        "thinking_budget": 2048,
        "min_p": 0.05,
        "response_format": {"type": "json_object"},
        "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
    }


@pytest.mark.parametrize("choice, sent", [("on", True), ("off", False)])
def test_enable_thinking_on_and_off(choice, sent):
    assert Controls(enable_thinking=choice).to_params()["enable_thinking"] is sent


@pytest.mark.parametrize("choice", ["default", "", None])
def test_enable_thinking_default_is_not_sent(choice):
    assert "enable_thinking" not in Controls(enable_thinking=choice).to_params()


def test_text_response_format_and_empty_optionals_are_not_sent():
    params = Controls(response_format="text", stop="\n \n", tools="  ", thinking_budget="", min_p=None).to_params()
    for absent in ("response_format", "stop", "tools", "thinking_budget", "min_p", "enable_thinking"):
        assert absent not in params


def test_tools_accept_full_specs_a_single_object_and_bare_functions():
    full = {"type": "function", "function": {"name": "get_time", "parameters": {}}}
    bare = {"name": "get_weather", "description": "Weather", "parameters": {"type": "object"}}
    assert Controls(tools=json.dumps([full, bare])).to_params()["tools"] == [
        full,
        {"type": "function", "function": bare},
    ]
    assert Controls(tools=json.dumps(full)).to_params()["tools"] == [full]


def assert_refused(controls: Controls, field: str, field_zh: str | None = None) -> InputError:
    """The values are refused with a reason naming the field (in Chinese, by
    ``field_zh`` where the message translates the name)."""
    with pytest.raises(InputError) as caught:
        controls.to_params()
    error = caught.value
    assert field in error.problem("en") and (field_zh or field) in error.problem("zh")
    assert error.user_message("en").startswith("Not sent:")
    assert error.user_message("zh").startswith("未发送")
    assert error.problem("zh") in error.user_message("zh")
    return error


@pytest.mark.parametrize(
    "field, value",
    [
        ("temperature", 2.5),
        ("temperature", -0.1),
        ("top_p", 1.01),
        ("top_k", 0),
        ("max_tokens", 20000),
        ("frequency_penalty", 3),
        ("thinking_budget", 64),
        ("min_p", 1.5),
        ("temperature", float("nan")),
        ("top_p", math.inf),
        ("temperature", "hot"),
        ("max_tokens", "lots"),
        ("top_k", [50]),
    ],
)
def test_out_of_range_and_non_numeric_values_are_refused_naming_the_field(field, value):
    assert_refused(Controls(**{field: value}), field)


def test_range_message_gives_the_bounds():
    error = assert_refused(Controls(temperature=2.5), "temperature")
    assert "between 0 and 2" in error.problem("en") and "2.5" in error.problem("en")
    assert "0 到 2" in error.problem("zh")


@pytest.mark.parametrize(
    "controls, field, field_zh",
    [
        (Controls(stop="a\nb\nc\nd\ne"), "stop", "停止序列"),
        (Controls(enable_thinking="maybe"), "enable_thinking", None),
        (Controls(response_format="xml"), "response_format", None),
        (Controls(tools="[{not json"), "tools", None),
        (Controls(tools='"get_weather"'), "tools", None),
        (Controls(tools="[1, 2]"), "tools", None),
    ],
)
def test_invalid_text_fields_are_refused(controls, field, field_zh):
    assert_refused(controls, field, field_zh)


def test_boundary_values_are_accepted():
    params = Controls(temperature=0, top_p=1, top_k=100, max_tokens=16384, frequency_penalty=-2,
                      thinking_budget=32768, min_p=0).to_params()
    assert (params["temperature"], params["top_k"], params["max_tokens"], params["min_p"]) == (0, 100, 16384, 0)


# --- the table drives everything ---------------------------------------------------------------


def test_every_row_is_a_field_the_client_sends():
    # build_payload refuses unknown fields: a body row the client cannot send fails here.
    values = {f.name: f.parse(f, f.default) for f in FIELDS if f.in_body}
    build_payload("m", [], stream=True, **{k: v for k, v in values.items() if v is not None})
    assert len(set(FIELD_NAMES)) == len(FIELDS)
    assert len({f.elem_id for f in FIELDS}) == len(FIELDS)


def test_detail_is_a_part_attribute_not_a_body_field():
    # detail rides on each picture's image_url part: never a top-level field of the body.
    assert not BY_NAME["detail"].in_body and BY_NAME["detail"].elem_id == "image-detail"
    assert "detail" not in Controls(detail="high").to_params()
    assert Controls().image_detail == "auto"
    assert Controls(detail="low").image_detail == "low"
    with pytest.raises(InputError):
        _ = Controls(detail="ultra").image_detail
    assert [f.name for f in FIELDS if not f.in_body] == ["detail", "tools_demo"]


def test_the_tools_switch_is_not_a_body_field():
    # The demo's tools go in ``tools`` when the switch is on (sfui.tool_loop), never as a field of their own.
    assert BY_NAME["tools_demo"].elem_id == "tools-demo" and not BY_NAME["tools_demo"].advanced
    assert "tools_demo" not in Controls(tools_demo=True).to_params()
    assert Controls().tools_demo is False and Controls(tools_demo=True).tools_demo is True
    assert Controls(tools_demo="true").tools_demo is True and Controls(tools_demo="false").tools_demo is False


def test_controls_take_exactly_the_table_fields():
    assert set(Controls().values) == set(FIELD_NAMES)
    with pytest.raises(TypeError):
        Controls(temprature=0.5)
    assert Controls.from_values([f.default for f in FIELDS]).to_params() == Controls().to_params()
    with pytest.raises(TypeError):
        Controls.from_values([0.7])


def test_slider_defaults_come_from_the_table():
    sent = Controls().to_params()
    for field in FIELDS:
        if field.kind == "slider":
            assert field.low <= field.default <= field.high
            assert sent[field.name] == field.default


def test_presence_penalty_and_seed_are_sent_when_set_and_absent_when_empty():
    assert "presence_penalty" not in Controls().to_params() and "seed" not in Controls().to_params()
    params = Controls(presence_penalty="0.6", seed="42").to_params()
    assert params["presence_penalty"] == 0.6 and params["seed"] == 42 and type(params["seed"]) is int


def test_a_large_seed_is_sent_exactly():
    assert Controls(seed=str(2**63 - 1)).to_params()["seed"] == 2**63 - 1


@pytest.mark.parametrize(
    "field, value", [("presence_penalty", 2.5), ("seed", -1), ("seed", "lucky"), ("presence_penalty", "x")]
)
def test_presence_penalty_and_seed_are_validated(field, value):
    assert_refused(Controls(**{field: value}), field)


def test_every_field_has_a_label_and_help_in_both_languages():
    from sfui.i18n import STRINGS

    for field in FIELDS:
        for lang in ("en", "zh"):
            assert STRINGS[lang].get(field.label_key), (lang, field.label_key)
            assert STRINGS[lang].get(field.help_key), (lang, field.help_key)


def test_choices_map_to_their_wire_values():
    assert BY_NAME["enable_thinking"].choices == {"default": None, "on": True, "off": False}
    assert BY_NAME["response_format"].choices["json_object"] == {"type": "json_object"}

