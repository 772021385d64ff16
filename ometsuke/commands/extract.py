"""`ometsuke extract`: what the extractor sees in one saved page (or feed, or PDF), exactly as a crawl would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes

from ometsuke.commands.common import UsageProblem, config_option, json_option
from scrapers.extract import FeedError, decode_bytes, extract_bytes, looks_like_feed
from scrapers.extract.attachments import attachment_text
from scrapers.extract.dates import JST
from scrapers.extract.feeds import read_feed
from scrapers.extract.html import parse_html
from scrapers.extract.releases import list_candidates, releases_by_selector
from scrapers.middlewares import relabelled_document
from scrapers.spiders.base import is_document


def _feed_result(data: bytes, url: str, content_type: str | None) -> dict[str, Any]:
    feed = read_feed(data, url, content_type)
    entries = feed.entries
    return {
        "title": feed.title,
        "published": max((e.published for e in entries if e.published), default=None),
        "body": "",
        "links": [{"url": e.url, "text": e.title} for e in entries],
        "releases": [{"url": e.url, "title": e.title, "date": e.published} for e in entries],
        "kind": "feed",
        "encoding": decode_bytes(data, content_type).encoding,
    }


def crawl_response(data: bytes, url: str, content_type: str | None) -> Response:
    """The response a crawl's spider would be handed for these bytes: the class Scrapy picks from the headers, URL
    and body, and a known document sold as HTML relabelled as the crawl's FaultReasonsMiddleware does."""
    headers = Headers({"Content-Type": content_type} if content_type else {})
    response = responsetypes.from_args(headers=headers, url=url, body=data)(url=url, body=data, headers=headers)
    if isinstance(response, TextResponse):
        return relabelled_document(response) or response
    return response


