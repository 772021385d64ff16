"""The release's own title: its heading, not the site name that <title> appends."""

from __future__ import annotations

import re

import lxml.etree
from lxml.html import HtmlElement

from .dates import meta_values
from .html import clean_space, text_of

# "Release title | Site", "Release title／宜野湾市", "Title - Site", "Title：Site".
_SEPARATORS = re.compile(r"\s+[|｜\-–—－/／:：]\s+|[|｜／]|\s[-–—]\s")


def _title_tag(tree: HtmlElement) -> str:
    found = tree.find(".//title")
    return clean_space(found.text_content()) if found is not None else ""


def _meta(metas: dict[tuple[str, str], list[str]], *names: str) -> str:
    """The first non-blank og:/twitter: value (`metas` from `dates.meta_values`: one pass over <meta>)."""
    for name in names:
        for attr in ("property", "name"):
            values = metas.get((attr, name))
            if values and clean_space(values[0]):
                return clean_space(values[0])
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
    official = _OFFICIAL_SUFFIX.search(title)
    if official and official.start() > 0:
        return clean_space(title[: official.start()])
    parts = [p for p in (clean_space(p) for p in _SEPARATORS.split(title)) if p]
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
    return clean_space(title[start:end]) if start >= 0 and end > start else first


_BOUNDARY = " |｜-–—－/／:：・"
_MARKERS = "■□◆◇●○▼▽ "  # 「■ 記事の題」: a diary's or blog's section marker before its entry's title


def _headings_in_title(title: str, headings: list[str]) -> list[str]:
    """Headings that <title> holds as a whole part: at its start or end or between separators (「大阪市：見出し
    （…>局>お知らせ）」, 「サイト名 - 見出し」, 「見出し｜サイト」), never a word inside a longer part."""
    folded = title.replace(" ", "")
    found = []
    for heading in headings:
        key = heading.replace(" ", "")
        if len(key) < 4 or heading in _GENERIC_HEADINGS:
            continue
        start = folded.find(key)
        while start >= 0:
            end = start + len(key)
            before_ok = start == 0 or folded[start - 1] in _BOUNDARY
            after_ok = end == len(folded) or folded[end] in _BOUNDARY or folded[end] in "（(【[。"
            if before_ok and after_ok:
                found.append(heading)
                break
            start = folded.find(key, start + 1)
    return found


def _heading_ending_with(stripped: str, headings: list[str]) -> str:
    """A heading that is the <title>'s headline with a series name before it (「連載名：見出し」, which <title> cut
    to 「見出し」), else ""."""
    key = stripped.replace(" ", "")
    if len(key) < 4:
        return ""
    for heading in headings:
        folded = heading.replace(" ", "")
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
        names.update(clean_space(alt) for alt in anchor.xpath(".//img/@alt"))
    return {n for n in names if n}


def _main_heading(tree: HtmlElement, site_name: str) -> str:
    """The first h1 (else h2) that is not the site's name or logo."""
    from .boiler import in_furniture

    for level in ("h1", "h2"):
        for heading in tree.xpath(f"//body//{level}"):
            text = text_of(heading)
            if text and text != site_name and text not in _GENERIC_HEADINGS and not heading.xpath(".//img") \
                    and not in_furniture(heading):
                return text
    return ""


def extract_title(tree: HtmlElement) -> str:
    """The heading that the <title> starts with, else <title> without the site-name suffix, else h1/og:title."""
    title = _title_tag(tree)
    metas = meta_values(tree)
    site_names = [n for n in (_meta(metas, "og:site_name"),) if n]
    headings = [text_of(h).lstrip(_MARKERS) for h in _HEADINGS(tree)[:12]]
    headings = [h for h in headings if 2 <= len(h) <= 200]
    og_title = _meta(metas, "og:title", "twitter:title")
    if title:
        matching = _headings_in_title(title, headings)
        if len(matching) > 1:
            # 「高木浩光＠自宅の日記 - 記事の題」: the diary's name is a heading too; it is the site's, not the page's.
            names = {*site_names, *_home_link_texts(tree)}
            matching = [h for h in matching if h not in names] or matching
        if matching:
            return max(matching, key=len)
        stripped = _strip_site_name(title, site_names)
        longer = _heading_ending_with(stripped, headings)
        if longer:
            return longer
        if stripped and (stripped in site_names or stripped in _home_link_texts(tree)):
            # <title> is only the site name (the logo's text): the page's own heading says more.
            heading = _main_heading(tree, stripped)
            if heading:
                return heading
        if stripped:
            return stripped
    if og_title:
        return _strip_site_name(og_title, site_names)
    return headings[0] if headings else ""
