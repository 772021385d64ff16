"""Read-side queries: the changes a reader is shown, each with its versions, source and tags.

The digest, `ometsuke diff` and the feeds are all built from these rows, so what they show is exactly what the
store wrote (one query path, no second pass over pages).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

_CHANGE_SQL = """
    select c.id as change_id, c.run_id, c.kind, c.at, c.document_id, c.old_version_id, c.new_version_id,
           d.url, d.source, d.first_seen_at, d.removed_at,
           s.kind as source_kind, s.config as source_config
    from changes c
    join documents d on d.id = c.document_id
    left join sources s on s.name = d.source
"""


def _rows(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor]


def versions(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Versions by id, each with its mentions (entity name and kind), amounts and organisations."""
    wanted = sorted({int(i) for i in ids if i is not None})
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    found = {
        row["id"]: {**row, "mentions": [], "amounts": [], "organizations": []}
        for row in _rows(
            db,
            f"select id, document_id, run_id, fetched_at, content_hash, title, published, body "
            f"from versions where id in ({marks})",
            wanted,
        )
    }
    for row in _rows(
        db,
        f"""select m.version_id, m.entity_id, e.name as entity, e.kind, m.surface, m.start, m."end", m.context
            from mentions m join entities e on e.id = m.entity_id
            where m.version_id in ({marks}) order by m.version_id, m.start""",
        wanted,
    ):
        found[row.pop("version_id")]["mentions"].append(row)
    for row in _rows(
        db,
        f"""select version_id, yen, surface, start, "end", context from amounts
            where version_id in ({marks}) order by version_id, start""",
        wanted,
    ):
        found[row.pop("version_id")]["amounts"].append(row)
    for row in _rows(
        db,
        f"""select o.version_id, o.name, o.surface, o.start, o."end", o.watched, o.entity_id, e.kind as entity_kind
            from organizations o left join entities e on e.id = o.entity_id
            where o.version_id in ({marks}) order by o.version_id, o.start""",
        wanted,
    ):
        found[row.pop("version_id")]["organizations"].append(row)
    return found


def _with_versions(db: sqlite_utils.Database, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = versions(db, [c[k] for c in changes for k in ("old_version_id", "new_version_id") if c[k]])
    for change in changes:
        change["old"] = by_id.get(change["old_version_id"]) if change["old_version_id"] else None
        change["new"] = by_id.get(change["new_version_id"]) if change["new_version_id"] else None
        change["source_config"] = _json(change.get("source_config"))
    return changes


def _json(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def changes_between(
    db: sqlite_utils.Database, start: str | None = None, end: str | None = None, *, source: str | None = None
) -> list[dict[str, Any]]:
    """Changes with start <= at < end (UTC ISO strings; None = open), oldest first, with versions attached."""
    where, params = [], []
    if start:
        where.append("c.at >= ?")
        params.append(start)
    if end:
        where.append("c.at < ?")
        params.append(end)
    if source:
        where.append("d.source = ?")
        params.append(source)
    sql = _CHANGE_SQL + (" where " + " and ".join(where) if where else "") + " order by c.at, c.id"
    return _with_versions(db, _rows(db, sql, params))


def changes_in_run(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    """The changes one crawl run recorded."""
    return _with_versions(db, _rows(db, _CHANGE_SQL + " where c.run_id = ? order by c.id", [run_id]))


def changes_since(db: sqlite_utils.Database, since: str, *, source: str | None = None) -> list[dict[str, Any]]:
    """Changes at or after `since` (UTC ISO timestamp)."""
    return changes_between(db, since, None, source=source)


def entities(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The watch list as stored, JSON list columns decoded."""
    found = _rows(db, "select id, name, kind, family, titles, aliases, affiliations from entities order by id")
    for row in found:
        for key in ("titles", "aliases", "affiliations"):
            try:
                row[key] = json.loads(row[key] or "[]")
            except ValueError:
                row[key] = []
    return found


def changes_in_latest_runs(db: sqlite_utils.Database, *, source: str | None = None) -> list[dict[str, Any]]:
    """The changes of the most recent run of every source (what the last crawl found)."""
    where = "where source = ?" if source else ""
    sql = (_CHANGE_SQL + f" where c.run_id in (select max(id) from runs {where} group by source)"
           " order by c.at, c.id")
    return _with_versions(db, _rows(db, sql, [source] if source else []))


def runs_between(
    db: sqlite_utils.Database, start: str, end: str | None = None, *, source: str | None = None
) -> list[dict[str, Any]]:
    """Runs started with start <= started_at < end (UTC ISO; end None = open), oldest first."""
    where, params = ["started_at >= ?"], [start]
    if end:
        where.append("started_at < ?")
        params.append(end)
    if source:
        where.append("source = ?")
        params.append(source)
    return _rows(db, "select id, source, started_at, finished_at, status, health, health_reason, health_detail, "
                     f"listed from runs where {' and '.join(where)} order by id", params)


def unhealthy_since(db: sqlite_utils.Database, source: str, run_id: int) -> str | None:
    """When the source's current streak of runs that were not ok, ending with run_id, began (its first run's
    started_at). An ok run ends a streak, and so does a run from before health was recorded (NULL)."""
    row = db.execute(
        """select min(started_at) from runs where source = ? and id <= ? and id > coalesce(
               (select max(id) from runs where source = ? and id <= ? and (health = 'ok' or health is null)), 0)""",
        [source, run_id, source, run_id],
    ).fetchone()
    return row[0] if row else None


def last_run_before(db: sqlite_utils.Database, source: str, moment: str) -> dict[str, Any] | None:
    """The source's last run started before `moment` (UTC ISO), or None."""
    found = _rows(db, "select id, started_at, finished_at, status, health from runs where source = ? and "
                      "started_at < ? order by id desc limit 1", [source, moment])
    return found[0] if found else None


def source_added_at(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("select added_at from sources where name = ?", [name]).fetchone()
    return row[0] if row else None
