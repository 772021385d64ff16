# ruff: noqa: E501 - Japanese fixture strings read better unwrapped
"""Title, published date, body and release entries on fixture pages modelled on the real sites."""

from __future__ import annotations

import pytest
from support.sites import FIXTURES

from scrapers.extract import detect_releases, extract_bytes, find_releases
from scrapers.extract.dates import date_in_url, labelled_date
from scrapers.extract.html import parse_html
from scrapers.extract.title import extract_title


def _page(path: str, url: str, content_type: str | None = None, follow: str | None = None):
    return extract_bytes((FIXTURES / path).read_bytes(), url, content_type, follow)


def test_ward_list_detects_100_dated_entries_without_selectors():
    page = _page("ward_news/index.html", "https://www.city.example.lg.jp/")
    releases = page.releases
    assert len(releases) == 100  # 50 dt/dd rows + 50 li rows; the tab panel repeats 8 of them, kept once
    assert len({r.url for r in releases}) == 100
    assert releases[0].title == "①髙橋区長の定例記者会見（№12）" and releases[0].date == "2026-07-31"
    assert releases[-1].date == "2026-06-12"
    assert not any("ホーム" in r.title or "プライバシー" in r.title for r in releases)
    assert all(r.url.startswith("https://www.city.example.lg.jp/kurashi/news/") for r in releases)


@pytest.mark.parametrize(
    ("path", "url", "follow", "count", "first"),
    [
        ("lycorp/ja/news/index.html", "https://www.lycorp.co.jp/ja/news/", "li.c-col a.c-article-panel-d2", 3,
         ("https://www.lycorp.co.jp/ja/news/release/020005/", "生成AIを活用した行政向けサービスの提供を開始", "2026-02-05")),
        ("lycorp/ja/news/index.html", "https://www.lycorp.co.jp/ja/news/", None, 3,
         ("https://www.lycorp.co.jp/ja/news/release/020005/", "生成AIを活用した行政向けサービスの提供を開始", "2026-02-05")),
        ("nttdata/global/ja/news/index.html", "https://www.nttdata.com/global/ja/news/",
         "ul.c-list-news-date-merge p.u-lh-15 > a", 3,
         ("https://www.nttdata.com/global/ja/news/release/2026/081901", "自治体DXの共同研究を開始", "2026-08-19")),
        ("nttdata/global/ja/news/index.html", "https://www.nttdata.com/global/ja/news/", None, 3,
         ("https://www.nttdata.com/global/ja/news/release/2026/081901", "自治体DXの共同研究を開始", "2026-08-19")),
        ("tokyo/information/press/2026/07/index.html", "https://www.metro.tokyo.lg.jp/information/press/2026/07/",
         "a.widget-information-content_info-list-link", 2,
         ("https://www.metro.tokyo.lg.jp/information/press/2026/07/2026073101",
          "ワクチン接種予約システムの運用事業者の決定について", "2026-07-31")),
        ("newsroom_corp/ja/pr/index.html", "https://www.garage.co.jp/ja/pr/", None, 5,
         ("https://www.garage.co.jp/ja/pr/2026/07/payment-platform.html",
          "決済プラットフォームの新サービス「DGペイ」を提供開始", "2026-07-31")),
    ],
)  # fmt: skip
def test_release_entries_with_and_without_selectors(path, url, follow, count, first):
    releases = _page(path, url, follow=follow).releases
    assert len(releases) == count
    assert (releases[0].url, releases[0].title, releases[0].date) == first


def test_nttdata_date_heading_applies_to_each_item_under_it():
    releases = _page("nttdata/global/ja/news/index.html", "https://www.nttdata.com/global/ja/news/").releases
    assert [(r.url.rsplit("/", 1)[-1], r.date) for r in releases] == [
        ("081901", "2026-08-19"), ("081902", "2026-08-19"), ("080501", "2026-08-05")]


