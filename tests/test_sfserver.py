"""Tests of the fake SiliconFlow server itself (tests/support/sfserver.py), using plain `requests`."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from tests.support.sfserver import (
    ERROR_BODIES,
    FakeSiliconFlow,
    drop_after,
    error,
    keepalive_comments,
    stall_after,
    stream,
)

KEY = "sk-test-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def fake():
    with FakeSiliconFlow(api_key=KEY) as server:
        yield server
    assert server.errors == []  # no exception inside the server


def chat(fake, text="hello world", *, stream_=True, model="Qwen/Qwen3-8B", **kwargs):
    body = {"model": model, "messages": [{"role": "user", "content": text}], "stream": stream_}
    return requests.post(f"{fake.base_url}/chat/completions", json=body, headers=AUTH, timeout=10, **kwargs)


def sse_events(raw: bytes) -> list[str]:
    """A reference decoder: split on lines, skip comments, join multi-line `data:` fields."""
    events, data = [], []
    for line in raw.decode("utf-8", errors="replace").splitlines():
        if line == "":
            if data:
                events.append("\n".join(data))
            data = []
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    return events


def test_echo_stream_shape(fake):
    r = chat(fake, "hello big world")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/event-stream"
    assert r.headers["Transfer-Encoding"] == "chunked"
    assert r.headers["x-siliconcloud-trace-id"] == fake.last_trace_id

    events = sse_events(r.content)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": "", "reasoning_content": None}
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == "Qwen/Qwen3-8B" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    tokens = [c["choices"][0]["delta"]["content"] for c in chunks[1:]]
    assert tokens == ["Echo: ", "hello ", "big ", "world"]
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None] * 4 + ["stop"]

    # usage rides on every chunk and is cumulative: the last one wins, summing would be wrong
    completions = [c["usage"]["completion_tokens"] for c in chunks]
    assert completions == [0, 1, 2, 3, 4]
    assert chunks[-1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7,
                                   "completion_tokens_details": {"reasoning_tokens": 0}}


def test_final_usage_style(fake):
    fake.push(stream("a b c", reasoning="hmm", usage="final"))
    chunks = [json.loads(e) for e in sse_events(chat(fake).content)[:-1]]
    assert all("usage" not in c for c in chunks[:-1])
    assert chunks[1]["choices"][0]["delta"] == {"content": None, "reasoning_content": "hmm"}
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens"] == 4
    assert chunks[-1]["usage"]["completion_tokens_details"] == {"reasoning_tokens": 1}


def test_non_stream_and_named_scenario(fake):
    r = chat(fake, "#fake:reasoning why?", stream_=False)
    message = r.json()["choices"][0]["message"]
    assert message["content"] == "Echo: why?"
    assert message["reasoning_content"]
    assert r.json()["object"] == "chat.completion"


def test_wrong_key_gets_bare_string_401(fake):
    for headers in ({"Authorization": "Bearer nope"}, {}):
        r = requests.get(f"{fake.base_url}/models", headers=headers, timeout=5)
        assert r.status_code == 401
        assert r.content == b'"Invalid token"'
        assert r.json() == "Invalid token"
        assert "x-siliconcloud-trace-id" in r.headers


def test_any_key_accepted_without_api_key():
    with FakeSiliconFlow(api_key=None) as server:
        assert requests.get(f"{server.base_url}/models", timeout=5).status_code == 200


def test_unknown_path_is_plain_404(fake):
    r = requests.post(f"http://127.0.0.1:{fake.port}/chat/completions", json={}, headers=AUTH, timeout=5)
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "404 page not found"


def test_queued_error_then_queue_empties(fake):
    fake.push(error(429, headers={"Retry-After": "2"}))
    r = chat(fake)
    assert r.status_code == 429
    assert r.content == ERROR_BODIES[429][0]
    assert r.headers["Retry-After"] == "2"
    assert r.headers["x-siliconcloud-trace-id"] == fake.received[-1].trace_id != ""
    assert chat(fake).status_code == 200  # the queue is FIFO and consumed
    assert len({rec.trace_id for rec in fake.received}) == 2  # fresh per response


def test_models_and_user_info(fake):
    r = requests.get(f"{fake.base_url}/models?sub_type=chat", headers=AUTH, timeout=5)
    assert r.json()["object"] == "list"
    ids = [m["id"] for m in r.json()["data"]]
    assert "deepseek-ai/DeepSeek-R1" in ids and "fake/echo" in ids
    assert fake.received[-1].query == {"sub_type": ["chat"]}

    info = requests.get(f"{fake.base_url}/user/info", headers=AUTH, timeout=5).json()
    assert info["data"]["totalBalance"] == "88.88"
    fake.user_info_status = 410
    assert requests.get(f"{fake.base_url}/user/info", headers=AUTH, timeout=5).status_code == 410


def test_disconnect_is_counted(fake):
    fake.push(stream("word " * 200, token_rate=50))
    with chat(fake, stream=True) as r:
        lines = r.iter_lines()
        assert next(lines).startswith(b"data: ")
    assert fake.wait_for_disconnect(1, timeout=3)
    assert fake.disconnects == 1


def test_disconnect_during_stall_is_counted_at_once(fake):
    fake.push(stall_after(2, 60))
    with chat(fake, stream=True) as r:
        next(r.iter_lines())
    assert fake.wait_for_disconnect(1, timeout=2)


def test_received_records_exact_body(fake):
    body = {"model": "Qwen/Qwen3-8B", "messages": [{"role": "user", "content": "héllo"}], "top_k": 50}
    raw = json.dumps(body).encode()
    requests.post(f"{fake.base_url}/chat/completions", data=raw,
                  headers={**AUTH, "Content-Type": "application/json"}, timeout=5)
    rec = fake.received[-1]
    assert (rec.method, rec.path, rec.raw, rec.body) == ("POST", "/v1/chat/completions", raw, body)
    assert rec.headers["authorization"] == rec.headers["Authorization"] == f"Bearer {KEY}"
    assert fake.chat_requests() == [body]


def test_drop_and_keepalive_corpus(fake):
    fake.push(drop_after(3))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        chat(fake)

    scenario = keepalive_comments()
    fake.push(scenario)
    events = sse_events(chat(fake).content)
    text = "".join(json.loads(e)["choices"][0]["delta"]["content"] or "" for e in events[:-1])
    assert text == scenario.answer
    assert fake.disconnects == 0  # a server-side drop is not a client disconnect


def test_concurrent_echo_streams_and_prompt_stop():
    server = FakeSiliconFlow(api_key=KEY, token_rate=200).start()
    results: dict[int, str] = {}

    def one(i: int) -> None:
        events = sse_events(chat(server, f"prompt {i}").content)
        results[i] = "".join(json.loads(e)["choices"][0]["delta"]["content"] for e in events[:-1])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == {i: f"Echo: prompt {i}" for i in range(50)}  # each reply belongs to its prompt

    # stop() with a stream in flight (stalled for a minute) must return at once and end it
    server.push(stall_after(1, 60))
    outcome: list[BaseException] = []

    def cut_off() -> None:
        try:
            chat(server)
        except requests.RequestException as exc:
            outcome.append(exc)

    in_flight = threading.Thread(target=cut_off, daemon=True)
    in_flight.start()
    deadline = time.monotonic() + 2
    while len(server.received) < 51 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1
    in_flight.join(2)
    assert not in_flight.is_alive() and len(outcome) == 1  # the client saw the stream cut off
    assert server.errors == [] and server.disconnects == 0
