"""Alternatives (sfui/alternatives.py): what Retry and Edit replace is kept; switching shows a
branch with its later turns; the next question continues the branch shown; saved, exported and
read back exactly, with each answer's record following its answer; old files read as before."""

from __future__ import annotations

import copy
import json

import pytest

from sfui import alternatives as alt
from sfui import conversation_files as files
from sfui import conversation_format as fmt
from sfui import conversations as conv
from sfui.alternatives import REPLIES, VERSIONS, Focus
from sfui.chat import api_messages, edit_history

NOW = 1_764_410_000.0


def q(text: str) -> dict:
    return {"role": "user", "content": text}


def a(text: str) -> dict:
    return {"role": "assistant", "content": text}


def texts(history: list) -> list[str]:
    return [m["content"] for m in history]


def answered(history: list, text: str) -> list:
    """A new answer streamed after ``history`` (which ends with its question)."""
    return [*history, a(text)]


def three_answers() -> list:
    """One question, its answer and two Retries: the third answer shown."""
    history = [q("Why?"), a("Answer 1")]
    history = answered(alt.retried(history), "Answer 2")
    return answered(alt.retried(history), "Answer 3")


def record(index: int, model: str, cost: float | None = None) -> dict:
    """An answer's saved record, as fmt.answer_record makes it."""
    return fmt.check_answer({"message_index": index, "model": model, "params": {"temperature": 0.5},
                             "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
                             "cost": None if cost is None else {"amount": cost, "currency": "¥"},
                             "status": "done"}, index + 1)


def saved(history: list, answers: list | None = None, before: dict | None = None) -> dict:
    """The conversation saved after the page showed ``history``; ``answers``: the records of
    the answers just given (replacing any at the same index), as after_answer adds them."""
    conversation = before or fmt.new_conversation(NOW, lambda: "c1")
    conversation = fmt.with_messages(conversation, history, NOW)
    if answers:
        indexes = {r["message_index"] for r in answers}
        kept = [r for r in conversation["answers"] if r["message_index"] not in indexes]
        conversation = fmt.with_changes(conversation, NOW, answers=[*kept, *answers])
    return conversation


# --- Retry and Edit keep what they replace ------------------------------------------------------


def test_two_retries_keep_every_answer_and_show_the_newest():
    history = three_answers()
    assert texts(history) == ["Why?", "Answer 3"]
    assert alt.forks(history) == [alt.Fork(0, REPLIES, 2, 3)]
    # The request is the branch shown, and nothing of the alternatives.
    assert api_messages(history) == [{"role": "user", "content": "Why?"}, {"role": "assistant", "content": "Answer 3"}]


def test_switching_shows_each_answer_and_comes_back():
    history = three_answers()
    fork = alt.latest_fork(history)
    first = alt.switch(history, fork, 0)
    assert texts(first) == ["Why?", "Answer 1"] and alt.latest_fork(first) == alt.Fork(0, REPLIES, 0, 3)
    second = alt.switch(first, alt.latest_fork(first), 1)
    assert texts(second) == ["Why?", "Answer 2"] and alt.latest_fork(second).shown == 1
    back = alt.switch(second, alt.latest_fork(second), 2)
    assert back == history
    # Out of range, or the one shown: nothing changes.
    assert alt.switch(history, fork, 2) == history and alt.switch(history, fork, 3) == history


def test_retry_of_an_answer_keeps_the_later_turns_with_it():
    history = [q("One"), a("First"), q("Two"), a("Second")]
    retried = alt.retried(history, 1)
    assert texts(retried) == ["One"]
    branch = answered(retried, "First again")
    shown_old = alt.switch(branch, alt.latest_fork(branch), 0)
    assert texts(shown_old) == ["One", "First", "Two", "Second"]


