"""A terminal a person can read: real crawls (`ometsuke crawl` and the crawl process as subprocesses) against real
servers on 127.0.0.1, with stderr read line by line.

- a dead source beside a good one: one line for the failure (its URL once), a pointer to the crawl log, no
  traceback; the details are in DATABASE.crawl.log, and on the terminal under --verbose;
- a slow crawl prints progress lines (pages fetched, queued, errors, pages/s); none under --json;
- Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops the crawl: exit 130, the summary
  printed, the runs marked interrupted at once, what was stored intact; the scheduler stops too, with no digest
  of the half crawl (exit 130), and `schedule --once` makes no digest after a stop request.

No timing assertions: the slow server's per-request delay sets a lower bound on how long a crawl takes, and the
tests wait on what the database holds, not on the clock (WAIT_LIMIT is a safety net for a broken crawl).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from support.configs import source, write_config
from support.faultserver import page, serve_faults
from support.net import free_port

from ometsuke.demo import demo_site_root
from ometsuke.localsite import LocalSite, serve_directory

OMETSUKE = str(Path(sys.executable).parent / "ometsuke")
WAIT_LIMIT = 120.0
PAGES = 40
PROGRESS_LINE = re.compile(
    r"^… \d+(?:h\d\dm|m\d\ds|s): \d+ pages fetched, \d+ queued, \d+ errors?, \d+\.\d pages/s; "
    r"\d+ of \d+ sources running$"
)


def write_site(root: Path, pages: int) -> Path:
    """A press list linking `pages` dated releases, each with a few sentences of text."""
    root.mkdir(parents=True)
    items = []
    for number in range(1, pages + 1):
        body = f"<p>第{number}号の発表です。契約金額は{number},000円です。担当は総務局です。</p>"
        (root / f"r{number:03d}.html").write_text(page(f"第{number}号の発表", body), encoding="utf-8")
        items.append(f'<li><span class="date">2026年1月{number % 28 + 1}日</span> '
                     f'<a class="release" href="/r{number:03d}.html">第{number}号の発表</a></li>')
    (root / "index.html").write_text(page("報道発表一覧", f"<ul>{''.join(items)}</ul>", date=""), encoding="utf-8")
    return root


def slow_site_config(tmp_path: Path, site: LocalSite, *, concurrency: int = 2, **sections: Mapping[str, Any]) -> Path:
    return write_config(
        tmp_path, source("slow", f"{site.url}/index.html", follow="a.release", max_list_pages=1),
        database="data/watch.db", crawl={"concurrency": concurrency, "retries": 0, "obey_robots": False}, **sections,
    )


@pytest.fixture
def slow_site(tmp_path: Path) -> Iterator[LocalSite]:
    root = write_site(tmp_path / "site", PAGES)
    with serve_directory(root, delay=0.25) as site:
        yield site


def count(database: Path, sql: str) -> int:
    if not database.exists():
        return 0
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # tables not created yet
    finally:
        connection.close()


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the process exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def read_lines(stream: object, into: list[str]) -> threading.Thread:
    reader = threading.Thread(target=lambda: into.extend(iter(stream.readline, "")), daemon=True)  # type: ignore[attr-defined]
    reader.start()
    return reader


def wait_for_exit(process: subprocess.Popen[str], readers: list[threading.Thread]) -> None:
    """Wait for the process (killing its group if it hangs), then for its output readers."""
    try:
        process.wait(timeout=WAIT_LIMIT)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    for reader in readers:
        reader.join(timeout=10)


# -- a dead source beside a good one -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good_site() -> Iterator[LocalSite]:
    with serve_directory(demo_site_root() / "snapshot1") as site:
        yield site


def dead_and_good_config(tmp_path: Path, site: LocalSite, dead_url: str) -> Path:
    return write_config(
        tmp_path,
        source("good", f"{site.url}/gov/press/index.html", follow="ul.press-list a.press-link"),
        source("dead", dead_url),
        database="data/watch.db",
        crawl={"retries": 1, "user_agent": "ometsuke/0.1 (press-release watchdog; +https://example.org/contact)"},
    )


def test_a_dead_source_prints_one_line_and_its_details_go_to_the_crawl_log(tmp_path: Path, good_site) -> None:
    dead_url = f"http://127.0.0.1:{free_port()}/press/"
    config = dead_and_good_config(tmp_path, good_site, dead_url)
    result = subprocess.run([OMETSUKE, "crawl", "--config", str(config)], capture_output=True, text=True,
                            timeout=WAIT_LIMIT)  # fmt: skip
    assert result.returncode in (0, 3), result.stderr  # 3 once source health marks the dead source failing
    # On a busy machine the crawl may outlast 10 seconds and add a progress line: not counted.
    lines = [line for line in result.stderr.splitlines() if not PROGRESS_LINE.match(line)]
    assert "Traceback" not in result.stderr
    # Three new pages of the good source, one line for the dead one, the log pointer, the user-agent warning.
    assert len(lines) <= 6, result.stderr
    failures = [line for line in lines if dead_url in line]
    assert len(failures) == 1 and failures[0].count(dead_url) == 1, failures
    assert "refused the connection" in failures[0]
    log_file = tmp_path / "data" / "watch.db.crawl.log"
    assert [line for line in lines if str(log_file) in line], result.stderr  # where the details are
    warnings = [line for line in lines if "example.org" in line]
    assert len(warnings) == 1 and "user_agent" in warnings[0], result.stderr
    details = log_file.read_text(encoding="utf-8")
    assert "Traceback" in details and "ConnectionRefused" in details and "Gave up retrying" in details
    assert "good" in result.stdout and "dead" in result.stdout  # the summary table is still on stdout
    listed = [line for line in result.stdout.splitlines() if dead_url in line]
    assert len(listed) == 1 and listed[0].count(dead_url) == 1, result.stdout

    verbose = subprocess.run([OMETSUKE, "crawl", "--verbose", "--config", str(config)], capture_output=True,
                             text=True, timeout=WAIT_LIMIT)  # fmt: skip
    assert verbose.returncode in (0, 3), verbose.stderr
    assert "Traceback" in verbose.stderr and "ConnectionRefused" in verbose.stderr
    assert str(log_file) not in verbose.stderr  # the details are on the terminal already


def test_a_failed_release_page_is_named_once_by_every_reader(tmp_path: Path) -> None:
    """Its URL is its fetch_errors row's own column, not repeated in the reason; the terminal line, the summary,
    `crawl --json`, the health reason and the digest each show it once."""
    root = write_site(tmp_path / "site", 3)
    (root / "r002.html").unlink()  # a release the list links to, but 404 (never seen before: an error, not gone)
    with serve_directory(root) as site:
        config = write_config(tmp_path, source("press", f"{site.url}/index.html", follow="a.release"),
                              database="data/watch.db", crawl={"retries": 0, "obey_robots": False})
        missing = f"{site.url}/r002.html"
        text = subprocess.run([OMETSUKE, "crawl", "--config", str(config)], capture_output=True, text=True,
                              timeout=WAIT_LIMIT)  # fmt: skip
        as_json = subprocess.run([OMETSUKE, "crawl", "--json", "--config", str(config)], capture_output=True,
                                 text=True, timeout=WAIT_LIMIT)  # fmt: skip
    assert text.returncode == 0 and as_json.returncode == 0, (text.stderr, as_json.stderr)
    (progress,) = [line for line in text.stderr.splitlines() if missing in line]
    assert progress.count(missing) == 1 and progress.endswith(f"{missing}  HTTP 404"), progress
    (listed,) = [line for line in text.stdout.splitlines() if line.startswith("  ! ")]
    assert listed == f"  ! press: {missing}: HTTP 404", text.stdout
    (run,) = json.loads(as_json.stdout)
    assert run["error_list"] == [{"url": missing, "reason": "HTTP 404", "http_status": 404}]
    assert run["health_reason"] == f"1 page(s) failed: HTTP 404 ({missing})"
    database = tmp_path / "data" / "watch.db"
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("select distinct url, reason from fetch_errors").fetchall() == [
            (missing, "HTTP 404")]
    finally:
        connection.close()
    digest = subprocess.run([OMETSUKE, "digest", "--since", "2020-01-01", "--config", str(config)],
                            capture_output=True, text=True, timeout=WAIT_LIMIT)  # fmt: skip
    assert digest.returncode == 0, digest.stderr
    (line,) = [line for line in digest.stdout.splitlines() if missing in line]
    assert line.startswith("- **press** — ") and line.count(missing) == 1, line


def test_the_crawl_log_is_rotated_not_grown_without_bound(tmp_path: Path, good_site) -> None:
    from ometsuke import crawl_process

    config = dead_and_good_config(tmp_path, good_site, f"http://127.0.0.1:{free_port()}/press/")
    log_file = tmp_path / "data" / "watch.db.crawl.log"
    log_file.parent.mkdir()
    log_file.write_text("x" * (crawl_process.LOG_MAX_BYTES + 10) + "\n", encoding="utf-8")
    result = subprocess.run([OMETSUKE, "crawl", "--config", str(config)], capture_output=True, text=True,
                            timeout=WAIT_LIMIT)  # fmt: skip
    assert result.returncode in (0, 3), result.stderr
    assert log_file.stat().st_size < crawl_process.LOG_MAX_BYTES
    assert (tmp_path / "data" / "watch.db.crawl.log.1").stat().st_size > crawl_process.LOG_MAX_BYTES


def test_a_db_folder_in_the_current_directory_does_not_shadow_ometsuke(tmp_path: Path, good_site) -> None:
    """`path = "db/watch.db"` run from the config's folder: the crawl child must not import ./db as our package."""
    config = tmp_path / "ometsuke.toml"
    config.write_text(dead_and_good_config(tmp_path, good_site, "http://127.0.0.1:9/").read_text(encoding="utf-8")
                      .replace("data/watch.db", "db/watch.db"), encoding="utf-8")  # fmt: skip
    (tmp_path / "db").mkdir()
    result = subprocess.run([OMETSUKE, "crawl", "--source", "good", "--config", "ometsuke.toml"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=WAIT_LIMIT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert count(tmp_path / "db" / "watch.db", "select count(*) from versions") == 3


# -- progress ------------------------------------------------------------------------------------------------------

def test_a_slow_crawl_prints_progress_lines_and_none_under_json(tmp_path: Path, slow_site: LocalSite) -> None:
    config = slow_site_config(tmp_path, slow_site, concurrency=1)
    # 41 requests, one at a time, each answered after 0.25 s: several seconds of crawling, a line every second.
    result = subprocess.run(
        [sys.executable, "-m", "ometsuke.crawl_process", "--progress-every", "1", str(config)],
        capture_output=True, text=True, timeout=WAIT_LIMIT,
    )
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("… ")]
    assert len(progress) >= 2, result.stderr
    assert all(PROGRESS_LINE.match(line) for line in progress), progress
    fetched = [int(re.search(r"(\d+) pages fetched", line).group(1)) for line in progress]  # type: ignore[union-attr]
    assert fetched == sorted(fetched) and fetched[-1] > fetched[0]
    assert all(line.endswith("1 of 1 sources running") for line in progress)
    assert "Traceback" not in result.stderr

    log = (tmp_path / "data" / "watch.db.crawl.log").read_text(encoding="utf-8")
    assert all(line in log for line in progress)  # the log file has the progress lines too

    # The same slow crawl into a fresh database under --quiet (what `crawl --json` runs): nothing on stderr.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    quiet = subprocess.run(
        [sys.executable, "-m", "ometsuke.crawl_process", "--quiet", "--progress-every", "1",
         str(slow_site_config(fresh, slow_site, concurrency=1))],
        capture_output=True, text=True, timeout=WAIT_LIMIT,
    )  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
    assert count(fresh / "data" / "watch.db", "select count(*) from versions") == PAGES
    assert "pages fetched" in (fresh / "data" / "watch.db.crawl.log").read_text(encoding="utf-8")


