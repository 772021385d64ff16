"""The newsroom spider: parsing in process on saved pages; fetching (attachments, conditional requests, 404s,
robots.txt, other hosts) against fixture sites on a real local server, in a real Scrapy crawl (subprocess)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support.documents import japanese_pdf, xlsx
from support.responses import crawl_saved, make_spider
from support.sites import FIXTURES, copy_site
from support.spider_runner import run_spider

from ometsuke.localsite import serve_directory
from scrapers.spiders.newsroom import NewsroomSpider

CORP = "https://corp.example"


@pytest.fixture()
def corp_root(tmp_path: Path) -> Path:
    """The corporate newsroom fixture with a PDF and an Excel annex beside one release."""
    root = copy_site("newsroom_corp", tmp_path)
    files = root / "ja/pr/2026/07/files"
    files.mkdir(parents=True)
    annex = japanese_pdf(["別紙 契約金額 16,506,875円", "受託者 株式会社デジタルガレージ"])
    (files / "vaccine-annex.pdf").write_bytes(annex)
    (files / "vendors.xlsx").write_bytes(xlsx([["件名", "契約相手方"], ["予約システム", "株式会社デジタルガレージ"]]))
    return root


@pytest.fixture()
def corp_site(corp_root: Path):
    with serve_directory(corp_root) as site:
        yield site


def _days_ago(days: float) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat()


def _by_url(items: list[dict]) -> dict[str, dict]:
    return {item["url"]: item for item in items}


def test_newsroom_detects_releases_follows_next_page_and_fetches_attachments(corp_root):
    source = {"name": "dg", "spider": "newsroom", "kind": "corporate", "urls": [CORP + "/ja/pr/"]}
    items, _requested = crawl_saved(make_spider(NewsroomSpider, source), corp_root)

    assert all(item.status == "ok" for item in items), [i for i in items if i.status != "ok"]
    pages = {item.url: item for item in items}
    assert len(pages) == 8  # 5 on the first list page, 3 on the page behind rel="next"
    vaccine = pages[CORP + "/ja/pr/2026/07/vaccine-system.html"]
    assert vaccine.title == "自治体向けワクチン接種予約システムを受託"
    assert vaccine.published == "2026-07-28"
    assert "代表取締役 兼 社長執行役員グループCEO：林 郁" in vaccine.body
    assert "プライバシーポリシー" not in vaccine.body and "採用情報" not in vaccine.body
    assert vaccine.etag and vaccine.last_modified and vaccine.http_status == 200
    attachments = {a.url.rsplit("/", 1)[-1]: a for a in vaccine.attachments}
    assert attachments["vaccine-annex.pdf"].content_type == "application/pdf"
    assert "16,506,875円" in attachments["vaccine-annex.pdf"].text
    assert "株式会社デジタルガレージ" in attachments["vendors.xlsx"].text
    assert attachments["vaccine-annex.pdf"].title == "別紙（PDF：12KB）"
    assert pages[CORP + "/ja/pr/2026/04/esg.html"].published == "2026-04-30"


def test_newsroom_with_follow_and_next_selectors_and_page_limit():
    source = {
        "name": "dg", "spider": "newsroom", "kind": "corporate", "urls": [CORP + "/ja/pr/"],
        "follow": "ul.news-list a", "next": "div.pager a.next", "max_list_pages": 1, "attachments": False,
    }  # fmt: skip
    items, requested = crawl_saved(make_spider(NewsroomSpider, source), FIXTURES / "newsroom_corp")
    assert len(items) == 5 and {i.status for i in items} == {"ok"}
    assert all(item.attachments == [] for item in items)
    assert CORP + "/ja/pr/page/2/" not in [r.url for r in requested]  # max_list_pages = 1


def test_second_crawl_sends_conditional_requests_and_gets_304(corp_site, tmp_path):
    source = {"name": "dg", "spider": "newsroom", "urls": [corp_site.url + "/ja/pr/"], "attachments": False}
    first = run_spider("newsroom", source, tmp_path=tmp_path)
    known = [
        {"url": i["url"], "etag": i["etag"], "last_modified": i["last_modified"], "published": i["published"],
         "first_seen_at": "2026-08-01T00:00:00+00:00", "last_checked_at": None, "removed_at": None}
        for i in first
    ]  # fmt: skip
    corp_site.requests.clear()
    second = run_spider("newsroom", source, known=known, tmp_path=tmp_path)

    assert len(second) == 8 and {i["status"] for i in second} == {"not_modified"}
    detail = [r for r in corp_site.requests if r.path.endswith(".html")]
    assert len(detail) == 8
    for request in detail:
        assert request.headers.get("If-None-Match", "").startswith('"')
        assert request.headers.get("If-Modified-Since", "").endswith("GMT")
        assert request.headers.get("Cache-Control") == "max-age=0"
        assert request.status == 304


def test_known_document_removed_is_gone_and_one_that_fell_off_the_list_is_not(corp_site, tmp_path):
    removed = corp_site.root / "ja/pr/2026/07/board.html"
    removed.unlink()
    known = [
        {"url": corp_site.url + "/ja/pr/2026/07/board.html", "etag": '"x"', "last_modified": None,
         "published": "2026-07-01", "first_seen_at": "2026-07-01T00:00:00+00:00", "last_checked_at": None,
         "removed_at": None},
        {"url": corp_site.url + "/ja/pr/2025/01/old.html", "etag": None, "last_modified": None,
         "published": "2025-01-10", "first_seen_at": "2025-01-10T00:00:00+00:00",
         "last_checked_at": _days_ago(1), "removed_at": None},
    ]  # fmt: skip
    source = {"name": "dg", "spider": "newsroom", "urls": [corp_site.url + "/ja/pr/"], "attachments": False}
    items = _by_url(run_spider("newsroom", source, known=known, tmp_path=tmp_path))
    assert items[corp_site.url + "/ja/pr/2026/07/board.html"]["status"] == "gone"
    assert items[corp_site.url + "/ja/pr/2026/07/board.html"]["http_status"] == 404
    # Old, recently checked and not on the list: not due under the default revisit policy, so not fetched.
    assert corp_site.url + "/ja/pr/2025/01/old.html" not in items
    assert "/ja/pr/2025/01/old.html" not in [r.path for r in corp_site.requests]


def test_new_page_that_404s_is_an_error_not_gone(corp_site, tmp_path):
    (corp_site.root / "ja/pr/2026/06/results.html").unlink()
    source = {"name": "dg", "spider": "newsroom", "urls": [corp_site.url + "/ja/pr/page/2/"], "attachments": False}
    items = _by_url(run_spider("newsroom", source, tmp_path=tmp_path))
    broken = items[corp_site.url + "/ja/pr/2026/06/results.html"]
    assert broken["status"] == "error" and broken["error"] == "HTTP 404"  # the URL is the item's own field


def test_list_page_without_releases_fails_loudly(tmp_path):
    root = tmp_path / "empty"
    (root / "news").mkdir(parents=True)
    (root / "news/index.html").write_text(
        "<html><head><meta charset='utf-8'><title>お知らせ</title></head><body><nav><a href='/'>ホーム</a></nav>"
        "<p>現在お知らせはありません。</p></body></html>", encoding="utf-8")  # fmt: skip
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    (root / "private").mkdir()
    (root / "private/index.html").write_text("<ul><li>2026年7月1日 <a href='/private/1.html'>一</a></li></ul>")
    with serve_directory(root) as site:
        urls = [site.url + "/news/", site.url + "/gone/", site.url + "/private/"]
        items = {i["url"]: i for i in run_spider("newsroom", {"name": "e", "urls": urls}, tmp_path=tmp_path)}
        fetched = [r.path for r in site.requests]
    assert len(items) == 3 and all(i["status"] == "error" and i["is_list_page"] for i in items.values())
    assert items[site.url + "/private/"]["error"] == f"list page failed: forbidden by robots.txt ({site.url}/private/)"
    assert "/private/" not in fetched
    assert items[site.url + "/news/"]["error"].startswith(f"no releases found on {site.url}/news/")
    missing = items[site.url + "/gone/"]
    assert "HTTP 404" in missing["error"] and missing["http_status"] == 404


def test_shift_jis_ward_list_decodes_cp932_characters(tmp_path):
    root = copy_site("ward_news", tmp_path)
    # Keep it small: only the three release pages that exist are linked.
    index = root / "index.html"
    html = index.read_bytes().decode("cp932")
    head, _, _ = html.partition('<div id="contents">')
    entries = "".join(
        f'<li><span class="date">令和８年７月３１日</span><a href="/kurashi/news/{p.stem}.html">{p.stem}</a></li>'
        for p in sorted((root / "kurashi/news").glob("*.html"))
    )
    index.write_bytes((head + f'<ul class="list-news">{entries}</ul></main></body></html>').encode("cp932"))
    ward = "https://www.city.example.lg.jp"
    spider = make_spider(NewsroomSpider, {"name": "ward", "spider": "newsroom", "urls": [ward + "/"]})
    items, _requested = crawl_saved(spider, root)
    first = {item.url: item for item in items}[ward + "/kurashi/news/2026073101.html"]
    assert first.title == "①髙橋区長の定例記者会見（№12）"
    assert first.published == "2026-07-31"
    assert "㈱ミナトシステム 担当 №3" in first.body and "\ufffd" not in first.body


def test_offsite_detected_links_are_skipped_and_oversized_attachments_recorded(tmp_path):
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    (root / "news/index.html").write_text("""<html><head><meta charset="utf-8"><title>お知らせ</title></head><body>
<ul class="news"><li>2026年7月31日 <a href="/news/a.html">自サイトの発表</a></li>
<li>2026年7月30日 <a href="http://localhost:{port}/news/b.html">別ホストの発表</a></li>
<li>2026年7月29日 <a href="/news/c.html">三件目</a></li></ul></body></html>""", encoding="utf-8")
    for name in ("a", "b", "c"):
        (root / f"news/{name}.html").write_text(
            f'<html><head><meta charset="utf-8"><title>{name}</title></head><body><h1>{name}</h1><p>本文{name}</p>'
            f'<p><a href="/files/{name}.pdf">別紙（PDF：99KB）</a></p></body></html>', encoding="utf-8")  # fmt: skip
    (root / "files").mkdir()
    (root / "files/a.pdf").write_bytes(japanese_pdf(["大きな別紙"]) + b"%" + b"0" * 60_000 + b"\n")
    (root / "files/c.pdf").write_bytes(japanese_pdf(["小さな別紙"]))
    with serve_directory(root) as site:
        index = root / "news/index.html"
        port = site.url.rsplit(":", 1)[1]
        index.write_text(index.read_text(encoding="utf-8").replace("{port}", port), encoding="utf-8")
        source = {"name": "s", "spider": "newsroom", "urls": [site.url + "/news/"]}
        items = {i["url"]: i for i in run_spider("newsroom", source, tmp_path=tmp_path,
                                                   settings={"DOWNLOAD_MAXSIZE": 40_000})}  # fmt: skip
        with_selector = run_spider("newsroom", source | {"follow": "ul.news a", "attachments": False},
                                   tmp_path=tmp_path)  # fmt: skip
    assert set(items) == {site.url + "/news/a.html", site.url + "/news/c.html"}  # b is on another host
    big = items[site.url + "/news/a.html"]
    assert big["status"] == "ok" and big["attachments"][0]["text"] == ""
    assert big["attachments"][0]["error"]  # the size limit cut it off: recorded, not fatal
    assert "小さな別紙" in items[site.url + "/news/c.html"]["attachments"][0]["text"]
    # A link chosen by a `follow` selector on another host is an error naming the host, never a silent drop.
    chosen = {i["url"].split("/news/")[1]: i for i in with_selector}
    assert chosen["a.html"]["status"] == chosen["c.html"]["status"] == "ok"
    assert chosen["b.html"]["status"] == "error"
    assert chosen["b.html"]["error"].startswith("release on another host localhost: add it to the source")
    assert not any(r.headers.get("Host", "").startswith("localhost") for r in site.requests)
