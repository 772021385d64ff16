"""The tagger's fast paths give exactly what the plain way gives, on random text.

Each shortcut taken for speed (one regex instead of a per-character loop, literal scans instead of a class,
normalising without an offset map, Sudachi reading only part of a segment) is checked here against the
straightforward computation it replaces.
"""

from __future__ import annotations

import pickle
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from nlp.amounts import _YEN_SIGN_ANCHOR
from nlp.normalize import _normalize_mapped, normalize_text
from nlp.organizations import _JA_LEGAL_FORM, _legal_forms
from nlp.sentences import MAX_CONTEXT_CHARS, Sentences
from nlp.sudachi import tokenize
from nlp.tagger import _CERTAIN_BREAK, Tagger, _certain_break
from nlp.watchlist import WatchEntry
from textutil.dates import _ERA_ANCHOR, _SEPARATOR_ANCHOR
from textutil.spans import anchor_positions
from textutil.width import fold_width

PIECES = [
    "宮坂", "学", "副知事", "は", "が", "の", "と", "を", "に", "て", "ヤフー", "デジタルガレージ", "ﾃﾞｼﾞﾀﾙ", "ｶﾞﾚｰｼﾞ",
    "NEC", "ＮＴＴ", "Japan", " ", "\u3000", "、", "。", "！", "?", "\n", "\r", "（", "）", "(", ")", "「", "」",
    "株式会社", "有限会社", "合同会社", "会社", "㈱", "㈲", "（株）", "( 株 )", "株", "有", "同", "・", "ー", "ｰ",
    "令和", "平成", "昭和", "大正", "明治", "令", "R", "H", "S", "年", "月", "日", "2026", "８", "/", ".", "-", "．",
    "円", "¥", "￥", "\\", "万", "億", "約", "髙", "﨑", "①", "㍿", "\u3099", "ｶﾞ", "e\u0301", "İ", "Σ", "𠮷",
    "\u09c7\u09be", "\ufe00", "\u200b", "学ぶ", "さん", "ひらがな", "カタカナ", "漢字",
]  # fmt: skip
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=30).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(texts)
@example("宮坂学は、NECと（株）デジタルガレージ。ひらがなカタカナ漢字")
def test_certain_break_regex_finds_exactly_the_positions_of_the_loop(text: str) -> None:
    # Inside a window [lo, hi) the tagger ignores a match at hi (it may rest on a lookbehind only).
    found = {m.start() for m in _CERTAIN_BREAK.finditer(text, 1, len(text)) if m.start() < len(text)}
    expected = {q for q in range(1, len(text)) if _certain_break(text[q - 1], text[q])}
    assert found == expected


@settings(max_examples=300, deadline=None)
@given(texts)
@example("㈱籠\u09c7\u09beς\u09c7\u09be")  # an expansion and a composition cancel out in length
@example("ＡΣ髙")
def test_normalising_without_a_map_agrees_with_the_mapped_path(text: str) -> None:
    fast, mapped = normalize_text(text), _normalize_mapped(text)
    assert fast.norm == mapped.norm
    for i in range(len(fast.norm)):
        for j in range(i + 1, min(len(fast.norm), i + 4) + 1):
            assert fast.span(i, j) == mapped.span(i, j), (i, j)


