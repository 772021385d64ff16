"""The main text of a page, without menus, breadcrumbs, headers, footers and sidebars.

Rules of our own over lxml (measured against trafilatura on the real pages, see the report): drop script/style and
page furniture (see `boiler`), then take the page's declared main container (<main>, role=main, a lone <article>,
or a CMS content id such as Tokyo's `tmp_contents`), else descend from <body> into the child that holds most of the
non-link text. List and table pages keep their rows, which is what `page` sources need.
"""

from __future__ import annotations

import copy
import re

import lxml.etree
from lxml.html import HtmlElement

from .boiler import is_furniture, related_boxes
from .html import JUNK_TAGS, block_text

# Content containers seen on Japanese government and corporate CMSs, most specific first.
_CONTAINER_IDS = (
    "tmp_contents", "main-nosub", "main_body", "mainContents", "main-contents", "main_contents", "contents-main",
    "contents_main", "mainShosai", "cont_body", "article-body", "articleBody", "entry-content", "post-content",
    "main", "contents", "content",
)  # fmt: skip
# Lines that are furniture even inside the content container.
_FURNITURE_LINES = re.compile(
    r"^(?:ここから本文です。?|本文ここから|本文ここまで|ここまで本文です。?|本文へ(?:移動|スキップ)?|印刷(?:する)?|"
    r"ページの先頭へ(?:戻る)?|このページの(?:先頭|トップ)へ(?:戻る)?|ページトップへ(?:戻る)?|PAGE TOP|戻る|閉じる|"
    r"前のページへ戻る|.{0,30}一覧(?:へ|に)戻る|.{0,20}(?:TOP|トップ|ホーム)(?:ページ)?(?:へ|に)(?:戻る)?|"
    r"トップページ\s*>.*|ホーム\s*>.*|HOME\s*>.*|TOP\s*>.*|ツイート|シェア|Tweet|いいね！?|LINEで送る|"
    r"印刷用ページを表示する|.*(?:Adobe|Acrobat)\s*Reader.*(?:必要|ダウンロード|インストール).*|"
    r"PDF(?:形式の)?ファイルを(?:ご覧|閲覧)(?:いただく|になる|する)(?:には|場合).*)$",
    re.IGNORECASE,
)
_MIN_SHARE = 0.6  # descend into a child holding at least this share of the parent's non-link text
# ... unless a child before it holds this much text too: an old table layout splits one release over sibling
# tables (lead paragraph, then the features), and the larger part alone loses the lead.
_LEFT_BEHIND = 400
_LEFT_BEHIND_SHARE = 0.2  # ... and this share of the parent's (a sidebar beside a long article holds less)


