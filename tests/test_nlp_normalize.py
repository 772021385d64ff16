"""Normalisation for matching keeps a map to the original text, even where NFKC changes lengths."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.normalize import normalize_key, normalize_text


def test_key_folds_width_case_and_variant_kanji() -> None:
    assert normalize_key("ＮＴＴデータ") == "nttデータ"
    assert normalize_key("ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ") == "デジタルガレージ"
    assert normalize_key("髙橋") == normalize_key("高橋")
    assert normalize_key("渡邊") == normalize_key("渡辺") == normalize_key("渡邉")
    assert normalize_key("葛\U000e0100飾") == "葛飾"  # an ideographic variation selector is dropped


def test_plain_text_needs_no_map() -> None:
    result = normalize_text("宮坂学副知事はNECと会談した。")
    assert result.segments is None
    assert result.norm == "宮坂学副知事はnecと会談した。"
    assert result.span(7, 10) == (7, 10)


def test_half_width_katakana_maps_back_to_both_characters_of_a_voiced_kana() -> None:
    text = "本日ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞと"
    result = normalize_text(text)
    start = result.norm.index("デジタルガレージ")
    s, e = result.span(start, start + len("デジタルガレージ"))
    assert text[s:e] == "ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ"


def test_expanding_character_maps_to_itself() -> None:
    text = "㈱ＮＴＴデータ"
    result = normalize_text(text)
    assert result.norm == "(株)nttデータ"
    assert text[slice(*result.span(0, 3))] == "㈱"
    assert text[slice(*result.span(3, 10))] == "ＮＴＴデータ"


def test_combining_mark_after_plain_kana_composes() -> None:
    text = "か\u3099き"
    result = normalize_text(text)
    assert result.norm == "がき"
    assert result.span(0, 1) == (0, 2)


ALPHABET = st.sampled_from(
    list("あいうかがきアイウガデジタル宮坂学株式会社丸紅。、 \n\u3000")
    + list("ＡＢＣ１２３（）ｱｲｳｶﾞﾃﾞﾀﾞﾙｰﾞﾟ")
    + ["㈱", "㍿", "①", "\u3099", "\u309a", "\ufe00", "\U000e0100", "é", "e\u0301", "Ａ", "abcXYZ", "髙", "İ"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_every_normalised_character_maps_into_the_original(text: str) -> None:
    result = normalize_text(text)
    previous = (0, 0)
    for i in range(len(result.norm)):
        start, end = result.span(i, i + 1)
        assert 0 <= start < end <= len(text)
        assert (start, end) >= previous  # monotonic
        previous = (start, end)
    # Run-by-run normalisation agrees with normalising the whole key at once (no composition is lost).
    assert unicodedata.normalize("NFKC", result.norm) == unicodedata.normalize("NFKC", normalize_key(text))
