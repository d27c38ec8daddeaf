"""Benchmark sfui against the client alone (the floor) and a typical Gradio chat app.

    python -m bench.run            # full run (~10 minutes on 2 cores): prints the table,
                                   # writes bench/results/latest.json and assets/bench.png
    python -m bench.run --quick    # tiny sizes, for the smoke test (1-2 minutes)
    options: --no-chart, --json PATH, --chart PATH
    (run from the repository root: bench/ and tests/support/ are imported as packages)

Everything runs on this machine: a fake SiliconFlow upstream (tests/support/sfserver.py)
streaming scripted answers at fixed token rates, each app as a real
``python <script>`` subprocess pointed at it, and headless Chromium (Playwright)
as the visitor. Rows:

- client alone: ``sfui.SiliconFlowClient`` reading the upstream directly;
- sfui: ``python app.py``;
- compare, 3 models: the same sfui process, its Compare tab asking three models
  at once (its first-token questions asked in turn with the single chat's, from
  a page of each: the difference of the two is what the target judges);
- long conversation: the same sfui process, its saved conversations (measured
  after the compare row): reopening a long one, and the first token deep into one;
- baseline: ``bench/baseline_app.py``, ``gr.ChatInterface`` over the openai SDK;
- bare Gradio: ``bench/bare_app.py``, the reference for cold start; its CPU
  figure is what it burns *idle* while 1,000 tokens would stream.

Metrics (see bench/measure_*.py for how each is taken):

- first token: Enter -> first answer text in the page, median of N questions;
  overhead = that minus the client's own median time to first token;
- long answer (4,000 tokens at 250 tokens/s): how long after the upstream wrote
  the last token the page shows it, and the app's CPU seconds per 1,000 tokens;
- N sessions: N browser contexts press Enter together (200 tokens at 100/s):
  the slowest first token, and the wall time against one session alone; then
  the same with N visitors without browsers, speaking Gradio's queue protocol
  (the server's share, apart from Chromium's);
- compare, 3 models: Enter -> the slowest of the three panes' first answer text
  (median of N questions), its overhead as above and its difference from the
  single chat's; the app's CPU per 1,000 tokens of all three panes together
  while three long answers stream, against the single chat's; and, while three
  long answers stream, the Stop click -> the upstream has seen all three hang up;
- long conversation: a saved 100-turn conversation (thinking and code in every
  turn) clicked in the sidebar -> its last message in view (median of N); the
  first token at turn 50 of an imported conversation against turn 1 of a new
  chat, and the same without a browser (the first SSE message's size), see
  bench/measure_conversations.py;
- cold start: spawning ``python <script>`` -> HTTP 200 on ``/`` (median), against bare Gradio;
- memory: RSS after N conversations (gradio_client, one new visitor each) minus after the first.

After the targets, the CPU share of the app and of Chromium in each browser
phase says which one was the bottleneck. The machine should be otherwise idle:
the figures are latencies on a shared CPU (the load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import measure_browser, measure_client, measure_compare, measure_conversations, measure_protocol
from bench.apps import BARE, BASELINE, SFUI, AppProcess, AppSpec
from bench.common import ROOT, TEST_KEY, Answer, FakeSiliconFlow, TurnTiming, median, wall_time, worst_first_token
from bench.measure_browser import CpuUse
from bench.measure_compare import CompareTurn
from bench.measure_conversations import ConversationSizes, LongConversation
from bench.measure_memory import MemoryResult, rss_after_conversations
from bench.report import (
    COMPARE,
    LONG_CONVERSATION,
    Row,
    Target,
    compare_columns,
    compare_targets,
    conversation_columns,
    conversation_lines,
    conversation_targets,
    format_cpu_use,
    format_reopen,
    format_table,
    format_targets,
    judge,
    protocol_columns,
    protocol_keys,
    protocol_targets,
    session_keys,
    targets,
)
from tests.support.launch import isolate_environment

DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"
DEFAULT_CHART = ROOT / "assets" / "bench.png"
IDLE_SAMPLE_SECONDS = 8.0


@dataclass(frozen=True)
class Sizes:
    first_token_runs: int
    short: Answer  # the answers timed for the first token
    long: Answer
    sessions: tuple[int, ...]  # concurrent visitors (one alone is always measured too)
    session_answer: Answer
    conversations: int
    conversation_answer: Answer
    cold_starts: int
    # Compare's Stop: three of these stream, and Stop is pressed this many seconds into them
    # (every pane showing text by then); the answer must last well past that moment.
    compare_stop: Answer
    compare_stop_after: float
    compare_stop_runs: int
    # The long-conversation rows: how many turns, how many samples.
    conversation: ConversationSizes = measure_conversations.FULL


FULL = Sizes(first_token_runs=12, short=Answer(20, 100), long=Answer(4000, 250), sessions=(8, 32),
             session_answer=Answer(200, 100), conversations=200, conversation_answer=Answer(50, None), cold_starts=3,
             compare_stop=Answer(4000, 250), compare_stop_after=4.0, compare_stop_runs=3)
QUICK = Sizes(first_token_runs=2, short=Answer(10, 100), long=Answer(200, 250), sessions=(2,),
              session_answer=Answer(20, 100), conversations=5, conversation_answer=Answer(20, None), cold_starts=1,
              compare_stop=Answer(1000, 250), compare_stop_after=0.5, compare_stop_runs=1,
              conversation=measure_conversations.QUICK)


@dataclass
class Measurements:
    """Everything measured for one row, before it is summarised."""

    first_token: list[TurnTiming] = field(default_factory=list)
    long: TurnTiming | None = None
    long_last_written: float | None = None  # when the upstream wrote the long answer's last token
    long_cpu: float | None = None  # CPU seconds of the app (or of the client's thread) for the long answer
    long_tokens: int | None = None  # tokens streamed in that time, when not one long answer's (compare: all panes)
    sessions: dict[int, list[TurnTiming]] = field(default_factory=dict)
    protocol_sessions: dict[int, list[TurnTiming]] = field(default_factory=dict)  # visitors without browsers
    cpu_use: dict[str, CpuUse] = field(default_factory=dict)  # phase -> app and Chromium CPU (browser rows)
    cold_starts: list[float] = field(default_factory=list)
    memory: MemoryResult | None = None
    # Compare only: each pane's timing per question (first_token and long hold the slowest pane's),
    # and the seconds from each Stop click to the upstream's last hang-up (None: not all of them).
    pane_turns: list[CompareTurn] = field(default_factory=list)
    long_panes: CompareTurn | None = None
    stops: list[float | None] = field(default_factory=list)
    conversation: LongConversation | None = None  # the long-conversation row only


# --- helpers ------------------------------------------------------------------------------

_T0 = time.monotonic()


def progress(message: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)


def answer_timeout(answer: Answer, queued: int = 1) -> float:
    """Generous: a slow app is reported as slow, and only a hopeless one as a time-out.
    ``queued``: how many answers may have to stream one after another."""
    return 60.0 + 3.0 * answer.duration * queued


def clean_upstream(fake: FakeSiliconFlow) -> None:
    """Between phases: drop answers a timed-out phase left queued; surface fake-server bugs."""
    if fake.errors:
        progress(f"WARNING: the fake upstream raised {fake.errors!r}")
    fake.reset()


# --- measuring ------------------------------------------------------------------------------


def measure_floor(fake: FakeSiliconFlow, sizes: Sizes) -> Measurements:
    progress("client alone")
    client = measure_client.make_client(fake)
    m = Measurements(first_token=measure_client.first_token_runs(client, fake, sizes.short, sizes.first_token_runs))
    m.long, m.long_last_written, m.long_cpu = measure_client.long_answer(client, fake, sizes.long)
    for n in (1, *sizes.sessions):
        m.sessions[n] = measure_client.concurrent_turns(fake, sizes.session_answer, n)
    client.session.close()
    clean_upstream(fake)
    return m


async def measure_compare_tab(browser, app: AppProcess, fake: FakeSiliconFlow, sizes: Sizes,
                              pane_turns: list[CompareTurn]) -> Measurements:
    """The Compare tab with three models, in the process and page set-up the single chat was just measured in;
    ``pane_turns``: its first-token questions, asked in turn with the chat's."""
    panes = measure_compare.PANES
    m = Measurements(pane_turns=pane_turns, first_token=[turn.slowest for turn in pane_turns])
    progress(f"{COMPARE}: {panes} long answers at once ({sizes.long.tokens} tokens at {sizes.long.rate:g}/s each)")
    m.long_panes, m.long_last_written, use = await measure_compare.long_answers(
        browser, app, fake, sizes.long, answer_timeout(sizes.long))
    m.long, m.long_cpu, m.cpu_use["long answers"] = m.long_panes.slowest, use.app, use
    m.long_tokens = panes * sizes.long.tokens
    clean_upstream(fake)
    for _ in range(sizes.compare_stop_runs):
        progress(f"{COMPARE}: Stop {sizes.compare_stop_after:g} s into {panes} long answers")
        m.stops.append(await measure_compare.stop_while_streaming(
            browser, app, fake, sizes.compare_stop, sizes.compare_stop_after, answer_timeout(sizes.short)))
        clean_upstream(fake)
    return m


