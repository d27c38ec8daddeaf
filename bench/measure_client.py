"""The floor: ``sfui.SiliconFlowClient`` streaming straight from the fake
upstream, with no web app and no browser in between.

Every figure the apps are judged by is measured here the same way, so the
table's first row says what the upstream and the client cost on their own.
"""

from __future__ import annotations

import threading
import time

from bench.common import MODEL, TEST_KEY, Answer, FakeSiliconFlow, TurnTiming
from sfui import SiliconFlowClient, TextDelta
from sfui.api.client import new_session

QUESTION = [{"role": "user", "content": "Tell me something."}]


def make_client(fake: FakeSiliconFlow, pool_size: int = 64) -> SiliconFlowClient:
    # One pooled session, as the app shares one between visitors: connections are reused.
    return SiliconFlowClient(TEST_KEY, fake.base_url, session=new_session(pool_size=pool_size))


def client_turn(client: SiliconFlowClient) -> TurnTiming:
    """Stream one answer (the next pushed scenario); time the first and last token."""
    sent = time.time()
    first = last = None
    updates = 0
    with client.chat_stream(MODEL, QUESTION) as chat:
        for event in chat:
            if isinstance(event, TextDelta) and event.text:
                last = time.time()
                first = first or last
                updates += 1
    return TurnTiming(sent, first, last, updates)


def ask(client: SiliconFlowClient, fake: FakeSiliconFlow, answer: Answer) -> TurnTiming:
    """One question whose reply is ``answer``."""
    answer.push(fake)
    return client_turn(client)


def first_token_runs(client: SiliconFlowClient, fake: FakeSiliconFlow, answer: Answer, runs: int) -> list[TurnTiming]:
    ask(client, fake, answer)  # warm-up: connection pool, imports
    return [ask(client, fake, answer) for _ in range(runs)]


def long_answer(client: SiliconFlowClient, fake: FakeSiliconFlow, answer: Answer) -> tuple[TurnTiming, float, float]:
    """(timing, when the fake wrote the last token, this thread's CPU seconds).

    Thread CPU time, not process time: the fake upstream runs in this process too.
    """
    cpu = time.thread_time()
    turn = ask(client, fake, answer)
    cpu = time.thread_time() - cpu
    return turn, _last_token_written(fake), cpu


def concurrent_turns(fake: FakeSiliconFlow, answer: Answer, sessions: int) -> list[TurnTiming]:
    """``sessions`` clients starting the same answer at the same moment (a barrier)."""
    answer.push(fake, sessions)
    client = make_client(fake, pool_size=max(sessions, 4))
    start = threading.Barrier(sessions)
    results: list[TurnTiming | None] = [None] * sessions

    def visitor(i: int) -> None:
        start.wait()
        results[i] = client_turn(client)

    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.session.close()
    return [r for r in results if r is not None]


def _last_token_written(fake: FakeSiliconFlow) -> float:
    stamp = fake.last_token_written_at
    assert stamp is not None, "the fake upstream wrote no token"
    return stamp