@settings(max_examples=300, deadline=None)
@given(texts)
@example("（株）ＮＴＴ　データ１２３，４５６円")
@example("Σ（１）")
def test_width_folding_from_the_normalisation_runs_is_fold_width(text: str) -> None:
    assert normalize_text(text).folded() == fold_width(text)
    assert _normalize_mapped(text).folded() == fold_width(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_legal_forms_by_literal_scans_are_the_regex_matches(text: str) -> None:
    assert _legal_forms(text) == [m.span() for m in _JA_LEGAL_FORM.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_anchor_scans_find_what_one_alternation_finds(text: str) -> None:
    assert anchor_positions(text, _ERA_ANCHOR) == [m.start() for m in re.finditer("令和|平成|昭和|大正|明治", text)]
    assert anchor_positions(text, _SEPARATOR_ANCHOR) == [m.start() for m in re.finditer("[./-]", text)]
    assert anchor_positions(text, _YEN_SIGN_ANCHOR) == [m.start() for m in re.finditer(r"[¥￥\\]", text)]


def _around_by_rfind(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span, computed the plain way (one str.rfind / str.find per break character).

    A sentence ends after a run of 。｡！？!? with the closing brackets after it, or at a line break."""
    ends, breaks, brackets, spaces = "。｡！？!?", "。｡！？!?\n\r", "」』）)", " \t\u3000\n\r"
    lo, hi = max(0, start - MAX_CONTEXT_CHARS), min(len(text), end + MAX_CONTEXT_CHARS)
    s0 = max(lo, max(text.rfind(ch, lo, start) for ch in breaks) + 1)
    if s0 > lo and text[s0 - 1] in ends:
        while s0 < start and text[s0] in brackets:
            s0 += 1
    found = [i for i in (text.find(ch, end, hi) for ch in breaks) if i >= 0]
    s1 = min(found) if found else hi
    if found and text[s1] in ends:
        while s1 < hi and text[s1] in ends:
            s1 += 1
        while s1 < hi and text[s1] in brackets:
            s1 += 1
    while s0 < start and text[s0] in spaces:
        s0 += 1
    while s1 > end and text[s1 - 1] in spaces:
        s1 -= 1
    return s0, s1


SENTENCE_TEXTS = st.lists(st.sampled_from([*PIECES, "『", "』", "｡", "!!", "。」"]), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(SENTENCE_TEXTS, st.integers(0, 200), st.integers(1, 6))
def test_sentence_edges_by_regex_match_the_plain_search(text: str, start: int, length: int) -> None:
    if not text:
        return
    start = start % len(text)
    end = min(len(text), start + length)
    assert Sentences(text).around(start, end) == _around_by_rfind(text, start, end)


def _words(text: str, offset: int = 0) -> list[tuple[int, int, str, str]]:
    return [(offset + m.begin(), offset + m.end(), m.surface(), m.part_of_speech()[0]) for m in tokenize(text)]


# The tagger cuts only at a 、 with letters, kana, kanji or digits on both sides (nlp.organizations._lone_comma).
ORDINARY = [p for p in PIECES if p.isalnum()] + ["東日本電信電話", "丸紅", "日本電気", "情報技術", "ＮＥＣ", "１２"]
JAPANESE = st.tuples(
    st.lists(st.sampled_from(PIECES), max_size=5).map("".join),
    st.sampled_from(ORDINARY),
    st.sampled_from(ORDINARY),
    st.lists(st.sampled_from(PIECES), max_size=5).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(JAPANESE)
@example(("本", "日", "丸紅", ""))
@example(("受託者は", "日本電気", "富士通", "株式会社"))
def test_sudachi_reads_the_words_around_an_ideographic_comma_alone(parts: tuple[str, str, str, str]) -> None:
    """Company segments are cut at 、 before Sudachi reads them: the words on either side must not change."""
    head, before, after, tail = parts
    left, right = head + before, after + tail
    text = f"{left}、{right}"
    whole = _words(text)
    comma = len(left)
    assert (comma, comma + 1, "、", "補助記号") in whole
    assert [w for w in whole if w[0] > comma] == [w for w in _words(text[comma:], comma) if w[0] > comma]
    assert [w for w in whole if w[1] <= comma] == [w for w in _words(text[: comma + 1]) if w[1] <= comma]


def test_offsets_hold_with_lone_surrogates_and_characters_beyond_the_bmp() -> None:
    tagger = Tagger([WatchEntry("宮坂学", "official", "宮坂", ("副知事",)), WatchEntry("ヤフー", "vendor")])
    for text in ("\udc80宮坂副知事と𠮷野ヤフー", "𠮷𠮷ヤフー、宮坂学氏", "\ud800ヤフー\udfff"):
        mentions = tagger.tag(text).mentions
        assert mentions, text
        for mention in mentions:
            assert text[mention.start:mention.end] == mention.surface


def test_a_tagger_survives_pickling() -> None:
    tagger = Tagger([WatchEntry("宮坂学", "official", "宮坂", ("副知事",)), WatchEntry("ヤフー", "vendor")])
    text = "宮坂副知事はヤフー出身。"
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy.tag(text).to_dict() == tagger.tag(text).to_dict()
    assert [m.surface for m in copy.tag(text).mentions] == ["宮坂副知事", "ヤフー"]
