"""The sidebar's search (conv-search) and the storage meter in headless Chromium, with many
saved conversations: how long a keystroke takes to filter the list, and what measuring the
site's storage costs.

The app runs as ``python app.py`` against the fake upstream. The page opens with N saved
conversations written straight into its localStorage (tests/support/stored.py), each of six
questions and answers of about 1,200 characters (English with some Chinese), 2.1 million
characters stored for 200. Queries are typed key by key into ``#conv-search``; for each
keystroke, from the input event to the first frame after the list changed (a requestAnimationFrame
callback, then a task after it: the frame has been painted). The first keystroke after a
load also reads the conversations' text (the search's index); it is counted with the rest and
shown apart. The queries: a word deep inside one answer, a title, a word in every conversation
(every row kept and given its match: the most DOM work), a Chinese word, a word in none.

Storage: the page's measure (sfui/ui/storage_meter.py) with the site's capacity not yet known
(a probe, as on the page's first measure), known (the sum of the entries only), and with the
site nearly full (less than PROBE_BELOW left: a probe on every measure).

Run: ``python -m bench.search [--sizes 20 200] [--rounds 3]``; the figures are printed with
the ratio of each size to the smallest. The issue's bar: 100 ms per keystroke at 200.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics

from bench.apps import SFUI, AppProcess
from bench.common import CHROMIUM, CHROMIUM_ARGS, TEST_KEY, VIEWPORT, FakeSiliconFlow
from tests.support.launch import isolate_environment
from tests.support.page import SAVED, SEARCH_BOX, SEARCH_SHOWN, STORAGE_KEY, WAIT_MS, open_app, open_sidebar
from tests.support.stored import write_store

TURNS = 6
ANSWER_WORDS = 200
QUERIES = ("needle", "topic 42", "the", "长颈鹿", "zqxwv")
BAR_MS = 100.0
_VOCABULARY = ("the model answers with a short list of steps then explains each one and gives an example "
               "in code so that a reader can try it at once 然后 我们 看看 结果 是否 正确").split()

# Per keystroke: [the input event's time to a task after the next frame (the change painted),
# the filter's own time (sfui/ui/conversation_search.py notes it)].
TIMING_JS = """() => {
  window.__keys = [];
  window.addEventListener('input', (event) => {
    if (!event.target.closest || !event.target.closest('#conv-search')) return;
    const start = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__keys.push([performance.now() - start,
                                                                     window.sfuiSearch.took])));
  }, true);
}"""
# The page's main-thread time (thread ticks: what a loaded machine inflates least), in seconds.
WORK = ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")


def build_store(count: int, seed: int = 22) -> dict:
    """``count`` saved conversations; "needle" is in one answer deep in the middle one, "长颈鹿" in every tenth."""
    rng = random.Random(seed)
    conversations = []
    for i in range(count):
        messages = []
        for turn in range(TURNS):
            words = [rng.choice(_VOCABULARY) for _ in range(ANSWER_WORDS)]
            if i == count // 2 and turn == TURNS - 2:
                words[ANSWER_WORDS // 2] = "needle"
            if i % 10 == 3 and turn == 1:
                words[7] = "长颈鹿"
            messages += [{"role": "user", "content": f"Question {turn + 1} of topic {i}: how does it work?"},
                         {"role": "assistant", "content": " ".join(words)}]
        conversations.append({"id": f"c{i:04d}", "title": f"Topic {i}: how things work", "model": "Qwen/Qwen3-8B",
                              "system_prompt": "", "created": 1_764_000_000 + i, "updated": 1_764_000_000 + i,
                              "messages": messages, "answers": [], "panels": {"reasoning": "", "usage": ""}})
    return {"version": 1, "conversations": conversations}


def page_work(cdp) -> dict[str, float]:
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {name: values.get(name, 0.0) for name in WORK}


def type_queries(page, cdp, rounds: int) -> dict[str, list[float]]:
    """Per keystroke, in ms: "to paint" and "filter" (the first keystroke of each fresh page,
    which also reads the text, apart as "first to paint"), and the page's main-thread work per
    keystroke of each query ("work: TaskDuration" ...)."""
    samples: dict[str, list[float]] = {"to paint": [], "filter": [], "first to paint": [], "first filter": []}
    box = page.locator(SEARCH_BOX).first
    for _ in range(rounds):
        page.reload()
        open_app(page, page.url)
        open_sidebar(page)
        page.locator(SAVED).first.wait_for(timeout=WAIT_MS)
        page.evaluate(TIMING_JS)
        for query in QUERIES:
            box.fill("")
            page.locator(SEARCH_SHOWN).first.wait_for(timeout=WAIT_MS)
            page.evaluate("() => { window.__keys = []; }")
            before = page_work(cdp)
            box.press_sequentially(query)
            page.wait_for_function("(n) => window.__keys.length >= n", arg=len(query), timeout=WAIT_MS)
            after = page_work(cdp)
            for name in WORK:
                samples.setdefault(f"work: {name}", []).append(1000 * (after[name] - before[name]) / len(query))
            keys = page.evaluate("() => window.__keys")
            if query == QUERIES[0]:
                samples["first to paint"].append(keys[0][0])
                samples["first filter"].append(keys[0][1])
                keys = keys[1:]
            samples["to paint"] += [paint for paint, _ in keys]
            samples["filter"] += [took for _, took in keys]
    return samples


MEASURE_TIMED = """(forget) => {
  const meter = window.sfuiStorageMeter;
  if (forget) meter.capacity = null;
  const started = performance.now();
  const result = meter.measure();
  return [performance.now() - started, result];
}"""


def storage_costs(page) -> dict[str, float]:
    """ms of one measure: capacity unknown (probe), known, and the site nearly full (probe each time)."""
    from sfui.ui.storage_meter import PROBE_BELOW

    costs = {"measure, capacity unknown (probe)": page.evaluate(MEASURE_TIMED, True)[0],
             "measure, capacity known": page.evaluate(MEASURE_TIMED, False)[0]}
    free = page.evaluate(MEASURE_TIMED, False)[1]["free"]
    page.evaluate("(size) => localStorage.setItem('bench-filler', 'y'.repeat(size))", max(free - PROBE_BELOW // 2, 0))
    costs["measure, nearly full (probe)"] = page.evaluate(MEASURE_TIMED, False)[0]
    page.evaluate("() => localStorage.removeItem('bench-filler')")
    return costs


def measure(sizes: list[int], rounds: int) -> dict[int, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    from sfui.ui.sidebar import STORAGE_SECRET

    figures: dict[int, dict[str, float]] = {}
    with FakeSiliconFlow(api_key=TEST_KEY) as fake, AppProcess.start(SFUI, fake.base_url) as app:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for size in sizes:
                    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
                    page = open_app(context.new_page(), app.url)
                    write_store(page, STORAGE_KEY, STORAGE_SECRET, build_store(size))
                    cdp = context.new_cdp_session(page)
                    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
                    samples = type_queries(page, cdp, rounds)
                    stored = page.evaluate("(key) => localStorage.getItem(key).length", STORAGE_KEY)
                    paint = samples["to paint"]
                    figures[size] = {
                        "keystroke to paint, median": statistics.median(paint),
                        "keystroke to paint, 90th percentile": statistics.quantiles(paint, n=10)[-1],
                        "keystroke to paint, slowest": max(paint),
                        "first keystroke (reads the text), median": statistics.median(samples["first to paint"]),
                        "first keystroke's filter, median": statistics.median(samples["first filter"]),
                        "the filter itself, median": statistics.median(samples["filter"]),
                        "the filter itself, slowest": max(samples["filter"]),
                        **{f"main thread per keystroke, {name[len('work: '):]}": statistics.median(values)
                           for name, values in samples.items() if name.startswith("work: ")},
                        **storage_costs(page), "stored characters": stored}
                    context.close()
            finally:
                browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200], help="saved conversations (20 200)")
    parser.add_argument("--rounds", type=int, default=3, help="fresh pages per size (3)")
    args = parser.parse_args(argv)
    isolate_environment()
    load = os.getloadavg()[0]
    figures = measure(args.sizes, args.rounds)
    smallest = figures[min(figures)]
    print(f"conversation search and storage meter ({args.rounds} pages per size; "
          f"load {load:.1f} -> {os.getloadavg()[0]:.1f})")
    for size, row in figures.items():
        print(f"  {size} saved conversations")
        for name, value in row.items():
            if name == "stored characters":
                print(f"    {name:48s} {value:>12,.0f}")
                continue
            ratio = value / smallest[name] if smallest[name] else float("nan")
            print(f"    {name:48s} {value:9.1f} ms  {ratio:5.2f}x the {min(figures)}'s")
    largest = figures[max(figures)]
    for name in ("keystroke to paint, median", "main thread per keystroke, TaskDuration"):
        verdict = "within" if largest[name] <= BAR_MS else "OVER"
        print(f"  {max(figures)} conversations, {name}: {largest[name]:.1f} ms, {verdict} the {BAR_MS:.0f} ms bar")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
