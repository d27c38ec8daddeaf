"""HTTP client for SiliconFlow's OpenAI-compatible API, on ``requests``.

Knows nothing of Gradio. The main entry point is :meth:`SiliconFlowClient.chat_stream`,
which returns a :class:`~sfui.api.stream.ChatStream`: iterate it for typed events
(:mod:`sfui.api.events`) as they arrive, then read the totals (``text``, ``reasoning``,
``usage`` …) from it. This module builds and sends requests (with their retries) and
calls the side endpoints (``/models``, ``/user/info``); reading an answer is the
stream's business. A server streaming to many at once reads it on its event loop
instead (``ChatStream.aevents``, over :mod:`sfui.api.async_http`), by the same rules.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from . import errors, retries
from .events import (
    Retrying,
)
from .http_errors import ERROR_BODY_LIMIT, connection_error, read_limited, status_error
from .stream import ChatStream

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
    "prefix",  # SiliconFlow: the start of the answer, which the model goes on from
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
        # Chat requests only, and only before the first token: see _open and sfui.api.retries.
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
        """POST with retries, for ChatStream. Yields a Retrying event before each
        wait and finally the successful response (the caller owns and closes it).
        Setting ``cancelled`` ends a retry wait at once."""
        url = self.base_url + "/chat/completions"
        retries_done = 0
        while not cancelled.is_set():  # closed before it started: nothing is sent
            outcome = self._post(url, payload)
            if isinstance(outcome, requests.Response):
                yield outcome
                return
            retrying = retries.retrying_after(outcome, retries_done, self.max_retries, self.backoff_factor)
            retries_done = retrying.attempt
            yield retrying
            if cancelled.wait(retrying.delay):
                return

    def _post(self, url: str, payload: dict) -> requests.Response | errors.SiliconFlowError:
        """One attempt: the response if the server accepted it, else the error
        (an error response is read and closed here)."""
        try:
            response = self.session.post(url, json=payload, headers=self._headers(), stream=True, timeout=self.timeout)
        except requests.RequestException as exc:
            return connection_error(exc)
        if response.status_code < 400:
            return response
        return status_error(response, self._redact(read_limited(response)))


@dataclass(frozen=True)
class UserInfo:
    """What ``GET /user/info`` says about the account. Amounts are the API's own
    strings (e.g. "88.88"), never floats: they are money."""

    total_balance: str  # what can be spent: the gift balance plus the charged one
    balance: str | None = None  # the gift (free) part
    charge_balance: str | None = None  # the part paid in


def _optional_text(value: Any) -> str | None:
    return None if value is None else str(value)
