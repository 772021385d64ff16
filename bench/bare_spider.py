"""The baseline: a bare Scrapy spider that follows the same links as ometsuke's `newsroom` spider and does nothing
else (no extraction, no tagging, no database), with the same Scrapy settings. Its pages/s is what Scrapy itself
allows on this machine and server, which is what the full pipeline is compared to.

    .venv/bin/python bench/bare_spider.py CONFIG [SOURCE]     # last line: {"pages", "list_pages", "elapsed_s"}
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import scrapy  # noqa: E402
from scrapy.crawler import CrawlerProcess  # noqa: E402
from scrapy.http import Response  # noqa: E402

from ometsuke.config import load_config  # noqa: E402
from ometsuke.crawl_process import crawler_settings  # noqa: E402
from scrapers.spiders.options import options_of  # noqa: E402


class BareSpider(scrapy.Spider):
    """List pages → detail pages by the source's `follow` and `next` selectors; detail pages are only counted."""

    name = "bare"

    def __init__(self, source: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = list(source["urls"])
        self.follow = source["follow"]
        self.next_selector = source.get("next") or 'a[rel="next"]'
        self.max_list_pages = int(source.get("max_list_pages", options_of("newsroom")["max_list_pages"].default))
        self.pages = 0
        self.list_pages = 0

    async def start(self) -> Any:  # Scrapy >= 2.13
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True, meta={"page": 1})

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        self.list_pages += 1
        for href in response.css(self.follow).xpath("@href").getall():
            yield response.follow(href, callback=self.parse_detail)
        page = response.meta["page"]
        if page < self.max_list_pages:
            for href in response.css(self.next_selector).xpath("@href").getall()[:1]:
                yield response.follow(href, callback=self.parse, dont_filter=True, meta={"page": page + 1})

    def parse_detail(self, response: Response) -> None:
        self.pages += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bare Scrapy baseline crawl of one configured newsroom source")
    parser.add_argument("config")
    parser.add_argument("source", nargs="?")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    source = config.source(args.source) if args.source else config.sources[0]
    settings = crawler_settings(config)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, source=source.as_spider_arg())
    process.start()
    spider = crawler.spider
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(json.dumps({"pages": spider.pages, "list_pages": spider.list_pages,
                      "elapsed_s": round(float(stats.get("elapsed_time_seconds", 0.0)), 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
