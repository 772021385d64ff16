"""Writing crawl results: runs, documents, versions (deduplicated by content hash), tags and changes.

Each page is stored in one transaction together with its mentions, amounts, organisations, change row and the
run's counters, so a crawl killed at any moment leaves a consistent database and the next crawl simply redoes
the pages that were not committed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlite_utils

from db.clock import utc_now
from db.health import DEGRADED, INTERRUPTED, ListReport, judge, render_reason, usual_listed

log = logging.getLogger(__name__)

ChangeKind = Literal["new", "changed", "unchanged"]


@dataclass
class PageVersion:
    """What a fetched page contributes to the store (a plain record: db knows nothing of Scrapy)."""

    url: str
    title: str
    body: str
    published: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attachments: Sequence[Mapping[str, Any]] = ()
    bureau: str | None = None  # issuing bureau (…局) of a government release
    contact: str | None = None  # its 問い合わせ先 block


@dataclass
class PageTags:
    """Tags of a version's body, as plain dicts with offsets into that body."""

    mentions: Sequence[Mapping[str, Any]] = ()  # entity (name), surface, start, end, context
    amounts: Sequence[Mapping[str, Any]] = ()  # yen, surface, start, end, context?
    organizations: Sequence[Mapping[str, Any]] = ()  # name, surface, start, end, watched


