"""The browser's loading statuses kept to the components that show one, done to Gradio's
own client in the page.

Gradio 6.31's client (its LoadingStatus, in the ``statustracker`` chunk) marks an event's
*inputs* with its status when the status carries a ``stream_state``: meant for streaming
inputs (a webcam, a microphone), but every event's "complete" carries ``closed``, so each
event that ends leaves all its inputs in the list for good. On every later status message
and frame of any event, the page hands each listed status back to its component: a search
of the component tree and a copy of the component's whole value apiece. Here that was the
chat, the conversation, every request field and the browser's store of saved
conversations, about 30 components, on every frame of every answer (bench/first_token.py:
a third of the page's work between Enter and the first answer text).

sfui streams no inputs, so :data:`HEAD_SCRIPT` drops the inputs' entries from the statuses
as Gradio works them out, except an input the event shows its progress on (the chat, for
Send: its "complete" ends the progress shown). The rest of the outputs' statuses are untouched. It
patches the class that the page's own bundle imports (the same module URL, so the same
module), and does nothing if that chunk is not where Gradio 6.31 puts it.
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio

ASSETS = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"


def status_chunk() -> str | None:
    """The file name of the chunk that holds Gradio's LoadingStatus (None: not found)."""
    found = sorted(path.name for path in ASSETS.glob("statustracker-*.js"))
    return found[0] if len(found) == 1 else None


def head_script(chunk: str | None = None) -> str:
    """The page's script that patches LoadingStatus (empty without the chunk)."""
    chunk = chunk or status_chunk()
    if chunk is None:
        return ""
    return f"""<script>(() => {{
  // The page's bundle loads './assets/<chunk>' relative to the page: the same URL, the same module.
  import(new URL({json.dumps('assets/' + chunk)}, document.baseURI).href).then((module) => {{
    const LoadingStatus = Object.values(module).find(
      (value) => typeof value === 'function' && value.prototype && 'resolve_args' in value.prototype);
    if (!LoadingStatus || LoadingStatus.prototype.sfuiInputsDropped) return;
    const resolve = LoadingStatus.prototype.resolve_args;
    // An input that the event also shows its progress on (the chat, for Send) keeps its entry:
    // that is how its progress ends.
    LoadingStatus.prototype.resolve_args = function (status) {{
      const shown = this.fn_outputs[status.fn_index] || [];
      return resolve.call(this, status).filter((entry) => entry.type !== 'input' || shown.includes(entry.id));
    }};
    LoadingStatus.prototype.sfuiInputsDropped = true;
  }}).catch(() => {{}});
}})();</script>"""


HEAD_SCRIPT = head_script()
