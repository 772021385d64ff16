"""The one SudachiPy dictionary of the process.

Loading the dictionary costs time and memory, so it is created once per process and shared; tokenizers are
cheap but not meant to be shared between threads, so each thread gets its own. The tagger only ever hands
Sudachi short windows (a candidate and a few dozen characters around it, or the few words before a legal
form), far below Sudachi's 49,149-byte input limit, whatever the length of the page.
"""

from __future__ import annotations

import re
import threading

from sudachipy import Dictionary, MorphemeList, SplitMode, Tokenizer

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


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def tokenize(text: str, mode: SplitMode = SplitMode.C) -> MorphemeList:
    """Tokenize text; lone surrogates (undecodable input) become U+FFFD one for one, so offsets still hold."""
    return tokenizer(mode).tokenize(_LONE_SURROGATE.sub("\ufffd", text))
