"""Model capabilities inferred from ids, labels and ordering."""

from __future__ import annotations

import pytest

from sfui.catalog import (
    _ABOUT,
    DEFAULT_MODELS,
    TAG_COMBINATIONS,
    about_key,
    model_hint,
    model_info,
    model_label,
    parameters_in_billions,
    sort_models,
    tag_translations,
    tags_key,
)
from sfui.i18n import STRINGS, t

REASONING = [
    "deepseek-ai/DeepSeek-R1",
    "Pro/deepseek-ai/DeepSeek-R1",
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B",
    "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
    "Qwen/QwQ-32B",
    "THUDM/GLM-4.1V-9B-Thinking",
    "Qwen/Qwen3-235B-A22B-Thinking-2507",
    "THUDM/GLM-Z1-9B-0414",
    "THUDM/GLM-Z1-32B-0414",
]
VISION = [
    "Qwen/Qwen2.5-VL-72B-Instruct",
    "Pro/Qwen/Qwen2.5-VL-7B-Instruct",
    "deepseek-ai/deepseek-vl2",
    "zai-org/GLM-4.5V",
    "THUDM/GLM-4.1V-9B-Thinking",
    "Qwen/Qwen2.5-Omni-7B",
    "deepseek-ai/DeepSeek-OCR",
]
HYBRID = [
    "Qwen/Qwen3-8B",
    "Qwen/Qwen3-14B",
    "Qwen/Qwen3-32B",
    "Qwen/Qwen3-30B-A3B",
    "deepseek-ai/DeepSeek-V3.2",
    "zai-org/GLM-4.6",
    "Pro/zai-org/GLM-4.6",
    "zai-org/GLM-4.5V",
]
PLAIN = [
    "deepseek-ai/DeepSeek-V3",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-72B-Instruct",
    "THUDM/GLM-4-9B-0414",
    "moonshotai/Kimi-K2-Instruct",
    "Qwen/Qwen3-Coder-480B-A35B-Instruct",
]


@pytest.mark.parametrize("model", REASONING)
def test_reasoning_models(model):
    assert model_info(model).reasoning


@pytest.mark.parametrize("model", VISION)
def test_vision_models(model):
    assert model_info(model).vision


@pytest.mark.parametrize("model", HYBRID)
def test_hybrid_thinking_models(model):
    info = model_info(model)
    assert info.hybrid_thinking
    assert not info.reasoning  # they think only when asked to


@pytest.mark.parametrize("model", PLAIN)
def test_plain_models_have_no_capability_flags(model):
    info = model_info(model)
    assert (info.reasoning, info.vision, info.hybrid_thinking) == (False, False, False)
    assert info.label.startswith(model)


def test_pro_prefix():
    pro = model_info("Pro/deepseek-ai/DeepSeek-R1")
    assert pro.pro and pro.reasoning and pro.id == "Pro/deepseek-ai/DeepSeek-R1"
    assert not model_info("deepseek-ai/DeepSeek-R1").pro
    # The Pro twin of a free model is the paid one.
    assert model_info("Qwen/Qwen2.5-7B-Instruct").free
    assert not model_info("Pro/Qwen/Qwen2.5-7B-Instruct").free


def test_labels_name_the_capabilities():
    assert model_info("deepseek-ai/DeepSeek-R1").label == "deepseek-ai/DeepSeek-R1 · 🧠 reasoning"
    assert model_info("Qwen/Qwen3-8B").label == "Qwen/Qwen3-8B · 🧠 optional thinking, free"
    assert model_info("Qwen/Qwen2.5-VL-72B-Instruct").label == "Qwen/Qwen2.5-VL-72B-Instruct · 👁 vision"
    assert model_info("THUDM/GLM-4.1V-9B-Thinking").label == "THUDM/GLM-4.1V-9B-Thinking · 🧠 reasoning, 👁 vision, free"
    assert model_info("deepseek-ai/DeepSeek-V3").label == "deepseek-ai/DeepSeek-V3"


def test_sort_models_keeps_curated_order_first_then_alphabetical_without_duplicates():
    curated = list(DEFAULT_MODELS)
    live = ["zeta/Z-1", curated[3], "alpha/a-2", curated[0], "Beta/B-3", curated[3], "zeta/Z-1", curated[1]]
    assert sort_models(live) == [curated[0], curated[1], curated[3], "alpha/a-2", "Beta/B-3", "zeta/Z-1"]


def test_sort_models_of_the_curated_list_is_the_curated_list():
    assert sort_models(list(reversed(DEFAULT_MODELS))) == list(DEFAULT_MODELS)


def test_the_free_models_come_first_then_the_popular_ones():
    free = [m for m in DEFAULT_MODELS if model_info(m).free]
    assert len(free) >= 4
    assert list(DEFAULT_MODELS[: len(free)]) == free  # every free one before every paid one
    assert DEFAULT_MODELS[0] == "Qwen/Qwen3-8B"  # the default model heads the list
    popular = DEFAULT_MODELS[len(free):]
    assert {"deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1", "moonshotai/Kimi-K2-Instruct"} <= set(popular)


