"""The Compare tab: one question to 2–4 models (or n samples of one model) at
once, side by side, with a results table, a chart and a blind vote.

Send is a chain like the chat's: a quick step takes the message, checks it and
labels the panes (names, or A–D in blind mode); then one queued step streams
every pane in each frame, paced by one frame budget (a slow model never holds
back a fast one: each request has its own reader). The visitor's tally of
votes lives in the browser (gr.BrowserState), never on the server.
"""

from __future__ import annotations

import random
from contextlib import ExitStack, aclosing
from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from .. import compare as logic
from ..chat import FramePacer, Turn, api_messages, append_user, check_message
from ..chat_window import answering_view, view_of
from ..i18n import t
from ..params import Controls, InputError
from ..streaming import QUESTION_GRACE, PaneSource, stream_panes
from .chat_pane import FPS, LATEX, TAKE_MESSAGE_JS, earlier_button
from .common import AppContext, as_text, label, lang_of, unchanged
from .fields import with_request_fields

SAMPLE_CHOICES = [1, 2, 3, 4]
# How long the round's first answer text waits for the other panes' first tokens (once per
# round): requests sent at once answer a few ms apart, and the page renders frame after
# frame, so the slowest pane would wait for every earlier frame's rendering.
FIRST_TOKENS_TOGETHER = 0.03
# The tally's place in the browser's localStorage. Fixed, so a restart of the
# server does not make the stored tally unreadable. Not a secret: the tally
# holds no more than model names and counts.
TALLY_STORAGE_KEY = "sfui-compare-tally"
TALLY_SECRET = "sfui-compare-tally-v1"


@dataclass
class CompareArea:
    models: list[gr.Dropdown]
    temperatures: list[gr.Textbox]
    samples: gr.Radio
    blind: gr.Checkbox
    columns: list[gr.Column]  # each pane with its vote button: shown only when the round uses it
    panes: list[gr.Chatbot]
    votes: list[gr.Button]
    vote_tie: gr.Button
    vote_bad: gr.Button
    user_input: gr.Textbox
    pending_message: gr.Textbox
    send_btn: gr.Button
    stop_btn: gr.Button
    clear_btn: gr.Button
    status: gr.Markdown
    stats: gr.Dataframe
    chart_ttft: gr.BarPlot
    chart_speed: gr.BarPlot
    tally_view: gr.Dataframe
    tally_reset: gr.Button
    tally_store: gr.BrowserState
    # "Show the N earlier questions and answers": the panes show the latest turns of their
    # conversations (sfui.chat_window), as the chat does.
    show_earlier_btn: gr.Button
    # This round's slots, pane titles, labels, blind flag, whether it was voted on, the panes'
    # view (labels, columns shown, where each pane's shown messages start) and, once it has
    # ended, each pane's whole conversation (what a follow-up sends).
    round: gr.State
    # What the step after a comparison shows: the results table's rows. The streaming step
    # leaves them to it.
    after: gr.State
    # A refused message, for the step after its event to put back into the box. Its own state:
    # a message refused while a round streams must not share one with that round's results.
    refused: gr.State


def _render_slots(model_choices: list, default_models: list[str | None]) -> tuple[list, list]:
    models, temperatures = [], []
    for row in range(0, logic.MAX_SLOTS, 2):
        with gr.Row(equal_height=False):
            for i in (row, row + 1):
                models.append(gr.Dropdown(
                    choices=model_choices, value=default_models[i], label=label(f"label_compare_slot_{i + 1}"),
                    info=label("help_compare_model"), allow_custom_value=True, filterable=True,
                    elem_id=f"compare-model-{i + 1}", scale=3,
                ))
                temperatures.append(gr.Textbox(
                    value="", label=label("label_compare_temperature"), info=label("help_compare_temperature"),
                    scale=1, min_width=90,
                    placeholder=label("label_compare_temperature_hint"), elem_id=f"compare-temperature-{i + 1}",
                ))
    return models, temperatures


