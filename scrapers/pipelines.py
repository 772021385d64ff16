"""Item pipelines: validate → tag → store. Each does one job and hands the work to `nlp` and `db`.

Failures are never silent: an item that cannot be used becomes an `error` item (counted in the run and listed in
`fetch_errors`) rather than being dropped, and every drop is logged with its reason.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from db import PageTags, PageVersion, Store, open_database
from db.award_sources import AwardFile, record_award_file, record_local_awards
from db.health import ListReport
from db.opendata import OpenDataError
from db.registry import RegistryLookup
from nlp import Tagger
from nlp.company_names import name_key
from nlp.sentences import Sentences
from nlp.watchlist import WatchEntry
from scrapers.items import AwardFileItem, PageItem, reason_beside_url

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

    def process_item(self, item: Any, spider: Any = None) -> PageItem | AwardFileItem:
        if isinstance(item, AwardFileItem):
            return item  # bytes for the store; their rows are checked by the import
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

    In the crawl process on purpose: a tagging worker process was measured (bench/run.py, 1,000 pages, 2 cores)
    and lost, because tagging (about 1 ms a page) costs less than the worker's start-up and hand-over.
    """

    _taggers: dict[tuple[tuple[WatchEntry, ...], str | None], Tagger] = {}

    def __init__(self, watch_list: tuple[WatchEntry, ...], database_path: str | None = None) -> None:
        self.watch_list = watch_list
        self.database_path = database_path  # its registry resolves organisations to corporate numbers
        self._tagger: Tagger | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TagPipeline:
        # The same list the crawl syncs to `entities` ([[watch]] plus watch.csv), handed over by the crawl process.
        watch_list = crawler.settings.get("OMETSUKE_WATCH_LIST")
        if watch_list is None:
            raise NotConfigured("OMETSUKE_WATCH_LIST is not set")
        return cls(tuple(watch_list), crawler.settings.get("OMETSUKE_DATABASE"))

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:  # looked up once per pipeline: hashing 1,000 watch entries per page cost ~0.5 ms
            key = (self.watch_list, self.database_path)
            if key not in self._taggers:  # one Tagger for all the sources crawled in this process
                lookup = RegistryLookup(self.database_path, name_key) if self.database_path else None
                self._taggers[key] = Tagger(list(self.watch_list), lookup)
            self._tagger = self._taggers[key]
        return self._tagger

    def process_item(self, item: PageItem | AwardFileItem, spider: Any = None) -> PageItem | AwardFileItem:
        if isinstance(item, PageItem) and item.status == "ok" and item.body:
            try:
                item.tags = with_amount_context(self.tagger.tag(item.body).to_dict(), item.body)
            except Exception as error:  # noqa: BLE001 - a tagger bug must not cost the page itself
                log.exception("tagging failed for %s", item.url)
                item.tag_error = f"tagging failed: {type(error).__name__}: {error}"[:300]
        return item


def with_amount_context(tags: dict[str, Any], body: str) -> dict[str, Any]:
    """Give each amount its sentence, as mentions have, for `amounts.context` (a reader sees what was paid for)."""
    sentences = Sentences(body)
    for amount in tags.get("amounts", ()):
        start, end = sentences.around(amount["start"], amount["end"])
        amount["context"] = body[start:end]
    return tags


