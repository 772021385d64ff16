"""`page`: one page watched as a whole document (a 入札結果 or 随意契約 table page): its main content is versioned
and diffed like a release. Every configured URL is fetched on every crawl (conditionally when known)."""

from __future__ import annotations

from collections.abc import Iterator

from scrapy.http import Request

from .base import SourceSpider


class PageSpider(SourceSpider):
    name = "page"

    def start_requests(self) -> Iterator[Request]:
        for url in self.start_urls:
            request = self.detail_request(url)
            request.dont_filter = True
            yield request
        # Documents of this source that are no longer configured are left alone.
