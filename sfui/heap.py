"""The garbage collector of a serving process.

CPython's cyclic collector stops the whole process while it runs, and a full collection
walks every object the process holds. An app holds a few hundred thousand objects from
its start to its end (the modules, the page's components and their config), so under a
burst of visitors the full collections that the burst's own allocations set off paused
the event loop long enough to hold back every stream's first token (docs/performance.md,
"Fifth pass"). Collecting once after start-up and setting the survivors aside
(``gc.freeze``) leaves the collector only the objects made since; a larger first
threshold makes the young collections, and so the full ones they lead to, rarer.
"""

from __future__ import annotations

import gc

# Container objects allocated between two young collections (CPython's default: 700). A
# burst of visitors allocates that many in well under a millisecond of work; at this
# threshold a young collection still finds a generation small enough to walk at once.
YOUNG_THRESHOLD = 7000


def settle_after_startup() -> None:
    """Call once the app is built and serving: collect what start-up left behind, set
    every object still alive aside from later collections, and collect the young
    generation less often."""
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)
