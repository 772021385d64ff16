"""法人番号 (corporate numbers): the check digit that makes a mistyped number detectable.

Pure functions with no imports from the project, in the bottom layer so that config loading (ometsuke/), the
registry import (db/), the CSV watch list (nlp/) and anything else may check a number without crossing layers.
"""

from __future__ import annotations

import re

_THIRTEEN_DIGITS = re.compile(r"[0-9]{13}")


def check_digit(base: str) -> int:
    """The check digit (first digit) for the other 12 digits of a corporate number.

    Digits are numbered from the right, n = 1..12, weighted 1 when n is odd and 2 when even;
    check = 9 - (sum of digit × weight mod 9) (NTA, 法人番号の指定等に関する省令).
    """
    if len(base) != 12 or not base.isascii() or not base.isdigit():
        raise ValueError(f"{base!r} is not 12 digits")
    # Counted from the right, n is even exactly where the index from the left is even (12 digits). Summing the
    # ASCII codes and taking off 18 × ord("0") is several times faster than int() per digit (millions of rows).
    codes = base.encode("ascii")
    total = 2 * sum(codes[0::2]) + sum(codes[1::2]) - 18 * 48
    return 9 - total % 9


def is_corporate_number(value: str) -> bool:
    """Whether value is exactly 13 ASCII digits whose first digit is the check digit of the rest.

    The same rule as check_digit, written for the registry import's every row: one encode, two sums, no regex.
    """
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    codes = value.encode("ascii")
    return codes[0] - 48 == 9 - (2 * sum(codes[1::2]) + sum(codes[2::2]) - 18 * 48) % 9


# Digit characters as their values (b"0".."9" -> 0..9), and a weighted sum of a number's other 12 digits (at most
# 6 × 2 × 9 + 6 × 9 = 162, so one byte) as the check digit it calls for: 9 - sum mod 9.
_DIGIT_VALUES = bytes(range(48)) + bytes(range(10)) + bytes(range(58, 256))
_CHECK_OF_SUM = bytes(9 - total % 9 for total in range(256))
# Weights of the digits after the first, from the left: 2 where the index among the 12 is even (see check_digit).
_WEIGHTS = tuple((position, 2 if (position - 1) % 2 == 0 else 1) for position in range(1, 13))


def all_corporate_numbers(values: list[str]) -> bool:
    """Whether every value is a corporate number (is_corporate_number of each), checked for the whole list at once.

    For the registry import's batches of thousands: the digits are joined into one bytes object, each of the 12
    digit positions is sliced out as one big integer (a byte per value), and the weighted sum of every value is
    one big-integer sum whose bytes do not carry (at most 162 each): no Python code runs per value.
    """
    count = len(values)
    if not count:
        return True
    joined = "".join(values)
    if set(map(len, values)) != {13} or not (joined.isascii() and joined.isdigit()):
        return False
    digits = joined.encode("ascii").translate(_DIGIT_VALUES)
    total = sum(weight * int.from_bytes(digits[position::13], "big") for position, weight in _WEIGHTS)
    return total.to_bytes(count, "big").translate(_CHECK_OF_SUM) == digits[0::13]


def corporate_number_problem(value: str) -> str | None:
    """Why value is not a corporate number (a short phrase for error messages), or None when it is one."""
    if not _THIRTEEN_DIGITS.fullmatch(value):
        return f"{value!r} is not 13 digits"
    expected = check_digit(value[1:])
    if int(value[0]) != expected:
        return f"{value!r} has check digit {value[0]}, expected {expected} (a digit is wrong)"
    return None
