"""Long conversations in headless Chromium: reopening a saved one, and the first
token deep into one. Measured in the sfui process and page set-up the single
chat was measured in (bench/run.py), against that chat's figures.

The conversations are built with sfui.conversations (``to_json``) and imported
through the sidebar's Import, as a visitor does: each turn is a question, a
thinking bubble and an answer with a code block, a list and inline code.

- reopen: a saved long conversation and a short one are in the store; the long
  one is clicked in the sidebar list (``#conversations``). From the click to
  the frame in which its last message is in view in ``#chatbot`` (its bottom
  edge inside the chat's scroll box), median of N; the short one is clicked
  between samples so each click opens the long one anew. Also noted: the
  click -> the last message in the DOM (before layout and scrolling), and the
  bytes the page sends for it (the open step sends only the conversation it opens).
- first token at turn N against turn 1: the same question asked in a new chat
  (New chat) and in a conversation that already has N - 1 turns (imported
  afresh before each question, so it is always turn N), alternately, timed as
  measure_browser times the single chat (Enter -> first answer text shown).
  The page's own share before the request: Enter -> the ``queue/join`` request
  sent, and that request's size (the whole chat travels in it).
- the same two questions without a browser, speaking Gradio's protocol as
  measure_protocol does: the server's and the wire's share of any growth, and
  the size of the first SSE message of the answer (it carries the whole chat).

The timing is done inside the page by an init script (like measure_browser's),
so Playwright's round trips are not in the figures.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page

from bench.apps import AppProcess
from bench.common import END_MARKER, MODEL, VIEWPORT, Answer, FakeSiliconFlow, TurnTiming, median, message_text
from bench.gradio_protocol import QueueEvent
from bench.measure_browser import INIT_SCRIPT, SETTLE_BETWEEN_QUESTIONS, ask
from bench.measure_protocol import chat_endpoint, timed_answer
from sfui import conversation_format
from sfui.conversation_files import to_json
from tests.support.page import (
    ANSWERS,
    QUEUE_TAP_JS,
    SAVED,
    WAIT_MS,
    import_file,
    new_chat,
    open_app,
    open_sidebar,
)

IN_VIEW_TIMEOUT_MS = 5_000  # after the last message is in the DOM: how long it may take to scroll into view


@dataclass(frozen=True)
class ConversationSizes:
    reopen_turns: int  # the long conversation that is reopened
    reopen_runs: int
    deep_turn: int  # the first token is measured at this turn and at turn 1
    turn_runs: int  # questions at each of the two turns
    protocol_runs: int  # the same without a browser


FULL = ConversationSizes(reopen_turns=100, reopen_runs=7, deep_turn=50, turn_runs=8, protocol_runs=5)
QUICK = ConversationSizes(reopen_turns=10, reopen_runs=2, deep_turn=5, turn_runs=2, protocol_runs=1)


# --- the conversations ------------------------------------------------------------------------

TASKS = ("read a CSV file", "retry an HTTP request", "parse a date", "sort a list of dicts", "time a function",
         "walk a directory", "stream a large file", "merge two dicts")


def _turn(i: int) -> tuple[str, str, str]:
    """(question, thinking, answer) of turn ``i``: each different, with the Markdown a real answer has."""
    task = TASKS[i % len(TASKS)]
    question = f"Step {i}: how do I {task} in Python? Keep it short and show the code."
    thinking = (f"The user wants to {task} (step {i}). The standard library is enough, so no extra dependency. "
                "Show a small function with a docstring, mention the one pitfall people hit, and keep the "
                "explanation to two sentences. Check that the example runs as written and that names are clear; "
                f"step {i} follows the previous steps, so reuse the same style.")
    answer = (f"To {task}, a small function is enough (step {i}):\n\n"
              "```python\n"
              "import time\n\n\n"
              f"def step_{i}(items, key=None):\n"
              f'    """Step {i}: {task}."""\n'
              "    started = time.perf_counter()\n"
              "    result = sorted(items, key=key)\n"
              f"    print(f\"step {i} took {{time.perf_counter() - started:.3f}} s\")\n"
              "    return result\n"
              "```\n\n"
              f"- it keeps the input unchanged and returns a new list;\n"
              f"- pass `key=` to choose what is compared (**step {i}**).\n")
    return question, thinking, answer


def build_conversation(turns: int, conversation_id: str, title: str, marker: str, now: float | None = None) -> dict:
    """A saved conversation of ``turns`` turns, as sfui saves one (question, thinking bubble with
    its duration, answer and the answer's record); the last answer ends with ``marker``."""
    now = time.time() if now is None else now
    messages: list[dict] = []
    answers: list[dict] = []
    for i in range(1, turns + 1):
        question, thinking, answer = _turn(i)
        if i == turns:
            answer += f"\n{marker}\n"
        duration = round(1.2 + (i % 7) * 0.4, 1)
        messages += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": thinking,
             "metadata": {"title": "💭 Thought", "status": "done", "duration": duration}},
            {"role": "assistant", "content": answer},
        ]
        answers.append({
            "message_index": len(messages) - 1, "model": MODEL, "params": {"temperature": 0.6, "max_tokens": 1024},
            "system_prompt": "", "usage": {"prompt_tokens": 40 * i, "completion_tokens": 180, "reasoning_tokens": 90,
                                           "total_tokens": 40 * i + 180},
            "ttft": 0.8, "total_time": duration + 2.0, "tokens_per_second": 60.0, "finish_reason": "stop",
            "status": "done",
        })
    conversation = conversation_format.new_conversation(now, new_id=lambda: conversation_id)
    panels = {"reasoning": messages[-2]["content"], "usage": "| Usage | Value |\n|---|---:|\n| total tokens | 270 |"}
    return conversation_format.with_changes(conversation, now, title=title, model=MODEL, messages=messages,
                                      answers=answers, panels=panels)


