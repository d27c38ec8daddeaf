"""Visitors per process: how many visitors one app process streams to at once while the
slowest first token stays within a second of the upstream's, for sfui and the baseline
(bench/baseline_app.py, a naive gr.ChatInterface), in one run, without browsers.

    python -m bench.visitors [--levels 50,100,200,300] [--apps sfui,baseline,bare] [--cpus 1,2]
                             [--upstream light|fake]

Every visitor speaks Gradio's queue protocol as the page's JavaScript does, over
connections of its own (bench/gradio_protocol.py's RawVisitor: plain asyncio sockets, light
enough that hundreds of visitors in one event loop measure the app, not this process), from
one event loop in this process. sfui's visitors run the page's own Send step (the message
box's streaming step, with the page's inputs and the chat as its browser step leaves it);
the baseline's and the bare page's, their /chat. The bare page (bench/bare_app.py, ``--apps
bare``) is Gradio's own floor: every answer at once, the fewest frames, nothing else. Each
visitor has its own session, opened before the burst (as a page opens its session when it
loads: a quick step of the page), then all of them press Enter at the same moment. Every
answer is ``--tokens`` tokens at ``--rate`` tokens/s after ``--first-token-ms`` of silence
(the upstream's first-token time).

The upstream runs in a process of its own, so that its hundreds of streams do not take
this event loop's turns: by default bench/light_upstream.py, the same bytes as the tests' fake
server from one event loop, which leaves the app most of the machine's CPU, as SiliconFlow
(on other machines) would; ``--upstream fake`` runs the tests' threaded fake server, which
took about three times the CPU. Each app is started afresh for every level (a level's
leftovers never slow the next), pinned to the first N cores with ``--cpus N``, with
``SFUI_CONCURRENCY_LIMIT`` as the app's default unless ``--limit`` says otherwise. The
floor is the client alone (sfui.SiliconFlowClient, one thread per visitor, no web app) at
the same level.

Printed per app and level: the slowest first token and the median one, the slowest minus
the upstream's first-token time ("over upstream"), the slowest minus the client alone's
("over client"), how many answers completed, answers per second (the level over the time
from the first Enter to the last answer's end) and the app's CPU seconds; then, per level,
sfui against the baseline. Prints figures, asserts nothing; the machine is shared, so
compare rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import measure_client
from bench.apps import BARE, BASELINE, SFUI, AppProcess, AppSpec
from bench.common import TEST_KEY, Answer, TurnTiming
from bench.gradio_protocol import QueueEvent, RawVisitor
from bench.light_upstream import LightUpstream, UpstreamProcess, answer_words
from bench.measure_protocol import QUESTION, chat_endpoint, timed_frames
from tests.support.launch import isolate_environment

# Seconds: the slowest first token may come this much after the client alone's at the same level (the
# upstream's first token as a visitor could get it on this machine under the same load).
WITHIN = 1.0
# The question as the page's Send shows it in the chat before the request is queued.
SHOWN_QUESTION = {"role": "user", "metadata": None, "content": [{"type": "text", "text": QUESTION}], "options": None}
OPEN_SESSIONS_AT_ONCE = 16


@dataclass(frozen=True)
class Level:
    """One app at one number of visitors."""

    app: str
    visitors: int
    timings: list[TurnTiming]
    seconds: float  # first Enter -> the last answer's end (or the time-out)
    cpu: float | None  # the app's CPU seconds meanwhile (None: the client alone)

    def first_tokens(self) -> list[float]:
        return sorted(t.first_token for t in self.timings if t.first_token is not None)

    @property
    def slowest(self) -> float | None:
        firsts = self.first_tokens()
        return firsts[-1] if len(firsts) == len(self.timings) and firsts else None

    @property
    def complete(self) -> int:
        return sum(t.complete for t in self.timings)

    @property
    def throughput(self) -> float:
        return self.complete / self.seconds if self.seconds > 0 else 0.0


# --- the fake upstream, in a process of its own ------------------------------------------------


def _serve_upstream(connection: Any) -> None:
    from tests.support.sfserver import FakeSiliconFlow, handler, stream
    from tests.support.sfserver.steps import Sleep

    handler._Server.request_queue_size = 1024  # hundreds of connections arrive at once
    with FakeSiliconFlow(api_key=TEST_KEY) as fake:
        connection.send(fake.base_url)
        while True:
            command, *args = connection.recv()
            if command == "push":
                tokens, rate, first_ms, count = args
                words = answer_words(tokens)
                for _ in range(count):
                    scenario = stream(words, token_rate=rate)
                    scenario.steps.insert(0, Sleep(first_ms / 1000))
                    fake.push(scenario)
                connection.send(None)
            elif command == "reset":
                fake.reset()
                connection.send(None)
            else:
                return


class Upstream(UpstreamProcess):
    """The tests' fake SiliconFlow in a child process: ``push`` queues answers, ``reset``
    forgets them (``--upstream fake``; the default is bench/light_upstream.py's)."""

    name = "fake"

    def __init__(self) -> None:
        super().__init__(_serve_upstream)


# --- the visitors -----------------------------------------------------------------------------


def page_send(config: dict) -> tuple[int, list[Any]]:
    """(fn_index, inputs) of sfui's Send as the page runs it: the streaming step after the
    message box's browser step, its first input the message handed over ({text, files}), the
    chat as that step leaves it (the question shown: sfui/ui/send_step.SEND_JS), the others
    at their components' initial values (a State sends null, as the page does)."""
    components = {c["id"]: c for c in config["components"]}
    box = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "user-input")
    submit = {d["id"] for d in config["dependencies"]
              if any(list(target) == [box, "submit"] for target in d["targets"]) and not d.get("backend_fn")}
    for dep in config["dependencies"]:
        if dep.get("trigger_after") in submit and dep.get("backend_fn"):
            values: list[Any] = [{"text": QUESTION, "files": []}]
            for component_id in dep["inputs"][1:]:
                component = components[component_id]
                values.append([SHOWN_QUESTION] if component.get("type") == "chatbot"
                              else component.get("props", {}).get("value"))
            return dep["id"], values
    raise LookupError("the page has no Send step after the message box")


