"""Presenter mode's deck (sfui/presenter.py): SFUI_DECK parsed and checked, the examples
when there is none or it cannot be used; and the deck's line, the QR code's address and
what a deck step puts where (sfui/ui/presenter.py, without a browser)."""

from __future__ import annotations

import json
import logging

import pytest

from sfui.config import Settings
from sfui.examples import EXAMPLES
from sfui.i18n import t
from sfui.presenter import MAX_ENTRIES, Deck, DeckEntry, DeckError, example_deck, load_deck, parse_deck, read_deck


def write(tmp_path, data, name="deck.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_deck_file_with_models_and_compare_entries(tmp_path):
    deck = read_deck(write(tmp_path, [
        {"prompt": "Explain TCP"},
        {"prompt": "写一首诗", "model": " Qwen/Qwen3-8B "},
        {"prompt": "Which is faster?", "compare": ["a/one", "b/two", "c/three"]},
    ]))
    assert deck.entries == (
        DeckEntry(prompt="Explain TCP"),
        DeckEntry(prompt="写一首诗", model="Qwen/Qwen3-8B"),
        DeckEntry(prompt="Which is faster?", compare=("a/one", "b/two", "c/three")),
    )
    assert deck.entries[1].text("en") == "写一首诗"  # a file's prompt is the same in every language


def test_a_prompt_keeps_its_lines_and_spaces():
    deck = parse_deck(json.dumps([{"prompt": "  line one\n  line two\n"}]))
    assert deck.entries[0].prompt == "  line one\n  line two\n"


@pytest.mark.parametrize(("data", "message"), [
    ("[{", "not valid JSON"),
    ("{}", "non-empty JSON list"),
    ("[]", "non-empty JSON list"),
    ('["just text"]', "entry 1: must be an object"),
    ('[{"model": "a/b"}]', "entry 1: 'prompt' must be a non-empty string"),
    ('[{"prompt": "ok"}, {"prompt": "   "}]', "entry 2: 'prompt' must be a non-empty string"),
    ('[{"prompt": 3}]', "entry 1: 'prompt' must be a non-empty string"),
    ('[{"prompt": "ok", "modle": "a/b"}]', "entry 1: unknown key 'modle'"),
    ('[{"prompt": "ok", "model": ""}]', "entry 1: 'model' must be a non-empty string"),
    ('[{"prompt": "ok", "compare": "a/b"}]', "entry 1: 'compare' must be a list of 2 to 4"),
    ('[{"prompt": "ok", "compare": ["a/b"]}]', "entry 1: 'compare' must be a list of 2 to 4"),
    ('[{"prompt": "ok", "compare": ["a", "b", "c", "d", "e"]}]', "entry 1: 'compare' must be a list of 2 to 4"),
    ('[{"prompt": "ok", "compare": ["a/b", 7]}]', "entry 1: 'compare' must be a non-empty string"),
    ('[{"prompt": "ok", "model": "a/b", "compare": ["a/b", "c/d"]}]', "not both"),
])
def test_a_bad_deck_says_what_and_where(data, message):
    with pytest.raises(DeckError, match=message.replace("(", r"\(")):
        parse_deck(data)


def test_too_many_entries_and_bad_files(tmp_path):
    with pytest.raises(DeckError, match=f"at most {MAX_ENTRIES}"):
        parse_deck(json.dumps([{"prompt": "p"}] * (MAX_ENTRIES + 1)))
    with pytest.raises(DeckError, match="cannot be read"):
        read_deck(tmp_path / "missing.json")
    bad = tmp_path / "latin1.json"
    bad.write_bytes('[{"prompt": "café"}]'.encode("latin-1"))
    with pytest.raises(DeckError, match="not UTF-8"):
        read_deck(bad)
    bom = tmp_path / "bom.json"
    bom.write_bytes('[{"prompt": "café"}]'.encode("utf-8-sig"))
    assert read_deck(bom).entries[0].prompt == "café"


def test_without_a_deck_the_examples_are_the_deck():
    deck = load_deck(None)
    text_examples = [example for example in EXAMPLES if not example.image]
    assert deck == example_deck() and deck.source == "examples"
    assert len(deck) == len(text_examples) >= 3
    for entry, example in zip(deck.entries, text_examples, strict=True):
        assert entry.model == example.model
        assert entry.text("en") == example.prompt("en")
        assert entry.text("zh") == example.prompt("zh") != example.prompt("en")


def test_a_bad_deck_file_is_logged_and_the_examples_are_used(tmp_path, caplog):
    path = write(tmp_path, '[{"prompt": "ok"}, {"promt": "typo"}]')
    with caplog.at_level(logging.WARNING, logger="sfui.presenter"):
        deck = load_deck(path)
    assert deck == example_deck()
    assert any(path in record.getMessage() and "entry 2: unknown key 'promt'" in record.getMessage()
               for record in caplog.records)


def test_a_good_deck_file_is_used(tmp_path):
    deck = load_deck(write(tmp_path, [{"prompt": "one"}, {"prompt": "two"}]))
    assert [entry.prompt for entry in deck.entries] == ["one", "two"]


def test_clamp_keeps_the_position_in_the_deck():
    deck = Deck((DeckEntry(prompt="a"), DeckEntry(prompt="b")), "test")
    assert [deck.clamp(i) for i in (-3, 0, 1, 2, 9)] == [0, 0, 1, 1, 1]
    assert Deck((), "test").clamp(0) == -1


def test_settings_read_the_deck_and_the_public_address(monkeypatch, tmp_path):
    monkeypatch.setenv("SFUI_DECK", " /srv/deck.json ")
    monkeypatch.setenv("SFUI_PUBLIC_URL", "https://example.org/sfui")
    settings = Settings.from_env(str(tmp_path / "no.env"))
    assert (settings.deck_file, settings.public_url) == ("/srv/deck.json", "https://example.org/sfui")
    monkeypatch.setenv("SFUI_DECK", "")
    monkeypatch.delenv("SFUI_PUBLIC_URL")
    settings = Settings.from_env(str(tmp_path / "no.env"))
    assert (settings.deck_file, settings.public_url) == (None, None)


# --- the UI's pure helpers ------------------------------------------------------------------------


def test_the_deck_line_escapes_the_prompt_and_follows_the_language():
    from sfui.ui.presenter import deck_html

    deck = Deck((DeckEntry(prompt="<b>hi</b>", model="a/b"), DeckEntry(prompt="x", compare=("c/d", "e/f"))), "t")
    line = deck_html(deck, 0, "en")
    assert "1 / 2" in line and "&lt;b&gt;hi&lt;/b&gt;" in line and "<b>hi" not in line and "model: a/b" in line
    assert "对比：c/d, e/f" in deck_html(deck, 1, "zh")
    assert t("zh", "present_deck_start", total=2) in deck_html(deck, -1, "zh")


def test_the_qr_address_is_the_public_one_else_the_pages():
    from sfui.ui.presenter import page_address, qr_html

    assert page_address("https://demo.example/", "http://127.0.0.1:7860/") == "https://demo.example/"
    assert page_address(None, "http://127.0.0.1:7860/") == "http://127.0.0.1:7860/"
    assert page_address(None, "javascript:alert(1)") is None
    assert page_address(None, "https://x/" + "a" * 5000) is None
    shown = qr_html('https://x/"><script>', "en")
    assert "<svg" in shown and "<script>" not in shown
    assert "<svg" not in qr_html("https://x/" + "a" * 4000, "zh") and "太长" in qr_html("https://x/" + "a" * 4000, "zh")


def test_a_deck_step_fills_the_chat_or_compare():
    from sfui.ui.presenter import COMPARE_TAB, entry_updates

    box, model, tabs, compare_box, *slots = entry_updates(DeckEntry(prompt="hi", model="a/b"), "en")
    assert box == {"text": "hi", "files": []} and model == "a/b" and tabs.selected == "chat"
    box, model, tabs, compare_box, *slots = entry_updates(DeckEntry(prompt="hi", compare=("a/b", "c/d")), "en")
    assert tabs.selected == COMPARE_TAB and compare_box == "hi" and slots == ["a/b", "c/d", None, None]
