"""Feed entries (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) in any encoding, with entry dates in Japan time.

feedparser turns a Shift_JIS feed holding ① or ㈱ into garbage unless the bytes are decoded as CP932 first, so the
bytes are decoded here (same rules as pages) and handed over as UTF-8. Dates are read from the raw strings: a naive
time is Japan time, and a zoned one is converted to Japan time before taking the date (2026-08-01T00:15+09:00 is
2026-08-01). RSS 1.0 `dc:date` only fills feedparser's `updated`, so updated is the fallback for published.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from urllib.parse import urldefrag

import feedparser

from .dates import JST, iso_to_japan_date
from .decode import decode_bytes
from .html import block_text, clean_space, parse_html
from .links import resolve_href

log = logging.getLogger(__name__)

_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""", re.IGNORECASE)


class FeedError(ValueError):
    """The bytes are not a feed feedparser can read."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published: str | None
    summary: str


def feed_date(value: str | None) -> str | None:
    """An RFC 822 or W3C/ISO date string → ISO date in Japan time (naive times are taken as Japan time)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        stamp = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        stamp = None
    if stamp is not None:
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=JST)
        return stamp.astimezone(JST).date().isoformat()
    return iso_to_japan_date(value)


def _struct_date(parsed: time.struct_time | None) -> str | None:
    """feedparser's parsed times are UTC."""
    if not parsed:
        return None
    stamp = dt.datetime(*parsed[:6], tzinfo=dt.UTC)
    return stamp.astimezone(JST).date().isoformat()


def _entry_date(entry: feedparser.FeedParserDict) -> str | None:
    for key in ("published", "issued", "created", "dc_date", "updated", "modified"):
        found = feed_date(entry.get(key))
        if found:
            return found
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        found = _struct_date(entry.get(key))
        if found:
            return found
    return None


def _plain(html: str) -> str:
    if "<" not in html:
        return clean_space(html)
    return block_text(parse_html(f"<html><body><div>{html}</div></body></html>").find("body"))


@dataclass(frozen=True)
class Feed:
    title: str
    entries: list[FeedEntry]


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> list[FeedEntry]:
    """The entries of a feed, in feed order; FeedError when the bytes are no feed."""
    return read_feed(body, url, content_type).entries


def read_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """The feed's title and entries; FeedError when the bytes are no feed."""
    text = decode_bytes(body, content_type).text
    utf8 = _XML_ENCODING.sub(r'\1\2utf-8\2', text, count=1).encode("utf-8")
    parsed = feedparser.parse(utf8, response_headers={"content-type": "application/xml; charset=utf-8"})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed, "bozo_exception", None) or "no feed elements"
        raise FeedError(f"not a feed at {url}: {reason}")
    entries: list[FeedEntry] = []
    fragments: list[str] = []
    for entry in parsed.entries:
        raw_link = entry.get("link") or entry.get("id") or ""
        link = resolve_href(raw_link, url)
        if link is None:
            log.warning("feed entry without link in %s: %s", url, entry.get("title"))
            continue
        # The fullest text the entry carries: Atom <content> is often the whole post, <summary> a teaser.
        texts = [entry.get("summary") or entry.get("description") or ""]
        texts += [part.get("value", "") for part in entry.get("content") or []]
        summary = max(texts, key=len)
        fragments.append(urldefrag(raw_link.strip())[1])
        entries.append(
            FeedEntry(
                url=link,
                title=clean_space(_plain(entry.get("title", ""))),
                published=_entry_date(entry),
                summary=_plain(summary),
            )
        )
    if not entries and parsed.bozo:
        raise FeedError(f"not a well-formed feed at {url}: {parsed.get('bozo_exception')}")
    entries = _distinct_fragments(entries, fragments)
    return Feed(title=clean_space(_plain(parsed.feed.get("title", ""))), entries=entries)


def _distinct_fragments(entries: list[FeedEntry], fragments: list[str]) -> list[FeedEntry]:
    """Entries that differ only by a #fragment (a diary's day page: …/20040820, …/20040820#p1) are distinct entries
    when their titles differ: they keep their fragments, and so does every entry of a feed that names its entries
    that way (a comment 「…20050906.html#c06」 alone on its day is still that comment, not the day). Elsewhere the
    fragment goes, as for every link."""
    titles: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        titles[entry.url].add(entry.title)
    by_fragment = any(len(named) > 1 for named in titles.values())
    return [
        replace(entry, url=f"{entry.url}#{fragment}") if fragment and by_fragment else entry
        for entry, fragment in zip(entries, fragments, strict=True)
    ]


def looks_like_feed(body: bytes, content_type: str | None = None) -> bool:
    """Cheap sniff: XML with an rss/feed/rdf root (used by `ometsuke extract` and the feed spider)."""
    head = body[:1024].lstrip().lower()
    kind = (content_type or "").lower()
    return any(t in kind for t in ("rss", "atom", "rdf")) or any(
        marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf")
    ) or (head.startswith(b"<?xml") and any(m in body[:4096].lower() for m in (b"<rss", b"<feed", b"<rdf")))