async def measure_in_browser(browser, spec: AppSpec, fake: FakeSiliconFlow, sizes: Sizes,
                             log: Path) -> dict[str, Measurements]:
    """The app's row, and for an app with a Compare tab the compare row, from one app process."""
    with AppProcess.start(spec, fake.base_url, log) as app:
        m = Measurements()
        rows = {spec.name: m}
        if spec.has_compare:
            progress(f"{spec.name} and {COMPARE}: first token x{sizes.first_token_runs} each, in turn")
            m.first_token, compare_turns = await measure_compare.first_token_runs_with_chat(
                browser, app, fake, sizes.short, sizes.first_token_runs, answer_timeout(sizes.short))
        else:
            progress(f"{spec.name}: first token x{sizes.first_token_runs}")
            m.first_token = await measure_browser.first_token_runs(
                browser, app, fake, sizes.short, sizes.first_token_runs, answer_timeout(sizes.short))
        clean_upstream(fake)
        progress(f"{spec.name}: long answer ({sizes.long.tokens} tokens at {sizes.long.rate:g}/s)")
        m.long, m.long_last_written, use = await measure_browser.long_answer(
            browser, app, fake, sizes.long, answer_timeout(sizes.long))
        m.long_cpu, m.cpu_use["long answer"] = use.app, use
        clean_upstream(fake)
        if spec.has_compare:
            rows[COMPARE] = await measure_compare_tab(browser, app, fake, sizes, compare_turns)
        if spec is SFUI:
            rows[LONG_CONVERSATION] = Measurements(conversation=await measure_conversations.measure(
                browser, app, fake, sizes.short, sizes.conversation, answer_timeout(sizes.short), progress))
            clean_upstream(fake)
        for n in (1, *sizes.sessions):
            phase = f"{n} session{'s' if n > 1 else ''}"
            progress(f"{spec.name}: {phase} at once")
            m.sessions[n], m.cpu_use[phase] = await measure_browser.concurrent_sessions(
                browser, app, fake, sizes.session_answer, n, answer_timeout(sizes.session_answer, n))
            clean_upstream(fake)
        for n in (1, *sizes.sessions):
            progress(f"{spec.name}: {n} at once without browsers (Gradio protocol)")
            m.protocol_sessions[n] = await measure_protocol.concurrent_sessions(
                app, fake, sizes.session_answer, n, answer_timeout(sizes.session_answer, n))
            clean_upstream(fake)
    return rows


