"""One request of an answer as the chat's streaming step (ChatHandlers.stream_reply) sends
it: admitted by the demo's budget guard, streamed into its Turn, settled by what it cost.

An answer may take several requests (sfui/rounds.py: Continue's one, a round per tool
call); each goes through here, so the demo's limits hold for every one of them.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import gradio as gr

from ..budget import Refusal, Spending, request_cost
from ..chat import FramePacer, Turn
from ..chat_request import ChatRequest
from ..rounds import Round
from ..runs import Run
from ..streaming import QUESTION_GRACE, WAITING_GRACE, stream_turn
from .common import AppContext


def admitted(ctx: AppContext, request: ChatRequest, step: Round, lang: str) -> Spending | None:
    """The demo's limits, checked and held inside the step that spends the key (any way in,
    the page, the API or the queue protocol, passes here): the request's Spending, or None
    and a toast saying why it is not sent."""
    spending = ctx.admit(request.visitor_key, request.visitor, [step.ask()], lang)
    if isinstance(spending, Refusal):
        gr.Warning(spending.reason, duration=20)
        return None
    return spending


async def request_frames(ctx: AppContext, request: ChatRequest, step: Round, spending: Spending, run: Run,
                         pacer: FramePacer) -> AsyncGenerator[tuple[Turn, dict], None]:
    """``step``'s request: its Turn at every frame (the last one ended), with the request as
    sent. Settled by what it cost, and its stream slot freed, when it ends."""
    with spending:
        client = ctx.client_for(ctx.effective_key(request.visitor_key))
        stream = client.chat_stream(step.model, step.messages, **step.params)
        try:
            # The request leaves first; the question is shown with the first token when
            # that comes within QUESTION_GRACE, else alone (with the "waiting" table); a
            # question the page shows already waits WAITING_GRACE.
            grace = WAITING_GRACE if request.question_shown else QUESTION_GRACE
            async for shown in stream_turn(stream, step.turn, run, pacer=pacer, sent_grace=grace):
                if shown.ended_at is not None:
                    spending.settle(request_cost(shown.charge, [shown], step.ask()))
                yield shown, stream.payload
        finally:
            spending.settle(request_cost(step.turn.charge, [step.turn], step.ask()))
