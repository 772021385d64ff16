"""Sentence spans for mention context and for the Sudachi window around a candidate."""

from __future__ import annotations

import re

_BREAK = re.compile(r"[。！？!?]+|\n+|\r\n?")
MAX_CONTEXT_CHARS = 160


class Sentences:
    """Sentence boundaries of one text: split after 。！？!? and at line breaks.

    Found lazily around each span (no pass over the whole text): most pages hold only a few mentions.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[tuple[int, int], tuple[int, int]] = {}

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(s0, s1) of the sentence containing text[start:end], trimmed of surrounding spaces.

        Very long "sentences" (markup-free text without punctuation) are cut to MAX_CONTEXT_CHARS on each
        side of the span so that context stays readable and Sudachi windows stay small.
        """
        key = (start, end)
        if key not in self._cache:
            self._cache[key] = self._around(start, end)
        return self._cache[key]

    def _around(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        lo = max(0, start - MAX_CONTEXT_CHARS)
        s0 = lo
        for match in _BREAK.finditer(text, lo, start):
            s0 = match.end()
        hi = min(len(text), end + MAX_CONTEXT_CHARS)
        # A break inside the span (degenerate input) is ignored; the sentence ends at the first one after it.
        match = _BREAK.search(text, end, hi)
        s1 = match.end() if match and not text[match.start()].isspace() else (match.start() if match else hi)
        while s0 < start and text[s0].isspace():
            s0 += 1
        while s1 > end and text[s1 - 1].isspace():
            s1 -= 1
        return s0, s1
