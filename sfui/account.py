"""The key card's plain logic: try a pasted key with a cheap call, say why a key
failed, and the account balance as one line of text.

A key counts as good only once the API answered with it: ``GET /models`` (the
model list the picker needs anyway) must succeed. ``GET /user/info`` only adds
the balance and fails quietly (it was reported to answer 410 in 2026), so a
failing /user/info never makes a good key look bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from urllib.parse import urlsplit

from .api import errors
from .api.client import SiliconFlowClient
from .i18n import t
from .model_list import ModelDirectory, ModelList


@dataclass(frozen=True)
class KeyCheck:
    """What trying a key found: its model list, and the problem if it failed."""

    models: ModelList
    problem: errors.SiliconFlowError | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_key(directory: ModelDirectory, client: SiliconFlowClient, key: str) -> KeyCheck:
    """Try ``key`` (the one ``client`` carries) with ``GET /models``."""
    models = directory.get(client, key)
    return KeyCheck(models, models.problem)


def failure_text(problem: errors.SiliconFlowError, lang: str) -> str:
    """Why a key could not be used, for the key card: what happened and what to
    do. Stream errors (a read timeout, a body that is not JSON) carry a chat's
    hint ("press Retry"), which makes no sense for a key: they get the card's."""
    if isinstance(problem, errors.StreamError):
        reason = t(lang, "error_message", title=problem.title(lang), hint=t(lang, "key_check_hint"))
        details = f"HTTP {problem.status}" if problem.status is not None else ""
        if details:
            reason += t(lang, "error_details", details=details)
    else:
        reason = problem.user_message(lang)
    key = "key_rejected" if isinstance(problem, errors.AuthenticationError) else "key_unchecked"
    return t(lang, key, reason=reason)


def fetch_balance(client: SiliconFlowClient) -> str | None:
    """The account's total balance as the API wrote it, or None when /user/info
    cannot tell (no key, 410, no network, an unexpected body): quietly."""
    if not client.has_key:
        return None
    try:
        return client.user_info().total_balance
    except errors.SiliconFlowError:
        return None


# SiliconFlow bills the mainland site in yuan and the international one in dollars.
_CURRENCY_BY_HOST = {"siliconflow.cn": "¥", "siliconflow.com": "$"}


def currency_symbol(base_url: str) -> str:
    """The currency of ``base_url``'s account, or "" for a host that is not SiliconFlow's."""
    host = (urlsplit(base_url).hostname or "").lower()
    for domain, symbol in _CURRENCY_BY_HOST.items():
        if host == domain or host.endswith("." + domain):
            return symbol
    return ""


def format_amount(total: str, base_url: str) -> str | None:
    """``"1234.5"`` as ``"¥1,234.50"`` (cut, not rounded up, to cents: a balance is
    never shown larger than it is); None for a string that is not a finite number."""
    try:
        amount = Decimal(total.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not amount.is_finite():
        return None
    cents = abs(amount).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    sign = "-" if amount < 0 and cents else ""
    return f"{sign}{currency_symbol(base_url)}{cents:,.2f}"


def balance_text(total: str | None, lang: str, base_url: str) -> str:
    """The balance line shown once a key works ("" when there is no balance to show).
    At zero or below, it says that the free models still answer."""
    amount = None if total is None else format_amount(total, base_url)
    if total is None or amount is None:
        return ""
    line = t(lang, "balance_line", amount=amount)
    if Decimal(total.strip()) <= 0:
        line += " " + t(lang, "balance_empty_hint")
    return line
