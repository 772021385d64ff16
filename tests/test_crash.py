"""Crash safety: a real crawl process killed with SIGKILL mid-run leaves a sound database, and the next crawl
completes the work without duplicating anything.

The fault server holds most release pages (gate) until the test releases them, so the kill surely lands while the
crawl has pages stored and requests in flight: no sleeps, no guessing how fast the machine is.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from support.configs import DIGITAL_GARAGE, source, write_config
from support.faultserver import page, serve_faults

from db import open_database
from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.locks import lock_path

PAGES = 30
SERVED_AT_ONCE = 5  # the first five page requests are answered; the rest wait until the crawl is killed
WAIT_LIMIT = 120.0  # seconds: a safety net for a broken crawl, not a timing assertion


def crash_config(folder: Path, base: str, database: str = "crash.db") -> Path:
    crash = source("crash", base + "/news/", follow="a.release[href^='/crash/']", max_list_pages=1)
    return write_config(folder, crash, watch=[DIGITAL_GARAGE], database=database,
                        crawl={"concurrency": 4, "retries": 0, "download_timeout": 120})


def release_page(number: int) -> bytes:
    body = f"<p>第{number}号。株式会社デジタルガレージと契約しました。契約金額は{number},000,000円です。</p>"
    return page(f"契約第{number}号について", body).encode("utf-8")


def count(path: Path, sql: str) -> int:
    """Read with a plain read-only connection, as a reader beside a live crawl would."""
    if not path.exists():
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the crawl has not created the tables yet
    finally:
        connection.close()


def wait_until(condition: Any, child: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        if child.poll() is not None:
            pytest.fail(f"the crawl exited ({child.returncode}) before {what}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("crash")
    paths = [f"/crash/p{n:02d}.html" for n in range(1, PAGES + 1)]
    pages = {path: release_page(n) for n, path in enumerate(paths, start=1)}
    with serve_faults(gated=set(paths), gate_after=SERVED_AT_ONCE, extra_pages=pages) as server:
        config_path = crash_config(base, server.url)
        config = load_config(config_path)
        database = config.database_path
        log = (base / "child.log").open("wb")
        child = subprocess.Popen(
            [sys.executable, "-m", "ometsuke.crawl_process", str(config_path)], stdout=log, stderr=log
        )
        wait_until(lambda: count(database, "select count(*) from versions") >= SERVED_AT_ONCE, child,
                   f"{SERVED_AT_ONCE} versions were stored")  # fmt: skip
        held = lambda: sum(1 for r in server.requests if r.path in server.gated) > SERVED_AT_ONCE  # noqa: E731
        wait_until(held, child, "a held page was requested")
        reader = reader_beside_live_crawl(database)
        second_crawl = CliRunner().invoke(main, ["crawl", "--json", "--config", str(config_path)])
        lock_meanwhile = lock_path(database, "crawl").read_text()
        statuses_meanwhile = [row[0] for row in sqlite3.connect(database).execute("select status from runs")]
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        log.close()
        after_kill = snapshot(database)
        server.release.set()
        second = run_crawl(config, quiet=True)
        third = run_crawl(config, quiet=True)
    return {"config": config, "returncode": child.returncode, "reader": reader, "second_crawl": second_crawl,
            "statuses_meanwhile": statuses_meanwhile, "child_pid": child.pid, "lock_meanwhile": lock_meanwhile,
            "after_kill": after_kill, "second": second, "third": third}  # fmt: skip


def reader_beside_live_crawl(path: Path) -> dict[str, int]:
    """What a digest or Datasette sees while the crawl writes: WAL lets it read without waiting."""
    database = open_database(path)
    try:
        return {"versions": database.execute("select count(*) from versions").fetchone()[0],
                "runs": database.execute("select count(*) from runs").fetchone()[0]}  # fmt: skip
    finally:
        database.close()


def snapshot(path: Path) -> dict[str, Any]:
    connection = sqlite3.connect(path)
    try:
        return {
            "integrity": connection.execute("pragma integrity_check").fetchall(),
            "runs": connection.execute("select id, status, new, errors from runs order by id").fetchall(),
            "versions": connection.execute("select count(*) from versions").fetchone()[0],
            "changes": connection.execute("select count(*) from changes").fetchone()[0],
            "orphans": connection.execute(
                "select (select count(*) from amounts where version_id not in (select id from versions))"
                " + (select count(*) from mentions where version_id not in (select id from versions))"
                " + (select count(*) from changes where new_version_id not in (select id from versions))"
            ).fetchone()[0],
            "versions_of_run": connection.execute(
                "select count(*) from versions where run_id = (select max(id) from runs)"
            ).fetchone()[0],
        }
    finally:
        connection.close()


def test_the_crawl_was_killed_mid_run(crashed: dict[str, Any]) -> None:
    assert crashed["returncode"] == -signal.SIGKILL
    after = crashed["after_kill"]
    assert SERVED_AT_ONCE <= after["versions"] < PAGES
    assert after["runs"][-1][1] == "running"  # nobody got to say it ended


def test_killed_database_passes_integrity_check_and_is_consistent(crashed: dict[str, Any]) -> None:
    after = crashed["after_kill"]
    assert after["integrity"] == [("ok",)]
    assert after["orphans"] == 0
    # Page, change row and run counter commit together: every stored version has its change and its count.
    [(_run_id, _status, new, _errors)] = after["runs"]
    assert new == after["versions"] == after["changes"] == after["versions_of_run"]


def test_readers_work_while_the_crawl_writes(crashed: dict[str, Any]) -> None:
    assert crashed["reader"]["versions"] >= SERVED_AT_ONCE
    assert crashed["reader"]["runs"] == 1


def test_a_second_crawl_beside_a_live_one_fails_at_once_and_touches_nothing(crashed: dict[str, Any]) -> None:
    result = crashed["second_crawl"]
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("Error: ") and "another crawl is writing to" in line
    assert f"(pid {crashed['child_pid']})" in line  # the holder is named…
    assert crashed["lock_meanwhile"] == str(crashed["child_pid"])  # …and the refused crawl did not wipe its pid
    assert crashed["statuses_meanwhile"] == ["running"]  # the live run was not marked interrupted


def test_readers_and_commands_work_while_a_write_transaction_is_open(tmp_path: Path) -> None:
    """WAL: a digest or a search does not wait for (or break) a crawl that is in the middle of storing a page."""
    config_path = tmp_path / "ometsuke.toml"
    config_path.write_text('[database]\npath = "busy.db"\n', encoding="utf-8")
    open_database(tmp_path / "busy.db").close()
    writer = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    try:
        writer.execute("begin immediate")
        writer.execute("insert into runs (source, started_at, status) values ('x', '2026-01-01', 'running')")
        for args in (["digest", "--since", "2026-01-01"], ["search", "契約"], ["diff"]):
            if args[0] not in main.list_commands(click.Context(main)):
                continue
            result = CliRunner().invoke(main, [*args, "--config", str(config_path)])
            assert result.exit_code == 0, (args, result.output, result.exception)
        reader = open_database(tmp_path / "busy.db")
        assert reader.execute("select count(*) from runs").fetchone()[0] == 0  # the uncommitted row is not seen
        reader.close()
        writer.execute("commit")
    finally:
        writer.close()


def test_next_crawl_marks_the_killed_run_interrupted_and_completes_the_work(crashed: dict[str, Any]) -> None:
    [second] = crashed["second"]
    stored_before = crashed["after_kill"]["versions"]
    assert (second["status"], second["errors"]) == ("done", 0)
    assert second["new"] == PAGES - stored_before
    database = open_database(crashed["config"].database_path)
    try:
        statuses = [row[0] for row in database.execute("select status from runs order by id")]
        assert statuses == ["interrupted", "done", "done"]
        assert database.execute("select count(*) from documents").fetchone()[0] == PAGES
        assert database.execute("select count(*) from versions").fetchone()[0] == PAGES
        duplicates = database.execute(
            "select document_id, content_hash from versions group by 1, 2 having count(*) > 1"
        ).fetchall()
        assert duplicates == []
        assert database.execute("select count(*) from changes where kind = 'new'").fetchone()[0] == PAGES
        assert database.execute("select count(distinct version_id) from amounts").fetchone()[0] == PAGES
        assert database.execute("pragma integrity_check").fetchall() == [("ok",)]
    finally:
        database.close()


def test_a_third_crawl_finds_nothing_new(crashed: dict[str, Any]) -> None:
    [third] = crashed["third"]
    assert (third["status"], third["new"], third["changed"], third["errors"]) == ("done", 0, 0, 0)
    database = open_database(crashed["config"].database_path)
    try:
        assert database.execute("select count(*) from versions").fetchone()[0] == PAGES
    finally:
        database.close()


# -- killed inside a page's write transaction ---------------------------------------------------------------------

# A trigger that makes every version insert take a second or two of real SQLite work, inside the page's transaction
# (documents row, version, tags, change row and counters are all pending): the kill lands in the middle of it.
BALLAST_ROWS = 3000
SLOW_TRIGGER = """create trigger slow_version after insert on versions begin
    select count(*) from _ballast a, _ballast b where a.x + b.x = -1; end"""
MID_WRITE_PAGES = 6


def write_lock_held(path: Path) -> bool:
    """Whether another connection holds the write lock (BEGIN IMMEDIATE would have to wait)."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("begin immediate")
        connection.execute("rollback")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


