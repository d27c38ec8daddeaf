"""The Compare tab: one question to 2–4 models (or n samples of one model) at
once, side by side, with a results table, a chart and a blind vote.

Send is a chain like the chat's: a quick step takes the message, checks it and
labels the panes (names, or A–D in blind mode); then one queued step streams
every pane in each frame, paced by one frame budget (a slow model never holds
back a fast one: each request has its own reader). The visitor's tally of
votes lives in the browser (gr.BrowserState), never on the server.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..compare import MAX_SLOTS
from ..vote_store import shared_votes_enabled
from .chat_pane import LATEX, TAKE_MESSAGE_JS
from .common import AFTER_EACH, AppContext, label
from .compare_handlers import CompareHandlers
from .fields import with_request_fields
from .share_panel import render_compare_share

SAMPLE_CHOICES = [1, 2, 3, 4]
# The tally's place in the browser's localStorage. Fixed, so a restart of the
# server does not make the stored tally unreadable. Not a secret: the tally
# holds no more than model names and counts.
TALLY_STORAGE_KEY = "sfui-compare-tally"
TALLY_SECRET = "sfui-compare-tally-v1"
# The blind votes' records (sfui/votes.py), for the leaderboard: fixed for the same reason.
VOTES_STORAGE_KEY = "sfui-compare-votes"
VOTES_SECRET = "sfui-compare-votes-v1"


@dataclass
class LeaderboardArea:
    """The leaderboard under the tally: the table, its chart, whose votes, the export."""

    table: gr.Dataframe
    chart: gr.ScatterPlot
    summary: gr.Markdown
    scope: gr.Radio  # shown only with SFUI_SHARED_VOTES
    export: gr.DownloadButton
    store: gr.BrowserState  # the records (sfui/votes.py)


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
    # Cost per answer, beside the two charts above (last here: the fields before it keep their places).
    chart_cost: gr.BarPlot
    leaderboard: LeaderboardArea | None = None


def _render_slots(model_choices: list, default_models: list[str | None]) -> tuple[list, list]:
    models, temperatures = [], []
    for row in range(0, MAX_SLOTS, 2):
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
        for i in range(MAX_SLOTS):
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
        chart_cost = gr.BarPlot(x="pane", y="value", label=label("label_compare_chart_cost"), sort=None,
                                y_lim=[0, None], elem_id="compare-chart-cost")
    return stats, chart_ttft, chart_speed, chart_cost


def render_leaderboard(shared: bool) -> LeaderboardArea:
    with gr.Accordion(label("label_leaderboard"), open=True, elem_id="leaderboard-area"):
        gr.Markdown(label("help_leaderboard"))
        scope = gr.Radio([(label("label_leaderboard_scope_mine"), "mine"),
                          (label("label_leaderboard_scope_everyone"), "everyone")], value="mine",
                         label=label("label_leaderboard_scope"), visible=shared, elem_id="leaderboard-scope")
        summary = gr.Markdown(elem_id="leaderboard-summary")
        table = gr.Dataframe(label=label("label_leaderboard_table"), interactive=False, wrap=True,
                             elem_id="leaderboard")
        chart = gr.ScatterPlot(x="cost", y="score", color="model", label=label("label_leaderboard_chart"),
                               elem_id="leaderboard-chart")
        export = gr.DownloadButton(label("label_votes_export"), size="sm", elem_id="votes-export-btn")
    store = gr.BrowserState([], storage_key=VOTES_STORAGE_KEY, secret=VOTES_SECRET)
    return LeaderboardArea(table, chart, summary, scope, export, store)


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
    render_compare_share()  # share links (sfui/ui/share_panel.py wires it)
    stats, chart_ttft, chart_speed, chart_cost = _render_results()
    with gr.Accordion(label("label_compare_tally"), open=False):
        tally_view = gr.Dataframe(interactive=False, elem_id="compare-tally")
        tally_reset = gr.Button(label("label_compare_tally_reset"), size="sm", elem_id="compare-tally-reset")
    tally_store = gr.BrowserState({}, storage_key=TALLY_STORAGE_KEY, secret=TALLY_SECRET)
    leaderboard = render_leaderboard(shared_votes_enabled())
    return CompareArea(models, temperatures, samples, blind, columns, panes, votes, vote_tie, vote_bad, user_input,
                       pending_message, send_btn, stop_btn, clear_btn, status, stats, chart_ttft, chart_speed,
                       tally_view, tally_reset, tally_store, show_earlier_btn, gr.State(None), gr.State(None),
                       gr.State(None), chart_cost, leaderboard)


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
    after_outputs = [area.stats, area.chart_ttft, area.chart_speed, area.chart_cost, area.user_input, area.after,
                     area.refused]
    # No progress for the step after a comparison, Clear and the votes (sfui/ui/quiet_progress.py).
    quiet = dict(queue=False, api_visibility="private", show_progress="hidden")
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
        streamed.then(handlers.after, [area.after, area.refused], after_outputs, postprocess=False, **quiet,
                      **AFTER_EACH)
    area.stop_btn.click(handlers.stop, None, None, queue=False, api_visibility="private")
    clear_outputs = [area.round, *area.panes, area.stats, area.chart_ttft, area.chart_speed, area.chart_cost,
                     area.status, area.show_earlier_btn]
    area.clear_btn.click(handlers.clear, None, clear_outputs, **quiet)
    # The panes' values are the round's serialized conversations already: no postprocessing.
    area.show_earlier_btn.click(handlers.show_earlier, [area.round], [*area.panes, area.round, area.show_earlier_btn],
                                postprocess=False, **quiet)
    _wire_votes(area, handlers, quiet)
    return answered


def _wire_votes(area: CompareArea, handlers: CompareHandlers, quiet: dict) -> None:
    """The votes, the leaderboard (after each vote, on load, for each scope) and the tally."""
    board = area.leaderboard
    assert board is not None
    board_outputs = [board.table, board.chart, board.summary, board.export]
    vote_outputs = [area.tally_store, area.tally_view, area.round, *area.panes, area.status, board.store]
    choices: list[int | str] = [*range(MAX_SLOTS), "tie", "bad"]
    for button, vote in zip([*area.votes, area.vote_tie, area.vote_bad], choices, strict=True):
        button.click(handlers.voter(vote), [area.round, area.tally_store, board.store], vote_outputs,
                     **quiet).then(handlers.show_leaderboard, [board.store, board.scope], board_outputs, **quiet)
    # Read after the page loads (.change), and again for the other scope.
    for trigger in (board.store.change, board.scope.change):
        trigger(handlers.show_leaderboard, [board.store, board.scope], board_outputs, **quiet)
    # The browser reads the stored tally after the page loads and then fires .change.
    area.tally_store.change(handlers.show_tally, [area.tally_store], [area.tally_view], queue=False,
                            api_visibility="private")
    area.tally_reset.click(handlers.reset_tally, None, [area.tally_store, area.tally_view], api_visibility="private")
