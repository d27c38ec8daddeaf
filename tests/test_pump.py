"""sfui.api.pump.StreamPump: a real ChatStream against the fake server, consumed from asyncio."""

from __future__ import annotations

import asyncio

import pytest

from sfui.api import errors
from sfui.api.events import Finished, TextDelta
from sfui.api.pump import StreamPump
from tests.support.asyncutil import run_async
from tests.support.sfserver import bare_error_after, slow_first_token, stall_after, stream

MODEL = "Qwen/Qwen3-8B"
WAIT = 10.0  # generous: a batch normally arrives in milliseconds


def ask(client, text: str) -> StreamPump:
    """A pump (not started) reading ``text``'s answer, as the chat's."""
    stream = client.chat_stream(MODEL, [{"role": "user", "content": text}])
    return StreamPump(stream.aevents(), close=stream.close)


async def drain(pump: StreamPump) -> tuple[list[list], BaseException | None]:
    """Every batch until the end of the stream, and the error it ended with (if any)."""
    batches: list[list] = []
    try:
        while (batch := await pump.next_batch(timeout=WAIT)) is not None:
            assert batch != [], "no event within the wait: the pump stalled"
            batches.append(batch)
    except errors.SiliconFlowError as exc:
        return batches, exc
    return batches, None


async def read_until_text(pump: StreamPump, text: str) -> str:
    """Read batches until the streamed answer contains ``text``."""
    received = ""
    while text not in received:
        batch = await pump.next_batch(timeout=WAIT)
        assert batch, f"stream ended or stalled before {text!r} arrived (got {received!r})"
        received += "".join(e.text for e in batch if isinstance(e, TextDelta))
    return received


def answer_of(batches: list[list]) -> str:
    return "".join(e.text for batch in batches for e in batch if isinstance(e, TextDelta))


def test_batches_carry_every_event_in_order(fake, client):
    fake.token_rate = 200  # paced, so the events spread over several batches
    words = [f"w{i} " for i in range(30)]
    fake.push(stream(words, prompt_tokens=7))

    async def main():
        pump = ask(client, "hi").start()
        batches, error = await drain(pump)
        assert await pump.next_batch(timeout=WAIT) is None  # stays ended
        return batches, error

    batches, error = run_async(main())
    assert error is None
    assert answer_of(batches) == "".join(words)
    assert len(batches) > 1
    assert Finished("stop") in [e for batch in batches for e in batch]
    assert fake.disconnects == 0


def test_an_error_is_raised_after_the_events_before_it(fake, client):
    scenario = bare_error_after(5)
    fake.push(scenario)

    async def main():
        return await drain(ask(client, "hi").start())

    batches, error = run_async(main())
    assert isinstance(error, errors.UpstreamStreamError)
    assert error.code == 60000
    assert answer_of(batches) == scenario.answer  # nothing lost ahead of the error


def test_an_error_from_any_iterable_comes_after_its_items():
    async def items():
        yield 1
        yield 2
        raise ValueError("boom")

    async def main():
        pump = StreamPump(items()).start()
        seen = []
        with pytest.raises(ValueError, match="boom"):
            while (batch := await pump.next_batch(timeout=WAIT)) is not None:
                seen.extend(batch)
        return seen, await pump.next_batch(timeout=WAIT)

    seen, after = run_async(main())
    assert seen == [1, 2]
    assert after is None  # the error is raised once, then the pump is over


def test_a_stale_wakeup_does_not_end_the_wait_early():
    """A wake-up for an item that was already taken must not make the next call
    return [] before its time-out."""
    release = asyncio.Event()

    async def items():
        yield "first"
        await release.wait()
        yield "second"

    async def main():
        pump = StreamPump(items()).start()
        await asyncio.sleep(0.05)  # "first" is queued before anyone waits
        first = await pump.next_batch(timeout=WAIT)
        asyncio.get_running_loop().call_later(0.2, release.set)
        second = await pump.next_batch(timeout=WAIT)
        return first, second, await pump.next_batch(timeout=WAIT)

    assert run_async(main()) == (["first"], ["second"], None)


# (pushed scenario or None for a named one, message, text to wait for before closing)
_STALL = stall_after(5, 300)
BLOCKING = {
    "slow": (None, "#fake:slow count", "Counting: 1"),  # 20 tokens/s for 10 s
    "stall": (_STALL, "hi", _STALL.answer),  # everything sent, then 300 s of silence
}


@pytest.mark.parametrize("name", sorted(BLOCKING))
def test_close_during_a_waiting_read_disconnects_and_ends_the_reading(fake, client, name):
    scenario, text, wait_for = BLOCKING[name]
    if scenario is not None:
        fake.push(scenario)

    async def main():
        pump = ask(client, text).start()
        await read_until_text(pump, wait_for)
        pump.close()  # the reading task waits for the socket now
        # After close() the stream just ends: no error for a stop the user asked for.
        while await pump.next_batch(timeout=WAIT) is not None:
            pass
        return pump

    pump = run_async(main())
    assert fake.wait_for_disconnect(timeout=5), "the fake server never saw the client hang up"
    assert pump._task.done()  # the pump's reading task


def test_stall_scenario_is_really_blocking(fake, client):
    """Guards the test above: without close(), a stalled stream gives nothing."""
    fake.push(stall_after(5, 300))

    async def main():
        pump = ask(client, "hi").start()
        await read_until_text(pump, _STALL.answer)
        tail = []  # what came with the last token (its usage)
        while batch := await pump.next_batch(timeout=0.3):  # [] = 0.3 s of silence
            tail.extend(batch)
        pump.close()
        return batch, tail

    last, tail = run_async(main())
    assert last == []  # silence, not the end of the stream (None)
    assert not [e for e in tail if isinstance(e, (TextDelta, Finished))]


def test_timeout_returns_an_empty_batch_when_nothing_arrives(fake, client):
    fake.push(slow_first_token(3.0, "late answer"))

    async def main():
        pump = ask(client, "hi").start()
        first = await pump.next_batch(timeout=0.2)
        batches, error = await drain(pump)  # the answer still comes after the time-out
        return first, batches, error

    first, batches, error = run_async(main())
    assert first == []
    assert error is None
    assert answer_of(batches) == "late answer"


def test_wait_for_end_is_woken_by_the_end_and_by_close_but_not_by_items():
    gate = asyncio.Event()

    async def items():
        yield "a"
        yield "b"
        await asyncio.wait_for(gate.wait(), WAIT)  # the stream then waits until the test lets it end

    async def scenario():
        pump = StreamPump(items(), close=gate.set).start()
        assert await pump.next_batch(timeout=WAIT) in (["a"], ["a", "b"])
        # Items do not end the wait: with the stream still open it runs its full time.
        loop = asyncio.get_running_loop()
        started = loop.time()
        await pump.wait_for_end(0.2)
        slept = loop.time() - started
        # close() ends the stream: the long wait returns instead of sleeping WAIT * 10 s.
        pump.close()
        await asyncio.wait_for(pump.wait_for_end(WAIT * 10), WAIT)
        return slept

    assert run_async(scenario()) >= 0.19  # it slept (this is a lower bound, not a timing target)
