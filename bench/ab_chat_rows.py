"""Paired A/B of the chat rows' CSS (sfui/ui/page.py CHAT_ROWS_CSS): what the page does
with the rule and without it, in one app process and one browser.

Two pages of the same app: one as served ("rule on"), one with the rule overridden
off by an init script. Each sample is taken on both pages back to back, alternating
which goes first, so both see the same load on a shared machine. What is compared:

- reopening a saved 100-turn conversation (measure_conversations' reopen: the short
  one, then the long one clicked in the sidebar);
- one whole answer at turn 50 (the 49-turn conversation imported afresh, then a
  question), with its first token.

The page's work comes from the Chrome DevTools Protocol's Performance metrics in
thread time (style recalculation, layout, script, all tasks), which a loaded machine
inflates less than wall time. Run: ``python -m bench.ab_chat_rows [--samples N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics

from bench import measure_conversations as mc
from bench.apps import SFUI, AppProcess
from bench.common import TEST_KEY, Answer, FakeSiliconFlow
from bench.measure_browser import SETTLE_BETWEEN_QUESTIONS, ask, chromium
from sfui.conversation_files import to_json
from tests.support.launch import isolate_environment
from tests.support.page import CHAT_ROWS


def off_script() -> str:
    """An init script overriding the rule off (imported here: gradio only after isolate_environment)."""
    from sfui.ui.page import CHAT_ROWS

    off = f"{CHAT_ROWS} {{ content-visibility: visible !important; contain-intrinsic-size: none !important; }}"
    return ("document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style'); "
            f"s.textContent = {json.dumps(off)}; document.head.appendChild(s); }});")


METRICS = ("RecalcStyleDuration", "LayoutDuration", "ScriptDuration", "TaskDuration")
REOPEN_TURNS, DEEP_TURN = 100, 50
ANSWER = Answer(tokens=60, rate=40.0)
TIMEOUT = 30.0


async def open_page(browser, app: AppProcess, rule_on: bool):
    """A fresh visitor with measure_conversations' timing scripts (and the rule off unless ``rule_on``),
    the sidebar open, and a CDP session reporting thread-time metrics."""
    context, page = await mc.open_page(browser, app, () if rule_on else (off_script(),))
    cdp = await context.new_cdp_session(page)
    await cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    return context, page, cdp


async def check_rule(page, rule_on: bool) -> None:
    """Refuse to compare pages that do not differ as intended (the rule renamed, or not overridden)."""
    shown = await page.evaluate("(row) => getComputedStyle(document.querySelector(row)).contentVisibility",
                                CHAT_ROWS)
    if shown != ("auto" if rule_on else "visible"):
        variant = "on" if rule_on else "off"
        raise RuntimeError(f"the chat rows' content-visibility is {shown!r} on the rule-{variant} page")


async def page_work(cdp) -> dict[str, float]:
    values = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
    return {name: values.get(name, 0.0) for name in METRICS}


async def reopen_sample(page, cdp) -> dict[str, float]:
    await mc.reopen_once(page, mc.SHORT_TITLE, mc.SHORT_MARKER, TIMEOUT)
    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
    before = await page_work(cdp)
    reopen = await mc.reopen_once(page, mc.LONG_TITLE, mc.LONG_MARKER, TIMEOUT)
    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)  # let what follows the scroll finish
    after = await page_work(cdp)
    in_view = reopen.in_view if reopen.in_view is not None else float("inf")
    return {**{k: after[k] - before[k] for k in METRICS}, "click -> last message in view": in_view}


async def answer_sample(page, cdp, app: AppProcess, fake: FakeSiliconFlow, deep_text: str) -> dict[str, float]:
    await mc.import_conversation(page, deep_text, mc.DEEP_MARKER)
    await asyncio.sleep(SETTLE_BETWEEN_QUESTIONS)
    before = await page_work(cdp)
    ANSWER.push(fake)
    timing = await ask(page, app, TIMEOUT)
    after = await page_work(cdp)
    first = timing.first_token if timing.first_token is not None else float("inf")
    return {**{k: after[k] - before[k] for k in METRICS}, "Enter -> first token": first}


async def measure(samples: int) -> dict[str, dict[str, dict[str, list[float]]]]:
    """{"reopen"|"turn 50": {"on"|"off": {figure: [seconds per sample]}}}, after one warm-up each."""
    long_text = to_json(mc.build_conversation(REOPEN_TURNS, "ab-long", mc.LONG_TITLE, mc.LONG_MARKER))
    short_text = to_json(mc.build_conversation(1, "ab-short", mc.SHORT_TITLE, mc.SHORT_MARKER))
    deep_text = to_json(mc.build_conversation(DEEP_TURN - 1, "ab-deep", mc.DEEP_TITLE, mc.DEEP_MARKER))
    results: dict = {"reopen": {"on": {}, "off": {}}, f"turn {DEEP_TURN}": {"on": {}, "off": {}}}
    with FakeSiliconFlow(api_key=TEST_KEY) as fake, AppProcess.start(SFUI, fake.base_url) as app:
        async with chromium() as browser:
            pages = {variant: await open_page(browser, app, variant == "on") for variant in ("off", "on")}
            try:
                for variant, (_, page, _) in pages.items():
                    await mc.import_conversation(page, short_text, mc.SHORT_MARKER)
                    await mc.import_conversation(page, long_text, mc.LONG_MARKER)
                    await check_rule(page, variant == "on")
                for what, take in (("reopen", lambda p, c: reopen_sample(p, c)),
                                   (f"turn {DEEP_TURN}", lambda p, c: answer_sample(p, c, app, fake, deep_text))):
                    for i in range(samples + 1):
                        for variant in ("off", "on") if i % 2 else ("on", "off"):
                            _, page, cdp = pages[variant]
                            sample = await take(page, cdp)
                            if i:  # the first round warms both pages up
                                for name, value in sample.items():
                                    results[what][variant].setdefault(name, []).append(value)
            finally:
                for context, _, _ in pages.values():
                    await context.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=4, help="samples of each, on each page (default 4)")
    args = parser.parse_args(argv)
    isolate_environment()
    load = os.getloadavg()[0]
    results = asyncio.run(measure(args.samples))
    print(f"chat rows' CSS, rule off vs on (median of {args.samples}; load {load:.1f} -> {os.getloadavg()[0]:.1f})")
    for what, variants in results.items():
        for name in variants["on"]:
            off, on = statistics.median(variants["off"][name]), statistics.median(variants["on"][name])
            ratio = on / off if off else float("nan")
            print(f"  {what:8s} {name:30s} off {off:7.3f} s   on {on:7.3f} s   {ratio:5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
