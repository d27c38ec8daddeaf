"""sfui.ui.common: what the panels share. The finished-answer memory is bounded."""

from __future__ import annotations

from sfui.ui.common import FinishedAnswer, FinishedAnswers


def answer(n: int) -> FinishedAnswer:
    return FinishedAnswer(turn=None, payload={"n": n})  # type: ignore[arg-type]


def test_an_answer_is_taken_once():
    answers = FinishedAnswers()
    answers.remember("s1", answer(1))
    assert answers.take("s1").payload == {"n": 1}
    assert answers.take("s1") is None


def test_the_newest_answer_of_a_session_wins():
    answers = FinishedAnswers()
    answers.remember("s1", answer(1))
    answers.remember("s1", answer(2))
    assert answers.take("s1").payload == {"n": 2}


def test_answers_nobody_takes_are_bounded_oldest_first():
    answers = FinishedAnswers(limit=3)
    for n in range(5):
        answers.remember(f"s{n}", answer(n))
    assert answers.take("s0") is None and answers.take("s1") is None
    assert [answers.take(f"s{n}").payload["n"] for n in (2, 3, 4)] == [2, 3, 4]
