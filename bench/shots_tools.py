"""The README's picture of the demo's tools (``tools.png``, taken by ``python -m bench.screenshots
--only tools``): with Tools on, a model calls the unit converter and the calculator, sfui runs
both and shows each call with its result, and the model answers with them.

The model's two requests are scripted (pushed to the fake server); the tools' results are
sfui's own, run as they are for a visitor."""

from __future__ import annotations

from pathlib import Path

from sfui.units import conversion
from tests.support.browser import VIEWPORT
from tests.support.page import THOUGHTS, WAIT_MS, open_app, send, wait_answer
from tests.support.sfserver import FakeSiliconFlow, stream

TOOLS_MODEL = "Qwen/Qwen3-8B"
TOOLS_QUESTION = "A marathon is 42.195 km. How many miles is that, and what pace per km finishes it in 3:30?"
TOOLS_CALLS = [
    {"name": "convert_units", "arguments": {"value": 42.195, "from_unit": "km", "to_unit": "mi"}},
    {"name": "calculator", "arguments": {"expression": "210 / 42.195"}},
]
TOOLS_ANSWER = (
    "A marathon is **26.22 miles**. To finish in 3 h 30 min you need **4.98 minutes per kilometre**, "
    "that is about **4:59 per km**, held for the whole race."
)


def tools_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """The chat after a question answered with two tool calls: their cards, the answer, the Tools switch."""
    fake.push(stream("I'll convert the distance and work out the pace.", tool_calls=TOOLS_CALLS,
                     prompt_tokens=420, model=TOOLS_MODEL, token_rate=80))
    fake.push(stream(TOOLS_ANSWER, prompt_tokens=530, model=TOOLS_MODEL, token_rate=80))
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    page.locator("#tools-demo input[type=checkbox]").check()
    send(page, TOOLS_QUESTION)
    wait_answer(page, "held for the whole race")
    # The converter's own result, as its card shows it.
    page.locator(THOUGHTS, has_text=conversion(42.195, "km", "mi")).first.wait_for(timeout=WAIT_MS)
    page.evaluate("() => window.scrollTo(0, 0)")  # checking the switch scrolled the page down
    page.mouse.move(0, 0)  # no hover highlight in the picture
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
