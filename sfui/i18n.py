"""Every string the app shows, in English and Chinese: one keyed catalogue.

``STRINGS[lang][key]`` holds the text; ``t(lang, key, **values)`` fills it in.
Keys are grouped by prefix: ``label_``/``field_``/``help_`` are the page's
static text, which Gradio translates in the browser (``gradio_translations()``
feeds ``gr.I18n``); ``error_`` are the error classes' titles and hints
(``sfui/errors.py``); ``input_`` say why a value cannot be sent; the rest is
text the server writes while the page runs (status lines, notices, the usage
table).

There is one language choice: ``language()`` turns any language code into
"en" or "zh", and ``pick_language()`` picks it from the browser's
Accept-Language header the same way Gradio's frontend picks the locale of the
labels, so that a page never mixes English labels with Chinese text.
"""

from __future__ import annotations

import re

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "thinking": "💭 Thinking",
        "thought": "💭 Thought",
        "waiting_retry": "⏳ {reason} — retrying in {delay:.2g} s (retry {attempt} of {max_retries})…",
        "incomplete": "⚠️ The answer above is incomplete",
        "error": "⚠️ Error",
        "no_key": (
            "No API key yet. Paste your SiliconFlow API key in the **API key** box (get one at "
            "https://cloud.siliconflow.cn/account/ak), or set `SILICONFLOW_API_KEY`."
        ),
        "busy_toast": (
            "Not sent: an answer is still coming. Wait for it (or press Stop), then send again. Your message is still "
            "in the box."
        ),
        "no_key_toast": (
            "No API key yet. Paste your SiliconFlow API key in the API key box (get one at cloud.siliconflow.cn), or "
            "set SILICONFLOW_API_KEY."
        ),
        "usage_empty": "Token usage and speed appear here while an answer streams.",
        "hint_reasoning": "🧠 reasons before answering (see the Reasoning panel)",
        "hint_hybrid": "🧠 can think: set *Thinking* to on or off under More request fields",
        "hint_vision": "👁 understands images",
        "hint_pro": "💳 Pro/ = paid variant",
        "key_set": (
            "✅ Your key is set for this browser session only. It is kept on the server, never shown again, and "
            "forgotten when you close the tab."
        ),
        "key_cleared": "Your key was forgotten.",
        "key_env": "Using the key configured on the server.",
        "key_none": "No key set.",
        "models_live": "{count} models from the API.",
        "models_fallback": "Showing the default model list ({reason}).",
        "usage_title": "Usage",
        "value": "Value",
        "prompt_tokens": "Prompt tokens",
        "completion_tokens": "Completion tokens",
        "reasoning_tokens": "Reasoning tokens",
        "total_tokens": "Total tokens",
        "ttft": "Time to first token",
        "tps": "Tokens / s (answer)",
        "total_time": "Total time",
        "finish_reason": "Finish reason",
        "status": "Status",
        "status_waiting": "waiting for the first token…",
        "status_thinking": "thinking…",
        "status_answering": "answering…",
        "status_done": "done",
        "status_error": "error",
        "status_retrying": "retrying…",
        "status_stopped": "stopped",
        "tool_call": "🔧 Tool call: {name}",
        "bad_input": "Not sent: {problem}",
        # --- errors (sfui/errors.py): each class's title and hint, and how they are put together ---
        "error_message": "{title}. {hint}",
        "error_details": " ({details})",
        "error_details_separator": ", ",
        "error_code": "code {code}",
        "error_trace_id": " Trace ID: {trace_id}",
        "error_switch_host": "If it keeps happening, try the other host (api.siliconflow.com or api.siliconflow.cn).",
        "error_generic_title": "Something went wrong",
        "error_generic_hint": "Please try again. {switch_host}",
        "error_bad_request_title": "The request was rejected (bad parameter or unknown model)",
        "error_bad_request_hint": "Check the model name and the settings, or pick another model.",
        "error_auth_title": "The API key was not accepted",
        "error_auth_hint": "Check your SiliconFlow API key (cloud.siliconflow.cn → API keys) and paste it again.",
        "error_balance_title": "Your account balance is not enough for this model",
        "error_balance_hint": "Top up your SiliconFlow account, or pick a free model.",
        "error_permission_title": "Access to this model was denied",
        "error_permission_hint": (
            "The model may need real-name verification or a positive balance. Verify your account, top up, or pick "
            "another model."
        ),
        "error_not_found_title": "The API address was not found",
        "error_not_found_hint": "Check the base URL: it should end in /v1, e.g. https://api.siliconflow.cn/v1.",
        "error_rate_limit_title": "Rate limit reached",
        "error_rate_limit_hint": "Wait a moment and try again, or pick another model (limits are per model).",
        "error_server_title": "The service had an internal error",
        "error_server_hint": "Try again in a moment. {switch_host}",
        "error_overloaded_title": "The model is overloaded right now",
        "error_overloaded_hint": "Try again in a minute, or pick another model.",
        "error_gateway_timeout_title": "The service timed out",
        "error_gateway_timeout_hint": "Try again; a shorter max_tokens or another model may help. {switch_host}",
        "error_connection_title": "Could not reach the API",
        "error_connection_hint": "Check your network and the base URL. {switch_host}",
        "error_connection_refused_title": "The API server refused the connection",
        "error_dns_title": "The API host name could not be resolved",
        "error_dns_hint": "Check the base URL for typos and your network's DNS. {switch_host}",
        "error_connect_timeout_title": "Connecting to the API timed out",
        "error_stream_title": "The answer was cut off",
        "error_stream_hint": "The part received so far is kept. Press Retry to generate it again.",
        "error_read_timeout_title": "The model sent nothing for too long (read timeout)",
        "error_read_timeout_hint": (
            "Anything received so far is kept. Press Retry, or pick a faster model; the wait limit is "
            "SFUI_READ_TIMEOUT."
        ),
        "error_incomplete_stream_title": "The connection closed before the answer was complete",
        "error_malformed_title": "The server sent something that is not a valid answer",
        "error_malformed_hint": (
            "Check the base URL points to an OpenAI-compatible API (…/v1). Press Retry to try again."
        ),
        "error_upstream_title": "The service reported an error while answering",
        # --- static labels (translated in the browser by gr.I18n; sfui/ui/) ---
        "label_title": "## sfui · chat with SiliconFlow models",
        "label_chat": "Chat",
        "label_chat_placeholder": "**SiliconFlow** · DeepSeek, Qwen, GLM, Kimi…",
        "label_placeholder": "Ask anything… (Enter to send, Shift+Enter for a new line)",
        "label_send": "Send",
        "label_stop": "Stop",
        "label_clear": "Clear",
        "label_model": "Model",
        "label_reasoning": "Reasoning",
        "label_parameters": "Parameters",
        "label_system_prompt": "System prompt",
        "label_system_prompt_placeholder": "You are a helpful assistant.",
        "label_advanced": "More request fields",
        "label_api_key": "API key",
        "label_api_key_placeholder": "sk-… (kept on the server for this browser session only)",
        "label_use_key": "Use this key",
        "label_forget_key": "Forget my key",
        # --- request fields (sfui/params.py): labels, one-line help, refusals ---
        "field_temperature": "temperature",
        "field_top_p": "top_p",
        "field_top_k": "top_k",
        "field_max_tokens": "max_tokens",
        "field_frequency_penalty": "frequency_penalty",
        "field_stop": "Stop sequences (one per line, up to 4)",
        "field_enable_thinking": "Thinking (hybrid models)",
        "field_thinking_budget": "Thinking budget (tokens, empty = model default)",
        "field_min_p": "min_p (Qwen3 only, empty = model default)",
        "field_response_format": "Response format",
        "field_tools": "Tools (JSON list of functions)",
        "field_presence_penalty": "presence_penalty (empty = model default)",
        "field_seed": "seed (empty = random)",
        "help_temperature": "Higher = more varied answers; lower = more focused and repeatable.",
        "help_top_p": "Only the most likely words that add up to this share are considered; lower = safer wording.",
        "help_top_k": "Only the k most likely next words are considered; lower = more predictable.",
        "help_max_tokens": "The longest answer allowed, in tokens (about ¾ of a word each).",
        "help_frequency_penalty": "Higher = fewer repeated words and phrases.",
        "help_stop": "The answer ends when it would write one of these.",
        "help_enable_thinking": "Hybrid models can think before answering, or answer at once.",
        "help_thinking_budget": "At most this many tokens of thinking (128 – 32768).",
        "help_min_p": "Drop words far less likely than the best one (0 – 1).",
        "help_response_format": "json_object makes the model answer with valid JSON.",
        "help_tools": "Functions the model may ask to call; their calls are shown in the chat.",
        "help_presence_penalty": "Higher = more likely to talk about new things (-2 – 2).",
        "help_seed": "The same seed and input give (nearly) the same answer again.",
        "input_not_a_number": "{name} must be a number, not {value}",
        "input_out_of_range": "{name} must be between {low} and {high} (got {value})",
        "input_bad_choice": "{name} must be {choices}",
        "input_too_many_stops": "at most {limit} stop sequences (got {count})",
        "input_tools_json": "tools is not valid JSON ({detail})",
        "input_tools_shape": "tools must be a JSON list of tool objects",
        "input_too_many_tools": "at most {limit} tools",
        "input_too_long": (
            "the message is {length} characters long; the limit is {limit} (about the largest context window)"
        ),
        "list_or": "{head} or {last}",
        "list_separator": ", ",
        # --- Compare's logic (sfui/compare.py): pane titles, results and tally tables, refusals ---
        "compare_slot_title": "{model} · temperature {temperature}",
        "compare_sample_title": "{title} · answer {number}",
        "compare_col_pane": "Model",
        "compare_col_ttft": "First token (s)",
        "compare_col_tps": "Tokens / s",
        "compare_col_prompt_tokens": "Prompt tokens",
        "compare_col_completion_tokens": "Completion tokens",
        "compare_col_reasoning_tokens": "Reasoning tokens",
        "compare_col_total_time": "Total time (s)",
        "compare_col_finish_reason": "Finish reason",
        "compare_metric_ttft": "first token (s)",
        "compare_metric_tps": "tokens/s",
        "compare_tally_wins": "Wins",
        "compare_tally_ties": "Ties",
        "compare_tally_losses": "Losses",
        "compare_tally_win_rate": "Win rate",
        "input_compare_slots": "pick at least two models to compare",
        "input_compare_model": "pick a model",
        "input_compare_too_many": "at most {limit} models at once",
        "input_compare_samples": "the number of answers must be a whole number from 1 to {limit}",
        # --- the Compare tab (sfui/ui/compare.py) ---
        "label_chat_tab": "Chat",
        "label_compare_tab": "Compare",
        "label_compare_slot_1": "Model 1",
        "label_compare_slot_2": "Model 2",
        "label_compare_slot_3": "Model 3 (optional)",
        "label_compare_slot_4": "Model 4 (optional)",
        "label_compare_temperature": "temperature",
        "label_compare_temperature_hint": "empty = the chat's",
        "label_compare_samples": "Samples of model 1 (n)",
        "help_compare_samples": "More than 1: one request asks model 1 for n answers, shown side by side.",
        "label_compare_blind": "Blind mode",
        "help_compare_blind": "Hide the names (A, B, C, D in random order) until you vote.",
        "label_compare_vote_best": "👍 This one is best",
        "label_compare_vote_tie": "🤝 Tie",
        "label_compare_vote_bad": "👎 All bad",
        "label_compare_placeholder": "Ask every model the same thing… (Enter to send)",
        "label_compare_stats": "Results",
        "label_compare_chart_ttft": "Time to first token (s)",
        "label_compare_chart_speed": "Tokens / s (answer)",
        "label_compare_tally": "Your votes (kept in this browser)",
        "label_compare_tally_reset": "Reset my votes",
        "compare_requests": "Asking… {count} requests on your key.",
        "compare_blind_label": "Model {letter}",
        "compare_nothing_to_vote": (
            "Nothing to vote on yet: send a question and wait for the answers (one vote per round)."
        ),
        "compare_voted": "Vote recorded: {choice}.",
        "compare_vote_tie": "a tie",
        "compare_vote_bad": "all bad",
        # --- View code (sfui/ui/code.py) ---
        "label_code_view": "View code",
        "label_code_lang": "Language",
        "label_code_curl": "curl",
        "label_code_python_requests": "Python (requests)",
        "label_code_python_openai": "Python (openai)",
        "label_code_go": "Go",
        "label_code_javascript": "JavaScript (fetch)",
        "label_code_code": "The request as code (your key is read from SILICONFLOW_API_KEY, never written here)",
        "label_code_refresh": "Show the request for my next Send",
        "code_no_message": (
            "Type a message in the box first: this shows the exact request that Send will make for it, as code "
            "that streams the answer."
        ),
        # --- the conversation sidebar (sfui/ui/conversations.py) ---
        "label_conversations": "### Conversations",
        "label_new_chat": "＋ New chat",
        "label_rename_placeholder": "Title of the open conversation",
        "label_rename": "Rename",
        "label_delete_chat": "Delete",
        "label_undo_delete": "Undo delete",
        "label_export_md": "Export Markdown",
        "label_export_json": "Export JSON",
        "label_import": "Import a file…",
        "conv_not_saved_full": (
            "Not saved: this browser's storage for sfui is full. Export old conversations and delete them, "
            "then send again."
        ),
        "conv_nothing_open": "No saved conversation is open: send a message first, or open one from the list.",
        "conv_deleted": "Deleted “{title}”. Press Undo delete to bring it back.",
        # --- saved conversations, export and import (sfui/conversations.py) ---
        "conv_untitled": "New chat",
        "conv_just_now": "just now",
        "conv_minutes_ago": "{count} min ago",
        "conv_hours_ago": "{count} h ago",
        "conv_yesterday": "yesterday",
        "conv_storage": "{percent}% of this browser's storage used",
        "conv_storage_full": "Storage is nearly full ({percent}% used): export old conversations and delete them",
        "conv_unreadable": "{count} saved conversations could not be read and were left out.",
        "conv_import_failed": "Not imported: {problem}. Nothing saved was changed.",
        "conv_rename_failed": "Not renamed: {problem}.",
        "conv_tool_result": "🔧 Tool result",
        "conv_md_model": "Model",
        "conv_md_fields": "Request fields",
        "conv_md_fields_none": "none set (the model's defaults)",
        "conv_md_system": "System prompt",
        "conv_md_user": "🧑 You",
        "conv_md_assistant": "🤖 Assistant",
        "conv_md_thought": "Thought for {seconds} s",
        "input_title_empty": "the title cannot be empty",
        "input_title_too_long": "a title can be at most {limit} characters",
        "input_import_not_json": (
            "the file is not JSON (sfui imports its own JSON export or an OpenAI-style messages list)"
        ),
        "input_import_shape": "the JSON is neither an sfui conversation nor an OpenAI-style messages list",
        "input_import_field": "the conversation's field {field} is missing or not valid",
        "input_import_version": "the file is in conversation format {version}; this sfui reads format {supported}",
        "input_import_too_large": "the file is {size}; the limit is {limit}",
        "input_import_too_many": "the conversation has {count} messages; the limit is {limit}",
        "input_import_message": "message {number} is not a chat message (it needs a role and text content)",
        "input_import_role": "message {number} has an unknown role {role}",
        "input_import_message_too_long": "message {number} is {length} characters long; the limit is {limit}",
        "input_import_empty": "the conversation has no messages",
        "label_code_answer": "The request of",
        "label_code_next_send": "my next Send",
        "code_past_answer": "answer {number} · {model}",
    },
    "zh": {
        "thinking": "💭 思考中",
        "thought": "💭 已思考",
        "waiting_retry": "⏳ {reason}，{delay:.2g} 秒后重试（第 {attempt}/{max_retries} 次）…",
        "incomplete": "⚠️ 以上回答不完整",
        "error": "⚠️ 出错了",
        "no_key": (
            "尚未设置 API 密钥。请在 **API 密钥** 输入框中粘贴硅基流动 API 密钥（在 "
            "https://cloud.siliconflow.cn/account/ak 获取），或设置环境变量 `SILICONFLOW_API_KEY`。"
        ),
        "busy_toast": "未发送：上一条回答尚未结束。请等待（或点击停止）后再发送，您的消息仍在输入框中。",
        "no_key_toast": (
            "尚未设置 API 密钥。请在 API 密钥输入框中粘贴硅基流动 API 密钥（在 cloud.siliconflow.cn 获取），"
            "或设置环境变量 SILICONFLOW_API_KEY。"
        ),
        "usage_empty": "回答生成时，这里会实时显示 token 用量和速度。",
        "hint_reasoning": "🧠 先思考再回答（见“思考过程”面板）",
        "hint_hybrid": "🧠 可选思考：在“更多请求字段”中把“思考模式”设为 on 或 off",
        "hint_vision": "👁 能理解图片",
        "hint_pro": "💳 Pro/ 为付费版本",
        "key_set": "✅ 密钥仅在本次浏览器会话中有效，保存在服务器端，不会再显示，关闭页面后即被遗忘。",
        "key_cleared": "已清除你的密钥。",
        "key_env": "正在使用服务器配置的密钥。",
        "key_none": "尚未设置密钥。",
        "models_live": "已从接口获取 {count} 个模型。",
        "models_fallback": "显示默认模型列表（{reason}）。",
        "usage_title": "用量",
        "value": "数值",
        "prompt_tokens": "输入 tokens",
        "completion_tokens": "输出 tokens",
        "reasoning_tokens": "思考 tokens",
        "total_tokens": "总 tokens",
        "ttft": "首 token 用时",
        "tps": "每秒 tokens（回答）",
        "total_time": "总用时",
        "finish_reason": "结束原因",
        "status": "状态",
        "status_waiting": "等待首个 token…",
        "status_thinking": "思考中…",
        "status_answering": "回答中…",
        "status_done": "完成",
        "status_error": "出错",
        "status_retrying": "重试中…",
        "status_stopped": "已停止",
        "tool_call": "🔧 工具调用：{name}",
        "bad_input": "未发送：{problem}",
        # --- errors (sfui/errors.py): each class's title and hint, and how they are put together ---
        "error_message": "{title}。{hint}",
        "error_details": "（{details}）",
        "error_details_separator": "，",
        "error_code": "错误码 {code}",
        "error_trace_id": " 追踪 ID：{trace_id}",
        "error_switch_host": "如果反复出现，可以换用另一个地址（api.siliconflow.cn 或 api.siliconflow.com）。",
        "error_generic_title": "出错了",
        "error_generic_hint": "请重试。{switch_host}",
        "error_bad_request_title": "请求被拒绝（参数有误或模型不存在）",
        "error_bad_request_hint": "请检查模型名称和参数设置，或换一个模型。",
        "error_auth_title": "API 密钥无效",
        "error_auth_hint": "请检查硅基流动 API 密钥（cloud.siliconflow.cn → API 密钥），重新粘贴。",
        "error_balance_title": "账户余额不足",
        "error_balance_hint": "请为硅基流动账户充值，或选择免费模型。",
        "error_permission_title": "无权使用该模型",
        "error_permission_hint": "该模型可能需要实名认证或账户余额。请完成实名认证、充值，或换一个模型。",
        "error_not_found_title": "接口地址不存在",
        "error_not_found_hint": "请检查接口地址（Base URL），应以 /v1 结尾，例如 https://api.siliconflow.cn/v1。",
        "error_rate_limit_title": "请求过于频繁，已触发限流",
        "error_rate_limit_hint": "请稍等片刻再试，或换一个模型（限流按模型计算）。",
        "error_server_title": "服务内部错误",
        "error_server_hint": "请稍后重试。{switch_host}",
        "error_overloaded_title": "模型当前负载过高",
        "error_overloaded_hint": "请过一会儿再试，或换一个模型。",
        "error_gateway_timeout_title": "服务响应超时",
        "error_gateway_timeout_hint": "请重试；调小 max_tokens 或换一个模型可能有帮助。{switch_host}",
        "error_connection_title": "无法连接到接口",
        "error_connection_hint": "请检查网络和接口地址。{switch_host}",
        "error_connection_refused_title": "接口服务器拒绝连接",
        "error_dns_title": "无法解析接口域名",
        "error_dns_hint": "请检查接口地址是否拼写正确，以及网络的 DNS 设置。{switch_host}",
        "error_connect_timeout_title": "连接接口超时",
        "error_stream_title": "回答被中断",
        "error_stream_hint": "已收到的部分已保留，可点击“重试”重新生成。",
        "error_read_timeout_title": "模型长时间未返回内容（读取超时）",
        "error_read_timeout_hint": (
            "已收到的内容已保留。可点击“重试”，或换一个更快的模型；等待上限由 SFUI_READ_TIMEOUT 设置。"
        ),
        "error_incomplete_stream_title": "连接在回答完成前关闭",
        "error_malformed_title": "服务器返回了无法解析的内容",
        "error_malformed_hint": "请确认接口地址指向兼容 OpenAI 的接口（…/v1），然后点击“重试”。",
        "error_upstream_title": "服务在回答过程中报错",
        # --- static labels (translated in the browser by gr.I18n; sfui/ui/) ---
        "label_title": "## sfui · 与硅基流动模型对话",
        "label_chat": "对话",
        "label_chat_placeholder": "**硅基流动** · DeepSeek、Qwen、GLM、Kimi…",
        "label_placeholder": "输入问题…（Enter 发送，Shift+Enter 换行）",
        "label_send": "发送",
        "label_stop": "停止",
        "label_clear": "清空",
        "label_model": "模型",
        "label_reasoning": "思考过程",
        "label_parameters": "参数",
        "label_system_prompt": "系统提示词",
        "label_system_prompt_placeholder": "你是一个乐于助人的助手。",
        "label_advanced": "更多请求字段",
        "label_api_key": "API 密钥",
        "label_api_key_placeholder": "sk-…（仅在本次浏览器会话中保存在服务器端）",
        "label_use_key": "使用此密钥",
        "label_forget_key": "清除我的密钥",
        # --- request fields (sfui/params.py): labels, one-line help, refusals ---
        "field_temperature": "temperature",
        "field_top_p": "top_p",
        "field_top_k": "top_k",
        "field_max_tokens": "max_tokens",
        "field_frequency_penalty": "frequency_penalty",
        "field_stop": "停止序列（每行一个，最多 4 个）",
        "field_enable_thinking": "思考模式（混合模型）",
        "field_thinking_budget": "思考预算（tokens，留空为模型默认）",
        "field_min_p": "min_p（仅 Qwen3，留空为模型默认）",
        "field_response_format": "返回格式",
        "field_tools": "工具（函数的 JSON 列表）",
        "field_presence_penalty": "presence_penalty（留空为模型默认）",
        "field_seed": "seed（留空为随机）",
        "help_temperature": "越高回答越多样；越低越集中、越可复现。",
        "help_top_p": "只在累计概率达到该比例的候选词中选择；越低措辞越稳妥。",
        "help_top_k": "只在最可能的 k 个候选词中选择；越低越可预测。",
        "help_max_tokens": "回答的最大长度（tokens，一个汉字约 1–2 个）。",
        "help_frequency_penalty": "越高越少重复用过的词句。",
        "help_stop": "回答写到其中任意一个时就停止。",
        "help_enable_thinking": "混合模型可以先思考再回答，也可以直接回答。",
        "help_thinking_budget": "思考最多使用这么多 tokens（128 – 32768）。",
        "help_min_p": "舍弃远不如最佳候选的词（0 – 1）。",
        "help_response_format": "json_object 让模型输出合法的 JSON。",
        "help_tools": "模型可以请求调用的函数；调用会显示在对话中。",
        "help_presence_penalty": "越高越倾向于谈论新内容（-2 – 2）。",
        "help_seed": "相同的 seed 和输入会得到（几乎）相同的回答。",
        "input_not_a_number": "{name} 必须是数字，而不是 {value}",
        "input_out_of_range": "{name} 必须在 {low} 到 {high} 之间（当前为 {value}）",
        "input_bad_choice": "{name} 只能是 {choices}",
        "input_too_many_stops": "最多 {limit} 个停止序列（当前 {count} 个）",
        "input_tools_json": "tools 不是有效的 JSON（{detail}）",
        "input_tools_shape": "tools 必须是工具对象组成的 JSON 列表",
        "input_too_many_tools": "最多 {limit} 个工具",
        "input_too_long": "消息长度为 {length} 个字符，超过上限 {limit}（约为最大上下文窗口）",
        "list_or": "{head} 或 {last}",
        "list_separator": "、",
        # --- Compare's logic (sfui/compare.py): pane titles, results and tally tables, refusals ---
        "compare_slot_title": "{model} · 温度 {temperature}",
        "compare_sample_title": "{title} · 回答 {number}",
        "compare_col_pane": "模型",
        "compare_col_ttft": "首 token（秒）",
        "compare_col_tps": "每秒 tokens",
        "compare_col_prompt_tokens": "输入 tokens",
        "compare_col_completion_tokens": "输出 tokens",
        "compare_col_reasoning_tokens": "思考 tokens",
        "compare_col_total_time": "总用时（秒）",
        "compare_col_finish_reason": "结束原因",
        "compare_metric_ttft": "首 token（秒）",
        "compare_metric_tps": "每秒 tokens",
        "compare_tally_wins": "胜",
        "compare_tally_ties": "平",
        "compare_tally_losses": "负",
        "compare_tally_win_rate": "胜率",
        "input_compare_slots": "请至少选择两个模型进行对比",
        "input_compare_model": "请选择一个模型",
        "input_compare_too_many": "一次最多对比 {limit} 个模型",
        "input_compare_samples": "回答数必须是 1 到 {limit} 之间的整数",
        # --- the Compare tab (sfui/ui/compare.py) ---
        "label_chat_tab": "对话",
        "label_compare_tab": "对比",
        "label_compare_slot_1": "模型 1",
        "label_compare_slot_2": "模型 2",
        "label_compare_slot_3": "模型 3（可选）",
        "label_compare_slot_4": "模型 4（可选）",
        "label_compare_temperature": "temperature",
        "label_compare_temperature_hint": "留空则与对话相同",
        "label_compare_samples": "模型 1 的采样数（n）",
        "help_compare_samples": "大于 1 时，用一次请求让模型 1 给出 n 个回答，并排显示。",
        "label_compare_blind": "盲测模式",
        "help_compare_blind": "投票前隐藏模型名称（随机排列为 A、B、C、D）。",
        "label_compare_vote_best": "👍 这个最好",
        "label_compare_vote_tie": "🤝 平局",
        "label_compare_vote_bad": "👎 都不好",
        "label_compare_placeholder": "向所有模型提同一个问题…（Enter 发送）",
        "label_compare_stats": "结果",
        "label_compare_chart_ttft": "首 token 用时（秒）",
        "label_compare_chart_speed": "每秒 tokens（回答）",
        "label_compare_tally": "你的投票（保存在本浏览器中）",
        "label_compare_tally_reset": "重置我的投票",
        "compare_requests": "提问中… 将使用你的密钥发出 {count} 个请求。",
        "compare_blind_label": "模型 {letter}",
        "compare_nothing_to_vote": "暂时无法投票：请先提问并等待回答结束（每轮只能投一票）。",
        "compare_voted": "已记录投票：{choice}。",
        "compare_vote_tie": "平局",
        "compare_vote_bad": "都不好",
        # --- View code (sfui/ui/code.py) ---
        "label_code_view": "查看代码",
        "label_code_lang": "语言",
        "label_code_curl": "curl",
        "label_code_python_requests": "Python（requests）",
        "label_code_python_openai": "Python（openai）",
        "label_code_go": "Go",
        "label_code_javascript": "JavaScript（fetch）",
        "label_code_code": "请求代码（密钥从环境变量 SILICONFLOW_API_KEY 读取，不会写在这里）",
        "label_code_refresh": "显示下次发送的请求",
        "code_no_message": "请先在输入框中输入消息：这里会显示发送时的确切请求，以及流式输出回答的代码。",
        # --- the conversation sidebar (sfui/ui/conversations.py) ---
        "label_conversations": "### 对话记录",
        "label_new_chat": "＋ 新对话",
        "label_rename_placeholder": "当前对话的标题",
        "label_rename": "重命名",
        "label_delete_chat": "删除",
        "label_undo_delete": "撤销删除",
        "label_export_md": "导出 Markdown",
        "label_export_json": "导出 JSON",
        "label_import": "导入文件…",
        "conv_not_saved_full": "未保存：本浏览器中 sfui 的存储空间已满。请先导出旧对话并删除，然后重新发送。",
        "conv_nothing_open": "当前没有打开已保存的对话：请先发送消息，或从列表中打开一个。",
        "conv_deleted": "已删除“{title}”。点击“撤销删除”可恢复。",
        # --- saved conversations, export and import (sfui/conversations.py) ---
        "conv_untitled": "新对话",
        "conv_just_now": "刚刚",
        "conv_minutes_ago": "{count} 分钟前",
        "conv_hours_ago": "{count} 小时前",
        "conv_yesterday": "昨天",
        "conv_storage": "已使用本浏览器存储空间的 {percent}%",
        "conv_storage_full": "存储空间快满了（已用 {percent}%）：请导出旧对话，然后删除它们",
        "conv_unreadable": "有 {count} 个已保存的对话无法读取，已略过。",
        "conv_import_failed": "未导入：{problem}。已保存的内容没有任何改动。",
        "conv_rename_failed": "未重命名：{problem}。",
        "conv_tool_result": "🔧 工具结果",
        "conv_md_model": "模型",
        "conv_md_fields": "请求字段",
        "conv_md_fields_none": "未设置（使用模型默认值）",
        "conv_md_system": "系统提示词",
        "conv_md_user": "🧑 你",
        "conv_md_assistant": "🤖 助手",
        "conv_md_thought": "已思考 {seconds} 秒",
        "input_title_empty": "标题不能为空",
        "input_title_too_long": "标题最多 {limit} 个字符",
        "input_import_not_json": "文件不是 JSON（sfui 可导入它自己导出的 JSON，或 OpenAI 格式的 messages 列表）",
        "input_import_shape": "该 JSON 既不是 sfui 对话，也不是 OpenAI 格式的 messages 列表",
        "input_import_field": "对话的字段 {field} 缺失或无效",
        "input_import_version": "文件的对话格式版本为 {version}，本 sfui 只能读取版本 {supported}",
        "input_import_too_large": "文件大小为 {size}，上限为 {limit}",
        "input_import_too_many": "对话有 {count} 条消息，上限为 {limit} 条",
        "input_import_message": "第 {number} 条消息不是有效的聊天消息（需要 role 和文本内容）",
        "input_import_role": "第 {number} 条消息的角色 {role} 无法识别",
        "input_import_message_too_long": "第 {number} 条消息长 {length} 个字符，上限为 {limit}",
        "input_import_empty": "对话中没有消息",
        "label_code_answer": "显示哪个请求",
        "label_code_next_send": "下一次发送",
        "code_past_answer": "第 {number} 个回答 · {model}",
    },
}


