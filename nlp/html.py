"""Visible text of an HTML page for `ometsuke tag`: body text without script/style, one line per block.

Block elements end with a line break so that sentences in different paragraphs or table cells never run
together (the tagger's contexts and Sudachi windows stop at line breaks).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_INVISIBLE = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "section", "article",
    "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
    "address", "figure", "figcaption", "caption", "form", "hr", "title",
}
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*(?=\n)")


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML document or fragment rather than plain text."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(body|p|div|table|br|span|h[1-6])[\s>/]", head)
    )


def visible_text(html: str) -> str:
    """The text a reader sees in the page body, blocks separated by line breaks."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    body = root.find("body")
    target = body if body is not None else root
    for element in target.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    text = target.text_content()
    text = _BLANK_LINES.sub("", text.replace("\r\n", "\n"))
    return "\n".join(line.strip() for line in text.split("\n")).strip()
