"""sfui.compare: slots, request fields, results, blind mode and the vote tally. Pure: no server."""

from __future__ import annotations

import json
import random

import pytest

from sfui.api.errors import RateLimitError
from sfui.api.events import Finished, ReasoningDelta, TextDelta, Usage, UsageUpdate
from sfui.chat import Turn
from sfui.compare import (
    LETTERS,
    MAX_SAMPLES,
    MAX_SLOTS,
    STATS_HEADER_KEYS,
    TALLY_HEADER_KEYS,
    Slot,
    blind_labels,
    blind_order,
    chart_labels,
    chart_points,
    clean_tally,
    pane_names,
    pane_titles,
    parse_samples,
    record_vote,
    slot_params,
    slots_from_inputs,
    stats_header,
    stats_row,
    stats_rows,
    tally_header,
    tally_rows,
)
from sfui.i18n import STRINGS
from sfui.params import Controls, InputError

QWEN, DEEPSEEK, GLM = "Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-V3", "THUDM/GLM-4-9B-0414"


# --- slots ------------------------------------------------------------------------------------


def test_slot_titles_name_the_temperature_only_when_set():
    assert Slot(QWEN).title("en") == QWEN
    assert Slot(QWEN, 0.2).title("en") == "Qwen/Qwen3-8B · temperature 0.2"
    assert Slot(QWEN, 1.0).title("zh") == "Qwen/Qwen3-8B · 温度 1"
    assert Slot(QWEN, 0.2).name == Slot(QWEN, 0.2).title("en")  # the tally's name: one per slot, any language


def test_slots_from_inputs_skips_empty_slots_and_reads_temperatures():
    slots = slots_from_inputs([QWEN, "", None, f"  {DEEPSEEK} "], ["0.2", "1.5", None, ""])
    assert slots == [Slot(QWEN, 0.2), Slot(DEEPSEEK, None)]
    assert slots_from_inputs([QWEN, QWEN], [0.2, 1.3]) == [Slot(QWEN, 0.2), Slot(QWEN, 1.3)]
    assert slots_from_inputs([QWEN, GLM], []) == [Slot(QWEN), Slot(GLM)]  # fewer temperatures than models
    assert isinstance(slots_from_inputs([QWEN, GLM], [1, None])[0].temperature, float)


def test_fewer_than_two_models_is_refused():
    for models in ([QWEN], [QWEN, "", None], [], ["  ", None]):
        with pytest.raises(InputError) as refused:
            slots_from_inputs(models, [])
        assert refused.value.key == "input_compare_slots"
    assert "at least two models" in refused.value.user_message("en")
    assert refused.value.user_message("zh") != refused.value.user_message("en")


def test_one_model_is_enough_for_several_answers_of_it():
    assert slots_from_inputs([QWEN, ""], [None], samples=3) == [Slot(QWEN)]
    with pytest.raises(InputError) as refused:
        slots_from_inputs(["", None], [], samples=3)
    assert refused.value.key == "input_compare_model"


def test_more_models_than_slots_is_refused():
    with pytest.raises(InputError) as refused:
        slots_from_inputs([QWEN, GLM, DEEPSEEK, QWEN, GLM], [])
    assert refused.value.key == "input_compare_too_many" and str(MAX_SLOTS) in refused.value.user_message("en")


@pytest.mark.parametrize("bad", ["hot", "2.5", -0.1, float("nan"), "1e9"])
def test_a_bad_temperature_names_its_slot(bad):
    with pytest.raises(InputError) as refused:
        slots_from_inputs([QWEN, GLM], [None, bad])
    assert refused.value.values["name"] == "compare-temperature-2"
    assert "compare-temperature-2" in refused.value.user_message("en")
    assert "compare-temperature-2" in refused.value.user_message("zh")


def test_parse_samples():
    assert [parse_samples(v) for v in (None, "", 1, "2", 3.0, MAX_SAMPLES)] == [1, 1, 1, 2, 3, MAX_SAMPLES]
    for bad in (0, 5, 2.5, "two", [], float("inf")):
        with pytest.raises(InputError) as refused:
            parse_samples(bad)
        assert refused.value.key == "input_compare_samples"


def test_slot_params_override_the_chats_temperature_and_add_n():
    base = Controls(temperature=0.7, max_tokens=100).to_params()
    assert slot_params(base, Slot(QWEN)) == base
    assert slot_params(base, Slot(QWEN, 0.2)) == {**base, "temperature": 0.2}
    assert slot_params(base, Slot(QWEN, 1.3), n=3) == {**base, "temperature": 1.3, "n": 3}
    assert "n" not in slot_params(base, Slot(QWEN), n=1)
    assert base["temperature"] == 0.7  # the chat's own fields are not changed


def test_pane_titles_and_names_for_slots_and_samples():
    slots = [Slot(QWEN, 0.2), Slot(GLM)]
    assert pane_titles(slots, 1, "en") == ["Qwen/Qwen3-8B · temperature 0.2", GLM]
    assert pane_titles(slots[1:], 2, "en") == [f"{GLM} · answer 1", f"{GLM} · answer 2"]
    assert pane_names(slots, 1) == [slots[0].name, GLM]
    assert pane_names(slots[1:], 3) == [GLM] * 3


