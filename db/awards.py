"""National award data (調達ポータル 落札実績オープンデータ) in SQLite: one row of `awards` per winner of a case.

A winner is identified by (調達案件番号, 商号又は名称 as published). Importing a file again changes nothing but
`last_seen`; a row whose values differ from the stored ones updates the row, and the migration-6 trigger keeps the
old values in `award_changes` (what it was, which file said so, when it changed), like a page's versions.

A winner without a 法人番号 may be a private person (sole proprietors win small contracts): stored as published,
with `maybe_private = 1`, so that digests and alerts can leave them out unless the name is watched.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sqlite_utils

from db.clock import utc_now
from db.opendata import Row, read_rows
from db.procurement_codes import METHODS, MINISTRIES
from db.registry import BadRow
from textutil.corporate_number import corporate_number_problem

COLUMNS = 8
BATCH_ROWS = 5_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COMPARED = ("title", "decided", "yen", "ministry_code", "method_code", "corporate_number")
_CHANGED = f"({', '.join('excluded.' + c for c in _COMPARED)}) is not ({', '.join('awards.' + c for c in _COMPARED)})"
# `source` is the crawled source that found the row (null for `awards import`); the first one to find it keeps it.
_UPSERT = (
    "insert into awards (case_number, title, decided, yen, ministry_code, ministry, method_code, method, vendor, "
    "corporate_number, maybe_private, source_file, first_seen, last_seen, source) "
    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "on conflict (case_number, vendor) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in (*_COMPARED, "ministry", "method", "maybe_private"))
    + f", source_file = iif({_CHANGED}, excluded.source_file, awards.source_file), last_seen = excluded.last_seen"
    + ", source = coalesce(awards.source, excluded.source)"
)


@dataclass
class AwardTotals:
    files: int = 0
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    bad: int = 0
    maybe_private: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "rows": self.rows, "new": self.new, "changed": self.changed,
            "unchanged": self.unchanged, "bad": self.bad, "maybe_private": self.maybe_private,
            "seconds": round(self.seconds, 3),
        }


def _yen(value: str) -> int | None:
    """落札価格 as published ("31389000.00") to whole yen; None when empty."""
    if not value.strip():
        return None
    amount = Decimal(value.strip())
    if amount != amount.to_integral_value() or amount < 0:
        raise ValueError(f"price {value!r} is not a whole number of yen")
    return int(amount)


def _award(
    fields: list[str], source: str, now: str, crawled_by: str | None = None
) -> tuple[tuple[object, ...] | None, str | None]:
    """(row for _UPSERT, None) or (None, problem)."""
    if len(fields) != COLUMNS:
        return None, f"{len(fields)} columns, expected {COLUMNS}"
    case, title, decided, price, ministry, method, vendor, number = (f.strip() for f in fields)
    if not case:
        return None, "empty 調達案件番号 (column 1)"
    if not vendor:
        return None, "empty 商号又は名称 (column 7)"
    if decided and not _DATE.fullmatch(decided):
        return None, f"落札決定日 {decided!r} is not YYYY-MM-DD"
    try:
        yen = _yen(price)
    except (InvalidOperation, ValueError) as error:
        message = str(error) if isinstance(error, ValueError) else f"price {price!r} is not a number"
        return None, message
    return (case, title, decided or None, yen, ministry or None, MINISTRIES.get(ministry), method or None,
            METHODS.get(method), vendor, number or None, 0 if number else 1, source, now, now, crawled_by), None


def import_awards(
    db: sqlite_utils.Database,
    paths: Iterable[Path],
    *,
    on_bad: Callable[[BadRow], None] | None = None,
    progress: Callable[[int, float], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> AwardTotals:
    """Import p-portal award files (ZIP or CSV); bad rows are reported and skipped, the rest imported.

    A 法人番号 that fails its check digit is stored as published (it is the publisher's record) and reported.
    """
    totals = AwardTotals()
    started = time.monotonic()
    for path in paths:
        _import_rows(db, read_rows(Path(path)), Path(path).name, totals, started, on_bad, progress, batch_rows)
    totals.seconds = time.monotonic() - started
    return totals


def import_award_bytes(
    db: sqlite_utils.Database,
    name: str,
    data: bytes,
    *,
    source: str | None = None,
    on_bad: Callable[[BadRow], None] | None = None,
) -> AwardTotals:
    """Import one p-portal file already downloaded (a crawl's day file): `name` is its file name, `source` the
    crawled source that fetched it. Raises OpenDataError when the bytes are not a ZIP or CSV at all."""
    totals = AwardTotals()
    started = time.monotonic()
    _import_rows(db, read_rows(Path(name), data), name, totals, started, on_bad, None, BATCH_ROWS, source)
    totals.seconds = time.monotonic() - started
    return totals


def _import_rows(
    db: sqlite_utils.Database,
    rows: Iterable[Row],
    file_name: str,
    totals: AwardTotals,
    started: float,
    on_bad: Callable[[BadRow], None] | None,
    progress: Callable[[int, float], None] | None,
    batch_rows: int,
    crawled_by: str | None = None,
) -> None:
    totals.files += 1
    now = utc_now()
    batch: list[tuple[object, ...]] = []
    for where, line, fields, unreadable in rows:
        totals.rows += 1
        award, problem = (None, unreadable) if unreadable else _award(fields, file_name, now, crawled_by)
        if award is None:
            totals.bad += 1
            if on_bad is not None:
                on_bad(BadRow(where, line, problem or "unreadable"))
            continue
        number = award[9]
        if isinstance(number, str) and (warning := corporate_number_problem(number)) and on_bad is not None:
            on_bad(BadRow(where, line, f"kept as published, but 法人番号 {warning}"))
        totals.maybe_private += int(award[10])  # type: ignore[call-overload]
        batch.append(award)
        if len(batch) >= batch_rows:
            _apply(db, batch, totals)
            batch = []
            if progress is not None:
                progress(totals.rows, time.monotonic() - started)
    if batch:
        _apply(db, batch, totals)

def _apply(db: sqlite_utils.Database, batch: list[tuple[object, ...]], totals: AwardTotals) -> None:
    conn = db.conn
    with db.atomic():
        last_award = conn.execute("select coalesce(max(id), 0) from awards").fetchone()[0]
        last_change = conn.execute("select coalesce(max(id), 0) from award_changes").fetchone()[0]
        conn.executemany(_UPSERT, batch)
        new = conn.execute("select coalesce(max(id), 0) from awards").fetchone()[0] - last_award
        changed = conn.execute("select coalesce(max(id), 0) from award_changes").fetchone()[0] - last_change
    totals.new += new
    totals.changed += changed
    totals.unchanged += len(batch) - new - changed
