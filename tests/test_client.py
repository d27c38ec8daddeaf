"""SiliconFlowClient against the fake server over real HTTP: events, request
bodies, retries, stopping, timeouts and the side endpoints."""

from __future__ import annotations

import functools
import json
import threading
import time

import pytest

from sfui.api import errors, retries
from sfui.api.client import SiliconFlowClient
from sfui.api.events import Finished, ReasoningDelta, Retrying, TextDelta, ToolCallDelta, Usage, UsageUpdate
from sfui.api.retries import JITTER, MAX_RETRY_WAIT
from tests.support import TEST_KEY
from tests.support.launch import free_port
from tests.support.sfserver import (
    Chunk,
    Done,
    FakeSiliconFlow,
    Scenario,
    error,
    non_stream,
    stall_after,
    stream,
    think_tags_stream,
)

MODEL = "Qwen/Qwen3-8B"
HELLO = [{"role": "user", "content": "hello"}]
WAIT = 5.0  # generous: how long a test waits for something that should be near-instant


def of_type(events: list, cls: type) -> list:
    return [e for e in events if isinstance(e, cls)]


def texts(events: list, cls: type = TextDelta) -> list[str]:
    return [e.text for e in of_type(events, cls)]


def chunk(*choices: dict, **fields) -> Chunk:
    """A hand-made stream chunk."""
    return Chunk({"object": "chat.completion.chunk", "model": "fake/echo", "choices": list(choices), **fields})


def choice(delta: dict, finish_reason: str | None = None, index: int = 0) -> dict:
    return {"index": index, "delta": delta, "finish_reason": finish_reason}


def usage_on_chunks(scenario) -> list[dict]:
    return [step.obj["usage"] for step in scenario.steps if isinstance(step, Chunk) and "usage" in step.obj]


# --- stream events ---------------------------------------------------------------------


def test_answer_text(fake, client):
    fake.push(stream("Hello big world"))
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    assert texts(events) == ["Hello ", "big ", "world"]
    assert s.text == "Hello big world"
    assert of_type(events, Finished) == [Finished("stop")]
    assert s.finish_reason == "stop"
    assert s.model == "fake/echo"
    assert s.trace_id == fake.last_trace_id


def test_reasoning_content_comes_first_and_separately(fake, client):
    scenario = stream("The answer is 4.", reasoning="Two plus two. Four.")
    fake.push(scenario)
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    assert texts(events, ReasoningDelta) == ["Two ", "plus ", "two. ", "Four."]
    assert (s.reasoning, s.text) == (scenario.reasoning, scenario.answer)
    kinds = [type(e) for e in events if isinstance(e, (TextDelta, ReasoningDelta))]
    assert kinds == sorted(kinds, key=lambda k: k is TextDelta)  # all reasoning before any text


def test_inline_think_tags_split_across_chunks(fake, client):
    scenario = think_tags_stream("I should greet back.", "Hi there!")
    fake.push(scenario)
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    assert (s.reasoning, s.text) == ("I should greet back.", "Hi there!")
    assert "".join(texts(events)) == "Hi there!"
    assert "".join(texts(events, ReasoningDelta)) == "I should greet back."


def test_think_tags_named_scenario(fake, client):
    s = client.chat_stream("fake/think-tags", [{"role": "user", "content": "hi"}])
    list(s)
    assert s.reasoning == "The user said 'hi'. I will echo it."
    assert s.text == "Echo: hi"


def test_tool_calls_streamed(fake, client):
    s = client.chat_stream("fake/tools", HELLO)
    events = list(s)
    assert [(c.name, json.loads(c.arguments)) for c in s.tool_calls] == [
        ("get_weather", {"city": "Paris", "unit": "celsius"}),
        ("get_time", {"timezone": "Europe/Paris"}),
    ]
    assert all(c.id and c.id.startswith("call_") for c in s.tool_calls)
    assert s.finish_reason == "tool_calls" and s.text == ""
    deltas = of_type(events, ToolCallDelta)
    assert len(deltas) > 2  # arguments arrived in fragments
    assert "".join(d.arguments for d in deltas if d.index == 1) == s.tool_calls[1].arguments


