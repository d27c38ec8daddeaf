"""Model capabilities inferred from ids, labels and ordering."""

from __future__ import annotations

import pytest

from sfui.catalog import DEFAULT_MODELS, model_info, sort_models

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

