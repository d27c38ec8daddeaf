"""The chat request and its body on the running event loop (httpx): no thread per answer.

Why: the web app streams hundreds of answers at once from one process. Read each in a
thread of its own, and the readers' wake-ups take the interpreter lock from the event
loop, which then waits for it instead of starting the next visitor's answer
(bench/visitors.py: the loop waited for the lock about half of a 200-visitor burst). On
the loop, a token costs one wake-up of the loop and nothing else. httpx (which Gradio
itself uses) gives the loop what ``requests`` gives a thread: pooled connections, TLS,
the proxy settings of the environment, timeouts.

The rules are the blocking client's: the same retries (:mod:`sfui.api.retries`), the
same errors for the same failures (:mod:`sfui.api.http_errors` for statuses), a key
never sent to another visitor's request and no cookie kept between requests.
"""

from __future__ import annotations

import asyncio
import json
import threading
import weakref
from collections.abc import AsyncIterator
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TYPE_CHECKING

import httpx

from . import errors, retries
from .events import Retrying
from .http_errors import ERROR_BODY_LIMIT, status_error

if TYPE_CHECKING:
    from .client import SiliconFlowClient

# One connection pool per event loop (a pool cannot move between loops), shared by
# every visitor: keys travel per request, never on the pool.
_POOLS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = weakref.WeakKeyDictionary()


def _pool() -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    pool = _POOLS.get(loop)
    if pool is None:
        # Cookies refused, as on the blocking client's session: nothing one visitor's
        # response sets is sent with another's request.
        jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
        pool = _POOLS[loop] = httpx.AsyncClient(
            cookies=httpx.Cookies(jar),
            follow_redirects=True,  # as requests does
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=64),
        )
    return pool


async def open_response(client: SiliconFlowClient, payload: dict,
                        cancelled: threading.Event) -> AsyncIterator[Retrying | httpx.Response]:
    """POST with retries: a Retrying event before each wait, then the accepted response
    (the caller closes it). Cancel the task to end a wait at once."""
    url = client.base_url + "/chat/completions"
    content = json.dumps(payload, allow_nan=False).encode()  # the bytes requests' json= sends
    retries_done = 0
    while not cancelled.is_set():  # closed before it started: nothing is sent
        outcome = await _post(client, url, content)
        if isinstance(outcome, httpx.Response):
            yield outcome
            return
        retrying = retries.retrying_after(outcome, retries_done, client.max_retries, client.backoff_factor)
        retries_done = retrying.attempt
        yield retrying
        await asyncio.sleep(retrying.delay)


async def _post(client: SiliconFlowClient, url: str, content: bytes) -> httpx.Response | errors.SiliconFlowError:
    """One attempt: the response if the server accepted it, else the error (an error
    response is read and closed here)."""
    connect, read = client.timeout
    headers = {**client._headers(), "Content-Type": "application/json"}
    pool = _pool()
    try:
        request = pool.build_request("POST", url, content=content, headers=headers,
                                     timeout=httpx.Timeout(read, connect=connect, pool=None))
        sending = asyncio.ensure_future(pool.send(request, stream=True))
        try:
            # Shielded: cancelled while the request was in flight, httpx may leave the
            # connection open (seen with two answers stopped at once). The request runs on
            # until its response comes, which is then closed at once, as a blocking read
            # stopped in the same place would do.
            response = await asyncio.shield(sending)
        except asyncio.CancelledError:
            sending.add_done_callback(_close_when_answered)
            raise
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return connection_error(exc)
    if response.status_code < 400:
        return response
    return status_error(response, client._redact(await read_limited(response)))


def _close_when_answered(sending: asyncio.Future) -> None:
    if not sending.cancelled() and sending.exception() is None:
        response: httpx.Response = sending.result()
        _BACKGROUND.add(task := asyncio.ensure_future(response.aclose()))
        task.add_done_callback(_BACKGROUND.discard)


_BACKGROUND: set[asyncio.Future] = set()  # the closes above, kept from the garbage collector until done


async def read_limited(response: httpx.Response, limit: int = ERROR_BODY_LIMIT) -> bytes:
    """Up to ``limit`` bytes of the body, then the response closed."""
    body = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= limit:
                break
    except httpx.HTTPError:
        pass  # an error body we cannot read still has a status to report
    finally:
        await response.aclose()
    return bytes(body[:limit])


async def body_chunks(response: httpx.Response, read_timeout: float, trace_id: str | None) -> AsyncIterator[bytes]:
    """The body's bytes as they arrive, its failures as sfui's errors."""
    try:
        async for chunk in response.aiter_bytes():
            yield chunk
    except httpx.TimeoutException:
        raise errors.ReadTimeoutError(f"no data for {read_timeout:g} s", status=200, trace_id=trace_id) from None
    except httpx.HTTPError as exc:
        raise errors.IncompleteStreamError(
            f"connection lost: {type(exc).__name__}", status=200, trace_id=trace_id
        ) from None


def connection_error(exc: Exception) -> errors.SiliconFlowError:
    """No HTTP answer at all, as the blocking client reports it (http_errors.connection_error)."""
    causes = _causes(exc)
    text = " ".join(str(cause) for cause in causes)
    if isinstance(exc, httpx.ConnectTimeout):
        return errors.ConnectTimeoutError("connect timeout")
    if isinstance(exc, httpx.TimeoutException):
        return errors.ReadTimeoutError("no response before the read timeout")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return errors.NotFoundError(f"invalid base URL: {exc}")
    if "Name or service not known" in text or "getaddrinfo" in text or "name resolution" in text:
        return errors.DNSError("host name could not be resolved")
    if "refused" in text.lower() or any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return errors.ConnectionRefused("connection refused")
    if isinstance(exc, httpx.RemoteProtocolError):
        return errors.IncompleteStreamError("connection closed before a response")
    return errors.APIConnectionError(type(exc).__name__)


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from (anyio wraps a refused connection twice)."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    return chain