def test_an_edit_keeps_the_old_wording_with_its_answers_and_their_alternatives():
    history = answered(alt.retried([q("Hello"), a("Hi 1")]), "Hi 2")  # the first answer retried
    history = [*history, q("Tell a joke"), a("Joke")]
    edited = alt.edited(history, 2, edit_history(history, 2, "Tell a poem"))
    assert texts(edited) == ["Hello", "Hi 2", "Tell a poem"]
    poem = answered(edited, "Poem")
    assert [(f.position, f.kind, f.shown, f.count) for f in alt.forks(poem)] == [(0, REPLIES, 1, 2),
                                                                                 (2, VERSIONS, 1, 2)]
    old = alt.switch(poem, alt.fork_at(poem, 2, VERSIONS), 0)
    assert texts(old) == ["Hello", "Hi 2", "Tell a joke", "Joke"]
    # An edit of the first question keeps the whole conversation, its alternatives included.
    again = answered(alt.edited(poem, 0, edit_history(poem, 0, "Bonjour")), "Salut")
    assert texts(again) == ["Bonjour", "Salut"]
    before = alt.switch(again, alt.fork_at(again, 0, VERSIONS), 0)
    assert before[1:] == poem[1:] and {k: v for k, v in before[0].items() if k != VERSIONS} == poem[0]
    assert alt.forks(before)[0] == alt.Fork(0, VERSIONS, 0, 2)


def test_the_edited_question_carries_the_wordings_and_the_old_one_its_own_answers():
    history = answered(alt.retried([q("Hi"), a("A1")]), "A2")
    edited = answered(alt.edited(history, 0, edit_history(history, 0, "Hey")), "B1")
    assert REPLIES not in edited[0] and VERSIONS in edited[0]
    kept = edited[0][VERSIONS][0]["messages"]
    assert VERSIONS not in kept[0] and kept[0][REPLIES] == [{"messages": [a("A1")]}, None]
    # A second edit adds a third wording; switching between them keeps each one's answers.
    third = answered(alt.edited(edited, 0, edit_history(edited, 0, "Yo")), "C1")
    assert alt.fork_at(third, 0, VERSIONS) == alt.Fork(0, VERSIONS, 2, 3)
    first = alt.switch(third, alt.fork_at(third, 0, VERSIONS), 0)
    assert texts(first) == ["Hi", "A2"] and alt.fork_at(first, 0, REPLIES) == alt.Fork(0, REPLIES, 1, 2)
    assert texts(alt.switch(first, alt.fork_at(first, 0, VERSIONS), 1)) == ["Hey", "B1"]


def test_the_next_question_continues_the_branch_shown():
    history = alt.switch(three_answers(), alt.Fork(0, REPLIES, 2, 3), 0)
    history = [*history, q("And then?"), a("Then this")]
    assert api_messages(history)[1]["content"] == "Answer 1"
    assert alt.latest_fork(history) == alt.Fork(0, REPLIES, 0, 3)
    # Away and back: the follow-up is part of the first answer's branch.
    away = alt.switch(history, alt.latest_fork(history), 2)
    assert texts(away) == ["Why?", "Answer 3"]
    assert alt.switch(away, alt.latest_fork(away), 0) == history


def test_nothing_to_keep_leaves_the_conversation_as_before_alternatives():
    assert alt.retried([q("Waiting")]) == [q("Waiting")]
    assert alt.retried([a("Hello, I am a model")]) == [a("Hello, I am a model")]
    assert alt.edited([q("x")], 5, []) == []


def test_an_answer_stopped_before_its_first_word_is_not_kept_when_switching_away():
    history = [q("Q"), a("A1")]
    stopped = alt.retried(history)  # the new answer never came
    assert alt.latest_fork(stopped) == alt.Fork(0, REPLIES, 1, 2)
    back = alt.switch(stopped, alt.latest_fork(stopped), 0)
    assert back == history and alt.forks(back) == []


def test_inputs_are_never_changed():
    history = three_answers()
    frozen = copy.deepcopy(history)
    alt.switch(history, alt.latest_fork(history), 0)
    alt.retried(history)
    alt.edited(history, 0, edit_history(history, 0, "new"))
    assert history == frozen