# -- Ctrl-C --------------------------------------------------------------------------------------------------------

def interrupt_when_stored(
    command: list[str], database: Path, stored: int, *, signum: int = signal.SIGINT, group: bool = True,
    then: Callable[[], None] = lambda: None,
) -> tuple[subprocess.Popen[str], str, str]:
    """Start command in its own process group, press "Ctrl-C" once `stored` versions are in, return its output.

    signum: another signal (SIGTERM, as systemd sends it); group=False: to the command alone, not its crawl child
    (kill PID); `then` runs once the signal is sent (e.g. a slow site turned fast, so a crawl left running ends)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # fmt: skip
    out: list[str] = []
    err: list[str] = []
    readers = [read_lines(process.stdout, out), read_lines(process.stderr, err)]
    wait_until(lambda: count(database, "select count(*) from versions") >= stored, process, f"{stored} versions")
    if group:
        os.killpg(process.pid, signum)  # what a terminal does: the CLI and the crawl child both get it
    else:
        os.kill(process.pid, signum)
    then()
    wait_for_exit(process, readers)
    return process, "".join(out), "".join(err)


def test_ctrl_c_stops_the_crawl_keeps_what_was_stored_and_exits_130(tmp_path: Path, slow_site: LocalSite) -> None:
    config = slow_site_config(tmp_path, slow_site)
    database = tmp_path / "data" / "watch.db"
    process, out, err = interrupt_when_stored([OMETSUKE, "crawl", "--config", str(config)], database, 3)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "interrupted" in err.splitlines()[-1]
    assert "stopping: finishing the pages being fetched" in err  # said at once, before the in-flight pages end
    assert out.splitlines()[0].startswith("source") and "slow" in out  # the summary of what was done
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("pragma integrity_check").fetchall() == [("ok",)]
        runs = connection.execute("select status, new, finished_at from runs").fetchall()
        versions = connection.execute("select count(*) from versions").fetchone()[0]
    finally:
        connection.close()
    assert [(status, finished is not None) for status, _new, finished in runs] == [("interrupted", True)]
    assert 3 <= versions < PAGES  # stopped early, nothing stored was lost
    assert runs[0][1] == versions  # the run's counter agrees with what is stored

    # The next crawl completes the work: the interrupted run is left as it was.
    slow_site.delay = 0
    done = subprocess.run([OMETSUKE, "crawl", "--config", str(config)], capture_output=True, text=True,
                          timeout=WAIT_LIMIT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert count(database, "select count(*) from versions") == PAGES
    assert count(database, "select count(*) from runs where status = 'interrupted'") == 1


def test_ctrl_c_to_the_cli_alone_lets_the_crawl_finish_and_exits_130(tmp_path: Path, slow_site: LocalSite) -> None:
    """A SIGINT that reaches only the CLI (kill -INT PID), or reaches the crawl child while it cannot take it yet,
    does not cut the crawl short; the user still asked to stop, so what follows the crawl must not run: exit 130,
    saying the crawl had finished."""
    slow_site.delay = 0.05
    config = slow_site_config(tmp_path, slow_site)
    database = tmp_path / "data" / "watch.db"
    process = subprocess.Popen([OMETSUKE, "crawl", "--config", str(config)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    wait_until(lambda: count(database, "select count(*) from versions") >= 1, process, "a stored version")
    os.kill(process.pid, signal.SIGINT)  # the CLI only: the crawl child goes on
    out, err = process.communicate(timeout=WAIT_LIMIT)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "already finished" in err.splitlines()[-1]
    assert count(database, "select count(*) from runs where status = 'done'") == 1
    assert count(database, "select count(*) from versions") == PAGES


def test_a_second_ctrl_c_stops_at_once_and_still_marks_the_run(tmp_path: Path) -> None:
    """Pages that never answer hold the graceful stop; the second Ctrl-C does not wait for them.

    The fault server answers the first SERVED release requests and holds the others (for up to a minute): a graceful
    stop would wait for the held ones and then store them, a forced one stores exactly SERVED pages.
    """
    served = 4
    paths = [f"/held/p{n:02d}.html" for n in range(1, 21)]
    pages = {path: page(f"第{n}号の発表", f"<p>第{n}号の発表です。担当は総務局です。</p>").encode("utf-8")
             for n, path in enumerate(paths, start=1)}  # fmt: skip
    with serve_faults(gated=set(paths), gate_after=served, extra_pages=pages) as server:
        config = tmp_path / "ometsuke.toml"
        config.write_text(f"""
