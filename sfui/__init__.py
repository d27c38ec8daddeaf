"""sfui: chat with SiliconFlow models, from a browser or from Python.

    from sfui import SiliconFlowClient, TextDelta
    client = SiliconFlowClient(api_key="sk-...")
    with client.chat_stream("Qwen/Qwen3-8B", [{"role": "user", "content": "Hi"}]) as stream:
        for event in stream:
            if isinstance(event, TextDelta):
                print(event.text, end="", flush=True)
    print(stream.usage)

Importing ``sfui`` does not import Gradio: the UI lives in ``sfui.ui``.
"""

from .api.client import SiliconFlowClient, UserInfo, build_payload
from .api.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConnectionRefused,
    ConnectTimeoutError,
    DNSError,
    GatewayTimeoutError,
    IncompleteStreamError,
    InsufficientBalanceError,
    MalformedResponseError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitError,
    ReadTimeoutError,
    ServerError,
    SiliconFlowError,
    StreamError,
    UpstreamStreamError,
)
from .api.events import (
    Event,
    Finished,
    ReasoningDelta,
    Reply,
    Retrying,
    TextDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from .api.stream import ChatStream
from .catalog import DEFAULT_MODELS, ModelInfo, model_info
from .config import Settings
from .params import FIELDS, Controls, InputError, RequestField

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ChatStream",
    "ConnectTimeoutError",
    "ConnectionRefused",
    "Controls",
    "DEFAULT_MODELS",
    "DNSError",
    "Event",
    "FIELDS",
    "Finished",
    "GatewayTimeoutError",
    "IncompleteStreamError",
    "InputError",
    "InsufficientBalanceError",
    "MalformedResponseError",
    "ModelInfo",
    "NotFoundError",
    "OverloadedError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReadTimeoutError",
    "ReasoningDelta",
    "Reply",
    "RequestField",
    "Retrying",
    "ServerError",
    "Settings",
    "SiliconFlowClient",
    "SiliconFlowError",
    "StreamError",
    "TextDelta",
    "ToolCall",
    "ToolCallDelta",
    "UpstreamStreamError",
    "Usage",
    "UsageUpdate",
    "UserInfo",
    "build_payload",
    "model_info",
]