def measure_memory(spec: AppSpec, fake: FakeSiliconFlow, sizes: Sizes, log: Path) -> MemoryResult:
    progress(f"{spec.name}: memory over {sizes.conversations} conversations")
    with AppProcess.start(spec, fake.base_url, log) as app:  # a fresh process: its first conversation is the reference
        result = rss_after_conversations(app, fake, sizes.conversation_answer, sizes.conversations)
    clean_upstream(fake)
    return result


def measure_cold_starts(specs: list[AppSpec], fake: FakeSiliconFlow, runs: int,
                        log_dir: Path) -> dict[str, list[float]]:
    """Round robin, so a slow moment of the machine does not land on one app only."""
    progress(f"cold starts x{runs}")
    samples: dict[str, list[float]] = {spec.name: [] for spec in specs}
    for _ in range(runs):
        for spec in specs:
            with AppProcess.start(spec, fake.base_url, log_file(log_dir, spec)) as app:
                samples[spec.name].append(app.cold_start)
    return samples


def idle_cpu(spec: AppSpec, fake: FakeSiliconFlow, sizes: Sizes, log: Path) -> float:
    """CPU seconds an idle app burns in the time the long answer streams: Gradio's queue
    polls every millisecond, so no Gradio app can use less than this per 1,000 tokens."""
    duration = sizes.long.duration
    sample = min(duration, IDLE_SAMPLE_SECONDS)
    progress(f"{spec.name}: idle CPU over {sample:g} s")
    with AppProcess.start(spec, fake.base_url, log) as app:
        time.sleep(1.0)  # past start-up work
        before = app.cpu_seconds()
        time.sleep(sample)
        return (app.cpu_seconds() - before) * duration / sample


