"""The Gradio app: layout and event wiring. The logic lives in ``chat.py``;
the HTTP in ``client.py``. Handlers here only translate between the two."""

from __future__ import annotations

from typing import Any, AsyncIterator

import gradio as gr

from . import errors
from .catalog import model_info
from .chat import (
    PARAM_RANGES,
    Controls,
    FramePacer,
    InputError,
    Turn,
    api_messages,
    append_user,
    awaiting_answer,
    check_message,
    truncate_for_retry,
    undo_last_turn,
)
from .client import SiliconFlowClient, new_session
from .config import Settings
from .i18n import pick_language, t
from .model_list import ModelDirectory
from .streaming import PanelUpdates, RunRegistry, stream_turn

LABELS = gr.I18n(
    en={
        "model": "Model",
        "message": "Message",
        "placeholder": "Ask anything… (Enter to send, Shift+Enter for a new line)",
        "send": "Send",
        "stop": "Stop",
        "clear": "Clear",
        "reasoning": "Reasoning",
        "usage": "Usage",
        "parameters": "Parameters",
        "system_prompt": "System prompt",
        "api_key": "API key",
        "api_key_placeholder": "sk-… (kept on the server for this browser session only)",
        "use_key": "Use this key",
        "forget_key": "Forget my key",
        "stop_sequences": "Stop sequences (one per line, up to 4)",
        "enable_thinking": "Thinking (hybrid models)",
        "thinking_budget": "Thinking budget (tokens, empty = model default)",
        "min_p": "min_p (Qwen3 only, empty = model default)",
        "response_format": "Response format",
        "tools": "Tools (JSON list of functions)",
        "advanced": "More request fields",
        "chat": "Chat",
    },
    zh={
        "model": "模型",
        "message": "消息",
        "placeholder": "输入问题…（Enter 发送，Shift+Enter 换行）",
        "send": "发送",
        "stop": "停止",
        "clear": "清空",
        "reasoning": "思考过程",
        "usage": "用量",
        "parameters": "参数",
        "system_prompt": "系统提示词",
        "api_key": "API 密钥",
        "api_key_placeholder": "sk-…（仅在本次浏览器会话中保存在服务器端）",
        "use_key": "使用此密钥",
        "forget_key": "清除我的密钥",
        "stop_sequences": "停止序列（每行一个，最多 4 个）",
        "enable_thinking": "思考模式（混合模型）",
        "thinking_budget": "思考预算（tokens，留空为模型默认）",
        "min_p": "min_p（仅 Qwen3，留空为模型默认）",
        "response_format": "返回格式",
        "tools": "工具（函数的 JSON 列表）",
        "advanced": "更多请求字段",
        "chat": "对话",
    },
)

CSS = """
#reasoning-panel textarea { font-size: 0.85em; }
#usage-panel table { font-size: 0.9em; width: 100%; }
#usage-panel td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
footer { display: none !important; }
"""

LATEX = [
    {"left": "$$", "right": "$$", "display": True},
    {"left": "\\[", "right": "\\]", "display": True},
    {"left": "\\(", "right": "\\)", "display": False},
    {"left": "$", "right": "$", "display": False},
]

# Browser updates per second while streaming, at most: FramePacer sends fewer as the
# answer grows long or many answers stream at once. Each is one SSE message and a
# re-render whose cost grows with the answer; bench/ measured 10 fps at two thirds of
# the browser CPU of 20 fps, and text at 10 updates a second still reads as streaming.
FPS = 10

# The browser-side first step of Send: empty the box (a blank message stays, and is
# ignored) and pass the message on to the queued step through a hidden textbox.
TAKE_MESSAGE_JS = "(message) => [message && message.trim() ? '' : message, message]"

REFUSED = object()  # converse()'s only frame when a message cannot be sent


def _lang(request: gr.Request | None) -> str:
    headers = getattr(request, "headers", None) or {}
    return pick_language(headers.get("accept-language"))


