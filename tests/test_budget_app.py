"""The public demo's budgets in the launched app (issue 20), against the fake SiliconFlow
with a priced model (an SFUI_PRICES file): /chat and /retry through gradio_client, and
every event that reaches the upstream called as the page calls it, through Gradio's queue
protocol (found in the app's /config, so a new one is not missed). Each test is its own
visitor: the app believes one proxy (trusted_proxies=1), so an X-Forwarded-For address
per test keeps the budgets of the module's one app apart.

What the fake received (``fake.chat_requests()``) is what was sent on the server's key;
what was spent is read from the app's own store (SQLiteSpendStore.totals)."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.utils import apply_diff

from sfui import share
from sfui.budget import Ask, utc_day
from sfui.budget_store import SQLiteSpendStore
from sfui.prices import Price, format_money
from sfui.ui.common import BUDGET_FILE, AppContext
from sfui.ui.send_step import SEND_OUTPUTS
from sfui.visitors import VisitorKeys
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import PATIENT_HTTP, no_limits
from tests.support.sfserver import stream
from tests.test_app import REQUIRED, answers, chat, retry, submit_chat, text

PRICED, FREE, UNKNOWN = "priced/model", "free/model", "unknown/model"
PRICE = Price(300.0, 1200.0)  # ¥ per million tokens
BUDGET = 0.1  # ¥ per visitor per day
# A question of 20 words: the fake counts 20 prompt tokens and echoes 21 tokens back, so
# an answer costs ¥0.0312; with max_tokens=30 its worst case is ¥0.0591 (69 characters).
QUESTION = " ".join(f"w{i}" for i in range(20))
SMALL = 30  # max_tokens: two answers fit in BUDGET, a third's worst case does not
PRICED_CALL = {**REQUIRED, "model": PRICED, "max_tokens": SMALL}
REFUSED = "Not sent: this answer could cost up to"
_addresses = itertools.count(1)


def new_address() -> str:
    """A visitor of their own (TEST-NET-3, never a real one)."""
    return f"203.0.113.{next(_addresses)}"


def worst(question: str, max_tokens: int) -> float:
    return Ask(PRICED, [{"role": "user", "content": question}], {"max_tokens": max_tokens}).worst_case(PRICE)


def cost_of(prompt_tokens: int, completion_tokens: int) -> float:
    return (prompt_tokens * PRICE.input + completion_tokens * PRICE.output) / 1_000_000


# --- the module's app -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prices_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("prices") / "prices.json"
    path.write_text(json.dumps({PRICED: {"input": PRICE.input, "output": PRICE.output},
                                FREE: {"input": 0, "output": 0}}))
    return str(path)


def budget_limits(**chosen: float) -> dict[str, float]:
    """Every limit off but the visitor's budget (and those ``chosen``)."""
    return {**no_limits(), "visitor_budget": BUDGET, **chosen}


@pytest.fixture(scope="module")
def shared_app(launch_module_app, prices_file):
    return launch_module_app(prices_file=prices_file, trusted_proxies=1, limits_chosen=budget_limits())


@pytest.fixture
def app(shared_app):
    shared_app.fake.reset()
    shared_app.fake.token_rate = None
    yield shared_app
    shared_app.fake.token_rate = None


class Visitor:
    """One visitor of ``app``: their address, and an API client that sends it."""

    def __init__(self, app, address: str | None = None) -> None:
        self.app = app
        self.address = address or new_address()
        self.headers = {"X-Forwarded-For": self.address}
        self._client: Client | None = None

    @property
    def api(self) -> Client:
        if self._client is None:
            self._client = Client(self.app.url, verbose=False, httpx_kwargs=PATIENT_HTTP, headers=self.headers)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def spent(self) -> float:
        """Spent and held today, as the app's store counts this address."""
        return spent_by(context(self.app), self.address)


@pytest.fixture
def visitor(app):
    one = Visitor(app)
    yield one
    one.close()


