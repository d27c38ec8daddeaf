"""The request behind a Send, as code a developer can run: curl, Python
(``requests`` and ``openai``), Go and JavaScript.

:func:`request_body` builds the JSON body from the same pieces the chat uses
(``api_messages``, ``append_user``, ``build_payload``), so the code shows
exactly what the app sends: fields left at "model default" are absent, and
``stream`` is true. :func:`snippet` embeds that body verbatim in a program
that streams the answer and prints it as it arrives (the thinking first, then
the answer), written by sfui/codegen_programs.py. The key is only ever read from
the ``SILICONFLOW_API_KEY`` environment variable: no key is passed in here, so
none can leak out.

Pictures are the exception to "verbatim": the request carries each as a
``data:`` URL of up to a few megabytes, which no one can read and which would
freeze the code view. :func:`shorten_pictures` keeps the start of each URL and
says how much was left out; the program then shows the request's shape (where
the parts go, ``detail``) rather than running as is. A picture still only
attached to the box is shown the same way (it is read and scaled when sent).

Nothing here imports Gradio.
"""

from __future__ import annotations

from typing import Any

from .api.client import build_payload
from .chat import api_messages, append_user, check_message
from .codegen_programs import PROGRAMS

LANGUAGES = tuple(PROGRAMS)  # "curl", "python-requests", "python-openai", "go", "javascript"

# gr.Code's highlighting per language. It has none for Go, and no highlighting
# (language=None) cannot be set back once another language was shown (Gradio 6.31
# keeps the previous one): C++'s reads Go's comments, strings and numbers right.
_CODE_LANGUAGE: dict[str, str] = {
    "curl": "shell",
    "python-requests": "python",
    "python-openai": "python",
    "go": "cpp",
    "javascript": "javascript",
}

PICTURE_URL_KEPT = 48  # characters of a data: URL kept in the code


def request_body(model: str, history: list, message: str | None, system_prompt: str | None,
                 params: dict[str, Any], *, detail: str = "auto", pictures: tuple[str, ...] = ()) -> dict:
    """The JSON body that Send posts for ``message`` after ``history``.

    ``params`` are validated request fields (``Controls(...).to_params()``).
    ``message=None`` (or blank) appends nothing: the body of an answer to
    ``history`` as it stands, which is how the request behind a past answer
    is rebuilt (its history up to its question, its own model and fields).
    ``pictures``: the names of pictures attached to the message, not read yet: each
    becomes an ``image_url`` part whose URL says so.
    Raises InputError for a message too long to send, as Send does."""
    text = check_message(message, bool(pictures))
    messages = api_messages(append_user(history or [], text) if text is not None else history or [], system_prompt,
                            detail)
    if pictures and text is not None:
        parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text.strip() else []
        parts += [{"type": "image_url", "image_url": {"url": f"data:image/...;base64,... ({name}, read when sent)",
                                                      "detail": detail}} for name in pictures]
        messages[-1] = {"role": "user", "content": parts}
    return build_payload(model.strip(), messages, stream=True, **params)


def shorten_pictures(body: dict) -> dict:
    """``body`` with every picture's data: URL cut to its first PICTURE_URL_KEPT
    characters and a note of how many were left out (a copy; ``body`` is unchanged)."""
    def shorten(part: Any) -> Any:
        if not (isinstance(part, dict) and part.get("type") == "image_url" and isinstance(part.get("image_url"), dict)):
            return part
        url = str(part["image_url"].get("url") or "")
        if not url.startswith("data:") or len(url) <= PICTURE_URL_KEPT:
            return part
        note = f"{url[:PICTURE_URL_KEPT]}... ({len(url) - PICTURE_URL_KEPT:,} more characters: the picture as sent)"
        return {**part, "image_url": {**part["image_url"], "url": note}}

    messages = []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            message = {**message, "content": [shorten(part) for part in content]}
        messages.append(message)
    return {**body, "messages": messages} if "messages" in body else body


def code_language(language: str) -> str:
    """gr.Code's ``language`` for a snippet (Go's is a stand-in: gr.Code has no Go)."""
    return _CODE_LANGUAGE[language]


def snippet(language: str, base_url: str, body: dict) -> str:
    """A program that posts ``body`` to ``base_url``'s chat completions and prints
    the streamed answer, reading the key from the environment (pictures shortened:
    :func:`shorten_pictures`)."""
    try:
        program = PROGRAMS[language]
    except KeyError:
        raise ValueError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}") from None
    return program(base_url.rstrip("/"), shorten_pictures(body))
