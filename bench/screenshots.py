"""Take the README's screenshots: the real app against the fake SiliconFlow,
scripted to answer like real models, in Debian's Chromium (Playwright).

    python -m bench.screenshots                      # writes assets/screenshot.png and assets/compare.png
    python -m bench.screenshots --only compare --out-dir /tmp/shots

- ``screenshot.png``: the chat after a reasoning model thought, then answered
  with Markdown, a code block and LaTeX; the reasoning and usage panels beside it.
- ``compare.png``: the Compare tab after three models answered the same question
  at different speeds, with the results table and both charts.

The app runs in this process (tests/support/launch.py), so the fake server's
scenarios are set right before each question. Nothing here is timed: every
wait is for something to be shown. (run from the repository root)
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from tests.support import ROOT, TEST_KEY
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.launch import app_launcher, isolate_environment, patient_launch_check
from tests.support.sfserver import FakeSiliconFlow, Received, Scenario, Sleep, stream

ASSETS = ROOT / "assets"
VIEWPORT = {"width": 1400, "height": 1000}  # the chat's picture, as the README has always shown it
# Wide enough for three readable panes in the page's left column, tall enough that the panes,
# the results table and the charts are all on screen; the picture is that column only.
COMPARE_VIEWPORT = {"width": 1900, "height": 1900}
MARGIN = 16  # pixels of page kept around a clipped picture
WAIT_MS = 60_000  # generous: nothing here is timed, and the machine may be busy

# --- the chat -----------------------------------------------------------------------------------

CHAT_MODEL = "Qwen/Qwen3-8B"
CHAT_QUESTION = "Why is the sky blue? Two sentences, and the blue/red scattering ratio in Python."
CHAT_REASONING = (
    "Sunlight contains all colours. Air molecules are much smaller than the wavelength of light, so they "
    "scatter short wavelengths far more strongly (Rayleigh scattering, proportional to 1/λ⁴). Blue at about "
    "450 nm against red at about 700 nm: (700/450)⁴ ≈ 5.9. Violet is scattered even more, but the Sun emits "
    "less of it and our eyes are less sensitive to it."
)
CHAT_ANSWER = (
    "The sky looks blue because air molecules scatter short-wavelength blue sunlight much more strongly than "
    "red light — **Rayleigh scattering**, which grows as $1/\\lambda^4$. That scattered blue light reaches "
    "our eyes from every part of the sky.\n\n"
    "```python\n"
    "blue, red = 450, 700  # wavelengths in nm\n"
    "print(f\"blue scatters {(red / blue) ** 4:.1f}x more than red\")  # 5.9x\n"
    "```\n"
)


def chat_scenario() -> Scenario:
    scenario = stream(CHAT_ANSWER, reasoning=CHAT_REASONING, prompt_tokens=24, model=CHAT_MODEL, token_rate=80)
    scenario.steps.insert(0, Sleep(0.4))  # a realistic time to first token in the usage panel
    return scenario


def chat_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """The chat after one reasoning turn (``page``: a Playwright sync page; ``fake``: the app's upstream).
    Returns ``path`` once the answer, its code block and its formula are shown and the picture is written."""
    fake.push(chat_scenario())
    page.set_viewport_size(VIEWPORT)
    page.goto(url)
    box = page.locator("#user-input textarea")
    box.wait_for(timeout=WAIT_MS)
    box.fill(CHAT_QUESTION)
    box.press("Enter")
    page.locator("#chatbot .katex").first.wait_for(timeout=WAIT_MS)
    page.locator("#chatbot pre code").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("(text) => document.querySelector('#reasoning-panel textarea').value === text",
                           arg=CHAT_REASONING, timeout=WAIT_MS)
    page.wait_for_function("() => /done/.test(document.querySelector('#usage-panel').innerText)", timeout=WAIT_MS)
    return _shoot(page, path)


# --- the comparison -------------------------------------------------------------------------------

COMPARE_QUESTION = "Why do we have leap years?"
# Per model: (answer, reasoning, prompt tokens as its tokenizer counts them, seconds before the
# first token, tokens per second). Different speeds, so the table and the charts differ. Models
# with short ids: the charts label each bar with the whole id.
COMPARE_ANSWERS: dict[str, tuple[str, str | None, int, float, float]] = {
    "Qwen/Qwen3-8B": (
        "A trip around the Sun takes **365.2422 days**, not 365. So we add **February 29** every fourth "
        "year, except in century years not divisible by 400.",
        None, 19, 0.25, 95.0),
    "zai-org/GLM-4.6": (
        "Because a solar year is about 365¼ days. So:\n"
        "- every 4th year: leap\n"
        "- centuries: not\n"
        "- every 400th year: leap",
        None, 17, 0.6, 48.0),
    "Qwen/QwQ-32B": (
        "A year is ~365.2422 days. A leap day every 4 years gives $365.25$; skipping 3 per 400 years "
        "gives **365.2425**.",
        "The user wants a short explanation. Key fact: the tropical year is ~365.2422 days. A 365-day calendar "
        "drifts ~0.2422 days a year. Julian fix: +1 day every 4 years → 365.25, slightly too long. Gregorian fix: "
        "skip leap years in centuries not divisible by 400 → 365.2425. Mention the drift and both rules briefly.",
        17, 0.9, 36.0),
}


class ScriptedFake(FakeSiliconFlow):
    """The fake server, answering each chat request with the scenario set for its model.

    The Compare tab starts its requests together, in no fixed order, so a queue of
    pushed scenarios would give each model's answer to whichever request came
    first. A request's model is noted when the request is recorded, in the thread
    that serves it, and that thread then takes the model's scenario (once)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.by_model: dict[str, Scenario] = {}
        self._serving = threading.local()

    def answer_by_model(self, scenarios: dict[str, Scenario]) -> None:
        with self._lock:
            self.by_model.update(scenarios)

    def _record(self, received: Received) -> None:
        self._serving.model = (received.body or {}).get("model")
        super()._record(received)

    def _pop(self) -> Scenario | None:
        with self._lock:
            scenario = self.by_model.pop(getattr(self._serving, "model", None), None)
        return scenario or super()._pop()


def compare_scenarios() -> dict[str, Scenario]:
    scenarios = {}
    for model, (answer, reasoning, prompt_tokens, first_token, rate) in COMPARE_ANSWERS.items():
        scenario = stream(answer, reasoning=reasoning, prompt_tokens=prompt_tokens, model=model, token_rate=rate)
        scenario.steps.insert(0, Sleep(first_token))
        scenarios[model] = scenario
    return scenarios


def compare_screenshot(page, url: str, fake: ScriptedFake, path: Path) -> Path:
    """Three models answering one question side by side, the results table and the charts.
    Returns ``path`` once every pane has its answer, the table its rows and both charts their bars."""
    fake.answer_by_model(compare_scenarios())
    page.set_viewport_size(COMPARE_VIEWPORT)
    page.goto(url)
    page.get_by_role("tab", name="Compare").click(timeout=WAIT_MS)
    page.locator("#compare-input textarea").wait_for(timeout=WAIT_MS)
    for slot, model in enumerate(COMPARE_ANSWERS, 1):
        box = page.locator(f"#compare-model-{slot} input")
        box.click()
        box.fill(model)
        box.press("Enter")
        page.wait_for_function("([slot, model]) => document.querySelector(`#compare-model-${slot} input`)"
                               ".value.includes(model)", arg=[slot, model], timeout=WAIT_MS)
    page.locator("#title").click()  # close the last model list
    box = page.locator("#compare-input textarea")
    box.fill(COMPARE_QUESTION)
    box.press("Enter")
    rows = len(COMPARE_ANSWERS) + 1  # the header and a row per pane: shown once every pane has ended
    page.locator(f'#compare-stats [role=grid][aria-rowcount="{rows}"]').wait_for(timeout=WAIT_MS)
    for chart in ("#compare-chart-ttft", "#compare-chart-speed"):
        page.locator(f"{chart} canvas, {chart} svg").first.wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(500)  # the charts' own entry transition
    # The tab's column: the panes, the table and the charts (the side panels belong to the chat).
    page.evaluate("window.scrollTo(0, 0)")  # bounding boxes are then in the page's coordinates
    column = page.locator("#compare-stats").bounding_box()
    bottom = page.locator("#compare-chart").bounding_box()
    left = max(column["x"] - MARGIN, 0)
    clip = {"x": left, "y": 0, "width": column["x"] + column["width"] + MARGIN - left,
            "height": bottom["y"] + bottom["height"] + MARGIN}
    return _shoot(page, path, clip=clip)


# --- taking them ----------------------------------------------------------------------------------


def _shoot(page, path: Path, clip: dict | None = None) -> Path:
    page.mouse.move(0, 0)  # no hover highlight in the picture
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip=clip, full_page=clip is not None)  # a clip may reach below the fold
    return path


SHOTS: dict[str, tuple[str, Callable]] = {
    "chat": ("screenshot.png", chat_screenshot),
    "compare": ("compare.png", compare_screenshot),
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", type=Path, default=ASSETS, help="where to write the PNGs (default assets/)")
    parser.add_argument("--only", choices=sorted(SHOTS), action="append", help="take only this one (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    isolate_environment()  # before gradio is imported: no analytics, no developer settings
    patient_launch_check()
    from playwright.sync_api import sync_playwright

    names = args.only or list(SHOTS)
    with ScriptedFake(api_key=TEST_KEY) as fake, app_launcher(fake) as launch, sync_playwright() as playwright:
        app = launch()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in names:
                filename, take = SHOTS[name]
                context = browser.new_context(viewport=VIEWPORT, locale="en-US")
                try:
                    path = take(context.new_page(), app.url, fake, args.out_dir / filename)
                finally:
                    context.close()
                print(f"{name}: {path}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
