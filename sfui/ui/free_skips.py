"""A bare ``gr.skip()`` costs the server next to nothing, done to Gradio's own postprocessing.

Gradio 6.31 handles every prop update an event returns, a bare ``gr.skip()`` ("no change")
included, by building a new component from the old one's constructor arguments and putting
it in the session (``Blocks.postprocess_data``): about half a millisecond of the event loop
per skipped output, every frame, for a Chatbot (bench/skips.py). A bare skip changes
nothing, so that component is a copy of the one the session has. sfui's steps return
skips all the time: the frame of the page's Send before its first token leaves the chat as
the page shows it, and most steps after an answer leave some of their outputs alone.

:func:`skip_for_free` wraps ``Blocks.postprocess_data``: Gradio is handed its own marker for
"nothing for this output" (``FINISHED_ITERATING``, which it passes over) in place of each
bare skip, and the skip is put back in what it returns, the same ``{"__type__": "update"}``
Gradio would have sent. Any other update (visible, interactive, a value) goes Gradio's way.
"""

from __future__ import annotations

from typing import Any

from gradio import components
from gradio.blocks import Blocks

_gradio_postprocess = Blocks.postprocess_data
_PASSED_OVER = components._Keywords.FINISHED_ITERATING


def is_bare_skip(value: Any) -> bool:
    """``gr.skip()``: an update that names nothing to change."""
    return type(value) is dict and len(value) == 1 and value.get("__type__") == "update"


def bare_skips(block_fn: Any, predictions: Any) -> list[int]:
    """Which components ``predictions`` leaves alone with a bare skip (none where Gradio
    reads the predictions another way: a batch, a validator, a dict of components)."""
    if block_fn.batch or block_fn.is_validator_function:
        return []
    if len(block_fn.outputs) == 1:
        predictions = [predictions]
    elif not isinstance(predictions, (list, tuple)) or len(predictions) != len(block_fn.outputs):
        return []
    # (a State's skip costs nothing already, and Gradio sends it as None)
    return [i for i, (block, value) in enumerate(zip(block_fn.outputs, predictions, strict=True))
            if is_bare_skip(value) and not block.stateful]


async def postprocess_for_free(self: Blocks, block_fn: Any, predictions: Any, state: Any) -> list[Any]:
    """Blocks.postprocess_data, with each bare skip passed over and put back."""
    bare = bare_skips(block_fn, predictions)
    if not bare:
        return await _gradio_postprocess(self, block_fn, predictions, state)
    if len(block_fn.outputs) == 1:
        handed: Any = _PASSED_OVER  # Gradio wraps a single output's value in a list itself
    else:
        handed = list(predictions)
        for i in bare:
            handed[i] = _PASSED_OVER
    output = await _gradio_postprocess(self, block_fn, handed, state)
    for i in bare:
        output[i] = {"__type__": "update"}
    return output


def skip_for_free() -> None:
    """Install :func:`postprocess_for_free` in place of Gradio's (idempotent)."""
    Blocks.postprocess_data = postprocess_for_free  # type: ignore[method-assign]