def _render_panes(shown: int) -> tuple[list, list, list]:
    """Every pane with its vote button, in a column of its own; the first ``shown`` visible."""
    columns, panes, votes = [], [], []
    with gr.Row(equal_height=True):
        for i in range(logic.MAX_SLOTS):
            with gr.Column(min_width=200, visible=i < shown) as column:
                columns.append(column)
                panes.append(gr.Chatbot(
                    label=label(f"label_compare_slot_{i + 1}"), height=420, latex_delimiters=LATEX,
                    sanitize_html=True, buttons=["copy"], elem_id=f"compare-pane-{i + 1}",
                ))
                votes.append(gr.Button(label("label_compare_vote_best"), size="sm", elem_id=f"vote-{i + 1}"))
    return columns, panes, votes


def _render_results() -> tuple:
    stats = gr.Dataframe(label=label("label_compare_stats"), interactive=False, wrap=True, elem_id="compare-stats")
    with gr.Row(elem_id="compare-chart"):
        # From 0: a bar's height is then its value (an automatic axis may start at the smallest bar).
        chart_ttft = gr.BarPlot(x="pane", y="value", label=label("label_compare_chart_ttft"), sort=None,
                                y_lim=[0, None], elem_id="compare-chart-ttft")
        chart_speed = gr.BarPlot(x="pane", y="value", label=label("label_compare_chart_speed"), sort=None,
                                 y_lim=[0, None], elem_id="compare-chart-speed")
    return stats, chart_ttft, chart_speed


def render_compare_area(model_choices: list, default_models: list[str | None]) -> CompareArea:
    models, temperatures = _render_slots(model_choices, default_models)
    with gr.Row():
        samples = gr.Radio(SAMPLE_CHOICES, value=1, label=label("label_compare_samples"),
                           info=label("help_compare_samples"), elem_id="compare-n")
        blind = gr.Checkbox(False, label=label("label_compare_blind"), info=label("help_compare_blind"),
                            elem_id="compare-blind")
    show_earlier_btn = gr.Button(label("label_show_earlier"), visible=False, size="sm",
                                 elem_id="compare-show-earlier-btn")
    columns, panes, votes = _render_panes(sum(1 for model in default_models if model))
    with gr.Row():
        vote_tie = gr.Button(label("label_compare_vote_tie"), size="sm", elem_id="vote-tie")
        vote_bad = gr.Button(label("label_compare_vote_bad"), size="sm", elem_id="vote-bad")
    with gr.Row():
        user_input = gr.Textbox(show_label=False, placeholder=label("label_compare_placeholder"), lines=1,
                                max_lines=8, scale=8, elem_id="compare-input")
        with gr.Column(scale=1, min_width=110):
            send_btn = gr.Button(label("label_send"), variant="primary", elem_id="compare-send-btn")
            stop_btn = gr.Button(label("label_stop"), variant="stop", elem_id="compare-stop-btn")
            clear_btn = gr.Button(label("label_clear"), elem_id="compare-clear-btn")
    pending_message = gr.Textbox(visible=False, elem_id="compare-pending-message")
    status = gr.Markdown(elem_id="compare-status")
    stats, chart_ttft, chart_speed = _render_results()
    with gr.Accordion(label("label_compare_tally"), open=False):
        tally_view = gr.Dataframe(interactive=False, elem_id="compare-tally")
        tally_reset = gr.Button(label("label_compare_tally_reset"), size="sm", elem_id="compare-tally-reset")
    tally_store = gr.BrowserState({}, storage_key=TALLY_STORAGE_KEY, secret=TALLY_SECRET)
    return CompareArea(models, temperatures, samples, blind, columns, panes, votes, vote_tie, vote_bad, user_input,
                       pending_message, send_btn, stop_btn, clear_btn, status, stats, chart_ttft, chart_speed,
                       tally_view, tally_reset, tally_store, show_earlier_btn, gr.State(None), gr.State(None),
                       gr.State(None))


