# ruff: noqa: E501 - fixture markup reads better unwrapped
"""List pages without selectors (issue 11): tabs, label rows, date headings, relative dates, teasers, rankings;
the date forms Japanese lists print; feed entries that differ by a #fragment; `ometsuke extract --explain`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from support.sites import FIXTURES

from ometsuke.cli import main
from scrapers.extract import detect_releases, extract_bytes, parse_feed
from scrapers.extract.dates import JST
from scrapers.extract.html import parse_html
from scrapers.spiders.newsroom import NEXT_TEXT
from textutil.dates import find_dates

WARD_URL = "https://www.city.minato.example.lg.jp/kusei/news/index.html"


def _releases(body: str, fetched_at: dt.datetime | None = None) -> list[tuple[str, str | None]]:
    tree = parse_html(f"<html><body><main>{body}</main></body></html>")
    return [(r.url.rsplit("/", 1)[-1], r.date) for r in detect_releases(tree, "https://x.example/news/", fetched_at)]


def test_a_wards_tabbed_news_list_yields_each_release_once_with_its_date():
    page = extract_bytes((FIXTURES / "ward_tabs/index.html").read_bytes(), WARD_URL)
    urls = [r.url for r in page.releases]
    assert len(urls) == len(set(urls)) == 102  # 99 in four tabs, each once, plus today's three
    dated = {r.url.rsplit("/", 1)[-1]: r.date for r in page.releases}
    assert dated["2026073101.html"] == "2026-07-31"  # 令和8(2026)年7月31日（金曜日） in the row above the link
    assert dated["2026061703.html"] == "2026-06-17"
    assert [dated[f"today0{n}.html"] for n in (1, 2, 3)] == ["2026-08-01"] * 3  # 10時30分 under 令和8年8月1日
    assert not [u for u in urls if "/popular/" in u or "/related/" in u or "index_2" in u or "#" in u]
    titles = {r.title for r in page.releases}
    assert "①髙橋区長の定例記者会見（№12）" in titles and not any("報道発表" == t for t in titles)


def test_label_rows_tables_and_definition_lists():
    rows = "".join(f"<li><p class='cat'>区政情報</p><p>2026年7月{d}日</p><p><a href='/n/{d}.html'>お知らせ{d}</a></p></li>"
                   for d in (1, 2, 3))  # fmt: skip
    assert _releases(f"<ul>{rows}</ul>") == [(f"{d}.html", f"2026-07-0{d}") for d in (1, 2, 3)]
    table = "".join(f"<tr><th>R8.7.{d}</th><td><a href='/t/{d}.html'>公告{d}</a></td></tr>" for d in (4, 5, 6))
    assert _releases(f"<table>{table}</table>") == [(f"{d}.html", f"2026-07-0{d}") for d in (4, 5, 6)]
    dl = "".join(f"<dt>２０２６．０７．０{d}</dt><dd><a href='/d/{d}.html'>報告{d}</a></dd>" for d in (7, 8, 9))
    assert _releases(f"<dl>{dl}</dl>") == [(f"{d}.html", f"2026-07-0{d}") for d in (7, 8, 9)]


def test_a_teasers_other_dates_and_the_publication_label():
    entries = "".join(
        f"<div class='item'><h3><a href='/p/{d}.html'>業務委託{d}</a></h3><table><tr><th>締切</th><td>令和8年8月{d}日17時</td>"
        f"</tr><tr><th>公告（公開）日</th><td>令和8年7月{d}日</td></tr></table><p>説明会は8月{d + 1}日に開催します。</p></div>"
        for d in (10, 11, 12)
    )
    assert _releases(entries) == [(f"{d}.html", f"2026-07-{d}") for d in (10, 11, 12)]
    teasers = "".join(f"<li>2026年7月{d}日 <a href='/q/{d}.html'>募集{d}</a><p>申込期限：2026年9月{d}日</p></li>"
                      for d in (20, 21, 22))  # fmt: skip
    assert _releases(f"<ul>{teasers}</ul>") == [(f"{d}.html", f"2026-07-{d}") for d in (20, 21, 22)]


def test_day_headings_take_the_year_of_the_month_heading_above():
    body = """<h2>2026年1月</h2><h3>1月30日公開の報道発表資料</h3><ul><li><a href="/h/1.html">一</a></li>
    <li><a href="/h/2.html">二</a></li></ul><h2>2025年12月</h2><h3>12月9日公開の報道発表資料</h3>
    <ul><li><a href="/h/3.html">三</a></li></ul><h3>12月1日公開の報道発表資料</h3><ul><li><a href="/h/4.html">四</a></li></ul>"""
    assert _releases(body) == [("1.html", "2026-01-30"), ("2.html", "2026-01-30"), ("3.html", "2025-12-09"),
                               ("4.html", "2025-12-01")]  # fmt: skip


def test_relative_dates_count_back_from_the_fetch_time_in_japan():
    rows = "".join(f"<li><span class='time'>{ago}</span><a href='/r/{n}.html'>記事{n}</a></li>"
                   for n, ago in enumerate(("3時間前", "2日前", "45分前")))  # fmt: skip
    fetched = dt.datetime(2026, 7, 31, 16, 30, tzinfo=dt.UTC)  # 2026-08-01 01:30 in Japan
    assert _releases(f"<ul>{rows}</ul>", fetched) == [("0.html", "2026-07-31"), ("1.html", "2026-07-30"),
                                                      ("2.html", "2026-08-01")]  # fmt: skip
    # <time datetime> beats its relative text; the company link beside each headline is not an entry.
    cards = "".join(f"<article><h3><a href='/c/{n}.html'>見出し{n}</a></h3><time datetime='2016-09-2{n}T14:03:03+0900'>"
                    f"{n}日前</time><a href='/company/{n}'>株式会社{n}</a></article>" for n in (1, 2, 3))  # fmt: skip
    assert _releases(cards, fetched) == [(f"{n}.html", f"2016-09-2{n}") for n in (1, 2, 3)]


def test_entries_under_a_time_only_heading_are_listed_without_a_date():
    body = """<div class="topics"><em>12時31分更新</em><ul><li><a href="/y/1.html">見出し一</a></li>
    <li><a href="/y/2.html">見出し二</a></li><li><a href="/y/3.html">見出し三</a></li></ul>
    <p><a href="/y/photo.html">写真</a></p><em>1月12日10時48分配信</em></div>
    <div class="other"><ul><li><a href="/z/1.html">別の箱一</a></li><li><a href="/z/2.html">別の箱二</a></li>
    <li><a href="/z/3.html">別の箱三</a></li></ul></div>"""
    tree = parse_html(f"<html><body><main>{body}</main></body></html>")
    found = [(r.url.split("/", 3)[-1], r.date) for r in detect_releases(tree, "https://x.example/")]
    assert found == [("y/1.html", None), ("y/2.html", None), ("y/3.html", None)]  # the entry's page will date it


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("令和7(2025)年10月3日（金曜日）", "2025-10-03"), ("令和８（２０２６）年７月３１日", "2026-07-31"),
        ("2025年3月4日 9時30分", "2025-03-04"), ("2025.03.04", "2025-03-04"), ("R7.3.4", "2025-03-04"),
        ("令和元年5月1日", "2019-05-01"), ("平成元年1月8日", "1989-01-08"), ("２０２６年７月３１日", "2026-07-31"),
    ],
)  # fmt: skip
def test_date_forms(text, iso):
    assert [d.date for d in find_dates(text)] == [iso]


def test_feed_entries_differing_only_by_fragment_are_distinct_when_titles_differ():
    items = "".join(f'<item rdf:about="http://d.example/sample/20040820{f}"><title>{t}</title>'
                    f"<link>http://d.example/sample/20040820{f}</link><dc:date>2004-08-20</dc:date></item>"
                    for f, t in (("", "今日のできごと"), ("#p1", "今日の買い物"), ("#foto", "記念撮影")))  # fmt: skip
    rdf = f"""<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns="http://purl.org/rss/1.0/"
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
    <channel rdf:about="http://d.example/rss"><title>日記</title><link>http://d.example/</link></channel>{items}</rdf:RDF>"""
    urls = [e.url for e in parse_feed(rdf.encode(), "http://d.example/rss")]
    assert urls == ["http://d.example/sample/20040820", "http://d.example/sample/20040820#p1",
                    "http://d.example/sample/20040820#foto"]  # fmt: skip
    same = rdf.replace("今日の買い物", "今日のできごと").replace("記念撮影", "今日のできごと")
    assert {e.url for e in parse_feed(same.encode(), "http://d.example/rss")} == {"http://d.example/sample/20040820"}


