"""One error hierarchy for everything that can go wrong talking to the API.

HTTP errors, network failures and failures found inside a 200 stream are all
raised as subclasses of :class:`SiliconFlowError`, so a caller catches at the
level it cares about (``except RateLimitError``, ``except StreamError``, or
everything at once). Each error knows how to explain itself to a person, in
English or Chinese: what happened and what to do next. Its words are the
client's own catalogue's (``sfui/api/messages.py``) entries ``error_<key>_title`` and
``error_<key>_hint``; a class without its own entry uses its parent's.
"""

from __future__ import annotations

import json
from typing import ClassVar

from .messages import MESSAGES, language
from .messages import message as t


class SiliconFlowError(Exception):
    """Base class. ``status`` is the HTTP status (None for network errors),
    ``code`` SiliconFlow's numeric code when the body had one, ``message`` the
    server's own text, ``trace_id`` the ``x-siliconcloud-trace-id`` header."""

    retryable: ClassVar[bool] = False
    key: ClassVar[str] = "generic"  # names the catalogue entries error_<key>_title and error_<key>_hint

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        code: int | None = None,
        trace_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.code = code
        self.trace_id = trace_id
        self.retry_after = retry_after
        super().__init__(self._technical())

    def _technical(self) -> str:
        parts = [type(self).__name__]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        text = " ".join(parts)
        if self.message:
            text += f": {self.message}"
        if self.trace_id:
            text += f" (trace id {self.trace_id})"
        return text

    @classmethod
    def _entry(cls, part: str, lang: str) -> str:
        """``error_<key>_<part>`` of the nearest class (this one, then its parents)
        whose own ``key`` has that entry."""
        for klass in cls.__mro__:
            key = vars(klass).get("key")
            if key and f"error_{key}_{part}" in MESSAGES["en"]:
                return t(lang, f"error_{key}_{part}", switch_host=t(lang, "error_switch_host"))
        raise KeyError(f"no error_<key>_{part} for {cls.__name__}")

    @classmethod
    def title(cls, lang: str = "en") -> str:
        """What happened, in a few words."""
        return cls._entry("title", lang)

    @classmethod
    def hint(cls, lang: str = "en") -> str:
        """What to do next."""
        return cls._entry("hint", lang)

    def user_message(self, lang: str = "en") -> str:
        """A short explanation for a person: what happened, what to do, and
        the details support will ask for. ``lang`` is "zh" or "en"."""
        lang = language(lang)
        details = []
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.code is not None:
            details.append(t(lang, "error_code", code=self.code))
        if self.message:
            details.append(self.message)
        text = t(lang, "error_message", title=self.title(lang), hint=self.hint(lang))
        if details:
            text += t(lang, "error_details", details=t(lang, "error_details_separator").join(details))
        if self.trace_id:
            text += t(lang, "error_trace_id", trace_id=self.trace_id)
        return text


# --- HTTP status errors -------------------------------------------------------


class APIStatusError(SiliconFlowError):
    """The server answered with an error status (or an error inside a stream)."""


class BadRequestError(APIStatusError):
    key = "bad_request"


class AuthenticationError(APIStatusError):
    key = "auth"


class InsufficientBalanceError(APIStatusError):
    key = "balance"


class PermissionDeniedError(APIStatusError):
    key = "permission"


class NotFoundError(APIStatusError):
    key = "not_found"


class RateLimitError(APIStatusError):
    retryable = True
    key = "rate_limit"


class ServerError(APIStatusError):
    retryable = True
    key = "server"


class OverloadedError(ServerError):
    key = "overloaded"


class GatewayTimeoutError(ServerError):
    key = "gateway_timeout"


# --- Network errors ---------------------------------------------------------------


class APIConnectionError(SiliconFlowError):
    """No HTTP answer at all."""

    retryable = True
    key = "connection"


class ConnectionRefused(APIConnectionError):
    key = "connection_refused"


class DNSError(APIConnectionError):
    key = "dns"


class ConnectTimeoutError(APIConnectionError):
    key = "connect_timeout"


# --- Failures inside a stream ---------------------------------------------------


class StreamError(SiliconFlowError):
    """The answer started but did not finish properly."""

    key = "stream"


class ReadTimeoutError(StreamError):
    key = "read_timeout"


class IncompleteStreamError(StreamError):
    key = "incomplete_stream"


class MalformedResponseError(StreamError):
    key = "malformed"


class UpstreamStreamError(StreamError, APIStatusError):
    """An error object arrived inside a 200 stream (e.g. ``{"code":60000,...}``)."""

    key = "upstream"


# --- Mapping ---------------------------------------------------------------------

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientBalanceError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
    500: ServerError,
    502: ServerError,
    503: OverloadedError,
    504: GatewayTimeoutError,
}


def parse_error_body(body: bytes | str) -> tuple[int | None, str]:
    """Extract (code, message) from any error body SiliconFlow sends:
    ``{"code":..,"message":..}``, OpenAI's ``{"error":{...}}``, a bare JSON
    string like ``"Invalid token"``, or plain text/HTML."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    try:
        obj = json.loads(text)
    except ValueError:
        if text.lstrip().startswith("<"):
            return None, "(HTML page)"
        return None, text[:300]
    if isinstance(obj, str):
        return None, obj[:300]
    if isinstance(obj, dict):
        if isinstance(obj.get("error"), dict):  # OpenAI-style servers
            obj = obj["error"]
        code = obj.get("code")
        message = obj.get("message") or obj.get("msg") or obj.get("error") or ""
        try:
            code = int(code) if code is not None else None
        except (TypeError, ValueError):
            code = None
        return code, str(message)[:300]
    return None, text[:300]


def error_for_status(
    status: int,
    body: bytes | str = b"",
    *,
    trace_id: str | None = None,
    retry_after: float | None = None,
) -> APIStatusError:
    code, message = parse_error_body(body)
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else APIStatusError)
    # A 403 whose body talks about balance is a balance problem, not a permission one.
    if status == 403 and "balance" in message.lower():
        cls = InsufficientBalanceError
    return cls(message, status=status, code=code, trace_id=trace_id, retry_after=retry_after)


def stream_error_from_object(obj: dict, trace_id: str | None = None) -> UpstreamStreamError:
    """An error object found inside a stream, with or without ``data:``."""
    code, message = parse_error_body(json.dumps(obj))
    return UpstreamStreamError(message, status=200, code=code, trace_id=trace_id)


def looks_like_error_object(obj: object) -> bool:
    """True for ``{"code": 60000, "message": ...}`` or ``{"error": {...}}``, which
    a chunk never is (a chunk has ``choices``)."""
    if not isinstance(obj, dict) or "choices" in obj:
        return False
    if isinstance(obj.get("error"), (dict, str)):
        return True
    return "message" in obj and ("code" in obj or "data" in obj)
