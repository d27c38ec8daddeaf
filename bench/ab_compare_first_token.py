"""Paired A/B of the Compare tab's first token against the single chat's, in one
app process and one browser: the figure behind the "compare, 3 models" row of
``python -m bench.run`` (Enter -> the slowest of three panes' first answer text,
minus the chat's Enter -> first token), in a couple of minutes.

One chat page (bench/measure_browser.py) and one Compare page with three models
(bench/measure_compare.py), each opened once and warmed up by one question; then
each round asks both, alternating which goes first, so both see the same load on
a shared machine. Every question is a follow-up in its page, as in bench/run.py.

Besides the first token, each question is broken down by where its time went:

- *request*: Enter -> the app's (last) request reached the fake upstream (the
  page's dispatch, Gradio's join and queue, the handler up to its request);
- *rest*: the upstream's (last) first chunk -> the (slowest) first text on
  screen: the handler's read, the frames, the wire, the page's rendering;
- for compare, the *fastest pane*'s first token too (when it differs from the
  slowest, the panes' first tokens came in different frames), and the *spread*:
  the first request's arrival at the fake upstream -> the last one's.

bench/trace_compare.py records one question in DevTools (trace and CPU profile)
to see where the page's part goes.

``--against PATH`` also starts the app of another checkout (e.g. ``git worktree
add /tmp/base main``) in a second process against the same fake upstream and
alternates the two apps within each round: a before/after of a change, paired.

Run: ``python -m bench.ab_compare_first_token [--rounds N] [--against PATH]``.
Prints figures; asserts nothing about them.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import time
from contextlib import AsyncExitStack
from pathlib import Path

from bench import measure_browser, measure_compare
from bench.apps import SFUI, AppProcess
from bench.common import TEST_KEY, Answer, FakeSiliconFlow
from bench.measure_browser import SETTLE_BETWEEN_QUESTIONS, chromium
from tests.support.launch import isolate_environment

ANSWER = Answer(tokens=20, rate=100.0)  # bench/run.py's short answer
TIMEOUT = 30.0


def _wall(monotonic: float | None) -> float | None:
    return None if monotonic is None else monotonic + (time.time() - time.monotonic())


def _upstream(fake: FakeSiliconFlow, since: float, count: int) -> tuple[float | None, float | None]:
    """(the last of ``count`` requests' arrival, the last first chunk), wall clock, of the requests after ``since``."""
    received = [r for r in fake.chat_received() if r.time >= since][:count]
    if len(received) < count:
        return None, None
    arrived = [_wall(r.time) for r in received]
    firsts = [_wall(r.first_chunk_at) for r in received]
    return max(arrived), (None if None in firsts else max(firsts))  # type: ignore[type-var]


def _sample(sent: float, first: float | None, arrived: float | None, upstream_first: float | None) -> dict:
    def ms(a: float | None, b: float | None) -> float:
        return float("nan") if a is None or b is None else (b - a) * 1000

    return {"first token": ms(sent, first), "request": ms(sent, arrived), "rest": ms(upstream_first, first)}


async def ask_chat(page, app: AppProcess, fake: FakeSiliconFlow) -> dict:
    ANSWER.push(fake)
    since = time.monotonic()
    turn = await measure_browser.ask(page, app, TIMEOUT)
    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
    return _sample(turn.sent, turn.first, *_upstream(fake, since, 1))


async def ask_compare(page, fake: FakeSiliconFlow) -> dict:
    panes = measure_compare.PANES
    ANSWER.push(fake, panes)
    since = time.monotonic()
    turn = (await measure_compare.ask(page, TIMEOUT)).slowest
    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
    fastest = min((p.first for p in (await measure_compare.read_turn(page)).panes if p.first), default=None)
    sample = _sample(turn.sent, turn.first, *_upstream(fake, since, panes))
    sample["fastest pane"] = float("nan") if fastest is None else (fastest - turn.sent) * 1000
    arrived = [r.time for r in fake.chat_received() if r.time >= since][:panes]
    sample["spread"] = (max(arrived) - min(arrived)) * 1000 if len(arrived) == panes else float("nan")
    return sample


async def measure(apps: dict[str, AppProcess], fake: FakeSiliconFlow, rounds: int) -> dict[str, dict[str, list]]:
    """{app: {"chat"|"compare": [sample per round]}}, after one warm-up question on each page."""
    results: dict[str, dict[str, list]] = {name: {"chat": [], "compare": []} for name in apps}
    async with chromium() as browser, AsyncExitStack() as pages:
        opened = {}
        for name, app in apps.items():
            chat_context, chat_page = await measure_browser.open_chat(browser, app)
            pages.push_async_callback(chat_context.close)
            compare_context, compare_page = await measure_compare.open_compare(browser, app)
            pages.push_async_callback(compare_context.close)
            opened[name] = (chat_page, compare_page)
        for i in range(rounds + 1):
            names = list(apps) if i % 2 else list(reversed(apps))
            for name in names:
                chat_page, compare_page = opened[name]
                for what in ("chat", "compare") if (i // 2) % 2 else ("compare", "chat"):
                    if what == "chat":
                        sample = await ask_chat(chat_page, apps[name], fake)
                    else:
                        sample = await ask_compare(compare_page, fake)
                    if i:  # the first round warms every page up
                        results[name][what].append(sample)
            fake.reset()
    return results


def _median(samples: list[dict], key: str) -> float:
    values = [s[key] for s in samples if s[key] == s[key]]
    return statistics.median(values) if values else float("nan")


def report(results: dict[str, dict[str, list]], rounds: int, load: tuple[float, float]) -> None:
    print(f"Compare (3 panes, slowest) vs chat, first token: median of {rounds} paired rounds; "
          f"load average {load[0]:.2f} -> {load[1]:.2f}")
    for name, variants in results.items():
        chat, compare = variants["chat"], variants["compare"]
        diffs = [c["first token"] - h["first token"] for h, c in zip(chat, compare, strict=True)]
        print(f"  [{name}]")
        for what, samples in (("chat", chat), ("compare", compare)):
            keys = ("first token", "request", "rest", *(("fastest pane", "spread") if what == "compare" else ()))
            figures = "  ".join(f"{key} {_median(samples, key):6.0f} ms" for key in keys)
            print(f"    {what:8s} {figures}")
        paired = statistics.median(d for d in diffs if d == d) if any(d == d for d in diffs) else float("nan")
        print(f"    compare - chat: {_median(compare, 'first token') - _median(chat, 'first token'):+.0f} ms "
              f"(median of the paired differences {paired:+.0f} ms)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=12, help="paired rounds (default 12)")
    parser.add_argument("--against", type=Path, help="also run this checkout's app.py, alternating with this one's")
    args = parser.parse_args(argv)
    isolate_environment()
    load = os.getloadavg()[0]
    specs = {"this tree": SFUI}
    if args.against:
        specs = {"against": dataclasses.replace(SFUI, script=str(args.against.resolve() / "app.py")), **specs}
    with FakeSiliconFlow(api_key=TEST_KEY) as fake:
        apps: dict[str, AppProcess] = {}
        try:
            for name, spec in specs.items():
                apps[name] = AppProcess.start(spec, fake.base_url)
            results = asyncio.run(measure(apps, fake, args.rounds))
        finally:
            for app in apps.values():
                app.stop()
    report(results, args.rounds, (load, os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
