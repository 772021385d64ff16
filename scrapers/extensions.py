"""Scrapy extensions of ometsuke: a readable progress line for long crawls.

Scrapy's own LogStats says "Crawled 120 pages (at 30 pages/min), scraped 118 items (at 29 items/min)" once a
minute for each spider; a crawl of eight sources then prints eight such lines a minute, none of which says how
much is left or whether pages fail. `CrawlProgress` prints one line for the whole crawl process every
OMETSUKE_PROGRESS_INTERVAL seconds (default 10, 0 turns it off) on the `ometsuke.progress` logger:

    … 40s: 120 pages fetched, 35 queued, 2 errors, 4.1 pages/s; 3 of 8 sources running

Every source is its own Scrapy crawler in one process, so the extension instances share one board that sums them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

progress = logging.getLogger("ometsuke.progress")


def crawler_counts(crawler: Crawler) -> tuple[int, int, int]:
    """(pages fetched, requests queued or in flight, error items) of one crawler, from its stats."""
    stats = crawler.stats
    if stats is None:
        return 0, 0, 0
    fetched = int(stats.get_value("response_received_count", 0))
    waiting = int(stats.get_value("scheduler/enqueued", 0)) - int(stats.get_value("scheduler/dequeued", 0))
    engine = getattr(crawler, "engine", None)
    downloader = getattr(engine, "downloader", None)
    in_flight = len(getattr(downloader, "active", ()) or ())
    errors = int(stats.get_value("ometsuke/error", 0))
    return fetched, max(waiting, 0) + in_flight, errors


def format_elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class ProgressBoard:
    """The crawlers of this process and the counts of those already finished; one ticker for all of them."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.running: list[Crawler] = []
        self.finished = [0, 0]  # pages fetched, errors of closed crawlers
        self.sources = 0
        self.started = time.monotonic()
        self.last = (self.started, 0)  # (when, pages fetched) at the previous line
        self.task: Any = None

    def add(self, crawler: Crawler) -> None:
        self.running.append(crawler)
        self.sources += 1
        if self.task is None:
            self.task = create_looping_call(self.tick)
            self.task.start(self.interval, now=False)

    def remove(self, crawler: Crawler) -> None:
        if crawler in self.running:
            fetched, _queued, errors = crawler_counts(crawler)
            self.finished[0] += fetched
            self.finished[1] += errors
            self.running.remove(crawler)
        if not self.running and self.task is not None:
            if self.task.running:
                self.task.stop()
            self.task = None

    def line(self, now: float) -> str:
        counts = [crawler_counts(crawler) for crawler in self.running]
        fetched = self.finished[0] + sum(c[0] for c in counts)
        queued = sum(c[1] for c in counts)
        errors = self.finished[1] + sum(c[2] for c in counts)
        since, before = self.last
        rate = (fetched - before) / (now - since) if now > since else 0.0
        self.last = (now, fetched)
        return (f"… {format_elapsed(now - self.started)}: {fetched} pages fetched, {queued} queued, "
                f"{errors} error{'s' if errors != 1 else ''}, {rate:.1f} pages/s; "
                f"{len(self.running)} of {self.sources} sources running")

    def tick(self) -> None:
        progress.info("%s", self.line(time.monotonic()))


class CrawlProgress:
    """Joins each crawler to the process's progress board while its spider runs."""

    board: ProgressBoard | None = None  # one per process: every source's crawler shares it

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        interval = crawler.settings.getfloat("OMETSUKE_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("progress lines are off (OMETSUKE_PROGRESS_INTERVAL = 0)")
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any = None) -> None:
        if CrawlProgress.board is None or not CrawlProgress.board.running:
            CrawlProgress.board = ProgressBoard(self.interval)
        CrawlProgress.board.add(self.crawler)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if CrawlProgress.board is not None:
            CrawlProgress.board.remove(self.crawler)
