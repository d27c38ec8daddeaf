"""What a chat request gets when no scenario was pushed: the ``#fake:`` commands.

Each ``POST /v1/chat/completions`` consumes the next pushed scenario (FIFO).  When the queue
is empty the request itself chooses: a last user message starting with ``#fake:<name>``
(the rest of the message is the prompt) or a ``model`` of ``fake/<name>`` picks a named
scenario; anything else is echoed.  This lets a UI test that can only type text, or only pick
a model, drive every failure mode.  Named scenarios (stable names, tests rely on them):

================  ==========================================================================
name              what the client receives
================  ==========================================================================
``echo``          ``"Echo: <prompt>"`` token by token, cumulative usage (the default).
                  ``max_tokens`` truncates it with ``finish_reason: "length"``. A request
                  with SiliconFlow's ``prefix`` gets the rest of the answer after it (when the
                  prefix is how ``"Echo: <prompt>"`` starts; else the whole answer), the
                  prefix counted as prompt tokens; a trailing assistant message is not
                  continued (as a server without prefill): the whole answer comes again
``reasoning``     ``reasoning_content`` deltas, then the echo answer as ``content``
``think-tags``    ``<think>…</think>`` inline in ``content`` (tags split across chunks),
                  then the echo answer
``tools``         two streamed tool calls (``get_weather``, ``get_time``),
                  ``finish_reason: "tool_calls"``, no content
``slow``          ``"Counting: 1 2 … 200"`` at 20 tokens/s (~10 s): for Stop buttons
``slow-first``    the echo answer, after 3 s of silence before the first chunk
``stall``         5 tokens, then 300 s without a byte, then ``finish_reason`` + ``[DONE]``
``drop``          5 tokens, then the socket is closed (no terminating HTTP chunk)
``no-done``       5 tokens, then a clean end of the response: no ``finish_reason``, no ``[DONE]``
``bare-error``    5 tokens, then the bare line ``{"code":60000,...}`` (no ``data:``), end
``malformed``     5 tokens, then ``data: {not json``, end
``html``          status 200, ``text/html``: an HTML page instead of SSE
``huge``          a single content delta of 1,000,000 characters
``invalid-utf8``  a content chunk containing the bytes ``FF FE``, then more tokens
``final-usage``   the echo answer, usage only in one last ``choices: []`` chunk (OpenAI style)
``keepalive``     :func:`keepalive_comments`, the SSE decoder corpus
``length``        a short answer cut off with ``finish_reason: "length"``
``xss``           an answer carrying script, ``onerror``, ``javascript:`` and ``<style>``
                  payloads that set ``window.__xss`` (or hide the page) if rendered unsafely
``vision``        what it was shown: ``"Saw 2 images: image/png 2048x1536 detail=auto,
                  image/jpeg 640x480 detail=low. Echo: <prompt>"`` (every ``image_url`` part of
                  the whole request, in order, sizes read from the data: URL's bytes;
                  ``"Saw 0 images."`` when there are none). ``fake/vision`` matches the
                  catalogue's vision rule, so the page treats it as a model that sees images.
                  Every scenario counts ``IMAGE_PROMPT_TOKENS`` prompt tokens per image part
``calc``          a call of the request's ``calculator`` tool with ``{"expression": "<prompt>"}``
                  (``finish_reason: "tool_calls"``); once a ``tool`` message follows the last
                  question, ``"The result is <its content>."``; ``"No calculator was
                  offered."`` when ``tools`` has none
``calc-slow``     ``calc``, its final answer then counting to 200 at 20 tokens/s: for Stop
``tool-loop``     a ``calculator`` call whatever came back (``"<n> + 1"``, n the calls so far
                  after the last question): a model that never answers
``error-<nnn>``   :func:`error` with that status and SiliconFlow's body, e.g. ``error-429``
================  ==========================================================================

Any request whose tool exchange is malformed (a ``tool`` message that answers no call of the
assistant message before it, a call left unanswered, calls without ids) gets a 400, whatever
its scenario (:mod:`.tool_calls`).

A request with ``"n": k`` (k > 1) gets k answers from ``echo``, ``reasoning``, ``slow``,
``slow-first`` and ``final-usage`` (the others ignore ``n``): streamed, k choices interleaved in
one stream (:func:`stream_choices`: each choice's role chunk, then one token chunk per choice
in turn, each chunk's ``choices[0]`` carrying its ``index``, each choice ending with its own
``finish_reason``, usage counting all of them); not streamed, one body with k choices.  Choice
i answers ``"Echo (choice i): <prompt>"`` (``slow``: ``"Counting (choice i): 1 2 …"``, every
choice at 20 tokens/s); ``max_tokens`` cuts each one.  k > 16 is refused with a 400.

Requests with ``stream`` false or absent get a ``chat.completion`` JSON body with the same
answer; the stream-only faults (stall, drop, no-done, bare-error, malformed, huge,
invalid-utf8, keepalive) fall back to the plain echo reply for them.
An unknown ``fake/<name>`` / ``#fake:<name>`` gets SiliconFlow's 400 "Model does not exist".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .builders import non_stream, non_stream_choices, stream, stream_choices, think_tags_stream
from .faults import (
    bare_error_after,
    drop_after,
    html_page,
    huge_chunk,
    invalid_utf8,
    keepalive_comments,
    malformed_after,
    no_done,
    stall_after,
)
from .images import IMAGE_PROMPT_TOKENS, _images_of
from .steps import Scenario, Sleep
from .tool_calls import ToolState, calc, refused, tool_loop, tool_state
from .wire import _INVALID_PARAMETER, _tokens, error

DEFAULT_MODELS: tuple[str, ...] = (
    "deepseek-ai/DeepSeek-V3",
    "deepseek-ai/DeepSeek-R1",
    "Qwen/Qwen3-8B",
    "Qwen/QwQ-32B",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-VL-72B-Instruct",
    "THUDM/GLM-4.1V-9B-Thinking",
    "fake/echo",
    "fake/reasoning",
    "fake/think-tags",
    "fake/tools",
    "fake/slow",
)


_TAG_RE = re.compile(r"\s*#fake:([A-Za-z0-9_.-]+)\s*")
_XSS_ANSWER = ('XSS probe: <script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> '
               '[link](javascript:window.__xss=3) <style>body{display:none}</style> end of probe.')
_TOOL_CALLS = [
    {"name": "get_weather", "arguments": '{"city": "Paris", "unit": "celsius"}'},
    {"name": "get_time", "arguments": '{"timezone": "Europe/Paris"}'},
]


@dataclass
class _Request:
    """What the default scenarios need from a chat request."""
    prompt: str  # last user message text, without a #fake: tag
    model: str
    stream: bool
    prompt_tokens: int
    max_tokens: int | None
    n: int = 1  # choices asked for: n > 1 gets that many from the scenarios that honour it
    images: tuple[str, ...] = ()  # the request's image_url parts, described (see _images_of)
    prefix: str | None = None  # SiliconFlow's ``prefix``: the answer goes on from it
    tools: ToolState = ToolState()  # the tools offered, and the calls and results after the question


def _vision(req: _Request) -> Scenario:
    images = req.images
    listing = f"Saw {len(images)} image{'' if len(images) == 1 else 's'}"
    seen = f"{listing}: {', '.join(images)}." if images else f"{listing}."
    return _reply(req, f"{seen} Echo: {req.prompt}")


def _text_of(content: Any) -> str:
    """Text of a message content: a str, or a list of parts (images are ignored)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content
                         if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str))
    return ""