# Plain letters, so Markdown leaves them alone; none is END_MARKER (the scripted answers' last token).
LONG_MARKER, SHORT_MARKER, DEEP_MARKER = "ZZLASTOFLONGZZ", "ZZLASTOFSHORTZZ", "ZZLASTOFDEEPZZ"
LONG_TITLE, SHORT_TITLE, DEEP_TITLE = "Long conversation", "Short conversation", "Deep conversation"
assert END_MARKER not in (LONG_MARKER, SHORT_MARKER, DEEP_MARKER)


# --- in the page ------------------------------------------------------------------------------

# Installed with measure_browser's INIT_SCRIPT (which times the Enter key):
# - every request that starts a step (queue/join, or run/predict for a step that is not queued): when,
#   and how many bytes (Gradio's client posts with fetch); a run/predict's response is noted as its
#   result message;
# - the page's long tasks (50 ms or more of script, style and layout without a break);
# - every message of the queue/data event stream as it reaches the page: when, how many bytes, which
#   kind (through the page module's tap on the queue: a tee of the stream, Gradio's own reading unchanged);
# - once armed (window.__reopen.arm(marker)), the next click on a conversation in the list, then the
#   first DOM commit where the chat's last message holds the marker, then the first animation frame
#   where that message's bottom edge is inside every scroll box around it and the window.
PAGE_SCRIPT = QUEUE_TAP_JS + """
(() => {
  const joins = window.__joins = [];
  const frames = window.__frames = [];
  const longTasks = window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) longTasks.push({start: task.startTime, duration: task.duration});
  }).observe({type: 'longtask'});
  const tap = window.__queueTap;
  tap.request.push((url, init) => {
    const body = init && init.body;
    joins.push({at: performance.now(), bytes: typeof body === 'string' ? new Blob([body]).size : null});
  });
  // A step that is not queued: its result is its request's response.
  tap.result.push((text) => frames.push({at: performance.now(), bytes: text.length, msg: 'process_completed'}));
  tap.line.push((line, at) => {
    const kind = /"msg":\\s*"(\\w+)"/.exec(line.slice(0, 200));
    frames.push({at, bytes: line.length, msg: kind ? kind[1] : null});
  });

  const BOT = __ANSWERS__;
  const lastBot = () => { const bots = document.querySelectorAll(BOT); return bots[bots.length - 1]; };
  const inView = (element) => {
    const rect = element.getBoundingClientRect();
    if (rect.height === 0) return false;
    let top = 0, bottom = window.innerHeight;
    for (let box = element.parentElement; box; box = box.parentElement) {
      if (!/(auto|scroll|hidden)/.test(getComputedStyle(box).overflowY)) continue;
      const r = box.getBoundingClientRect();
      top = Math.max(top, r.top); bottom = Math.min(bottom, r.bottom);
    }
    return rect.bottom <= bottom + 1 && rect.bottom > top;
  };
  let resolveDone = () => {};
  const state = window.__reopen = {
    armed: false,
    arm(marker) {
      Object.assign(state, {armed: true, marker, clicked: null, shown: null, inView: null});
      state.done = new Promise((resolve) => { resolveDone = resolve; });
    },
  };
  window.addEventListener('click', (event) => {
    if (!state.armed || !(event.target instanceof Element) || !event.target.closest(__SAVED__)) return;
    state.armed = false;
    state.clicked = performance.now();
  }, true);
  const watchScroll = () => {
    const element = lastBot();
    if (element && inView(element)) { state.inView = performance.now(); resolveDone(); return; }
    if (performance.now() - state.shown > __IN_VIEW_TIMEOUT_MS__) { resolveDone(); return; }
    requestAnimationFrame(watchScroll);
  };
  new MutationObserver(() => {
    if (state.clicked === null || state.clicked === undefined || state.shown !== null) return;
    const element = lastBot();
    if (!element || !element.textContent.includes(state.marker)) return;
    state.shown = performance.now();
    requestAnimationFrame(watchScroll);
  }).observe(document, {childList: true, subtree: true, characterData: true});
})();
""".replace("__IN_VIEW_TIMEOUT_MS__", str(IN_VIEW_TIMEOUT_MS)).replace("__ANSWERS__", json.dumps(ANSWERS)).replace(
    "__SAVED__", json.dumps(SAVED))

