"""The chat pane: its layout, the handlers of Send, Stop, Retry, Undo, Clear and
Continue, the alternatives bar under the chat (what Retry and Edit replaced), and the
public ``/chat`` and ``/retry`` endpoints.

Send is a chain. Its first step runs in the browser (no server round trip
before the request is queued): it empties the box, unless the message is
blank, hands the message (its text and attached pictures) over through a
hidden box and shows the question in the chat at once (sfui/ui/send_step.py).
The queued step reads and checks the pictures (sfui/ui/uploads.py: each upload
is deleted once read; the picture goes on as a data: URL in the chat history),
then streams into the chat and the side panels only; a quick step after it
gives back a message that was not sent and sets the "show earlier" button and
the alternatives bar. A
message with pictures to a model not known to see images is not sent: a notice
says so, with Send anyway for a model id the catalogue does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ..chat import MAX_MESSAGE_CHARS
from .alt_bar import AltBar, render_alt_bar
from .alt_handlers import wire_alt_bar
from .chat_handlers import ChatHandlers
from .common import AFTER_EACH, AppContext, label
from .continue_pane import wire_continue
from .fields import with_request_fields
from .send_step import SEND_JS, PageSend
from .share_panel import ChatShare, render_banner, render_chat_share
from .starters import ExampleButtons, render_examples

LATEX = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "\\[", "right": "\\]", "display": True},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "$", "right": "$", "display": False},
]

# The browser-side first step of Compare's Send: empty the box (a blank message stays, and
# is ignored) and pass the message on to the queued step through a hidden textbox. (The
# chat's: send_step.SEND_JS.)
TAKE_MESSAGE_JS = "(message) => [message && message.trim() ? '' : message, message]"


@dataclass
class ChatArea:
    chatbot: gr.Chatbot  # the latest turns of the conversation (sfui.chat_window)
    history: gr.State  # the whole conversation, on the server (per tab)
    show_earlier_btn: gr.Button  # "Show the N earlier questions", above the chat while some are hidden
    user_input: gr.MultimodalTextbox
    send_btn: gr.Button
    stop_btn: gr.Button
    clear_btn: gr.Button
    pending_message: gr.MultimodalTextbox  # the message on its way from the box to the streaming step
    api_chat: gr.Button  # a trigger no visitor can press: only for the /chat endpoint
    api_retry: gr.Button  # the same for /retry
    api_message: gr.Textbox  # /chat's message: text, as the API has always taken it
    vision_notice: gr.Row  # "this model can't see images", shown instead of sending
    vision_text: gr.Markdown
    send_anyway_btn: gr.Button
    alt: AltBar  # "‹ Answer 2 / 3 ›" under the chat: the alternatives Retry and Edit kept
    examples: ExampleButtons  # the starters under the empty chat
    share: ChatShare | None = None  # share links: the share row, the link, the banner of an opened one
    continue_btn: gr.Button | None = None  # Continue: shown after an answer cut short (sfui.ui.continue_pane)

    def view_outputs(self) -> list:
        """The outputs that show a conversation: the chat, the whole conversation, the
        "show earlier" button and the alternatives bar's status, in :func:`chat_view`'s order."""
        return [self.chatbot, self.history, self.show_earlier_btn, self.alt.status]


def render_chat_area() -> ChatArea:
    banner = render_banner()
    show_earlier_btn = gr.Button(label("label_show_earlier"), visible=False, size="sm", elem_id="show-earlier-btn")
    chatbot = gr.Chatbot(
        elem_id="chatbot",
        editable="user",  # edit an earlier question and send it again from there
        label=label("label_chat"),
        height=560,
        buttons=["copy", "copy_all"],
        latex_delimiters=LATEX,
        sanitize_html=True,
        placeholder=label("label_chat_placeholder"),
    )
    alt = render_alt_bar()
    examples = render_examples()
    with gr.Row(visible=False, elem_id="vision-notice") as vision_notice:
        vision_text = gr.Markdown(elem_id="vision-notice-text")
        send_anyway_btn = gr.Button(label("label_send_anyway"), elem_id="send-anyway-btn", size="sm", scale=0,
                                    min_width=140)
    with gr.Row(elem_id="input-row"):
        user_input = gr.MultimodalTextbox(
            elem_id="user-input",
            show_label=False,
            placeholder=label("label_placeholder"),
            sources=["upload"],  # the clip button; drag-drop and paste work as well
            file_types=["image"],
            file_count="multiple",
            # A longer paste would become a pasted_text.txt attachment instead of text.
            max_plain_text_length=MAX_MESSAGE_CHARS,
            submit_btn=False,  # Send is its own button, beside Stop
            lines=1,
            max_lines=12,
            scale=8,
            autofocus=True,
        )
        with gr.Column(scale=1, min_width=110):
            send_btn = gr.Button(label("label_send"), variant="primary", elem_id="send-btn")
            stop_btn = gr.Button(label("label_stop"), variant="stop", elem_id="stop-btn")
            continue_btn = gr.Button(label("label_continue"), elem_id="continue-btn", visible=False)
            clear_btn = gr.Button(label("label_clear"), elem_id="clear-btn")
    pending_message = gr.MultimodalTextbox(visible=False, elem_id="pending-message", file_count="multiple",
                                           max_plain_text_length=MAX_MESSAGE_CHARS)
    share = render_chat_share(banner)
    api_chat = gr.Button(visible=False, elem_id="api-chat")
    api_retry = gr.Button(visible=False, elem_id="api-retry")
    api_message = gr.Textbox(visible=False, elem_id="api-message")
    return ChatArea(chatbot, gr.State([]), show_earlier_btn, user_input, send_btn, stop_btn, clear_btn,
                    pending_message, api_chat, api_retry, api_message, vision_notice, vision_text, send_anyway_btn,
                    alt, examples, share, continue_btn)


@dataclass
class ChatEvents:
    """The chat's events that change the conversation, for features that follow
    them (the saved conversations): each answer's end, and the other edits."""

    answered: list  # Send, Retry and Edit: the streaming steps
    edited: list  # Undo, and switching between alternatives
    cleared: list  # Clear


