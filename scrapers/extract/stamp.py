"""The date a page prints as a stamp beside its headline (「2020年7月1日 10時00分」「【2019.03.08】」
「» 2015年09月10日 21時53分 UPDATE」「2020年07月12日 | カテゴリ」) without any 掲載日/更新日 label word.

News sites, blogs and press-release services put that stamp right above or below the heading; sidebars, rankings and
the text carry many more dates further away. So only short text pieces (a stamp, not a sentence) within a few
hundred characters of the heading count, the nearest first, and dates inside the heading itself (「…(2020/7/11-12)」)
never do. Reading stops at that distance, so a long page costs no more than a short one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from textutil.dates import find_dates

from .body import is_hidden
from .boiler import is_furniture
from .html import JUNK_TAGS, clean_space

_REACH = 160  # characters of text read on each side of the heading
_STAMP_EXTRA = 40  # characters a stamp may hold besides its date (time, weekday, author, category, 配信/UPDATE)
_SENTENCE = re.compile(r"[。、！？]|(?:に|を|より|から|まで)(?:開催|実施|行い|行う|受け付け|募集)")
_MARKERS = " \t■□◆◇●○▼▽▲△・※*"


def _heading_key(text: str) -> str:
    return "".join(text.split()).strip(_MARKERS)


def title_heading(tree: HtmlElement, title: str) -> HtmlElement | None:
    """The heading element that shows the page's title (leading ■/● markers and spaces aside), else the first h1,
    else (an old table layout without headings) the first element whose own text is a part of <title>."""
    if not title:
        return None
    key = _heading_key(title)
    body = tree.find("body")
    root = body if body is not None else tree
    first_h1 = None
    for heading in root.iter("h1", "h2", "h3", "h4"):
        text = "".join(heading.itertext())
        if _heading_key(text) == key:
            return heading
        if first_h1 is None and heading.tag == "h1" and text.strip():
            first_h1 = heading
    return first_h1 if first_h1 is not None else _title_part_element(tree, root, key)


_TITLE_PARTS = re.compile(r"\s+[|｜\-–—－/／:：]\s+|[|｜／]")


def _title_part_element(tree: HtmlElement, root: HtmlElement, title_key: str) -> HtmlElement | None:
    """The first element under `root` whose own text is one of <title>'s parts (or the extracted title) of 8
    characters or more, or the start of one."""
    found = tree.find(".//title")
    if found is None:
        return None
    parts = {key for key in (_heading_key(p) for p in _TITLE_PARTS.split(found.text_content())) if len(key) >= 8}
    if len(title_key) >= 8:
        parts.add(title_key)  # the extracted title: <title> without its 「[News] 」 label
    if not parts:
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.text:
            key = _heading_key(element.text)
            # The whole part, or (a headline broken by <br>: 「…はかどる！<br>従来比…」) its first 8+ characters.
            if key in parts or (len(key) >= 8 and any(p.startswith(key) for p in parts)):
                return element
    return None


def _skipped(element: HtmlElement) -> bool:
    tag = element.tag
    return not isinstance(tag, str) or tag in JUNK_TAGS or is_furniture(element) or is_hidden(element)


def _texts(element: HtmlElement) -> Iterator[str]:
    """Text pieces of an element in document order, leaving out junk and furniture subtrees (not their tails)."""
    if not _skipped(element):
        if element.text:
            yield element.text
        for child in element:
            yield from _texts(child)
    if element.tail:
        yield element.tail


def _texts_backwards(element: HtmlElement) -> Iterator[str]:
    """`_texts` in reverse document order."""
    if element.tail:
        yield element.tail
    if not _skipped(element):
        for child in reversed(element):
            yield from _texts_backwards(child)
        if element.text:
            yield element.text


def _around(heading: HtmlElement, forwards: bool) -> Iterator[tuple[int, str]]:
    """(distance in characters, text piece) going away from the heading, up to `_REACH` characters."""
    distance = 0
    node: HtmlElement | None = heading
    if forwards and heading.tail:
        yield distance, heading.tail
        distance += len(heading.tail.strip())
    while node is not None and node.tag != "html":
        siblings = node.itersiblings() if forwards else node.itersiblings(preceding=True)
        for sibling in siblings:
            for piece in _texts(sibling) if forwards else _texts_backwards(sibling):
                if distance > _REACH:
                    return
                if piece.strip():
                    yield distance, piece
                    distance += len(piece.strip())
        node = node.getparent()
        if node is not None and not forwards and node.text and node.text.strip():
            yield distance, node.text
            distance += len(node.text.strip())


def stamp_date(piece: str) -> str | None:
    """The date of a short stamp-like piece of text ("2020年7月1日 10時00分"), None for a sentence."""
    text = clean_space(piece)
    if len(text) > 60 or _SENTENCE.search(text):
        return None
    dates = find_dates(text)
    if len(dates) != 1:
        return None
    rest = text[: dates[0].start] + text[dates[0].end :]
    return dates[0].date if len(rest.strip()) <= _STAMP_EXTRA else None


def stamped_date(tree: HtmlElement, title: str) -> str | None:
    """The date stamped nearest the page's title heading (after it on a tie), or None."""
    heading = title_heading(tree, title)
    if heading is None:
        return None
    best: tuple[int, int, str] | None = None
    for order, forwards in enumerate((True, False)):
        for distance, piece in _around(heading, forwards):
            if best is not None and distance >= best[0]:
                break
            found = stamp_date(piece)
            if found:
                best = (distance, order, found)
                break
    return best[2] if best else None
