"""Where the demo's counters and the shared votes live: one choice, made here from the settings.

Without ``SFUI_REDIS_URL`` (the default): SQLite files under the data folder (the budgets'
money, the shared votes) and this process's memory (the requests per minute, the keys tried
per hour), which is right for one process, as a Space runs.

With it: all of them in that Redis, so that N processes behind a proxy count one budget, one
rate limit and one leaderboard (docs/deployment.md, "More than one process"). The rate limits
are the ``limits`` package's moving windows (sfui/rate_windows.py: RedisWindows); the money
and the votes are sfui's Lua scripts (sfui/budget_redis.py, sfui/vote_store.py). The secret
that signs browser ids and names the counters is the deployment's, kept in Redis too: every
process must name a visitor's counters alike.

Plain Python: no Gradio.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Any

from .budget import WindowsFactory
from .budget_redis import RedisSpendStore, redis_secret
from .budget_store import SpendStore, SQLiteSpendStore, StoreUnavailable, default_data_dir
from .config import Settings
from .rate_windows import RedisWindows
from .vote_store import VOTES_FILE, RedisVoteStore, VoteStore

BUDGET_FILE = "budgets.sqlite3"
PREFIX = "sfui"  # every key sfui writes in Redis starts with "sfui:"
REDIS_TIMEOUT = 5.0  # seconds for a connection or a reply; past it the request is refused, not hung


@cache
def redis_client(url: str) -> Any:
    """One redis-py client (a pool of connections) per URL, for the whole process."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT,
                                health_check_interval=30)


def data_folder(settings: Settings) -> Path:
    return Path(settings.data_dir or default_data_dir())


def spend_store(settings: Settings) -> SpendStore:
    """The money counters: Redis's with SFUI_REDIS_URL, else the data folder's SQLite file."""
    if settings.redis_url:
        return RedisSpendStore(redis_client(settings.redis_url), PREFIX)
    return SQLiteSpendStore(data_folder(settings) / BUDGET_FILE)


def visitor_secret(settings: Settings, store: SpendStore | None) -> bytes:
    """The secret of browser ids and counter names: the store's (it outlives a restart), the
    Redis's (shared by the processes) when no money store is open, else this process's own."""
    if store is not None:
        return store.secret()
    if settings.redis_url:
        try:
            return redis_secret(redis_client(settings.redis_url), PREFIX)
        except Exception as error:
            raise StoreUnavailable(f"SFUI_REDIS_URL cannot be reached: {type(error).__name__}") from error
    return secrets.token_bytes(32)


def rate_windows(settings: Settings) -> WindowsFactory | None:
    """The rate limits' windows: in Redis with SFUI_REDIS_URL; None: this process's own."""
    url = settings.redis_url
    if not url:
        return None
    return lambda limit, period, name: RedisWindows(url, limit, period, name, prefix=PREFIX)


def vote_store(settings: Settings) -> VoteStore | RedisVoteStore:
    """Everyone's counted votes (SFUI_SHARED_VOTES): in Redis, or beside the budgets' file."""
    if settings.redis_url:
        return RedisVoteStore(redis_client(settings.redis_url), prefix=PREFIX)
    return VoteStore(data_folder(settings) / VOTES_FILE)
