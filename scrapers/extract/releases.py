"""Release entries on a list page: the links `newsroom` follows, each with a title and a date.

With a CSS selector from the config the entries are exactly the selected links. Without one the detector looks for
the page's repeated, dated entries: for every link it climbs a few ancestors to the nearest one whose text holds
exactly one date (和暦 or 西暦; an NTT Data style date heading over several items counts for each), groups the dated
links by their markup path (tag and class chain), and keeps the groups that repeat, outside navigation, headers and
footers. Tabs that repeat the same entries collapse because each URL is kept once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml.html import HtmlElement

from nlp.dates import find_dates

from .boiler import in_furniture
from .dates import date_in_url, iso_to_japan_date
from .html import clean_space, text_of
from .links import base_url, resolve_href

_MAX_CLIMB = 5
_MIN_GROUP = 3
# 「4月28日」 on list pages without a year: only used when the page says which year nowhere else.
_SHORT_DATE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class Release:
    url: str
    title: str
    date: str | None


def _dates_in(element: HtmlElement) -> set[str]:
    found = {d.date for d in find_dates(text_of(element))}
    for value in element.xpath(".//time/@datetime"):
        iso = iso_to_japan_date(value)
        if iso:
            found.add(iso)
    return found


def _entry_date(anchor: HtmlElement) -> tuple[str | None, int]:
    """(date, levels climbed) from the nearest ancestor holding exactly one date; (None, -1) if none does."""
    node: HtmlElement | None = anchor
    for level in range(_MAX_CLIMB + 1):
        if node is None or node.tag in ("body", "html"):
            break
        dates = _dates_in(node)
        if len(dates) == 1:
            return next(iter(dates)), level
        if len(dates) > 1:
            break
        # <dt>date</dt><dd><a>…</a></dd>, <th>date</th><td><a>…</a></td>: the date sits in the previous sibling.
        previous = node.getprevious()
        if previous is not None and isinstance(previous.tag, str) and not previous.xpath(".//a[@href]"):
            dates = _dates_in(previous)
            if len(dates) == 1:
                return next(iter(dates)), level
        node = node.getparent()
    return None, -1


def _signature(anchor: HtmlElement) -> tuple[str, ...]:
    """The tag chain above the link plus its list container's class: entries of one list share it, whether the
    date sits next to the link or one level up (an NTT Data style date heading over several items)."""
    chain: list[str] = []
    node: HtmlElement | None = anchor
    container = ""
    for _ in range(5):
        if node is None:
            break
        chain.append(str(node.tag))
        node = node.getparent()
    node = anchor.getparent()
    while node is not None:
        if node.tag in ("ul", "ol", "dl", "table", "tbody", "section", "main", "body"):
            container = f"{node.tag}.{' '.join(sorted((node.get('class') or '').split()))}"
            break
        node = node.getparent()
    return (*chain, container)


_TITLE_CLASS = re.compile(r"title|ttl|heading|headline|subject|midashi", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^[\s\[\]［］()（）【】]*(?:更新|掲載|公開|発表|NEW|new)?[\s\[\]［］()（）【】]*$")


def _is_date_only(segment: str) -> bool:
    """A segment that is just a date (with brackets or a 更新/NEW label): not the title."""
    rest = segment
    for date in find_dates(segment):
        rest = rest.replace(date.surface, "")
    rest = _SHORT_DATE.sub("", rest)
    return rest != segment and bool(_DATE_LABEL.match(rest))


def entry_title(anchor: HtmlElement) -> str:
    """The entry's title: a heading or title-classed element inside the link, else its longest text segment
    that is not a date or a short label (a card link wraps date, category, title and summary)."""
    for inner in anchor.xpath(".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"):
        if text_of(inner):
            return text_of(inner)
    for inner in anchor.iter():
        if inner is not anchor and _TITLE_CLASS.search(inner.get("class") or "") and text_of(inner):
            return text_of(inner)
    segments = [s for s in (clean_space(s) for s in anchor.itertext()) if s and not _is_date_only(s)]
    if not segments:
        return clean_space(anchor.get("title") or "")
    whole = clean_space(" ".join(segments))
    longest = max(segments, key=len)
    # Pieces split by <br> or <span> read better joined; a category label beside a long title does not.
    return longest if len(longest) >= 0.6 * len(whole) else whole


def _release(anchor: HtmlElement, base: str, date: str | None) -> Release | None:
    url = resolve_href(anchor.get("href"), base)
    if url is None:
        return None
    return Release(url=url, title=entry_title(anchor), date=date or date_in_url(url))


def releases_by_selector(tree: HtmlElement, url: str, selector: str) -> list[Release]:
    """Entries picked by a CSS selector from the config (links, or elements holding one link)."""
    base = base_url(tree, url)
    found: list[Release] = []
    seen: set[str] = set()
    for element in tree.cssselect(selector):
        anchors = [element] if element.tag == "a" else element.xpath(".//a[@href]")[:1]
        for anchor in anchors:
            date, _ = _entry_date(anchor)
            release = _release(anchor, base, date)
            if release and release.url not in seen and release.url != url:
                seen.add(release.url)
                found.append(release)
    return found


def detect_releases(tree: HtmlElement, url: str) -> list[Release]:
    """The page's repeated dated entries, found without selectors (see the module docstring)."""
    base = base_url(tree, url)
    groups: dict[tuple, list[Release]] = defaultdict(list)
    order: dict[tuple, int] = {}
    for position, anchor in enumerate(tree.xpath("//body//a[@href]")):
        date, _ = _entry_date(anchor)
        if date is None or in_furniture(anchor):
            continue
        release = _release(anchor, base, date)
        if release is None or release.url == url or not release.title:
            continue
        key = _signature(anchor)
        groups[key].append(release)
        order.setdefault(key, position)
    if not groups:
        return []
    largest = max(len(v) for v in groups.values())
    keep = [k for k, v in groups.items() if len(v) >= _MIN_GROUP or len(v) == largest]
    found: list[Release] = []
    seen: set[str] = set()
    for key in sorted(keep, key=order.__getitem__):
        for release in groups[key]:
            if release.url not in seen:
                seen.add(release.url)
                found.append(release)
    return found


def find_releases(tree: HtmlElement, url: str, follow: str | None = None) -> list[Release]:
    """Entries `newsroom` follows: by selector when given, else detected."""
    return releases_by_selector(tree, url, follow) if follow else detect_releases(tree, url)
