"""The published date of a page: labelled dates first (発表日, 掲載日, 公開日, 更新日…), then page metadata, then the
date in the URL, then the first date near the heading. ISO YYYY-MM-DD in Japan time.

Libraries get this wrong on Japanese pages (htmldate reads no 和暦 and turned 2026年7月31日 into 2026-01-01), so
these are rules of our own over `textutil.dates.find_dates`, which handles 和暦 with 元年 and full-width digits.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.etree
from lxml.html import HtmlElement

from textutil.dates import find_dates
from textutil.width import fold_width

from .stamp import stamped_date

JST = dt.timezone(dt.timedelta(hours=9), "JST")

# Labels in order of preference: a publication label beats an update label.
_PUBLISHED_LABELS = (
    "報道発表日", "発表日", "公表日", "公開日", "掲載日", "発行日", "登録日", "作成日", "配信日", "リリース日",
)  # fmt: skip
_UPDATED_LABELS = ("最終更新日", "更新日", "最終更新")
# 「2026年7月31日更新」「令和8年7月31日（金曜日）更新」「2026年7月31日 掲載」
# 「2020年6月1日現在」 is not among them: it dates the figures in a sentence (店舗数 … 現在), not the page.
# 「[2019年02月22日] 掲載」: a bracket may close round the date before the label.
_LABEL_AFTER = re.compile(
    r"[\]］】〕)）]?\s*(?:[（(]\s*[月火水木金土日](?:曜日?)?\s*[)）])?\s*[（(]?\s*(?:更新|掲載|発表|公開)"
)
_LABEL_GAP = 12  # characters allowed between a label and its date ("更新日：2026年7月31日")
# Every way `labelled_date` can find a date needs one of these words in the text (each label holds one of them or is
# one; the labels after a date are `_LABEL_AFTER`'s): without any, the page's dates need not be read at all.
# Labels are plain kanji/kana, which `fold_width` leaves alone, so searching the unfolded text is the same.
_ANY_LABEL = re.compile("|".join(sorted({*_PUBLISHED_LABELS, *_UPDATED_LABELS, "更新", "掲載", "発表", "公開"},
                                        key=len, reverse=True)))
_URL_DATE = [
    re.compile(r"(?<!\d)(?P<y>20\d\d|19\d\d)/(?P<m>\d\d)/(?P<d>\d\d)(?!\d)"),  # /2021/03/05/
    re.compile(r"(?<!\d)(?P<y>20\d\d)(?P<m>\d\d)(?P<d>\d\d)(?:\d\d|_\d+|-\d+)?(?!\d)"),  # /2026073101, 20260731_01
    re.compile(r"(?<!\d)(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
]
_META_DATE_NAMES = (
    "article:published_time", "og:published_time", "datePublished", "date", "dc.date", "DC.date.issued",
    "dcterms.issued", "pubdate", "publishdate",
)  # fmt: skip


def date_in_url(url: str) -> str | None:
    """A plausible date written in the URL path (/2021/03/05/, /2026073101, /20260731_01), else a YYYYMMDD that opens
    a query value."""
    path, _, query = url.split("#", 1)[0].partition("?")
    # The path first; then an id in the query that starts with the date (Yahoo!ニュース' ?a=20170309-35097838-…).
    for part, patterns in ((path, _URL_DATE), (query, _URL_DATE[1:2])):
        for pattern in patterns:
            for match in pattern.finditer(part):
                try:
                    value = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
                except ValueError:
                    continue
                if 1990 <= value.year <= dt.date.today().year + 1:
                    return value.isoformat()
    return None


def iso_to_japan_date(value: str) -> str | None:
    """An ISO timestamp (with or without zone; naive means Japan time) → the date in Japan."""
    text = value.strip().replace("Z", "+00:00")
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        found = find_dates(value)
        return found[0].date if found else None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(JST)
    return stamp.date().isoformat()


def labelled_date(text: str) -> str | None:
    """The date that follows (or precedes) a 発表日/掲載日/更新日… label in text, preferring publication labels."""
    if not _ANY_LABEL.search(text):
        return None  # no label before or after any date: nothing to find (most of a crawl's pages)
    folded = fold_width(text)
    dates = find_dates(text, folded=folded)
    if not dates:
        return None
    best: tuple[int, int, str] | None = None  # (label rank, position, date)
    for rank, labels in enumerate((_PUBLISHED_LABELS, _UPDATED_LABELS)):
        for label in labels:
            for match in re.finditer(re.escape(label), folded):
                after = [d for d in dates if 0 <= d.start - match.end() <= _LABEL_GAP]
                if after:
                    candidate = (rank, match.start(), after[0].date)
                    best = candidate if best is None or candidate[:2] < best[:2] else best
        if best is not None:
            return best[2]
    # 「令和3年(2021年)3月5日更新」「2026年7月31日掲載」: the label after the date. On a line that gives the
    # publication date first, 「令和8年7月31日　○○局（令和8年8月5日 更新）」, the update is not the publication.
    for index, mention in enumerate(dates):
        tail = folded[mention.end : mention.end + 12]
        if _LABEL_AFTER.match(tail):
            earlier = dates[index - 1] if index else None
            if earlier and "更新" in tail and "\n" not in folded[earlier.end : mention.start]:
                return earlier.date
            return mention.date
    return None


_META = lxml.etree.XPath("//meta")
_ITEMPROPS = lxml.etree.XPath("//*[@itemprop]")


def _published_itemprops(tree: HtmlElement) -> list[str]:
    """`//*[@itemprop='datePublished']/@content | …/@datetime` in document order (attributes in their element's
    order), from one scan of the document instead of the union's two."""
    return [
        value
        for element in _ITEMPROPS(tree)
        if element.get("itemprop") == "datePublished"
        for name, value in element.attrib.items()
        if name in ("content", "datetime")
    ]
