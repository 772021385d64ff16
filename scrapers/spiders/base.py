"""The one base class of ometsuke's spiders: the source is data (a config dict), the crawl is the same everywhere.

Runner contract: `crawler.crawl(SpiderClass, source=<dict>, known=<list[dict]>, run_id=…)`. Every request ends in
exactly one PageItem for a detail page (ok / not_modified / gone / error), or an error item for a list page that
failed or showed no releases (sites change: fail loudly). Known documents that are due (see `revisit`) are fetched
with conditional requests (If-None-Match, If-Modified-Since, Cache-Control: max-age=0) built from the stored
validators, never from Scrapy's HTTP cache; every `verify_every`-th revisit of a page is unconditional (no
validators, Cache-Control/Pragma: no-cache), so a server whose validators never change cannot hide a change. A
404/410 is "gone" only for a known document.

Revisits wait until every list page is read (spider_idle), because the lists decide two more rechecks, whatever the
revisit policy says: a known release whose list entry (title or date) changed, and one that left its list, i.e.
was last listed on a list page read in this crawl and is on none of them now (a failed or empty list page says
nothing). Each revisit carries the list's title and date (this crawl's, else the last ones recorded), so the page's
`published` is decided the same way on every visit. What the lists showed is handed to the store at the end
(`listing_report`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from scrapers.extract.attachments import attachment_links, attachment_text, is_document_type
from scrapers.extract.contract_tables import document_contract_rows, html_contract_rows
from scrapers.extract.decode import fix_response_encoding
from scrapers.extract.html import parse_html
from scrapers.extract.page import extract_tree
from scrapers.extract.releases import Release
from scrapers.hosts import allowed_hosts, url_allowed
from scrapers.items import Attachment, PageItem
from scrapers.revisit import DEFAULT_VERIFY_EVERY, is_due, must_verify, parse_revisit

from .options import SOURCE_OPTIONS, Option
from .robots import ROBOTS_MIDDLEWARES

log = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)
MAX_ATTACHMENTS = 10
_TREE = "_ometsuke_tree"  # request.meta key: the parsed page, from build_item to the attachment links


def short_reason(failure: Failure) -> str:
    """One line saying why a request failed (HTTP status, DNS, timeout, robots.txt…)."""
    value = failure.value
    response = getattr(value, "response", None)
    if response is not None and getattr(response, "status", None):
        return f"HTTP {response.status}"
    name = type(value).__name__
    text = str(value).strip().splitlines()[0] if str(value).strip() else ""
    if name == "IgnoreRequest" and "robots" in text.lower():
        return "forbidden by robots.txt"
    return f"{name}: {text}"[:200] if text else name


def is_document(response: Response) -> bool:
    """A detail response that is a document (PDF, Excel, CSV…) to read with `attachment_text`, not an HTML page:
    Scrapy did not make it a TextResponse, or its Content-Type or extension says so. `ometsuke extract` asks too."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    return not isinstance(response, TextResponse) or is_document_type(content_type, response.url)


