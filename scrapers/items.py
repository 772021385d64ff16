"""The one item type spiders yield: a fetched page (or the outcome of trying to fetch one).

Spiders only fetch and extract; the pipelines (validate → tag → store) decide what to keep.
A single typed item keeps the contract between spiders and pipelines in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

PageStatus = Literal["ok", "not_modified", "gone", "error"]


@dataclass
class Attachment:
    """A file linked from a release (PDF, Excel), with the text extracted from it when possible."""

    url: str
    title: str = ""
    content_type: str = ""
    text: str = ""
    error: str = ""


@dataclass
class PageItem:
    """One page of a source, as the spider saw it.

    status:
      ok            the page answered with content: title/published/body are filled.
      not_modified  a conditional request answered 304: nothing to store but "still there".
      gone          a known document answered 404 or 410: the store marks it removed.
      error         the fetch or the extraction failed: `error` says why; nothing else is stored.
    """

    source: str
    url: str
    status: PageStatus = "ok"
    title: str = ""
    published: str | None = None  # ISO date YYYY-MM-DD, Japan time
    body: str = ""
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    error: str = ""
    is_list_page: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    tags: dict[str, Any] | None = None  # filled by the tag pipeline, never by spiders
    tag_error: str = ""  # set by the tag pipeline when tagging failed: the page is stored untagged
    # Spider-specific facts that have no column yet (tokyo_press: "bureau", "contact"); additive, may be ignored.
    extra: dict[str, str] = field(default_factory=dict)
    # Rows of the contract tables on the page and its attachments, for a source with `awards = true`
    # (scrapers/extract/contract_tables.py): {"title", "vendor", "yen", "decided", "where"} each.
    awards: list[dict[str, Any]] = field(default_factory=list)


AwardFileStatus = Literal["fetched", "missing", "error"]


@dataclass
class AwardFileItem:
    """One p-portal day file (`pportal` spider): the ZIP as downloaded, or that the portal had none that day.

    status:
      fetched  the file answered: `data` holds the ZIP; the store pipeline imports its rows into `awards`.
      missing  the portal answered 400 (or 404): no file that day (weekends, holidays); not an error.
      error    the request failed or the answer was not a ZIP: `error` says why; the day is asked again next crawl.
    """

    source: str
    url: str
    day: str  # YYYY-MM-DD
    file_name: str
    status: AwardFileStatus
    data: bytes = b""
    error: str = ""
    http_status: int | None = None


def reason_beside_url(reason: str, url: str) -> str:
    """An error reason for a line that already shows its URL: the URL the reason repeats is left out.

    A release page's reason is stored without its URL (the row's `url` says it); a list page's, and rows stored
    before that, name it, and a line reading `URL  reason (URL)` would say it twice.
    """
    return reason.replace(f" ({url})", "").replace(url, "this page").strip()
