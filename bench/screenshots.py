"""Take the README's screenshots: the real app against the fake SiliconFlow,
scripted to answer like real models, in Debian's Chromium (Playwright).

    python -m bench.screenshots                      # writes every picture below into assets/
    python -m bench.screenshots --only compare --out-dir /tmp/shots

- ``screenshot.png``: the chat after a reasoning model thought, then answered
  with Markdown, a code block and LaTeX; the reasoning and usage panels beside it.
- ``compare.png``: the Compare tab after three models answered the same question
  at different speeds, with the results table and both charts.
- ``conversations.png``: the sidebar open on three saved conversations, one
  reopened with its thinking bubble open.
- ``code.png``: View code open on Python ``requests`` for a message in the box.
- ``dark.png``: the chat's picture in dark mode (``?__theme=dark``, the browser asking for dark).
- ``mobile.png``: a 400 px wide phone (drawn at 2x) after a short answer: the chat, the box and
  Send on the first screen, the parameters below.
- ``first-screen.png``: what a new visitor sees first: an app without a server key, the empty
  chat with the example prompts and the presets.
- ``images.png``: a vision model describing ``assets/sample.jpg`` (attached through
  the box's file input), the picture in its bubble and the prompt tokens it cost.
- ``budget.png``: a public demo on the server's key: the key bar's budget meter after one
  answer, and the refusal of a question whose worst case no longer fits the budget.
- ``leaderboard.png``: the Compare tab's leaderboard after blind rounds of three priced
  models: scores with their intervals, votes, cost per answer and speed, and the score/cost chart.
- ``share.png``: the chat after an answer, with its share link and the link's QR code.
- ``presenter.png``: presenter mode (``?present=1``) after one answer: large type, the deck
  and the QR code of the page.
- ``tools.png``: with Tools on, a model calling the unit converter and the calculator, their
  cards with sfui's results, and the answer (bench/shots_tools.py).
- ``alternatives.png``: an answer and two Retries, the second answer shown: "‹ Answer 2 / 3 ›"
  under the chat.

The app runs in this process (tests/support/launch.py), so the fake server's
scenarios are set right before each question. Nothing here is timed: every
wait is for something to be shown. (run from the repository root)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sfui import conversation_files, conversation_format
from tests.support import ROOT, TEST_KEY
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, VIEWPORT
from tests.support.launch import app_launcher, isolate_environment, patient_launch_check
from tests.support.page import (
    CHAT,
    CODE,
    CODE_BLOCK,
    FORMULA,
    MESSAGE_BOX,
    REASONING,
    WAIT_MS,
    ask,
    attach,
    chat_button,
    import_file,
    new_chat,
    open_accordion,
    open_app,
    open_compare,
    open_sidebar,
    pick_language,
    pick_model,
    read_toast,
    saved,
    send,
    send_compare,
    vote_until_noted,
    wait_answer,
    wait_compare_done,
)
from tests.support.sfserver import FakeSiliconFlow, Received, Scenario, Sleep, stream

from .shots_tools import tools_screenshot

ASSETS = ROOT / "assets"
# VIEWPORT: the chat's picture, as the README has always shown it (the tests' browser window).
# Wide enough for three readable panes in the page's left column, tall enough that the panes,
# the results table and the charts are all on screen; the picture is that column only.
COMPARE_VIEWPORT = {"width": 1900, "height": 1900}
# Wider than the chat's picture: the side column, and so the code's lines, get wider (up to the page's own cap).
CODE_VIEWPORT = {"width": 1900, "height": 1400}
MARGIN = 16  # pixels of page kept around a clipped picture
# Every wait is page.WAIT_MS: nothing here is timed, and the machine may be busy.
REASONING_SHOWN = f"(text) => document.querySelector('{REASONING}').value === text"

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
    open_app(page, url)
    ask(page, CHAT_QUESTION)
    page.locator(FORMULA).first.wait_for(timeout=WAIT_MS)
    page.locator(CODE_BLOCK).first.wait_for(timeout=WAIT_MS)
    page.wait_for_function(REASONING_SHOWN, arg=CHAT_REASONING, timeout=WAIT_MS)
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
    open_compare(page, url)
    for slot, model in enumerate(COMPARE_ANSWERS, 1):
        pick_model(page, model, slot)
    page.locator("#title").click()  # close the last model list
    send_compare(page, COMPARE_QUESTION)
    wait_compare_done(page, len(COMPARE_ANSWERS))
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


# --- saved conversations and View code ----------------------------------------------------------

CONVERSATION_MODEL = "deepseek-ai/DeepSeek-R1"
CONVERSATION_QUESTION = "How do I read a 10 GB CSV in Python without running out of memory?"
CONVERSATION_REASONING = (
    "10 GB will not fit in memory at once on most laptops. Options: read it in chunks with pandas "
    "(chunksize), or stream rows with the csv module. Chunks keep pandas' convenience; aggregate per "
    "chunk and combine at the end. Mention dtypes and usecols: they cut memory a lot."
)
CONVERSATION_ANSWER = (
    "Read it **in chunks** and keep only what you need from each one:\n\n"
    "```python\n"
    "import pandas as pd\n\n"
    "totals = {}\n"
    "for chunk in pd.read_csv(\"sales.csv\", chunksize=500_000, usecols=[\"region\", \"amount\"]):\n"
    "    for region, amount in chunk.groupby(\"region\")[\"amount\"].sum().items():\n"
    "        totals[region] = totals.get(region, 0) + amount\n"
    "print(totals)\n"
    "```\n\n"
    "- `chunksize` bounds the memory used at any time;\n"
    "- `usecols` (and `dtype=`) keep each chunk small.\n"
)
# Two older conversations for the list, imported with their own dates: (title, model, hours ago, question, answer).
OLDER_CONVERSATIONS = (
    ("Translate an email to Chinese", "Qwen/Qwen3-8B", 3.2, "Translate to Chinese: Thanks for the quick reply!",
     "感谢您的快速回复！"),
    ("Why do we have leap years?", "zai-org/GLM-4.6", 27.0, "Why do we have leap years?",
     "Because a solar year is about 365¼ days, so a day is added every fourth year."),
)
CODE_MESSAGE = "Now group the totals by month as well."


def _older_conversation(index: int, title: str, model: str, hours_ago: float, question: str, answer: str) -> str:
    """A saved conversation as sfui exports it (sfui.conversations), last used ``hours_ago``."""
    when = time.time() - hours_ago * 3600
    conversation = conversation_format.new_conversation(when, new_id=lambda: f"screenshot-{index}")
    messages = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return conversation_files.to_json(conversation_format.with_changes(conversation, when, title=title, model=model,
                                                            messages=messages))


def _ask_with_thinking(page, fake: FakeSiliconFlow) -> None:
    """One reasoning model's turn in the open chat, waited for until its usage panel says done."""
    scenario = stream(CONVERSATION_ANSWER, reasoning=CONVERSATION_REASONING, prompt_tokens=21,
                      model=CONVERSATION_MODEL, token_rate=120)
    scenario.steps.insert(0, Sleep(0.5))
    fake.push(scenario)
    ask(page, CONVERSATION_QUESTION)
    page.locator(CODE_BLOCK).first.wait_for(timeout=WAIT_MS)


