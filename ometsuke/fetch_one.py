"""One polite HTTP GET outside a crawl, for `ometsuke source add`: the [crawl] user agent, robots.txt (read with
Protego, the parser Scrapy uses), the download timeout and max_page_bytes, gzip/deflate as Scrapy accepts them.

Why not a one-page Scrapy crawl in a child process: the command needs the bytes and the Content-Type of one page,
once, interactively. A child process with a Twisted reactor costs seconds of start-up and a second channel for the
result, while the parts of a crawl that matter here (who we say we are, what robots.txt allows, how long and how
much we read, how bytes become text) are few and explicit below; decoding is left to `scrapers.extract`, which
agrees with Scrapy's `response.text`.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from protego import Protego

from ometsuke.config import CrawlConfig

_CHUNK = 65_536
_MAX_REDIRECTS = 5  # as scrapers.settings.REDIRECT_MAX_TIMES


class FetchError(Exception):
    """The page could not be fetched; the message is one line saying what and where."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    final_url: str  # after redirects: links on the page resolve against it
    content_type: str | None
    body: bytes


def _robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class _Robots:
    """robots.txt per host, read once; like Scrapy, a robots.txt that cannot be read allows everything."""

    def __init__(self, crawl: CrawlConfig) -> None:
        self.crawl = crawl
        self.parsers: dict[str, Protego | None] = {}

    def check(self, url: str) -> None:
        if not self.crawl.obey_robots:
            return
        robots_url = _robots_url(url)
        if robots_url not in self.parsers:
            self.parsers[robots_url] = self._load(robots_url)
        parser = self.parsers[robots_url]
        if parser is not None and not parser.can_fetch(url, self.crawl.user_agent):
            raise FetchError(
                f"{robots_url} disallows {url} for our user agent; not fetched (ask the site, or set "
                f"[crawl] obey_robots = false if you are allowed)"
            )

    def _load(self, robots_url: str) -> Protego | None:
        request = urllib.request.Request(robots_url, headers={"User-Agent": self.crawl.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.crawl.download_timeout) as response:  # noqa: S310
                if response.status != 200:
                    return None
                body = response.read(self.crawl.max_page_bytes)
        except (urllib.error.URLError, OSError, ValueError):
            return None
        return Protego.parse(body.decode("utf-8", errors="ignore"))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, so that each hop is checked against robots.txt."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _read_limited(response, limit: int, deadline: float, url: str) -> bytes:  # type: ignore[no-untyped-def]
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: no complete answer within the download timeout")
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url}: larger than [crawl] max_page_bytes ({limit:,} bytes); not read")
        chunks.append(chunk)


def _decompress(body: bytes, encoding: str, limit: int, url: str) -> bytes:
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return body
    wbits = 47 if encoding != "deflate" else zlib.MAX_WBITS  # 47: gzip or zlib header
    try:
        inflater = zlib.decompressobj(wbits)
        data = inflater.decompress(body, limit + 1)
    except zlib.error:
        try:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            data = inflater.decompress(body, limit + 1)
        except zlib.error as error:
            raise FetchError(f"{url}: the {encoding} body cannot be decompressed ({error})") from None
    if len(data) > limit:
        raise FetchError(f"{url}: larger than [crawl] max_page_bytes ({limit:,} bytes) once decompressed; not read")
    return data


def fetch(url: str, crawl: CrawlConfig) -> Fetched:
    """GET one URL as a crawl would (robots.txt, user agent, timeout, size limit); FetchError on any failure."""
    robots = _Robots(crawl)
    opener = urllib.request.build_opener(_NoRedirects)
    deadline = time.monotonic() + crawl.download_timeout
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        robots.check(current)
        request = urllib.request.Request(
            current, headers={"User-Agent": crawl.user_agent, "Accept-Encoding": "gzip, deflate",
                              "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        )  # fmt: skip
        try:
            response = opener.open(request, timeout=crawl.download_timeout)
        except urllib.error.HTTPError as error:
            error.close()
            if error.code in (301, 302, 303, 307, 308) and error.headers.get("Location"):
                current = urljoin(current, error.headers["Location"])
                continue
            raise FetchError(f"{current}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise FetchError(f"{current}: cannot connect ({error.reason})") from None
        except (TimeoutError, OSError) as error:
            raise FetchError(f"{current}: {error}") from None
        with response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > crawl.max_page_bytes:
                raise FetchError(f"{current}: larger than [crawl] max_page_bytes ({crawl.max_page_bytes:,} bytes)")
            try:
                body = _read_limited(response, crawl.max_page_bytes, deadline, current)
            except (TimeoutError, OSError) as error:
                raise FetchError(f"{current}: {error}") from None
            encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
            body = _decompress(body, encoding, crawl.max_page_bytes, current)
            return Fetched(url=url, final_url=response.geturl(), content_type=response.headers.get("Content-Type"),
                           body=body)  # fmt: skip
    raise FetchError(f"{url}: more than {_MAX_REDIRECTS} redirects")
