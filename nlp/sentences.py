"""Sentence spans for mention context and for the Sudachi window around a candidate."""

from __future__ import annotations

import re

MAX_CONTEXT_CHARS = 160
_BREAK_CHARS = "。！？!?\n\r"
_BREAKS = re.compile("[。！？!?\n\r]")
# Greedy: backs off from the end of the window to its last break (in C, not a loop of str.rfind calls).
_LAST_BREAK = re.compile("(?s:.*)[。！？!?\n\r]")
_SPACES = " \t\u3000\n\r"


class Sentences:
    """Sentence boundaries of one text: split after 。！？!? and at line breaks.

    Found around each span with two regex calls bounded to MAX_CONTEXT_CHARS (no pass over the whole page:
    most pages hold only a few candidates), and cached per span.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[tuple[int, int], tuple[int, int]] = {}

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
        lo = max(0, start - MAX_CONTEXT_CHARS)
        hi = min(len(text), end + MAX_CONTEXT_CHARS)
        # The last break in [lo, start) ends the previous sentence; the first in [end, hi) ends this one.
        last = _LAST_BREAK.match(text, lo, start)
        s0 = last.end() if last is not None else lo
        first = _BREAKS.search(text, end, hi)
        if first is not None:
            s1 = first.start()
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
