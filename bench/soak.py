"""Soak test: many visitors chatting at once, each a multi-turn conversation.

    python -m bench.soak --sessions 50 --turns 10     # from the repository root

Starts the fake SiliconFlow and the real app (``python app.py``, a subprocess,
so its memory is its own), then runs ``--sessions`` gradio_client sessions in
threads, all at once. Each session holds its own conversation for
``--turns`` turns, every prompt carrying a unique token
(``s<session>-t<turn>-<random>``). The fake echoes the last user message, so
each reply must contain exactly its own prompt's token:

- error: the call failed, or the reply is a notice instead of an answer;
- lost: the reply lacks its own token;
- crossed: a reply, a returned chat history, or a request the fake received
  holds a token of another session (or of another turn where it does not belong).

Prints one summary line (sessions × turns, errors, lost, crossed, the app's
RSS before and after) and exits with status 1 unless every reply was right.
"""

from __future__ import annotations

import argparse
import re
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from bench.apps import SFUI, AppProcess
from bench.common import TEST_KEY, FakeSiliconFlow
from tests.support.launch import PATIENT_HTTP, isolate_environment  # gradio_client's patient time-outs

TOKEN = re.compile(r"\bs\d+-t\d+-[0-9a-f]{8}\b")
CALL_TIMEOUT = 120.0  # seconds for one turn, queueing included


@dataclass
class SessionResult:
    session: int
    replies: int = 0
    errors: list[str] = field(default_factory=list)
    lost: int = 0
    crossed: int = 0
    prompts: list[str] = field(default_factory=list)  # this session's prompts, in order


@dataclass
class SoakResult:
    sessions: int
    turns: int
    replies: int
    errors: int
    lost: int
    crossed: int
    crossed_requests: int
    rss_before_mb: float
    rss_after_mb: float
    seconds: float
    first_errors: list[str]

    @property
    def ok(self) -> bool:
        return self.replies == self.sessions * self.turns and not (
            self.errors or self.lost or self.crossed or self.crossed_requests
        )

    def summary(self) -> str:
        return (
            f"soak: {self.sessions} sessions × {self.turns} turns = "
            f"{self.replies}/{self.sessions * self.turns} replies, "
            f"errors {self.errors}, lost {self.lost}, crossed {self.crossed} "
            f"(crossed upstream requests {self.crossed_requests}), "
            f"app RSS before {self.rss_before_mb:.1f} MB, after {self.rss_after_mb:.1f} MB "
            f"({self.rss_after_mb - self.rss_before_mb:+.1f} MB), {self.seconds:.1f} s"
        )


def _text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(block.get("text") or "" for block in content or () if isinstance(block, dict))


def _chat(client, message: str, history: list) -> list:
    """One turn through the public /chat endpoint; returns the new chat history."""
    job = client.submit(
        message=message, history=history, system_prompt="", stop="", tools="",
        thinking_budget="", min_p="", api_name="/chat",
    )
    return job.result(timeout=CALL_TIMEOUT)[0]  # outputs: chatbot, reasoning, usage


def _run_session(url: str, session: int, turns: int, start: threading.Barrier) -> SessionResult:
    from gradio_client import Client

    result = SessionResult(session)
    client = Client(url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    history: list = []
    try:
        start.wait()  # every session begins together
        for turn in range(turns):
            token = f"s{session}-t{turn}-{uuid.uuid4().hex[:8]}"
            prompt = f"Session {session}, turn {turn}: please repeat {token}"
            try:
                new_history = _chat(client, prompt, history)
            except Exception as exc:  # counted and reported, the session goes on
                result.errors.append(f"s{session} t{turn}: {type(exc).__name__}: {exc}"[:300])
                continue
            result.prompts.append(prompt)
            result.replies += 1
            reply = new_history[-1]
            answer = _text(reply)
            if (reply.get("metadata") or {}).get("title") or reply.get("role") != "assistant":
                result.errors.append(f"s{session} t{turn}: a notice instead of an answer: {answer[:200]}")
            if token not in answer:
                result.lost += 1
            # Exactly this turn's token in the answer; exactly this session's prompts in the chat.
            own_prompts = [_text(m) for m in new_history if m.get("role") == "user"]
            if TOKEN.findall(answer) != [token] or own_prompts != result.prompts:
                result.crossed += 1
            history = new_history
    finally:
        client.close()
    return result


def _crossed_requests(fake: FakeSiliconFlow, results: list[SessionResult]) -> int:
    """Requests the fake received whose messages mix sessions or hold a prompt
    out of its session's order."""
    owner = {prompt: (r.session, i) for r in results for i, prompt in enumerate(r.prompts)}
    crossed = 0
    for body in fake.chat_requests():
        users = [m["content"] for m in body["messages"] if m["role"] == "user"]
        places = [owner.get(text) for text in users]
        if any(place is None for place in places):
            continue  # the warm-up, or a turn whose reply failed (already counted)
        sessions = {session for session, _ in places}
        if len(sessions) != 1 or [turn for _, turn in places] != list(range(len(places))):
            crossed += 1
    return crossed


def run_soak(sessions: int, turns: int, token_rate: float | None = 100.0) -> SoakResult:
    with FakeSiliconFlow(api_key=TEST_KEY, token_rate=token_rate) as fake, AppProcess.start(SFUI, fake.base_url) as app:
        # One turn first, so lazy imports and first-use allocations are not counted as growth.
        from gradio_client import Client

        warm = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
        _chat(warm, "warm-up", [])
        warm.close()
        rss_before = app.rss_mb()

        start = threading.Barrier(sessions)
        results: list[SessionResult | None] = [None] * sessions

        def worker(index: int) -> None:
            try:
                results[index] = _run_session(app.url, index, turns, start)
            except Exception as exc:  # e.g. the client could not connect at all
                start.abort()
                results[index] = SessionResult(index, errors=[f"s{index}: {type(exc).__name__}: {exc}"[:300]])

        began = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(i,), name=f"soak-{i}") for i in range(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        rss_after = app.rss_mb()

        done = [r for r in results if r is not None]
        errors = [e for r in done for e in r.errors]
        return SoakResult(
            sessions=sessions,
            turns=turns,
            replies=sum(r.replies for r in done),
            errors=len(errors),
            lost=sum(r.lost for r in done),
            crossed=sum(r.crossed for r in done),
            crossed_requests=_crossed_requests(fake, done),
            rss_before_mb=rss_before,
            rss_after_mb=rss_after,
            seconds=seconds,
            first_errors=errors[:5],
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="simultaneous visitors (default 50)")
    parser.add_argument("--turns", type=int, default=10, help="turns per conversation (default 10)")
    parser.add_argument("--token-rate", type=float, default=100.0, help="fake tokens/s per stream (0: unpaced)")
    args = parser.parse_args(argv)
    isolate_environment()  # as in the tests: this process's gradio_client sessions send no analytics
    result = run_soak(args.sessions, args.turns, args.token_rate or None)
    for line in result.first_errors:
        print("  error:", line)
    print(result.summary(), flush=True)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