class StorePipeline:
    """Writes each page to the database in its own transaction and keeps the run's counters.

    The run it writes to is the spider's `run_id`, opened by the crawl process; the pipeline finishes it on
    spider_closed (the only place that knows why the crawl ended)."""

    def __init__(self, crawler: Crawler, database_path: str) -> None:
        self.crawler = crawler
        self.database_path = database_path
        self.store: Store | None = None
        self.run_id: int | None = None
        self.source = ""
        # What the run's health is judged on (with the spiders' ometsuke/releases_listed count): see db.health.
        self.list_failures: list[str] = []
        self.page_failures = 0
        self.first_page_failure: str | None = None

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
        # The crawl process opens every run (ometsuke.crawl_process): there is no second way for a run to begin.
        self.run_id = getattr(spider, "run_id", None)
        if self.run_id is None:
            raise ValueError(f"{self.source}: the spider has no run_id; runs are opened by ometsuke.crawl_process")
        self.store = Store(open_database(self.database_path))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        # "shutdown" is Scrapy's reason when Ctrl-C (SIGINT) or SIGTERM stopped the crawl.
        status = {"finished": "done", "shutdown": "interrupted"}.get(reason, f"stopped: {reason}")
        report = getattr(spider, "listing_report", None)
        if reason == "finished" and report is not None:
            # Only a crawl that got through its rechecks: a cut-short one leaves the lists to be compared again.
            self.store.record_listing(self.run_id, *report())
        stats = self.crawler.stats
        lists = ListReport(
            spider=getattr(spider, "name", ""),
            listed=int((stats.get_value("ometsuke/releases_listed") if stats else 0) or 0),
            list_failures=tuple(self.list_failures), page_failures=self.page_failures,
            first_page_failure=self.first_page_failure,
            quiet_days=stats.get_value("ometsuke/award_days_quiet") if stats else None,
            missing_days=stats.get_value("ometsuke/award_days_missing") if stats else None,
            oldest_missing=stats.get_value("ometsuke/award_day_oldest_missing") if stats else None,
        )
        self.store.finish_run(self.run_id, status, lists)  # the crawl's summary shows the verdict
        self.store.db.close()

    def process_item(self, item: PageItem | AwardFileItem, spider: Any = None) -> PageItem | AwardFileItem:
        assert self.store is not None and self.run_id is not None
        stats = self.crawler.stats
        try:
            kind = self._record_award_file(item) if isinstance(item, AwardFileItem) else self._record(item)
        except Exception as error:  # noqa: BLE001 - a page the database refused is a counted error, not a log line
            # The page's own transaction was rolled back whole; the next crawl fetches it again.
            reason = f"could not store the page: {type(error).__name__}: {error}"[:300]
            log.debug("storing %s failed", item.url, exc_info=True)
            self.store.record_error(self.run_id, item.url, reason, item.http_status)
            kind = "error"
            progress.warning("[%s] error   %s  %s", self.source, item.url, reason_beside_url(reason, item.url))
            self._count_failure(item, reason)
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
                bureau=item.extra.get("bureau"), contact=item.extra.get("contact"),
            )
            kind = self.store.record_page(
                self.run_id, self.source, page,
                PageTags(tags.get("mentions", ()), tags.get("amounts", ()), tags.get("organizations", ())),
            )
            if item.tag_error:  # stored untagged, and said: a page is never lost to a tagger bug
                self.store.record_error(self.run_id, item.url, item.tag_error, item.http_status)
            if item.awards and kind != "unchanged":
                self._record_local_awards(item)
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
            progress.warning("[%s] error   %s  %s", self.source, item.url, reason_beside_url(item.error, item.url))
            self._count_failure(item, item.error)
        return kind

    def _record_award_file(self, item: AwardFileItem) -> str:
        """A p-portal day file: imported into `awards` (fetched), remembered (missing), or a counted error."""
        assert self.store is not None and self.run_id is not None
        if item.status == "error":
            self.store.record_error(self.run_id, item.url, item.error, item.http_status)
            progress.warning("[%s] error   %s  %s", self.source, item.file_name,
                             reason_beside_url(item.error, item.url))
            self._count_failure(item, item.error)
            return "error"
        bad: list[str] = []
        try:
            totals = record_award_file(
                self.store.db, self.run_id,
                AwardFile(item.source, item.day, item.file_name, item.url, item.status, item.data),
                on_bad=lambda row: bad.append(f"line {row.line}: {row.problem}"),
            )  # fmt: skip
        except OpenDataError as error:
            reason = f"{error} ({item.url})"
            self.store.record_error(self.run_id, item.url, reason, item.http_status)
            progress.warning("[%s] error   %s  %s", self.source, item.file_name, reason_beside_url(reason, item.url))
            self._count_failure(item, reason)
            return "error"
        if bad:  # the file's good rows are stored; its bad ones are said once, with the first
            reason = f"{item.file_name}: {len(bad)} row(s) skipped or kept with a warning; first: {bad[0]}"
            self.store.record_error(self.run_id, item.url, reason, item.http_status)
        if item.status == "fetched":
            progress.info("[%s] awards  %s  %d rows: %d new, %d changed", self.source, item.file_name, totals.rows,
                          totals.new, totals.changed)
        return "award_file" if item.status == "fetched" else "award_day_missing"

    def _record_local_awards(self, item: PageItem) -> None:
        """The contract-table rows of a stored page become awards of its latest version (failure: counted)."""
        assert self.store is not None and self.run_id is not None
        try:
            totals = record_local_awards(self.store.db, self.source, item.url, item.awards)
        except Exception as error:  # noqa: BLE001 - the page is stored; its award rows are said to be missing
            log.debug("storing the award rows of %s failed", item.url, exc_info=True)
            self.store.record_error(self.run_id, item.url, f"could not store award rows: {error}"[:300])
            return
        if totals.new or totals.changed:
            progress.info("[%s] awards  %s  %d rows: %d new, %d changed", self.source, item.url, totals.rows,
                          totals.new, totals.changed)

    def _count_failure(self, item: PageItem | AwardFileItem, reason: str) -> None:
        """A list page that failed, or any other page that failed, for the run's health. The health reason is
        read on its own, so a release page's failure names its URL there (its fetch_errors row has it beside)."""
        if isinstance(item, PageItem) and item.is_list_page:
            self.list_failures.append(reason)
            return
        self.page_failures += 1
        if isinstance(item, PageItem) and item.url not in reason:
            reason = f"{reason} ({item.url})"
        self.first_page_failure = self.first_page_failure or reason
