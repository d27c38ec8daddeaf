"""Past one process (deploy/): two app processes behind a real nginx with sticky sessions, and
the redis-server they share, all started by deploy/cluster.py's start_cluster on free ports in
a temporary folder, against the fake SiliconFlow. 40 visitors speak Gradio's queue protocol
(no browsers), from 20 loopback addresses (127.0.0.2-21, two visitors each; the apps read
nginx's X-Forwarded-For entry, SFUI_TRUSTED_PROXIES=1):

1. every visitor's two questions are answered, and every request of one address reached one
   process (nginx's access log says which);
2. one daily budget spent by both processes at once is never overrun (Redis's counters, read
   throughout, and the requests the fake received);
3. one process killed mid-answer: its visitors' streams end in an error, and their next
   question is answered by the other process; the other's visitors' answers end whole.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis
from gradio_client.utils import apply_diff

from bench.apps import app_env
from bench.gradio_protocol import QueueEvent
from deploy.cluster import free_port, start_cluster
from sfui.budget import EVERYONE, utc_day
from sfui.budget_store import units
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.sfserver import FakeSiliconFlow

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

ADDRESSES = [f"127.0.0.{i}" for i in range(2, 22)]
FREE, PRICED = "Qwen/Qwen3-8B", "fake/echo"
MAX_TOKENS = 20
# 20 output tokens cost exactly 1 (input is free): a priced answer's worst case and its cost are
# the same, so the budget of 3.5 lets exactly 3 through, however the holds and settles interleave.
PRICES = {FREE: {"input": 0, "output": 0}, PRICED: {"input": 0, "output": 1_000_000 / MAX_TOKENS}}
BUDGET = 3.5
TIMEOUT = 120.0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    (folder / "prices.json").write_text(json.dumps(PRICES))
    with FakeSiliconFlow(api_key=TEST_KEY) as fake:
        env = app_env(fake.base_url, 0)
        env.update(SFUI_PRICES=str(folder / "prices.json"), SFUI_DAILY_BUDGET=str(BUDGET),
                   SFUI_DATA_DIR=str(folder / "data"), SFUI_TRUSTED_PROXIES="1")
        running = start_cluster(2, f"127.0.0.1:{free_port()}", folder, env=env, persist=False)
        try:
            yield running, fake
        finally:
            running.stop()


@dataclass
class Reply:
    answer: str = ""
    warnings: list[str] = field(default_factory=list)
    completed: bool = False
    error: str | None = None


@dataclass
class Visitor:
    number: int
    address: str
    http: httpx.AsyncClient
    session: str
    mid_answer: asyncio.Event = field(default_factory=asyncio.Event)

    async def ask(self, fn_index: int, data: list[Any]) -> Reply:
        """One question through the queue, in this visitor's session: its answer as it ended."""
        reply, outputs = Reply(), None
        try:
            async for message, _ in QueueEvent(fn_index, data, self.session).messages(self.http, TIMEOUT):
                kind = message.get("msg")
                if kind == "log" and message.get("level") == "warning":
                    reply.warnings.append(message.get("log") or "")
                elif kind in ("process_generating", "process_completed") and message.get("success", True):
                    data_out = message["output"]["data"]
                    diff = kind == "process_generating" and outputs is not None
                    outputs = [apply_diff(o, d) for o, d in zip(outputs, data_out, strict=False)] if diff else data_out
                    reply.answer = last_answer(outputs[0]) or reply.answer
                    if "Counting: 1 " in reply.answer:
                        self.mid_answer.set()
                elif kind == "process_completed":
                    reply.error = str(message.get("output"))
                reply.completed = reply.completed or kind == "process_completed"
        except httpx.HTTPError as error:  # the stream was cut
            reply.error = f"{type(error).__name__}: {error}"
        return reply


def last_answer(chat: Any) -> str:
    """The last assistant text of /chat's chat output ("" for a frame that changes nothing)."""
    if not isinstance(chat, list):
        return ""
    answers = [message.get("content") for message in chat if isinstance(message, dict)
               and message.get("role") == "assistant"]
    if not answers:
        return ""
    content = answers[-1]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def chat_call(config: dict, message: str, model: str) -> tuple[int, list[Any]]:
    """/chat's fn_index and its inputs: ``message`` to ``model``, MAX_TOKENS, the rest at their defaults."""
    components = {c["id"]: c for c in config["components"]}
    dep = next(d for d in config["dependencies"] if d.get("api_name") == "chat")
    values = []
    for component_id in dep["inputs"]:
        props = components[component_id].get("props", {})
        value = {"api-message": message, "model": model, "max_tokens": MAX_TOKENS, "chatbot": []}.get(
            props.get("elem_id"), props.get("value"))
        values.append(None if components[component_id]["type"] == "state" else value)
    return dep["id"], values


def visitors_of(url: str) -> list[Visitor]:
    return [Visitor(2 * i + j, address, httpx.AsyncClient(
        base_url=url, timeout=TIMEOUT, transport=httpx.AsyncHTTPTransport(local_address=address)),
        f"visitor{2 * i + j}x{free_port()}") for i, address in enumerate(ADDRESSES) for j in range(2)]


