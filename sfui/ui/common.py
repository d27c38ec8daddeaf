"""What every panel shares: the visitor's language, the translated labels, and
the per-process context (settings, HTTP session, model list, running answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gradio as gr
import requests

from ..catalog import model_info
from ..client import SiliconFlowClient, new_session
from ..config import Settings
from ..i18n import gradio_translations, pick_language
from ..model_list import ModelDirectory
from ..streaming import RunRegistry

# Static labels, translated by Gradio in the browser from the same catalogue as
# the text the server writes.
LABELS = gr.I18n(**gradio_translations())


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


def model_choices(ids, current: str | None = None) -> list[tuple[str, str]]:
    """Dropdown choices (label with capability hints, id); a typed custom id is kept."""
    choices = [(model_info(m).label, m) for m in ids]
    if current and current not in ids:
        choices.append((model_info(current).label, current))
    return choices


@dataclass
class AppContext:
    """What one app process shares between its visitors. A visitor's key is never
    stored here: it travels with each call (``visitor_key``)."""

    settings: Settings
    directory: ModelDirectory = field(default_factory=ModelDirectory)
    runs: RunRegistry = field(default_factory=RunRegistry)  # answers in progress, for Stop and Clear
    session: requests.Session | None = None

    def __post_init__(self) -> None:
        if self.session is None:
            self.session = new_session(pool_size=max(16, self.settings.concurrency_limit))

    def client_for(self, key: str | None) -> SiliconFlowClient:
        return SiliconFlowClient.from_settings(self.settings, api_key=key, session=self.session)

    def effective_key(self, visitor_key: str | None) -> str | None:
        # A visitor's own key wins; the server's key (a Space secret) is the fallback.
        return visitor_key or self.settings.api_key