def context(app) -> AppContext:
    """The launched app's AppContext (its handlers hold it)."""
    for block_fn in app.demo.fns.values():
        ctx = getattr(getattr(block_fn.fn, "__self__", None), "ctx", None)
        if isinstance(ctx, AppContext):
            return ctx
    raise AssertionError("no handler of the app holds its AppContext")


def spent_by(ctx: AppContext, address: str) -> float:
    store = ctx.guard.store
    assert store is not None, "the app has no money budgets"
    counter = ctx.guard.keys.counter("address", address)
    return store.totals(utc_day(time.time()), [counter])[counter]


def use_up(app, address: str) -> None:
    """Spend what is left of ``address``'s budget today (as an answer would have)."""
    ctx = context(app)
    store = ctx.guard.store
    assert store is not None
    left = BUDGET - spent_by(ctx, address)
    if left > 0:
        hold = store.hold(utc_day(time.time()), {ctx.guard.keys.counter("address", address): BUDGET}, left)
        assert hold is not None
        store.settle(hold, left)
    assert spent_by(ctx, address) == pytest.approx(BUDGET)


# --- who the visitor is -------------------------------------------------------------------------------------


def event_named(app, api_name: str) -> int:
    config = httpx.get(app.url + "config", timeout=30).json()
    return next(dep["id"] for dep in config["dependencies"] if dep["api_name"] == api_name)


def test_forwarded_for_sent_as_two_header_lines_counts_the_address_the_proxy_added(app):
    """A client may send an X-Forwarded-For of its own; a proxy may then add its entry as a
    header line of its own rather than at the end of the client's. The two lines are one
    list (RFC 9110 5.3): the proxy's entry is still the last, and the client's is not believed."""
    real = new_address()
    use_up(app, real)
    send = next(event for event in upstream_events(app) if event.name == "respond_in_page")
    headers = httpx.Headers([("X-Forwarded-For", "198.51.100.250"), ("X-Forwarded-For", real)])

    async def main() -> Outcome:
        async with httpx.AsyncClient(base_url=app.url, timeout=60) as http:
            return await call_event(http, send.fn_index, send.data("a forged address"), session(), headers=headers)

    outcome = run_async(main())
    assert outcome.completed
    assert app.fake.chat_requests() == [], "the client's own X-Forwarded-For line was taken for its address"
    assert any(w.startswith(REFUSED) for w in outcome.warnings)


def test_a_browser_id_the_visitor_made_up_is_replaced_not_an_error(app):
    """The page's stored id is the visitor's to write: whatever it holds, the page load's
    step registers a new id of ours (and shows the meter) instead of failing."""
    register = event_named(app, "register")

    async def main() -> list[Outcome]:
        async with httpx.AsyncClient(base_url=app.url, timeout=60) as http:
            return [await call_event(http, register, [stored, None], session(),
                                     headers={"X-Forwarded-For": new_address()})
                    for stored in ("", "made.up", "made.é")]

    keys = context(app).guard.keys
    for outcome in run_async(main()):
        assert outcome.completed and outcome.error is None, outcome
        browser, meter = outcome.frames[-1]
        assert keys.verified(browser) == browser
        assert meter.startswith("Demo budget: ")


# --- /chat and /retry through gradio_client ------------------------------------------------------------


def test_chat_answers_until_the_budget_cannot_hold_the_next_worst_case(app, visitor):
    answered = 0
    for _ in range(6):
        before, sent = visitor.spent(), len(app.fake.chat_requests())
        fits = before + worst(QUESTION, SMALL) <= BUDGET
        run = chat(visitor.api, QUESTION, **PRICED_CALL)
        if not fits:
            break
        assert answers(run.chatbot) == ["Echo: " + QUESTION]
        assert len(app.fake.chat_requests()) == sent + 1
        assert visitor.spent() == pytest.approx(before + cost_of(20, 21))  # the usage × the price
        answered += 1
    else:
        pytest.fail("six answers of ¥0.0312 fitted in a budget of ¥0.10")
    assert answered == 2
    assert len(app.fake.chat_requests()) == sent  # the refused call sent nothing
    (warning,) = [w for w in run.warnings if w.startswith(REFUSED)]
    assert format_money(BUDGET - visitor.spent(), "¥") in warning
    assert visitor.spent() == pytest.approx(2 * cost_of(20, 21))  # a refusal holds nothing
    # A smaller answer that fits what is left still goes.
    small = chat(visitor.api, "hi", **{**PRICED_CALL, "max_tokens": 5})
    assert answers(small.chatbot) == ["Echo: hi"]
    assert len(app.fake.chat_requests()) == sent + 1