def test_tool_call_fragments_are_assembled_by_index(fake, client):
    def call(index: int, **fields) -> Chunk:
        return chunk(choice({"tool_calls": [{"index": index, **fields}]}))

    fake.push(Scenario(steps=[
        call(0, id="call_a", type="function", function={"name": "get_weather", "arguments": ""}),
        call(1, id="call_b", type="function", function={"name": "get_time", "arguments": ""}),
        call(0, function={"arguments": '{"city":'}),
        call(1, function={"arguments": '{"tz":'}),
        call(0, function={"arguments": ' "Paris"}'}),
        call(1, function={"arguments": ' "UTC"}'}),
        chunk(choice({}, "tool_calls")),
        Done(),
    ]))
    s = client.chat_stream(MODEL, HELLO)
    list(s)
    assert [(c.id, c.name, c.arguments) for c in s.tool_calls] == [
        ("call_a", "get_weather", '{"city": "Paris"}'),
        ("call_b", "get_time", '{"tz": "UTC"}'),
    ]


def test_cumulative_usage_last_wins_never_summed(fake, client):
    scenario = stream("one two three four five")
    fake.push(scenario)
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    on_the_wire = usage_on_chunks(scenario)
    assert len(on_the_wire) > 1  # SiliconFlow: usage on every chunk
    last = Usage.from_api(on_the_wire[-1])
    assert s.usage == last
    assert of_type(events, UsageUpdate)[-1].usage == last
    assert last.completion_tokens == 5
    summed = sum(u["completion_tokens"] for u in on_the_wire)
    assert summed != last.completion_tokens  # the test would catch a client that sums


def test_reasoning_tokens_are_read_from_usage_details(fake, client):
    fake.push(stream("Four.", reasoning="Two plus two."))
    s = client.chat_stream(MODEL, HELLO)
    list(s)
    assert (s.usage.reasoning_tokens, s.usage.completion_tokens) == (3, 4)


def test_openai_style_final_usage_chunk(fake, client):
    scenario = stream("a b c", usage="final")
    fake.push(scenario)
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    assert scenario.steps[-2].obj["choices"] == []  # the usage-only chunk
    updates = of_type(events, UsageUpdate)
    assert len(updates) == 1 and events.index(updates[0]) > events.index(Finished("stop"))
    assert s.usage == Usage.from_api(usage_on_chunks(scenario)[-1]) == Usage(10, 3, 13, 0)
    assert s.text == "a b c"


def test_finish_reason_length(fake, client):
    s = client.chat_stream(MODEL, [{"role": "user", "content": "one two three four five"}], max_tokens=3)
    events = list(s)
    assert s.finish_reason == "length"
    assert of_type(events, Finished) == [Finished("length")]
    assert s.text == "Echo: one two "


def test_choices_are_split_by_index_and_the_totals_are_the_first_ones(fake, client):
    fake.push(Scenario(steps=[
        chunk(choice({"content": "first "}), choice({"content": "second "}, index=1)),
        chunk(choice({"content": "choice"}, "stop"), choice({"content": "choice"}, "length", index=1)),
        Done(),
    ]))
    s = client.chat_stream(MODEL, HELLO, n=2)
    events = list(s)
    assert s.text == "first choice"
    assert [(r.text, r.finish_reason) for r in s.choices] == [("first choice", "stop"), ("second choice", "length")]
    assert s.reply is s.choices[0]
    assert [e.choice for e in of_type(events, TextDelta)] == [0, 1, 0, 1]
    assert of_type(events, Finished) == [Finished("stop", 0), Finished("length", 1)]


