"""The page's load step (sfui/ui/keys.py: KeyHandlers.on_load) puts the panels in the visitor's
language. It waits for the model list, so under load a first answer can end before it: that
answer's usage figures stay (they were replaced by the placeholder)."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from sfui.config import Settings
from sfui.i18n import t
from sfui.ui.common import AppContext
from sfui.ui.keys import KeyHandlers

SKIP = gr.skip()


def on_load(usage: str | None, lang: str = "zh-CN") -> tuple:
    handlers = KeyHandlers(AppContext(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")), 0)
    request = SimpleNamespace(session_hash="session-load", headers={"accept-language": lang})
    return handlers.on_load(None, "Qwen/Qwen3-8B", usage, request)


def test_the_placeholder_is_put_in_the_visitors_language():
    assert on_load(t("en", "usage_empty"))[1] == t("zh", "usage_empty")
    assert on_load(None, "en-US")[1] == t("en", "usage_empty")


def test_a_first_answers_usage_is_left_as_it_is():
    answered = "| | |\n|---|---|\n| Status | done |"
    assert on_load(answered)[1] == SKIP
