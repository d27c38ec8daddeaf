"""What every panel shares: the visitor's language, the translated labels, and
the per-process context (settings, HTTP session, model list, running answers)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
import requests

from .. import stores
from ..api.client import SiliconFlowClient, new_session
from ..budget import Ask, DemoGuard, Refusal, Spending
from ..catalog import model_info, model_label, tag_translations, tags_key
from ..chat import Turn
from ..chat_request import paying_key
from ..config import Settings
from ..continuation import LastAnswers
from ..i18n import gradio_translations, language, pick_language
from ..model_list import ModelDirectory
from ..prices import Charge, PriceList
from ..runs import RunRegistry
from ..sessions import IdleSessions
from ..stores import BUDGET_FILE as BUDGET_FILE  # where tests look for the budgets' file
from ..visitors import SessionBrowsers, Visitor, VisitorKeys, client_address


def page_translations() -> dict[str, dict[str, str]]:
    """The page's static text by Gradio locale, with the model labels' capability
    hints (sfui/catalog.py) added."""
    return {locale: {**table, **tag_translations(language(locale))} for locale, table in gradio_translations().items()}


# The trigger mode of a step that must follow every run of its event: each step after an answer
# (the save, the "show earlier" button, a held message given back, the balance, the meter) and
# the storage line after each write of the saved conversations. Gradio's page skips a "once" step
# while its previous run is still on its way back, so an answer that ended soon after another
# (an error, a refusal, a short answer on a loaded server) lost its step: a conversation saved
# without its last turn. "always_last" runs the step again once the previous run is back, with
# the inputs as they then stand; these steps read the state as it stands, so one more run does
# the work of every run it stands for.
AFTER_EACH = dict(trigger_mode="always_last")


# Static labels, translated by Gradio in the browser from the same catalogue as
# the text the server writes.
LABELS = gr.I18n(**page_translations())


def label(key: str) -> Any:
    return LABELS(key)


def lang_of(request: gr.Request | None) -> str:
    """The visitor's language ("en" or "zh"), from the browser's Accept-Language."""
    headers = getattr(request, "headers", None) or {}
    return pick_language(headers.get("accept-language"))


def unchanged(outputs: int) -> tuple:
    """"No change" for every output. A generator handler that ends without
    yielding makes Gradio set all its outputs to None, which would wipe the
    chat and the message box."""
    return (gr.skip(),) * outputs


def as_text(value: Any) -> str | None:
    """A text input as gr.Textbox.preprocess passes it: None or a str (for the
    steps that skip Gradio's preprocessing)."""
    return None if value is None else str(value)


def choice_label(model_id: str, lang: str | None = None) -> str:
    """A model's dropdown label: the id, then its capability hints in ``lang``, or
    (``lang=None``, for the page's initial config) as a gr.I18n marker the browser
    translates. Gradio replaces one marker per string, so the hints are one entry."""
    if lang is not None:
        return model_label(model_id, lang)
    tags = model_info(model_id).tags
    return f"{model_id} · {LABELS(tags_key(tags))}" if tags else model_id


def model_choices(ids, current: str | None = None, lang: str | None = None) -> list[tuple[str, str]]:
    """Dropdown choices (label with capability hints, id); a typed custom id is kept.
    ``lang``: the visitor's language, for updates sent to one page; None in the page's
    config, which every visitor shares."""
    choices = [(choice_label(m, lang), m) for m in ids]
    if current and current not in ids:
        choices.append((choice_label(current, lang), current))
    return choices


@dataclass(frozen=True)
class FinishedAnswer:
    """An answer that just ended, as the save step after it needs it."""

    turn: Turn
    payload: dict  # the request as sent: model, messages, fields


class FinishedAnswers:
    """The last finished answer of each browser session, until the step after the
    answer takes it. Bounded: an API caller's answers are never taken."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._answers: OrderedDict[str, FinishedAnswer] = OrderedDict()

    def remember(self, session: str, answer: FinishedAnswer) -> None:
        self._answers.pop(session, None)
        self._answers[session] = answer
        while len(self._answers) > self.limit:
            self._answers.popitem(last=False)

    def take(self, session: str) -> FinishedAnswer | None:
        return self._answers.pop(session, None)


@dataclass
class AppContext:
    """What one app process shares between its visitors. A visitor's key is never
    stored here: it travels with each call (``visitor_key``)."""

    settings: Settings
    directory: ModelDirectory = field(default_factory=ModelDirectory)
    runs: RunRegistry = field(default_factory=RunRegistry)  # answers in progress, for Stop and Clear
    answers: FinishedAnswers = field(default_factory=FinishedAnswers)
    last_answers: LastAnswers = field(default_factory=LastAnswers)  # each session's last answer, for Continue
    session: requests.Session | None = None
    prices: PriceList | None = None  # None: the settings' (built-in table, SFUI_PRICES over it)
    guard: DemoGuard = field(init=False)  # the demo's limits on the server's key
    browsers: SessionBrowsers = field(default_factory=SessionBrowsers)  # each page session's browser id
    sessions: IdleSessions = field(init=False)  # the page sessions let go when idle (sfui/ui/sessions.py)

    def __post_init__(self) -> None:
        if self.prices is None:
            self.prices = self.settings.price_list()
        if self.session is None:
            self.session = new_session(pool_size=max(16, self.settings.concurrency_limit))
        limits = self.settings.limits(self.prices)
        # SQLite and this process's memory, or one Redis for every process (sfui/stores.py).
        store = stores.spend_store(self.settings) if limits.money else None
        # Browser ids are signed with the store's secret, which outlives a restart.
        keys = VisitorKeys(stores.visitor_secret(self.settings, store))
        self.guard = DemoGuard(limits, self.prices, store, keys, windows=stores.rate_windows(self.settings))
        self.sessions = IdleSessions(self.settings.session_ttl)

    def client_for(self, key: str | None) -> SiliconFlowClient:
        return self.settings.client(api_key=key, session=self.session)

    def charge(self, model: str) -> Charge:
        """What ``model`` costs on the configured site (its price, or unknown)."""
        assert self.prices is not None
        return self.prices.charge(model)

    @property
    def currency(self) -> str:
        assert self.prices is not None
        return self.prices.currency

    def effective_key(self, visitor_key: str | None) -> str | None:
        return paying_key(visitor_key, self.settings.api_key)

    def visitor(self, request: gr.Request | None) -> Visitor:
        """Who sent ``request``: the address the trusted proxies saw, and the browser id
        its page registered (none for an API caller)."""
        client = getattr(request, "client", None)
        headers = getattr(request, "headers", None) or {}
        # Every X-Forwarded-For line, in order: a client's own line first, the proxies' after it.
        lines = headers.getlist("x-forwarded-for") if hasattr(headers, "getlist") else [headers.get("x-forwarded-for")]
        forwarded = ", ".join(line for line in lines if line) or None
        address = client_address(getattr(client, "host", None), forwarded, self.settings.proxies())
        return Visitor(address, self.browsers.of(getattr(request, "session_hash", None)))

    def admit(self, visitor_key: str | None, visitor: Visitor, asks: list[Ask], lang: str) -> Spending | Refusal:
        """Whether a step's requests may go out: always on the visitor's own key; on the
        server's, within the demo's limits (sfui/budget.py)."""
        if visitor_key:
            return Spending()
        return self.guard.admit(visitor, asks, lang)

    def offered(self, ids, visitor_key: str | None) -> list[str]:
        """The models this visitor may pick: all on their own key, else the guard's."""
        return list(ids) if visitor_key else self.guard.offered(ids)
