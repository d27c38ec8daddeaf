"""The demo's built-in tools, which sfui itself runs when a model calls them (the
"Tools" switch): a calculator (sfui/calculator.py), the date and time in a time zone
(zoneinfo) and a unit converter (sfui/units.py).

Each tool is its OpenAI-style definition (what the request's ``tools`` carries) and a
function of its arguments. :func:`run_tool` takes a call as the model wrote it (a name
and a JSON string) and always returns text: a bad call (unknown tool, arguments that are
not JSON, a wrong argument, an expression the calculator refuses) comes back as an
``Error: ...`` result, which goes to the model like any result, never as a crash.

Tools a visitor gives as JSON (the ``tools`` request field) are sent along but never
run here: only these names are.

Plain Python: no Gradio, no HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .calculator import CalculatorError, calculate
from .units import UnitError, conversion

log = logging.getLogger("sfui")

ERROR_PREFIX = "Error: "
MAX_ARGUMENT_CHARS = 2000  # a call's arguments as the model wrote them
TIMEZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}$")


class ToolError(ValueError):
    """A call that cannot be run as written; the message, for the model, says why."""


@dataclass(frozen=True)
class DemoTool:
    name: str
    description: str
    parameters: dict
    run: Callable[..., str]  # the arguments by name, and ``clock`` (epoch seconds now)

    def definition(self) -> dict:
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": self.parameters}}


def _calculator(expression: Any, *, clock: Callable[[], float]) -> str:
    if not isinstance(expression, str):
        raise ToolError("expression must be a string, such as \"(2 + 3) * 4\"")
    return calculate(expression)


def _current_time(timezone: Any = "UTC", *, clock: Callable[[], float]) -> str:
    """The date and time now in ``timezone`` (an IANA name)."""
    name = "UTC" if timezone in (None, "") else timezone
    if not isinstance(name, str) or not TIMEZONE_NAME.match(name.strip()):
        raise ToolError(f"timezone must be an IANA time zone name such as Asia/Shanghai, not {name!r}")
    try:
        zone = zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ToolError(f"unknown time zone {name!r}; use an IANA name such as Europe/Paris") from None
    moment = dt.datetime.fromtimestamp(clock(), zone)
    offset = moment.strftime("%z")
    return (f"{moment.strftime('%Y-%m-%d %H:%M:%S')} {moment.tzname()} (UTC{offset[:3]}:{offset[3:]}), "
            f"{moment.strftime('%A')}, in {zone.key}")


def _convert_units(value: Any, from_unit: Any, to_unit: Any, *, clock: Callable[[], float]) -> str:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise ToolError(f"value must be a number, not {value!r}") from None
    if not isinstance(from_unit, str) or not isinstance(to_unit, str):
        raise ToolError("from_unit and to_unit must be unit names such as \"km\" or \"°F\"")
    return conversion(value, from_unit, to_unit)


TOOLS: tuple[DemoTool, ...] = (
    DemoTool("calculator", "Evaluate an arithmetic expression exactly. Supports + - * / // % ** (or ^), "
             "parentheses, pi, e, and sqrt, log, ln, log10, sin, cos, tan, factorial, round, abs, min, max.",
             {"type": "object", "properties": {"expression": {
                 "type": "string", "description": "The expression, e.g. \"(2 + 3) * 4 / 7\" or \"sqrt(2) * pi\"."}},
              "required": ["expression"]},
             _calculator),
    DemoTool("current_time", "The current date, time and weekday in a time zone.",
             {"type": "object", "properties": {"timezone": {
                 "type": "string", "description": "An IANA time zone name, e.g. \"Asia/Shanghai\" or "
                                                  "\"America/New_York\". Defaults to UTC."}}},
             _current_time),
    DemoTool("convert_units", "Convert a value between units of length, mass, volume, area, speed, time, "
             "data size, energy or temperature.",
             {"type": "object", "properties": {
                 "value": {"type": "number", "description": "The amount to convert."},
                 "from_unit": {"type": "string", "description": "The unit it is in, e.g. \"km\", \"lb\", \"°F\"."},
                 "to_unit": {"type": "string", "description": "The unit wanted, e.g. \"mi\", \"kg\", \"°C\"."}},
              "required": ["value", "from_unit", "to_unit"]},
             _convert_units),
)
BY_NAME: dict[str, DemoTool] = {tool.name: tool for tool in TOOLS}


def is_demo_tool(name: str | None) -> bool:
    return name in BY_NAME


def definitions() -> list[dict]:
    """The tools as the request's ``tools`` field carries them."""
    return [tool.definition() for tool in TOOLS]


def with_demo_tools(params: dict[str, Any]) -> dict[str, Any]:
    """Request fields with the demo's tools added first to ``tools``; a visitor's own tool
    of the same name is left out (the call would be ambiguous: the demo's runs)."""
    own = [tool for tool in params.get("tools") or []
           if not is_demo_tool(((tool.get("function") or {}) if isinstance(tool, dict) else {}).get("name"))]
    return {**params, "tools": [*definitions(), *own]}


SWITCH = "tools_demo"  # the request field table's row for the switch (sfui.params)


def recorded(params: dict[str, Any]) -> dict[str, Any]:
    """Request fields as a saved answer's record keeps them: the demo's tools as the switch that
    sent them (``tools_demo: true``), a visitor's own tools in ``tools``; :func:`as_sent` undoes it."""
    tools = params.get("tools") or []
    own = [tool for tool in tools if tool not in definitions()]
    if len(own) == len(tools):
        return params
    kept = {name: value for name, value in params.items() if name != "tools"}
    return {**kept, SWITCH: True, **({"tools": own} if own else {})}


def as_sent(params: dict[str, Any]) -> dict[str, Any]:
    """A record's request fields as the request carried them (the demo's tools back in ``tools``)."""
    fields = {name: value for name, value in params.items() if name != SWITCH}
    return with_demo_tools(fields) if params.get(SWITCH) is True else fields


def _arguments(text: str) -> dict:
    if len(text) > MAX_ARGUMENT_CHARS:
        raise ToolError(f"the arguments are longer than {MAX_ARGUMENT_CHARS} characters")
    try:
        arguments = json.loads(text) if text.strip() else {}
    except (ValueError, RecursionError):
        raise ToolError("the arguments are not valid JSON") from None
    if not isinstance(arguments, dict):
        raise ToolError("the arguments must be a JSON object")
    return arguments


def run_tool(name: str, arguments: str, *, clock: Callable[[], float] = time.time) -> str:
    """The result of one call, as text for the model: its value, or ``Error: <why>``."""
    tool = BY_NAME.get(name)
    try:
        if tool is None:
            raise ToolError(f"there is no tool named {name!r}; the tools are {', '.join(BY_NAME)}")
        args = _arguments(arguments)
        known = set(tool.parameters["properties"])
        if set(args) - known:
            raise ToolError(f"unexpected argument(s) {', '.join(sorted(set(args) - known))}; "
                            f"{tool.name} takes {', '.join(sorted(known))}")
        missing = set(tool.parameters.get("required", ())) - set(args)
        if missing:
            raise ToolError(f"missing argument(s) {', '.join(sorted(missing))}")
        return tool.run(**args, clock=clock)
    except (ToolError, CalculatorError, UnitError) as exc:
        return ERROR_PREFIX + str(exc)
    except Exception:  # a bug of ours: the model still gets a result, the log the traceback
        log.exception("demo tool %s failed", name)
        return ERROR_PREFIX + "the tool failed"


def is_error(result: str) -> bool:
    return result.startswith(ERROR_PREFIX)
