"""Release entries on a list page: the links `newsroom` follows, each with a title and a date.

With a CSS selector from the config the entries are exactly the selected links. Without one the detector looks for
the page's repeated, dated entries: every link gets the date of its entry (list_dates: the entry's own date, a date
label beside it, or the date heading above its group), the dated links are grouped by their markup path (tag and
class chain), and the groups that repeat are kept, outside navigation, headers, footers, rankings and "related"
boxes. Tabs that repeat the same entries collapse because each URL is kept once. `list_candidates` keeps every
group with the reason it was kept or not, for `ometsuke extract --explain`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from textutil.dates import find_dates

from .dates import date_in_url
from .html import clean_space, text_of
from .links import base_url, resolve_href
from .list_boxes import Furniture, heading_says_not_a_list, news_heading_before
from .list_dates import SHORT_DATE, DateScan

_MIN_GROUP = 3


@dataclass(frozen=True)
class Release:
    url: str
    title: str
    date: str | None


def _signature(anchor: HtmlElement) -> tuple[str, ...]:
    """The tag chain above the link plus its list container's tag and class: entries of one list share it, whether
    the date sits next to the link or one level up (an NTT Data style date heading over several items)."""
    chain: list[str] = []
    node: HtmlElement | None = anchor
    container = ""
    for _ in range(5):
        if node is None:
            break
        chain.append(str(node.tag))
        node = node.getparent()
    node = anchor.getparent()
    while node is not None:
        # The list's container is the nearest ancestor holding several links (one <dl> per entry is common).
        if node.tag in ("body", "main") or node.xpath("count(.//a[@href])") >= 3:
            container = f"{node.tag}.{' '.join(sorted((node.get('class') or '').split()))}"
            break
        node = node.getparent()
    return (*chain, container)


# The second link of an entry that only points at its file: 「PDF」「PDF（123KB）」「Excel」
_FILE_LABEL = re.compile(
    r"^(?:PDF|ＰＤＦ|Excel|エクセル|Word|ワード|CSV|xlsx?|docx?)\s*(?:ファイル)?\s*(?:[（(\[［].*[)）\]］])?$",
    re.IGNORECASE,
)
# 「1-32頁[5MB]」「PDF（123KB）」: a link that only gives a file's size.
_FILE_SIZE = re.compile(r"[\[［(（]?\s*[\d.,]+\s*[KMG]i?B\s*[\]］)）]?", re.IGNORECASE)


# Links that lead to more of the list or to another list, never to one release.
_NAVIGATION_TITLE = re.compile(
    r"(?:はこちら|一覧(?:へ|を見る|はこちら)?|もっと見る|もっとみる|さらに表示|すべて見る|すべて表示|次へ|前へ"
    r"|次のページ|前のページ|次の\s*\d+\s*件|前の\s*\d+\s*件)\s*[>＞»›]*$|^(?:以前|過去)の|^(?:more|next|prev)\b",
    re.IGNORECASE,
)


def _is_file_label(title: str) -> bool:
    """A link that names a file or a page of the list, not a release: 「PDF（123KB）」「1-32頁[5MB]」「次へ」."""
    if _FILE_LABEL.match(title) or _NAVIGATION_TITLE.search(title):
        return True
    rest = _FILE_SIZE.sub("", title)
    return rest != title and len(rest.strip()) <= 8


_TITLE_CLASS = re.compile(r"title|ttl|heading|headline|subject|midashi", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^[\s\[\]［］()（）【】]*(?:更新|掲載|公開|発表|NEW|new)?[\s\[\]［］()（）【】]*$")


def _is_date_only(segment: str) -> bool:
    """A segment that is just a date (with brackets or a 更新/NEW label): not the title."""
    rest = segment
    for date in find_dates(segment):
        rest = rest.replace(date.surface, "")
    rest = SHORT_DATE.sub("", rest)
    return rest != segment and bool(_DATE_LABEL.match(rest))


def entry_title(anchor: HtmlElement) -> str:
    """The entry's title: a heading or title-classed element inside the link, else its longest text segment
    that is not a date or a short label (a card link wraps date, category, title and summary)."""
    for inner in anchor.xpath(".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"):
        if text_of(inner):
            return text_of(inner)
    for inner in anchor.iter():
        if inner is not anchor and _TITLE_CLASS.search(inner.get("class") or "") and text_of(inner):
            return text_of(inner)
    segments = [s for s in (clean_space(s) for s in anchor.itertext()) if s and not _is_date_only(s)]
    if not segments:
        # An image link (an event card's picture): its title attribute, else the picture's alt text.
        alts = [clean_space(alt) for alt in anchor.xpath(".//img/@alt")]
        return clean_space(anchor.get("title") or "") or next((alt for alt in alts if alt), "")
    whole = clean_space(" ".join(segments))
    longest = max(segments, key=len)
    # Pieces split by <br> or <span> read better joined; a category label beside a long title does not.
    return _strip_edge_date(longest if len(longest) >= 0.6 * len(whole) else whole)


_EDGE_PUNCTUATION = " 　:：-－–|｜/／・[]［］()（）【】〔〕"


def _strip_edge_date(title: str) -> str:
    """「2026年7月31日　お知らせ」「お知らせ（2026年7月31日）」 → 「お知らせ」; a date inside the title stays."""
    dates = find_dates(title)
    if not dates:
        return title
    first, last = dates[0], dates[-1]
    if not title[: first.start].strip(_EDGE_PUNCTUATION):
        rest = title[first.end :]
        rest = re.sub(r"^\s*(?:[（(][月火水木金土日](?:曜日?)?[)）])?\s*(?:更新|掲載|発表)?", "", rest)
        rest = rest.lstrip(" 　:：-－–|｜/／・)）]］】〕").rstrip()
        if rest and not rest.startswith(("に", "付", "の", "から", "まで", "時点", "現在")):
            return rest
    if not title[last.end :].strip(_EDGE_PUNCTUATION) and title[: last.start].strip(_EDGE_PUNCTUATION):
        head = title[: last.start]
        if head.rstrip().endswith(("（", "(", "【", "[", "［", "　", " ", "|", "｜", "-", "－", "：", ":")):
            return head.rstrip(" 　:：-－–|｜/／・(（[［【〔").lstrip()
    return title


def _release(anchor: HtmlElement, base: str, date: str | None) -> Release | None:
    url = resolve_href(anchor.get("href"), base)
    if url is None:
        return None
    return Release(url=url, title=entry_title(anchor), date=date or date_in_url(url))


def releases_by_selector(
    tree: HtmlElement, url: str, selector: str, fetched_at: dt.datetime | None = None
) -> list[Release]:
    """Entries picked by a CSS selector from the config (links, or elements holding one link)."""
    base = base_url(tree, url)
    found: list[Release] = []
    seen: set[str] = set()
    scan = DateScan(tree, fetched_at)
    for element in tree.cssselect(selector):
        anchors = [element] if element.tag == "a" else element.xpath(".//a[@href]")[:1]
        for anchor in anchors:
            release = _release(anchor, base, scan.date_of(anchor))
            if release and release.url not in seen and release.url != url:
                seen.add(release.url)
                found.append(release)
    return found


@dataclass
class Candidate:
    """One group of links sharing a markup path: what the detector considered, and its verdict."""

    where: str  # the group's container, as a short CSS-like path
    links: int = 0  # links in the group
    dated: int = 0  # links with a date
    entries: list[Release] = field(default_factory=list)  # dated, distinct, outside furniture
    first: int = 0  # document position of the group's first link
    furniture: str = ""  # the furniture element that holds the group, if any
    kept: bool = False
    reason: str = ""

    @property
    def score(self) -> int:
        """Distinct dated entries outside furniture: what ranks the kept groups."""
        return len({r.url for r in self.entries})

    def to_dict(self) -> dict:
        dates = sorted({r.date for r in self.entries if r.date})
        return {
            "where": self.where, "links": self.links, "dated": self.dated, "entries": len(self.entries),
            "score": self.score, "dates": f"{dates[0]} … {dates[-1]}" if dates else "",
            "first": self.entries[0].title if self.entries else "", "kept": self.kept, "reason": self.reason,
        }  # fmt: skip


def _describe(element: HtmlElement | None) -> str:
    if element is None:
        return "-"
    ident, classes = element.get("id"), (element.get("class") or "").split()
    return str(element.tag) + (f"#{ident}" if ident else "") + "".join(f".{c}" for c in classes[:2])


def _container(anchor: HtmlElement) -> HtmlElement | None:
    node = anchor.getparent()
    while node is not None:
        if node.tag in ("body", "main") or node.xpath("count(.//a[@href])") >= 3:
            return node
        node = node.getparent()
    return None


def _in_heading(anchor: HtmlElement, entry: HtmlElement) -> bool:
    """Whether the link is the entry's headline: inside an <h1>…<h6> or a title-classed element of the entry."""
    node: HtmlElement | None = anchor
    while node is not None and node is not entry.getparent():
        if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or _TITLE_CLASS.search(node.get("class") or ""):
            return True
        node = node.getparent()
    return False


