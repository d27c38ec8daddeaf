"""How ``requests`` failures become sfui's typed errors: an error status with its
body, or no HTTP answer at all (refused, unresolvable host, timeouts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import requests
import urllib3.exceptions

from . import errors, retries

# An error body is read up to this many bytes: enough for any JSON error, not a whole HTML page.
ERROR_BODY_LIMIT = 65536


def read_limited(response: requests.Response) -> bytes:
    try:
        return response.raw.read(ERROR_BODY_LIMIT, decode_content=True) or b""
    except Exception:  # an error body we cannot read still has a status to report
        return b""
    finally:
        response.close()


class _Answered(Protocol):
    """A response of either transport (requests' or httpx's)."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


def status_error(response: _Answered, body: bytes) -> errors.APIStatusError:
    return errors.error_for_status(
        response.status_code,
        body,
        trace_id=response.headers.get("x-siliconcloud-trace-id"),
        retry_after=retries.parse_retry_after(response.headers.get("Retry-After")),
    )


def root_cause(exc: BaseException) -> BaseException | None:
    """The urllib3 exception under a requests exception."""
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, urllib3.exceptions.MaxRetryError):
        cause = cause.reason
    return cause if isinstance(cause, BaseException) else None


def connection_error(exc: requests.RequestException) -> errors.SiliconFlowError:
    cause = root_cause(exc)
    text = str(cause or exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return errors.ConnectTimeoutError("connect timeout")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return errors.ReadTimeoutError("no response before the read timeout")
    unresolved = "Name or service not known" in text or "getaddrinfo" in text
    if isinstance(cause, urllib3.exceptions.NameResolutionError) or unresolved:
        return errors.DNSError("host name could not be resolved")
    if "refused" in text.lower():
        return errors.ConnectionRefused("connection refused")
    if isinstance(exc, requests.exceptions.ConnectionError) and isinstance(cause, urllib3.exceptions.ProtocolError):
        return errors.IncompleteStreamError("connection closed before a response")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return errors.NotFoundError(f"invalid base URL: {exc}")
    return errors.APIConnectionError(type(cause or exc).__name__)