def upstreams_by_address(cluster) -> dict[str, set[str]]:
    """From nginx's access log: which processes each address's queue requests reached."""
    reached: dict[str, set[str]] = defaultdict(set)
    for line in (cluster.folder / "nginx" / "access.log").read_text().splitlines():
        found = re.match(r"(\S+) -> (\S+) .*gradio_api/queue", line)
        if found:
            reached[found[1]].add(found[2])
    return reached


def spent_and_held(redis_url: str) -> int:
    fields = redis.Redis.from_url(redis_url).hmget(f"sfui:spend:{utc_day(time.time())}",
                                                   [f"{EVERYONE}:s", f"{EVERYONE}:h"])
    return sum(int(value or 0) for value in fields)


def test_two_processes_behind_nginx_share_the_budget_keep_visitors_and_survive_a_kill(cluster):
    running, fake = cluster
    config = httpx.get(running.url + "config", timeout=TIMEOUT).json()
    run_async(scenario(running, fake, config), timeout=540)


async def scenario(running, fake, config) -> None:
    visitors = visitors_of(running.url)
    try:
        await everyone_answered(visitors, config)
        reached = upstreams_by_address(running)
        assert set(reached) == set(ADDRESSES)
        assert all(len(upstreams) == 1 for upstreams in reached.values()), reached  # sticky
        processes = {next(iter(upstreams)) for upstreams in reached.values()}
        assert len(processes) == 2  # both processes served visitors
        await one_budget_for_both(visitors, config, running, fake)
        await one_process_killed(visitors, config, running, reached)
    finally:
        await asyncio.gather(*(visitor.http.aclose() for visitor in visitors))


async def everyone_answered(visitors: list[Visitor], config: dict) -> None:
    async def two_questions(visitor: Visitor) -> list[Reply]:
        return [await visitor.ask(*chat_call(config, f"visitor {visitor.number} question {k}", FREE))
                for k in (1, 2)]

    replies = await asyncio.gather(*(two_questions(visitor) for visitor in visitors))
    for visitor, (first, second) in zip(visitors, replies, strict=True):
        assert first.completed and first.answer == f"Echo: visitor {visitor.number} question 1", first
        assert second.completed and second.answer == f"Echo: visitor {visitor.number} question 2", second


async def one_budget_for_both(visitors: list[Visitor], config: dict, running, fake) -> None:
    """Every visitor asks the priced model at once: both processes admit from one budget."""
    words = " ".join(f"word{i}" for i in range(40))  # longer than MAX_TOKENS: every answer is cut there
    watching, highest = True, 0

    async def watch() -> None:
        nonlocal highest
        while watching:
            highest = max(highest, spent_and_held(running.redis_url))
            await asyncio.sleep(0.02)

    watcher = asyncio.create_task(watch())
    replies = await asyncio.gather(*(visitor.ask(*chat_call(config, f"priced {visitor.number} {words}", PRICED))
                                     for visitor in visitors))
    watching = False
    await watcher
    answered = [reply for reply in replies if reply.answer.startswith("Echo: priced")]
    refused = [reply for reply in replies if not reply.answer]
    assert len(answered) == int(BUDGET) and len(refused) == len(visitors) - int(BUDGET)
    assert all(any("budget for everyone" in w for w in reply.warnings) for reply in refused)
    assert len([r for r in fake.chat_requests() if r.get("model") == PRICED]) == int(BUDGET)
    assert highest <= units(BUDGET) and spent_and_held(running.redis_url) == units(int(BUDGET))


async def one_process_killed(visitors: list[Visitor], config: dict, running, reached: dict) -> None:
    """Every visitor's answer streams; one process is killed; each side sees what it should."""
    killed = running.apps[0]
    on_killed = {address for address, upstreams in reached.items() if f"127.0.0.1:{killed.port}" in upstreams}
    asks = [asyncio.create_task(visitor.ask(*chat_call(config, f"#fake:slow visitor {visitor.number}", FREE)))
            for visitor in visitors]
    await asyncio.wait_for(asyncio.gather(*(visitor.mid_answer.wait() for visitor in visitors)), TIMEOUT)
    killed.process.send_signal(signal.SIGKILL)
    replies = await asyncio.gather(*asks)
    for visitor, reply in zip(visitors, replies, strict=True):
        if visitor.address in on_killed:
            assert not reply.completed and reply.error, reply  # cut: an error, never a silent end
        else:
            assert reply.completed and reply.answer.endswith(" 199 200"), reply  # whole, untouched
    # The killed process's visitors go on: their next question reaches the other process.
    again = await asyncio.gather(*(visitor.ask(*chat_call(config, f"after the crash {visitor.number}", FREE))
                                   for visitor in visitors if visitor.address in on_killed))
    assert again and all(reply.completed and reply.answer.startswith("Echo: after the crash") for reply in again)
