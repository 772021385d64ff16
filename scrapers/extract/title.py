"""The release's own title: its heading, not the site name that <title> appends."""

from __future__ import annotations

import os
import re

import lxml.etree
from lxml.html import HtmlElement

from .dates import meta_values
from .html import display_space, id_and_class, text_of

# "Release title | Site", "Release title／宜野湾市", "Title - Site", "Title：Site".
_SEPARATORS = re.compile(r"\s+[|｜\-–—－/／:：]\s+|[|｜／]|\s[-–—]\s")


def _key(text: str) -> str:
    """Text without any spaces (ASCII or ideographic): how titles and headings are compared, never shown."""
    return "".join(text.split())


def _title_tag(tree: HtmlElement) -> str:
    found = tree.find(".//title")
    return display_space(found.text_content()) if found is not None else ""


def _meta(metas: dict[tuple[str, str], list[str]], *names: str) -> str:
    """The first non-blank og:/twitter: value (`metas` from `dates.meta_values`: one pass over <meta>)."""
    for name in names:
        for attr in ("property", "name"):
            values = metas.get((attr, name))
            if values and display_space(values[0]):
                return display_space(values[0])
    return ""


_HEADINGS = lxml.etree.XPath("//body//*[self::h1 or self::h2 or self::h3]")


# 「件名/愛称/〇〇県公式サイト」「件名／〇〇市ホームページ」: an official site's name, with the site's nickname before
# it, after a slash or bar even without spaces (a plain unspaced "/" is no separator elsewhere: 令和８年度予算／補正).
_OFFICIAL_SUFFIX = re.compile(
    r"\s*[/／|｜](?:[^/／|｜]{1,12}[/／|｜])?[^/／|｜]{0,20}"
    r"(?:公式(?:ホームページ|サイト|ウェブサイト|Webサイト|HP)|ホームページ|Official Site)\s*$",
    re.IGNORECASE,
)


def _strip_site_name(title: str, site_names: list[str]) -> str:
    """Drop the "| Site" suffix (the last part) or a known site name at either end; keep inner separators."""
    for name in site_names:
        # 「Vector 新着ソフトレビュー 「名前」 - 説明」: the site's name first, with only a space after it.
        if len(title) > len(name) + 1 and title.startswith(name) and title[len(name)] in _BOUNDARY + "\u3000":
            rest = display_space(title[len(name) :].lstrip(_BOUNDARY + "\u3000"))
            return _strip_site_name(rest, site_names) if any(rest.endswith(n) for n in site_names) else rest
    official = _OFFICIAL_SUFFIX.search(title)
    if official and official.start() > 0:
        return display_space(title[: official.start()])
    parts = [p for p in (display_space(p) for p in _SEPARATORS.split(title)) if p]
    if len(parts) <= 1:
        return title
    if parts[0] in site_names:
        parts = parts[1:]
    else:
        parts = parts[:-1]
    while len(parts) > 1 and parts[-1] in site_names:
        parts.pop()
    first, last = parts[0], parts[-1]
    start = title.find(first)
    end = title.find(last, max(start, 0)) + len(last)
    return display_space(title[start:end]) if start >= 0 and end > start else first


_BOUNDARY = " |｜-–—－/／:：・"
_MARKERS = "■□◆◇●○▼▽ "  # 「■ 記事の題」: a diary's or blog's section marker before its entry's title


def _headings_in_title(title: str, headings: list[str]) -> list[str]:
    """Headings that <title> holds as a whole part: at its start or end or between separators (「大阪市：見出し
    （…>局>お知らせ）」, 「サイト名 - 見出し」, 「見出し｜サイト」), never a word inside a longer part."""
    folded = _key(title)
    found = []
    for heading in headings:
        key = _key(heading)
        if len(key) < 4 or heading in _GENERIC_HEADINGS:
            continue
        start = folded.find(key)
        while start >= 0:
            end = start + len(key)
            # 「【連載名】見出し ～副題」: a bracketed label before the headline, a ～ subtitle after it.
            before_ok = start == 0 or folded[start - 1] in _BOUNDARY or folded[start - 1] in "】]］"
            after_ok = end == len(folded) or folded[end] in _BOUNDARY or folded[end] in "（(【[。～〜"
            if before_ok and after_ok:
                found.append(heading)
                break
            start = folded.find(key, start + 1)
    return found


def _heading_ending_with(stripped: str, headings: list[str]) -> str:
    """A heading that is the <title>'s headline with a series name before it (「連載名：見出し」, which <title> cut
    to 「見出し」), else ""."""
    key = _key(stripped)
    if len(key) < 4:
        return ""
    for heading in headings:
        folded = _key(heading)
        if len(folded) > len(key) and folded.endswith(key) and folded[-len(key) - 1] in "：:":
            return heading
    return ""


# Category headings above the release's own (Tokyo's new CMS: h1 報道発表資料, then the title).
_GENERIC_HEADINGS = {
    "報道発表資料", "報道発表", "プレスリリース", "ニュースリリース", "お知らせ", "新着情報", "ニュース", "トピックス",
    "News", "NEWS", "Press Release",
}  # fmt: skip


def _home_link_texts(tree: HtmlElement) -> set[str]:
    """Texts (and logo alt texts) of links to the site's home page: the site's name as the page shows it."""
    names: set[str] = set()
    for anchor in tree.xpath('//a[@href="/" or @href="./" or @href="index.html" or @href="/index.html"]'):
        names.add(text_of(anchor))
        names.update(display_space(alt) for alt in anchor.xpath(".//img/@alt"))
    return {n for n in names if n}


