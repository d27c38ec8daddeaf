"""One typed error hierarchy for HTTP errors, network failures and broken streams.

Every failure is produced for real: the fake server over HTTP, a closed port,
an unresolvable host name, a listening socket that never accepts.
"""

from __future__ import annotations

import socket

import pytest

from sfui import SiliconFlowClient
from sfui.api import errors
from tests.support import TEST_KEY
from tests.support.launch import free_port
from tests.support.sfserver import (
    ERROR_BODIES,
    Raw,
    Scenario,
    bare_error_after,
    drop_after,
    error,
    html_page,
    malformed_after,
    no_done,
    stall_after,
)

MESSAGES = [{"role": "user", "content": "hello"}]


def no_retry_client(base_url: str, **kwargs) -> SiliconFlowClient:
    """A client that surfaces the first failure as it is."""
    return SiliconFlowClient(TEST_KEY, base_url, max_retries=0, **kwargs)


def assert_user_message(error: errors.SiliconFlowError, en: str, zh: str) -> None:
    """Both languages say what to do (the key phrase) and carry the support details."""
    english, chinese = error.user_message("en"), error.user_message("zh")
    assert en.lower() in english.lower(), english
    assert zh in chinese, chinese
    for text in (english, chinese):
        if error.status is not None:
            assert f"HTTP {error.status}" in text
        if error.code is not None:
            assert str(error.code) in text
        if error.trace_id:
            assert error.trace_id in text


# --- HTTP status errors ---------------------------------------------------------------

# status: (class, SiliconFlow code, message, what-to-do phrase in English, in Chinese)
STATUS_CASES = {
    400: (errors.BadRequestError, 20012, "Model does not exist. Please check it carefully.", "pick another model",
          "换一个模型"),
    401: (errors.AuthenticationError, None, "Invalid token", "check your siliconflow api key", "API 密钥"),
    402: (errors.InsufficientBalanceError, 30001, "Sorry, your account balance is insufficient", "top up", "充值"),
    403: (errors.PermissionDeniedError, None, "Forbidden", "top up", "实名认证"),
    404: (errors.NotFoundError, None, "404 page not found", "base url", "接口地址"),
    429: (errors.RateLimitError, None, "Request was rejected due to rate limiting. Details:TPM limit reached.",
          "wait a moment", "稍等"),
    500: (errors.ServerError, 50000, "Internal server error", "other host", "另一个地址"),
    503: (errors.OverloadedError, 50505, "Model service overloaded. Please try again later.", "pick another model",
          "换一个模型"),
    504: (errors.GatewayTimeoutError, None, "upstream timeout", "other host", "另一个地址"),
}


@pytest.mark.parametrize("status", sorted(STATUS_CASES))
def test_http_error_statuses(fake, status):
    cls, code, message, en, zh = STATUS_CASES[status]
    fake.push(error(status))
    stream = no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES)
    with pytest.raises(errors.APIStatusError) as caught:
        list(stream)
    exc = caught.value
    assert type(exc) is cls
    assert (exc.status, exc.code, exc.message) == (status, code, message)
    assert exc.trace_id == fake.last_trace_id and exc.trace_id
    assert_user_message(exc, en, zh)


def test_the_bodies_cover_siliconflows_odd_shapes():
    # The cases above only prove something if the fake really sends these shapes.
    assert ERROR_BODIES[401][0] == b'"Invalid token"'  # a bare JSON string
    assert ERROR_BODIES[404][1].startswith("text/plain")


def test_http_error_from_non_streaming_chat_is_the_same_type(fake):
    fake.push(error(402))
    with pytest.raises(errors.InsufficientBalanceError) as caught:
        no_retry_client(fake.base_url).chat("Qwen/Qwen3-8B", MESSAGES)
    assert caught.value.code == 30001
    assert caught.value.trace_id == fake.last_trace_id


