"""The limits of a public demo on the owner's key, as the environment sets them:
their safe defaults, 0 for "no limit", and the start-up lines that say which are on.

The limits hold only where the server's key pays (a visitor's own key is never
limited by sfui). The money budgets need prices: their defaults apply on a host
whose prices sfui knows (SiliconFlow's own, or any host with an ``SFUI_PRICES``
file); set explicitly, they apply anywhere, and only priced models are then sent.

Plain Python: no Gradio.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .prices import DOLLAR, YUAN, format_money

# Money per visitor per day and for everyone per day, by the site's currency (another
# OpenAI-compatible host with SFUI_PRICES: the ¥ figures, in its own sign).
DEFAULT_BUDGETS = {YUAN: (1.0, 20.0), DOLLAR: (0.15, 3.0)}
DEFAULT_VISITOR_RPM = 30
DEFAULT_VISITOR_STREAMS = 2
DEFAULT_QUEUE_SIZE = 256
DEFAULT_KEY_CHECKS = 30  # pasted keys tried per visitor per hour


@dataclass(frozen=True)
class Limits:
    """The demo's limits in effect; 0: no limit."""

    visitor_budget: float = 0.0  # money per visitor per day
    daily_budget: float = 0.0  # money for all visitors together per day
    visitor_rpm: int = 0  # requests per visitor per minute
    visitor_streams: int = 0  # answers streaming at once per visitor (a Compare round is one)
    queue_size: int = 0  # events waiting in Gradio's queue before "busy"
    key_checks: int = 0  # pasted keys tried per visitor per hour

    @property
    def money(self) -> bool:
        return self.visitor_budget > 0 or self.daily_budget > 0


# The variables that set the limits, by Limits field.
VARIABLES = {
    "visitor_budget": "SFUI_VISITOR_BUDGET",
    "daily_budget": "SFUI_DAILY_BUDGET",
    "visitor_rpm": "SFUI_VISITOR_RPM",
    "visitor_streams": "SFUI_VISITOR_STREAMS",
    "queue_size": "SFUI_QUEUE_SIZE",
    "key_checks": "SFUI_KEY_CHECKS",
}


def read_limit(raw: str | None) -> float | None:
    """A limit variable's value: None when unset, unreadable or negative (its default applies)."""
    try:
        number = float(raw) if raw is not None and raw.strip() else None
    except ValueError:
        return None
    return None if number is None or number != number or number < 0 else number


def resolve_limits(chosen: Mapping[str, float | None], *, server_key: bool, prices_known: bool,
                   currency: str) -> Limits:
    """The limits in effect: each one ``chosen`` (by Limits field; None: unset) or its
    default. Without a server key nothing is limited; the money budgets' defaults apply
    only where prices are known."""
    if not server_key:
        return Limits()
    visitor_default, daily_default = DEFAULT_BUDGETS.get(currency, DEFAULT_BUDGETS[YUAN])
    if not prices_known:
        visitor_default = daily_default = 0.0
    defaults = dict(visitor_budget=visitor_default, daily_budget=daily_default, visitor_rpm=DEFAULT_VISITOR_RPM,
                    visitor_streams=DEFAULT_VISITOR_STREAMS, queue_size=DEFAULT_QUEUE_SIZE,
                    key_checks=DEFAULT_KEY_CHECKS)
    values: dict[str, float] = {}
    for name, default in defaults.items():
        value = chosen.get(name)
        values[name] = default if value is None else value
    return Limits(float(values["visitor_budget"]), float(values["daily_budget"]),
                  *(int(values[name]) for name in ("visitor_rpm", "visitor_streams", "queue_size", "key_checks")))


def describe(limits: Limits, currency: str, server_key: bool, prices_known: bool) -> list[str]:
    """What the owner reads at start-up: each limit, and "no limit" said plainly."""
    if not server_key:
        return ["Demo limits: off (no SILICONFLOW_API_KEY: every visitor pays with their own key)."]

    def said(amount: float, text: str, variable: str) -> str:
        return text if amount > 0 else f"NO LIMIT ({variable}=0)"

    lines = [
        "Demo limits (the server's key pays for visitors without their own key):",
        "  per visitor per day: " + said(limits.visitor_budget, format_money(limits.visitor_budget, currency),
                                        "SFUI_VISITOR_BUDGET"),
        "  for everyone per day: " + said(limits.daily_budget, format_money(limits.daily_budget, currency),
                                         "SFUI_DAILY_BUDGET"),
        "  requests per visitor per minute: " + said(limits.visitor_rpm, str(limits.visitor_rpm),
                                                     "SFUI_VISITOR_RPM"),
        "  answers at once per visitor: " + said(limits.visitor_streams, str(limits.visitor_streams),
                                                 "SFUI_VISITOR_STREAMS"),
        "  requests waiting in the queue: " + said(limits.queue_size, str(limits.queue_size), "SFUI_QUEUE_SIZE"),
        "  pasted keys tried per visitor per hour: " + said(limits.key_checks, str(limits.key_checks),
                                                            "SFUI_KEY_CHECKS"),
    ]
    if not prices_known and not limits.money:
        lines.append("  money budgets: off by default here: sfui knows no prices for this host (set SFUI_PRICES).")
    elif limits.money:
        lines.append("  only models with a known price (free ones included) are offered on the server's key.")
    return lines