[database]
path = "data/watch.db"
[crawl]
delay = 0
autothrottle = false
concurrency = 4
retries = 0
download_timeout = 300
[[source]]
name = "held"
spider = "newsroom"
urls = ["{server.url}/news/"]
follow = "a.release[href^='/held/']"
max_list_pages = 1
""", encoding="utf-8")
        database = tmp_path / "data" / "watch.db"
        process = subprocess.Popen([OMETSUKE, "crawl", "--config", str(config)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
        out: list[str] = []
        err: list[str] = []
        readers = [read_lines(process.stdout, out), read_lines(process.stderr, err)]
        held = lambda: sum(1 for r in server.requests if r.path in server.gated) > served  # noqa: E731
        wait_until(lambda: count(database, "select count(*) from versions") >= served and held(), process,
                   "the served pages were stored and a held one was requested")  # fmt: skip
        os.killpg(process.pid, signal.SIGINT)
        wait_until(lambda: any(line.startswith("stopping:") for line in err), process, "the first Ctrl-C was heard")
        os.killpg(process.pid, signal.SIGINT)
        wait_for_exit(process, readers)
    assert process.returncode == 130, "".join(err)
    assert "Traceback" not in "".join(err)
    assert "held" in "".join(out) and "interrupted" in "".join(out)
    assert count(database, "select count(*) from versions") == served  # the held pages were not waited for
    assert count(database, "select count(*) from runs where status = 'interrupted'") == 1
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("pragma integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()


def test_ctrl_c_at_once_is_quiet_too(tmp_path: Path, slow_site: LocalSite) -> None:
    """Ctrl-C while the crawl child is still starting (importing Scrapy): exit 130, no KeyboardInterrupt traceback."""
    config = slow_site_config(tmp_path, slow_site)
    process = subprocess.Popen([OMETSUKE, "crawl", "--config", str(config)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    # Past the interpreter's own start-up (a few milliseconds no program can guard): it has begun loading Scrapy's
    # dependencies, whose import takes about a second. That is where the Ctrl-C lands.
    wait_until(lambda: _child_loaded(process.pid, "lxml"), process, "the crawl child was importing Scrapy")
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=WAIT_LIMIT)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert count(tmp_path / "data" / "watch.db", "select count(*) from runs where status = 'running'") == 0


def _child_loaded(parent: int, library: str) -> bool:
    """Whether a child process of parent has mapped a shared library whose path contains library."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = (Path("/proc") / pid / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and library in (Path("/proc") / pid / "maps").read_text():
                return True
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return False