def test_wrong_key_is_an_authentication_error(fake):
    client = SiliconFlowClient("sk-wrong", fake.base_url, max_retries=0)
    with pytest.raises(errors.AuthenticationError) as caught:
        list(client.chat_stream("Qwen/Qwen3-8B", MESSAGES))
    assert caught.value.message == "Invalid token"


def test_a_403_about_balance_is_a_balance_error(fake):
    fake.push(error(403, {"code": 30011, "message": "Your balance is not enough for this model", "data": None}))
    with pytest.raises(errors.InsufficientBalanceError):
        list(no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES))


def test_openai_style_error_body(fake):
    fake.push(error(400, {"error": {"message": "bad temperature", "type": "invalid_request_error", "code": 1234}}))
    with pytest.raises(errors.BadRequestError) as caught:
        list(no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES))
    assert (caught.value.code, caught.value.message) == (1234, "bad temperature")


@pytest.mark.parametrize(
    "body, expected",
    [
        (b'{"code":20012,"message":"Model does not exist.","data":null}', (20012, "Model does not exist.")),
        (b'"Invalid token"', (None, "Invalid token")),
        (b'{"error":{"message":"nope","code":"42"}}', (42, "nope")),
        (b'{"code":"not a number","msg":"odd"}', (None, "odd")),
        (b"404 page not found", (None, "404 page not found")),
        (b"  <html><body>502 Bad Gateway</body></html>", (None, "(HTML page)")),
        (b"", (None, "")),
    ],
)
def test_parse_error_body(body, expected):
    assert errors.parse_error_body(body) == expected


# --- network errors ----------------------------------------------------------------------


def test_connection_refused():
    client = no_retry_client(f"http://127.0.0.1:{free_port()}/v1", connect_timeout=5)
    with pytest.raises(errors.ConnectionRefused) as caught:
        list(client.chat_stream("Qwen/Qwen3-8B", MESSAGES))
    exc = caught.value
    assert isinstance(exc, errors.APIConnectionError) and exc.retryable
    assert (exc.status, exc.code, exc.trace_id) == (None, None, None)
    assert_user_message(exc, "check your network", "检查网络")
    assert_user_message(exc, "other host", "另一个地址")


def test_dns_failure():
    # The .invalid TLD never resolves (RFC 2606); offline, the resolver fails fast.
    client = no_retry_client("http://nonexistent.invalid/v1", connect_timeout=2)
    with pytest.raises(errors.DNSError) as caught:
        list(client.chat_stream("Qwen/Qwen3-8B", MESSAGES))
    assert caught.value.status is None
    assert_user_message(caught.value, "check the base url for typos", "拼写")


