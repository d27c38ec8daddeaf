"""bench/light_upstream.py, the visitors benchmark's stand-in for SiliconFlow: sfui's client
reads from it exactly what it reads from the tests' fake server for the same answer, and it
refuses a wrong key and lists the fake's models as the fake does."""

from __future__ import annotations

import dataclasses

import pytest
import requests

from bench.common import TEST_KEY, Answer
from bench.light_upstream import LightUpstream, answer_words
from sfui import SiliconFlowClient
from tests.support.sfserver import DEFAULT_MODELS, FakeSiliconFlow, stream


@pytest.fixture(scope="module")
def light():
    upstream = LightUpstream()
    yield upstream
    upstream.stop()


def events_of(base_url: str) -> list:
    client = SiliconFlowClient(TEST_KEY, base_url)
    with client.chat_stream("fake/echo", [{"role": "user", "content": "hi"}]) as chat:
        return [dataclasses.asdict(event) if dataclasses.is_dataclass(event) else repr(event) for event in chat]


def test_the_client_reads_the_same_answer_as_from_the_fake(light):
    light.push(Answer(6, 200.0), 30, 1)
    from_light = events_of(light.base_url)
    with FakeSiliconFlow(api_key=TEST_KEY) as fake:
        scenario = stream(answer_words(6), token_rate=200.0)
        fake.push(scenario)
        from_fake = events_of(fake.base_url)
    assert from_light == from_fake
    assert "".join(e["text"] for e in from_light if isinstance(e, dict) and "text" in e) == scenario.answer
    # Every request gets the answer pushed last (the benchmark's visitors all ask at once).
    assert events_of(light.base_url) == from_fake


def test_a_wrong_key_is_refused_and_the_models_are_the_fakes(light):
    assert requests.post(light.base_url + "/chat/completions", json={}, timeout=10,
                         headers={"Authorization": "Bearer nope"}).status_code == 401
    models = requests.get(light.base_url + "/models", timeout=10, headers={"Authorization": f"Bearer {TEST_KEY}"})
    assert [m["id"] for m in models.json()["data"]] == list(DEFAULT_MODELS)
