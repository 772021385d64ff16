"""Sentence spans for mention context and for the Sudachi window around a candidate."""

from __future__ import annotations

import bisect
import re

MAX_CONTEXT_CHARS = 160
_BREAK_CHARS = "。！？!?\n\r"
_BREAKS = re.compile("[。！？!?\n\r]")
_SPACES = " \t\u3000\n\r"


class Sentences:
    """Sentence boundaries of one text: split after 。！？!? and at line breaks.

    The break positions come from one regex pass (in C) the first time a span is asked about, then each
    span is a pair of bisections; pages with no candidate never pay for the pass. Results are cached per span.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[tuple[int, int], tuple[int, int]] = {}
        self._breaks: list[int] | None = None

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(s0, s1) of the sentence containing text[start:end], trimmed of surrounding spaces.

        Very long "sentences" (markup-free text without punctuation) are cut to MAX_CONTEXT_CHARS on each
        side of the span so that context stays readable and Sudachi windows stay small. A break inside the
        span (degenerate input) is ignored; the sentence keeps its closing 。 (and any 」 or ！ run after it).
        """
        key = (start, end)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = self.text
        breaks = self._breaks
        if breaks is None:
            breaks = self._breaks = [m.start() for m in _BREAKS.finditer(text)]
        lo = max(0, start - MAX_CONTEXT_CHARS)
        hi = min(len(text), end + MAX_CONTEXT_CHARS)
        # The last break in [lo, start) ends the previous sentence; the first in [end, hi) ends this one.
        i = bisect.bisect_left(breaks, start) - 1
        s0 = breaks[i] + 1 if i >= 0 and breaks[i] >= lo else lo
        j = bisect.bisect_left(breaks, end)
        if j < len(breaks) and breaks[j] < hi:
            s1 = breaks[j]
            if text[s1] not in "\n\r":
                while s1 < hi and text[s1] in _BREAK_CHARS and text[s1] not in "\n\r":
                    s1 += 1
        else:
            s1 = hi
        while s0 < start and text[s0] in _SPACES:
            s0 += 1
        while s1 > end and text[s1 - 1] in _SPACES:
            s1 -= 1
        self._cache[key] = (s0, s1)
        return s0, s1
