"""The Gradio layer: layout and event wiring only, one module per panel.

- ``page``: builds the whole page (``build_demo``), its launch options and start-up lines;
- ``layout``: where each panel goes, returning the components record;
- ``chat_pane`` / ``chat_handlers``: the chat pane, Send/Stop/Retry/Undo/Clear and the public ``/chat``;
- ``send_step``: the page's Send: its browser step, its streaming step and the step after it;
- ``keys``: the API key box, the live model list and the demo's budget meter;
- ``fields``: the request-field controls, built from ``sfui.params.FIELDS``;
- ``common``: what every panel shares (the visitor's language, labels).

The logic they call is plain Python in ``sfui.chat``, ``sfui.params`` and
``sfui.streaming``.
"""

from .page import build_demo, launch_options, queue_options, startup_lines

__all__ = ["build_demo", "launch_options", "queue_options", "startup_lines"]
