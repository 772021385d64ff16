"""Timestamps: stored as UTC ISO 8601 so SQLite's date functions read them; shown in Japan time."""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def utc_now() -> str:
    """Now, to the microsecond: two crawls a second apart (the demo, tests) must still be ordered apart.

    Always six fractional digits, so stored timestamps compare correctly as strings too.
    """
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def jst_day_bounds(day: dt.date) -> tuple[str, str]:
    """The UTC ISO range [start, end) covering one calendar day in Japan time."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=JST).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    return start.isoformat(timespec="microseconds"), end.isoformat(timespec="microseconds")


def to_jst(timestamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(timestamp).astimezone(JST)
