"""When to recheck a known document: recent ones every crawl, old ones less often (NewsDiffs/diffengine style).

Configured per source with the `revisit` table: keys are ages in days (since the document's published date, or
since it was first seen when it has none), values the recheck interval in days from that age on:

    revisit = { "0" = 0, "14" = 1, "60" = 7, "365" = 30 }   # the default

reads "younger than 14 days: every crawl; from 14 days: daily; from 60 days: weekly; from a year: monthly".
A due document is fetched with a conditional request; 404/410 then marks it gone. Old documents are rechecked
rarely, but not blindly: one that left its list, or whose list entry changed, is rechecked at once whatever its
age (the spiders' base class decides that from the lists), and every `verify_every`-th revisit is unconditional
(`must_verify`). Pure functions: tested without Scrapy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

DEFAULT_REVISIT: dict[int, float] = {0: 0, 14: 1, 60: 7, 365: 30}
# Every known page is fetched unconditionally at least once every this many revisits ([crawl] verify_every): a
# change behind validators that never change hides for at most 3 revisits (under a day for a new release crawled
# every 6 hours), and it costs nothing in requests: a quarter of the revisits download the page instead of a 304.
DEFAULT_VERIFY_EVERY = 4


class RevisitError(ValueError):
    """A `revisit` table that cannot be read; the message names the bad key or value."""


def parse_revisit(table: Mapping[str, Any] | None) -> dict[int, float]:
    """The source's `revisit` table as {age_days: interval_days}; the default when absent."""
    if not table:
        return dict(DEFAULT_REVISIT)
    policy: dict[int, float] = {}
    for key, value in table.items():
        try:
            age = int(str(key).strip())
        except ValueError:
            raise RevisitError(f'revisit key "{key}" is not an age in days (e.g. "60" = 7)') from None
        if age < 0:
            raise RevisitError(f'revisit key "{key}" is negative')
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RevisitError(f'revisit value for "{key}" must be a number of days >= 0, not {value!r}')
        policy[age] = float(value)
    if 0 not in policy:
        policy[0] = 0.0  # younger than the first threshold: every crawl
    return dict(sorted(policy.items()))


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def interval_for(age_days: float, policy: Mapping[int, float]) -> float:
    """The recheck interval (days) for a document of this age."""
    interval = 0.0
    for threshold, every in sorted(policy.items()):
        if age_days >= threshold:
            interval = every
    return interval


def is_due(known: Mapping[str, Any], policy: Mapping[int, float], now: dt.datetime | None = None) -> bool:
    """Whether a known, not removed document should be rechecked in this crawl."""
    now = now or dt.datetime.now(dt.UTC)
    born = _parse_time(known.get("published")) or _parse_time(known.get("first_seen_at"))
    checked = _parse_time(known.get("last_checked_at")) or _parse_time(known.get("last_seen_at"))
    if born is None or checked is None:
        return True
    interval = interval_for((now - born).total_seconds() / 86400, policy)
    return interval <= 0 or (now - checked).total_seconds() >= interval * 86400 - 60


def must_verify(known: Mapping[str, Any], verify_every: int) -> bool:
    """Whether this revisit must be unconditional: the page answered 304 to its last verify_every - 1 revisits."""
    return int(known.get("revisits_unverified") or 0) + 1 >= max(1, verify_every)