def _descend(lengths: list[int], total: int) -> int | None:
    """Index of the child to descend into (the densest, holding most of the text and no rival part), else None."""
    if not lengths:
        return None
    best = max(range(len(lengths)), key=lengths.__getitem__)
    if lengths[best] < _MIN_SHARE * total:
        return None
    rival = max(lengths[:best], default=0)  # a lead comes before its larger part; a sidebar after it is no rival
    if rival >= _LEFT_BEHIND and rival >= _LEFT_BEHIND_SHARE * total:
        return None
    return best


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def is_hidden(element: HtmlElement) -> bool:
    """Hidden copies (mobile menus, modal dialogs) are not what a reader sees."""
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def _prune(root: HtmlElement) -> None:
    """Remove junk elements and furniture in place (a <header> inside <article>/<main> is the article's own)."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            if element.getparent() is not None:
                element.drop_tree()
            continue
        if element.tag in JUNK_TAGS:
            element.drop_tree()
    boxes = related_boxes(root)
    for element in list(root.iter()):
        if element is root or element.getparent() is None or not isinstance(element.tag, str):
            continue
        if element.tag == "header" and element.xpath("ancestor::article or ancestor::main"):
            continue
        furniture = is_furniture(element) or element in boxes
        if (furniture and not any(_worded(h) for h in element.iter("h1"))) or is_hidden(element):
            element.drop_tree()


def _worded(heading: HtmlElement) -> bool:
    """An <h1> with words of its own: a header holding the page's headline is kept, one whose <h1> is only the
    logo image (NHK's やさしいにほんご header) is furniture like any other."""
    return bool(block_text(heading).strip())


def _own_text_length(element: HtmlElement) -> int:
    """Characters of text outside links (link-heavy blocks are menus)."""
    total = len("".join(element.itertext()).split()) and len("".join("".join(element.itertext()).split()))
    linked = sum(len("".join("".join(a.itertext()).split())) for a in element.iter("a"))
    return max(total - linked // 2, 0)


def _declared_container(root: HtmlElement) -> HtmlElement | None:
    for name in _CONTAINER_IDS:
        found = root.xpath(f'.//*[@id="{name}"]')
        if found:
            return found[0]
    found = root.xpath('.//main | .//*[@role="main"]')
    if found:
        return found[0]
    articles = root.xpath(".//article")
    if len(articles) == 1:
        return articles[0]
    return None


def _densest(root: HtmlElement) -> HtmlElement:
    node = root
    while True:
        total = _own_text_length(node)
        if total == 0:
            return node
        children = [c for c in node if isinstance(c.tag, str)]
        best = _descend([_own_text_length(c) for c in children], total)
        if best is None:
            return node
        node = children[best]


def main_element(tree: HtmlElement) -> HtmlElement:
    """A pruned copy of the element holding the page's main content."""
    body = tree.find("body")
    root = copy.deepcopy(body if body is not None else tree)
    container = _declared_container(root)
    if container is not None:
        _prune(container)
    if container is None or _own_text_length(container) == 0:
        # No declared container, or an empty one (its content an <iframe>): the densest part of the pruned page.
        _prune(root)
        container = _densest(root)
    return container


# A short line inviting to a mail magazine (「記事を毎朝メールでまとめ読み」「メールマガジン購読のお申し込み」).
_NEWSLETTER = re.compile("メールマガジン|メルマガ|メールでまとめ読み")


def _furniture_line(line: str) -> bool:
    return bool(_FURNITURE_LINES.match(line)) or (len(line) <= 50 and _NEWSLETTER.search(line) is not None)


# 「≫次の記事」「≪前の記事」「前のエントリー」: a label whose next line is another article's title (a blog's or a news
# site's pager after the text).
_NEIGHBOUR_LABEL = re.compile(
    r"^[≫≪»«<>＜＞›‹\s]*(?:次|前|新しい|古い)の(?:記事|エントリー?|投稿|ニュース)[≫≪»«<>＜＞›‹\s]*$"
)


def _clean_lines(text: str) -> str:
    kept: list[str] = []
    skip_next = False
    for line in text.split("\n"):
        stripped = line.strip()
        if skip_next:
            skip_next = False
            continue
        if _NEIGHBOUR_LABEL.match(stripped):
            skip_next = True
            continue
        if not _furniture_line(stripped):
            kept.append(line)
    return "\n".join(kept)


def extract_body_copying(tree: HtmlElement) -> str:
    """`extract_body` the plain way (prune a copy of the tree, then read it): the reference the fast path is
    tested against, and its fallback for pages it does not handle."""
    return _clean_lines(block_text(main_element(tree)))


# -- the same result without copying or changing the tree --------------------------------------------------------
# `_prune` drops elements from a copy; `_Pruned` only records which subtrees it would drop and reads the tree as if
# they were gone (a copy of a 14 KB page's body and its drop_tree calls were a third of the body's cost).

_WITH_ID = lxml.etree.XPath(".//*[@id]")
_MAIN = lxml.etree.XPath('.//main | .//*[@role="main"]')
_ARTICLES = lxml.etree.XPath(".//article")
_IN_CONTENT = lxml.etree.XPath("ancestor::article or ancestor::main")


def _find_container(root: HtmlElement) -> HtmlElement | None:
    """`_declared_container` with one pass over the elements carrying an id instead of one scan per id."""
    ids: dict[str, HtmlElement] = {}
    for element in _WITH_ID(root):
        ids.setdefault(element.get("id"), element)
    for name in _CONTAINER_IDS:
        if name in ids:
            return ids[name]
    found = _MAIN(root)
    if found:
        return found[0]
    articles = _ARTICLES(root)
    return articles[0] if len(articles) == 1 else None


class _Pruned:
    """The subtrees `_prune(root)` would drop (`dropped`) and the elements above them (`dirty`): a clean subtree is
    read with lxml's own iterators, a dirty one element by element."""

    def __init__(self, root: HtmlElement) -> None:
        self.dropped: set[HtmlElement] = set()
        self.dirty: set[HtmlElement] = set()
        self._boxes = related_boxes(root)
        self._visit(root)
        for element in self.dropped:
            parent = element.getparent()
            while parent is not None and parent not in self.dirty:
                self.dirty.add(parent)
                if parent is root:
                    break
                parent = parent.getparent()

    def _visit(self, node: HtmlElement) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in JUNK_TAGS:  # _prune's first pass
                self.dropped.add(child)
                continue
            keep_header = tag == "header" and _IN_CONTENT(child)
            furniture = is_furniture(child) or child in self._boxes
            if not keep_header and ((furniture and not self._has_h1(child)) or is_hidden(child)):
                self.dropped.add(child)
                continue
            self._visit(child)

    @staticmethod
    def _has_h1(element: HtmlElement) -> bool:
        """A worded <h1> below the element outside junk elements (those are gone when `_prune` asks)."""
        for heading in element.iter("h1"):
            node = heading.getparent()
            while node is not None and node is not element and node.tag not in JUNK_TAGS:
                node = node.getparent()
            if node is element and _worded(heading):
                return True
        return False

    def texts(self, element: HtmlElement) -> list[str]:
        """`element.itertext()` of the pruned tree."""
        if element not in self.dirty:
            return list(element.itertext())
        out: list[str] = []
        if element.text:
            out.append(element.text)
        for child in element:
            if child not in self.dropped:
                out.extend(self.texts(child))
            if child.tail:
                out.append(child.tail)
        return out

    def links(self, element: HtmlElement) -> list[HtmlElement]:
        """`element.iter("a")` of the pruned tree."""
        if element not in self.dirty:
            return list(element.iter("a"))
        out = [element] if element.tag == "a" else []
        for child in element:
            if child not in self.dropped and isinstance(child.tag, str):
                out.extend(self.links(child))
        return out

    def own_text_length(self, element: HtmlElement) -> int:
        """`_own_text_length` of the pruned tree."""
        total = len("".join("".join(self.texts(element)).split()))
        linked = sum(len("".join("".join(self.texts(a)).split())) for a in self.links(element))
        return max(total - linked // 2, 0)

    def densest(self, root: HtmlElement) -> HtmlElement:
        """`_densest` of the pruned tree."""
        node = root
        while True:
            total = self.own_text_length(node)
            if total == 0:
                return node
            children = [c for c in node if isinstance(c.tag, str) and c not in self.dropped]
            best = _descend([self.own_text_length(c) for c in children], total)
            if best is None:
                return node
            node = children[best]


def extract_body(tree: HtmlElement) -> str:
    """The page's main text, one block per line (what `extract_body_copying` gives, without copying the tree)."""
    body = tree.find("body")
    root = body if body is not None else tree
    if root.tag in JUNK_TAGS:
        return extract_body_copying(tree)
    declared = _find_container(root)
    if declared is not None:
        if declared.tag in JUNK_TAGS:
            return extract_body_copying(tree)
        pruned = _Pruned(declared)
        if pruned.own_text_length(declared) == 0:
            # An empty declared container: the copying path then reads the rest of the page half-pruned.
            return extract_body_copying(tree)
        container = declared
    else:
        pruned = _Pruned(root)
        container = pruned.densest(root)
    return _clean_lines(block_text(container, skip=pruned.dropped.__contains__))
