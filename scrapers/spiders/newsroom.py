"""`newsroom`: list pages → release pages, for corporate newsrooms and government bureau lists.

Source keys (declared with their defaults in options.py): `follow` (CSS selector of release links; without it the
dated entries of the main list are detected), `next` (CSS selector of the next list page link; without it
<link rel="next"> / <a rel="next">, else a link reading 「次へ」「次のページ」「次の20件」 or », is used),
`max_list_pages`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import TextResponse

from scrapers.extract.html import text_of
from scrapers.extract.links import base_url, resolve_href
from scrapers.extract.releases import find_releases

from .base import SourceSpider
from .options import options_of

# Pager links without rel="next": 「次へ」「次のページ」「次の20件」「次へ>」「»」「もっと見る」
NEXT_TEXT = re.compile(
    r"^(?:次へ|次のページ|次ページ|次の\s*\d+\s*件|次|もっと見る|もっとみる|さらに表示)\s*[>＞»›]*$|^[>＞»›]$"
    r"|^Next\s*[>»›]*$",
    re.IGNORECASE,
)


class NewsroomSpider(SourceSpider):
    name = "newsroom"
    options = options_of("newsroom")

    def __init__(self, source: dict[str, Any], known: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(source, known, **kwargs)
        self.follow: str | None = self.option("follow") or None
        self.next_selector: str | None = self.option("next") or None
        self.max_list_pages = int(self.option("max_list_pages"))

    def parse_list(self, response: TextResponse, tree: Any) -> Iterator[Any]:
        """A list page: follow its releases and, within max_list_pages, its next page."""
        releases = find_releases(tree, response.url, self.follow)
        how = f'selector "{self.follow}"' if self.follow else "detection"
        yield from self.follow_listed(
            response, releases, f"no releases found on {response.url} ({how})", explicit=self.follow is not None
        )
        page = response.meta.get("ometsuke_list_page", 1)
        next_url = self.next_page(tree, response.url)
        if next_url and next_url != response.url:
            if page < self.max_list_pages:
                yield self.list_request(next_url, page + 1)
            else:  # releases that move on from here age off the pages read: that is not leaving the list
                self.lists_cut.add(response.url)

    def next_page(self, tree: Any, url: str) -> str | None:
        base = base_url(tree, url)
        if self.next_selector:
            for element in tree.cssselect(self.next_selector):
                anchor = element if element.get("href") else next(iter(element.xpath(".//a[@href]")), None)
                if anchor is not None:
                    return resolve_href(anchor.get("href"), base)
            return None
        for href in tree.xpath('//link[@rel="next"]/@href | //a[@rel="next"]/@href'):
            return resolve_href(href, base)
        for anchor in tree.xpath("//a[@href]"):
            if NEXT_TEXT.match(text_of(anchor)) and not anchor.xpath("ancestor::header or ancestor::footer"):
                return resolve_href(anchor.get("href"), base)
        return None
