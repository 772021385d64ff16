"""`page`: one page watched as a whole document (a 入札結果 or 随意契約 table page): its main content is versioned
and diffed like a release. Every configured URL is fetched on every crawl (conditionally when known)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from .base import GONE_STATUSES, SourceSpider
from .options import options_of


class PageSpider(SourceSpider):
    name = "page"
    options = options_of("page")

    def start_requests(self) -> Iterator[Request]:
        for url in self.start_urls:
            request = self.detail_request(url)
            request.dont_filter = True
            yield request
        # Documents of this source that are no longer configured are left alone.

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """The watched page answered (200 or 304): for the run's health it is this source's "list"."""
        if response.status not in GONE_STATUSES:
            self.crawler.stats.inc_value("ometsuke/releases_listed")
        yield from super().parse_detail(response)

    def revisit_requests(self) -> Iterator[Request]:
        """None: every configured page was fetched above, and there are no lists to leave."""
        return iter(())
