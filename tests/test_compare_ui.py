"""sfui.ui.compare_handlers: what the Compare tab's streaming step sends the page in its
frames, and where its events show progress. No server: the frames are built directly."""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr
import pytest

from sfui.api.events import Finished, Reply, TextDelta
from sfui.chat import Turn, append_user
from sfui.chat_window import AnswerWindow
from sfui.compare import MAX_SLOTS, Slot
from sfui.compare_round import CompareRound, PaneView
from sfui.runs import RunRegistry
from sfui.ui.compare_handlers import CompareHandlers
from sfui.ui.compare_tab import render_compare_area

QUESTION = [{"role": "user", "content": "hi"}]
ASKING = "Asking 3 models"


@pytest.fixture(scope="module")
def area():
    with gr.Blocks():
        return render_compare_area(["Qwen/Qwen3-8B"], ["Qwen/Qwen3-8B", "THUDM/GLM-4-9B-0414", None, None])


@pytest.fixture
def handlers(area):
    return CompareHandlers(SimpleNamespace(runs=RunRegistry(), currency="¥"), area)


def a_round(count: int, blind: bool = False, view: PaneView | None = None) -> CompareRound:
    titles = tuple(f"model-{i}" for i in range(count))
    return CompareRound(tuple(Slot(title) for title in titles), 1, titles, titles, tuple("ABCD"[:count]), blind,
                        view=view or PaneView())


def windows(round_: CompareRound) -> list[AnswerWindow]:
    return [AnswerWindow(start) for start in round_.view.starts]


def first_frame(handlers, turns: list, round_: CompareRound):
    return handlers._first_frame(turns, round_, windows(round_), ASKING, "en")


def is_update(value) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


def split(frame: tuple) -> tuple[list, list, tuple]:
    """(the panes, the columns, the rest) of a frame."""
    return list(frame[:MAX_SLOTS]), list(frame[MAX_SLOTS:2 * MAX_SLOTS]), frame[2 * MAX_SLOTS:]


def test_the_first_frame_labels_and_shows_the_panes_of_a_page_it_knows_nothing_of(handlers):
    frame, round_ = first_frame(handlers, [Turn(QUESTION) for _ in range(3)], a_round(3))
    panes, columns, rest = split(frame)
    assert [p["label"] for p in panes[:3]] == ["model-0", "model-1", "model-2"]
    assert all(p["value"][0]["role"] == "user" for p in panes[:3])
    assert panes[3] == []  # hidden and emptied: a plain value
    assert [c.get("visible") for c in columns] == [True, True, True, False]
    assert rest[0] == ASKING and rest[1] == round_.to_state()
    assert CompareRound.from_state(rest[1]) == round_
    assert round_.view.to_state() == {"labels": ["model-0", "model-1", "model-2", None],
                              "visible": [True, True, True, False], "from": [0, 0, 0, 0]}


def test_the_first_frame_of_a_follow_up_sends_no_labels_and_no_visibility(handlers):
    """A label or visibility update makes Gradio build a new component (a Chatbot: several
    ms) and the page copy the component's whole value: only what changed is sent."""
    turns = [Turn(QUESTION) for _ in range(3)]
    _, first = first_frame(handlers, turns, a_round(3))
    frame, again = first_frame(handlers, turns, first)
    panes, columns, _ = split(frame)
    assert not any(is_update(p) for p in panes), panes
    assert all(isinstance(p, list) for p in panes)
    assert all(c == gr.skip() for c in columns), columns
    assert again.view == first.view


def test_fewer_panes_hide_only_the_columns_that_were_shown(handlers):
    turns = [Turn(QUESTION) for _ in range(3)]
    _, first = first_frame(handlers, turns, a_round(3))
    frame, second = first_frame(handlers, turns[:2], a_round(2, view=first.view))
    panes, columns, _ = split(frame)
    assert not any(is_update(p) for p in panes[:2]) and panes[2:] == [[], []]
    assert [c == gr.skip() for c in columns] == [True, True, False, True]
    assert columns[2].get("visible") is False
    # Pane 3 keeps the label it had: it is hidden, not relabelled.
    assert second.view.to_state() == {"labels": ["model-0", "model-1", "model-2", None],
                              "visible": [True, True, False, False], "from": [0, 0, 0, 0]}


def test_a_vote_relabels_the_panes_and_the_next_round_knows_it(handlers):
    turns = [Turn(QUESTION) for _ in range(2)]
    _, blind = first_frame(handlers, turns, a_round(2, blind=True))
    assert blind.view.labels[:2] == ("Model A", "Model B")
    request = SimpleNamespace(headers={"accept-language": "en"}, session_hash="s")
    _, _, voted, *labels_and_status = handlers.vote(0, request, blind.to_state(), {})
    assert voted["view"]["labels"][:2] == ["A · model-0", "B · model-1"]
    frame, _ = first_frame(handlers, turns, CompareRound.from_state(voted))
    panes, _, _ = split(frame)
    assert not any(is_update(p) for p in panes[:2])


