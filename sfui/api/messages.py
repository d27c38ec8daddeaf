"""The client's own words: each error's title and hint (``error_<key>_title``,
``error_<key>_hint``), in English and Chinese, and the one choice of language.

They live with the client so that it explains its errors without the app; the app's
catalogue (``sfui/i18n.py``) takes them in, so each string still has one home.
"""

from __future__ import annotations

import re

EN: dict[str, str] = {
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
}

ZH: dict[str, str] = {
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
}

MESSAGES: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}


def language(lang: str | None) -> str:
    """The catalogue language for a language code: "zh" for "zh" and any "zh-..." tag
    ("zh-CN", "zh_TW"), else "en". Every choice of language in sfui goes through here."""
    return "zh" if re.split(r"[-_]", (lang or "").strip().lower())[0] == "zh" else "en"


def message(lang: str | None, key: str, **values: object) -> str:
    """The client's text ``key`` in ``lang`` (English where it has none), filled in."""
    text = MESSAGES[language(lang)].get(key) or EN[key]
    return text.format(**values)
