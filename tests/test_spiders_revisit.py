"""The age-based revisit policy (pure functions) and the spider's handling of known documents."""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.extract.releases import Release
from scrapers.revisit import DEFAULT_REVISIT, RevisitError, interval_for, is_due, must_verify, parse_revisit
from scrapers.spiders.newsroom import NewsroomSpider

NOW = dt.datetime(2026, 8, 1, 12, 0, tzinfo=dt.UTC)


def _doc(published: str | None, checked_days_ago: float | None, first_seen: str = "2020-01-01T00:00:00+00:00"):
    checked = (NOW - dt.timedelta(days=checked_days_ago)).isoformat() if checked_days_ago is not None else None
    return {"url": "https://x/1", "published": published, "first_seen_at": first_seen, "last_checked_at": checked}


@pytest.mark.parametrize(
    ("published", "checked_days_ago", "due"),
    [
        ("2026-07-30", 0.01, True),  # recent: every crawl
        ("2026-06-20", 0.5, False),  # 6 weeks old: daily
        ("2026-06-20", 1.5, True),
        ("2026-04-01", 3, False),  # 4 months: weekly
        ("2026-04-01", 8, True),
        ("2024-01-01", 20, False),  # years old: monthly
        ("2024-01-01", 31, True),
        ("2024-01-01", None, True),  # never checked
    ],
)
def test_default_policy(published, checked_days_ago, due):
    assert is_due(_doc(published, checked_days_ago), DEFAULT_REVISIT, NOW) is due


def test_age_from_first_seen_when_no_published_date():
    doc = _doc(None, 2, first_seen="2026-07-31T00:00:00+00:00")
    assert is_due(doc, DEFAULT_REVISIT, NOW)
    assert not is_due(_doc(None, 2, first_seen="2025-01-01T00:00:00+00:00"), DEFAULT_REVISIT, NOW)


def test_custom_policy_and_errors():
    policy = parse_revisit({"0": 0, "7": 2, "30": 14})
    assert policy == {0: 0.0, 7: 2.0, 30: 14.0}
    assert interval_for(3, policy) == 0 and interval_for(10, policy) == 2 and interval_for(400, policy) == 14
    assert parse_revisit({"30": 7}) == {0: 0.0, 30: 7.0}
    assert parse_revisit({"0": 0}) == {0: 0.0}  # every crawl, whatever the age
    with pytest.raises(RevisitError, match='revisit key "old"'):
        parse_revisit({"old": 30})
    with pytest.raises(RevisitError, match='revisit value for "30"'):
        parse_revisit({"30": "monthly"})


def test_spider_schedules_only_due_known_documents_with_validators():
    known = [
        {"url": "https://x.example/a", "etag": '"e1"', "last_modified": "Wed, 01 Jul 2026 00:00:00 GMT",
         "published": dt.date.today().isoformat(), "first_seen_at": None, "last_checked_at": None, "removed_at": None},
        {"url": "https://x.example/b", "etag": None, "last_modified": None, "published": "2020-01-01",
         "first_seen_at": None, "last_checked_at": dt.datetime.now(dt.UTC).isoformat(), "removed_at": None},
        {"url": "https://x.example/c", "etag": None, "last_modified": None, "published": None,
         "first_seen_at": None, "last_checked_at": None, "removed_at": "2026-07-01T00:00:00+00:00"},
    ]  # fmt: skip
    spider = NewsroomSpider(source={"name": "x", "urls": ["https://x.example/news/"]}, known=known)
    requests = list(spider.revisit_requests())
    assert [r.url for r in requests] == ["https://x.example/a"]
    headers = requests[0].headers
    assert headers[b"If-None-Match"] == b'"e1"' and headers[b"Cache-Control"] == b"max-age=0"
    assert headers[b"If-Modified-Since"] == b"Wed, 01 Jul 2026 00:00:00 GMT"
    assert requests[0].meta["handle_httpstatus_list"] == [304, 404, 410]
    assert spider.allowed_domains == ["x.example"]


def test_spider_rejects_a_source_without_urls():
    with pytest.raises(ValueError, match="needs source="):
        NewsroomSpider(source={"name": "x"})


def test_every_verify_every_th_revisit_is_unconditional():
    assert [must_verify({"revisits_unverified": n}, 4) for n in range(5)] == [False, False, False, True, True]
    assert must_verify({}, 1) and must_verify({"revisits_unverified": None}, 1)
    known = [{"url": "https://x.example/a", "etag": '"e1"', "last_modified": "Wed, 01 Jul 2026 00:00:00 GMT",
              "published": None, "first_seen_at": None, "last_checked_at": None, "removed_at": None,
              "revisits_unverified": 3}]  # fmt: skip
    spider = NewsroomSpider(source={"name": "x", "urls": ["https://x.example/news/"]}, known=known)
    (request,) = spider.revisit_requests()
    assert b"If-None-Match" not in request.headers and b"If-Modified-Since" not in request.headers
    assert request.headers[b"Cache-Control"] == b"no-cache" and request.headers[b"Pragma"] == b"no-cache"


def test_left_the_list_only_from_list_pages_read_and_not_cut_short():
    listed = {"published": "2020-01-01", "last_checked_at": dt.datetime.now(dt.UTC).isoformat(), "removed_at": None,
              "listed_run_id": 1, "listed_title": "題", "listed_date": "2020-01-01"}  # fmt: skip
    known = [
        {**listed, "url": "https://x.example/left", "listed_on": "https://x.example/news/"},
        {**listed, "url": "https://x.example/still", "listed_on": "https://x.example/news/"},
        {**listed, "url": "https://x.example/unread", "listed_on": "https://x.example/news/?page=2"},
        {**listed, "url": "https://x.example/aged", "listed_on": "https://x.example/news/?page=5"},
    ]
    spider = NewsroomSpider(source={"name": "x", "urls": ["https://x.example/news/"]}, known=known)
    spider.note_listing("https://x.example/news/", [Release("https://x.example/still", "題", "2020-01-01")])
    spider.note_listing("https://x.example/news/?page=5", [Release("https://x.example/other", "別", None)])
    spider.lists_cut.add("https://x.example/news/?page=5")  # the last page followed, with more behind it
    assert [r.url for r in spider.revisit_requests()] == ["https://x.example/left"]
    assert spider.listing_report()[1] == ["https://x.example/left"]
    changed = Release("https://x.example/still", "題（訂正）", "2020-01-01")
    assert spider.listing_changed(known[1], changed)
    assert not spider.listing_changed(known[1], Release("https://x.example/still", " 題 ", "2020-01-01"))
    assert not spider.listing_changed({**known[1], "listed_run_id": None}, changed)  # never recorded