def test_frames_send_the_hidden_panes_and_the_status_what_they_already_show(handlers):
    """Not gr.skip(): Gradio builds a component for each skip in every frame. The same value
    as the first frame's is sent as nothing at all (Gradio diffs a stream's frames)."""
    turns = [Turn(QUESTION) for _ in range(3)]
    frame = handlers._frame(turns, windows(a_round(3)), ASKING)
    panes, _, rest = split(frame)
    assert all(isinstance(p, list) for p in panes) and panes[3] == []
    assert rest[0] == ASKING


def test_compare_events_show_progress_on_the_status_line_never_on_the_panes():
    """The page copies the whole value of every component that ever showed progress on
    each status message and frame of any event (Gradio's loading status): four chats."""
    from sfui.config import Settings
    from sfui.ui import build_demo

    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"] if c.get("props", {}).get("elem_id")}
    panes = {ids[f"compare-pane-{i}"] for i in range(1, MAX_SLOTS + 1)}
    touching = [d for d in config["dependencies"] if d.get("backend_fn") and panes & set(d["outputs"])]
    assert len(touching) >= 2 + 1 + MAX_SLOTS + 2  # Send (Enter, button), Clear, the votes
    streaming = [d for d in touching if d.get("queue") is not False]
    assert len(streaming) == 2 and all(d["show_progress"] == "minimal" for d in streaming)
    for dep in streaming:
        assert dep["show_progress_on"] == [ids["compare-status"]], dep
    # The quick steps (Clear, the votes, a shared link) show progress nowhere (sfui/ui/quiet_progress.py).
    for dep in touching:
        if dep not in streaming:
            assert dep["show_progress_on"] == [] and dep["show_progress"] == "hidden", dep


def _config_ids():
    from sfui.config import Settings
    from sfui.ui import build_demo

    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"] if c.get("props", {}).get("elem_id")}
    return config, ids


def test_the_streaming_step_takes_no_pane_and_leaves_the_results_to_the_step_after_it():
    """The page sends no pane's conversation (the round keeps them on the server), and the
    frames carry neither the stats table nor the charts (each skip of them made Gradio
    build them again in every frame): a step after the stream shows them."""
    config, ids = _config_ids()
    panes = {ids[f"compare-pane-{i}"] for i in range(1, MAX_SLOTS + 1)}
    results = {ids["compare-stats"], ids["compare-chart-ttft"], ids["compare-chart-speed"], ids["compare-chart-cost"]}
    streaming = [d for d in config["dependencies"]
                 if d.get("backend_fn") and d.get("queue") is not False and panes <= set(d["outputs"])]
    assert len(streaming) == 2  # Enter and the Send button
    for dep in streaming:
        assert not panes & set(dep["inputs"]), dep
        assert not results & set(dep["outputs"]), dep
    after = [d for d in config["dependencies"]
             if d.get("trigger_after") in {s["id"] for s in streaming} and results & set(d["outputs"])]
    assert len(after) == 2
    for dep in after:
        assert results <= set(dep["outputs"]) and ids["compare-input"] in dep["outputs"]  # a refused message too


def test_the_last_frame_keeps_each_panes_conversation_for_the_next_message(handlers):
    turns = [Turn(QUESTION) for _ in range(3)]
    for i, turn in enumerate(turns):
        turn.reply = Reply()
        for event in (TextDelta(f"answer {i}"), Finished("stop")):
            turn.reply.apply(event)
            turn.apply(event)
        turn.finish()
    frame = handlers._last_frame(turns, a_round(3), windows(a_round(3)), "en")
    panes, _, rest = split(frame)
    round_, after, refused = rest[1], rest[2], rest[3]
    assert round_["histories"] == panes[:3]
    assert [h[-1]["content"][0]["text"] for h in round_["histories"]] == ["answer 0", "answer 1", "answer 2"]
    assert len(after["rows"]) == 3 and after["lang"] == "en"
    # The step after it shows the table and the charts once, then has nothing left to show.
    assert is_update(refused)
    stats, ttft, speed, cost, box, left, refused_left = handlers.after(after, None)
    assert stats["data"] and ttft["__type__"] == "update" and is_update(box) and left is None
    assert is_update(refused_left)
    assert all(is_update(value) for value in handlers.after(None, None))


def test_a_refused_message_goes_back_by_the_step_after_the_stream(handlers):
    stats, ttft, speed, cost, box, left, refused = handlers.after(None, "keep this")
    assert box == "keep this" and refused is None and all(is_update(v) for v in (stats, ttft, speed, cost, left))


