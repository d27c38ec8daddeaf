"""One error hierarchy for everything that can go wrong talking to the API.

HTTP errors, network failures and failures found inside a 200 stream are all
raised as subclasses of :class:`SiliconFlowError`, so a caller catches at the
level it cares about (``except RateLimitError``, ``except StreamError``, or
everything at once). Each error knows how to explain itself to a person, in
English or Chinese: what happened and what to do next.
"""

from __future__ import annotations

import json
from typing import ClassVar

# Shown after most hints: the FAQ's advice when one host misbehaves.
_SWITCH_HOST_EN = "If it keeps happening, try the other host (api.siliconflow.com or api.siliconflow.cn)."
_SWITCH_HOST_ZH = "如果反复出现，可以换用另一个地址（api.siliconflow.cn 或 api.siliconflow.com）。"


class SiliconFlowError(Exception):
    """Base class. ``status`` is the HTTP status (None for network errors),
    ``code`` SiliconFlow's numeric code when the body had one, ``message`` the
    server's own text, ``trace_id`` the ``x-siliconcloud-trace-id`` header."""

    retryable: ClassVar[bool] = False
    title_en: ClassVar[str] = "Something went wrong"
    title_zh: ClassVar[str] = "出错了"
    hint_en: ClassVar[str] = "Please try again. " + _SWITCH_HOST_EN
    hint_zh: ClassVar[str] = "请重试。" + _SWITCH_HOST_ZH

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        code: int | None = None,
        trace_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.code = code
        self.trace_id = trace_id
        self.retry_after = retry_after
        super().__init__(self._technical())

    def _technical(self) -> str:
        parts = [type(self).__name__]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        text = " ".join(parts)
        if self.message:
            text += f": {self.message}"
        if self.trace_id:
            text += f" (trace id {self.trace_id})"
        return text

    def user_message(self, lang: str = "en") -> str:
        """A short explanation for a person: what happened, what to do, and
        the details support will ask for. ``lang`` is "zh" or "en"."""
        zh = lang.lower().startswith("zh")
        title, hint = (self.title_zh, self.hint_zh) if zh else (self.title_en, self.hint_en)
        details = []
        if self.status is not None:
            details.append(f"HTTP {self.status}")
        if self.code is not None:
            details.append(("错误码 " if zh else "code ") + str(self.code))
        if self.message:
            details.append(self.message)
        text = f"{title}. {hint}" if not zh else f"{title}。{hint}"
        if details:
            text += ("（" + "，".join(details) + "）") if zh else " (" + ", ".join(details) + ")"
        if self.trace_id:
            text += (" 追踪 ID：" if zh else " Trace ID: ") + self.trace_id
        return text


# --- HTTP status errors -------------------------------------------------------


class APIStatusError(SiliconFlowError):
    """The server answered with an error status (or an error inside a stream)."""


class BadRequestError(APIStatusError):
    title_en = "The request was rejected (bad parameter or unknown model)"
    title_zh = "请求被拒绝（参数有误或模型不存在）"
    hint_en = "Check the model name and the settings, or pick another model."
    hint_zh = "请检查模型名称和参数设置，或换一个模型。"


class AuthenticationError(APIStatusError):
    title_en = "The API key was not accepted"
    title_zh = "API 密钥无效"
    hint_en = "Check your SiliconFlow API key (cloud.siliconflow.cn → API keys) and paste it again."
    hint_zh = "请检查硅基流动 API 密钥（cloud.siliconflow.cn → API 密钥），重新粘贴。"


class InsufficientBalanceError(APIStatusError):
    title_en = "Your account balance is not enough for this model"
    title_zh = "账户余额不足"
    hint_en = "Top up your SiliconFlow account, or pick a free model."
    hint_zh = "请为硅基流动账户充值，或选择免费模型。"


class PermissionDeniedError(APIStatusError):
    title_en = "Access to this model was denied"
    title_zh = "无权使用该模型"
    hint_en = "The model may need real-name verification or a positive balance. Verify your account, top up, or pick another model."
    hint_zh = "该模型可能需要实名认证或账户余额。请完成实名认证、充值，或换一个模型。"


class NotFoundError(APIStatusError):
    title_en = "The API address was not found"
    title_zh = "接口地址不存在"
    hint_en = "Check the base URL: it should end in /v1, e.g. https://api.siliconflow.cn/v1."
    hint_zh = "请检查接口地址（Base URL），应以 /v1 结尾，例如 https://api.siliconflow.cn/v1。"


class RateLimitError(APIStatusError):
    retryable = True
    title_en = "Rate limit reached"
    title_zh = "请求过于频繁，已触发限流"
    hint_en = "Wait a moment and try again, or pick another model (limits are per model)."
    hint_zh = "请稍等片刻再试，或换一个模型（限流按模型计算）。"


class ServerError(APIStatusError):
    retryable = True
    title_en = "The service had an internal error"
    title_zh = "服务内部错误"
    hint_en = "Try again in a moment. " + _SWITCH_HOST_EN
    hint_zh = "请稍后重试。" + _SWITCH_HOST_ZH


class OverloadedError(ServerError):
    title_en = "The model is overloaded right now"
    title_zh = "模型当前负载过高"
    hint_en = "Try again in a minute, or pick another model."
    hint_zh = "请过一会儿再试，或换一个模型。"


