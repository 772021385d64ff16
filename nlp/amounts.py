"""Yen amounts in Japanese text, as integers with exact spans.

Handles 16,506,875円, １６，５０６，８７５円, ¥4,950,000, 1400万円, 115万5882円, 1億2,345万円, ３０億円,
約3億円, 22,000千円, 1,234百万円, 1.5億円 and kanji numerals (二千三百万円); what audit reports and rulings write
too: △1,234千円 and ▲ 500千円 (negative), 金壱億六千五百万円 and 金壱百万円也 (大字 after 金), a space beside a unit
(1,650 万円, 16,506 千円) and figures spaced out letter by letter in PDF text (1 6 , 5 0 6 円). Only numbers
followed by 円 or preceded by ¥ count, so people and counts (27万人, 1,023人, 3度目) never do. Matching runs on a
width-folded copy whose characters align one to one with the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from textutil.spans import anchored_matches, take
from textutil.width import fold_width


@dataclass(frozen=True)
class Amount:
    """A yen amount: integer yen and the exact span of the original text (約 included when present)."""

    yen: int
    surface: str
    start: int
    end: int


_KANJI_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4}

_NUM_CHARS = r"0-9〇零一二三四五六七八九十百千"
# A number: digits (commas, a decimal point) or kanji numerals, optionally with 万/億/兆 groups between.
# One space may stand before a unit (1,650 万円, 16,506 千円) or between 万/億/兆 and the digits after it
# (1億 6,506万円): PDF text and tables space them so; the space is dropped before the number is read.
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千])"
    rf"(?:[{_NUM_CHARS},.兆億万]|[ \u3000](?=[兆億万千])|(?<=[兆億万])[ \u3000](?=\d))*"
)
# A figure spaced out letter by letter (1 6 , 5 0 6 円: letter-spaced PDF text): one space after every character.
_LETTER_SPACED = re.compile(r"(?<![\d,.])(?P<number>\d(?:[ \u3000][\d,.兆億万千百十]){2,})[ \u3000]?円")
# What a despaced figure must look like to be read (commas every three digits, units between groups).
_WELL_FORMED = re.compile(r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[兆億万千百十]?)+")
_SPACES = str.maketrans("", "", " \u3000")
_YEN_SUFFIX = re.compile(rf"(?P<about>約\s*)?(?:[¥￥\\]\s*)?(?P<number>{_NUMBER})\s*円")
_YEN_PREFIX = re.compile(r"(?P<about>約\s*)?[¥￥\\]\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\s*円)?")
_RANGE_HEAD = re.compile(rf"(?P<about>約\s*)?(?P<number>{_NUMBER})\s*(?:～|〜|~|－|-|から)\s*(?:約\s*)?$")
# The characters _RANGE_HEAD's match can end with (besides spaces): a range mark, the ら of から, or 約.
_RANGE_LAST = frozenset("～〜~－-ら約")
# Every amount contains 円 or a yen sign; only the text around them is searched.
_YEN_ANCHOR = re.compile("円")
_YEN_SIGN_ANCHOR = tuple(re.compile(re.escape(ch)) for ch in "¥￥\\")
# Words that make a number vague (数百万円, 何千円) or part of an ordinal/other word: not an amount.
_VAGUE_BEFORE = set("数何幾")


# Every character an amount written with 円 can hold besides digits and spaces (\d and \s in _YEN_SUFFIX).
_AMOUNT_MARKS = frozenset("〇零一二三四五六七八九十百千,.兆億万約¥￥\\")


def _amount_start(text: str, lo: int, p: int) -> int:
    """Start of the run of amount characters that ends at the 円 at p: no amount ending there starts earlier.

    The regex then runs from there instead of trying every one of the 40 positions before the 円.
    """
    q = p
    while q > lo:
        ch = text[q - 1]
        if ch in _AMOUNT_MARKS or ch.isdecimal() or ch.isspace():
            q -= 1
        else:
            break
    return q


_PLAIN_INT = re.compile(r"\d+")


def parse_japanese_number(token: str) -> Fraction | int | None:
    """Value of a number written with digits, kanji numerals and 万/億/兆 (1億2,345万 → 123450000)."""
    token = token.replace(",", "")
    if not token:
        return None
    if _PLAIN_INT.fullmatch(token):
        return int(token)
    total: Fraction | int = 0
    rest = token
    any_part = False
    for unit, factor in _BIG_UNITS.items():
        if unit in rest:
            head, _, rest = rest.partition(unit)
            value = _parse_small(head) if head else None
            if value is None:
                return None
            total += value * factor
            any_part = True
    if rest:
        value = _parse_small(rest)
        if value is None:
            return None
        total += value
        any_part = True
    return total if any_part else None


_SMALL_TOKEN = re.compile(r"\d+(?:\.\d+)?|[〇零一二三四五六七八九]+|[十百千]")


def _parse_small(text: str) -> Fraction | int | None:
    """A number below the big units: 5882, 二千三百, 22000千, 3千5百, 1.5, 十五 (int unless it has a decimal)."""
    pos = 0
    total: Fraction | int = 0
    current: Fraction | int | None = None
    for match in _SMALL_TOKEN.finditer(text):
        if match.start() != pos:
            return None
        pos = match.end()
        piece = match.group()
        if piece in _SMALL_UNITS:
            total += (current if current is not None else 1) * _SMALL_UNITS[piece]
            current = None
        elif current is not None:
            return None  # two numbers in a row: "3 4"
        elif piece[0].isdigit():
            current = Fraction(piece) if "." in piece else int(piece)
        else:
            current = int("".join(str(_KANJI_DIGIT[ch]) for ch in piece))
    if pos != len(text):
        return None
    if current is not None:
        total += current
    return total


def _plausible(number: str) -> bool:
    """Reject kanji-only numbers that are usually words: 関東一円 (= all over Kantō), 一円 alone."""
    if re.search(r"\d", number):
        return True
    if not number.strip("〇零万億兆"):
        return False  # 〇万円以下の罰金: 〇 stands for a number the text leaves out
    return len(number) >= 2 or number in _SMALL_UNITS


# After 円: a coin (1円玉), a bracket of sums (2万円台), an approximate half (3兆円半ば): no exact sum is stated.
_NOT_A_SUM_AFTER = ("玉", "台", "半ば")


# Audit reports and financial statements mark a negative figure with △ or ▲ (△1,234千円 = minus 1,234,000 yen).
_MINUS_MARKS = frozenset("△▲")
# Rulings and contracts write sums after 金 in the numerals that cannot be altered (大字): 金壱百萬円.
_DAIJI = str.maketrans({"壱": "一", "壹": "一", "弐": "二", "貳": "二", "参": "三", "參": "三", "肆": "四", "伍": "五",
                        "陸": "六", "漆": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "阡": "千", "仟": "千",
                        "萬": "万"})
_DAIJI_AMOUNT = re.compile(
    "金(?P<number>(?=[一-龥〇]*[壱壹弐貳参參肆伍陸漆捌玖拾佰阡仟萬])[〇一二三四五六七八九十百千万億兆壱壹弐貳参參肆伍陸漆捌玖拾佰阡仟萬]+)"
    "円"
)


def _minus_mark(text: str, start: int) -> int | None:
    """The position of a △/▲ right before the number at start (up to two spaces between), or None."""
    q = start - 1
    while q >= 0 and start - q <= 3:
        if text[q] in _MINUS_MARKS:
            return q
        if text[q] not in " \u3000":
            return None
        q -= 1
    return None


def _letter_spaced_before(text: str, p: int) -> bool:
    """Cheap test at a 円 (p): could a letter-spaced figure end here (a digit or unit between spaces)?"""
    q = p - 1
    if q >= 0 and text[q] in " \u3000":
        q -= 1
    return q >= 1 and (text[q].isdecimal() or text[q] in "兆億万千百十") and text[q - 1] in " \u3000"


def _spaced_out_before(text: str, start: int) -> bool:
    """Whether a one-character number at start follows a digit or comma and one space (5 0 円)."""
    return start >= 2 and text[start - 1] in " \u3000" and (text[start - 2].isdecimal() or text[start - 2] in ",.")


def _not_a_sum(text: str, end: int) -> bool:
    return text.startswith(_NOT_A_SUM_AFTER, end)


def _glued_to_number(text: str, start: int) -> bool:
    """Whether the number at start continues one before it (12,345円 read from 345): a digit right before, or a
    comma or point after a digit. A comma after a word (クラス,1600万円) separates instead."""
    before = text[start - 1]
    if before.isdecimal():
        return True
    return before in ".," and start > 1 and text[start - 2].isdecimal()


def _trailing_unit(number: str) -> int:
    for unit, factor in _BIG_UNITS.items():
        if number.endswith(unit):
            return factor
    return 1


def find_amounts(text: str, *, folded: str | None = None) -> list[Amount]:
    """Every yen amount in text, in order, with spans into the original text.

    `folded` may pass fold_width(text) when the caller already has it.
    """
    if folded is None:
        folded = fold_width(text)
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: Fraction | int | None, negative: bool = False) -> None:
        if value is None or value < 0 or (isinstance(value, Fraction) and value.denominator != 1):
            return
        if negative:
            value = -value
        if not take(taken, start, end):
            return
        found.append(Amount(int(value), text[start:end], start, end))

    if "金" in folded:  # first: 金壱百万円 must not be read from its 百万円
        for match in _DAIJI_AMOUNT.finditer(folded):
            number = match["number"].translate(_DAIJI)
            add(match.start("number"), match.end(), parse_japanese_number(number) if _plausible(number) else None)
    for match in anchored_matches(_LETTER_SPACED, folded, _YEN_ANCHOR, 60, 0, accept=_letter_spaced_before):
        number = match["number"].translate(_SPACES).rstrip(",.")
        if _WELL_FORMED.fullmatch(number) and not _not_a_sum(folded, match.end()):
            mark = _minus_mark(folded, match.start())
            add(match.start() if mark is None else mark, match.end(), parse_japanese_number(number),
                negative=mark is not None)
    for match in anchored_matches(_YEN_SUFFIX, folded, _YEN_ANCHOR, 40, 0, reach_back=_amount_start):
        number = match["number"].rstrip(",.").translate(_SPACES)
        start = match.start()
        if start > 0 and folded[start - 1] in _VAGUE_BEFORE:
            continue
        if start > 0 and _glued_to_number(folded, start):
            continue
        if len(number) == 1 and _spaced_out_before(folded, start):
            continue  # the last digit of a figure spaced out letter by letter that is not well formed: 1 6 , 5 0 円
        if not _plausible(number) or _not_a_sum(folded, match.end()):
            continue
        value = parse_japanese_number(number)
        mark = _minus_mark(folded, start) if start > 0 else None
        if mark is not None:
            add(mark, match.end(), value, negative=True)  # △1,234千円: a loss in an audit report
            continue
        add(start, match.end(), value)
        # A range's first number (1,000～2,000万円) ends in a range mark, a space or 約 right before this one.
        before = folded[start - 1] if start > 0 else ""
        head = (
            _RANGE_HEAD.search(folded, max(0, start - 30), start)
            if before and (before in _RANGE_LAST or before.isspace()) else None
        )
        if head and value is not None and head.end() == start:
            head_number = head["number"].rstrip(",.").translate(_SPACES)
            head_value = parse_japanese_number(head_number)
            if head_value is not None and _trailing_unit(head_number) == 1:
                head_value *= _trailing_unit(number)
            h_start = head.start()
            h_end = head.start("number") + len(head["number"].rstrip(",."))
            if not (h_start > 0 and folded[h_start - 1] in _VAGUE_BEFORE):
                add(h_start, h_end, head_value)
    for match in anchored_matches(_YEN_PREFIX, folded, _YEN_SIGN_ANCHOR, 3, 24):
        add(match.start(), match.end(), parse_japanese_number(match["number"]))
    found.sort(key=lambda a: a.start)
    return found
