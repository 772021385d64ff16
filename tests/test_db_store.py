"""The store: versions deduplicated by content hash, change kinds, removals once, errors counted, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import DatabaseError, PageTags, PageVersion, Store, open_database
from db.migrations import MIGRATIONS
from nlp.watchlist import WatchEntry

URL = "https://example.org/press/1.html"


@pytest.fixture
def store(fresh_db) -> Store:
    store = Store(fresh_db)
    store.ensure_source("press", "newsroom", "government", {"urls": ["https://example.org/press/"]})
    store.sync_entities([WatchEntry("宮坂学", "official", "宮坂", ("副知事",))])
    return store


def count(store: Store, table: str) -> int:
    return store.db.execute(f"select count(*) from {table}").fetchone()[0]


def test_a_version_is_stored_only_when_the_content_changes(store: Store) -> None:
    run = store.start_run("press")
    body = "宮坂副知事が出席しました。"
    tags = PageTags(mentions=[{"entity": "宮坂学", "surface": "宮坂副知事", "start": 0, "end": 5, "context": body}])
    assert store.record_page(run, "press", PageVersion(URL, "発表", body, "2021-03-15"), tags) == "new"
    assert store.record_page(run, "press", PageVersion(URL, "発表", body, "2021-03-15"), tags) == "unchanged"
    assert count(store, "versions") == 1 and count(store, "mentions") == 1
    assert store.record_page(run, "press", PageVersion(URL, "発表（訂正）", body, "2021-03-15")) == "changed"
    kinds = [row[0] for row in store.db.execute("select kind from changes order by id")]
    assert kinds == ["new", "changed"]
    old, new = store.db.execute("select old_version_id, new_version_id from changes where kind = 'changed'").fetchone()
    assert old < new
    summary = store.finish_run(run)
    assert (summary["fetched"], summary["new"], summary["changed"], summary["unchanged"]) == (3, 1, 1, 1)
    assert summary["status"] == "done" and summary["finished_at"]


def test_mentions_keep_offsets_into_the_stored_body(store: Store) -> None:
    run = store.start_run("press")
    body = "本日、宮坂副知事は視察を行いました。"
    start = body.index("宮坂副知事")
    tags = PageTags(mentions=[{"entity": "宮坂学", "surface": "宮坂副知事", "start": start, "end": start + 5}],
                    amounts=[{"yen": 16506875, "surface": "16,506,875円", "start": 0, "end": 0}])
    store.record_page(run, "press", PageVersion(URL, "t", body), tags)
    stored_body, surface, m_start, m_end = store.db.execute(
        "select v.body, m.surface, m.start, m.end from mentions m join versions v on v.id = m.version_id"
    ).fetchone()
    assert stored_body[m_start:m_end] == surface
    assert store.db.execute("select yen from amounts").fetchone()[0] == 16506875


def test_removed_once_and_back_again(store: Store) -> None:
    run = store.start_run("press")
    store.record_page(run, "press", PageVersion(URL, "t", "本文"))
    assert store.record_gone(run, URL) is True
    assert store.record_gone(run, URL) is False  # a second 404 is not a second removal
    assert store.record_gone(run, "https://example.org/never-seen") is False
    assert count(store, "changes") == 2
    assert store.db.execute("select removed_at from documents").fetchone()[0] is not None
    assert store.record_page(run, "press", PageVersion(URL, "t", "本文")) == "unchanged"
    assert store.db.execute("select removed_at from documents").fetchone()[0] is None


def test_errors_and_not_modified_are_counted(store: Store) -> None:
    run = store.start_run("press")
    store.record_page(run, "press", PageVersion(URL, "t", "本文", etag='"abc"'))
    store.record_not_modified(run, URL)
    store.record_error(run, "https://example.org/broken", "HTTP 500", 500)
    summary = store.finish_run(run)
    assert (summary["not_modified"], summary["errors"]) == (1, 1)
    assert store.db.execute("select url, reason, http_status from fetch_errors").fetchone() == (
        "https://example.org/broken", "HTTP 500", 500)
    known = store.known_documents("press")
    assert known[0]["url"] == URL and known[0]["etag"] == '"abc"'


def test_interrupted_runs_are_marked(store: Store) -> None:
    store.start_run("press")
    assert store.mark_interrupted_runs() == 1
    assert store.db.execute("select status from runs").fetchone()[0] == "interrupted"


def test_wal_mode_and_migrations_are_recorded(tmp_path: Path) -> None:
    database = open_database(tmp_path / "a.db")
    assert database.execute("pragma journal_mode").fetchone()[0] == "wal"
    numbers = [row[0] for row in database.execute("select number from _migrations order by number")]
    assert numbers == [number for number, _, _ in MIGRATIONS]
    database.close()
    open_database(tmp_path / "a.db").close()  # reopening applies nothing twice


def test_a_database_from_a_newer_ometsuke_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("insert into _migrations (number, name, applied_at) values (999, 'future', 'x')")
    with pytest.raises(DatabaseError, match="newer than this ometsuke knows"):
        open_database(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot open database"):
        open_database(path)


def test_bureau_and_contact_are_stored_with_the_version(store: Store) -> None:
    run = store.start_run("press")
    page = PageVersion(URL, "発表", "本文", bureau="デジタルサービス局",
                       contact="問い合わせ先\nデジタルサービス局 デジタル推進課 電話 03-0000-0000")
    store.record_page(run, "press", page)
    assert store.db.execute("select bureau, contact from versions").fetchone() == (page.bureau, page.contact)


def test_listing_migration_starts_from_what_the_first_visit_stored(tmp_path: Path) -> None:
    """A database from before listings were kept: listed title and date come from the latest version (for sources
    with lists), so a revisit of a document that is no longer listed decides `published` as the first visit did."""
    import sqlite_utils

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["_migrations"].create({"number": int, "name": str, "applied_at": str}, pk="number")
    names = [name for _, name, _ in MIGRATIONS]
    for number, name, function in MIGRATIONS[: names.index("documents_listing_and_revisits")]:
        function(old)
        old["_migrations"].insert({"number": number, "name": name, "applied_at": "2026-01-01"})
    old["sources"].insert_all([{"name": "press", "spider": "newsroom"}, {"name": "table", "spider": "page"}])
    old["documents"].insert_all([{"id": 1, "url": URL, "source": "press"},
                                 {"id": 2, "url": "https://example.org/table.html", "source": "table"}])
    old["versions"].insert_all([
        {"id": 1, "document_id": 1, "title": "旧題", "published": "2026-03-01"},
        {"id": 2, "document_id": 1, "title": "一覧の題", "published": "2026-03-02"},
        {"id": 3, "document_id": 2, "title": "入札結果", "published": "2026-03-03"},
    ])
    old.close()
    store = Store(open_database(path))
    known = {d["url"]: d for d in store.known_documents("press") + store.known_documents("table")}
    press, table = known[URL], known["https://example.org/table.html"]
    assert (press["listed_title"], press["listed_date"], press["listed_run_id"]) == ("一覧の題", "2026-03-02", None)
    assert (table["listed_title"], table["listed_date"]) == (None, None)  # a watched page has no list
    assert (press["revisits"], press["revisits_unverified"]) == (0, 0)
    store.db.close()


def test_listing_and_revisit_counters_are_recorded(store: Store) -> None:
    run = store.start_run("press")
    store.record_page(run, "press", PageVersion(URL, "t", "本文", etag='"abc"'))
    store.record_listing(run, [(URL, "一覧の題", "2026-03-02", "https://example.org/press/")], [])
    store.record_not_modified(run, URL)
    store.record_not_modified(run, URL)
    (doc,) = store.known_documents("press")
    assert (doc["listed_title"], doc["listed_date"], doc["listed_on"], doc["listed_run_id"]) == (
        "一覧の題", "2026-03-02", "https://example.org/press/", run)
    assert (doc["revisits"], doc["revisits_unverified"]) == (2, 2)
    store.record_page(run, "press", PageVersion(URL, "t", "本文が変わった", etag='"abc"'))  # a full fetch
    store.record_listing(run, [], [URL])  # it left the list
    (doc,) = store.known_documents("press")
    assert (doc["revisits"], doc["revisits_unverified"], doc["listed_on"], doc["listed_title"]) == (
        3, 0, None, "一覧の題")
