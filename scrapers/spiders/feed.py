"""`feed`: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 in any encoding, entry dates in Japan time.

Source key: `follow_links` (declared in options.py, true unless set) fetches each entry's page as a release (feed
title and date are the fallbacks); false stores the entries themselves (title, published, body =
description/summary), in which case known documents are not refetched: an entry is not a page. Entries that differ
only by a #fragment (a diary day page and its entries) are stored as distinct entries, but their page is fetched
once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag

from scrapy.http import Response

from scrapers.extract.feeds import FeedError, parse_feed
from scrapers.extract.releases import Release
from scrapers.items import PageItem

from .base import SourceSpider
from .options import options_of


class FeedSpider(SourceSpider):
    name = "feed"
    options = options_of("feed")

    def __init__(self, source: dict[str, Any], known: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(source, known, **kwargs)
        self.follow_links = bool(self.option("follow_links"))

    def revisit_requests(self) -> Iterator[Any]:
        if self.follow_links:
            yield from super().revisit_requests()

    def parse_start(self, response: Response) -> Iterator[Any]:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        try:
            entries = parse_feed(response.body, response.url, content_type)
        except FeedError as error:
            yield self.list_error(response, str(error))
            return
        self.crawler.stats.inc_value("ometsuke/feed_entries", len(entries))
        self.crawler.stats.inc_value("ometsuke/releases_listed", len(entries))  # the feed is this source's list
        if not entries:
            yield self.list_error(response, f"no entries found in feed {response.url}")
            return
        if self.follow_links:
            self.note_listing(response.url, [Release(e.url, e.title, e.published) for e in entries])
        for entry in entries:
            if self.follow_links:
                # Entries that differ only by a #fragment are parts of one page: it is fetched once.
                page = urldefrag(entry.url)[0]
                request = self.follow_release(Release(page, entry.title, entry.published), explicit=True)
                if request is not None:
                    yield request
            else:
                yield from self.emit(PageItem(
                    source=self.source_name, url=entry.url, title=entry.title, published=entry.published,
                    body=entry.summary or entry.title, http_status=response.status,
                ))  # fmt: skip
