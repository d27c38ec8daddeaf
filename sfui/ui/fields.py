"""The request-field controls, built from ``sfui.params.FIELDS``, and the one
signature that the page's handlers and the public API share.

A handler is written with one ``controls: Controls`` parameter; Gradio sees
(and ``/chat`` documents) one parameter per request field in its place, named
after the API's field. Adding a row to the table adds the control, the
validation and the API parameter at once.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Callable
from typing import Any

import gradio as gr

from ..params import CHOICE, FIELDS, JSON, LINES, NUMBER, SLIDER, SWITCH, Controls, RequestField, format_number
from .common import label


def _component(field: RequestField) -> gr.components.Component:
    common: dict[str, Any] = dict(elem_id=field.elem_id, info=label(field.help_key))
    if field.kind == SLIDER:
        # Their labels are the API's own names, in both languages: what developers search for.
        return gr.Slider(field.low, field.high, value=field.default, step=field.step, label=label(field.label_key),
                         **common)
    if field.kind == NUMBER:
        # A Textbox, not gr.Number: a Number's empty value turns into 0 once its
        # accordion opens (Gradio shows None as 0), which would send 0 instead of
        # "model default". Controls validates the range.
        placeholder = f"{format_number(field.low)} – {format_number(field.high)}"
        return gr.Textbox(value="", placeholder=placeholder, label=label(field.label_key), **common)
    if field.kind == CHOICE:
        return gr.Radio(list(field.choices), value=field.default, label=label(field.label_key), **common)
    if field.kind == LINES:
        return gr.Textbox(value=field.default, lines=2, label=label(field.label_key), **common)
    if field.kind == SWITCH:
        return gr.Checkbox(value=field.default, label=label(field.label_key), **common)
    if field.kind == JSON:
        del common["info"]  # gr.Code has no info line; the label says what it takes
        return gr.Code(value=field.default, language="json", lines=4, label=label(field.label_key), **common)
    raise ValueError(f"unknown field kind {field.kind!r}")


def render_fields(advanced: bool) -> dict[str, gr.components.Component]:
    """The controls of the basic (``advanced=False``) or the advanced fields, in table order."""
    return {f.name: _component(f) for f in FIELDS if f.advanced == advanced}


def field_inputs(components: dict[str, gr.components.Component]) -> list[gr.components.Component]:
    """The controls in table order: the order the expanded signature takes them in."""
    return [components[f.name] for f in FIELDS]


def with_request_fields(handler: Callable[..., AsyncIterator]) -> Callable[..., AsyncIterator]:
    """``handler(..., controls, ...)`` (an async generator) as Gradio should call
    it: one positional parameter per request field in place of ``controls``."""
    signature = inspect.signature(handler)
    names = list(signature.parameters)
    at = names.index("controls")
    count = len(FIELDS)

    async def expanded(*args: Any) -> AsyncIterator:
        controls = Controls.from_values(args[at : at + count])
        async for frame in handler(*args[:at], controls, *args[at + count :]):
            yield frame

    parameters = list(signature.parameters.values())
    fields = [inspect.Parameter(f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for f in FIELDS]
    expanded.__signature__ = signature.replace(parameters=[*parameters[:at], *fields, *parameters[at + 1 :]])
    # Resolved hints (gr.Request, event data): Gradio injects those by type.
    hints = typing.get_type_hints(handler)
    hints.pop("controls", None)
    expanded.__annotations__ = hints
    expanded.__name__ = handler.__name__
    expanded.__qualname__ = getattr(handler, "__qualname__", handler.__name__)
    expanded.__doc__ = handler.__doc__
    return expanded
