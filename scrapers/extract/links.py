"""Links of a page, resolved against its URL (and <base href>), without javascript:/mailto: and fragments."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml.html import HtmlElement

from .html import text_of

_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


def base_url(tree: HtmlElement, url: str) -> str:
    base = tree.xpath("//base/@href")
    if not base or not base[0].strip():
        return url
    try:
        return urljoin(url, base[0].strip())
    except ValueError:
        return url


def resolve_href(href: str | None, base: str) -> str | None:
    """Absolute http(s) URL without fragment, or None for javascript:, mailto:, bare anchors and the like."""
    if not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    try:
        absolute = urldefrag(urljoin(base, href))[0]
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None
    except ValueError:  # "http://[broken/x": one bad href must not cost the rest of the list
        return None


def extract_links(tree: HtmlElement, url: str) -> list[Link]:
    """Every distinct outgoing link of the page, in document order, with its text."""
    base = base_url(tree, url)
    seen: set[str] = set()
    links: list[Link] = []
    for anchor in tree.iter("a"):
        absolute = resolve_href(anchor.get("href"), base)
        if absolute is None or absolute in seen:
            continue
        seen.add(absolute)
        links.append(Link(absolute, text_of(anchor) or (anchor.get("title") or "").strip()))
    return links
