"""The app's page as a visitor uses it, for the browser tests and bench/: open it, send,
ask (send, then wait for the new answer), read the last answer, open the sidebar, import
and download, read a toast, and the Compare tab's slots and panes.

Gradio's DOM, what Gradio 6.31 draws around the app's elem_ids (a message box is a
textarea in ``#user-input``, a question is ``[data-testid="user"]``, a toast is
``[data-testid="toast-body"]`` ...), is named here once: a Gradio upgrade that moves it
is mended here, not in every test. The elem_ids themselves are the app's own contract.

Helpers read the page the way a visitor does (rendered text, visible elements), and
every wait is a generous Playwright wait on something shown: :data:`WAIT_MS`, the one
wait, never a timing assertion.

Most helpers take a sync Playwright page (the tests, bench/screenshots.py). Those the
async benchmark scripts need too are *actions* (:func:`action`): one definition for both
APIs, ``open_app(page, url)`` on a sync page and ``await open_app(page, url)`` on an
async one. Importing this module changes nothing.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page as AsyncPage
from playwright.async_api import expect as async_expect
from playwright.sync_api import Locator, Page
from playwright.sync_api import expect as sync_expect

WAIT_MS = 60_000  # generous: a loaded 2-core machine can be very slow; nothing here is timed

# --- Gradio's DOM --------------------------------------------------------------------------------

MESSAGE_BOX = "#user-input textarea"  # the chat's message box (a MultimodalTextbox)
FILE_INPUT = "#user-input input[type=file]"  # what the box's clip button, a drop or a paste hand files to
ATTACHED = "#user-input .thumbnail-item"  # a file attached (uploaded) in the box
CHAT = "#chatbot"
QUESTION = '[data-testid="user"]'  # a question's bubble, in the chat or a Compare pane
ANSWER = '[data-testid="bot"]'  # an assistant's bubble: an answer, a thinking bubble or a notice
QUESTIONS = f"{CHAT} {QUESTION}"
ANSWERS = f"{CHAT} {ANSWER}"
CHAT_SCROLL = f"{CHAT} .bubble-wrap"  # the chat's scroll box
CHAT_ROWS = f"{CHAT} .message-row"  # a message's row (a question's or an answer's)
THOUGHTS = f"{CHAT} .thought-group"  # a thinking bubble (its title: ``.title``)
FORMULA = f"{CHAT} .katex"  # LaTeX drawn by KaTeX
CODE_BLOCK = f"{CHAT} pre code"  # a Markdown code block
REASONING = "#reasoning-panel textarea"  # the reasoning panel's text
CHAT_ERROR = f"{CHAT} [data-testid=status-tracker] .error"  # Gradio's error overlay over the chat
TOAST = '[data-testid="toast-body"]'  # gr.Warning/gr.Info; its kind is a class: ``.warning``
TOAST_TEXT = '[data-testid="toast-text"]'
TOAST_CLOSE = '[data-testid="toast-close"]'
ACCORDION = "button.label-wrap"  # an accordion's header (``has_text``: its label); ``.open`` when open
SIDEBAR = "#sidebar"  # ``.open`` when open
SIDEBAR_TOGGLE = f"{SIDEBAR} .toggle-button"
SAVED = "#conversations label"  # a saved conversation in the sidebar's list (a Radio's choice)
SEARCH_BOX = "#conv-search input, #conv-search textarea"  # the sidebar's search (issue 22)
SEARCH_SHOWN = f'{SAVED}:not([data-search="miss"])'  # the conversations a search keeps in the list
SEARCH_MATCH = "#conversations .conv-snippet"  # the match shown under a conversation the search keeps
SEARCH_NOTE = "#conv-search-note"  # how many conversations match, or that none does
STORAGE_LINE = "#storage-status"
PREVIEW_BUTTONS = "#chatbot .html-preview-btn"  # Preview under each ```html block (the latest: #html-preview-btn)
PREVIEW_FRAME = "#chatbot .html-preview-frame"
USAGE_ROWS = "#usage-panel tbody tr"  # the usage table's rows; the first is the turn's status
KEY_BOX = "#api-key input"
MODEL_BOX = "#model input"  # the model picker (a Dropdown that takes a custom id)
CODE = "#code-view .cm-content"  # View code's code (CodeMirror draws the lines in view)
CODE_COPY = "#code-view button[aria-label*='opy'], #code-view button[title*='opy']"
BLOCK_LABEL = "[data-testid=block-label]"  # a component's label (a Compare pane's model)
COMPARE_BOX = "#compare-input textarea"
RESULTS_GRID = "#compare-stats [role=grid]"  # the results table (``aria-rowcount``: header and rows)
CHAT_INTERFACE_BOX = 'textarea[data-testid="textbox"]'  # gr.ChatInterface's box (bench's baseline app)
# The saved conversations as the browser holds them (a gr.BrowserState, encrypted).
STORAGE_KEY = "sfui-conversations"


def chat_button(label: str) -> str:
    """A button of the chat's messages by its label: Retry, Undo, Edit, Submit (an edit),
    Copy conversation."""
    return f'{CHAT} button[aria-label="{label}"]'


def number_box(elem_id: str) -> str:
    """The number box of a slider (``input[type=range]`` is its track)."""
    return f"#{elem_id} input[type=number]"


def model_box(slot: int | None = None) -> str:
    """The chat's model picker, or a Compare slot's."""
    return MODEL_BOX if slot is None else f"#compare-model-{slot} input"


# The status row of the usage panel once a turn has ended (en and zh).
ENDED = re.compile(r"^(done|error|stopped|完成|出错|已停止)$")
DONE = re.compile(r"^(done|完成)$")
OPEN = re.compile(r"\bopen\b")

NEW_LAST_QUESTION = f"""(before) => {{
    const questions = document.querySelectorAll('{QUESTIONS}');
    const last = questions[questions.length - 1];
    if (!last) return false;
    return last.dataset.testAsked === undefined || last.dataset.testAsked !== last.innerText
        || questions.length > before;
}}"""
# Marks the chat's last question, so that the next one can be told from it: the chat shows
# only the latest turns (sfui.chat_window), so a new question need not add to their count.
# And notes (window.__newQuestionSeen) the moment the chat first shows a new question: the
# same question asked again, with the same answer, leaves the chat as it was once the turn
# has ended (the DOM's nodes are reused), and a turn whose frames the page draws at once
# shows nothing in between.
MARK_LAST_QUESTION = f"""() => {{
    const questions = document.querySelectorAll('{QUESTIONS}');
    if (questions.length) questions[questions.length - 1].dataset.testAsked = questions[questions.length - 1].innerText;
    const before = questions.length, isNew = {NEW_LAST_QUESTION};
    window.__newQuestionSeen = false;
    if (window.__newQuestionWatch) window.__newQuestionWatch.disconnect();
    const watch = window.__newQuestionWatch = new MutationObserver(() => {{
        if (isNew(before)) {{ window.__newQuestionSeen = true; watch.disconnect(); }}
    }});
    watch.observe(document.querySelector('{CHAT}'), {{childList: true, subtree: true, characterData: true}});
    return before;
}}"""
# Whether a message (an answer's bubble) follows the chat's last question.
LAST_QUESTION_ANSWERED = f"""() => {{
    const questions = document.querySelectorAll('{QUESTIONS}');
    const messages = [...document.querySelectorAll('{QUESTIONS}, {ANSWERS}')];
    return messages.indexOf(questions[questions.length - 1]) < messages.length - 1;
}}"""
# The new last question's turn has reached the page: a message follows the question, or the
# usage panel's status no longer shows an ended turn. The page shows a question at once,
# before the server's first frame of its answer (which brings the turn's status).
NEW_TURN_SHOWN = f"""([before, ended]) => {{
    const isNew = {NEW_LAST_QUESTION};
    if (!window.__newQuestionSeen && !isNew(before)) return false;
    if (({LAST_QUESTION_ANSWERED})()) return true;
    const status = document.querySelector('{USAGE_ROWS} td:last-child');
    return status !== null && !new RegExp(ended).test(status.innerText.trim());
}}"""
# A turn the usage panel says is done has its answer bubble after the last question. The
# panel and the chat are drawn by different components, so the status can read "done" a
# moment before the chat shows the bubble of an answer that came in one frame.
DONE_ANSWER_SHOWN = f"""([done]) => {{
    const status = document.querySelector('{USAGE_ROWS} td:last-child');
    if (status === null || !new RegExp(done).test(status.innerText.trim())) return true;
    return ({LAST_QUESTION_ANSWERED})();
}}"""


# Gradio's queue as the page speaks it, tapped: one wrapper around the page's fetch calls the
# listeners in window.__queueTap with each request that starts a step, a queue/join or a
# run/predict for a step that is not queued (``request(url, init)``); the answer to a join
# (``joined(text)``: it names the event) or to a run/predict (``result(text)``: the step's
# result); and each data line of the queue/data streams (``line(text, at)``, ``at`` when its
# chunk was read), read from a tee of the stream, so that Gradio's own reading is unchanged.
QUEUE_TAP_JS = """
(() => {
  if (window.__queueTap) return;
  const tap = window.__queueTap = {request: [], joined: [], result: [], line: []};
  const call = (kind, ...args) => { for (const listener of tap[kind]) listener(...args); };
  const read = async (body) => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      const at = performance.now();
      buffer += decoder.decode(value, {stream: true});
      const lines = buffer.split('\\n');
      buffer = lines.pop();
      for (const line of lines) if (line.startsWith('data:')) call('line', line, at);
    }
  };
  const originalFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    const joining = url.includes('/queue/join'), unqueued = url.includes('/run/predict');
    if (joining || unqueued) call('request', url, init);
    const response = originalFetch.apply(this, arguments);
    if (joining || unqueued) {
      return response.then((r) => {
        r.clone().text().then((text) => call(joining ? 'joined' : 'result', text)).catch(() => {});
        return r;
      });
    }
    if (!url.includes('/queue/data')) return response;
    return response.then((r) => {
      if (!r.body) return r;
      const [mine, theirs] = r.body.tee();
      read(mine).catch(() => {});
      return new Response(theirs, {status: r.status, statusText: r.statusText, headers: r.headers});
    });
  };
})();
"""
# Notes the events the page joins and the completion messages it receives.
EVENTS_JS = QUEUE_TAP_JS + """
(() => {
  if (window.__events) return;
  const events = window.__events = {joined: [], completed: new Set()};
  window.__queueTap.joined.push((text) => events.joined.push(JSON.parse(text).event_id));
  window.__queueTap.line.push((line) => {
    if (!line.includes('process_completed')) return;
    const message = JSON.parse(line.slice(5));
    if (message.msg === 'process_completed') events.completed.add(message.event_id);
  });
})();
"""
# (None joined: the script is missing, not "all ended".)
EVENTS_ENDED = """(atLeast) => {
    const events = window.__events;
    return events.joined.length >= Math.max(atLeast, 1) && events.joined.every((id) => events.completed.has(id));
}"""
EVENTS_JOINED = "() => window.__events.joined.length"
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


# --- actions: one definition for the sync and the async API ------------------------------------

Steps = Generator[Any, Any, Any]


def action(steps: Callable[..., Steps]) -> Callable[..., Any]:
    """``steps(page, expect, *args)`` is a generator that yields each Playwright call it makes
    and is sent back the call's result. On a sync page the call has run when it is yielded, and
    its result goes back as it is; on an async page it is a coroutine, awaited first (the action
    then returns a coroutine: ``await open_app(page, url)``). ``expect`` is the page's API's own.
    An action that uses another one runs its steps with ``yield from``."""

    @functools.wraps(steps)
    def run(page: Page | AsyncPage, *args: Any, **kwargs: Any) -> Any:
        if isinstance(page, AsyncPage):
            return _run_async(page, steps(page, async_expect, *args, **kwargs))
        return _run_sync(page, steps(page, sync_expect, *args, **kwargs))

    run.steps = steps  # type: ignore[attr-defined]
    return run


def _run_sync(page: Page, steps: Steps) -> Any:
    result = None
    try:
        while True:
            call = steps.send(result)
            result = call.run(page) if isinstance(call, ChooseFiles) else call
    except StopIteration as done:
        return done.value


async def _run_async(page: AsyncPage, steps: Steps) -> Any:
    result: Any = None
    error: Exception | None = None
    while True:
        try:  # a call that failed fails in the steps, where it was made, as on a sync page
            call = steps.throw(error) if error else steps.send(result)
        except StopIteration as done:
            return done.value
        error = None
        try:
            if isinstance(call, ChooseFiles):
                call = call.run_async(page)
            result = await call if inspect.isawaitable(call) else call
        except Exception as failed:
            error = failed


@dataclass(frozen=True)
class ChooseFiles:
    """A step of an action: click ``opener`` and give the file chooser it opens ``files``
    (Playwright's chooser is a context manager, sync or async)."""

    opener: str  # a selector
    files: list[dict]

    def run(self, page: Page) -> None:
        with page.expect_file_chooser(timeout=WAIT_MS) as chooser:
            page.locator(self.opener).click()
        chooser.value.set_files(files=self.files)

    async def run_async(self, page: AsyncPage) -> None:
        async with page.expect_file_chooser(timeout=WAIT_MS) as chooser:
            await page.locator(self.opener).click()
        await (await chooser.value).set_files(files=self.files)


@action
def open_app(page, expect, url: str, box: str = MESSAGE_BOX) -> Steps:
    """Go to the app and wait until its message box (``box``: another app's) takes text: Gradio
    renders after the page's load. Returns the page."""
    yield page.goto(url, timeout=WAIT_MS)
    yield expect(page.locator(box)).to_be_editable(timeout=WAIT_MS)
    return page


@action
def open_sidebar(page, expect) -> Steps:
    """The sidebar starts closed (on a phone it would cover the chat): open it with its toggle."""
    sidebar = page.locator(SIDEBAR)
    if "open" not in ((yield sidebar.get_attribute("class")) or "").split():
        yield page.locator(SIDEBAR_TOGGLE).click()
    yield expect(sidebar).to_have_class(OPEN, timeout=WAIT_MS)
    yield expect(page.locator("#new-chat-btn")).to_be_in_viewport(timeout=WAIT_MS)


@action
def new_chat(page, expect) -> Steps:
    """New chat (in the sidebar), and wait until the chat is empty."""
    yield page.locator("#new-chat-btn").click()
    yield expect(page.locator(ANSWERS)).to_have_count(0, timeout=WAIT_MS)


@action
def import_file(page, expect, name: str, data: bytes, mime_type: str = "application/json") -> Steps:
    """Import ``data`` as the file ``name`` through the sidebar's Import and its file chooser.
    What it opens is for the caller to wait for."""
    yield ChooseFiles("#import-btn", [{"name": name, "mimeType": mime_type, "buffer": data}])


@action
def show_compare(page, expect) -> Steps:
    """Switch to the Compare tab (in either language) and wait until its box takes text."""
    yield page.get_by_role("tab", name=re.compile("Compare|对比")).click(timeout=WAIT_MS)
    yield expect(page.locator(COMPARE_BOX)).to_be_editable(timeout=WAIT_MS)


@action
def open_compare(page, expect, url: str) -> Steps:
    """Go to the app's Compare tab. Returns the page."""
    yield from open_app.steps(page, expect, url)
    yield from show_compare.steps(page, expect)
    return page


@action
def pick_model(page, expect, model: str, slot: int | None = None) -> Steps:
    """Type a model id into the chat's picker (or Compare slot ``slot``'s) and press Enter
    (a custom id is allowed); wait until the picker shows it."""
    box = page.locator(model_box(slot))
    yield box.click()
    yield box.fill(model)
    yield box.press("Enter")
    yield expect(box).to_have_value(re.compile(re.escape(model)), timeout=WAIT_MS)


# --- the chat ---------------------------------------------------------------------------------


def fill_message(page: Page, text: str) -> None:
    """Put ``text`` in the message box by script, as one input event: filling a megabyte through
    the box's own events would take minutes."""
    page.evaluate(
        f"""(text) => {{
            const box = document.querySelector('{MESSAGE_BOX}');
            box.value = text;
            box.dispatchEvent(new Event('input', {{bubbles: true}}));
        }}""",
        text,
    )


def send(page: Page, text: str, *, by_script: bool = False) -> None:
    """Type a message and press Enter (the box is a one-line textbox: Enter sends).
    ``by_script``: put it in by script (:func:`fill_message`), for a huge message."""
    box = page.locator(MESSAGE_BOX)
    if by_script:
        fill_message(page, text)
    else:
        box.fill(text)
    box.press("Enter")


def questions(page: Page) -> Locator:
    return page.locator(QUESTIONS)


def answers(page: Page) -> Locator:
    """Every assistant bubble: answers, thinking bubbles and notices."""
    return page.locator(ANSWERS)


def last_answer(page: Page) -> str:
    texts = answers(page).all_inner_texts()
    return texts[-1].strip() if texts else ""


def status_cell(page: Page) -> Locator:
    """The usage panel's status: waiting, streaming, done, error, stopped."""
    return page.locator(USAGE_ROWS).first.locator("td").last


def wait_turn_ended(page: Page) -> None:
    sync_expect(status_cell(page)).to_have_text(ENDED, timeout=WAIT_MS)


def ask(page: Page, text: str, answer: str | None = None) -> str:
    """Send a message, wait until its turn has ended, return the last bot bubble's text.
    ``answer``: also wait until that bubble contains it."""
    before = page.evaluate(MARK_LAST_QUESTION)
    send(page, text)
    # Once the new turn has reached the page, the status row no longer belongs to the previous turn.
    page.wait_for_function(NEW_TURN_SHOWN, arg=[before, ENDED.pattern], timeout=WAIT_MS)
    wait_turn_ended(page)
    page.wait_for_function(DONE_ANSWER_SHOWN, arg=[DONE.pattern], timeout=WAIT_MS)
    if answer is not None:
        sync_expect(answers(page).last).to_contain_text(answer, timeout=WAIT_MS)
    return last_answer(page)


def wait_answer(page: Page, pattern: str) -> str:
    """The last answer once it matches ``pattern`` and its turn has ended, for a turn started
    some other way than :func:`ask` (a picture, Retry, Send anyway). Wait for it before the
    next message: one answer at a time per page, a message sent before that is given back."""
    sync_expect(answers(page).last).to_contain_text(re.compile(pattern), timeout=WAIT_MS)
    wait_turn_ended(page)
    return last_answer(page)


def usage_text(page: Page) -> str:
    return page.locator("#usage-panel").inner_text()


def usage_rows(page: Page) -> dict[str, str]:
    """The usage table as {row name: value}."""
    return dict(page.eval_on_selector_all(
        USAGE_ROWS, "rows => rows.map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText.trim()])"
    ))


def attach(page: Page, *paths: str) -> None:
    """Attach files to the message box, as its clip button does; wait until they are uploaded
    (their thumbnails show in the box)."""
    page.locator(FILE_INPUT).set_input_files(list(paths))
    sync_expect(page.locator(ATTACHED)).to_have_count(len(paths), timeout=WAIT_MS)


def set_number(page: Page, elem_id: str, value: str) -> None:
    """Set a slider through its number box, as a visitor typing a value does."""
    box = page.locator(number_box(elem_id))
    box.fill(value)
    box.press("Enter")
    box.blur()
    sync_expect(page.locator(f"#{elem_id} input[type=range]")).to_have_value(value)


def open_accordion(page: Page, label: str) -> None:
    header = page.locator(ACCORDION, has_text=label)
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def watch_events(page: Page) -> None:
    """From the page's next load on, note the queued events it joins and their completions,
    for :func:`wait_events_ended`. Call it before :func:`open_app`."""
    page.add_init_script(EVENTS_JS)


def events_joined(page: Page) -> int:
    """How many queued events the page has joined so far (see :func:`watch_events`)."""
    return page.evaluate(EVENTS_JOINED)


def wait_events_ended(page: Page, at_least: int = 1) -> None:
    """Wait until the page has joined ``at_least`` queued events and every one it joined has
    sent its completion (a generator's last frame comes with it), and the page has drawn
    since: what was running can no longer change the page. The positive signal for a check
    that nothing more happened."""
    page.wait_for_function(EVENTS_ENDED, arg=at_least, timeout=WAIT_MS)
    page.evaluate(NEXT_FRAME)


# --- toasts -------------------------------------------------------------------------------------


def toast(page: Page, containing: str = "", kind: str = "") -> Locator:
    """The first toast whose text contains ``containing``; ``kind``: only "warning", "info" or "error"."""
    found = page.locator(TOAST + (f".{kind}" if kind else ""))
    return (found.filter(has_text=containing) if containing else found).first


def read_toast(page: Page, containing: str = "", kind: str = "", close: bool = False) -> str:
    """Wait for that toast and return its text. ``close``: close it, and wait until it has gone,
    so that the next one can be told apart."""
    found = toast(page, containing, kind)
    found.wait_for(timeout=WAIT_MS)
    text = found.locator(TOAST_TEXT).inner_text()
    if close:
        found.locator(TOAST_CLOSE).click()
        found.wait_for(state="detached", timeout=WAIT_MS)
    return text


# --- saved conversations, downloads, View code -------------------------------------------------


def saved(page: Page) -> Locator:
    """The saved conversations in the sidebar's list, newest first."""
    return page.locator(SAVED)


def wait_saved(page: Page, count: int) -> None:
    sync_expect(saved(page)).to_have_count(count, timeout=WAIT_MS)


def stored(page: Page) -> str | None:
    """The saved conversations as the browser holds them (encrypted)."""
    return page.evaluate("(key) => localStorage.getItem(key)", STORAGE_KEY)


def wait_stored_after(page: Page, old: str | None) -> None:
    """Wait for the next save (a conversation is saved once its answer has ended)."""
    page.wait_for_function("([key, old]) => localStorage.getItem(key) !== old", arg=[STORAGE_KEY, old],
                           timeout=WAIT_MS)


def search_conversations(page: Page, text: str) -> None:
    """Type ``text`` in the sidebar's search (an empty one shows every conversation again)."""
    page.locator(SEARCH_BOX).first.fill(text)


def reopen_after_reload(page: Page, url: str) -> None:
    """Reload the page and reopen the newest saved conversation (the only one)."""
    page.reload()
    open_app(page, url)
    open_sidebar(page)
    wait_saved(page, 1)
    saved(page).first.click()


def download(page: Page, button: str) -> str:
    """Click ``button`` and return the text of the file it downloads."""
    with page.expect_download(timeout=WAIT_MS) as info:
        page.locator(button).click()
    with open(info.value.path(), encoding="utf-8") as file:
        return file.read()


def code_text(page: Page) -> str:
    """View code's code as shown (CodeMirror draws the lines in view)."""
    return page.locator(CODE).inner_text()


def pick_language(page: Page, name: str) -> None:
    """View code's language, by its label."""
    page.locator("#code-lang label", has_text=name).click()


def copied_code(page: Page) -> str:
    """The whole code, through View code's copy button (CodeMirror draws only the lines in
    view, so the page's text may be partial). The page's context needs clipboard permissions."""
    page.locator("#code-view").hover()
    page.locator(CODE_COPY).first.click()
    return page.evaluate("navigator.clipboard.readText()")


# --- the Compare tab ------------------------------------------------------------------------------


def send_compare(page: Page, text: str) -> None:
    """Type a message in the Compare tab's box and press Enter."""
    box = page.locator(COMPARE_BOX)
    box.fill(text)
    box.press("Enter")


def pane(page: Page, slot: int) -> Locator:
    return page.locator(f"#compare-pane-{slot}")


def pane_answer(page: Page, slot: int) -> Locator:
    return pane(page, slot).locator(ANSWER).last


def wait_compare_done(page: Page, rows: int) -> None:
    """The results table (a header and a row per pane) appears when every pane has ended."""
    sync_expect(page.locator(RESULTS_GRID)).to_have_attribute("aria-rowcount", str(rows + 1), timeout=WAIT_MS)


def vote_until_noted(page: Page, vote: str, note: str, attempts: int = 3) -> None:
    """Vote with ``vote`` (an element id) and wait for the vote's ``note`` in Compare's status.
    A click that lands while Gradio redraws the vote buttons (the results' step, right after
    the round) is lost: a visitor clicks again, and so does this, up to ``attempts`` times."""
    for attempt in range(attempts):
        page.locator(vote).click()
        try:
            sync_expect(page.locator("#compare-status")).to_contain_text(note, timeout=WAIT_MS // 3)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


# --- the demo's budget (issue 20) ----------------------------------------------------------------

BUDGET = "#budget"  # the key bar's meter: what is left of the demo's budget on the server's key
