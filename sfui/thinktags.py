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

    def feed(self, text: str) -> list[tuple[bool, str]]:
        if self._state == "answer":
            return [(False, text)] if text else []
        self._held += text
        out: list[tuple[bool, str]] = []
        if self._state == "start":
            stripped = self._held.lstrip()
            if stripped.startswith(OPEN):
                self._state = "thinking"
                self._held = stripped[len(OPEN):].lstrip("\n")
            elif OPEN.startswith(stripped):
                return []  # still could be "<think>" (or only whitespace so far)
            else:
                self._state = "answer"
                held, self._held = self._held, ""
                return [(False, held)]
        # thinking
        end = self._held.find(CLOSE)
        if end >= 0:
            thought, rest = self._held[:end], self._held[end + len(CLOSE):]
            self._held = ""
            self._state = "answer"
            if thought:
                out.append((True, thought))
            rest = rest.lstrip("\n")  # models put a blank line after </think>
            if rest:
                out.append((False, rest))
            return out
        # Keep back a suffix that could be the start of "</think>".
        keep = _partial_suffix(self._held, CLOSE)
        emit = self._held[: len(self._held) - keep]
        self._held = self._held[len(self._held) - keep:]
        return [(True, emit)] if emit else []

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
