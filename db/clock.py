"""Timestamps: stored as UTC ISO 8601 so SQLite's date functions read them; shown in Japan time."""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9), "JST")


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def jst_day_bounds(day: dt.date) -> tuple[str, str]:
    """The UTC ISO range [start, end) covering one calendar day in Japan time."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=JST).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    return start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")


def to_jst(timestamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(timestamp).astimezone(JST)
