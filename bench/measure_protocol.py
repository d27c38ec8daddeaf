"""Many visitors without browsers: the concurrent-sessions phase of
measure_browser, with each visitor speaking Gradio's queue protocol itself
(POST ``queue/join``, then the ``queue/data`` event stream, read by
bench/gradio_protocol.py), as the page's JavaScript does, to the app's ``/chat``
endpoint.

Why: on a 2-core machine, 32 headless Chromium pages take most of the CPU
themselves (an idle Gradio 6 page keeps a requestAnimationFrame loop going),
so the browser figures mix the app's behaviour with Chromium's. Here every
visitor is a coroutine in one event loop (httpx), cheap enough that what is
measured is the server under load: how soon each visitor gets its first
token, and how long all of them take.

gradio_client is not used for this: 32 of its clients in one process were
measured to send their requests over ~1 s and to hold back the streams.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import httpx

from bench.apps import AppProcess
from bench.common import END_MARKER, Answer, FakeSiliconFlow, TurnTiming
from bench.gradio_protocol import Frame, QueueEvent

QUESTION = "Tell me something."


def chat_endpoint(config: dict, history: Sequence = ()) -> tuple[int, list[Any]]:
    """(fn_index, input values) of the app's ``/chat`` endpoint, from its config: every input
    at its component's initial value (a State sends null), the first input being the message
    box and a Chatbot input ``history`` (the chat as the page holds it)."""
    components = {c["id"]: c for c in config["components"]}
    for dep in config["dependencies"]:
        if dep.get("api_name") == "chat":
            values = []
            for i, component_id in enumerate(dep["inputs"]):
                component = components[component_id]
                if i == 0:
                    values.append(QUESTION)
                elif component.get("type") == "chatbot":
                    values.append(list(history))
                else:
                    values.append(component.get("props", {}).get("value"))
            return dep["id"], values
    raise LookupError("the app has no /chat endpoint")


async def timed_answer(http: httpx.AsyncClient, event: QueueEvent, answer_text: Callable[[list], str],
                       timeout: float) -> tuple[TurnTiming, int | None]:
    """Ask through the queue and time the answer as its frames come (``answer_text``: the answer
    in a frame's outputs); also the size of the first frame that came whole."""
    return await timed_frames(event.frames(http, timeout), answer_text)


async def timed_frames(frames: AsyncIterator[Frame], answer_text: Callable[[list], str]
                       ) -> tuple[TurnTiming, int | None]:
    """Time an answer as its ``frames`` come (read from now on); also the size of the first
    frame that came whole."""
    sent = time.time()
    first = final = whole = None
    async for frame in frames:
        if whole is None and not frame.diff:
            whole = frame.size
        text = answer_text(frame.outputs)
        now = time.time()
        if first is None and text.strip():
            first = now
        if final is None and END_MARKER in text:
            final = now
    return TurnTiming(sent, first, final), whole


async def ask(http: httpx.AsyncClient, app: AppProcess, fn_index: int, data: list, start: asyncio.Event,
              timeout: float) -> TurnTiming:
    event = QueueEvent(fn_index, data)
    await start.wait()
    timing, _ = await timed_answer(http, event, app.spec.answer_text, timeout)
    return timing


async def concurrent_sessions(app: AppProcess, fake: FakeSiliconFlow, answer: Answer, sessions: int,
                              timeout: float) -> list[TurnTiming]:
    """``sessions`` protocol-level visitors asking at the same moment; one timing each."""
    answer.push(fake, sessions)
    limits = httpx.Limits(max_connections=2 * sessions + 4, max_keepalive_connections=2 * sessions + 4)
    async with httpx.AsyncClient(base_url=app.url, timeout=timeout, limits=limits) as http:
        config = (await http.get("config")).json()
        fn_index, data = chat_endpoint(config)
        start = asyncio.Event()
        tasks = [asyncio.create_task(ask(http, app, fn_index, data, start, timeout)) for _ in range(sessions)]
        await asyncio.sleep(0.2)  # every task is waiting at the start line
        start.set()
        return list(await asyncio.gather(*tasks))
