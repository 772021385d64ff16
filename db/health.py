"""The health of one crawl run of a source: `ok`, `degraded` or `failing`, with a one-line reason.

A watchdog that cannot see its sources must say so instead of reporting a quiet day. The verdict is decided here
only, from what the run's spider saw of its list pages (or feed, or watched pages) and from the source's history:

- failing: no list page or feed could be read, or the ones read yielded no releases (several start URLs: all of
  them failed); for the `page` spider, none of the watched pages could be read;
- degraded: the list was read, but some list pages or release pages failed, the crawl was stopped before it
  finished, or the list yielded fewer than half the median of the source's last successful runs (up to 5) —
  the sign of a redesign that the spider now reads wrongly;
- ok: the list was read and yielded releases as usual.

A reason is kept as parts (`Reason`: a message key and its parameters, e.g. {"key": "shrunk", "what": "list",
"listed": 2, "usual": 12}) and as the English sentence rendered from them (runs.health_reason, what users query).
The English templates live here (REASONS) and nowhere else; the digest's catalogues (ometsuke/i18n) hold the
other languages' under the same keys, prefixed `reason_`. A technical failure text (HTTP 404 (URL),
ConnectionRefusedError: …) is a parameter, shown as it is in every language.

The `pportal` spider's list is the set of day files (`judge_day_files`): none for a week is degraded, for two
weeks failing; a crawl with no new file is usual.

"Successful" runs are finished runs that were not failing. Degraded runs count too: a list that really became
shorter (a site that now shows 10 releases instead of 20) is reported on three crawls, then becomes the usual.
"""

from __future__ import annotations

import json
import re
import statistics
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

OK, DEGRADED, FAILING = "ok", "degraded", "failing"
HISTORY = 5  # successful runs whose median is "usual"


@dataclass(frozen=True)
class ListReport:
    """What a run's spider saw of its list pages: handed from the crawl to `Store.finish_run`.

    listed: releases the list pages or feed yielded (for the `page` spider: watched pages that answered).
    list_failures: reasons of the list pages or feeds that could not be read or showed no releases.
    page_failures: release (or watched) pages that could not be fetched or read; first_page_failure says why.
    """

    spider: str
    listed: int
    list_failures: tuple[str, ...] = ()
    page_failures: int = 0
    first_page_failure: str | None = None
    quiet_days: int | None = None  # pportal: days since its newest day file that the portal said had none
    missing_days: int | None = None  # pportal: days of its window with no answer yet (failed; asked again)
    oldest_missing: str | None = None  # pportal: the oldest of those (YYYY-MM-DD): the first to leave the window


Reason = dict[str, Any]  # {"key": …, parameter: value, …}; a value that is itself a Reason is rendered too

# The English wording of every reason, by key (and by `what` the list is: list, feed, page, when the key varies).
REASONS: dict[str, str] = {
    "stopped_early_list": "the crawl stopped ({status}) before the page was read",
    "stopped_early_feed": "the crawl stopped ({status}) before the feed was read",
    "stopped_early_page": "the crawl stopped ({status}) before the page was read",
    "lists_failed": "all {count} list pages failed; first: {first}",
    "no_page_read": "no watched page could be read: {failure}",
    "no_page_read_gone": "no watched page could be read (gone?)",
    "none_listed_list": "no releases on the list",
    "none_listed_feed": "no entries in the feed",
    "none_listed_page": "no watched pages read",
    "shrunk_list": "{listed} releases on the list, usually {usual}: has the page changed?",
    "shrunk_feed": "{listed} entries in the feed, usually {usual}: has the feed changed?",
    "shrunk_page": "{listed} watched pages read, usually {usual}: has the page changed?",
    "some_lists_failed": "{count} list page(s) failed: {first}",
    "pages_failed": "{count} page(s) failed: {failure}",
    "pages_failed_unknown": "{count} page(s) failed",
    "stopped_late": "the crawl stopped before it finished ({status})",
    "listed_list": "{listed} releases on the list",
    "listed_feed": "{listed} entries in the feed",
    "listed_page": "{listed} watched pages read",
    "interrupted": "the crawl was interrupted before this source finished",
    # what one list page or feed said: the spiders' words (scrapers/spiders), read back by `failure_reason`
    "list_page_failed": "list page failed: {detail}",
    "page_failed": "page failed: {detail}",
    "no_releases_selector": 'no releases found on {url} (selector "{selector}")',
    "no_releases_detected": "no releases found on {url} (detection)",
    "no_releases": "no releases found on {url}",
    "no_feed_entries": "no entries found in feed {url}",
    "not_html": "list page is not HTML ({url})",
    "not_a_feed": "not a feed at {url}: {detail}",
    "bad_feed": "not a well-formed feed at {url}: {detail}",
    "failure": "{text}",
    # pportal: its list is the set of day files (judge_day_files)
    "day_files_read": "{listed} day file(s) read",
    "no_new_day_file": "no new day file yet",
    "no_day_file_read": "no day file could be read: {failure}",
    "quiet_days": "no award file for any of the last {days} days: has the download address changed?",
    "day_files_failed": "{count} day file(s) failed: {failure}",
    "days_missing": "{count} day(s) of the window still missing, the oldest {oldest} (asked again next crawl)",
}
SEPARATOR = "; "
INTERRUPTED: Reason = {"key": "interrupted"}

_FAILURE_KEYS = ("list_page_failed", "page_failed", "no_releases_selector", "no_releases_detected", "no_releases",
                 "no_feed_entries", "not_html", "not_a_feed", "bad_feed")  # the most specific first


