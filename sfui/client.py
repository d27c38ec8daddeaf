"""HTTP client for SiliconFlow's OpenAI-compatible API, on ``requests``.

Knows nothing of Gradio. The main entry point is :meth:`SiliconFlowClient.chat_stream`,
which returns a :class:`ChatStream`: iterate it for typed events as they
arrive, then read the totals (``text``, ``reasoning``, ``usage`` …) from it.
The stream owns the HTTP response and closes it the moment iteration stops
(Stop button, closed tab, ``break``), so the server stops generating.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from typing import Any, Iterator, Sequence

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import errors
from .config import DEFAULT_BASE_URL, Settings
from .sse import ForeignLine, SSEDecoder
from .thinktags import ThinkTagSplitter

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A Retry-After longer than this is not waited for: the user is told instead.
MAX_RETRY_WAIT = 60.0
_READ_SIZE = 65536
_ERROR_BODY_LIMIT = 65536
# Tool calls are assembled into a list by their index: a bound keeps a bad
# index (1e9) from allocating a billion entries. The API takes up to 128 tools.
_MAX_TOOL_CALLS = 128


# --- Events -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int = 0

    @classmethod
    def from_api(cls, obj: dict) -> "Usage":
        details = obj.get("completion_tokens_details") or {}
        return cls(
            prompt_tokens=int(obj.get("prompt_tokens") or 0),
            completion_tokens=int(obj.get("completion_tokens") or 0),
            total_tokens=int(obj.get("total_tokens") or 0),
            reasoning_tokens=int(details.get("reasoning_tokens") or obj.get("reasoning_tokens") or 0),
        )


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    index: int
    id: str | None
    name: str | None
    arguments: str  # a fragment; ChatStream.tool_calls holds the assembled calls


@dataclass(frozen=True, slots=True)
class UsageUpdate:
    usage: Usage


@dataclass(frozen=True, slots=True)
class Finished:
    reason: str


@dataclass(frozen=True, slots=True)
class Retrying:
    """The request failed in a retryable way; the client waits ``delay`` seconds
    and then makes retry number ``attempt`` of at most ``max_retries``."""

    attempt: int
    max_retries: int
    delay: float
    error: errors.SiliconFlowError


Event = TextDelta | ReasoningDelta | ToolCallDelta | UsageUpdate | Finished | Retrying


@dataclass
class ToolCall:
    id: str | None = None
    name: str = ""
    arguments: str = ""


# --- Requests --------------------------------------------------------------------------

_OPTIONAL_FIELDS = (
    "max_tokens",
    "stop",
    "temperature",
    "top_p",
    "top_k",
    "frequency_penalty",
    "presence_penalty",
    "n",
    "response_format",
    "tools",
    "tool_choice",
    "enable_thinking",
    "thinking_budget",
    "min_p",
    "seed",
    "stream_options",
)


def build_payload(model: str, messages: Sequence[dict], *, stream: bool, **params: Any) -> dict:
    """The JSON body of a chat completion. Fields left as None are not sent,
    so the server applies the model's own defaults."""
    unknown = set(params) - set(_OPTIONAL_FIELDS) - {"extra"}
    if unknown:
        raise TypeError(f"unknown chat parameter(s): {', '.join(sorted(unknown))}")
    payload: dict[str, Any] = {"model": model, "messages": list(messages), "stream": stream}
    for name in _OPTIONAL_FIELDS:
        value = params.get(name)
        if value is not None:
            payload[name] = value
    stop = payload.get("stop")
    if isinstance(stop, (list, tuple)):
        stop = [s for s in stop if s]
        if len(stop) > 4:
            raise ValueError("stop takes at most 4 sequences")
        if stop:
            payload["stop"] = stop
        else:
            del payload["stop"]
    payload.update(params.get("extra") or {})
    return payload


class _Backoff(Retry):
    """urllib3's Retry, except the first retry also waits (urllib3 retries the
    first failure at once, which only earns a second 429)."""

    def get_backoff_time(self) -> float:
        errors_so_far = len(self.history)
        if errors_so_far == 0:
            return 0.0
        return float(min(self.backoff_max, self.backoff_factor * (2 ** (errors_so_far - 1))))