async def measure_apps(fake: FakeSiliconFlow, sizes: Sizes, log_dir: Path) -> tuple[dict[str, Measurements], str]:
    results = {}
    async with measure_browser.chromium() as browser:
        for spec in (SFUI, BASELINE):
            results.update(await measure_in_browser(browser, spec, fake, sizes, log_file(log_dir, spec)))
        return results, browser.version


def log_file(log_dir: Path, spec: AppSpec) -> Path:
    return log_dir / f"{spec.name.replace(' ', '-')}.log"  # appended to by every start of that app


# --- summarising ------------------------------------------------------------------------------


def _ms(seconds: float | None) -> float:
    return math.inf if seconds is None else seconds * 1000


def summarise(m: Measurements, sizes: Sizes, floor_first_token_ms: float | None) -> Row:
    row: Row = {}
    if m.first_token:
        first = median(t.first_token for t in m.first_token)
        row["first_token_ms"] = _ms(first)
        if floor_first_token_ms is not None:
            row["overhead_ms"] = row["first_token_ms"] - floor_first_token_ms
    if m.long is not None:
        lag = None if m.long.final is None or m.long_last_written is None else m.long.final - m.long_last_written
        row["long_lag_ms"] = _ms(lag)
    if m.long_cpu is not None:
        row["cpu_s_per_1k"] = m.long_cpu / (m.long_tokens or sizes.long.tokens) * 1000
    if m.stops:
        # The slowest Stop: the promise is that every one takes effect in time.
        row["stop_all_ms"] = math.inf if None in m.stops else _ms(max(m.stops))  # type: ignore[type-var]
    for sessions, keys in ((m.sessions, session_keys), (m.protocol_sessions, protocol_keys)):
        alone = wall_time(sessions.get(1, []))
        for n in (1, *sizes.sessions):
            if n in sessions:
                first_key, wall_key = keys(n)
                row[first_key] = _ms(worst_first_token(sessions[n]))
                wall = wall_time(sessions[n])
                if n > 1:
                    row[wall_key] = math.inf if wall is None or not alone else wall / alone
    if m.cold_starts:
        row["cold_start_s"] = median(m.cold_starts)
    if m.memory is not None:
        row["rss_growth_mb"] = m.memory.growth_mb
    if m.conversation is not None:
        row.update(measure_conversations.summarise(m.conversation, floor_first_token_ms))
    return row