# --- results ----------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def streamed_turn(*, ttft: float = 0.5, tokens: int = 11, seconds: float = 2.0, usage: Usage | None = None,
                  reason: str | None = "stop", reasoning: bool = False) -> Turn:
    """A Turn fed the way a stream feeds it (its reply takes the content, it the timing)."""
    clock = Clock()
    turn = Turn([], "en", clock=clock)

    def feed(event):
        turn.reply.apply(event)
        turn.apply(event)

    clock.now += ttft
    if reasoning:
        feed(ReasoningDelta("hmm "))
    for _ in range(tokens):
        feed(TextDelta("word "))
        clock.now += seconds / max(tokens - 1, 1)
    clock.now -= seconds / max(tokens - 1, 1)
    if usage is not None:
        feed(UsageUpdate(usage))
    if reason:
        feed(Finished(reason))
    clock.now += 0.25
    turn.finish()
    return turn


def test_a_stats_row_has_the_servers_token_counts_and_the_times():
    turn = streamed_turn(ttft=0.5, tokens=11, seconds=2.0, usage=Usage(12, 41, 53, 20))
    title, ttft, tps, prompt, completion, reasoning, total, finish, cost = stats_row("A", turn)
    assert (title, ttft, prompt, completion, reasoning, finish) == ("A", 0.5, 12, 41, 20, "stop")
    assert cost is None  # no price given: unknown
    assert tps == 10.0  # (41 - 20) answer tokens from the usage, the first one starting the clock: 20 in 2 s
    assert total == 2.75
    assert len(stats_row("A", turn)) == len(STATS_HEADER_KEYS)


def test_without_usage_the_token_columns_are_empty_not_counted():
    row = stats_row("A", streamed_turn(usage=None))
    assert row[3:6] == [None, None, None]


def test_a_pane_that_never_answered():
    clock = Clock()
    turn = Turn([], "en", clock=clock)
    clock.now += 1.234
    turn.fail(RateLimitError("rate limited", status=429))
    assert stats_row("A", turn) == ["A", None, None, None, None, None, 1.23, "error", None]
    stopped = Turn([], "zh", clock=clock)
    stopped.stopped = True
    stopped.finish()
    assert stats_row("B", stopped)[7] == STRINGS["zh"]["status_stopped"]


def test_several_answers_of_one_request_show_its_total_and_their_own_speed():
    usage = Usage(10, 40, 50)  # the request's: two answers of 20 tokens each
    turns = [streamed_turn(tokens=21, seconds=2.0, usage=usage), streamed_turn(tokens=11, seconds=2.0, usage=usage)]
    for turn in turns:
        turn.usage_shared = True
    rows = stats_rows(["1", "2"], turns)
    assert [row[4] for row in rows] == [40, 40]
    assert [row[2] for row in rows] == [10.0, 5.0]  # each answer's own deltas, not the request's 40 tokens


def test_stats_rows_need_a_title_per_turn():
    with pytest.raises(ValueError):
        stats_rows(["only one"], [streamed_turn(), streamed_turn()])




def test_chart_labels_leave_the_organisation_off_unless_two_would_look_alike():
    assert chart_labels(["Qwen/Qwen3-8B", "Pro/deepseek-ai/DeepSeek-R1", "plain-model"]) == [
        "Qwen3-8B", "DeepSeek-R1", "plain-model"]
    assert chart_labels(["Qwen/Qwen3-8B · temperature 0.2", "A · Qwen/Qwen3-8B"]) == [
        "Qwen3-8B · temperature 0.2", "A · Qwen3-8B"]
    # Two panes of models that differ only by organisation keep their full ids: one bar each.
    assert chart_labels(["Qwen/Qwen3-8B", "Pro/Qwen/Qwen3-8B"]) == ["Qwen/Qwen3-8B", "Pro/Qwen/Qwen3-8B"]
    assert chart_labels(["Model A", "Model B"]) == ["Model A", "Model B"]


def test_chart_points_keep_the_panes_order_and_skip_missing_figures():
    rows = [["zeta/Z-1", 0.5, 12.0], ["alpha/A-1", None, 30.0], ["mid/M-1", 0.25, None]]
    assert chart_points(rows, 1) == [("Z-1", 0.5), ("M-1", 0.25)]
    assert chart_points(rows, 2) == [("Z-1", 12.0), ("A-1", 30.0)]


def test_headers_come_from_the_catalogue_in_both_languages():
    for keys in (STATS_HEADER_KEYS, TALLY_HEADER_KEYS):
        assert all(key in STRINGS["en"] and key in STRINGS["zh"] for key in keys)
    assert stats_header("en")[1] == STRINGS["en"]["compare_col_ttft"]
    assert tally_header("zh")[-1] == STRINGS["zh"]["compare_tally_win_rate"]


# --- blind mode -------------------------------------------------------------------------------


