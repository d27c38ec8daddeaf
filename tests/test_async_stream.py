"""The answer read on the event loop (ChatStream.aevents, which the app uses) against the
blocking read (iterating a ChatStream, which the rest of the client's tests prove): for every
kind of answer and failure the fake server can send, the same events, the same totals and
the same error, one read after the other against the same real server."""

from __future__ import annotations

import asyncio
import dataclasses
import socket

import pytest

from sfui import SiliconFlowClient
from sfui.api import errors
from sfui.api.events import Retrying
from sfui.api.pump import StreamPump
from tests.support import TEST_KEY
from tests.support.asyncutil import run_async
from tests.support.launch import free_port
from tests.support.sfserver import Scenario, error, non_stream

MESSAGES = [{"role": "user", "content": "one two three"}]

# The fake's scenarios by model name: every answer shape and every broken stream.
MODELS = ["fake/echo", "fake/reasoning", "fake/think-tags", "fake/tools", "fake/drop", "fake/no-done",
          "fake/bare-error", "fake/malformed", "fake/html", "fake/huge", "fake/invalid-utf8", "fake/final-usage",
          "fake/keepalive", "fake/length", "fake/stall"]
# Pushed answers: every error status, a retried one, a body quoting the key, a JSON body.
PUSHED: dict[str, list[Scenario]] = {
    **{f"HTTP {status}": [error(status)] * 3 for status in (400, 401, 402, 403, 404, 429, 500, 503, 504)},
    "503 then an answer": [error(503), non_stream("fine after all")],
    "an error quoting the key": [error(401, {"message": f"bad key {TEST_KEY}", "data": None})],
    "a JSON body to a stream request": [non_stream("whole at once")],
    "a text body": [error(200, b"plain words", content_type="text/plain")],
}


def make_client(base_url: str) -> SiliconFlowClient:
    return SiliconFlowClient(TEST_KEY, base_url, max_retries=2, backoff_factor=0.01, read_timeout=1.0)


@dataclasses.dataclass
class Outcome:
    events: list
    error: errors.SiliconFlowError | None
    totals: tuple

    def comparable(self) -> tuple:
        """Retrying's error and delay are objects and jitter: compare its attempt."""
        events = [("Retrying", e.attempt) if isinstance(e, Retrying) else without_ids(e) for e in self.events]
        error = None if self.error is None else (type(self.error), self.error.status, self.error.code,
                                                 self.error.message.split(":")[0])
        return events, error, self.totals


def without_ids(event):
    """The fake names each tool call afresh (call_<random>): compare whether it has one."""
    if dataclasses.is_dataclass(event) and getattr(event, "id", None) is not None:
        return dataclasses.replace(event, id="an id")
    return event


def totals(stream) -> tuple:
    return (stream.text, stream.reasoning, stream.usage, stream.finish_reason,
            tuple(without_ids(call) for call in stream.tool_calls), stream.model, stream.trace_id is not None)


def blocking_read(client: SiliconFlowClient, model: str) -> Outcome:
    stream, events = client.chat_stream(model, MESSAGES), []
    try:
        for event in stream:
            events.append(event)
    except errors.SiliconFlowError as exc:
        return Outcome(events, exc, totals(stream))
    return Outcome(events, None, totals(stream))


def loop_read(client: SiliconFlowClient, model: str) -> Outcome:
    async def read() -> Outcome:
        stream, events = client.chat_stream(model, MESSAGES), []
        try:
            async for event in stream.aevents():
                events.append(event)
        except errors.SiliconFlowError as exc:
            return Outcome(events, exc, totals(stream))
        return Outcome(events, None, totals(stream))

    return run_async(read())


@pytest.mark.parametrize("model", MODELS)
def test_every_answer_shape_reads_the_same_on_the_loop(fake, model):
    client = make_client(fake.base_url)
    blocking = blocking_read(client, model)
    on_loop = loop_read(client, model)
    assert on_loop.comparable() == blocking.comparable()
    assert blocking.events or blocking.error  # the scenario did something to compare


@pytest.mark.parametrize("case", PUSHED)
def test_every_pushed_answer_and_error_reads_the_same_on_the_loop(fake, case):
    client = make_client(fake.base_url)
    fake.push(*PUSHED[case])
    blocking = blocking_read(client, "Qwen/Qwen3-8B")
    fake.reset()
    fake.push(*PUSHED[case])
    on_loop = loop_read(client, "Qwen/Qwen3-8B")
    assert on_loop.comparable() == blocking.comparable()
    if on_loop.error is not None:
        assert TEST_KEY not in on_loop.error.message and TEST_KEY not in on_loop.error.user_message("en")


def test_no_server_at_all_is_the_same_error():
    port = free_port()  # nothing listens there
    for base_url, kind in ((f"http://127.0.0.1:{port}/v1", errors.ConnectionRefused),
                           ("http://no-such-host.invalid/v1", errors.DNSError),
                           ("ftp://127.0.0.1/v1", errors.NotFoundError)):
        client = SiliconFlowClient(TEST_KEY, base_url, max_retries=0)
        assert type(blocking_read(client, "m").error) is kind
        assert type(loop_read(client, "m").error) is kind


def test_a_server_that_never_answers_times_out_the_same():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts connections into its backlog, never answers them
    try:
        client = SiliconFlowClient(TEST_KEY, f"http://127.0.0.1:{listener.getsockname()[1]}/v1", max_retries=0,
                                   read_timeout=0.3)
        assert type(blocking_read(client, "m").error) is errors.ReadTimeoutError
        assert type(loop_read(client, "m").error) is errors.ReadTimeoutError
    finally:
        listener.close()


def test_the_request_sent_is_the_same_bytes(fake):
    client = make_client(fake.base_url)
    blocking_read(client, "fake/echo")
    loop_read(client, "fake/echo")
    first, second = fake.chat_received()
    assert first.body == second.body
    assert second.headers.get("Authorization") == f"Bearer {TEST_KEY}"


def test_a_cookie_set_for_one_visitor_is_not_sent_with_the_next_request(fake):
    fake.push(Scenario(steps=non_stream("hi").steps, headers={"Set-Cookie": "visitor=alice; Path=/"}))
    loop_read(make_client(fake.base_url), "Qwen/Qwen3-8B")
    loop_read(SiliconFlowClient("sk-bob", fake.base_url, max_retries=0), "fake/echo")
    assert all("cookie" not in {name.lower() for name in r.headers} for r in fake.chat_received())


@pytest.mark.parametrize("moment", [0.0, 0.2])
def test_a_stop_closes_the_request_on_the_loop(fake, moment):
    """Stopped before anything came, or mid-answer: the server sees the disconnect, and
    the reader ends without an error."""
    client = make_client(fake.base_url)

    async def run() -> list:
        stream = client.chat_stream("fake/slow", MESSAGES)
        pump = StreamPump(stream.aevents(), close=stream.close).start()
        await asyncio.sleep(moment)
        pump.close()
        await asyncio.sleep(0.5)  # the loop runs on, as a server's does
        return [await pump.next_batch(timeout=1)]

    batches = run_async(run())
    sent = len(fake.chat_requests())
    assert sent == 1 and fake.wait_for_disconnect(1, timeout=5)
    assert batches[-1] is None or isinstance(batches[-1], list)  # no error raised
