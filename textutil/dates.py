"""Dates in Japanese text: 和暦 (令和3年3月15日, 令和元年, R3.3.15, 令和7(2025)年10月3日) and 西暦 (2026年7月31日,
2026/7/31, 2026.7.31, 2025.03.04).

Pure and dependency-free so that extractors (spiders) may use it for published dates as well as the tagger.
Matching runs on a width-folded copy of the text in which every character keeps its position
(full-width digits and punctuation map one to one), so offsets point into the original text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from textutil.spans import anchored_matches, take
from textutil.width import fold_width

# Era name -> Gregorian year of its first year (元年).
ERAS: dict[str, int] = {"令和": 2019, "平成": 1989, "昭和": 1926, "大正": 1912, "明治": 1868}
_ERA_ABBREVIATIONS: dict[str, str] = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = "[〇零一二三四五六七八九十]+"
_NUMBER = rf"(?:\d{{1,4}}|{_KANJI_NUMBER})"


@dataclass(frozen=True)
class DateMention:
    """A date found in text: ISO date plus the exact span of the original text it came from."""

    date: str
    surface: str
    start: int
    end: int


def kanji_to_int(token: str) -> int | None:
    """Read a small number written in kanji (二十六, 三十一, 二〇二六) or digits; None if it is not one."""
    if token.isdigit():
        return int(token)
    if "十" not in token:
        if all(ch in _KANJI_DIGITS for ch in token):
            return int("".join(str(_KANJI_DIGITS[ch]) for ch in token))
        return None
    tens, _, ones = token.partition("十")
    if len(ones) > 1 or len(tens) > 1:
        return None
    tens_value = _KANJI_DIGITS.get(tens, -1) if tens else 1
    ones_value = _KANJI_DIGITS.get(ones, -1) if ones else 0
    if tens_value < 0 or ones_value < 0:
        return None
    return tens_value * 10 + ones_value


_ERA_DATE = re.compile(
    rf"(?P<era>令和|平成|昭和|大正|明治)\s*(?P<year>元|{_NUMBER})\s*(?:[（(]\s*\d{{4}}\s*[)）]\s*)?年"
    rf"(?:\s*[（(]\s*\d{{4}}\s*年?\s*[)）])?"
    rf"\s*(?P<month>{_NUMBER})\s*月\s*(?P<day>{_NUMBER})\s*日"
)
_ERA_SHORT = re.compile(
    r"(?<![A-Za-z])(?P<era>[RHS])\s?(?P<year>\d{1,2})[./](?P<month>\d{1,2})[./](?P<day>\d{1,2})(?!\d)"
)
# 2026年7月31日, 二〇二六年七月三十一日, 2026年（令和8年）4月1日 (the era year in brackets is only a gloss, as the
# western year is in 令和8(2026)年).
_WESTERN_KANJI = re.compile(
    r"(?<![\d〇零一二三四五六七八九])(?P<year>\d{4}|[〇零一二三四五六七八九]{4})\s*年"
    rf"(?:\s*[（(]\s*(?:令和|平成|昭和|大正|明治)\s*(?:元|{_NUMBER})\s*年\s*[)）])?"
    rf"\s*(?P<month>{_NUMBER})\s*月\s*(?P<day>{_NUMBER})\s*日"
)
_WESTERN_SEPARATED = re.compile(
    r"(?<![\d./-])(?P<year>\d{4})(?P<sep>[./-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\d])"
)


# Every match contains one of these; scanning for them first keeps find_dates fast on long pages.
# Each is a tuple of patterns that start with one literal character (see textutil.spans.anchor_positions).
_ERA_ANCHOR = tuple(re.compile(f"{era[0]}(?={era[1:]})") for era in ERAS)
# The short form starts at its era letter (the pattern runs from the anchor on), followed by the year digits.
_ERA_SHORT_ANCHOR = tuple(re.compile(rf"{letter}(?=\s?\d)") for letter in "RHS")
# Only a 年 right after a digit or a space can end a four-digit year (_four_digits_before decides).
_YEAR_ANCHOR = re.compile("年(?<=[0-9〇零一二三四五六七八九 ]年)")
_SEPARATOR_ANCHOR = tuple(re.compile(re.escape(ch)) for ch in "./-")


_YEAR_DIGITS = set("0123456789〇零一二三四五六七八九")


def _four_digits_before(text: str, p: int) -> bool:
    """Whether a four-digit year (2026, 二〇二六) ends just before position p (spaces allowed)."""
    end = p
    while end > 0 and text[end - 1] == " ":
        end -= 1
    return end >= 4 and all(ch in _YEAR_DIGITS for ch in text[end - 4:end])


def _make_date(year: int, month: int, day: int) -> str | None:
    if not 1868 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _era_year(era: str, year_token: str) -> int | None:
    number = 1 if year_token == "元" else kanji_to_int(year_token)
    if number is None or number < 1:
        return None
    return ERAS[era] + number - 1


def find_dates(text: str, *, folded: str | None = None) -> list[DateMention]:
    """Every full date (year, month and day) in text, in order, with offsets into the original text.

    `folded` may pass fold_width(text) when the caller already has it.
    """
    if folded is None:
        folded = fold_width(text)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], iso: str | None) -> None:
        start, end = match.span()
        if iso is None or not take(taken, start, end):
            return
        found.append(DateMention(iso, text[start:end], start, end))

    for match in anchored_matches(_ERA_DATE, folded, _ERA_ANCHOR, 0, 60):
        year = _era_year(match["era"], match["year"])
        month, day = kanji_to_int(match["month"]), kanji_to_int(match["day"])
        add(match, _make_date(year, month, day) if year and month and day else None)
    for match in anchored_matches(_ERA_SHORT, folded, _ERA_SHORT_ANCHOR, 0, 12):
        era = _ERA_ABBREVIATIONS[match["era"]]
        year = _era_year(era, match["year"])
        add(match, _make_date(year, int(match["month"]), int(match["day"])) if year else None)
    for match in anchored_matches(_WESTERN_KANJI, folded, _YEAR_ANCHOR, 8, 40, _four_digits_before):
        year, month, day = kanji_to_int(match["year"]), kanji_to_int(match["month"]), kanji_to_int(match["day"])
        add(match, _make_date(year, month, day) if year and month and day else None)
    for match in anchored_matches(_WESTERN_SEPARATED, folded, _SEPARATOR_ANCHOR, 4, 8):
        add(match, _make_date(int(match["year"]), int(match["month"]), int(match["day"])))
    found.sort(key=lambda d: d.start)
    return found

