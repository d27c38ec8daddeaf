"""The server's copy of every visitor's counted votes, when SFUI_SHARED_VOTES=1 (a public Space):
one SQLite file, ``votes.sqlite3``, in the data folder of the demo's budgets.

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
