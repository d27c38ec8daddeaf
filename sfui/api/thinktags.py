"""Split ``<think>…</think>`` written inline in ``content`` from the answer.

Some models (R1 distills, many non-SiliconFlow servers) stream their thinking
as ordinary content wrapped in think tags, and the tags may be split across
chunks ("<thi" + "nk>"). Only a tag at the very start of the answer (leading
whitespace allowed) opens a thinking block: a model that *writes about* the
``<think>`` tag later in its answer is not reinterpreted.
"""

from __future__ import annotations

OPEN = "<think>"
CLOSE = "</think>"


class ThinkTagSplitter:
    """Feed content fragments; get ``(is_reasoning, text)`` pieces back."""

    def __init__(self) -> None:
        self._state = "start"  # start -> thinking -> answer, or start -> answer
        self._held = ""  # text that may be the beginning of a tag
        self._after_tag = False  # newlines right after a tag are the tag's, not text

    def feed(self, text: str) -> list[tuple[bool, str]]:
        if self._state == "answer":
            text = self._skip_newlines(text)
            return [(False, text)] if text else []
        self._held += text
        out: list[tuple[bool, str]] = []
        if self._state == "start":
            stripped = self._held.lstrip()
            if stripped.startswith(OPEN):
                self._state = "thinking"
                self._after_tag = True
                self._held = stripped[len(OPEN):]
            elif OPEN.startswith(stripped):
                return []  # still could be "<think>" (or only whitespace so far)
            else:
                self._state = "answer"
                held, self._held = self._held, ""
                return [(False, held)]
        # thinking
        self._held = self._skip_newlines(self._held)
        end = self._held.find(CLOSE)
        if end >= 0:
            # "\n</think>": the newline belongs to the tag, as the one after "<think>" does.
            thought, rest = self._held[:end].rstrip("\n"), self._held[end + len(CLOSE):]
            self._held = ""
            self._state = "answer"
            self._after_tag = True  # models put a blank line after </think>
            if thought:
                out.append((True, thought))
            rest = self._skip_newlines(rest)
            if rest:
                out.append((False, rest))
            return out
        # Keep back a suffix that could be the start of "</think>", and the
        # newlines before it, which are dropped if the tag follows.
        keep = _partial_suffix(self._held, CLOSE)
        emit = self._held[: len(self._held) - keep]
        newlines = len(emit) - len(emit.rstrip("\n"))
        keep += newlines
        emit = emit[: len(emit) - newlines]
        self._held = self._held[len(self._held) - keep:]
        return [(True, emit)] if emit else []

    def _skip_newlines(self, text: str) -> str:
        """Drop the newlines that follow a tag ("<think>\\n", "</think>\\n\\n"),
        however the pieces were cut."""
        if not self._after_tag:
            return text
        stripped = text.lstrip("\n")
        if stripped:
            self._after_tag = False
        return stripped

    def flush(self) -> list[tuple[bool, str]]:
        """End of stream: whatever was held back is real text."""
        held, self._held = self._held, ""
        if not held:
            return []
        return [(self._state == "thinking", held)]


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:n]):
            return n
    return 0
