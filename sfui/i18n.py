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