def test_n_interleaved_choices_from_the_fake_server(fake, client):
    s = client.chat_stream("fake/echo", HELLO, n=3)
    events = list(s)
    assert fake.chat_requests()[-1]["n"] == 3
    assert [r.text for r in s.choices] == [f"Echo (choice {i}): hello" for i in range(3)]
    assert [r.finish_reason for r in s.choices] == ["stop"] * 3
    # Usage is the request's: every choice's tokens, and the same total on every choice's reply.
    total = of_type(events, UsageUpdate)[-1].usage
    assert total.completion_tokens == 3 * 4
    assert [r.usage for r in s.choices] == [total] * 3
    first_tokens = [e.choice for e in of_type(events, TextDelta)][:3]
    assert first_tokens == [0, 1, 2]  # interleaved, not one answer after the other


def test_a_reply_held_before_the_stream_is_the_one_it_fills(fake, client):
    s = client.chat_stream("fake/echo", HELLO, n=2)
    held = s.reply_for(1)
    list(s)
    assert s.choices[1] is held and held.text == "Echo (choice 1): hello"


def test_a_choice_sent_before_a_lower_one_still_lands_in_its_place(fake, client):
    fake.push(Scenario(steps=[chunk(choice({"content": "two"}, "stop", index=2)),
                              chunk(choice({"content": "zero"}, "stop")), Done()]))
    s = client.chat_stream(MODEL, HELLO, n=3)
    list(s)
    assert [r.text for r in s.choices] == ["zero", "", "two"]


@pytest.mark.parametrize("index", [128, 10**9, -1, "1", True, 1.5])
def test_a_bad_choice_index_is_a_malformed_response(fake, client, index):
    fake.push(Scenario(steps=[chunk(choice({"content": "x"}, index=index)), Done()]))
    s = client.chat_stream(MODEL, HELLO)
    with pytest.raises(errors.MalformedResponseError):
        list(s)
    assert len(s.choices) == 1  # nothing was allocated for it


def test_think_tags_are_split_per_choice(fake, client):
    pieces = [("<thi", "<think>"), ("nk>pondering", "musing</think>"), ("</think>Yes", "No")]
    steps = [chunk(choice({"content": a}), choice({"content": b}, index=1)) for a, b in pieces]
    fake.push(Scenario(steps=[*steps, chunk(choice({}, "stop"), choice({}, "stop", index=1)), Done()]))
    s = client.chat_stream(MODEL, HELLO, n=2)
    list(s)
    assert [(r.reasoning, r.text) for r in s.choices] == [("pondering", "Yes"), ("musing", "No")]


def test_a_stream_without_done_is_incomplete_while_a_choice_is_unfinished(fake, client):
    fake.push(Scenario(steps=[chunk(choice({"content": "a"}, "stop"), choice({"content": "b"}, index=1))]))
    s = client.chat_stream(MODEL, HELLO, n=2)
    with pytest.raises(errors.IncompleteStreamError):
        list(s)
    assert [r.text for r in s.choices] == ["a", "b"]  # what arrived is kept
    fake.push(Scenario(steps=[chunk(choice({"content": "a"}, "stop"), choice({"content": "b"}, "stop", index=1))]))
    s = client.chat_stream(MODEL, HELLO, n=2)
    list(s)  # every choice finished: the missing [DONE] is forgiven, as for one choice
    assert [r.finish_reason for r in s.choices] == ["stop", "stop"]


def test_not_streamed_n_choices(fake, client):
    result = client.chat("fake/reasoning", HELLO, n=2)
    assert [r.text for r in result.choices] == ["Echo (choice 0): hello", "Echo (choice 1): hello"]
    assert all("(choice 1)" in r.reasoning for r in result.choices[1:])
    assert result.choices[0].usage == result.choices[1].usage and result.usage.reasoning_tokens > 0


def test_final_only_usage_reaches_every_choice(fake, client):
    s = client.chat_stream("fake/final-usage", HELLO, n=2)
    list(s)
    assert s.choices[0].usage is not None and s.choices[0].usage == s.choices[1].usage
    assert s.usage.completion_tokens == 2 * 4


