"""Continue: an answer cut short (``finish_reason: length``, or stopped) goes on from
where it stopped, into the same answer.

SiliconFlow's way is its ``prefix`` request field (its guide "前缀续写" / "Prefix
completion"): the messages end with the question as before and ``prefix`` holds the
answer so far, which the model goes on from. SiliconFlow documents it for its language
models; a hybrid model (Qwen3...) takes it with thinking off, so Continue sends
``enable_thinking: false`` to those. For a reasoning-only model (DeepSeek-R1 and the like,
which SiliconFlow says cannot take ``prefix``) the answer so far goes as a trailing
assistant message instead, which servers that support prefill (llama.cpp, for one)
continue; where a server does neither, the model answers the question again, and what
it writes is added after the part already there.

In case a server repeats the prefix in its output, the repeat is left out (the text
shown would otherwise hold the first part twice).

The continued answer is one answer: one bubble with both parts; its usage and cost, in
the usage panel and in the saved record, are both requests' (sfui.rounds.CarriedTurn).

Plain Python: no Gradio.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalog import model_info
from .chat import Turn, is_display_only, message_text
from .prices import Charge
from .rounds import AnswerPlan, Carried, CarriedTurn, Round

if TYPE_CHECKING:
    from .chat_request import ChatRequest

PREFIX = "prefix"
# A repeat of the prefix is looked for only when the prefix is at least this long: a short
# one ("The") may well start the rest of the answer too.
MIN_ECHO_CHARS = 20


def can_continue(turn: Turn) -> bool:
    """Whether Continue is offered after ``turn``: its answer was cut by max_tokens or
    stopped, with text to go on from, and nothing failed."""
    return (turn.error is None and bool(turn.answer.strip()) and not turn.tool_calls
            and (turn.stopped or turn.finish_reason == "length"))


def without_echo(prefix: str, text: str, ended: bool) -> str:
    """The continuation's own text: ``text`` without a repeat of ``prefix`` at its start.
    While it might still be one (all of ``text`` so far is how ``prefix`` starts), nothing
    is shown yet, unless the answer has ended."""
    if len(prefix) < MIN_ECHO_CHARS:
        return text
    if text.startswith(prefix):
        return text[len(prefix):]
    if not ended and prefix.startswith(text):
        return ""
    return text


class ContinuedTurn(CarriedTurn):
    """The continued answer: the answer so far (carried), then what the model adds."""

    @property
    def own_answer(self) -> str:
        return without_echo(self.carried.text, super().own_answer, self.ended_at is not None)


@dataclass(frozen=True)
class LastAnswer:
    """A session's last answer, as Continue needs it: its Turn and its model."""

    turn: Turn
    model: str


class LastAnswers:
    """The last answer of each browser session (bounded: the oldest sessions go first)."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._answers: OrderedDict[str, LastAnswer] = OrderedDict()

    def remember(self, session: str, turn: Turn, model: str) -> None:
        self._answers.pop(session, None)
        self._answers[session] = LastAnswer(turn, model)
        while len(self._answers) > self.limit:
            self._answers.popitem(last=False)

    def get(self, session: str) -> LastAnswer | None:
        return self._answers.get(session)

    def continuable(self, session: str) -> bool:
        last = self._answers.get(session)
        return last is not None and can_continue(last.turn)


class ContinueAnswer(AnswerPlan):
    """One request that goes on from ``partial``, the text of the conversation's last
    answer; ``earlier``: that answer's usage, added to this one's."""

    def __init__(self, partial: str, earlier: Turn | None = None) -> None:
        self.partial = partial
        self.earlier = earlier

    def first(self, history: list, request: ChatRequest, lang: str, charge: Charge | None) -> Round:
        carried = Carried(usage=None if self.earlier is None else self.earlier.usage, text=self.partial)
        turn = ContinuedTurn(history, lang, carried=carried, charge=charge)
        messages, params = request.messages(history), request.params()
        info = model_info(request.model)
        if info.reasoning and not info.hybrid_thinking:
            messages = [*messages, {"role": "assistant", "content": self.partial}]
        else:
            params = {**params, PREFIX: self.partial}
            if info.hybrid_thinking:
                params["enable_thinking"] = False
        return Round(turn, request.model, messages, params)

    def recorded(self, payload: dict) -> dict:
        # The record keeps the answer once: its text is in the conversation already.
        return {name: value for name, value in payload.items() if name != PREFIX}


@dataclass(frozen=True)
class ContinuePoint:
    """Where Continue starts in a conversation: the messages before its last answer, that
    answer's text, and the session's record of it (when the session has one)."""

    history: list
    partial: str
    last: LastAnswer | None


def continue_point(whole: list, last: LastAnswer | None) -> ContinuePoint | None:
    """Where Continue goes on in ``whole`` (the conversation): its last message, when that
    is an answer with text; None otherwise. ``last``: the session's last answer, kept when
    it is that same answer (so its usage adds up), else dropped."""
    if not whole:
        return None
    message = whole[-1]
    role = message.get("role") if isinstance(message, dict) else getattr(message, "role", None)
    text = message_text(message.get("content") if isinstance(message, dict) else getattr(message, "content", None))
    if role != "assistant" or is_display_only(message) or not text.strip():
        return None
    same = last is not None and last.turn.answer == text
    return ContinuePoint(list(whole[:-1]), text, last if same else None)
