"""Steps that show no progress are kept out of the browser's progress bookkeeping
(sfui/ui/quiet_progress.py): the browser client tracks the loading status of every
component an event shows its progress on (its outputs unless it names others), and
revisits all of them on every status message and frame of any event."""

from __future__ import annotations

import gradio as gr

from sfui.config import Settings
from sfui.ui.page import build_demo
from sfui.ui.quiet_progress import untrack_quiet_progress


def test_only_hidden_progress_without_targets_is_untracked():
    with gr.Blocks() as demo:
        box, out, other = gr.Textbox(), gr.Textbox(), gr.Markdown()
        box.submit(lambda x: x, box, out, show_progress="hidden")
        box.change(lambda x: x, box, out, show_progress="hidden", show_progress_on=[other])
        box.blur(lambda x: x, box, out, show_progress="minimal")
        box.focus(lambda x: x, box, out)
    assert untrack_quiet_progress(demo) == 1
    deps = demo.get_config_file()["dependencies"]
    assert [dep["show_progress_on"] for dep in deps] == [[], [other._id], None, None]


def test_the_page_tracks_progress_only_where_it_shows_it():
    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    hidden = [dep for dep in config["dependencies"] if dep["show_progress"] == "hidden" and dep["backend_fn"]]
    assert len(hidden) > 50  # the page's quiet steps: saving, meters, the sidebar's list...
    # The browser takes a missing list as "every output": each of these would be tracked.
    tracked = [dep["api_name"] or dep["id"] for dep in hidden if dep["show_progress_on"] is None]
    assert tracked == []
    # The chat's answer still shows its progress on the chat.
    chatbot = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "chatbot")
    assert any(dep["show_progress_on"] == [chatbot] and dep["show_progress"] != "hidden"
               for dep in config["dependencies"])