def test_a_message_refused_while_a_round_ends_goes_back_with_that_rounds_results(handlers):
    """Enter pressed while a round streams: the refusal and the round's results are in their
    own states, and the step after either event shows both."""
    after = {"rows": [[name, 0.1, 10.0, 1, 2, 0, 0.3, "stop", None] for name in ("A", "B")], "lang": "en"}
    stats, ttft, speed, cost, box, left, refused = handlers.after(after, "typed meanwhile")
    assert box == "typed meanwhile" and refused is None and left is None and stats["data"]


def test_a_follow_up_asks_with_the_rounds_conversations(handlers):
    """The panes' conversations come from the round (the page sends none): each slot's own."""
    round_ = a_round(2).replace(histories=tuple([{"role": "user", "content": "q"},
                                                {"role": "assistant", "content": f"a{i}"}] for i in range(2)))
    assert round_.kept_histories()[2:] == [[], []]
    assert a_round(2).kept_histories() == [[]] * 4
    assert CompareRound.from_state({**a_round(2).to_state(), "histories": "junk"}).kept_histories() == [[]] * 4
    plans = round_.requests("next", None, {})
    assert [[m["content"] for m in plan.messages] for plan in plans] == [["q", "a0", "next"], ["q", "a1", "next"]]


def answered(history: list, text: str) -> Turn:
    """A Turn after ``history`` whose answer ``text`` has ended."""
    turn = Turn(history)
    turn.reply = Reply()
    for event in (TextDelta(text), Finished("stop")):
        turn.reply.apply(event)
        turn.apply(event)
    turn.finish()
    return turn


def texts(pane: list) -> list[str]:
    return [m["content"][0]["text"] if isinstance(m["content"], list) else m["content"] for m in pane]


def test_long_comparisons_show_the_latest_turns_and_show_earlier_brings_back_the_rest(handlers, area):
    """The panes show the latest two questions of their conversations, as the chat does:
    while a round streams a pane keeps what it showed and gets the new turn; the last frame
    slides it; the round keeps the whole conversations; Show earlier puts them back."""
    histories = [[{"role": role, "content": f"{kind}{n}" + ("" if kind == "q" else f"-{i}")}
                  for n in (1, 2) for role, kind in (("user", "q"), ("assistant", "a"))] for i in range(2)]
    round_ = a_round(2, view=PaneView(("model-0", "model-1", None, None), (True, True, False, False))).replace(
        histories=tuple(histories))
    asked = [append_user(histories[i], "q3") for i in range(2)]
    panes_windows = windows(round_)
    frame, round_ = handlers._first_frame([Turn(h) for h in asked], round_, panes_windows, ASKING, "en")
    panes, _, rest = split(frame)
    assert [texts(p) for p in panes[:2]] == [["q1", "a1-0", "q2", "a2-0", "q3"], ["q1", "a1-1", "q2", "a2-1", "q3"]]
    assert not is_update(rest[4]) or rest[4].get("visible") is None  # the button as it was
    frame = handlers._last_frame([answered(h, f"a3-{i}") for i, h in enumerate(asked)], round_, panes_windows, "en")
    panes, _, rest = split(frame)
    round_, button = rest[1], rest[4]
    assert [texts(p) for p in panes[:2]] == [["q2", "a2-0", "q3", "a3-0"], ["q2", "a2-1", "q3", "a3-1"]]
    kept = CompareRound.from_state(round_).kept_histories()
    assert [texts(h)[0] for h in kept[:2]] == ["q1", "q1"]  # the whole conversations
    assert round_["view"]["from"] == [2, 2, 0, 0] and round_["view"]["labels"][:2] == ["model-0", "model-1"]
    assert button["visible"] is True and "1" in button["value"]
    # A vote keeps where the panes start; Show earlier puts every message back.
    voted = handlers.vote(0, SimpleNamespace(session_hash="s", headers={}), round_, {})[2]
    assert voted["view"]["from"] == [2, 2, 0, 0]
    *shown, round_, button = handlers.show_earlier(SimpleNamespace(session_hash="s", headers={}), round_)
    assert [texts(p)[0] for p in shown[:2]] == ["q1", "q1"] and len(shown[0]) == 6
    assert round_["view"]["from"] == [0, 0, 0, 0] and button["visible"] is False


def test_show_earlier_waits_while_a_round_streams(handlers):
    """Its frames are changes to what the panes show: replacing them meanwhile would garble them."""
    round_ = a_round(2).replace(histories=([{"role": "user", "content": "q"}],) * 2).to_state()
    with handlers.ctx.runs.track("busy:compare"):
        outputs = handlers.show_earlier(SimpleNamespace(session_hash="busy", headers={}), round_)
    assert all(is_update(value) and len(value) == 1 for value in outputs)  # gr.skip() everywhere