def _one_link_per_entry(
    groups: dict[tuple, Candidate], by_entry: dict[HtmlElement, list[tuple[tuple, Release, HtmlElement]]]
) -> None:
    """An entry whose links sit in different markup (image, headline, company, category) is one release: its
    headline link, else its first link unless a later one carries a much longer title (「くらし」 before the title).
    Links in the same markup are entries of one list under a shared date (an NTT Data style date heading)."""
    drop: dict[tuple, set[int]] = defaultdict(set)
    for entry, links in by_entry.items():
        keys_by_url: dict[str, set[tuple]] = defaultdict(set)
        for key, release, _ in links:
            keys_by_url[release.url].add(key)
        if len(keys_by_url) < 2 or len({frozenset(k) for k in keys_by_url.values()}) < 2:
            continue
        headlines = [release for _, release, anchor in links if _in_heading(anchor, entry)]
        first = links[0][1]
        longest = max((release for _, release, _ in links), key=lambda r: len(r.title))
        keep = headlines[0] if headlines else first if len(first.title) >= 0.6 * len(longest.title) else longest
        for key, release, _ in links:
            if release.url != keep.url:
                drop[key].add(id(release))
    for key, ids in drop.items():
        groups[key].entries = [r for r in groups[key].entries if id(r) not in ids]