def test_decoder_corpus_through_the_client(fake, client):
    s = client.chat_stream("fake/keepalive", HELLO)
    list(s)
    assert s.text == "Keep-alive the literal data: inside and data: [DONE] too, multi-line 你好 done."


def test_invalid_utf8_does_not_cost_the_answer(fake, client):
    s = client.chat_stream("fake/invalid-utf8", HELLO)
    list(s)
    assert s.text == "Before bad \ufffd\ufffd bytes after them."


def test_huge_single_delta(fake, client):
    s = client.chat_stream("fake/huge", HELLO)
    list(s)
    assert len(s.text) == 1_000_000 and s.text.startswith("0123456789")


def test_non_streaming_chat(fake, client):
    scenario = non_stream("The answer is 4.", reasoning="Two plus two.")
    fake.push(scenario)
    result = client.chat(MODEL, HELLO, temperature=0.2)
    assert fake.chat_requests()[-1]["stream"] is False
    assert (result.text, result.reasoning) == (scenario.answer, scenario.reasoning)
    assert result.finish_reason == "stop"
    assert result.usage == Usage(10, 7, 17, 3)
    assert result.trace_id == fake.last_trace_id


def test_non_streaming_tool_calls_and_think_tags(fake, client):
    fake.push(non_stream("", tool_calls=[{"name": "get_time", "arguments": {"tz": "UTC"}, "id": "call_1"}]))
    result = client.chat(MODEL, HELLO)
    assert [(c.id, c.name, c.arguments) for c in result.tool_calls] == [("call_1", "get_time", '{"tz": "UTC"}')]
    assert result.finish_reason == "tool_calls"

    result = client.chat("fake/think-tags", [{"role": "user", "content": "hi"}])
    assert (result.reasoning, result.text) == ("The user said 'hi'. I will echo it.", "Echo: hi")


# --- request fields --------------------------------------------------------------------------

TOOLS = [{"type": "function", "function": {"name": "get_time", "description": "Current time",
                                           "parameters": {"type": "object", "properties": {}}}}]


def test_every_field_is_sent_exactly(fake, client):
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}]
    params = dict(max_tokens=256, stop=["END", "STOP", "###", "\n\n"], temperature=0.3, top_p=0.9, top_k=40,
                  frequency_penalty=0.5, n=1, response_format={"type": "json_object"}, tools=TOOLS,
                  enable_thinking=False, thinking_budget=1024, min_p=0.05)
    list(client.chat_stream(MODEL, messages, **params))
    assert fake.chat_requests()[-1] == {"model": MODEL, "messages": messages, "stream": True, **params}


def test_unset_fields_are_not_sent(fake, client):
    list(client.chat_stream(MODEL, HELLO, temperature=None, top_k=None, enable_thinking=None))
    assert fake.chat_requests()[-1] == {"model": MODEL, "messages": HELLO, "stream": True}


def test_falsy_but_set_values_are_sent(fake, client):
    list(client.chat_stream(MODEL, HELLO, temperature=0, enable_thinking=False, frequency_penalty=0.0))
    body = fake.chat_requests()[-1]
    assert (body["temperature"], body["enable_thinking"], body["frequency_penalty"]) == (0, False, 0.0)


def test_stop_as_a_string(fake, client):
    list(client.chat_stream(MODEL, HELLO, stop="END"))
    assert fake.chat_requests()[-1]["stop"] == "END"


def test_five_stop_sequences_raise_before_sending(fake, client):
    with pytest.raises(ValueError, match="at most 4"):
        client.chat_stream(MODEL, HELLO, stop=["a", "b", "c", "d", "e"])
    assert fake.chat_requests() == []


def test_unknown_parameter_is_refused(client):
    with pytest.raises(TypeError, match="temprature"):
        client.chat_stream(MODEL, HELLO, temprature=0.5)