def test_detail_page_title_date_and_body_without_furniture():
    page = _page("newsroom_corp/ja/pr/2026/07/vaccine-system.html", "https://www.garage.co.jp/ja/pr/2026/07/x.html")
    assert page.title == "自治体向けワクチン接種予約システムを受託"  # not "… | ニュースリリース | 株式会社デジタルガレージ"
    assert page.published == "2026-07-28"
    assert page.body.startswith("2026年7月28日\n自治体向けワクチン接種予約システムを受託\n株式会社デジタルガレージ（東証プライム")
    for furniture in ("会社情報", "IR情報", "プライバシーポリシー", "Copyright", "ホーム >"):
        assert furniture not in page.body


def test_old_tokyo_page_body_starts_after_the_skip_text_and_breadcrumb():
    page = _page("tokyo/tosei/hodohappyo/press/2021/03/05/01.html",
                 "https://www.metro.tokyo.lg.jp/tosei/hodohappyo/press/2021/03/05/01.html")  # fmt: skip
    assert page.body.split("\n")[0] == "都庁舎の照明LED化工事の契約について"
    assert page.published == "2021-03-05"
    assert "契約相手方 ㈱東京電設" in page.body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("掲載日：令和元年５月１日", "2019-05-01"),
        ("更新日：2026年07月31日", "2026-07-31"),
        ("令和3年(2021年)3月5日更新", "2021-03-05"),
        ("最終更新日 2026.8.1 公開日 2026/7/30", "2026-07-30"),  # a publication label beats an update label
        ("発表日 R8.7.31", "2026-07-31"),
        # the publication date first on the line, the update note after it: the update is not the publication
        ("令和8年7月31日　デジタルサービス局（令和8年8月5日 更新）", "2026-07-31"),
        ("2026年7月1日\n令和8年7月31日更新", "2026-07-31"),
        ("本文に2026年7月31日とだけ書いてある", None),
    ],
)
def test_labelled_dates(text, expected):
    assert labelled_date(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.metro.tokyo.lg.jp/information/press/2026/07/2026073101", "2026-07-31"),
        ("https://www.metro.tokyo.lg.jp/tosei/hodohappyo/press/2021/03/05/01.html", "2021-03-05"),
        ("https://www.garage.co.jp/pr/release/20260731/", "2026-07-31"),
        ("https://www.metro.tokyo.lg.jp/documents/d/tosei/20260731_01_01", "2026-07-31"),
        ("https://www.lycorp.co.jp/ja/news/release/020005/", None),
        ("https://www.garage.co.jp/ja/pr/2026/07/slug.html", None),  # no day: not a date
    ],
)
def test_dates_in_urls(url, expected):
    assert date_in_url(url) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<title>件名について｜東京都</title><h1>報道発表資料</h1><h2>件名について</h2>", "件名について"),
        ("<title>Release title - Company</title><h1>Release title</h1>", "Release title"),
        ("<title>東京都｜件名</title><meta property='og:site_name' content='東京都'>", "件名"),
        ("<title>令和８年度予算／補正 | 東京都</title>", "令和８年度予算／補正"),
        ("<h1>見出しだけ</h1>", "見出しだけ"),
        ("<title>ただ一つの題</title>", "ただ一つの題"),
    ],
)
def test_titles_drop_the_site_name(html, expected):
    assert extract_title(parse_html(f"<html><head>{html}</head><body>{html.split('</title>')[-1]}</body></html>")) \
        == expected


def test_navigation_footer_and_tabs_are_not_releases():
    html = """<html><body><nav><ul><li><a href="/a">2026年7月1日 メニュー</a></li><li><a href="/b">2026年7月2日 X</a></li>
    <li><a href="/c">2026年7月3日 Y</a></li></ul></nav><ul class="list">
    <li>2026年7月1日 <a href="/n/1.html">一</a></li><li>2026年7月2日 <a href="/n/2.html">二</a></li>
    <li>2026年7月3日 <a href="/n/3.html">三</a></li></ul><footer><p>2026年7月1日 <a href="/f">フッター</a></p>
    <p>2026年7月2日 <a href="/g">g</a></p><p>2026年7月3日 <a href="/h">h</a></p></footer></body></html>"""
    releases = detect_releases(parse_html(html), "https://x.example/")
    assert [r.title for r in releases] == ["一", "二", "三"]


