# ruff: noqa: E501 - Japanese fixture strings read better unwrapped
"""Kinds of single pages the real corpus lacks (issue 11), on fixtures of our own modelled on ../shared/SITES.md and
the real pages: a Tokyo Metropolitan Government release on the new CMS with its feedback form and share buttons, a
ward notice whose title holds an event date, a prefecture page with a two-level site suffix, a press-release
service page with the company's other releases, and a page that has no date of its own."""

from __future__ import annotations

import pytest
from support.sites import FIXTURES

from scrapers.extract import extract_bytes
from scrapers.extract.html import parse_html
from scrapers.extract.stamp import stamped_date
from scrapers.extract.title import extract_title

KINDS = FIXTURES / "pagekinds"


def _page(name: str, url: str):
    return extract_bytes((KINDS / name).read_bytes(), url, "text/html")


def test_tokyo_release_without_feedback_form_share_buttons_and_related_links():
    page = _page("tokyo_release.html", "https://www.metro.tokyo.lg.jp/information/press/2026/07/2026073105")
    assert page.title == "都立公園の夜間照明設備の更新工事に係る契約の締結について"
    assert page.published == "2026-07-31"
    assert "契約相手方 見本電設株式会社" in page.body and "48,730,000円（税込）" in page.body
    assert "令和8年9月1日から順次工事に着手します。" in page.body
    for furniture in ("役に立ちましたか", "見つけやすかった", "Facebookでシェア", "LINEで送る", "関連情報", "開園時間の変更"):
        assert furniture not in page.body


def test_ward_notice_label_beats_the_date_in_its_title():
    page = _page("ward_notice.html", "https://www.city.mihon.lg.jp/kurashi/matsuri.html")
    assert page.title == "令和8年8月10日（月曜日）開催 区民ふれあい夏まつりの出店者募集"  # not "… - 見本区"
    assert (page.published, page.published_how) == ("2026-07-01", "label")  # 掲載日, not the event date in the title
    assert "出店料は1区画5,000円です。" in page.body
    for furniture in ("関連リンク", "昨年の夏まつり", "役に立ちましたか", "どちらともいえない"):
        assert furniture not in page.body


def test_two_level_site_suffix_goes_without_a_heading_to_match():
    page = _page("prefecture_nickname_title.html", "https://www.pref.mihon.lg.jp/jutaku/boshu.html")
    assert page.title == "県営住宅の入居者募集（令和8年度第2回）"
    assert page.published == "2026-07-15"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("件名のお知らせ｜東京都", "件名のお知らせ"),
        ("件名のお知らせ - 見本区", "件名のお知らせ"),
        ("件名のお知らせ/ひなたの国/見本県公式サイト", "件名のお知らせ"),
        ("件名のお知らせ／ひなたの国／見本県公式ホームページ", "件名のお知らせ"),
        ("件名のお知らせ | 見本市ホームページ", "件名のお知らせ"),
        ("令和８年度予算／補正 | 東京都", "令和８年度予算／補正"),  # an inner separator stays
        ("見本市：件名のお知らせ （…>局>お知らせ）", "件名のお知らせ"),
    ],
)
def test_site_suffixes_in_their_forms(title: str, expected: str):
    heading = "" if "見本市：" not in title else "<h1>件名のお知らせ</h1>"
    html = f"<html><head><title>{title}</title></head><body>{heading}<p>本文</p></body></html>"
    assert extract_title(parse_html(html)) == expected


def test_press_service_release_keeps_its_own_date_and_drops_the_company_boxes():
    page = _page("press_service_release.html", "https://press.example.jp/main/html/rd/p/000000001.000000001.html")
    assert page.title == "見本テック、自治体向け電子申請サービスを提供開始"
    assert page.published == "2026-07-01"  # the stamp under the headline, not 「2026年6月1日現在」 nor the sidebar
    assert "導入自治体数は2026年6月1日現在で42団体です。" in page.body
    for furniture in ("新オフィスを開設", "関連プレスリリース", "他社の新サービス発表", "ツイート"):
        assert furniture not in page.body


def test_a_page_without_a_date_of_its_own_says_none():
    page = _page("undated_page.html", "https://www.city.mihon.lg.jp/madoguchi.html")
    assert page.title == "窓口の受付時間"
    assert page.published is None  # the sidebar's 新着情報 <time> is not the page's date


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<h1>件名</h1><p>2026年7月1日 10時00分</p><p>本文。</p>", "2026-07-01"),
        ("<p>【2019.03.08】</p><h1>件名</h1><p>本文。</p>", "2019-03-08"),
        ("<div><span>» 2015年09月10日 21時53分 UPDATE</span></div><div><h1>件名</h1></div>", "2015-09-10"),
        # a sentence is not a stamp, nor a date inside the heading
        ("<h1>件名</h1><p>令和8年8月10日に開催します。</p>", None),
        ("<h3>セール出身馬紹介(2020/7/11-12)</h3><p>2020年07月12日 | 情報</p>", "2020-07-12"),
        # the nearest stamp wins (the one right under the heading, not the one above the breadcrumb)
        ("<p>2026年1月1日</p><p>ホーム</p><p>くらし</p><h1>件名</h1><p>2026年7月1日</p>", "2026-07-01"),
    ],
)
def test_date_stamps_beside_the_heading(html: str, expected: str | None):
    tree = parse_html(f"<html><body>{html}</body></html>")
    title = extract_title(tree)
    assert stamped_date(tree, title) == expected


def test_a_release_own_sections_are_not_taken_for_related_boxes():
    """Box headings are matched whole: a release's section about a ranking or a market share stays."""
    from scrapers.extract import extract_text

    html = """<html><body><main><h1>見本社の新製品</h1><p>新製品を発売します。</p>
    <h2>顧客満足度ランキング1位を獲得</h2><p>調査で1位になりました。</p>
    <h2>国内市場シェア</h2><p>シェアは42％です。</p><h2>おすすめの使い方</h2><p>毎朝使えます。</p>
    <h2>関連リンク</h2><ul><li><a href="/x">見本社のサイト</a></li></ul></main></body></html>"""
    body = extract_text(html, "https://x.example/r/1").body
    for kept in ("調査で1位になりました。", "シェアは42％です。", "毎朝使えます。"):
        assert kept in body
    assert "見本社のサイト" not in body and "関連リンク" not in body


def test_a_date_only_inside_the_headline_is_not_the_published_date():
    from scrapers.extract import extract_text

    page = extract_text("<html><body><h1>令和8年8月10日の夏祭りについて</h1><p>会場は見本公園です。</p></body></html>",
                        "https://x.example/a")  # fmt: skip
    assert (page.title, page.published) == ("令和8年8月10日の夏祭りについて", None)


def test_a_page_without_headings_takes_the_stamp_beside_the_text_its_title_names():
    html = """<html><head><title>見本ソフト 新着レビュー 「見本ツール」 - 写真を整理できる高機能なツール</title></head><body>
    <table><tr><td>新着レビュー</td><td>2026-07-24</td></tr></table><span style="display:none">https://x/2026-07-01</span>
    <font size="+3"><b>見本ツール</b></font><br><font size="+1">写真を整理できる高機能なツール</font>
    <p>本文です。2026年7月1日に公開された版を試した。</p></body></html>"""
    tree = parse_html(html)
    assert stamped_date(tree, extract_title(tree)) == "2026-07-24"
