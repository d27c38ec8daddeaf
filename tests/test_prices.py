"""sfui/prices.py: the table, the override file, the site's currency, money as text, and
what an answer costs where a person looks (the usage panel's row, Compare's column)."""

from __future__ import annotations

import json
import logging

import pytest

from sfui.api.events import Finished, TextDelta, Usage, UsageUpdate
from sfui.catalog import DEFAULT_MODELS
from sfui.chat import Turn
from sfui.compare import COST_COLUMN, STATS_HEADER_KEYS, stats_header, stats_row
from sfui.config import Settings
from sfui.i18n import STRINGS
from sfui.prices import (
    DOLLAR,
    TABLE,
    YUAN,
    Charge,
    Price,
    PriceList,
    format_money,
    load_prices,
    read_overrides,
    site_currency,
)

CN = "https://api.siliconflow.cn/v1"
COM = "https://api.siliconflow.com/v1"
LOCAL = "http://127.0.0.1:8000/v1"


# --- the table ---------------------------------------------------------------------------------


def test_every_entry_is_a_curated_model_with_its_date_and_source():
    for model, entry in TABLE.items():
        assert model in DEFAULT_MODELS
        assert entry.cny is not None or entry.usd is not None
        assert len(entry.read) == 10 and entry.read[4] == "-"  # YYYY-MM-DD
        assert entry.source.startswith("https://")


def test_the_free_models_of_the_catalog_cost_nothing_on_the_cn_site():
    prices = load_prices(CN)
    for model in ("Qwen/Qwen3-8B", "Qwen/Qwen2.5-7B-Instruct", "THUDM/GLM-4-9B-0414"):
        assert prices.charge(model).price == Price(0.0, 0.0)


def test_a_model_without_a_price_is_unknown_never_guessed():
    assert load_prices(CN).charge("someone/unlisted-model").price is None
    # No dollar price was found for it: on a .com host it has none, though it is free on .cn.
    assert load_prices(COM).charge("deepseek-ai/DeepSeek-R1-0528-Qwen3-8B").price is None
    # No yuan price was found for it (only for a sibling id): none on .cn, though .com has one.
    assert load_prices(CN).charge("deepseek-ai/DeepSeek-V3.2").price is None
    assert load_prices(COM).charge("deepseek-ai/DeepSeek-V3.2").price == Price(0.27, 0.42)


def test_the_built_in_table_is_siliconflows_so_other_hosts_get_only_the_file(tmp_path):
    assert load_prices(LOCAL).prices == {}
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"fake/model": {"input": 1, "output": 2}}))
    assert load_prices(LOCAL, YUAN, str(path)).prices == {"fake/model": Price(1.0, 2.0)}


# --- cost -------------------------------------------------------------------------------------------


def test_reasoning_tokens_are_output_counted_once():
    # completion_tokens (41) already hold the 20 reasoning tokens.
    usage = Usage(prompt_tokens=12, completion_tokens=41, total_tokens=53, reasoning_tokens=20)
    assert Price(2.0, 8.0).cost(usage) == pytest.approx((12 * 2.0 + 41 * 8.0) / 1_000_000)


def test_a_charge_says_free_unknown_or_the_money():
    usage = Usage(1000, 500, 1500)
    assert Charge(Price(0, 0)).text(usage, "en") == "free"
    assert Charge(Price(0, 0)).text(None, "zh") == STRINGS["zh"]["cost_free"]
    assert Charge(None).text(usage, "en") == "price unknown"
    assert Charge(None).text(usage, "zh") == STRINGS["zh"]["cost_unknown"]
    assert Charge(Price(2.0, 8.0), YUAN).text(usage, "en") == "¥0.0060"
    assert Charge(Price(2.0, 8.0), DOLLAR).text(usage, "en") == "$0.0060"
    assert Charge(Price(2.0, 8.0)).text(None, "en") is None  # nothing reported yet
    assert Charge(Price(0, 0)).cost(None) == 0.0 and Charge(None).cost(usage) is None


def test_money_is_written_with_the_sign_and_enough_digits():
    assert format_money(0, YUAN) == "¥0"
    assert format_money(0.0042, YUAN) == "¥0.0042"
    assert format_money(0.000012, DOLLAR) == "$0.000012"
    assert format_money(0.5, YUAN) == "¥0.5000"
    assert format_money(1234.5, YUAN) == "¥1,234.50"


# --- currency ------------------------------------------------------------------------------------


def test_the_currency_follows_the_host_then_the_setting():
    assert site_currency(CN) == YUAN
    assert site_currency(COM, YUAN) == DOLLAR
    assert site_currency("https://siliconflow.cn/v1", DOLLAR) == YUAN
    assert site_currency(LOCAL) == YUAN
    assert site_currency(LOCAL, "€") == "€"
    assert site_currency("https://notsiliconflow.com/v1", "€") == "€"