def content_hash(page: PageVersion) -> str:
    """Hash of what a reader sees: title, date and main text (not the raw HTML, whose noise changes daily)."""
    digest = hashlib.sha256()
    for part in (page.title, page.published or "", page.body):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Store:
    """The crawl's writer. One instance per process; callers pass a database from `db.open_database`."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._entity_ids: dict[str, int] | None = None

    # -- sources and watch list -------------------------------------------------------------------------

    def ensure_source(self, name: str, spider: str, kind: str, config: Mapping[str, Any]) -> None:
        """Insert or update a configured source."""
        existing = self.db.execute("select added_at from sources where name = ?", [name]).fetchone()
        with self.db.atomic():
            self.db["sources"].upsert(
                {
                    "name": name, "spider": spider, "kind": kind,
                    "config": json.dumps(dict(config), ensure_ascii=False, sort_keys=True),
                    "added_at": existing[0] if existing else utc_now(),
                },
                pk="name",
            )

    def sync_entities(self, entries: Iterable[Any]) -> dict[str, int]:
        """Make the `entities` table hold every watch entry (by name); return name -> id.

        One upsert per entry through executemany: this runs at the start of every crawl, and watch lists
        imported from CSV can hold 100,000 entries (a select and an update per entry took 20 s there).
        Ids of existing entities never change.
        """
        rows = [
            (entry.name, entry.kind, entry.family,
             json.dumps(list(entry.titles), ensure_ascii=False),
             json.dumps(list(entry.aliases), ensure_ascii=False),
             json.dumps(list(entry.affiliations), ensure_ascii=False), getattr(entry, "corporate_number", None))
            for entry in entries
        ]
        with self.db.atomic():
            self.db.conn.executemany(
                "insert into entities (name, kind, family, titles, aliases, affiliations, corporate_number) "
                "values (?, ?, ?, ?, ?, ?, ?) "
                "on conflict(name) do update set kind = excluded.kind, family = excluded.family, "
                "titles = excluded.titles, aliases = excluded.aliases, affiliations = excluded.affiliations, "
                "corporate_number = excluded.corporate_number",
                rows,
            )
        self._entity_ids = {name: id_ for id_, name in self.db.execute("select id, name from entities")}
        return dict(self._entity_ids)

    def _entity_id(self, name: str) -> int | None:
        if self._entity_ids is None:
            self._entity_ids = {n: i for i, n in self.db.execute("select id, name from entities")}
        return self._entity_ids.get(name)

    # -- runs -----------------------------------------------------------------------------------------

    def start_run(self, source: str) -> int:
        with self.db.atomic():
            return int(self.db["runs"].insert({"source": source, "started_at": utc_now(), "status": "running"}).last_pk)

    def mark_interrupted_runs(self) -> int:
        """Runs still "running" when a new crawl starts were cut short (the crawl lock rules out a live one)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update runs set status = 'interrupted', finished_at = coalesce(finished_at, ?), "
                "health = coalesce(health, ?), health_reason = coalesce(health_reason, ?), "
                "health_detail = case when health_reason is null then ? else health_detail end "
                "where status = 'running'",
                [utc_now(), DEGRADED, render_reason([INTERRUPTED]), json.dumps([INTERRUPTED])],
            )
        return cursor.rowcount

    def finish_run(self, run_id: int, status: str = "done", lists: ListReport | None = None) -> dict[str, Any]:
        """Close a run; with the spider's `lists` report, judge and store its health (see db.health)."""
        values: dict[str, Any] = {"finished_at": utc_now(), "status": status}
        if lists is not None:
            source = self.db.execute("select source from runs where id = ?", [run_id]).fetchone()[0]
            health = judge(lists, status, usual_listed(self.db, source, run_id))
            values.update(health=health.verdict, health_reason=health.reason, health_detail=health.detail(),
                          listed=lists.listed)
        with self.db.atomic():
            self.db["runs"].update(run_id, values)
        return dict(self.db["runs"].get(run_id))

    def _count(self, run_id: int, **increments: int) -> None:
        sets = ", ".join(f'"{name}" = "{name}" + ?' for name in increments)
        self.db.execute(f"update runs set {sets} where id = ?", [*increments.values(), run_id])

    def known_documents(self, source: str) -> list[dict[str, Any]]:
        """The source's documents with the validators of their latest version, what the list last showed for them
        and how many revisits ago they were last fetched in full, for revisits."""
        sql = """
            select d.url, d.first_seen_at, d.last_seen_at, d.last_checked_at, d.removed_at,
                   d.listed_title, d.listed_date, d.listed_on, d.listed_run_id, d.revisits, d.revisits_unverified,
                   v.etag, v.last_modified, v.published
            from documents d
            left join versions v on v.id = (select max(id) from versions where document_id = d.id)
            where d.source = ?
            order by d.id
        """
        cursor = self.db.execute(sql, [source])
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor]

    # -- pages ----------------------------------------------------------------------------------------

    def _document(self, url: str) -> tuple[int, int | None, str | None, str | None] | None:
        """(document id, latest version id, latest content hash, removed_at) or None."""
        return self.db.execute(
            """select d.id, v.id, v.content_hash, d.removed_at from documents d
               left join versions v on v.id = (select max(id) from versions where document_id = d.id)
               where d.url = ?""",
            [url],
        ).fetchone()

    def record_page(self, run_id: int, source: str, page: PageVersion, tags: PageTags | None = None) -> ChangeKind:
        """Store a fetched page: a new version only when its content hash differs from the latest.

        Plain SQL with executemany rather than sqlite-utils' insert helpers: this runs once per crawled page, and
        the helpers' per-call table introspection and nested savepoints cost more than the writes themselves.
        """
        now = utc_now()
        digest = content_hash(page)
        conn = self.db.conn
        with self.db.atomic():
            found = self._document(page.url)
            if found is None:
                document_id = int(conn.execute(
                    "insert into documents (url, source, first_seen_at, last_seen_at, last_checked_at) "
                    "values (?, ?, ?, ?, ?)",
                    [page.url, source, now, now, now],
                ).lastrowid)
                old_version_id, old_hash = None, None
            else:
                document_id, old_version_id, old_hash, _removed = found
                conn.execute(
                    "update documents set last_seen_at = ?, last_checked_at = ?, removed_at = null, "
                    "revisits = revisits + 1, revisits_unverified = 0 where id = ?",
                    [now, now, document_id],
                )
            if old_hash == digest:
                self._count(run_id, fetched=1, unchanged=1)
                return "unchanged"
            version_id = self._insert_version(run_id, document_id, page, digest, now)
            if tags is not None:
                self._insert_tags(version_id, tags)
            kind: ChangeKind = "new" if old_version_id is None else "changed"
            conn.execute(
                "insert into changes (run_id, document_id, kind, old_version_id, new_version_id, at) "
                "values (?, ?, ?, ?, ?, ?)",
                [run_id, document_id, kind, old_version_id, version_id, now],
            )
            self._count(run_id, fetched=1, **{kind: 1})
        return kind

    def _insert_version(self, run_id: int, document_id: int, page: PageVersion, digest: str, now: str) -> int:
        conn = self.db.conn
        version_id = int(conn.execute(
            "insert into versions (document_id, run_id, fetched_at, content_hash, title, published, body, etag, "
            "last_modified, bureau, contact) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, run_id, now, digest, page.title, page.published, page.body, page.etag,
             page.last_modified, page.bureau, page.contact],
        ).lastrowid)
        if page.attachments:
            conn.executemany(
                "insert into attachments (version_id, url, title, content_type, text, error) "
                "values (?, ?, ?, ?, ?, ?)",
                [(version_id, a.get("url", ""), a.get("title", ""), a.get("content_type", ""), a.get("text", ""),
                  a.get("error", "")) for a in page.attachments],
            )
        return version_id

    def _insert_tags(self, version_id: int, tags: PageTags) -> None:
        conn = self.db.conn
        mentions = []
        for mention in tags.mentions:
            entity_id = self._entity_id(mention["entity"])
            if entity_id is None:
                log.warning("mention of unknown entity %r dropped", mention["entity"])
                continue
            mentions.append((version_id, entity_id, mention["surface"], mention["start"], mention["end"],
                             mention.get("context", "")))
        if mentions:
            conn.executemany(
                'insert into mentions (version_id, entity_id, surface, start, "end", context) '
                "values (?, ?, ?, ?, ?, ?)",
                mentions,
            )
        if tags.amounts:
            conn.executemany(
                'insert into amounts (version_id, yen, surface, start, "end", context) values (?, ?, ?, ?, ?, ?)',
                [(version_id, a["yen"], a["surface"], a["start"], a["end"], a.get("context", ""))
                 for a in tags.amounts],
            )
        if tags.organizations:
            conn.executemany(
                'insert into organizations (version_id, name, surface, start, "end", watched, entity_id, '
                "corporate_number) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [(version_id, o["name"], o["surface"], o["start"], o["end"], 1 if o.get("watched") else 0,
                  self._entity_id(o["name"]) if o.get("watched") else None, o.get("corporate_number"))
                 for o in tags.organizations],
            )

    def record_not_modified(self, run_id: int, url: str) -> None:
        """A 304: the document is still there and unchanged (say its validators: counted, see verify_every)."""
        now = utc_now()
        with self.db.atomic():
            self.db.execute(
                "update documents set last_seen_at = ?, last_checked_at = ?, revisits = revisits + 1, "
                "revisits_unverified = revisits_unverified + 1 where url = ?",
                [now, now, url],
            )
            self._count(run_id, fetched=1, not_modified=1)

    def record_gone(self, run_id: int, url: str) -> bool:
        """A known document answered 404/410: mark it removed once; True if this run removed it."""
        now = utc_now()
        with self.db.atomic():
            found = self._document(url)
            if found is None or found[3] is not None:
                if found is not None:
                    self.db.execute("update documents set last_checked_at = ? where id = ?", [now, found[0]])
                return False
            document_id, version_id, _hash, _removed = found
            self.db["documents"].update(document_id, {"removed_at": now, "last_checked_at": now})
            self.db["changes"].insert(
                {"run_id": run_id, "document_id": document_id, "kind": "removed",
                 "old_version_id": version_id, "new_version_id": None, "at": now}
            )
            self._count(run_id, fetched=1, removed=1)
        return True

    def record_listing(
        self, run_id: int, listed: Iterable[tuple[str, str, str | None, str]], left: Iterable[str]
    ) -> None:
        """What a finished crawl's list pages showed: (url, title, date, list page) per listed release, and the
        documents that left their list (no longer counted as listed anywhere, so they are rechecked only once)."""
        with self.db.atomic():
            self.db.conn.executemany(
                "update documents set listed_title = ?, listed_date = ?, listed_on = ?, listed_run_id = ? "
                "where url = ?",
                [(title, date, list_url, run_id, url) for url, title, date, list_url in listed],
            )
            self.db.conn.executemany("update documents set listed_on = null where url = ?", [(u,) for u in left])

    def record_error(self, run_id: int, url: str, reason: str, http_status: int | None = None) -> None:
        with self.db.atomic():
            self.db["fetch_errors"].insert(
                {"run_id": run_id, "url": url, "reason": reason, "http_status": http_status, "at": utc_now()}
            )
            self._count(run_id, errors=1)
