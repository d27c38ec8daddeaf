"""In Chromium: when the queue is full (SFUI_QUEUE_SIZE), a visitor is told at once that the
demo is busy, in their language, instead of waiting without end (issue 20)."""

from __future__ import annotations

import threading
import time

import pytest
from gradio_client import Client
from gradio_client.utils import Status

from sfui.i18n import t
from tests.support.browser import VIEWPORT, ZH_CONTEXT
from tests.support.launch import PATIENT_HTTP, no_limits
from tests.support.page import TOAST_TEXT, WAIT_MS, open_app, send
from tests.support.sfserver import Sleep, stream
from tests.test_app import REQUIRED


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_full_queue_says_the_demo_is_busy(launch_app, fake, browser, lang):
    # One answer at a time, one more waiting: the queue is full.
    app = launch_app(concurrency_limit=1, limits_chosen={**no_limits(), "queue_size": 1})
    # Both held back until the page has been told (opening it may take seconds under load,
    # and the queue must still be full when it sends).
    release = threading.Event()
    for _ in range(2):
        slow = stream("slow answer")
        slow.steps.insert(0, Sleep(60, until=release))
        fake.push(slow)
    client = Client(app.url, verbose=False, httpx_kwargs=PATIENT_HTTP)
    context = browser.new_context(viewport=VIEWPORT, **(ZH_CONTEXT if lang == "zh" else {"locale": "en-US"}))
    try:
        # The first holds the one slot; the second waits in the queue. One after the other: two
        # joins that both came before the queue started the first would find it full.
        jobs = [client.submit(message="hold 0", **REQUIRED, api_name="/chat")]
        deadline = time.monotonic() + 60
        while not fake.chat_received() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fake.chat_received(), "the first answer never started"
        jobs.append(client.submit(message="hold 1", **REQUIRED, api_name="/chat"))
        while jobs[1].status().code != Status.IN_QUEUE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert jobs[1].status().code == Status.IN_QUEUE, "the second question is not waiting in the queue"
        page = open_app(context.new_page(), app.url)
        send(page, "one more, please")
        # Gradio groups the refusal of each of the step's outputs in one toast: each says it.
        page.locator(TOAST_TEXT).filter(has_text=t(lang, "queue_busy")).first.wait_for(timeout=WAIT_MS)
        assert "currently busy" not in page.content()  # Gradio's English words are gone
        release.set()
        for job in jobs:
            job.result(timeout=60)
    finally:
        release.set()
        context.close()
        client.close()
