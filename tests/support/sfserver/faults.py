"""Builders of answers that go wrong: stalls, drops, in-stream errors, broken bytes, and an
SSE decoder corpus (:func:`keepalive_comments`)."""

from __future__ import annotations

from typing import Any

from .builders import stream
from .steps import Body, Drop, Raw, Scenario, Sleep, Step
from .wire import BARE_ERROR_LINE, _Chunker, _dumps, _filler, _sse


def _prefix(n_tokens: int, model: str) -> tuple[_Chunker, list[Step], str]:
    """Role chunk + n filler tokens, no finish_reason: the start of a stream that goes wrong."""
    ck = _Chunker(model, 10, "cumulative")
    words = _filler(n_tokens)
    return ck, [ck.role()] + [ck.content(w) for w in words], "".join(words)


def stall_after(n_tokens: int, seconds: float, *, model: str = "fake/echo") -> Scenario:
    """n tokens, ``seconds`` of silence (read-timeout tests), then finish_reason and [DONE]."""
    ck, steps, text = _prefix(n_tokens, model)
    steps += [Sleep(seconds), ck.chunk({"content": "", "reasoning_content": None}, "stop"), *ck.tail()]
    return Scenario(steps=steps, answer=text)


def drop_after(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then the socket closes without the terminating HTTP chunk."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps + [Drop()], answer=text)


def no_done(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then a clean end of the HTTP response: no finish_reason, no ``[DONE]``."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps, answer=text)


def bare_error_after(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then SiliconFlow's in-stream error: a JSON line without ``data:``."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps + [Raw(BARE_ERROR_LINE)], answer=text)


def malformed_after(n_tokens: int, *, model: str = "fake/echo") -> Scenario:
    """n tokens, then an event whose JSON does not parse."""
    _, steps, text = _prefix(n_tokens, model)
    return Scenario(steps=steps + [Raw(b"data: {not json\n\n")], answer=text)


def html_page() -> Scenario:
    """Status 200 with an HTML page: a proxy, captive portal or wrong base URL."""
    page = (b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>\n"
            b"<body><h1>Welcome to nginx!</h1><p>If you see this page, the web server is working.</p>"
            b"</body></html>\n")
    return Scenario(steps=[Body(page, "text/html; charset=utf-8")])


def huge_chunk(size: int = 1_000_000, *, model: str = "fake/echo") -> Scenario:
    """One content delta of ``size`` characters (a repeating ``0123456789``), then done."""
    text = ("0123456789" * (size // 10 + 1))[:size]
    return stream([text], model=model)


def invalid_utf8(*, model: str = "fake/echo") -> Scenario:
    """A content chunk whose JSON string holds the invalid UTF-8 bytes FF FE, then more tokens.

    ``answer`` assumes the client decodes with ``errors="replace"``.
    """
    ck = _Chunker(model, 10, "cumulative")
    marker = "@@INVALID@@"
    bad = _sse(ck.content(marker).obj).replace(marker.encode(), b"bad \xff\xfe bytes ")
    steps: list[Step] = [ck.role(), ck.content("Before "), Raw(bad), ck.content("after "),
                         ck.content("them.", "stop"), *ck.tail()]
    return Scenario(steps=steps, answer="Before bad \ufffd\ufffd bytes after them.")


def slow_first_token(delay: float, answer: str | list[str] = "This answer took a while to start.",
                     **kwargs: Any) -> Scenario:
    """Headers at once, then ``delay`` seconds before the first chunk."""
    scenario = stream(answer, **kwargs)
    scenario.steps.insert(0, Sleep(delay))
    return scenario


def keepalive_comments(*, model: str = "fake/echo") -> Scenario:
    """An SSE decoder corpus; a correct decoder shows exactly ``scenario.answer``.

    Contains: ``: keep-alive`` comments, extra blank lines, content holding the literal
    ``data: `` and ``data: [DONE]``, one event spread over two ``data:`` lines (joined with
    a newline per the SSE spec, still one JSON document), and one event split across two HTTP
    chunks in the middle of a multi-byte UTF-8 character.
    """
    ck = _Chunker(model, 10, "cumulative")
    keepalive = Raw(b": keep-alive\n\n")
    steps: list[Step] = [keepalive, ck.role(), Raw(b"\n\n\n"), ck.content("Keep-alive "), keepalive,
                         ck.content("the literal data: inside "), ck.content("and data: [DONE] too, ")]

    multi = _dumps(ck.content("multi-line ").obj)
    cut = multi.index(b'"choices":') + len(b'"choices":')  # between two JSON tokens, not inside a string
    steps.append(Raw(b"data: " + multi[:cut] + b"\ndata: " + multi[cut:] + b"\n\n"))

    split = _sse(ck.content("你好 ").obj)
    cut = split.index("你".encode()) + 1  # inside the 3-byte character
    steps += [Raw(split[:cut]), Sleep(0.02), Raw(split[cut:])]  # the pause keeps the halves apart

    steps += [ck.content("done.", "stop"), keepalive, *ck.tail()]
    return Scenario(steps=steps,
                    answer="Keep-alive the literal data: inside and data: [DONE] too, multi-line 你好 done.")
