"""What the browser can still store for this site, as the page measured it, and the
sidebar's storage line.

A browser gives a site one localStorage quota shared by every entry of the site:
sfui's saved conversations, its Compare tally, Gradio's own entries, and anything else
served from the same address. Chromium counts 10 MiB of UTF-16, keys and values, so
5,242,880 characters whatever the text (measured in Debian's Chromium: a Chinese
character costs one, as an ASCII one does); Firefox 5 MiB for a whole site group.
``navigator.storage.estimate()`` does not count localStorage in Chromium (it stays at
0 after 3 million characters are written), so the page measures for itself
(sfui/ui/storage_meter.py): it adds up what every entry holds and probes how much one
more entry could hold. That measure is a :class:`Room`; the server decides with it
whether a save can be written and writes the line in the visitor's language.

Nothing here imports Gradio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .conversations import stored_chars
from .i18n import t

__all__ = ["LOW_FREE", "NEARLY_FULL", "QUOTA_CHARS", "SAFETY_CHARS", "Room", "fits", "is_low", "not_saved_message",
           "storage_line"]

# Chromium's quota (above), for a page that could not measure (localStorage disabled,
# or before its first measure): the store is then taken to be alone in it.
QUOTA_CHARS = 5_242_880
NEARLY_FULL = 0.8  # the line warns from this share of the quota on...
LOW_FREE = 250_000  # ...or below this room (a long conversation), whichever comes first
# sfui's count of the stored store is exact up to how numbers are written (Python and
# JavaScript write a few floats differently): a save is refused this close to the edge.
SAFETY_CHARS = 4_096
_MAX_CHARS = 10**10  # a measure beyond this is not one a browser made


def _count(value: Any) -> int | None:
    ok = type(value) is int and 0 <= value <= _MAX_CHARS
    return value if ok else None


@dataclass(frozen=True)
class Room:
    """The site's localStorage in characters (UTF-16 code units, keys and values)."""

    ours: int  # the saved conversations' entry (its value) as stored now
    others: int  # every other entry of the site, keys included (and our entry's key)
    free: int  # what one write can still add: the largest entry the page could write
    failed: bool = False  # the conversations' last write was refused (QuotaExceededError)

    @property
    def used(self) -> int:
        return self.ours + self.others

    @property
    def total(self) -> int:
        return self.used + self.free

    @classmethod
    def from_page(cls, obj: Any) -> Room | None:
        """The page's measure ``{"ours", "others", "free", "failed"}``, checked; None when
        there is none, or it is not one (it comes from the browser)."""
        if not isinstance(obj, dict):
            return None
        counts = [_count(obj.get(name)) for name in ("ours", "others", "free")]
        if None in counts or not isinstance(obj.get("failed", False), bool):
            return None
        ours, others, free = counts
        return cls(ours or 0, others or 0, free or 0, obj.get("failed", False))

    @classmethod
    def modelled(cls, store: Any) -> Room:
        """The room as far as the server can tell without the page: the store alone in
        Chromium's quota."""
        ours = stored_chars(store)
        return cls(ours, 0, max(QUOTA_CHARS - ours, 0))


def fits(store: Any, room: Room) -> bool:
    """Whether the browser can write ``store`` in place of the stored one: a write over
    the quota fails with only a console message, so the page checks first and says why
    it did not save."""
    return stored_chars(store) + SAFETY_CHARS <= room.ours + room.free


def is_low(room: Room) -> bool:
    return room.free < LOW_FREE or room.used >= NEARLY_FULL * room.total


def _number(count: int) -> str:
    return f"{count:,}"


def storage_line(room: Room, lang: str) -> str:
    """The sidebar's storage line: the share used and the room left; when that is low, a
    warning that says what to do (and how much other data of the site takes)."""
    percent = 100 if room.total == 0 else math.floor(100 * room.used / room.total)  # never shows 79% at 80%
    if not is_low(room):
        return t(lang, "storage_line", percent=percent, free=_number(room.free))
    others = t(lang, "storage_others", others=_number(room.others)) if room.others >= LOW_FREE else ""
    return t(lang, "storage_low", percent=percent, free=_number(room.free), others=others)


def not_saved_message(room: Room, lang: str) -> str:
    """What the page says when a save cannot be written."""
    return t(lang, "storage_not_saved", free=_number(room.free))
