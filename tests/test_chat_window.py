"""sfui.chat_window: which messages of a long conversation the chat pane shows,
and how the pane's value and indexes map back to the whole conversation."""

from __future__ import annotations

from sfui.chat_window import (
    SHOWN_QUESTIONS,
    AnswerWindow,
    PageConversation,
    answering_view,
    shown_from,
    view_of,
    whole_conversation,
    whole_view,
    window_start,
    without_sent_question,
)


def conversation(turns: int, thinking: bool = True) -> list[dict]:
    messages: list[dict] = []
    for i in range(1, turns + 1):
        messages.append({"role": "user", "content": f"q{i}"})
        if thinking:
            messages.append({"role": "assistant", "content": f"t{i}", "metadata": {"title": "Thought"}})
        messages.append({"role": "assistant", "content": f"a{i}"})
    return messages


def as_browser_sends(messages: list[dict]) -> list[dict]:
    """The chat's value as the page sends it back: text content as blocks."""
    return [{**m, "content": [{"type": "text", "text": m["content"]}]} for m in messages]


def test_a_short_conversation_is_shown_whole():
    for turns in range(SHOWN_QUESTIONS + 1):
        history = conversation(turns)
        view = view_of(history)
        assert view.shown == history and view.hidden_messages == 0 and view.hidden_questions == 0


def test_a_long_conversation_shows_its_latest_questions_with_their_answers():
    history = conversation(50)
    view = view_of(history)
    first = 50 - SHOWN_QUESTIONS + 1
    assert [m["content"] for m in view.shown if m["role"] == "user"] == [f"q{i}" for i in range(first, 51)]
    assert view.shown[0] == {"role": "user", "content": f"q{first}"}  # the window opens on a question
    assert view.shown == history[-3 * SHOWN_QUESTIONS:]
    assert view.hidden_messages == 3 * (first - 1) and view.hidden_questions == first - 1


def test_a_question_being_answered_counts_as_one_of_the_latest():
    history = [*conversation(10), {"role": "user", "content": "q11"}]
    view = view_of(history)
    assert [m["content"] for m in view.shown if m["role"] == "user"][-2:] == ["q10", "q11"]
    assert len(view.shown) == 3 * (SHOWN_QUESTIONS - 1) + 1
    assert window_start(history, 1) == len(history) - 1


def test_answers_without_a_question_before_them_stay_with_the_window():
    # An imported conversation may open with assistant messages: they are hidden with the first question.
    history = [{"role": "assistant", "content": "hello"}, *conversation(6, thinking=False)]
    view = view_of(history, questions=4)
    assert view.shown[0]["content"] == "q3" and view.hidden_questions == 2 and view.hidden_messages == 5


def test_show_earlier_shows_everything():
    history = conversation(9)
    assert whole_view(history).shown == history and whole_view(history).hidden_questions == 0


def test_the_kept_conversation_stands_behind_the_pane_when_the_pane_is_its_tail():
    whole = conversation(20)
    shown = as_browser_sends(view_of(whole).shown)
    assert whole_conversation(whole, shown) is not shown
    assert whole_conversation(whole, shown) == whole
    # "Show earlier": the pane holds everything.
    assert whole_conversation(whole, as_browser_sends(whole)) == whole


def test_an_edited_question_in_the_pane_still_matches():
    whole = conversation(8)
    shown = as_browser_sends(view_of(whole).shown)
    shown[3]["content"] = [{"type": "text", "text": "q6, edited"}]
    assert whole_conversation(whole, shown) == whole


def test_the_pane_is_the_truth_when_the_kept_copy_does_not_match():
    shown = as_browser_sends(conversation(3))
    # A session that lost its copy (a restarted server), or an API caller.
    assert whole_conversation(None, shown) == shown
    assert whole_conversation([], shown) == shown
    # A copy whose tail is not the pane (another conversation's shape).
    other = conversation(5, thinking=False)
    assert whole_conversation(other, shown) == shown
    # An empty pane is an empty conversation, whatever was kept.
    assert whole_conversation(conversation(5), []) == []


