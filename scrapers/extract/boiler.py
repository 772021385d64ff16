"""Which elements are page furniture (menus, breadcrumbs, headers, footers, sidebars) rather than content.

Japanese CMSs name these in a handful of ways (pankuzu, topic-path, gnav, headerNavi, side, banner, pagetop…);
matching id/class tokens keeps the rule in one place for both the body and the release-link detector.
"""

from __future__ import annotations

import functools
import re

import lxml.etree
from lxml.html import HtmlElement

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


_ENTRY_OR_ARTICLE = lxml.etree.XPath("ancestor::article or ancestor::li or ancestor::main")
_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary")


def is_furniture(element: HtmlElement) -> bool:
    """True for menus, breadcrumbs, headers, footers and sidebars (by tag, role or id/class)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("header", "footer") and _ENTRY_OR_ARTICLE(element):
        return False  # an entry's or an article's own header (its title and date), not the page's
    if tag in FURNITURE_TAGS:
        return True
    role = element.get("role")
    if role and role.lower() in _FURNITURE_ROLES:
        return True
    ident, classes = element.get("id"), element.get("class")
    if not ident and not classes:
        return False
    return _furniture_names(f"{ident or ''} {classes or ''}".lower())


@functools.lru_cache(maxsize=4096)
def _furniture_names(values: str) -> bool:
    """The id/class part of `is_furniture` (`class_tokens`' string): pages of a site repeat the same few names,
    and every element of a page is asked, so the regex verdict is remembered per string."""
    tokens = values.split()
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
