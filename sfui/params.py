"""The request fields a visitor can set: one table, read by everything else.

Each :class:`RequestField` row says what the control is (its kind, range, step,
default, element id, catalogue keys for its label and help line) and how its
value becomes a request field. The UI builds its controls from ``FIELDS``,
:class:`Controls` validates and converts the values the page (or an API
caller) hands over, and the public ``/chat`` endpoint takes one parameter per
row. Adding a field is adding a row.

Nothing here imports Gradio; every function is testable without a server.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .i18n import format_choices, t

MAX_STOP_SEQUENCES = 4
MAX_TOOLS = 128


class InputError(ValueError):
    """A value the visitor gave cannot be sent: ``key`` names the catalogue
    entry that explains why, ``values`` fill it in."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(self.problem("en"))

    def problem(self, lang: str) -> str:
        values = {k: format_choices(lang, v) if isinstance(v, tuple) else v for k, v in self.values.items()}
        return t(lang, self.key, **values)

    def user_message(self, lang: str) -> str:
        return t(lang, "bad_input", problem=self.problem(lang))


# --- parsers: a control's value -> the request field's value (None = not sent) -------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_number(field: RequestField, value: Any) -> float | int:
    """``value`` as a number (an int for integer fields), or InputError."""
    if field.integer and isinstance(value, str):
        try:
            return int(value.strip())  # exact, even past a float's precision (a seed)
        except ValueError:
            pass
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError("input_not_a_number", name=field.name, value=repr(str(value)[:40])) from None


def format_number(number: float | int) -> str:
    """A bound or a value as a person writes it: 2, 0.7, 32768, 9223372036854775807."""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def parse_number(field: RequestField, value: Any) -> float | int | None:
    if _blank(value):
        return None
    number = _as_number(field, value)
    if number != number or not field.low <= number <= field.high:  # NaN fails both
        raise InputError("input_out_of_range", name=field.name, low=format_number(field.low),
                         high=format_number(field.high), value=format_number(number))
    return int(round(number)) if field.integer else number


def parse_choice(field: RequestField, value: Any) -> Any:
    """A choice's value on the wire; the default choice (or none) sends nothing."""
    if _blank(value):
        return None
    choices = field.choices or {}  # (a CHOICE field always has them)
    if value not in choices:
        raise InputError("input_bad_choice", name=field.name, choices=tuple(choices))
    return choices[value]


def parse_stop(field: RequestField, value: Any) -> list[str] | None:
    """Stop sequences, one per line (so a comma can be one); a literal
    backslash-n inside a line stands for a newline."""
    if _blank(value):
        return None
    sequences = [line.replace("\\n", "\n") for line in str(value).split("\n") if line.strip()]
    if len(sequences) > MAX_STOP_SEQUENCES:
        raise InputError("input_too_many_stops", limit=MAX_STOP_SEQUENCES, count=len(sequences))
    return sequences or None


def parse_tools(field: RequestField, value: Any) -> list[dict] | None:
    if _blank(value):
        return None
    try:
        tools = json.loads(str(value))
    except ValueError as exc:
        raise InputError("input_tools_json", detail=str(exc)) from None
    if isinstance(tools, dict):
        tools = [tools]
    if not isinstance(tools, list) or not all(isinstance(x, dict) for x in tools):
        raise InputError("input_tools_shape")
    if len(tools) > MAX_TOOLS:
        raise InputError("input_too_many_tools", limit=MAX_TOOLS)
    # Bare function specs ({"name":..., "parameters":...}) are accepted as a convenience.
    return [x if x.get("type") else {"type": "function", "function": x} for x in tools]


