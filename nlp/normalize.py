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
from dataclasses import dataclass, field

from textutil.width import FOLD_TABLE, fold_width

# Kanji that name lists and documents spell both ways (異体字). Folded one for one on both sides of a match.
_ITAIJI = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "𠮷": "吉", "齋": "斎", "齊": "斉", "邊": "辺", "邉": "辺",
    "濵": "浜", "濱": "浜", "德": "徳", "惠": "恵", "眞": "真", "澤": "沢", "櫻": "桜", "廣": "広",
    "國": "国", "冨": "富", "淺": "浅", "籠": "篭", "槗": "橋", "栁": "柳", "瀨": "瀬", "藪": "薮",
}
_ITAIJI_CHARS = re.compile("[" + "".join(_ITAIJI) + "]")


def _fold_itaiji(text: str) -> str:
    # Variant kanji are rare: replace just them (str.translate walks the whole text slowly when it is not ASCII).
    return _ITAIJI_CHARS.sub(_itaiji_of, text)


def _itaiji_of(match: re.Match[str]) -> str:
    return _ITAIJI[match.group()]

def _ranges_without(first: int, last: int, holes: set[int]) -> list[tuple[int, int]]:
    """[first, last] as inclusive code point ranges, minus the holes."""
    ranges: list[tuple[int, int]] = []
    start = first
    for hole in sorted(h for h in holes if first <= h <= last):
        if hole > start:
            ranges.append((start, hole - 1))
        start = hole + 1
    if start <= last:
        ranges.append((start, last))
    return ranges


# Characters that may merge with their neighbour under NFKC, or vanish from the key (variation selectors).
_MERGING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a\uff9e\uff9f"
    "\u1100-\u11ff\ufe00-\ufe0f\U000e0100-\U000e01ef\u200b-\u200d\u2060\ufeff]"
)
_DROPPED = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200b-\u200d\u2060\ufeff]")


def normalize_key(text: str) -> str:
    """The matching form of a pattern or a name: NFKC, lower case, variant kanji folded, invisible marks dropped."""
    text = _DROPPED.sub("", text)
    return _fold_itaiji(unicodedata.normalize("NFKC", text).lower())


def _is_continuation(ch: str) -> bool:
    return ch in "\u3099\u309a\uff9e\uff9f" or bool(_DROPPED.match(ch)) or unicodedata.combining(ch) != 0


@dataclass
class _Segment:
    """A stretch of norm: aligned one to one with original (maps None) or mapped per character."""

    norm_start: int
    orig_start: int
    length: int
    starts: array | None = None
    ends: array | None = None


@dataclass
class NormalizedText:
    """`norm` is the matching form of `original`; `span()` maps a span of `norm` back to `original`.

    Most lines align one to one with their normal form; only lines where NFKC changes lengths (ﾃﾞ, ㈱)
    carry a per-character map, which keeps plain text cheap.
    """

    original: str
    norm: str
    segments: list[_Segment] | None = None
    _starts: array | None = field(default=None, init=False, repr=False, compare=False)
    # The runs of characters NFKC may change, which hold every full-width character (see folded()).
    _runs: list[tuple[int, int]] | None = field(default=None, init=False, repr=False, compare=False)
    _ends: array | None = field(default=None, init=False, repr=False, compare=False)

    def folded(self) -> str:
        """fold_width(original), from the runs normalisation already found instead of another regex pass:
        the characters fold_width changes are all among those NFKC changes."""
        if self._runs is None:
            return fold_width(self.original)
        text = self.original
        pieces: list[str] = []
        pos = 0
        for a, b in self._runs:
            pieces.append(text[pos:a])
            pieces.append(text[a:b].translate(FOLD_TABLE))
            pos = b
        pieces.append(text[pos:])
        return "".join(pieces)

    def _maps(self) -> tuple[array, array]:
        """Original start and end of every normalised character, built once from the segments (in C:
        array.extend over ranges), so that each span() is two look-ups."""
        if self._starts is None or self._ends is None:
            starts, ends = array("l"), array("l")
            for seg in self.segments or ():
                if seg.starts is None or seg.ends is None:
                    starts.extend(range(seg.orig_start, seg.orig_start + seg.length))
                    ends.extend(range(seg.orig_start + 1, seg.orig_start + seg.length + 1))
                else:
                    starts.extend(seg.starts)
                    ends.extend(seg.ends)
            self._starts, self._ends = starts, ends
        return self._starts, self._ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) covering norm[start:end], widened to whole clusters."""
        if self.segments is None:
            if end <= start:
                pos = start if start < len(self.norm) else len(self.original)
                return pos, pos
            return start, end
        starts, ends = self._maps()
        if end <= start:
            pos = self._edge(starts, start) if start < len(self.norm) else len(self.original)
            return pos, pos
        return self._edge(starts, start), self._edge(ends, end - 1)

    def _edge(self, edges: array, index: int) -> int:
        if 0 <= index < len(edges):
            return edges[index]
        # Past the end (a caller's span reaching beyond norm): extend the last segment, as one-to-one text would.
        assert self.segments
        last = self.segments[-1]
        offset = index - last.norm_start
        if last.starts is None or last.ends is None or not 0 <= offset < len(last.starts):
            return last.orig_start + offset + (1 if edges is self._ends else 0)
        return last.ends[offset] if edges is self._ends else last.starts[offset]


# Characters NFKC leaves alone (ASCII, hiragana, katakana, CJK unified ideographs, common Japanese
# punctuation). Only the runs between them need normalising, which is much cheaper than NFKC on a whole page.
_NFKC_UNSAFE = re.compile(
    "[^\x00-\x7f\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\u3001-\u3003\u3005-\u3011\u30fb]+"
)


# The same, with the variant kanji left out of the safe set: one scan then finds both what NFKC may change and
# what the variant folding changes, instead of one regex pass over the page for each.
_FAST_UNSAFE = re.compile(
    "[^\x00-\x7f\u3041-\u3096\u30a1-\u30fa\u30fc\u3001-\u3003\u3005-\u3011\u30fb"
    + "".join(
        f"{chr(a)}-{chr(b)}" if a < b else chr(a)
        for a, b in _ranges_without(0x4E00, 0x9FFF, {ord(ch) for ch in _ITAIJI})
    )
    + "]+"
)


_NFKC_LENGTH: dict[str, int] = {}


def _one_to_one(run: str, out: str) -> bool:
    """Whether NFKC maps run to out character for character.

    Equal lengths alone are not enough: an expansion (㈱ → (株)) and a composition (\u09c7\u09be → ো) in one
    run cancel out. Each character's own NFKC length is cached (few distinct characters reach here).
    """
    if len(out) != len(run):
        return False
    lengths = _NFKC_LENGTH
    for ch in run:
        length = lengths.get(ch)
        if length is None:
            length = lengths[ch] = len(unicodedata.normalize("NFKC", ch))
        if length != 1:
            return False
    return True


# The same few runs (（, ）, the ideographic space, full-width digits) come back on every page.
_RUN_CACHE: dict[str, str | None] = {}
_RUN_CACHE_SIZE = 4096
# For the mapped path: a run's lower-cased NFKC when it maps one to one, else None.
_MAPPED_RUN_CACHE: dict[str, str | None] = {}


def _fast_run(run: str) -> str | None:
    """A run's matching form (before lower case) when it maps one to one, else None."""
    if _MERGING.search(run):
        return None
    out = unicodedata.normalize("NFKC", run)
    return _fold_itaiji(out) if _one_to_one(run, out) else None


