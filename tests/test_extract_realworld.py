# ruff: noqa: E501 - real titles read better unwrapped
"""Extraction and the feed spider over every real page in ../shared/realworld (skipped when it is absent).

The expectations are facts read off those pages (their <title>/heading, their 更新日 line, their feed dates), so a
change in decoding, title, date or feed handling that breaks on real markup fails here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.spider_runner import run_spider

from ometsuke.localsite import serve_directory
from scrapers.extract import extract_bytes, looks_like_feed, parse_feed

# ../shared/realworld beside the checkout, or wherever OMETSUKE_REALWORLD points (a CI clone lives elsewhere).
_CANDIDATES = [Path(os.environ.get("OMETSUKE_REALWORLD", "")), Path(__file__).resolve().parents[2] / "shared" / "realworld",
               Path("/work/shared/realworld")]
REALWORLD = next((path for path in _CANDIDATES if str(path) != "." and path.is_dir()), _CANDIDATES[1])
FILES = sorted(p for p in REALWORLD.glob("*") if p.is_file() and p.suffix != ".md") if REALWORLD.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason=f"{REALWORLD} not present")

# file → (encoding, title, published, text that must be in the body, menu/footer texts that must not be)
PAGES = {
    "ginowan_city_proposal_result_utf8.html": (
        "utf_8", "宜野湾市公用車管理システム導入業務に係る公募型プロポーザル選定結果について", "2026-07-31",
        "受託候補者\n丸紅株式会社", ("文字サイズ", "よくある質問", "Copyright")),
    "kumamoto_pref_kiji_page_utf8.html": ("utf_8", "熊本県オープンデータサイト", "2020-09-26", "オープンデータとは", ("サイトマップ",)),
    "mlit_jtsb_top_news_2020_utf8.html": ("utf_8", "運輸安全委員会", None, "ANAウイングス株式会社", ("プライバシー", "Copyright")),
    "oricon_news_list_2022_sjis.html": ("cp932", "ニュース", None, "酒井法子", ("会社概要", "お問い合わせ")),
}  # fmt: skip
# file → (entries, every entry dated, first title, first date (Japan time), text in some title or summary)
FEEDS = {
    "chardet_mimizun_rss10_2006_eucjp.rdf": (15, "楽天祭り開催中", "2006-01-03", "日清ヨーク株式会社"),
    "chardet_setsuzei119_atom03_2005_sjis.xml": (15, "節税対策を万全にする保険", "2005-10-13", "ビジネスネットワーク株式会社"),
    "ginowan_city_rss10_utf8.rdf": (20, "契約施設外での産後ケア利用時の償還払いについて", "2026-07-31", "生活保護"),
    "naha_city_rss20_utf8.xml": (22, "那覇市立図書館だより(2026年8月)", "2026-08-01", "道路ふれあい月間"),
}  # fmt: skip


def test_every_realworld_file_is_covered():
    assert {p.name for p in FILES} == set(PAGES) | set(FEEDS)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_realworld_pages(name: str):
    encoding, title, published, present, absent = PAGES[name]
    data = (REALWORLD / name).read_bytes()
    assert not looks_like_feed(data)
    page = extract_bytes(data, "https://example.jp/page.html")
    assert page.encoding == encoding
    assert "\ufffd" not in page.body and "\ufffd" not in page.title
    assert page.title == title
    if published:
        assert page.published == published
    assert present in page.body
    for furniture in absent:  # each is on the page, in its menus or footer
        assert furniture in data.decode(page.encoding, errors="replace")
        assert furniture not in page.body


def test_realworld_list_pages_give_dated_releases():
    oricon = extract_bytes((REALWORLD / "oricon_news_list_2022_sjis.html").read_bytes(), "https://www.oricon.co.jp/news/")
    assert len(oricon.releases) == 20 and all(r.date == "2022-08-02" for r in oricon.releases)
    assert all(r.url.startswith("https://www.oricon.co.jp/news/") and r.title for r in oricon.releases)
    mlit = extract_bytes((REALWORLD / "mlit_jtsb_top_news_2020_utf8.html").read_bytes(), "https://www.mlit.go.jp/jtsb/")
    dated = {r.title: r.date for r in mlit.releases}
    assert dated["委員長記者会見資料掲載"] == "2020-04-28"  # 「4月28日」 completed with the page's year
    # The list date (4月24日), not the accident date inside the title (令和2年4月17日).
    assert [d for t, d in dated.items() if t.startswith("令和2年4月17日に帯広空港")] == ["2020-04-24"]


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_realworld_feeds(name: str):
    count, first_title, first_date, somewhere = FEEDS[name]
    data = (REALWORLD / name).read_bytes()
    assert looks_like_feed(data)
    entries = parse_feed(data, "https://example.jp/feed")
    assert len(entries) == count
    assert all(e.published for e in entries)
    assert (entries[0].title, entries[0].published) == (first_title, first_date)
    assert all("\ufffd" not in e.title + e.summary for e in entries)
    assert any(somewhere in e.title + e.summary for e in entries)


def test_feed_spider_stores_every_realworld_feed_entry_by_entry(tmp_path):
    with serve_directory(REALWORLD) as site:
        source = {"name": "realworld", "spider": "feed", "follow_links": False,
                  "urls": [f"{site.url}/{name}" for name in sorted(FEEDS)]}  # fmt: skip
        items = run_spider("feed", source, tmp_path=tmp_path)
    assert {i["status"] for i in items} == {"ok"}
    assert len(items) == len({i["url"] for i in items}) == sum(count for count, *_ in FEEDS.values())
    titles = {i["title"]: i["published"] for i in items}
    for _, first_title, first_date, _ in FEEDS.values():
        assert titles[first_title] == first_date
    # 2005-03-23T22:46:04Z in the Shift_JIS Atom feed is the 24th in Japan.
    assert "2005-03-24" in {i["published"] for i in items}
