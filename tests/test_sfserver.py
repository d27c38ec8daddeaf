"""Tests of the fake SiliconFlow server itself (tests/support/sfserver/), using plain `requests`.

No test asserts how long something took: each one checks what happened and in which order
(the timestamps a request's record carries are compared with each other, never with a
duration). Waits have generous deadlines so that a broken server fails instead of hanging.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests

from tests.support.sfserver import (
    ERROR_BODIES,
    Chunk,
    FakeSiliconFlow,
    Sleep,
    _default_scenario,
    drop_after,
    error,
    keepalive_comments,
    stall_after,
    stream,
    stream_choices,
)

KEY = "sk-test-0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def fake():
    with FakeSiliconFlow(api_key=KEY) as server:
        yield server
    assert server.errors == []  # no exception inside the server


def chat(fake, text="hello world", *, stream_=True, model="Qwen/Qwen3-8B", fields=None, timeout=10, **kwargs):
    body = {"model": model, "messages": [{"role": "user", "content": text}], "stream": stream_, **(fields or {})}
    return requests.post(f"{fake.base_url}/chat/completions", json=body, headers=AUTH, timeout=timeout, **kwargs)


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
    fake.total_balance = "12.34"  # settable between answers
    assert requests.get(f"{fake.base_url}/user/info", headers=AUTH, timeout=5).json()["data"]["totalBalance"] == "12.34"
    fake.user_info_status = 410
    assert requests.get(f"{fake.base_url}/user/info", headers=AUTH, timeout=5).status_code == 410

    fake.models_error = error(401, "Invalid token: quoted")  # /models refuses even the right key
    r = requests.get(f"{fake.base_url}/models", headers=AUTH, timeout=5)
    assert (r.status_code, r.json()) == (401, "Invalid token: quoted")


def test_disconnect_is_counted(fake):
    fake.push(stream("word " * 200, token_rate=50))
    with chat(fake, stream=True) as r:
        lines = r.iter_lines()
        assert next(lines).startswith(b"data: ")
    assert fake.wait_for_disconnect(1, timeout=3)
    assert fake.disconnects == 1


def test_disconnect_during_stall_is_counted_at_once(fake):
    fake.push(stall_after(2, 300))
    with chat(fake, stream=True) as r:
        next(r.iter_lines())
    # counted while the stall still has minutes to go, not when its next write fails
    assert fake.wait_for_disconnect(1, timeout=30)
    record = fake.chat_received()[-1]
    assert record.disconnected_at is not None and record.ended_at == record.disconnected_at


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

    # stop() with a stream in flight (stalled for a minute) ends it instead of waiting it out
    server.push(stall_after(1, 60))
    pieces: list[bytes] = []
    outcome: list[BaseException] = []

    def cut_off() -> None:
        try:
            with chat(server, stream=True, timeout=120) as r:  # only the server may end it
                for piece in r.iter_content(None):
                    pieces.append(piece)
        except requests.RequestException as exc:
            outcome.append(exc)

    in_flight = threading.Thread(target=cut_off, daemon=True)
    in_flight.start()
    deadline = time.monotonic() + 10
    while b'"content":"The ' not in b"".join(pieces) and time.monotonic() < deadline:
        time.sleep(0.01)  # until the token before the stall arrived: the stall has begun
    assert b'"content":"The ' in b"".join(pieces)
    stalled = server.chat_received()[-1]
    server.stop()
    in_flight.join(30)  # half the stall: a stream left to play out would still be silent
    assert not in_flight.is_alive() and len(outcome) == 1  # the client saw the stream cut off
    assert b'"finish_reason":"stop"' not in b"".join(pieces) and b"[DONE]" not in b"".join(pieces)
    deadline = time.monotonic() + 10
    while stalled.ended_at is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the handler notes the end just after the stop cut the stream
    assert stalled.ended_at is not None and stalled.disconnected_at is None  # the server ended it
    assert server.errors == [] and server.disconnects == 0


# --- n choices, and what the log says about time ----------------------------------------


def chunks_of(raw: bytes) -> list[dict]:
    events = sse_events(raw)
    assert events[-1] == "[DONE]"
    return [json.loads(e) for e in events[:-1]]


def test_n_gets_interleaved_choices_with_their_own_finish_and_the_requests_usage(fake):
    chunks = chunks_of(chat(fake, "hi there", fields={"n": 3}).content)
    assert all(len(c["choices"]) == 1 for c in chunks)
    indexes = [c["choices"][0]["index"] for c in chunks]
    assert indexes[:3] == [0, 1, 2] and all(c["choices"][0]["delta"].get("role") for c in chunks[:3])
    assert indexes[3:9] == [0, 1, 2, 0, 1, 2]  # token by token, in turn
    answers, finishes = ["", "", ""], {}
    for c in chunks:
        entry = c["choices"][0]
        answers[entry["index"]] += entry["delta"].get("content") or ""
        if entry["finish_reason"]:
            assert entry["index"] not in finishes
            finishes[entry["index"]] = entry["finish_reason"]
    assert answers == [f"Echo (choice {i}): hi there" for i in range(3)]
    assert finishes == {0: "stop", 1: "stop", 2: "stop"}
    completions = [c["usage"]["completion_tokens"] for c in chunks]
    assert completions == sorted(completions) and completions[-1] == 3 * 5  # every choice's tokens, cumulative


def test_n_is_honoured_without_streaming_and_max_tokens_cuts_each_choice(fake):
    body = chat(fake, "one two three four", stream_=False, fields={"n": 2, "max_tokens": 3}).json()
    assert [(c["index"], c["message"]["content"], c["finish_reason"]) for c in body["choices"]] == [
        (0, "Echo (choice 0): ", "length"), (1, "Echo (choice 1): ", "length")]
    assert body["usage"]["completion_tokens"] == 6


def test_n_of_one_or_garbage_is_one_choice_and_too_many_is_refused(fake):
    for n in (1, 0, "3", None):
        chunks = chunks_of(chat(fake, "hi", fields={"n": n}).content)
        assert {c["choices"][0]["index"] for c in chunks} == {0}
    assert chat(fake, "hi", fields={"n": 17}).status_code == 400


def test_scenarios_that_ignore_n_send_one_choice(fake):
    chunks = chunks_of(chat(fake, "hi", model="fake/tools", fields={"n": 2}).content)
    assert {c["choices"][0]["index"] for c in chunks} == {0}


def test_stream_choices_builder():
    scenario = stream_choices(["a b c", "d"], reasoning=["hmm", None], finish_reason=["stop", "length"],
                              usage="final")
    chunks = [s.obj for s in scenario.steps if isinstance(s, Chunk)]
    picked = [(c["choices"][0]["index"], c["choices"][0]["delta"], c["choices"][0]["finish_reason"])
              for c in chunks if c["choices"]]
    assert picked[2:] == [
        (0, {"content": None, "reasoning_content": "hmm"}, None),
        (1, {"content": "d", "reasoning_content": None}, "length"),  # a choice that runs out drops out
        (0, {"content": "a ", "reasoning_content": None}, None),
        (0, {"content": "b ", "reasoning_content": None}, None),
        (0, {"content": "c", "reasoning_content": None}, "stop"),
    ]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 5
    assert chunks[-1]["usage"]["completion_tokens_details"]["reasoning_tokens"] == 1
    assert (scenario.answer, scenario.answers) == ("a b c", ["a b c", "d"])
    with pytest.raises(ValueError):
        stream_choices(["a"], finish_reason=["stop", "stop"])


def test_a_slow_first_request_and_an_echo_overlap_and_the_echo_is_not_held_back(fake):
    slow = threading.Thread(target=chat, args=(fake, "slow"), kwargs={"model": "fake/slow-first"})
    slow.start()
    while not fake.chat_received():
        time.sleep(0.005)
    assert chat(fake, "fast", model="fake/echo").status_code == 200
    slow.join(10)
    # The server notes a request's end after its last write, which the client may see first.
    deadline = time.monotonic() + 5
    while any(r.ended_at is None for r in fake.chat_received()) and time.monotonic() < deadline:
        time.sleep(0.01)
    slow_log, echo_log = fake.chat_received()
    assert slow_log.body["model"] == "fake/slow-first" and echo_log.body["model"] == "fake/echo"
    # the echo came and went during the slow request's silence, which comes before its first chunk
    assert slow_log.time < echo_log.time < echo_log.ended_at < slow_log.first_chunk_at < slow_log.ended_at
    assert _default_scenario(slow_log.body).steps[0] == Sleep(3.0)
    assert slow_log.disconnected_at is None and echo_log.disconnected_at is None


def test_the_log_says_when_the_client_hung_up(fake):
    fake.push(stream("word " * 200, token_rate=50))
    with chat(fake, stream=True) as r:
        lines = r.iter_lines()  # kept: a dropped generator would close the connection at once
        next(lines)
        leaving = time.monotonic()  # just before the client closes the connection
    assert fake.wait_for_disconnect(1, timeout=30)
    noticed = time.monotonic()  # the disconnect was counted: the record was stamped before that
    record = fake.chat_received()[-1]
    assert record.disconnected_at is not None and record.ended_at == record.disconnected_at
    # stamped between the client leaving and the count, not when the 4 s stream would have ended
    assert record.first_chunk_at < leaving <= record.disconnected_at <= noticed


def _data_url(fmt: str, size: tuple[int, int], mime: str) -> str:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, fmt)
    return f"data:{mime};base64,{base64.b64encode(buffer.getvalue()).decode()}"


def test_vision_says_what_images_it_received_across_the_whole_request(fake):
    def part(fmt, size, mime, detail):
        return {"type": "image_url", "image_url": {"url": _data_url(fmt, size, mime), "detail": detail}}

    messages = [
        {"role": "user", "content": [{"type": "text", "text": "first"}, part("PNG", (300, 200), "image/png", "auto")]},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": [{"type": "text", "text": "what now"},
                                     part("JPEG", (64, 48), "image/jpeg", "low"),
                                     part("WEBP", (33, 21), "image/webp", "high"),
                                     part("GIF", (7, 5), "image/gif", "auto")]},
    ]
    body = {"model": "fake/vision", "messages": messages, "stream": False}
    r = requests.post(f"{fake.base_url}/chat/completions", json=body, headers=AUTH, timeout=10)
    answer = r.json()["choices"][0]["message"]["content"]
    assert answer == ("Saw 4 images: image/png 300x200 detail=auto, image/jpeg 64x48 detail=low, "
                      "image/webp 33x21 detail=high, image/gif 7x5 detail=auto. Echo: what now")
    # every image costs prompt tokens (the words of both questions plus one image part each)
    assert r.json()["usage"]["prompt_tokens"] == 1 + 1 + 2 + 4 * 256


def test_vision_without_images_and_other_models_ignore_images(fake):
    r = chat(fake, "plain", stream_=False, model="fake/vision")
    assert r.json()["choices"][0]["message"]["content"] == "Saw 0 images. Echo: plain"
    content = [{"type": "text", "text": "look"},
               {"type": "image_url", "image_url": {"url": _data_url("PNG", (5, 5), "image/png")}}]
    r = chat(fake, content, stream_=False)
    assert r.json()["choices"][0]["message"]["content"] == "Echo: look"


# --- Continue and tool calls (issue 22) ---------------------------------------------------------


def post(fake, body: dict, **kwargs) -> requests.Response:
    return requests.post(f"{fake.base_url}/chat/completions", json={"model": "Qwen/Qwen3-8B", "stream": True, **body},
                         headers=AUTH, timeout=10, **kwargs)


def streamed(response: requests.Response) -> tuple[str, list[dict], str | None, dict]:
    """(the content, the assembled tool calls, the finish reason, the last usage) of a stream."""
    chunks = [json.loads(e) for e in sse_events(response.content)[:-1]]
    deltas = [c["choices"][0] for c in chunks if c["choices"]]
    calls: dict[int, dict] = {}
    for delta in (d["delta"] for d in deltas):
        for part in delta.get("tool_calls") or []:
            call = calls.setdefault(part["index"], {"name": "", "arguments": ""})
            call["name"] += (part.get("function") or {}).get("name") or ""
            call["arguments"] += (part.get("function") or {}).get("arguments") or ""
            call.setdefault("id", part.get("id"))
    text = "".join(d["delta"].get("content") or "" for d in deltas)
    return text, list(calls.values()), deltas[-1]["finish_reason"], chunks[-1]["usage"]


QUESTION = {"role": "user", "content": "one two three four five"}


def test_a_prefix_is_continued_and_counted_as_prompt(fake):
    cut, _, reason, _ = streamed(post(fake, {"messages": [QUESTION], "max_tokens": 3}))
    assert (cut, reason) == ("Echo: one two ", "length")
    rest, _, reason, usage = streamed(post(fake, {"messages": [QUESTION], "prefix": cut}))
    assert (rest, reason) == ("three four five", "stop")
    assert usage["prompt_tokens"] == 5 + 3  # the question's words and the prefix's
    # A trailing assistant message is not continued: the whole answer comes again.
    again, _, _, _ = streamed(post(fake, {"messages": [QUESTION, {"role": "assistant", "content": cut}]}))
    assert again == "Echo: one two three four five"


CALCULATOR = [{"type": "function", "function": {"name": "calculator", "parameters": {"type": "object"}}}]


def test_calc_calls_the_calculator_then_answers_with_its_result(fake):
    ask = {"role": "user", "content": "#fake:calc 6*7"}
    text, calls, reason, _ = streamed(post(fake, {"messages": [ask], "tools": CALCULATOR}))
    (call,) = calls
    assert (text, call["name"], json.loads(call["arguments"]), reason) == (
        "", "calculator", {"expression": "6*7"}, "tool_calls")
    answered = [ask, {"role": "assistant", "content": None, "tool_calls": [
        {"id": call["id"], "type": "function", "function": {"name": "calculator", "arguments": call["arguments"]}}]},
        {"role": "tool", "tool_call_id": call["id"], "content": "42"}]
    text, calls, reason, _ = streamed(post(fake, {"messages": answered, "tools": CALCULATOR}))
    assert (text, calls, reason) == ("The result is 42.", [], "stop")
    # Without a calculator on offer, no call.
    assert streamed(post(fake, {"messages": [ask]}))[0] == "No calculator was offered."


def test_tool_loop_never_stops_calling(fake):
    ask = {"role": "user", "content": "#fake:tool-loop go"}
    messages = [ask]
    for n in range(1, 4):
        _, (call,), reason, _ = streamed(post(fake, {"messages": messages, "tools": CALCULATOR}))
        assert reason == "tool_calls" and json.loads(call["arguments"]) == {"expression": f"{n} + 1"}
        messages += [{"role": "assistant", "content": None, "tool_calls": [
            {"id": call["id"], "type": "function", "function": {"name": "calculator", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": call["id"], "content": str(n + 1)}]


@pytest.mark.parametrize("messages", [
    [QUESTION, {"role": "tool", "tool_call_id": "call_1", "content": "42"}],  # answers no call
    [QUESTION, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "calculator", "arguments": "{}"}}]},
     {"role": "user", "content": "and?"}],  # a call left unanswered
    [QUESTION, {"role": "assistant", "content": None, "tool_calls": [
        {"type": "function", "function": {"name": "calculator", "arguments": "{}"}}]}],  # no id
])
def test_a_malformed_tool_exchange_is_refused(fake, messages):
    response = post(fake, {"messages": messages})
    assert response.status_code == 400
    assert response.json()["code"] == 20015
