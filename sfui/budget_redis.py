"""The demo's money counters in Redis, shared by every process of one deployment
(``SFUI_REDIS_URL``): the same :class:`~sfui.budget_store.SpendStore` as the embedded
SQLite file, exact across processes.

Each hold and each settle is one Lua script, which Redis runs alone: two processes
admitting at once cannot both take a budget's last room. Money is counted in whole
units (sfui/budget_store.py's SCALE) with HINCRBY; a day's counters are one hash,
``<prefix>:spend:<day>``, with a field per counter for what was spent (``<counter>:s``)
and what is held (``<counter>:h``), kept for KEEP_DAYS.

A hold belongs to the process that made it. Each process keeps a key of its own alive
(``<prefix>:alive:<owner>``, ALIVE_TTL seconds, renewed by a thread every ALIVE_EVERY);
the holds of a process whose key expired (it died mid-answer) or that closed its store
are settled at their full amount by the next store that sweeps: the money may have
been spent, as the SQLite store does for a restart.

Plain Python: no Gradio.
"""

from __future__ import annotations

import logging
import secrets
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from .budget_store import StoreUnavailable, money, units

log = logging.getLogger("sfui.budget")

T = TypeVar("T")

KEEP_DAYS = 8  # a day's counters stay this long (the meter and the log read only today's)
ALIVE_TTL = 30  # seconds a process's key lives without being renewed
ALIVE_EVERY = 5.0  # seconds between renewals, and between sweeps of dead processes' holds

# KEYS: the day's hash, the hold, this process's set of holds, the set of processes with holds.
# ARGV: the hold's id, amount, day, owner, seconds to keep the day, then counter and limit pairs.
HOLD = """
local amount = tonumber(ARGV[2])
local counters = {}
for i = 7, #ARGV, 2 do
  local counter, limit = ARGV[i - 1], tonumber(ARGV[i])
  counters[#counters + 1] = counter
  if limit > 0 then
    local used = tonumber(redis.call('HGET', KEYS[1], counter .. ':s') or '0')
               + tonumber(redis.call('HGET', KEYS[1], counter .. ':h') or '0')
    if used + amount > limit then return 0 end
  end
end
for _, counter in ipairs(counters) do redis.call('HINCRBY', KEYS[1], counter .. ':h', amount) end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('HSET', KEYS[2], 'day', ARGV[3], 'counters', table.concat(counters, '\\n'), 'amount', ARGV[2],
           'owner', ARGV[4])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[4])
return 1
"""

# KEYS: the hold, the day's hash, the owner's set of holds. ARGV: the hold's id, the day and
# owner the caller read from the hold, the amount spent (-1: the hold's own amount).
SETTLE = """
if redis.call('HGET', KEYS[1], 'day') ~= ARGV[2] or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[3] then
  return 0
end
local held = tonumber(redis.call('HGET', KEYS[1], 'amount'))
local spent = tonumber(ARGV[4])
if spent < 0 then spent = held end
for counter in string.gmatch(redis.call('HGET', KEYS[1], 'counters'), '[^\\n]+') do
  local left = tonumber(redis.call('HGET', KEYS[2], counter .. ':h') or '0') - held
  redis.call('HSET', KEYS[2], counter .. ':h', math.max(left, 0))
  redis.call('HINCRBY', KEYS[2], counter .. ':s', spent)
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[3], ARGV[1])
return 1
"""


def redis_secret(client: Any, prefix: str) -> bytes:
    """The deployment's secret, made once by whichever process asks first."""
    key = f"{prefix}:secret"
    client.set(key, secrets.token_bytes(32), nx=True)
    return bytes(client.get(key))


class RedisSpendStore:
    """The counters of the demo's budgets in Redis (``client``: a redis-py client), safe for
    any number of processes and threads."""

    def __init__(self, client: Any, prefix: str = "sfui") -> None:
        self.client = client
        self.prefix = prefix
        self.owner = uuid.uuid4().hex
        self._hold = client.register_script(HOLD)
        self._settle_script = client.register_script(SETTLE)
        self._closed = threading.Event()
        self._call(self._keep_alive)
        self._call(self.settle_abandoned)
        threading.Thread(target=self._beat, name="sfui-budget-alive", daemon=True).start()

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def _call(self, work: Callable[[], T]) -> T:
        """``work()``, with Redis's failures as StoreUnavailable (the guard refuses, never guesses)."""
        import redis

        try:
            return work()
        except redis.RedisError as error:
            raise StoreUnavailable(f"the budgets' Redis: {type(error).__name__}") from error

    def _keep_alive(self) -> None:
        self.client.set(self._key("alive", self.owner), 1, ex=ALIVE_TTL)

    def _beat(self) -> None:
        while not self._closed.wait(ALIVE_EVERY):
            try:
                self._keep_alive()
                self.settle_abandoned()
            except Exception:  # Redis away for a moment: the next beat tries again
                log.warning("the budgets' Redis could not be reached", exc_info=True)

    def settle_abandoned(self) -> int:
        """Settle at their full amount the holds of every process that is no longer alive;
        how many were settled."""
        settled = 0
        for raw in self.client.smembers(self._key("owners")):
            owner = raw.decode()
            if owner == self.owner or self.client.exists(self._key("alive", owner)):
                continue
            for hold in self.client.smembers(self._key("owner", owner, "holds")):
                settled += self._settle(hold.decode(), -1)
            if not self.client.scard(self._key("owner", owner, "holds")):
                self.client.srem(self._key("owners"), owner)
        return settled

    def hold(self, day: str, limits: Mapping[str, float], amount: float) -> str | None:
        hold = uuid.uuid4().hex
        pairs = [value for counter in sorted(limits) for value in (counter, units(limits[counter]))]
        keys = [self._key("spend", day), self._key("hold", hold), self._key("owner", self.owner, "holds"),
                self._key("owners")]
        made = self._call(lambda: self._hold(keys=keys, args=[hold, units(amount), day, self.owner,
                                                              KEEP_DAYS * 86400, *pairs]))
        return hold if made else None

    def settle(self, hold: str, amount: float) -> None:
        self._call(lambda: self._settle(hold, units(amount)))

    def _settle(self, hold: str, amount_units: int) -> int:
        day, owner = self.client.hmget(self._key("hold", hold), ["day", "owner"])
        if day is None or owner is None:
            return 0  # settled already, or never made
        keys = [self._key("hold", hold), self._key("spend", day.decode()), self._key("owner", owner.decode(), "holds")]
        return int(self._settle_script(keys=keys, args=[hold, day, owner, amount_units]))

    def totals(self, day: str, counters: Sequence[str]) -> dict[str, float]:
        counters = list(counters)
        if not counters:
            return {}
        fields = [f"{counter}:{kind}" for counter in counters for kind in ("s", "h")]
        values = self._call(lambda: self.client.hmget(self._key("spend", day), fields))
        amounts = [int(value or 0) for value in values]
        return {counter: money(amounts[2 * i] + amounts[2 * i + 1]) for i, counter in enumerate(counters)}

    def secret(self) -> bytes:
        return self._call(lambda: redis_secret(self.client, self.prefix))

    def close(self) -> None:
        """This process is going: its holds still open are abandoned (the next sweep, by
        any process, settles them at full)."""
        self._closed.set()
        try:
            self.client.delete(self._key("alive", self.owner))
        except Exception:  # Redis away: the key expires by itself
            log.warning("the budgets' Redis could not be reached on close", exc_info=True)