def _main_heading(tree: HtmlElement, site_name: str) -> str:
    """The first h1 (else h2) that is not the site's name or logo."""
    from .boiler import in_furniture

    for level in ("h1", "h2"):
        for heading in tree.xpath(f"//body//{level}"):
            text = text_of(heading, keep_wide=True)
            if text and _key(text) != _key(site_name) and text not in _GENERIC_HEADINGS \
                    and not heading.xpath(".//img") and not in_furniture(heading):
                return text
    return ""


def _fuller_heading(headline: str, og_headline: str, headings: list[str]) -> str:
    """A heading that says in full what <title> shortens or glues a category to (「…シフト- 新卒・第二新卒」 for the
    heading 「…シフトの方が出るのですが、…」, 「減税は24年6月 首相会見で表明」 for 「減税は24年6月ボーナスの…」): it
    starts as <title> does and either og:title agrees with it or most (not all) of <title> is its start. Else ""."""
    key = _key(headline)
    for heading in headings:
        folded = _key(heading)
        if folded == key or len(folded) < 8 or heading in _GENERIC_HEADINGS:
            continue
        common = len(os.path.commonprefix([key, folded]))
        if common < 6:
            continue
        # All of <title> starting the heading (「運輸安全委員会」, a menu's 「運輸安全委員会について」) takes
        # og:title's word; <title> parting from the heading after most of its text (a glued category) does not.
        if _key(og_headline) == folded or 0.6 * len(key) <= common < len(key):
            return heading
    return ""


# 「JVNDB-2018-013542」「CVE-2026-12345」「EL34-194」: an identifier, not a headline.
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_.:#][A-Za-z0-9]+)+$")


def _is_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.match(text)) and any(c.isdigit() for c in text)


def _beyond_identifier(title: str, headings: list[str]) -> str:
    """When the title is only a record's identifier and a heading shows it, the next heading names the record."""
    if not _is_identifier(title):
        return title
    keys = [_key(h) for h in headings]
    if title not in keys:
        return title
    for heading in headings[keys.index(title) + 1 :]:
        if len(_key(heading)) >= 4 and not _is_identifier(_key(heading)) and heading not in _GENERIC_HEADINGS:
            return heading
    return title


# 「[News] 見出し」「［お知らせ］見出し」: a section label in square brackets before the headline (【】 labels are often
# the headline's own: 「【7月16日・17日】…を開催」).
_LABEL_PREFIX = re.compile(r"^[\[［][^\]］\d]{1,20}[\]］]\s*(?=\S)")


def _site_heading_texts(tree: HtmlElement) -> set[str]:
    """Keys of headings that are the site's logo (an id/class naming a logo on the heading or its parent)."""
    names = set()
    for heading in _HEADINGS(tree)[:12]:
        for node in (heading, heading.getparent()):
            if node is not None and "logo" in id_and_class(node):
                names.add(_key(text_of(heading)))
                break
    return names


def extract_title(tree: HtmlElement) -> str:
    """The heading that the <title> starts with, else <title> without the site-name suffix, else h1/og:title."""
    title = _title_tag(tree)
    metas = meta_values(tree)
    site_names = [n for n in (_meta(metas, "og:site_name"),) if n]
    headings = [text_of(h, keep_wide=True).lstrip(_MARKERS + "\u3000") for h in _HEADINGS(tree)[:12]]
    headings = [h for h in headings if 2 <= len(h) <= 200]
    og_title = _meta(metas, "og:title", "twitter:title")
    if title:
        found = _title_from_tag(tree, title, site_names, headings, og_title)
        if found:
            return _beyond_identifier(found, headings)
    if og_title:
        return _LABEL_PREFIX.sub("", _strip_site_name(og_title, site_names))
    return headings[0] if headings else ""


def _title_from_tag(tree: HtmlElement, title: str, site_names: list[str], headings: list[str], og_title: str) -> str:
    """`extract_title` for a page with a <title>: the heading it holds, else its headline without the site name."""
    matching = _headings_in_title(title, headings)
    if matching:
        # 「高木浩光＠自宅の日記 - 記事の題」: the diary's name is a heading too; it is the site's, not the page's.
        names = {_key(n) for n in (*site_names, *_home_link_texts(tree))} | _site_heading_texts(tree)
        own = [h for h in matching if _key(h) not in names]
        if len(matching) > 1:
            matching = own or matching
        elif not own:
            # Only the logo's 「PC Watch」 is in <title>: the headline is in <title>'s other parts, or (a <title>
            # that is only the site's name) in the page's own heading.
            if _key(matching[0]) == _key(title):
                return _main_heading(tree, title) or title
            matching = []
    if matching:
        return max(matching, key=len)
    stripped = _strip_site_name(title, site_names)
    longer = _heading_ending_with(stripped, headings)
    if longer:
        return longer
    fuller = _fuller_heading(stripped, _strip_site_name(og_title, site_names) if og_title else "", headings)
    if fuller:
        return fuller
    if stripped and (stripped in site_names or stripped in _home_link_texts(tree)):
        # <title> is only the site name (the logo's text): the page's own heading says more.
        heading = _main_heading(tree, stripped)
        if heading:
            return heading
    return _LABEL_PREFIX.sub("", stripped)
