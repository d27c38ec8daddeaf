"""What an answer costs: the price table, the owner's override file, the site's
currency and how money is written.

Prices are per million tokens, input (the prompt) and output (the completion).
SiliconFlow bills reasoning tokens as output, and its ``completion_tokens``
already include them (``completion_tokens_details.reasoning_tokens`` is a part of
that count, not an addition), so an answer costs
``prompt_tokens × input + completion_tokens × output``, reasoning counted once.

A model that is not in the table has no price: it says "price unknown", never a
guess. The built-in table is SiliconFlow's own price list, so it applies only to a
SiliconFlow host; any other OpenAI-compatible server gets prices only from
``SFUI_PRICES``. Nothing here imports Gradio.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from .api.events import Usage
from .i18n import t

log = logging.getLogger(__name__)

YUAN = "¥"
DOLLAR = "$"
PER_TOKENS = 1_000_000


@dataclass(frozen=True)
class Price:
    """Money per million input and per million output tokens, in one currency."""

    input: float
    output: float

    @property
    def free(self) -> bool:
        return self.input == 0 and self.output == 0

    def cost(self, usage: Usage) -> float:
        """What ``usage`` costs: reasoning is part of ``completion_tokens`` (billed as output once)."""
        return (usage.prompt_tokens * self.input + usage.completion_tokens * self.output) / PER_TOKENS


@dataclass(frozen=True)
class PriceEntry:
    """One model's row of the built-in table: its price on the ``.cn`` site (¥) and on
    the ``.com`` site ($) where known, the day it was read and where."""

    cny: Price | None
    usd: Price | None
    read: str
    source: str


# Nobody here could read SiliconFlow's own price pages (sfui's machines have no internet and no
# stored copy of siliconflow.cn/pricing or siliconflow.com/pricing was found), so every price is
# second-hand, with its source named; none is guessed. A model or site without an entry has no
# price: "price unknown". To update: see docs/deployment.md, "Prices".
# ¥ (.cn): LobeHub's transcription of https://siliconflow.cn/zh-cn/models (lobehub/lobehub
# packages/model-bank/src/aiModels/siliconcloud.ts, written after 2025-12-23); the free models and
# DeepSeek-V3/R1 also agree with https://huasheng.ai/insights/siliconflow-api-guide (2026-02-08).
# $ (.com): models.dev's SiliconFlow provider (anomalyco/models.dev providers/siliconflow, entries
# of 2025-11-25; DeepSeek-V3.2 of 2026-01-06). The .cn site's free models are not free there.
_CN = ("https://github.com/lobehub/lobehub/blob/ba037cfbc20dab507aa6be4ccde3815a3e69cbf2/packages/model-bank/"
       "src/aiModels/siliconcloud.ts (transcribing https://siliconflow.cn/zh-cn/models)")
_COM = ("https://github.com/anomalyco/models.dev/tree/f3fc692299671838c7c65fd8126bf84d81a2e817/providers/"
        "siliconflow (entries of 2025-11-25 for https://api.siliconflow.com/v1)")
_READ = "2026-12-05"
_FREE = Price(0.0, 0.0)


def _entry(cny: Price | None, usd: Price | None) -> PriceEntry:
    return PriceEntry(cny, usd, _READ, f"{_CN} for ¥; {_COM} for $")


TABLE: dict[str, PriceEntry] = {
    "Qwen/Qwen3-8B": _entry(_FREE, Price(0.06, 0.06)),
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B": _entry(_FREE, None),
    "THUDM/GLM-4.1V-9B-Thinking": _entry(_FREE, Price(0.035, 0.14)),
    "THUDM/GLM-Z1-9B-0414": _entry(_FREE, Price(0.086, 0.086)),
    "THUDM/GLM-4-9B-0414": _entry(_FREE, Price(0.086, 0.086)),
    "Qwen/Qwen2.5-7B-Instruct": _entry(_FREE, Price(0.05, 0.05)),
    # ¥ not found for this id (only DeepSeek-V3.2-Exp is listed, ¥2/¥3): unknown, not assumed equal.
    "deepseek-ai/DeepSeek-V3.2": _entry(None, Price(0.27, 0.42)),
    "deepseek-ai/DeepSeek-V3": _entry(Price(2.0, 8.0), Price(0.25, 1.00)),
    "deepseek-ai/DeepSeek-R1": _entry(Price(4.0, 16.0), Price(0.50, 2.18)),
    # ¥ not found for this id (only Kimi-K2-Instruct-0905 is listed, ¥4/¥16).
    "moonshotai/Kimi-K2-Instruct": _entry(None, Price(0.58, 2.29)),
    "zai-org/GLM-4.6": _entry(Price(3.5, 14.0), Price(0.50, 1.90)),
    "Qwen/Qwen2.5-72B-Instruct": _entry(Price(4.13, 4.13), Price(0.59, 0.59)),
    "Qwen/QwQ-32B": _entry(Price(1.0, 4.0), Price(0.15, 0.58)),
    "Qwen/Qwen2.5-VL-72B-Instruct": _entry(Price(4.13, 4.13), Price(0.59, 0.59)),
}


def site_currency(base_url: str, configured: str = YUAN) -> str:
    """The money sign of the site at ``base_url``: ¥ for a host ending in siliconflow.cn,
    $ for siliconflow.com, else ``configured`` (SFUI_CURRENCY)."""
    host = (urlparse(base_url).hostname or "").lower()
    if host == "siliconflow.cn" or host.endswith(".siliconflow.cn"):
        return YUAN
    if host == "siliconflow.com" or host.endswith(".siliconflow.com"):
        return DOLLAR
    return configured or YUAN


def _is_siliconflow(base_url: str) -> bool:
    host = (urlparse(base_url).hostname or "").lower()
    return any(host == site or host.endswith("." + site) for site in ("siliconflow.cn", "siliconflow.com"))


def format_money(amount: float, currency: str) -> str:
    """``0.0042`` as "¥0.0042": at least two significant digits, four decimals for
    anything under one unit, two from one unit up; 0 as "¥0"."""
    if amount == 0:
        return f"{currency}0"
    if amount >= 1:
        return f"{currency}{amount:,.2f}"
    decimals = max(4, 1 - math.floor(math.log10(amount)))
    return f"{currency}{amount:.{min(decimals, 10)}f}"


@dataclass(frozen=True)
class Charge:
    """What one model costs on the configured site: its price (None: unknown) and the sign."""

    price: Price | None
    currency: str = YUAN

    def cost(self, usage: Usage | None) -> float | None:
        """The money ``usage`` costs (a free model: 0); None when the price or the usage is unknown."""
        if self.price is None:
            return None
        if self.price.free:
            return 0.0
        return None if usage is None else self.price.cost(usage)

    def text(self, usage: Usage | None, lang: str) -> str | None:
        """The usage panel's cost: "¥0.0042", "free", "price unknown"; None while a priced
        model has reported no usage yet."""
        if self.price is None:
            return t(lang, "cost_unknown")
        if self.price.free:
            return t(lang, "cost_free")
        cost = self.cost(usage)
        return None if cost is None else format_money(cost, self.currency)


def _price_of(value: object) -> Price:
    if not isinstance(value, Mapping):
        raise ValueError("each entry must be an object with input and output")
    numbers = [value.get("input"), value.get("output")]
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) or number < 0:
            raise ValueError("input and output must be numbers of at least 0")
    return Price(float(numbers[0]), float(numbers[1]))  # type: ignore[arg-type]


def read_overrides(path: str) -> dict[str, Price]:
    """The prices in the JSON file at ``path``: ``{"<model id>": {"input": x, "output": y}}``.
    Raises OSError or ValueError (naming what is wrong) for a file that cannot be used."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError('the file must hold one JSON object: {"<model id>": {"input": ..., "output": ...}}')
    prices = {}
    for model, value in data.items():
        try:
            prices[str(model)] = _price_of(value)
        except ValueError as exc:
            raise ValueError(f"{model}: {exc}") from None
    return prices


