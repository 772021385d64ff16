"""textutil.dates: 和暦 with 元年, 西暦 in kanji, slashes or dots, full-width digits, kanji numerals; exact spans."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textutil.dates import find_dates


@pytest.mark.parametrize(
    ("text", "surface", "iso"),
    [
        ("令和3年5月14日に契約", "令和3年5月14日", "2021-05-14"),
        ("令和元年5月1日から", "令和元年5月1日", "2019-05-01"),
        ("平成31年4月30日", "平成31年4月30日", "2019-04-30"),
        ("昭和64年1月7日以前", "昭和64年1月7日", "1989-01-07"),
        ("令和８年１０月１日（木）", "令和８年１０月１日", "2026-10-01"),
        ("令和八年四月一日", "令和八年四月一日", "2026-04-01"),
        ("令和8年(2026年)4月1日", "令和8年(2026年)4月1日", "2026-04-01"),
        ("2026年（令和8年）4月1日付", "2026年（令和8年）4月1日", "2026-04-01"),
        ("2026年7月31日（金）", "2026年7月31日", "2026-07-31"),
        ("二〇二六年七月三十一日", "二〇二六年七月三十一日", "2026-07-31"),
        ("改正日：2026.4.1", "2026.4.1", "2026-04-01"),
        ("次回は2026/9/10に", "2026/9/10", "2026-09-10"),
        ("入札執行日：２０２６／２／１７", "２０２６／２／１７", "2026-02-17"),
        ("公表日：R8.4.1", "R8.4.1", "2026-04-01"),
        ("H31.4.1の契約", "H31.4.1", "2019-04-01"),
    ],
)
def test_date_forms(text: str, surface: str, iso: str) -> None:
    dates = find_dates(text)
    assert [(d.surface, d.date) for d in dates] == [(surface, iso)]
    assert text[dates[0].start:dates[0].end] == surface


@pytest.mark.parametrize(
    "text",
    ["令和8年度の予算", "2026年7月に", "7月31日（金）", "令和8年2月30日", "12026/1/1", "1.2.3", "バージョン2.10.4"],
)
def test_partial_impossible_or_embedded_dates_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_dates_module_does_not_load_sudachi() -> None:
    # The nlp package finds dates without loading SudachiPy (its names are imported lazily).
    code = "import sys, nlp; nlp.find_dates('令和3年5月14日'); print('sudachipy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789０１２/.年月日令和平成元十一二 -（）", max_size=30))
def test_spans_are_exact_for_any_input(text: str) -> None:
    for date in find_dates(text):
        assert text[date.start:date.end] == date.surface
        assert len(date.date) == 10
