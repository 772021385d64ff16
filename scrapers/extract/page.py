"""Everything the extractor sees in one page: what `ometsuke extract` prints and what spiders store."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from lxml.html import HtmlElement

from .body import extract_body
from .dates import published_date
from .decode import decode_bytes
from .html import parse_html
from .links import Link, extract_links
from .releases import Release, find_releases
from .title import extract_title


@dataclass
class ExtractedPage:
    title: str
    published: str | None
    body: str
    links: list[Link] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    encoding: str = ""
    published_how: str = ""  # label / meta / url / first: how sure the date is (see dates.published_date)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("encoding")
        data.pop("published_how")
        return data


def extract_tree(
    tree: HtmlElement, url: str, follow: str | None = None, lists: bool = True, fetched_at: dt.datetime | None = None
) -> ExtractedPage:
    """Title, published date, main body, links and release entries of a parsed page (`lists=False` skips links
    and releases, which detail pages in a crawl do not need; `fetched_at`, default now, resolves 「3時間前」)."""
    title = extract_title(tree)
    body = extract_body(tree)
    published, how = published_date(tree, body, url, title)
    return ExtractedPage(
        title=title,
        published=published,
        body=body,
        links=extract_links(tree, url) if lists else [],
        releases=find_releases(tree, url, follow, fetched_at) if lists else [],
        published_how=how,
    )


def extract_text(
    text: str, url: str, follow: str | None = None, lists: bool = True, fetched_at: dt.datetime | None = None
) -> ExtractedPage:
    """Extract from already-decoded HTML (a spider's `response.text`)."""
    return extract_tree(parse_html(text), url, follow, lists, fetched_at)


def extract_bytes(
    body: bytes,
    url: str,
    content_type: str | None = None,
    follow: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> ExtractedPage:
    """Extract from saved bytes, decoded exactly as the spiders decode them."""
    decoded = decode_bytes(body, content_type)
    page = extract_text(decoded.text, url, follow, fetched_at=fetched_at)
    page.encoding = decoded.encoding
    return page