def parse_switch(field: RequestField, value: Any) -> bool:
    """A switch: on or off (an API caller's "true"/"false" too)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "on", "yes")
    return bool(value)


# --- the table --------------------------------------------------------------------------------

SLIDER = "slider"  # always sent
NUMBER = "number"  # a text box: empty = the model's default, not sent
CHOICE = "choice"  # radio buttons; ``choices`` maps each to its wire value (None = not sent)
LINES = "lines"  # a multi-line text box
JSON = "json"  # a JSON code editor
SWITCH = "switch"  # a checkbox


@dataclass(frozen=True)
class RequestField:
    name: str  # the API's request field: also the Controls attribute and the /chat parameter
    kind: str
    parse: Callable[[RequestField, Any], Any]
    elem_id: str
    default: Any = None
    low: float = 0.0
    high: float = 0.0
    step: float | None = None
    integer: bool = False
    choices: dict[str, Any] | None = None
    advanced: bool = False  # under "More request fields" instead of "Parameters"
    # False: not a top-level field of the request body: an attribute of each picture's
    # ``image_url`` part (``detail``: Controls.image_detail reads it), or what the body gets
    # (``tools_demo``: the demo's tools in ``tools``). to_params leaves it out.
    in_body: bool = True

    @property
    def label_key(self) -> str:
        return "field_" + self.name

    @property
    def help_key(self) -> str:
        return "help_" + self.name


def _slider(name: str, low: float, high: float, step: float, default: float, integer: bool = False) -> RequestField:
    return RequestField(name, SLIDER, parse_number, elem_id=name, default=default, low=low, high=high, step=step,
                        integer=integer)


def _number(name: str, low: float, high: float, integer: bool = False) -> RequestField:
    return RequestField(name, NUMBER, parse_number, elem_id=name.replace("_", "-"), default="", low=low, high=high,
                        integer=integer, advanced=True)


FIELDS: tuple[RequestField, ...] = (
    _slider("temperature", 0.0, 2.0, 0.05, 0.7),
    _slider("top_p", 0.0, 1.0, 0.05, 0.7),
    _slider("top_k", 1, 100, 1, 50, integer=True),
    _slider("max_tokens", 1, 16384, 1, 512, integer=True),
    _slider("frequency_penalty", -2.0, 2.0, 0.05, 0.5),
    RequestField("stop", LINES, parse_stop, elem_id="stop-sequences", default="", advanced=True),
    RequestField("enable_thinking", CHOICE, parse_choice, elem_id="enable-thinking", default="default",
                 choices={"default": None, "on": True, "off": False}, advanced=True),
    _number("thinking_budget", 128, 32768, integer=True),
    _number("min_p", 0.0, 1.0),
    RequestField("response_format", CHOICE, parse_choice, elem_id="response-format", default="text",
                 choices={"text": None, "json_object": {"type": "json_object"}}, advanced=True),
    RequestField("tools", JSON, parse_tools, elem_id="tools", default="", advanced=True),
    _number("presence_penalty", -2.0, 2.0),
    _number("seed", 0, 2**63 - 1, integer=True),
    RequestField("detail", CHOICE, parse_choice, elem_id="image-detail", default="auto",
                 choices={"auto": "auto", "low": "low", "high": "high"}, advanced=True, in_body=False),
    # The demo's tools, which sfui runs (sfui/tool_loop.py): they go in ``tools``, not a field of its own.
    RequestField("tools_demo", SWITCH, parse_switch, elem_id="tools-demo", default=False, in_body=False),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
BY_NAME: dict[str, RequestField] = {f.name: f for f in FIELDS}


class Controls:
    """The values of the request controls, by field name, as the page or an API
    caller hands them over (unset ones take the table's default)."""

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(FIELD_NAMES)
        if unknown:
            raise TypeError(f"unknown request field(s): {', '.join(sorted(unknown))}")
        self.values = {f.name: values.get(f.name, f.default) for f in FIELDS}

    @classmethod
    def from_values(cls, values: tuple | list) -> Controls:
        """From the controls' values in table order (how Gradio passes them)."""
        if len(values) != len(FIELDS):
            raise TypeError(f"expected {len(FIELDS)} request field values, got {len(values)}")
        return cls(**dict(zip(FIELD_NAMES, values, strict=True)))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def to_params(self) -> dict[str, Any]:
        """Validated keyword arguments for ``SiliconFlowClient.chat_stream``: the
        fields that are set. Raises InputError with a message for the visitor."""
        params = {f.name: f.parse(f, self.values[f.name]) for f in FIELDS if f.in_body}
        return {name: value for name, value in params.items() if value is not None}

    @property
    def tools_demo(self) -> bool:
        """Whether the demo's tools go with the request, and sfui runs them."""
        field = BY_NAME["tools_demo"]
        return field.parse(field, self.values["tools_demo"])

    @property
    def image_detail(self) -> str:
        """``detail`` of every picture sent (auto, low, high), validated like the body's fields."""
        field = BY_NAME["detail"]
        return field.parse(field, self.values["detail"]) or field.default