def test_more_links_are_next_pages():
    assert NEXT_TEXT.match("もっと見る") and NEXT_TEXT.match("次へ>") and not NEXT_TEXT.match("見る")


def _extract(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def test_explain_shows_the_candidates_and_why_one_was_chosen():
    result = _extract(str(FIXTURES / "ward_tabs/index.html"), "--url", WARD_URL, "--explain")
    assert result.exit_code == 0, result.output
    assert "KEPT  ul.news-list: 198 links, 198 dated, score 99  2026-06-17 … 2026-07-31" in result.output
    assert "a ranking, popular or related box" in result.output
    assert result.output.rstrip().endswith("verdict: 102 releases from 2 list(s): div.today, ul.news-list")
    data = json.loads(_extract(str(FIXTURES / "ward_tabs/index.html"), "--url", WARD_URL, "--explain", "--json").output)
    assert data["releases"] == 102 and [c["where"] for c in data["candidates"] if c["kept"]] == ["div.today",
                                                                                               "ul.news-list"]  # fmt: skip


def test_explain_says_why_a_page_yields_nothing(tmp_path):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><ul>" + "".join(f"<li><a href='/m/{n}.html'>メニュー{n}</a></li>" for n in range(6))
                    + "</ul><nav><ul><li>2026年7月1日 <a href='/n/1.html'>ナビ</a></li></ul></nav></body></html>",
                    encoding="utf-8")  # fmt: skip
    result = _extract(str(page), "--url", "https://x.example/", "--explain")
    assert result.exit_code == 0
    assert "in page furniture (nav)" in result.output
    assert "largest groups without dates (never taken): ul (6 links)" in result.output
    assert result.output.rstrip().endswith("verdict: no list: in page furniture (nav)")


