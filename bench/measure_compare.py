"""The Compare tab in headless Chromium: three models answering at once, timed
the way measure_browser times the single chat, in the same kind of page.

An init script (installed before Gradio loads) does the timing inside the page:

- a capturing ``keydown`` listener notes ``performance.now()`` and
  ``Date.now()`` when Enter is pressed in ``#compare-input``, and what each
  pane (``#compare-pane-1`` ...) shows then (its questions, its last answer);
- a ``MutationObserver`` notes, per pane, when the answer after the new
  question first has text (first token visible) and when it contains
  ``END_MARKER`` (answer complete), and counts how often its text changed;
- a capturing ``click`` listener notes when ``#compare-stop-btn`` is clicked.

Three figures come out of it, each measured against the single chat's in the
same run (bench/run.py does the arithmetic):

- first token: Enter -> the *slowest* pane's first answer text, per question;
- long answers: the app's CPU while three long answers stream at once, per
  1,000 tokens of all panes together;
- Stop: while three long answers stream, the Stop click -> the fake upstream
  has seen all three requests hang up.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

from playwright.async_api import Browser, BrowserContext, Page

from bench import measure_browser
from bench.apps import AppProcess
from bench.common import END_MARKER, VIEWPORT, Answer, FakeSiliconFlow, TurnTiming
from bench.measure_browser import QUESTION, SETTLE_BETWEEN_QUESTIONS, CpuMeter, CpuUse
from tests.support import page as app_page

PANES = 3
# Slots 1 and 2 hold two models when the page opens; the third is picked like a
# visitor does (a custom id is allowed). Every answer is a pushed scenario, so
# which model each slot names does not change what the upstream sends.
THIRD_MODEL = "deepseek-ai/DeepSeek-V3"
STOP_WAIT = 10.0  # seconds: longer than any answer left when Stop is pressed, so a Stop that failed shows

INIT_SCRIPT = """
(() => {
  const PANES = __PANES__;
  const MARKER = __END_MARKER__;
  const USER = __QUESTION__;
  const BOT = __ANSWER__;
  const pane = (i) => document.querySelector(`#compare-pane-${i + 1}`) || document;
  const state = window.__compare = {sent: null};
  let resolveDone = () => {};
  window.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey) return;
    if (!(event.target instanceof Element) || !event.target.closest('#compare-input')) return;
    Object.assign(state, {
      sent: performance.now(), sentEpoch: Date.now(), stopped: null,
      panes: Array.from({length: PANES}, (_, i) => {
        const bots = pane(i).querySelectorAll(BOT);
        const users = pane(i).querySelectorAll(USER);
        return {previous: bots.length ? bots[bots.length - 1].textContent : null, users: users.length,
                lastUser: users[users.length - 1] || null, asked: false,
                first: null, final: null, updates: 0, lastText: null};
      }),
    });
    state.done = new Promise((resolve) => { resolveDone = resolve; });
  }, true);
  window.addEventListener('click', (event) => {
    if (state.sent === null || state.stopped !== null) return;
    if (event.target instanceof Element && event.target.closest('#compare-stop-btn')) {
      state.stopped = performance.now();
    }
  }, true);
  // Each pane's answer is told by the pane's shape, as measure_browser tells the chat's:
  // the panes show only their latest turns, so a new turn can drop an old one as it adds
  // its own, and the benchmark's answers are all alike.
  const check = () => {
    if (state.sent === null) return;
    const now = performance.now();
    state.panes.forEach((p, i) => {
      if (p.final !== null) return;
      const messages = pane(i).querySelectorAll(`${USER}, ${BOT}`);
      const last = messages[messages.length - 1];
      if (!last) return;
      if (last.matches(USER)) { p.asked = true; return; }
      if (!p.asked) {
        const users = pane(i).querySelectorAll(USER);
        p.asked = users.length !== p.users || users[users.length - 1] !== p.lastUser;
      }
      const text = last.textContent;
      if (!p.asked && p.first === null && text === p.previous) return;
      if (text === p.lastText) return;
      p.lastText = text;
      p.updates += 1;
      if (p.first === null && text.trim()) p.first = now;
      if (text.includes(MARKER)) p.final = now;
    });
    if (state.panes.every((p) => p.final !== null)) resolveDone();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
})();
""".replace("__PANES__", str(PANES)).replace("__END_MARKER__", repr(END_MARKER)).replace(
    "__QUESTION__", json.dumps(app_page.QUESTION)).replace("__ANSWER__", json.dumps(app_page.ANSWER))

READ_STATE = """() => {
  const s = window.__compare;
  return {sent: s.sent, sentEpoch: s.sentEpoch, stopped: s.stopped,
          panes: s.panes.map((p) => ({first: p.first, final: p.final, updates: p.updates}))};
}"""
EVERY_PANE_STARTED = "() => window.__compare.sent !== null && window.__compare.panes.every((p) => p.first !== null)"


@dataclass(frozen=True)
class CompareTurn:
    """One question to the three panes: each pane's timing (wall-clock seconds)."""

    panes: tuple[TurnTiming, ...]
    stop_clicked: float | None = None  # when Stop was clicked, if it was

    @property
    def slowest(self) -> TurnTiming:
        """The question as the slowest pane saw it: its first token and its end (None if any pane lacks one)."""
        firsts = [p.first for p in self.panes]
        finals = [p.final for p in self.panes]
        return TurnTiming(
            sent=min(p.sent for p in self.panes),
            first=None if None in firsts else max(firsts),  # type: ignore[type-var]
            final=None if None in finals else max(finals),  # type: ignore[type-var]
            updates=sum(p.updates for p in self.panes),
        )


