"""`pportal`: the 調達ポータル 落札実績 daily diff files (`successful_bid_record_info_diff_YYYYMMDD.zip`), national
ministries' awards as open data (出典：調達ポータル; ../shared/procurement/FORMATS.md has the format).

Each crawl asks, within the window of `days` days back (default 60: the portal keeps about two months online, and
a day not fetched by then is lost) up to today in Japan time, for every day after the source's last fetched file,
and for every earlier day without an answer yet (a day that failed, 5xx or timeout, before a later day's file was
read), oldest first; the days the store hands over as `known` are the {"day", "status"} records of `award_files`,
which hold only answers (fetched, or missing). A missing file answers 400
(sometimes 404): that day had no file (weekends, holidays, or not published yet), which is not an error. Each
answer becomes one AwardFileItem; the store pipeline imports the ZIP's rows into `awards`.

Source keys: `urls` (optional, one URL: the download address with `{file}` where the file name goes, or ending
where it is appended; default options.PPORTAL_URL), `days` (how far back to look, default 60).
For the run's health the day files are the source's "list": `ometsuke/releases_listed` counts the files read,
`ometsuke/award_days_quiet` the days since the newest file, and `ometsuke/award_days_missing` (with
`ometsuke/award_day_oldest_missing`) the days of the window still without an answer (see db.health).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from scrapers.items import AwardFileItem

from .base import SourceSpider, short_reason
from .options import PPORTAL_URL, options_of

FILE_NAME = "successful_bid_record_info_diff_{day:%Y%m%d}.zip"
NO_FILE_STATUSES = (400, 404)
_ZIP_MAGIC = b"PK\x03\x04"
_JST = dt.timezone(dt.timedelta(hours=9))


def file_url(template: str, file_name: str) -> str:
    """The download URL of one file: `{file}` replaced, or the name appended (a URL ending in `filename=`)."""
    return template.replace("{file}", file_name) if "{file}" in template else template + file_name


def zip_problem(data: bytes) -> str | None:
    """Why a downloaded ZIP cannot be read (cut short, damaged, no CSV in it), or None: such a day is an error, to
    be asked for again, not a file read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if not any(name.lower().endswith(".csv") for name in archive.namelist()):
                return "the ZIP holds no .csv file"
            damaged = archive.testzip()
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        return f"a damaged ZIP file ({error})"
    return f"a damaged ZIP file ({damaged} fails its CRC)" if damaged else None


ANSWERED = ("fetched", "missing")  # a day with one of these outcomes is done, unless it is after the newest file


def window(today: dt.date, days: int) -> list[dt.date]:
    """The days a crawl may ask for: `days` back from today (today included), oldest first."""
    first = today - dt.timedelta(days=max(days, 1) - 1)
    return [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]


def days_to_fetch(today: dt.date, known: Iterable[dict[str, Any]], days: int) -> list[dt.date]:
    """The days of the window still to ask for, oldest first: every day after the last fetched file (a day that
    had no file may have one later: not out yet), and every earlier day without an answer (it failed)."""
    known = list(known)
    answered = {d["day"] for d in known if d.get("status") in ANSWERED and d.get("day")}
    fetched = [d["day"] for d in known if d.get("status") == "fetched" and d.get("day")]
    newest = max(fetched) if fetched else None
    return [day for day in window(today, days)
            if newest is None or day.isoformat() > newest or day.isoformat() not in answered]