@pytest.fixture
def unaccepting_port():
    """A port whose connects never complete, without leaving the machine.

    The listener never calls accept() and its backlog is 0: once one
    connection fills the accept queue, Linux drops further SYNs, so a new
    connect hangs until the client's connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in fillers + [listener]:
        sock.close()


def test_connect_timeout(unaccepting_port):
    client = no_retry_client(f"http://127.0.0.1:{unaccepting_port}/v1", connect_timeout=0.3, read_timeout=30)
    with pytest.raises(errors.ConnectTimeoutError) as caught:
        list(client.chat_stream("Qwen/Qwen3-8B", MESSAGES))
    assert caught.value.retryable
    assert_user_message(caught.value, "check your network", "检查网络")


# --- failures inside a 200 stream --------------------------------------------------------

RETRY_HINT = ("retry", "重试")

# scenario builder: (class, SiliconFlow code, phrase in English, in Chinese)
STREAM_CASES = {
    "read timeout": (lambda: stall_after(5, 300), errors.ReadTimeoutError, None, *RETRY_HINT),
    "dropped": (lambda: drop_after(5), errors.IncompleteStreamError, None, *RETRY_HINT),
    "no [DONE]": (lambda: no_done(5), errors.IncompleteStreamError, None, *RETRY_HINT),
    "bare error line": (lambda: bare_error_after(5), errors.UpstreamStreamError, 60000, *RETRY_HINT),
    "malformed JSON": (lambda: malformed_after(5), errors.MalformedResponseError, None, "OpenAI-compatible",
                       "兼容 OpenAI"),
}


@pytest.mark.parametrize("case", list(STREAM_CASES))
def test_stream_failures_keep_the_text_so_far(fake, case):
    build, cls, code, en, zh = STREAM_CASES[case]
    scenario = build()
    fake.push(scenario)
    # A short read timeout only where the stall needs it: elsewhere it could fire on a busy machine.
    read_timeout = 0.5 if cls is errors.ReadTimeoutError else 30
    # Retries allowed, yet the failure must come after the tokens were shown, not trigger a retry.
    client = SiliconFlowClient(TEST_KEY, fake.base_url, max_retries=2, backoff_factor=0.01, read_timeout=read_timeout)
    stream = client.chat_stream("Qwen/Qwen3-8B", MESSAGES)
    with pytest.raises(errors.StreamError) as caught:
        for _ in stream:
            pass
    exc = caught.value
    assert type(exc) is cls
    assert (exc.status, exc.code) == (200, code)
    assert exc.message
    assert exc.trace_id == fake.last_trace_id == stream.trace_id
    assert stream.text == scenario.answer  # the five tokens before the failure
    assert_user_message(exc, en, zh)
    assert len(fake.chat_requests()) == 1  # text was shown: never retried


def test_bare_error_line_carries_the_servers_message(fake):
    fake.push(bare_error_after(2))
    with pytest.raises(errors.UpstreamStreamError) as caught:
        list(no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES))
    assert caught.value.message == "Request processing has failed due to some unknown error."
    # Catchable both as a broken stream and as a server-reported error.
    assert isinstance(caught.value, errors.StreamError)
    assert isinstance(caught.value, errors.APIStatusError)


def test_bare_error_line_before_any_token(fake):
    fake.push(bare_error_after(0))
    stream = no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES)
    with pytest.raises(errors.UpstreamStreamError):
        list(stream)
    assert stream.text == ""


def test_html_page_instead_of_sse(fake):
    fake.push(html_page())
    with pytest.raises(errors.MalformedResponseError) as caught:
        list(no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES))
    exc = caught.value
    assert (exc.status, exc.trace_id) == (200, fake.last_trace_id)
    assert "HTML" in exc.message
    assert_user_message(exc, "base url", "接口地址")


def test_html_lines_inside_an_event_stream(fake):
    # A proxy that keeps text/event-stream but sends its own error page.
    fake.push(Scenario(steps=[Raw(b"<html><body>Bad gateway</body></html>\n")]))
    with pytest.raises(errors.MalformedResponseError) as caught:
        list(no_retry_client(fake.base_url).chat_stream("Qwen/Qwen3-8B", MESSAGES))
    assert caught.value.trace_id == fake.last_trace_id


def test_every_error_is_a_siliconflow_error():
    classes = [errors.BadRequestError, errors.AuthenticationError, errors.InsufficientBalanceError,
               errors.PermissionDeniedError, errors.NotFoundError, errors.RateLimitError, errors.ServerError,
               errors.OverloadedError, errors.GatewayTimeoutError, errors.ConnectionRefused, errors.DNSError,
               errors.ConnectTimeoutError, errors.ReadTimeoutError, errors.IncompleteStreamError,
               errors.MalformedResponseError, errors.UpstreamStreamError]
    for cls in classes:
        assert issubclass(cls, errors.SiliconFlowError)
        assert cls.title("en") != errors.SiliconFlowError.title("en"), cls  # each explains itself
    retryable = {cls for cls in classes if cls.retryable}
    assert retryable == {errors.RateLimitError, errors.ServerError, errors.OverloadedError,
                         errors.GatewayTimeoutError, errors.ConnectionRefused, errors.DNSError,
                         errors.ConnectTimeoutError}
