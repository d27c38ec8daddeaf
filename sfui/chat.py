"""The logic between the UI and the client, as plain Python.

- chat history (Gradio's messages format) <-> API messages;
- stream events -> what the chat pane and the side panels show (:class:`Turn`).

Nothing here imports Gradio; every function is testable without a server.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from .api import errors
from .api.events import ReasoningDelta, Reply, Retrying, TextDelta, ToolCall, ToolCallDelta, Usage
from .chat_images import clean_image_blocks, image_block, image_urls
from .i18n import t
from .images import DETAILS, PreparedImage
from .params import InputError
from .prices import Charge
from .tool_cards import add_exchange

# About the largest context window on offer (~128k tokens) in characters: a
# longer message cannot be answered, so it is refused here with a reason
# instead of costing a round trip and an opaque 400.
MAX_MESSAGE_CHARS = 400_000
# Tokens per second is shown only over at least this many seconds of answer.
MIN_RATE_WINDOW = 0.25


# --- history <-> API messages ---------------------------------------------------------


def message_text(content: Any) -> str:
    """The text of a message's content in any of Gradio's shapes: a string,
    a list of blocks ``[{"type": "text", "text": ...}]``, or one block."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "")
    if isinstance(content, (list, tuple)):
        return "".join(message_text(part) for part in content if not _is_file(part))
    return str(content)


