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


# Read from SiliconFlow's price page https://siliconflow.cn/pricing as transcribed, with the
# page named as its source, by https://huasheng.ai/insights/siliconflow-api-guide (2026-02-08);
# sfui's machines have no internet, so nobody here read the page itself. The .com site's
# dollar prices were not found: they are absent (price unknown on a .com host), not guessed.
# Models of sfui.catalog not listed (DeepSeek-V3.2, Kimi-K2-Instruct, GLM-4.6, Qwen2.5-72B,
# QwQ-32B, Qwen2.5-VL-72B) had no price in what could be read: price unknown.
# To update: see docs/deployment.md, "Prices".
_READ = "2026-02-08"
_CN_PRICING = "https://siliconflow.cn/pricing (via https://huasheng.ai/insights/siliconflow-api-guide)"
_FREE = Price(0.0, 0.0)

TABLE: dict[str, PriceEntry] = {
    "Qwen/Qwen3-8B": PriceEntry(_FREE, None, _READ, _CN_PRICING),
    "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B": PriceEntry(_FREE, None, _READ, _CN_PRICING),
    "THUDM/GLM-4.1V-9B-Thinking": PriceEntry(_FREE, None, _READ, _CN_PRICING),
    "THUDM/GLM-Z1-9B-0414": PriceEntry(_FREE, None, _READ, _CN_PRICING),
    "THUDM/GLM-4-9B-0414": PriceEntry(_FREE, None, _READ, _CN_PRICING),
    "Qwen/Qwen2.5-7B-Instruct": PriceEntry(_FREE, None, _READ, _CN_PRICING),
    "deepseek-ai/DeepSeek-V3": PriceEntry(Price(2.0, 8.0), None, _READ, _CN_PRICING),
    "deepseek-ai/DeepSeek-R1": PriceEntry(Price(4.0, 16.0), None, _READ, _CN_PRICING),
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
