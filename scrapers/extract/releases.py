"""Release entries on a list page: the links `newsroom` follows, each with a title and a date.

With a CSS selector from the config the entries are exactly the selected links. Without one the detector looks for
the page's repeated, dated entries: for every link it climbs a few ancestors to the nearest one whose text holds
exactly one date (和暦 or 西暦; an NTT Data style date heading over several items counts for each), groups the dated
links by their markup path (tag and class chain), and keeps the groups that repeat, outside navigation, headers and
footers. Tabs that repeat the same entries collapse because each URL is kept once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from lxml.html import HtmlElement

from textutil.dates import find_dates
from textutil.width import fold_width

from .boiler import in_furniture
from .dates import date_in_url, iso_to_japan_date
from .html import clean_space, text_of
from .links import base_url, resolve_href

_MAX_CLIMB = 5
_MIN_GROUP = 3
# 「4月28日」 on list pages without a year: only used when the page says which year nowhere else.
_SHORT_DATE = re.compile(r"(?<![\d年/.])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CLASS = re.compile(r"date|time|day|hiduke|hizuke", re.IGNORECASE)


@dataclass(frozen=True)
class Release:
    url: str
    title: str
    date: str | None


_MAX_ENTRY_CHARS = 3000  # an ancestor with more text than this is the whole list, not one entry
_YEAR_ONLY = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d)|(令和|平成)\s*(元|\d{1,2})\s*年(?!度)")
Dates = tuple[set[str], list[tuple[int, int]]]


def _scan_dates(text: str) -> Dates:
    found = {d.date for d in find_dates(text)}
    short: list[tuple[int, int]] = []
    if not found:
        for match in _SHORT_DATE.finditer(fold_width(text)):
            month, day = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and 1 <= day <= 31 and (month, day) not in short:
                short.append((month, day))
    return found, short


def _anchor_texts(anchor: HtmlElement) -> tuple[str, str]:
    """(the link's whole text, the text of its date labels: <time> or date-classed elements inside it)."""
    labels = [
        text_of(e) for e in anchor.iter()
        if e is not anchor and isinstance(e.tag, str) and (e.tag == "time" or _DATE_CLASS.search(e.get("class") or ""))
    ]  # fmt: skip
    return text_of(anchor), " ".join(labels)


class _DateScan:
    """Dates around the links of one page. Every entry of a list climbs through the same ancestors, so their texts
    and dates are computed once per page (a 270 KB page with 400 links: 4 s without, 0.5 s with)."""

    def __init__(self, tree: HtmlElement) -> None:
        self.tree = tree
        self.texts: dict[HtmlElement, str] = {}
        self.dates: dict[str, Dates] = {}
        self.has_time = bool(tree.xpath("//time[@datetime]"))

    def text(self, element: HtmlElement) -> str:
        text = self.texts.get(element)
        if text is None:
            text = self.texts[element] = text_of(element)
        return text

    def dates_in(self, element: HtmlElement, skip: tuple[str, str] | None = None) -> Dates:
        """Full dates (plus <time datetime>) and year-less 「4月28日」 dates in the element's text.

        `skip` = (anchor text, anchor label text): the link's own title is replaced by its date label, so a date
        that is part of a title (「令和2年4月17日に発生した事故」) does not pass for the entry's date.
        """
        text = self.text(element)
        if len(text) > _MAX_ENTRY_CHARS:
            return {"(too long)", "(to be one entry)"}, []
        if skip and skip[0] and skip[0] in text:
            text = text.replace(skip[0], skip[1], 1)
        cached = self.dates.get(text)
        if cached is None:
            cached = self.dates[text] = _scan_dates(text)
        found, short = set(cached[0]), list(cached[1])
        for value in element.xpath(".//time/@datetime") if self.has_time else ():
            iso = iso_to_japan_date(value)
            if iso:
                found.add(iso)
        return found, short

    def entry_date(self, anchor: HtmlElement) -> tuple[str | None, tuple[int, int] | None]:
        """The entry's date from the nearest ancestor (or its previous sibling) holding exactly one date outside the
        link's title; else the one date inside the title; else a year-less (month, day) to be completed."""
        skip = _anchor_texts(anchor)
        short: tuple[int, int] | None = None
        node: HtmlElement | None = anchor
        for _ in range(_MAX_CLIMB + 1):
            if node is None or node.tag in ("body", "html"):
                break
            dates, shorts = self.dates_in(node, skip)
            if len(dates) == 1:
                return next(iter(dates)), None
            if len(dates) > 1 or len(shorts) > 1:
                break
            if shorts and short is None:
                short = shorts[0]
            # <dt>date</dt><dd><a>…</a></dd>, <th>date</th><td><a>…</a></td>: the date is in the previous sibling.
            previous = node.getprevious()
            if previous is not None and isinstance(previous.tag, str) and not previous.xpath(".//a[@href]"):
                dates, shorts = self.dates_in(previous)
                if len(dates) == 1:
                    return next(iter(dates)), None
                if len(shorts) == 1 and short is None:
                    short = shorts[0]
            node = node.getparent()
        inside, _ = self.dates_in(anchor)
        if len(inside) == 1 and short is None:
            return next(iter(inside)), None
        return None, short

    def page_year(self) -> int | None:
        """The year most full dates on the page are in, else the most frequent bare year (「2026年」 headings,
        「令和8年」): completes year-less list dates (「4月28日」)."""
        body = self.tree.find("body")
        text = self.text(body) if body is not None else ""
        years: dict[int, int] = defaultdict(int)
        for mention in find_dates(text):
            years[int(mention.date[:4])] += 1
        if not years:
            for match in _YEAR_ONLY.finditer(fold_width(text)):
                if match.group(1):
                    years[int(match.group(1))] += 1
                else:
                    number = 1 if match.group(3) == "元" else int(match.group(3))
                    years[(2018 if match.group(2) == "令和" else 1988) + number] += 1
        return max(years, key=lambda y: (years[y], y)) if years else None

    def date_of(self, anchor: HtmlElement, year: int | None) -> str | None:
        date, short = self.entry_date(anchor)
        return date or _complete(short, year)


def page_year(tree: HtmlElement) -> int | None:
    """See `_DateScan.page_year`."""
    return _DateScan(tree).page_year()


def _complete(short: tuple[int, int] | None, year: int | None) -> str | None:
    if short is None or year is None:
        return None
    try:
        return dt.date(year, *short).isoformat()
    except ValueError:
        return None


def _signature(anchor: HtmlElement) -> tuple[str, ...]:
    """The tag chain above the link plus its list container's tag and class: entries of one list share it, whether
    the date sits next to the link or one level up (an NTT Data style date heading over several items)."""
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
        # The list's container is the nearest ancestor holding several links (one <dl> per entry is common).
        if node.tag in ("body", "main") or node.xpath("count(.//a[@href])") >= 3:
            container = f"{node.tag}.{' '.join(sorted((node.get('class') or '').split()))}"
            break
        node = node.getparent()
    return (*chain, container)


# The second link of an entry that only points at its file: 「PDF」「PDF（123KB）」「Excel」
_FILE_LABEL = re.compile(
    r"^(?:PDF|ＰＤＦ|Excel|エクセル|Word|ワード|CSV|xlsx?|docx?)\s*(?:ファイル)?\s*(?:[（(\[［].*[)）\]］])?$",
    re.IGNORECASE,
)
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
    return _strip_edge_date(longest if len(longest) >= 0.6 * len(whole) else whole)


_EDGE_PUNCTUATION = " 　:：-－–|｜/／・[]［］()（）【】〔〕"


def _strip_edge_date(title: str) -> str:
    """「2026年7月31日　お知らせ」「お知らせ（2026年7月31日）」 → 「お知らせ」; a date inside the title stays."""
    dates = find_dates(title)
    if not dates:
        return title
    first, last = dates[0], dates[-1]
    if not title[: first.start].strip(_EDGE_PUNCTUATION):
        rest = title[first.end :]
        rest = re.sub(r"^\s*(?:[（(][月火水木金土日](?:曜日?)?[)）])?\s*(?:更新|掲載|発表)?", "", rest)
        rest = rest.lstrip(" 　:：-－–|｜/／・)）]］】〕").rstrip()
        if rest and not rest.startswith(("に", "付", "の", "から", "まで", "時点", "現在")):
            return rest
    if not title[last.end :].strip(_EDGE_PUNCTUATION) and title[: last.start].strip(_EDGE_PUNCTUATION):
        head = title[: last.start]
        if head.rstrip().endswith(("（", "(", "【", "[", "［", "　", " ", "|", "｜", "-", "－", "：", ":")):
            return head.rstrip(" 　:：-－–|｜/／・(（[［【〔").lstrip()
    return title


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
    scan = _DateScan(tree)
    year = scan.page_year()
    for element in tree.cssselect(selector):
        anchors = [element] if element.tag == "a" else element.xpath(".//a[@href]")[:1]
        for anchor in anchors:
            release = _release(anchor, base, scan.date_of(anchor, year))
            if release and release.url not in seen and release.url != url:
                seen.add(release.url)
                found.append(release)
    return found


def detect_releases(tree: HtmlElement, url: str) -> list[Release]:
    """The page's repeated dated entries, found without selectors (see the module docstring)."""
    base = base_url(tree, url)
    groups: dict[tuple, list[Release]] = defaultdict(list)
    order: dict[tuple, int] = {}
    scan = _DateScan(tree)
    year = scan.page_year()
    for position, anchor in enumerate(tree.xpath("//body//a[@href]")):
        date = scan.date_of(anchor, year)
        if date is None or in_furniture(anchor):
            continue
        release = _release(anchor, base, date)
        if release is None or release.url == url or not release.title or _FILE_LABEL.match(release.title):
            continue
        key = _signature(anchor)
        groups[key].append(release)
        order.setdefault(key, position)
    if not groups:
        return []
    # Category or tag links repeat a few URLs down the list ("くらし", "イベント"): not releases.
    groups = {k: v for k, v in groups.items() if len(v) < 4 or len({r.url for r in v}) > len(v) / 2}
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