@dataclass(frozen=True)
class PriceList:
    """The prices in effect for one site: per model, in ``currency``."""

    prices: Mapping[str, Price]
    currency: str = YUAN

    def charge(self, model: str) -> Charge:
        return Charge(self.prices.get(model), self.currency)


def built_in(currency: str) -> dict[str, Price]:
    """The built-in table's prices in ``currency`` (¥: the .cn site's, $: the .com site's)."""
    prices = {}
    for model, entry in TABLE.items():
        price = entry.cny if currency == YUAN else entry.usd if currency == DOLLAR else None
        if price is not None:
            prices[model] = price
    return prices


def load_prices(base_url: str, configured_currency: str = YUAN, override_path: str | None = None) -> PriceList:
    """The price list for the site at ``base_url``: the built-in table (on a SiliconFlow
    host), then the entries of ``override_path`` (SFUI_PRICES) over it. A file that cannot
    be used is logged and ignored: the app starts with the built-in prices."""
    currency = site_currency(base_url, configured_currency)
    prices = built_in(currency) if _is_siliconflow(base_url) else {}
    if override_path:
        try:
            prices.update(read_overrides(override_path))
        except (OSError, ValueError) as exc:
            log.warning("SFUI_PRICES=%s ignored: %s", override_path, exc)
    return PriceList(prices, currency)
