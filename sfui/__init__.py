"""sfui: chat with SiliconFlow models, from a browser or from Python.

    from sfui import SiliconFlowClient, TextDelta
    client = SiliconFlowClient(api_key="sk-...")
    with client.chat_stream("Qwen/Qwen3-8B", [{"role": "user", "content": "Hi"}]) as stream:
        for event in stream:
            if isinstance(event, TextDelta):
                print(event.text, end="", flush=True)
    print(stream.usage)
"""

from .catalog import DEFAULT_MODELS, ModelInfo, model_info
from .client import (
    ChatStream,
    Finished,
    ReasoningDelta,
    Retrying,
    SiliconFlowClient,
    TextDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
    build_payload,
)
from .config import Settings
from .errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    SiliconFlowError,
    StreamError,
)

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ChatStream",
    "DEFAULT_MODELS",
    "Finished",
    "ModelInfo",
    "ReasoningDelta",
    "Retrying",
    "Settings",
    "SiliconFlowClient",
    "SiliconFlowError",
    "StreamError",
    "TextDelta",
    "ToolCall",
    "ToolCallDelta",
    "Usage",
    "UsageUpdate",
    "build_payload",
    "model_info",
]
