"""The demo's guard: what a request may cost at worst, whether it may be sent on the
server's key, and what it cost in the end.

Before a request, :meth:`DemoGuard.admit` checks, in order: the model has a known
price (while money budgets are on), the visitor has fewer answers streaming than
allowed, is within the requests per minute, and the request's worst case fits what
is left of the visitor's budget (by address and by browser) and of everyone's; the
worst case is then held (sfui/budget_store.py). After it, :meth:`Spending.settle`
replaces the hold by the cost the server's usage gives, or by the tokens streamed
when Stop came first. A refusal says why in the visitor's language: what is left,
when it resets, and that their own key lifts the limit.

Plain Python: no Gradio.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .api.events import Usage
from .budget_limits import Limits
from .budget_store import SpendStore, StoreUnavailable
from .catalog import model_info
from .chat import Turn
from .i18n import t
from .prices import Charge, Price, PriceList, format_money
from .rate_windows import MovingWindows, RequestWindows
from .visitors import Visitor, VisitorKeys

log = logging.getLogger("sfui.budget")

EVERYONE = "everyone"
# A reasoning model's thinking is not capped by max_tokens; SiliconFlow caps it at
# thinking_budget, at most this many tokens.
MAX_THINKING = 32768
# Output tokens assumed when a request sets no max_tokens: more than any curated model answers.
MAX_OUTPUT = 32768
# A picture's tokens at worst: sfui sends at most 2048 px a side, in 28 px patches.
PICTURE_TOKENS = (2048 // 28 + 1) ** 2
# Tokens a message costs beyond its text (role, separators), and a character's at worst
# (a tokenizer never makes fewer than one character per token, save for rare symbols).
MESSAGE_TOKENS = 8
TOKENS_PER_CHAR = 1.0


def _text_chars(content: Any) -> tuple[int, int]:
    """(characters, pictures) in a message's content."""
    if isinstance(content, str):
        return len(content), 0
    chars = pictures = 0
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict) and part.get("type") == "image_url":
                pictures += 1
            elif isinstance(part, dict):
                chars += len(str(part.get("text") or ""))
    return chars, pictures


def prompt_tokens_at_most(messages: Sequence[Mapping[str, Any]], params: Mapping[str, Any]) -> int:
    """The prompt's tokens, estimated from above: every character a token, every
    picture at its largest, the tools' JSON too."""
    chars = pictures = 0
    for message in messages:
        text, images = _text_chars(message.get("content"))
        chars, pictures = chars + text + MESSAGE_TOKENS, pictures + images
        if message.get("tool_calls"):  # the calls a tool result answers (sfui.tool_cards)
            chars += len(json.dumps(message["tool_calls"], ensure_ascii=False))
    if params.get("tools"):
        chars += len(json.dumps(params["tools"], ensure_ascii=False))
    chars += len(str(params.get("prefix") or ""))  # Continue: the answer so far (sfui.continuation)
    return int(chars * TOKENS_PER_CHAR) + pictures * PICTURE_TOKENS


def output_tokens_at_most(model: str, params: Mapping[str, Any]) -> int:
    """One choice's completion tokens at worst: ``max_tokens`` (or MAX_OUTPUT) plus, for a
    model that may think, its thinking budget (or MAX_THINKING)."""
    output = int(params.get("max_tokens") or MAX_OUTPUT)
    info = model_info(model)
    thinks = info.reasoning or (info.hybrid_thinking and params.get("enable_thinking") is not False)
    if thinks:
        output += int(params.get("thinking_budget") or MAX_THINKING)
    return output


@dataclass(frozen=True)
class Ask:
    """One request a step is about to send: ``choices`` answers (``n``) to ``messages``."""

    model: str
    messages: Sequence[Mapping[str, Any]]
    params: Mapping[str, Any]
    choices: int = 1

    def worst_case(self, price: Price) -> float:
        prompt = prompt_tokens_at_most(self.messages, self.params)
        output = output_tokens_at_most(self.model, self.params) * max(1, self.choices)
        return price.cost(Usage(prompt_tokens=prompt, completion_tokens=output, total_tokens=prompt + output))

    def prompt_estimate(self) -> int:
        return prompt_tokens_at_most(self.messages, self.params)


@dataclass(frozen=True)
class Refusal:
    """Not sent, and why (in the visitor's language)."""

    reason: str


@dataclass
class Spending:
    """An admitted step: its hold (None: nothing held: the visitor's own key, or a free
    model) and its stream slot, until :meth:`close`. Settle once with what it cost."""

    guard: DemoGuard | None = None
    visitor: Visitor | None = None
    hold: str | None = None
    worst: float = 0.0
    slots: tuple[str, ...] = ()
    settled: bool = False
    asks: tuple[Ask, ...] = field(default=())

    def settle(self, cost: float | None) -> None:
        """Replace the hold by ``cost`` (None: unknown, the worst case stays spent). The
        counters hold what was really spent, even past the hold (an estimate too low)."""
        if self.settled:
            return
        self.settled = True
        if self.guard is not None:
            self.guard.settled(self, self.worst if cost is None else cost)

    def close(self) -> None:
        """The step ended: free its stream slot; a hold never settled is spent whole."""
        self.settle(None)
        if self.guard is not None:
            self.guard.release(self.slots)
            self.slots = ()

    def __enter__(self) -> Spending:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