def build_rows(measured: dict[str, Measurements], sizes: Sizes) -> dict[str, Row]:
    floor = summarise(measured["client alone"], sizes, None)
    floor["overhead_ms"] = 0.0  # the floor, by definition
    for n in (1, *sizes.sessions):  # without a browser the floor is the same: the client reading the upstream
        for browser_key, protocol_key in zip(session_keys(n), protocol_keys(n), strict=True):
            if browser_key in floor:
                floor[protocol_key] = floor[browser_key]
    rows = {"client alone": floor}
    for name, m in measured.items():
        if name != "client alone":
            rows[name] = summarise(m, sizes, floor.get("first_token_ms"))
    compare_against_chat(rows)
    bare = rows.get(BARE.name, {}).get("cold_start_s")
    for row in rows.values():
        if bare and row.get("cold_start_s") is not None:
            row["cold_ratio"] = row["cold_start_s"] / bare
    return rows


def compare_against_chat(rows: dict[str, Row]) -> None:
    """The compare row's figures against the single chat's (same app, same run)."""
    compare, chat = rows.get(COMPARE), rows.get(SFUI.name)
    if compare is None or chat is None:
        return
    if compare.get("overhead_ms") is not None and chat.get("overhead_ms") is not None:
        compare["overhead_vs_chat_ms"] = compare["overhead_ms"] - chat["overhead_ms"]
    if compare.get("cpu_s_per_1k") is not None and chat.get("cpu_s_per_1k"):
        compare["cpu_vs_chat"] = compare["cpu_s_per_1k"] / chat["cpu_s_per_1k"]


def _jsonable(value):
    """inf (a time-out) as the string "timeout": JSON has no infinity."""
    if isinstance(value, float) and math.isinf(value):
        return "timeout"
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _git_commit() -> str | None:
    try:
        git = dict(cwd=ROOT, capture_output=True, text=True, timeout=10)
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], **git)
        dirty = subprocess.run(["git", "status", "--porcelain"], **git)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if out.returncode == 0 else None


def environment(chromium_version: str, load_before: tuple[float, ...]) -> dict:
    import gradio

    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "commit": _git_commit(),
        "python": platform.python_version(),
        "gradio": gradio.__version__,
        "chromium": chromium_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test); figures are not meaningful")
    parser.add_argument("--no-chart", action="store_true", help="do not draw the PNG")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON,
                        help=f"results file (default {DEFAULT_JSON.relative_to(ROOT)})")
    parser.add_argument("--chart", type=Path, default=DEFAULT_CHART,
                        help=f"chart file (default {DEFAULT_CHART.relative_to(ROOT)})")
    return parser.parse_args(argv)


def measure_everything(sizes: Sizes, log_dir: Path) -> tuple[dict[str, Measurements], str]:
    """Every row's measurements, and the Chromium version used."""
    with FakeSiliconFlow(api_key=TEST_KEY) as fake:
        measured = {"client alone": measure_floor(fake, sizes)}
        in_browser, chromium_version = asyncio.run(measure_apps(fake, sizes, log_dir))
        measured.update(in_browser)
        for spec in (SFUI, BASELINE):
            measured[spec.name].memory = measure_memory(spec, fake, sizes, log_file(log_dir, spec))
        measured[BARE.name] = Measurements(long_cpu=idle_cpu(BARE, fake, sizes, log_file(log_dir, BARE)))
        for name, samples in measure_cold_starts([SFUI, BASELINE, BARE], fake, sizes.cold_starts, log_dir).items():
            measured[name].cold_starts = samples
    return measured, chromium_version


