# ruff: noqa: E501 - Japanese fixture strings read better unwrapped
"""General rules the held-out real pages called for (issue 11), each on pages of our own under
tests/fixtures/sites/pagekinds or written inline: a headline <title> shortens or glues a category to, a logo heading,
a record whose <title> is only its id, a [label] prefix, ideographic spaces, a date after a bracket, a table-laid
release, back links, neighbour-article pagers, 「…で探す」 boxes, logo-only headers, fragment-named feed entries and
cards wrapped in one link."""

from __future__ import annotations

import pytest
from support.sites import FIXTURES

from scrapers.extract import extract_bytes, find_releases
from scrapers.extract.dates import labelled_date
from scrapers.extract.feeds import read_feed
from scrapers.extract.html import parse_html
from scrapers.extract.title import extract_title

KINDS = FIXTURES / "pagekinds"


def _page(name: str, url: str):
    return extract_bytes((KINDS / name).read_bytes(), url, "text/html")


def _title(head: str, body: str) -> str:
    return extract_title(parse_html(f"<html><head>{head}</head><body>{body}</body></html>"))


def test_portal_article_takes_the_headline_that_title_shortens_and_drops_the_portal_furniture():
    page = _page("portal_news_article.html", "https://news.mihon.example/article/123")
    # og:title and the <h1> agree against the shortened <title>; the ideographic space is the page's own
    assert page.title == "見本市の新庁舎、来年4月に開業へ\u3000市長が定例会見で発表"
    assert "窓口を1階にまとめます" in page.body and "秋までに決めるということです。" in page.body
    for furniture in ("大雨に気をつけて", "地域ニュース一覧へ戻る", "次の記事", "市営バスの新路線", "市民プールの営業時間",
                      "ジャンルで探す", "スポーツ", "見本ポータルTOPへ"):
        assert furniture not in page.body, furniture


def test_record_page_titled_by_its_id_takes_the_heading_that_names_it_and_its_bracketed_date():
    page = _page("record_page.html", "https://db.mihon.example/contents/2026/MIHON-2026-000123.html")
    assert page.title == "見本製作所製ルーターにおける認証回避の問題"
    assert (page.published, page.published_how) == ("2026-07-15", "label")  # 「[2026年07月15日] 掲載」


def test_table_laid_release_keeps_its_lead_and_finds_its_stamp_without_the_label_prefix():
    page = _page("table_layout_release.html", "https://www.mihon-yohin.example/news/202607/kasa/index.html")
    assert page.title == "軽くて静かな折りたたみ傘、雨音をやわらげる新素材で3モデルを発売"  # 「[News] 」 dropped
    assert (page.published, page.published_how) == ("2026-07-01", "stamp")  # above the headline that <br> breaks
    assert "代表取締役：見本太郎" in page.body  # the lead table before the larger features table
    assert "●吸水性の高い収納袋が付属し" in page.body
    assert "サポート" not in page.body


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # the logo's <h1> is the only heading <title> holds as a part; 【label】 before and ～subtitle after the headline
        ("<title>【見本ニュース】見本社が新型ノートPCを発表 ～重さ900g - 見本Watch</title>",
         '<h1 id="site-logo" class="logo">見本Watch</h1><h1>見本社が新型ノートPCを発表</h1><h2>～重さ900g</h2>',
         "見本社が新型ノートPCを発表"),
        # <title> only the site's name, which the logo heading shows: the page's own heading
        ('<title>見本Watch</title>', '<h1 class="logo">見本Watch</h1><h1>見本社が新型ノートPCを発表</h1>', "見本社が新型ノートPCを発表"),
        # a category glued to a headline <title> cut short: the heading that starts the same way, in full
        ("<title>先月から新しい職場で働いています。毎週の当番表が急に変わ- 転職・再就職 | 見本Q&amp;A</title>",
         "<h1>先月から新しい職場で働いています。毎週の当番表が急に変わることがあり、困っています</h1>",
         "先月から新しい職場で働いています。毎週の当番表が急に変わることがあり、困っています"),
        # all of <title> starting a menu's heading is no shortening: the title stays
        ("<title>見本安全委員会</title>", "<h2>見本安全委員会について</h2><h2>お知らせ</h2>", "見本安全委員会"),
        # the site's name first with only a space after it (og:site_name, written with value=)
        ('<title>見本 新着ソフト紹介 「見本ツール」 - ファイルを素早く整理できるソフト</title>'
         '<meta name="og:site_name" value="見本 新着ソフト紹介">', "<p>本文</p>",
         "「見本ツール」 - ファイルを素早く整理できるソフト"),
        # ideographic spaces in a heading are the page's own
        ("<title>山の記録　　夏の花が咲いてます　（7/2） - 見本ブログ</title>",
         "<h1>見本ブログ</h1><h3>山の記録　　夏の花が咲いてます　（7/2）</h3>", "山の記録\u3000\u3000夏の花が咲いてます\u3000（7/2）"),
    ],
)
def test_titles_from_title_and_headings(head: str, body: str, expected: str):
    assert _title(head, body) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("更新履歴\n[2026年07月15日]\n掲載", "2026-07-15"),
        ("【2026年7月15日】更新", "2026-07-15"),
        ("掲載日\n2026年7月1日", "2026-07-01"),  # a <dl>/<table> row: label cell, then date cell
        ("公開日 2026/07/01\n更新日 2026/08/01", "2026-07-01"),
    ],
)
def test_labelled_dates_in_rows_and_after_brackets(text: str, expected: str):
    assert labelled_date(text) == expected