def test_vision_parts_with_data_urls_pass_through_unchanged(fake, client):
    image = "data:image/png;base64," + (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    )
    messages = [{"role": "user", "content": [
        {"type": "text", "text": "What is in this picture?"},
        {"type": "image_url", "image_url": {"url": image, "detail": "low"}},
    ]}]
    s = client.chat_stream("Qwen/Qwen2.5-VL-72B-Instruct", messages)
    list(s)
    assert fake.chat_requests()[-1]["messages"] == messages
    assert s.text == "Echo: What is in this picture?"


def test_authorization_header(fake, client):
    list(client.chat_stream(MODEL, HELLO))
    headers = fake.received[-1].headers
    assert headers["Authorization"] == f"Bearer {TEST_KEY}"
    assert "cookie" not in headers


# --- retries ---------------------------------------------------------------------------------


def test_retry_after_is_honoured(fake, client):
    fake.push(error(429, headers={"Retry-After": "0.2"}), stream("Made it."))
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    retries = of_type(events, Retrying)
    assert len(retries) == 1
    assert retries[0].delay == pytest.approx(0.2)
    assert isinstance(retries[0].error, errors.RateLimitError) and retries[0].error.retry_after == pytest.approx(0.2)
    assert (retries[0].attempt, retries[0].max_retries) == (1, 2)
    assert s.text == "Made it."
    assert len(fake.chat_requests()) == 2


@pytest.mark.parametrize("status", [429, 500, 503, 504])
def test_retryable_statuses_are_retried(fake, client, status):
    fake.push(error(status), stream("Second time lucky."))
    s = client.chat_stream(MODEL, HELLO)
    events = list(s)
    retries = of_type(events, Retrying)
    assert len(retries) == 1 and retries[0].error.status == status
    assert events.index(retries[0]) == 0  # before any token
    assert s.text == "Second time lucky."
    assert len(fake.chat_requests()) == 2


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404])
def test_client_errors_are_never_retried(fake, client, status):
    fake.push(error(status), stream("must not be reached"))
    events = []
    with pytest.raises(errors.APIStatusError) as caught:
        for event in client.chat_stream(MODEL, HELLO):
            events.append(event)
    assert caught.value.status == status
    assert events == []
    assert len(fake.chat_requests()) == 1


def test_retries_are_bounded_and_back_off(fake, monkeypatch):
    without_jitter = functools.partial(retries.retry_delay, random=lambda: 0.0)
    monkeypatch.setattr(retries, "retry_delay", without_jitter)
    client = SiliconFlowClient(TEST_KEY, fake.base_url, max_retries=2, backoff_factor=0.05)
    events = []
    with pytest.raises(errors.OverloadedError) as caught:
        for event in client.chat_stream("fake/error-503", HELLO):
            events.append(event)
    assert len(fake.chat_requests()) == 3
    assert [(e.attempt, e.max_retries) for e in events] == [(1, 2), (2, 2)]
    assert [e.delay for e in events] == pytest.approx([0.05, 0.1])  # doubling
    assert all(isinstance(e.error, errors.OverloadedError) for e in events)
    assert caught.value.trace_id == fake.last_trace_id


def test_backoff_waits_are_jittered_below_the_doubling(fake):
    client = SiliconFlowClient(TEST_KEY, fake.base_url, max_retries=2, backoff_factor=0.05)
    with pytest.raises(errors.OverloadedError):
        events = []
        for event in client.chat_stream("fake/error-503", HELLO):
            events.append(event)
    for event, full in zip(events, (0.05, 0.1), strict=True):
        assert full * (1 - JITTER) <= event.delay <= full


def test_retry_after_beyond_the_limit_is_not_waited_for(fake, client):
    wait = str(int(MAX_RETRY_WAIT * 2))
    fake.push(error(429, headers={"Retry-After": wait}), stream("must not be reached"))
    with pytest.raises(errors.RateLimitError) as caught:
        list(client.chat_stream(MODEL, HELLO))
    assert caught.value.retry_after == float(wait)
    assert len(fake.chat_requests()) == 1


