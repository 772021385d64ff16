"""Read-side queries about one vendor: its awards, the versions that name it, who and what appears beside it.

A vendor is a 法人番号 where one is known; the name keys (nlp/company_names.py) are computed by the caller, since
db does not import nlp. See ometsuke/vendors.py, which decides who a name is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

AWARD_COLUMNS = ("id", "case_number", "title", "decided", "yen", "ministry_code", "ministry", "method_code", "method",
                 "vendor", "corporate_number", "maybe_private", "first_seen", "last_seen")


def _rows(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def has_table(db: sqlite_utils.Database, name: str) -> bool:
    return name in db.table_names()


def watched_entities(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every watched entity with its names (name + aliases, JSON decoded) and its corporate number (or None)."""
    import json

    number = "corporate_number" if "corporate_number" in db["entities"].columns_dict else "null as corporate_number"
    found = _rows(db, f"select id, name, kind, aliases, affiliations, {number} from entities order by id")
    for row in found:
        for key in ("aliases", "affiliations"):
            try:
                row[key] = json.loads(row[key] or "[]")
            except ValueError:
                row[key] = []
    return found


def awards_first_seen(db: sqlite_utils.Database, start: str, end: str | None) -> list[dict[str, Any]]:
    """Awards first seen in [start, end) (UTC ISO; end None = open), newest decision first."""
    if not has_table(db, "awards"):
        return []
    where, params = ["first_seen >= ?"], [start]
    if end:
        where.append("first_seen < ?")
        params.append(end)
    return _rows(db, f"select {', '.join(AWARD_COLUMNS)} from awards where {' and '.join(where)} "
                     "order by decided desc, yen desc, id", params)


def awards_by_number(db: sqlite_utils.Database, numbers: Iterable[str]) -> list[dict[str, Any]]:
    wanted = sorted(set(numbers))
    if not wanted or not has_table(db, "awards"):
        return []
    return _rows(db, f"select {', '.join(AWARD_COLUMNS)} from awards where corporate_number in ({_marks(wanted)}) "
                     "order by yen desc, decided desc, id", wanted)


def awards_by_vendor_names(db: sqlite_utils.Database, names: Iterable[str]) -> list[dict[str, Any]]:
    """Awards whose winner is published under one of these exact names (for winners without a number)."""
    wanted = sorted(set(names))
    if not wanted or not has_table(db, "awards"):
        return []
    return _rows(db, f"select {', '.join(AWARD_COLUMNS)} from awards where vendor in ({_marks(wanted)}) "
                     "order by yen desc, decided desc, id", wanted)


def vendor_names_like(db: sqlite_utils.Database, fragment: str) -> list[tuple[str, str | None]]:
    """(vendor as published, corporate number) of awards whose winner's name contains the fragment."""
    if not has_table(db, "awards"):
        return []
    return [(row[0], row[1]) for row in db.execute(
        "select distinct vendor, corporate_number from awards where vendor like ? escape '\\'",
        ["%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"])]


def vendor_spans(db: sqlite_utils.Database, numbers: Sequence[str], entity_ids: Sequence[int]
                 ) -> dict[int, list[tuple[int, int, str]]]:
    """version id -> (start, end, surface) where the vendor is named: organisations resolved to one of its numbers,
    and mentions (or watched organisations) of the watched entities that are it."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    parts, params = [], []
    if numbers:
        parts.append(f'select version_id, start, "end", surface from organizations '
                     f"where corporate_number in ({_marks(numbers)})")
        params += list(numbers)
    if entity_ids:
        parts.append(f'select version_id, start, "end", surface from mentions '
                     f"where entity_id in ({_marks(entity_ids)})")
        parts.append(f'select version_id, start, "end", surface from organizations '
                     f"where entity_id in ({_marks(entity_ids)})")
        params += list(entity_ids) * 2
    if not parts:
        return {}
    for version_id, start, end, surface in db.execute(" union ".join(parts), params):
        found.setdefault(version_id, []).append((start, end, surface))
    return {v: sorted(set(spans)) for v, spans in found.items()}


def versions_with_documents(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = _rows(db, f"""select v.id, v.document_id, v.title, v.published, v.body, v.fetched_at, d.url, d.source,
                         d.first_seen_at, v.id = (select max(id) from versions where document_id = v.document_id)
                         as latest from versions v join documents d on d.id = v.document_id
                         where v.id in ({_marks(wanted)})""", wanted)
    return {row["id"]: row for row in rows}


def officials_in(db: sqlite_utils.Database, version_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Watched officials mentioned in these versions: (entity, version id, surface, context) rows."""
    if not version_ids:
        return []
    return _rows(db, f"""select e.name, m.version_id, m.surface, m.context from mentions m
                         join entities e on e.id = m.entity_id
                         where e.kind = 'official' and m.version_id in ({_marks(version_ids)})
                         order by m.version_id, m.start""", list(version_ids))


def amounts_in(db: sqlite_utils.Database, version_ids: Sequence[int]) -> list[dict[str, Any]]:
    if not version_ids:
        return []
    return _rows(db, f"""select version_id, yen, surface, start, "end", context from amounts
                         where version_id in ({_marks(version_ids)}) order by version_id, start""",
                 list(version_ids))


def numbers_by_key(db: sqlite_utils.Database, keys: Iterable[str]) -> dict[str, set[str]]:
    """For each name key, the numbers of registered companies (not deleted) whose current or former name has it:
    one join through a temporary table, so a watch list of 100,000 names costs one query, not 200,000."""
    wanted = sorted({k for k in keys if k})
    if not wanted or not has_table(db, "corporations"):
        return {}
    conn = db.conn
    conn.execute("create temp table if not exists wanted_keys (key text primary key)")
    conn.execute("delete from wanted_keys")
    conn.executemany("insert or ignore into wanted_keys (key) values (?)", [(k,) for k in wanted])
    found: dict[str, set[str]] = {}
    for key, number in conn.execute(
        "select w.key, c.corporate_number from wanted_keys w join corporations c on c.name_key = w.key "
        "where c.deleted is null union select w.key, n.corporate_number from wanted_keys w "
        "join corporation_names n on n.name_key = w.key join corporations c using (corporate_number) "
        "where c.deleted is null"
    ):
        found.setdefault(key, set()).add(number)
    conn.execute("delete from wanted_keys")
    return found