def _choose_model(page, model: str) -> None:
    pick_model(page, model)
    page.locator("#title").click()  # close the model list


def conversations_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """The sidebar open on three saved conversations, the newest reopened from the list: its
    question, the thinking bubble (opened) and the answer, with its side panels."""
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    open_sidebar(page)
    for index, older in enumerate(reversed(OLDER_CONVERSATIONS)):
        import_file(page, "conversation.json", _older_conversation(index, *older).encode())
        saved(page).nth(index).wait_for(timeout=WAIT_MS)
    new_chat(page)
    _choose_model(page, CONVERSATION_MODEL)
    _ask_with_thinking(page, fake)
    labels = saved(page)
    labels.nth(2).wait_for(timeout=WAIT_MS)  # saved: three in the list
    labels.nth(1).click()  # another one, then back: the picture shows a reopened conversation
    page.locator(CODE_BLOCK).first.wait_for(state="detached", timeout=WAIT_MS)
    labels.nth(0).click()
    page.locator(CODE_BLOCK).first.wait_for(timeout=WAIT_MS)
    page.wait_for_function(REASONING_SHOWN, arg=CONVERSATION_REASONING, timeout=WAIT_MS)
    _open_thought(page)  # the thinking is part of what is kept: show it
    return _shoot(page, path)


def _open_thought(page) -> None:
    """Open the chat's thinking bubble and wait until it stays open (a late update of the chat,
    from the steps that reopened it, draws the bubble closed again)."""
    title = page.locator(f"{CHAT} [role=button].title", has_text="Thought").first
    is_open = "(title) => /rotate\\(180deg\\)/.test(title.querySelector('.arrow').getAttribute('style') || '')"
    for _ in range(5):
        page.wait_for_timeout(500)  # the page settles: the list, the chat, the sidebar's transition
        if title.evaluate(is_open):
            return
        title.click()
    raise RuntimeError("the thinking bubble does not stay open")


