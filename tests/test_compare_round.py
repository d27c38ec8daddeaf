"""sfui.compare_round: a Compare round as a typed object, its way in and out of the
session's state, the requests it makes and why a comparison is refused. Pure."""

from __future__ import annotations

import random

import pytest

from sfui.compare import MAX_SLOTS, Slot
from sfui.compare_round import CompareRound, PaneView, plan_slots, refusal
from sfui.i18n import t
from sfui.params import InputError

QWEN, GLM = "Qwen/Qwen3-8B", "THUDM/GLM-4-9B-0414"


def a_round(blind: bool = False, seed: int = 1) -> CompareRound:
    return CompareRound.new([Slot(QWEN), Slot(GLM, 0.2)], 1, "en", blind, random.Random(seed))


def test_a_round_survives_the_session_state_whole():
    round_ = a_round(blind=True).replace(
        voted=True, view=PaneView(("A", "B", None, None), (True, True, False, None), (2, 4, 0, 0)),
        histories=([{"role": "user", "content": "q"}], [{"role": "user", "content": "q"}]))
    state = round_.to_state()
    assert CompareRound.from_state(state) == round_
    assert state["slots"] == [[QWEN, None], [GLM, 0.2]] and state["view"]["from"] == [2, 4, 0, 0]


@pytest.mark.parametrize("junk", [None, "round", {}, {"slots": "x"}, {"slots": [[QWEN]], "titles": []}])
def test_anything_but_a_round_reads_as_none(junk):
    assert CompareRound.from_state(junk) is None


def test_a_damaged_view_reads_as_unknown():
    state = {**a_round().to_state(), "view": {"labels": ["x"], "visible": None, "from": [1, -3, True, "2"]}}
    view = CompareRound.from_state(state).view
    assert view.labels == (None,) * MAX_SLOTS and view.visible == (None,) * MAX_SLOTS
    assert view.starts == (1, 0, 0, 0)


def test_a_follow_up_has_the_same_panes_and_blindness():
    first = a_round()
    assert a_round().follows(first) and not a_round().follows(None)
    assert not a_round(blind=True).follows(first)
    three = CompareRound.new([Slot(QWEN), Slot(GLM), Slot("deepseek-ai/DeepSeek-V3")], 1, "en", False,
                             random.Random(1))
    assert not three.follows(first)


def test_blind_panes_are_letters_until_the_vote():
    round_ = a_round(blind=True, seed=3)
    assert sorted(round_.labels) == ["A", "B"]
    assert round_.pane_names("en") == [f"Model {letter}" for letter in round_.labels]
    voted = round_.replace(voted=True).pane_names("en")
    assert voted == [f"{letter} · {title}" for letter, title in zip(round_.labels, round_.titles, strict=True)]
    assert a_round().pane_names("en") == [QWEN, f"{GLM} · temperature 0.2"] == list(a_round().titles)


def test_samples_of_one_model_are_one_request_with_n():
    slots, n = plan_slots([QWEN, None, None, None], ["0.7", "", "", ""], 3)
    round_ = CompareRound.new(slots, n, "en", False, random.Random(1))
    assert round_.count == 3 and round_.names == (QWEN + " · temperature 0.7",) * 3
    (plan,) = round_.requests("hi", "Be brief.", {"max_tokens": 9})
    assert plan.params == {"max_tokens": 9, "temperature": 0.7, "n": 3} and len(plan.histories) == 3
    assert [m["role"] for m in plan.messages] == ["system", "user"]


def test_a_slot_per_request_with_its_own_temperature():
    plans = a_round().requests("hi", None, {"temperature": 0.9})
    assert [(p.model, p.params) for p in plans] == [(QWEN, {"temperature": 0.9}), (GLM, {"temperature": 0.2})]


def test_plan_slots_refuses_too_few_models():
    with pytest.raises(InputError):
        plan_slots([QWEN, None, None, None], ["", "", "", ""], 1)


def test_refusal_order_busy_then_input_then_key():
    models, temperatures = [QWEN, GLM, None, None], ["", "", "", ""]
    assert refusal("hi", models, temperatures, 1, "zh", key_set=True, busy=True) == t("zh", "busy_toast")
    assert "compare-temperature-1" in refusal("hi", models, ["5", "", "", ""], 1, "en", key_set=False, busy=False)
    assert refusal("hi", models, temperatures, 1, "en", key_set=False, busy=False) == t("en", "no_key_toast")
    assert refusal("hi", models, temperatures, 1, "en", key_set=True, busy=False) is None
