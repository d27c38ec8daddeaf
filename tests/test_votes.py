"""sfui/votes.py and sfui/vote_store.py: vote records, FastChat's battle export, records from the
browser, the leaderboard's rows, and the server's shared store (one vote per round, a daily cap), in
SQLite and in Redis."""

from __future__ import annotations

import json

import pytest
import redis

from sfui.vote_store import DAILY_CAP, RedisVoteStore, VoteStore, shared_votes_enabled
from sfui.votes import (
    Answer,
    add_record,
    battles_of,
    chart_points,
    clean_records,
    export_jsonl,
    leaderboard_rows,
    make_record,
    results_of,
    reveal,
    round_results,
    vote_note,
    with_results,
)
from tests.support.redis_server import flushed_client, running_redis


def record(round_id: str, names=("A", "B"), vote=0, *, blind=True, named=None, cost=0.001, tps=50.0):
    answers = [Answer(name, cost, 0.5, tps) for name in names]
    return make_record(round_id, list(names), vote, answers, blind=blind, named=named, tstamp=1700000000.0)


def test_battles_two_panes_and_more():
    assert battles_of(["A", "B"], 1) == [{"model_a": "A", "model_b": "B", "winner": "model_b"}]
    # Three panes: the chosen one beats each other; the others' pair is no battle.
    assert battles_of(["A", "B", "C"], 1) == [{"model_a": "A", "model_b": "B", "winner": "model_b"},
                                              {"model_a": "B", "model_b": "C", "winner": "model_a"}]
    assert [b["winner"] for b in battles_of(["A", "B", "C"], "tie")] == ["tie"] * 3
    assert [b["winner"] for b in battles_of(["A", "B", "C", "D"], "bad")] == ["tie (bothbad)"] * 6
    assert battles_of(["A", "A"], 0) == []


def test_what_counts():
    assert record("1")["counted"] and record("1")["reason"] is None
    assert record("2", blind=False)["reason"] == "not_blind"
    assert record("3", names=("A", "A"))["reason"] == "one_model"
    named = record("4", named={"model": "Qwen/Qwen3-8B", "word": "Qwen"})
    assert not named["counted"] and named["reason"] == "self_naming"
    assert vote_note(named, "en") == "Not counted in the leaderboard: the answer of Qwen/Qwen3-8B names its own " \
                                     "model (“Qwen”)."
    assert "Qwen" in vote_note(named, "zh") and "未计入" in vote_note(named, "zh")
    assert vote_note(record("1"), "en") == "Counted in the leaderboard."


def test_export_holds_the_counted_battles_in_fastchats_format():
    records = [record("1"), record("2", blind=False), record("3", names=("A", "B", "C"), vote="bad"),
               record("4", named={"model": "A", "word": "A"})]
    lines = [json.loads(line) for line in export_jsonl(records).splitlines()]
    assert lines[0] == {"model_a": "A", "model_b": "B", "winner": "model_a", "tstamp": 1700000000.0}
    assert len(lines) == 4 and {line["winner"] for line in lines[1:]} == {"tie (bothbad)"}
    assert export_jsonl([record("2", blind=False)]) == ""


def test_records_from_the_browser_are_checked():
    good = record("1")
    forged = {**record("2"), "battles": [{"model_a": "A", "model_b": "A", "winner": "model_a"}]}
    claims = {**record("3", blind=False), "counted": True}  # a record that says it counts, with a reason
    kept = clean_records([good, forged, "junk", None, {**good}, claims, {"id": "x" * 100}])
    assert [r["id"] for r in kept] == ["1", "3"] and not kept[1]["counted"]
    assert clean_records("junk") == [] and clean_records({"a": 1}) == []
    assert add_record([good], record("1")) == [good]
    assert len(add_record([record(str(i)) for i in range(2000)], record("new"))) == 2000


def test_leaderboard_rows_need_five_votes_for_a_score():
    records = [record(str(i), vote=1 if i == 0 else 0) for i in range(6)] + [record("c", names=("A", "C"))]
    rows = leaderboard_rows(records, "en", "¥")
    ranked, waiting = [row for row in rows if row[0] != "–"], [row for row in rows if row[0] == "–"]
    assert [row[1] for row in ranked] == ["A", "B"] and [row[0] for row in ranked] == [1, 2]
    assert ranked[0][4] == 7 and ranked[0][5] == 0.001 and ranked[0][6] == 50.0
    assert waiting == [["–", "C", None, "not enough votes yet", 1, 0.001, 50.0]]
    assert chart_points(rows) == [("A", 0.001, ranked[0][2]), ("B", 0.001, ranked[1][2])]
    assert leaderboard_rows(records, "zh", "¥")[-1][3] == "票数还不够"


def test_round_results_find_a_self_naming_answer():
    rows = [["A", 0.4, 30.0, 1, 2, 0, 1.0, "stop", 0.002], ["B", None, None, 1, 2, 0, 1.0, "stop", None]]
    results = round_results("r1", ["Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-V3"],
                            ["Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-V3"], rows, ["Paris.", "作为 DeepSeek，巴黎。"],
                            (1, 2, 8))
    assert results["named"] == {"model": "deepseek-ai/DeepSeek-V3", "word": "DeepSeek"}
    assert results["answers"][0] == {"model": "Qwen/Qwen3-8B", "cost": 0.002, "ttft": 0.4, "tps": 30.0}
    assert results_of(with_results({"slots": []}, results)) == results and results_of({"slots": []}) is None
    shown = reveal("A · Qwen", results["answers"][0], "en", "¥")
    assert shown == "A · Qwen · ¥0.0020 · first token 0.4 s · 30.0 tokens/s"
    assert "–" in reveal("B", results["answers"][1], "zh", "¥")


@pytest.fixture(scope="module")
def redis_url():
    with running_redis() as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def open_votes(request, tmp_path):
    """Opens the shared votes (each call: as a restarted process opens them): the SQLite file, or
    Redis (emptied for this test, against a real redis-server)."""
    if request.param == "sqlite":
        return lambda cap=DAILY_CAP: VoteStore(tmp_path / "votes.sqlite3", cap=cap)
    url = request.getfixturevalue("redis_url")
    flushed_client(url)
    return lambda cap=DAILY_CAP: RedisVoteStore(redis.Redis.from_url(url), cap=cap)


def test_the_shared_store_keeps_one_vote_per_round_and_a_daily_cap(open_votes):
    store = open_votes(cap=2)
    assert store.add(record("1"), ["address:x", "browser:y"], day="2025-01-01")
    assert not store.add(record("1"), ["address:x"], day="2025-01-01")  # the same round again
    assert not store.add(record("2", blind=False), ["address:x"], day="2025-01-01")  # not counted
    assert store.add(record("3"), ["address:z", "browser:y"], day="2025-01-01")
    assert not store.add(record("4"), ["address:new", "browser:y"], day="2025-01-01")  # the browser's cap
    assert store.add(record("4"), ["address:new", "browser:y"], day="2025-01-02")  # a new day
    assert [r["id"] for r in store.records()] == ["1", "3", "4"]
    store.close()
    assert [r["id"] for r in open_votes().records()] == ["1", "3", "4"]
    assert [r["id"] for r in open_votes().records(limit=2)] == ["3", "4"]  # the newest


@pytest.mark.parametrize("value,enabled", [("1", True), ("true", True), ("", False), ("0", False)])
def test_shared_votes_setting(monkeypatch, value, enabled):
    monkeypatch.setenv("SFUI_SHARED_VOTES", value)
    assert shared_votes_enabled() is enabled
