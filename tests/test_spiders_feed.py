"""The feed spider: entries stored as documents (in process, on the saved feeds), or followed to their pages (a real
crawl); Japan-time dates."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.documents import japanese_pdf
from support.responses import crawl_saved, make_spider
from support.sites import FIXTURES, copy_site
from support.spider_runner import run_spider

from ometsuke.localsite import serve_directory
from scrapers.items import PageItem
from scrapers.spiders.feed import FeedSpider

FEEDS = FIXTURES / "feeds"
BASE = "http://feeds.example"


def _entries(*urls: str, root: Path = FEEDS, follow_links: bool = False) -> list[PageItem]:
    spider = make_spider(FeedSpider, {"name": "f", "spider": "feed", "urls": list(urls), "follow_links": follow_links})
    items, _requested = crawl_saved(spider, root)
    return items


def test_feed_entries_stored_without_following_links():
    items = _entries(BASE + "/rss10_sjis.rdf")
    assert [i.status for i in items] == ["ok", "ok"]
    first = items[0]
    assert first.url == "http://prtimes.example/main/html/rd/p/000000101.000093942.html"
    assert first.title == "①富士通、髙性能計算基盤を㈱テスト大学へ納入（№5）"
    assert first.published == "2026-08-01"  # dc:date 2026-08-01T00:15+09:00 stays on its Japan day
    assert first.body == "富士通株式会社は…"
    assert items[1].title == "Ⅲ期システムの稼働開始"


def test_an_entry_listed_twice_is_stored_once():
    items = _entries(BASE + "/rss10_sjis.rdf", BASE + "/rss10_sjis.rdf")
    assert len(items) == 2 and len({i.url for i in items}) == 2


def test_shift_jis_feed_behind_a_lying_utf8_header():
    items = _entries(BASE + "/rss10_sjis_lying.rdf")  # served with "charset=UTF-8" (its .headers file)
    assert items[0].title == "①富士通、髙性能計算基盤を㈱テスト大学へ納入（№5）"


def test_atom_utc_dates_are_converted_to_japan_time():
    items = {i.title: i for i in _entries(BASE + "/atom10.xml")}
    suido = items["夜間の断水のお知らせ"]
    assert suido.published == "2026-08-01"  # 2026-07-31T15:15Z is 00:15 on 8/1 in Japan
    assert suido.url == BASE + "/news/suido.html"  # relative link resolved against the feed URL
    assert items["区民まつりの開催"].published == "2026-07-20"
    assert items["区民まつりの開催"].body == "区民まつりを開催します。"


def test_follow_links_fetches_entry_pages_and_rechecks_known_ones(tmp_path):
    root = copy_site("feedsite", tmp_path)
    (root / "files").mkdir()
    (root / "files/kekka.pdf").write_bytes(japanese_pdf(["入札結果 令和8年7月", "落札者 ㈱ミナト建設 1,234,000円"]))
    with serve_directory(root) as site:
        source = {"name": "ward-rss", "spider": "feed", "urls": [site.url + "/rss.xml"]}
        items = {i["url"]: i for i in run_spider("feed", source, tmp_path=tmp_path)}
        suido = items[site.url + "/news/suido.html"]
        assert suido["status"] == "ok" and suido["title"] == "夜間の断水のお知らせ"
        assert suido["published"] == "2026-08-01"
        assert "水道管工事のため" in suido["body"]
        # The page shows only an event date in its text: the feed's pubDate wins.
        assert items[site.url + "/news/matsuri.html"]["published"] == "2026-07-20"
        # An entry that links a PDF directly: its text is the body, the feed gives title and date.
        pdf = items[site.url + "/files/kekka.pdf"]
        assert (pdf["status"], pdf["title"], pdf["published"]) == ("ok", "入札結果（7月分）", "2026-07-15")
        assert "落札者 ㈱ミナト建設 1,234,000円" in pdf["body"]

        known = [{"url": u, "etag": i["etag"], "last_modified": i["last_modified"], "published": i["published"],
                  "first_seen_at": None, "last_checked_at": None, "removed_at": None} for u, i in items.items()
                 if u.endswith(".html")]
        (root / "news/matsuri.html").unlink()
        site.requests.clear()
        again = {i["url"]: i for i in run_spider("feed", source, known=known, tmp_path=tmp_path)}
    assert again[site.url + "/news/suido.html"]["status"] == "not_modified"
    assert again[site.url + "/news/matsuri.html"]["status"] == "gone"
    assert all(r.headers.get("Cache-Control") == "max-age=0" for r in site.requests if r.path.startswith("/news/"))


def test_not_a_feed_and_empty_feed_are_errors(tmp_path):
    root = tmp_path / "feeds"
    shutil.copytree(FEEDS, root)
    (root / "empty.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    items = {i.url: i for i in _entries(BASE + "/not_a_feed.xml", BASE + "/empty.xml", root=root, follow_links=True)}
    bad, empty = items[BASE + "/not_a_feed.xml"], items[BASE + "/empty.xml"]
    assert bad.status == "error" and "not a feed" in bad.error and bad.is_list_page
    assert empty.status == "error" and empty.error == f"no entries found in feed {BASE}/empty.xml"


def test_an_entry_that_left_the_feed_is_rechecked_with_the_feed_title_and_date_it_had(tmp_path):
    """Not due (checked just now, 2026 is old by then), but gone from the feed: rechecked at once. A PDF has no title
    or date of its own: the revisit reads it with the entry last recorded, so nothing flips."""
    import datetime as dt

    root = copy_site("feedsite", tmp_path)
    (root / "files").mkdir()
    (root / "files/kekka.pdf").write_bytes(japanese_pdf(["入札結果 令和8年7月", "落札者 ㈱ミナト建設 1,234,000円"]))
    feed = (root / "rss.xml").read_text(encoding="utf-8")
    entry = next(line for line in feed.splitlines() if "kekka.pdf" in line)
    (root / "rss.xml").write_text(feed.replace(entry + "\n", ""), encoding="utf-8")
    with serve_directory(root) as site:
        source = {"name": "ward-rss", "spider": "feed", "urls": [site.url + "/rss.xml"],
                  "revisit": {"0": 3650}}  # nothing is due: only the feed decides
        checked = dt.datetime.now(dt.UTC).isoformat()
        known = [{"url": site.url + path, "etag": None, "last_modified": None, "published": published,
                  "first_seen_at": checked, "last_checked_at": checked, "removed_at": None, "listed_run_id": 1,
                  "listed_title": title, "listed_date": published, "listed_on": site.url + "/rss.xml"}
                 for path, title, published in [("/files/kekka.pdf", "入札結果（7月分）", "2026-07-15"),
                                                 ("/news/suido.html", "夜間の断水のお知らせ", "2026-08-01")]]
        items = {i["url"]: i for i in run_spider("feed", source, known=known, tmp_path=tmp_path)}
    pdf = items[site.url + "/files/kekka.pdf"]
    assert (pdf["status"], pdf["title"], pdf["published"]) == ("ok", "入札結果（7月分）", "2026-07-15")
    assert site.url + "/news/suido.html" not in items  # still in the feed, unchanged, not due


def test_entries_of_one_page_that_differ_by_fragment(tmp_path):
    """A diary feed: the day page and two entries on it (#p1, #foto). Stored as entries they are three documents;
    followed, the page is fetched once."""
    root = tmp_path / "diary"
    (root / "d").mkdir(parents=True)
    items = "".join(f'<item rdf:about="{{base}}/d/20260801{f}"><title>{t}</title><link>{{base}}/d/20260801{f}</link>'
                    f"<dc:date>2026-08-01T10:00:00+09:00</dc:date><description>{t}の本文</description></item>"
                    for f, t in (("", "今日のできごと"), ("#p1", "今日の買い物"), ("#foto", "記念撮影")))  # fmt: skip
    page = "<html><head><title>8月1日の日記</title></head><body><p>日記です。</p></body></html>"
    (root / "d/20260801").write_text(page, encoding="utf-8")
    with serve_directory(root) as site:
        rdf = (f'<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns="http://purl.org/rss/1.0/" '
               f'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">'
               f'<channel rdf:about="{site.url}/rss"><title>日記</title><link>{site.url}/</link></channel>'
               f"{items.replace('{base}', site.url)}</rdf:RDF>")  # fmt: skip
        (root / "rss.rdf").write_text(rdf, encoding="utf-8")
        stored = run_spider("feed", {"name": "d", "spider": "feed", "urls": [site.url + "/rss.rdf"],
                                     "follow_links": False}, tmp_path=tmp_path)  # fmt: skip
        followed = run_spider("feed", {"name": "d", "spider": "feed", "urls": [site.url + "/rss.rdf"]},
                              tmp_path=tmp_path)  # fmt: skip
        base = site.url
    assert [i["url"] for i in stored] == [f"{base}/d/20260801", f"{base}/d/20260801#p1", f"{base}/d/20260801#foto"]
    assert [i["title"] for i in stored] == ["今日のできごと", "今日の買い物", "記念撮影"]
    assert [i["url"] for i in followed] == [f"{base}/d/20260801"]