def new_session(pool_size: int = 64) -> requests.Session:
    """A session safe to share between visitors: keys travel per request,
    never on the session, and cookies are refused so nothing set for one
    visitor's request is replayed for another's."""
    session = requests.Session()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class SiliconFlowClient:
    """A client bound to one API key and base URL.

    Share ``session`` between clients to reuse connections (the UI makes a
    client per visitor request, all on one session)."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 300.0,
        max_retries: int = 2,
        backoff_factor: float = 1.0,
        session: requests.Session | None = None,
    ) -> None:
        self._api_key = api_key or None
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.retry_policy = _Backoff(
            total=max_retries,
            allowed_methods=None,  # POST too: these statuses mean the request was not processed
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_max=MAX_RETRY_WAIT,
            raise_on_status=False,
        )
        self.session = session or new_session()

    @classmethod
    def from_settings(cls, settings: Settings, *, api_key: str | None = None, **kwargs: Any) -> "SiliconFlowClient":
        return cls(
            api_key=api_key or settings.api_key,
            base_url=settings.base_url,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            max_retries=settings.max_retries,
            backoff_factor=settings.backoff_factor,
            **kwargs,
        )

    def __repr__(self) -> str:  # never show the key
        return f"SiliconFlowClient(base_url={self.base_url!r}, key={'set' if self._api_key else 'unset'})"

    @property
    def has_key(self) -> bool:
        return self._api_key is not None

    def _redact(self, body: bytes) -> bytes:
        """An error body with our key blanked out. Some OpenAI-compatible
        servers quote the key they refused, and error text ends up in the
        page and the log."""
        if self._api_key:
            body = body.replace(self._api_key.encode(), b"sk-***")
        return body

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    # --- chat ------------------------------------------------------------------------

    def chat_stream(self, model: str, messages: Sequence[dict], **params: Any) -> "ChatStream":
        """Start a streamed chat completion. Nothing is sent until iteration starts."""
        payload = build_payload(model, messages, stream=True, **params)
        return ChatStream(self, payload)

    def chat(self, model: str, messages: Sequence[dict], **params: Any) -> "ChatStream":
        """A non-streamed chat completion, returned as a finished ChatStream
        (``.text``, ``.reasoning``, ``.usage``, ``.finish_reason``, ``.tool_calls``)."""
        stream = ChatStream(self, build_payload(model, messages, stream=False, **params))
        for _ in stream:
            pass
        return stream

    # --- other endpoints ---------------------------------------------------------------

    def list_models(self, sub_type: str = "chat") -> list[str]:
        """Model ids from ``GET /models``. Raises the usual errors."""
        response = self._get("/models", params={"sub_type": sub_type} if sub_type else None)
        try:
            data = response.json()["data"]
            return [item["id"] for item in data if isinstance(item, dict) and item.get("id")]
        except (ValueError, KeyError, TypeError) as exc:
            raise errors.MalformedResponseError(f"unexpected /models body: {exc}", status=response.status_code) from None

    def balance(self) -> float | None:
        """Total balance from ``GET /user/info``, or None if it cannot be had
        (the endpoint was reported to answer 410 in 2026): fails quietly."""
        try:
            response = self._get("/user/info", timeout=(self.timeout[0], 15))
            return float(response.json()["data"]["totalBalance"])
        except (errors.SiliconFlowError, ValueError, KeyError, TypeError):
            return None

    def _get(self, path: str, params: dict | None = None, timeout: tuple | None = None) -> requests.Response:
        url = self.base_url + path
        try:
            response = self.session.get(url, params=params, headers=self._headers(), timeout=timeout or (self.timeout[0], 30))
        except requests.RequestException as exc:
            raise _connection_error(exc) from None
        if response.status_code >= 400:
            raise _status_error(response, self._redact(response.content[:_ERROR_BODY_LIMIT]))
        return response

    # --- plumbing used by ChatStream ----------------------------------------------------

    def _open(self, payload: dict, cancelled: threading.Event) -> Iterator[Retrying | requests.Response]:
        """POST with retries. Yields a Retrying event before each wait and
        finally the successful response (the caller owns and closes it).
        Setting ``cancelled`` ends a retry wait at once."""
        url = self.base_url + "/chat/completions"
        retry = self.retry_policy.new()
        max_retries = retry.total or 0
        while True:
            response = None
            try:
                response = self.session.post(
                    url, json=payload, headers=self._headers(), stream=True, timeout=self.timeout
                )
            except requests.RequestException as exc:
                error = _connection_error(exc)
                cause = _root_cause(exc)
            else:
                if response.status_code < 400:
                    yield response
                    return
                error = _status_error(response, self._redact(_read_limited(response)))
                cause = None
            if not error.retryable or (error.retry_after or 0) > MAX_RETRY_WAIT:
                raise error
            try:
                if response is not None:
                    retry = retry.increment("POST", url, response=response.raw)
                else:
                    retry = retry.increment("POST", url, error=cause)
            except urllib3.exceptions.MaxRetryError:
                raise error from None
            finally:
                if response is not None:
                    response.close()
            delay = error.retry_after if error.retry_after is not None else retry.get_backoff_time()
            yield Retrying(attempt=len(retry.history), max_retries=max_retries, delay=delay, error=error)
            if cancelled.wait(delay):
                return


def _read_limited(response: requests.Response) -> bytes:
    try:
        return response.raw.read(_ERROR_BODY_LIMIT, decode_content=True) or b""
    except Exception:  # an error body we cannot read still has a status to report
        return b""
    finally:
        response.close()


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, Retry().parse_retry_after(value))  # HTTP-date form
        except Exception:
            return None


def _status_error(response: requests.Response, body: bytes) -> errors.APIStatusError:
    return errors.error_for_status(
        response.status_code,
        body,
        trace_id=response.headers.get("x-siliconcloud-trace-id"),
        retry_after=_retry_after(response),
    )


def _root_cause(exc: BaseException) -> BaseException | None:
    """The urllib3 exception under a requests exception."""
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, urllib3.exceptions.MaxRetryError):
        cause = cause.reason
    return cause if isinstance(cause, BaseException) else None


def _connection_error(exc: requests.RequestException) -> errors.SiliconFlowError:
    cause = _root_cause(exc)
    text = str(cause or exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return errors.ConnectTimeoutError("connect timeout")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return errors.ReadTimeoutError("no response before the read timeout")
    if isinstance(cause, urllib3.exceptions.NameResolutionError) or "Name or service not known" in text or "getaddrinfo" in text:
        return errors.DNSError("host name could not be resolved")
    if "refused" in text.lower():
        return errors.ConnectionRefused("connection refused")
    if isinstance(exc, requests.exceptions.ConnectionError) and isinstance(cause, urllib3.exceptions.ProtocolError):
        return errors.IncompleteStreamError("connection closed before a response")
    if isinstance(exc, requests.exceptions.InvalidURL) or isinstance(exc, requests.exceptions.MissingSchema):
        return errors.NotFoundError(f"invalid base URL: {exc}")
    return errors.APIConnectionError(type(cause or exc).__name__)


# --- The stream ------------------------------------------------------------------------


class ChatStream:
    """One chat completion: iterate for events, then read the totals.

    Use it as a context manager (or call :meth:`close`) so the connection is
    released even when you stop early. Iterating twice is not supported.
    """

    def __init__(self, client: SiliconFlowClient, payload: dict) -> None:
        self._client = client
        self.payload = payload
        self.text = ""
        self.reasoning = ""
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self.model: str | None = None
        self.trace_id: str | None = None
        self.tool_calls: list[ToolCall] = []
        self._response: requests.Response | None = None
        self._cancelled = threading.Event()
        self._started = False
        self._think = ThinkTagSplitter()

    def __enter__(self) -> "ChatStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP response now; the server sees the disconnect.

        Safe to call from another thread while one is blocked reading the
        stream: the socket is shut down first, which wakes a blocked read
        (a plain close() would not, on Linux)."""
        self._cancelled.set()
        response, self._response = self._response, None
        if response is None:
            return
        connection = getattr(response.raw, "_connection", None)
        sock = getattr(connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer
        response.close()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def __iter__(self) -> Iterator[Event]:
        if self._started:
            raise RuntimeError("a ChatStream can be iterated only once")
        self._started = True
        try:
            response = None
            for item in self._client._open(self.payload, self._cancelled):
                if isinstance(item, Retrying):
                    yield item
                else:
                    response = item
            if response is None:
                return  # closed while waiting to retry
            # Publish the response before checking the flag, so a close() from
            # another thread either sees the response or we see its flag.
            self._response = response
            if self._cancelled.is_set():
                return  # closed while connecting; finally closes the response
            self.trace_id = response.headers.get("x-siliconcloud-trace-id")
            content_type = response.headers.get("Content-Type", "").lower()
            if "text/event-stream" in content_type:
                yield from self._read_sse(response)
            elif "json" in content_type or not self.payload.get("stream"):
                yield from self._read_json(response)
            else:
                body = response.raw.read(2048, decode_content=True) or b""
                raise errors.MalformedResponseError(
                    f"expected a server-sent event stream, got {content_type or 'no content type'}: "
                    + errors.parse_error_body(body)[1][:120],
                    status=response.status_code,
                    trace_id=self.trace_id,
                )
        except Exception:
            # close() from another thread pulls the socket out from under a
            # blocked read, which then fails in arbitrary ways (http.client
            # even raises AttributeError). The caller asked for the stop:
            # end quietly instead of reporting a broken stream.
            if self._cancelled.is_set():
                return
            raise
        finally:
            # GeneratorExit (consumer stopped) lands here too: close the upstream at once.
            self.close()

    # --- decoding -----------------------------------------------------------------------

    def _read_sse(self, response: requests.Response) -> Iterator[Event]:
        decoder = SSEDecoder()
        done = False
        for chunk in self._raw_chunks(response):
            for item in decoder.feed(chunk):
                if isinstance(item, ForeignLine):
                    yield from self._foreign_line(item.text)
                    continue
                if item.data.strip() == "[DONE]":
                    done = True
                    break
                try:
                    obj = json.loads(item.data)
                except ValueError:
                    raise errors.MalformedResponseError(
                        f"a stream line is not JSON: {item.data[:80]!r}", status=200, trace_id=self.trace_id
                    ) from None
                yield from self._chunk(obj)
            if done:
                break
        if not done:
            for item in decoder.close():
                if isinstance(item, ForeignLine):
                    yield from self._foreign_line(item.text)
                elif item.data.strip() == "[DONE]":
                    done = True
        yield from self._flush_think()
        if not done and self.finish_reason is None:
            raise errors.IncompleteStreamError(
                "the stream ended without [DONE]", status=200, trace_id=self.trace_id
            )

    def _raw_chunks(self, response: requests.Response) -> Iterator[bytes]:
        """Bytes as soon as they arrive (read1 returns what the socket has,
        instead of waiting to fill a buffer)."""
        raw = response.raw
        while True:
            try:
                chunk = raw.read1(_READ_SIZE, decode_content=True)
            except (urllib3.exceptions.ReadTimeoutError, socket.timeout, TimeoutError):
                raise errors.ReadTimeoutError(
                    f"no data for {self._client.timeout[1]:g} s", status=200, trace_id=self.trace_id
                ) from None
            except (urllib3.exceptions.ProtocolError, http.client.HTTPException, OSError) as exc:
                raise errors.IncompleteStreamError(
                    f"connection lost: {type(exc).__name__}", status=200, trace_id=self.trace_id
                ) from None
            if not chunk:
                return
            yield chunk

    def _foreign_line(self, text: str) -> Iterator[Event]:
        """A line without ``data:``: a bare error object (SiliconFlow) or a
        body that is not SSE at all."""
        try:
            obj = json.loads(text)
        except ValueError:
            if text.lstrip().startswith("<"):
                raise errors.MalformedResponseError(
                    "an HTML page instead of an event stream", status=200, trace_id=self.trace_id
                ) from None
            return  # unknown line: ignored, as the SSE spec says
        if errors.looks_like_error_object(obj):
            raise errors.stream_error_from_object(obj, self.trace_id)
        if isinstance(obj, dict) and "choices" in obj:
            yield from self._chunk(obj)  # a server that forgot the "data:" prefix

    def _chunk(self, obj: Any) -> Iterator[Event]:
        """The events of one chunk. A chunk with a field of the wrong type (a
        broken proxy or server) is a MalformedResponseError, not a TypeError."""
        try:
            yield from self._chunk_events(obj)
        except (AttributeError, TypeError, ValueError, OverflowError) as exc:
            raise errors.MalformedResponseError(
                f"unexpected chunk shape ({type(exc).__name__}: {str(exc)[:80]})", status=200, trace_id=self.trace_id
            ) from None

    def _chunk_events(self, obj: Any) -> Iterator[Event]:
        if not isinstance(obj, dict):
            raise errors.MalformedResponseError(f"unexpected stream item: {str(obj)[:80]}", status=200, trace_id=self.trace_id)
        if errors.looks_like_error_object(obj):
            raise errors.stream_error_from_object(obj, self.trace_id)
        model = obj.get("model")
        if isinstance(model, str) and model:
            self.model = model
        for choice in obj.get("choices") or ():
            if choice.get("index", 0) != 0:
                continue  # n > 1: the UI shows the first choice; the rest are ignored
            delta = choice.get("delta") or choice.get("message") or {}
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if reasoning:
                self.reasoning += reasoning
                yield ReasoningDelta(reasoning)
            content = delta.get("content")
            if content:
                yield from self._content(content)
            for position, call in enumerate(delta.get("tool_calls") or ()):
                yield self._tool_call(call, position)
            reason = choice.get("finish_reason")
            if reason:
                if not isinstance(reason, str):
                    raise TypeError(f"finish_reason is a {type(reason).__name__}")
                self.finish_reason = reason
                yield from self._flush_think()
                yield Finished(reason)
        usage = obj.get("usage")
        if isinstance(usage, dict):
            # Cumulative on SiliconFlow (every chunk), final-only elsewhere: the last one wins.
            new = Usage.from_api(usage)
            if new != self.usage:
                self.usage = new
                yield UsageUpdate(new)

    def _content(self, content: Any) -> Iterator[Event]:
        if isinstance(content, list):  # content parts, from some servers' non-stream replies
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        for is_reasoning, piece in self._think.feed(str(content)):
            if is_reasoning:
                self.reasoning += piece
                yield ReasoningDelta(piece)
            else:
                self.text += piece
                yield TextDelta(piece)

    def _flush_think(self) -> Iterator[Event]:
        for is_reasoning, piece in self._think.flush():
            if is_reasoning:
                self.reasoning += piece
                yield ReasoningDelta(piece)
            else:
                self.text += piece
                yield TextDelta(piece)

    def _tool_call(self, call: dict, position: int) -> ToolCallDelta:
        # Streamed deltas carry "index"; a whole message's list may not.
        index = int(call.get("index", position))
        if not 0 <= index < _MAX_TOOL_CALLS:
            raise ValueError(f"tool call index {index} out of range")
        while len(self.tool_calls) <= index:
            self.tool_calls.append(ToolCall())
        assembled = self.tool_calls[index]
        function = call.get("function") or {}
        if not all(isinstance(v, (str, type(None))) for v in (call.get("id"), function.get("name"))):
            raise TypeError("tool call id and name must be strings")
        if call.get("id"):
            assembled.id = call["id"]
        if function.get("name"):
            assembled.name = function["name"]
        fragment = function.get("arguments") or ""
        if isinstance(fragment, dict):
            fragment = json.dumps(fragment)
        assembled.arguments += fragment
        return ToolCallDelta(index, call.get("id"), function.get("name"), fragment)

    def _read_json(self, response: requests.Response) -> Iterator[Event]:
        """A whole chat.completion object (stream=false, or a server that ignored stream=true)."""
        try:
            body = response.content
        except requests.RequestException as exc:
            raise _connection_error(exc) from None
        try:
            obj = json.loads(body)
        except ValueError:
            raise errors.MalformedResponseError(
                "the response is not JSON: " + errors.parse_error_body(body)[1][:120],
                status=response.status_code,
                trace_id=self.trace_id,
            ) from None
        if not isinstance(obj, dict) or "choices" not in obj:
            if errors.looks_like_error_object(obj):
                raise errors.stream_error_from_object(obj, self.trace_id)
            raise errors.MalformedResponseError("no choices in the response", status=response.status_code, trace_id=self.trace_id)
        yield from self._chunk(obj)
        yield from self._flush_think()
