"""Settings from the environment, with ``.env`` read first (python-dotenv).

Real environment variables win over ``.env`` (a Space secret beats a stale
file). Nothing here is secret-aware beyond keeping the key out of ``repr``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dotenv import load_dotenv

from .api.client import DEFAULT_BASE_URL, SiliconFlowClient
from .budget_limits import VARIABLES, Limits, read_limit, resolve_limits
from .prices import YUAN, PriceList, load_prices
from .sessions import DEFAULT_SESSION_TTL


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def _int(name: str, default: int) -> int:
    return int(_float(name, default))


def _proxies(raw: str | None) -> int | None:
    number = read_limit(raw)
    return None if number is None else int(number)


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
    # SFUI_CONCURRENCY_LIMIT: answers streamed at once by one process; the rest wait for a whole
    # answer to end. 256: a visitor past 64 waited seconds (bench/visitors.py, issue 23), and the
    # public demo's per-visitor limit (SFUI_VISITOR_STREAMS) already stops one visitor taking many.
    concurrency_limit: int = 256
    # SFUI_PRICES: a JSON file of prices adding to or overriding the built-in table.
    prices_file: str | None = None
    # SFUI_CURRENCY: the money sign for a host that is not SiliconFlow's (.cn: ¥, .com: $).
    currency: str = YUAN
    # The public demo's limits (sfui/budget_limits.py), by Limits field: None takes the default.
    limits_chosen: dict[str, float | None] = field(default_factory=dict)
    # SFUI_TRUSTED_PROXIES: proxies in front of the app whose X-Forwarded-For entry is believed
    # (None: 1 on a Hugging Face Space, whose proxy adds the visitor's address; else 0).
    trusted_proxies: int | None = None
    # SFUI_DATA_DIR: where the budgets' counters are kept (None: /data/sfui on a Space, else .sfui-data).
    data_dir: str | None = None
    # SFUI_DECK: a JSON file of prepared prompts for presenter mode (sfui/presenter.py); None: the examples.
    deck_file: str | None = None
    # SFUI_PUBLIC_URL: the address presenter mode's QR code shows; None: the one the page was opened at.
    public_url: str | None = None
    # SFUI_REDIS_URL: a Redis shared by every process of one deployment (sfui/stores.py): the budgets,
    # the rate limits and the shared votes live there. None: the embedded SQLite files, one process.
    redis_url: str | None = field(default=None, repr=False)  # may carry a password
    # SFUI_SESSION_TTL: seconds a page session may stay idle before the server lets it go
    # (sfui/sessions.py); 0: never (Gradio's own cap on sessions only).
    session_ttl: float = DEFAULT_SESSION_TTL

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
            limits_chosen={name: value for name, variable in VARIABLES.items()
                           if (value := read_limit(os.environ.get(variable))) is not None},
            trusted_proxies=_proxies(os.environ.get("SFUI_TRUSTED_PROXIES")),
            data_dir=os.environ.get("SFUI_DATA_DIR", "").strip() or None,
            deck_file=os.environ.get("SFUI_DECK", "").strip() or None,
            public_url=os.environ.get("SFUI_PUBLIC_URL", "").strip() or None,
            redis_url=os.environ.get("SFUI_REDIS_URL", "").strip() or None,
            session_ttl=max(0.0, _float("SFUI_SESSION_TTL", DEFAULT_SESSION_TTL)),
        )

    def limits(self, prices: PriceList) -> Limits:
        """The demo's limits in effect with ``prices`` (the money budgets' defaults need prices)."""
        return resolve_limits(self.limits_chosen, server_key=bool(self.api_key), prices_known=bool(prices.prices),
                              currency=prices.currency)

    def proxies(self) -> int:
        """How many proxies' X-Forwarded-For entries to believe."""
        if self.trusted_proxies is not None:
            return self.trusted_proxies
        return 1 if os.environ.get("SPACE_ID") else 0

    def price_list(self) -> PriceList:
        """The prices in effect for this base URL (a bad SFUI_PRICES file is logged, then ignored).
        Read once per Settings: the page, the queue's options and the start-up lines all ask."""
        return self._prices

    @cached_property
    def _prices(self) -> PriceList:
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
