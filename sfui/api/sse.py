"""Server-sent events: bytes in, events out. Pure, no I/O, no JSON.

Follows the WHATWG event-stream rules closely enough for OpenAI-style APIs:
lines end with LF, CRLF or CR; a blank line ends an event; ``data:`` lines are
joined with ``\\n``; lines starting with ``:`` are comments (keep-alives);
``event:``/``id:``/``retry:`` are recorded.

One deliberate extension: SiliconFlow sometimes writes a bare JSON error line
(``{"code":60000,...}``) into a 200 stream without any ``data:`` prefix. The
standard says to ignore unknown fields, which would swallow the error, so any
line that is not a known field is surfaced as a :class:`ForeignLine` for the
layer above to judge.

Lines are split on line terminators only, never on the substring "data: ":
model text may contain it (llama-index once broke that way).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_FIELDS = ("data", "event", "id", "retry")
# Only CR, LF and CRLF end a line. str.splitlines() would also split on
# U+2028, U+0085 and friends, which JSON allows raw inside strings.
# Searching for the terminator alone keeps a long unterminated line linear
# (a "line, then terminator" pattern rescans it from every position).
_EOL = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SSEEvent:
    data: str
    event: str = "message"
    id: str | None = None


@dataclass(frozen=True, slots=True)
class ForeignLine:
    """A non-blank line that is neither a comment nor an SSE field."""

    text: str


class SSEDecoder:
    """Incremental decoder: feed it byte chunks of any size, get events back.

    Chunk boundaries may fall anywhere, including inside a multi-byte UTF-8
    character or between the CR and LF of a CRLF.
    """

    def __init__(self) -> None:
        # Invalid UTF-8 becomes U+FFFD instead of an exception: one bad byte
        # from a model must not cost the user the whole answer.
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial: list[str] = []  # pieces of a line whose end has not arrived
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._pending_cr = False

    def feed(self, chunk: bytes) -> list[SSEEvent | ForeignLine]:
        text = self._utf8.decode(chunk)
        if not text:
            return []
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]  # second half of a CRLF split across chunks
        self._pending_cr = text.endswith("\r")
        out: list[SSEEvent | ForeignLine] = []
        start = 0
        for match in _EOL.finditer(text):  # only the new text is scanned
            line = text[start:match.start()]
            if self._partial:
                line = "".join(self._partial) + line
                self._partial.clear()
            start = match.end()
            item = self._line(line)
            if item is not None:
                out.append(item)
        if start < len(text):
            self._partial.append(text[start:])
        return out

    def close(self) -> list[SSEEvent | ForeignLine]:
        """End of input: flush a last line and an event not ended by a blank line."""
        # What feed() left is one partial line, without its terminator.
        rest = "".join(self._partial) + self._utf8.decode(b"", final=True)
        self._partial.clear()
        out: list[SSEEvent | ForeignLine] = []
        if rest:
            item = self._line(rest)
            if item is not None:
                out.append(item)
        item = self._dispatch()
        if item is not None:
            out.append(item)
        return out

    def _line(self, line: str) -> SSEEvent | ForeignLine | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # comment / keep-alive
        name, sep, value = line.partition(":")
        if name not in _FIELDS:
            return ForeignLine(line)
        if not sep:
            value = ""
        elif value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            self._id = value
        return None  # "retry" is about reconnecting, which a POST stream never does

    def _dispatch(self) -> SSEEvent | None:
        if not self._data:
            self._event = ""
            return None
        event = SSEEvent("\n".join(self._data), self._event or "message", self._id)
        self._data = []
        self._event = ""
        return event