def test_a_feed_that_names_entries_by_fragment_keeps_every_fragment():
    items = [("20260801#p01", "一つ目の記事"), ("20260801#p02", "二つ目の記事"), ("20250906#c06", "2025-09-06へのコメント[6]")]
    rdf = "".join(f'<item rdf:about="http://d.example/{u}"><title>{t}</title><link>http://d.example/{u}</link>'
                  f"<dc:date>2026-08-01T10:00:00+09:00</dc:date></item>" for u, t in items)
    body = ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns="http://purl.org/rss/1.0/" '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="http://d.example/"><title>見本日記</title><link>http://d.example/</link></channel>{rdf}</rdf:RDF>')
    urls = [e.url for e in read_feed(body.encode(), "http://d.example/index.rdf").entries]
    assert urls == ["http://d.example/20260801#p01", "http://d.example/20260801#p02", "http://d.example/20250906#c06"]


def test_a_card_wrapped_in_one_link_takes_its_stamp_line_not_its_teasers_event_date():
    cards = [("1001", "【8月1日・2日】見本町で夏の市を開催", "見本町は2026年8月1日（土）・2日（日）に夏の市を開きます。", "2026年7月14日 10時"),
             ("1002", "見本社が新しい水筒を発売", "軽くて丈夫な水筒を発売します。", "2026年7月10日 15時"),
             ("1003", "見本大学が公開講座の受講者を募集", "秋の公開講座の受講者を募集します。", "2026年7月8日 9時")]
    html = "".join(f'<div class="card"><a href="/release/{n}"><div><h2>{t}</h2><p>{teaser}</p><h3>見本株式会社</h3>'
                   f"<ul><li>{stamp}</li><li>告知・募集</li></ul></div></a></div>" for n, t, teaser, stamp in cards)
    tree = parse_html(f"<html><body><section id='list'>{html}</section></body></html>")
    dates = {r.url.rsplit("/", 1)[-1]: r.date for r in find_releases(tree, "https://press.example/search?q=x")}
    assert dates == {"1001": "2026-07-14", "1002": "2026-07-10", "1003": "2026-07-08"}


def test_an_event_card_deep_in_wrapper_divs_is_dated_and_titled_by_its_picture():
    """One card: the picture link (alt text = the event's name) and a 「詳細はこちら」 link, its dates in a paragraph
    beside them, each element wrapped in four <div>s as some CMSs write them."""
    wrap = lambda inner, cls: f'<div class="{cls}"><div><div><div><div>{inner}</div></div></div></div></div>'  # noqa: E731
    picture = wrap('<div class="holder"><a href="/event/5501/index.html"><img src="/img/e.jpg" alt="8月の夏まつりイベント"></a></div>', "elem-pic")
    dates = wrap("<p>2026年8月9日（日）、16日（日）<br>盆踊りと屋台<br><br>8月1日（土）、2日（日）<br>工作教室</p>", "elem-paragraph")
    more = wrap('<ul class="txt-list"><li><p><a href="/event/5501/index.html">詳細はこちら</a></p></li></ul>', "elem-txt-list")
    card = wrap(f'<div class="pic-box"><div>{picture}</div></div><div class="txt-box"><div><div class="txt-body"><div>{dates}{more}</div></div></div></div>', "elem-pic-block")
    tabs = '<ul class="tabs-list"><li><a href="/event/index.html#a1">すべて</a></li><li><a href="/event/77/index.html#a1">季節のイベント</a></li></ul>'
    tree = parse_html(f"<html><body><main><h1>イベント</h1>{tabs}{card}</main></body></html>")
    releases = find_releases(tree, "https://park.example/event/index.html")
    assert [(r.url, r.title, r.date) for r in releases] == [
        ("https://park.example/event/5501/index.html", "8月の夏まつりイベント", "2026-08-09")]


# The CMS families SITES.md describes are read by the generic rules, without a profile of their own.
def test_tmp_cms_release_is_read_without_a_profile():
    """The `tmp_` CMS many prefectures and cities run: tmp_contents, 「ここから本文です。」, tmp_pankuzu, tmp_lnavi,
    tmp_update outside the content, the inquiry box inside it."""
    page = _page("tmp_cms_release.html", "https://www.pref.mihon.lg.jp/kensei/shitei.html")
    assert page.title == "見本川の河川敷公園における指定管理者の選定結果について"
    assert (page.published, page.published_how) == ("2026-07-03", "label")  # 掲載日 beats tmp_update's 更新日
    assert page.body.startswith("見本川の河川敷公園における指定管理者の選定結果について\n")
    assert "候補者 見本公園管理共同事業体" in page.body and "電話番号：000-000-0000" in page.body
    for furniture in ("ここから本文です", "トップページ", "広報・広聴", "役に立ちましたか", "Copyright", "サイトマップ"):
        assert furniture not in page.body, furniture


def test_new_cms_widget_list_is_read_without_a_profile():
    page = _page("new_cms_press_list.html", "https://www.metro.mihon.lg.jp/information/press/2026/07")
    assert [(r.url.rsplit("/", 1)[-1], r.date) for r in page.releases] == [
        ("2026073103", "2026-07-31"), ("2026073102", "2026-07-31"), ("2026073001", "2026-07-30"), ("2026072901", "2026-07-29")]
    assert page.releases[0].title == "都有地の売払いに係る一般競争入札の実施について"  # not the bureau beside it