def _pattern(template: str) -> re.Pattern[str]:
    """The template read backwards: its words as they are, {url} a URL (no spaces), any other field any text."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name:
            out.append(rf"(?P<{name}>\S+)" if name == "url" else rf"(?P<{name}>.+?)")
    return re.compile("".join(out), re.S)


_FAILURES = [(key, _pattern(REASONS[key])) for key in _FAILURE_KEYS]


@dataclass(frozen=True)
class Health:
    verdict: str
    reason: str  # in English, rendered from `parts`
    parts: tuple[Reason, ...] = field(default=(), compare=False)

    def detail(self) -> str:
        """The parts as JSON, for runs.health_detail."""
        return json.dumps(list(self.parts), ensure_ascii=False)


def failure_reason(text: str) -> Reason:
    """A list page's or feed's failure as the spiders word it (REASONS' failure templates), as parts; its
    technical detail and URL stay as they are. Words no template knows are kept whole ("failure")."""
    for key, pattern in _FAILURES:
        if match := pattern.fullmatch(text):
            return {"key": key, **match.groupdict()}
    return {"key": "failure", "text": text}


def template_key(part: Reason) -> str:
    """The key of a part's template: its key, with what the list is when that changes the wording."""
    return f"{part['key']}_{part['what']}" if "what" in part else part["key"]


def render_reason(
    parts: Sequence[Reason], templates: Mapping[str, str] = REASONS, separator: str = SEPARATOR, prefix: str = "",
) -> str:
    """The sentence the parts say, in the language of `templates` (keys `prefix` + template_key); KeyError when
    a template is missing (the caller falls back to the stored English)."""

    def one(part: Reason) -> str:
        values = {name: one(value) if isinstance(value, dict) else value
                  for name, value in part.items() if name not in ("key", "what")}
        return templates[prefix + template_key(part)].format(**values)

    return separator.join(one(part) for part in parts)


def _health(verdict: str, *parts: Reason) -> Health:
    return Health(verdict, render_reason(parts), parts)


_WHAT = {"feed": "feed", "page": "page"}  # spider -> what its list is (any other spider: a list page)


QUIET_DEGRADED, QUIET_FAILING = 7, 14  # pportal: days in a row without a day file


def judge_day_files(report: ListReport, status: str) -> Health:
    """The `pportal` spider's "list" is the set of day files: a crawl that finds no new file is usual (weekends,
    or today's file not out yet), but no file for any day in a week is said (degraded: the New Year holidays
    run to six days or more), and in two weeks it is failing (the address or the format changed?)."""
    quiet = report.quiet_days or 0
    failure = failure_reason(report.first_page_failure or "")
    missing: list[Reason] = ([{"key": "days_missing", "count": report.missing_days, "oldest": report.oldest_missing}]
                             if report.missing_days else [])
    if report.listed <= 0 and report.page_failures and not quiet:
        return _health(FAILING, {"key": "no_day_file_read", "failure": failure}, *missing)
    reasons: list[Reason] = []
    if quiet >= QUIET_DEGRADED:
        reasons.append({"key": "quiet_days", "days": quiet})
    if report.page_failures:
        reasons.append({"key": "day_files_failed", "count": report.page_failures, "failure": failure})
    reasons.extend(missing)
    if status != "done":
        reasons.append({"key": "stopped_late", "status": status})
    read: Reason = {"key": "day_files_read", "listed": report.listed}
    if quiet >= QUIET_FAILING:
        return _health(FAILING, *reasons)
    if reasons:
        return _health(DEGRADED, *([read] if report.listed else []), *reasons)
    return _health(OK, read if report.listed else {"key": "no_new_day_file"})


def judge(report: ListReport, status: str, usual: float | None) -> Health:
    """The verdict for one run; `status` is the run's (done, stopped: …, interrupted), `usual` its history."""
    if report.spider == "pportal":
        return judge_day_files(report, status)
    what = _WHAT.get(report.spider, "list")
    stopped = status != "done"
    failures = [failure_reason(text) for text in report.list_failures]
    if report.listed <= 0:
        if stopped and not failures and not report.page_failures:
            return _health(DEGRADED, {"key": "stopped_early", "what": what, "status": status})
        if failures:
            first = failures[0]
            return _health(FAILING, first if len(failures) == 1 else
                           {"key": "lists_failed", "count": len(failures), "first": first})
        if report.spider == "page":
            return _health(FAILING, {"key": "no_page_read", "failure": failure_reason(report.first_page_failure)}
                           if report.first_page_failure else {"key": "no_page_read_gone"})
        return _health(FAILING, {"key": "none_listed", "what": what})
    reasons: list[Reason] = []
    if usual is not None and report.listed * 2 < usual:
        reasons.append({"key": "shrunk", "what": what, "listed": report.listed, "usual": round(usual)})
    if failures:
        reasons.append({"key": "some_lists_failed", "count": len(failures), "first": failures[0]})
    if report.page_failures:
        reasons.append({"key": "pages_failed", "count": report.page_failures,
                        "failure": failure_reason(report.first_page_failure)}
                       if report.first_page_failure else {"key": "pages_failed_unknown", "count": report.page_failures})
    if stopped:
        reasons.append({"key": "stopped_late", "status": status})
    if reasons:
        return _health(DEGRADED, *reasons)
    return _health(OK, {"key": "listed", "what": what, "listed": report.listed})


def usual_listed(db: sqlite_utils.Database, source: str, before_run_id: int) -> float | None:
    """The median of `listed` over the source's last HISTORY successful runs before this one (None: no history)."""
    rows = db.execute(
        "select listed from runs where source = ? and id < ? and status = 'done' and health in (?, ?) "
        "and listed > 0 order by id desc limit ?",
        [source, before_run_id, OK, DEGRADED, HISTORY],
    ).fetchall()
    return statistics.median(row[0] for row in rows) if rows else None
