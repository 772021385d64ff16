"""The main text of a page, without menus, breadcrumbs, headers, footers and sidebars.

Rules of our own over lxml (measured against trafilatura on the real pages, see the report): drop script/style and
page furniture (see `boiler`), then take the page's declared main container (<main>, role=main, a lone <article>,
or a CMS content id such as Tokyo's `tmp_contents`), else descend from <body> into the child that holds most of the
non-link text. List and table pages keep their rows, which is what `page` sources need.
"""

from __future__ import annotations

import copy
import re

from lxml.html import HtmlElement

from .boiler import is_furniture
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
    r"前のページへ戻る|トップページ\s*>.*|ホーム\s*>.*|HOME\s*>.*|TOP\s*>.*|ツイート|シェア|Tweet|いいね！?|LINEで送る|"
    r"印刷用ページを表示する|.*(?:Adobe|Acrobat)\s*Reader.*(?:必要|ダウンロード|インストール).*|"
    r"PDF(?:形式の)?ファイルを(?:ご覧|閲覧)(?:いただく|になる|する)(?:には|場合).*)$",
    re.IGNORECASE,
)
_MIN_SHARE = 0.6  # descend into a child holding at least this share of the parent's non-link text


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _hidden(element: HtmlElement) -> bool:
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
    for element in list(root.iter()):
        if element is root or element.getparent() is None or not isinstance(element.tag, str):
            continue
        if element.tag == "header" and element.xpath("ancestor::article or ancestor::main"):
            continue
        if (is_furniture(element) and not element.xpath(".//h1")) or _hidden(element):
            element.drop_tree()


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
        best = max(children, key=_own_text_length, default=None)
        if best is None or _own_text_length(best) < _MIN_SHARE * total:
            return node
        node = best


def main_element(tree: HtmlElement) -> HtmlElement:
    """A pruned copy of the element holding the page's main content."""
    body = tree.find("body")
    root = copy.deepcopy(body if body is not None else tree)
    declared = _declared_container(root)
    container = declared if declared is not None else None
    _prune(root if container is None else container)
    if container is None or _own_text_length(container) == 0:
        container = _densest(root)
    return container


def extract_body(tree: HtmlElement) -> str:
    """The page's main text, one block per line."""
    lines = block_text(main_element(tree)).split("\n")
    return "\n".join(line for line in lines if not _FURNITURE_LINES.match(line.strip()))
