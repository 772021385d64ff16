"""Middlewares that turn hostile-site behaviour into clear, counted errors instead of silence.

Scrapy on its own drops some failures without a word: a redirect to another host is filtered when it is scheduled
(no errback, so the page just vanishes from the run), a redirect loop back to a URL already seen is eaten by the
duplicate filter, and a page cut off at DOWNLOAD_MAXSIZE arrives as a bare `DownloadCancelledError`. Each of
these becomes an exception carrying one readable line, which the spider's errback records in `fetch_errors`.

- `SourceHostsMiddleware` (request side, before robots.txt): never request a host outside the source's own, not
  even for `dont_filter` list pages or `allow_offsite` attachments, unless the source lists it in
  `allowed_domains`. Scrapy's OffsiteMiddleware lets both of those through.
- `RedirectGuardMiddleware` (response side, before RedirectMiddleware): refuses redirects to other hosts and
  redirect loops, with the chain in the reason.
- `FaultReasonsMiddleware` (response side, after decompression and retries): refuses binary bodies served as
  text/html (they would reach the HTML parser as mojibake full of NUL bytes), passes a PDF served as text/html on
  as a PDF, blanks stray control characters that would make lxml drop a real page, and gives timeouts, oversize
  pages, cut-off bodies and lost connections one readable line each.
- `RetryAfterMiddleware` (response side, just before RetryMiddleware): a 503 or 429 with a short Retry-After is
  retried after the wait the server asked for, not at once.
- `CallbackErrorsMiddleware` (spider middleware): an exception in a spider callback becomes an error item.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future

from scrapers.hosts import allowed_hosts, host_allowed
from scrapers.items import PageItem

log = logging.getLogger(__name__)

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
SNIFF_BYTES = 4096
# Binary formats that sites serve as text/html: hand them on as what they are, so attachment extraction reads them.
MAGIC_TYPES = ((b"%PDF-", "application/pdf"),)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0 controls HTML does not allow, except NUL (a sign of binary content) and ESC (ISO-2022-JP escapes).
_CONTROLS = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_CONTROL_BYTES = re.compile(b"[" + re.escape(_CONTROLS) + b"]")
_BLANK_CONTROLS = bytes.maketrans(_CONTROLS, b" " * len(_CONTROLS))


class RefusedRequest(IgnoreRequest):
    """ometsuke refused a request or response; the message says why in one line."""


class PageTooLarge(DownloadCancelledError):
    """The page is larger than [crawl] max_page_bytes: recorded as an error, never stored truncated."""


class Timeout(DownloadTimeoutError):
    """No complete response within [crawl] download_timeout (a hung server or a slow drip)."""


class DataLoss(ResponseDataLossError):
    """The body ended before its Content-Length: never stored truncated."""


class ConnectionLost(DownloadFailedError):
    """The server closed or reset the connection mid-response."""


class ConnectionRefused(DownloadConnectionRefusedError):
    """Nothing answers on the site's port: the site is down, or the URL's port is wrong."""


class HostNotFound(CannotResolveHostError):
    """DNS does not know the host: a typo in the URL, or a site that moved."""


def source_hosts(spider: Any) -> list[str]:
    """The spider's allowed domains (a SourceSpider's are normalised already); else the hosts of its start URLs."""
    domains = getattr(spider, "allowed_domains", None)
    return allowed_hosts((), domains) if domains else allowed_hosts(getattr(spider, "start_urls", []))


class SourceHostsMiddleware:
    """Refuse every request to a host the source does not own or list in `allowed_domains`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceHostsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        spider = self.crawler.spider
        allowed = source_hosts(spider)
        host = urlsplit(request.url).hostname
        if not allowed or host_allowed(host, allowed):
            return
        if self.crawler.stats:
            self.crawler.stats.inc_value("ometsuke/refused_other_host")
        log.info("refused request to another host %s: %s", host, request.url)
        raise RefusedRequest(f"refused request to another host {host} (not in the source's allowed_domains)")


