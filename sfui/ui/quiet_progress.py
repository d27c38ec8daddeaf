"""Steps that show no progress are kept out of the browser's progress bookkeeping.

Gradio 6.31's browser client keeps a loading status for every component that an event
which ever ran shows its progress on: the event's ``show_progress_on``, or else all its
outputs, whether the progress is shown or ``"hidden"``. On every status message and frame
of *any* event it hands each of those statuses back to its component: a search of the
page's component tree and a copy of the component's state apiece. A page whose quiet
steps (saving, the meters, the sidebar's list) had each run once made every frame of an
answer, and the moments between Enter and the request, pay for dozens of components
that never show a spinner (bench/first_token.py: Enter -> the page's join).

An event whose progress is hidden needs none of that, and neither does a step that is not
queued (it answers in one round trip: its progress would only flash).
:func:`untrack_quiet_progress` hides the progress of each of those and gives it an empty
``show_progress_on`` (which the client takes as "no component": it tests the list, not
its length), so only the queued events that show progress, on the components they name,
are tracked.
"""

from __future__ import annotations

import gradio as gr


def untrack_quiet_progress(demo: gr.Blocks) -> int:
    """Let every event of ``demo`` whose progress is hidden, and every step that is not
    queued, track no component's loading status; the number of events changed."""
    changed = 0
    for fn in demo.fns.values():
        quiet = fn.show_progress == "hidden" or not fn.queue
        if quiet and fn.show_progress_on != []:
            fn.show_progress, fn.show_progress_on = "hidden", []
            changed += 1
    return changed
