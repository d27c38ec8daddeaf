"""Idle page sessions: which ones the server lets go, and which page comes back after that.

Gradio keeps every session's state (a copy of the page's config per session, the tab's
``gr.State`` values: the pasted key, the whole conversation) in memory, and lets a session
go only past ``state_session_capacity`` (10,000 sessions, oldest first): about 2 GB on a busy
public page before anything is freed. sfui lets a session go once it has been idle for
``SFUI_SESSION_TTL`` seconds instead (sfui/ui/sessions.py does it to Gradio's state).

A page whose session was let go can still be open in a browser. Its conversations are in
that browser and stay; what the server held for the tab (a pasted key, the open
conversation's id) is gone. So the sessions let go are remembered, a bounded number of them,
and the page's next request is answered with a message saying so (:meth:`came_back`).

Plain Python: no Gradio.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping

# An hour, as Gradio keeps a closed tab's gr.State values (state_holder.py: STATE_TTL_WHEN_CLOSED).
DEFAULT_SESSION_TTL = 3600.0
# Sessions let go that are remembered, to tell a page that comes back why (about 100 bytes each).
REMEMBERED = 50_000


def sweep_every(ttl: float) -> float:
    """Seconds between two sweeps: a quarter of the TTL, between 0.5 s and a minute (a session
    is let go at most that much after its TTL)."""
    return min(60.0, max(0.5, ttl / 4))


class IdleSessions:
    """Which sessions have been idle past ``ttl`` seconds (0: none ever is), and which of the
    page sessions let go came back since."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.time, remembered: int = REMEMBERED) -> None:
        self.ttl = ttl
        self.clock = clock
        self.remembered = remembered
        self._let_go: OrderedDict[str, None] = OrderedDict()

    def idle(self, last_used: Mapping[str, float], busy: Callable[[str], bool]) -> list[str]:
        """The sessions of ``last_used`` (session → when it last ran an event, in the clock's
        seconds) idle for longer than the TTL and not ``busy`` (an answer still streaming)."""
        if self.ttl <= 0:
            return []
        oldest = self.clock() - self.ttl
        return [session for session, used in last_used.items() if used < oldest and not busy(session)]

    def let_go(self, sessions: Iterable[str]) -> None:
        """Remember ``sessions`` (page sessions the server just let go); the oldest are
        forgotten first past ``remembered``."""
        for session in sessions:
            self._let_go[session] = None
            self._let_go.move_to_end(session)
        while len(self._let_go) > self.remembered:
            self._let_go.popitem(last=False)

    def came_back(self, session: str | None) -> bool:
        """Whether ``session`` is a page session that was let go: True once, then it is a
        session like any other."""
        if not session or session not in self._let_go:
            return False
        del self._let_go[session]
        return True

    def __len__(self) -> int:
        return len(self._let_go)
