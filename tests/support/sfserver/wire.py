"""SiliconFlow's wire: compact JSON and SSE framing, its error bodies, token splitting, the
chunks of one completion (:class:`_Chunker`, usage included) and :func:`error`."""

from __future__ import annotations

import http
import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from .steps import Body, Chunk, Done, Scenario, Step

_JSON = "application/json"
_TEXT = "text/plain; charset=utf-8"

# Bodies as captured from SiliconFlow (see the shared notes): note the bare JSON strings.
ERROR_BODIES: dict[int, tuple[bytes, str]] = {
    400: (b'{"code":20012,"message":"Model does not exist. Please check it carefully.","data":null}', _JSON),
    401: (b'"Invalid token"', _JSON),
    402: (b'{"code":30001,"message":"Sorry, your account balance is insufficient","data":null}', _JSON),
    403: (b'"Forbidden"', _JSON),
    404: (b"404 page not found", _TEXT),
    429: (b'{"message":"Request was rejected due to rate limiting. Details:TPM limit reached.","data":null}',
          _JSON),
    500: (b'{"code":50000,"message":"Internal server error","data":null}', _JSON),
    503: (b'{"code":50505,"message":"Model service overloaded. Please try again later.","data":null}', _JSON),
    504: (b'"upstream timeout"', _JSON),
}

# The error SiliconFlow writes *inside* a 200 stream, without a "data:" prefix.
BARE_ERROR_LINE = (b'{"code":60000,"message":"Request processing has failed due to some unknown error.",'
                   b'"data":null}\n\n')

# Not in the notes: modelled on SiliconFlow's generic "invalid parameter" error.
_INVALID_PARAMETER = {"code": 20015, "message": "The parameter is invalid. Please check again.", "data": None}

# Words with their trailing whitespace; leading whitespace is a token of its own.
_TOKEN_RE = re.compile(r"\S+\s*|\s+")
_FILLER = "The quick brown fox jumps over the lazy dog while the cat watches".split()


def _tokens(text: str | list[str] | None) -> list[str]:
    if text is None:
        return []
    if isinstance(text, str):
        return _TOKEN_RE.findall(text)
    return list(text)


def _filler(n: int) -> list[str]:
    return [_FILLER[i % len(_FILLER)] + " " for i in range(n)]


def _dumps(obj: Any) -> bytes:
    # Compact and raw UTF-8, like the real server; multi-byte characters are not \u-escaped.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sse(obj: Any) -> bytes:
    return b"data: " + _dumps(obj) + b"\n\n"


def _new_id() -> str:
    return uuid.uuid4().hex


class _Chunker:
    """Builds the chunks of one completion, keeping id, created and the running usage."""

    ROLE_DELTA = {"role": "assistant", "content": "", "reasoning_content": None}

    def __init__(self, model: str, prompt_tokens: int, usage: str) -> None:
        if usage not in ("cumulative", "final", "none"):
            raise ValueError(f"usage must be 'cumulative', 'final' or 'none', not {usage!r}")
        self.id = _new_id()
        self.created = int(time.time())
        self.model = model
        self.prompt_tokens = prompt_tokens
        self.usage_mode = usage
        self.completion_tokens = 0
        self.reasoning_tokens = 0

    def usage(self) -> dict:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens},
        }

    def envelope(self, choices: list, *, with_usage: bool) -> dict:
        obj = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
               "model": self.model, "choices": choices, "system_fingerprint": ""}
        if with_usage:
            obj["usage"] = self.usage()
        return obj

    def chunk(self, delta: dict, finish_reason: str | None = None, *,
              token: bool = False, reasoning: bool = False, index: int = 0) -> Chunk:
        """A chunk with one delta of choice ``index``; ``token`` counts it as one completion
        token (the usage counts every choice's tokens: it is the request's)."""
        if token:
            self.completion_tokens += 1
            self.reasoning_tokens += reasoning
        choice = {"index": index, "delta": delta, "finish_reason": finish_reason}
        return Chunk(self.envelope([choice], with_usage=self.usage_mode == "cumulative"), token=token)

    def role(self, index: int = 0) -> Chunk:
        return self.chunk(dict(self.ROLE_DELTA), index=index)

    def content(self, text: str, finish_reason: str | None = None) -> Chunk:
        return self.chunk({"content": text, "reasoning_content": None}, finish_reason, token=True)

    def tail(self) -> list[Step]:
        """What follows the last token: the usage-only chunk (usage="final") and [DONE]."""
        steps: list[Step] = []
        if self.usage_mode == "final":
            steps.append(Chunk(self.envelope([], with_usage=True)))
        steps.append(Done())
        return steps


def _tool_call(call: dict) -> tuple[str, str, str]:
    """(id, name, arguments as a JSON string) of a builder's ``{"name", "arguments"[, "id"]}``."""
    args = call.get("arguments", "")
    if not isinstance(args, str):
        args = json.dumps(args)
    return call.get("id") or f"call_{uuid.uuid4().hex[:24]}", call["name"], args


def _tool_call_deltas(index: int, call: dict) -> Iterator[dict]:
    call_id, name, args = _tool_call(call)
    yield {"tool_calls": [{"index": index, "id": call_id, "type": "function",
                           "function": {"name": name, "arguments": ""}}]}
    for start in range(0, len(args), 8):  # several small fragments, as real servers send
        yield {"tool_calls": [{"index": index, "function": {"arguments": args[start:start + 8]}}]}


def error(status: int, body: Any = None, *, headers: dict[str, str] | None = None,
          content_type: str | None = None) -> Scenario:
    """An error response.

    ``body=None`` uses :data:`ERROR_BODIES` (or ``{"message": <reason>, "data": null}`` for
    other statuses).  Bytes are sent as-is; anything else is JSON-encoded, so a str becomes a
    bare JSON string the way SiliconFlow sends ``"Invalid token"``.
    """
    if body is None and status in ERROR_BODIES:
        data, default_type = ERROR_BODIES[status]
    else:
        if body is None:
            try:
                reason = http.HTTPStatus(status).phrase
            except ValueError:
                reason = "Error"
            body = {"message": reason, "data": None}
        data = body if isinstance(body, bytes) else _dumps(body)
        default_type = _JSON
    return Scenario(status=status, headers=dict(headers or {}),
                    steps=[Body(data, content_type or default_type)])
