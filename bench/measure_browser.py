"""Drive an app in headless Chromium and time what a visitor sees.

An init script (installed in every page before Gradio loads) does the timing
inside the page, so the figures do not include Playwright's round trips:

- a capturing ``keydown`` listener notes ``performance.now()`` and
  ``Date.now()`` when Enter is pressed, and how many bot messages exist then;
- a ``MutationObserver`` watches the whole document and notes when the newest
  bot message first has text (first token visible) and when it contains
  ``END_MARKER``, the last token of every scripted answer (answer complete),
  and counts how often that message's text changed (re-renders).

Times are DOM commits (the observer runs before the next paint). They are
returned as wall-clock seconds: the Enter's ``Date.now()`` plus intervals
from ``performance.now()``, so they compare with the fake upstream's clock.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import psutil
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from bench.apps import AppProcess
from bench.common import CHROMIUM, CHROMIUM_ARGS, END_MARKER, VIEWPORT, Answer, FakeSiliconFlow, TurnTiming
from tests.support import page as app_page

QUESTION = "Tell me something."
PAGES_LOADING_AT_ONCE = 4  # opening 32 Gradio pages at once on 2 cores only thrashes
SETTLE_SECONDS = 1.0  # after opening pages: let their own load events (model list) finish
SETTLE_BETWEEN_QUESTIONS = 0.5  # seconds after an answer is shown, before the next question

INIT_SCRIPT = """
(() => {
  const USER = __QUESTION__;
  const BOT = __ANSWER__;
  const CHAT = __CHAT__;
  const MARKER = __END_MARKER__;
  const state = window.__bench = {sent: null};
  let resolveDone = () => {};
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey) return;
    const chat = document.querySelector(CHAT) || document;
    const bots = chat.querySelectorAll(BOT);
    const users = chat.querySelectorAll(USER);
    Object.assign(state, {
      sent: performance.now(), sentEpoch: Date.now(), asked: false,
      previous: bots.length ? bots[bots.length - 1].textContent : null,
      users: users.length, lastUser: users[users.length - 1] || null,
      first: null, final: null, updates: 0, lastText: null,
    });
    state.done = new Promise((resolve) => { resolveDone = resolve; });
  }, true);
  // The answer is told by the chat's shape, not by counting bot messages: sfui's chat shows
  // only the latest turns, so a new turn can drop an old one as it adds its own. The answer
  // is the chat's last message once it is a bot message after the new question: the
  // question seen as the last message, or (when the page drew the question and the first
  // text in one go) as another count of questions or another last question; else told by
  // a text other than the previous answer's (the benchmark's answers are all alike, so
  // once the new one has shown text, any change is its own).
  const check = () => {
    if (state.sent === null || state.final !== null) return;
    const chat = document.querySelector(CHAT) || document;
    const messages = chat.querySelectorAll(`${USER}, ${BOT}`);
    const last = messages[messages.length - 1];
    if (!last) return;
    if (last.matches(USER)) { state.asked = true; return; }
    if (!state.asked) {
      const users = chat.querySelectorAll(USER);
      state.asked = users.length !== state.users || users[users.length - 1] !== state.lastUser;
    }
    const text = last.textContent;
    if (!state.asked && state.first === null && text === state.previous) return;
    if (text === state.lastText) return;
    const now = performance.now();
    state.lastText = text;
    state.updates += 1;
    if (state.first === null && text.trim()) state.first = now;
    if (text.includes(MARKER)) { state.final = now; resolveDone(); }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
})();
""".replace("__END_MARKER__", repr(END_MARKER)).replace(
    "__QUESTION__", json.dumps(app_page.QUESTION)).replace("__ANSWER__", json.dumps(app_page.ANSWER)).replace(
    "__CHAT__", json.dumps(app_page.CHAT))

READ_STATE = """() => {
  const s = window.__bench;
  return {sent: s.sent, sentEpoch: s.sentEpoch, first: s.first, final: s.final, updates: s.updates};
}"""


def chromium_cpu_seconds() -> float:
    """CPU time of every Chromium process this benchmark started (they are all its descendants)."""
    total = 0.0
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass  # a renderer that just exited
    return total


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds used by the app and by Chromium over ``seconds`` of wall time."""

    app: float
    browser: float
    seconds: float