def print_report(rows: dict[str, Row], measured: dict[str, Measurements], sizes: Sizes, target_list: list[Target],
                 env: dict, quick: bool) -> None:
    print(f"sfui benchmark{' (--quick: sizes too small to mean anything)' if quick else ''} - "
          f"{env['date']}, {env['cpus']} CPUs, load {env['load_average_before'][0]:.1f} -> "
          f"{env['load_average_after'][0]:.1f}, gradio {env['gradio']}, chromium {env['chromium']}")
    print(format_table(rows, sizes.sessions))
    print("(bare Gradio's CPU: what it burns idle while 1,000 tokens would stream - Gradio's queue polls "
          "every millisecond - a floor for any Gradio app)")
    print()
    print(format_targets(rows, target_list))
    print()
    print(f"{COMPARE}: sfui's Compare tab, three models answering at once, in the same app process and page")
    print("set-up as the single chat above; 'vs chat' is against sfui's row of this run")
    print(format_table(rows, sizes.sessions, compare_columns(), ("client alone", SFUI.name, COMPARE)))
    print(format_targets(rows, compare_targets(), "Targets, compare", (COMPARE,)))
    print()
    turns = sizes.conversation
    print(f"{LONG_CONVERSATION}: sfui's saved conversations, in the same app process and page set-up as the single")
    print(f"chat above: the same question in a new chat and at turn {turns.deep_turn} of an imported conversation")
    lines, names = conversation_lines(rows, turns.deep_turn)
    print(format_table(lines, sizes.sessions, conversation_columns(), names))
    print(format_reopen(rows.get(LONG_CONVERSATION, {}), turns.reopen_turns))
    print(format_targets(rows, conversation_targets(turns.reopen_turns, turns.deep_turn),
                         "Targets, long conversations", (LONG_CONVERSATION,)))
    print()
    print("Many visitors without browsers: each speaks Gradio's queue protocol (join + data stream) from one")
    print("event loop, so what is measured is the server, not Chromium (see bench/measure_protocol.py)")
    print(format_table(rows, sizes.sessions, protocol_columns(sizes.sessions)))
    print(format_targets(rows, protocol_targets(max(sizes.sessions)), "Targets, visitors without browsers"))
    print()
    print(format_cpu_use({name: m.cpu_use for name, m in measured.items() if m.cpu_use}, env["cpus"] or 1))


def chart_caption(env: dict) -> str:
    return "\n".join([
        "Rows: client alone = SiliconFlowClient", "reading the fake upstream directly;",
        "sfui = python app.py; compare = its", "Compare tab, 3 models at once;",
        "baseline = gr.ChatInterface", "over the openai SDK.", "",
        f"{env['date'][:16]}", f"{env['cpus']} CPUs, gradio {env['gradio']}",
        f"chromium {env['chromium'].split('.')[0]}, commit {env['commit']}",
        "reproduce: python -m bench.run",
    ])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    isolate_environment()  # no analytics or Hub calls from this process's gradio_client; the apps get app_env()
    sizes = QUICK if args.quick else FULL
    load_before = os.getloadavg()
    if load_before[0] > (os.cpu_count() or 1):  # more runnable work than cores
        progress(f"WARNING: load average {load_before[0]:.1f} on {os.cpu_count()} CPUs: "
                 "other work competes for the CPU, expect noisy figures")
    log_dir = Path(tempfile.mkdtemp(prefix="sfui-bench-"))
    progress(f"app logs in {log_dir}")

    measured, chromium_version = measure_everything(sizes, log_dir)
    rows = build_rows(measured, sizes)
    target_list = targets(max(sizes.sessions), sizes.conversations)
    env = environment(chromium_version, load_before)
    print_report(rows, measured, sizes, target_list, env, args.quick)

    results = {
        "environment": env,
        "sizes": asdict(sizes),
        "rows": rows,
        "targets": judge(rows, target_list),
        "targets_without_browsers": judge(rows, protocol_targets(max(sizes.sessions))),
        "targets_compare": judge(rows, compare_targets(), (COMPARE,)),
        "targets_conversations": judge(rows, conversation_targets(sizes.conversation.reopen_turns,
                                                                  sizes.conversation.deep_turn),
                                       (LONG_CONVERSATION,)),
        "raw": {name: asdict(m) for name, m in measured.items()},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_jsonable(results), indent=1) + "\n")
    print(f"\nresults: {args.json}")
    if not args.no_chart:
        from bench.chart import draw_chart

        chart_targets = target_list + protocol_targets(max(sizes.sessions)) + compare_targets()
        print(f"chart: {draw_chart(rows, chart_targets, args.chart, chart_caption(env))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
