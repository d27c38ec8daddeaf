"""One-click settings for temperature and top_p: Precise, Balanced, Creative.

The values live here and nowhere else; the page sets its sliders from them, and
the sliders are what is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import BY_NAME


@dataclass(frozen=True)
class Preset:
    key: str  # the Radio's value; its label is the catalogue's ``label_preset_<key>``
    temperature: float
    top_p: float

    @property
    def label_key(self) -> str:
        return f"label_preset_{self.key}"


PRESETS: tuple[Preset, ...] = (
    Preset("precise", temperature=0.2, top_p=0.5),
    # The sliders' own defaults: a fresh page is "Balanced".
    Preset("balanced", temperature=BY_NAME["temperature"].default, top_p=BY_NAME["top_p"].default),
    Preset("creative", temperature=1.1, top_p=0.95),
)
BY_KEY: dict[str, Preset] = {preset.key: preset for preset in PRESETS}
DEFAULT_PRESET = next(p.key for p in PRESETS if p.temperature == BY_NAME["temperature"].default
                      and p.top_p == BY_NAME["top_p"].default)


def preset_values(key: str) -> tuple[float, float]:
    """(temperature, top_p) of the preset ``key``; KeyError for an unknown one."""
    preset = BY_KEY[key]
    return preset.temperature, preset.top_p


def matching_preset(temperature: float | None, top_p: float | None) -> str | None:
    """The preset whose values these are, or None (the sliders were moved by hand)."""
    for preset in PRESETS:
        if _same(temperature, preset.temperature) and _same(top_p, preset.top_p):
            return preset.key
    return None


def _same(value: float | None, target: float) -> bool:
    if value is None:
        return False
    try:
        return abs(float(value) - target) < 1e-9
    except (TypeError, ValueError):
        return False
