"""Numbered schema migrations, recorded in the database itself.

Released migrations are never edited: a schema change is a new function appended to MIGRATIONS.
A database written by a newer ometsuke (a migration number we do not know) is refused, not guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from db.clock import utc_now
from db.errors import DatabaseError

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(number: int, name: str) -> Callable[[Migration], Migration]:
    """Register a migration; numbers must increase by one."""

    def register(function: Migration) -> Migration:
        expected = len(MIGRATIONS) + 1
        if number != expected:
            raise RuntimeError(f"migration {name} is numbered {number}, expected {expected}")
        MIGRATIONS.append((number, name, function))
        return function

    return register


@migration(1, "initial")
def _initial(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {"name": str, "spider": str, "kind": str, "config": str, "added_at": str}, pk="name"
    )
    db["runs"].create(
        {
            "id": int, "source": str, "started_at": str, "finished_at": str, "status": str,
            "fetched": int, "new": int, "changed": int, "unchanged": int, "not_modified": int,
            "removed": int, "errors": int,
        },
        pk="id",
        foreign_keys=[("source", "sources", "name")],
        defaults={"fetched": 0, "new": 0, "changed": 0, "unchanged": 0, "not_modified": 0, "removed": 0, "errors": 0},
    )
    db["fetch_errors"].create(
        {"id": int, "run_id": int, "url": str, "reason": str, "http_status": int, "at": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["documents"].create(
        {
            "id": int, "url": str, "source": str, "first_seen_at": str, "last_seen_at": str,
            "last_checked_at": str, "removed_at": str,
        },
        pk="id",
        foreign_keys=[("source", "sources", "name")],
    )
    db["documents"].create_index(["url"], unique=True)
    db["documents"].create_index(["source"])
    db["versions"].create(
        {
            "id": int, "document_id": int, "run_id": int, "fetched_at": str, "content_hash": str,
            "title": str, "published": str, "body": str, "etag": str, "last_modified": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["versions"].create_index(["document_id", "id"])
    db["versions"].create_index(["published"])
    db["attachments"].create(
        {"id": int, "version_id": int, "url": str, "title": str, "content_type": str, "text": str, "error": str},
        pk="id",
        foreign_keys=[("version_id", "versions", "id")],
    )
    db["attachments"].create_index(["version_id"])
    db["entities"].create(
        {
            "id": int, "name": str, "kind": str, "family": str, "titles": str, "aliases": str,
            "affiliations": str,
        },
        pk="id",
    )
    db["entities"].create_index(["name"], unique=True)
    db["mentions"].create(
        {"id": int, "version_id": int, "entity_id": int, "surface": str, "start": int, "end": int, "context": str},
        pk="id",
        foreign_keys=[("version_id", "versions", "id"), ("entity_id", "entities", "id")],
    )
    db["mentions"].create_index(["version_id"])
    db["mentions"].create_index(["entity_id", "version_id"])
    db["amounts"].create(
        {"id": int, "version_id": int, "yen": int, "surface": str, "start": int, "end": int, "context": str},
        pk="id",
        foreign_keys=[("version_id", "versions", "id")],
    )
    db["amounts"].create_index(["version_id"])
    db["organizations"].create(
        {
            "id": int, "version_id": int, "name": str, "surface": str, "start": int, "end": int,
            "watched": int, "entity_id": int,
        },
        pk="id",
        foreign_keys=[("version_id", "versions", "id"), ("entity_id", "entities", "id")],
    )
    db["organizations"].create_index(["version_id"])
    db["organizations"].create_index(["name"])
    db["changes"].create(
        {"id": int, "run_id": int, "document_id": int, "kind": str, "old_version_id": int,
         "new_version_id": int, "at": str},
        pk="id",
        foreign_keys=[
            ("run_id", "runs", "id"), ("document_id", "documents", "id"),
            ("old_version_id", "versions", "id"), ("new_version_id", "versions", "id"),
        ],
    )
    db["changes"].create_index(["run_id"])
    db["changes"].create_index(["at"])
    db["changes"].create_index(["document_id"])



@migration(2, "deliveries")
def _deliveries(db: sqlite_utils.Database) -> None:
    """Digests queued for e-mail: a failed send stays here and the next run sends it."""
    db["deliveries"].create(
        {
            "id": int, "digest": str, "subject": str, "recipients": str, "text": str, "html": str,
            "created_at": str, "attempts": int, "last_attempt_at": str, "last_error": str, "sent_at": str,
        },
        pk="id",
        defaults={"attempts": 0},
    )
    db["deliveries"].create_index(["sent_at"])


@migration(3, "search_index")
def _search_index(db: sqlite_utils.Database) -> None:
    """Full-text index of versions (rowid = versions.id) over character bigrams, so 1- and 2-character
    Japanese words are found (FTS5's trigram tokenizer cannot match terms under three characters)."""
    db.execute(
        "create virtual table search_index using fts5("
        "title, body, content='', tokenize='unicode61 remove_diacritics 0')"
    )


@migration(4, "versions_bureau_contact")
def _versions_bureau_contact(db: sqlite_utils.Database) -> None:
    """Who issued a government release (…局) and its 問い合わせ先 block: asked for by readers, kept out of the hash."""
    db["versions"].add_column("bureau", str)
    db["versions"].add_column("contact", str)


@migration(5, "search_index_prefix_source")
def _search_index_prefix_source(db: sqlite_utils.Database) -> None:
    """Search at 100,000 documents: rebuild search_index with a one-character prefix index (a one-character
    query reads one doclist instead of merging every bigram that starts with it) and a `source` column (a
    --source filter is an intersection inside FTS5). The next search or crawl refills it from versions.
    An index on versions.fetched_at bounds --since."""
    db.execute("drop table if exists search_index")
    db.execute(
        "create virtual table search_index using fts5("
        "title, body, source, content='', prefix='1', tokenize='unicode61 remove_diacritics 0')"
    )
    db["versions"].create_index(["fetched_at"], if_not_exists=True)


@migration(6, "runs_health")
def _runs_health(db: sqlite_utils.Database) -> None:
    """Each run's health verdict (ok / degraded / failing) with a one-line reason, and how many releases its list
    pages or feed yielded (`listed`: the history the shrinking-list rule compares against). Older runs stay
    NULL: their lists were never counted. Columns already there are kept (a database rolled back to an earlier
    migration by hand, as a test of migration 5 does, runs this again)."""
    have = db["runs"].columns_dict
    for column, kind in (("health", str), ("health_reason", str), ("listed", int)):
        if column not in have:
            db["runs"].add_column(column, kind)
    db["runs"].create_index(["source", "id"], if_not_exists=True)


@migration(7, "documents_listing_and_revisits")
def _documents_listing_and_revisits(db: sqlite_utils.Database) -> None:
    """What the source's list last showed for each document (title, date, which list page, which run), so a
    release that left its list or changed its entry is rechecked at once; and its revisits, counted, so a page
    behind validators that never change is still fetched in full every `[crawl] verify_every` revisits.

    listed_title and listed_date start as the latest version's title and published date for sources with lists:
    what the first visit stored (the list's, or the page's own where that wins), so revisits of documents no longer
    listed keep deciding title and `published` the same way. listed_run_id stays null: an entry is compared with
    the list only once a crawl has recorded it.
    """
    documents = db["documents"]
    if "listed_title" in documents.columns_dict:
        return  # applied before (a test or a repair that replays migrations from an earlier number)
    documents.add_column("listed_title", str)
    documents.add_column("listed_date", str)
    documents.add_column("listed_on", str)  # the list page URL that last showed it; null once it left the lists
    documents.add_column("listed_run_id", int)  # the run that last saw it listed
    documents.add_column("revisits", int, not_null_default=0)  # fetches of it as a known document
    documents.add_column("revisits_unverified", int, not_null_default=0)  # 304s since its last full fetch
    db.execute(
        """update documents set (listed_title, listed_date) = (
               select v.title, v.published from versions v where v.id = (
                   select max(id) from versions where document_id = documents.id))
           where source in (select name from sources where spider != 'page')"""
    )


@migration(8, "registry_and_awards")
def _registry_and_awards(db: sqlite_utils.Database) -> None:
    """Vendors by identity (issue 13): the NTA 法人番号 registry and the p-portal 落札実績 (national awards).

    `corporations` holds each number's latest record (WITHOUT ROWID: the number is the only B-tree). A rename
    moves the old name into `corporation_names` through a trigger, so every import path keeps former names.
    `awards` has one row per winner of a case; a trigger keeps the old values of a changed row in
    `award_changes`. See db/registry.py and db/awards.py. Written with `if not exists`, so that a database put back
    to an earlier migration (tests do) or a renumbering on merge applies it again harmlessly.
    """
    db.execute(
        "create table if not exists corporations ("
        "corporate_number text primary key, name text not null, name_key text not null, kana text, "
        "prefecture text, city text, address text, kind text, closed text, closed_reason text, successor text, "
        "updated text, changed text, process text, deleted text) without rowid"
    )
    db.execute("create index if not exists corporations_name_key on corporations (name_key)")
    db.execute(
        "create table if not exists corporation_names ("
        "corporate_number text not null, name text not null, name_key text not null, first_seen text, until text, "
        "primary key (corporate_number, name)) without rowid"
    )
    db.execute("create index if not exists corporation_names_name_key on corporation_names (name_key)")
    db.execute(
        "create trigger if not exists corporations_former_name after update of name on corporations "
        "when old.name is not new.name begin "
        "insert or ignore into corporation_names (corporate_number, name, name_key, first_seen, until) "
        "values (old.corporate_number, old.name, old.name_key, old.changed, new.changed); end"
    )
    db.execute(
        "create table if not exists awards ("
        "id integer primary key, case_number text not null, title text, decided text, yen integer, "
        "ministry_code text, ministry text, method_code text, method text, vendor text not null, "
        "corporate_number text, maybe_private integer not null default 0, source_file text, "
        "first_seen text, last_seen text, unique (case_number, vendor))"
    )
    db.execute("create index if not exists awards_corporate_number on awards (corporate_number)")
    db.execute("create index if not exists awards_decided on awards (decided)")
    db.execute(
        "create table if not exists award_changes ("
        "id integer primary key, award_id integer not null references awards(id), changed_at text, "
        "source_file text, title text, decided text, yen integer, ministry_code text, method_code text, "
        "corporate_number text)"
    )
    db.execute("create index if not exists award_changes_award_id on award_changes (award_id)")
    db.execute(
        "create trigger if not exists awards_changed after update on awards "
        "when (old.title, old.decided, old.yen, old.ministry_code, old.method_code, old.corporate_number) "
        "is not (new.title, new.decided, new.yen, new.ministry_code, new.method_code, new.corporate_number) begin "
        "insert into award_changes (award_id, changed_at, source_file, title, decided, yen, ministry_code, "
        "method_code, corporate_number) values (old.id, new.last_seen, old.source_file, old.title, old.decided, "
        "old.yen, old.ministry_code, old.method_code, old.corporate_number); end"
    )


@migration(9, "deliveries_channels")
def _deliveries_channels(db: sqlite_utils.Database) -> None:
    """The mail queue becomes every channel's queue: `channel` (its name in the config, "mail" for [mail]; never
    its URL), `kind` (mail, apprise), `payload` (the message as JSON) and `key` (what the message is about, so an
    alert or a failing source is queued once per channel, across restarts). Earlier rows are mail."""
    have = db["deliveries"].columns_dict
    for column in ("channel", "kind", "payload", "key"):
        if column not in have:
            db["deliveries"].add_column(column, str)
    db.execute("update deliveries set channel = 'mail', kind = 'mail' where channel is null")
    db.execute("create unique index if not exists deliveries_channel_key on deliveries(channel, key)")
    db["deliveries"].create_index(["channel", "sent_at"], if_not_exists=True)



@migration(10, "runs_health_detail")
def _runs_health_detail(db: sqlite_utils.Database) -> None:
    """runs.health_detail: the health reason as parts (JSON: a list of {"key": …, parameters}, see db.health), so
    the digest and notifications say it in their language; runs.health_reason keeps the English sentence. Earlier
    runs have none and show their stored reason."""
    if "health_detail" not in db["runs"].columns_dict:
        db["runs"].add_column("health_detail", str)


@migration(11, "organizations_corporate_number")
def _organizations_corporate_number(db: sqlite_utils.Database) -> None:
    """Vendors by identity (issue 13): an organisation found in a version carries the 法人番号 it resolved to
    (null when no single registered company fits), and a watched entity the number its [[watch]] entry gives,
    so that the digest, `vendor` and `connections` tie awards and documents by number; awards are indexed by
    first_seen (the digest reads the awards first seen in its window). Columns already there are
    kept (a renumbering on merge, or a database replayed from an earlier migration, applies this again)."""
    if "corporate_number" not in db["organizations"].columns_dict:
        db["organizations"].add_column("corporate_number", str)
    if "corporate_number" not in db["entities"].columns_dict:
        db["entities"].add_column("corporate_number", str)
    db.execute("create index if not exists organizations_corporate_number on organizations (corporate_number)")
    db.execute("create index if not exists awards_first_seen on awards (first_seen)")  # the digest's window


@migration(12, "award_sources")
def _award_sources(db: sqlite_utils.Database) -> None:
    """Where an award row came from when it was crawled (issue 13): `award_files` remembers each p-portal day
    file a `pportal` source asked for (fetched, or missing: no file that day), so the next crawl asks only for the
    days after its last success; `awards` gains the crawled source, and for a local government's contract table
    the document, version and URL it was read from (such rows have no 調達案件番号: `case_number` holds a stable key
    made from the page URL and the row). Written with `if not exists` checks, so a renumbering on merge applies it
    again harmlessly."""
    db.execute(
        "create table if not exists award_files ("
        "id integer primary key, source text not null, day text not null, file_name text not null, url text, "
        "status text not null, run_id integer references runs(id), at text, rows integer, new integer, "
        "changed integer, bad integer, unique (source, day))"
    )
    have = db["awards"].columns_dict
    for column, kind in (("source", str), ("document_id", int), ("version_id", int), ("document_url", str)):
        if column not in have:
            db["awards"].add_column(column, kind)
    db.execute("create index if not exists awards_source on awards (source)")
    db.execute("create index if not exists awards_document_id on awards (document_id)")


@migration(13, "name_key_version")
def _name_key_version(db: sqlite_utils.Database) -> None:
    """The version of the name-key function (nlp/company_names.NAME_KEY_VERSION) that wrote the stored registry
    keys (corporations.name_key, corporation_names.name_key): when the function changes, the rows are keyed again
    before a look-up uses them (db/registry.py rekey). One row, written by the first import or re-keying; a
    registry imported before this table existed has none, and is re-keyed once. `if not exists`: a renumbering on
    merge applies it again harmlessly."""
    db.execute("create table if not exists name_key_version (version integer not null, keyed_at text not null)")


def current_version(db: sqlite_utils.Database) -> int:
    if "_migrations" not in db.table_names():
        return 0
    row = db.execute("select max(number) from _migrations").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"number": int, "name": str, "applied_at": str}, pk="number")
    have = current_version(db)
    if have > len(MIGRATIONS):
        raise DatabaseError(
            f"{db.conn.execute('pragma database_list').fetchone()[2] or 'database'} has schema version {have}, "
            f"newer than this ometsuke knows ({len(MIGRATIONS)}); upgrade ometsuke"
        )
    applied = []
    for number, name, function in MIGRATIONS:
        if number <= have:
            continue
        with db.atomic():
            function(db)
            db["_migrations"].insert({"number": number, "name": name, "applied_at": utc_now()})
        applied.append(name)
    return applied
