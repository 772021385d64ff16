"""Which elements are page furniture (menus, breadcrumbs, headers, footers, sidebars) rather than content.

Japanese CMSs name these in a handful of ways (pankuzu, topic-path, gnav, headerNavi, side, banner, pagetop…);
matching id/class tokens keeps the rule in one place for both the body and the release-link detector.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .html import class_tokens

FURNITURE_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_FURNITURE_TOKEN = re.compile(
    r"^(?:"
    r".*(?:nav|navi|navigation|menu|breadcrumbs?|pankuzu|topic-?path|topicpath|footer|header|sidebar|banner"
    r"|pagetop|page-top|to-?top|skip|sns|social|share|ranking|modal|search|guide|sitemap|lang|foreign"
    r"|fontsize|font-size|accessibility|yomi|cookie|advert|gpt-ad|ads?-|plugin|adobe|acrobat|getreader).*"
    r"|side|sub|subcontents|sub-contents|localnav|ads?|ad|pr-area|tmp_header|tmp_footer|tmp_navi"
    r"|tmp_lnavi|tmp_side|tmp_pankuzu|tab|tabs|pager|pagination"
    r")$"
)
# Tokens that look like furniture but name the content itself (e.g. "main-header" wraps the release heading).
_CONTENT_TOKEN = re.compile(r"^(?:.*(?:contents?|main|article|kiji|honbun|body|detail|entry|post).*)$")

_DATE_TOKEN = re.compile(r"update|date|koushin|kousin")


def is_furniture(element: HtmlElement) -> bool:
    """True for menus, breadcrumbs, headers, footers and sidebars (by tag, role or id/class)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("header", "footer") and element.xpath("ancestor::article or ancestor::li or ancestor::main"):
        return False  # an entry's or an article's own header (its title and date), not the page's
    if tag in FURNITURE_TAGS:
        return True
    role = (element.get("role") or "").lower()
    if role in ("navigation", "banner", "contentinfo", "search", "complementary"):
        return True
    tokens = class_tokens(element)
    if not tokens:
        return False
    if any(_DATE_TOKEN.search(t) for t in tokens):
        return False  # "social-update-area" holds the page's 更新日
    furniture = [t for t in tokens if _FURNITURE_TOKEN.match(t)]
    return bool(furniture) and not any(_CONTENT_TOKEN.match(t) for t in tokens if t not in furniture)


def in_furniture(element: HtmlElement) -> bool:
    """True when the element or one of its ancestors is furniture."""
    node: HtmlElement | None = element
    while node is not None:
        if is_furniture(node):
            return True
        node = node.getparent()
    return False