def code_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """View code open on Python requests: the request the next Send makes for the message in the
    box, after one reasoning turn (its thinking is not sent). The picture is the panel only."""
    page.set_viewport_size(CODE_VIEWPORT)
    open_app(page, url)
    _choose_model(page, CONVERSATION_MODEL)
    _ask_with_thinking(page, fake)
    page.locator(MESSAGE_BOX).fill(CODE_MESSAGE)
    open_accordion(page, "View code")
    pick_language(page, "Python (requests)")
    page.locator(CODE, has_text="import requests").wait_for(timeout=WAIT_MS)
    page.locator(CODE, has_text=CODE_MESSAGE).wait_for(timeout=WAIT_MS)
    # Scrolled into the window, not a full-page picture: making the page as tall as its
    # content re-lays out the code editor, whose line numbers then lag a line behind.
    panel = page.locator("#view-code")
    panel.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # the editor's own re-measure after the scroll
    box = panel.bounding_box()  # in the window's coordinates
    clip = {"x": max(box["x"] - MARGIN, 0), "y": max(box["y"] - MARGIN, 0),
            "width": box["width"] + 2 * MARGIN, "height": box["height"] + 2 * MARGIN}
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip=clip)
    return path


# --- the first screen, dark mode, a phone --------------------------------------------------------

PHONE_QUESTION = "What can you do? One short list."
PHONE_ANSWER = (
    "I can help with:\n\n"
    "- **writing** and **code**\n"
    "- **math**: $a^2 + b^2 = c^2$\n"
)


def dark_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """The chat's picture, in dark mode."""
    return chat_screenshot(page, url + "?__theme=dark", fake, path)


def mobile_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """A 400 px phone after one short answer: what is on its first screen."""
    scenario = stream(PHONE_ANSWER, prompt_tokens=14, model=CHAT_MODEL, token_rate=80)
    fake.push(scenario)
    page.set_viewport_size(PHONE)
    open_app(page, url)
    ask(page, PHONE_QUESTION)
    page.locator(FORMULA).first.wait_for(timeout=WAIT_MS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)  # the chat's own scroll to its last message, then back to the question
    page.evaluate("""(chat) => document.querySelectorAll(`${chat} *`).forEach(
        (el) => { if (el.scrollHeight > el.clientHeight + 1) el.scrollTop = 0; })""", CHAT)
    return _shoot(page, path)


def first_screen_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """An app without a server key, opened for the first time: the empty chat with the examples."""
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    page.locator("#examples .example-btn").first.wait_for(timeout=WAIT_MS)
    page.locator("#presets input:checked").wait_for(timeout=WAIT_MS)
    return _shoot(page, path)


# --- a picture -------------------------------------------------------------------------------------

IMAGE_MODEL = "Qwen/Qwen2.5-VL-72B-Instruct"
IMAGE_PATH = ASSETS / "sample.jpg"  # python -m bench.sample_image draws it
IMAGE_QUESTION = "What is in this picture? One short paragraph."
IMAGE_ANSWER = (
    "A **sunset over a calm bay**. The sun has just dipped behind a range of purple hills, leaving a warm "
    "orange glow that fades into a deep blue sky. Its light breaks into a shimmering path across the water, "
    "and on the left a small **sailing boat** with two pale sails sits still on the surface. It's a quiet, "
    "peaceful evening scene."
)
IMAGE_PROMPT_TOKENS = 712  # the picture's tokens and the question's, as a vision model might count them


def image_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """A vision model describing the sample picture: the question with the picture in its bubble,
    the answer, and the usage panel with the prompt tokens the picture cost."""
    scenario = stream(IMAGE_ANSWER, prompt_tokens=IMAGE_PROMPT_TOKENS, model=IMAGE_MODEL, token_rate=90)
    scenario.steps.insert(0, Sleep(0.6))
    fake.push(scenario)
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    _choose_model(page, IMAGE_MODEL)
    attach(page, str(IMAGE_PATH))
    ask(page, IMAGE_QUESTION, "peaceful evening")
    page.wait_for_function("(chat) => { const i = document.querySelector(`${chat} img.sfui-image`);"
                           " return i && i.complete && i.naturalWidth > 0; }", arg=CHAT, timeout=WAIT_MS)
    return _shoot(page, path)


# --- the demo's budget -----------------------------------------------------------------------------

BUDGET_MODEL = "deepseek-ai/DeepSeek-V3"
BUDGET_EXPENSIVE = "deepseek-ai/DeepSeek-R1"  # thinks: its worst case holds 32,768 thinking tokens too
BUDGET_LIMITS = {"visitor_budget": 0.01, "daily_budget": 5.0, "visitor_rpm": 30, "visitor_streams": 2,
                 "queue_size": 256, "key_checks": 30}