def test_ctrl_c_under_json_still_prints_the_runs(tmp_path: Path, slow_site: LocalSite) -> None:
    config = slow_site_config(tmp_path, slow_site)
    database = tmp_path / "data" / "watch.db"
    process, out, err = interrupt_when_stored([OMETSUKE, "crawl", "--json", "--config", str(config)], database, 2)
    assert process.returncode == 130, (out, err)
    runs = json.loads(out)
    assert [run["status"] for run in runs] == ["interrupted"] and runs[0]["new"] >= 2
    assert "Traceback" not in err


# digest_at 00:00: a digest is due as soon as the first crawl ends, so one made of a half crawl would show.
DIGEST_DUE = {"schedule": {"crawl_every": "1h", "digest_at": "00:00"}}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm-to-the-group"])
def test_an_interrupted_crawl_stops_the_scheduler_without_a_digest(
    tmp_path: Path, slow_site: LocalSite, signum: int
) -> None:
    """Ctrl-C at a terminal, or SIGTERM to the whole group (systemd's default KillMode): the crawl child stops
    early and marks its runs; the scheduler makes no digest of the half crawl and exits 130."""
    config = slow_site_config(tmp_path, slow_site, **DIGEST_DUE)
    database = tmp_path / "data" / "watch.db"
    digest = tmp_path / "digest.md"
    command = [OMETSUKE, "schedule", "--out", str(digest), "--config", str(config)]
    process, _out, err = interrupt_when_stored(command, database, 2, signum=signum)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    name = signal.Signals(signum).name
    assert err.index(f"{name} received") < err.index("crawl interrupted") < err.index("scheduler stopped")
    assert err.rstrip().splitlines()[-1] == (
        "schedule: the crawl was interrupted (the pages stored so far are kept, its runs are marked interrupted); "
        "the scheduler stopped without a digest")
    assert count(database, "select count(*) from runs where status = 'interrupted'") == 1
    assert count(database, "select count(*) from versions") < PAGES
    assert not digest.exists() and "digest made" not in err