class CpuMeter:
    """Started just before the Enter key(s), read once the answers are shown."""

    def __init__(self, app: AppProcess) -> None:
        self._app = app
        self._start = (app.cpu_seconds(), chromium_cpu_seconds(), time.monotonic())

    def read(self) -> CpuUse:
        app, browser, wall = self._start
        return CpuUse(self._app.cpu_seconds() - app, chromium_cpu_seconds() - browser, time.monotonic() - wall)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def open_chat(browser: Browser, app: AppProcess) -> tuple[BrowserContext, Page]:
    """A fresh visitor (own context: own cookies, own Gradio session) on the app's page."""
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    await context.add_init_script(INIT_SCRIPT)
    page = await app_page.open_app(await context.new_page(), app.url, app.spec.input_selector)
    return context, page


async def type_question(page: Page, app: AppProcess) -> None:
    await page.locator(app.spec.input_selector).fill(QUESTION)


async def press_enter(page: Page) -> None:
    # The focus is in the message box (type_question filled it). page.keyboard skips
    # Playwright's actionability checks, so many pages get their Enter close together.
    await page.keyboard.press("Enter")


async def wait_for_answer(page: Page, timeout: float) -> TurnTiming:
    """Wait until the answer is fully shown (or ``timeout`` s pass) and read the page's timings."""
    try:
        await asyncio.wait_for(page.evaluate("() => window.__bench.done"), timeout)
    except TimeoutError:
        pass  # recorded as an incomplete turn
    state = await page.evaluate(READ_STATE)
    if state["sent"] is None:
        raise RuntimeError("the page never saw the Enter key")
    sent_epoch = state["sentEpoch"] / 1000

    def wall(t: float | None) -> float | None:
        return None if t is None else sent_epoch + (t - state["sent"]) / 1000

    return TurnTiming(sent_epoch, wall(state["first"]), wall(state["final"]), state["updates"])


async def ask(page: Page, app: AppProcess, timeout: float) -> TurnTiming:
    await type_question(page, app)
    await press_enter(page)
    return await wait_for_answer(page, timeout)


async def first_token_runs(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                           runs: int, timeout: float) -> list[TurnTiming]:
    """``runs`` questions one after the other in one page, after one warm-up question
    (the first event of a page also sets up Gradio's queue connection)."""
    context, page = await open_chat(browser, app)
    try:
        turns = []
        for _ in range(runs + 1):
            answer.push(fake)
            turns.append(await ask(page, app, timeout))
            # The last token can be on screen a moment before the app's event ends; a
            # question sent in between is refused (sfui: one answer at a time per page)
            # or dropped (Gradio's default trigger mode). Not part of any timing.
            await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        return turns[1:]
    finally:
        await context.close()


async def long_answer(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                      timeout: float) -> tuple[TurnTiming, float | None, CpuUse]:
    """(timing, when the fake wrote the last token, CPU used while it streamed)."""
    context, page = await open_chat(browser, app)
    try:
        answer.push(fake)
        await type_question(page, app)
        meter = CpuMeter(app)
        await press_enter(page)
        turn = await wait_for_answer(page, timeout)
        return turn, fake.last_token_written_at, meter.read()
    finally:
        await context.close()


async def concurrent_sessions(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                              sessions: int, timeout: float) -> tuple[list[TurnTiming], CpuUse]:
    """``sessions`` visitors, each in its own browser context, pressing Enter together.

    Pages are opened and the question typed first; then every Enter is sent at
    once (concurrent CDP commands) and each page times its own answer. The CPU
    figures say who was busy meanwhile: the app, or the browsers (on a small
    machine, dozens of Gradio pages compete with the app for the same cores).
    """
    loading = asyncio.Semaphore(PAGES_LOADING_AT_ONCE)

    async def open_one() -> tuple[BrowserContext, Page]:
        async with loading:
            return await open_chat(browser, app)

    opened = await asyncio.gather(*(open_one() for _ in range(sessions)))
    try:
        pages = [page for _, page in opened]
        await asyncio.sleep(SETTLE_SECONDS)
        await asyncio.gather(*(type_question(page, app) for page in pages))
        answer.push(fake, sessions)
        meter = CpuMeter(app)
        await asyncio.gather(*(press_enter(page) for page in pages))
        turns = list(await asyncio.gather(*(wait_for_answer(page, timeout) for page in pages)))
        return turns, meter.read()
    finally:
        await asyncio.gather(*(context.close() for context, _ in opened))
