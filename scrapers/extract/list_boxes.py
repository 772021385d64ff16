"""Which boxes of links on a list page are never the list (menus, rankings, 「関連情報」), and which undated box the
page names as its news (最新情報, お知らせ, #news_box): the list detector's judgements about boxes, kept apart from
how it groups and dates links."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .boiler import is_furniture
from .html import id_and_class, text_of

# Boxes of other pages' links that sit beside a list and are never it: rankings, "popular", "related", "pickup".
NOT_A_LIST_TOKEN = re.compile(
    r"rank|popular|ninki|related|kanren|recommend|osusume|access-?rank|pickup-?news|most-?read|yomareteiru"
)
NOT_A_LIST_HEADING = re.compile(
    r"ランキング|人気|よく(?:読まれ|見られ)|関連(?:記事|リンク|ニュース|情報|プレスリリース)|おすすめ|アクセス数|閲覧数"
)


class Furniture:
    """Which furniture element, if any, holds a link. A furniture-named wrapper that holds most of the page
    (<div id="pageTop">, <body class="search">) is the page, not a menu."""

    def __init__(self, tree: HtmlElement) -> None:
        body = tree.find("body")
        self.total = len(body.xpath(".//a")) if body is not None else 0
        self.verdicts: dict[HtmlElement, HtmlElement | None] = {}

    def holder(self, anchor: HtmlElement) -> HtmlElement | None:
        path: list[HtmlElement] = []
        node: HtmlElement | None = anchor
        verdict: HtmlElement | None = None
        while node is not None:
            if node in self.verdicts:
                verdict = self.verdicts[node]
                break
            path.append(node)
            if node.tag not in ("body", "html") and self._furniture(node):
                verdict = node
                break
            node = node.getparent()
        for element in path:
            self.verdicts[element] = verdict
        return verdict

    def _furniture(self, element: HtmlElement) -> bool:
        names = id_and_class(element)
        if names.strip() and NOT_A_LIST_TOKEN.search(names):
            return True
        if not is_furniture(element):
            return False
        return len(element.xpath(".//a")) * 2 < self.total  # a wrapper holding most links is the page


def heading_says_not_a_list(container: HtmlElement | None) -> bool:
    """A ranking/related box announced by the heading just before it (「よく読まれているニュース」「関連記事」)."""
    node = container
    for _ in range(3):
        if node is None:
            return False
        previous = node.getprevious()
        for sibling in (previous, node.find(".//h2"), node.find(".//h3"), node.find(".//h4")):
            if sibling is not None and isinstance(sibling.tag, str):
                text = text_of(sibling)
                if text and len(text) < 40 and NOT_A_LIST_HEADING.search(text):
                    return True
        if previous is not None:
            return False
        node = node.getparent()
    return False


# A box the page itself calls its news, for the rare list that prints no dates (a top page's 最新情報 tabs).
_NEWS_HEADING = re.compile(r"^(?:最新情報|新着情報|お知らせ|ニュース|新着|トピックス|What's New)")
_NEWS_NAME = re.compile(r"news|topi(?:cs|x)|whats-?new|shinchaku|oshirase|osirase")


def news_heading_before(container: HtmlElement | None) -> bool:
    """Whether the box is named as the page's news: a 「最新情報」「お知らせ」 heading (text or image alt) a few
    siblings before it or before one of its ancestors, or an ancestor id/class such as news_box or topics."""
    node = container
    for _ in range(6):
        if node is None or node.tag in ("body", "html"):
            return False
        if _NEWS_NAME.search(id_and_class(node)):
            return True
        sibling = node.getprevious()
        for _ in range(4):
            if sibling is None:
                break
            if isinstance(sibling.tag, str):
                label = text_of(sibling) or " ".join(sibling.xpath(".//img/@alt"))
                if label and len(label) <= 20 and _NEWS_HEADING.match(label.strip()):
                    return True
            sibling = sibling.getprevious()
        node = node.getparent()
    return False
