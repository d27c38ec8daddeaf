"""The server's copy of every visitor's counted votes, when SFUI_SHARED_VOTES=1 (a public Space):
one SQLite file, ``votes.sqlite3``, in the data folder of the demo's budgets (:class:`VoteStore`),
or, with SFUI_REDIS_URL, Redis, shared by every process of the deployment (:class:`RedisVoteStore`).

One vote per round (the round id is the key: a second vote on it changes nothing), and a daily
cap per visitor, counted against each of the visitor's counters (their address's and their
browser's, as the budgets count: sfui/visitors.py), so a cleared storage does not reset it. The
store keeps the vote's record (sfui/votes.py) and never an address or a browser id: the counters
are keyed hashes.

Plain Python: no Gradio.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .votes import MAX_RECORDS, clean_record

VOTES_FILE = "votes.sqlite3"
DAILY_CAP = 200  # counted votes a visitor adds to everyone's leaderboard per day (UTC)
SHARED_RECORDS = 20 * MAX_RECORDS  # the newest votes everyone's leaderboard is computed from


def shared_votes_enabled() -> bool:
    """SFUI_SHARED_VOTES=1 (or true/yes/on): the server keeps every visitor's counted votes."""
    return os.environ.get("SFUI_SHARED_VOTES", "").strip().lower() in ("1", "true", "yes", "on")


def today() -> str:
    return time.strftime("%Y-%m-%d", time.gmtime())


class VoteStore:
    """Everyone's counted votes, safe for one app process's threads."""

    def __init__(self, path: str | os.PathLike[str], cap: int = DAILY_CAP) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.cap = cap
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS votes (round TEXT PRIMARY KEY, day TEXT NOT NULL,"
                         " tstamp REAL NOT NULL, record TEXT NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS counts (day TEXT NOT NULL, counter TEXT NOT NULL,"
                         " n INTEGER NOT NULL, PRIMARY KEY (day, counter))")

    def add(self, record: dict, counters: Sequence[str], day: str | None = None) -> bool:
        """Keep ``record`` (a counted vote) for everyone's leaderboard: False when it is not
        counted, malformed, its round already voted on, or a counter reached today's cap."""
        record = clean_record(record) or {}
        if not record.get("counted") or not counters:
            return False
        day = day or today()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                kept = self._add(record, counters, day)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return kept

    def _add(self, record: dict, counters: Sequence[str], day: str) -> bool:
        marks = ",".join("?" * len(counters))
        used = self._db.execute(f"SELECT MAX(n) FROM counts WHERE day = ? AND counter IN ({marks})",
                                (day, *counters)).fetchone()[0]
        if (used or 0) >= self.cap:
            return False
        inserted = self._db.execute("INSERT OR IGNORE INTO votes VALUES (?, ?, ?, ?)",
                                    (record["id"], day, record["tstamp"], json.dumps(record))).rowcount
        if not inserted:
            return False
        self._db.executemany("INSERT INTO counts VALUES (?, ?, 1) ON CONFLICT (day, counter) DO UPDATE SET n = n + 1",
                             [(day, counter) for counter in counters])
        return True

    def records(self, limit: int = SHARED_RECORDS) -> list[dict]:
        """The newest ``limit`` counted votes, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT record FROM votes ORDER BY rowid DESC LIMIT ?", (limit,)).fetchall()
        found = (clean_record(json.loads(text)) for (text,) in reversed(rows))
        return [record for record in found if record is not None]

    def close(self) -> None:
        with self._lock:
            self._db.close()


# KEYS: the day's counts, the round's marker, the records. ARGV: the cap, the record (JSON), how
# many records to keep, seconds to remember the round, then the counters.
ADD_VOTE = """
local cap = tonumber(ARGV[1])
for i = 5, #ARGV do
  if tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') >= cap then return 0 end
end
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('LPUSH', KEYS[3], ARGV[2])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
for i = 5, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
redis.call('EXPIRE', KEYS[1], 172800)
return 1
"""
ROUND_MEMORY = 30 * 86400  # seconds a round's vote is remembered (a vote comes minutes after its round)


class RedisVoteStore:
    """Everyone's counted votes in Redis (``client``: a redis-py client), for any number of
    processes: each add is one Lua script (the cap, the round's one vote and the record
    together). Keeps the newest ``SHARED_RECORDS`` records, all that the leaderboard reads."""

    def __init__(self, client: Any, cap: int = DAILY_CAP, prefix: str = "sfui") -> None:
        self.client = client
        self.cap = cap
        self.prefix = prefix
        self._add = client.register_script(ADD_VOTE)

    def add(self, record: dict, counters: Sequence[str], day: str | None = None) -> bool:
        """As :meth:`VoteStore.add`."""
        record = clean_record(record) or {}
        if not record.get("counted") or not counters:
            return False
        keys = [f"{self.prefix}:votes:counts:{day or today()}", f"{self.prefix}:votes:round:{record['id']}",
                f"{self.prefix}:votes:records"]
        return bool(self._add(keys=keys, args=[self.cap, json.dumps(record), SHARED_RECORDS, ROUND_MEMORY,
                                               *counters]))

    def records(self, limit: int = SHARED_RECORDS) -> list[dict]:
        """The newest ``limit`` counted votes, oldest first."""
        texts = self.client.lrange(f"{self.prefix}:votes:records", 0, max(0, limit - 1)) if limit > 0 else []
        found = (clean_record(json.loads(text)) for text in reversed(texts))
        return [record for record in found if record is not None]

    def close(self) -> None:
        pass  # the client is the process's (sfui/stores.py)