class PPortalSpider(SourceSpider):
    name = "pportal"
    options = options_of("pportal")

    def __init__(self, source: dict[str, Any], known: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        source = {**source, "urls": list(source.get("urls") or [PPORTAL_URL])}
        super().__init__(source, None, **kwargs)
        self.template: str = self.start_urls[0]
        self.days = int(self.option("days"))
        self.today: dt.date = dt.datetime.now(_JST).date()
        self.award_days = [d for d in (known or []) if d.get("day")]
        fetched = [d["day"] for d in self.award_days if d.get("status") == "fetched"]
        self.newest_file: str | None = max(fetched) if fetched else None
        self.answered: dict[str, str] = {}  # day -> fetched / missing, in this crawl
        self.answered_before = {d["day"] for d in self.award_days if d.get("status") in ANSWERED}

    def start_requests(self) -> Iterator[Request]:
        days = days_to_fetch(self.today, self.award_days, self.days)
        self.count("ometsuke/award_days_asked", len(days))
        self.note_missing_days()
        for day in days:
            name = FILE_NAME.format(day=day)
            yield Request(
                file_url(self.template, name), callback=self.parse_file, errback=self.on_file_error,
                dont_filter=True, meta={"ometsuke_day": day.isoformat(), "ometsuke_file": name,
                                        "handle_httpstatus_list": list(NO_FILE_STATUSES)},
            )  # fmt: skip
        self.note_quiet_days()

    def revisit_requests(self) -> Iterator[Request]:
        """None: a day file is read once; a correction comes in a later day's file."""
        return iter(())

    def parse_file(self, response: Response) -> Iterator[AwardFileItem]:
        day, name = response.meta["ometsuke_day"], response.meta["ometsuke_file"]
        item = AwardFileItem(source=self.source_name, url=response.url, day=day, file_name=name, status="missing",
                             http_status=response.status)
        if response.status in NO_FILE_STATUSES:
            self.answered[day] = "missing"
        elif not response.body.startswith(_ZIP_MAGIC):
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no Content-Type"
            item.status, item.error = "error", f"{name}: not a ZIP file ({content_type}) ({response.url})"
        elif problem := zip_problem(response.body):
            item.status, item.error = "error", f"{name}: {problem} ({response.url})"
        else:
            item.status, item.data = "fetched", response.body
            self.answered[day] = "fetched"
            self.count("ometsuke/releases_listed")
            self.newest_file = max(self.newest_file or day, day)
        self.note_quiet_days()
        self.note_missing_days()
        yield item

    def on_file_error(self, failure: Failure) -> Iterator[AwardFileItem]:
        request = failure.request
        yield AwardFileItem(
            source=self.source_name, url=request.url, day=request.meta["ometsuke_day"],
            file_name=request.meta["ometsuke_file"], status="error",
            error=f"{short_reason(failure)} ({request.url})",
            http_status=getattr(getattr(failure.value, "response", None), "status", None),
        )  # fmt: skip

    def note_quiet_days(self) -> None:
        """Days since the newest file (before this crawl or in it) that the portal said had none, for the health
        rule "no file for any day in a week". Days not answered (failed) do not count as quiet."""
        crawler = getattr(self, "crawler", None)
        if crawler is None or crawler.stats is None:
            return
        newest = dt.date.fromisoformat(self.newest_file) if self.newest_file else None
        quiet = 0
        day = self.today
        while newest is None or day > newest:
            if self.answered.get(day.isoformat()) != "missing":  # every day after the newest file is asked
                break
            quiet += 1
            day -= dt.timedelta(days=1)
        crawler.stats.set_value("ometsuke/award_days_quiet", quiet)

    def note_missing_days(self) -> None:
        """How many days of the window have no answer yet (none before this crawl, none in it), and the oldest:
        they are asked again by the next crawl, until they leave the window and are lost."""
        crawler = getattr(self, "crawler", None)
        if crawler is None or crawler.stats is None:
            return
        missing = [day.isoformat() for day in window(self.today, self.days)
                   if day.isoformat() not in self.answered and day.isoformat() not in self.answered_before]
        crawler.stats.set_value("ometsuke/award_days_missing", len(missing))
        crawler.stats.set_value("ometsuke/award_day_oldest_missing", missing[0] if missing else None)

    def parse_list(self, response: Any, tree: Any) -> Iterable[Any]:  # pragma: no cover - no list pages
        return iter(())