def _reply(req: _Request, answer: str | list[str], reasoning: str | None = None, *,
           finish_reason: str | None = None, tool_calls: list[dict] | None = None,
           usage: str = "cumulative", token_rate: float | None = None) -> Scenario:
    """The same answer as a stream or as a plain body, following the request's ``stream``."""
    common = dict(model=req.model, prompt_tokens=req.prompt_tokens,
                  finish_reason=finish_reason, tool_calls=tool_calls)
    if req.stream:
        return stream(answer, reasoning=reasoning, usage=usage, token_rate=token_rate, **common)
    return non_stream(answer, reasoning, **common)


def _choices(req: _Request, answers: list[list[str]], reasoning: list[str] | None = None, *,
             finish_reasons: list[str] | None = None, usage: str = "cumulative",
             token_rate: float | None = None) -> Scenario:
    """n > 1: one choice per answer, interleaved in one stream or together in one body."""
    reasons = finish_reasons or ["stop"] * len(answers)
    if req.stream:
        return stream_choices(answers, reasoning=reasoning, usage=usage, finish_reason=reasons, model=req.model,
                              prompt_tokens=req.prompt_tokens, token_rate=token_rate)
    return non_stream_choices(answers, reasoning, model=req.model, finish_reason=reasons,
                              prompt_tokens=req.prompt_tokens)


def _rest_after(prefix: str | None, answer: str) -> str:
    """What a model writes after ``prefix``, given the whole ``answer`` it would write."""
    if prefix is None:
        return answer
    return answer[len(prefix):] if answer.startswith(prefix) else answer


def _echo(req: _Request, usage: str = "cumulative") -> Scenario:
    if req.n > 1:
        answers = [_tokens(f"Echo (choice {i}): " + req.prompt) for i in range(req.n)]
    else:
        answers = [_tokens(_rest_after(req.prefix, "Echo: " + req.prompt))]
    reasons = ["stop"] * len(answers)
    for i, tokens in enumerate(answers):
        if req.max_tokens is not None and len(tokens) > req.max_tokens:
            answers[i], reasons[i] = tokens[:req.max_tokens], "length"
    if req.n > 1:
        return _choices(req, answers, finish_reasons=reasons, usage=usage)
    return _reply(req, answers[0], finish_reason=None if reasons[0] == "stop" else reasons[0], usage=usage)


def _reasoning(req: _Request) -> Scenario:
    def thought(tag: str) -> str:
        return f"The user wrote {req.prompt!r}{tag}. Let me think step by step. Echoing it back is the answer."

    if req.n > 1:
        return _choices(req, [_tokens(f"Echo (choice {i}): " + req.prompt) for i in range(req.n)],
                        reasoning=[thought(f" (choice {i})") for i in range(req.n)])
    return _reply(req, "Echo: " + req.prompt, reasoning=thought(""))