async def open_compare(browser: Browser, app: AppProcess) -> tuple[BrowserContext, Page]:
    """A fresh visitor on the Compare tab, with a third model in slot 3."""
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    await context.add_init_script(INIT_SCRIPT)
    page = await app_page.open_compare(await context.new_page(), app.url)
    # The third pane itself appears with the first question (Send shows as many panes as slots).
    await app_page.pick_model(page, THIRD_MODEL, slot=3)
    return context, page


async def type_question(page: Page) -> None:
    await page.locator(app_page.COMPARE_BOX).fill(QUESTION)


async def wait_for_answers(page: Page, timeout: float) -> CompareTurn:
    """Wait until every pane shows its whole answer (or ``timeout`` s pass) and read the page's timings."""
    try:
        await asyncio.wait_for(page.evaluate("() => window.__compare.done"), timeout)
    except TimeoutError:
        pass  # recorded as incomplete panes
    return await read_turn(page)


async def read_turn(page: Page) -> CompareTurn:
    state = await page.evaluate(READ_STATE)
    if state["sent"] is None:
        raise RuntimeError("the page never saw the Enter key in #compare-input")
    sent_epoch = state["sentEpoch"] / 1000

    def wall(t: float | None) -> float | None:
        return None if t is None else sent_epoch + (t - state["sent"]) / 1000

    panes = tuple(TurnTiming(sent_epoch, wall(p["first"]), wall(p["final"]), p["updates"]) for p in state["panes"])
    return CompareTurn(panes, wall(state["stopped"]))


async def ask(page: Page, timeout: float) -> CompareTurn:
    await type_question(page)
    await page.keyboard.press("Enter")  # the focus is in the message box: fill() put it there
    return await wait_for_answers(page, timeout)


async def first_token_runs_with_chat(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                                     runs: int, timeout: float) -> tuple[list[TurnTiming], list[CompareTurn]]:
    """The single chat's and the Compare tab's first token, ``runs`` questions each: a chat page
    and a Compare page of one app, asked in turn (which goes first alternates every round), so
    both figures see the same moments of a shared machine and their difference is not the
    machine's drift between two phases. One warm-up question on each page first (the first
    event of a page also sets up Gradio's queue connection); every later question is a
    follow-up, in the chat and in every pane."""
    chat_context, chat_page = await measure_browser.open_chat(browser, app)
    compare_context, compare_page = await open_compare(browser, app)
    try:
        chat: list[TurnTiming] = []
        compare: list[CompareTurn] = []
        for round_number in range(runs + 1):
            for ask_compare in (False, True) if round_number % 2 else (True, False):
                if ask_compare:
                    answer.push(fake, PANES)
                    compare.append(await ask(compare_page, timeout))
                else:
                    answer.push(fake)
                    chat.append(await measure_browser.ask(chat_page, app, timeout))
                # Let the event end: a question sent while it runs is refused. Not timed.
                await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        return chat[1:], compare[1:]
    finally:
        await compare_context.close()
        await chat_context.close()


async def long_answers(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                       timeout: float) -> tuple[CompareTurn, float | None, CpuUse]:
    """Three long answers at once: (timing, when the fake wrote the last token, CPU used meanwhile)."""
    context, page = await open_compare(browser, app)
    try:
        answer.push(fake, PANES)
        await type_question(page)
        meter = CpuMeter(app)
        await page.keyboard.press("Enter")
        turn = await wait_for_answers(page, timeout)
        return turn, fake.last_token_written_at, meter.read()
    finally:
        await context.close()


async def stop_while_streaming(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                               after: float, timeout: float) -> float | None:
    """Three long answers; ``after`` seconds into them (every pane showing text), click Stop.
    Returns the seconds from the click (as the page saw it) to the upstream's third hang-up,
    or None if it did not see all three within STOP_WAIT seconds."""
    context, page = await open_compare(browser, app)
    try:
        hang_ups_before, asked_after = fake.disconnects, time.monotonic()
        answer.push(fake, PANES)
        await type_question(page)
        await page.keyboard.press("Enter")
        await page.wait_for_function(EVERY_PANE_STARTED, timeout=timeout * 1000)
        await asyncio.sleep(after)
        await page.locator("#compare-stop-btn").click()
        if not await asyncio.to_thread(fake.wait_for_disconnect, hang_ups_before + PANES, STOP_WAIT):
            return None
        clicked = (await read_turn(page)).stop_clicked
        if clicked is None:
            raise RuntimeError("the page never saw the click on #compare-stop-btn")
        hung_up = [r.disconnected_at for r in fake.chat_received() if r.time >= asked_after]
        if len(hung_up) != PANES or None in hung_up:
            return None
        # The fake stamps hang-ups on this process's monotonic clock; the page, on the wall clock.
        return max(hung_up) + (time.time() - time.monotonic()) - clicked  # type: ignore[type-var]
    finally:
        await context.close()
