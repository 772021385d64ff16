"""The health of one crawl run of a source: `ok`, `degraded` or `failing`, with a one-line reason.

A watchdog that cannot see its sources must say so instead of reporting a quiet day. The verdict is decided here
only, from what the run's spider saw of its list pages (or feed, or watched pages) and from the source's history:

- failing: no list page or feed could be read, or the ones read yielded no releases (several start URLs: all of
  them failed); for the `page` spider, none of the watched pages could be read;
- degraded: the list was read, but some list pages or release pages failed, the crawl was stopped before it
  finished, or the list yielded fewer than half the median of the source's last successful runs (up to 5) —
  the sign of a redesign that the spider now reads wrongly;
- ok: the list was read and yielded releases as usual.

The `pportal` spider's list is the set of day files (`judge_day_files`): none for a week is degraded, for two
weeks failing; a crawl with no new file is usual.

"Successful" runs are finished runs that were not failing. Degraded runs count too: a list that really became
shorter (a site that now shows 10 releases instead of 20) is reported on three crawls, then becomes the usual.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import sqlite_utils

OK, DEGRADED, FAILING = "ok", "degraded", "failing"
VERDICTS = (OK, DEGRADED, FAILING)
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


@dataclass(frozen=True)
class Health:
    verdict: str
    reason: str


_WORDS = {  # spider -> (what the list yields, what "the list" is)
    "feed": ("entries in the feed", "feed"),
    "page": ("watched pages read", "page"),
}
_DEFAULT_WORDS = ("releases on the list", "page")


QUIET_DEGRADED, QUIET_FAILING = 7, 14  # pportal: days in a row without a day file


def judge_day_files(report: ListReport, status: str) -> Health:
    """The `pportal` spider's "list" is the set of day files: a crawl that finds no new file is usual (weekends,
    or today's file not out yet), but no file for any day in a week is said (degraded: the New Year holidays
    run to six days or more), and in two weeks it is failing (the address or the format changed?)."""
    quiet = report.quiet_days or 0
    files = f"{report.listed} day file(s) read"
    if report.listed <= 0 and report.page_failures and not quiet:
        return Health(FAILING, f"no day file could be read: {report.first_page_failure}")
    reasons = []
    if quiet >= QUIET_DEGRADED:
        reasons.append(f"no award file for any of the last {quiet} days: has the download address changed?")
    if report.page_failures:
        reasons.append(f"{report.page_failures} day file(s) failed: {report.first_page_failure}")
    if status != "done":
        reasons.append(f"the crawl stopped before it finished ({status})")
    if quiet >= QUIET_FAILING:
        return Health(FAILING, "; ".join(reasons))
    if reasons:
        return Health(DEGRADED, f"{files}; " + "; ".join(reasons) if report.listed else "; ".join(reasons))
    return Health(OK, files if report.listed else "no new day file yet")


def judge(report: ListReport, status: str, usual: float | None) -> Health:
    """The verdict for one run; `status` is the run's (done, stopped: …, interrupted), `usual` its history."""
    if report.spider == "pportal":
        return judge_day_files(report, status)
    listed_words, what = _WORDS.get(report.spider, _DEFAULT_WORDS)
    stopped = status != "done"
    failures = report.list_failures
    if report.listed <= 0:
        if stopped and not failures and not report.page_failures:
            return Health(DEGRADED, f"the crawl stopped ({status}) before the {what} was read")
        if failures:
            first = failures[0]
            reason = first if len(failures) == 1 else f"all {len(failures)} list pages failed; first: {first}"
        elif report.spider == "page":
            reason = (f"no watched page could be read: {report.first_page_failure}" if report.first_page_failure
                      else "no watched page could be read (gone?)")
        else:
            reason = f"no {listed_words}"
        return Health(FAILING, reason)
    reasons = []
    if usual is not None and report.listed * 2 < usual:
        reasons.append(f"{report.listed} {listed_words}, usually {round(usual)}: has the {what} changed?")
    if failures:
        reasons.append(f"{len(failures)} list page(s) failed: {failures[0]}")
    if report.page_failures:
        first = f": {report.first_page_failure}" if report.first_page_failure else ""
        reasons.append(f"{report.page_failures} page(s) failed{first}")
    if stopped:
        reasons.append(f"the crawl stopped before it finished ({status})")
    if reasons:
        return Health(DEGRADED, "; ".join(reasons))
    return Health(OK, f"{report.listed} {listed_words}")


def usual_listed(db: sqlite_utils.Database, source: str, before_run_id: int) -> float | None:
    """The median of `listed` over the source's last HISTORY successful runs before this one (None: no history)."""
    rows = db.execute(
        "select listed from runs where source = ? and id < ? and status = 'done' and health in (?, ?) "
        "and listed > 0 order by id desc limit ?",
        [source, before_run_id, OK, DEGRADED, HISTORY],
    ).fetchall()
    return statistics.median(row[0] for row in rows) if rows else None


def worse(a: str, b: str) -> str:
    """The worse of two verdicts."""
    return a if VERDICTS.index(a) >= VERDICTS.index(b) else b