# Everything the page noted since ``since`` (performance.now()): the first join, and the first
# result message (the event's output: a frame of a streaming step, or a step's only result).
# For a question, also the last message that came before its first answer text was shown;
# and the long tasks that started before ``until``.
READ_SINCE = """([since, until, shownAt]) => {
  const join = window.__joins.find((j) => j.at >= since);
  const busy = window.__longTasks.filter((t) => t.start >= since && t.start < until)
    .reduce((sum, t) => sum + t.duration, 0);
  const frames = window.__frames.filter((f) => f.at >= since && /^process_(generating|completed)$/.test(f.msg));
  const carried = shownAt === null ? [] : frames.filter((f) => f.at <= shownAt);
  const pick = (f) => f ? {after: f.at - since, bytes: f.bytes} : null;
  return {join: join ? {after: join.at - since, bytes: join.bytes} : null,
          first: pick(frames[0]), carried: pick(carried[carried.length - 1]), busy: busy};
}"""
LAST_MESSAGE_HAS = f"""(marker) => {{
  const bots = document.querySelectorAll({json.dumps(ANSWERS)});
  return bots.length > 0 && bots[bots.length - 1].textContent.includes(marker);
}}"""


@dataclass(frozen=True)
class PageEvent:
    """What the page sent and got for one step, in seconds after the click or Enter key (None: never)."""

    join_after: float | None  # the page sent its queue/join request
    join_bytes: int | None
    result_after: float | None  # the step's first result message reached the page
    result_bytes: int | None
    carried_after: float | None = None  # a question: the message that brought the first answer text arrived
    long_tasks: float = 0.0  # seconds of the page's long tasks until it was shown


@dataclass(frozen=True)
class Reopen:
    """One click on the long conversation, in seconds after the click (None: never)."""

    shown: float | None  # its last message in the DOM
    in_view: float | None  # ... and scrolled into view
    event: PageEvent


@dataclass(frozen=True)
class PageTurn:
    """One question in the page: its timing, and what the page sent and got for it."""

    timing: TurnTiming
    event: PageEvent


@dataclass(frozen=True)
class ProtocolTurn:
    """One question without a browser: its timing, the join's size and the first SSE message's."""

    timing: TurnTiming
    join_bytes: int
    first_message_bytes: int | None  # the answer's first process_generating message, as sent


@dataclass
class LongConversation:
    sizes: ConversationSizes
    reopen_file_bytes: int = 0  # the long conversation's export (to_json)
    deep_file_bytes: int = 0
    reopens: list[Reopen] = field(default_factory=list)
    turn1: list[PageTurn] = field(default_factory=list)
    deep: list[PageTurn] = field(default_factory=list)
    protocol_turn1: list[ProtocolTurn] = field(default_factory=list)
    protocol_deep: list[ProtocolTurn] = field(default_factory=list)


