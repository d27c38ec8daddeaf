"""The public demo's budgets as plain Python (issue 20): who a visitor is
(sfui/visitors.py), the money counters (sfui/budget_store.py; every store test runs on the
SQLite file and on sfui/budget_redis.py's Redis store, against a real redis-server), what a request may cost
at worst and what it cost (sfui/budget.py), the guard's refusals and meter, and the
limits in effect (sfui/budget_limits.py). No app: tests/test_budget_app.py has those."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import redis

from sfui.api.events import ReasoningDelta, TextDelta, Usage, UsageUpdate
from sfui.budget import (
    MAX_OUTPUT,
    MAX_THINKING,
    Ask,
    DemoGuard,
    Refusal,
    Spending,
    request_cost,
    utc_day,
)
from sfui.budget_limits import DEFAULT_BUDGETS, Limits, describe, resolve_limits
from sfui.budget_redis import RedisSpendStore
from sfui.budget_store import SQLiteSpendStore
from sfui.chat import Turn
from sfui.i18n import t
from sfui.prices import DOLLAR, YUAN, Charge, Price, PriceList, format_money
from sfui.rate_windows import RedisWindows
from sfui.visitors import UNKNOWN_ADDRESS, Visitor, VisitorKeys, client_address
from tests.support.launch import free_port
from tests.support.redis_server import flushed_client, running_redis

PRICED, FREE, UNKNOWN = "priced/model", "free/model", "unknown/model"
PRICE = Price(300.0, 1200.0)  # per million tokens
PRICES = PriceList({PRICED: PRICE, FREE: Price(0.0, 0.0)}, YUAN)
DAY = "2026-03-04"
# 21:15 UTC: the budgets reset in 2 h 45 min.
NOW = dt.datetime(2026, 3, 4, 21, 15, tzinfo=dt.UTC).timestamp()


def money(prompt: int, completion: int, price: Price = PRICE) -> float:
    return (prompt * price.input + completion * price.output) / 1_000_000


# --- who is asking: the address ------------------------------------------------------------------


def test_without_trusted_proxies_the_peer_is_the_address_whatever_the_header_says():
    assert client_address("10.0.0.7", "1.2.3.4", 0) == "10.0.0.7"
    assert client_address("10.0.0.7", None, 0) == "10.0.0.7"
    assert client_address(None, None, 0) == UNKNOWN_ADDRESS


def test_one_trusted_proxy_means_the_last_forwarded_entry():
    assert client_address("10.0.0.1", "198.51.100.9", 1) == "198.51.100.9"
    assert client_address("10.0.0.1", "1.1.1.1, 198.51.100.9", 1) == "198.51.100.9"


def test_two_trusted_proxies_mean_the_second_entry_from_the_right():
    assert client_address("10.0.0.1", "198.51.100.9, 10.0.0.2", 2) == "198.51.100.9"


def test_entries_a_client_wrote_left_of_the_trusted_ones_are_ignored():
    """A client can send any X-Forwarded-For it likes: the proxies append to it, so what it
    wrote sits left of their entries and is never believed."""
    forged = "203.0.113.66, 203.0.113.67"
    assert client_address("10.0.0.1", f"{forged}, 198.51.100.9", 1) == "198.51.100.9"
    assert client_address("10.0.0.1", f"{forged}, 198.51.100.9, 10.0.0.2", 2) == "198.51.100.9"
    # Several headers arrive joined by commas: the same rule holds.
    assert client_address("10.0.0.1", "203.0.113.66,198.51.100.9", 1) == "198.51.100.9"


def test_a_header_shorter_than_the_proxies_would_make_is_not_theirs():
    assert client_address("10.0.0.1", "198.51.100.9", 2) == "10.0.0.1"
    assert client_address("10.0.0.1", " , ", 1) == "10.0.0.1"
    assert client_address("10.0.0.1", "", 1) == "10.0.0.1"


# --- who is asking: the browser id and the counters --------------------------------------------------


def test_a_minted_browser_id_verifies():
    keys = VisitorKeys(b"secret one")
    browser = keys.mint()
    assert keys.verified(browser) == browser
    assert keys.mint() != browser


@pytest.mark.parametrize("tamper", [
    lambda id_: id_[:-1] + ("0" if id_[-1] != "0" else "1"),  # the signature changed
    lambda id_: ("A" if id_[0] != "A" else "B") + id_[1:],  # the random part changed
    lambda id_: id_.split(".")[0],  # no signature
    lambda id_: id_ + ".extra",
    lambda id_: "made-up.0123456789abcdef0123456789abcdef",
    lambda id_: "",
    lambda id_: None,
    lambda id_: 42,
    lambda id_: id_ + "x" * 100,
])
def test_a_tampered_or_forged_browser_id_is_none(tamper):
    keys = VisitorKeys(b"secret one")
    assert keys.verified(tamper(keys.mint())) is None


@pytest.mark.parametrize("forged", ["abc.é", "abc." + "é" * 32, "abc.０１２３"],
                         ids=["accented", "accented-signature", "fullwidth-digits"])
def test_a_browser_id_with_characters_beyond_ascii_is_none_not_an_error(forged):
    """The id comes from the browser's storage, which a visitor can write: any text at all.
    (hmac.compare_digest raises TypeError on str with non-ASCII characters.)"""
    assert VisitorKeys(b"secret one").verified(forged) is None


def test_an_id_signed_with_another_secret_is_none():
    assert VisitorKeys(b"secret one").verified(VisitorKeys(b"secret two").mint()) is None


def test_counters_never_hold_the_raw_address_or_browser_id():
    keys = VisitorKeys(b"secret one")
    browser = keys.mint()
    visitor = Visitor("198.51.100.9", browser)
    counters = keys.counters(visitor)
    assert len(counters) == 2
    raw, _ = browser.split(".")
    for counter in counters:
        assert "198.51.100.9" not in counter and "198.51.100" not in counter
        assert raw not in counter and browser not in counter
    assert "198.51.100.9" not in keys.log_name(visitor) and raw not in keys.log_name(visitor)
    # Keyed: another deployment's secret gives other names; the same address the same name.
    assert VisitorKeys(b"secret two").counters(visitor) != counters
    assert keys.counters(Visitor("198.51.100.9"))[0] == counters[0]
    assert keys.counters(Visitor("198.51.100.10"))[0] != counters[0]
    assert keys.counters(Visitor("198.51.100.9")) == counters[:1]  # an API caller: the address only


# --- the money counters ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url():
    with running_redis() as url:
        yield url


@pytest.fixture(params=["sqlite", "redis"])
def open_store(request, tmp_path):
    """Opens a store on one backing (each call: a new store, as a restarted process opens it):
    the SQLite file, or a Redis emptied for this test."""
    opened = []
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        flushed_client(url)

        def new_store():
            return RedisSpendStore(redis.Redis.from_url(url))
    else:
        def new_store():
            return SQLiteSpendStore(tmp_path / "spend.sqlite3")

    def opening():
        opened.append(new_store())
        return opened[-1]

    yield opening
    for each in opened:
        each.close()


@pytest.fixture
def store(open_store):
    return open_store()


def test_a_hold_past_a_limit_is_refused_and_holds_nothing(store):
    first = store.hold(DAY, {"a": 1.0}, 0.6)
    assert first is not None
    assert store.hold(DAY, {"a": 1.0, "b": 10.0}, 0.5) is None
    assert store.totals(DAY, ["a", "b"]) == {"a": pytest.approx(0.6), "b": 0}
    # Exactly at the limit is within it.
    assert store.hold(DAY, {"a": 1.0, "b": 10.0}, 0.4) is not None
    assert store.totals(DAY, ["a", "b"]) == {"a": pytest.approx(1.0), "b": pytest.approx(0.4)}


def test_settling_replaces_the_hold_by_the_cost(store):
    hold = store.hold(DAY, {"a": 1.0, "everyone": 5.0}, 0.9)
    assert hold is not None
    store.settle(hold, 0.25)
    assert store.totals(DAY, ["a", "everyone"]) == {"a": pytest.approx(0.25), "everyone": pytest.approx(0.25)}
    store.settle(hold, 0.5)  # settled once: a second settle changes nothing
    assert store.totals(DAY, ["a"])["a"] == pytest.approx(0.25)
    store.settle("no-such-hold", 3.0)
    assert store.totals(DAY, ["a"])["a"] == pytest.approx(0.25)
    # What was freed can be held again.
    assert store.hold(DAY, {"a": 1.0}, 0.75) is not None


def test_totals_are_per_day_and_per_counter(store):
    store.settle(store.hold(DAY, {"a": 0, "b": 0}, 0.1), 0.1)
    store.settle(store.hold("2026-03-05", {"a": 0}, 0.3), 0.3)
    assert store.totals(DAY, ["a", "b", "c"]) == {"a": pytest.approx(0.1), "b": pytest.approx(0.1), "c": 0}
    assert store.totals("2026-03-05", ["a", "b"]) == {"a": pytest.approx(0.3), "b": 0}


def test_a_limit_of_zero_is_no_limit(store):
    assert store.hold(DAY, {"a": 0}, 1_000_000.0) is not None
    assert store.hold(DAY, {"a": 0, "b": 1.0}, 0.5) is not None  # only b's limit counts
    assert store.hold(DAY, {"a": 0, "b": 1.0}, 0.6) is None


def test_twenty_holds_at_once_at_the_edge_never_pass_the_limit(store):
    limit, amount, threads = 1.0, 0.15, 20
    barrier = threading.Barrier(threads)
    holds: list[str | None] = []
    lock = threading.Lock()

    def hold() -> None:
        barrier.wait()
        got = store.hold(DAY, {"a": limit, "everyone": 0}, amount)
        with lock:
            holds.append(got)

    workers = [threading.Thread(target=hold) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert len(holds) == threads
    made = [h for h in holds if h is not None]
    assert len(made) == int(limit / amount)  # 6 fit, 14 are refused
    assert store.totals(DAY, ["a"])["a"] <= limit
    for h in made:
        store.settle(h, amount)
    assert store.totals(DAY, ["a"])["a"] == pytest.approx(len(made) * amount)
    assert store.totals(DAY, ["a"])["a"] <= limit


def test_the_counters_and_the_secret_survive_a_restart(open_store):
    first = open_store()
    first.settle(first.hold(DAY, {"a": 1.0}, 0.4), 0.3)
    secret = first.secret()
    first.close()
    again = open_store()
    assert again.totals(DAY, ["a"])["a"] == pytest.approx(0.3)
    assert again.secret() == secret
    assert again.hold(DAY, {"a": 1.0}, 0.71) is None


def test_a_hold_left_open_when_the_store_closed_is_settled_at_full_on_reopening(open_store):
    first = open_store()
    abandoned = first.hold(DAY, {"a": 1.0}, 0.4)
    assert abandoned is not None
    first.close()  # the process died mid-answer
    again = open_store()
    assert again.totals(DAY, ["a"])["a"] == pytest.approx(0.4)
    # Spent, no longer held: settling the old hold now changes nothing.
    again.settle(abandoned, 0.0)
    assert again.totals(DAY, ["a"])["a"] == pytest.approx(0.4)


def test_two_stores_at_once_share_one_budget_and_never_overrun_it(open_store):
    """Two processes' stores at once (for SQLite, two connections to one file; for Redis, the
    deployment's case): 20 holds from each at the edge, at once; the limit holds."""
    stores = [open_store(), open_store()]
    limit, amount, threads = 1.0, 0.15, 20
    barrier = threading.Barrier(threads)
    holds: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def hold(i: int) -> None:
        barrier.wait()
        got = stores[i % 2].hold(DAY, {"a": limit, "everyone": 0}, amount)
        with lock:
            holds.append((i % 2, got))

    workers = [threading.Thread(target=hold, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    made = [(i, h) for i, h in holds if h is not None]
    assert len(holds) == threads and len(made) == int(limit / amount)
    assert stores[0].totals(DAY, ["a"])["a"] <= limit and stores[1].totals(DAY, ["a"]) == stores[0].totals(DAY, ["a"])
    for i, h in made:
        stores[1 - i].settle(h, amount)  # a hold may be settled by another store
    assert stores[0].totals(DAY, ["a"])["a"] == pytest.approx(len(made) * amount)


def test_a_dead_processs_holds_are_settled_at_full_by_a_live_one(redis_url):
    """Redis: a process killed mid-answer never closes its store; once its key expires, the
    next sweep by any live process spends its holds whole."""
    flushed_client(redis_url)
    alive, dying = RedisSpendStore(redis.Redis.from_url(redis_url)), RedisSpendStore(redis.Redis.from_url(redis_url))
    try:
        abandoned = dying.hold(DAY, {"a": 1.0}, 0.4)
        kept = alive.hold(DAY, {"a": 1.0}, 0.3)
        assert abandoned is not None and kept is not None
        dying._closed.set()  # its heartbeat stops: killed
        assert alive.settle_abandoned() == 0  # still within ALIVE_TTL: it may be answering
        alive.client.delete(f"sfui:alive:{dying.owner}")  # ALIVE_TTL passed
        assert alive.settle_abandoned() == 1
        assert alive.totals(DAY, ["a"])["a"] == pytest.approx(0.7)
        alive.settle(kept, 0.1)  # a live process's hold is its own to settle
        assert alive.totals(DAY, ["a"])["a"] == pytest.approx(0.5)
    finally:
        alive.close()


# --- what a request may cost at worst --------------------------------------------------------------


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def test_the_worst_case_is_every_prompt_character_a_token_plus_max_tokens():
    ask = Ask(PRICED, [user("hello")], {"max_tokens": 100})
    assert ask.prompt_estimate() == 5 + 8  # the characters, and each message's overhead
    assert ask.worst_case(PRICE) == pytest.approx(money(13, 100))
    system = Ask(PRICED, [{"role": "system", "content": "be brief"}, user("hello")], {"max_tokens": 100})
    assert system.worst_case(PRICE) == pytest.approx(money(8 + 8 + 5 + 8, 100))


def test_without_max_tokens_the_worst_case_assumes_the_longest_answer():
    assert Ask(PRICED, [user("hello")], {}).worst_case(PRICE) == pytest.approx(money(13, MAX_OUTPUT))


def test_a_reasoning_models_thinking_is_added():
    r1 = "deepseek-ai/DeepSeek-R1"
    assert Ask(r1, [user("hello")], {"max_tokens": 100}).worst_case(PRICE) == pytest.approx(money(13, 100 + 32768))
    assert MAX_THINKING == 32768
    budgeted = Ask(r1, [user("hello")], {"max_tokens": 100, "thinking_budget": 1000})
    assert budgeted.worst_case(PRICE) == pytest.approx(money(13, 1100))


def test_a_hybrid_model_thinks_unless_thinking_is_off():
    hybrid = "Qwen/Qwen3-8B"
    assert Ask(hybrid, [user("hello")], {"max_tokens": 100}).worst_case(PRICE) == pytest.approx(money(13, 32868))
    off = Ask(hybrid, [user("hello")], {"max_tokens": 100, "enable_thinking": False})
    assert off.worst_case(PRICE) == pytest.approx(money(13, 100))
    on = Ask(hybrid, [user("hello")], {"max_tokens": 100, "enable_thinking": True, "thinking_budget": 50})
    assert on.worst_case(PRICE) == pytest.approx(money(13, 150))


def test_several_choices_multiply_the_output_not_the_prompt():
    ask = Ask(PRICED, [user("hello")], {"max_tokens": 100}, choices=3)
    assert ask.worst_case(PRICE) == pytest.approx(money(13, 300))


def test_pictures_and_tools_are_counted():
    picture = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    message = {"role": "user", "content": [{"type": "text", "text": "what is this"}, picture, picture]}
    ask = Ask(PRICED, [message], {"max_tokens": 10})
    per_picture = (2048 // 28 + 1) ** 2  # a 2048 px picture in 28 px patches
    assert ask.prompt_estimate() == 12 + 8 + 2 * per_picture
    assert ask.worst_case(PRICE) == pytest.approx(money(12 + 8 + 2 * per_picture, 10))
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
    with_tools = Ask(PRICED, [user("hello")], {"max_tokens": 10, "tools": tools})
    assert with_tools.prompt_estimate() > 13 + 40


# --- what a request cost -----------------------------------------------------------------------------


def turn_with(*events: object) -> Turn:
    turn = Turn([user("hello")], charge=Charge(PRICE, YUAN))
    for event in events:
        turn.reply.apply(event)
        turn.apply(event)
    return turn


def test_the_servers_usage_wins():
    ask = Ask(PRICED, [user("hello")], {"max_tokens": 100})
    turn = turn_with(TextDelta("Hi"), TextDelta(" there"), UsageUpdate(Usage(7, 40, 47)))
    assert request_cost(Charge(PRICE, YUAN), [turn], ask) == pytest.approx(money(7, 40))


def test_without_usage_the_cost_is_the_prompt_estimate_and_the_tokens_streamed():
    ask = Ask(PRICED, [user("hello")], {"max_tokens": 100})
    turn = turn_with(ReasoningDelta("hm"), ReasoningDelta(" ok"), TextDelta("Hi"), TextDelta(" there"),
                     TextDelta("!"))
    assert (turn.reasoning_deltas, turn.answer_deltas) == (2, 3)
    assert request_cost(Charge(PRICE, YUAN), [turn], ask) == pytest.approx(money(13, 5))
    # Several choices of one request: every choice's deltas.
    other = turn_with(TextDelta("Yo"))
    assert request_cost(Charge(PRICE, YUAN), [turn, other], ask) == pytest.approx(money(13, 6))


def test_a_model_without_a_price_costs_none():
    ask = Ask(UNKNOWN, [user("hello")], {})
    assert request_cost(Charge(None, YUAN), [turn_with(TextDelta("Hi"))], ask) is None
    assert request_cost(None, [turn_with(TextDelta("Hi"))], ask) is None


# --- the guard ---------------------------------------------------------------------------------------


def guard_of(store: SQLiteSpendStore | None, prices: PriceList = PRICES, windows=None, **limits: float) -> DemoGuard:
    return DemoGuard(Limits(**limits), prices, store, VisitorKeys(b"guard secret"), clock=lambda: NOW,
                     windows=windows)


@pytest.fixture(params=["memory", "redis"])
def windows(request):
    """The rate limits' windows: this process's (None: the guard's default), or Redis's."""
    if request.param == "memory":
        return None
    url = request.getfixturevalue("redis_url")
    flushed_client(url)
    return lambda limit, period, name: RedisWindows(url, limit, period, name)


def ask_costing(worst: float, text: str = "hello") -> Ask:
    """A PRICED ask whose worst case is about ``worst`` (its max_tokens chosen for it)."""
    prompt = len(text) + 8
    tokens = max(1, round((worst * 1_000_000 - prompt * PRICE.input) / PRICE.output))
    return Ask(PRICED, [user(text)], {"max_tokens": tokens})


ANN, BOB = Visitor("198.51.100.1", None), Visitor("198.51.100.2", None)


def test_an_unpriced_model_is_refused_while_money_budgets_are_on(store):
    guard = guard_of(store, visitor_budget=1.0)
    refused = guard.admit(ANN, [Ask(UNKNOWN, [user("hi")], {})], "en")
    assert isinstance(refused, Refusal)
    assert UNKNOWN in refused.reason and "no known price" in refused.reason
    refused_zh = guard.admit(ANN, [Ask(PRICED, [user("hi")], {}), Ask(UNKNOWN, [user("hi")], {})], "zh")
    assert isinstance(refused_zh, Refusal) and UNKNOWN in refused_zh.reason and "价格未知" in refused_zh.reason
    assert guard.offered([PRICED, UNKNOWN, FREE]) == [PRICED, FREE]
    # Without money budgets every model may go (the other limits still hold).
    relaxed = guard_of(None, visitor_rpm=10)
    assert isinstance(relaxed.admit(ANN, [Ask(UNKNOWN, [user("hi")], {})], "en"), Spending)
    assert relaxed.offered([PRICED, UNKNOWN]) == [PRICED, UNKNOWN]


def test_the_requests_per_minute_are_limited_per_visitor(windows):
    guard = guard_of(None, windows=windows, visitor_rpm=3)
    ask = Ask(PRICED, [user("hi")], {})
    assert isinstance(guard.admit(ANN, [ask, ask], "en"), Spending)  # a Compare round: two requests
    assert isinstance(guard.admit(ANN, [ask], "en"), Spending)
    refused = guard.admit(ANN, [ask], "en")
    assert isinstance(refused, Refusal)
    assert refused.reason.startswith("Not sent: the demo's key takes at most 3 requests a minute from you.")
    assert "Try again in " in refused.reason and "your own key" in refused.reason
    zh = guard.admit(ANN, [ask], "zh")
    assert isinstance(zh, Refusal) and "每分钟最多接受你 3 次请求" in zh.reason
    assert isinstance(guard.admit(BOB, [ask], "en"), Spending)


def test_answers_streaming_at_once_are_limited_and_freed_when_one_ends():
    guard = guard_of(None, visitor_streams=2)
    ask = Ask(PRICED, [user("hi")], {})
    first, second = guard.admit(ANN, [ask], "en"), guard.admit(ANN, [ask], "en")
    assert isinstance(first, Spending) and isinstance(second, Spending)
    third = guard.admit(ANN, [ask], "en")
    assert isinstance(third, Refusal)
    assert third.reason == t("en", "budget_streams", count=2)
    assert isinstance(guard.admit(BOB, [ask], "en"), Spending)  # another visitor has slots of their own
    first.close()
    again = guard.admit(ANN, [ask], "en")
    assert isinstance(again, Spending)
    assert isinstance(guard.admit(ANN, [ask], "en"), Refusal)
    second.close()
    again.close()
    assert isinstance(guard.admit(ANN, [ask], "en"), Spending)


def test_a_refusal_says_what_is_left_and_when_it_resets(store):
    guard = guard_of(store, visitor_budget=0.5)
    spending = guard.admit(ANN, [ask_costing(0.45)], "en")
    assert isinstance(spending, Spending) and spending.hold is not None
    spending.settle(0.38)
    spending.close()
    left = format_money(0.5 - 0.38, YUAN)
    ask = ask_costing(0.2)
    refused = guard.admit(ANN, [ask], "en")
    assert isinstance(refused, Refusal)
    assert left in refused.reason
    assert "resets in 2 h 45 min (00:00 UTC)" in refused.reason
    assert f"could cost up to {format_money(ask.worst_case(PRICE), YUAN)}," in refused.reason
    assert "own SiliconFlow key" in refused.reason
    assert t("en", "budget_free_models") in refused.reason  # a free model is priced
    zh = guard.admit(ANN, [ask_costing(0.2)], "zh")
    assert isinstance(zh, Refusal)
    assert left in zh.reason and "2 小时 45 分钟后重置" in zh.reason and "免费模型仍可回答" in zh.reason
    # A refusal holds nothing; what fits still goes.
    assert store.totals(utc_day(NOW), guard.keys.counters(ANN))[guard.keys.counters(ANN)[0]] == pytest.approx(0.38)
    assert isinstance(guard.admit(ANN, [ask_costing(0.1)], "en"), Spending)


def test_the_refusal_counts_down_to_minutes_near_midnight(store):
    near = dt.datetime(2026, 3, 4, 23, 50, tzinfo=dt.UTC).timestamp()
    guard = DemoGuard(Limits(visitor_budget=0.01), PRICES, store, VisitorKeys(b"k"), clock=lambda: near)
    refused = guard.admit(ANN, [ask_costing(0.2)], "en")
    assert isinstance(refused, Refusal) and "resets in 10 min (00:00 UTC)" in refused.reason


def test_the_meter_counts_down_after_settling(store):
    guard = guard_of(store, visitor_budget=0.5)
    half, left = format_money(0.5, YUAN), format_money(0.38, YUAN)
    assert guard.meter(ANN, "en") == f"Demo budget: **{half}** of {half} left today"
    with guard.admit(ANN, [ask_costing(0.3)], "en") as spending:
        assert isinstance(spending, Spending)
        # While the answer streams, its worst case is held.
        assert guard.meter(ANN, "en").startswith(f"Demo budget: **{format_money(0.5 - spending.worst, YUAN)}**")
        spending.settle(0.12)
    assert guard.meter(ANN, "en") == f"Demo budget: **{left}** of {half} left today"
    assert guard.meter(ANN, "zh") == f"演示额度：今日还剩 **{left}**（共 {half}）"
    assert guard.meter(BOB, "en").startswith(f"Demo budget: **{half}**")
    assert guard_of(None, visitor_rpm=5).meter(ANN, "en") == ""  # no money budgets: no meter


def test_a_close_without_settling_spends_the_whole_worst_case(store):
    guard = guard_of(store, visitor_budget=1.0)
    spending = guard.admit(ANN, [ask_costing(0.3)], "en")
    assert isinstance(spending, Spending)
    spending.close()
    counter = guard.keys.counters(ANN)[0]
    assert store.totals(utc_day(NOW), [counter])[counter] == pytest.approx(spending.worst)


def test_a_cost_past_the_hold_is_counted_whole(store):
    """An estimate too low: the counters say what the owner paid, and the next hold is
    checked against that."""
    guard = guard_of(store, visitor_budget=1.0)
    counter = guard.keys.counters(ANN)[0]
    with guard.admit(ANN, [ask_costing(0.3)], "en") as spending:
        assert isinstance(spending, Spending)
        spending.settle(0.9)
    assert store.totals(utc_day(NOW), [counter])[counter] == pytest.approx(0.9)
    assert isinstance(guard.admit(ANN, [ask_costing(0.2)], "en"), Refusal)


def test_the_daily_budget_for_everyone_stops_a_second_visitor(store):
    guard = guard_of(store, visitor_budget=1.0, daily_budget=0.5)
    with guard.admit(ANN, [ask_costing(0.45)], "en") as spending:
        assert isinstance(spending, Spending)
        spending.settle(0.4)
    refused = guard.admit(BOB, [ask_costing(0.2)], "en")
    assert isinstance(refused, Refusal)
    assert "budget for everyone" in refused.reason and format_money(0.1, YUAN) in refused.reason
    zh = guard.admit(BOB, [ask_costing(0.2)], "zh")
    assert isinstance(zh, Refusal) and "所有访客今日共用" in zh.reason
    everyone_meter = guard_of(store, daily_budget=0.5).meter(BOB, "en")
    assert everyone_meter == (f"Demo budget: **{format_money(0.1, YUAN)}** of {format_money(0.5, YUAN)} "
                              "left today for everyone")


def test_the_budget_counts_by_address_and_by_browser(store):
    """Clearing the browser's storage (a new id) or moving to another address does not
    reset a visitor's budget."""
    guard = guard_of(store, visitor_budget=0.5)
    browser = guard.keys.mint()
    with guard.admit(Visitor("198.51.100.1", browser), [ask_costing(0.45)], "en") as spending:
        spending.settle(0.45)
    assert isinstance(guard.admit(Visitor("198.51.100.1", guard.keys.mint()), [ask_costing(0.1)], "en"), Refusal)
    assert isinstance(guard.admit(Visitor("198.51.100.77", browser), [ask_costing(0.1)], "en"), Refusal)
    assert isinstance(guard.admit(Visitor("198.51.100.77", guard.keys.mint()), [ask_costing(0.1)], "en"), Spending)


def test_a_free_model_holds_nothing_and_is_never_refused_for_money(store):
    guard = guard_of(store, visitor_budget=0.01)
    for _ in range(3):
        with guard.admit(ANN, [Ask(FREE, [user("hi")], {})], "en") as spending:
            assert isinstance(spending, Spending) and spending.hold is None


def test_pasted_keys_tried_are_limited_per_visitor(windows):
    guard = guard_of(None, windows=windows, key_checks=2)
    assert guard.key_check(ANN, "en") is None
    assert guard.key_check(ANN, "en") is None
    refused = guard.key_check(ANN, "en")
    assert refused is not None and refused.startswith("Too many keys tried from here. Try again in ")
    zh = guard.key_check(ANN, "zh")
    assert zh is not None and "尝试的密钥太多" in zh
    assert guard.key_check(BOB, "en") is None
    assert guard_of(None).key_check(ANN, "en") is None  # 0: no limit


# --- the limits in effect ----------------------------------------------------------------------------


def test_with_a_server_key_and_prices_the_money_budgets_default_on():
    limits = resolve_limits({}, server_key=True, prices_known=True, currency=YUAN)
    assert (limits.visitor_budget, limits.daily_budget) == DEFAULT_BUDGETS[YUAN]
    assert limits.money
    assert limits.visitor_rpm > 0 and limits.visitor_streams > 0 and limits.queue_size > 0 and limits.key_checks > 0
    dollars = resolve_limits({}, server_key=True, prices_known=True, currency=DOLLAR)
    assert (dollars.visitor_budget, dollars.daily_budget) == DEFAULT_BUDGETS[DOLLAR]


def test_without_prices_the_money_budgets_are_off_but_the_rest_is_on():
    limits = resolve_limits({}, server_key=True, prices_known=False, currency=YUAN)
    assert (limits.visitor_budget, limits.daily_budget) == (0, 0)
    assert not limits.money
    assert limits.visitor_rpm > 0 and limits.visitor_streams > 0 and limits.queue_size > 0 and limits.key_checks > 0
    # Set explicitly, a money budget applies anyway.
    assert resolve_limits({"visitor_budget": 0.3}, server_key=True, prices_known=False, currency=YUAN).money


def test_without_a_server_key_nothing_is_limited():
    assert resolve_limits({"visitor_budget": 5, "visitor_rpm": 3}, server_key=False, prices_known=True,
                          currency=YUAN) == Limits()


def test_an_explicit_zero_turns_a_limit_off():
    limits = resolve_limits({"visitor_budget": 0, "visitor_rpm": 0, "key_checks": None}, server_key=True,
                            prices_known=True, currency=YUAN)
    assert limits.visitor_budget == 0 and limits.visitor_rpm == 0
    assert limits.daily_budget == DEFAULT_BUDGETS[YUAN][1]  # unset: its default
    assert limits.key_checks > 0  # None: unset


def test_describe_says_no_limit_plainly():
    off = describe(Limits(daily_budget=20.0), YUAN, server_key=True, prices_known=True)
    text = "\n".join(off)
    assert "per visitor per day: NO LIMIT (SFUI_VISITOR_BUDGET=0)" in text
    assert "requests per visitor per minute: NO LIMIT (SFUI_VISITOR_RPM=0)" in text
    assert "for everyone per day: " + format_money(20.0, YUAN) in text
    assert text.count("NO LIMIT") == 5
    on = "\n".join(describe(resolve_limits({}, server_key=True, prices_known=True, currency=YUAN), YUAN, True, True))
    assert "NO LIMIT" not in on
    assert "off" in describe(Limits(), YUAN, server_key=False, prices_known=True)[0]
    unpriced = "\n".join(describe(resolve_limits({}, server_key=True, prices_known=False, currency=YUAN), YUAN,
                                  True, False))
    assert "SFUI_PRICES" in unpriced and "NO LIMIT (SFUI_DAILY_BUDGET=0)" in unpriced


def test_with_the_shared_store_out_of_reach_nothing_goes_out_on_the_servers_key():
    """Redis away (nothing listens on its port): the guard cannot count, so it refuses, saying
    why, in both languages; it never lets a request through uncounted."""
    dead = f"redis://127.0.0.1:{free_port()}/0"
    guard = guard_of(None, windows=lambda limit, period, name: RedisWindows(dead, limit, period, name),
                     visitor_rpm=3, key_checks=2)
    refused = guard.admit(ANN, [Ask(PRICED, [user("hi")], {})], "en")
    assert isinstance(refused, Refusal) and refused.reason == t("en", "budget_store_down")
    assert "own SiliconFlow key" in refused.reason
    zh = guard.admit(ANN, [Ask(PRICED, [user("hi")], {})], "zh")
    assert isinstance(zh, Refusal) and "演示额度暂时无法核对" in zh.reason
    assert guard.key_check(ANN, "en") == t("en", "budget_store_down")
