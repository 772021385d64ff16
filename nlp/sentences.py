"""Sentence spans for mention context and for the Sudachi window around a candidate."""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile("[。！？!?\n\r]+")  # one character class: scanned much faster than an alternation
MAX_CONTEXT_CHARS = 160


class Sentences:
    """Sentence boundaries of one text: split after 。！？!? and at line breaks.

    Breaks are found on first use (many pages hold no candidate at all) and kept for the other spans.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None  # offsets where a sentence may start
        self._cache: dict[tuple[int, int], tuple[int, int]] = {}

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(s0, s1) of the sentence containing text[start:end], trimmed of surrounding spaces.

        Very long "sentences" (markup-free text without punctuation) are cut to MAX_CONTEXT_CHARS on each
        side of the span so that context stays readable and Sudachi windows stay small. A break inside the
        span (degenerate input) is ignored.
        """
        key = (start, end)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _BREAK.finditer(self.text)]
        starts = self._starts
        text = self.text
        i = bisect.bisect_right(starts, start) - 1
        s0 = max(starts[i], start - MAX_CONTEXT_CHARS)
        j = bisect.bisect_right(starts, end)
        while j < len(starts) and starts[j] <= end:
            j += 1
        s1 = starts[j] if j < len(starts) else len(text)
        s1 = max(end, min(s1, end + MAX_CONTEXT_CHARS))
        while s0 < start and text[s0].isspace():
            s0 += 1
        while s1 > end and text[s1 - 1].isspace():
            s1 -= 1
        self._cache[key] = (s0, s1)
        return s0, s1