BUDGET_QUESTION = "In one sentence: what is a token?"
BUDGET_ANSWER = "A **token** is a piece of text (a word, part of a word or a sign) that a model reads and writes."
BUDGET_SECOND = "Now prove the Riemann hypothesis, step by step."


def budget_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """A stranger on the demo's key: one answer (the meter counts down), then a question to a
    reasoning model whose worst case does not fit what is left: refused, with the reason."""
    fake.push(stream(BUDGET_ANSWER, prompt_tokens=16, model=BUDGET_MODEL, token_rate=90))
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    _choose_model(page, BUDGET_MODEL)
    ask(page, BUDGET_QUESTION)
    page.locator("#budget").filter(has_text="left today").wait_for(timeout=WAIT_MS)
    _choose_model(page, BUDGET_EXPENSIVE)
    send(page, BUDGET_SECOND)
    read_toast(page, "Not sent")
    page.wait_for_timeout(800)  # the toast's fade-in, for the picture (nothing is timed)
    page.wait_for_function("(box) => document.querySelector(box).value.includes('Riemann')", arg=MESSAGE_BOX,
                           timeout=WAIT_MS)  # the refused question is back in the box
    return _shoot(page, path)


# --- the leaderboard, a share link, presenter mode (issue 21) ---------------------------------------

BOARD_MODELS = ("deepseek-ai/DeepSeek-V3", "Qwen/QwQ-32B", "zai-org/GLM-4.6")
BOARD_QUESTIONS = ("What is a prime number?", "Name a use of a hash map.", "Why is the sea salty?",
                   "What does HTTP stand for?", "Explain recursion in a line.", "What is entropy?")
BOARD_VOTES = ("#vote-1", "#vote-2", "#vote-1", "#vote-3", "#vote-1", "#vote-tie")  # blind: panes, not models


def _board_answers(question: str) -> dict[str, Scenario]:
    """Each model's answer, at its own speed; none names its maker (that vote would not count)."""
    speeds = {BOARD_MODELS[0]: (0.3, 70.0), BOARD_MODELS[1]: (0.8, 35.0), BOARD_MODELS[2]: (0.5, 50.0)}
    scenarios = {}
    for model, (first, rate) in speeds.items():
        scenario = stream(f"In short: {question.lower()} has a clear answer, with an example or two.",
                          prompt_tokens=18, model=model, token_rate=rate)
        scenario.steps.insert(0, Sleep(first))
        scenarios[model] = scenario
    return scenarios


def leaderboard_screenshot(page, url: str, fake: ScriptedFake, path: Path) -> Path:
    """Six blind rounds of three models, a vote each: the leaderboard and its chart."""
    page.set_viewport_size(COMPARE_VIEWPORT)
    open_compare(page, url)
    for slot, model in enumerate(BOARD_MODELS, 1):
        pick_model(page, model, slot)
    page.locator("#compare-blind input").check()
    for question, vote in zip(BOARD_QUESTIONS, BOARD_VOTES, strict=True):
        page.locator("#compare-clear-btn").click()
        page.locator("#compare-status").filter(has_text="Done").wait_for(state="detached", timeout=WAIT_MS)
        fake.answer_by_model(_board_answers(question))
        send_compare(page, question)
        wait_compare_done(page, len(BOARD_MODELS))
        vote_until_noted(page, vote, "leaderboard")
    board = page.locator("#leaderboard-area")
    page.locator("#leaderboard").filter(has_text=BOARD_MODELS[0]).wait_for(timeout=WAIT_MS)
    page.locator("#leaderboard-chart").filter(has_text=BOARD_MODELS[-1]).wait_for(timeout=WAIT_MS)  # its legend
    board.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the chart's drawing transition, for the picture (nothing is timed)
    page.mouse.move(0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    board.screenshot(path=str(path))  # the leaderboard's own box, wherever it is on the page
    return path


def share_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """The chat after an answer, shared: the link ready to copy and its QR code."""
    fake.push(chat_scenario())
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    ask(page, CHAT_QUESTION)
    page.locator(CODE_BLOCK).first.wait_for(timeout=WAIT_MS)
    page.locator("#share-btn").click()
    page.locator("#share-qr svg").wait_for(timeout=WAIT_MS)
    page.locator("#share-qr").scroll_into_view_if_needed()
    return _shoot(page, path)


def presenter_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """Presenter mode from the address (?present=1): the deck, one answer in large type, the QR code."""
    fake.push(stream(PHONE_ANSWER, prompt_tokens=14, model=CHAT_MODEL, token_rate=80))
    page.set_viewport_size(VIEWPORT)
    page.goto(url + "?present=1")
    page.locator("#deck-next-btn").wait_for(timeout=WAIT_MS)
    page.locator("#present-qr svg").wait_for(timeout=WAIT_MS)
    ask(page, PHONE_QUESTION)
    page.locator(FORMULA).first.wait_for(timeout=WAIT_MS)
    page.locator("#deck-next-btn").click()
    page.locator("#deck").filter(has_text="1 /").wait_for(timeout=WAIT_MS)
    page.evaluate("() => window.scrollTo(0, 0)")
    return _shoot(page, path)


ALT_QUESTION = "Give me a name for a grey cat."
ALT_ANSWERS = ("How about **Smokey**? It suits a soft grey coat.", "**Earl Grey**, for a cat with a touch of class.",
               "**Ash**: short, calm and easy to call.")


def alternatives_screenshot(page, url: str, fake: FakeSiliconFlow, path: Path) -> Path:
    """An answer and two Retries, then ‹: the second answer shown, with "‹ Answer 2 / 3 ›" under the chat."""
    fake.push(*(stream(answer, prompt_tokens=16, model=CHAT_MODEL, token_rate=80) for answer in ALT_ANSWERS))
    page.set_viewport_size(VIEWPORT)
    open_app(page, url)
    ask(page, ALT_QUESTION)
    for answer in ALT_ANSWERS[1:]:
        page.locator(chat_button("Retry")).click()
        wait_answer(page, answer.split("**")[1])
    page.locator("#alt-prev-btn").click()
    page.locator("#alt-status").filter(has_text="2 / 3").wait_for(timeout=WAIT_MS)
    return _shoot(page, path)


# --- taking them ----------------------------------------------------------------------------------


def _shoot(page, path: Path, clip: dict | None = None) -> Path:
    page.mouse.move(0, 0)  # no hover highlight in the picture
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip=clip, full_page=clip is not None)  # a clip may reach below the fold
    return path


