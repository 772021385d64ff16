"""The date of each entry on a list page: from the entry itself, from a date label beside it, or from the date
heading above a group of entries.

For every link the scan climbs a few ancestors. While an ancestor holds only this entry (links to one other URL at
most: an image link, a company or category link), its dates are the entry's: one date is the date; several (a
deadline, an event day, dates inside the title) give the one with a publication label (公告日, 公開, 掲載…), the
<time datetime>, else the first; year-less 「4月28日」「8/9（日）」 are completed with the year of the nearest
「2026年7月」 heading above, else the page's year; relative 「3時間前」「2日前」 are resolved against the fetch time in
Japan time. Once an ancestor holds other entries, only a date heading counts: a short text outside any link, above
the entry inside that ancestor (「令和 8年3月3日」 in a <dt>, 「7月23日公開の報道発表資料」 in an <h2>). A date inside
another entry's title, or below the entry (the next item's 「1月12日10時48分配信」), is never this entry's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import lxml.etree
from lxml.html import HtmlElement

from textutil.dates import find_dates
from textutil.width import fold_width

from .dates import JST, iso_to_japan_date
from .html import block_text, text_of
from .stamp import stamp_date

MAX_CLIMB = 5  # ancestors climbed from a link (wrappers holding only one child are free)
MAX_ENTRY_CHARS = 3000  # an ancestor with more text than this is the whole list, not one entry
_MAX_HEADING_CHARS = 100
_MAX_ITEM_CHARS = 600  # a shared ancestor holding its own date heading is one item of a few links, not a section
_SHARED_CLIMB = 3  # ancestors holding other entries whose previous sibling may hold the entry's date heading
# 「4月28日」, 「8/9（日）」 on list pages without a year: completed with the year of the page or of a heading above.
SHORT_DATE = re.compile(
    r"(?<![\d年/.])(\d{1,2})\s*月\s*(\d{1,2})\s*日|(?<![\d/.])(\d{1,2})/(\d{1,2})(?=\s*[（(][月火水木金土日])"
)
_TIME_ONLY = re.compile(r"(?<!\d)\d{1,2}\s*(?:時\s*\d{1,2}\s*分|:\d{2})(?!\d)")
_RELATIVE = re.compile(r"(\d{1,3})\s*(分|時間|日)前")
_YEAR_ONLY = re.compile(r"(?<!\d)(20\d\d|19\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d)|(令和|平成)\s*(元|\d{1,2})\s*年(?!度)")
# 「2026年7月」「令和8年7月」 alone: a month heading whose year completes the year-less dates below it.
_YEAR_MONTH = re.compile(r"^\s*(?:(20\d\d|19\d\d)|(令和|平成)\s*(元|\d{1,2}))\s*年\s*\d{1,2}\s*月\s*$")
_DATE_CLASS = re.compile(r"date|time|day|hiduke|hizuke", re.IGNORECASE)
# A publication label shortly before a date: that date is the entry's among several (公告（公開）日 令和8年7月29日).
_PUBLICATION_LABEL = re.compile(r"(?:公告|公開|掲載|発表|公表|更新|登録|配信|作成|発行)[^\d\n]{0,8}$")
# A date with one of these labels before it is an event's or a deadline's, never a heading's.
_OTHER_LABEL = re.compile(r"(?:発売|開催|期間|日時|日程|締切|締め切り|期限|受付|申込|募集|実施|予定|会期)[^\d\n]{0,6}$")
_MAYBE_DATE = re.compile(r"[0-9０-９〇一二三四五六七八九十元]\s*[年月/.／．時:：]")

_TIMES = lxml.etree.XPath("descendant-or-self::time/@datetime")
_NOT_TEXT = frozenset(("script", "style", "option", "title", "noscript", "template"))

Dates = tuple[set[str], list[tuple[int, int]]]
Heading = tuple[HtmlElement, str | None, tuple[int, int] | None]  # (its element, its date, or its (month, day))


def _scan_dates(text: str) -> Dates:
    found = {d.date for d in find_dates(text)}
    short: list[tuple[int, int]] = []
    if not found:
        for match in SHORT_DATE.finditer(fold_width(text)):
            month, day = (int(g) for g in (match.group(1, 2) if match.group(1) else match.group(3, 4)))
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


def _wrapper(node: HtmlElement) -> bool:
    """An element that only wraps its one child element, with no text of its own around it."""
    return len(node) == 1 and not (node.text or "").strip() and not (node[0].tail or "").strip()


def _stamp_line_date(anchor: HtmlElement) -> str | None:
    """A card wrapped in one link (title, teaser, 「2016年7月14日 10時」): the date of its one stamp-like line, not
    the event dates of its teaser's sentences."""
    found = {date for line in block_text(anchor).split("\n") if (date := stamp_date(line))}
    return next(iter(found)) if len(found) == 1 else None


