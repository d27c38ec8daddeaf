"""The first screen's plain parts: the example records, the presets, and a
one-line ``info`` in both languages on every control that sets a request."""

from __future__ import annotations

import json
from types import SimpleNamespace

import gradio as gr
import pytest
from gradio.i18n import I18nData

from sfui.catalog import DEFAULT_MODELS
from sfui.examples import BY_KEY, EXAMPLES, Example
from sfui.i18n import STRINGS
from sfui.params import BY_NAME, FIELDS, JSON, Controls
from sfui.presets import DEFAULT_PRESET, PRESETS, matching_preset, preset_values
from sfui.ui.preset_picker import render_presets
from sfui.ui.starters import render_examples


def i18n_key(value) -> str | None:
    """The catalogue key of a gr.I18n marker (kept as I18nData, or already serialized), else None."""
    if isinstance(value, I18nData):
        return value.key
    if isinstance(value, str) and value.startswith("__i18n__"):
        return json.loads(value.removeprefix("__i18n__"))["key"]
    return None


# --- examples -------------------------------------------------------------------------------


def test_examples_are_four_to_six_with_offered_models():
    assert 4 <= len(EXAMPLES) <= 6
    assert len({e.key for e in EXAMPLES}) == len(EXAMPLES)
    for example in EXAMPLES:
        # Offered in the picker before the live model list arrives.
        assert example.model in DEFAULT_MODELS, example


def test_examples_cover_a_reasoning_puzzle_code_math_and_a_chinese_poem():
    from sfui.catalog import model_info

    by_key = {e.key: e for e in EXAMPLES}
    assert model_info(by_key["puzzle"].model).reasoning  # a 🧠 model
    assert "LaTeX" in by_key["math"].prompt("en")
    assert "Python" in by_key["code"].prompt("en")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in by_key["poem"].prompt("en"))  # a Chinese poem, also in English


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.key)
def test_every_example_has_its_texts_in_both_languages(example):
    for lang in ("en", "zh"):
        assert STRINGS[lang][example.title_key].strip()
        assert STRINGS[lang][example.prompt_key].strip()
    # The Chinese ones are Chinese, not a copy of the English.
    assert STRINGS["zh"][example.prompt_key] != STRINGS["en"][example.prompt_key]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in STRINGS["zh"][example.title_key])


def test_an_image_example_is_one_more_record():
    example = Example("picture", "Qwen/Qwen2.5-VL-72B-Instruct", image="screenshot.png")
    assert example.image_path.is_file()
    assert example.elem_id == "example-picture"
    assert Example("code", "x").image_path is None


def test_each_example_gets_a_button_titled_from_the_catalogue():
    with gr.Blocks():
        area = render_examples()
    assert list(area.buttons) == [e.key for e in EXAMPLES]
    for example in EXAMPLES:
        button = area.buttons[example.key]
        assert button.elem_id == example.elem_id
        assert i18n_key(button.value) == example.title_key


# --- presets --------------------------------------------------------------------------------


def test_presets_are_precise_balanced_creative_in_order_of_variety():
    assert [p.key for p in PRESETS] == ["precise", "balanced", "creative"]
    temperatures = [p.temperature for p in PRESETS]
    assert temperatures == sorted(temperatures) and len(set(temperatures)) == 3


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_preset_values_are_valid_request_values(preset):
    temperature, top_p = preset_values(preset.key)
    params = Controls(temperature=temperature, top_p=top_p).to_params()
    assert params["temperature"] == preset.temperature and params["top_p"] == preset.top_p
    # Reachable on the sliders: a multiple of their step.
    for name, value in (("temperature", temperature), ("top_p", top_p)):
        step = BY_NAME[name].step
        assert abs(value / step - round(value / step)) < 1e-9, (name, value)


def test_a_fresh_page_is_balanced():
    assert DEFAULT_PRESET == "balanced"
    assert matching_preset(BY_NAME["temperature"].default, BY_NAME["top_p"].default) == "balanced"


def test_matching_preset_follows_the_sliders():
    for preset in PRESETS:
        assert matching_preset(preset.temperature, preset.top_p) == preset.key
    assert matching_preset(1.3, 0.85) is None
    assert matching_preset(PRESETS[0].temperature, PRESETS[2].top_p) is None
    assert matching_preset(None, None) is None
    assert matching_preset("0.7", "0.7") == "balanced"  # as a slider may hand it over


def test_preset_labels_exist_in_both_languages():
    with gr.Blocks():
        radio = render_presets()
    assert radio.elem_id == "presets"
    for preset in PRESETS:
        for lang in ("en", "zh"):
            assert STRINGS[lang][preset.label_key].strip()
    assert STRINGS["zh"]["label_preset_creative"] != STRINGS["en"]["label_preset_creative"]


# --- plain words: every control's info line ---------------------------------------------------

# Every control a visitor sets a request with, besides the request fields themselves.
OTHER_CONTROLS = {
    "model", "system-prompt", "presets", "compare-n", "compare-blind",
    *(f"compare-model-{i}" for i in range(1, 5)), *(f"compare-temperature-{i}" for i in range(1, 5)),
}


def _controls_by_elem_id():
    from sfui.config import Settings
    from sfui.ui import build_demo

    demo = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1"))
    return {block.elem_id: block for block in demo.blocks.values() if getattr(block, "elem_id", None)}


def test_every_control_has_an_info_line_in_both_languages():
    controls = _controls_by_elem_id()
    wanted = {f.elem_id for f in FIELDS if f.kind != JSON} | OTHER_CONTROLS
    assert wanted <= set(controls), wanted - set(controls)
    for elem_id in sorted(wanted):
        key = i18n_key(controls[elem_id].info)
        assert key, f"#{elem_id} has no translated info line: {controls[elem_id].info!r}"
        for lang in ("en", "zh"):
            text = STRINGS[lang].get(key, "")
            assert text.strip() and "\n" not in text, f"#{elem_id}: {key} missing or not one line in {lang}"
        assert STRINGS["zh"][key] != STRINGS["en"][key], f"#{elem_id}: {key} is not translated"


def test_request_field_labels_stay_the_apis_names():
    controls = _controls_by_elem_id()
    for field in FIELDS:
        assert STRINGS["en"][field.label_key] == STRINGS["zh"][field.label_key] or field.kind != "slider"
        assert i18n_key(controls[field.elem_id].label) == field.label_key


def test_the_picture_example_hands_its_picture_to_a_model_that_sees_images():
    from sfui.catalog import model_info
    from sfui.images import SAMPLE_IMAGE
    from sfui.ui.starters import _picker

    picture = BY_KEY["picture"]
    assert picture.image_path == SAMPLE_IMAGE and SAMPLE_IMAGE.is_file()
    assert model_info(picture.model).vision
    model, message = _picker(picture)(SimpleNamespace(headers={"accept-language": "zh-CN"}))
    assert model == picture.model
    assert message == {"text": STRINGS["zh"]["example_picture_prompt"], "files": [str(SAMPLE_IMAGE)]}
    assert _picker(BY_KEY["code"])(SimpleNamespace(headers={}))[1]["files"] == []
