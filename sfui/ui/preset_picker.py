"""The presets (Precise / Balanced / Creative) above the sliders: choosing one
sets temperature and top_p, which are then sent as any slider value is; moving
either slider by hand shows which preset (if any) the values still match."""

from __future__ import annotations

import gradio as gr

from ..presets import DEFAULT_PRESET, PRESETS, matching_preset, preset_values
from .common import label


def render_presets() -> gr.Radio:
    return gr.Radio(
        [(label(p.label_key), p.key) for p in PRESETS], value=DEFAULT_PRESET, label=label("label_presets"),
        info=label("help_presets"), elem_id="presets",
    )


def wire_presets(presets: gr.Radio, *, temperature: gr.Slider, top_p: gr.Slider) -> None:
    private = dict(queue=False, api_visibility="private")
    # .input: only the visitor's choice sets the sliders (not the radio following them below).
    presets.input(preset_values, [presets], [temperature, top_p], **private)
    for slider in (temperature, top_p):
        slider.change(matching_preset, [temperature, top_p], [presets], **private)
