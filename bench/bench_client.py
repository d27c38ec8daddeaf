"""What sfui's client costs on top of the least any streaming client must do.

    python -m bench.bench_client            # full run (20,000 chunks, 30 first-byte runs)
    python -m bench.bench_client --quick    # smoke run
    (from the repository root)

Both sides read the same fake SiliconFlow (tests/support/sfserver.py, in this process,
on 127.0.0.1) in the same run, alternating, so machine noise hits them alike:

* sfui: ``SiliconFlowClient.chat_stream``: SSE decoding, error detection,
  think-tag splitting, typed events, running totals.
* baseline: ``requests`` ``iter_lines()`` plus ``json.loads`` per ``data:``
  line: the minimum any client must do, with none of the above.

Figures:

(a) per streamed chunk, for a long answer sent as fast as the server can write
    (SiliconFlow style: cumulative usage on every chunk). Wall time includes
    the fake server, which shares the GIL; client CPU is the consuming
    thread's own CPU time (``time.thread_time``), so it excludes the server.
(b) latency from the server writing the first body chunk (after a pause, so
    the client is already waiting in a read) to the consumer holding the first
    text: the fake records ``time.monotonic()`` just before that write.

Prints a table (no pass/fail) and writes JSON to bench/results/client.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import requests

from sfui.api.client import SiliconFlowClient
from sfui.api.events import TextDelta
from tests.support import ROOT
from tests.support.sfserver import FakeSiliconFlow, Scenario, Sleep, stream

KEY = "sk-bench-client"
MODEL = "Qwen/Qwen3-8B"
QUESTION = [{"role": "user", "content": "Count for me."}]
RESULTS = ROOT / "bench" / "results"
FIRST_CHUNK_PAUSE = 0.05  # seconds of silence before the first chunk: the reader is surely blocked

FULL = dict(chunks=20_000, rounds=5, runs=30)
QUICK = dict(chunks=2_000, rounds=2, runs=5)


# --- the two consumers ---------------------------------------------------------------------
# Each takes the fake server, consumes one pushed stream, and returns
# (text chunks seen, monotonic time the first text was in hand).


def consume_sfui(client: SiliconFlowClient) -> tuple[int, float]:
    chunks, first = 0, 0.0
    with client.chat_stream(MODEL, QUESTION) as chat:
        for event in chat:
            if isinstance(event, TextDelta):
                if not chunks:
                    first = time.monotonic()
                chunks += 1
    return chunks, first


def consume_baseline(session: requests.Session, base_url: str) -> tuple[int, float]:
    body = {"model": MODEL, "messages": QUESTION, "stream": True}
    chunks, first = 0, 0.0
    with session.post(f"{base_url}/chat/completions", json=body, stream=True, timeout=(10, 300),
                      headers={"Authorization": f"Bearer {KEY}"}) as response:
        for line in response.iter_lines():
            if not line.startswith(b"data: "):
                continue
            payload = line[6:]
            if payload == b"[DONE]":
                break
            chunk = json.loads(payload)
            if chunk["choices"] and chunk["choices"][0]["delta"].get("content"):
                if not chunks:
                    first = time.monotonic()
                chunks += 1
    return chunks, first


# --- scenarios --------------------------------------------------------------------------------


def long_answer(chunks: int) -> Scenario:
    return stream(["tok "] * chunks)  # unpaced: the server's own speed


def pause_then_answer() -> Scenario:
    """Silence, then a first body chunk that already carries text (the
    role-only opening chunk is dropped, so "first chunk" = "first text")."""
    scenario = stream("Hello there, this is the answer.")
    scenario.steps = [Sleep(FIRST_CHUNK_PAUSE), *scenario.steps[1:]]
    return scenario


# --- measurements ------------------------------------------------------------------------------


def per_chunk(fake: FakeSiliconFlow, consume: Callable[[], tuple[int, float]], chunks: int) -> dict:
    """One long answer: wall and client-thread CPU microseconds per chunk."""
    fake.push(long_answer(chunks))
    wall, cpu = time.perf_counter(), time.thread_time()
    seen, _ = consume()
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    if seen != chunks:
        raise RuntimeError(f"expected {chunks} text chunks, consumed {seen}")
    return {"wall_us": wall / chunks * 1e6, "cpu_us": cpu / chunks * 1e6}


def first_event_latency(fake: FakeSiliconFlow, consume: Callable[[], tuple[int, float]]) -> float:
    """Milliseconds from the server writing the first chunk to the consumer holding its text."""
    fake.push(pause_then_answer())
    seen, first = consume()
    written = fake.received[-1].first_chunk_at
    if not seen or written is None:
        raise RuntimeError("no text arrived")
    return (first - written) * 1e3


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
        "min": ordered[0],
        "samples": [round(s, 4) for s in samples],
    }


def run(chunks: int, rounds: int, runs: int) -> dict:
    with FakeSiliconFlow(api_key=KEY) as fake:
        client = SiliconFlowClient(KEY, fake.base_url, max_retries=0)
        session = requests.Session()
        consumers = {
            "sfui": lambda: consume_sfui(client),
            "baseline": lambda: consume_baseline(session, fake.base_url),
        }
        for consume in consumers.values():  # warm-up: connection pools, lazy imports
            per_chunk(fake, consume, min(chunks, 500))

        throughput: dict[str, list[dict]] = {name: [] for name in consumers}
        latency: dict[str, list[float]] = {name: [] for name in consumers}
        for _ in range(rounds):  # alternate, so drifting machine load hits both sides
            for name, consume in consumers.items():
                throughput[name].append(per_chunk(fake, consume, chunks))
        for _ in range(runs):
            for name, consume in consumers.items():
                latency[name].append(first_event_latency(fake, consume))
        if fake.errors:
            raise RuntimeError(f"the fake server failed: {fake.errors!r}")

    result: dict = {"config": {"chunks": chunks, "rounds": rounds, "runs": runs,
                               "first_chunk_pause_s": FIRST_CHUNK_PAUSE}}
    for name in consumers:
        result[name] = {
            "wall_us_per_chunk": statistics.median(r["wall_us"] for r in throughput[name]),
            "cpu_us_per_chunk": statistics.median(r["cpu_us"] for r in throughput[name]),
            "per_chunk_rounds": throughput[name],
            "first_event_ms": summary(latency[name]),
        }
    sfui, base = result["sfui"], result["baseline"]
    result["ratios"] = {
        "wall_per_chunk": sfui["wall_us_per_chunk"] / base["wall_us_per_chunk"],
        "cpu_per_chunk": sfui["cpu_us_per_chunk"] / base["cpu_us_per_chunk"],
        "first_event_median": sfui["first_event_ms"]["median"] / base["first_event_ms"]["median"],
    }
    return result


# --- report -------------------------------------------------------------------------------------


def table(result: dict) -> str:
    sfui, base, ratios, config = result["sfui"], result["baseline"], result["ratios"], result["config"]
    rows = [
        ("per chunk, wall (µs/chunk)", sfui["wall_us_per_chunk"], base["wall_us_per_chunk"],
         ratios["wall_per_chunk"]),
        ("per chunk, client CPU (µs/chunk)", sfui["cpu_us_per_chunk"], base["cpu_us_per_chunk"],
         ratios["cpu_per_chunk"]),
        ("first byte -> first text, median (ms)", sfui["first_event_ms"]["median"],
         base["first_event_ms"]["median"], ratios["first_event_median"]),
        ("first byte -> first text, p90 (ms)", sfui["first_event_ms"]["p90"], base["first_event_ms"]["p90"],
         sfui["first_event_ms"]["p90"] / base["first_event_ms"]["p90"]),
    ]
    lines = [
        f"sfui client vs. requests+json.loads, fake SiliconFlow on 127.0.0.1: {config['chunks']:,} chunks "
        f"x {config['rounds']} rounds (median), first text over {config['runs']} runs",
        "",
        f"{'':40}{'sfui':>10}{'baseline':>10}{'ratio':>9}",
    ]
    lines += [f"{label:40}{a:>10.2f}{b:>10.2f}{r:>8.2f}x" for label, a, b, r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: few chunks and runs")
    parser.add_argument("--chunks", type=int, help="chunks in the long answer")
    parser.add_argument("--rounds", type=int, help="long answers per side")
    parser.add_argument("--runs", type=int, help="first-byte runs per side")
    parser.add_argument("--out", type=Path, help="JSON results file (default bench/results/client[-quick].json)")
    args = parser.parse_args(argv)

    sizes = dict(QUICK if args.quick else FULL)
    sizes.update({k: v for k, v in (("chunks", args.chunks), ("rounds", args.rounds), ("runs", args.runs)) if v})
    result = run(**sizes)

    out = args.out or RESULTS / ("client-quick.json" if args.quick else "client.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nJSON: {out}")
    return result


if __name__ == "__main__":
    main()
