"""Memory: the app's RSS after its first finished conversation and after N.

Conversations go through ``gradio_client`` against the app's ``/chat``
endpoint (no browser: this is about what the server keeps). Each one is a new
visitor, i.e. a new ``Client`` and so a new Gradio session, because per-session
state that is never released is the leak worth catching. A few run side by
side to keep the benchmark short; the app's own queue decides how many it
actually serves at once.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from gradio_client import Client

from bench.apps import AppProcess
from bench.common import Answer, FakeSiliconFlow
from tests.support.launch import PATIENT_HTTP

PARALLEL_VISITORS = 8


@dataclass(frozen=True)
class MemoryResult:
    conversations: int
    rss_after_first_mb: float
    rss_after_all_mb: float

    @property
    def growth_mb(self) -> float:
        return self.rss_after_all_mb - self.rss_after_first_mb


def one_conversation(app: AppProcess) -> None:
    # Patient HTTP: gradio_client's default timeout is a few seconds, too short on a loaded machine.
    client = Client(app.url, verbose=False, download_files=False, analytics_enabled=False, httpx_kwargs=PATIENT_HTTP)
    try:
        app.spec.call_chat(client, "Tell me something.")
    finally:
        client.close()


def rss_after_conversations(app: AppProcess, fake: FakeSiliconFlow, answer: Answer, conversations: int) -> MemoryResult:
    answer.push(fake, conversations)
    one_conversation(app)
    after_first = app.rss_mb()
    with ThreadPoolExecutor(PARALLEL_VISITORS) as pool:
        for future in [pool.submit(one_conversation, app) for _ in range(conversations - 1)]:
            future.result()  # re-raise a failed conversation: a broken run must not pass as a figure
    return MemoryResult(conversations, after_first, app.rss_mb())