def test_ctrl_c_in_schedule_once_makes_no_digest_and_exits_130(tmp_path: Path, slow_site: LocalSite) -> None:
    config = slow_site_config(tmp_path, slow_site)
    database = tmp_path / "data" / "watch.db"
    process, out, err = interrupt_when_stored([OMETSUKE, "schedule", "--once", "--config", str(config)], database, 2)
    assert process.returncode == 130, err
    assert out == ""  # --once prints its digest on stdout: none
    assert "Traceback" not in err and "digest made" not in err
    assert err.rstrip().splitlines()[-1] == (
        "schedule: no digest was made because the crawl was interrupted (the pages stored so far are kept, "
        "its runs are marked interrupted)")
    assert count(database, "select count(*) from runs where status = 'interrupted'") == 1


def test_sigterm_to_schedule_once_lets_the_crawl_finish_and_makes_no_digest(
    tmp_path: Path, slow_site: LocalSite
) -> None:
    """SIGTERM to the scheduler alone (systemd's KillMode=mixed): the crawl finishes and is stored whole, but the
    stop was asked for, so --once makes no digest and exits 130 saying so."""
    config = slow_site_config(tmp_path, slow_site)
    database = tmp_path / "data" / "watch.db"

    def speed_up() -> None:
        slow_site.delay = 0  # the crawl, still running, ends quickly now

    process, out, err = interrupt_when_stored([OMETSUKE, "schedule", "--once", "--config", str(config)], database, 1,
                                              signum=signal.SIGTERM, group=False, then=speed_up)  # fmt: skip
    assert process.returncode == 130, err
    assert out == "" and "Traceback" not in err and "digest made" not in err
    assert err.index("SIGTERM received") < err.index("crawl done")
    assert err.rstrip().splitlines()[-1] == (
        "schedule: SIGTERM received during the crawl, which finished (everything was stored); no digest was made")
    assert count(database, "select count(*) from runs where status = 'done'") == 1
    assert count(database, "select count(*) from versions") == PAGES


def test_ctrl_c_in_the_demo_exits_130_without_a_traceback(tmp_path: Path) -> None:
    process = subprocess.Popen([OMETSUKE, "demo", "--dir", str(tmp_path / "demo")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    wait_until(lambda: _child_loaded(process.pid, "lxml"), process, "the demo's first crawl was starting")
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=WAIT_LIMIT)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "demo interrupted" in err
    assert out == ""  # no digest of a crawl that did not happen


def test_ctrl_c_in_any_other_command_exits_130_with_one_line() -> None:
    """`ometsuke tag` waiting for its text on stdin, as a user who typed it without a file would see it."""
    process = subprocess.Popen([OMETSUKE, "tag"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    wchan = Path("/proc") / str(process.pid) / "wchan"
    wait_until(lambda: "pipe_read" in wchan.read_text(), process, "tag was reading stdin")
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=WAIT_LIMIT)
    assert process.returncode == 130, (out, err)
    assert err.strip() == "interrupted" and out == ""
