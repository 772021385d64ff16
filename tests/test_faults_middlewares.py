"""The pure parts of scrapers/middlewares.py: host matching, Retry-After parsing, and the claim that blanking C0
control bytes can never touch a character of a Japanese encoding."""

from __future__ import annotations

import email.utils

from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.hosts import allowed_hosts, host_allowed, url_allowed
from scrapers.middlewares import _BLANK_CONTROLS, _CONTROLS, retry_after_seconds


def test_host_allowed_matches_domains_and_their_subdomains_only() -> None:
    allowed = ["metro.tokyo.lg.jp", "127.0.0.1"]
    assert host_allowed("metro.tokyo.lg.jp", allowed)
    assert host_allowed("www.fukushihoken.METRO.tokyo.lg.jp.", allowed)
    assert host_allowed("127.0.0.1", allowed)
    assert not host_allowed("evilmetro.tokyo.lg.jp", allowed)
    assert not host_allowed("metro.tokyo.lg.jp.evil.example", allowed)
    assert not host_allowed("localhost", allowed)
    assert not host_allowed(None, allowed) and not host_allowed("", allowed)


def test_allowed_hosts_are_normalised_once_for_spider_and_middleware_alike() -> None:
    """The spider's on-site check and the middleware read the same list; a port or a trailing dot changes nothing
    (Scrapy's url_is_from_any_domain compares the netloc with its port, and keeps the dot)."""
    allowed = allowed_hosts(["http://127.0.0.1:8080/news/", "https://WWW.Metro.Tokyo.lg.jp./press/"],
                            [".fukushihoken.metro.tokyo.lg.jp", "www.metro.tokyo.lg.jp"])
    assert allowed == ["127.0.0.1", "fukushihoken.metro.tokyo.lg.jp", "www.metro.tokyo.lg.jp"]
    assert url_allowed("http://127.0.0.1:8080/news/1.html", allowed)
    assert url_allowed("https://www.metro.tokyo.lg.jp./press/1.html", allowed)
    assert not url_allowed("https://metro.tokyo.lg.jp/press/1.html", allowed)  # the parent is not allowed
    assert not url_allowed("mailto:press@metro.tokyo.lg.jp", allowed)


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert retry_after_seconds(b"120") == 120.0
    now = 1_767_225_600.0
    assert retry_after_seconds(email.utils.formatdate(now + 30, usegmt=True).encode(), now=now) == 30.0
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True).encode(), now=now) == -30.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
    assert retry_after_seconds(b"") is None
    assert retry_after_seconds(b"-5") is None


readable = st.text(st.characters(codec="utf-8", exclude_characters="".join(map(chr, _CONTROLS))), max_size=200)


@settings(max_examples=300, deadline=None)
@given(readable, st.sampled_from(["cp932", "euc_jp", "iso2022_jp", "utf-8", "gb18030", "big5"]))
def test_blanking_controls_never_changes_text_that_has_none(text: str, encoding: str) -> None:
    """Multi-byte characters in these encodings never contain a byte below 0x20 other than ISO-2022-JP's ESC,
    which is kept: so the byte-level replacement is the identity on any page without stray controls."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, "ignore")
    assert data.translate(_BLANK_CONTROLS) == data


def test_an_exception_in_a_spider_callback_becomes_an_error_item() -> None:
    """The safety net behind the spiders: whatever a callback raises is one counted error for that URL."""
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from scrapers.items import PageItem
    from scrapers.middlewares import CallbackErrorsMiddleware
    from scrapers.spiders.newsroom import NewsroomSpider

    crawler = get_crawler(NewsroomSpider)
    crawler.spider = crawler._create_spider(source={"name": "press", "urls": ["http://127.0.0.1/news/"]})
    middleware = CallbackErrorsMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/news/", meta={"ometsuke_list_page": 1})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request, status=200)
    [item] = middleware.process_spider_exception(response, ValueError("boom\nsecond line"))
    assert isinstance(item, PageItem)
    assert (item.source, item.url, item.status, item.is_list_page) == ("press", request.url, "error", True)
    assert item.error == "list page failed: ValueError: boom (http://127.0.0.1/news/)"