def quick_step(config: dict) -> int | None:
    """A step of the page that is not queued and takes no input (sfui's Stop, ChatInterface's
    own): calling it opens the caller's session, as a page's first event does."""
    for dep in config["dependencies"]:
        if dep.get("backend_fn") and dep.get("queue") is False and not dep["inputs"]:
            return dep["id"]
    return None


async def open_sessions(visitor: RawVisitor, config: dict, count: int) -> list[str]:
    """``count`` sessions, each opened by one quick step (a few at a time, as pages load)."""
    step = quick_step(config)
    sessions = [f"visitor{i:04d}{os.getpid()}" for i in range(count)]
    if step is None:
        return sessions
    loading = asyncio.Semaphore(OPEN_SESSIONS_AT_ONCE)

    async def open_one(session: str) -> None:
        async with loading:
            await visitor.post("gradio_api/run/predict", json.dumps(
                {"data": [], "fn_index": step, "session_hash": session, "event_data": None}).encode())

    await asyncio.gather(*(open_one(session) for session in sessions))
    return sessions


async def timed(visitor: RawVisitor, event: QueueEvent, answer_text: Callable[[list], str],
                timeout: float) -> TurnTiming:
    """Ask through the queue and time the answer as its frames come."""
    timing, _ = await timed_frames(visitor.frames(event, timeout), answer_text)
    return timing


async def burst(app: AppProcess, visitors: int, page: bool, timeout: float) -> tuple[list[TurnTiming], float, float]:
    """Every visitor presses Enter at the same moment: (timings, seconds from the Enters to the
    last answer's end, the app's CPU seconds meanwhile)."""
    async with httpx.AsyncClient(base_url=app.url, timeout=timeout) as http:
        config = (await http.get("config")).json()
    fn_index, data = page_send(config) if page else chat_endpoint(config)
    visitor = RawVisitor(app.url)
    sessions = await open_sessions(visitor, config, visitors)
    start = asyncio.Event()
    began = 0.0

    async def ask(session: str) -> TurnTiming:
        await start.wait()
        try:
            return await asyncio.wait_for(timed(visitor, QueueEvent(fn_index, data, session), app.spec.answer_text,
                                                timeout), timeout)
        except (TimeoutError, OSError):
            return TurnTiming(began, None, None)

    tasks = [asyncio.create_task(ask(session)) for session in sessions]
    await asyncio.sleep(0.2)  # every visitor is waiting at the start line
    cpu, began = app.cpu_seconds(), time.time()
    start.set()
    timings = list(await asyncio.gather(*tasks))
    return timings, time.time() - began, app.cpu_seconds() - cpu