def _is_file(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") == "file"


def _field(message: Any, name: str) -> Any:
    return message.get(name) if isinstance(message, dict) else getattr(message, name, None)


def is_display_only(message: Any) -> bool:
    """Thinking bubbles, tool-call cards and error notices carry a metadata
    title: they are for the reader, never sent back to the model."""
    metadata = _field(message, "metadata") or {}
    return bool(metadata.get("title")) if isinstance(metadata, dict) else bool(getattr(metadata, "title", None))


def api_messages(history: list, system_prompt: str | None = None, detail: str = "auto") -> list[dict]:
    """The ``messages`` for the API: role + content only (never reasoning),
    display-only messages dropped, and a user message that got no answer
    (it failed) dropped when a newer user message follows it. A user message
    with pictures becomes a list of parts (its text, then its pictures as
    ``image_url`` parts with ``detail``): the model has no memory, so every
    request carries every picture of the conversation again."""
    turns: list[dict] = []
    for message in history:
        role = _field(message, "role")
        if role not in ("user", "assistant") or is_display_only(message):
            if role == "assistant":
                add_exchange(turns, message)  # a demo tool's card: its call and result go back (sfui.tool_cards)
            continue
        content = _field(message, "content")
        text = message_text(content)
        if role == "user" and turns and turns[-1]["role"] == "user":
            turns.pop()  # the previous question failed; the user moved on
        if role == "assistant" and (not turns or not text):
            continue
        if role == "assistant" and turns[-1]["role"] == "assistant":
            turns[-1]["content"] += text  # a reply split in two bubbles
            continue
        if role == "user":
            turns.append({"role": role, "content": _user_api_content(text, image_urls(content), detail)})
        else:
            turns.append({"role": role, "content": text})
    if system_prompt and system_prompt.strip():
        turns.insert(0, {"role": "system", "content": system_prompt})
    return turns


def _user_api_content(text: str, urls: list[str], detail: str) -> str | list[dict]:
    if detail not in DETAILS:
        raise InputError("input_image_detail", choices=DETAILS)
    if not urls:
        return text
    parts: list[dict] = [{"type": "text", "text": text}] if text.strip() else []
    return parts + [{"type": "image_url", "image_url": {"url": url, "detail": detail}} for url in urls]


def check_message(text: str | None, has_pictures: bool = False) -> str | None:
    """The message to send, or None to ignore it (empty or whitespace, and no
    pictures with it). Raises InputError for a message too long for any model."""
    if text is None or not text.strip():
        return (text or "") if has_pictures else None
    if len(text) > MAX_MESSAGE_CHARS:
        raise InputError("input_too_long", length=f"{len(text):,}", limit=f"{MAX_MESSAGE_CHARS:,}")
    return text


def edit_history(history: list, index: Any, text: Any) -> list:
    """The history up to the visitor's message at ``index`` with its text replaced
    by ``text`` (its pictures kept): the answers after it answered the old text, so
    they go. Anything but a visitor's message at ``index`` leaves nothing to answer: []."""
    if not isinstance(index, int) or not 0 <= index < len(history) or _field(history[index], "role") != "user":
        return []
    urls = image_urls(_field(history[index], "content"))
    if not urls:
        return [*history[:index], {"role": "user", "content": message_text(text)}]
    kept = [block for block in clean_image_blocks(_field(history[index], "content")) if block.get("type") != "text"]
    edited = message_text(text)
    content = ([{"type": "text", "text": edited}] if edited else []) + kept
    return [*history[:index], {"role": "user", "content": content}]


def last_text(history: list) -> str:
    """The text of the last message (the one about to be answered)."""
    return message_text(_field(history[-1], "content")) if history else ""


def append_user(history: list, text: str, images: list[PreparedImage] | tuple = ()) -> list:
    """The history with the visitor's message: its text, then a block per picture
    (sfui.chat_images), which its bubble shows and later requests send again."""
    if not images:
        return [*history, {"role": "user", "content": text}]
    content = ([{"type": "text", "text": text}] if text.strip() else []) + [image_block(image) for image in images]
    return [*history, {"role": "user", "content": content}]


def clean_history(history: list) -> list:
    """The history as it came back from the browser with only our own picture blocks
    kept in its content (see sfui.chat_images.clean_image_blocks)."""
    cleaned = []
    for message in history:
        content = _field(message, "content")
        if isinstance(content, (list, tuple)) and any(isinstance(p, dict) and p.get("type") == "component"
                                                      for p in content):
            message = {**(message if isinstance(message, dict) else vars(message)),
                       "content": clean_image_blocks(content)}
        cleaned.append(message)
    return cleaned


def awaiting_answer(history: list) -> bool:
    """True when the last message is the user's, i.e. there is something to answer."""
    return bool(history) and _field(history[-1], "role") == "user"


def truncate_for_retry(history: list, index: int | None = None) -> list:
    """History up to and including the user message that the answer at
    ``index`` (default: the last one) replied to."""
    end = len(history) if index is None else min(index + 1, len(history))
    for i in range(end - 1, -1, -1):
        if _field(history[i], "role") == "user":
            return list(history[: i + 1])
    return list(history)


def undo_last_question(history: list, index: int | None = None) -> tuple[list, str, list[str]]:
    """Remove the last user message (or the one at ``index``) and everything after it;
    return the new history, that message's text and its pictures (their data: URLs, in
    order), so the question can go back into the message box whole."""
    end = len(history) if index is None else min(index + 1, len(history))
    for i in range(end - 1, -1, -1):
        if _field(history[i], "role") == "user":
            content = _field(history[i], "content")
            return list(history[:i]), message_text(content), image_urls(content)
    return list(history), "", []


# --- stream events -> what the panels show ----------------------------------------------


class Turn:
    """One assistant reply as the page shows it while it streams in: feed it
    client events, read the chat messages and the panel texts back at any time.

    The text, reasoning, usage and tool calls are the ``reply``'s (the
    :class:`~sfui.events.Reply` the stream fills for this Turn's choice;
    stream_turn and stream_panes hand it over).
    The Turn adds what the reply does not know: timing, status, the retry
    note, the error and whether the visitor stopped it."""

    def __init__(self, history: list, lang: str = "en", clock: Callable[[], float] = time.monotonic,
                 reply: Reply | None = None, charge: Charge | None = None) -> None:
        self.history = list(history)
        # What the model costs (its price, or None: unknown); None: no cost row at all.
        self.charge = charge
        self.lang = lang
        self.clock = clock
        self.reply = reply if reply is not None else Reply()
        self.started = clock()
        self.retry_note: str | None = None
        self.error: errors.SiliconFlowError | None = None
        self.first_token_at: float | None = None
        self.first_reasoning_at: float | None = None
        self.first_answer_at: float | None = None
        self.reasoning_done_at: float | None = None
        self.last_answer_at: float | None = None
        self.answer_deltas = 0
        self.reasoning_deltas = 0  # with answer_deltas: the tokens streamed, when no usage came
        self.ended_at: float | None = None
        self.stopped = False  # the visitor pressed Stop
        # The reply's usage is the whole request's, shared with other choices (n > 1): it is
        # shown as the request's, and this answer's speed counts its own deltas instead.
        self.usage_shared = False

    # --- feeding -----------------------------------------------------------------

    def apply(self, event: object) -> bool:
        """Take the timing of one client event (the reply has taken its content);
        True if it changed what the chat shows (usage and the finish reason only
        change the usage table)."""
        now = self.clock()
        if isinstance(event, TextDelta):
            if self.first_token_at is None:
                self.first_token_at = now
            if self.first_answer_at is None:
                self.first_answer_at = now
                if self.reasoning and self.reasoning_done_at is None:
                    self.reasoning_done_at = now
            self.answer_deltas += 1
            self.last_answer_at = now
            self.retry_note = None
        elif isinstance(event, ReasoningDelta):
            if self.first_token_at is None:
                self.first_token_at = now
            if self.first_reasoning_at is None:
                self.first_reasoning_at = now
            self.reasoning_deltas += 1
            self.retry_note = None
        elif isinstance(event, ToolCallDelta):
            pass  # the reply assembles the call; its card is a change to the chat
        elif isinstance(event, Retrying):
            reason = event.error.title(self.lang)
            self.retry_note = t(self.lang, "waiting_retry", reason=reason, delay=event.delay, attempt=event.attempt,
                                max_retries=event.max_retries)
        else:
            return False
        return True

    def fail(self, error: errors.SiliconFlowError) -> None:
        self.error = error
        self.retry_note = None
        self.finish()

    def finish(self) -> None:
        if self.ended_at is None:
            self.ended_at = self.clock()
        if self.reasoning and self.reasoning_done_at is None:
            self.reasoning_done_at = self.ended_at

    # --- reading -------------------------------------------------------------------

    # The reply is filled in the stream's thread and may be a few events ahead of
    # this Turn. Its text and reasoning show from the Turn's own first answer and
    # reasoning token on, so the phase shown (thinking, answering) always agrees
    # with the Turn's timing; the next frame shows the rest.

    @property
    def answer(self) -> str:
        return self.reply.text if self.first_answer_at is not None else ""

    @property
    def reasoning(self) -> str:
        return self.reply.reasoning if self.first_reasoning_at is not None else ""

    @property
    def usage(self) -> Usage | None:
        return self.reply.usage

    @property
    def finish_reason(self) -> str | None:
        return self.reply.finish_reason

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        return self.reply.tool_calls

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if self.stopped:
            return "stopped"
        if self.ended_at is not None:
            return "done"
        if self.retry_note:
            return "retrying"
        if self.answer:
            return "answering"
        if self.reasoning:
            return "thinking"
        return "waiting"

    def new_messages(self) -> list[dict]:
        """The messages this turn adds to the chat: a thinking bubble, the
        answer, tool-call cards, and a notice if something went wrong."""
        reasoning, answer = self.reasoning, self.answer  # read once: the reply may grow meanwhile
        out: list[dict] = []
        if reasoning:
            if self.reasoning_done_at is None:
                metadata: dict = {"title": t(self.lang, "thinking"), "status": "pending"}
            else:
                seconds = self.reasoning_done_at - self.started
                # Gradio prints the duration beside the title itself.
                metadata = {"title": t(self.lang, "thought"), "status": "done", "duration": round(seconds, 1)}
            out.append({"role": "assistant", "content": reasoning, "metadata": metadata})
        if answer:
            out.append({"role": "assistant", "content": answer})
        elif self.retry_note:
            metadata = {"title": t(self.lang, "status_retrying"), "status": "pending"}
            out.append({"role": "assistant", "content": self.retry_note, "metadata": metadata})
        out += self.tool_messages()
        if self.error is not None:
            title = t(self.lang, "incomplete") if (answer or reasoning) else t(self.lang, "error")
            notice = self.error.user_message(self.lang)
            out.append({"role": "assistant", "content": notice, "metadata": {"title": title}})
        return out

    def tool_messages(self) -> list[dict]:
        """A card per tool call the model made, as it streams in (shown, not run)."""
        return [{"role": "assistant", "content": f"```json\n{_pretty_json(call.arguments)}\n```",
                 "metadata": {"title": t(self.lang, "tool_call", name=call.name or "?")}} for call in self.tool_calls]

    def messages(self) -> list[dict]:
        return [*self.history, *self.new_messages()]

    def usage_rows(self) -> list[tuple[str, str]]:
        now = self.ended_at if self.ended_at is not None else self.clock()
        usage = self.usage
        rows: list[tuple[str, str]] = [(t(self.lang, "status"), t(self.lang, "status_" + self.status))]
        if usage is not None:
            rows += [
                (t(self.lang, "prompt_tokens"), f"{usage.prompt_tokens:,}"),
                (t(self.lang, "completion_tokens"), f"{usage.completion_tokens:,}"),
                (t(self.lang, "reasoning_tokens"), f"{usage.reasoning_tokens:,}"),
                (t(self.lang, "total_tokens"), f"{usage.total_tokens:,}"),
            ]
        cost = None if self.charge is None else self.charge.text(usage, self.lang)
        if cost is not None:
            rows.append((t(self.lang, "cost"), cost))
        if self.first_token_at is not None:
            rows.append((t(self.lang, "ttft"), f"{self.first_token_at - self.started:.2f} s"))
        if (tps := self.answer_tokens_per_second()) is not None:
            rows.append((t(self.lang, "tps"), f"{tps:.1f}"))
        rows.append((t(self.lang, "total_time"), f"{now - self.started:.2f} s"))
        if self.finish_reason:
            rows.append((t(self.lang, "finish_reason"), self.finish_reason))
        return rows

    @property
    def cost(self) -> float | None:
        """What this answer's request cost so far (the server's usage × the model's price);
        None when the price or the usage is unknown."""
        return None if self.charge is None else self.charge.cost(self.usage)

    def usage_markdown(self) -> str:
        rows = self.usage_rows()
        header = f"| {t(self.lang, 'usage_title')} | {t(self.lang, 'value')} |\n|---|---:|\n"
        return header + "\n".join(f"| {name} | {value} |" for name, value in rows)

    def answer_tokens_per_second(self) -> float | None:
        """Answer-phase speed: answer tokens over the time from the first to
        the last answer token. Uses the server's token counts when it reports
        them for this answer alone, else counts deltas (about one token each)."""
        if self.first_answer_at is None or self.last_answer_at is None:
            return None
        elapsed = self.last_answer_at - self.first_answer_at
        if elapsed < MIN_RATE_WINDOW:
            return None  # an answer that arrived in one burst has no meaningful rate
        tokens = self.answer_deltas
        usage = self.usage
        if usage is not None and usage.completion_tokens and not self.usage_shared:
            tokens = max(usage.completion_tokens - usage.reasoning_tokens, 0) or tokens
        # The first token starts the clock; the tokens after it are what the interval holds.
        return max(tokens - 1, 0) / elapsed


def _pretty_json(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    except ValueError:
        return text


class FramePacer:
    """When to send the browser its next update while an answer streams.

    The first update goes at once. After that, at most ``fps`` a second, and
    less often when updates get expensive:

    - the longer the text, the longer the interval: every update makes the
      browser re-render the whole message, so the interval keeps the characters
      re-rendered per second under ``chars_per_second`` (a long answer then
      costs time linear in its length, not quadratic);
    - the more answers stream at once, the longer the interval: all of them
      together get at most ``total_fps`` updates a second from the server.

    Those two never stretch the interval beyond ``max_interval``, so a long
    answer still visibly grows.
    """

    def __init__(
        self,
        fps: float = 10.0,
        *,
        chars_per_second: float = 40_000,
        total_fps: float = 80.0,
        max_interval: float = 1.0,
        streams: Callable[[], int] = lambda: 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.min_interval = 1.0 / fps
        self.chars_per_second = chars_per_second
        self.total_fps = total_fps
        self.max_interval = max_interval
        self.streams = streams
        self.clock = clock
        self._next = 0.0

    def interval(self, shown_chars: int) -> float:
        stretch = min(self.max_interval, max(shown_chars / self.chars_per_second, self.streams() / self.total_fps))
        return max(self.min_interval, stretch)

    def due(self) -> bool:
        return self.clock() >= self._next

    def sent(self, shown_chars: int = 0) -> None:
        """An update showing ``shown_chars`` characters just went out."""
        self._next = self.clock() + self.interval(shown_chars)

    def wait_time(self) -> float:
        return max(0.0, self._next - self.clock())