def _compare_session(request: gr.Request) -> str:
    # The compare tab's answers are registered apart from the chat's: each Stop ends its own tab's.
    return f"{request.session_hash}:compare"


def _plan(models: list, temperatures: list, samples: Any) -> tuple[list[logic.Slot], int]:
    """The slots to ask and how many answers each: 2–4 models once, or with
    ``samples`` > 1 the first filled slot's model that many times in one request."""
    n = logic.parse_samples(samples)
    slots = logic.slots_from_inputs(models, temperatures, samples=n)
    return (slots[:1], n) if n > 1 else (slots, 1)


class CompareHandlers:
    def __init__(self, ctx: AppContext, area: CompareArea, rng: random.Random | None = None) -> None:
        self.ctx = ctx
        self.area = area
        self.rng = rng or random.Random()

    # --- Send: the browser takes the message; the queued step checks, plans and streams ------

    def _plan_round(self, round_, message: str, samples, blind, models, temperatures, lang: str) -> tuple[dict, bool]:
        """This message's round and whether it is a follow-up (the same panes as the last
        round: each pane goes on with its own conversation)."""
        slots, n = _plan(list(models), list(temperatures), samples)
        titles = logic.pane_titles(slots, n, lang)
        if bool(round_) and round_.get("titles") == titles and round_.get("blind") == bool(blind):
            return round_, True
        return self._new_round(slots, n, titles, bool(blind)), False

    def _refusal(self, message, models, temperatures, samples, visitor_key, request) -> str | None:
        lang = lang_of(request)
        if self.ctx.runs.busy(_compare_session(request)):
            return t(lang, "busy_toast")
        try:
            check_message(message)
            _plan(models, temperatures, samples)
        except InputError as exc:
            return exc.user_message(lang)
        if not self.ctx.effective_key(visitor_key):
            return t(lang, "no_key_toast")
        return None

    def _new_round(self, slots: list, n: int, titles: list[str], blind: bool) -> dict:
        """What the next frames and the votes need to know of this round (plain JSON: a gr.State)."""
        order = logic.blind_order(len(titles), self.rng) if blind else list(range(len(titles)))
        return {
            "slots": [[slot.model, slot.temperature] for slot in slots],
            "samples": n,
            "titles": titles,
            "names": logic.pane_names(slots, n),  # the tally's names: the same in every language
            "labels": logic.blind_labels(order),
            "blind": blind,
            "voted": False,
        }

    async def stream(self, request: gr.Request, message, round_, samples, blind, system_prompt, controls: Controls,
                     visitor_key, *slot_values):
        """Frames of (each pane, each pane's column, status, the round, what the step after
        it shows, a refused message, the "show earlier" button). ``slot_values``: every
        slot's model, then every slot's temperature. Each pane's conversation is the
        round's (server-side): the page does not send the panes.
        Runs without Gradio's pre- and postprocessing, like the chat's streaming step; a
        refused message goes back into the box (by the step after this one, or by the step
        after the round still streaming, whichever runs first)."""
        k = logic.MAX_SLOTS
        models, temperatures = slot_values[:k], slot_values[k:2 * k]
        lang, message = lang_of(request), as_text(message) or ""
        problem = self._refusal(message, list(models), list(temperatures), samples, visitor_key, request)
        if problem or not message.strip():
            if problem:
                gr.Warning(problem, duration=15)
            yield (*unchanged(2 * k + 3), message if problem else gr.skip(), gr.skip())
            return
        view = _view_of(round_)
        round_, follow_up = self._plan_round(round_, message, samples, blind, models, temperatures, lang)
        histories = kept_histories(round_ if follow_up else None)
        client = self.ctx.client_for(self.ctx.effective_key(visitor_key))
        sources_plan = self._sources(round_, histories, message, as_text(system_prompt), controls.to_params())
        asking = t(lang, "compare_requests", count=len(round_["slots"]))
        # Registered before the first yield: nothing awaits between the busy check and here.
        with ExitStack() as stack:
            runs = [stack.enter_context(self.ctx.runs.track(_compare_session(request))) for _ in sources_plan]
            sources = [PaneSource(client.chat_stream(model, messages, **params), [Turn(h, lang) for h in hs], run)
                       for (model, messages, params, hs), run in zip(sources_plan, runs, strict=True)]
            ended, first = None, True
            pacer = FramePacer(FPS, streams=lambda: len(self.ctx.runs))
            # The requests leave first, then the panes show the question (sent=True): what
            # Gradio does with the first frame no longer delays them. With the first token,
            # if it comes within QUESTION_GRACE.
            async with aclosing(stream_panes(sources, pacer, sent=True, sent_grace=QUESTION_GRACE,
                                              together=FIRST_TOKENS_TOGETHER)) as frames:
                async for turns in frames:
                    if first:
                        first = False
                        frame, round_ = self._first_frame(turns, round_, view, asking, lang)
                        yield frame
                        if all(turn.ended_at is not None for turn in turns):
                            # Every answer ended before the first frame (a fast answer within the
                            # question's grace): the results still follow.
                            ended = turns
                            break
                    elif all(turn.ended_at is not None for turn in turns):
                        ended = turns
                        break
                    else:
                        yield self._frame(turns, round_, lang, asking, final=False)
        # The last frame goes out once this round's requests are no longer registered: a
        # vote cast as soon as the results show must not find the round still busy.
        if ended is not None:
            yield self._frame(ended, round_, lang, asking, final=True)

    def _first_frame(self, turns: list[Turn], round_: dict, view: dict | None, asking: str,
                     lang: str) -> tuple[tuple, dict]:
        """The round's panes labelled and shown (the others hidden and emptied), each with
        its question; and the round, with what the page now shows. A pane keeps the
        messages it showed and gets the new turn (sfui.chat_window.answering_view: moving
        the first message shown makes the page draw every message again); the round's last
        frame slides it to the latest turns.

        A label or a column's visibility is sent only when it changes (``view``: what the
        page shows, if known): every update of a property other than a value makes Gradio
        build a new component on the server (a Chatbot: several ms), and the page copy the
        component's whole value, its column's too (bench/ab_compare_first_token.py)."""
        k, names, count = logic.MAX_SLOTS, pane_names(round_, lang), len(turns)
        labels, visible = _shown(view)
        kept_from, starts = _shown_from(view), [0] * k
        panes: list = []
        for i, turn in enumerate(turns):
            shown = answering_view(turn.messages(), kept_from[i])
            starts[i] = shown.hidden_messages
            value = self.area.panes[i].postprocess(shown.shown).model_dump()
            panes.append(value if labels[i] == names[i] else gr.update(label=names[i], value=value))
        panes += [[]] * (k - count)  # a plain value: nothing to build, and no change if already empty
        columns = [gr.skip() if visible[i] == (i < count) else gr.update(visible=i < count) for i in range(k)]
        round_ = {**round_, "view": {"labels": names + labels[count:], "visible": [i < count for i in range(k)],
                                     "from": starts}}
        # The last round's results stay until this one's are in.
        return (*panes, *columns, asking, round_, gr.skip(), gr.skip(), gr.skip()), round_

    def _sources(self, round_: dict, histories: list, message: str, system: str | None, base: dict) -> list:
        """(model, API messages, params, pane histories) per request: one per slot, or
        one request with ``n`` for samples of one model (the first pane's conversation)."""
        slots = [logic.Slot(model, temperature) for model, temperature in round_["slots"]]
        n = round_["samples"]
        if n > 1:
            # One request for n answers: the first pane's conversation is the one sent.
            asked = [append_user(histories[i], message) for i in range(n)]
            params = logic.slot_params(base, slots[0], n=n)
            return [(slots[0].model, api_messages(asked[0], system), params, asked)]
        plans = []
        for slot, history in zip(slots, histories, strict=False):
            asked = append_user(history, message)
            plans.append((slot.model, api_messages(asked, system), logic.slot_params(base, slot), [asked]))
        return plans

    def _frame(self, turns: list[Turn], round_: dict, lang: str, asking: str, final: bool) -> tuple:
        """One frame: every pane's chat. The hidden panes and the status get the very value
        the first frame sent them: Gradio then sends the page nothing for them, and builds
        no component for them, as it would for gr.skip() (a Chatbot: several ms per frame).
        The last frame slides each pane to its latest turns (the round's first frame kept
        what they showed), keeps each pane's whole conversation in the round (the next
        message's history) and hands the results table's rows to the step after this one:
        the stats table and the charts are no outputs of the frames (each gr.skip() of them
        made Gradio build those components again, every frame)."""
        area, k = self.area, logic.MAX_SLOTS
        chats = [turn.messages() for turn in turns]
        if not final:
            starts = _shown_from(_view_of(round_))
            panes = [area.panes[i].postprocess(chat[starts[i]:]).model_dump() for i, chat in enumerate(chats)]
            panes += [[]] * (k - len(turns))
            return (*panes, *[gr.skip()] * k, asking, gr.skip(), gr.skip(), gr.skip(), gr.skip())
        views = [view_of(chat) for chat in chats]
        panes = [area.panes[i].postprocess(view.shown).model_dump() for i, view in enumerate(views)]
        panes += [[]] * (k - len(turns))
        rows = logic.stats_rows(pane_names(round_, lang), turns)
        done = t(lang, "compare_done", count=len(round_["slots"]))
        starts = [view.hidden_messages for view in views] + [0] * (k - len(turns))
        round_ = {**round_, "histories": [area.panes[i].postprocess(chat).model_dump() for i, chat in enumerate(chats)],
                  "view": {**(_view_of(round_) or {}), "from": starts}}
        most_hidden = max(views, key=lambda view: view.hidden_questions)
        return (*panes, *[gr.skip()] * k, done, round_, {"rows": rows, "lang": lang}, gr.skip(),
                earlier_button(most_hidden, lang))

    def after(self, after, refused):
        """The step after a comparison: its results table and charts, and a refused
        message back into the box. Outputs: the stats, the two charts, the message box,
        then the two states, each emptied once shown."""
        area = self.area
        box, refused = (refused, None) if isinstance(refused, str) else (gr.skip(), gr.skip())
        if not isinstance(after, dict) or "rows" not in after:
            return gr.skip(), gr.skip(), gr.skip(), box, gr.skip(), refused
        rows, lang = after["rows"], after["lang"]
        stats = area.stats.postprocess(pd.DataFrame(rows, columns=logic.stats_header(lang))).model_dump()
        # The charts plot the table's own columns: first-token time and speed.
        ttft, speed = (_chart_update(chart, logic.chart_points(rows, column))
                       for chart, column in ((area.chart_ttft, 1), (area.chart_speed, 2)))
        return stats, ttft, speed, box, None, refused


    # --- Stop, Clear, votes and the tally -----------------------------------------------------

    async def stop(self, request: gr.Request) -> None:
        self.ctx.runs.stop(_compare_session(request))

    async def clear(self, request: gr.Request):
        """Outputs: the round, each pane, the stats, the charts, the status, the "show earlier" button."""
        self.ctx.runs.stop(_compare_session(request), discard=True)
        return None, *([[]] * logic.MAX_SLOTS), None, None, None, "", gr.update(visible=False)

    def show_earlier(self, request: gr.Request, round_):
        """Show earlier: every pane's whole conversation (as the round's last frame kept it).
        Not while a round streams: its frames are changes to what the panes show. Outputs:
        each pane, the round, the button."""
        k = logic.MAX_SLOTS
        if not isinstance(round_, dict) or self.ctx.runs.busy(_compare_session(request)):
            return (*unchanged(k), gr.skip(), gr.skip())
        histories, count = kept_histories(round_), len(round_.get("titles") or [])
        panes = [histories[i] if i < count else gr.skip() for i in range(k)]
        round_ = {**round_, "view": {**(_view_of(round_) or {}), "from": [0] * k}}
        return (*panes, round_, gr.update(visible=False))

    def voter(self, vote: int | str):
        def cast_vote(request: gr.Request, round_, tally):
            return self.vote(vote, request, round_, tally)

        return cast_vote

    def vote(self, vote: int | str, request: gr.Request, round_, tally):
        """Outputs: the stored tally, the tally table, the round, each pane's label, the status."""
        lang = lang_of(request)
        count = len(round_["titles"]) if round_ else 0
        done = count and not round_["voted"] and not self.ctx.runs.busy(_compare_session(request))
        if not done or (isinstance(vote, int) and vote >= count):
            gr.Warning(t(lang, "compare_nothing_to_vote"), duration=8)
            return gr.skip(), gr.skip(), gr.skip(), *unchanged(logic.MAX_SLOTS), gr.skip()
        tally = logic.record_vote(logic.clean_tally(tally), round_["names"], vote)
        names = pane_names({**round_, "voted": True}, lang)
        shown_labels, visible = _shown(round_.get("view"))
        view = {**(_view_of(round_) or {}), "labels": names + shown_labels[count:], "visible": visible}
        round_ = {**round_, "voted": True, "view": view}
        labels = [gr.update(label=names[i]) if i < count else gr.skip() for i in range(logic.MAX_SLOTS)]
        picked = names[vote] if isinstance(vote, int) else t(lang, f"compare_vote_{vote}")
        return tally, tally_frame(tally, lang), round_, *labels, t(lang, "compare_voted", choice=picked)

    def show_tally(self, request: gr.Request, tally):
        return tally_frame(logic.clean_tally(tally), lang_of(request))

    def reset_tally(self, request: gr.Request):
        # An empty dict, not None: BrowserState never writes a falsy value like None.
        return {}, tally_frame({}, lang_of(request))