def test_selector_without_matches_gives_nothing():
    tree = parse_html("<html><body><ul><li>2026年7月1日 <a href='/1'>一</a></li></ul></body></html>")
    assert find_releases(tree, "https://x.example/", "a.nothing-like-this") == []


def test_title_that_is_only_the_site_name_gives_way_to_the_heading():
    html = """<html><head><title>東京都</title></head><body><header><a href="/"><img alt="東京都"></a></header>
    <div id="main"><h1>報道発表資料</h1><h2>都営住宅の入居者募集について</h2><p>2026年7月31日</p></div></body></html>"""
    assert extract_title(parse_html(html)) == "都営住宅の入居者募集について"


def test_list_date_beats_a_bare_date_in_the_text_but_not_a_label():
    from scrapers.extract import extract_text

    bare = extract_text("<html><body><h1>夏祭り</h1><p>令和8年8月10日に開催します。</p></body></html>", "https://x/a")
    assert (bare.published, bare.published_how) == ("2026-08-10", "first")  # the spider prefers the list's date
    labelled = extract_text("<html><body><h1>夏祭り</h1><p>掲載日：令和8年7月1日</p><p>令和8年8月10日</p></body></html>",
                            "https://x/a")  # fmt: skip
    assert (labelled.published, labelled.published_how) == ("2026-07-01", "label")


def test_year_less_list_dates_take_the_year_of_the_year_heading():
    html = ("<html><body><h2>令和8年</h2><ul class='n'>"
            + "".join(f"<li><span>7月{d}日</span><a href='/n/{d}.html'>お知らせ{d}</a></li>" for d in (3, 2, 1))
            + "</ul></body></html>")  # fmt: skip
    assert [r.date for r in detect_releases(parse_html(html), "https://x/")] == ["2026-07-03", "2026-07-02", "2026-07-01"]


def test_date_heading_over_a_group_of_links():
    html = """<html><body><div class="news"><h3>2026年7月31日</h3><ul><li><a href="/a">一</a></li><li><a href="/b">二</a></li></ul>
    <h3>2026年7月30日</h3><ul><li><a href="/c">三</a></li><li><a href="/d">四</a></li></ul></div></body></html>"""
    assert [(r.title, r.date) for r in detect_releases(parse_html(html), "https://x/")] == [
        ("一", "2026-07-31"), ("二", "2026-07-31"), ("三", "2026-07-30"), ("四", "2026-07-30")]


def test_date_labels_with_weekdays_and_spaces():
    assert labelled_date("令和8年7月31日（金曜日）更新") == "2026-07-31"
    assert labelled_date("ページ番号：1234 更新日：2026年7月31日") == "2026-07-31"


def test_newsroom_next_page_without_selector():
    from scrapers.spiders.newsroom import NewsroomSpider

    spider = NewsroomSpider(source={"name": "x", "urls": ["https://x.example/news/"]})
    pager = "<html><body><div class='pager'><a href='?page=1'>1</a><a href='?page=2'>次へ＞</a></div></body></html>"
    assert spider.next_page(parse_html(pager), "https://x.example/news/") == "https://x.example/news/?page=2"
    rel = "<html><head><link rel='next' href='/news/p2/'></head><body></body></html>"
    assert spider.next_page(parse_html(rel), "https://x.example/news/") == "https://x.example/news/p2/"
    assert spider.next_page(parse_html("<html><body><a href='/'>トップ</a></body></html>"), "https://x.example/") is None


def test_hidden_copies_plugin_notices_and_share_buttons_are_not_body():
    from scrapers.extract import extract_text

    html = """<html><body><div id="main"><h1>件名</h1><p>本文です。</p><div style="display:none">隠れたメニュー</div>
    <ul hidden><li>モバイル用メニュー</li></ul>
    <p>Adobe Acrobat Readerをお持ちでない方は、バナーのリンク先からダウンロードしてください。</p>
    <div class="plugin"><p>PDFファイルをご覧いただくには別途ソフトが必要です</p></div><p>ツイート</p></div></body></html>"""
    assert extract_text(html, "https://x/").body == "件名\n本文です。"