class RedirectGuardMiddleware:
    """Refuse, with the reason, the redirects Scrapy would follow off the source or drop as duplicates."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        redirect = response.status in REDIRECT_STATUSES and b"Location" in response.headers
        if redirect and self._follows(request, response):
            self._check_redirect(request, response)
        return response

    def _follows(self, request: Request, response: Response) -> bool:
        """Whether Scrapy's RedirectMiddleware will follow this response (same conditions as it checks)."""
        meta = request.meta
        spider_codes = getattr(self.crawler.spider, "handle_httpstatus_list", ())
        return not (
            meta.get("dont_redirect")
            or meta.get("handle_httpstatus_all")
            or response.status in meta.get("handle_httpstatus_list", ())
            or response.status in spider_codes
        )

    def _check_redirect(self, request: Request, response: Response) -> None:
        location = response.headers.get(b"Location", b"").decode("latin-1").strip()
        target = urljoin(request.url, location)
        if urlsplit(target).scheme not in ("http", "https"):
            return
        chain = [*request.meta.get("redirect_urls", []), request.url]
        allowed = source_hosts(self.crawler.spider)
        host = urlsplit(target).hostname
        if allowed and not host_allowed(host, allowed):
            raise RefusedRequest(f"redirected to another host {host} ({target}; not in the source's allowed_domains)")
        if _without_fragment(target) in {_without_fragment(url) for url in chain}:
            path = " → ".join([*chain, target])
            raise RefusedRequest(f"redirect loop: {path}")


def relabelled_document(response: Response, request: Request | None = None) -> Response | None:
    """A response whose first bytes are a known document's (a PDF sold as HTML) as a plain Response of that type,
    so the spider reads it as the document it is; None when the bytes are no known document."""
    head = response.body[:SNIFF_BYTES].lstrip()
    for magic, content_type in MAGIC_TYPES:
        if head.startswith(magic):
            headers = response.headers.copy()
            headers[b"Content-Type"] = content_type
            return Response(response.url, status=response.status, headers=headers, body=response.body,
                            request=request, flags=response.flags)  # fmt: skip
    return None


class FaultReasonsMiddleware:
    """Last stop before the spider: binary bodies sold as HTML, and one readable line for each download failure.

    It sits after RetryMiddleware on the way back, so retries happen first and only the final failure is renamed.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.default_maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self.default_timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FaultReasonsMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        """Pass on a PDF sold as HTML as a PDF, refuse other binary bodies, blank stray control characters."""
        if not isinstance(response, TextResponse):
            return response
        head = response.body[:SNIFF_BYTES]
        declared = response.headers.get(b"Content-Type", b"").decode("latin-1")
        wide = head.startswith(_UTF16_BOMS) or "utf-16" in declared.lower() or "utf-32" in declared.lower()
        if wide:
            return response
        if b"\x00" in head or head.lstrip().startswith(tuple(magic for magic, _type in MAGIC_TYPES)):
            return self._binary(request, response, head, declared)
        if _CONTROL_BYTES.search(response.body):
            # Word and Excel exports leave vertical tabs and the like in government pages; HTML forbids them and
            # lxml refuses to handle text holding them, which would lose the whole page. Safe to replace byte for
            # byte in every ASCII-compatible encoding (Shift_JIS and EUC-JP trail bytes are >= 0x40; ESC is kept
            # for ISO-2022-JP), and UTF-16/32 were left alone above.
            if self.crawler.stats:
                self.crawler.stats.inc_value("ometsuke/control_characters_blanked")
            return response.replace(body=response.body.translate(_BLANK_CONTROLS))
        return response

    def _binary(self, request: Request, response: Response, head: bytes, declared: str) -> Response:
        document = relabelled_document(response, request)
        if document is not None:
            return document
        raise RefusedRequest(
            f"binary content served as a web page ({declared or 'no Content-Type'}, {len(response.body)} bytes)"
        )

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        message = str(exception)
        # Scrapy cancels a download for one reason of its own: the size limit (with a message when the size was
        # announced, without one when the body outgrew it).
        if isinstance(exception, DownloadCancelledError) and (not message or "max size" in message):
            limit = int(request.meta.get("download_maxsize", self.default_maxsize) or 0)
            detail = _size_detail(message)
            raise PageTooLarge(
                f"page larger than {limit} bytes{detail} ([crawl] max_page_bytes); not stored"
            ) from exception
        if isinstance(exception, DownloadTimeoutError):
            timeout = request.meta.get("download_timeout", self.default_timeout)
            raise Timeout(f"no complete response within {timeout:g} seconds ([crawl] download_timeout)") from exception
        if isinstance(exception, ResponseDataLossError):
            raise DataLoss("response cut off: fewer bytes arrived than its Content-Length announced") from exception
        if isinstance(exception, DownloadFailedError) and ("ConnectionLost" in message or "ConnectionDone" in message):
            raise ConnectionLost(
                "connection closed or reset by the server before the response was complete"
            ) from exception
        where = urlsplit(request.url).netloc
        if isinstance(exception, DownloadConnectionRefusedError):
            raise ConnectionRefused(f"{where} refused the connection (site down or wrong port)") from exception
        if isinstance(exception, CannotResolveHostError):
            raise HostNotFound(f"host name {urlsplit(request.url).hostname} not found (DNS)") from exception
        return None


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _size_detail(message: str) -> str:
    """Scrapy's message says the announced size when there was a Content-Length: keep that figure."""
    found = re.search(r"Expected to receive (\d+) bytes", message)
    return f" (announced {found.group(1)} bytes)" if found else ""