def wire_chat(area: ChatArea, ctx: AppContext, stream_inputs: list, panels: list, sends: tuple = ()) -> ChatEvents:
    """Send, the API's /chat and /retry, Retry, Edit, Stop, Undo, Clear and Show
    earlier. ``stream_inputs``: the chat, the whole conversation, the model, system
    prompt, every request field and the key state, in the handlers' order;
    ``panels``: the reasoning and usage panels; ``sends``: other first steps that put
    a message in ``pending_message`` (the example prompts), each followed by the same
    streaming step as Send."""
    handlers = ChatHandlers(ctx, area.chatbot)
    stream_options = dict(concurrency_limit=ctx.settings.concurrency_limit, concurrency_id="chat",
                          show_progress="minimal", show_progress_on=[area.chatbot])
    answered = _wire_sends(area, PageSend(handlers), stream_inputs, panels, sends, stream_options)
    _wire_api(area, handlers, stream_inputs, panels, stream_options)
    pane_outputs = [*area.view_outputs(), *panels]  # the page gets its latest turns (PaneFrames)
    private = dict(api_visibility="private", **stream_options)
    answered.append(area.chatbot.retry(with_request_fields(handlers.regenerate), stream_inputs, pane_outputs,
                                       **private))
    answered.append(area.chatbot.edit(with_request_fields(handlers.edit), stream_inputs, pane_outputs, **private))
    if area.continue_btn is not None:
        answered.append(wire_continue(area.continue_btn, handlers, stream_inputs, pane_outputs, stream_options))
    quick = dict(queue=False, api_visibility="private")
    # Another model chosen: the notice about the previous one no longer holds.
    model = stream_inputs[2]
    model.change(lambda: gr.update(visible=False), None, area.vision_notice, show_progress="hidden", **quick)
    area.stop_btn.click(handlers.stop, None, None, **quick)
    undone = area.chatbot.undo(handlers.undo, [area.chatbot, area.history], [*area.view_outputs(), area.user_input],
                               **quick)
    area.show_earlier_btn.click(handlers.show_earlier, [area.history], area.view_outputs(), **quick)
    cleared = [trigger(handlers.clear, None, pane_outputs, **quick)
               for trigger in (area.clear_btn.click, area.chatbot.clear)]
    switched = wire_alt_bar(area.alt, ctx, chatbot=area.chatbot, history=area.history,
                            view_outputs=area.view_outputs())
    return ChatEvents(answered, [undone, *switched], cleared)


def _wire_sends(area: ChatArea, handlers: PageSend, stream_inputs: list, panels: list, sends: tuple,
                stream_options: dict) -> list:
    """Send, Enter, Send anyway and the example prompts: a first step in the browser
    (it takes the message out of the box and shows it in the chat), the streaming step,
    then the after-step (sfui/ui/send_step.py). The streaming steps skip Gradio's pre- and
    postprocessing: Gradio runs each component's (trivial) conversion in a worker thread,
    a thread hop per input per event and per output per frame, which under many visitors
    delayed every request."""
    take = dict(js=SEND_JS, queue=False)
    taken = [area.user_input, area.pending_message, area.chatbot, area.vision_notice]
    first_steps = [
        (area.user_input.submit(None, [area.user_input, area.chatbot], taken, **take), handlers.respond_in_page),
        (area.send_btn.click(None, [area.user_input, area.chatbot], taken, **take), handlers.respond_in_page),
        (area.send_anyway_btn.click(None, [area.user_input, area.chatbot], taken, **take), handlers.respond_anyway),
        *((first_step, handlers.respond_in_page) for first_step in sends),
    ]
    streamed = []
    for first_step, handler in first_steps:
        streaming = first_step.then(
            with_request_fields(handler), [area.pending_message, *stream_inputs], [area.chatbot, area.history, *panels],
            api_visibility="private", preprocess=False, postprocess=False,
            # "multiple": a message sent while an answer streams must reach the handler,
            # which gives it back; Gradio's default ("once") dropped it, and the box
            # had already been emptied.
            trigger_mode="multiple", **stream_options,
        )
        streaming.then(handlers.after_send, [area.history],
                       [area.show_earlier_btn, area.alt.status, area.user_input, area.vision_notice, area.vision_text],
                       queue=False, api_visibility="private", show_progress="hidden", **AFTER_EACH)
        streamed.append(streaming)
    return streamed


def _wire_api(area: ChatArea, handlers: ChatHandlers, stream_inputs: list, panels: list, stream_options: dict) -> None:
    """The public /chat and /retry, on triggers no visitor can press. An API caller
    gets the whole chat back."""
    api_outputs = [area.chatbot, *panels]
    area.api_chat.click(
        with_request_fields(handlers.respond), [area.api_message, *stream_inputs], api_outputs, api_name="chat",
        preprocess=False, postprocess=False, **stream_options,
    )
    area.api_retry.click(with_request_fields(handlers.regenerate_api), stream_inputs, api_outputs, api_name="retry",
                         **stream_options)