def test_settings_read_both_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("SFUI_PRICES", str(tmp_path / "p.json"))
    monkeypatch.setenv("SFUI_CURRENCY", "$")
    settings = Settings.from_env(dotenv_path=str(tmp_path / "none.env"))
    assert settings.prices_file == str(tmp_path / "p.json") and settings.currency == "$"
    monkeypatch.delenv("SFUI_PRICES")
    monkeypatch.delenv("SFUI_CURRENCY")
    settings = Settings.from_env(dotenv_path=str(tmp_path / "none.env"))
    assert settings.prices_file is None and settings.currency == YUAN


# --- the override file ---------------------------------------------------------------------------------


def test_the_file_adds_and_overrides_entries(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"deepseek-ai/DeepSeek-V3": {"input": 1.5, "output": 6},
                                "Qwen/Qwen2.5-72B-Instruct": {"input": 4.13, "output": 4.13}}))
    prices = load_prices(CN, YUAN, str(path))
    assert prices.charge("deepseek-ai/DeepSeek-V3").price == Price(1.5, 6.0)
    assert prices.charge("Qwen/Qwen2.5-72B-Instruct").price == Price(4.13, 4.13)
    assert prices.charge("Qwen/Qwen3-8B").price == Price(0.0, 0.0)  # the table's still there


@pytest.mark.parametrize("content", [
    "not json",
    "[1, 2]",
    json.dumps({"m": {"input": 1}}),
    json.dumps({"m": {"input": -1, "output": 1}}),
    json.dumps({"m": {"input": "1", "output": 1}}),
    json.dumps({"m": {"input": True, "output": 1}}),
    json.dumps({"m": 3}),
])
def test_a_bad_file_is_logged_and_ignored(tmp_path, caplog, content):
    path = tmp_path / "prices.json"
    path.write_text(content)
    with pytest.raises(ValueError):
        read_overrides(str(path))
    with caplog.at_level(logging.WARNING, logger="sfui.prices"):
        prices = load_prices(CN, YUAN, str(path))
    assert prices.prices == load_prices(CN).prices
    assert "SFUI_PRICES" in caplog.text and "ignored" in caplog.text


def test_a_missing_file_is_logged_and_ignored(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="sfui.prices"):
        prices = load_prices(CN, YUAN, str(tmp_path / "missing.json"))
    assert prices.charge("Qwen/Qwen3-8B").price == Price(0.0, 0.0)
    assert "missing.json" in caplog.text


# --- where a person looks: the usage panel, Compare's table -------------------------------------------


def answered(charge: Charge | None, usage: Usage | None, lang: str = "en") -> Turn:
    turn = Turn([{"role": "user", "content": "hi"}], lang, charge=charge)
    events = [TextDelta("hello")] + ([UsageUpdate(usage)] if usage else []) + [Finished("stop")]
    for event in events:
        turn.reply.apply(event)
        turn.apply(event)
    turn.finish()
    return turn


def test_the_usage_panel_has_a_cost_row_in_both_languages():
    usage = Usage(10, 20, 30)
    rows = dict(answered(Charge(Price(100.0, 200.0)), usage).usage_rows())
    assert rows["Cost"] == format_money((10 * 100 + 20 * 200) / 1_000_000, YUAN) == "¥0.0050"
    assert dict(answered(Charge(Price(0, 0)), usage, "zh").usage_rows())["费用"] == "免费"
    assert dict(answered(Charge(None, DOLLAR), usage).usage_rows())["Cost"] == "price unknown"
    assert "Cost" not in dict(answered(None, usage).usage_rows())  # no price list given: no row
    assert "| Cost | ¥0.0050 |" in answered(Charge(Price(100.0, 200.0)), usage).usage_markdown()


def test_the_cost_row_follows_the_usage_while_the_answer_streams():
    turn = Turn([], "en", charge=Charge(Price(1_000_000.0, 1_000_000.0)))
    assert "Cost" not in dict(turn.usage_rows())  # no usage reported yet
    for usage in (Usage(1, 0, 1), Usage(1, 2, 3)):
        turn.reply.apply(UsageUpdate(usage))
        turn.apply(UsageUpdate(usage))
        assert dict(turn.usage_rows())["Cost"] == format_money(float(usage.prompt_tokens + usage.completion_tokens),
                                                               YUAN)


def test_compares_table_has_a_cost_column():
    assert STATS_HEADER_KEYS[COST_COLUMN] == "compare_col_cost"
    assert stats_header("en", DOLLAR)[COST_COLUMN] == "Cost ($)"
    assert stats_header("zh")[COST_COLUMN] == "费用（¥）"
    usage = Usage(10, 20, 30)
    assert stats_row("A", answered(Charge(Price(100.0, 200.0)), usage))[COST_COLUMN] == pytest.approx(0.005)
    assert stats_row("A", answered(Charge(Price(0, 0)), usage))[COST_COLUMN] == 0
    assert stats_row("A", answered(Charge(None), usage))[COST_COLUMN] is None


def test_a_price_list_gives_each_model_its_charge():
    prices = PriceList({"a": Price(1, 2)}, DOLLAR)
    assert prices.charge("a") == Charge(Price(1, 2), DOLLAR)
    assert prices.charge("b") == Charge(None, DOLLAR)
