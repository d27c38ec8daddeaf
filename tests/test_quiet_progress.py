"""Steps that show no progress are kept out of the browser's progress bookkeeping
(sfui/ui/quiet_progress.py): the browser client tracks the loading status of every
component an event shows its progress on (its outputs unless it names others), and
revisits all of them on every status message and frame of any event."""

from __future__ import annotations

import gradio as gr

from sfui.config import Settings
from sfui.ui.page import build_demo
from sfui.ui.quiet_progress import untrack_quiet_progress


def test_hidden_progress_and_unqueued_steps_are_untracked():
    with gr.Blocks() as demo:
        box, out, other = gr.Textbox(), gr.Textbox(), gr.Markdown()
        box.submit(lambda x: x, box, out, show_progress="hidden")
        box.change(lambda x: x, box, out, show_progress="hidden", show_progress_on=[other])
        box.input(lambda x: x, box, out, queue=False)
        box.blur(lambda x: x, box, out, show_progress="minimal")
        box.focus(lambda x: x, box, out, show_progress_on=[other])
        box.stop(lambda x: x, box, out)
    assert untrack_quiet_progress(demo) == 3
    deps = demo.get_config_file()["dependencies"]
    assert [dep["show_progress_on"] for dep in deps] == [[], [], [], None, [other._id], None]
    assert [dep["show_progress"] for dep in deps] == ["hidden", "hidden", "hidden", "minimal", "full", "full"]


def test_the_page_tracks_progress_only_where_it_shows_it():
    config = build_demo(Settings(api_key=None, base_url="http://127.0.0.1:9/v1")).get_config_file()
    backend = [dep for dep in config["dependencies"] if dep["backend_fn"]]
    quiet = [dep for dep in backend if dep["show_progress"] == "hidden" or not dep["queue"]]
    assert len(quiet) > 50  # the page's quiet steps: saving, meters, the sidebar's list...
    # The browser takes a missing list as "every output": each of these would be tracked.
    assert [dep["api_name"] or dep["id"] for dep in quiet if dep["show_progress_on"] != []] == []
    # The queued steps that show progress show it on one component each (the model list
    # while the page loads it, the chat while it answers...).
    assert all(len(dep["show_progress_on"] or dep["outputs"]) <= 2 for dep in backend if dep not in quiet)
    # The chat's answer still shows its progress on the chat.
    chatbot = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "chatbot")
    assert any(dep["show_progress_on"] == [chatbot] and dep["show_progress"] != "hidden"
               for dep in config["dependencies"])
