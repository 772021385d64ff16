"""Tiny helpers for non-overlapping spans (pure Python: textutil.dates and the tagger's amounts and companies)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator


def overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span of `taken`, a list of disjoint spans sorted by start."""
    i = bisect.bisect_left(taken, (start, start))
    if i < len(taken) and taken[i][0] < end:
        return True
    return i > 0 and taken[i - 1][1] > start


def take(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Add [start, end) to `taken` unless it overlaps; True when added."""
    if overlaps(taken, start, end):
        return False
    bisect.insort(taken, (start, end))
    return True


Anchor = re.Pattern[str] | tuple[re.Pattern[str], ...]


def anchor_positions(text: str, anchor: Anchor) -> list[int]:
    """Sorted distinct start positions of the anchor's matches in text.

    A tuple of patterns, each starting with one literal character (`令(?=和)`, `\\(`), finds the same positions
    as one alternation or character class over them, several times faster: the regex engine skips ahead to
    a literal first character with a tight loop, but tests a class or an alternation at every character.
    """
    if isinstance(anchor, re.Pattern):
        return [hit.start() for hit in anchor.finditer(text)]
    positions = [hit.start() for part in anchor for hit in part.finditer(text)]
    if len(anchor) > 1:
        positions = sorted(set(positions))
    return positions


def anchored_matches(
    pattern: re.Pattern[str],
    text: str,
    anchor: Anchor,
    before: int,
    after: int,
    accept: Callable[[str, int], bool] | None = None,
    reach_back: Callable[[str, int, int], int] | None = None,
) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in text that contain an occurrence of `anchor`, in order.

    Equivalent to pattern.finditer(text) for patterns whose every match contains an anchor character that lies
    at most `before` characters after the match start and `after` before its end, but much faster on long
    texts: the full pattern only runs in small windows around the (rare) anchors. Each match is re-run on the
    whole string from its start, so lookarounds and greedy ends see the real text. `accept(text, p)` may
    cheaply reject an anchor at p before the pattern runs. `anchor` may be a tuple of patterns whose
    positions are merged (see anchor_positions). `reach_back(text, lo, p)` may narrow the window's start to
    the earliest position (at least lo) at which a match containing p can start.
    """
    last_end = -1
    seen: set[int] = set()
    for p in anchor_positions(text, anchor):
        if p < last_end or (accept is not None and not accept(text, p)):
            continue
        lo, hi = max(0, p - before), min(len(text), p + after + 1)
        if reach_back is not None:
            lo = reach_back(text, lo, p)
        for window_match in pattern.finditer(text, lo, hi):
            if window_match.start() > p:
                break
            if window_match.end() <= p or window_match.start() < last_end or window_match.start() in seen:
                continue
            full = pattern.match(text, window_match.start())
            if full is None or full.end() <= p:
                continue
            seen.add(full.start())
            last_end = full.end()
            yield full
            break