FREE_PASS = Spending()  # the visitor's own key pays: nothing to count


def utc_day(now: float) -> str:
    return dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%d")


def seconds_to_reset(now: float) -> int:
    """Seconds until the budgets reset: the next 00:00 UTC."""
    moment = dt.datetime.fromtimestamp(now, dt.UTC)
    midnight = (moment + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - moment).total_seconds()))


def duration_text(seconds: int, lang: str) -> str:
    hours, minutes = divmod(max(60, seconds) // 60, 60)
    return t(lang, "budget_duration", hours=hours, minutes=minutes) if hours else t(lang, "budget_minutes",
                                                                                    minutes=minutes)


# (limit, period in seconds, name) → the windows of one rate limit.
WindowsFactory = Callable[[int, float, str], RequestWindows]


class DemoGuard:
    """The limits of the server's key for the visitors without their own: the money
    counters in ``store`` (shared by restarts, and by processes with Redis), the requests
    per minute in ``windows`` (this process's, or Redis's), the stream slots in this
    process's memory (a visitor's streams stay on one process behind sticky routing)."""

    def __init__(self, limits: Limits, prices: PriceList, store: SpendStore | None, keys: VisitorKeys,
                 clock: Callable[[], float] = time.time, windows: WindowsFactory | None = None) -> None:
        self.limits = limits
        self.prices = prices
        self.store = store if limits.money else None
        self.keys = keys
        self.clock = clock
        # The rate limits' windows: this process's own, or shared ones (sfui/stores.py).
        make = windows or (lambda limit, period, _name: MovingWindows(limit, period))
        self._per_minute = make(limits.visitor_rpm, 60.0, "rpm")
        self._key_checks = make(limits.key_checks, 3600.0, "key-checks")
        self._streams: Counter[str] = Counter()
        self._lock = threading.Lock()

    # --- what is offered ----------------------------------------------------------------

    def priced(self, model: str) -> bool:
        return self.prices.charge(model).price is not None

    def offered(self, ids: Iterable[str]) -> list[str]:
        """The models a visitor on the server's key may pick: while money budgets are on,
        those with a known price (free ones included)."""
        ids = list(ids)
        return [m for m in ids if self.priced(m)] if self.limits.money else ids

    # --- before and after a request -----------------------------------------------------------

    def admit(self, visitor: Visitor, asks: Sequence[Ask], lang: str) -> Spending | Refusal:
        """Whether the requests of one step (one chat answer, or a Compare round) may go
        out on the server's key; if so, what they hold."""
        limits = self.limits
        if limits.money:
            unpriced = [ask.model for ask in asks if not self.priced(ask.model)]
            if unpriced:
                return Refusal(t(lang, "budget_unpriced", model=unpriced[0]))
        counters = self.keys.counters(visitor)
        with self._lock:
            if limits.visitor_streams and any(self._streams[c] >= limits.visitor_streams for c in counters):
                return Refusal(t(lang, "budget_streams", count=limits.visitor_streams))
            try:
                refusal = self._rate(counters, len(asks), lang)
                if refusal is not None:
                    return refusal
                spending = self._hold(visitor, counters, asks, lang)
            except StoreUnavailable:
                # A shared store away: nothing can be counted, so nothing is sent on the server's key.
                log.exception("the demo's limits could not be checked")
                return Refusal(t(lang, "budget_store_down"))
            if isinstance(spending, Spending) and limits.visitor_streams:
                spending.slots = counters
                self._streams.update(counters)
        return spending

    def _rate(self, counters: Sequence[str], requests: int, lang: str) -> Refusal | None:
        if not self.limits.visitor_rpm:
            return None
        wait = self._per_minute.take(counters, requests)
        if wait > 0:
            return Refusal(t(lang, "budget_rate", rpm=self.limits.visitor_rpm, wait=max(1, int(wait) + 1)))
        return None

    def _limits_of(self, counters: Sequence[str]) -> dict[str, float]:
        limits = {counter: self.limits.visitor_budget for counter in counters if self.limits.visitor_budget}
        if self.limits.daily_budget:
            limits[EVERYONE] = self.limits.daily_budget
        return limits

    def _hold(self, visitor: Visitor, counters: Sequence[str], asks: Sequence[Ask], lang: str) -> Spending | Refusal:
        spending = Spending(self, visitor, asks=tuple(asks))
        if self.store is None:
            return spending
        worst = sum(ask.worst_case(self.prices.charge(ask.model).price or Price(0, 0)) for ask in asks)
        if worst <= 0:
            return spending  # free models: nothing to hold
        now = self.clock()
        hold = self.store.hold(utc_day(now), self._limits_of(counters), worst)
        if hold is None:
            return Refusal(self._refusal_text(counters, worst, now, lang))
        spending.hold, spending.worst = hold, worst
        return spending

    def _refusal_text(self, counters: Sequence[str], worst: float, now: float, lang: str) -> str:
        left, everyone = self._left(counters, now)
        currency = self.prices.currency
        values = dict(worst=format_money(worst, currency), left=format_money(left, currency),
                      reset=duration_text(seconds_to_reset(now), lang))
        key = "budget_refused_everyone" if everyone else "budget_refused"
        text = t(lang, key, **values)
        if any(price.free for price in self.prices.prices.values()):
            text += " " + t(lang, "budget_free_models")
        return text

    def _left(self, counters: Sequence[str], now: float) -> tuple[float, bool]:
        """Money left for a visitor today, and whether everyone's budget is what limits it."""
        assert self.store is not None
        limits = self._limits_of(counters)
        used = self.store.totals(utc_day(now), list(limits))
        lefts = {counter: max(0.0, limit - used[counter]) for counter, limit in limits.items()}
        tightest = min(lefts, key=lambda counter: lefts[counter])
        return lefts[tightest], tightest == EVERYONE

    def settled(self, spending: Spending, cost: float) -> None:
        if self.store is None or spending.hold is None:
            return
        try:
            self.store.settle(spending.hold, cost)
            if spending.visitor is not None:
                self._log_day(spending.visitor, cost)
        except StoreUnavailable:
            # The hold stays: it is spent whole when this process's holds are swept (budget_redis.py).
            log.exception("an answer's cost could not be settled")

    def release(self, slots: Sequence[str]) -> None:
        if not slots:
            return
        with self._lock:
            self._streams.subtract(slots)
            for slot in slots:
                if self._streams[slot] <= 0:
                    del self._streams[slot]

    def _log_day(self, visitor: Visitor, cost: float) -> None:
        """The owner's day total: the visitor as a hash, never the address or a key."""
        assert self.store is not None
        counters = self.keys.counters(visitor)
        day = utc_day(self.clock())
        totals = self.store.totals(day, [*counters, EVERYONE])
        currency = self.prices.currency
        log.info("demo budget %s: visitor %s spent %s (today %s); everyone today %s", day,
                 self.keys.log_name(visitor), format_money(cost, currency),
                 format_money(max(totals[c] for c in counters), currency), format_money(totals[EVERYONE], currency))

    # --- what the visitor reads ----------------------------------------------------------------

    def meter(self, visitor: Visitor, lang: str) -> str:
        """The key bar's meter: "Demo budget: ¥0.38 of ¥0.50 left today"; "" without money budgets."""
        if self.store is None:
            return ""
        counters = self.keys.counters(visitor)
        try:
            left, _ = self._left(counters, self.clock())
        except StoreUnavailable:
            return ""  # said when a request is refused; the meter just waits
        currency = self.prices.currency
        if self.limits.visitor_budget:
            return t(lang, "budget_meter", left=format_money(left, currency),
                     total=format_money(self.limits.visitor_budget, currency))
        return t(lang, "budget_meter_everyone", left=format_money(left, currency),
                 total=format_money(self.limits.daily_budget, currency))

    def key_check(self, visitor: Visitor, lang: str) -> str | None:
        """Why this visitor may not try another pasted key now, or None (it is counted)."""
        if not self.limits.key_checks:
            return None
        counters = self.keys.counters(visitor)
        with self._lock:
            try:
                wait = self._key_checks.take(counters)
            except StoreUnavailable:
                return t(lang, "budget_store_down")
            if wait > 0:
                return t(lang, "budget_key_checks", minutes=max(1, int(wait) // 60 + 1))
        return None


def request_cost(charge: Charge | None, turns: Sequence[Turn], ask: Ask) -> float | None:
    """What one request cost (``turns``: its choices, which share its usage): the server's
    usage × the price, or, when no usage came (Stop before it), the estimated prompt and
    the tokens streamed, one per delta. None: no price."""
    price = None if charge is None else charge.price
    if price is None:
        return None
    # The reply's usage: this request's own (a continued answer's Turn shows the earlier ones' too).
    usage = next((turn.reply.usage for turn in turns if turn.reply.usage is not None), None)
    if usage is not None:
        return price.cost(usage)
    prompt = ask.prompt_estimate()
    streamed = sum(turn.answer_deltas + turn.reasoning_deltas for turn in turns)
    return price.cost(Usage(prompt_tokens=prompt, completion_tokens=streamed, total_tokens=prompt + streamed))
