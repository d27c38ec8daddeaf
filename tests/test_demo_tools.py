"""sfui.demo_tools and sfui.units: the demo's tools as the model sees them, run with the
arguments it writes; every bad call comes back as an ``Error: ...`` result. No server."""

from __future__ import annotations

import json

import pytest

from sfui import demo_tools
from sfui.demo_tools import definitions, is_error, run_tool, with_demo_tools
from sfui.units import UnitError, convert

# 2026-07-01 12:00:00 UTC (summer: New York on daylight time) and 2026-01-15 12:00:00 UTC.
SUMMER, WINTER = 1782907200.0, 1768478400.0


def call(name: str, clock: float = SUMMER, **arguments) -> str:
    return run_tool(name, json.dumps(arguments), clock=lambda: clock)


def test_the_definitions_are_openai_style_functions():
    tools = definitions()
    assert [tool["function"]["name"] for tool in tools] == ["calculator", "current_time", "convert_units"]
    for tool in tools:
        assert tool["type"] == "function"
        parameters = tool["function"]["parameters"]
        assert parameters["type"] == "object" and set(parameters.get("required", ())) <= set(parameters["properties"])
        assert tool["function"]["description"]
    json.dumps(tools)  # plain JSON, as the request carries it


def test_the_calculator():
    assert call("calculator", expression="(2 + 3) * 4") == "20"
    assert call("calculator", expression="2 ** 99999") == "Error: the result is too large"
    assert call("calculator", expression="().__class__").startswith("Error: Attribute is not allowed")
    assert call("calculator", expression=42) == 'Error: expression must be a string, such as "(2 + 3) * 4"'


@pytest.mark.parametrize(("timezone", "clock", "expected"), [
    ("Asia/Shanghai", SUMMER, "2026-07-01 20:00:00 CST (UTC+08:00), Wednesday, in Asia/Shanghai"),
    ("America/New_York", SUMMER, "2026-07-01 08:00:00 EDT (UTC-04:00), Wednesday, in America/New_York"),
    ("America/New_York", WINTER, "2026-01-15 07:00:00 EST (UTC-05:00), Thursday, in America/New_York"),
    ("Asia/Kolkata", WINTER, "2026-01-15 17:30:00 IST (UTC+05:30), Thursday, in Asia/Kolkata"),
    ("UTC", WINTER, "2026-01-15 12:00:00 UTC (UTC+00:00), Thursday, in UTC"),
])
def test_the_time_in_a_time_zone(timezone, clock, expected):
    assert call("current_time", clock, timezone=timezone) == expected


def test_the_time_zone_defaults_to_utc_and_unknown_ones_are_said():
    assert call("current_time", WINTER).startswith("2026-01-15 12:00:00 UTC")
    assert call("current_time", timezone="Mars/Olympus_Mons") == (
        "Error: unknown time zone 'Mars/Olympus_Mons'; use an IANA name such as Europe/Paris")
    for bad in ("../../etc/passwd", "/etc/localtime", "Europe/../../x", 3):
        assert call("current_time", timezone=bad).startswith("Error: timezone must be an IANA time zone name")


@pytest.mark.parametrize(("value", "source", "target", "line"), [
    (100, "km", "mi", "100 km = 62.1371192237 mi"),
    (1, "ft", "cm", "1 ft = 30.48 cm"),
    (100, "°C", "°F", "100 °C = 212 °F"),
    (-40, "fahrenheit", "celsius", "-40 °F = -40 °C"),
    (0, "K", "C", "0 K = -273.15 °C"),
    (2, "斤", "kg", "2 jin = 1 kg"),
    (1, "GiB", "MB", "1 GiB = 1073.741824 MB"),
    (60, "mph", "km/h", "60 mph = 96.56064 km/h"),
    (1, "acre", "m2", "1 acre = 4046.8564224 m2"),
    (3, "Cups", "ml", "3 cup = 709.7647095 ml"),
    ("2.5", "h", "min", "2.5 h = 150 min"),
])
def test_unit_conversions(value, source, target, line):
    assert call("convert_units", value=value, from_unit=source, to_unit=target) == line


def test_units_that_do_not_fit_are_said():
    assert call("convert_units", value=1, from_unit="km", to_unit="kg") == (
        "Error: cannot convert length (km) to mass (kg)")
    assert call("convert_units", value=1, from_unit="smoot", to_unit="m").startswith("Error: unknown unit 'smoot'")
    assert call("convert_units", value="lots", from_unit="m", to_unit="km") == (
        "Error: value must be a number, not 'lots'")
    with pytest.raises(UnitError, match="finite"):
        convert(float("inf"), "m", "km")


@pytest.mark.parametrize(("name", "arguments", "result"), [
    ("launch_rockets", "{}", "Error: there is no tool named 'launch_rockets'; the tools are calculator, "
                             "current_time, convert_units"),
    ("calculator", "{not json", "Error: the arguments are not valid JSON"),
    ("calculator", "[1, 2]", "Error: the arguments must be a JSON object"),
    ("calculator", '{"expression": "1", "clock": 5}', "Error: unexpected argument(s) clock; calculator takes "
                                                       "expression"),
    ("convert_units", '{"value": 1}', "Error: missing argument(s) from_unit, to_unit"),
    ("calculator", "{" + " " * 3000 + "}", "Error: the arguments are longer than 2000 characters"),
])
def test_a_bad_call_is_a_result_not_a_crash(name, arguments, result):
    assert run_tool(name, arguments) == result
    assert is_error(result)


def test_a_tool_that_breaks_still_gives_a_result(monkeypatch, caplog):
    def broken(**_):
        raise RuntimeError("a bug")

    monkeypatch.setitem(demo_tools.BY_NAME, "calculator",
                        demo_tools.DemoTool("calculator", "", demo_tools.BY_NAME["calculator"].parameters, broken))
    assert run_tool("calculator", '{"expression": "1"}') == "Error: the tool failed"
    assert "a bug" in caplog.text


def test_the_demos_tools_join_a_visitors_own_and_win_a_clash():
    own = [{"type": "function", "function": {"name": "calculator", "parameters": {}}},
           {"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
    params = with_demo_tools({"max_tokens": 10, "tools": own})
    assert [t["function"]["name"] for t in params["tools"]] == [
        "calculator", "current_time", "convert_units", "get_weather"]
    assert params["tools"][0] == definitions()[0] and params["max_tokens"] == 10
    assert with_demo_tools({})["tools"] == definitions()


def test_a_saved_record_names_the_switch_not_the_definitions():
    own = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
    sent = with_demo_tools({"max_tokens": 10, "tools": [own]})
    kept = demo_tools.recorded(sent)
    assert kept == {"max_tokens": 10, "tools_demo": True, "tools": [own]}
    assert demo_tools.as_sent(kept) == sent
    assert demo_tools.recorded(with_demo_tools({})) == {"tools_demo": True}
    assert demo_tools.as_sent({"tools_demo": True}) == {"tools": definitions()}
    plain = {"max_tokens": 10, "tools": [own]}
    assert demo_tools.recorded(plain) == plain and demo_tools.as_sent(plain) == plain
