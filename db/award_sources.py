"""Awards that a crawl brings in (issue 13): the p-portal day files of a `pportal` source, and the rows of the
contract tables (随意契約の公表, 契約締結状況, 入札結果) on the pages of a source with `awards = true`.

Day files: each day a `pportal` source asked for is remembered in `award_files` (fetched, or missing: the portal
had no file that day), so its next crawl asks only for the days after its last file and the earlier days of its
window that have no answer yet (they failed). A file's rows go through
the same import as `ometsuke awards import` (a changed row is a change, kept in `award_changes`), and the run's
counters say what it brought: `fetched` files, `new`, `changed` and `unchanged` award rows, `errors`.

Contract-table rows have no 調達案件番号: their `case_number` is a stable key made from the page URL and the row's
件名 and 相手方 (and its place among rows sharing both), so a corrected amount or date on the same page is a change
of that row, not a new award. They carry the document and the version they were read from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from db.awards import AwardTotals, import_award_bytes
from db.clock import utc_now
from db.registry import BadRow

FETCHED, MISSING = "fetched", "missing"
LOCAL_KEY_PREFIX = "local:"
# A contract table gives no 法人番号: a counterparty is taken for an organisation only when its name says so (a legal
# form, or a word only organisations carry); anyone else may be a private person (maybe_private = 1), like a
# p-portal winner without a number, and is kept out of digests and alerts unless watched.
_ORGANISATION = re.compile(
    r"会社|法人|組合|協会|公社|事業団|機構|㈱|㈲|[（(][株有][)）]|事務所|研究所|センター|大学|病院|商会|商店|工業|建設|"
    r"産業|興業|工務店|Co\.|Inc\.|Ltd|LLC|K\.K\.", re.IGNORECASE,
)


@dataclass(frozen=True)
class AwardFile:
    """One day file a crawl asked for: fetched (its bytes in `data`) or missing (the portal had none that day)."""

    source: str
    day: str  # YYYY-MM-DD
    file_name: str
    url: str
    status: str  # FETCHED | MISSING
    data: bytes = b""


def award_days(db: sqlite_utils.Database, source: str) -> list[dict[str, Any]]:
    """The days a source asked for, oldest first: {"day", "file_name", "url", "status"}."""
    if "award_files" not in db.table_names():
        return []
    cursor = db.execute(
        "select day, file_name, url, status from award_files where source = ? order by day", [source]
    )
    return [{"day": day, "file_name": name, "url": url, "status": status} for day, name, url, status in cursor]


def _count(db: sqlite_utils.Database, run_id: int, **increments: int) -> None:
    sets = ", ".join(f'"{name}" = "{name}" + ?' for name in increments)
    db.execute(f"update runs set {sets} where id = ?", [*increments.values(), run_id])


def record_award_file(
    db: sqlite_utils.Database, run_id: int, file: AwardFile, on_bad: Callable[[BadRow], None] | None = None
) -> AwardTotals:
    """Import a fetched day file (or note a missing day) and count it in the run.

    Raises OpenDataError when the bytes are not a ZIP holding a CSV: the day is then not recorded, and the next
    crawl asks for it again.
    """
    totals = AwardTotals()
    if file.status == FETCHED:
        totals = import_award_bytes(db, file.file_name, file.data, source=file.source, on_bad=on_bad)
    elif file.status != MISSING:
        raise ValueError(f"unknown award file status {file.status!r}")
    with db.atomic():
        db.execute(
            "insert into award_files (source, day, file_name, url, status, run_id, at, rows, new, changed, bad) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (source, day) do update set "
            "file_name = excluded.file_name, url = excluded.url, status = excluded.status, "
            "run_id = excluded.run_id, at = excluded.at, rows = excluded.rows, new = excluded.new, "
            "changed = excluded.changed, bad = excluded.bad",
            [file.source, file.day, file.file_name, file.url, file.status, run_id, utc_now(), totals.rows,
             totals.new, totals.changed, totals.bad],
        )
        if file.status == FETCHED:
            _count(db, run_id, fetched=1, new=totals.new, changed=totals.changed, unchanged=totals.unchanged)
    return totals


def local_key(url: str, title: str, vendor: str, occurrence: int) -> str:
    """The case number of a contract-table row: stable across crawls of the same page and row."""
    digest = hashlib.sha256("\x00".join((url, " ".join(title.split()), " ".join(vendor.split()), str(occurrence)))
                            .encode("utf-8")).hexdigest()[:20]
    return LOCAL_KEY_PREFIX + digest


_LOCAL_UPSERT = (
    "insert into awards (case_number, title, decided, yen, vendor, maybe_private, source_file, first_seen, "
    "last_seen, source, document_id, version_id, document_url) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "on conflict (case_number, vendor) do update set title = excluded.title, decided = excluded.decided, "
    "yen = excluded.yen, last_seen = excluded.last_seen, "
    "version_id = iif((excluded.title, excluded.decided, excluded.yen) is not (awards.title, awards.decided, "
    "awards.yen), excluded.version_id, awards.version_id), source_file = excluded.source_file"
)


def record_local_awards(
    db: sqlite_utils.Database, source: str, url: str, rows: Iterable[Mapping[str, Any]]
) -> AwardTotals:
    """Store the contract-table rows read from the latest version of the document at `url`.

    Each row: {"title", "vendor", "yen" (int or None), "decided" (YYYY-MM-DD or None)}. A row whose amount or date
    changed updates its award (the old values go to `award_changes`, the version that changed it is kept).
    """
    totals = AwardTotals(files=1)
    found = db.execute(
        "select d.id, (select max(id) from versions where document_id = d.id) from documents d where d.url = ?", [url]
    ).fetchone()
    if found is None or found[1] is None:
        return totals
    document_id, version_id = found
    now = utc_now()
    seen: dict[tuple[str, str], int] = {}
    records = []
    for row in rows:
        title, vendor = str(row.get("title") or "").strip(), str(row.get("vendor") or "").strip()
        if not vendor:
            totals.bad += 1
            continue
        occurrence = seen.get((title, vendor), 0)
        seen[(title, vendor)] = occurrence + 1
        records.append((local_key(url, title, vendor, occurrence), title, row.get("decided"), row.get("yen"), vendor,
                        0 if _ORGANISATION.search(vendor) else 1, f"{url}#version={version_id}", now, now, source,
                        document_id, version_id, url))
    totals.rows = len(records) + totals.bad
    if not records:
        return totals
    conn = db.conn
    with db.atomic():
        last_award = conn.execute("select coalesce(max(id), 0) from awards").fetchone()[0]
        last_change = conn.execute("select coalesce(max(id), 0) from award_changes").fetchone()[0]
        conn.executemany(_LOCAL_UPSERT, records)
        totals.new = conn.execute("select coalesce(max(id), 0) from awards").fetchone()[0] - last_award
        totals.changed = conn.execute("select coalesce(max(id), 0) from award_changes").fetchone()[0] - last_change
    totals.unchanged = len(records) - totals.new - totals.changed
    return totals