class GatewayTimeoutError(ServerError):
    title_en = "The service timed out"
    title_zh = "服务响应超时"
    hint_en = "Try again; a shorter max_tokens or another model may help. " + _SWITCH_HOST_EN
    hint_zh = "请重试；调小 max_tokens 或换一个模型可能有帮助。" + _SWITCH_HOST_ZH


# --- Network errors ---------------------------------------------------------------


class APIConnectionError(SiliconFlowError):
    """No HTTP answer at all."""

    retryable = True
    title_en = "Could not reach the API"
    title_zh = "无法连接到接口"
    hint_en = "Check your network and the base URL. " + _SWITCH_HOST_EN
    hint_zh = "请检查网络和接口地址。" + _SWITCH_HOST_ZH


class ConnectionRefused(APIConnectionError):
    title_en = "The API server refused the connection"
    title_zh = "接口服务器拒绝连接"


class DNSError(APIConnectionError):
    title_en = "The API host name could not be resolved"
    title_zh = "无法解析接口域名"
    hint_en = "Check the base URL for typos and your network's DNS. " + _SWITCH_HOST_EN
    hint_zh = "请检查接口地址是否拼写正确，以及网络的 DNS 设置。" + _SWITCH_HOST_ZH


class ConnectTimeoutError(APIConnectionError):
    title_en = "Connecting to the API timed out"
    title_zh = "连接接口超时"


# --- Failures inside a stream ---------------------------------------------------


class StreamError(SiliconFlowError):
    """The answer started but did not finish properly."""

    title_en = "The answer was cut off"
    title_zh = "回答被中断"
    hint_en = "The part received so far is kept. Press Retry to generate it again."
    hint_zh = "已收到的部分已保留，可点击“重试”重新生成。"


class ReadTimeoutError(StreamError):
    title_en = "The model sent nothing for too long (read timeout)"
    title_zh = "模型长时间未返回内容（读取超时）"
    hint_en = "Anything received so far is kept. Press Retry, or pick a faster model; the wait limit is SFUI_READ_TIMEOUT."
    hint_zh = "已收到的内容已保留。可点击“重试”，或换一个更快的模型；等待上限由 SFUI_READ_TIMEOUT 设置。"


class IncompleteStreamError(StreamError):
    title_en = "The connection closed before the answer was complete"
    title_zh = "连接在回答完成前关闭"


class MalformedResponseError(StreamError):
    title_en = "The server sent something that is not a valid answer"
    title_zh = "服务器返回了无法解析的内容"
    hint_en = "Check the base URL points to an OpenAI-compatible API (…/v1). Press Retry to try again."
    hint_zh = "请确认接口地址指向兼容 OpenAI 的接口（…/v1），然后点击“重试”。"


class UpstreamStreamError(StreamError, APIStatusError):
    """An error object arrived inside a 200 stream (e.g. ``{"code":60000,...}``)."""

    title_en = "The service reported an error while answering"
    title_zh = "服务在回答过程中报错"


# --- Mapping ---------------------------------------------------------------------

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientBalanceError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
    500: ServerError,
    502: ServerError,
    503: OverloadedError,
    504: GatewayTimeoutError,
}


def parse_error_body(body: bytes | str) -> tuple[int | None, str]:
    """Extract (code, message) from any error body SiliconFlow sends:
    ``{"code":..,"message":..}``, OpenAI's ``{"error":{...}}``, a bare JSON
    string like ``"Invalid token"``, or plain text/HTML."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.strip()
    try:
        obj = json.loads(text)
    except ValueError:
        if text.lstrip().startswith("<"):
            return None, "(HTML page)"
        return None, text[:300]
    if isinstance(obj, str):
        return None, obj[:300]
    if isinstance(obj, dict):
        if isinstance(obj.get("error"), dict):  # OpenAI-style servers
            obj = obj["error"]
        code = obj.get("code")
        message = obj.get("message") or obj.get("msg") or obj.get("error") or ""
        try:
            code = int(code) if code is not None else None
        except (TypeError, ValueError):
            code = None
        return code, str(message)[:300]
    return None, text[:300]


def error_for_status(
    status: int,
    body: bytes | str = b"",
    *,
    trace_id: str | None = None,
    retry_after: float | None = None,
) -> APIStatusError:
    code, message = parse_error_body(body)
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else APIStatusError)
    # A 403 whose body talks about balance is a balance problem, not a permission one.
    if status == 403 and "balance" in message.lower():
        cls = InsufficientBalanceError
    return cls(message, status=status, code=code, trace_id=trace_id, retry_after=retry_after)


def stream_error_from_object(obj: dict, trace_id: str | None = None) -> UpstreamStreamError:
    """An error object found inside a stream, with or without ``data:``."""
    code, message = parse_error_body(json.dumps(obj))
    return UpstreamStreamError(message, status=200, code=code, trace_id=trace_id)


def looks_like_error_object(obj: object) -> bool:
    """True for ``{"code": 60000, "message": ...}`` or ``{"error": {...}}``, which
    a chunk never is (a chunk has ``choices``)."""
    if not isinstance(obj, dict) or "choices" in obj:
        return False
    if isinstance(obj.get("error"), (dict, str)):
        return True
    return "message" in obj and ("code" in obj or "data" in obj)