def test_a_live_list_puts_the_curated_free_models_first_and_pro_twins_last():
    live = ["zeta/Z-1", "Pro/Qwen/Qwen2.5-7B-Instruct", "deepseek-ai/DeepSeek-V3", "alpha/A-1",
            "Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen3-8B", "Pro/alpha/A-0"]
    assert sort_models(live) == ["Qwen/Qwen3-8B", "Qwen/Qwen2.5-7B-Instruct", "deepseek-ai/DeepSeek-V3",
                                 "alpha/A-1", "zeta/Z-1", "Pro/alpha/A-0", "Pro/Qwen/Qwen2.5-7B-Instruct"]


# --- labels in the visitor's language ----------------------------------------------------------


def test_labels_follow_the_language():
    assert model_label("Qwen/Qwen3-8B", "en") == "Qwen/Qwen3-8B · 🧠 optional thinking, free"
    assert model_label("Qwen/Qwen3-8B", "zh") == "Qwen/Qwen3-8B · 🧠 可选思考、免费"
    assert model_label("THUDM/GLM-4.1V-9B-Thinking", "zh") == "THUDM/GLM-4.1V-9B-Thinking · 🧠 推理、👁 视觉、免费"
    assert model_label("deepseek-ai/DeepSeek-V3", "zh") == "deepseek-ai/DeepSeek-V3"


def test_every_combination_of_tags_has_a_label_in_both_languages():
    assert len(TAG_COMBINATIONS) == 11  # (reasoning | hybrid | none) x vision x free, minus no tag at all
    for model in [*REASONING, *VISION, *HYBRID, *DEFAULT_MODELS]:
        tags = model_info(model).tags
        if tags:
            assert tags in TAG_COMBINATIONS, model
    en, zh = tag_translations("en"), tag_translations("zh")
    assert set(en) == set(zh) == {tags_key(tags) for tags in TAG_COMBINATIONS}
    assert en[tags_key(("reasoning", "vision", "free"))] == "🧠 reasoning, 👁 vision, free"
    assert zh[tags_key(("hybrid",))] == "🧠 可选思考"
    # Gradio shows "[object Object]" for a key equal to one of its own groups: ours are prefixed.
    assert all(key.startswith("label_model_tags_") for key in en)


# --- the hint under the picker -----------------------------------------------------------------


def test_every_curated_model_has_its_own_line_in_both_languages():
    assert set(_ABOUT) == set(DEFAULT_MODELS)
    lines = {}
    for model in DEFAULT_MODELS:
        key = about_key(model)
        assert key == _ABOUT[model] and not key.startswith("about_rule_")
        assert STRINGS["en"][key].strip() and STRINGS["zh"][key].strip()
        lines[model] = STRINGS["en"][key]
    assert len(set(lines.values())) == len(DEFAULT_MODELS)  # one line each, not one line for all


@pytest.mark.parametrize("model, key", [
    ("Qwen/Qwen3-Coder-480B-A35B-Instruct", "about_rule_coder"),
    ("Qwen/Qwen2.5-Math-72B-Instruct", "about_rule_math"),
    ("Qwen/Qwen3-VL-8B-Instruct", "about_rule_vision"),
    ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "about_rule_reasoning"),
    ("Qwen/Qwen3-235B-A22B-Thinking-2507", "about_rule_reasoning"),
    ("Pro/Qwen/Qwen2.5-7B-Instruct", "about_rule_small"),
    ("internlm/internlm2_5-7b-chat", "about_rule_small"),
    ("Qwen/Qwen3-235B-A22B-Instruct-2507", "about_rule_large"),
    ("Qwen/Qwen3-32B", "about_rule_general"),
    ("someone/mystery-model", "about_rule_general"),
])
def test_other_models_get_a_line_by_rules(model, key):
    assert about_key(model) == key


def test_sizes_read_from_ids():
    assert parameters_in_billions("Qwen2.5-72B-Instruct") == 72
    assert parameters_in_billions("Qwen3-235B-A22B") == 235  # a mixture of experts: the total
    assert parameters_in_billions("GLM-4-9B-0414") == 9
    assert parameters_in_billions("DeepSeek-V3") is None


def test_the_hint_says_what_the_model_is_good_at_then_what_it_can_do():
    en = model_hint("deepseek-ai/DeepSeek-R1", "en")
    assert en.startswith(t("en", "about_deepseek_r1")) and t("en", "hint_reasoning") in en
    zh = model_hint("Qwen/Qwen2.5-VL-72B-Instruct", "zh")
    assert zh.startswith(t("zh", "about_qwen25_vl_72b")) and t("zh", "hint_vision") in zh
    assert model_hint("deepseek-ai/DeepSeek-V3", "en") == t("en", "about_deepseek_v3")  # nothing more to say
    assert model_hint("  someone/mystery-model ", "zh") == t("zh", "about_rule_general")
    assert model_hint(None) == model_hint("") == ""
    assert "\n" not in en and "\n" not in zh  # one line