def test_fetched_at_for_saved_pages_and_its_bad_input(tmp_path):
    page = tmp_path / "rel.html"
    page.write_text("<html><body><ul>" + "".join(f"<li>{n}日前 <a href='/r/{n}.html'>記事{n}</a></li>" for n in (1, 2, 3))
                    + "</ul></body></html>", encoding="utf-8")  # fmt: skip
    result = _extract(str(page), "--url", "https://x.example/", "--fetched-at", "2026-08-01T09:00", "--json")
    assert [r["date"] for r in json.loads(result.output)["releases"]] == ["2026-07-31", "2026-07-30", "2026-07-29"]
    bad = _extract(str(page), "--url", "https://x.example/", "--fetched-at", "yesterday")
    assert bad.exit_code == 2 and "--fetched-at" in bad.output and len(bad.output.strip().splitlines()) == 1
    assert JST.utcoffset(None) == dt.timedelta(hours=9)


def test_an_undated_news_box_is_the_list_only_when_the_page_names_it_and_has_no_dated_list():
    items = "".join(f"<p class='pick'><a href='/n/{n}.html'>キャンペーンのお知らせその{n}です</a></p>" for n in range(6))
    top = f"<div class='bar'><img alt='最新情報' src='b.png'></div><div class='box'><dl><dd>{items}</dd></dl></div>"
    assert _releases(top) == [(f"{n}.html", None) for n in range(6)]
    assert _releases(top.replace("最新情報", "おすすめスポット")) == []  # undated links, not named as news
    dated = "".join(f"<li>2026年7月{d}日 <a href='/d/{d}.html'>発表{d}</a></li>" for d in (1, 2, 3))
    assert [u for u, _ in _releases(top + f"<ul>{dated}</ul>")] == ["1.html", "2.html", "3.html"]


def test_explain_for_a_feed_and_for_a_follow_selector():
    feed = _extract(str(FIXTURES / "feeds/rss10_sjis.rdf"), "--url", "http://p.example/f.rdf", "--explain")
    assert feed.exit_code == 0 and "verdict: a feed:" in feed.output and "no list detection needed" in feed.output
    lycorp = _extract(str(FIXTURES / "lycorp/ja/news/index.html"), "--url", "https://www.lycorp.co.jp/ja/news/",
                      "--follow", "li.c-col a.c-article-panel-d2", "--explain", "--json")  # fmt: skip
    assert json.loads(lycorp.output)["verdict"] == 'selector "li.c-col a.c-article-panel-d2" picks 3 entries (3 dated)'