class RetryAfterMiddleware:
    """Honour Retry-After on 503/429 before RetryMiddleware retries: a government server under maintenance that
    says "come back in 30 seconds" should not get the retry a millisecond later.

    Only waits when a retry will follow and the wait is at most MAX_WAIT (longer outages fail this crawl and are
    counted; the next scheduled crawl tries again). The wait holds one download slot of that site, which is the
    point: the site asked for less traffic.
    """

    MAX_WAIT = 60.0
    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.retry_times = crawler.settings.getint("RETRY_TIMES")
        self.retry_codes = {int(code) for code in crawler.settings.getlist("RETRY_HTTP_CODES")}
        self.enabled = crawler.settings.getbool("RETRY_ENABLED")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not self.enabled or response.status not in self.STATUSES or response.status not in self.retry_codes:
            return response
        if request.meta.get("dont_retry") or request.meta.get("retry_times", 0) >= request.meta.get(
            "max_retry_times", self.retry_times
        ):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None or wait <= 0 or wait > self.MAX_WAIT:
            return response
        log.info("%s answered %d with Retry-After %g s: waiting before the retry", request.url, response.status, wait)
        if self.crawler.stats:
            self.crawler.stats.inc_value("ometsuke/retry_after_waits")
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return response


def retry_after_seconds(value: bytes | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date (RFC 9110 10.2.3); None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp() - (time.time() if now is None else now)


class CallbackErrorsMiddleware:
    """Spider middleware: an exception in a spider callback becomes a counted error item, not a log line.

    The spiders promise that every request ends in an item, and their detail callbacks catch extraction errors;
    but an exception anywhere else (a list page lxml cannot parse, such as a maintenance page that is only an HTML
    comment) would otherwise be logged by Scrapy and vanish from the run, which would then look complete.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackErrorsMiddleware:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Any = None
    ) -> list[PageItem] | None:
        if isinstance(exception, (HttpError, IgnoreRequest)):
            return None  # Scrapy's own middlewares and the errbacks deal with these
        spider = self.crawler.spider
        is_list = bool(response.meta.get("ometsuke_list_page"))
        what = "list page failed" if is_list else "page failed"
        detail = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
        where = f" ({response.url})" if is_list else ""  # a release page's URL is its row's own column
        reason = f"{what}: {type(exception).__name__}{': ' + detail if detail else ''}{where}"[:300]
        log.error("%s: %s", getattr(spider, "source_name", "?"), reason)
        log.debug("the callback for %s raised", response.url, exc_info=exception)
        if self.crawler.stats:
            self.crawler.stats.inc_value("ometsuke/callback_errors")
        source = getattr(spider, "source_name", None) or getattr(spider, "name", "")
        return [PageItem(source=source, url=response.url, status="error", error=reason,
                         http_status=response.status, is_list_page=is_list)]  # fmt: skip