@pytest.fixture(scope="module")
def killed_mid_write(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("midwrite")
    paths = [f"/crash/p{n:02d}.html" for n in range(1, MID_WRITE_PAGES + 1)]
    with serve_faults(extra_pages={path: release_page(n) for n, path in enumerate(paths, start=1)}) as server:
        config_path = crash_config(base, server.url, database="midwrite.db")
        config = load_config(config_path)
        database = open_database(config.database_path)
        database["_ballast"].insert_all({"x": n} for n in range(BALLAST_ROWS))
        database.execute(SLOW_TRIGGER)
        database.close()
        log = (base / "child.log").open("wb")
        child = subprocess.Popen(
            [sys.executable, "-m", "ometsuke.crawl_process", str(config_path)], stdout=log, stderr=log
        )
        path = config.database_path
        wait_until(lambda: count(path, "select count(*) from versions") >= 1, child, "a first version was stored")

        def inside_a_page_write() -> bool:  # held twice, 0.2 s apart: the long page transaction, not a quick one
            return write_lock_held(path) and not time.sleep(0.2) and write_lock_held(path)

        wait_until(inside_a_page_write, child, "the crawl was inside a page's write transaction")
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        log.close()
        after_kill = snapshot(path)
        database = open_database(path)
        database.execute("drop trigger slow_version")
        database["_ballast"].drop()
        database.close()
        [rerun] = run_crawl(config, quiet=True)
        after_rerun = snapshot(path)
    return {"after_kill": after_kill, "rerun": rerun, "after_rerun": after_rerun, "returncode": child.returncode}


def test_killed_inside_a_write_the_page_is_all_or_nothing(killed_mid_write: dict[str, Any]) -> None:
    after = killed_mid_write["after_kill"]
    assert killed_mid_write["returncode"] == -signal.SIGKILL
    assert after["integrity"] == [("ok",)]
    assert after["orphans"] == 0
    [(_run_id, status, new, _errors)] = after["runs"]
    assert status == "running"
    assert 1 <= after["versions"] < MID_WRITE_PAGES
    assert new == after["versions"] == after["changes"]  # the page in flight left no trace at all


def test_after_a_kill_inside_a_write_the_next_crawl_completes(killed_mid_write: dict[str, Any]) -> None:
    rerun, after = killed_mid_write["rerun"], killed_mid_write["after_rerun"]
    assert (rerun["status"], rerun["errors"]) == ("done", 0)
    assert rerun["new"] == MID_WRITE_PAGES - killed_mid_write["after_kill"]["versions"]
    assert after["versions"] == after["changes"] == MID_WRITE_PAGES
    assert [row[1] for row in after["runs"]] == ["interrupted", "done"]
    assert after["integrity"] == [("ok",)] and after["orphans"] == 0


def test_a_crawl_reports_exactly_the_runs_it_opened(tmp_path: Path) -> None:
    """A run another process opens while this crawl is under way (a scheduler's, say) is not this crawl's.

    The crawl child writes the ids of the runs it opened (--runs-file); run_crawl reads those, where "every run
    after the newest one before the crawl" would also have counted the stranger's run.
    """
    import threading

    from db import Store

    pages = {"/race/p1.html": release_page(1)}
    with serve_faults(gated=set(pages), extra_pages=pages) as server:
        config_path = write_config(tmp_path, source("race", server.url + "/news/", follow="a.release[href^='/race/']",
                                                    max_list_pages=1), database="race.db")
        config = load_config(config_path)
        result: dict[str, Any] = {}
        crawler = threading.Thread(target=lambda: result.update(runs=run_crawl(config, quiet=True)))
        crawler.start()
        deadline = time.monotonic() + WAIT_LIMIT
        while not server.requested("/race/p1.html"):  # the crawl's run is open and its page is being fetched
            assert time.monotonic() < deadline and crawler.is_alive(), "the crawl never asked for the page"
            time.sleep(0.05)
        stranger = open_database(config.database_path)
        try:
            store = Store(stranger)
            store.ensure_source("someone-else", "newsroom", "government", {"name": "someone-else"})
            stranger_run = store.start_run("someone-else")
        finally:
            stranger.close()
        server.release.set()
        crawler.join(WAIT_LIMIT)
    assert [(run["source"], run["new"]) for run in result["runs"]] == [("race", 1)]
    assert stranger_run not in {run["id"] for run in result["runs"]}