def test_retry_is_refused_the_same_way(app, visitor):
    first = chat(visitor.api, QUESTION, **PRICED_CALL)
    assert answers(first.chatbot) == ["Echo: " + QUESTION]
    again = retry(visitor.api, first.chatbot, **PRICED_CALL)  # ¥0.0312 spent + ¥0.0591 held: fits
    assert answers(again.final[0]) == ["Echo: " + QUESTION]
    assert len(app.fake.chat_requests()) == 2
    spent = visitor.spent()
    refused = retry(visitor.api, again.final[0], **PRICED_CALL)
    assert spent + worst(QUESTION, SMALL) > BUDGET
    assert len(app.fake.chat_requests()) == 2
    assert any(w.startswith(REFUSED) for w in refused.warnings)
    assert visitor.spent() == pytest.approx(spent)


def test_an_unpriced_model_is_refused_on_the_servers_key(app, visitor):
    run = chat(visitor.api, "hello", **{**PRICED_CALL, "model": UNKNOWN})
    assert app.fake.chat_requests() == []
    assert any(UNKNOWN in w and "no known price" in w for w in run.warnings), run.warnings
    # A free model goes, and costs nothing.
    free = chat(visitor.api, "hello", **{**PRICED_CALL, "model": FREE})
    assert answers(free.chatbot) == ["Echo: hello"]
    assert visitor.spent() == 0


# --- every event that reaches the upstream, through Gradio's queue protocol ---------------------------------

# The handlers' steps that send a chat request upstream, by the name /config gives their
# event (the function's name, numbered from the second on): the chat's Send, Enter, Send
# anyway and example prompts (respond_in_page, respond_anyway), /chat, /retry, Retry in the
# page (regenerate), Edit, Continue (continue_answer), and Compare's round (stream).
UPSTREAM = {"respond_in_page", "respond_anyway", "chat", "retry", "regenerate", "edit", "stream", "run_again",
            "continue_answer"}
# Every other step with a function on the server: none sends a chat request. A step missing
# from both sets fails test_every_event_is_known: decide which it is.
LOCAL = {
    "pick_example_puzzle", "pick_example_code", "pick_example_math", "pick_example_poem", "pick_example_picture",
    "lambda", "stop", "undo", "show_earlier", "clear", "preset_values", "matching_preset", "show", "after_answer",
    "after_edit", "new", "open", "rename", "delete", "undo_delete", "export_conversation", "import_file", "after",
    "cast_vote", "show_tally", "reset_tally", "use_key", "meter", "forget_key", "models_again", "toggle_card",
    "refresh_balance", "register", "on_load", "show_model_hint",
    # issue 21: share links (Run again is upstream: it is called after opening a link), the
    # leaderboard, presenter mode
    "make_chat_link", "make_compare_link", "open_link", "show_leaderboard",
    "deck_show", "present_qr",
    # issue 22: Continue shown or hidden after an answer
    "offer_continue", "hide_continue",
    # issue 22: switching between the alternatives Retry and Edit kept, and choosing the place
    "previous_alternative", "next_alternative", "focus_alternatives",
    # issue 22: the storage line after the page measured the site's storage
    "storage_status",
    # issue 23: the step after Send's streaming step (a message not sent back in the box)
    "after_send",
}
# Send and Enter, Send anyway, the five example prompts, /chat, /retry, Retry, Edit,
# Compare's Send and Enter, a shared link's Run again, and Continue.
EXPECTED_UPSTREAM = 16