def _complete(short: tuple[int, int] | None, year: int | None) -> str | None:
    if short is None or year is None:
        return None
    try:
        return dt.date(year, *short).isoformat()
    except ValueError:
        return None


def _era_year(era: str | None, number: str | None, western: str | None) -> int:
    if western:
        return int(western)
    value = 1 if number == "元" else int(number or 1)
    return (2018 if era == "令和" else 1988) + value


class DateScan:
    """Dates around the links of one page. Every entry of a list climbs through the same ancestors, so their texts,
    dates and links are computed once per page (a 270 KB page with 400 links: 4 s without, 0.5 s with)."""

    def __init__(self, tree: HtmlElement, fetched_at: dt.datetime | None = None) -> None:
        self.tree = tree
        self.texts: dict[HtmlElement, str] = {}
        self.dates: dict[str, Dates] = {}
        self.hrefs: dict[HtmlElement, frozenset[str]] = {}
        self.has_time = bool(tree.xpath("//time[@datetime]"))
        fetched = fetched_at or dt.datetime.now(dt.UTC)
        self.today = (fetched if fetched.tzinfo else fetched.replace(tzinfo=dt.UTC)).astimezone(JST)
        self._year: int | None = None
        self._headings: dict[HtmlElement, Heading] | None = None
        self._heading: Heading | None = None
        self.timed: set[HtmlElement] = set()  # entries under a time-only heading: listed, their own page dates them
        self._years: dict[HtmlElement, int] = {}

    def text(self, element: HtmlElement) -> str:
        text = self.texts.get(element)
        if text is None:
            text = self.texts[element] = text_of(element)
        return text

    def links_in(self, element: HtmlElement) -> frozenset[str]:
        """The distinct hrefs of the links inside the element (the element itself included when it is one)."""
        found = self.hrefs.get(element)
        if found is None:
            found = self.hrefs[element] = frozenset(
                (a.get("href") or "").strip() for a in element.iter("a") if a.get("href")
            )
        return found

    def _relative(self, text: str) -> str | None:
        match = _RELATIVE.search(fold_width(text))
        if not match:
            return None
        amount, unit = int(match.group(1)), match.group(2)
        delta = {"分": dt.timedelta(minutes=amount), "時間": dt.timedelta(hours=amount)}.get(unit)
        day = (self.today - delta).date() if delta else self.today.date() - dt.timedelta(days=amount)
        return day.isoformat()

    def dates_in(self, element: HtmlElement, skip: tuple[str, str] | None = None) -> Dates:
        """Full dates (plus <time datetime>) and year-less 「4月28日」 dates in the element's text.

        `skip` = (anchor text, anchor label text): the link's own title is replaced by its date label, so a date
        that is part of a title (「令和2年4月17日に発生した事故」) does not pass for the entry's date.
        """
        text = self._entry_text(element, skip)
        if text is None:
            return {"(too long)", "(to be one entry)"}, []
        cached = self.dates.get(text)
        if cached is None:
            cached = _scan_dates(text)
            if not cached[0] and not cached[1]:
                relative = self._relative(text) if "前" in text else None
                cached = ({relative} if relative else set(), [])
            self.dates[text] = cached
        found, short = set(cached[0]), list(cached[1])
        times = self._times(element)
        if times:
            found = times if len(found - times) > 0 and len(times) == 1 else found | times
        return found, short

    def _entry_text(self, element: HtmlElement, skip: tuple[str, str] | None) -> str | None:
        text = self.text(element)
        if len(text) > MAX_ENTRY_CHARS:
            return None
        if skip and skip[0] and skip[0] in text:
            text = text.replace(skip[0], skip[1], 1)
        return text

    def _times(self, element: HtmlElement) -> set[str]:
        if not self.has_time:
            return set()
        return {iso for value in _TIMES(element) if (iso := iso_to_japan_date(value))}

    def _pick(self, element: HtmlElement, skip: tuple[str, str]) -> str | None:
        """Of several dates in one entry: the <time datetime>, else the one after a publication label, else the
        first (a teaser's later dates are events and deadlines)."""
        times = self._times(element)
        if len(times) == 1:
            return next(iter(times))
        text = self._entry_text(element, skip) or ""
        mentions = find_dates(text)
        if not mentions:
            return None
        folded = fold_width(text)
        for mention in mentions:
            if _PUBLICATION_LABEL.search(folded[max(0, mention.start - 10) : mention.start]):
                return mention.date
        for mention in mentions:
            if not _OTHER_LABEL.search(folded[max(0, mention.start - 8) : mention.start]):
                return mention.date
        return mentions[0].date

    def _single_entry(self, node: HtmlElement, anchor: HtmlElement) -> bool:
        """Whether the node holds only this entry: links to its URL and to one other URL at most."""
        own = (anchor.get("href") or "").strip()
        return len(self.links_in(node) - {own}) <= 1

    def _datelike(self, element: HtmlElement) -> bool:
        """A cheap test before the page's headings are scanned: menus hold no digit next to 年/月/."""
        return isinstance(element.tag, str) and bool(_MAYBE_DATE.search(self.text(element)))

    def _heads(self, element: HtmlElement) -> bool:
        """Whether an element before a group can be its heading: one link at most (<dt>令和 8年3月3日 <a>全体目次</a>),
        not a box of dated links of its own (today's updates above a tabbed list)."""
        return len(self.links_in(element)) <= 1

    def entry_node(self, anchor: HtmlElement) -> HtmlElement:
        """The largest ancestor (within the climb) that holds only this entry: a card's title, image and company
        links share it."""
        entry = anchor
        node = anchor.getparent()
        for _ in range(MAX_CLIMB):
            if node is None or node.tag in ("body", "html") or not self._single_entry(node, anchor):
                break
            entry, node = node, node.getparent()
        return entry

    def entry_date(self, anchor: HtmlElement) -> tuple[str | None, tuple[int, int] | None]:
        """The entry's date (see the module docstring), or a year-less (month, day) to be completed."""
        skip = _anchor_texts(anchor)
        short: tuple[int, int] | None = None
        node: HtmlElement | None = anchor
        shared = 0  # levels climbed among other entries: only a date heading right above the group counts there
        level = climbed = 0
        while climbed <= MAX_CLIMB:
            if node is None or node.tag in ("body", "html") or shared > _SHARED_CLIMB:
                break
            if level:
                climbed += 0 if _wrapper(node) else 1  # <div><div><div>…: a CMS's wrappers add no level
            level += 1
            if shared or (level > 1 and not self._single_entry(node, anchor)):
                shared += 1
                # The heading of this entry's group: inside the first ancestor shared with other entries (kitty-style
                # items, a date heading over two items), or in the element just before the group (<dt> before <dd>,
                # <h2> before <ul>). A date further up belongs to some other part of the page.
                previous = node.getprevious()
                item_sized = shared == 1 and len(self.text(node)) <= _MAX_ITEM_CHARS and self._datelike(node)
                heading = (self.heading_above(anchor, node) if item_sized else None) or (
                    self.heading_above(anchor, previous)
                    if previous is not None and self._datelike(previous) and self._heads(previous)
                    else None
                )
                if heading is not None:
                    if heading[1] is None and heading[2] is None:
                        self.timed.add(anchor)  # under 「12時31分更新」: an entry without a date of its own
                    return heading[1], heading[2] if heading[1] is None else None
                node = node.getparent()
                continue
            dates, shorts = self.dates_in(node, skip)
            if len(dates) == 1:
                return next(iter(dates)), None
            if len(dates) > 1:
                return (self._pick(node, skip), None) if "(too long)" not in dates else (None, short)
            if shorts and short is None:
                short = shorts[0]
            # <dt>date</dt><dd><a>…</a></dd>, <th>date</th><td><a>…</a></td>, <h2>7月23日公開</h2><ul>…: the date is
            # in the previous sibling.
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
        if len(inside) > 1 and short is None:
            return _stamp_line_date(anchor), None
        return None, short

    def _scan_headings(self) -> None:
        """One pass in document order: for every link, the last date heading and the last 「2026年7月」 heading above
        it (text outside links, short, with one date and no event/deadline label before it)."""
        self._headings = {}
        body = self.tree.find("body")
        if body is None:
            return
        self._heading = None
        self._year_heading: int | None = None
        self._last_anchor: HtmlElement | None = None
        inside_link = 0
        for event, element in lxml.etree.iterwalk(body, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == "a":
                    inside_link += 1
                    if inside_link == 1 and element.get("href"):
                        self._at_anchor(element)
                elif inside_link == 0 and element.text and isinstance(tag, str) and tag not in _NOT_TEXT:
                    self._at_text(element.text, element, None)
                continue
            if tag == "a":
                inside_link -= 1
            if inside_link == 0 and element.tail and element is not body:
                self._at_text(element.tail, element.getparent(), element)

    def _at_anchor(self, anchor: HtmlElement) -> None:
        assert self._headings is not None
        self._last_anchor = anchor
        if self._heading is not None:
            self._headings[anchor] = self._heading
        if self._year_heading is not None:
            self._years[anchor] = self._year_heading

    def _at_text(self, raw: str, container: HtmlElement | None, before: HtmlElement | None) -> None:
        """A text outside links: the text of `container`, or the tail of `before` inside it."""
        text = raw.strip()
        if not text or len(text) > _MAX_HEADING_CHARS or container is None or not _MAYBE_DATE.search(text):
            return
        month = _YEAR_MONTH.match(fold_width(text))
        if month:
            self._year_heading = _era_year(month.group(2), month.group(3), month.group(1))
            return
        if self._last_anchor is not None and self._trails(container, self._last_anchor):
            return
        mentions = find_dates(text)
        full = {m.date for m in mentions}
        folded = fold_width(text)
        in_time = container.tag == "time" and before is None
        stamp = iso_to_japan_date(container.get("datetime") or "") if in_time else None
        if stamp:
            self._heading = (container, stamp, None)
        elif len(full) == 1:
            if not _OTHER_LABEL.search(folded[: mentions[0].start]):
                self._heading = (container, mentions[0].date, None)
        elif not full:
            shorts = _scan_dates(text)[1]
            first = SHORT_DATE.search(folded)
            if len(shorts) == 1 and first and not _OTHER_LABEL.search(folded[: first.start()]):
                self._heading = (container, None, shorts[0])
            elif not shorts and self._heading is None and len(text) <= 20 and _TIME_ONLY.search(folded):
                self._heading = (container, None, None)  # 「12時31分更新」 over a list, no date anywhere above

    def _trails(self, container: HtmlElement, last_anchor: HtmlElement) -> bool:
        """Whether a date text follows its own entry's link: the smallest block around it that holds a link holds
        only that one, before the date (<h2><a>title</a></h2><table>…公告日 令和8年7月29日…). Such a date is that
        entry's, not a heading over the next ones."""
        node: HtmlElement | None = container
        for _ in range(6):
            if node is None or node.tag in ("body", "html"):
                return False
            links = self.links_in(node)
            if links:
                return len(links) == 1 and (last_anchor.get("href") or "").strip() in links and any(
                    a is last_anchor for a in node.iter("a")
                )
            node = node.getparent()
        return False

    def heading_above(self, anchor: HtmlElement, node: HtmlElement) -> Heading | None:
        """The last date heading above the anchor, when it lies inside `node`."""
        if self._headings is None:
            self._scan_headings()
        assert self._headings is not None
        heading = self._headings.get(anchor)
        if heading is None:
            return None
        element: HtmlElement | None = heading[0]
        for _ in range(8):
            if element is None:
                return None
            if element is node:
                return heading
            element = element.getparent()
        return None

    def page_year(self) -> int | None:
        """The year most full dates on the page are in, else the most frequent bare year (「2026年」 headings,
        「令和8年」): completes year-less list dates (「4月28日」)."""
        if self._year is not None:
            return self._year
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
                    years[_era_year(match.group(2), match.group(3), None)] += 1
        self._year = max(years, key=lambda y: (years[y], y)) if years else None
        return self._year

    def date_of(self, anchor: HtmlElement) -> str | None:
        date, short = self.entry_date(anchor)
        if date or short is None:
            return date
        if self._headings is None:
            self._scan_headings()
        return _complete(short, self._years.get(anchor) or self.page_year())
