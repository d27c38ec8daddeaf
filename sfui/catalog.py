"""Which models to offer (free ones first), what each can do and is good at, and
their dropdown labels in both languages.

``/models`` returns ids only, no capability flags, so reasoning, vision and
hybrid thinking are inferred from the id, following SiliconFlow's naming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import t

# Shown before the live list arrives (or when it cannot be fetched), and the live
# list's first entries in this order: the free models first (a new visitor can try
# them without paying), then the popular ones.
DEFAULT_MODELS: tuple[str, ...] = (
    "Qwen/Qwen3-8B",
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B",
    "THUDM/GLM-4.1V-9B-Thinking",
    "THUDM/GLM-Z1-9B-0414",
    "THUDM/GLM-4-9B-0414",
    "Qwen/Qwen2.5-7B-Instruct",
    "deepseek-ai/DeepSeek-V3.2",
    "deepseek-ai/DeepSeek-V3",
    "deepseek-ai/DeepSeek-R1",
    "moonshotai/Kimi-K2-Instruct",
    "zai-org/GLM-4.6",
    "Qwen/Qwen2.5-72B-Instruct",
    "Qwen/QwQ-32B",
    "Qwen/Qwen2.5-VL-72B-Instruct",
)

# What each curated model is good at, in one line: the catalogue's entries.
_ABOUT: dict[str, str] = {
    "Qwen/Qwen3-8B": "about_qwen3_8b",
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B": "about_r1_qwen3_8b",
    "THUDM/GLM-4.1V-9B-Thinking": "about_glm_41v_thinking",
    "THUDM/GLM-Z1-9B-0414": "about_glm_z1_9b",
    "THUDM/GLM-4-9B-0414": "about_glm4_9b",
    "Qwen/Qwen2.5-7B-Instruct": "about_qwen25_7b",
    "deepseek-ai/DeepSeek-V3.2": "about_deepseek_v32",
    "deepseek-ai/DeepSeek-V3": "about_deepseek_v3",
    "deepseek-ai/DeepSeek-R1": "about_deepseek_r1",
    "moonshotai/Kimi-K2-Instruct": "about_kimi_k2",
    "zai-org/GLM-4.6": "about_glm_46",
    "Qwen/Qwen2.5-72B-Instruct": "about_qwen25_72b",
    "Qwen/QwQ-32B": "about_qwq_32b",
    "Qwen/Qwen2.5-VL-72B-Instruct": "about_qwen25_vl_72b",
}

# Free to use per SiliconFlow's price list at the time of writing; the live list may differ.
_FREE = {
    "Qwen/Qwen3-8B",
    "Qwen/Qwen2.5-7B-Instruct",
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B",
    "THUDM/GLM-4-9B-0414",
    "THUDM/GLM-Z1-9B-0414",
    "THUDM/GLM-4.1V-9B-Thinking",
}

_REASONING = re.compile(r"(?:^|[/\-_.])(?:R1|QwQ|QVQ)(?:$|[\-_.])|Thinking|GLM-Z1|reasoner", re.I)
_VISION = re.compile(r"VL|vl2|\d(?:\.\d)?V(?:$|[\-_.])|Omni|OCR|QVQ|vision", re.I)
# Hybrid models think or not depending on ``enable_thinking``.
_HYBRID = re.compile(
    r"Qwen3-(?:8B|14B|32B|30B-A3B)$|Qwen3\.5|GLM-4\.5V|GLM-4\.[67]|GLM-5|DeepSeek-V3\.1-Terminus|DeepSeek-V3\.2|Hunyuan-A13B",
    re.I,
)


@dataclass(frozen=True)
class ModelInfo:
    id: str
    reasoning: bool = False
    vision: bool = False
    hybrid_thinking: bool = False
    pro: bool = False  # "Pro/" prefix: the paid twin of a model that may also be free
    free: bool = False

    @property
    def tags(self) -> tuple[str, ...]:
        """The capability hints, as names: "reasoning" or "hybrid", "vision", "free"."""
        tags = []
        if self.reasoning:
            tags.append("reasoning")
        elif self.hybrid_thinking:
            tags.append("hybrid")
        if self.vision:
            tags.append("vision")
        if self.free:
            tags.append("free")
        return tuple(tags)

    @property
    def label(self) -> str:
        """Dropdown label in English: the id plus short capability hints."""
        return model_label(self.id, "en")


def model_info(model_id: str) -> ModelInfo:
    bare = model_id.removeprefix("Pro/")
    name = bare.split("/", 1)[-1]
    return ModelInfo(
        id=model_id,
        reasoning=bool(_REASONING.search(name)),
        vision=bool(_VISION.search(name)),
        hybrid_thinking=bool(_HYBRID.search(name)),
        pro=model_id.startswith("Pro/"),
        free=model_id in _FREE,
    )


def sort_models(ids: list[str]) -> list[str]:
    """Curated models first (in curated order: free, then popular), then the rest
    alphabetically with the paid ``Pro/`` twins last; duplicates dropped."""
    unique = list(dict.fromkeys(ids))  # first occurrences, in order
    rank = {m: i for i, m in enumerate(DEFAULT_MODELS)}
    return sorted(unique, key=lambda m: (rank.get(m, len(rank)), m.startswith("Pro/"), m.lower()))


# --- labels: the id and its capability hints, in the visitor's language -----------------

# Every combination of tags a model can have, in ModelInfo.tags' order.
TAG_COMBINATIONS: tuple[tuple[str, ...], ...] = tuple(
    tuple(tag for tag in (thinking, vision, free) if tag)
    for thinking in ("reasoning", "hybrid", "")
    for vision in ("vision", "")
    for free in ("free", "")
    if thinking or vision or free
)


def tags_key(tags: tuple[str, ...]) -> str:
    """The page-label key of one combination of tags (``label_model_tags_reasoning_free``)."""
    return "label_model_tags_" + "_".join(tags)


def tags_text(tags: tuple[str, ...], lang: str) -> str:
    """``("reasoning", "free")`` as "🧠 reasoning, free" (or its Chinese)."""
    return t(lang, "model_tag_separator").join(t(lang, "model_tag_" + tag) for tag in tags)


def tag_translations(lang: str) -> dict[str, str]:
    """Every combination's text in ``lang``, keyed by :func:`tags_key`: for gr.I18n, so
    the dropdown's labels follow the browser's language (Gradio replaces one marker per
    string, so a label's hints must be one entry)."""
    return {tags_key(tags): tags_text(tags, lang) for tags in TAG_COMBINATIONS}


def model_label(model_id: str, lang: str = "en") -> str:
    """The dropdown label of ``model_id`` in ``lang``: "Qwen/Qwen3-8B · 🧠 optional thinking, free"."""
    tags = model_info(model_id).tags
    return f"{model_id} · {tags_text(tags, lang)}" if tags else model_id


# --- the hint under the picker ------------------------------------------------------------

_SIZE = re.compile(r"(?:^|[-_])(\d+(?:\.\d+)?)B(?:$|[-_])", re.I)
_CODER = re.compile(r"coder|code", re.I)
_MATH = re.compile(r"math", re.I)


def parameters_in_billions(model_id: str) -> float | None:
    """The size an id states ("Qwen2.5-72B" -> 72; a mixture of experts' total,
    "Qwen3-235B-A22B" -> 235), or None."""
    match = _SIZE.search(model_id.split("/")[-1])
    return float(match.group(1)) if match else None


def about_key(model_id: str) -> str:
    """The catalogue entry that says what ``model_id`` is good at: the curated
    one-liner, else a line chosen by rules from the id."""
    if model_id in _ABOUT:
        return _ABOUT[model_id]
    info = model_info(model_id)
    name = model_id.removeprefix("Pro/").split("/", 1)[-1]
    if info.vision:
        return "about_rule_vision"
    if _CODER.search(name):
        return "about_rule_coder"
    if _MATH.search(name):
        return "about_rule_math"
    if info.reasoning:
        return "about_rule_reasoning"
    size = parameters_in_billions(name)
    if size is not None and size <= 10:
        return "about_rule_small"
    if size is not None and size >= 100:
        return "about_rule_large"
    return "about_rule_general"


def model_hint(model_id: str | None, lang: str = "en") -> str:
    """The one line under the model picker: what the model is good at, then what
    it can do (``capability_hint``)."""
    if not model_id:
        return ""
    about = t(lang, about_key(model_id.strip()))
    capabilities = capability_hint(model_id.strip(), lang)
    return f"{about} · {capabilities}" if capabilities else about


def capability_hint(model_id: str | None, lang: str = "en") -> str:
    """What the chosen model can do, in ``lang``: the end of :func:`model_hint`'s line."""
    if not model_id:
        return ""
    info = model_info(model_id)
    hints = []
    if info.reasoning:
        hints.append(t(lang, "hint_reasoning"))
    elif info.hybrid_thinking:
        hints.append(t(lang, "hint_hybrid"))
    if info.vision:
        hints.append(t(lang, "hint_vision"))
    if info.pro:
        hints.append(t(lang, "hint_pro"))
    return " · ".join(hints)