def test_blind_order_is_a_random_permutation():
    rng = random.Random(7)
    orders = {tuple(blind_order(4, rng)) for _ in range(200)}
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert len(orders) > 12  # not always the same order
    assert blind_order(0, rng) == [] and blind_order(1, rng) == [0]
    assert blind_labels([2, 0, 1]) == ["C", "A", "B"] and LETTERS == "ABCD"
    with pytest.raises(ValueError):
        blind_order(5, rng)


# --- the tally --------------------------------------------------------------------------------


def test_a_vote_for_a_pane_is_a_win_for_it_and_a_loss_for_the_others():
    tally = record_vote({}, [QWEN, GLM, DEEPSEEK], 1)
    assert tally == {QWEN: {"wins": 0, "ties": 0, "losses": 1}, GLM: {"wins": 1, "ties": 0, "losses": 0},
                     DEEPSEEK: {"wins": 0, "ties": 0, "losses": 1}}
    tally = record_vote(tally, [QWEN, GLM], "tie")
    assert tally[QWEN]["ties"] == tally[GLM]["ties"] == 1 and tally[DEEPSEEK]["ties"] == 0
    tally = record_vote(tally, [QWEN, DEEPSEEK], "bad")
    assert tally[QWEN]["losses"] == 2 and tally[DEEPSEEK]["losses"] == 2 and tally[GLM]["losses"] == 0


def test_record_vote_returns_a_new_tally_of_plain_json_data():
    old = record_vote({}, [QWEN, GLM], 0)
    before = json.dumps(old, sort_keys=True)
    new = record_vote(old, [QWEN, GLM], 0)
    assert json.dumps(old, sort_keys=True) == before and new is not old
    assert json.loads(json.dumps(new)) == new and new[QWEN]["wins"] == 2


def test_one_name_in_two_panes_counts_once_and_never_loses_to_itself():
    hot, cold = Slot(QWEN, 1.3).name, Slot(QWEN, 0.2).name
    assert record_vote({}, [hot, cold], 0) == {hot: {"wins": 1, "ties": 0, "losses": 0},
                                               cold: {"wins": 0, "ties": 0, "losses": 1}}
    tally = record_vote({}, [QWEN, QWEN, GLM], 1)  # the same name twice: one win, not a win and a loss
    assert tally == {QWEN: {"wins": 1, "ties": 0, "losses": 0}, GLM: {"wins": 0, "ties": 0, "losses": 1}}
    tally = record_vote({}, [QWEN, QWEN, GLM], "bad")
    assert tally[QWEN]["losses"] == 1
    # Every pane one model (its several answers): no contest, nothing changes.
    assert record_vote({GLM: {"wins": 1, "ties": 0, "losses": 0}}, [QWEN, QWEN, QWEN], 2) == {
        GLM: {"wins": 1, "ties": 0, "losses": 0}}


@pytest.mark.parametrize("vote", [3, -1, "best", None, True, 1.0])
def test_an_impossible_vote_is_an_error(vote):
    with pytest.raises(ValueError):
        record_vote({}, [QWEN, GLM, DEEPSEEK], vote)


def test_tally_rows_sort_by_win_rate_then_votes():
    tally = {
        "a": {"wins": 1, "ties": 0, "losses": 1},  # 50%, 2 votes
        "b": {"wins": 2, "ties": 1, "losses": 0},  # 67%
        "c": {"wins": 2, "ties": 0, "losses": 2},  # 50%, 4 votes
        "d": {"wins": 0, "ties": 0, "losses": 0},  # no votes
    }
    assert tally_rows(tally) == [["b", 2, 1, 0, "67%"], ["c", 2, 0, 2, "50%"], ["a", 1, 0, 1, "50%"],
                                 ["d", 0, 0, 0, "–"]]
    assert len(tally_rows(tally)[0]) == len(TALLY_HEADER_KEYS)


@pytest.mark.parametrize("junk", [None, "tally", 3, [], [["a", 1]], {"": {"wins": 1}}, {"a": "wins"},
                                  {"a": {"wins": -1}}, {"a": {"wins": "1"}}, {"a": {"wins": True}},
                                  {"a": {"wins": 1.5}}, {"a": {"wins": 10**12}}, {"a" * 1000: {"wins": 1}},
                                  {1: {"wins": 1}}, {"a": None}])
def test_a_malformed_tally_from_the_browser_is_dropped_not_an_error(junk):
    assert clean_tally(junk) == {}
    assert tally_rows(junk) == []
    assert record_vote(junk, [QWEN, GLM], 0)[QWEN]["wins"] == 1


def test_clean_tally_keeps_the_good_entries_and_fills_missing_counts():
    tally = {QWEN: {"wins": 3, "extra": "ignored"}, GLM: {"wins": "x"}, DEEPSEEK: {"wins": 1, "ties": 2, "losses": 0}}
    assert clean_tally(tally) == {QWEN: {"wins": 3, "ties": 0, "losses": 0},
                                  DEEPSEEK: {"wins": 1, "ties": 2, "losses": 0}}
    huge = {f"model-{i}": {"wins": 1} for i in range(5000)}
    assert len(clean_tally(huge)) <= 200
