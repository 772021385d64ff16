"""Item pipelines: validate → tag → store. Each does one job and hands the work to `nlp` and `db`.

Failures are never silent: an item that cannot be used becomes an `error` item (counted in the run and listed in
`fetch_errors`) rather than being dropped, and every drop is logged with its reason.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from db import PageTags, PageVersion, Store, open_database
from nlp import Tagger
from ometsuke.config import load_config
from scrapers.items import PageItem

log = logging.getLogger(__name__)
progress = logging.getLogger("ometsuke.progress")

ATTACHMENT_HEADING = "【添付】"


def assemble_body(item: PageItem) -> str:
    """The text that is stored, tagged and searched: the main text, then each attachment's extracted text.

    Putting attachment text into the body keeps one offset space for every mention and amount.
    """
    parts = [item.body.strip()]
    for attachment in item.attachments:
        if attachment.text.strip():
            parts.append(f"{ATTACHMENT_HEADING}{attachment.title or attachment.url}\n{attachment.text.strip()}")
    return "\n\n".join(part for part in parts if part)


class ValidatePipeline:
    """Checks the spider's item and turns an unusable `ok` page into an `error` with the reason."""

    def process_item(self, item: Any, spider: Any = None) -> PageItem:
        if not isinstance(item, PageItem):
            raise DropItem(f"not a PageItem: {type(item).__name__}")
        if not item.url.startswith(("http://", "https://")):
            raise DropItem(f"item without an http(s) URL: {item.url!r}")
        if item.status == "ok":
            item.title = " ".join(item.title.split())
            item.body = assemble_body(item)
            if not item.body and not item.title:
                item.status = "error"
                item.error = "page has no title and no text (empty or unreadable page)"
        if item.status == "error" and not item.error:
            item.error = "unknown error"
        return item


class TagPipeline:
    """Tags each page's body with the watch list (one Tagger, and so one Sudachi dictionary, per process).

    Big crawls tag in a worker process (`OMETSUKE_TAG_WORKERS`, default 1 on machines with two or more cores):
    tagging costs about as much CPU as extraction, so Scrapy's process keeps downloading and extracting on one
    core while the worker tags on the other. The worker starts only once a crawl has had `WORKER_AFTER` pages to
    tag (a routine recrawl of a few new pages, a test or the demo never pays for starting it), and pages are
    tagged here until it is ready. One pool per process and config, shared by every source's spider. The worker
    is an optimisation only: if it dies, pages are tagged here again.
    """

    WORKER_AFTER = 20

    _taggers: dict[str, Tagger] = {}
    _pools: dict[str, tuple[ProcessPoolExecutor, Future]] = {}
    _users: dict[str, int] = {}
    _tagged: dict[str, int] = {}
    _failed: set[str] = set()  # configs whose worker failed: tagged in process for the rest of the crawl

    def __init__(self, config_path: str, workers: int = 0) -> None:
        self.config_path = config_path
        self.workers = workers
        self._opened = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TagPipeline:
        config_path = crawler.settings.get("OMETSUKE_CONFIG")
        if not config_path:
            raise NotConfigured("OMETSUKE_CONFIG is not set")
        workers = crawler.settings.getint("OMETSUKE_TAG_WORKERS", 0)
        if (os.cpu_count() or 1) < 2 or "asyncio" not in (crawler.settings.get("TWISTED_REACTOR") or ""):
            workers = 0  # one core: a worker only adds copying; no asyncio loop: nothing to await it with
        return cls(config_path, workers)

    @property
    def tagger(self) -> Tagger:
        if self.config_path not in self._taggers:
            self._taggers[self.config_path] = Tagger(load_config(self.config_path).watch)
        return self._taggers[self.config_path]

    def open_spider(self, spider: Any = None) -> None:
        if self.workers > 0 and not self._opened:
            self._opened = True
            self._users[self.config_path] = self._users.get(self.config_path, 0) + 1

    def close_spider(self, spider: Any = None) -> None:
        if not self._opened:
            return
        self._opened = False
        key = self.config_path
        self._users[key] -= 1
        if self._users[key] <= 0:
            self._tagged.pop(key, None)
            if key in self._pools:
                self._pools.pop(key)[0].shutdown(wait=True)

    def _ready_pool(self) -> ProcessPoolExecutor | None:
        """The worker pool once it has started and loaded its tagger; starts it when the crawl proves big."""
        key = self.config_path
        if not self._opened or key in self._failed:
            return None
        if key not in self._pools:
            self._tagged[key] = self._tagged.get(key, 0) + 1
            if self._tagged[key] < self.WORKER_AFTER:
                return None
            pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(key,),
            )
            self._pools[key] = (pool, pool.submit(_tag_in_worker, ""))
        pool, warm_up = self._pools[key]
        if not warm_up.done():
            return None
        if warm_up.exception() is not None:
            log.warning("the tagging worker failed to start (%s); tagging in the crawl process", warm_up.exception())
            self._failed.add(key)
            self._pools.pop(key)[0].shutdown(wait=False)
            return None
        return pool

    def process_item(self, item: PageItem, spider: Any = None) -> Any:
        if item.status != "ok" or not item.body:
            return item
        pool = self._ready_pool()
        if pool is None:
            item.tags = self.tagger.tag(item.body).to_dict()
            return item
        return self._tag_elsewhere(pool, item)

    async def _tag_elsewhere(self, pool: ProcessPoolExecutor, item: PageItem) -> PageItem:
        try:
            item.tags = await asyncio.wrap_future(pool.submit(_tag_in_worker, item.body))
        except BrokenProcessPool:
            log.warning("the tagging worker died; tagging in the crawl process from now on")
            self._failed.add(self.config_path)
            self._pools.pop(self.config_path, None)
            item.tags = self.tagger.tag(item.body).to_dict()
        return item