def _fast_norm(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The matching form when every unsafe run keeps its length under NFKC and no mark may merge with a
    neighbour (then offsets map one to one); None otherwise.

    Variant kanji are folded inside the runs (they are runs of their own here); lower() runs once over the
    whole text, as it may depend on context (final sigma).
    """
    pieces: list[str] = []
    runs: list[tuple[int, int]] = []
    pos = 0
    cache = _RUN_CACHE
    for match in _FAST_UNSAFE.finditer(text):
        a, b = match.span()
        run = match.group()
        if run in cache:
            out = cache[run]
        else:
            out = _fast_run(run)
            if len(cache) >= _RUN_CACHE_SIZE:
                cache.clear()
            cache[run] = out
        if out is None:
            return None
        pieces.append(text[pos:a])
        pieces.append(out)
        runs.append((a, b))
        pos = b
    if not pieces:
        return text.lower(), runs
    pieces.append(text[pos:])
    return "".join(pieces).lower(), runs


def normalize_text(text: str) -> NormalizedText:
    """Normalise `text`; when NFKC maps it one character for one (the common case) no offset map is built.

    Otherwise only the runs of characters NFKC may change are looked at: stretches of plain Japanese and
    ASCII map one to one, and a run that changes length (ﾃﾞｼﾞﾀﾙ, ㈱) is mapped cluster by cluster.
    """
    # Σ lower-cases by context (final ς), so lowering the whole text or piece by piece could differ: such text
    # takes the mapped path, which lowers piece by piece whichever way it is reached.
    fast = _fast_norm(text) if "Σ" not in text else None
    if fast is not None and len(fast[0]) == len(text):
        result = NormalizedText(text, fast[0])
        result._runs = fast[1]
        return result
    return _normalize_mapped(text)


def _normalize_mapped(text: str) -> NormalizedText:
    """The general case, with a map from normalised characters back to the original text.

    Stretches that map one to one (plain text and the runs NFKC keeps in length) become one segment each,
    however many runs they hold; only the runs that change length get a per-character map.
    """
    pieces: list[str] = []
    segments: list[_Segment] = []
    norm_length = 0
    pos = 0
    # The one-to-one stretch being built: where it starts in norm and in the original.
    same_norm = same_orig = 0
    cache = _MAPPED_RUN_CACHE
    runs: list[tuple[int, int]] = []
    for match in _NFKC_UNSAFE.finditer(text):
        a, b = match.span()
        if a > pos and _is_continuation(text[a]):
            a -= 1  # a voicing or combining mark composes with the plain character before it
        runs.append((a, b))
        if a > pos:
            piece = text[pos:a].lower()
            pieces.append(piece)
            norm_length += len(piece)
        run = text[a:b]
        if run in cache:
            out = cache[run]
        else:
            out = unicodedata.normalize("NFKC", run).lower()
            if _MERGING.search(run) or not _one_to_one(run, out):
                out = None
            if len(cache) >= _RUN_CACHE_SIZE:
                cache.clear()
            cache[run] = out
        if out is not None:
            pieces.append(out)
            norm_length += len(out)
        else:
            if norm_length > same_norm:
                segments.append(_Segment(same_norm, same_orig, norm_length - same_norm))
            starts, ends = array("l"), array("l")
            before = len(pieces)
            _normalize_slow(run, a, pieces, starts, ends)
            produced = sum(len(p) for p in pieces[before:])
            segments.append(_Segment(norm_length, a, produced, starts, ends))
            norm_length += produced
            same_norm, same_orig = norm_length, b
        pos = b
    if pos < len(text):
        piece = text[pos:].lower()
        pieces.append(piece)
        norm_length += len(piece)
    if norm_length > same_norm:
        segments.append(_Segment(same_norm, same_orig, norm_length - same_norm))
    if not segments:
        return NormalizedText(text, "")
    result = NormalizedText(text, _fold_itaiji("".join(pieces)), segments)
    result._runs = runs
    return result


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