def kept_histories(round_) -> list[list]:
    """Each pane's conversation as the round's last frame left it (empty for a new round, or
    before any frame ended a round): what a follow-up sends. The page does not send them."""
    kept = round_.get("histories") if isinstance(round_, dict) else None
    histories = [list(h) if isinstance(h, list) else [] for h in kept] if isinstance(kept, list) else []
    return (histories + [[]] * logic.MAX_SLOTS)[:logic.MAX_SLOTS]


def _view_of(round_) -> dict | None:
    return round_.get("view") if isinstance(round_, dict) else None


def _shown(view: dict | None) -> tuple[list, list]:
    """What the page shows, as far as this session knows: each pane's label and whether
    its column is visible (None where not known: after a reload or Clear)."""
    k = logic.MAX_SLOTS
    labels, visible = (view or {}).get("labels"), (view or {}).get("visible")
    return (list(labels) if isinstance(labels, list) and len(labels) == k else [None] * k,
            list(visible) if isinstance(visible, list) and len(visible) == k else [None] * k)


def _shown_from(view: dict | None) -> list[int]:
    """Where each pane's shown messages start in its conversation (0 where not known: the
    pane then keeps every message it has until the round's last frame)."""
    k = logic.MAX_SLOTS
    starts = (view or {}).get("from")
    if not isinstance(starts, list) or len(starts) != k:
        return [0] * k
    return [s if isinstance(s, int) and not isinstance(s, bool) and s >= 0 else 0 for s in starts]


