"""The alternatives bar under the chat: "‹ Answer 2 / 3 ›" while the branch shown has a
place with alternatives (sfui/alternatives.py). It shows one place: the one the visitor
chose (a click on its message, or a switch there), else the lowest (the latest answer's
alternatives, or an edited question's). The bar is hidden, by CSS, while its status is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..alternatives import REPLIES, focused_fork
from ..i18n import t

# The row is shown only while the status is (Gradio leaves an invisible component out of the page).
CSS = """
#alt-bar { align-items: center; gap: 6px; flex-wrap: nowrap; }
#alt-bar:not(:has(#alt-status)) { display: none; }
#alt-bar > button { flex: 0 0 auto !important; min-width: 2.6em !important; width: auto !important; }
#alt-status { flex: 0 0 auto !important; width: auto !important; min-width: 0 !important; padding: 0 4px; }
#alt-status p { margin: 0; font-variant-numeric: tabular-nums; white-space: nowrap; }
"""


@dataclass
class AltBar:
    prev_btn: gr.Button  # "‹": the alternative before
    status: gr.Markdown  # "Answer 2 / 3"; hidden (and the bar with it) when there is none
    next_btn: gr.Button  # "›": the alternative after
    focus: gr.State  # the place chosen (sfui.alternatives.Focus), on the server, per tab


def render_alt_bar() -> AltBar:
    with gr.Row(elem_id="alt-bar"):
        prev_btn = gr.Button("‹", elem_id="alt-prev-btn", size="sm", scale=0, min_width=40)
        status = gr.Markdown(visible=False, elem_id="alt-status", container=False)
        next_btn = gr.Button("›", elem_id="alt-next-btn", size="sm", scale=0, min_width=40)
    return AltBar(prev_btn, status, next_btn, gr.State(None))


def status_update(history: list, lang: str, focus: Any = None) -> Any:
    """The bar's status for ``history``: the place ``focus`` names while it holds, else the
    lowest one; hidden when there is none."""
    fork = focused_fork(history, focus)
    if fork is None:
        return gr.update(visible=False, value="")
    key = "alt_answer" if fork.kind == REPLIES else "alt_question"
    return gr.update(visible=True, value=t(lang, key, shown=fork.shown + 1, count=fork.count))
