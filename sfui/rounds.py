"""An answer as the requests it takes: one for Send, Retry and Edit; one that goes on
from an answer cut short for Continue (sfui/continuation.py); one per round of tool calls
with the demo's tools (sfui/tool_loop.py).

An :class:`AnswerPlan` says what each request is: :meth:`~AnswerPlan.first` gives the
first :class:`Round` (its Turn, which shows it, and what is sent), and
:meth:`~AnswerPlan.after` the next one once a round has ended, or None when the answer is
complete. The streaming step (ChatHandlers.stream_reply) sends each round through the
demo's budget guard, one admission and one settlement per request, with one Run for all of
them, so that Stop ends the answer at any step.

A later round's Turn is a :class:`CarriedTurn`: it shows the usage of the whole answer
(the earlier requests' added to its own), and the text it goes on from.

Plain Python: no Gradio.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .api.events import Usage
from .budget import Ask
from .chat import Turn
from .prices import Charge

if TYPE_CHECKING:
    from .chat_request import ChatRequest


def add_usage(first: Usage | None, second: Usage | None) -> Usage | None:
    """Two requests' usage together (None when neither has any)."""
    if first is None or second is None:
        return first if second is None else second
    return Usage(prompt_tokens=first.prompt_tokens + second.prompt_tokens,
                 completion_tokens=first.completion_tokens + second.completion_tokens,
                 total_tokens=first.total_tokens + second.total_tokens,
                 reasoning_tokens=first.reasoning_tokens + second.reasoning_tokens)


@dataclass(frozen=True)
class Carried:
    """What an answer's request carries from the requests before it: their usage, the
    answer text it goes on from (Continue), and when the first of them started (None:
    this request's own start counts)."""

    usage: Usage | None = None
    text: str = ""
    started: float | None = None


class CarriedTurn(Turn):
    """A Turn that shows the whole answer so far: the carried text before its own, and
    the usage (so the cost) of every request of the answer. Its ``reply`` stays this
    request's own: the budget settles each request by it (sfui.budget.request_cost)."""

    def __init__(self, history: list, lang: str = "en", *, carried: Carried, charge: Charge | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(history, lang, clock=clock, charge=charge)
        self.carried = carried
        if carried.started is not None:
            self.started = carried.started

    @property
    def own_answer(self) -> str:
        """This request's text."""
        return super().answer

    @property
    def answer(self) -> str:
        return self.carried.text + self.own_answer

    @property
    def usage(self) -> Usage | None:
        return add_usage(self.carried.usage, self.reply.usage)

    # The usage shown is several requests' own: the speed counts this request's deltas
    # instead (as for a choice of n > 1). The streaming loop sets the flag; it stays True.
    @property
    def usage_shared(self) -> bool:
        return True

    @usage_shared.setter
    def usage_shared(self, value: bool) -> None:
        pass


@dataclass
class Round:
    """One request of an answer: the Turn that shows it and what it sends."""

    turn: Turn
    model: str
    messages: list[dict]
    params: dict[str, Any] = field(default_factory=dict)

    def ask(self) -> Ask:
        return Ask(self.model, self.messages, self.params)


class AnswerPlan:
    """An answer of one request (Send, Retry, Edit, Run again). Subclasses add rounds."""

    def first(self, history: list, request: ChatRequest, lang: str, charge: Charge | None) -> Round:
        """The first request: the answer to the last question of ``history``."""
        return Round(Turn(history, lang, charge=charge), request.model, request.messages(history), request.params())

    async def after(self, ended: Turn) -> Round | None:
        """The next request once ``ended`` (the last round's Turn) has ended, or None: the answer is complete."""
        return None

    def recorded(self, payload: dict) -> dict:
        """What the saved record keeps of the last request as sent (sfui.conversation_format.with_answer)."""
        return payload