def pane_names(round_: dict, lang: str) -> list[str]:
    """What each pane is called: its model (and temperature), or "Model A" in blind
    mode until the vote, then "A · model"."""
    if not round_["blind"]:
        return list(round_["titles"])
    if not round_["voted"]:
        return [t(lang, "compare_blind_label", letter=letter) for letter in round_["labels"]]
    return [f"{letter} · {title}" for letter, title in zip(round_["labels"], round_["titles"], strict=True)]


def _chart_update(chart: gr.BarPlot, points: list[tuple[str, Any]]) -> dict:
    """A chart's bars in pane order: the plot draws categories in the order ``sort`` lists
    them (alphabetically without it), so it is given this round's labels."""
    value = chart.postprocess(pd.DataFrame(points, columns=["pane", "value"])).model_dump()
    return gr.update(value=value, sort=[label for label, _ in points])


def tally_frame(tally: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame(logic.tally_rows(tally), columns=logic.tally_header(lang))


def wire_compare(area: CompareArea, ctx: AppContext, *, system_prompt, fields: list, key_state) -> list:
    """Send (the browser takes the message, then one queued step streams), Stop, Clear, the votes and the tally.
    ``fields``: the request-field controls in table order (the chat's). Returns the streaming
    steps, for what follows each comparison (the balance)."""
    handlers = CompareHandlers(ctx, area)
    # Not the panes: each pane's conversation stays on the server, in the round.
    stream_inputs = [area.pending_message, area.round, area.samples, area.blind, system_prompt, *fields, key_state,
                     *area.models, *area.temperatures]
    stream_outputs = [*area.panes, *area.columns, area.status, area.round, area.after, area.refused,
                      area.show_earlier_btn]
    after_outputs = [area.stats, area.chart_ttft, area.chart_speed, area.user_input, area.after, area.refused]
    # No progress on the panes for the step after a comparison, Clear and the votes either
    # (see the streaming step's): it would last the page's life.
    quiet = dict(queue=False, api_visibility="private", show_progress="hidden", show_progress_on=[area.status])
    # Send's first step runs in the browser, as the chat's does: no server round trip
    # before the request is queued. The queued step checks, plans and labels the panes.
    answered = []
    for trigger in (area.user_input.submit, area.send_btn.click):
        streamed = trigger(None, [area.user_input], [area.user_input, area.pending_message], js=TAKE_MESSAGE_JS,
                           queue=False).then(
            with_request_fields(handlers.stream), stream_inputs, stream_outputs, api_visibility="private",
            preprocess=False, postprocess=False, trigger_mode="multiple",
            concurrency_limit=ctx.settings.concurrency_limit, concurrency_id="chat",
            # Progress shows on the status line, not on the panes: the page copies the whole
            # value of every component that ever showed progress on each status message
            # and frame of every event (Gradio's loading status), four chats here.
            show_progress="minimal", show_progress_on=[area.status],
        )
        answered.append(streamed)
        # Stop ends the stream (it does not cancel the event): the results show after Stop too.
        streamed.then(handlers.after, [area.after, area.refused], after_outputs, postprocess=False, **quiet)
    area.stop_btn.click(handlers.stop, None, None, queue=False, api_visibility="private")
    clear_outputs = [area.round, *area.panes, area.stats, area.chart_ttft, area.chart_speed, area.status,
                     area.show_earlier_btn]
    area.clear_btn.click(handlers.clear, None, clear_outputs, **quiet)
    # The panes' values are the round's serialized conversations already: no postprocessing.
    area.show_earlier_btn.click(handlers.show_earlier, [area.round], [*area.panes, area.round, area.show_earlier_btn],
                                postprocess=False, **quiet)
    vote_outputs = [area.tally_store, area.tally_view, area.round, *area.panes, area.status]
    choices: list[int | str] = [*range(logic.MAX_SLOTS), "tie", "bad"]
    for button, vote in zip([*area.votes, area.vote_tie, area.vote_bad], choices, strict=True):
        button.click(handlers.voter(vote), [area.round, area.tally_store], vote_outputs, **quiet)
    # The browser reads the stored tally after the page loads and then fires .change.
    area.tally_store.change(handlers.show_tally, [area.tally_store], [area.tally_view], queue=False,
                            api_visibility="private")
    area.tally_reset.click(handlers.reset_tally, None, [area.tally_store, area.tally_view], api_visibility="private")
    return answered
