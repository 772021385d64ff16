"""Normalisation for matching, with a map back to the original text.

Matching runs on NFKC + lower-case + name-variant-kanji folding, so that ＮＴＴデータ, ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ and
髙橋 match NTTデータ, デジタルガレージ and 高橋. NFKC does not keep lengths (ﾃﾞ → デ, ㈱ → (株)), so every
normalised character remembers the span of the original "cluster" (a base character plus the marks that
compose with it) it came from; offsets reported to users always come from that map.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

# Kanji that name lists and documents spell both ways (異体字). Folded one for one on both sides of a match.
_ITAIJI = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "𠮷": "吉", "齋": "斎", "齊": "斉", "邊": "辺", "邉": "辺",
    "濵": "浜", "濱": "浜", "德": "徳", "惠": "恵", "眞": "真", "澤": "沢", "櫻": "桜", "廣": "広",
    "國": "国", "冨": "富", "淺": "浅", "籠": "篭", "槗": "橋", "栁": "柳", "瀨": "瀬", "藪": "薮",
}
_ITAIJI_TABLE = str.maketrans(_ITAIJI)

# Characters that may merge with their neighbour under NFKC, or vanish from the key (variation selectors).
_MERGING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a\uff9e\uff9f"
    "\u1100-\u11ff\ufe00-\ufe0f\U000e0100-\U000e01ef\u200b-\u200d\u2060\ufeff]"
)
_DROPPED = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200b-\u200d\u2060\ufeff]")


def normalize_key(text: str) -> str:
    """The matching form of a pattern or a name: NFKC, lower case, variant kanji folded, invisible marks dropped."""
    text = _DROPPED.sub("", text)
    return unicodedata.normalize("NFKC", text).lower().translate(_ITAIJI_TABLE)


def _is_continuation(ch: str) -> bool:
    return ch in "\u3099\u309a\uff9e\uff9f" or bool(_DROPPED.match(ch)) or unicodedata.combining(ch) != 0


@dataclass
class NormalizedText:
    """`norm` is the matching form of `original`; `span()` maps a span of `norm` back to `original`.

    `starts`/`ends` are None when the two strings align one to one (the common case), which keeps
    plain text cheap.
    """

    original: str
    norm: str
    starts: array | None = None
    ends: array | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) covering norm[start:end], widened to whole clusters."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalize_text(text: str) -> NormalizedText:
    """Normalise `text` line by line; lines that NFKC maps one to one keep the fast identity path."""
    pieces: list[str] = []
    starts = array("l")
    ends = array("l")
    aligned = True
    offset = 0
    for line in text.splitlines(keepends=True):
        fast = None
        if not _MERGING.search(line):
            candidate = unicodedata.normalize("NFKC", line).lower()
            if len(candidate) == len(line):
                fast = candidate
        if fast is not None:
            pieces.append(fast)
            starts.extend(range(offset, offset + len(line)))
            ends.extend(range(offset + 1, offset + len(line) + 1))
        else:
            aligned = False
            _normalize_slow(line, offset, pieces, starts, ends)
        offset += len(line)
    norm = "".join(pieces).translate(_ITAIJI_TABLE)
    if aligned:
        return NormalizedText(text, norm)
    return NormalizedText(text, norm, starts, ends)


def _normalize_slow(line: str, offset: int, pieces: list[str], starts: array, ends: array) -> None:
    """Cluster by cluster: a base character and its combining/voicing marks normalise together."""
    i = 0
    n = len(line)
    while i < n:
        j = i + 1
        while j < n and _is_continuation(line[j]):
            j += 1
        cluster = _DROPPED.sub("", line[i:j])
        out = unicodedata.normalize("NFKC", cluster).lower() if cluster else ""
        pieces.append(out)
        starts.extend([offset + i] * len(out))
        ends.extend([offset + j] * len(out))
        i = j
