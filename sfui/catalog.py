"""Which models to offer and what each can do.

``/models`` returns ids only, no capability flags, so reasoning, vision and
hybrid thinking are inferred from the id, following SiliconFlow's naming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import t

# Shown before the live list arrives (or when it cannot be fetched).
DEFAULT_MODELS: tuple[str, ...] = (
    "Qwen/Qwen3-8B",
    "deepseek-ai/DeepSeek-V3",
    "deepseek-ai/DeepSeek-R1",
    "deepseek-ai/DeepSeek-V3.2",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-72B-Instruct",
    "Qwen/QwQ-32B",
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B",
    "THUDM/GLM-4-9B-0414",
    "THUDM/GLM-Z1-9B-0414",
    "zai-org/GLM-4.6",
    "moonshotai/Kimi-K2-Instruct",
    "Qwen/Qwen2.5-VL-72B-Instruct",
    "THUDM/GLM-4.1V-9B-Thinking",
)

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
    def label(self) -> str:
        """Dropdown label: the id plus short capability hints."""
        tags = []
        if self.reasoning:
            tags.append("🧠 reasoning")
        elif self.hybrid_thinking:
            tags.append("🧠 optional thinking")
        if self.vision:
            tags.append("👁 vision")
        if self.free:
            tags.append("free")
        return f"{self.id} · {', '.join(tags)}" if tags else self.id


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
    """Curated models first (in curated order), then the rest alphabetically;
    duplicates dropped."""
    seen: set[str] = set()
    unique = [m for m in ids if not (m in seen or seen.add(m))]
    rank = {m: i for i, m in enumerate(DEFAULT_MODELS)}
    return sorted(unique, key=lambda m: (rank.get(m, len(rank)), m.lower()))


def capability_hint(model_id: str | None, lang: str = "en") -> str:
    """One line under the model picker: what the chosen model can do, in ``lang``."""
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