async def open_page(browser: Browser, app: AppProcess, extra_scripts: tuple[str, ...] = ()
                    ) -> tuple[BrowserContext, Page]:
    """A fresh visitor with both timing scripts (and ``extra_scripts``), the page loaded and
    the sidebar open."""
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    for script in (INIT_SCRIPT, PAGE_SCRIPT, *extra_scripts):
        await context.add_init_script(script)
    page = await open_app(await context.new_page(), app.url, app.spec.input_selector)
    await open_sidebar(page)
    return context, page


async def import_conversation(page: Page, text: str, marker: str) -> None:
    """Import through the sidebar's file chooser; the page opens it (wait until its last message shows)."""
    await import_file(page, "conversation.json", text.encode())
    await page.wait_for_function(LAST_MESSAGE_HAS, arg=marker, timeout=WAIT_MS)


async def reopen_once(page: Page, title: str, marker: str, timeout: float) -> Reopen:
    await page.evaluate("(marker) => window.__reopen.arm(marker)", marker)
    await page.locator(SAVED).filter(has_text=title).click(timeout=WAIT_MS)
    try:
        await asyncio.wait_for(page.evaluate("() => window.__reopen.done"), timeout)
    except TimeoutError:
        pass  # recorded as never shown
    s = await page.evaluate("() => window.__reopen")
    if s["clicked"] is None:
        raise RuntimeError("the page never saw the click on the conversation")

    def after(t: float | None) -> float | None:
        return None if t is None else (t - s["clicked"]) / 1000

    until = s["inView"] or s["shown"] or s["clicked"] + timeout * 1000
    return Reopen(after(s["shown"]), after(s["inView"]), await page_event(page, s["clicked"], until, None))


async def page_event(page: Page, since: float, until: float, shown_at: float | None) -> PageEvent:
    """What the page noted from ``since`` (its performance.now()) on; ``shown_at``: when the answer's
    first text was shown, for the message that brought it; long tasks until ``until``."""
    noted = await page.evaluate(READ_SINCE, [since, until, shown_at])

    def part(name: str, key: str) -> float | None:
        value = (noted[name] or {}).get(key)
        return None if value is None else value / 1000 if key == "after" else value

    return PageEvent(part("join", "after"), part("join", "bytes"), part("first", "after"), part("first", "bytes"),
                     part("carried", "after"), noted["busy"] / 1000)


async def reopen_runs(page: Page, sizes: ConversationSizes, timeout: float) -> list[Reopen]:
    """Click the long conversation ``runs`` times (after one warm-up), the short one in between."""
    samples = []
    for _ in range(sizes.reopen_runs + 1):
        await reopen_once(page, SHORT_TITLE, SHORT_MARKER, timeout)
        await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        samples.append(await reopen_once(page, LONG_TITLE, LONG_MARKER, timeout))
        await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
    return samples[1:]


async def ask_in_page(page: Page, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                      timeout: float) -> PageTurn:
    answer.push(fake)
    timing = await ask(page, app, timeout)
    sent, first = (await page.evaluate("() => [window.__bench.sent, window.__bench.first]"))
    event = await page_event(page, sent, first if first is not None else sent + timeout * 1000, first)
    # The conversation is saved once the answer has ended (its own event): not part of any timing.
    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
    return PageTurn(timing, event)


async def turn_runs(page: Page, app: AppProcess, fake: FakeSiliconFlow, answer: Answer, deep_text: str,
                    sizes: ConversationSizes, timeout: float) -> tuple[list[PageTurn], list[PageTurn]]:
    """Turn 1 (New chat) and turn N (the N - 1-turn conversation imported afresh), alternately,
    after one warm-up question of each."""
    turn1, deep = [], []
    for _ in range(sizes.turn_runs + 1):
        await new_chat(page)
        await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        turn1.append(await ask_in_page(page, app, fake, answer, timeout))
        await import_conversation(page, deep_text, DEEP_MARKER)
        await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        deep.append(await ask_in_page(page, app, fake, answer, timeout))
    return turn1[1:], deep[1:]


# --- without a browser ------------------------------------------------------------------------


