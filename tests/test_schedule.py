"""`ometsuke schedule`: one --once cycle with a real crawl and a real SMTP server, the lock, SIGTERM, failures."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.configs import DIGITAL_GARAGE, MIYASAKA, source, write_config
from support.smtp import smtp_server

from db import open_database
from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.crawl import CrawlFailed
from ometsuke.localsite import serve_directory
from ometsuke.locks import lock_path
from ometsuke.scheduler import ScheduleInterrupted, Scheduler, schedule_lock

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div id="main"><h1>{title}</h1><p class="date">2026年11月27日</p>{body}</div></body></html>"""


@pytest.fixture
def site(tmp_path: Path):
    root = tmp_path / "site"
    (root / "press").mkdir(parents=True)
    (root / "press" / "contract.html").write_text(PAGE.format(
        title="予約システムの契約について",
        body="<p>契約相手方は株式会社デジタルガレージです。契約金額は16,506,875円です。</p>"
             "<p>宮坂副知事が担当します。</p>"), encoding="utf-8")
    (root / "press" / "list.html").write_text(PAGE.format(
        title="報道発表", body='<a class="release" href="/press/contract.html">予約システムの契約について</a>'),
        encoding="utf-8")
    with serve_directory(root) as served:
        yield served


def schedule_config(
    tmp_path: Path, base: str, every: str = "6h", mail_port: int | None = None, delay: float = 0
) -> Path:
    mail = {"host": "127.0.0.1", "port": mail_port, "from": "ometsuke@example.org", "to": ["desk@example.org"],
            "starttls": False}  # fmt: skip
    return write_config(
        tmp_path, source("press", base + "/press/list.html", kind="government", follow="a.release"),
        watch=[MIYASAKA, DIGITAL_GARAGE], database="sched.db", crawl={"delay": delay},
        schedule={"crawl_every": every, "digest_at": "07:00"}, digest={"language": "en"},
        **({"mail": mail} if mail_port else {}),
    )


def test_once_crawls_prints_the_digest_and_mails_it(tmp_path: Path, site) -> None:
    with smtp_server() as (inbox, port):
        config = schedule_config(tmp_path, site.url, mail_port=port)
        result = CliRunner().invoke(main, ["schedule", "--once", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "## Alerts" in result.output and "¥16,506,875 near デジタルガレージ" in result.output
    assert "## New documents (1)" in result.output
    assert len(inbox.messages) == 1 and "1 new" in inbox.messages[0]["Subject"]
    db = open_database(load_config(config).database_path)
    try:  # the crawl's pages were indexed for search right after the crawl
        indexed = db.execute("select count(*) from search_index").fetchone()[0]
        assert indexed == db.execute("select count(*) from versions").fetchone()[0] == 1
    finally:
        db.close()


def test_a_second_scheduler_on_the_same_database_is_refused(tmp_path: Path, site) -> None:
    config = schedule_config(tmp_path, site.url)
    database = load_config(config).database_path
    with schedule_lock(database):
        result = CliRunner().invoke(main, ["schedule", "--once", "--config", str(config)])
    assert result.exit_code == 1
    assert f"another ometsuke schedule is using {database} (pid {os.getpid()})" in result.output
    assert "stop it first" in result.output
    assert lock_path(database, "schedule").read_text() == str(os.getpid())  # the refused one left the pid alone
    with schedule_lock(database):  # released when the holder is done
        pass


def test_sigterm_finishes_the_running_crawl_then_exits_and_frees_the_lock(tmp_path: Path, site) -> None:
    # A polite 3-second delay between requests keeps the crawl surely running when SIGTERM arrives.
    config = schedule_config(tmp_path, site.url, every="1h", delay=3)
    command = [str(Path(sys.executable).parent / "ometsuke"), "schedule", "--config", str(config)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while not any("crawl starting" in line for line in lines):
        assert time.monotonic() < deadline and process.poll() is None, "".join(lines)
        time.sleep(0.05)
    # While it runs, the lock is held by that other process.
    blocked = CliRunner().invoke(main, ["schedule", "--once", "--config", str(config)])
    assert blocked.exit_code == 1 and f"pid {process.pid}" in blocked.output
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    reader.join(timeout=5)
    log = "".join(lines)
    assert log.index("SIGTERM received") < log.index("crawl done") < log.index("scheduler stopped")
    assert "1 new" in log  # the crawl in progress was completed, not killed
    with schedule_lock(load_config(config).database_path):
        pass


def test_a_failed_crawl_is_logged_and_the_digest_still_runs(tmp_path: Path, site, caplog) -> None:
    config = load_config(schedule_config(tmp_path, site.url))
    calls: list[int] = []

    def failing_crawl(_config):
        calls.append(1)
        raise CrawlFailed("the crawl process exited with code 1")

    digests: list[str] = []
    scheduler = Scheduler(config, crawl=failing_crawl, on_digest=digests.append)
    with caplog.at_level(logging.ERROR, logger="ometsuke.scheduler"):
        assert scheduler.crawl_step() is False
        scheduler.run_once()
    assert len(calls) == 2
    assert "crawl failed, will retry in 6h: the crawl process exited with code 1" in caplog.text
    assert digests and digests[0].startswith("# ometsuke digest since ")


def test_once_stopped_before_the_crawl_began_makes_neither(tmp_path: Path, site) -> None:
    config = load_config(schedule_config(tmp_path, site.url))
    digests: list[str] = []
    scheduler = Scheduler(config, on_digest=digests.append)  # the real crawl, which must not start
    scheduler.stopped_by = "SIGTERM"
    scheduler.stop.set()
    with pytest.raises(ScheduleInterrupted, match="^SIGTERM received before the crawl began: no crawl, no digest"):
        scheduler.run_once()
    assert digests == [] and not config.database_path.exists()


def test_digest_is_due_once_a_day_at_digest_at_japan_time(tmp_path: Path, site) -> None:
    config = load_config(schedule_config(tmp_path, site.url))
    scheduler = Scheduler(config, crawl=lambda _config: [])
    utc = dt.UTC
    assert not scheduler.digest_due(dt.datetime(2026, 11, 26, 21, 59, tzinfo=utc))  # 06:59 JST
    assert scheduler.digest_due(dt.datetime(2026, 11, 26, 22, 0, tzinfo=utc))  # 07:00 JST
    scheduler.digest_step(dt.datetime(2026, 11, 26, 22, 0, tzinfo=utc))
    assert not scheduler.digest_due(dt.datetime(2026, 11, 27, 3, 0, tzinfo=utc))  # same JST day
    restarted = Scheduler(config, crawl=lambda _config: [])
    assert not restarted.digest_due(dt.datetime(2026, 11, 27, 3, 0, tzinfo=utc))  # remembered across restarts
    assert restarted.digest_due(dt.datetime(2026, 11, 27, 22, 0, tzinfo=utc))  # next morning
