"""Which elements are page furniture (menus, breadcrumbs, headers, footers, sidebars) rather than content.

Japanese CMSs name these in a handful of ways (pankuzu, topic-path, gnav, headerNavi, side, banner, pagetop…);
matching id/class tokens keeps the rule in one place for both the body and the release-link detector.
"""

from __future__ import annotations

import functools
import re

import lxml.etree
from lxml.html import HtmlElement

from .html import id_and_class

FURNITURE_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_FURNITURE_TOKEN = re.compile(
    r"^(?:"
    r".*(?:nav|navi|navigation|menu|breadcrumbs?|pankuzu|topic-?path|topicpath|footer|header|sidebar|banner"
    r"|pagetop|page-top|to-?top|skip|sns|social|share|ranking|modal|search|guide|sitemap|lang|foreign"
    r"|fontsize|font-size|accessibility|yomi|cookie|advert|gpt-ad|ads?-|plugin|adobe|acrobat|getreader"
    # boxes that follow an article: related/recommended/popular lists, link-outs, pop-ups, newsletter sign-ups
    r"|recommend|relat(?:ed|ion)(?!.*(?:file|doc|attach|pdf|download))|popular|pickup|kanren|osusume|ninki"
    r"|endlink|popup|prev-?next|newsletter|mailmag|feedback|enquete|questionnaire).*"
    r"|rel-.*|side|sub|subcontents|sub-contents|localnav|ads?|ad|pr-area|tmp_header|tmp_footer|tmp_navi"
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
    if not element.get("id") and not element.get("class"):
        return False
    return _furniture_names(id_and_class(element))


@functools.lru_cache(maxsize=4096)
def _furniture_names(values: str) -> bool:
    """The id/class part of `is_furniture` (an element's lowercased id and class, one string): pages of a site
    repeat the same few names, and every element of a page is asked, so the regex verdict is remembered per string."""
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


# Headings of the boxes that follow a release or article on press-release services, news sites, blogs and CMSs.
_BOX_HEADING = re.compile(
    r"^(?:関連(?:記事|リンク|ニュース|情報|プレスリリース|コンテンツ|キーワード|ページ|サイト)(?:[（(].*[)）])?"
    r"|.*(?:株式会社|有限会社|合同会社|この企業|この会社).*のプレスリリース|「.+」(?:をもっと詳しく|のニュース|カテゴリの最新記事)"
    r"|(?:この|本)ブログの人気記事|人気(?:の)?(?:記事|ニュース).*|.{0,12}(?:ランキング|RANKING)(?:[（(].*[)）])?"
    r"|(?:あなたに|編集部)?おすすめ(?:の)?(?:記事|ニュース|情報|コンテンツ|ホワイトペーパー)?"
    r"|RECOMMEND|あわせて読みたい|合わせて読みたい|ピックアップ|PICK ?UP|新着記事|最新記事|最新の画像.*|連載"
    r"|注目(?:の)?(?:記事|ニュース|情報|ヘッドライン).*|Related.*|(?:SNSで|この(?:記事|ページ)を)?シェア(?:する)?"
    r"|このページの(?:情報|内容)は(?:役に立ちましたか|わかりやすかったですか|分かりやすかったですか).*"
    r"|このページ(?:に関する)?アンケート|.{0,12}(?:で|から)(?:探す|さがす))$",
    re.IGNORECASE,
)
_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _content_children(element: HtmlElement) -> list[HtmlElement]:
    from .html import JUNK_TAGS

    return [c for c in element if isinstance(c.tag, str) and c.tag not in JUNK_TAGS]


def related_boxes(root: HtmlElement) -> set[HtmlElement]:
    """Boxes under `root` introduced by a 「関連記事」「この企業のプレスリリース」「ランキング」
    「このページの情報は役に立ちましたか」… heading: the container the heading leads (up to three wrappers), else
    the heading and its following siblings up to the next heading of the same or a higher level. Body extraction
    leaves them out like furniture."""
    boxes: set[HtmlElement] = set()
    for heading in root.iter("h2", "h3", "h4", "h5", "h6"):
        text = "".join("".join(heading.itertext()).split())
        if not text or len(text) > 30 or not _BOX_HEADING.match(text):
            continue
        node = heading
        for _ in range(3):
            parent = node.getparent()
            if parent is None or parent is root or parent.tag not in ("div", "section", "aside", "dl", "li"):
                break
            children = _content_children(parent)
            if not children or children[0] is not node:
                break
            node = parent
        if node is not heading:
            boxes.add(node)
            continue
        boxes.add(heading)
        level = _LEVEL[heading.tag]
        for sibling in heading.itersiblings():
            if isinstance(sibling.tag, str) and _LEVEL.get(sibling.tag, 9) <= level:
                break
            if isinstance(sibling.tag, str):
                boxes.add(sibling)
    return boxes