def list_candidates(tree: HtmlElement, url: str, fetched_at: dt.datetime | None = None) -> list[Candidate]:
    """Every group of links the detector considered, in page order, each kept or not with the reason why."""
    base = base_url(tree, url)
    scan = DateScan(tree, fetched_at)
    furniture = Furniture(tree)
    groups: dict[tuple, Candidate] = {}
    seen_in_group: dict[tuple, set[str]] = defaultdict(set)
    containers: dict[tuple, HtmlElement | None] = {}
    by_entry: dict[HtmlElement, list[tuple[tuple, Release, HtmlElement]]] = defaultdict(list)
    undated: dict[tuple, list[HtmlElement]] = defaultdict(list)
    for position, anchor in enumerate(tree.xpath("//body//a[@href]")):
        key = _signature(anchor)
        candidate = groups.get(key)
        if candidate is None:
            containers[key] = _container(anchor)
            candidate = groups[key] = Candidate(where=_describe(containers[key]), first=position)
        candidate.links += 1
        date = scan.date_of(anchor)
        if date is None and anchor not in scan.timed:
            undated[key].append(anchor)
            continue
        candidate.dated += 1
        holder = furniture.holder(anchor)
        if holder is not None:
            candidate.furniture = candidate.furniture or _describe(holder)
            continue
        release = _release(anchor, base, date)
        if release is None or release.url == url or not release.title or _is_file_label(release.title):
            continue
        entry = scan.entry_node(anchor)
        repeated = any(other.url == release.url for _, other, _ in by_entry[entry])
        by_entry[entry].append((key, release, anchor))
        if not repeated:  # the entry's title and its 「詳細」 button are one release
            candidate.entries.append(release)
    _one_link_per_entry(groups, by_entry)
    for key, candidate in groups.items():
        seen_in_group[key] = {r.url for r in candidate.entries}
    kept: list[Candidate] = []
    for key, candidate in groups.items():
        entries = candidate.entries
        if not candidate.dated:
            candidate.reason = "no dated links"
        elif not entries and candidate.furniture:
            candidate.reason = f"in page furniture ({candidate.furniture})"
        elif not entries:
            candidate.reason = "dated links are file labels, the page itself or empty"
        elif len(entries) >= 4 and len(seen_in_group[key]) <= len(entries) / 2 and _most_repeated(entries) >= 4:
            candidate.reason = "repeats a few URLs (category or tag links)"
        elif heading_says_not_a_list(containers[key]):
            candidate.reason = "a ranking, popular or related box"
        else:
            kept.append(candidate)
    largest = max((c.score for c in kept), default=0)
    for candidate in kept:
        if candidate.score >= _MIN_GROUP or candidate.score == largest:
            candidate.kept = True
            candidate.reason = (
                f"kept: {candidate.score} dated entries repeat here" if candidate.score >= _MIN_GROUP
                else f"kept: the page's largest dated group, though only {candidate.score} entries"
            )
        else:
            candidate.reason = f"only {candidate.score} dated entries (a list needs {_MIN_GROUP}, or to be the largest)"
    if largest < _MIN_GROUP:
        _undated_news_box(groups, undated, containers, furniture, base, url)
    return sorted(groups.values(), key=lambda c: c.first)


