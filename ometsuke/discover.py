"""What one fetched URL is as a source: a feed, a list page of releases, or a single page to watch whole.

It goes through the same public extraction functions as `ometsuke extract` and the spiders (`scrapers.extract`),
so what `ometsuke source add` shows is what a crawl of the new source will find. The `follow` selector it offers
is checked with `find_releases`, the function the newsroom spider runs: it is offered only when it picks exactly
the releases that detection found, so adding it changes nothing today and keeps the crawl on those links if the
page later grows other dated boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from scrapers.extract import FeedError, decode_bytes, extract_tree, find_releases, looks_like_feed
from scrapers.extract.feeds import read_feed
from scrapers.extract.html import parse_html
from scrapers.extract.links import base_url, resolve_href

# Fewer dated links than this is what an article's "related releases" box looks like, not a newsroom.
LIST_MINIMUM = 3
# A single page is worth watching whole only when it has main text of its own (a 入札結果 table, a notice page).
PAGE_MINIMUM_CHARS = 200
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True)
class Found:
    url: str
    title: str
    date: str | None


@dataclass
class Discovery:
    """The verdict on one URL; `spider` is None when nothing usable was found (then `tried` says why)."""

    url: str
    spider: str | None
    title: str = ""
    releases: list[Found] = field(default_factory=list)
    follow: str | None = None
    tried: list[str] = field(default_factory=list)
    feeds_advertised: list[str] = field(default_factory=list)


def discover(url: str, final_url: str, body: bytes, content_type: str | None) -> Discovery:
    """Classify fetched bytes: feed → `feed`, dated release list → `newsroom`, page with text → `page`."""
    if looks_like_feed(body, content_type):
        return _feed(url, final_url, body, content_type)
    tried = ["not a feed (no RSS, RDF or Atom root element)"]
    text = decode_bytes(body, content_type).text
    page = extract_tree(parse_html(text), final_url)
    releases = [Found(r.url, r.title, r.date) for r in page.releases]
    advertised = advertised_feeds(parse_html(text), final_url)
    if len(releases) >= LIST_MINIMUM:
        follow = follow_selector(parse_html(text), final_url, [r.url for r in releases])
        return Discovery(url, "newsroom", page.title, releases, follow, tried, advertised)
    tried.append(
        f"{len(releases)} dated release link{'s' if len(releases) != 1 else ''} among the page's {len(page.links)} "
        f"links (a list needs at least {LIST_MINIMUM})"
    )
    if len(page.body) >= PAGE_MINIMUM_CHARS:
        return Discovery(url, "page", page.title, [], None, tried, advertised)
    tried.append(f"main text of {len(page.body)} characters (a page to watch whole needs {PAGE_MINIMUM_CHARS})")
    return Discovery(url, None, page.title, [], None, tried, advertised)


def _feed(url: str, final_url: str, body: bytes, content_type: str | None) -> Discovery:
    try:
        feed = read_feed(body, final_url, content_type)
    except FeedError as error:
        return Discovery(url, None, tried=[f"looks like a feed but cannot be read: {error}"])
    releases = [Found(e.url, e.title, e.published) for e in feed.entries]
    if not releases:
        return Discovery(url, None, feed.title, tried=["a feed without entries"])
    return Discovery(url, "feed", feed.title, releases)


def advertised_feeds(tree: HtmlElement, url: str) -> list[str]:
    """Feeds the page points to with <link rel="alternate" type="application/rss+xml" …>: worth suggesting."""
    base = base_url(tree, url)
    found: list[str] = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower().split(";")[0].strip() in _FEED_TYPES:
            href = resolve_href(link.get("href"), base)
            if href and href not in found:
                found.append(href)
    return found


# --- the follow selector -------------------------------------------------------------------------------------


def _simple(element: HtmlElement) -> str:
    """tag.class1.class2 (or tag#id) for one element, with only classes CSS can name plainly."""
    if element.get("id") and _plain_name(element.get("id", "")):
        return f"{element.tag}#{element.get('id')}"
    classes = [c for c in (element.get("class") or "").split() if _plain_name(c)]
    return element.tag + "".join(f".{c}" for c in classes)


def _plain_name(name: str) -> bool:
    return bool(name) and (name[0].isalpha() or name[0] in "_-") and all(ch.isalnum() or ch in "_-" for ch in name)


def _common_classes(elements: list[HtmlElement]) -> list[str]:
    sets = [{c for c in (e.get("class") or "").split() if _plain_name(c)} for e in elements]
    shared = set.intersection(*sets) if sets else set()
    return sorted(shared)


def _lowest_common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    paths = [list(reversed(list(e.iterancestors()))) for e in elements]
    common: HtmlElement | None = None
    for level in zip(*paths, strict=False):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common


def _scoped(container: HtmlElement) -> list[str]:
    """Ways to name the container: by itself, and under its nearest ancestor with an id."""
    own = _simple(container)
    names = [own]
    for ancestor in container.iterancestors():
        if ancestor.get("id") and _plain_name(ancestor.get("id", "")):
            names.append(f"#{ancestor.get('id')} {own}")
            break
    return names


def _candidates(tree: HtmlElement, anchors: list[HtmlElement]) -> list[str]:
    shared = _common_classes(anchors)
    found = [f"a.{c}" for c in shared]
    container = _lowest_common_ancestor(anchors)
    if container is None or container.tag in ("html", "body"):
        return found
    # The container's children that hold the entries (li, article, div.card …), when they look alike.
    items = []
    for anchor in anchors:
        item = anchor
        while item.getparent() is not None and item.getparent() is not container:
            item = item.getparent()
        items.append(item)
    # Least specific first: a class that says "category" today (card.cat-local) may exclude tomorrow's entries.
    tags = {i.tag for i in items}
    variants: list[str] = []
    if len(tags) == 1:
        tag = tags.pop()
        variants = [tag] + [f"{tag}.{c}" for c in _common_classes(items)]
    for scope in _scoped(container):
        found += [f"{scope} a.{c}" for c in shared]
        for variant in variants:
            found += [f"{scope} > {variant} a", f"{scope} > {variant}"]
        found.append(f"{scope} a")
    return found


def follow_selector(tree: HtmlElement, url: str, release_urls: list[str]) -> str | None:
    """A CSS selector with which `find_releases` gives exactly these release URLs, or None when none simple does."""
    wanted = set(release_urls)
    base = base_url(tree, url)
    first: dict[str, HtmlElement] = {}  # the first link to each release: the list's, not a later "new" box's
    for anchor in tree.xpath("//body//a[@href]"):
        href = resolve_href(anchor.get("href"), base)
        if href in wanted:
            first.setdefault(href, anchor)
    anchors = list(first.values())
    if not anchors:
        return None
    for selector in dict.fromkeys(_candidates(tree, anchors)):
        try:
            picked = find_releases(tree, url, selector)
        except Exception:  # noqa: BLE001 - a candidate lxml cannot evaluate is simply not offered
            continue
        if len(picked) == len(wanted) and {r.url for r in picked} == wanted:
            return selector
    return None
