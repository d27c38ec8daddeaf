"""The Compare tab's event handlers: the streaming step of Send, the step after it
(results table and charts), Stop, Clear, Show earlier, the votes and the tally.

The round is a :class:`~sfui.compare_round.CompareRound`, kept in the page's
session state (``to_state``/``from_state`` at the edges of each step); which
messages each pane shows while a round streams is one
:class:`~sfui.chat_window.AnswerWindow` per pane, as in the chat. This module turns
them into Gradio's outputs. A refusing step ends on a frame that changes nothing
(see sfui/ui/chat_handlers.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import tempfile
import time
import uuid
from collections.abc import Sequence
from contextlib import ExitStack, aclosing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
import pandas as pd

from .. import stores
from ..budget import Ask, Refusal, Spending, request_cost
from ..chat import FramePacer, Turn
from ..chat_window import AnswerWindow
from ..compare import (
    COST_COLUMN,
    MAX_SLOTS,
    SPEED_COLUMN,
    TTFT_COLUMN,
    chart_points,
    clean_tally,
    record_vote,
    stats_header,
    stats_rows,
    tally_header,
    tally_rows,
)
from ..compare_round import CompareRound, PaneView, plan_slots, refusal
from ..i18n import t
from ..params import Controls
from ..prices import YUAN
from ..streaming import QUESTION_GRACE, PaneSource, stream_panes
from ..vote_store import shared_votes_enabled
from ..votes import (
    Answer,
    add_record,
    clean_records,
    export_jsonl,
    leaderboard_rows,
    make_record,
    results_of,
    reveal,
    round_results,
    summary,
    vote_note,
    with_results,
)
from ..votes import chart_points as leaderboard_points
from ..votes import header as leaderboard_header
from .chat_handlers import FPS, earlier_button
from .common import AppContext, as_text, lang_of, unchanged
from .sessions import came_back

if TYPE_CHECKING:
    from .compare_tab import CompareArea

# How long the round's first answer text waits for the other panes' first tokens (once per
# round): requests sent at once answer a few ms apart, and the page renders frame after
# frame, so the slowest pane would wait for every earlier frame's rendering.
FIRST_TOKENS_TOGETHER = 0.03
# The streaming step's outputs: each pane, each pane's column, the status, the round, what
# the step after it shows, a refused message, the "show earlier" button.
STREAM_OUTPUTS = 2 * MAX_SLOTS + 5


def compare_session(request: gr.Request) -> str:
    # The compare tab's answers are registered apart from the chat's: each Stop ends its own tab's.
    return f"{request.session_hash}:compare"


class CompareHandlers:
    def __init__(self, ctx: AppContext, area: CompareArea, rng: random.Random | None = None) -> None:
        self.ctx = ctx
        self.area = area
        self.rng = rng or random.Random()
        # Everyone's votes, with SFUI_SHARED_VOTES (sfui/vote_store.py), beside the budgets' store.
        self.votes = stores.vote_store(ctx.settings) if shared_votes_enabled() else None

    # --- Send: the browser takes the message; the queued step checks, plans and streams ------

    async def stream(self, request: gr.Request, message, round_state, samples, blind, system_prompt,
                     controls: Controls, visitor_key, *slot_values):
        """The round's frames (STREAM_OUTPUTS). ``slot_values``: every slot's model, then
        every slot's temperature. Each pane's conversation is the round's (server-side): the
        page does not send the panes. Runs without Gradio's pre- and postprocessing, like
        the chat's streaming step; a refused message goes back into the box (by the step
        after this one, or by the step after the round still streaming, whichever runs
        first)."""
        models, temperatures = slot_values[:MAX_SLOTS], slot_values[MAX_SLOTS:2 * MAX_SLOTS]
        lang, message = lang_of(request), as_text(message) or ""
        problem = refusal(message, models, temperatures, samples, lang,
                          key_set=self.ctx.effective_key(visitor_key) is not None,
                          busy=self.ctx.runs.busy(compare_session(request)))
        # Idle past SFUI_SESSION_TTL: came_back's toast says so, and nothing is sent.
        expired = not problem and bool(message.strip()) and came_back(self.ctx, request.session_hash, lang)
        if problem or expired or not message.strip():
            if problem:
                gr.Warning(problem, duration=15)
            if problem or expired:
                yield (*unchanged(STREAM_OUTPUTS - 2), message, gr.skip())
            yield unchanged(STREAM_OUTPUTS)  # the last frame changes nothing: Gradio sends it again
            return
        round_ = self._plan_round(CompareRound.from_state(round_state), samples, blind, models, temperatures, lang)
        plans = round_.requests(message, as_text(system_prompt), controls.to_params())
        asks = [Ask(plan.model, plan.messages, plan.params, len(plan.histories)) for plan in plans]
        # The demo's limits, checked and held inside the step that spends the key; every
        # request of the round is held (each choice of n too); the round is one stream.
        spending = self.ctx.admit(visitor_key, self.ctx.visitor(request), asks, lang)
        if isinstance(spending, Refusal):
            gr.Warning(spending.reason, duration=20)
            yield (*unchanged(STREAM_OUTPUTS - 2), message, gr.skip())
            yield unchanged(STREAM_OUTPUTS)
            return
        with spending:
            async for frame in self._stream_round(round_, plans, asks, spending, visitor_key, request, lang):
                yield frame

    def _plan_round(self, previous: CompareRound | None, samples, blind, models, temperatures,
                    lang: str) -> CompareRound:
        """This message's round: the previous one when it has the same panes (a follow-up:
        each pane goes on with its own conversation), else a new one, which starts from
        what the page shows."""
        slots, n = plan_slots(models, temperatures, samples)
        new = CompareRound.new(slots, n, lang, bool(blind), self.rng)
        if previous is not None and new.follows(previous):
            return previous
        return new.replace(view=previous.view if previous is not None else PaneView())

    async def _stream_round(self, round_: CompareRound, plans: list, asks: list[Ask], spending: Spending,
                            visitor_key, request: gr.Request, lang: str):
        client = self.ctx.client_for(self.ctx.effective_key(visitor_key))
        asking = t(lang, "compare_requests", count=len(round_.slots))
        windows = [AnswerWindow(start) for start in round_.view.starts]
        ended: list[Turn] | None = None
        first = True
        # Registered before the first yield: nothing awaits between the busy check and here.
        with ExitStack() as stack:
            runs = [stack.enter_context(self.ctx.runs.track(compare_session(request))) for _ in plans]
            sources = [PaneSource(client.chat_stream(plan.model, plan.messages, **plan.params),
                                  [Turn(history, lang, charge=self.ctx.charge(plan.model))
                                   for history in plan.histories], run)
                       for plan, run in zip(plans, runs, strict=True)]
            pacer = FramePacer(FPS, streams=lambda: len(self.ctx.runs))
            # The requests leave first, then the panes show the question (sent=True): what
            # Gradio does with the first frame no longer delays them. With the first token,
            # if it comes within QUESTION_GRACE.
            try:
                async with aclosing(stream_panes(sources, pacer, sent=True, sent_grace=QUESTION_GRACE,
                                                  together=FIRST_TOKENS_TOGETHER)) as frames:
                    async for turns in frames:
                        if first:
                            first = False
                            frame, round_ = self._first_frame(turns, round_, windows, asking, lang)
                            yield frame
                        elif not all(turn.ended_at is not None for turn in turns):
                            yield self._frame(turns, windows, asking)
                        if all(turn.ended_at is not None for turn in turns):
                            # (also when every answer ended before the first frame: a fast answer
                            # within the question's grace; the results still follow). Settled
                            # before the last frame: the meter read after it sees the real cost.
                            spending.settle(self._round_cost(sources, asks))
                            ended = turns
                            break
            finally:
                spending.settle(self._round_cost(sources, asks))
        # The last frame goes out once this round's requests are no longer registered: a
        # vote cast as soon as the results show must not find the round still busy.
        if ended is not None:
            yield self._last_frame(ended, round_, windows, lang)
        elif first:
            yield unchanged(STREAM_OUTPUTS)  # cleared before any frame: nothing to show

    def _round_cost(self, sources: list[PaneSource], asks: list[Ask]) -> float | None:
        """What the round's requests cost (None: one has no price)."""
        costs = [request_cost(source.turns[0].charge, source.turns, ask) for source, ask in zip(sources, asks,
                                                                                               strict=True)]
        return None if any(cost is None for cost in costs) else sum(cost for cost in costs if cost is not None)

    def _first_frame(self, turns: list[Turn], round_: CompareRound, windows: list[AnswerWindow], asking: str,
                     lang: str) -> tuple[tuple, CompareRound]:
        """The round's panes labelled and shown (the others hidden and emptied), each with
        its question; and the round, with what the page now shows. Each pane keeps the
        messages it showed and gets the new turn (its AnswerWindow); the round's last frame
        slides it to the latest turns.

        A label or a column's visibility is sent only when it changes (``round_.view``: what
        the page shows, if known): every update of a property other than a value makes
        Gradio build a new component on the server (a Chatbot: several ms), and the page
        copy the component's whole value, its column's too (bench/ab_compare_first_token.py)."""
        names, count, view = round_.pane_names(lang), len(turns), round_.view
        panes: list = []
        for i, turn in enumerate(turns):
            value = self.area.panes[i].postprocess(windows[i].frame(turn.messages()).shown).model_dump()
            panes.append(value if view.labels[i] == names[i] else gr.update(label=names[i], value=value))
        panes += [[]] * (MAX_SLOTS - count)  # a plain value: nothing to build, and no change if already empty
        columns = [gr.skip() if view.visible[i] == (i < count) else gr.update(visible=i < count)
                   for i in range(MAX_SLOTS)]
        starts = [window.started or 0 for window in windows[:count]] + [0] * (MAX_SLOTS - count)
        round_ = round_.replace(view=PaneView((*names, *view.labels[count:]),
                                              tuple(i < count for i in range(MAX_SLOTS)), tuple(starts)))
        # The last round's results stay until this one's are in.
        return (*panes, *columns, asking, round_.to_state(), gr.skip(), gr.skip(), gr.skip()), round_

    def _frame(self, turns: list[Turn], windows: list[AnswerWindow], asking: str) -> tuple:
        """A frame while the round streams: every pane's chat. The hidden panes and the status
        get the very value the first frame sent them: Gradio then sends the page nothing for
        them, and builds no component for them, as it would for gr.skip() (a Chatbot: several
        ms per frame)."""
        panes = [self.area.panes[i].postprocess(windows[i].frame(turn.messages()).shown).model_dump()
                 for i, turn in enumerate(turns)]
        panes += [[]] * (MAX_SLOTS - len(turns))
        return (*panes, *[gr.skip()] * MAX_SLOTS, asking, gr.skip(), gr.skip(), gr.skip(), gr.skip())

    def _last_frame(self, turns: list[Turn], round_: CompareRound, windows: list[AnswerWindow], lang: str) -> tuple:
        """The round's last frame: each pane slid to its latest turns, each pane's whole
        conversation kept in the round (the next message's history), and the results table's
        rows handed to the step after this one: the stats table and the charts are no
        outputs of the frames (each gr.skip() of them made Gradio build those components
        again, every frame)."""
        chats = [turn.messages() for turn in turns]
        views = [windows[i].frame(chat, ended=True).view for i, chat in enumerate(chats)]
        shown = [view for view in views if view is not None]
        panes = [self.area.panes[i].postprocess(view.shown).model_dump() for i, view in enumerate(shown)]
        panes += [[]] * (MAX_SLOTS - len(turns))
        rows = stats_rows(round_.pane_names(lang), turns)
        starts = [view.hidden_messages for view in shown] + [0] * (MAX_SLOTS - len(turns))
        round_ = round_.replace(
            histories=tuple(self.area.panes[i].postprocess(chat).model_dump() for i, chat in enumerate(chats)),
            view=dataclasses.replace(round_.view, starts=tuple(starts)))
        most_hidden = max(shown, key=lambda view: view.hidden_questions)
        done = t(lang, "compare_done", count=len(round_.slots))
        after = {"rows": rows, "lang": lang, "currency": self.ctx.currency}
        # What a vote needs: each answer's figures, and whether one named its own model.
        texts = [f"{turn.reply.reasoning}\n{turn.reply.text}" for turn in turns]
        model_ids = [round_.slots[i // max(round_.samples, 1)].model for i in range(len(turns))]
        results = round_results(uuid.uuid4().hex, round_.names, model_ids, rows, texts,
                                (TTFT_COLUMN, SPEED_COLUMN, COST_COLUMN))
        return (*panes, *[gr.skip()] * MAX_SLOTS, done, with_results(round_.to_state(), results), after,
                gr.skip(), earlier_button(most_hidden, lang))

    def after(self, after, refused):
        """The step after a comparison: its results table and charts, and a refused
        message back into the box. Outputs: the stats, the three charts, the message box,
        then the two states, each emptied once shown."""
        area = self.area
        box, refused = (refused, None) if isinstance(refused, str) else (gr.skip(), gr.skip())
        if not isinstance(after, dict) or "rows" not in after:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), box, gr.skip(), refused
        rows, lang = after["rows"], after["lang"]
        header = stats_header(lang, after.get("currency") or YUAN)
        stats = area.stats.postprocess(pd.DataFrame(rows, columns=header)).model_dump()
        # The charts plot the table's own columns: first-token time, speed and cost.
        ttft, speed, cost = (chart_update(chart, chart_points(rows, column))
                             for chart, column in ((area.chart_ttft, TTFT_COLUMN), (area.chart_speed, SPEED_COLUMN),
                                                   (area.chart_cost, COST_COLUMN)))
        return stats, ttft, speed, cost, box, None, refused

    # --- Stop, Clear, Show earlier, votes and the tally ---------------------------------------

    async def stop(self, request: gr.Request) -> None:
        self.ctx.runs.stop(compare_session(request))

    async def clear(self, request: gr.Request):
        """Outputs: the round, each pane, the stats, the charts, the status, the "show earlier" button."""
        self.ctx.runs.stop(compare_session(request), discard=True)
        return None, *([[]] * MAX_SLOTS), None, None, None, None, "", gr.update(visible=False)

    def show_earlier(self, request: gr.Request, round_state):
        """Show earlier: every pane's whole conversation (as the round's last frame kept it).
        Not while a round streams: its frames are changes to what the panes show. Outputs:
        each pane, the round, the button."""
        round_ = CompareRound.from_state(round_state)
        if round_ is None or self.ctx.runs.busy(compare_session(request)):
            return (*unchanged(MAX_SLOTS), gr.skip(), gr.skip())
        histories = round_.kept_histories()
        panes = [histories[i] if i < round_.count else gr.skip() for i in range(MAX_SLOTS)]
        round_ = round_.replace(view=dataclasses.replace(round_.view, starts=(0,) * MAX_SLOTS))
        return (*panes, with_results(round_.to_state(), results_of(round_state)), gr.update(visible=False))

    def voter(self, vote: int | str):
        def cast_vote(request: gr.Request, round_state, tally, records):
            return self.vote(vote, request, round_state, tally, records)

        return cast_vote

    def vote(self, vote: int | str, request: gr.Request, round_state, tally, records=None):
        """Outputs: the stored tally, the tally table, the round, each pane's label, the status,
        the stored vote records. A blind vote on a round that ended is recorded for the
        leaderboard (counted or not: sfui/votes.py); the panes then show each answer's figures."""
        lang = lang_of(request)
        round_ = CompareRound.from_state(round_state)
        count = round_.count if round_ is not None else 0
        busy = self.ctx.runs.busy(compare_session(request))
        if round_ is None or not count or round_.voted or busy or (isinstance(vote, int) and vote >= count):
            gr.Warning(t(lang, "compare_nothing_to_vote"), duration=8)
            return gr.skip(), gr.skip(), gr.skip(), *unchanged(MAX_SLOTS), gr.skip(), gr.skip()
        tally = record_vote(clean_tally(tally), list(round_.names), vote)
        round_ = round_.replace(voted=True)
        results = results_of(round_state)
        answers = results["answers"] if results is not None and len(results["answers"]) == count else [None] * count
        names = [reveal(name, answer, lang, self.ctx.currency) if results is not None else name
                 for name, answer in zip(round_.pane_names(lang), answers, strict=True)]
        round_ = round_.replace(view=dataclasses.replace(round_.view, labels=(*names, *round_.view.labels[count:])))
        labels = [gr.update(label=names[i]) if i < count else gr.skip() for i in range(MAX_SLOTS)]
        picked = round_.pane_names(lang)[vote] if isinstance(vote, int) else t(lang, f"compare_vote_{vote}")
        status = t(lang, "compare_voted", choice=picked)
        stored: Any = gr.skip()
        if results is not None:
            record = make_record(results["id"], round_.names, vote, [Answer(**a) for a in answers if a],
                                 blind=round_.blind, named=results.get("named"), tstamp=time.time())
            stored = add_record(records, record)
            status = f"{status} {vote_note(record, lang)}{self._share(record, request, lang)}"
        return (tally, tally_frame(tally, lang), with_results(round_.to_state(), results), *labels, status, stored)

    def _share(self, record: dict, request: gr.Request, lang: str) -> str:
        """With SFUI_SHARED_VOTES, a counted vote also goes to everyone's leaderboard: "" or why not."""
        if self.votes is None or not record["counted"]:
            return ""
        if self.votes.add(record, self.ctx.guard.keys.counters(self.ctx.visitor(request))):
            return ""
        return " " + t(lang, "vote_not_counted_cap", cap=self.votes.cap)

    def show_leaderboard(self, request: gr.Request, records, scope):
        """Outputs: the leaderboard table, its chart, the summary line, the export's file."""
        lang, mine = lang_of(request), clean_records(records)
        shown = self.votes.records() if scope == "everyone" and self.votes is not None else mine
        rows = leaderboard_rows(shown, lang, self.ctx.currency)
        table = pd.DataFrame(rows, columns=leaderboard_header(lang, self.ctx.currency))
        # Numbers as numbers: a column of objects would make the chart's axes categories. No
        # points: None, not an empty table, after which Gradio 6.31's plot never draws a point.
        found = leaderboard_points(rows)
        points = pd.DataFrame(found, columns=["model", "cost", "score"]).astype(
            {"cost": float, "score": float}) if found else None
        return table, points, summary(shown, lang), export_file(export_jsonl(mine))

    def show_tally(self, request: gr.Request, tally):
        return tally_frame(clean_tally(tally), lang_of(request))

    def reset_tally(self, request: gr.Request):
        # An empty dict, not None: BrowserState never writes a falsy value like None.
        return {}, tally_frame({}, lang_of(request))


def export_file(text: str) -> str | None:
    """The export as a file for the download button (one folder per content: the same votes, the same
    file), or None when no vote counts."""
    if not text:
        return None
    folder = Path(tempfile.gettempdir()) / "sfui-votes" / hashlib.sha256(text.encode()).hexdigest()[:24]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sfui-votes.jsonl"
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return str(path)


def chart_update(chart: gr.BarPlot, points: Sequence[tuple[str, Any]]) -> dict:
    """A chart's bars in pane order: the plot draws categories in the order ``sort`` lists
    them (alphabetically without it), so it is given this round's labels."""
    value = chart.postprocess(pd.DataFrame(points, columns=["pane", "value"])).model_dump()
    return gr.update(value=value, sort=[label for label, _ in points])


def tally_frame(tally: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame(tally_rows(tally), columns=tally_header(lang))