def base_name(api_name: str) -> str:
    return re.sub(r"_\d+$", "", api_name)


@dataclass
class Event:
    """One dependency of /config that sends upstream, and how to call it."""

    fn_index: int
    name: str
    inputs: list[dict]  # the input components' configs

    def data(self, marker: str) -> list[Any]:
        """Inputs that send ``marker`` (as the message, or as the question answered again)
        to the priced model, with a small max_tokens; the other inputs at their defaults."""
        conversation = [{"role": "user", "content": [{"type": "text", "text": marker}]},
                        {"role": "assistant", "content": [{"type": "text", "text": "Echo: " + marker}]}]
        values = []
        for component in self.inputs:
            props = component.get("props", {})
            elem = props.get("elem_id")
            value = props.get("value")
            if component["type"] == "state":
                value = None  # the session's own
            elif elem == "pending-message":
                value = {"text": marker, "files": []}
            elif elem in ("api-message", "compare-pending-message"):
                value = marker
            elif elem == "chatbot":
                value = conversation if self.name in ("retry", "regenerate", "edit", "continue_answer") else []
            elif elem in ("model", "compare-model-1", "compare-model-2"):
                value = PRICED
            elif elem == "max_tokens":
                value = 10
            values.append(value)
        return values

    def event_data(self, marker: str) -> Any:
        if self.name == "edit":
            return {"index": 0, "previous_value": marker, "value": marker}
        return None


def upstream_events(app) -> list[Event]:
    config = httpx.get(app.url + "config", timeout=30).json()
    components = {c["id"]: c for c in config["components"]}
    return [Event(dep["id"], base_name(dep["api_name"]), [components[i] for i in dep["inputs"]])
            for dep in config["dependencies"] if dep["backend_fn"] and base_name(dep["api_name"]) in UPSTREAM]


