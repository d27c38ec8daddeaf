"""What the public demo's budgets (issue 20) cost: the budget check per request, and the
first token with budgets on against off, each in one run.

    python -m bench.budget           # full run (~2 minutes on 2 cores)
    python -m bench.budget --quick   # tiny sizes, for the smoke test (~15 s); figures not meaningful
    options: --dir DIR (where the SQLite counters go, e.g. /dev/shm to leave the disk out)
    (run from the repository root: bench/ and tests/support/ are imported as packages)

1. The budget check, in this process: ``DemoGuard.admit`` + ``Spending.settle`` +
   ``Spending.close`` for one Ask (a chat with 10 messages of history and the question,
   the page's default request fields, ``deepseek-ai/DeepSeek-V3`` at its built-in ¥2/¥8
   per million tokens), as sfui.ui.chat_handlers.stream_reply calls them. Budgets on: a
   real SQLiteSpendStore in a temporary folder (the system's, or under --dir), money budgets
   large enough that nothing is refused, the default requests per minute (30) and
   answers at once (2), sfui's INFO log line per settled request written (to /dev/null,
   formatted as app.py formats it). Off: the guard an app without limits has (every
   limit 0, no store). Also, not judged, money budgets only (no per-minute and at-once
   limits), to show those limits' share. The visitors are a pool (an address and a signed
   browser id each) taken in turn, so no one reaches the per-minute limit. The guards
   alternate request by request; then on and off with several threads at once (each its
   own visitors), rounds of on and of off alternating. Wall-clock p50 and p99, and the p99
   of the calling thread's CPU time (the check without its waits for the disk, a core or
   the GIL). Goal: at most 2 ms more per request (p50 and p99).
2. The first token: two sfui processes (``python app.py``) on the same fake upstream,
   budgets on (a priced model through an SFUI_PRICES file, money budgets of ¥1,000,000,
   requests per minute and answers at once on with room to spare) and every limit off;
   one visitor without a browser speaks Gradio's queue protocol to each (as
   bench/measure_protocol.py does: join -> the first frame with answer text), the
   question after 10 messages of history, asking the two apps in turn (AB BA AB ...), one
   request at a time. Median and p90 of each, and the difference. Goal: at most +5 ms.
   Afterwards the budgets-on app's counters are read back, to show every request was
   held and settled.

The machine is shared (2 cores here): the load average is printed; the figures that
matter are the same-run differences.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from bench.apps import SFUI, AppProcess, _terminate, _wait_until_serving, app_env
from bench.common import MODEL, ROOT, TEST_KEY, Answer, FakeSiliconFlow, free_port, message_text
from bench.gradio_protocol import QueueEvent
from bench.measure_protocol import QUESTION, chat_endpoint, timed_answer
from tests.support.launch import isolate_environment

GUARD_GOAL_MS = 2.0
FIRST_TOKEN_GOAL_MS = 5.0
GUARD_MODEL = "deepseek-ai/DeepSeek-V3"  # priced in the built-in ¥ table (¥2 in, ¥8 out per million)
APP_PRICE = {"input": 2.0, "output": 8.0}  # the budgets-on app's SFUI_PRICES entry for MODEL
BIG_BUDGET = 1_000_000.0
MONEY_ONLY = "on, money only"  # not judged: shows the share of the per-minute and at-once limits
VISITORS = 1000  # the guard's visitor pool (each asks a few times a minute at most)
SETTLE_BETWEEN_QUESTIONS = 0.15  # seconds after an answer ends, before the next question

# Ten messages of a chat before the question: five questions and their answers, of a realistic length.
_QUESTIONS = ("How do I read a CSV file in Python?", "And skip the header row?", "What if a field has commas?",
              "How big a file can it handle?", "Can I write it back out sorted by the second column?")
_ANSWER = ("Use the csv module: open the file with newline='' and wrap it in csv.reader, which yields each row "
           "as a list of strings. For example:\n\n```python\nimport csv\nwith open('data.csv', newline='') as f:\n"
           "    for row in csv.reader(f):\n        print(row)\n```\n\nQuoted fields may hold commas and "
           "newlines; the reader handles them. It streams, so the file's size is limited by your disk, not memory.")
HISTORY = [m for q in _QUESTIONS for m in ({"role": "user", "content": q}, {"role": "assistant", "content": _ANSWER})]


@dataclass(frozen=True)
class Sizes:
    guard_requests: int  # one thread: requests on each guard
    threads: int  # at once, for the contention figures
    thread_requests: int  # each thread's requests on each guard, over all rounds
    rounds: int  # contention: rounds of on and of off, alternating
    samples: int  # first tokens on each app
    warmups: int  # first tokens on each app before the samples (not counted)
    answer: Answer


FULL = Sizes(guard_requests=2000, threads=8, thread_requests=250, rounds=5, samples=60, warmups=3,
             answer=Answer(10, 100))
QUICK = Sizes(guard_requests=200, threads=8, thread_requests=10, rounds=2, samples=3, warmups=1,
              answer=Answer(5, 100))

_T0 = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest rank: the smallest value with at least ``q`` of them at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 1))
    return ordered[int(min(rank, len(ordered))) - 1]


# --- 1. the budget check, in this process ----------------------------------------------------------


@dataclass
class GuardTimes:
    """Per request, in ms: the whole check (wall and the thread's CPU time), and its two halves (wall)."""

    total: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the calling thread's CPU: no waits for the disk, a core or the GIL
    admit: list[float] = field(default_factory=list)
    settle: list[float] = field(default_factory=list)  # settle + close


def make_guards(folder: Path) -> tuple[dict[str, Any], list[Any]]:
    """The guards an app with the demo's budgets (MONEY_ONLY: without the per-minute and at-once
    limits) and one without limits build (sfui.ui.common.AppContext), by name; and their stores."""
    import secrets

    from sfui.budget import DemoGuard
    from sfui.budget_limits import VARIABLES, resolve_limits
    from sfui.budget_store import SQLiteSpendStore
    from sfui.prices import YUAN, PriceList, built_in
    from sfui.visitors import VisitorKeys

    prices = PriceList(built_in(YUAN), YUAN)
    on_limits = resolve_limits({"visitor_budget": BIG_BUDGET, "daily_budget": BIG_BUDGET}, server_key=True,
                               prices_known=True, currency=YUAN)
    off_limits = resolve_limits(dict.fromkeys(VARIABLES, 0), server_key=True, prices_known=True, currency=YUAN)
    assert on_limits.money and on_limits.visitor_rpm and on_limits.visitor_streams, on_limits
    assert not (off_limits.money or off_limits.visitor_rpm or off_limits.visitor_streams), off_limits
    money_limits = replace(on_limits, visitor_rpm=0, visitor_streams=0)
    stores = [SQLiteSpendStore(folder / name / "budgets.sqlite3") for name in ("on", "money")]
    guards = {
        "on": DemoGuard(on_limits, prices, stores[0], VisitorKeys(stores[0].secret())),
        "off": DemoGuard(off_limits, prices, None, VisitorKeys(secrets.token_bytes(32))),
        MONEY_ONLY: DemoGuard(money_limits, prices, stores[1], VisitorKeys(stores[1].secret())),
    }
    return guards, stores


def the_ask():
    """One chat request as stream_reply builds it, and what it cost once answered."""
    from sfui.api.events import Usage
    from sfui.budget import Ask
    from sfui.chat import api_messages
    from sfui.params import Controls
    from sfui.prices import YUAN, built_in

    messages = api_messages([*HISTORY, {"role": "user", "content": QUESTION}])
    ask = Ask(GUARD_MODEL, messages, Controls().to_params())
    prompt = ask.prompt_estimate()
    cost = built_in(YUAN)[GUARD_MODEL].cost(Usage(prompt_tokens=prompt // 4, completion_tokens=300,
                                                  total_tokens=prompt // 4 + 300))
    return ask, cost


def filesystem(path: Path) -> str:
    """The type of the filesystem ``path`` is on (from /proc/mounts), or "?"."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "?"
    resolved = str(path.resolve())
    best = max((m for m in mounts if resolved == m[0] or resolved.startswith(m[0].rstrip("/") + "/")),
               key=lambda m: len(m[0]), default=None)
    return best[1] if best else "?"


def check_once(guard, visitor, asks: list, cost: float, times: GuardTimes) -> bool:
    """One request's check, timed; False if it was refused."""
    from sfui.budget import Refusal

    clock, cpu = time.perf_counter_ns, time.thread_time_ns
    start_cpu, start = cpu(), clock()
    spending = guard.admit(visitor, asks, "en")
    admitted = clock()
    if isinstance(spending, Refusal):
        return False
    spending.settle(cost)
    spending.close()
    end, end_cpu = clock(), cpu()
    times.total.append((end - start) / 1e6)
    times.cpu.append((end_cpu - start_cpu) / 1e6)
    times.admit.append((admitted - start) / 1e6)
    times.settle.append((end - admitted) / 1e6)
    return True


def sfui_log_like_app_py() -> None:
    """sfui's INFO lines formatted as app.py's logging.basicConfig does, written to /dev/null."""
    handler = logging.StreamHandler(open(os.devnull, "w"))  # kept open for the whole run
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def measure_guard(sizes: Sizes, folder: Path) -> dict[str, GuardTimes]:
    """Keys: "on", "off", MONEY_ONLY (one thread), "on, N threads", "off, N threads"."""
    from sfui.visitors import Visitor

    sfui_log_like_app_py()
    guards, stores = make_guards(folder)
    ask, cost = the_ask()
    asks = [ask]
    visitors = {name: [Visitor(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", guard.keys.mint())
                       for i in range(VISITORS)] for name, guard in guards.items()}
    names = list(guards)
    refused = 0
    times = {name: GuardTimes() for name in guards}
    # Warm-up (SQLite's pages, the rate limiter's keys), then the guards in turn, request by request,
    # each first as often as the others.
    warm = GuardTimes()
    for i in range(min(200, sizes.guard_requests)):
        for name in names:
            refused += not check_once(guards[name], visitors[name][i % VISITORS], asks, cost, warm)
    progress(f"budget check: {sizes.guard_requests} requests on each guard, one thread")
    for i in range(sizes.guard_requests):
        for name in names[i % 3:] + names[:i % 3]:
            refused += not check_once(guards[name], visitors[name][(i + 200) % VISITORS], asks, cost, times[name])

    n = sizes.threads
    progress(f"budget check: {n} threads at once, {sizes.thread_requests} requests each on each guard")
    for name in guards:
        times[f"{name}, {n} threads"] = GuardTimes()
    per_round = max(1, sizes.thread_requests // sizes.rounds)
    for r in range(sizes.rounds):
        for name in ("on", "off") if r % 2 == 0 else ("off", "on"):
            shared = times[f"{name}, {n} threads"]
            refused += contend(guards[name], visitors[name], asks, cost, n, per_round, r, shared)
    for store in stores:
        store.close()
    if refused:
        raise RuntimeError(f"the budget check refused {refused} requests: the figures would not be of admitted ones")
    return times


def contend(guard, visitors: list, asks: list, cost: float, threads: int, requests: int, round_: int,
            shared: GuardTimes) -> int:
    """``threads`` threads released together, each checking ``requests`` requests of its own
    visitors; the timings added to ``shared``. How many were refused."""
    barrier = threading.Barrier(threads)
    results: list[tuple[GuardTimes, int]] = []
    lock = threading.Lock()

    def work(t: int) -> None:
        mine, refused = GuardTimes(), 0
        barrier.wait()
        for j in range(requests):
            # Thread t's visitors: indices t, t + threads, ... (two threads never share one).
            visitor = visitors[(t + threads * (j + round_ * requests)) % VISITORS]
            refused += not check_once(guard, visitor, asks, cost, mine)
        with lock:
            results.append((mine, refused))

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for mine, _ in results:
        shared.total += mine.total
        shared.cpu += mine.cpu
        shared.admit += mine.admit
        shared.settle += mine.settle
    return sum(refused for _, refused in results)


def guard_report(times: dict[str, GuardTimes], threads: int) -> tuple[list[str], bool]:
    lines = [f"{'':32}{'p50 ms':>9}{'p99 ms':>9}{'CPU p99':>9}   (admit p50 / settle+close p50)"]
    met = True
    for suffix in ("", f", {threads} threads"):
        on, off = times["on" + suffix], times["off" + suffix]
        for name in ("off" + suffix, "on" + suffix, *([MONEY_ONLY] if not suffix else [])):
            t = times[name]
            lines.append(f"{'budgets ' + name:32}{percentile(t.total, .5):9.3f}{percentile(t.total, .99):9.3f}"
                         f"{percentile(t.cpu, .99):9.3f}   "
                         f"({percentile(t.admit, .5):.3f} / {percentile(t.settle, .5):.3f}; n={len(t.total)})"
                         + ("  not judged: no per-minute and at-once limits" if name == MONEY_ONLY else ""))
        d50 = percentile(on.total, .5) - percentile(off.total, .5)
        d99 = percentile(on.total, .99) - percentile(off.total, .99)
        ok = d50 <= GUARD_GOAL_MS and d99 <= GUARD_GOAL_MS
        # The app calls the guard on its event loop, one check after another: the threads'
        # figures show the store's lock under contention no visitor meets, and are not judged.
        judged = not suffix
        met = met and (ok or not judged)
        verdict = ("met" if ok else "NOT MET") if judged else ("within" if ok else "over") + (
            " (not judged: the app checks on its event loop, one at a time)")
        lines.append(f"{'difference' + suffix:32}{d50:+9.3f}{d99:+9.3f}{'':9}   goal <= +{GUARD_GOAL_MS:g} ms: "
                     f"{verdict}")
    return lines, met


# --- 2. the first token, two apps -----------------------------------------------------------------


def start_app(upstream: str, extra_env: dict[str, str], log: Path) -> AppProcess:
    """``python app.py`` as bench/apps.py starts it, with ``extra_env`` over its environment."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    with open(log, "ab") as out:
        popen = subprocess.Popen([sys.executable, SFUI.script], cwd=ROOT, env={**app_env(upstream, port), **extra_env},
                                 stdout=out, stderr=subprocess.STDOUT)
    return AppProcess(SFUI, url, popen, time.perf_counter() - started)


def wait_serving(app: AppProcess) -> None:
    try:
        _wait_until_serving(app.url, app.popen)
    except BaseException:
        _terminate(app.popen)
        raise


def app_envs(folder: Path) -> dict[str, dict[str, str]]:
    prices = folder / "prices.json"
    prices.write_text(json.dumps({MODEL: APP_PRICE}))
    off = {"SFUI_VISITOR_BUDGET": "0", "SFUI_DAILY_BUDGET": "0", "SFUI_VISITOR_RPM": "0", "SFUI_VISITOR_STREAMS": "0"}
    on = {"SFUI_PRICES": str(prices), "SFUI_VISITOR_BUDGET": f"{BIG_BUDGET:g}", "SFUI_DAILY_BUDGET": f"{BIG_BUDGET:g}",
          "SFUI_VISITOR_RPM": "100000", "SFUI_VISITOR_STREAMS": "100"}
    return {"on": {**on, "SFUI_DATA_DIR": str(folder / "on")}, "off": {**off, "SFUI_DATA_DIR": str(folder / "off")}}


def as_page_holds_it(messages: list[dict]) -> list[dict]:
    """The chat as the page holds it and sends it back (the Chatbot's own serialization)."""
    import gradio as gr  # only here: isolate_environment() has run

    return gr.Chatbot().postprocess(messages).model_dump()


def new_answer_text(answers_before: int) -> Callable[[list], str]:
    def text(outputs: list) -> str:
        chat = (outputs[0] if outputs else None) or ()
        answers = [m for m in chat if isinstance(m, dict) and m.get("role") == "assistant"]
        return message_text(answers[-1]) if len(answers) > answers_before else ""

    return text


async def first_tokens(apps: dict[str, AppProcess], fake: FakeSiliconFlow, sizes: Sizes, history: list[dict],
                       timeout: float) -> dict[str, list[float | None]]:
    """Seconds from joining the queue to the first frame with answer text; None: none came (refused).
    ``history``: HISTORY as the page holds it."""
    answer_text = new_answer_text(sum(1 for m in HISTORY if m["role"] == "assistant"))
    samples: dict[str, list[float | None]] = {name: [] for name in apps}
    async with httpx.AsyncClient(timeout=timeout) as http:
        calls = {}
        for name, app in apps.items():
            config = (await http.get(app.url + "config")).json()
            calls[name] = chat_endpoint(config, history)
        clients = {name: httpx.AsyncClient(base_url=app.url, timeout=timeout) for name, app in apps.items()}
        try:
            names = list(apps)
            for i in range(sizes.warmups + sizes.samples):
                for name in names if i % 2 == 0 else names[::-1]:  # AB BA AB ...
                    sizes.answer.push(fake)
                    fn_index, data = calls[name]
                    timing, _ = await timed_answer(clients[name], QueueEvent(fn_index, data), answer_text, timeout)
                    if i >= sizes.warmups:
                        samples[name].append(timing.first_token)
                    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        finally:
            for client in clients.values():
                await client.aclose()
    return samples


def counters_read_back(db: Path) -> str:
    """What the budgets-on app's store holds: requests spent against everyone, and holds left."""
    if not db.exists():
        return f"WARNING: the budgets-on app made no store at {db}: its budgets were not on"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        everyone = con.execute("SELECT spent, held FROM spend WHERE counter = 'everyone'").fetchall()
        holds = con.execute("SELECT count(*) FROM holds").fetchone()[0]
        counters = con.execute("SELECT count(DISTINCT counter) FROM spend").fetchone()[0]
    from sfui.budget_store import money

    spent = sum(money(s) for s, _ in everyone)
    held = sum(money(h) for _, h in everyone)
    state = "every request held and settled" if spent > 0 and not held and not holds else "WARNING: unexpected"
    return (f"budgets-on app's counters: everyone spent ¥{spent:.4f}, held ¥{held:.4f}, {holds} holds open, "
            f"{counters} counters: {state}")


def measure_first_token(sizes: Sizes, folder: Path) -> tuple[dict[str, list[float | None]], str]:
    envs = app_envs(folder)
    with FakeSiliconFlow(api_key=TEST_KEY) as fake, ExitStack() as stack:
        progress("first token: starting the two apps (budgets on, budgets off)")
        apps = {}
        for name, extra in envs.items():  # both start at once; then both must serve
            apps[name] = start_app(fake.base_url, extra, folder / f"app-{name}.log")
            stack.callback(apps[name].stop)
        history = as_page_holds_it(HISTORY)  # imports gradio here while the apps start
        for app in apps.values():
            wait_serving(app)
        progress(f"first token: {sizes.samples} questions to each app, in turn (+{sizes.warmups} warm-up each)")
        timeout = 60.0 + 3.0 * sizes.answer.duration
        samples = asyncio.run(first_tokens(apps, fake, sizes, history, timeout))
        if fake.errors:
            progress(f"WARNING: the fake upstream raised {fake.errors!r}")
        read_back = counters_read_back(Path(envs["on"]["SFUI_DATA_DIR"]) / "budgets.sqlite3")
    return samples, read_back


def first_token_report(samples: dict[str, list[float | None]]) -> tuple[list[str], bool]:
    lines = [f"{'':28}{'median ms':>10}{'p90 ms':>9}"]
    figures = {}
    for name in ("off", "on"):
        got = [s * 1000 for s in samples[name] if s is not None]
        missing = len(samples[name]) - len(got)
        figures[name] = (percentile(got, .5), percentile(got, .9))
        lines.append(f"{'budgets ' + name:28}{figures[name][0]:10.1f}{figures[name][1]:9.1f}   (n={len(got)}"
                     + (f", {missing} WITHOUT A FIRST TOKEN" if missing else "") + ")")
    d50 = figures["on"][0] - figures["off"][0]
    d90 = figures["on"][1] - figures["off"][1]
    pairs = [(a - b) * 1000 for a, b in zip(samples["on"], samples["off"], strict=True)
             if a is not None and b is not None]
    ok = d50 <= FIRST_TOKEN_GOAL_MS and all(len(samples[n]) == len([s for s in samples[n] if s]) for n in samples)
    lines.append(f"{'difference':28}{d50:+10.1f}{d90:+9.1f}   goal <= +{FIRST_TOKEN_GOAL_MS:g} ms (median): "
                 f"{'met' if ok else 'NOT MET'}")
    lines.append(f"{'paired differences, median':28}{percentile(pairs, .5):+10.1f}   (each on sample minus the off "
                 "sample of its pair)")
    return lines, ok


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test); figures are not meaningful")
    parser.add_argument("--dir", type=Path, default=None,
                        help="make the folder of the counters (and the apps' logs) in DIR, e.g. /dev/shm to leave "
                             "the disk out (default: the system's temporary folder)")
    args = parser.parse_args(argv)
    isolate_environment()  # before gradio is imported; the apps get app_env()
    sizes = QUICK if args.quick else FULL
    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="sfui-bench-budget-", dir=args.dir))
    progress(f"counters and app logs in {folder}")

    guard_times = measure_guard(sizes, folder / "guard")
    samples, read_back = measure_first_token(sizes, folder)

    import gradio

    print(f"sfui budgets benchmark{' (--quick: sizes too small to mean anything)' if args.quick else ''} - "
          f"{time.strftime('%Y-%m-%d %H:%M:%S %z')}, {os.cpu_count()} CPUs, load {load_before[0]:.1f} -> "
          f"{os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}, gradio {gradio.__version__}")
    print()
    print(f"Budget check per request: DemoGuard.admit + settle + close, one Ask ({len(HISTORY)} messages of history "
          f"+ the question, {GUARD_MODEL}); on: SQLite store ({filesystem(folder)}), money budgets, "
          "30 requests/min, 2 at once")
    lines, guard_met = guard_report(guard_times, sizes.threads)
    print("\n".join(lines))
    print()
    print(f"First token without a browser (join -> first answer frame), {len(HISTORY)} messages of history, "
          f"two sfui processes asked in turn, same fake upstream")
    lines, first_met = first_token_report(samples)
    print("\n".join(lines))
    print(read_back)
    print()
    print(f"verdict: budget check {'met' if guard_met else 'NOT MET'} (<= +{GUARD_GOAL_MS:g} ms); first token "
          f"{'met' if first_met else 'NOT MET'} (<= +{FIRST_TOKEN_GOAL_MS:g} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