_MIN_UNDATED = 5


def _undated_news_box(
    groups: dict[tuple, Candidate],
    undated: dict[tuple, list[HtmlElement]],
    containers: dict[tuple, HtmlElement | None],
    furniture: Furniture,
    base: str,
    url: str,
) -> None:
    """No dated list on the page: the largest group of undated links under a news heading is the list, its entries
    without dates (their own pages date them)."""
    best: tuple[int, tuple, list[Release]] | None = None
    for key, anchors in undated.items():
        if len(anchors) < _MIN_UNDATED or not news_heading_before(containers[key]):
            continue
        releases: dict[str, Release] = {r.url: r for r in groups[key].entries}  # a dated one among them stays
        for anchor in anchors:
            release = _release(anchor, base, None)
            if release is None or release.url == url or len(release.title) < 8 or _is_file_label(release.title):
                continue
            if furniture.holder(anchor) is None:
                releases.setdefault(release.url, release)
        if len(releases) >= _MIN_UNDATED and (best is None or len(releases) > best[0]):
            best = (len(releases), key, list(releases.values()))
    if best is not None:
        candidate = groups[best[1]]
        candidate.entries, candidate.kept = best[2], True
        candidate.reason = f"kept: {best[0]} undated entries under a news heading, and no dated list on the page"


def _most_repeated(entries: list[Release]) -> int:
    """How often the most frequent URL recurs: category links recur down the list, tabs repeat a list 2-3 times."""
    counts: dict[str, int] = defaultdict(int)
    for release in entries:
        counts[release.url] += 1
    return max(counts.values(), default=0)


def releases_of(candidates: list[Candidate]) -> list[Release]:
    """The entries of the kept groups in page order, each URL once (tabs repeating a list collapse)."""
    found: list[Release] = []
    seen: set[str] = set()
    for candidate in candidates:
        if not candidate.kept:
            continue
        for release in candidate.entries:
            if release.url not in seen:
                seen.add(release.url)
                found.append(release)
    return found


def detect_releases(tree: HtmlElement, url: str, fetched_at: dt.datetime | None = None) -> list[Release]:
    """The page's repeated dated entries, found without selectors (see the module docstring)."""
    return releases_of(list_candidates(tree, url, fetched_at))


def find_releases(
    tree: HtmlElement, url: str, follow: str | None = None, fetched_at: dt.datetime | None = None
) -> list[Release]:
    """Entries `newsroom` follows: by selector when given, else detected. `fetched_at` resolves 「3時間前」."""
    return releases_by_selector(tree, url, follow, fetched_at) if follow else detect_releases(tree, url, fetched_at)