# The Chinese locales Gradio's frontend ships (gradio 6.31: js/core/src/lang/zh-CN.json and
# zh-TW.json). Gradio shows gr.I18n labels in the browser's first language (navigator.language)
# when it ships that locale or the tag's first part ("pt-BR", "fr"), else in English: so "zh",
# "zh-HK" or "zh-SG" get English labels (gradio-app/gradio#11087), and only these get Chinese.
GRADIO_ZH_LOCALES = ("zh-CN", "zh-TW")

# The keys the page's static text uses: gradio_translations() sends only these to the browser.
# None can equal a Gradio i18n group ("status", "chatbot", "common", ...), which would show
# "[object Object]" instead of the text.
PAGE_PREFIXES = ("label_", "field_", "help_")


def language(lang: str | None) -> str:
    """The catalogue language for a language code: "zh" for "zh" and any "zh-..." tag
    ("zh-CN", "zh_TW"), else "en". Every choice of language in sfui goes through here."""
    return "zh" if re.split(r"[-_]", (lang or "").strip().lower())[0] == "zh" else "en"


def first_language(accept_language: str | None) -> str:
    """The browser's first language in an Accept-Language header (the tag with the highest
    q; the first one of equals), or "" when there is none."""
    best, best_q = "", 0.0
    for part in (accept_language or "").split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag, q
    return best


