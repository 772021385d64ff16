"""Yen amounts: every written form to an integer, exact spans, and never people or counts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.amounts import find_amounts, parse_japanese_number


@pytest.mark.parametrize(
    ("text", "surface", "yen"),
    [
        ("契約金額は16,506,875円（税込）", "16,506,875円", 16_506_875),
        ("落札金額：１６，５０６，８７５円", "１６，５０６，８７５円", 16_506_875),
        ("予定価格¥4,950,000です", "¥4,950,000", 4_950_000),
        ("見積額￥３，３００，０００－", "￥３，３００，０００", 3_300_000),
        ("委託料1400万円", "1400万円", 14_000_000),
        ("115万5882円で契約", "115万5882円", 1_155_882),
        ("総額1億2,345万円", "1億2,345万円", 123_450_000),
        ("予算は３０億円", "３０億円", 3_000_000_000),
        ("事業費は約3億円を見込む", "約3億円", 300_000_000),
        ("予定価格22,000千円", "22,000千円", 22_000_000),
        ("工事費二千三百万円", "二千三百万円", 23_000_000),
        ("売上高1,234百万円", "1,234百万円", 1_234_000_000),
        ("資本金3.5億円", "3.5億円", 350_000_000),
        ("研究費1兆2,000億円", "1兆2,000億円", 1_200_000_000_000),
        ("寄付は五百万円", "五百万円", 5_000_000),
        ("被害額は１億２千万円", "１億２千万円", 120_000_000),
        ("1億2,345万6,789円", "1億2,345万6,789円", 123_456_789),
        ("金額 16,506,875 円", "16,506,875 円", 16_506_875),
        ("参加費は無料（0円）", "0円", 0),
        ("見積額￥１６，５０６，８７５円", "￥１６，５０６，８７５円", 16_506_875),
    ],
)
def test_amount_forms(text: str, surface: str, yen: int) -> None:
    amounts = find_amounts(text)
    assert [(a.surface, a.yen) for a in amounts] == [(surface, yen)]
    assert text[amounts[0].start:amounts[0].end] == surface


@pytest.mark.parametrize(
    "text",
    ["来場者は27万人", "職員1,023人", "今年3度目の改定", "相談は5万件", "第3回会議", "関東一円から参加",
     "数億円規模", "数十万円程度", "何万円かかるか", "9割程度", "20%増"],
)
def test_people_counts_and_vague_amounts_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_range_gives_both_ends_with_the_shared_unit() -> None:
    amounts = find_amounts("予定価格は100万～200万円程度")
    assert [(a.surface, a.yen) for a in amounts] == [("100万", 1_000_000), ("200万円", 2_000_000)]


def test_two_amounts_side_by_side() -> None:
    amounts = find_amounts("契約金額16,506,875円のうち消費税額は1,500,625円")
    assert [a.yen for a in amounts] == [16_506_875, 1_500_625]


def test_backslash_yen_sign_from_shift_jis_pages() -> None:
    assert [a.yen for a in find_amounts("落札金額：金\\12,345,678")] == [12_345_678]


def test_parse_japanese_number() -> None:
    assert parse_japanese_number("1億2,345万") == 123_450_000
    assert parse_japanese_number("二千三百万") == 23_000_000
    assert parse_japanese_number("十五") == 15
    assert parse_japanese_number("3 4") is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**13))
def test_any_integer_written_with_commas_or_units_round_trips(value: int) -> None:
    with_commas = f"{value:,}円"
    assert [a.yen for a in find_amounts("金額" + with_commas)] == [value]
    oku, rest = divmod(value, 10**8)
    man, ones = divmod(rest, 10**4)
    written = (f"{oku}億" if oku else "") + (f"{man}万" if man else "") + (f"{ones}" if ones else "") + "円"
    assert [a.yen for a in find_amounts("契約額は" + written + "です")] == [value]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789,.０１２万億千百円¥約人件度 一二三十あ", max_size=30))
def test_spans_are_exact_for_any_input(text: str) -> None:
    for amount in find_amounts(text):
        assert text[amount.start:amount.end] == amount.surface
        assert amount.yen >= 0
