"""sfui.api.retries: whether to retry, how long to wait, and the Retry-After header. Pure."""

from __future__ import annotations

import email.utils

import pytest

from sfui.api import errors
from sfui.api.retries import JITTER, MAX_RETRY_WAIT, parse_retry_after, retry_delay, should_retry


def rate_limit(retry_after: float | None = None) -> errors.RateLimitError:
    return errors.RateLimitError("rate limited", status=429, retry_after=retry_after)


# --- should_retry ----------------------------------------------------------------------------


def test_retryable_errors_are_retried_while_retries_remain():
    assert should_retry(rate_limit(), 0, 2)
    assert should_retry(rate_limit(), 1, 2)
    assert not should_retry(rate_limit(), 2, 2)
    assert not should_retry(rate_limit(), 0, 0)  # max_retries=0: never


@pytest.mark.parametrize(
    "error",
    [
        errors.BadRequestError("bad", status=400),
        errors.AuthenticationError("no", status=401),
        errors.InsufficientBalanceError("broke", status=402),
        errors.NotFoundError("gone", status=404),
        errors.SiliconFlowError("unknown"),
    ],
)
def test_the_error_class_decides(error):
    """The error table in sfui.api.errors is the policy: a class that is not retryable never is."""
    assert not error.retryable
    assert not should_retry(error, 0, 5)


@pytest.mark.parametrize(
    "error",
    [
        errors.ServerError("oops", status=500),
        errors.OverloadedError("busy", status=503),
        errors.ConnectionRefused("refused"),
    ],
)
def test_retryable_classes_are_retried(error):
    assert should_retry(error, 0, 1)


def test_a_retry_after_beyond_the_limit_is_not_waited_for():
    assert should_retry(rate_limit(retry_after=MAX_RETRY_WAIT), 0, 2)
    assert not should_retry(rate_limit(retry_after=MAX_RETRY_WAIT + 1), 0, 2)
    assert not should_retry(rate_limit(retry_after=float("inf")), 0, 2)


# --- retry_delay -------------------------------------------------------------------------------


def test_backoff_doubles_from_the_first_retry():
    """The first retry waits too: retrying a 429 at once only earns another."""
    delays = [retry_delay(attempt, 0.5, random=lambda: 0.0) for attempt in (1, 2, 3, 4)]
    assert delays == [0.5, 1.0, 2.0, 4.0]


def test_backoff_is_capped():
    assert retry_delay(30, 1.0, random=lambda: 0.0) == MAX_RETRY_WAIT


def test_jitter_shortens_the_wait_by_up_to_a_quarter():
    assert retry_delay(2, 1.0, random=lambda: 1.0) == pytest.approx(2.0 * (1 - JITTER))
    assert retry_delay(2, 1.0, random=lambda: 0.5) == pytest.approx(2.0 * (1 - JITTER / 2))
    delays = {retry_delay(3, 1.0) for _ in range(200)}
    assert all(4.0 * (1 - JITTER) <= d <= 4.0 for d in delays)
    assert len(delays) > 100  # really random: clients refused together do not return together


def test_the_servers_retry_after_wins():
    assert retry_delay(1, 1.0, 7.5, random=lambda: 1.0) == 7.5  # neither backoff nor jitter
    assert retry_delay(3, 1.0, 0.0) == 0.0


# --- parse_retry_after -----------------------------------------------------------------------


@pytest.mark.parametrize("value, seconds", [("2", 2.0), ("0.5", 0.5), (" 10 ", 10.0), ("0", 0.0), ("-3", 0.0)])
def test_delay_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


def test_an_http_date_is_seconds_from_now():
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(header, now=lambda: now) == pytest.approx(30.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(past, now=lambda: now) == 0.0


@pytest.mark.parametrize("value", [None, "", "  ", "soon", "nan", "Wed, 99 Foo 2015 07:28:00 GMT"])
def test_absent_or_unreadable_is_none(value):
    assert parse_retry_after(value) is None
