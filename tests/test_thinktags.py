"""ThinkTagSplitter: inline <think>…</think> in content becomes reasoning."""

from __future__ import annotations

import pytest

from sfui.api.thinktags import ThinkTagSplitter

TEXT = "<think>\nLet me think.\nStill thinking.\n</think>\n\nThe answer is 4."
REASONING = "Let me think.\nStill thinking."
ANSWER = "The answer is 4."


def split(pieces: list[str]) -> tuple[str, str]:
    """(reasoning, answer) after feeding the pieces and flushing."""
    splitter = ThinkTagSplitter()
    out = [item for piece in pieces for item in splitter.feed(piece)] + splitter.flush()
    return "".join(t for r, t in out if r), "".join(t for r, t in out if not r)


def test_whole_text_in_one_piece():
    assert split([TEXT]) == (REASONING, ANSWER)


@pytest.mark.parametrize("cut", range(1, len(TEXT)))
def test_any_single_cut(cut):
    assert split([TEXT[:cut], TEXT[cut:]]) == (REASONING, ANSWER)


def test_character_by_character():
    assert split(list(TEXT)) == (REASONING, ANSWER)


def test_tags_split_like_the_fake_server_sends_them():
    assert split(["<thi", "nk>\n", "Hmm ", "ok.", "\n</th", "ink>\n\n", "Hi ", "there."]) == ("Hmm ok.", "Hi there.")


def test_leading_whitespace_before_the_open_tag_is_allowed():
    assert split(["  \n", "<think>x</think>", "y"]) == ("x", "y")


def test_no_tag_is_all_answer():
    assert split(["Plain ", "answer."]) == ("", "Plain answer.")


def test_a_tag_later_in_the_answer_is_not_reinterpreted():
    text = "Models write <think> and </think> tags."
    assert split([text[:14], text[14:]]) == ("", text)


def test_partial_open_tag_that_turns_out_not_to_be_one():
    assert split(["<th", "ese are words"]) == ("", "<these are words")


def test_partial_close_tag_that_turns_out_not_to_be_one_stays_reasoning():
    assert split(["<think>a </th", "ings> b", "</think>c"]) == ("a </things> b", "c")


def test_unclosed_think_is_reasoning_at_flush():
    assert split(["<think>\nnever closed </thi"]) == ("never closed </thi", "")


def test_reasoning_is_streamed_before_the_close_tag():
    # Thinking must show up while it streams, not only when </think> arrives.
    splitter = ThinkTagSplitter()
    assert splitter.feed("<think>") == []
    assert splitter.feed("step one, ") == [(True, "step one, ")]
    assert splitter.feed("step two") == [(True, "step two")]


def test_newlines_inside_reasoning_are_kept():
    assert split(["<think>a\n\n", "b\n", "</think>c"]) == ("a\n\nb", "c")
