"""One process behind nginx against two: throughput and the slowest first token.

    python -m bench.measure_cluster [--visitors 200] [--tokens 50] [--rate 50]

Each run starts deploy/cluster.py's cluster (nginx, its own redis-server, N apps) against
bench/light_upstream.py's stand-in for SiliconFlow (a process of its own, one event loop);
``--visitors`` protocol-level visitors (no browsers, bench/gradio_protocol.py) from 20
loopback addresses (the proxy hashes addresses) ask the ``/chat`` endpoint at the same
moment, each in a session of its own; every answer is ``--tokens`` tokens at ``--rate``
tokens/s. SFUI_CONCURRENCY_LIMIT is raised past the visitors, so what is measured is what
the processes can do, not their queue's cap.

The upstream and the visitors run on the same machine as the apps: on 2 cores they take
part of the CPU the apps would have.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.apps import SFUI, app_env
from bench.common import Answer, TurnTiming
from bench.gradio_protocol import QueueEvent
from bench.light_upstream import LightUpstream
from bench.measure_protocol import chat_endpoint, timed_answer
from deploy.cluster import free_port, start_cluster

ADDRESSES = [f"127.0.0.{i}" for i in range(2, 22)]


@dataclass(frozen=True)
class ClusterRun:
    processes: int
    visitors: int
    seconds: float  # from the start line to the last answer's end
    timings: list[TurnTiming]

    @property
    def complete(self) -> int:
        return sum(t.complete for t in self.timings)

    def first_tokens(self) -> list[float]:
        return sorted(t.first_token for t in self.timings if t.first_token is not None)


async def visitors_ask(url: str, visitors: int, timeout: float) -> tuple[float, list[TurnTiming]]:
    clients = [httpx.AsyncClient(base_url=url, timeout=timeout,
                                 transport=httpx.AsyncHTTPTransport(local_address=address, retries=2),
                                 limits=httpx.Limits(max_connections=4 * visitors))
               for address in ADDRESSES]
    try:
        config = (await clients[0].get("config")).json()
        fn_index, data = chat_endpoint(config)
        start = asyncio.Event()

        async def one(i: int) -> TurnTiming:
            await start.wait()
            timing, _ = await timed_answer(clients[i % len(clients)], QueueEvent(fn_index, data),
                                           SFUI.answer_text, timeout)
            return timing

        tasks = [asyncio.create_task(one(i)) for i in range(visitors)]
        await asyncio.sleep(0.2)
        began = time.time()
        start.set()
        timings = list(await asyncio.gather(*tasks))
        return max((t.final or t.sent) for t in timings) - began, timings
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def run(processes: int, visitors: int, answer: Answer, timeout: float = 300.0) -> ClusterRun:
    upstream = LightUpstream()
    try:
        with tempfile.TemporaryDirectory(prefix="sfui-bench-cluster-") as folder:
            env = app_env(upstream.base_url, 0)
            env["SFUI_CONCURRENCY_LIMIT"] = str(visitors + 16)
            cluster = start_cluster(processes, f"127.0.0.1:{free_port()}", Path(folder), env=env, persist=False)
            try:
                upstream.push(answer, 0, visitors + 8)
                asyncio.run(visitors_ask(cluster.url, 4, timeout))  # warm-up: pools, first-call imports
                seconds, timings = asyncio.run(visitors_ask(cluster.url, visitors, timeout))
            finally:
                cluster.stop()
    finally:
        upstream.stop()
    return ClusterRun(processes, visitors, seconds, timings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--tokens", type=int, default=50)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args(argv)
    answer = Answer(args.tokens, args.rate)
    print(f"{args.visitors} visitors at once, answers of {args.tokens} tokens at {args.rate:g} tokens/s "
          f"({answer.duration:.1f} s upstream)")
    print("processes | complete | all answered in | answers/s | first token p50 | slowest first token")
    for processes in (1, 2):
        result = run(processes, args.visitors, answer)
        firsts = result.first_tokens()
        print(f"{processes:9d} | {result.complete:4d}/{result.visitors:<3d} | {result.seconds:13.2f} s | "
              f"{result.complete / result.seconds:9.1f} | {statistics.median(firsts):13.3f} s | "
              f"{max(firsts):17.3f} s", flush=True)


if __name__ == "__main__":
    main()
