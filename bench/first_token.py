"""Enter -> the visitor's own question visible, and Enter -> the first answer text, in
headless Chromium, for sfui, the baseline (bench/baseline_app.py, a naive
gr.ChatInterface) and the bare page (bench/bare_app.py: the least a Gradio page
needs to show a streamed answer), at several upstream first-token times, in one run.

    python -m bench.first_token [--rounds 15] [--delays 0,55,300] [--against PATH]

One fake upstream; each answer is 20 tokens at 100 tokens/s after ``delay`` ms of
silence (the upstream's first-token time). Each app has one page, reopened every few
rounds (the baseline's chat holds every turn, sfui's the latest two: a page that
keeps growing would measure the conversation, not the first token); each reopened
page is warmed up by one question. A round asks every app once at every delay, the
apps' order turning from round to round, so that the apps share the machine's load.
Every question is unique, so that the page's observer tells it from earlier ones.

Timing is done in the page (an init script, as bench/measure_browser.py): a capturing
``keydown`` listener notes Enter; a MutationObserver notes when the question's bubble
is first in the DOM and when a bot message after it first has text (DOM commits,
before the next paint). Also *request*: Enter -> the app's request reached the fake
upstream. Prints medians and p90s, each app's overhead over the bare page (difference
of the medians, and the median of the round-by-round differences), and asserts nothing.

``--against PATH`` runs another checkout's sfui too (e.g. ``git worktree add /tmp/base
main``), as the row "sfui <its folder's name>": a before/after in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, Page

from bench.apps import BARE, BASELINE, SFUI, AppProcess, AppSpec
from bench.common import END_MARKER, TEST_KEY, VIEWPORT, FakeSiliconFlow, stream
from bench.measure_browser import chromium
from tests.support import page as app_page
from tests.support.launch import isolate_environment
from tests.support.sfserver.steps import Sleep

TOKENS, RATE = 20, 100.0  # bench/run.py's short answer
TIMEOUT = 30.0
ROUNDS_PER_PAGE = 4  # then the page is reopened (and warmed up again)
SETTLE = 0.5  # seconds after an answer, before the next question (the event ends after its last frame)
TYPED = 0.15  # seconds between typing the question and pressing Enter

INIT_SCRIPT = """
(() => {
  const USER = __USER__, BOT = __BOT__, CHAT = __CHAT__, MARKER = __MARKER__;
  const state = window.__ft = {expect: null, sent: null};
  let resolveDone = () => {};
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || state.expect === null) return;
    Object.assign(state, {sent: performance.now(), sentEpoch: Date.now(), join: null, frames: [], asked: null,
                          first: null, frame: null, done: null});
    state.finished = new Promise((resolve) => { resolveDone = resolve; });
  }, true);
  const check = () => {
    if (state.sent === null || state.done !== null) return;
    const chat = document.querySelector(CHAT) || document;
    const messages = chat.querySelectorAll(`${USER}, ${BOT}`);
    let i = messages.length - 1;
    while (i >= 0 && !(messages[i].matches(USER) && messages[i].textContent.includes(state.expect))) i -= 1;
    if (i < 0) return;
    const now = performance.now();
    if (state.asked === null) state.asked = now;
    for (let j = i + 1; j < messages.length; j += 1) {
      const text = messages[j].matches(BOT) ? messages[j].textContent : '';
      if (!text.trim()) continue;
      if (state.first === null) {
        state.first = now;
        state.frame = state.frames.filter((at) => at <= now).pop() ?? null;
      }
      if (text.includes(MARKER)) { state.done = now; resolveDone(); }
      break;
    }
  };
  // The queue's event stream, read from a tee (Gradio's own reading is unchanged): when each
  // frame (process_generating) reached the page.
  const frames = async (body) => {
    const reader = body.getReader();
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      const at = performance.now();
      if (state.sent !== null && new TextDecoder().decode(value).includes('process_generating')) state.frames.push(at);
    }
  };
  const originalFetch = window.fetch;
  window.fetch = function (input) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    if (state.sent !== null && state.join === null && url.includes('/queue/join')) state.join = performance.now();
    const response = originalFetch.apply(this, arguments);
    if (!url.includes('/queue/data')) return response;
    return response.then((r) => {
      if (!r.body) return r;
      const [mine, theirs] = r.body.tee();
      frames(mine).catch(() => {});
      return new Response(theirs, {status: r.status, statusText: r.statusText, headers: r.headers});
    });
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
})();
""".replace("__USER__", json.dumps(app_page.QUESTION)).replace("__BOT__", json.dumps(app_page.ANSWER)).replace(
    "__CHAT__", json.dumps(app_page.CHAT)).replace("__MARKER__", json.dumps(END_MARKER))

READ_STATE = "() => { const s = window.__ft; return {sent: s.sent, sentEpoch: s.sentEpoch, join: s.join, " \
             "frame: s.frame, asked: s.asked, first: s.first}; }"


@dataclass(frozen=True)
class Sample:
    """One question, in ms after Enter (None: never seen)."""

    question: float | None
    first: float | None
    join: float | None  # the page asked the server to run the step that streams (its queue/join)
    request: float | None  # the app's request reached the fake upstream
    frame: float | None = None  # the frame that brought the first answer text reached the page


def scenario(delay_ms: float):
    """The scripted answer after ``delay_ms`` of silence (headers at once, as a real upstream's)."""
    words = [f"word{i} " for i in range(TOKENS - 1)]
    answer = stream(words + [END_MARKER], token_rate=RATE)
    answer.steps.insert(0, Sleep(delay_ms / 1000))
    return answer


class Visitor:
    """One app's page: opened, warmed up, asked, reopened every ROUNDS_PER_PAGE rounds."""

    def __init__(self, browser: Browser, app: AppProcess, fake: FakeSiliconFlow) -> None:
        self.browser, self.app, self.fake = browser, app, fake
        self.context = None
        self.page: Page | None = None
        self.asked = 0

    async def open(self) -> None:
        await self.close()
        self.context = await self.browser.new_context(viewport=VIEWPORT, locale="en-US")
        await self.context.add_init_script(INIT_SCRIPT)
        page = await self.context.new_page()
        self.page = await app_page.open_app(page, self.app.url, self.app.spec.input_selector)
        await self.ask(0.0)  # warm-up: the page's first event also sets up its queue connection

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()
            self.context = None

    async def ask(self, delay_ms: float) -> Sample:
        assert self.page is not None, "open the page first"
        self.asked += 1
        question = f"Tell me something ({self.app.spec.name} {self.asked:04d})."
        self.fake.push(scenario(delay_ms))
        since = time.monotonic()
        await self.page.locator(self.app.spec.input_selector).fill(question)
        await self.page.evaluate("(q) => { window.__ft.expect = q; window.__ft.sent = null; }", question)
        await asyncio.sleep(TYPED)
        await self.page.keyboard.press("Enter")
        try:
            await asyncio.wait_for(self.page.evaluate("() => window.__ft.finished"), TIMEOUT)
        except TimeoutError:
            pass  # recorded without its answer
        state = await self.page.evaluate(READ_STATE)
        await asyncio.sleep(SETTLE)
        return Sample(_ms(state, "asked"), _ms(state, "first"), _ms(state, "join"),
                      self._request_ms(state, since, question), _ms(state, "frame"))

    def _request_ms(self, state: dict, since: float, question: str) -> float | None:
        for received in self.fake.chat_received():
            if received.time >= since and question in json.dumps(received.body, ensure_ascii=False):
                wall = received.time + (time.time() - time.monotonic())
                return (wall - state["sentEpoch"] / 1000) * 1000
        return None


def _ms(state: dict, key: str) -> float | None:
    return None if state[key] is None or state["sent"] is None else state[key] - state["sent"]


async def measure(apps: dict[str, AppProcess], fake: FakeSiliconFlow, delays: list[float],
                  rounds: int) -> dict[str, dict[float, list[Sample]]]:
    """{app: {delay: [Sample per round]}}."""
    results: dict[str, dict[float, list[Sample]]] = {name: {d: [] for d in delays} for name in apps}
    async with chromium() as browser, AsyncExitStack() as stack:
        visitors = {name: Visitor(browser, app, fake) for name, app in apps.items()}
        for visitor in visitors.values():
            stack.push_async_callback(visitor.close)
        names = list(apps)
        for r in range(rounds):
            if r % ROUNDS_PER_PAGE == 0:
                for visitor in visitors.values():
                    await visitor.open()
            order = names[r % len(names):] + names[:r % len(names)]
            for delay in delays:
                for name in order:
                    results[name][delay].append(await visitors[name].ask(delay))
            fake.reset()
            print(f"  round {r + 1}/{rounds}", flush=True)
    return results


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def _fmt(value: float) -> str:
    return "   -" if value != value else f"{value:4.0f}"


def report(results: dict[str, dict[float, list[Sample]]], bare: str, load: tuple[float, float]) -> None:
    print(f"\nEnter -> question visible / first answer text, ms: median and p90 of {_count(results)} questions "
          f"a cell; over bare: the difference of the medians (and the median of the round-by-round "
          f"differences); join / request / frame: Enter -> the page's queue/join / the request at the "
          f"upstream / the frame with the first text at the page (medians). Load average {load[0]:.1f} -> "
          f"{load[1]:.1f}")
    print(f"{'app':16s} {'upstream':>8s} | {'question':>8s} {'p90':>4s} | {'first':>5s} {'p90':>4s} | "
          f"{'over bare':>12s} | {'join':>4s} {'request':>7s} {'frame':>5s}")
    for delay in next(iter(results.values())):
        for name, by_delay in results.items():
            samples = by_delay[delay]
            asked, first = _present(samples, "question"), _present(samples, "first")
            print(f"{name:16s} {delay:6.0f}ms | {_fmt(_median(asked)):>8s} {_fmt(_p(asked, 0.9))} | "
                  f"{_fmt(_median(first)):>5s} {_fmt(_p(first, 0.9))} | {_over(samples, results[bare][delay]):>12s} | "
                  f"{_fmt(_median(_present(samples, 'join')))} {_fmt(_median(_present(samples, 'request'))):>7s} "
                  f"{_fmt(_median(_present(samples, 'frame'))):>5s}")
        print()


def _present(samples: list[Sample], key: str) -> list[float]:
    return [value for value in (getattr(s, key) for s in samples) if value is not None]


def _over(samples: list[Sample], floor: list[Sample]) -> str:
    mine, base = _present(samples, "first"), _present(floor, "first")
    pairs = [a.first - b.first for a, b in zip(samples, floor, strict=True) if a.first and b.first]
    if not mine or not base:
        return "-"
    return f"{_median(mine) - _median(base):+4.0f} ({_median(pairs):+4.0f})"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _count(results: dict[str, dict[float, list[Sample]]]) -> int:
    return len(next(iter(next(iter(results.values())).values())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="questions per app and delay (default 15)")
    parser.add_argument("--delays", default="0,55,300", help="upstream first-token times, ms (default 0,55,300)")
    parser.add_argument("--against", type=Path, action="append", default=[],
                        help="also run this checkout's app.py, as 'sfui <its folder's name>' (repeatable)")
    parser.add_argument("--apps", default="sfui,baseline,bare", help="which apps (default all three)")
    args = parser.parse_args(argv)
    isolate_environment()
    delays = [float(d) for d in args.delays.split(",")]
    specs: dict[str, AppSpec] = {"sfui": SFUI, "baseline": BASELINE, "bare": BARE}
    chosen = {name: specs[name] for name in args.apps.split(",")}
    for other in args.against:
        name = f"sfui {other.resolve().name}"
        chosen[name] = dataclasses.replace(SFUI, name=name, script=str(other.resolve() / "app.py"))
    chosen.setdefault("bare", BARE)
    load = os.getloadavg()[0]
    with FakeSiliconFlow(api_key=TEST_KEY) as fake:
        apps: dict[str, AppProcess] = {}
        try:
            for name, spec in chosen.items():
                apps[name] = AppProcess.start(spec, fake.base_url)
            results = asyncio.run(measure(apps, fake, delays, args.rounds))
        finally:
            for app in apps.values():
                app.stop()
    report(results, "bare", (load, os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
