"""Settings from the environment, with ``.env`` read first (python-dotenv).

Real environment variables win over ``.env`` (a Space secret beats a stale
file). Nothing here is secret-aware beyond keeping the key out of ``repr``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from dotenv import load_dotenv

from .api.client import DEFAULT_BASE_URL, SiliconFlowClient
from .prices import YUAN, PriceList, load_prices


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def _int(name: str, default: int) -> int:
    return int(_float(name, default))


@dataclass(frozen=True)
class Settings:
    # repr=False: a Settings object printed in a log or a traceback must not show the key.
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    default_model: str = "Qwen/Qwen3-8B"
    connect_timeout: float = 10.0
    read_timeout: float = 300.0
    max_retries: int = 2
    # Seconds before the first retry, doubling after; a Retry-After header wins.
    backoff_factor: float = 1.0
    concurrency_limit: int = 64
    # SFUI_PRICES: a JSON file of prices adding to or overriding the built-in table.
    prices_file: str | None = None
    # SFUI_CURRENCY: the money sign for a host that is not SiliconFlow's (.cn: ¥, .com: $).
    currency: str = YUAN

    @classmethod
    def from_env(cls, dotenv_path: str | None = None) -> Settings:
        load_dotenv(dotenv_path, override=False)
        return cls(
            api_key=os.environ.get("SILICONFLOW_API_KEY", "").strip() or None,
            base_url=(os.environ.get("SILICONFLOW_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip("/"),
            default_model=os.environ.get("SFUI_DEFAULT_MODEL", "").strip() or cls.default_model,
            connect_timeout=_float("SFUI_CONNECT_TIMEOUT", cls.connect_timeout),
            read_timeout=_float("SFUI_READ_TIMEOUT", cls.read_timeout),
            max_retries=_int("SFUI_MAX_RETRIES", cls.max_retries),
            backoff_factor=_float("SFUI_BACKOFF_FACTOR", cls.backoff_factor),
            concurrency_limit=_int("SFUI_CONCURRENCY_LIMIT", cls.concurrency_limit),
            prices_file=os.environ.get("SFUI_PRICES", "").strip() or None,
            currency=os.environ.get("SFUI_CURRENCY", "").strip() or cls.currency,
        )

    def price_list(self) -> PriceList:
        """The prices in effect for this base URL (a bad SFUI_PRICES file is logged, then ignored)."""
        return load_prices(self.base_url, self.currency, self.prices_file)

    def client(self, *, api_key: str | None = None, **kwargs: Any) -> SiliconFlowClient:
        """A client with these settings; ``api_key`` (a visitor's) wins over the server's."""
        return SiliconFlowClient(
            api_key=api_key or self.api_key,
            base_url=self.base_url,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            max_retries=self.max_retries,
            backoff_factor=self.backoff_factor,
            **kwargs,
        )
