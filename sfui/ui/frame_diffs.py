"""Streamed frames that cannot lose an update, done to Gradio's own diffs.

Gradio 6.31 sends each frame of a generator after the first as a diff against the frame
before (``gradio.utils.diff``), and its browser client applies that diff *in place* to the
previous frame's objects. Frames that arrive together (one network read, or replayed when
they came before the client registered the event) are all applied before the page's loop
takes the first: an output that one frame sets (the refused message back in the box, a
notice hidden) and the next leaves unchanged (``gr.skip()``, a dict) is turned into "no
change" in the first frame too, and the update never happens. Under load this lost about
one refused message in three (tests/test_frame_diffs.py shows the mechanism).

:func:`keep_every_update` makes the diff of an output that is or was a prop update (such as
``gr.skip()`` or ``gr.update(visible=False)``) a replacement of the whole value, which the
client applies without touching the previous frame. Every other diff (the chat's appended
text, the bulk of what streams) stays as Gradio makes it.
"""

from __future__ import annotations

from typing import Any

from gradio import utils

_gradio_diff = utils.diff


def frame_diff(old: Any, new: Any) -> list:
    """The edits from ``old`` to ``new`` (Gradio's format): one whole replacement when
    either is a prop update, else Gradio's own."""
    if old != new and (utils.is_prop_update(old) or utils.is_prop_update(new)):
        return [["replace", [], new]]
    return _gradio_diff(old, new)


def keep_every_update() -> None:
    """Install :func:`frame_diff` in place of Gradio's (idempotent)."""
    utils.diff = frame_diff