_META_ATTRS = ("property", "name", "itemprop")


def meta_values(tree: HtmlElement) -> dict[tuple[str, str], list[str]]:
    """(attribute, its value) → the `content` of every <meta> carrying it, in document order: one pass over the
    page's <meta> elements instead of one XPath scan of the whole document per name and attribute."""
    index: dict[tuple[str, str], list[str]] = {}
    for meta in _META(tree):
        content = meta.get("content")
        if content is None:
            content = meta.get("value")  # <meta name="og:title" value="…">: a misspelt content, still the page's word
            if content is None:
                continue
        for attr in _META_ATTRS:
            value = meta.get(attr)
            if value is not None:
                index.setdefault((attr, value), []).append(content)
    return index


def meta_date(tree: HtmlElement, metas: dict[tuple[str, str], list[str]] | None = None) -> str | None:
    """<meta property="article:published_time">, <time datetime> and friends."""
    if metas is None:
        metas = meta_values(tree)
    if metas:
        for name in _META_DATE_NAMES:
            for attr in _META_ATTRS:
                for value in metas.get((attr, name), ()):
                    found = iso_to_japan_date(value)
                    if found:
                        return found
    for value in _published_itemprops(tree):
        found = iso_to_japan_date(value)
        if found:
            return found
    return None


def _text_without_furniture(tree: HtmlElement) -> str:
    """The body's text on one line, skipping page furniture (a walk that skips those subtrees, keeping their tails:
    the same text as dropping them from a copy of the body, without copying the tree)."""
    from .boiler import is_furniture
    from .html import block_text

    body = tree.find("body")
    if body is None:
        return ""
    return block_text(body, skip=is_furniture).replace("\n", " ")


_BODY_TIMES = lxml.etree.XPath("//body//time[@datetime]")


def title_tag_date(tree: HtmlElement, title: str) -> str | None:
    """A date that <title> adds beside the headline (「見出し（2020年2月15日）｜サイト」); one inside the headline
    itself (「…(2020/7/11-12)」) is what the release is about, not when it was published."""
    found = tree.find(".//title")
    if found is None:
        return None
    text = " ".join(found.text_content().split())
    rest = text.replace(" ".join(title.split()), " ") if title else text
    dates = find_dates(rest)
    return dates[0].date if dates else None


def published_date(tree: HtmlElement, body: str, url: str, title: str = "") -> tuple[str | None, str]:
    """(date, how) for a detail page; how is "label", "meta", "url", "stamp" (printed beside the heading), "title"
    (added to <title> beside the headline), "first" (the first date under the heading, the weakest: it may be an
    event date in the text) or "" when the page shows none.

    Order: a labelled date (発表日, 掲載日, 更新日…) in the main text, then elsewhere on the page outside headers,
    footers and menus (they carry the site's own 最終更新), page metadata, the URL, the stamp beside the heading, a
    date <title> adds, the first date under the heading.
    """
    found = labelled_date(body) or labelled_date(_text_without_furniture(tree))
    if found:
        return found, "label"
    found = meta_date(tree)
    if found:
        return found, "meta"
    found = date_in_url(url)
    if found:
        return found, "url"
    found = stamped_date(tree, title)
    if found:
        return found, "stamp"
    found = title_tag_date(tree, title)
    if found:
        return found, "title"
    start = body[: 300 + len(title)]
    if title and title in start:  # a date inside the headline is what the release is about, not its date
        start = start.replace(title, " " * len(title), 1)
    dates = find_dates(start)
    if dates:
        return dates[0].date, "first"
    from .boiler import in_furniture

    for element in _BODY_TIMES(tree):
        found = iso_to_japan_date(element.get("datetime"))
        if found and not in_furniture(element):  # a sidebar's 新着情報 <time> is not the page's date
            return found, "first"
    return None, ""
