"""Sentences of Japanese text: the one rule for where a sentence ends, used by everything that quotes or splits.

A sentence ends after a run of 。｡！？!? together with the closing brackets that follow it (彼は「行きます。」 is one
sentence), or at a line break. The tagger's `mentions.context` and `amounts.context`, the digest's and connections'
quotes and the sentence diff all use this rule, so a stored context and a quote in the digest are the same sentence.
"""

from __future__ import annotations

import re

MAX_CONTEXT_CHARS = 160
SENTENCE_END = re.compile(r"[。｡！？!?]+[」』）)]*|[\n\r]")
# Greedy: backs off from the end of the window to its last break (in C, not a loop of str.rfind calls), then takes
# the closing brackets after it, as SENTENCE_END does.
_LAST_END = re.compile(r"(?s:.*)(?:[。｡！？!?][」』）)]*|[\n\r])")
_SPACES = " \t\u3000\n\r"


def split_sentences(text: str) -> list[str]:
    """The sentences of text in order, stripped of surrounding spaces; blank ones dropped."""
    sentences = []
    start = 0
    for match in SENTENCE_END.finditer(text or ""):
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append((text or "")[start:].strip())
    return [sentence for sentence in sentences if sentence]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], as `Sentences.around` cuts it (for quoting evidence)."""
    s0, s1 = Sentences(text or "").around(start, end)
    return (text or "")[s0:s1]


class Sentences:
    """Sentence boundaries of one text, found around each span on demand.

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
        span (degenerate input) is ignored; the sentence keeps its closing 。 (and any ！ or 」 run after it).
        """
        key = (start, end)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = self.text
        lo = max(0, start - MAX_CONTEXT_CHARS)
        hi = min(len(text), end + MAX_CONTEXT_CHARS)
        # The last sentence end in [lo, start) ends the previous sentence; the first in [end, hi) ends this one.
        last = _LAST_END.match(text, lo, start)
        s0 = last.end() if last is not None else lo
        first = SENTENCE_END.search(text, end, hi)
        if first is None:
            s1 = hi
        elif text[first.start()] in "\n\r":
            s1 = first.start()
        else:
            s1 = first.end()
        while s0 < start and text[s0] in _SPACES:
            s0 += 1
        while s1 > end and text[s1 - 1] in _SPACES:
            s1 -= 1
        self._cache[key] = (s0, s1)
        return s0, s1
