"""The demo's tools at work: the rounds of one question with the "Tools" switch on.

Each request carries the demo's tools (sfui/demo_tools.py). When the model answers
with calls of them (``finish_reason: tool_calls``), sfui runs each one, shows the call
and its result as a card (sfui/tool_cards.py), and sends the next request: the
conversation with the cards, whose API messages carry the call and a ``tool`` message
with the result. The model then answers, or calls again: at most MAX_ROUNDS requests
per question, after which the calls are shown, not run, with a notice.

A round ends the answer (and nothing runs) when it was stopped or failed, when its
calls were cut short (``length``), or when the model called a tool the visitor gave as
JSON: those are only ever shown. A tool's error is its result, for the model to read.

Plain Python: no Gradio. The streaming step (ChatHandlers.stream_reply) sends each
request through the demo's budget guard and stops between rounds when Stop was pressed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import demo_tools
from .chat import Turn
from .i18n import t
from .prices import Charge
from .rounds import AnswerPlan, Carried, CarriedTurn, Round
from .tool_cards import NOT_RUN, RAN, RUNNING, card

if TYPE_CHECKING:
    from .chat_request import ChatRequest

MAX_ROUNDS = 5  # requests per question
# Finish reasons after which the calls are whole and are run (some servers say "stop").
CALLS_DONE = ("tool_calls", "stop", "eos")


class ToolRound(CarriedTurn):
    """One request of a question with the demo's tools: its calls show as cards, running
    while they stream in, then with their results (``results``), or not run."""

    def __init__(self, history: list, lang: str = "en", *, carried: Carried, charge: Charge | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(history, lang, carried=carried, charge=charge, clock=clock)
        self.results: tuple[str, ...] | None = None  # each call's result, once run
        self.limit_reached: int | None = None  # the requests made, when that was the limit

    def runs_its_calls(self) -> bool:
        """Its calls are all the demo's own (a visitor's tool is only ever shown)."""
        return bool(self.tool_calls) and all(demo_tools.is_demo_tool(call.name) for call in self.tool_calls)

    def tool_messages(self) -> list[dict]:
        calls = self.tool_calls
        if not self.runs_its_calls():
            return super().tool_messages()
        results = self.results
        cards = []
        for i, call in enumerate(calls):
            if results is not None:
                cards.append(card(call.name, call.arguments, results[i], self.lang, RAN))
            else:
                cards.append(card(call.name, call.arguments, None, self.lang,
                                  NOT_RUN if self.ended_at is not None else RUNNING))
        if self.limit_reached is not None:
            cards.append({"role": "assistant", "content": t(self.lang, "tool_rounds_limit", rounds=self.limit_reached),
                          "metadata": {"title": t(self.lang, "tool_rounds_title")}})
        return cards


class ToolExchange(AnswerPlan):
    """The requests of one question with the demo's tools, up to ``max_rounds``.
    ``run``: runs one call (name, arguments JSON) to its result text."""

    def __init__(self, max_rounds: int = MAX_ROUNDS,
                 run: Callable[[str, str], str] = demo_tools.run_tool) -> None:
        self.max_rounds = max_rounds
        self.run = run
        self.rounds = 0

    def first(self, history: list, request: ChatRequest, lang: str, charge: Charge | None) -> Round:
        self.request, self.lang, self.charge = request, lang, charge
        return self._round(history, Carried())

    def _round(self, history: list, carried: Carried) -> Round:
        self.rounds += 1
        turn = ToolRound(history, self.lang, carried=carried, charge=self.charge)
        params = demo_tools.with_demo_tools(self.request.params())
        return Round(turn, self.request.model, self.request.messages(history), params)

    async def after(self, ended: Turn) -> Round | None:
        if not isinstance(ended, ToolRound) or not self._runs(ended):
            return None
        if self.rounds >= self.max_rounds:
            ended.limit_reached = self.rounds
            return None
        calls = ended.tool_calls
        # In a thread: the calculator is bounded, but the event loop serves every visitor.
        ended.results = tuple(await asyncio.to_thread(lambda: [self.run(c.name, c.arguments) for c in calls]))
        return self._round(ended.messages(), Carried(usage=ended.usage, started=ended.started))

    def recorded(self, payload: dict) -> dict:
        # The saved record names the switch rather than repeating the tools' definitions.
        return demo_tools.recorded(payload)

    @staticmethod
    def _runs(ended: ToolRound) -> bool:
        """The round's calls are to be run: it ended whole, on calls of the demo's tools only."""
        return (not ended.stopped and ended.error is None and ended.finish_reason in CALLS_DONE
                and ended.runs_its_calls())