@pytest.mark.parametrize(
    ("link", "title", "date"),
    [
        ("2026年7月31日　断水のお知らせ", "断水のお知らせ", "2026-07-31"),
        ("断水のお知らせ（令和8年7月31日）", "断水のお知らせ", "2026-07-31"),
        ("[2026/07/31] 【重要】入札公告", "【重要】入札公告", "2026-07-31"),
        ("令和8年7月1日付人事異動", "令和8年7月1日付人事異動", "2026-07-01"),
    ],
)
def test_dates_inside_the_link_give_the_date_and_leave_the_title(link, title, date):
    html = "<html><body><ul>" + "".join(
        f"<li><a href='/n/{i}.html'>{link}</a></li>" for i in range(3)) + "</ul></body></html>"  # fmt: skip
    releases = detect_releases(parse_html(html), "https://x/")
    assert len(releases) == 3 and {(r.title, r.date) for r in releases} == {(title, date)}


def test_an_unparseable_href_is_skipped_not_fatal():
    html = """<html><head><base href="http://[bad/"></head><body><ul>
    <li>2026年7月1日 <a href="http://[broken/x">壊れたリンク</a></li><li>2026年7月2日 <a href="/n/2.html">二</a></li>
    <li>2026年7月3日 <a href="/n/3.html">三</a></li><li>2026年7月4日 <a href="/n/4.html">四</a></li></ul></body></html>"""
    releases = detect_releases(parse_html(html), "https://x.example/news/")
    assert [r.url for r in releases] == [f"https://x.example/n/{n}.html" for n in (2, 3, 4)]


def test_category_links_file_links_and_article_headers():
    entries = "".join(
        f"<li><article><header><time datetime='2026-07-{d:02d}'>7月{d}日</time>"
        f"<a class='cat' href='/cat/{d % 2}/'>{'くらし' if d % 2 else 'イベント'}</a>"
        f"<h2><a href='/news/{d}.html'>お知らせ{d}</a></h2><a href='/news/{d}.pdf'>PDF（12KB）</a></header></article></li>"
        for d in range(1, 9)
    )
    html = f"<html><body><header><nav><a href='/'>ホーム</a></nav></header><main><ul>{entries}</ul></main></body></html>"
    releases = detect_releases(parse_html(html), "https://x.example/")
    assert [(r.url.rsplit("/", 1)[-1], r.date) for r in releases] == [(f"{d}.html", f"2026-07-{d:02d}") for d in range(1, 9)]


def test_furigana_readings_stay_out_of_the_body_and_title():
    """やさしい日本語 pages put readings over kanji (<ruby>子<rt>こ</rt>ども</ruby>): the text is the base characters,
    so 「児童相談所」 and 宮坂副知事 are found whole, and the readings never split them."""
    page = ("<html><head><title>宮坂副知事が話しました｜やさしいニュース</title></head><body><main><h1><ruby>宮坂<rt>みやさか</rt></ruby>"
            "<ruby>副知事<rp>（</rp><rt>ふくちじ</rt><rp>）</rp></ruby>が話しました</h1>"
            "<p><ruby>児童<rt>じどう</rt></ruby><ruby>相談所<rt>そうだんじょ</rt></ruby>の力を強くしました。"
            "子どもの<ruby>育<rt>そだ</rt></ruby>て方を教えます。</p></main></body></html>").encode()
    page_result = extract_bytes(page, "https://example.jp/easy/1.html", "text/html; charset=utf-8")
    assert page_result.title == "宮坂副知事が話しました"
    assert "児童相談所の力を強くしました。" in page_result.body and "子どもの育て方を教えます。" in page_result.body
    assert "みやさか" not in page_result.body and "じどう" not in page_result.body
