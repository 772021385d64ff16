"""Spider parsing in process, on saved pages (City Bureau's city-scrapers style): no reactor, no server, no subprocess.

A test makes the spider, builds the response Scrapy would hand it from saved bytes (`HtmlResponse` and friends,
picked by Scrapy's `responsetypes` from the headers, URL and body, so encoding detection runs as in a crawl) and
calls the request's callback. What needs the network (conditional requests and 304s, robots.txt, redirects, faults,
attachments fetched one after another) stays in the crawl tests (support.spider_runner).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from ometsuke.localsite import served_file
from scrapers.items import PageItem


def make_spider(spider_class: type[Spider], source: dict[str, Any], known: list[dict[str, Any]] | None = None) -> Any:
    """The spider as a crawl creates it (with a crawler and its stats), ready to be handed responses."""
    return spider_class.from_crawler(get_crawler(spider_class), source=source, known=known or [])


def response_for(request: Request, body: bytes, headers: dict[str, str] | None = None, status: int = 200) -> Response:
    """The response Scrapy would build for this request from these bytes and headers."""
    scrapy_headers = Headers(headers or {})
    response_class = responsetypes.from_args(headers=scrapy_headers, url=request.url, body=body)
    return response_class(url=request.url, status=status, headers=scrapy_headers, body=body, request=request)


def saved_response(request: Request, root: Path) -> Response:
    """The response for a request to a fixture site: the file under root, with the headers the local server sends."""
    served = served_file(root, urlsplit(request.url).path)
    if served is None:
        raise FileNotFoundError(f"no saved page for {request.url} under {root}")
    status, body, headers = served
    return response_for(request, body, headers, status)


def crawl_saved(spider: Any, root: Path, *, follow: bool = True) -> tuple[list[PageItem], list[Request]]:
    """Feed the spider its start requests' responses from root and, with `follow`, those of every request it yields
    after, breadth first. Returns the items and every request the spider made (a page root does not hold is not
    answered: a crawl would have fetched it)."""
    items: list[PageItem] = []
    requested: list[Request] = list(spider.start_requests())
    queue = list(requested)
    while queue:
        request = queue.pop(0)
        try:
            response = saved_response(request, root)
        except FileNotFoundError:
            continue
        for output in request.callback(response) or ():
            if isinstance(output, Request):
                requested.append(output)
                if follow:
                    queue.append(output)
            else:
                items.append(output)
    return items, requested