class SourceSpider(scrapy.Spider):
    """Base class: subclasses set `name` (the config's spider type) and implement `parse_list` (a list page, decoded
    and parsed); a spider whose start URLs are not HTML lists overrides `parse_start` (feed) or `start_requests`
    (page)."""

    name = ""  # abstract: SpiderLoader skips classes without a name
    # The [[source]] keys this spider takes, with their defaults (scrapers/spiders/options.py); read with option().
    options: ClassVar[dict[str, Option]] = SOURCE_OPTIONS

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Not a politeness override: Scrapy's own RobotsTxtMiddleware lets concurrent requests through unchecked
        while robots.txt downloads (see robots.py); swap in the fixed one, keeping the project's other downloader
        middlewares. Whether robots.txt is obeyed stays ROBOTSTXT_OBEY's decision."""
        super().update_settings(settings)
        current = settings.getdict("DOWNLOADER_MIDDLEWARES")
        settings.set("DOWNLOADER_MIDDLEWARES", {**current, **ROBOTS_MIDDLEWARES}, priority="spider")

    def __init__(self, source: dict[str, Any], known: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        run_id = kwargs.pop("run_id", None)
        super().__init__(**kwargs)
        if not isinstance(source, dict) or not source.get("name") or not source.get("urls"):
            raise ValueError(f"{type(self).__name__} needs source={{name, urls, …}}, got {source!r}")
        self.source = source
        self.source_name: str = source["name"]
        self.run_id = run_id
        self.start_urls = list(source["urls"])
        self.want_attachments = bool(self.option("attachments"))
        # contract tables become award rows (the page and newsroom spiders declare `awards`)
        self.want_awards = bool(self.source.get("awards", False))
        self.revisit_policy = parse_revisit(self.option("revisit"))
        self.allowed_domains = allowed_hosts(self.start_urls, self.option("allowed_domains") or ())
        self.known: dict[str, dict[str, Any]] = {d["url"]: d for d in (known or []) if d.get("url")}
        self.scheduled: set[str] = set()
        self.emitted: set[str] = set()
        self.verify_every = DEFAULT_VERIFY_EVERY  # [crawl] verify_every, from the crawler's settings
        self.listing: dict[str, tuple[str, str | None, str]] = {}  # url -> (title, date, list page) in this crawl
        self.lists_read: set[str] = set()  # list pages read in this crawl that showed releases
        self.lists_cut: set[str] = set()  # the last list page followed while the list went on (max_list_pages)
        self.left_lists: set[str] = set()  # known documents that left their list in this crawl
        self.revisits_started = False

    def option(self, key: str) -> Any:
        """The source's value for one of this spider's options, else its declared default."""
        return self.source.get(key, self.options[key].default)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.verify_every = crawler.settings.getint("OMETSUKE_VERIFY_EVERY", DEFAULT_VERIFY_EVERY)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # -- start ------------------------------------------------------------------------------------------

    async def start(self) -> Any:  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[Request]:
        """The list pages; the revisits follow once they are read (`on_idle`)."""
        for url in self.start_urls:
            yield self.list_request(url)

    def on_idle(self, spider: Any = None) -> None:
        """All list pages and the releases they led to are done: schedule the revisits, once."""
        if self.revisits_started:
            return
        self.revisits_started = True
        scheduled = 0
        for request in self.revisit_requests():
            self.crawler.engine.crawl(request)
            scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def revisit_requests(self) -> Iterator[Request]:
        """Requests for the known documents not fetched yet that are due, or left the lists read in this crawl."""
        due = skipped = left = 0
        for url, doc in self.known.items():
            gone_from_list = self.left_list(url, doc)
            if gone_from_list:
                self.left_lists.add(url)
            if doc.get("removed_at") or url in self.scheduled:
                continue
            if gone_from_list:
                left += 1
            elif is_due(doc, self.revisit_policy):
                due += 1
            else:
                skipped += 1
                continue
            request = self.detail_request(url, self.known_release(url, doc))
            request.meta["allow_offsite"] = True  # fetched before: its host was allowed then
            yield request
        self.count("ometsuke/revisit_due", due)
        self.count("ometsuke/recheck_left_list", left)
        self.count("ometsuke/revisit_skipped", skipped)
        if skipped:
            self.logger.info("%s: %d known documents not due for a recheck", self.source_name, skipped)

    def count(self, key: str, increment: int = 1) -> None:
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None and increment:
            crawler.stats.inc_value(key, increment)

    # -- what the lists showed --------------------------------------------------------------------------

    def note_listing(self, list_url: str, releases: list[Release]) -> None:
        """Remember what a list page read in this crawl showed (the first list showing a release wins)."""
        if releases:
            self.lists_read.add(list_url)
        for release in releases:
            self.listing.setdefault(release.url, (" ".join(release.title.split()), release.date or None, list_url))

    def listing_changed(self, doc: dict[str, Any], release: Release) -> bool:
        """Whether the list shows another title or date for a known document than in the crawl that last listed it."""
        if doc.get("listed_run_id") is None:
            return False  # never recorded (a database from before listings were kept)
        shown = (" ".join(release.title.split()), release.date or None)
        return shown != (doc.get("listed_title") or "", doc.get("listed_date") or None)

    def left_list(self, url: str, doc: dict[str, Any]) -> bool:
        """Last listed on a list page this crawl read (and did not cut short), and on none of them now."""
        listed_on = doc.get("listed_on")
        return bool(listed_on) and listed_on in self.lists_read and listed_on not in self.lists_cut \
            and url not in self.listing

    def known_release(self, url: str, doc: dict[str, Any]) -> Release | None:
        """The list entry of a known document: this crawl's, else the last one recorded, so that `published` is
        decided from the same list date on every visit (see build_item)."""
        if url in self.listing:
            title, date, _ = self.listing[url]
            return Release(url, title, date)
        if doc.get("listed_title") or doc.get("listed_date"):
            return Release(url, doc.get("listed_title") or "", doc.get("listed_date"))
        return None

    def listing_report(self) -> tuple[list[tuple[str, str, str | None, str]], list[str]]:
        """For the store at the end of a finished crawl: (url, title, date, list page) of every listed release,
        and the known documents that left their list."""
        listed = [(url, title, date, list_url) for url, (title, date, list_url) in self.listing.items()]
        return listed, sorted(self.left_lists)

    def list_request(self, url: str, page: int = 1) -> Request:
        return Request(
            url,
            callback=self.parse_start,
            errback=self.on_list_error,
            dont_filter=True,
            meta={"ometsuke_list_page": page},
        )

    def detail_request(self, url: str, release: Release | None = None, full: bool = False) -> Request:
        """A request for a detail page: conditional when the document is known, unless `full` or verifying."""
        self.scheduled.add(url)
        headers: dict[str, str] = {}
        meta: dict[str, Any] = {"ometsuke_release": release}
        doc = self.known.get(url)
        if doc and not doc.get("removed_at"):
            meta["handle_httpstatus_list"] = [304, *GONE_STATUSES]
            meta["ometsuke_known"] = True
            if full or must_verify(doc, self.verify_every):
                # Unconditional, end to end: validators are trusted but verified (a CMS may keep them while the
                # page changes), and no cache on the way may answer from its copy.
                headers["Cache-Control"] = "no-cache"
                headers["Pragma"] = "no-cache"
                self.count("ometsuke/revisit_verified")
            else:
                headers["Cache-Control"] = "max-age=0"
                if doc.get("etag"):
                    headers["If-None-Match"] = doc["etag"]
                if doc.get("last_modified"):
                    headers["If-Modified-Since"] = doc["last_modified"]
        return Request(url, callback=self.parse_detail, errback=self.on_detail_error, headers=headers, meta=meta)

    def follow_release(self, release: Release, explicit: bool = False) -> Request | PageItem | None:
        """Request a listed release unless it is already scheduled or a known document not due yet.

        A release on another host than the source's (`urls` + `allowed_domains`) is never requested. A detected one
        is skipped, logged and counted (a list's links to news sites are not releases); an `explicit` one (a feed
        entry, a link picked by a `follow` selector) becomes an error item naming the host, so the user sees it
        and can add the host to `allowed_domains`. (Scrapy's OffsiteMiddleware would drop it without a word.)
        """
        if release.url in self.scheduled:
            return None
        doc = self.known.get(release.url)
        entry_changed = bool(doc) and not doc.get("removed_at") and self.listing_changed(doc, release)
        if doc and not doc.get("removed_at") and not is_due(doc, self.revisit_policy) and not entry_changed:
            return None
        if entry_changed:
            self.count("ometsuke/recheck_list_changed")
        if not url_allowed(release.url, self.allowed_domains):
            host = urlsplit(release.url).hostname
            if getattr(self, "crawler", None) is not None:
                self.crawler.stats.inc_value("ometsuke/offsite_releases_skipped")
            if not explicit:
                self.logger.info("%s: skipping off-site release %s", self.source_name, release.url)
                return None
            self.scheduled.add(release.url)
            return PageItem(
                source=self.source_name, url=release.url, status="error",
                error=f"release on another host {host}: add it to the source's allowed_domains",
            )  # fmt: skip
        # A changed entry is fetched in full: the page is read again with the list's new title and date.
        return self.detail_request(release.url, release, full=entry_changed)

    # -- callbacks --------------------------------------------------------------------------------------

    def parse_start(self, response: Response) -> Iterable[Any]:
        """A list page: decoded as the site meant it, parsed once, then read by the spider's `parse_list`."""
        if not isinstance(response, TextResponse):
            yield self.list_error(response, f"list page is not HTML ({response.url})")
            return
        response = fix_response_encoding(response)
        yield from self.parse_list(response, parse_html(response.text))

    def parse_list(self, response: TextResponse, tree: Any) -> Iterable[Any]:
        raise NotImplementedError

    def follow_listed(
        self, response: Response, releases: list[Release], missing: str, explicit: bool = False
    ) -> Iterator[Any]:
        """Requests for a list page's releases; an error item saying `missing` when there are none (sites change).

        The releases are counted (stat ometsuke/releases_listed): the run's health compares the count with the
        source's usual one, so a redesign that the spider now reads wrongly is noticed."""
        self.crawler.stats.inc_value("ometsuke/releases_listed", len(releases))
        self.note_listing(response.url, releases)
        if not releases:
            yield self.list_error(response, missing)
        for release in releases:
            request = self.follow_release(release, explicit=explicit)
            if request is not None:
                yield request

    def parse_detail(self, response: Response) -> Iterable[Any]:
        """A detail page: not_modified / gone / ok (with attachments fetched one after another) / error."""
        release: Release | None = response.meta.get("ometsuke_release")
        if response.status == 304:
            yield self.item(response, status="not_modified")
            return
        if response.status in GONE_STATUSES:
            yield self.item(response, status="gone")
            return
        try:
            item = self.build_item(response, release)
        except Exception as error:  # noqa: BLE001 - any extraction bug becomes a counted error, not a crash
            response.meta.pop(_TREE, None)
            self.logger.exception("extraction failed for %s", response.url)
            yield self.item(response, status="error", error=f"extraction failed: {type(error).__name__}: {error}")
            return
        if item.status != "ok" or not self.want_attachments or not isinstance(response, TextResponse):
            response.meta.pop(_TREE, None)
            yield from self.emit(item)
            return
        # The tree build_item parsed (one parse per response); a subclass's build_item may not have left one.
        tree = response.meta.pop(_TREE, None)
        links = attachment_links(tree if tree is not None else response.text, response.url)[:MAX_ATTACHMENTS]
        item.attachments = [Attachment(url=link.url, title=link.text) for link in links]
        yield from self.next_attachment(item, 0)

    def build_item(self, response: Response, release: Release | None) -> PageItem:
        """The ok item for an HTML (or PDF) detail page, or an error item when nothing could be extracted."""
        if is_document(response):
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
            text = attachment_text(response.body, content_type, response.url)
            title = release.title if release else ""
            document = self.item(
                response, title=title or response.url.rsplit("/", 1)[-1], body=text.text,
                published=release.date if release else None, error=text.error,
                status="ok" if text.text else "error",
            )  # fmt: skip
            if self.want_awards:
                rows = document_contract_rows(response.body, text.content_type, text.text, response.url)
                document.awards = [row.as_dict() for row in rows]
            return document
        response = fix_response_encoding(response)
        tree = parse_html(response.text)
        if self.want_attachments and response.request is not None:
            response.meta[_TREE] = tree  # parse_detail reads the attachment links from the same tree
        page = extract_tree(tree, response.url, lists=False)
        published = page.published
        if release and release.date and page.published_how in ("first", ""):
            published = release.date  # the list's or feed's date beats a bare date guessed from the text
        item = self.page_item(response, page.title, published, page.body, release)
        if self.want_awards and item.status == "ok":
            item.awards = [row.as_dict() for row in html_contract_rows(tree, response.url)]
        return item

    def page_item(
        self, response: Response, title: str, published: str | None, body: str, release: Release | None
    ) -> PageItem:
        title = title or (release.title if release else "")
        published = published or (release.date if release else None)
        if not body.strip():
            return self.item(response, status="error", error="no text extracted")
        return self.item(response, title=title, published=published, body=body)

    def next_attachment(self, item: PageItem, index: int) -> Iterator[Any]:
        """Fetch attachments one after another, then yield the page with their text."""
        if index >= len(item.attachments):
            yield from self.emit(item)
            return
        attachment = item.attachments[index]
        yield Request(
            attachment.url,
            callback=self.parse_attachment,
            errback=self.on_attachment_error,
            dont_filter=True,
            meta={"ometsuke_item": item, "ometsuke_index": index, "allow_offsite": True},
        )

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        item: PageItem = response.meta["ometsuke_item"]
        index: int = response.meta["ometsuke_index"]
        attachment = item.attachments[index]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        text = attachment_text(response.body, content_type, response.url)
        attachment.content_type = text.content_type
        attachment.text = text.text
        attachment.error = text.error
        if self.want_awards:
            rows = document_contract_rows(response.body, text.content_type, text.text, response.url)
            item.awards.extend(row.as_dict() for row in rows)
        yield from self.next_attachment(item, index + 1)

    def on_attachment_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        item: PageItem = request.meta["ometsuke_item"]
        index: int = request.meta["ometsuke_index"]
        item.attachments[index].error = short_reason(failure)
        yield from self.next_attachment(item, index + 1)

    def on_detail_error(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request
        self.left_lists.discard(request.url)  # a recheck that failed saw nothing: the next crawl tries again
        yield PageItem(
            source=self.source_name, url=request.url, status="error",
            error=short_reason(failure),  # the URL is the row's own column: not repeated in the reason
            http_status=getattr(getattr(failure.value, "response", None), "status", None),
        )  # fmt: skip

    def on_list_error(self, failure: Failure) -> Iterator[PageItem]:
        request = failure.request
        yield PageItem(
            source=self.source_name, url=request.url, status="error", is_list_page=True,
            error=f"list page failed: {short_reason(failure)} ({request.url})",
            http_status=getattr(getattr(failure.value, "response", None), "status", None),
        )  # fmt: skip

    def list_error(self, response: Response, reason: str) -> PageItem:
        self.logger.error("%s: %s", self.source_name, reason)
        return PageItem(
            source=self.source_name, url=response.url, status="error", is_list_page=True,
            error=reason, http_status=response.status,
        )  # fmt: skip

    # -- items ------------------------------------------------------------------------------------------

    def item(self, response: Response, **fields: Any) -> PageItem:
        """A PageItem for this response with its validators."""
        headers = response.headers
        etag = headers.get(b"ETag")
        last_modified = headers.get(b"Last-Modified")
        return PageItem(
            source=self.source_name,
            url=response.url,
            etag=etag.decode("latin-1") if etag else None,
            last_modified=last_modified.decode("latin-1") if last_modified else None,
            http_status=response.status,
            **fields,
        )

    def emit(self, item: PageItem) -> Iterator[PageItem]:
        """Yield an item once per URL per crawl (a release listed twice, or redirected onto another)."""
        if item.status == "ok" and item.url in self.emitted:
            return
        self.emitted.add(item.url)
        yield item