async def protocol_ask(http: httpx.AsyncClient, fn_index: int, data: list, answers_before: int,
                       timeout: float) -> ProtocolTurn:
    """One question through Gradio's queue protocol (as measure_protocol asks); the first
    answer frame's size as it came. ``answers_before``: assistant messages already in the chat."""
    event = QueueEvent(fn_index, data)
    timing, first_bytes = await timed_answer(http, event, lambda outputs: _new_answer_text(outputs, answers_before),
                                             timeout)
    return ProtocolTurn(timing, len(event.body), first_bytes)


def _new_answer_text(output: list, answers_before: int) -> str:
    """The text of the newest assistant message of the streamed chat, if it is a new one."""
    answers = [m for m in (output[0] if output else None) or () if isinstance(m, dict) and m.get("role") == "assistant"]
    return message_text(answers[-1]) if len(answers) > answers_before else ""


def as_page_holds_it(messages: list[dict]) -> list[dict]:
    """The chat as the page holds it and sends it back: the Chatbot's own serialization (the
    server's first frame), text content as blocks, every message field present."""
    import gradio as gr  # only here: the caller has set up the environment before gradio is imported

    return gr.Chatbot().postprocess(messages).model_dump()


async def protocol_runs(app: AppProcess, fake: FakeSiliconFlow, answer: Answer, deep_history: list,
                        runs: int, timeout: float) -> tuple[list[ProtocolTurn], list[ProtocolTurn]]:
    """Turn 1 and turn N without a browser, alternately, after one warm-up of each."""
    async with httpx.AsyncClient(base_url=app.url, timeout=timeout) as http:
        config = (await http.get("config")).json()
        empty, deep = chat_endpoint(config), chat_endpoint(config, as_page_holds_it(deep_history))
        answers_before = sum(1 for m in deep_history if m.get("role") == "assistant")
        turn1, turn_n = [], []
        for _ in range(runs + 1):
            for (fn_index, data), before, out in ((empty, 0, turn1), (deep, answers_before, turn_n)):
                answer.push(fake)
                out.append(await protocol_ask(http, fn_index, data, before, timeout))
                await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
        return turn1[1:], turn_n[1:]


# --- all of it --------------------------------------------------------------------------------


async def measure(browser: Browser, app: AppProcess, fake: FakeSiliconFlow, answer: Answer,
                  sizes: ConversationSizes, timeout: float, progress: Callable[[str], None]) -> LongConversation:
    """Every figure of the long-conversation rows, in one page (its store holding what was imported)."""
    result = LongConversation(sizes)
    long_text = to_json(build_conversation(sizes.reopen_turns, "bench-long", LONG_TITLE, LONG_MARKER))
    short_text = to_json(build_conversation(1, "bench-short", SHORT_TITLE, SHORT_MARKER))
    deep = build_conversation(sizes.deep_turn - 1, "bench-deep", DEEP_TITLE, DEEP_MARKER)
    deep_text = to_json(deep)
    result.reopen_file_bytes, result.deep_file_bytes = len(long_text.encode()), len(deep_text.encode())
    context, page = await open_page(browser, app)
    try:
        progress(f"long conversation: reopen a saved {sizes.reopen_turns}-turn conversation x{sizes.reopen_runs}")
        await import_conversation(page, short_text, SHORT_MARKER)
        await import_conversation(page, long_text, LONG_MARKER)
        result.reopens = await reopen_runs(page, sizes, timeout)
        progress(f"long conversation: first token at turn 1 and turn {sizes.deep_turn} x{sizes.turn_runs}")
        result.turn1, result.deep = await turn_runs(page, app, fake, answer, deep_text, sizes, timeout)
    finally:
        await context.close()
    progress(f"long conversation: turn 1 and turn {sizes.deep_turn} without a browser x{sizes.protocol_runs}")
    result.protocol_turn1, result.protocol_deep = await protocol_runs(
        app, fake, answer, deep["messages"], sizes.protocol_runs, timeout)
    return result


