"""Where memory grows over many chats: the app in this process under ``tracemalloc``.

    python -m bench.profile_memory [--chats 200] [--page-loads] [--ttl SECONDS] [--top 15] [--rss-only]

The app (sfui.ui.build_demo) is launched in this process against the fake SiliconFlow; each
chat is a new visitor (a new Gradio session) asking ``/chat`` through the queue protocol
(bench/gradio_protocol.py), a few at a time, as bench/measure_memory.py asks through
gradio_client. After a warm-up, a snapshot; after the chats (and a garbage collection),
another: the lines that allocated the most of what is still held are printed, grouped by
the line that allocated and by its caller three frames up, with Gradio's count of sessions
held. ``--ttl``: SFUI_SESSION_TTL for the run (sessions idle that long are let go; the run
waits for one sweep before the last snapshot).

The figures are what this process holds, the client's side included (it is freed after each
chat); they name where the growth is, bench/measure_memory.py measures it as RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import secrets
import time
import tracemalloc

import httpx
import psutil

from bench.gradio_protocol import QueueEvent
from bench.measure_protocol import chat_endpoint
from tests.support.launch import app_launcher, isolate_environment, patient_launch_check
from tests.support.sfserver import FakeSiliconFlow

AT_ONCE = 8


def load_events(config: dict) -> list[tuple[int, list]]:
    """The queued events a page runs when it loads (each input at its initial value)."""
    components = {c["id"]: c for c in config["components"]}
    return [(dep["id"], [None if components[i]["type"] == "state" else components[i].get("props", {}).get("value")
                         for i in dep["inputs"]])
            for dep in config["dependencies"]
            if dep.get("backend_fn") and dep.get("queue") is not False and any(t[1] == "load" for t in dep["targets"])]


async def chats(url: str, count: int, page_loads: bool = False) -> None:
    """``count`` visitors, each a new session: one /chat each, or (``page_loads``) only the
    events a page runs on load, as a visitor who opens the page and leaves it."""
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        config = (await http.get("config")).json()
        events = load_events(config) if page_loads else [chat_endpoint(config)]
        limit = asyncio.Semaphore(AT_ONCE)

        async def one() -> None:
            async with limit:
                session = secrets.token_hex(6)
                for fn_index, data in events:
                    async for _ in QueueEvent(fn_index, data, session).frames(http, 120):
                        pass

        await asyncio.gather(*(one() for _ in range(count)))


def held_mb(snapshot: tracemalloc.Snapshot) -> float:
    return sum(stat.size for stat in snapshot.statistics("filename")) / 2**20


def report(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int) -> None:
    print(f"traced memory held: {held_mb(before):.1f} MB -> {held_mb(after):.1f} MB")
    print(f"\ntop {top} lines by growth:")
    for stat in after.compare_to(before, "lineno")[:top]:
        frame = stat.traceback[0]
        print(f"  {stat.size_diff / 2**20:+7.2f} MB {stat.count_diff:+8d} blocks  {frame.filename}:{frame.lineno}")
    print(f"\ntop {min(top, 8)} by growth, with their callers:")
    for stat in after.compare_to(before, "traceback")[:min(top, 8)]:
        print(f"  {stat.size_diff / 2**20:+7.2f} MB")
        for frame in list(stat.traceback)[-6:]:
            print(f"      {frame.filename}:{frame.lineno}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--ttl", type=float, default=3600.0)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--rss-only", action="store_true", help="no tracemalloc: the RSS growth alone")
    parser.add_argument("--page-loads", action="store_true",
                        help="visitors who only load the page (its load events), no chat")
    args = parser.parse_args(argv)
    isolate_environment()
    patient_launch_check()
    process = psutil.Process()
    with FakeSiliconFlow() as fake, app_launcher(fake) as launch:
        app = launch(session_ttl=args.ttl)
        asyncio.run(chats(app.url, 20))  # warm-up: caches, pools, first-call imports
        gc.collect()
        if not args.rss_only:
            tracemalloc.start(8)
        before, rss_before = tracemalloc.take_snapshot() if not args.rss_only else None, process.memory_info().rss
        started = time.perf_counter()
        asyncio.run(chats(app.url, args.chats, args.page_loads))
        if args.ttl < 60:
            time.sleep(args.ttl + 2 * max(0.5, min(60.0, args.ttl / 4)))  # one sweep after the TTL
        gc.collect()
        after, rss_after = tracemalloc.take_snapshot() if before else None, process.memory_info().rss
        tracemalloc.stop()
        sessions = len(app.demo.server_app.state_holder.session_data)
        what = "page loads" if args.page_loads else "chats"
        traced = "" if args.rss_only else ", tracemalloc's own bookkeeping included"
        print(f"{args.chats} {what} in {time.perf_counter() - started:.1f} s; Gradio holds {sessions} sessions; "
              f"RSS {rss_before / 2**20:.1f} -> {rss_after / 2**20:.1f} MB "
              f"({(rss_after - rss_before) / 2**20:+.1f} MB{traced})")
        if before is None or after is None:
            return
        report(before.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]),
               after.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]), args.top)


if __name__ == "__main__":
    main()
