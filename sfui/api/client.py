"""HTTP client for SiliconFlow's OpenAI-compatible API, on ``requests``.

Knows nothing of Gradio. The main entry point is :meth:`SiliconFlowClient.chat_stream`,
which returns a :class:`ChatStream`: iterate it for typed events (:mod:`sfui.events`)
as they arrive, then read the totals (``text``, ``reasoning``, ``usage`` …) from it.
What a chunk's JSON says is :mod:`sfui.chunks`' business; this module moves bytes.
The stream owns the HTTP response and closes it the moment iteration stops
(Stop button, closed tab, ``break``), so the server stops generating.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from . import errors, retries
from .chunks import ChunkParser
from .events import (  # noqa: F401  (re-exported: `from sfui.client import TextDelta` keeps working)
    Event,
    Finished,
    ReasoningDelta,
    Replies,
    Reply,
    Retrying,
    TextDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from .http_errors import ERROR_BODY_LIMIT, connection_error, read_limited, status_error
from .sse import ForeignLine, SSEDecoder

_READ_SIZE = 65536

DEFAULT_BASE_URL = "https://api.siliconflow.cn/v1"


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
        # Chat requests only, and only before the first token: see _open and sfui.retries.
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.session = session or new_session()

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

    def chat_stream(self, model: str, messages: Sequence[dict], **params: Any) -> ChatStream:
        """Start a streamed chat completion. Nothing is sent until iteration starts."""
        payload = build_payload(model, messages, stream=True, **params)
        return ChatStream(self, payload)

    def chat(self, model: str, messages: Sequence[dict], **params: Any) -> ChatStream:
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
            raise errors.MalformedResponseError(
                f"unexpected /models body: {exc}", status=response.status_code
            ) from None

    def user_info(self) -> UserInfo:
        """The account behind the key, from ``GET /user/info``. Raises the usual
        errors (the endpoint was reported to answer 410 in 2026: callers that
        only want to show a balance should fail quietly, as :meth:`balance` does)."""
        response = self._get("/user/info", timeout=(self.timeout[0], 15))
        try:
            data = response.json()["data"]
            total = data["totalBalance"]
            if not isinstance(total, (str, int, float)) or isinstance(total, bool):
                raise TypeError(f"totalBalance is {type(total).__name__}")
            return UserInfo(
                total_balance=str(total),
                balance=_optional_text(data.get("balance")),
                charge_balance=_optional_text(data.get("chargeBalance")),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise errors.MalformedResponseError(
                f"unexpected /user/info body: {exc}", status=response.status_code
            ) from None

    def balance(self) -> float | None:
        """Total balance from ``GET /user/info`` as a number, or None if it cannot
        be had: fails quietly. ``user_info().total_balance`` is the exact string."""
        try:
            return float(self.user_info().total_balance)
        except (errors.SiliconFlowError, ValueError):
            return None

    def _get(self, path: str, params: dict | None = None, timeout: tuple | None = None) -> requests.Response:
        url = self.base_url + path
        try:
            response = self.session.get(
                url, params=params, headers=self._headers(), timeout=timeout or (self.timeout[0], 30)
            )
        except requests.RequestException as exc:
            raise connection_error(exc) from None
        if response.status_code >= 400:
            raise status_error(response, self._redact(response.content[:ERROR_BODY_LIMIT]))
        return response

    # --- plumbing used by ChatStream ----------------------------------------------------

    def _open(self, payload: dict, cancelled: threading.Event) -> Iterator[Retrying | requests.Response]:
        """POST with retries. Yields a Retrying event before each wait and
        finally the successful response (the caller owns and closes it).
        Setting ``cancelled`` ends a retry wait at once."""
        url = self.base_url + "/chat/completions"
        retries_done = 0
        while not cancelled.is_set():  # closed before it started: nothing is sent
            response, error = self._post(url, payload)
            if response is not None:
                yield response
                return
            if not retries.should_retry(error, retries_done, self.max_retries):
                raise error
            retries_done += 1
            delay = retries.retry_delay(retries_done, self.backoff_factor, error.retry_after)
            yield Retrying(attempt=retries_done, max_retries=self.max_retries, delay=delay, error=error)
            if cancelled.wait(delay):
                return

    def _post(self, url: str, payload: dict) -> tuple[requests.Response, None] | tuple[None, errors.SiliconFlowError]:
        """One attempt: the response if the server accepted it, else the error
        (an error response is read and closed here)."""
        try:
            response = self.session.post(url, json=payload, headers=self._headers(), stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            return None, connection_error(exc)
        if response.status_code < 400:
            return response, None
        return None, status_error(response, self._redact(read_limited(response)))


@dataclass(frozen=True)
class UserInfo:
    """What ``GET /user/info`` says about the account. Amounts are the API's own
    strings (e.g. "88.88"), never floats: they are money."""

    total_balance: str  # what can be spent: the gift balance plus the charged one
    balance: str | None = None  # the gift (free) part
    charge_balance: str | None = None  # the part paid in


def _optional_text(value: Any) -> str | None:
    return None if value is None else str(value)


# --- The stream ------------------------------------------------------------------------


class ChatStream:
    """One chat completion: iterate for events, then read the totals.

    Every event it yields has been applied to its choice's :class:`Reply`
    first (``choices[event.choice]``; a UsageUpdate, the request's total, to
    every choice's). ``reply`` is choice 0's, and ``text``, ``reasoning``,
    ``usage``, ``finish_reason`` and ``tool_calls`` read it. Use it as a
    context manager (or call :meth:`close`) so the connection is released even
    when you stop early. Iterating twice is not supported.
    """

    def __init__(self, client: SiliconFlowClient, payload: dict) -> None:
        self._client = client
        self.payload = payload
        self.trace_id: str | None = None
        self._response: requests.Response | None = None
        self._cancelled = threading.Event()
        self._started = False
        self._parser = ChunkParser()
        self._replies = Replies()

    def __enter__(self) -> ChatStream:
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

    # --- the replies --------------------------------------------------------------------

    @property
    def choices(self) -> tuple[Reply, ...]:
        """One Reply per choice, by index: as many as the highest index the server
        sent (or :meth:`reply_for` was asked for) + 1, at least one."""
        return self._replies.all

    def reply_for(self, index: int) -> Reply:
        """Choice ``index``'s Reply, the same object before, during and after the
        stream: a view can hold it before the server sent that choice. Safe from
        any thread; IndexError past sfui.events.MAX_CHOICES."""
        return self._replies.get(index)

    @property
    def reply(self) -> Reply:
        return self._replies.get(0)

    @property
    def model(self) -> str | None:
        """The model the server says answered (its chunks' ``model``)."""
        return self._parser.model

    @property
    def text(self) -> str:
        return self.reply.text

    @property
    def reasoning(self) -> str:
        return self.reply.reasoning

    @property
    def usage(self) -> Usage | None:
        return self.reply.usage

    @property
    def finish_reason(self) -> str | None:
        return self.reply.finish_reason

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        return self.reply.tool_calls

    def __iter__(self) -> Iterator[Event]:
        if self._started:
            raise RuntimeError("a ChatStream can be iterated only once")
        self._started = True
        events = self._events()
        try:
            for event in events:
                self._replies.apply(event)  # the one place where the replies grow
                yield event
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
            events.close()
            self.close()

    def _events(self) -> Iterator[Event]:
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
            return  # closed while connecting; __iter__ closes the response
        self.trace_id = self._parser.trace_id = response.headers.get("x-siliconcloud-trace-id")
        yield from self._read_body(response)

    def _read_body(self, response: requests.Response) -> Iterator[Event]:
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
                yield from self._parser.feed(obj)
            if done:
                break
        if not done:
            for item in decoder.close():
                if isinstance(item, ForeignLine):
                    yield from self._foreign_line(item.text)
                elif item.data.strip() == "[DONE]":
                    done = True
        yield from self._parser.flush()
        if not done and not self._parser.complete:
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
            except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
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
            yield from self._parser.feed(obj)  # a server that forgot the "data:" prefix

    def _read_json(self, response: requests.Response) -> Iterator[Event]:
        """A whole chat.completion object (stream=false, or a server that ignored stream=true)."""
        try:
            body = response.content
        except requests.RequestException as exc:
            raise connection_error(exc) from None
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
            raise errors.MalformedResponseError(
                "no choices in the response", status=response.status_code, trace_id=self.trace_id
            )
        yield from self._parser.feed(obj)
        yield from self._parser.flush()
