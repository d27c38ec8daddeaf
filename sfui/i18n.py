"""The few strings the app writes at run time, in English and Chinese.

Gradio's own ``gr.I18n`` translates static labels in the browser; text that
is produced while streaming (status lines, notices, the usage table) is
translated here, by the language the visitor's browser asks for.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "thinking": "💭 Thinking",
        "thought": "💭 Thought",
        "waiting_retry": "⏳ {reason} — retrying in {delay:.2g} s (retry {attempt} of {max_retries})…",
        "incomplete": "⚠️ The answer above is incomplete",
        "error": "⚠️ Error",
        "no_key": "No API key yet. Paste your SiliconFlow API key in the **API key** box (get one at https://cloud.siliconflow.cn/account/ak), or set `SILICONFLOW_API_KEY`.",
        "busy_toast": "Not sent: an answer is still coming. Wait for it (or press Stop), then send again. Your message is still in the box.",
        "no_key_toast": "No API key yet. Paste your SiliconFlow API key in the API key box (get one at cloud.siliconflow.cn), or set SILICONFLOW_API_KEY.",
        "usage_empty": "Token usage and speed appear here while an answer streams.",
        "hint_reasoning": "🧠 reasons before answering (see the Reasoning panel)",
        "hint_hybrid": "🧠 can think: set *Thinking* to on or off under More request fields",
        "hint_vision": "👁 understands images",
        "hint_pro": "💳 Pro/ = paid variant",
        "key_set": "✅ Your key is set for this browser session only. It is kept on the server, never shown again, and forgotten when you close the tab.",
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
        "input_too_long": "the message is {length} characters long; the limit is {limit} (about the largest context window)",
        "list_or": "{head} or {last}",
        "list_separator": ", ",
    },
    "zh": {
        "thinking": "💭 思考中",
        "thought": "💭 已思考",
        "waiting_retry": "⏳ {reason}，{delay:.2g} 秒后重试（第 {attempt}/{max_retries} 次）…",
        "incomplete": "⚠️ 以上回答不完整",
        "error": "⚠️ 出错了",
        "no_key": "尚未设置 API 密钥。请在 **API 密钥** 输入框中粘贴硅基流动 API 密钥（在 https://cloud.siliconflow.cn/account/ak 获取），或设置环境变量 `SILICONFLOW_API_KEY`。",
        "busy_toast": "未发送：上一条回答尚未结束。请等待（或点击停止）后再发送，您的消息仍在输入框中。",
        "no_key_toast": "尚未设置 API 密钥。请在 API 密钥输入框中粘贴硅基流动 API 密钥（在 cloud.siliconflow.cn 获取），或设置环境变量 SILICONFLOW_API_KEY。",
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
    },
}


def pick_language(accept_language: str | None) -> str:
    """"zh" when the browser prefers any Chinese variant over English, else "en"."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang and q > best_q:
            best, best_q = lang, q
    return best


def t(lang: str, key: str, **values: object) -> str:
    table = STRINGS.get(lang, STRINGS["en"])
    return table.get(key, STRINGS["en"][key]).format(**values)


def format_choices(lang: str, items: tuple) -> str:
    """``("a", "b", "c")`` as "a, b or c" (English) or "a、b 或 c" (Chinese)."""
    items = tuple(str(item) for item in items)
    if len(items) < 2:
        return "".join(items)
    return t(lang, "list_or", head=t(lang, "list_separator").join(items[:-1]), last=items[-1])


def gradio_translations() -> dict[str, dict[str, str]]:
    """The catalogue for ``gr.I18n``, by Gradio locale name."""
    return {"en": STRINGS["en"], "zh": STRINGS["zh"]}