def _model_choices(ids: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    return [(model_info(m).label, m) for m in ids]


def _model_hint(model: str | None, lang: str = "en") -> str:
    if not model:
        return ""
    info = model_info(model)
    hints = []
    if info.reasoning:
        hints.append(t(lang, "hint_reasoning"))
    elif info.hybrid_thinking:
        hints.append(t(lang, "hint_hybrid"))
    if info.vision:
        hints.append(t(lang, "hint_vision"))
    if info.pro:
        hints.append(t(lang, "hint_pro"))
    return " · ".join(hints)


def _text(value: Any) -> str | None:
    """A text input as gr.Textbox.preprocess passes it: None or a str."""
    return None if value is None else str(value)


def _sent_controls(
    temperature, top_p, top_k, max_tokens, frequency_penalty,
    stop, enable_thinking, thinking_budget, min_p, response_format, tools,
) -> Controls:
    """The control values as a streaming step receives them (Gradio's preprocessing
    skipped): the text fields made str as gr.Textbox would; Controls validates the rest."""
    return Controls(
        temperature, top_p, top_k, max_tokens, frequency_penalty,
        _text(stop), enable_thinking, _text(thinking_budget), _text(min_p), response_format, _text(tools),
    )


def _unchanged(outputs: int) -> tuple:
    """"No change" for every output. A generator handler that ends without
    yielding makes Gradio set all its outputs to None, which would wipe the
    chat and the message box."""
    return (gr.skip(),) * outputs


class _RetryData(gr.EventData):
    """gr.RetryData, except that a call through the API (``/retry`` from
    gradio_client carries no event data) means "the last answer" instead of
    crashing in gr.RetryData's constructor."""

    def __init__(self, target: Any, data: Any) -> None:
        super().__init__(target, data)
        self.index = data.get("index") if isinstance(data, dict) else None


def build_demo(settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings.from_env()
    session = new_session(pool_size=max(16, settings.concurrency_limit))
    directory = ModelDirectory()

    def client_for(key: str | None) -> SiliconFlowClient:
        return SiliconFlowClient.from_settings(settings, api_key=key, session=session)

    def effective_key(visitor_key: str | None) -> str | None:
        # A visitor's own key wins; the server's key (a Space secret) is the fallback.
        return visitor_key or settings.api_key

    with gr.Blocks(title="sfui · SiliconFlow chat", fill_height=True) as demo:
        key_state = gr.State(None)  # the visitor's pasted key: server-side, per browser tab

        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                gr.Markdown("## sfui · chat with SiliconFlow models", elem_id="title")
                key_notice = gr.Markdown(
                    "" if settings.api_key else t("en", "no_key"), elem_id="key-notice"
                )
                chatbot = gr.Chatbot(
                    elem_id="chatbot",
                    label=LABELS("chat"),
                    height=560,
                    buttons=["copy", "copy_all"],
                    latex_delimiters=LATEX,
                    sanitize_html=True,
                    placeholder="**SiliconFlow** · DeepSeek, Qwen, GLM, Kimi…",
                )
                with gr.Row():
                    user_input = gr.Textbox(
                        elem_id="user-input",
                        show_label=False,
                        placeholder=LABELS("placeholder"),
                        lines=1,  # Gradio submits on Enter only for lines=1; it still grows to max_lines
                        max_lines=12,
                        scale=8,
                        autofocus=True,
                    )
                    with gr.Column(scale=1, min_width=110):
                        send_btn = gr.Button(LABELS("send"), variant="primary", elem_id="send-btn")
                        stop_btn = gr.Button(LABELS("stop"), variant="stop", elem_id="stop-btn")
                        clear_btn = gr.Button(LABELS("clear"), elem_id="clear-btn")
                # The message on its way from the box to the streaming step (see the Send chain).
                pending_message = gr.Textbox(visible=False, elem_id="pending-message")
                api_chat = gr.Button(visible=False, elem_id="api-chat")  # only for the /chat endpoint

            with gr.Column(scale=2):
                model = gr.Dropdown(
                    choices=_model_choices(directory.get(client_for(None), None).ids),
                    value=settings.default_model,
                    label=LABELS("model"),
                    allow_custom_value=True,
                    filterable=True,
                    elem_id="model",
                )
                model_hint = gr.Markdown(_model_hint(settings.default_model), elem_id="model-info")
                reasoning_panel = gr.Textbox(
                    label=LABELS("reasoning"),
                    elem_id="reasoning-panel",
                    lines=8,
                    max_lines=14,
                    interactive=False,
                    autoscroll=True,
                )
                usage_panel = gr.Markdown(t("en", "usage_empty"), elem_id="usage-panel", container=True)

                with gr.Accordion(LABELS("parameters"), open=True):
                    sliders = {}
                    for name, step in (
                        ("temperature", 0.05),
                        ("top_p", 0.05),
                        ("top_k", 1),
                        ("max_tokens", 1),
                        ("frequency_penalty", 0.05),
                    ):
                        low, high, default = PARAM_RANGES[name]
                        sliders[name] = gr.Slider(
                            low, high, value=default, step=step, label=name, elem_id=name
                        )
                    system_prompt = gr.Textbox(
                        label=LABELS("system_prompt"), lines=2, elem_id="system-prompt", placeholder="You are a helpful assistant."
                    )
                with gr.Accordion(LABELS("advanced"), open=False):
                    stop_sequences = gr.Textbox(label=LABELS("stop_sequences"), lines=2, elem_id="stop-sequences")
                    enable_thinking = gr.Radio(
                        ["default", "on", "off"], value="default", label=LABELS("enable_thinking"), elem_id="enable-thinking"
                    )
                    # Textboxes, not gr.Number: a Number's empty value turns into 0 once the
                    # accordion is opened (Gradio shows None as 0), which sent min_p=0 and made
                    # every message fail Gradio's own "less than minimum 128" check. Empty =
                    # model default; Controls validates the ranges (PARAM_RANGES).
                    thinking_budget = gr.Textbox(
                        value="", placeholder="128 – 32768", label=LABELS("thinking_budget"), elem_id="thinking-budget"
                    )
                    min_p = gr.Textbox(value="", placeholder="0 – 1", label=LABELS("min_p"), elem_id="min-p")
                    response_format = gr.Radio(
                        ["text", "json_object"], value="text", label=LABELS("response_format"), elem_id="response-format"
                    )
                    tools = gr.Code(label=LABELS("tools"), language="json", lines=4, elem_id="tools")
                with gr.Accordion(LABELS("api_key"), open=not settings.api_key):
                    api_key_box = gr.Textbox(
                        type="password",
                        show_label=False,
                        placeholder=LABELS("api_key_placeholder"),
                        elem_id="api-key",
                    )
                    with gr.Row():
                        use_key_btn = gr.Button(LABELS("use_key"), size="sm", elem_id="api-key-btn")
                        forget_key_btn = gr.Button(LABELS("forget_key"), size="sm", elem_id="api-key-forget")
                    key_status = gr.Markdown(elem_id="key-status")

        control_inputs = [
            sliders["temperature"],
            sliders["top_p"],
            sliders["top_k"],
            sliders["max_tokens"],
            sliders["frequency_penalty"],
            stop_sequences,
            enable_thinking,
            thinking_budget,
            min_p,
            response_format,
            tools,
        ]

        # --- streaming ----------------------------------------------------------

        runs = RunRegistry()  # answers in progress per browser session, for Stop and Clear

        async def stream_reply(
            history: list, model_id: str, system: str, controls: Controls, visitor_key: str | None, lang: str,
            session: str,
        ) -> AsyncIterator[tuple[list, str, str]]:
            """Yield (chat messages, reasoning text, usage table): first the visitor's
            message with a "waiting" table, then the answer as it streams."""
            turn = Turn(history, lang)
            waiting = turn.usage_markdown()
            # Registered before the first yield: from the caller's busy check to here
            # nothing awaits, so two quick sends from one page cannot both start; and a
            # Stop pressed before the request goes out ends it before it starts.
            with runs.track(session) as run:
                yield history, "", waiting
                stream = client_for(effective_key(visitor_key)).chat_stream(
                    (model_id or settings.default_model).strip(), api_messages(history, system), **controls.to_params()
                )
                panels = PanelUpdates(reasoning="", usage=waiting)
                pacer = FramePacer(FPS, streams=lambda: len(runs))
                async for turn in stream_turn(stream, turn, run, pacer=pacer):
                    yield panels.render(turn)

        def refusal(message: str | None, controls: Controls, visitor_key: str | None, lang: str) -> str | None:
            """Why this message cannot be sent (shown as a toast), or None if it can.
            An empty message is not refused: it is ignored."""
            try:
                check_message(message)
                controls.to_params()
            except InputError as exc:
                return exc.user_message(lang)
            if not effective_key(visitor_key):
                return t(lang, "no_key_toast")
            return None

        async def respond(
            message, history, model, system_prompt,
            temperature, top_p, top_k, max_tokens, frequency_penalty,
            stop, enable_thinking, thinking_budget, min_p, response_format, tools,
            visitor_key, request: gr.Request,
        ):
            """Stream the answer to ``message``: the public ``/chat`` endpoint; its
            parameters are named after the API's request fields. Like the page's
            step, it skips Gradio's pre- and postprocessing (see the Send chain)."""
            async for frame in converse(
                message, history, model, system_prompt,
                _sent_controls(
                    temperature, top_p, top_k, max_tokens, frequency_penalty,
                    stop, enable_thinking, thinking_budget, min_p, response_format, tools,
                ),
                visitor_key, request,
            ):
                if frame is REFUSED:
                    yield _unchanged(3)  # Gradio would set every output to None if we yielded nothing
                else:
                    yield serialized(frame)

        async def respond_in_page(
            message, history, model, system_prompt,
            temperature, top_p, top_k, max_tokens, frequency_penalty,
            stop, enable_thinking, thinking_budget, min_p, response_format, tools,
            visitor_key, request: gr.Request,
        ):
            """/chat for the page's Send: the message box was emptied in the browser,
            so a refused message is put back in it (nothing the visitor typed is lost).

            Runs without Gradio's pre- and postprocessing (see the Send chain): the
            inputs arrive as the page sent them, validated here (Controls,
            check_message; the chat by its data model), and the chat goes out
            serialized by the Chatbot's own postprocess."""
            if runs.busy(request.session_hash) and (_text(message) or "").strip():
                # Sent while this page's previous answer still streams: one answer at a
                # time per page, and the message goes back in the box, not into the void.
                gr.Warning(t(_lang(request), "busy_toast"), duration=10)
                yield (*_unchanged(3), message)
                return
            async for frame in converse(
                message, history, model, system_prompt,
                _sent_controls(
                    temperature, top_p, top_k, max_tokens, frequency_penalty,
                    stop, enable_thinking, thinking_budget, min_p, response_format, tools,
                ),
                visitor_key, request,
            ):
                yield (*_unchanged(3), message) if frame is REFUSED else (*serialized(frame), gr.skip())

        def serialized(frame: tuple[list, str, str]) -> tuple[Any, str, str]:
            """A frame as Gradio's postprocessing would have sent it: the streaming steps
            skip it (see the Send chain); the chat goes through the Chatbot's own postprocess."""
            messages, reasoning, usage = frame
            return chatbot.postprocess(messages).model_dump(), reasoning, usage

        async def converse(message, history, model, system_prompt, controls, visitor_key, request):
            """The frames answering ``message``, or just REFUSED (with a toast saying
            why) if it cannot be sent. An empty message is ignored: no frame at all."""
            lang = _lang(request)
            # Text fields as Gradio's Textbox preprocessing (skipped here) would pass them.
            message, model, system_prompt = _text(message), _text(model), _text(system_prompt)
            problem = refusal(message, controls, visitor_key, lang)
            if problem:
                gr.Warning(problem, duration=15)
                yield REFUSED
                return
            if check_message(message) is None:
                yield REFUSED
                return
            history = append_user(history or [], message)
            async for update in stream_reply(history, model, system_prompt, controls, visitor_key, lang, request.session_hash):
                yield update

        async def regenerate(
            history, model, system_prompt,
            temperature, top_p, top_k, max_tokens, frequency_penalty,
            stop, enable_thinking, thinking_budget, min_p, response_format, tools,
            visitor_key, retry_data: _RetryData, request: gr.Request,
        ):
            """Retry: drop the answer to the last question (or the one clicked) and stream a new one."""
            lang = _lang(request)
            index = getattr(retry_data, "index", None)
            history = truncate_for_retry(history, index if isinstance(index, int) else None)
            controls = Controls(
                temperature, top_p, top_k, max_tokens, frequency_penalty,
                stop, enable_thinking, thinking_budget, min_p, response_format, tools,
            )
            problem = refusal(None, controls, visitor_key, lang)
            if problem:
                gr.Warning(problem, duration=15)
            if problem or not awaiting_answer(history):
                yield _unchanged(3)
                return
            async for update in stream_reply(history, model, system_prompt, controls, visitor_key, lang, request.session_hash):
                yield update

        # Send is a chain. Its first step runs in the browser (no server round trip
        # before the request is queued: measured ~15 ms sooner to the first token than a
        # queue=False step): it empties the box, unless the message is blank, and hands
        # the message over. The queued step streams into the chat and panels only; the
        # box is touched again only to give back a refused message.
        stream_inputs = [chatbot, model, system_prompt, *control_inputs, key_state]
        stream_outputs = [chatbot, reasoning_panel, usage_panel]
        stream_options = dict(concurrency_limit=settings.concurrency_limit, concurrency_id="chat", show_progress="minimal", show_progress_on=[chatbot])
        # The page's streaming step also skips Gradio's pre- and postprocessing: Gradio
        # runs each component's (trivial) conversion in a worker thread, a thread hop per
        # input per event and per output per frame. With 32 visitors sending at once that
        # was ~140 ms of waiting per event before the request went upstream (bench/).
        for trigger in (user_input.submit, send_btn.click):
            trigger(None, [user_input], [user_input, pending_message], js=TAKE_MESSAGE_JS, queue=False).then(
                respond_in_page, [pending_message, *stream_inputs], [*stream_outputs, user_input],
                api_visibility="private", preprocess=False, postprocess=False,
                # "multiple": a message sent while an answer streams must reach the handler,
                # which gives it back; Gradio's default ("once") dropped it, and the box
                # had already been emptied.
                trigger_mode="multiple", **stream_options,
            )
        # The same answer for API clients, on a trigger no visitor can press.
        api_chat.click(
            respond, [pending_message, *stream_inputs], stream_outputs, api_name="chat",
            preprocess=False, postprocess=False, **stream_options,
        )
        chatbot.retry(regenerate, stream_inputs, stream_outputs, api_name="retry", **stream_options)

        async def stop(request: gr.Request):
            # Async and queue=False: runs on the event loop at once, like the pumps it closes.
            runs.stop(request.session_hash)

        stop_btn.click(stop, None, None, queue=False, api_visibility="private")

        def undo(history: list, undo_data: gr.UndoData):
            index = getattr(undo_data, "index", None)
            history, text = undo_last_turn(history, index if isinstance(index, int) else None)
            return history, text

        chatbot.undo(undo, [chatbot], [chatbot, user_input], queue=False, api_visibility="private")

        async def clear(request: gr.Request):
            # Stops this session's answer too, without letting its last update redraw the chat.
            runs.stop(request.session_hash, discard=True)
            return [], "", t(_lang(request), "usage_empty")

        clear_btn.click(clear, None, [chatbot, reasoning_panel, usage_panel], queue=False, api_visibility="private")
        chatbot.clear(clear, None, [chatbot, reasoning_panel, usage_panel], queue=False, api_visibility="private")

        # --- model list and key ------------------------------------------------------

        def model_update(visitor_key: str | None, current: str | None, lang: str) -> tuple[Any, str]:
            key = effective_key(visitor_key)
            models = directory.get(client_for(key), key)
            choices = _model_choices(models.ids)
            if current and current not in models.ids:
                choices.append((model_info(current).label, current))  # keep a typed custom id
            return gr.update(choices=choices, value=current or settings.default_model), models

        def on_load(visitor_key: str | None, current: str | None, request: gr.Request):
            lang = _lang(request)
            notice = "" if effective_key(visitor_key) else t(lang, "no_key")
            usage = t(lang, "usage_empty")
            hint = _model_hint(current, lang)
            if not effective_key(visitor_key):
                return gr.skip(), notice, usage, hint
            dropdown, _ = model_update(visitor_key, current, lang)
            return dropdown, notice, usage, hint

        # Runs after the page is shown, so a slow /models never delays start-up or first paint.
        demo.load(on_load, [key_state, model], [model, key_notice, usage_panel, model_hint], api_visibility="private")

        def use_key(pasted: str, current: str | None, request: gr.Request):
            lang = _lang(request)
            key = (pasted or "").strip() or None
            if key is None:
                return "", gr.skip(), t(lang, "key_none"), gr.skip(), gr.skip()
            models = directory.get(client_for(key), key)
            if isinstance(models.problem, errors.AuthenticationError):
                # Not stored: a key the API refuses would only fail later, less clearly.
                return "", gr.skip(), models.problem.user_message(lang), gr.skip(), gr.skip()
            status = t(lang, "key_set")
            if models.live:
                status += " " + t(lang, "models_live", count=len(models.ids))
            elif models.problem is not None:
                status += " " + t(lang, "models_fallback", reason=models.problem.user_message(lang))
            choices = _model_choices(models.ids)
            if current and current not in models.ids:
                choices.append((model_info(current).label, current))
            # The box is emptied at once: the key is not left in the page.
            return "", key, status, gr.update(choices=choices, value=current or settings.default_model), ""

        key_outputs = [api_key_box, key_state, key_status, model, key_notice]
        # Private: never in API info, never callable by clients, never in run history.
        api_key_box.submit(use_key, [api_key_box, model], key_outputs, api_visibility="private")
        use_key_btn.click(use_key, [api_key_box, model], key_outputs, api_visibility="private")

        def forget_key(request: gr.Request):
            lang = _lang(request)
            notice = "" if settings.api_key else t(lang, "no_key")
            return "", None, t(lang, "key_cleared") + (" " + t(lang, "key_env") if settings.api_key else ""), notice

        forget_key_btn.click(forget_key, None, [api_key_box, key_state, key_status, key_notice], api_visibility="private")
        def show_model_hint(model_id: str | None, request: gr.Request) -> str:
            return _model_hint(model_id, _lang(request))

        model.change(show_model_hint, [model], [model_hint], queue=False, api_visibility="private")

    return demo


def launch_options(settings: Settings | None = None) -> dict[str, Any]:
    """Keyword arguments for ``demo.launch``. Host and port come from
    GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, which Gradio reads itself."""
    settings = settings or Settings()
    return dict(
        theme=gr.themes.Soft(),
        css=CSS,
        i18n=LABELS,
        # Run history records the inputs of every call in the browser: off, so
        # nothing a visitor types (a key included) is kept there.
        run_history=False,
        footer_links=[],
        show_error=False,
        # Streams are async and do not hold a thread, but sync handlers (key,
        # model list) do: leave room for every concurrent visitor.
        max_threads=max(40, settings.concurrency_limit),
    )


def queue_options(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings()
    return dict(default_concurrency_limit=settings.concurrency_limit)