def test_connection_refused_is_retried_then_raised():
    client = SiliconFlowClient(TEST_KEY, f"http://127.0.0.1:{free_port()}/v1", max_retries=2, backoff_factor=0.01)
    events = []
    with pytest.raises(errors.ConnectionRefused):
        for event in client.chat_stream(MODEL, HELLO):
            events.append(event)
    assert [type(e.error) for e in events] == [errors.ConnectionRefused] * 2
    assert [e.attempt for e in events] == [1, 2]


def test_connection_refused_then_the_server_comes_up():
    port = free_port()
    client = SiliconFlowClient(TEST_KEY, f"http://127.0.0.1:{port}/v1", max_retries=2, backoff_factor=0.2)
    late = FakeSiliconFlow(api_key=TEST_KEY, port=port)
    try:
        s = client.chat_stream(MODEL, HELLO)
        events = []
        for event in s:
            events.append(event)
            if isinstance(event, Retrying):
                late.start()  # during the backoff wait
        assert [type(e.error) for e in of_type(events, Retrying)] == [errors.ConnectionRefused]
        assert s.text == "Echo: hello"
        assert len(late.chat_requests()) == 1
    finally:
        late.stop()


def test_close_during_a_retry_wait_ends_at_once(fake, client):
    fake.push(error(429, headers={"Retry-After": "30"}), stream("must not be reached"))
    s = client.chat_stream(MODEL, HELLO)
    seen: list = []

    def consume():
        for event in s:
            seen.append(event)
            if isinstance(event, Retrying):
                threading.Thread(target=s.close).start()

    reader = threading.Thread(target=consume)
    reader.start()
    reader.join(WAIT)
    assert not reader.is_alive()  # did not sit out the 30 s
    assert [type(e) for e in seen] == [Retrying]
    assert len(fake.chat_requests()) == 1


# --- stopping -------------------------------------------------------------------------------


def first_text(stream) -> TextDelta:
    return next(e for e in stream if isinstance(e, TextDelta))


def test_breaking_out_of_the_loop_disconnects(fake, client):
    s = client.chat_stream("fake/slow", HELLO)
    for event in s:
        if isinstance(event, TextDelta):
            break
    assert fake.wait_for_disconnect(timeout=WAIT)
    assert s.cancelled


def test_leaving_the_with_block_disconnects(fake, client):
    with client.chat_stream("fake/slow", HELLO) as s:
        events = iter(s)
        assert isinstance(first_text(events), TextDelta)
    assert fake.wait_for_disconnect(timeout=WAIT)


def read_in_thread(s) -> tuple[threading.Thread, list, list]:
    """Iterate ``s`` in a thread; returns (thread, events, exceptions raised)."""
    events: list = []
    raised: list = []

    def consume():
        try:
            for event in s:
                events.append(event)
        except BaseException as exc:  # noqa: BLE001 - the test inspects whatever escapes
            raised.append(exc)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    return thread, events, raised


