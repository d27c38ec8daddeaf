"""Who is asking, for the demo's budgets: a visitor is told apart by the browser (a
signed id kept in its storage) **and** by the address the trusted proxies saw. A
budget counts against both, so clearing storage or opening a private window does not
reset it, and a forged header or id spends nobody else's.

The address: with ``trusted_proxies`` proxies in front of the app, each appends the
address it saw to ``X-Forwarded-For``, so the entry the first of them added is the
``trusted_proxies``-th from the right; every entry left of it was written by the
client and is never trusted. With no proxy, the connection's own peer.

Counters never hold an address or a browser id as such: they hold a keyed hash of
it (:meth:`VisitorKeys.counter`), and the owner's log shows a shorter one.

Plain Python: no Gradio, no HTTP.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict
from dataclasses import dataclass

UNKNOWN_ADDRESS = "unknown"


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The visitor's address. ``peer``: the connection's; ``forwarded_for``: the
    X-Forwarded-For header as received (several headers joined by commas); a header
    shorter than the proxies would have made it is not theirs: the peer is used."""
    peer = peer or UNKNOWN_ADDRESS
    if trusted_proxies <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return peer
    return hops[-trusted_proxies]


@dataclass(frozen=True)
class Visitor:
    """One visitor as the budgets see it: the address, and the browser's id when the
    page registered one (an API caller has none: only its address counts)."""

    address: str
    browser: str | None = None


class VisitorKeys:
    """Browser ids (minted and checked) and the counters' names, keyed by a secret
    the store keeps: an id a client made up, or copied from a deployment with another
    secret, is not one of ours."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, text: str) -> str:
        return hmac.new(self._secret, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def mint(self) -> str:
        """A new browser id: random, with its signature."""
        raw = secrets.token_urlsafe(16)
        return f"{raw}.{self._mac('browser:' + raw)[:32]}"

    def verified(self, browser_id: object) -> str | None:
        """``browser_id`` if it is one of ours, else None."""
        if not isinstance(browser_id, str) or browser_id.count(".") != 1 or len(browser_id) > 100:
            return None
        raw, signature = browser_id.split(".")
        expected = self._mac("browser:" + raw)[:32]
        # Bytes: compare_digest refuses str with characters beyond ASCII, and the id is the visitor's to write.
        return browser_id if hmac.compare_digest(signature.encode(), expected.encode()) else None

    def counters(self, visitor: Visitor) -> tuple[str, ...]:
        """The names of the counters ``visitor`` spends against: the address's and, when
        known, the browser's. Hashes: the store never holds an address."""
        names = [self.counter("address", visitor.address)]
        if visitor.browser:
            names.append(self.counter("browser", visitor.browser))
        return tuple(names)

    def counter(self, kind: str, value: str) -> str:
        return f"{kind}:{self._mac(kind + ':' + value)[:24]}"

    def log_name(self, visitor: Visitor) -> str:
        """How the owner's log names ``visitor``: a short hash, never the address or an id."""
        return self._mac("log:" + (visitor.browser or visitor.address))[:10]


class SessionBrowsers:
    """Which browser id each page session registered when it loaded (bounded: the
    oldest sessions are forgotten first; a forgotten one counts by its address only
    until its page loads again)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._ids: OrderedDict[str, str] = OrderedDict()

    def register(self, session: str, browser_id: str) -> None:
        self._ids.pop(session, None)
        self._ids[session] = browser_id
        while len(self._ids) > self.limit:
            self._ids.popitem(last=False)

    def of(self, session: str | None) -> str | None:
        return self._ids.get(session) if session else None

    def forget(self, session: str) -> bool:
        """Drop ``session`` (let go when idle); whether it had registered (a page's session)."""
        return self._ids.pop(session, None) is not None
