"""Parsing decoded text into an lxml tree, and the small tree helpers the extractors share."""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_NARROW_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_SPACES_BUT_WIDE = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")

# Elements whose text is never content. `rt`/`rp` are furigana (readings over kanji, 子<rt>こ</rt>ども): the text is
# the base characters, as a reader reads it and as names and amounts must be matched (NHK NEWS WEB EASY, やさしい日本語
# pages of local governments).
JUNK_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "select", "button",
             "rt", "rp")
_JUNK = frozenset(JUNK_TAGS)
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "thead", "tr", "ul",
}  # fmt: skip


def parse_html(text: str) -> HtmlElement:
    """An lxml tree from already-decoded text (never from bytes: lxml would guess the charset itself).

    C0 control characters (other than tab, newline, CR) become spaces: HTML does not allow them and lxml refuses
    to handle text holding them. A page lxml finds empty (only a comment, a doctype, `<?`) gives an empty tree.
    """
    text = _CONTROLS.sub(" ", _XML_DECLARATION.sub("", text, count=1))
    if not text.strip():
        return lxml.html.document_fromstring("<html><body></body></html>")
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def clean_space(text: str) -> str:
    """One line: runs of spaces (ideographic ones included) become one ASCII space."""
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def display_space(text: str) -> str:
    """One line for display: runs of ASCII spaces, tabs and newlines become one space, ideographic spaces stay as
    the page wrote them (「見出し　副題」 is what a reader sees); the ends are trimmed of both."""
    return _NARROW_SPACES.sub(" ", text).strip(" \u3000")


def text_of(element: HtmlElement, keep_wide: bool = False) -> str:
    """The element's text on one line, without script/style content (`keep_wide`: ideographic spaces stay)."""
    return block_text(element, keep_wide=keep_wide).replace("\n", " ")


def block_text(
    element: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None, keep_wide: bool = False
) -> str:
    """The element's text with a line break between block elements (paragraphs, rows, list items).

    `skip(node)` (never asked about `element` itself) leaves a descendant's subtree out but keeps its tail, as if
    it had been dropped from the tree (`drop_tree`) beforehand. `keep_wide` keeps ideographic spaces inside lines
    (for display: a headline's 「見出し　副題」).
    """
    chunks: list[str] = []
    add = chunks.append

    def walk(node: HtmlElement) -> None:
        tag = node.tag
        if type(tag) is not str or not tag or tag in _JUNK or (skip is not None and node is not element and skip(node)):
            if node.tail:
                add(node.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            add("\n")
        if node.text:
            add(node.text)
        for child in node:
            walk(child)
        if tag == "td" or tag == "th":
            add("\t")
        if block:
            add("\n")
        if node.tail and node is not element:
            add(node.tail)

    walk(element)
    lines = []
    spaces = _SPACES_BUT_WIDE if keep_wide else _SPACES
    for line in _NEWLINES.split("".join(chunks)):
        cleaned = " ".join(part.strip() for part in spaces.sub(" ", line).split("\t") if part.strip())
        if cleaned:
            lines.append(cleaned)
    return "\n".join(lines)


def id_and_class(element: HtmlElement) -> str:
    """The element's id and class attribute, lowercased, as one string: what the furniture, list-box and logo
    rules search for names such as "nav", "news" or "logo"."""
    return f"{element.get('id') or ''} {element.get('class') or ''}".lower()