# --- summary ----------------------------------------------------------------------------------


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _kb(values: list[int | None]) -> float | None:
    value = median(values)
    return None if value is None else value / 1000


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def summarise(result: LongConversation, floor_first_token_ms: float | None) -> dict[str, Any]:
    """The row's figures (medians, in ms and KB). A reopen or an answer that never showed counts
    as a time-out (inf). ``*_carried_ms``: Enter -> the message bringing the first answer text
    reached the page; ``*_render_ms``: from there until that text was shown (the page's own work)."""
    row: dict[str, Any] = {}
    inf = float("inf")
    if result.reopens:
        in_view = [r.in_view for r in result.reopens]
        events = [r.event for r in result.reopens]
        row["reopen_ms"] = inf if None in in_view else _ms(median(in_view))
        row["reopen_dom_ms"] = _ms(median(r.shown for r in result.reopens))
        row["reopen_join_ms"] = _ms(median(e.join_after for e in events))
        row["reopen_join_kb"] = _kb([e.join_bytes for e in events])
        row["reopen_result_ms"] = _ms(median(e.result_after for e in events))
        row["reopen_result_kb"] = _kb([e.result_bytes for e in events])
        row["reopen_long_tasks_ms"] = _ms(median(e.long_tasks for e in events))
        row["reopen_file_kb"] = result.reopen_file_bytes / 1000
    for prefix, turns in (("turn1", result.turn1), ("turnN", result.deep)):
        if not turns:
            continue
        firsts = [t.timing.first_token for t in turns]
        first = inf if None in firsts else _ms(median(firsts))
        row[f"{prefix}_first_token_ms"] = first
        if floor_first_token_ms is not None:
            row[f"{prefix}_overhead_ms"] = first - floor_first_token_ms
        events = [t.event for t in turns]
        row[f"{prefix}_join_ms"] = _ms(median(e.join_after for e in events))
        row[f"{prefix}_join_kb"] = _kb([e.join_bytes for e in events])
        row[f"{prefix}_first_frame_kb"] = _kb([e.result_bytes for e in events])
        row[f"{prefix}_carried_ms"] = _ms(median(e.carried_after for e in events))
        row[f"{prefix}_long_tasks_ms"] = _ms(median(e.long_tasks for e in events))
        row[f"{prefix}_render_ms"] = _ms(median(_difference(t.timing.first_token, t.event.carried_after)
                                                for t in turns))
    if "turn1_first_token_ms" in row and "turnN_first_token_ms" in row:
        row["turnN_growth_ms"] = row["turnN_first_token_ms"] - row["turn1_first_token_ms"]
    for prefix, protocol_turns in (("p_turn1", result.protocol_turn1), ("p_turnN", result.protocol_deep)):
        if not protocol_turns:
            continue
        firsts = [t.timing.first_token for t in protocol_turns]
        row[f"{prefix}_first_token_ms"] = inf if None in firsts else _ms(median(firsts))
        row[f"{prefix}_join_kb"] = _kb([t.join_bytes for t in protocol_turns])
        row[f"{prefix}_first_message_kb"] = _kb([t.first_message_bytes for t in protocol_turns])
    if "p_turn1_first_token_ms" in row and "p_turnN_first_token_ms" in row:
        row["p_turnN_growth_ms"] = row["p_turnN_first_token_ms"] - row["p_turn1_first_token_ms"]
    return row


# --- on its own -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Only these rows, in a fresh sfui process (``python -m bench.measure_conversations``):
    for checking a change to them without the whole benchmark's 15 minutes."""
    import argparse
    import os

    from bench.apps import SFUI
    from bench.common import TEST_KEY
    from bench.measure_browser import chromium
    from tests.support.launch import isolate_environment

    parser = argparse.ArgumentParser(description=main.__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test); figures are not meaningful")
    args = parser.parse_args(argv)
    isolate_environment()
    sizes = QUICK if args.quick else FULL
    answer = Answer(20, 100)  # bench/run.py's first-token answer
    load = os.getloadavg()[0]

    async def run() -> LongConversation:
        with FakeSiliconFlow(api_key=TEST_KEY) as fake, AppProcess.start(SFUI, fake.base_url) as app:
            async with chromium() as browser:
                return await measure(browser, app, fake, answer, sizes, 60.0, print)

    row = summarise(asyncio.run(run()), None)
    print(f"long conversations (medians; load average {load:.1f} -> {os.getloadavg()[0]:.1f})")
    for name, value in row.items():
        print(f"  {name:24s} {'-' if value is None else f'{value:,.1f}'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
