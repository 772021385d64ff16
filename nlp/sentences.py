"""Sentence spans for mention context and for the Sudachi window around a candidate."""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile(r"[。！？!?]+|\n+|\r\n?")
MAX_CONTEXT_CHARS = 160


class Sentences:
    """Sentence boundaries of one text: split after 。！？!? and at line breaks."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Each boundary is the offset where a new sentence may start.
        self._starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(s0, s1) of the sentence containing text[start:end], trimmed of surrounding spaces.

        Very long "sentences" (markup-free text without punctuation) are cut to MAX_CONTEXT_CHARS on each
        side of the span so that context stays readable and Sudachi windows stay small.
        """
        i = bisect.bisect_right(self._starts, start) - 1
        s0 = self._starts[i]
        s1 = self._starts[i + 1] if i + 1 < len(self._starts) else len(self.text)
        # A mention may straddle a break only in degenerate input; widen to cover it.
        while s1 < end and i + 2 < len(self._starts):
            i += 1
            s1 = self._starts[i + 1]
        s1 = max(s1, end)
        s0 = max(s0, start - MAX_CONTEXT_CHARS)
        s1 = min(s1, end + MAX_CONTEXT_CHARS)
        while s0 < start and self.text[s0].isspace():
            s0 += 1
        while s1 > end and self.text[s1 - 1].isspace():
            s1 -= 1
        return s0, s1