@dataclass(frozen=True)
class Shot:
    filename: str
    take: Callable
    context: dict = field(default_factory=dict)  # browser context options beyond the viewport and locale
    server_key: bool = True  # False: taken of an app without a server key (a new visitor's first screen)
    limits: dict | None = None  # the demo's limits of its own app (None: the pictures' shared app, no limits)


SHOTS: dict[str, Shot] = {
    "chat": Shot("screenshot.png", chat_screenshot),
    "compare": Shot("compare.png", compare_screenshot),
    "conversations": Shot("conversations.png", conversations_screenshot),
    "code": Shot("code.png", code_screenshot),
    "dark": Shot("dark.png", dark_screenshot, context={"color_scheme": "dark"}),
    "mobile": Shot("mobile.png", mobile_screenshot, context={"viewport": PHONE, "device_scale_factor": 2,
                                                             "is_mobile": True, "has_touch": True}),
    "first-screen": Shot("first-screen.png", first_screen_screenshot, server_key=False),
    "images": Shot("images.png", image_screenshot),
    "budget": Shot("budget.png", budget_screenshot, limits=BUDGET_LIMITS),
    "leaderboard": Shot("leaderboard.png", leaderboard_screenshot),
    "share": Shot("share.png", share_screenshot),
    "presenter": Shot("presenter.png", presenter_screenshot),
    "tools": Shot("tools.png", tools_screenshot),
    "alternatives": Shot("alternatives.png", alternatives_screenshot),
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
    # The fake stands in for SiliconFlow's .cn host: the apps get its built-in prices (a host
    # that is not SiliconFlow's has none), so the pictures show costs as a visitor sees them.
    from sfui.prices import YUAN, built_in

    prices = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    with prices:
        json.dump({model: vars(price) for model, price in built_in(YUAN).items()}, prices)
    with ScriptedFake(api_key=TEST_KEY) as fake, app_launcher(fake) as launch, sync_playwright() as playwright:
        apps = {}  # with and without a server key, each launched when a picture first needs it
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in names:
                shot = SHOTS[name]
                app_name = name if shot.limits else shot.server_key
                if app_name not in apps:
                    key = TEST_KEY if shot.server_key else None
                    limits = {"limits_chosen": shot.limits} if shot.limits else {}
                    apps[app_name] = launch(api_key=key, prices_file=prices.name, **limits)
                context = browser.new_context(locale="en-US", **{"viewport": VIEWPORT, **shot.context})
                try:
                    path = shot.take(context.new_page(), apps[app_name].url, fake, args.out_dir / shot.filename)
                finally:
                    context.close()
                print(f"{name}: {path}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