def test_past_the_depth_limit_an_edit_no_longer_keeps():
    turns = alt.MAX_DEPTH + 3
    history = [m for n in range(turns) for m in (q(f"Q{n}"), a(f"A{n}"))]
    depths = []
    for n in range(turns - 1, -1, -1):  # each edit of an earlier question puts the last one's away, one deeper
        history = answered(alt.edited(history, 2 * n, edit_history(history, 2 * n, f"Q{n}'")), f"A{n}'")
        depths.append(alt.depth(history))
    # The edit that would have nested past MAX_DEPTH kept nothing; the next ones keep again.
    assert depths == [*range(1, alt.MAX_DEPTH + 1), 0, 1, 2]
    fmt.check_conversation({**fmt.new_conversation(NOW), "messages": history})  # still a valid conversation


# --- which place the bar shows ---------------------------------------------------------------


def test_a_click_on_a_message_names_its_place_and_a_focus_holds_only_on_its_conversation():
    history = answered(alt.retried([q("Q1"), a("A1")]), "A2")
    history = [*history, q("Q2"), a("B1")]
    history = answered(alt.edited(history, 2, edit_history(history, 2, "Q2'")), "B2")
    assert alt.fork_of_message(history, 1) == alt.Fork(0, REPLIES, 1, 2)  # an answer: its question's replies
    assert alt.fork_of_message(history, 2) == alt.Fork(2, VERSIONS, 1, 2)  # an edited question
    assert alt.fork_of_message(history, 3) is None  # the answer of an edited question, never retried
    assert alt.fork_of_message(history, 9) is None and alt.fork_of_message(history, True) is None
    assert alt.focused_fork(history, None) == alt.Fork(2, VERSIONS, 1, 2)  # the lowest place
    focus = Focus.on(history, alt.Fork(0, REPLIES, 1, 2))
    assert alt.focused_fork(history, focus) == alt.Fork(0, REPLIES, 1, 2)
    assert alt.focused_fork([*history, q("Q3")], focus) == alt.Fork(2, VERSIONS, 1, 2)  # another conversation


# --- saved, exported and read back ------------------------------------------------------------


def test_records_follow_their_answers_through_retries_and_switches():
    conversation = saved([q("Why?"), a("Answer 1")], [record(1, "m1", 0.001)])
    history = answered(alt.retried(conversation["messages"]), "Answer 2")
    conversation = saved(history, [record(1, "m2", 0.002)], conversation)
    history = answered(alt.retried(history), "Answer 3")
    conversation = saved(history, [record(1, "m3", 0.004)], conversation)
    assert [r["model"] for r in conversation["answers"]] == ["m3"]
    assert fmt.total_cost(conversation) == {"¥": pytest.approx(0.007)}  # every answer was paid for
    for shown, model in ((0, "m1"), (1, "m2"), (2, "m3"), (0, "m1")):
        history = alt.switch(history, alt.latest_fork(history), shown)
        conversation = saved(history, before=conversation)
        assert [(r["message_index"], r["model"]) for r in conversation["answers"]] == [(1, model)]
        kept = [entry["answers"][0]["model"] for entry in conversation["messages"][0][REPLIES] if entry]
        assert sorted([*kept, model]) == ["m1", "m2", "m3"]
    assert fmt.total_cost(conversation) == {"¥": pytest.approx(0.007)}


def test_records_of_an_edited_branch_and_its_nested_alternatives_are_kept():
    conversation = saved([q("Hi"), a("A1")], [record(1, "m1")])
    history = answered(alt.retried(conversation["messages"]), "A2")
    conversation = saved(history, [record(1, "m2")], conversation)
    history = [*history, q("More"), a("B")]
    conversation = saved(history, [record(3, "m3")], conversation)
    history = answered(alt.edited(history, 0, edit_history(history, 0, "Hey")), "C")
    conversation = saved(history, [record(1, "m4")], conversation)
    old = conversation["messages"][0][VERSIONS][0]
    assert [(r["message_index"], r["model"]) for r in old["answers"]] == [(1, "m2"), (3, "m3")]
    assert old["messages"][0][REPLIES][0]["answers"][0]["model"] == "m1"
    # Shown again: the records come back to the conversation's own list.
    back = saved(alt.switch(history, alt.fork_at(history, 0, VERSIONS), 0), before=conversation)
    assert [(r["message_index"], r["model"]) for r in back["answers"]] == [(1, "m2"), (3, "m3")]
    assert back["messages"][0][REPLIES][0]["answers"][0]["model"] == "m1"


