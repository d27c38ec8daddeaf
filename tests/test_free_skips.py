"""A bare gr.skip() builds no component on the server (sfui/ui/free_skips.py), and what
Gradio sends for every output stays the same."""

from __future__ import annotations

import asyncio
import copy

import gradio as gr
import pytest
from gradio.blocks import Blocks

from sfui.config import Settings
from sfui.ui import build_demo
from sfui.ui.free_skips import _gradio_postprocess, postprocess_for_free
from sfui.ui.sessions import LeanSessionState


@pytest.fixture(scope="module")
def outputs_demo():
    with gr.Blocks() as demo:
        chat = gr.Chatbot()
        box = gr.Textbox()
        button = gr.Button("More", visible=False)
        note = gr.Markdown()
        kept = gr.State()
        outputs = [chat, box, button, note, kept]
        button.click(lambda: None, None, outputs)
        note.change(lambda: None, None, [chat])
    demo.queue()
    many, one = (next(fn for fn in demo.fns.values() if len(fn.outputs) == count) for count in (5, 1))
    return demo, many, one, outputs


def postprocess(implementation, demo, block_fn, predictions):
    state = LeanSessionState(demo)
    output = asyncio.run(implementation(demo, block_fn, predictions, state))
    return output, state


FRAMES = [
    # The page's Send before its first token: the chat left as the page shows it.
    [gr.skip(), "", gr.skip(), "**waiting**", {"turns": 1}],
    # Every output left alone.
    [gr.skip()] * 5,
    # Other updates go Gradio's way beside a skip.
    [[{"role": "user", "content": "hi"}], gr.update(value="back", interactive=False), gr.update(visible=True),
     gr.skip(), gr.skip()],
]


@pytest.mark.parametrize("predictions", FRAMES, ids=["waiting", "all-skips", "mixed"])
def test_what_is_sent_is_what_gradio_sends(outputs_demo, predictions):
    demo, many, _, _ = outputs_demo
    # (Gradio takes the value out of an update it is handed: each gets its own copy)
    ours, our_state = postprocess(postprocess_for_free, demo, many, copy.deepcopy(predictions))
    gradios, gradio_state = postprocess(_gradio_postprocess, demo, many, copy.deepcopy(predictions))
    assert ours == gradios
    assert our_state.state_data == gradio_state.state_data


def test_a_skip_keeps_the_sessions_component_where_gradio_builds_a_copy(outputs_demo):
    demo, many, one, outputs = outputs_demo
    chat = outputs[0]
    _, gradio_state = postprocess(_gradio_postprocess, demo, many, list(FRAMES[0]))
    assert gradio_state[chat._id] is not chat  # Gradio's way: a new Chatbot for "no change"
    _, our_state = postprocess(postprocess_for_free, demo, many, list(FRAMES[0]))
    assert our_state[chat._id] is chat
    # A step with the chat as its only output too.
    output, our_state = postprocess(postprocess_for_free, demo, one, gr.skip())
    assert output == [{"__type__": "update"}] and our_state[chat._id] is chat
    # An update that changes something still builds the session's own component.
    output, our_state = postprocess(postprocess_for_free, demo, one, gr.update(visible=False))
    assert output == [{"__type__": "update", "visible": False}] and our_state[chat._id] is not chat


def test_the_app_installs_it():
    build_demo(Settings(api_key=None))
    assert Blocks.postprocess_data is postprocess_for_free
