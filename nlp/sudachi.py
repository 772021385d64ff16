"""The one SudachiPy dictionary of the process, and chunking that keeps calls under Sudachi's input limit.

Loading the dictionary costs time and memory, so it is created once per process and shared; tokenizers are
cheap but not meant to be shared between threads, so each thread gets its own.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from sudachipy import Dictionary, SplitMode, Tokenizer

# Sudachi rejects input over 49,149 bytes; stay well below so that long lines are also fast.
MAX_CHUNK_BYTES = 16_000

_lock = threading.Lock()
_dictionary: Dictionary | None = None
_local = threading.local()


def dictionary() -> Dictionary:
    """The process-wide Sudachi dictionary (core), loaded on first use."""
    global _dictionary
    if _dictionary is None:
        with _lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
    return _dictionary


def tokenizer(mode: SplitMode = SplitMode.C) -> Tokenizer:
    """A tokenizer for this thread in the given split mode."""
    cache: dict[str, Tokenizer] | None = getattr(_local, "tokenizers", None)
    if cache is None:
        cache = {}
        _local.tokenizers = cache
    key = str(mode)
    if key not in cache:
        cache[key] = dictionary().tokenizer(mode=mode, fields={"surface", "pos", "normalized_form"})
    return cache[key]


_SOFT_BREAK = re.compile(r"(?<=[。！？!?、，,\s])")


def chunks(text: str, max_bytes: int = MAX_CHUNK_BYTES) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering `text` in order, each piece under max_bytes of UTF-8.

    Splits at line ends first, then after sentence punctuation or spaces, and only as a last resort in the
    middle of a run of characters.
    """
    offset = 0
    for line in text.splitlines(keepends=True):
        if len(line.encode("utf-8")) <= max_bytes:
            yield offset, line
        else:
            yield from _split_long(line, offset, max_bytes)
        offset += len(line)


def _split_long(line: str, offset: int, max_bytes: int) -> Iterator[tuple[int, str]]:
    start = 0
    # A character is at most 4 bytes, so max_bytes // 4 characters always fit.
    limit = max(1, max_bytes // 4)
    while start < len(line):
        end = min(len(line), start + limit)
        if end < len(line):
            window = line[start:end]
            breaks = [m.start() for m in _SOFT_BREAK.finditer(window) if m.start() > limit // 2]
            if breaks:
                end = start + breaks[-1]
        yield offset + start, line[start:end]
        start = end
