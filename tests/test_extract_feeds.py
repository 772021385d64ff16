"""Feed parsing: every format and encoding of the fixtures, Japan-time dates from the raw date strings."""

from __future__ import annotations

import pytest
from support.sites import FIXTURES

from scrapers.extract import FeedError, feed_date, looks_like_feed, parse_feed


def _feed(name: str, content_type: str | None = None):
    return parse_feed((FIXTURES / "feeds" / name).read_bytes(), f"http://feeds.example/{name}", content_type)


def test_rss20_pubdates_in_japan_time():
    entries = _feed("rss20.xml")
    assert [(e.title, e.published) for e in entries] == [
        ("官公庁向けAI基盤を提供開始", "2026-08-01"),
        ("自治体システム標準化の受注", "2026-08-01"),  # 15:15 GMT on 7/31 is 00:15 on 8/1 in Japan
    ]
    assert entries[0].url == "http://feeds.example/press/202608/20260801_01.html"
    assert entries[0].summary == "NECは官公庁向けAI基盤の提供を開始しました。"


def test_rss10_shift_jis_with_cp932_characters_and_dc_date():
    entries = _feed("rss10_sjis.rdf")
    assert entries[0].title == "①富士通、髙性能計算基盤を㈱テスト大学へ納入（№5）"
    assert entries[0].published == "2026-08-01"
    assert entries[1].title == "Ⅲ期システムの稼働開始"
    # Even when the HTTP header claims UTF-8.
    assert _feed("rss10_sjis_lying.rdf", "application/rdf+xml; charset=UTF-8")[0].title.startswith("①富士通")


def test_atom03_euc_jp_and_atom10_relative_links():
    (entry,) = _feed("atom03_eucjp.xml")
    assert entry.title == "年収1000万円の節税対策" and entry.published == "2005-10-13"
    assert "ビジネスネットワーク株式会社" in entry.summary
    atom = _feed("atom10.xml")
    assert atom[0].url == "http://feeds.example/news/suido.html" and atom[0].published == "2026-08-01"
    assert atom[1].published == "2026-07-20"  # <published> wins over <updated>
    assert atom[1].summary == "区民まつりを開催します。"  # HTML content turned into text


def test_rss091_without_dates():
    (entry,) = _feed("rss091.xml")
    assert entry.title == "旧形式のお知らせ" and entry.published is None


def test_not_a_feed():
    with pytest.raises(FeedError, match="not a feed at http://feeds.example/not_a_feed.xml"):
        _feed("not_a_feed.xml")
    assert not looks_like_feed((FIXTURES / "feeds/not_a_feed.xml").read_bytes())
    assert looks_like_feed((FIXTURES / "feeds/rss10_sjis.rdf").read_bytes())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sat, 01 Aug 2026 00:15:00 +0900", "2026-08-01"),
        ("Fri, 31 Jul 2026 15:15:00 GMT", "2026-08-01"),
        ("Fri, 31 Jul 2026 14:59:59 GMT", "2026-07-31"),
        ("2026-08-01T00:15:00+09:00", "2026-08-01"),
        ("2026-07-31T15:15:00Z", "2026-08-01"),
        ("2026-07-31T23:00:00", "2026-07-31"),  # no zone: taken as Japan time
        ("2026-07-31", "2026-07-31"),
        ("", None),
        ("someday", None),
    ],
)
def test_feed_dates(value, expected):
    assert feed_date(value) == expected