_worker_tagger: Tagger | None = None


def _init_worker(config_path: str) -> None:
    """In the tagging worker: build the config's Tagger once."""
    global _worker_tagger
    _worker_tagger = Tagger(load_config(config_path).watch)


def _tag_in_worker(body: str) -> dict[str, Any]:
    assert _worker_tagger is not None
    return _worker_tagger.tag(body).to_dict() if body else {}


class StorePipeline:
    """Writes each page to the database in its own transaction and keeps the run's counters."""

    def __init__(self, crawler: Crawler, database_path: str) -> None:
        self.crawler = crawler
        self.database_path = database_path
        self.store: Store | None = None
        self.run_id: int | None = None
        self.source = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        database_path = crawler.settings.get("OMETSUKE_DATABASE")
        if not database_path:
            raise NotConfigured("OMETSUKE_DATABASE is not set")
        pipeline = cls(crawler, database_path)
        # The run is finished on spider_closed, the only place that knows why the crawl ended.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        self.source = spider.source["name"]
        self.store = Store(open_database(self.database_path))
        self.run_id = getattr(spider, "run_id", None) or self.store.start_run(self.source)
        spider.run_id = self.run_id

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        status = "done" if reason == "finished" else f"stopped: {reason}"
        self.store.finish_run(self.run_id, status)
        self.store.db.close()

    def process_item(self, item: PageItem, spider: Any = None) -> PageItem:
        assert self.store is not None and self.run_id is not None
        stats = self.crawler.stats
        try:
            kind = self._record(item)
        except Exception as error:  # noqa: BLE001 - a page the database refused is a counted error, not a log line
            # The page's own transaction was rolled back whole; the next crawl fetches it again.
            reason = f"could not store the page: {type(error).__name__}: {error}"[:300]
            log.debug("storing %s failed", item.url, exc_info=True)
            self.store.record_error(self.run_id, item.url, reason, item.http_status)
            kind = "error"
            progress.warning("[%s] error   %s  %s", self.source, item.url, reason)
        if stats:
            stats.inc_value(f"ometsuke/{kind}")
        return item

    def _record(self, item: PageItem) -> str:
        """Store one item in its own transaction; return what it was (new, changed, …, error)."""
        assert self.store is not None and self.run_id is not None
        if item.status == "ok":
            tags = item.tags or {}
            page = PageVersion(
                url=item.url, title=item.title, body=item.body, published=item.published, etag=item.etag,
                last_modified=item.last_modified, attachments=[asdict(a) for a in item.attachments],
            )
            kind = self.store.record_page(
                self.run_id, self.source, page,
                PageTags(tags.get("mentions", ()), tags.get("amounts", ()), tags.get("organizations", ())),
            )
            if kind != "unchanged":
                names = sorted({m["entity"] for m in tags.get("mentions", ())})
                progress.info("[%s] %-7s %s  %s%s", self.source, kind, item.url, item.title[:40],
                              f"  ({', '.join(names)})" if names else "")
        elif item.status == "not_modified":
            self.store.record_not_modified(self.run_id, item.url)
            kind = "not_modified"
        elif item.status == "gone":
            kind = "removed" if self.store.record_gone(self.run_id, item.url) else "gone_again"
            if kind == "removed":
                progress.info("[%s] removed %s", self.source, item.url)
        else:
            self.store.record_error(self.run_id, item.url, item.error, item.http_status)
            kind = "error"
            progress.warning("[%s] error   %s  %s", self.source, item.url, item.error)
        return kind