def client_alone(upstream: UpstreamProcess, answer: Answer, first_ms: float, visitors: int) -> Level:
    """The floor: the client reading the upstream directly, one thread per visitor, all at once."""
    upstream.push(answer, first_ms, visitors)
    client = measure_client.make_client(upstream, pool_size=max(visitors, 4))  # type: ignore[arg-type]
    barrier = threading.Barrier(visitors + 1)
    timings: list[TurnTiming] = []

    def visitor() -> None:
        barrier.wait()
        timings.append(measure_client.client_turn(client))

    threads = [threading.Thread(target=visitor) for _ in range(visitors)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.time()
    for thread in threads:
        thread.join()
    client.session.close()
    return Level("client alone", visitors, timings, time.time() - began, None)


# --- the run ----------------------------------------------------------------------------------


def measure_app(spec: AppSpec, upstream: UpstreamProcess, visitors: int, args: argparse.Namespace,
                cpus: int) -> Level:
    """A fresh app process on ``cpus`` cores: a few warm-up questions, then the burst."""
    env = {} if args.limit is None else {"SFUI_CONCURRENCY_LIMIT": str(args.limit)}
    app = AppProcess.start(spec, upstream.base_url, env=env, cpus=set(range(cpus)))
    try:
        upstream.push(args.answer, args.first_token_ms, 4)
        page = spec not in (BASELINE, BARE)  # sfui's: the page's Send step, not /chat
        asyncio.run(burst(app, 4, page, args.timeout))  # imports, pools, the first event
        upstream.push(args.answer, args.first_token_ms, visitors)
        timings, seconds, cpu = asyncio.run(burst(app, visitors, page, args.timeout))
    finally:
        app.stop()
        upstream.reset()
    return Level(spec.name, visitors, timings, seconds, cpu)


def _s(value: float | None) -> str:
    return "      -" if value is None else f"{value:7.2f}"


def print_level(level: Level, floor: Level, first_ms: float) -> None:
    firsts = level.first_tokens()
    slowest, floor_slowest = level.slowest, floor.slowest
    over_upstream = None if slowest is None else slowest - first_ms / 1000
    over_client = None if slowest is None or floor_slowest is None else slowest - floor_slowest
    shown = slowest if slowest is not None else (f"> {firsts[-1]:.1f}" if firsts else "none")
    cpu = "" if level.cpu is None else f"{level.cpu:7.1f}"
    print(f"  {level.app:13s} {level.visitors:5d} | {shown if isinstance(shown, str) else _s(shown):>8s} "
          f"{_s(statistics.median(firsts) if firsts else None)} | {_s(over_upstream)} {_s(over_client)} | "
          f"{level.complete:4d}/{level.visitors:<4d} {level.throughput:7.1f} | {cpu:>7s}", flush=True)


def print_ratios(levels: dict[str, Level]) -> None:
    sfui = levels.get(SFUI.name)
    if sfui is None:
        return

    def worst(level: Level) -> float:  # a visitor who never got a first token counts the whole wait
        firsts = level.first_tokens()
        return level.slowest if level.slowest is not None else max(firsts[-1] if firsts else 0, level.seconds)
    for other in (levels.get(BASELINE.name), levels.get(BARE.name)):
        if other is not None:
            print(f"  sfui vs {other.app}: slowest first token {worst(other) / max(worst(sfui), 1e-3):.1f}x sooner "
                  f"({other.app} {worst(other):.1f} s{'' if other.slowest is not None else ' or more'}), "
                  f"throughput {sfui.throughput / max(other.throughput, 1e-3):.1f}x")


def run(args: argparse.Namespace) -> None:
    specs = [{"sfui": SFUI, "baseline": BASELINE, "bare": BARE}[name] for name in args.apps.split(",")]
    specs += [dataclasses.replace(SFUI, name=f"sfui {p.resolve().name}"[:13], script=str(p.resolve() / "app.py"))
              for p in args.against]
    upstream = LightUpstream() if args.upstream == "light" else Upstream()
    try:
        print(f"Each answer: {args.answer.tokens} tokens at {args.answer.rate:g}/s after {args.first_token_ms:g} ms "
              f"(the upstream's first token), from the {upstream.name} upstream. "
              f"Load average {os.getloadavg()[0]:.1f}.")
        print("  app           level | slowest  median | over upstream / client | complete answers/s | app CPU s")
        for cpus in args.cpus:
            print(f"the app on {cpus} core{'s' if cpus > 1 else ''}:")
            within: dict[str, int] = {}
            for visitors in args.levels:
                floor = client_alone(upstream, args.answer, args.first_token_ms, visitors)
                print_level(floor, floor, args.first_token_ms)
                levels = {spec.name: measure_app(spec, upstream, visitors, args, cpus) for spec in specs}
                for level in levels.values():
                    print_level(level, floor, args.first_token_ms)
                    if level.slowest is not None and floor.slowest is not None \
                            and level.slowest - floor.slowest <= WITHIN:
                        within[level.app] = max(within.get(level.app, 0), visitors)
                print_ratios(levels)
            print("  largest level whose slowest first token is within 1 s of the client alone's: "
                  + ", ".join(f"{spec.name} {within.get(spec.name, 'none')}" for spec in specs))
        print(f"Load average at the end {os.getloadavg()[0]:.1f}.")
    finally:
        upstream.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="50,100,200,300", help="visitors at once (default 50,100,200,300)")
    parser.add_argument("--apps", default="sfui,baseline", help="of sfui, baseline, bare (default sfui,baseline)")
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="also this checkout's sfui (its app.py), as 'sfui <folder>' (repeatable)")
    parser.add_argument("--cpus", default="2", help="cores the app may use, one run each (e.g. 1,2)")
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--first-token-ms", type=float, default=0.0)
    parser.add_argument("--limit", type=int, help="SFUI_CONCURRENCY_LIMIT for sfui (default: the app's own)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a visitor waits for a whole answer")
    parser.add_argument("--upstream", choices=("light", "fake"), default="light",
                        help="light: bench/light_upstream.py (default); fake: the tests' threaded fake server")
    args = parser.parse_args(argv)
    args.levels = [int(n) for n in args.levels.split(",")]
    args.cpus = [int(n) for n in args.cpus.split(",")]
    args.answer = Answer(args.tokens, args.rate)
    isolate_environment()
    run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