def _slow(req: _Request) -> Scenario:
    count = " ".join(str(i) for i in range(1, 201))
    if req.n > 1:  # every choice at 20 tokens/s: the chunks of all of them together at n times that
        return _choices(req, [_tokens(f"Counting (choice {i}): {count}") for i in range(req.n)],
                        token_rate=20 * req.n)
    return _reply(req, "Counting: " + count, token_rate=20)


def _think_tags(req: _Request) -> Scenario:
    reasoning, answer = f"The user said {req.prompt!r}. I will echo it.", "Echo: " + req.prompt
    if req.stream:
        return think_tags_stream(reasoning, answer, model=req.model, prompt_tokens=req.prompt_tokens)
    return _reply(req, f"<think>\n{reasoning}\n</think>\n\n{answer}")


def _slow_first(req: _Request) -> Scenario:
    scenario = _echo(req)
    scenario.steps.insert(0, Sleep(3.0))  # before the Body too, so non-streamed replies wait as well
    return scenario


_NAMED = {
    "echo": _echo,
    "reasoning": _reasoning,
    "think-tags": _think_tags,
    "tools": lambda r: _reply(r, "", tool_calls=_TOOL_CALLS),
    "slow": _slow,
    "slow-first": _slow_first,
    "stall": lambda r: stall_after(5, 300, model=r.model),
    "drop": lambda r: drop_after(5, model=r.model),
    "no-done": lambda r: no_done(5, model=r.model),
    "bare-error": lambda r: bare_error_after(5, model=r.model),
    "malformed": lambda r: malformed_after(5, model=r.model),
    "html": lambda r: html_page(),
    "huge": lambda r: huge_chunk(model=r.model),
    "invalid-utf8": lambda r: invalid_utf8(model=r.model),
    "final-usage": lambda r: _echo(r, usage="final"),
    "keepalive": lambda r: keepalive_comments(model=r.model),
    "length": lambda r: _reply(r, _tokens("This answer is cut short because it ran into max_tokens")[:8],
                               finish_reason="length"),
    "xss": lambda r: _reply(r, _XSS_ANSWER),
    "vision": _vision,
    "calc": lambda r: calc(r.model, r.stream, r.prompt_tokens, r.prompt, r.tools),
    "calc-slow": lambda r: calc(r.model, r.stream, r.prompt_tokens, r.prompt, r.tools, slow=True),
    "tool-loop": lambda r: tool_loop(r.model, r.stream, r.prompt_tokens, r.tools),
}
_MAX_N = 16  # more choices than this is refused (400), so a typo cannot make the fake stream for hours
_STREAM_ONLY = {"stall", "drop", "no-done", "bare-error", "malformed", "huge", "invalid-utf8", "keepalive"}


def _default_scenario(body: dict | None) -> Scenario:
    """The scenario for a chat request when nothing was pushed (see the module docstring)."""
    if (not isinstance(body, dict) or not isinstance(body.get("model"), str) or not body["model"]
            or not isinstance(body.get("messages"), list) or not body["messages"]):
        return error(400, _INVALID_PARAMETER)
    messages = [m for m in body["messages"] if isinstance(m, dict)]
    model = body["model"]
    user_texts = [_text_of(m.get("content")) for m in messages if m.get("role") == "user"]
    prompt = user_texts[-1] if user_texts else ""

    tag = _TAG_RE.match(prompt)
    if tag:
        name, prompt = tag.group(1).lower(), prompt[tag.end():]
    elif model.startswith("fake/"):
        name = model[len("fake/"):]
    else:
        name = "echo"

    max_tokens, n, prefix = body.get("max_tokens"), body.get("n"), body.get("prefix")
    images = _images_of(messages)
    n = n if isinstance(n, int) and not isinstance(n, bool) and n > 1 else 1
    if n > _MAX_N:
        return error(400, _INVALID_PARAMETER)
    malformed = refused(body, messages)
    if malformed is not None:
        return malformed
    prefix = prefix if isinstance(prefix, str) and prefix else None
    req = _Request(
        prompt=prompt, model=model, stream=bool(body.get("stream")),
        prompt_tokens=max(1, sum(len(_text_of(m.get("content")).split()) for m in messages)
                          + len((prefix or "").split())) + IMAGE_PROMPT_TOKENS * len(images),
        max_tokens=max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else None, n=n,
        images=tuple(images), prefix=prefix, tools=tool_state(body, messages),
    )
    if name.startswith("error-") and name[6:].isdigit() and 400 <= int(name[6:]) <= 599:
        return error(int(name[6:]))
    if name not in _NAMED:
        known = ", ".join(sorted(_NAMED)) + ", error-<status>"
        return error(400, {"code": 20012, "data": None, "message":
                           f"Model does not exist. Please check it carefully. "
                           f"(unknown fake scenario {name!r}; known: {known})"})
    if not req.stream and name in _STREAM_ONLY:
        name = "echo"
    return _NAMED[name](req)
