"""The release's own title: its heading, not the site name that <title> appends."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .html import clean_space, text_of

# "Release title | Site", "Release title／宜野湾市", "Title - Site", "Title：Site".
_SEPARATORS = re.compile(r"\s+[|｜\-–—－/／:：]\s+|[|｜／]|\s[-–—]\s")


def _title_tag(tree: HtmlElement) -> str:
    found = tree.find(".//title")
    return clean_space(found.text_content()) if found is not None else ""


def _meta(tree: HtmlElement, *names: str) -> str:
    for name in names:
        for attr in ("property", "name"):
            values = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if values and clean_space(values[0]):
                return clean_space(values[0])
    return ""


def _strip_site_name(title: str, site_names: list[str]) -> str:
    """Drop the "| Site" suffix (the last part) or a known site name at either end; keep inner separators."""
    parts = [p for p in (clean_space(p) for p in _SEPARATORS.split(title)) if p]
    if len(parts) <= 1:
        return title
    if parts[0] in site_names:
        parts = parts[1:]
    else:
        parts = parts[:-1]
    while len(parts) > 1 and parts[-1] in site_names:
        parts.pop()
    first, last = parts[0], parts[-1]
    start = title.find(first)
    end = title.find(last, max(start, 0)) + len(last)
    return clean_space(title[start:end]) if start >= 0 and end > start else first


def extract_title(tree: HtmlElement) -> str:
    """The heading that the <title> starts with, else <title> without the site-name suffix, else h1/og:title."""
    title = _title_tag(tree)
    site_names = [n for n in (_meta(tree, "og:site_name"),) if n]
    headings = [text_of(h) for h in tree.xpath("//body//*[self::h1 or self::h2 or self::h3]")[:12]]
    headings = [h for h in headings if 2 <= len(h) <= 200]
    og_title = _meta(tree, "og:title", "twitter:title")
    if title:
        folded = title.replace(" ", "")
        matching = [h for h in headings if folded.startswith(h.replace(" ", "")) and len(h) >= 4]
        if matching:
            return max(matching, key=len)
        stripped = _strip_site_name(title, site_names)
        if stripped:
            return stripped
    if og_title:
        return _strip_site_name(og_title, site_names)
    return headings[0] if headings else ""
