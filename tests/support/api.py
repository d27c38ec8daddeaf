"""The app's public API as a gradio_client user calls it."""

from __future__ import annotations

from tests.support.launch import PATIENT_HTTP

__all__ = ["ChatAPI", "ChatReply", "message_text"]


class ChatAPI:
    """The app's public ``/chat`` and ``/retry`` endpoints, called the way a
    gradio_client user calls them. ``lang`` sets the Accept-Language header
    (the app answers in the visitor's language)."""

    # Keyword names are the handler's parameters, as client.view_api() lists them.
    CONTROLS = dict(
        model="Qwen/Qwen3-8B", system_prompt="", temperature=0.7, top_p=0.7, top_k=50, max_tokens=512,
        frequency_penalty=0.5, stop="", enable_thinking="default", thinking_budget="", min_p="",
        response_format="text", tools="",
    )

    def __init__(self, url: str, lang: str = "en") -> None:
        from gradio_client import Client

        accept = "zh-CN,zh;q=0.9" if lang == "zh" else "en-US,en;q=0.9"
        self.client = Client(url, verbose=False, headers={"Accept-Language": accept}, httpx_kwargs=PATIENT_HTTP)

    def chat(self, message: str, history: list | tuple = (), timeout: float = 60, **controls) -> ChatReply:
        job = self.client.submit(
            message=message, history=list(history), api_name="/chat", **{**self.CONTROLS, **controls}
        )
        job.result(timeout=timeout)  # raises the app's error, if any
        return ChatReply(job.outputs(), chatbot_index=0)

    def retry(self, history: list, timeout: float = 60, **controls) -> ChatReply:
        job = self.client.submit(history=list(history), api_name="/retry", **{**self.CONTROLS, **controls})
        job.result(timeout=timeout)
        return ChatReply(job.outputs(), chatbot_index=0)

    def close(self) -> None:
        self.client.close()


class ChatReply:
    """Every output a call streamed, in order; ``history`` is the final chat."""

    def __init__(self, outputs: list, chatbot_index: int) -> None:
        self.outputs = [tuple(o) for o in outputs]
        self.histories = [o[chatbot_index] for o in self.outputs if isinstance(o[chatbot_index], list)]
        self.history = self.histories[-1] if self.histories else None


def message_text(message: dict) -> str:
    """The text of a chat message as gradio_client returns it (content blocks)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(block.get("text") or "" for block in content or () if isinstance(block, dict))