def test_a_conversation_with_alternatives_is_stored_exported_and_imported_exactly():
    history = answered(alt.retried([q("你好 🌈"), a("第一个")]), "第二个")
    history = answered(alt.edited([*history, q("<b>x</b>"), a("y")], 2,
                                  edit_history([*history, q("<b>x</b>"), a("y")], 2, "z")), "w")
    conversation = saved(history, [record(3, "m")])
    store, dropped = conv.load_store(json.loads(json.dumps(conv.save(conv.empty_store(), conversation))))
    assert dropped == 0 and conv.get(store, "c1") == conversation
    exported = files.to_json(conversation)
    assert "第一个" in exported and "<b>x</b>" in exported  # the JSON keeps every branch
    assert files.from_json(exported) == conversation
    markdown = files.to_markdown(conversation, "en")
    assert "第二个" in markdown and "第一个" not in markdown and "<b>x</b>" not in markdown  # the branch shown


def test_an_old_conversation_without_alternatives_reads_and_saves_as_before():
    old = {"sfui": "conversation", "version": 1, "id": "old", "title": "t", "created": NOW, "updated": NOW,
           "messages": [q("Q"), a("A")], "answers": [record(1, "m")], "panels": {"reasoning": "", "usage": ""}}
    conversation = files.from_json(json.dumps(old))
    assert conversation["messages"] == [q("Q"), a("A")] and conversation["answers"] == [record(1, "m")]
    assert fmt.SCHEMA_VERSION == 1  # alternatives are optional keys: the format's version stays
    again = saved([q("Q"), a("A"), q("Q2"), a("A2")], before=conversation)
    assert again["answers"] == [record(1, "m")]


@pytest.mark.parametrize("replies", [
    [None, None],  # two shown
    [{"messages": [a("x")]}],  # nothing shown
    [None],  # a place with nothing else
    [None, {"messages": "x"}],
    [None, {"messages": [a("x")], "answers": [{"message_index": 5}]}],  # a record past its branch
    "nope",
])
def test_malformed_alternatives_are_refused(replies):
    with pytest.raises(fmt.Malformed):
        fmt.check_conversation({**fmt.new_conversation(NOW), "messages": [{**q("Q"), REPLIES: replies}, a("A")]})


def test_alternatives_only_on_questions_and_a_kept_wording_starts_with_its_question():
    with pytest.raises(fmt.Malformed):
        fmt.check_conversation({**fmt.new_conversation(NOW),
                                "messages": [q("Q"), {**a("A"), REPLIES: [None, {"messages": [a("B")]}]}]})
    with pytest.raises(fmt.Malformed):
        fmt.check_conversation({**fmt.new_conversation(NOW),
                                "messages": [{**q("Q"), VERSIONS: [{"messages": [a("not a question")]}, None]}]})


def test_too_deep_a_file_is_refused_and_every_kept_message_counts_toward_the_limit():
    nested: dict = q("Q")
    for _ in range(alt.MAX_DEPTH + 1):
        nested = {**q("Q"), VERSIONS: [{"messages": [nested]}, None]}
    document = {"sfui": "conversation", "version": 1, "id": "deep", "created": NOW, "updated": NOW,
                "messages": [nested]}
    with pytest.raises(files.InputError) as refused:
        files.from_json(json.dumps(document))
    assert refused.value.key == "input_import_field"
    wide = [{**q("Q"), REPLIES: [*({"messages": [a("x")] * 40} for _ in range(alt.MAX_ALTERNATIVES - 1)), None]},
            a("A")]
    with pytest.raises(files.InputError) as refused:
        files.from_json(json.dumps({**document, "messages": wide}))
    assert refused.value.key == "input_import_too_many"