def test_a_pane_index_becomes_an_index_of_the_whole_conversation():
    whole = conversation(30)
    shown = view_of(whole).shown
    hidden = len(whole) - len(shown)
    page = PageConversation.of(whole, as_browser_sends(shown))
    assert page.whole == whole and page.shown_from == hidden
    for index in range(len(shown)):
        assert whole[page.whole_index(index)] == shown[index]
    assert page.whole_index(None) is None and page.whole_index(True) is True
    assert PageConversation.of(whole, whole).whole_index(5) == 5
    assert page.whole_index(0) == hidden


def test_while_an_answer_streams_the_chat_keeps_what_it_showed():
    before = conversation(49)
    shown = view_of(before).shown
    keep_from = shown_from(before, shown)
    asked = [*before, {"role": "user", "content": "q50"}]
    view = answering_view(asked, keep_from)
    # The messages shown stay where they were (the browser need not draw them again); the question follows.
    assert view.shown[: len(shown)] == shown and view.shown[-1]["content"] == "q50"
    assert view.hidden_messages == keep_from and view.hidden_questions == 49 - SHOWN_QUESTIONS
    # Once it has ended, the window slides to the latest questions.
    after = view_of([*asked, {"role": "assistant", "content": "a50"}])
    assert [m["content"] for m in after.shown if m["role"] == "user"][-1] == "q50"
    assert after.hidden_questions == 50 - SHOWN_QUESTIONS


def test_while_an_answer_streams_the_latest_questions_are_shown_at_least():
    whole = conversation(12)
    # "Show earlier" showed everything: it stays so.
    assert answering_view(whole, 0).shown == whole
    # A chat said to show less than the latest questions still shows them.
    assert answering_view(whole, len(whole)).shown == view_of(whole).shown
    # After an Undo or an Edit shortened the conversation below what was shown.
    assert answering_view(conversation(1), 30).shown == conversation(1)


def test_the_answer_window_keeps_its_start_until_the_last_frame_slides_it():
    before = conversation(20)
    page = PageConversation.of(before, view_of(before).shown)
    window = AnswerWindow(page.shown_from)
    asked = [*before, {"role": "user", "content": "q21"}]
    first = window.frame(asked)
    assert first.shown == asked[page.shown_from:] and first.view is not None
    assert first.view.hidden_questions == 20 - SHOWN_QUESTIONS
    answering = [*asked, {"role": "assistant", "content": "a2"}]
    middle = window.frame(answering)
    assert middle.shown == answering[page.shown_from:] and middle.view is None  # the button stays as it is
    answered = [*asked, {"role": "assistant", "content": "a21"}]
    last = window.frame(answered, ended=True)
    assert last.shown == view_of(answered).shown and last.view == view_of(answered)
    assert window.started == last.view.hidden_messages > page.shown_from


# --- the question the page's Send showed itself -------------------------------------------------


def page_question(text: str, pictures: int = 0) -> dict:
    """The question as the page's Send puts it in the chat (sfui/ui/send_step.py)."""
    content = [{"type": "text", "text": text}] if text.strip() else []
    content += [{"type": "file", "file": {"path": f"/tmp/gradio/p{i}.png"}} for i in range(pictures)]
    return {"role": "user", "metadata": None, "content": content, "options": None}


def test_the_question_the_page_showed_is_taken_off_the_pane():
    before = as_browser_sends(conversation(2))
    for text in ("Why is the sky blue?", "天空为什么是蓝色的？"):
        assert without_sent_question([*before, page_question(text)], text) == (before, True)


def test_a_question_with_pictures_is_told_by_its_text_and_how_many_pictures():
    before = as_browser_sends(conversation(1))
    assert without_sent_question([*before, page_question("look", 2)], "look", 2) == (before, True)
    assert without_sent_question([*before, page_question("", 1)], "", 1) == (before, True)
    assert without_sent_question([*before, page_question("look", 1)], "look", 2)[1] is False


def test_a_pane_without_the_question_comes_back_whole():
    """An example prompt's Send: the page did not show its question first."""
    before = as_browser_sends(conversation(2))
    assert without_sent_question(before, "q2") == (before, False)  # the last message is an answer
    assert without_sent_question([*before, page_question("other")], "mine") == ([*before, page_question("other")],
                                                                                False)
    assert without_sent_question([], "hello") == ([], False)
    assert without_sent_question(None, None) == ([], False)
