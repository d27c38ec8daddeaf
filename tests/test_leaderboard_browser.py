"""The leaderboard in a real browser against the fake SiliconFlow: blind rounds and their votes
update the leaderboard and its chart, the panes reveal each answer's figures after a vote, a vote on
a round whose answer names its own model is not counted and the page says so, the JSONL export holds
the counted votes in FastChat's format, and the leaderboard comes back from the browser after a reload.

Any model id other than ``fake/<scenario>`` gets the echo answer ("Echo: <question>"), so a question
that says "Qwen" makes the Qwen pane's answer name its own model. One app for the module.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.page import (
    BLOCK_LABEL,
    WAIT_MS,
    download,
    open_compare,
    pane,
    pick_model,
    send_compare,
    vote_until_noted,
    wait_compare_done,
)

QWEN, GLM = "Qwen/Qwen2.5-7B-Instruct", "THUDM/GLM-4-9B-0414"
STATUS = "#compare-status"
BOARD = "#leaderboard"


@pytest.fixture(scope="module")
def app(launch_module_app, tmp_path_factory):
    prices = tmp_path_factory.mktemp("prices") / "prices.json"
    prices.write_text(json.dumps({QWEN: {"input": 0.5, "output": 1.0}, GLM: {"input": 1.0, "output": 4.0}}))
    app = launch_module_app(prices_file=str(prices))
    app.fake.token_rate = 25  # measurable speeds: an echo of eight words takes about 0.3 s
    return app


def blind_round(page: Page, question: str, vote: str, note: str) -> None:
    """Clear, ask ``question`` blind, vote with ``vote`` (an element id) and wait for the vote's note."""
    page.locator("#compare-clear-btn").click()
    # The last round is cleared (its status, its vote's note and its results with it) before the
    # next is asked: its results table, and its note, must not pass for this one's.
    expect(page.locator(STATUS)).to_have_text(re.compile(r"^\s*$"), timeout=WAIT_MS)
    send_compare(page, f"{question} and a few more words to echo")
    wait_compare_done(page, 2)
    vote_until_noted(page, vote, note)


def start(page: Page, url: str) -> None:
    open_compare(page, url)
    pick_model(page, QWEN, 1)
    pick_model(page, GLM, 2)
    page.locator("#compare-blind input").check()


def test_blind_votes_make_the_leaderboard_and_its_chart(app, page):
    start(page, app.url)
    expect(page.locator("#leaderboard-summary")).to_contain_text("No counted votes yet", timeout=WAIT_MS)
    blind_round(page, "hello one", "#vote-1", "Counted in the leaderboard.")
    # The panes reveal the names with each answer's cost, first token and speed.
    labels = " ".join(pane(page, i).locator(BLOCK_LABEL).inner_text() for i in (1, 2))
    assert QWEN in labels and GLM in labels and "first token" in labels and "tokens/s" in labels, labels
    assert "¥0.0" in labels, labels
    expect(page.locator(BOARD)).to_contain_text("not enough votes yet", timeout=WAIT_MS)
    for number in ("two", "three", "four", "five"):
        blind_round(page, f"hello {number}", "#vote-tie" if number == "three" else "#vote-1",
                    "Counted in the leaderboard.")
    expect(page.locator("#leaderboard-summary")).to_contain_text("5 counted votes, 0 not counted", timeout=WAIT_MS)
    board = page.locator(BOARD)
    expect(board).not_to_contain_text("not enough votes yet", timeout=WAIT_MS)
    # The chart draws its points: its legend names both models (a plot given an empty table
    # first drew axes only, and no legend).
    expect(page.locator("#leaderboard-chart")).to_contain_text(QWEN, timeout=WAIT_MS)
    expect(page.locator("#leaderboard-chart")).to_contain_text(GLM, timeout=WAIT_MS)
    text = board.inner_text()
    assert QWEN in text and GLM in text and len(re.findall(r"\d{3,4} – \d{3,4}", text)) == 2, text
    chart = page.locator("#leaderboard-chart")
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=WAIT_MS)

    # An answer that names its own model: the vote is not counted, and the page says why.
    blind_round(page, "Are you Qwen?", "#vote-2", "Not counted in the leaderboard")
    expect(page.locator(STATUS)).to_contain_text("names its own model (“Qwen”)")
    expect(page.locator("#leaderboard-summary")).to_contain_text("5 counted votes, 1 not counted", timeout=WAIT_MS)

    # The export: the five counted votes in FastChat's battle format, nothing else.
    lines = [json.loads(line) for line in download(page, "#votes-export-btn").splitlines()]
    assert len(lines) == 5, lines
    assert all(set(line) == {"model_a", "model_b", "winner", "tstamp"} for line in lines)
    assert all({line["model_a"], line["model_b"]} == {QWEN, GLM} for line in lines)
    assert sorted(line["winner"] for line in lines).count("tie") == 1
    assert {line["winner"] for line in lines} <= {"model_a", "model_b", "tie"}

    # The votes stay in the browser: the leaderboard is back after a reload.
    page.reload()
    open_compare(page, app.url)
    expect(page.locator("#leaderboard-summary")).to_contain_text("5 counted votes, 1 not counted", timeout=WAIT_MS)
    expect(page.locator(BOARD)).to_contain_text(GLM, timeout=WAIT_MS)
    expect(page.locator(BOARD)).not_to_contain_text("not enough votes yet")


def test_shared_votes_show_yours_and_everyones(launch_module_app, monkeypatch, visitors):
    monkeypatch.setenv("SFUI_SHARED_VOTES", "1")
    shared = launch_module_app()
    voter, other = visitors(shared.url).page, visitors(shared.url).page
    start(voter, shared.url)
    blind_round(voter, "hello shared", "#vote-1", "Counted in the leaderboard.")
    # Another browser has no votes of its own; everyone's holds the first one's.
    open_compare(other, shared.url)
    expect(other.locator("#leaderboard-summary")).to_contain_text("No counted votes yet", timeout=WAIT_MS)
    other.locator("#leaderboard-scope label", has_text="Everyone's").click()
    expect(other.locator("#leaderboard-summary")).to_contain_text("1 counted votes", timeout=WAIT_MS)
    expect(other.locator(BOARD)).to_contain_text(QWEN)
