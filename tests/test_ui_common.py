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


def test_model_choices_in_the_config_carry_one_translatable_marker_per_label():
    from sfui.catalog import tags_key
    from sfui.ui.common import LABELS, model_choices, page_translations

    choices = dict((value, text) for text, value in model_choices(["Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-V3"]))
    assert choices["Qwen/Qwen3-8B"] == f"Qwen/Qwen3-8B · {LABELS(tags_key(('hybrid', 'free')))}"
    assert choices["Qwen/Qwen3-8B"].count("__i18n__") == 1  # Gradio replaces only the first marker
    assert choices["deepseek-ai/DeepSeek-V3"] == "deepseek-ai/DeepSeek-V3"  # no hints, no marker
    pages = page_translations()
    assert pages["zh-CN"][tags_key(("hybrid", "free"))] == "🧠 可选思考、免费"
    assert pages["en"][tags_key(("hybrid", "free"))] == "🧠 optional thinking, free"
    assert pages["zh-CN"]["label_model"] == pages["zh"]["label_model"]  # the page's own labels are still there


def test_model_choices_for_one_visitor_are_plain_text_in_their_language():
    from sfui.ui.common import model_choices

    assert model_choices(["Qwen/Qwen3-8B"], "my/custom", "zh") == [
        ("Qwen/Qwen3-8B · 🧠 可选思考、免费", "Qwen/Qwen3-8B"), ("my/custom", "my/custom")]
