"""In Chromium: the usage panel shows what the answer cost (issue 20), in English and Chinese,
with prices given by an SFUI_PRICES file (Settings.prices_file)."""

from __future__ import annotations

import json

from sfui.prices import format_money
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.page import ask, open_app, pick_model, usage_rows

INPUT, OUTPUT = 300.0, 1200.0  # per million tokens


def prices(tmp_path) -> str:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"priced/model": {"input": INPUT, "output": OUTPUT},
                                "free/model": {"input": 0, "output": 0}}))
    return str(path)


def tokens(value: str) -> int:
    return int(value.replace(",", ""))


def test_the_usage_panel_shows_the_answers_cost(launch_app, page, tmp_path):
    app = launch_app(prices_file=prices(tmp_path))
    open_app(page, app.url)
    pick_model(page, "priced/model")
    assert ask(page, "what does this cost") == "Echo: what does this cost"
    rows = usage_rows(page)
    cost = (tokens(rows["Prompt tokens"]) * INPUT + tokens(rows["Completion tokens"]) * OUTPUT) / 1_000_000
    assert rows["Cost"] == format_money(cost, "¥")


def test_the_cost_row_in_chinese(launch_app, browser, tmp_path):
    app = launch_app(prices_file=prices(tmp_path))
    context = browser.new_context(viewport=VIEWPORT, **ZH_CONTEXT)
    try:
        page = open_app(context.new_page(), app.url)
        pick_model(page, "free/model")
        ask(page, "你好")
        assert usage_rows(page)["费用"] == "免费"
        pick_model(page, "unknown/model")
        ask(page, "再问一次")
        assert usage_rows(page)["费用"] == "价格未知"
    finally:
        context.close()
