"""`tokyo_press`: the Tokyo Metropolitan Government's 報道発表, current CMS and old site.

Current: monthly lists `/information/press/YYYY/MM/` (entries `li.widget-information-content_info-list-date-list-item`
with `a.widget-information-content_info-list-link` and a <time>), releases `/information/press/YYYY/MM/YYYYMMDDNN`,
attachments `/documents/d/tosei/YYYYMMDD_NN_MM` without extension (PDF or Excel). Old site: lists
`/tosei/hodohappyo/press/index.html` and `…/press/YYYY/MM/index.html`, releases `…/press/YYYY/MM/DD/NN.html`, body in
`div#tmp_contents`, attachments `…/DD/documents/NN_MM.pdf` (`a.icon_pdf`). Release links are recognised by URL
pattern on either site; monthly list links are followed newest first up to `max_list_pages` (options.py). If no
link matches (a renewal changed every URL) the generic detector takes over, and zero entries is an error.
Each release also gets `extra = {"bureau": "…局", "contact": "問い合わせ先 …"}` when the page names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response, TextResponse

from scrapers.extract.dates import date_in_url
from scrapers.extract.links import base_url, resolve_href
from scrapers.extract.releases import Release, detect_releases, releases_by_selector
from scrapers.items import PageItem

from .base import SourceSpider
from .options import options_of

RELEASE_URL = re.compile(
    r"/information/press/(?P<y>\d{4})/(?P<m>\d{2})/(?P<id>\d{10})/?$"
    r"|/tosei/hodohappyo/press/(?P<oy>\d{4})/(?P<om>\d{2})/(?P<od>\d{2})/\d{2,3}\.html$"
)
MONTH_LIST_URL = re.compile(
    r"/information/press/(?P<y>\d{4})/(?P<m>\d{2})/?$|/tosei/hodohappyo/press/(?P<oy>\d{4})/(?P<om>\d{2})/index\.html$"
)
_BUREAU = re.compile(r"^(?:[^\s、。]{1,14}局|[^\s、。]{1,10}(?:本部|委員会|事務局|庁))$")
_CONTACT = re.compile(r"^(?:【)?(?:お?問い?合わせ先?|問合せ先|担当)(?:】)?\s*[:：]?")
_ATTACHMENT_LINE = re.compile(r"^別紙|^資料|PDF|ＰＤＦ|Excel|エクセル|[0-9.]+\s*[KM]B")


def bureau_and_contact(body: str) -> dict[str, str]:
    """The issuing bureau (a line that is just 「…局」) and the 問い合わせ先 block (up to five lines)."""
    lines = body.split("\n")
    found: dict[str, str] = {}
    for line in lines[:15]:
        if _BUREAU.match(line.strip()):
            found["bureau"] = line.strip()
            break
    for index, line in enumerate(lines):
        if _CONTACT.match(line.strip()):
            block = [line.strip()]
            for following in lines[index + 1 : index + 5]:
                if _ATTACHMENT_LINE.search(following):
                    break
                block.append(following.strip())
            found["contact"] = "\n".join(block if len(line.strip()) < 12 else block[:1])
            if "bureau" not in found:
                bureau = re.search(r"[^\s、。（(：:】]{1,14}局", " ".join(block))
                if bureau:
                    found["bureau"] = bureau.group(0)
            break
    return found


class TokyoPressSpider(SourceSpider):
    name = "tokyo_press"
    options = options_of("tokyo_press")

    def __init__(self, source: dict[str, Any], known: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(source, known, **kwargs)
        self.max_list_pages = int(self.option("max_list_pages"))
        self.lists_seen: set[str] = set(self.start_urls)

    def parse_list(self, response: TextResponse, tree: Any) -> Iterator[Any]:
        """An overview or monthly list: follow its releases and, within max_list_pages, its month lists."""
        yield from self.follow_listed(response, self.releases(tree, response.url),
                                      f"no releases found on {response.url}")
        page = response.meta.get("ometsuke_list_page", 1)
        for url in self.month_lists(tree, response.url):
            if page >= self.max_list_pages or len(self.lists_seen) >= self.max_list_pages + len(self.start_urls):
                break
            self.lists_seen.add(url)
            yield self.list_request(url, page + 1)

    def releases(self, tree: Any, url: str) -> list[Release]:
        """Release links by URL pattern (dates from the entry or the URL), else the generic detector."""
        matching = [
            release
            for release in releases_by_selector(tree, url, "a[href]")
            if RELEASE_URL.search(release.url.split("?", 1)[0])
        ]
        return matching or detect_releases(tree, url)

    def month_lists(self, tree: Any, url: str) -> list[str]:
        """Monthly list pages linked from this one, newest first, not yet visited."""
        base = base_url(tree, url)
        months: dict[str, tuple[str, str]] = {}
        for href in tree.xpath("//a/@href"):
            target = resolve_href(href, base)
            if not target or target in self.lists_seen:
                continue
            match = MONTH_LIST_URL.search(target)
            if match:
                months[target] = (match["y"] or match["oy"], match["m"] or match["om"])
        return sorted(months, key=lambda u: months[u], reverse=True)

    def build_item(self, response: Response, release: Release | None) -> PageItem:
        item = super().build_item(response, release)
        if item.status == "ok":
            item.extra.update(bureau_and_contact(item.body))
            # The release URL carries the release date (…/2026073101, …/2021/03/05/01.html); a later 更新日 on the
            # page is an update, not the publication.
            item.published = date_in_url(response.url) if RELEASE_URL.search(response.url) else item.published
        return item