def pick_language(accept_language: str | None) -> str:
    """The visitor's language, "zh" or "en", from the browser's Accept-Language header,
    chosen as Gradio's frontend chooses the language of the labels: "zh" only when the
    browser's first language is a Chinese locale Gradio ships (GRADIO_ZH_LOCALES), so the
    text the server writes and the labels always agree."""
    first = first_language(accept_language).lower()
    return "zh" if first in {locale.lower() for locale in GRADIO_ZH_LOCALES} else "en"


def t(lang: str, key: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` (any code ``language()`` takes), filled in with ``values``."""
    return STRINGS[language(lang)].get(key, STRINGS["en"][key]).format(**values)


def format_choices(lang: str, items: tuple) -> str:
    """``("a", "b", "c")`` as "a, b or c" (English) or "a、b 或 c" (Chinese)."""
    items = tuple(str(item) for item in items)
    if len(items) < 2:
        return "".join(items)
    return t(lang, "list_or", head=t(lang, "list_separator").join(items[:-1]), last=items[-1])


def gradio_translations() -> dict[str, dict[str, str]]:
    """The page's static text (the keys starting with PAGE_PREFIXES) by Gradio locale name,
    for ``gr.I18n(**gradio_translations())``. "en" is also Gradio's fallback; "zh" and every
    Chinese locale Gradio can choose (GRADIO_ZH_LOCALES) get the Chinese text, as
    ``pick_language`` gives the server's text."""
    en, zh = ({k: v for k, v in STRINGS[lang].items() if k.startswith(PAGE_PREFIXES)} for lang in ("en", "zh"))
    return {"en": en, "zh": zh, **{locale: zh for locale in GRADIO_ZH_LOCALES}}
