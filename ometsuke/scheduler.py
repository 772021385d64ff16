"""Running crawls and digests on the configured schedule (the `schedule` library), safely unattended.

- A lock file beside the database (flock, released by the kernel if the process dies) keeps two schedulers
  from sharing one database.
- A failed crawl is logged and simply tried again at the next interval; it never ends the loop.
- SIGTERM/SIGINT only set a flag: the current step (a crawl, a digest) finishes, then the loop exits. A Ctrl-C at
  a terminal also reaches the crawl child (one process group), which then stops early and marks its runs
  interrupted; SIGTERM sent to the scheduler alone lets the crawl finish.
- No digest after a stop request or of a half crawl: a crawl that was interrupted (whoever signalled its child)
  stops the scheduler before any digest, and ScheduleInterrupted says what was cut short (exit 130). A stop that
  cut nothing short (SIGTERM while idle, or a crawl that finished) ends `run_forever` normally; `run_once`, whose
  digest is then not made, raises ScheduleInterrupted too.
- The digest covers the 24 hours before it is made, so nothing falls between two days' digests; it goes to
  [mail] and to every [[notify]] channel with "digest" in `on` (ometsuke.notify.notify), and a failed send is
  retried with the next digest (chat channels: after the next crawl too).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule

from db import open_database
from db.clock import JST
from ometsuke.config import Config, user_agent_warning
from ometsuke.crawl import CrawlInterrupted
from ometsuke.digest import build_digest, render
from ometsuke.locks import hold, lock_path
from ometsuke.notify import DigestMade, notify

log = logging.getLogger(__name__)

CrawlFunction = Callable[[Config], list[dict[str, Any]]]


class SchedulerError(Exception):
    """The scheduler cannot start (another one holds the lock, bad time zone); the message says why."""


class ScheduleInterrupted(Exception):
    """The scheduler stopped with something cut short (a crawl, or --once's digest); the message says what."""


@contextlib.contextmanager
def schedule_lock(database_path: Path) -> Iterator[Path]:
    """Hold the scheduler lock of this database, or raise LockHeld naming the holder's pid."""
    with hold(lock_path(database_path, "schedule"), f"another ometsuke schedule is using {database_path}") as path:
        yield path


def _default_crawl(config: Config) -> list[dict[str, Any]]:
    from ometsuke.crawl import run_crawl

    return run_crawl(config, quiet=True)


def health_line(runs: list[dict[str, Any]]) -> str:
    """Each source's health, the reason beside those that are not ok: "press ok, city failing (HTTP 503 …)"."""
    parts = []
    for run in runs:
        health = run.get("health") or "unknown"
        reason = f" ({run.get('health_reason')})" if health != "ok" and run.get("health_reason") else ""
        parts.append(f"{run['source']} {health}{reason}")
    return ", ".join(parts) or "no runs"


class Scheduler:
    """One database's crawls and digests. `crawl` is injectable so the loop can be driven without Scrapy."""

    def __init__(
        self,
        config: Config,
        *,
        crawl: CrawlFunction = _default_crawl,
        digest_format: str = "md",
        digest_out: Path | None = None,
        on_digest: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.crawl = crawl
        self.digest_format = digest_format
        self.digest_out = digest_out
        self.on_digest = on_digest
        self.stop = threading.Event()
        self.stopped_by: str | None = None  # the signal that set `stop`
        self.interrupted: CrawlInterrupted | None = None  # the last crawl, if it was interrupted
        try:
            self.zone = ZoneInfo(config.schedule.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SchedulerError(f"[schedule] timezone {config.schedule.timezone!r} is not a known time zone") from None
        self.every = config.schedule.crawl_every_seconds
        self.state_path = config.database_path.with_name(config.database_path.name + ".schedule.json")

    # -- steps ------------------------------------------------------------------------------------------

    def crawl_step(self) -> bool:
        """One crawl of every source; False (logged) if it failed: the next interval tries again."""
        if self.stop.is_set():
            return False
        log.info("crawl starting")
        warning = user_agent_warning(self.config)
        if warning:
            log.warning("%s", warning)
        try:
            runs = self.crawl(self.config)
        except CrawlInterrupted as interrupted:  # Ctrl-C (or SIGTERM) reached the crawl: stop, no digest after it
            self.interrupted = interrupted
            self.stop.set()
            log.warning("%s (%d run(s)); stopping without a digest", interrupted, len(interrupted.runs))
            return False
        except Exception as error:  # noqa: BLE001 (any failure of one crawl must not end the loop)
            log.error("crawl failed, will retry in %s: %s", self.config.schedule.crawl_every, error)
            return False
        counts = {key: sum(int(run.get(key) or 0) for run in runs) for key in ("new", "changed", "removed", "errors")}
        failing = any(run.get("health") == "failing" for run in runs)
        log.log(logging.WARNING if failing else logging.INFO, "crawl done: %d run(s), %s; health: %s", len(runs),
                ", ".join(f"{v} {k}" for k, v in counts.items()), health_line(runs))
        return True  # run_crawl has indexed the new versions for search

    def digest_step(self, now: dt.datetime | None = None) -> str | None:
        """The digest of the 24 hours before now: written/handed on, and mailed if [mail] is set."""
        now = now or dt.datetime.now(dt.UTC)
        since = (now - dt.timedelta(days=1)).astimezone(JST).isoformat(timespec="seconds")
        db = open_database(self.config.database_path)
        try:
            from ometsuke.registry import current_keys

            current_keys(db, say=log.info, warn=log.warning)  # the digest matches awards to watched vendors by key
            digest = build_digest(db, since=since, configured=[source.name for source in self.config.sources],
                                  language=self.config.digest.language)
            text = render(digest, self.digest_format)
            if self.digest_out is not None:
                self.digest_out.write_text(text, encoding="utf-8")
            if self.on_digest is not None:
                self.on_digest(text)
            report = notify(self.config, DigestMade(digest), db=db)  # [mail] and [[notify]] "digest" channels
            for channel in report.channels:
                if channel.error:
                    log.error("digest not sent to %s: %s", channel.channel, channel.error)
            if report.channels:
                log.info("digest: %s", report.summary())
        finally:
            db.close()
        self._remember_digest(now)
        log.info("digest made (%s)", digest.title)
        return text

    # -- the daily digest time --------------------------------------------------------------------------

    def _remember_digest(self, now: dt.datetime) -> None:
        day = now.astimezone(self.zone).date().isoformat()
        self.state_path.write_text(json.dumps({"last_digest_day": day}), encoding="utf-8")

    def _last_digest_day(self) -> str | None:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8")).get("last_digest_day")
        except (OSError, ValueError):
            return None

    def digest_due(self, now: dt.datetime | None = None) -> bool:
        """True once a day, at or after digest_at in the schedule's time zone (survives restarts)."""
        local = (now or dt.datetime.now(dt.UTC)).astimezone(self.zone)
        hour, minute = (int(part) for part in self.config.schedule.digest_at.split(":"))
        if (local.hour, local.minute) < (hour, minute):
            return False
        return self._last_digest_day() != local.date().isoformat()

    def _digest_if_due(self) -> None:
        if not self.stop.is_set() and self.digest_due():
            try:
                self.digest_step()
            except Exception as error:  # noqa: BLE001 (a broken digest is logged; the loop goes on)
                log.error("digest failed, will retry in a minute: %s", error)

    # -- running ----------------------------------------------------------------------------------------

    def run_once(self) -> str | None:
        """One crawl and one digest (for cron or a systemd timer); ScheduleInterrupted instead of the digest when
        the crawl was interrupted or a stop was asked for (the digest would show a half crawl, or come unasked)."""
        began = not self.stop.is_set()
        self.crawl_step()
        if self.stop.is_set():
            raise ScheduleInterrupted(self._no_digest(began))
        return self.digest_step()

    def _no_digest(self, began: bool) -> str:
        """Why run_once made no digest, in one line."""
        if self.interrupted is not None and not self.interrupted.finished:
            return ("no digest was made because the crawl was interrupted (the pages stored so far are kept, "
                    "its runs are marked interrupted)")
        signal_name = self.stopped_by or "a stop request"
        if not began:
            return f"{signal_name} received before the crawl began: no crawl, no digest was made"
        return f"{signal_name} received during the crawl, which finished (everything was stored); no digest was made"

    def run_forever(self) -> None:
        """Crawl now and every crawl_every, digest daily at digest_at, until stop is set (SIGTERM); then
        ScheduleInterrupted if the last crawl was cut short."""
        jobs = schedule.Scheduler()
        jobs.every(self.every).seconds.do(self.crawl_step)
        jobs.every(1).minutes.do(self._digest_if_due)
        log.info("scheduler running: crawl every %s, digest at %s (%s)", self.config.schedule.crawl_every,
                 self.config.schedule.digest_at, self.config.schedule.timezone)
        self.crawl_step()
        self._digest_if_due()
        while not self.stop.is_set():
            jobs.run_pending()
            idle = jobs.idle_seconds
            self.stop.wait(max(0.2, min(idle if idle is not None else 1.0, 5.0)))
        log.info("scheduler stopped")
        if self.interrupted is not None and not self.interrupted.finished:
            raise ScheduleInterrupted("the crawl was interrupted (the pages stored so far are kept, its runs are "
                                      "marked interrupted); the scheduler stopped without a digest")

    @contextlib.contextmanager
    def signals_stop(self) -> Iterator[None]:
        """While inside: SIGTERM and SIGINT finish the current step, then stop the loop (old handlers restored)."""

        def handle(signum: int, _frame: Any) -> None:
            self.stopped_by = signal.Signals(signum).name
            log.info("%s received: finishing the current step, then stopping", self.stopped_by)
            self.stop.set()

        previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