def wait_until(condition, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.parametrize("scenario", ["slow", "stall"])
def test_close_from_another_thread_while_a_read_is_blocked(fake, scenario):
    # A long read timeout: only close() can end these reads within the test's waits.
    client = SiliconFlowClient(TEST_KEY, fake.base_url, read_timeout=120)
    s = client.chat_stream(f"fake/{scenario}", HELLO)
    thread, events, raised = read_in_thread(s)
    assert wait_until(lambda: len(of_type(events, TextDelta)) >= 3)
    time.sleep(0.1)  # let the reader block in the next read
    s.close()
    assert fake.wait_for_disconnect(timeout=WAIT)
    thread.join(WAIT)
    assert not thread.is_alive()
    assert raised == []  # a requested stop is not an error
    assert s.cancelled and s.text.strip()


# --- timeouts -------------------------------------------------------------------------------


def test_default_timeouts():
    connect, read = SiliconFlowClient(TEST_KEY).timeout
    assert connect == pytest.approx(10.0)
    assert read >= 300.0  # reasoning models think for minutes before the first token


def test_read_timeout_is_configurable(fake):
    client = SiliconFlowClient(TEST_KEY, fake.base_url, read_timeout=0.5, max_retries=0)
    assert client.timeout[1] == 0.5
    fake.push(stall_after(2, 300))
    s = client.chat_stream(MODEL, HELLO)
    with pytest.raises(errors.ReadTimeoutError, match="0.5 s"):
        list(s)
    assert s.text == "The quick "


def test_read_timeout_is_per_read_not_a_total_deadline(fake):
    # 0.2 s between chunks, 2.4 s in all: longer than the 2 s read timeout in
    # total, yet every gap is a tenth of it (a margin for a loaded machine).
    client = SiliconFlowClient(TEST_KEY, fake.base_url, read_timeout=2.0)
    fake.push(stream(["tick "] * 12, token_rate=5))
    s = client.chat_stream(MODEL, HELLO)
    list(s)
    assert s.text == "tick " * 12


# --- other endpoints -----------------------------------------------------------------------


def test_list_models(fake, client):
    assert client.list_models() == fake.models
    request = fake.received[-1]
    assert (request.method, request.path, request.query) == ("GET", "/v1/models", {"sub_type": ["chat"]})
    assert request.headers["Authorization"] == f"Bearer {TEST_KEY}"


def test_list_models_with_a_wrong_key(fake):
    with pytest.raises(errors.AuthenticationError):
        SiliconFlowClient("sk-wrong", fake.base_url).list_models()


def test_balance(fake, client):
    assert client.balance() == 88.88
    assert fake.received[-1].path == "/v1/user/info"


def test_balance_is_none_quietly_on_410(fake, client):
    fake.user_info_status = 410
    assert client.balance() is None
    assert fake.received[-1].path == "/v1/user/info"  # it did ask


def test_balance_is_none_quietly_when_unreachable():
    assert SiliconFlowClient(TEST_KEY, f"http://127.0.0.1:{free_port()}/v1").balance() is None


def test_user_info_keeps_the_amounts_as_the_api_wrote_them(fake, client):
    fake.total_balance = "1234.50"
    info = client.user_info()
    assert (info.total_balance, info.balance, info.charge_balance) == ("1234.50", "0.88", "88.00")
    request = fake.received[-1]
    assert (request.method, request.path) == ("GET", "/v1/user/info")
    assert request.headers["Authorization"] == f"Bearer {TEST_KEY}"


def test_user_info_raises_typed_errors(fake, client):
    fake.user_info_status = 410  # reported in 2026
    with pytest.raises(errors.APIStatusError) as gone:
        client.user_info()
    assert gone.value.status == 410
    fake.user_info_status = 200
    with pytest.raises(errors.AuthenticationError):
        SiliconFlowClient("sk-wrong", fake.base_url).user_info()
    with pytest.raises(errors.NotFoundError):
        SiliconFlowClient(TEST_KEY, fake.base_url.replace("/v1", "/v2")).user_info()
    with pytest.raises(errors.ConnectionRefused):
        SiliconFlowClient(TEST_KEY, f"http://127.0.0.1:{free_port()}/v1").user_info()


def test_user_info_without_a_total_is_malformed_and_balance_is_none(fake, client):
    fake.total_balance = None  # "totalBalance": null
    with pytest.raises(errors.MalformedResponseError, match="totalBalance"):
        client.user_info()
    assert client.balance() is None


def test_a_stream_closed_before_it_starts_sends_nothing(fake, client):
    s = client.chat_stream("fake/echo", HELLO)
    s.close()
    assert list(s) == []
    assert fake.chat_requests() == []
