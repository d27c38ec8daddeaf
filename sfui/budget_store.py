"""Where the demo's money counters live: per day and per counter (a visitor's
address, their browser, everyone), what was spent and what is held for answers in
progress. :class:`SpendStore` is the whole interface; :class:`SQLiteSpendStore`
is the embedded default, one file under ``SFUI_DATA_DIR`` that survives a restart.

A hold is made before a request, for its worst case, and only if every counter
stays within its limit with it: one transaction, so answers started at once from
many tabs can never pass a limit together. Several processes share one Redis
instead (sfui/budget_redis.py, chosen by sfui/stores.py). Settling replaces the hold by what the
answer really cost. A hold left by a process that died is settled at its full
amount when the store opens again: the money may have been spent.

Plain Python: no Gradio.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

# Money is counted in whole units of this fraction of the currency: sums of floats would drift.
SCALE = 10**9
# Seconds between two checkpoints of the write-ahead log into the database file.
CHECKPOINT_EVERY = 5.0


def units(amount: float) -> int:
    """``amount`` of money in store units, rounded up (a hold is never too small)."""
    return -(-round(amount * SCALE * 1000) // 1000)


def money(amount_units: int) -> float:
    return amount_units / SCALE


class StoreUnavailable(RuntimeError):
    """A shared store (Redis) could not be reached: nothing was held, counted or kept."""


class SpendStore(Protocol):
    """The counters of the demo's budgets. A limit of 0 is no limit."""

    def hold(self, day: str, limits: Mapping[str, float], amount: float) -> str | None:
        """Hold ``amount`` on every counter of ``limits`` (counter → limit) if each stays
        within its limit with it: the hold's id; None (and nothing held) if one would not."""

    def settle(self, hold: str, amount: float) -> None:
        """Replace the hold by ``amount`` spent (an unknown hold: nothing happens)."""

    def totals(self, day: str, counters: Sequence[str]) -> dict[str, float]:
        """Spent plus held, per counter (0 for a counter never used)."""

    def secret(self) -> bytes:
        """This deployment's secret (visitor ids and counter names are keyed with it)."""


def default_data_dir() -> Path:
    """SFUI_DATA_DIR; else a Space's persistent storage (/data) when it exists; else a
    git-ignored folder beside the app."""
    if os.environ.get("SFUI_DATA_DIR", "").strip():
        return Path(os.environ["SFUI_DATA_DIR"].strip())
    space = Path("/data")
    if space.is_dir() and os.access(space, os.W_OK):
        return space / "sfui"
    return Path(__file__).resolve().parents[1] / ".sfui-data"


class SQLiteSpendStore:
    """The embedded store: one SQLite file, safe for one app process (several
    processes need a shared store: see docs/deployment.md)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        # WAL without a sync per commit: a hold costs microseconds; a power cut may lose
        # the last commits, never the file.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints (which sync the file) run on a thread of the store's own, never inside a
        # visitor's hold: bench/budget.py measured them as the check's slowest requests.
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        self._closed = threading.Event()
        threading.Thread(target=self._checkpoints, name="sfui-budget-checkpoints", daemon=True).start()
        self._db.executescript("""
            CREATE TABLE IF NOT EXISTS spend (day TEXT, counter TEXT, spent INTEGER NOT NULL DEFAULT 0,
                held INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, counter));
            CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, day TEXT, counters TEXT, amount INTEGER,
                made REAL);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB);
        """)
        self._settle_abandoned()

    def _checkpoints(self) -> None:
        checkpointer = sqlite3.connect(self.path, check_same_thread=False)
        try:
            while not self._closed.wait(CHECKPOINT_EVERY):
                checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            pass  # the file went away (a test's folder): nothing left to checkpoint
        finally:
            checkpointer.close()

    def _settle_abandoned(self) -> None:
        with self._lock:
            for hold, _day, _counters, amount, _made in self._db.execute("SELECT * FROM holds").fetchall():
                self._settle(hold, amount)

    def hold(self, day: str, limits: Mapping[str, float], amount: float) -> str | None:
        amount_units = units(amount)
        counters = sorted(limits)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                used = self._used(day, counters)
                for counter in counters:
                    limit = limits[counter]
                    if limit > 0 and used.get(counter, 0) + amount_units > units(limit):
                        self._db.execute("ROLLBACK")
                        return None
                hold = uuid.uuid4().hex
                self._db.executemany(
                    "INSERT INTO spend (day, counter, held) VALUES (?, ?, ?) "
                    "ON CONFLICT (day, counter) DO UPDATE SET held = held + excluded.held",
                    [(day, counter, amount_units) for counter in counters])
                self._db.execute("INSERT INTO holds VALUES (?, ?, ?, ?, ?)",
                                 (hold, day, "\n".join(counters), amount_units, time.time()))
                self._db.execute("COMMIT")
                return hold
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def settle(self, hold: str, amount: float) -> None:
        with self._lock:
            self._settle(hold, units(amount))

    def _settle(self, hold: str, amount_units: int) -> None:
        row = self._db.execute("SELECT day, counters, amount FROM holds WHERE id = ?", (hold,)).fetchone()
        if row is None:
            return
        day, counters, held = row
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "UPDATE spend SET held = max(held - ?, 0), spent = spent + ? WHERE day = ? AND counter = ?",
                [(held, amount_units, day, counter) for counter in counters.split("\n") if counter])
            self._db.execute("DELETE FROM holds WHERE id = ?", (hold,))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _used(self, day: str, counters: Sequence[str]) -> dict[str, int]:
        if not counters:
            return {}
        marks = ",".join("?" * len(counters))
        rows = self._db.execute(f"SELECT counter, spent + held FROM spend WHERE day = ? AND counter IN ({marks})",
                                (day, *counters))
        return dict(rows.fetchall())

    def totals(self, day: str, counters: Sequence[str]) -> dict[str, float]:
        with self._lock:
            used = self._used(day, list(counters))
        return {counter: money(used.get(counter, 0)) for counter in counters}

    def secret(self) -> bytes:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE name = 'secret'").fetchone()
            if row is None:
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('secret', ?)", (secrets.token_bytes(32),))
                row = self._db.execute("SELECT value FROM meta WHERE name = 'secret'").fetchone()
        return bytes(row[0])

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            self._db.close()