@dataclass
class Outcome:
    frames: list[list[Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    completed: bool = False
    error: Any = None


async def call_event(http: httpx.AsyncClient, fn_index: int, data: list[Any], session: str, *,
                     event_data: Any = None, headers: Any = None) -> Outcome:
    """One call of ``fn_index`` through Gradio's queue, as the page's JavaScript makes it
    (bench/gradio_protocol.py): join, then read the session's messages until the event
    completes; the warnings (toasts) are kept too."""
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": event_data,
            "trigger_id": None}
    join = await http.post("gradio_api/queue/join", json=body, headers=headers)
    join.raise_for_status()
    outcome = Outcome()
    async with http.stream("GET", "gradio_api/queue/data", params={"session_hash": session},
                           headers=headers) as messages:
        async for line in messages.aiter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            kind = message.get("msg")
            if kind == "log" and message.get("level") == "warning":
                outcome.warnings.append(message.get("log") or "")
            elif kind in ("process_generating", "process_completed"):
                output = message.get("output") or {}
                if not message.get("success", True):
                    outcome.error = output.get("error") or output
                elif kind == "process_completed" or not outcome.frames:
                    outcome.frames.append(output.get("data"))
                else:
                    outcome.frames.append([apply_diff(o, d) for o, d in
                                           zip(outcome.frames[-1], output.get("data"), strict=False)])
            if kind == "process_completed":
                outcome.completed = True
            if kind in ("process_completed", "close_stream"):
                return outcome
    return outcome


def session() -> str:
    return secrets.token_hex(6)


def open_link_fn(app) -> int:
    config = httpx.get(app.url + "config", timeout=30).json()
    return next(dep["id"] for dep in config["dependencies"] if base_name(dep["api_name"] or "") == "open_link")


async def call_in_session(http: httpx.AsyncClient, app, event: Event, marker: str, address: str) -> Outcome:
    """``event`` called in a session of its own. Run again sends the link its session opened:
    that session opens one first (the decoded link, as the page's script hands it over)."""
    own = session()
    headers = {"X-Forwarded-For": address}
    if event.name == "run_again":
        link = share.chat_document([{"role": "user", "content": marker}], PRICED, "", {"max_tokens": 10}, False)
        opened = await call_event(http, open_link_fn(app), [link], own, headers=headers)
        assert opened.completed and opened.error is None, opened
    return await call_event(http, event.fn_index, event.data(marker), own, event_data=event.event_data(marker),
                            headers=headers)


def call_all(app, calls: list[tuple[Event, str, str]]) -> list[Outcome]:
    """Each (event, marker, address) called at once, each in a session of its own."""
    async def main() -> list[Outcome]:
        async with httpx.AsyncClient(base_url=app.url, timeout=60) as http:
            return await asyncio.gather(*(call_in_session(http, app, event, marker, address)
                                          for event, marker, address in calls))

    return run_async(main())


def asked(app, marker: str) -> int:
    """Chat requests the fake received whose last user message is or echoes ``marker``."""
    return sum(1 for body in app.fake.chat_requests() if marker in json.dumps(body["messages"]))


def test_every_event_is_known(app):
    """A step added to the page is either one that sends upstream (checked below) or
    one known not to: none is missed silently."""
    config = httpx.get(app.url + "config", timeout=30).json()
    names = {base_name(dep["api_name"]) for dep in config["dependencies"] if dep["backend_fn"]}
    assert names - UPSTREAM - LOCAL == set()
    assert len(upstream_events(app)) >= EXPECTED_UPSTREAM


def test_no_event_sends_anything_upstream_once_the_budget_is_used_up(app):
    events = upstream_events(app)
    assert len(events) >= EXPECTED_UPSTREAM
    assert {event.name for event in events} == UPSTREAM
    # Each event, with a budget left, is answered: the calls are right, so a call that
    # sends nothing below was refused by the budget.
    markers = {event.fn_index: f"event{event.fn_index}x{secrets.token_hex(3)}" for event in events}
    outcomes = call_all(app, [(event, markers[event.fn_index], new_address()) for event in events])
    for event, outcome in zip(events, outcomes, strict=True):
        assert outcome.completed and outcome.error is None, (event.name, outcome)
        assert asked(app, markers[event.fn_index]) >= 1, f"{event.name} (fn {event.fn_index}) sent nothing"
    # The same calls from a visitor whose budget is used up: nothing goes out, each says why.
    app.fake.reset()
    spender = new_address()
    use_up(app, spender)
    outcomes = call_all(app, [(event, markers[event.fn_index], spender) for event in events])
    assert app.fake.chat_requests() == []
    for event, outcome in zip(events, outcomes, strict=True):
        assert outcome.completed, (event.name, outcome)
        assert any(w.startswith(REFUSED) for w in outcome.warnings), (event.name, outcome.warnings)
    assert spent_by(context(app), spender) == pytest.approx(BUDGET)


def test_a_visitors_own_key_is_never_limited(app):
    address = new_address()
    use_up(app, address)
    headers = {"X-Forwarded-For": address}
    send = next(event for event in upstream_events(app) if event.name == "respond_in_page")
    compare = next(event for event in upstream_events(app) if event.name == "stream")
    use_key = event_named(app, "use_key")

    async def main() -> tuple[Outcome, Outcome, Outcome]:
        async with httpx.AsyncClient(base_url=app.url, timeout=60) as http:
            own = session()
            refused = await call_event(http, send.fn_index, send.data("on the demo key"), session(), headers=headers)
            # The visitor pastes their own key: the page's Use this key, in this session.
            keyed = await call_event(http, use_key, [TEST_KEY, PRICED], own, headers=headers)
            assert keyed.completed and keyed.error is None, keyed
            answered = await call_event(http, send.fn_index, send.data("on my own key"), own, headers=headers)
            compared = await call_event(http, compare.fn_index, compare.data("compare on my key"), own,
                                        headers=headers)
            return refused, answered, compared

    refused, answered, compared = run_async(main())
    assert any(w.startswith(REFUSED) for w in refused.warnings)
    assert asked(app, "on the demo key") == 0
    assert answered.completed and not answered.warnings, answered.warnings
    assert asked(app, "on my own key") == 1
    assert not compared.warnings, compared.warnings
    assert asked(app, "compare on my key") == 2  # both panes
    assert spent_by(context(app), address) == pytest.approx(BUDGET)  # nothing counted on their key


# --- twenty sends at once ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_twenty_sends_at_once_from_five_tabs_never_pass_the_budget(app):
    """Each answer costs exactly its worst case (its usage is its estimate: settling frees
    nothing), so however the sends interleave, exactly as many fit as the budget holds
    (three): one more would take the day past it."""
    address = new_address()
    tabs = [Visitor(app, address) for _ in range(5)]
    tokens = 20
    each = worst("q00", tokens)  # ¥0.0273: 11 prompt tokens at most, 20 answer tokens
    fit = int(BUDGET // each)
    assert fit == 3
    answer = " ".join(f"a{k}" for k in range(tokens))
    # Every request that goes out gets this answer, its usage the worst case's tokens,
    # streamed for about half a second: the sends overlap.
    app.fake.push(*[stream(answer, prompt_tokens=len("q00") + 8, token_rate=40) for _ in range(20)])
    barrier = threading.Barrier(20)
    jobs: list[Any] = [None] * 20

    def send(i: int) -> None:
        barrier.wait()
        jobs[i] = submit_chat(clients[i % 5], f"q{i:02d}", **{**PRICED_CALL, "max_tokens": tokens})

    try:
        clients = [tab.api for tab in tabs]  # connected before the race
        threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for job in jobs:
            job.result(timeout=60)
        finals = [list(job.outputs())[-1] for job in jobs]
    finally:
        for tab in tabs:
            tab.close()
    answered = [final for final in finals if isinstance(final[0], list) and answers(final[0])]
    assert len(app.fake.chat_requests()) == len(answered) == fit
    spent = spent_by(context(app), address)
    assert spent <= BUDGET
    assert spent == pytest.approx(fit * cost_of(len("q00") + 8, tokens))


# --- restart ------------------------------------------------------------------------------------------------


def meter_of(app, address: str) -> str:
    meter = event_named(app, "meter")

    async def main() -> Outcome:
        async with httpx.AsyncClient(base_url=app.url, timeout=60) as http:
            return await call_event(http, meter, [None], session(), headers={"X-Forwarded-For": address})

    outcome = run_async(main())
    assert outcome.completed and outcome.error is None, outcome
    return outcome.frames[-1][0]


@pytest.mark.slow
def test_the_counters_survive_a_restart(launch_app, fake, prices_file):
    data_dir = tempfile.mkdtemp(prefix="sfui-tests-budget-restart-")
    settings = dict(prices_file=prices_file, trusted_proxies=1, limits_chosen=budget_limits(), data_dir=data_dir)
    first = launch_app(**settings)
    spender = Visitor(first)
    try:
        run = chat(spender.api, QUESTION, **PRICED_CALL)
        assert answers(run.chatbot) == ["Echo: " + QUESTION]
        spent = spender.spent()
        assert spent == pytest.approx(cost_of(20, 21))
        left = format_money(BUDGET - spent, "¥")
        assert f"**{left}**" in meter_of(first, spender.address)
    finally:
        spender.close()
    first.demo.close()

    second = launch_app(**settings)
    again = Visitor(second, spender.address)
    try:
        assert f"**{left}**" in meter_of(second, again.address)
        assert again.spent() == pytest.approx(spent)
        # The second answer's worst case fits what is left; the third's does not (as before the restart).
        assert answers(chat(again.api, QUESTION, **PRICED_CALL).chatbot) == ["Echo: " + QUESTION]
        sent = len(fake.chat_requests())
        refused = chat(again.api, QUESTION, **PRICED_CALL)
        assert len(fake.chat_requests()) == sent
        assert any(w.startswith(REFUSED) for w in refused.warnings)
    finally:
        again.close()
    second.demo.close()
    store = SQLiteSpendStore(f"{data_dir}/{BUDGET_FILE}")
    try:
        counter = VisitorKeys(store.secret()).counter("address", spender.address)
        assert store.totals(utc_day(time.time()), [counter])[counter] == pytest.approx(2 * cost_of(20, 21))
    finally:
        store.close()


# --- Stop mid-answer ----------------------------------------------------------------------------------------


LONG = " ".join(f"t{i}" for i in range(400))  # 40 s at 10 tokens a second
STOP_MAX_TOKENS = 60  # the worst case, ¥0.08, fits the budget (the pushed answer does not stop at it)


def stop_midway(app, address: str, message: str) -> list[Any]:
    """Send ``message`` from the page, press Stop once some of the answer has come, and
    return the last frame of the answer."""
    send = next(event for event in upstream_events(app) if event.name == "respond_in_page")
    stop = event_named(app, "stop")
    headers = {"X-Forwarded-For": address}

    async def main() -> list[Any]:
        async with httpx.AsyncClient(base_url=app.url, timeout=60) as http:
            tab = session()
            data = send.data(message)
            data[[c.get("props", {}).get("elem_id") for c in send.inputs].index("max_tokens")] = STOP_MAX_TOKENS
            reading = asyncio.create_task(call_event(http, send.fn_index, data, tab, headers=headers))
            deadline = time.monotonic() + 30
            while not app.fake.chat_received() or app.fake.chat_received()[-1].first_chunk_at is None:
                assert time.monotonic() < deadline, "the answer never started"
                assert not reading.done(), reading.result()
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.5)  # about 5 tokens at 10 a second
            stopped = await http.post("gradio_api/run/predict", json={"data": [], "fn_index": stop,
                                                                       "session_hash": tab}, headers=headers)
            stopped.raise_for_status()
            outcome = await asyncio.wait_for(reading, 30)
            assert outcome.completed and outcome.error is None, outcome
            return outcome.frames[-1]

    return run_async(main())


def streamed_answer(frame: list[Any]) -> str:
    chatbot = frame[0]
    (answer,) = [text(m) for m in chatbot if m["role"] == "assistant" and not (m.get("metadata") or {}).get("title")]
    return answer


@pytest.mark.parametrize("usage", ["final", "none"])
def test_stop_before_any_usage_settles_the_tokens_streamed_not_the_worst_case(app, usage):
    address = new_address()
    app.fake.push(stream(LONG, usage=usage, token_rate=10, prompt_tokens=7))
    message = "stop me when you can"
    frame = stop_midway(app, address, message)
    tokens = len(streamed_answer(frame).split())
    assert 1 <= tokens < 40, "the answer was not stopped midway"
    estimate = len(message) + 8  # the prompt's estimate: a token a character, and the message's overhead
    assert spent_by(context(app), address) == pytest.approx(cost_of(estimate, tokens))
    assert spent_by(context(app), address) < worst(message, STOP_MAX_TOKENS) / 2


def test_stop_with_usage_on_every_chunk_settles_the_usage(app):
    address = new_address()
    app.fake.push(stream(LONG, usage="cumulative", token_rate=10, prompt_tokens=7))
    frame = stop_midway(app, address, "stop me when you can")
    tokens = len(streamed_answer(frame).split())
    assert 1 <= tokens < 40, "the answer was not stopped midway"
    usage = frame[SEND_OUTPUTS - 1]  # the usage panel (Send's last output): the last usage the server sent
    completion = int(re.search(r"\| Completion tokens \| ([\d,]+) \|", usage).group(1).replace(",", ""))
    assert completion == tokens
    assert spent_by(context(app), address) == pytest.approx(cost_of(7, tokens))
