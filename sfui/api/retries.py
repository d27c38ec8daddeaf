"""When to retry a failed request and how long to wait first, as three small
functions (after openai-python's ``_should_retry``, ``_calculate_retry_timeout``
and ``_parse_retry_after_header``). Pure: no HTTP, no Gradio.

Which failures are worth a retry is not decided here: each error class in
:mod:`sfui.api.errors` says whether it is ``retryable``, and that table is the policy.
"""

from __future__ import annotations

import email.utils
import math
import random as _random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .events import Retrying

if TYPE_CHECKING:
    from .errors import SiliconFlowError

# The longest wait: a Retry-After longer than this is not waited for (the user
# is told instead), and the backoff never grows beyond it.
MAX_RETRY_WAIT = 60.0
# Each backoff is shortened by up to this fraction, at random, so that clients
# refused at the same moment do not all come back at the same moment.
JITTER = 0.25


def should_retry(error: SiliconFlowError, retries_done: int, max_retries: int) -> bool:
    """Whether to try again after ``error``, with ``retries_done`` retries made so far."""
    if not error.retryable or retries_done >= max_retries:
        return False
    return error.retry_after is None or error.retry_after <= MAX_RETRY_WAIT


def retry_delay(
    attempt: int,
    backoff_factor: float,
    retry_after: float | None = None,
    *,
    random: Callable[[], float] = _random.random,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 for the first: it waits
    too, as retrying a 429 at once only earns another). The server's Retry-After
    wins; otherwise ``backoff_factor`` doubled per retry, capped, less the jitter."""
    if retry_after is not None:
        return retry_after
    backoff = min(MAX_RETRY_WAIT, backoff_factor * 2.0 ** (attempt - 1))
    return backoff * (1.0 - JITTER * random())


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """A Retry-After header in seconds from now: delay-seconds ("2", "0.5") or an
    HTTP-date. None when absent or unreadable; a date in the past is 0."""
    if not value or not value.strip():
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value, now)
    if seconds is None or math.isnan(seconds):
        return None
    return max(0.0, seconds)


def _seconds_until(http_date: str, now: Callable[[], float]) -> float | None:
    try:
        parsed = email.utils.parsedate_tz(http_date)
        return None if parsed is None else email.utils.mktime_tz(parsed) - now()
    except (ValueError, TypeError, OverflowError, IndexError):  # the email parser's failures on odd input
        return None


def retrying_after(error: SiliconFlowError, retries_done: int, max_retries: int, backoff_factor: float) -> Retrying:
    """The Retrying event (attempt, wait) for the next try after ``error``; raises
    ``error`` when it is not retried. Both ways of sending a chat request ask this."""
    if not should_retry(error, retries_done, max_retries):
        raise error
    attempt = retries_done + 1
    delay = retry_delay(attempt, backoff_factor, error.retry_after)
    return Retrying(attempt=attempt, max_retries=max_retries, delay=delay, error=error)