def extract_file(
    data: bytes,
    url: str,
    content_type: str | None = None,
    follow: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The extract result for saved bytes: HTML page, feed, or document (PDF, Excel, CSV), decided as a crawl does.
    `fetched_at` (default now) is when the bytes were fetched: list dates such as 「3時間前」 count back from it."""
    if is_document(crawl_response(data, url, content_type)):
        text = attachment_text(data, content_type or "", url)
        if text.error:
            raise UsageProblem(f"{url}: {text.error}")
        return {"title": "", "published": None, "body": text.text, "links": [], "releases": [],
                "kind": text.content_type, "encoding": ""}  # fmt: skip
    if looks_like_feed(data, content_type):
        return _feed_result(data, url, content_type)
    page = extract_bytes(data, url, content_type, follow, fetched_at)
    result = page.to_dict()
    result["kind"] = "html"
    result["encoding"] = page.encoding
    return result


def explain_file(
    data: bytes,
    url: str,
    content_type: str | None = None,
    follow: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Why the page yields the releases it does: every group of links the list detector considered (where, how
    many links, how many dated, the dates, its score) and whether it was kept and why; a feed or a `--follow`
    selector needs no detection and says so."""
    if looks_like_feed(data, content_type):
        entries = read_feed(data, url, content_type).entries
        return {"kind": "feed", "verdict": f"a feed: {len(entries)} entries, no list detection needed",
                "candidates": [], "undated": [], "releases": len(entries)}  # fmt: skip
    tree = parse_html(decode_bytes(data, content_type).text)
    if follow:
        found = releases_by_selector(tree, url, follow, fetched_at)
        dated = sum(bool(r.date) for r in found)
        return {"kind": "html", "verdict": f'selector "{follow}" picks {len(found)} entries ({dated} dated)',
                "candidates": [], "undated": [], "releases": len(found)}  # fmt: skip
    considered = list_candidates(tree, url, fetched_at)
    candidates = [c for c in considered if c.dated]
    undated = sorted((c for c in considered if not c.dated and c.links >= 3), key=lambda c: -c.links)[:5]
    kept = [c for c in candidates if c.kept]
    releases = len({r.url for c in kept for r in c.entries})
    if kept:
        verdict = f"{releases} releases from {len(kept)} list(s): " + ", ".join(c.where for c in kept)
    elif candidates:
        verdict = "no list: " + "; ".join(sorted({c.reason for c in candidates}))
    else:
        verdict = "no list: no link on the page has a date near it"
    return {"kind": "html", "verdict": verdict, "candidates": [c.to_dict() for c in candidates],
            "undated": [{"where": c.where, "links": c.links} for c in undated], "releases": releases}  # fmt: skip


def _format_explain(explained: dict[str, Any]) -> str:
    lines = [f"candidate lists: {len(explained['candidates'])} groups of links with dates"]
    for c in explained["candidates"]:
        mark = "KEPT" if c["kept"] else "  - "
        lines.append(f"{mark}  {c['where']}: {c['links']} links, {c['dated']} dated, score {c['score']}"
                     f"{'  ' + c['dates'] if c['dates'] else ''}")  # fmt: skip
        if c["first"]:
            lines.append(f"        first: {c['first']}")
        lines.append(f"        {c['reason']}")
    if explained["undated"]:
        groups = ", ".join(f"{u['where']} ({u['links']} links)" for u in explained["undated"])
        lines.append(f"largest groups without dates (never taken): {groups}")
    lines.append(f"verdict: {explained['verdict']}")
    return "\n".join(lines)


def _format(result: dict[str, Any]) -> str:
    lines = [
        f"title:     {result['title']}",
        f"published: {result['published'] or '-'}",
        f"encoding:  {result['encoding'] or '-'} ({result['kind']})",
        f"links:     {len(result['links'])}",
        f"releases:  {len(result['releases'])}",
    ]
    for release in result["releases"]:
        lines.append(f"  {release['date'] or '????-??-??'}  {release['title']}  <{release['url']}>")
    lines.append(f"body ({len(result['body'])} characters):")
    lines.append(result["body"])
    return "\n".join(lines)


def _fetched_at(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageProblem(f"--fetched-at {value!r} is not an ISO date or time (e.g. 2026-08-01T10:00+09:00)") from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=JST)


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--url", required=True, help="The URL the page was saved from (links and URL dates resolve against it).")
@click.option(
    "--content-type", default=None, help='The HTTP Content-Type it came with, e.g. "text/html; charset=UTF-8".'
)
@click.option("--follow", default=None, help="CSS selector of release links, as a newsroom source's `follow`.")
@click.option(
    "--fetched-at", "fetched_at", default=None, metavar="ISO",
    help="When the page was fetched (default now; naive = Japan time): 「3時間前」 in a list counts back from it.",
)  # fmt: skip
@click.option("--explain", is_flag=True, help="Show the candidate lists the detector considered and why it chose one.")
@config_option
@json_option
def extract(
    file: Path,
    url: str,
    content_type: str | None,
    follow: str | None,
    fetched_at: str | None,
    explain: bool,
    config_path: Path | None,
    as_json: bool,
) -> None:
    """Show what the extractor sees in a saved page: title, published date, body, links and releases.

    The file is read as raw bytes and decoded the way the spiders decode responses (Shift_JIS as CP932,
    EUC-JP, BOMs, lying charset labels). Feeds list their entries as releases; PDFs and Excel files
    show their text.

    \b
    With --explain it shows instead which groups of links the list detector considered (where they are, how
    many links, how many dated, which dates, the score) and why each was kept or not: why a page yields nothing.

    \b
    Example:
      curl -o press.html https://www.metro.tokyo.lg.jp/information/press/2026/07/
      ometsuke extract press.html --url https://www.metro.tokyo.lg.jp/information/press/2026/07/ --json
      ometsuke extract press.html --url https://www.metro.tokyo.lg.jp/information/press/2026/07/ --explain
    """
    if not url.startswith(("http://", "https://")):
        raise UsageProblem(f"--url {url!r} is not an http(s) URL; give the address the page was saved from")
    if not file.is_file():
        raise UsageProblem(f"{file}: no such file")
    data = file.read_bytes()
    if not data.strip():
        raise UsageProblem(f"{file}: the file is empty")
    fetched = _fetched_at(fetched_at)
    try:
        if explain:
            explained = explain_file(data, url, content_type, follow, fetched)
            click.echo(json.dumps(explained, ensure_ascii=False, indent=2) if as_json else _format_explain(explained))
            return
        result = extract_file(data, url, content_type, follow, fetched)
    except FeedError as error:
        raise UsageProblem(f"{file}: {error}") from None
    except Exception as error:  # a bad --follow selector is the only user input left here
        if type(error).__name__ in ("SelectorSyntaxError", "ExpressionError"):
            raise UsageProblem(f"--follow {follow!r} is not a valid CSS selector ({error})") from None
        raise
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(_format(result))
