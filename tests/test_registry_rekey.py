"""Stored registry keys of an older name-key function are made again before anything looks a name up.

The keys of `corporations.name_key` and `corporation_names.name_key` are nlp/company_names.name_key of the name at
import time. A later name_key (NAME_KEY_VERSION bumped) would leave them silently unmatched; here an import with
the current key is aged by hand (sqlite3 directly: an old version stamp, or none, and keys no current function
makes), and `registry find`, `vendor`, `tag` and a crawl each find the company again."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.configs import source, write_config

from db import open_database
from db.connection import BUSY_TIMEOUT_MS, is_busy, not_waiting
from db.registry import find_matches, rekey, stored_key_version
from nlp.company_names import NAME_KEY_VERSION, name_key
from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory
from tests.support.opendata import corporate_number, nta_csv, nta_row, write_text

SORA = corporate_number(424242)  # 株式会社ソラテック, formerly 株式会社アオゾラ技研
TAKAHASHI = corporate_number(40004)  # 髙橋建設株式会社
ROWS = [
    nta_row(SORA, "株式会社アオゾラ技研", prefecture="東京都", city="港区", updated="2026-10-01"),
    nta_row(SORA, "株式会社ソラテック", prefecture="東京都", city="港区", process="11", updated="2026-12-01",
            sequence=2),
    nta_row(TAKAHASHI, "髙橋建設株式会社", prefecture="宮城県", city="仙台市", sequence=3),
]


def ometsuke(config: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, [*args, "--config", str(config)], input=stdin)


@pytest.fixture
def aged(tmp_path: Path) -> Path:
    """A config whose registry was imported with the current key, then aged: version 0, every key stale."""
    config = write_config(tmp_path, watch=[], database="rekey.db")
    result = ometsuke(config, "registry", "import", str(write_text(tmp_path / "diff.csv", nta_csv(ROWS))))
    assert result.exit_code == 0, result.output
    database = tmp_path / "rekey.db"
    with sqlite3.connect(database) as conn:
        assert conn.execute("select version from name_key_version").fetchall() == [(NAME_KEY_VERSION,)]
        conn.execute("update corporations set name_key = 'v0:' || name_key")
        conn.execute("update corporation_names set name_key = 'v0:' || name_key")
        conn.execute("update name_key_version set version = 0")
    conn.close()
    db = open_database(database)
    try:
        assert find_matches(db, name_key("ソラテック")) == []  # stale keys match nothing
    finally:
        db.close()
    return config


def stored(config: Path) -> tuple[int | None, list[tuple[str, str]]]:
    db = open_database(config.parent / "rekey.db")
    try:
        keys = [tuple(row) for row in db.execute(
            "select name, name_key from corporations union all select name, name_key from corporation_names")]
        return stored_key_version(db), keys
    finally:
        db.close()


def test_registry_find_rekeys_a_registry_keyed_by_an_older_version(aged: Path) -> None:
    result = ometsuke(aged, "registry", "find", "株式会社アオゾラ技研", "--json")
    assert result.exit_code == 0, result.output
    [candidate] = json.loads(result.stdout)
    assert (candidate["corporate_number"], candidate["former"]) == (SORA, True)
    assert f"name key version {NAME_KEY_VERSION} (stored: 0)" in result.stderr
    assert "3 of 3 rows" in result.stderr and "3 keys changed" in result.stderr
    version, keys = stored(aged)
    assert version == NAME_KEY_VERSION and all(key == name_key(name) for name, key in keys)
    again = ometsuke(aged, "registry", "find", "高橋建設", "--json")
    assert json.loads(again.stdout)[0]["corporate_number"] == TAKAHASHI
    assert again.stderr == ""  # current now: nothing to do, nothing said


def test_a_registry_imported_before_versions_were_recorded_is_rekeyed_once(aged: Path) -> None:
    with sqlite3.connect(aged.parent / "rekey.db") as conn:
        conn.execute("delete from name_key_version")
    conn.close()
    assert stored(aged)[0] is None
    result = ometsuke(aged, "vendor", "ソラテック", "--json")  # through open_existing, like digest and connections
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["corporate_number"] == SORA and "(stored: unrecorded)" in result.stderr
    assert stored(aged)[0] == NAME_KEY_VERSION


def test_tag_resolves_organisations_after_rekeying(aged: Path) -> None:
    result = ometsuke(aged, "tag", "--json", stdin="株式会社アオゾラ技研と髙橋建設株式会社が受注した。")
    assert result.exit_code == 0, result.output
    found = [(o["surface"], o["corporate_number"]) for o in json.loads(result.stdout)["organizations"]]
    assert found == [("株式会社アオゾラ技研", SORA), ("髙橋建設株式会社", TAKAHASHI)]


def test_a_crawl_rekeys_before_it_resolves_organisations(aged: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "press").mkdir(parents=True)
    page = ("<html><head><meta charset='utf-8'><title>{t}</title></head><body><div id='main'><h1>{t}</h1>"
            "<p class='date'>2026年12月1日</p><p>{b}</p></div></body></html>")
    title = "契約の締結について"
    (site / "press" / "a.html").write_text(page.format(t=title, b="本日、髙橋建設株式会社と契約しました。"),
                                           encoding="utf-8")
    link = f"<a class='release' href='/press/a.html'>2026年12月1日 {title}</a>"
    (site / "press" / "list.html").write_text(page.format(t="報道発表", b=link), encoding="utf-8")
    with serve_directory(site) as server:
        write_config(aged.parent, source("press", server.url + "/press/list.html", follow="a.release"),
                     database="rekey.db")  # the same database, now with a source
        runs = run_crawl(load_config(aged), quiet=True)
    assert sum(run["new"] for run in runs) == 1, runs
    with sqlite3.connect(aged.parent / "rekey.db") as conn:
        assert conn.execute("select surface, corporate_number from organizations").fetchall() == [
            ("髙橋建設株式会社", TAKAHASHI)]
    conn.close()
    assert stored(aged)[0] == NAME_KEY_VERSION


def test_rekeying_streams_in_batches_and_is_a_no_op_when_current(aged: Path) -> None:
    db = open_database(aged.parent / "rekey.db")
    try:
        calls: list[tuple[int, int]] = []
        changed = rekey(db, name_key, NAME_KEY_VERSION, progress=lambda done, total, _s: calls.append((done, total)),
                        batch_rows=1)
        assert changed == 3
        assert calls == [(1, 3), (2, 3), (3, 3)]  # two corporations, then one former name: one batch each
        assert rekey(db, name_key, NAME_KEY_VERSION, progress=lambda *_: calls.append((0, 0))) == 0
        assert len(calls) == 3
    finally:
        db.close()


@contextmanager
def write_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """A second connection holding the write lock, as a crawl's write transaction does (begin immediate)."""
    writer = sqlite3.connect(database, isolation_level=None)
    try:
        writer.execute("begin immediate")
        yield writer
    finally:
        writer.close()  # rolls back: the lock is released


