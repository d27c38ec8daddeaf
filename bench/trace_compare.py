"""Where the page's time goes in one question, chat or compare (3 panes): a DevTools
trace (network, main-thread tasks) and a CPU profile of the page, from the Enter key
to the first answer text, in windows (Enter -> join request, -> each SSE chunk, ->
first text), with the functions taking the most time in each.

Run: ``python -m bench.trace_compare chat|compare [--dump trace.json]``. Tracing and
profiling slow the page down: compare its shares, not its times with the benchmark's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from bench import measure_browser, measure_compare
from bench.apps import SFUI, AppProcess
from bench.common import TEST_KEY, Answer, FakeSiliconFlow
from bench.measure_browser import SETTLE_BETWEEN_QUESTIONS, chromium
from tests.support.launch import isolate_environment

ANSWER = Answer(tokens=20, rate=100.0)
CATEGORIES = ",".join([
    "devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "loading", "v8.execute",
    "toplevel", "disabled-by-default-devtools.timeline.frame", "netlog",
])
MARKS = """
(() => {
  const seen = new Set();
  new MutationObserver(() => {
    const s = window.__compare || window.__bench;
    if (!s || s.sent === null) return;
    if (!seen.has('sent:' + s.sent)) {
      seen.add('sent:' + s.sent);
      performance.mark('bench-sent', {startTime: s.sent});
    }
    const panes = s.panes || [s];
    panes.forEach((p, i) => {
      const key = s.sent + ':' + i;
      if (p.first !== null && !seen.has(key)) {
        seen.add(key);
        performance.mark('bench-first-' + i, {startTime: p.first});
      }
    });
  }).observe(document, {childList: true, subtree: true, characterData: true});
})();
"""


async def trace(page, cdp, take) -> list[dict]:
    chunks: list = []
    done = asyncio.Event()

    def collect(params):
        chunks.extend(params["value"])

    cdp.on("Tracing.dataCollected", collect)
    cdp.on("Tracing.tracingComplete", lambda _: done.set())
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    await cdp.send("Tracing.start", {"categories": CATEGORIES, "transferMode": "ReportEvents"})
    await cdp.send("Profiler.start")
    await take()
    await asyncio.sleep(0.3)
    profile = (await cdp.send("Profiler.stop"))["profile"]
    await cdp.send("Tracing.end")
    await done.wait()
    global PROFILE
    PROFILE = profile
    return chunks


PROFILE = None


def profile_summary(t0: float, t1: float) -> None:
    nodes = {n["id"]: n for n in PROFILE["nodes"]}
    parent = {}
    for n in PROFILE["nodes"]:
        for c in n.get("children", []):
            parent[c] = n["id"]
    self_time, total_time = {}, {}
    ts = PROFILE["startTime"]
    for sample, delta in zip(PROFILE["samples"], PROFILE["timeDeltas"], strict=True):
        ts += delta
        if not (t0 <= ts <= t1):
            continue
        n = nodes[sample]
        cf = n["callFrame"]
        key = f"{cf['functionName'] or '(anon)'} {cf['url'][-25:]}:{cf['lineNumber']}:{cf['columnNumber']}"
        self_time[key] = self_time.get(key, 0) + delta
        seen = set()
        node = sample
        while node is not None:
            cf = nodes[node]["callFrame"]
            k = f"{cf['functionName'] or '(anon)'} {cf['url'][-25:]}:{cf['lineNumber']}:{cf['columnNumber']}"
            if k not in seen:
                seen.add(k)
                total_time[k] = total_time.get(k, 0) + delta
            node = parent.get(node)
    print("--- self time (ms)")
    for k, v in sorted(self_time.items(), key=lambda kv: -kv[1])[:12]:
        print(f"{v/1000:7.1f}  {k}")
    print("--- total time (ms)")
    for k, v in sorted(total_time.items(), key=lambda kv: -kv[1])[:28]:
        print(f"{v/1000:7.1f}  {k}")


def analyse(events: list[dict]) -> None:
    marks = {e["name"]: e["ts"] for e in events if e["name"].startswith("bench-")}
    t0 = marks.get("bench-sent")
    firsts = [v for k, v in marks.items() if k.startswith("bench-first")]
    if t0 is None:
        print("no sent mark", sorted({e['name'] for e in events})[:50])
        return
    end = max(firsts) + 20_000 if firsts else t0 + 1_000_000
    if PROFILE:
        joins = [e["ts"] for e in events if e["name"] == "ResourceSendRequest" and e["ts"] > t0
                 and "queue/join" in e.get("args", {}).get("data", {}).get("url", "")]
        datas = [e["ts"] for e in events if e["name"] == "ResourceReceivedData" and e["ts"] > t0]
        edges = [t0, joins[0] if joins else t0, *(datas[1:3] if len(datas) > 2 else []), max(firsts) if firsts else end]
        for a, b in zip(edges, edges[1:], strict=False):
            print(f"=== window {(a - t0) / 1000:.1f} .. {(b - t0) / 1000:.1f} ms")
            profile_summary(a, b)
    print("marks:", {k: round((v - t0) / 1000, 1) for k, v in marks.items()})
    main_tids = {(e["pid"], e["tid"]) for e in events if e["name"] == "EventDispatch"}
    rows = []
    for e in events:
        ts = e.get("ts", 0)
        if ts < t0 - 5_000 or ts > end:
            continue
        name = e["name"]
        args = e.get("args", {}).get("data", {})
        if name in ("ResourceSendRequest", "ResourceReceiveResponse", "ResourceReceivedData", "ResourceFinish"):
            url = args.get("url", "") or args.get("requestId", "")
            rows.append((ts, f"{name} {url[-60:]} {args.get('encodedDataLength', '')}"))
        elif (e["pid"], e["tid"]) in main_tids and e.get("ph") == "X" and e.get("dur", 0) >= 1000 and name in (
                "RunTask", "FunctionCall", "UpdateLayoutTree", "Layout", "Paint", "EventDispatch", "TimerFire",
                "FireAnimationFrame", "v8.run", "ParseHTML", "RunMicrotasks", "v8.callFunction", "PrePaint",
                "Commit", "UpdateLayer", "Layerize"):
            detail = args.get("functionName", "") or args.get("type", "") or args.get("url", "")[-40:]
            rows.append((ts, f"{name:18s} {e['dur'] / 1000:6.1f} ms {detail}"))
    for ts, text in sorted(rows):
        print(f"{(ts - t0) / 1000:8.1f}  {text}")


async def main_async(which: str, dump: str | None) -> None:
    with FakeSiliconFlow(api_key=TEST_KEY) as fake, AppProcess.start(SFUI, fake.base_url) as app:
        async with chromium() as browser:
            if which == "chat":
                context, page = await measure_browser.open_chat(browser, app)
            else:
                context, page = await measure_compare.open_compare(browser, app)
            await page.evaluate(MARKS)
            cdp = await context.new_cdp_session(page)

            async def take():
                if which == "chat":
                    ANSWER.push(fake)
                    return await measure_browser.ask(page, app, 30)
                ANSWER.push(fake, measure_compare.PANES)
                return await measure_compare.ask(page, 30)

            for _ in range(2):
                await take()
                await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
            since = time.monotonic()
            events = await trace(page, cdp, take)
            off = time.time() - time.monotonic()
            for r in fake.chat_received():
                if r.time >= since:
                    st = (await page.evaluate("() => (window.__compare || window.__bench).sentEpoch")) / 1000
                    print("upstream arrived", round((r.time + off - st) * 1000, 1), "first chunk",
                          round((r.first_chunk_at + off - st) * 1000, 1))
            if dump:
                with open(dump, "w") as f:
                    json.dump(events, f)
            analyse(events)
            await context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("which", choices=["chat", "compare"])
    parser.add_argument("--dump")
    args = parser.parse_args()
    isolate_environment()
    asyncio.run(main_async(args.which, args.dump))


if __name__ == "__main__":
    main()