STALE_WARNING = "another process is writing the database: going on without re-keying them"


@pytest.mark.parametrize("command", [("registry", "find", "株式会社ソラテック", "--json"),
                                     ("vendor", "ソラテック", "--json"), ("tag", "--json")])
def test_a_reader_meeting_stale_keys_under_a_write_lock_goes_on_without_waiting(aged: Path, command) -> None:
    """vendor (like digest and connections: open_existing), registry find and tag do not wait the 30 s busy
    timeout for a crawl's write lock: they read the stale keys and say so in one line; the next one re-keys."""
    with write_lock(aged.parent / "rekey.db"):
        result = ometsuke(aged, *command, stdin="株式会社ソラテックが受注した。")
        assert stored(aged)[0] == 0  # nothing re-keyed, nothing half-stamped
    assert result.exit_code in (0, 1), result.output  # vendor exits 1 when nothing matches
    assert "database is locked" not in result.output and "Traceback" not in result.output
    [warning] = [line for line in result.stderr.splitlines() if STALE_WARNING in line]
    assert "organisation look-ups may miss" in warning and "the next crawl or registry import" in warning
    assert "keys changed" not in result.stderr
    result = ometsuke(aged, *command, stdin="株式会社ソラテックが受注した。")  # the lock is released: re-keyed now
    assert result.exit_code == 0, result.output
    assert STALE_WARNING not in result.stderr and "3 keys changed" in result.stderr
    assert stored(aged)[0] == NAME_KEY_VERSION


def test_a_crawl_taking_the_lock_midway_stops_a_readers_rekeying_at_once(aged: Path) -> None:
    """The lock taken between two batches: the next batch fails at once (is_busy), what was re-keyed stays, the
    stamp is not written, so the next re-keying does it all again."""
    database = aged.parent / "rekey.db"
    db = open_database(database)
    try:
        with ExitStack() as locks:
            def lock_after_first_batch(done: int, _total: int, _seconds: float) -> None:
                if done == 1:
                    locks.enter_context(write_lock(database))

            with pytest.raises(sqlite3.OperationalError) as raised, not_waiting(db.conn):
                rekey(db, name_key, NAME_KEY_VERSION, progress=lock_after_first_batch, batch_rows=1)
            assert is_busy(raised.value)
        assert db.execute("pragma busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS  # restored
        assert stored_key_version(db) == 0
        assert rekey(db, name_key, NAME_KEY_VERSION) == 2  # the first batch's key was already made
        assert stored_key_version(db) == NAME_KEY_VERSION
    finally:
        db.close()


def test_the_migration_can_run_again(fresh_db) -> None:
    from db.migrations import MIGRATIONS

    _number, _name, function = next(m for m in MIGRATIONS if m[1] == "name_key_version")
    fresh_db.execute("insert into name_key_version (version, keyed_at) values (1, 'x')")
    function(fresh_db)  # a renumbering on merge may apply it again: the stamp stays
    assert fresh_db.execute("select version from name_key_version").fetchall() == [(1,)]
