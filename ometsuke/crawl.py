"""Running crawls from the CLI and the scheduler: one child process per crawl, then the runs it recorded."""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from db import open_database
from db.search import index_pending
from ometsuke import INTERRUPTED_EXIT
from ometsuke.config import Config

log = logging.getLogger(__name__)


class CrawlFailed(Exception):
    """The crawl could not run at all (as opposed to a crawl in which some pages failed)."""


class CrawlInterrupted(Exception):
    """Ctrl-C (or SIGTERM) stopped the crawl: what was stored is kept, its runs are marked "interrupted"."""

    def __init__(self, runs: list[dict[str, Any]], finished: bool = False) -> None:
        super().__init__(
            "interrupted: the crawl had already finished, everything was stored" if finished
            else "crawl interrupted: the pages stored so far are kept, the runs are marked interrupted"
        )
        self.runs = runs
        self.finished = finished


# `python -m ometsuke.crawl_process`, except that a Ctrl-C while the child still imports Scrapy (a second or so)
# ends it with INTERRUPTED_EXIT instead of a KeyboardInterrupt traceback; from main() on, the module handles it.
# The child starts with SIGINT ignored (see start_child), so that a Ctrl-C during the interpreter's own start-up
# cannot end it with "Fatal Python error"; its first line takes Ctrl-C back.
CHILD_BOOTSTRAP = f"""import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
try:
    from ometsuke.crawl_process import main
except KeyboardInterrupt:
    sys.exit({INTERRUPTED_EXIT})
sys.exit(main())
"""


@contextlib.contextmanager
def sigint_noted() -> Iterator[list[int]]:
    """While inside, SIGINT is noted instead of raising KeyboardInterrupt.

    A terminal's Ctrl-C signals the whole process group: the crawl child gets it too and stops gracefully, so this
    process must not die (nor kill the child, as subprocess.run does) but wait for it and report. A handler already
    installed by the caller (the scheduler's stop flag) is still called.
    """
    noted: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield noted
        return
    previous = signal.getsignal(signal.SIGINT)

    def note(signum: int, frame: Any) -> None:
        noted.append(signum)
        if callable(previous) and previous is not signal.default_int_handler:
            previous(signum, frame)

    signal.signal(signal.SIGINT, note)
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)


def start_child(command: list[str], quiet: bool) -> subprocess.Popen[str]:
    """Start the crawl child with SIGINT ignored (an ignored signal stays ignored across exec); CHILD_BOOTSTRAP
    restores it as soon as the interpreter runs Python code."""
    ignoring = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignoring else None
    try:
        return subprocess.Popen(
            command, stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE if quiet else None, text=True
        )
    finally:
        if ignoring:
            signal.signal(signal.SIGINT, previous)


def run_crawl(
    config: Config, source_names: Sequence[str] | None = None, *, quiet: bool = False, verbose: bool = False
) -> list[dict[str, Any]]:
    """Crawl the configured sources (or the named ones) and return one summary dict per run.

    Progress lines from the crawl go to stderr as they happen unless quiet; with verbose, every log record of the
    crawl too (tracebacks included), which otherwise go to the crawl log beside the database only. Raises
    CrawlInterrupted (holding the summaries) when Ctrl-C stopped the crawl.
    """
    names = list(source_names or [])
    for name in names:
        config.source(name)  # raises ConfigError naming the known sources
    with sigint_noted() as interrupts, tempfile.TemporaryDirectory(prefix="ometsuke-crawl-") as folder:
        if interrupts:  # Ctrl-C before the crawl began: do not begin it
            raise CrawlInterrupted([])
        runs_file = Path(folder) / "runs.json"
        flags = ["--quiet"] if quiet else ["--verbose"] if verbose else []
        # -P: the current folder is not on the child's import path (a ./db or ./nlp folder must not shadow ours).
        command = [sys.executable, "-P", "-c", CHILD_BOOTSTRAP, *flags, "--runs-file", str(runs_file),
                   str(config.path), *names]
        child = start_child(command, quiet)
        _out, errors = child.communicate()
        run_ids = read_run_ids(runs_file)
        database = open_database(config.database_path)
        try:
            summaries = run_summaries(database, run_ids)
            index_new_versions(database)
        finally:
            database.close()
    from ometsuke.notify import notify_after_crawl  # the digest package is a heavier import than a crawl needs

    notify_after_crawl(config, summaries)  # alerts and failing sources to [[notify]]; never fails the crawl
    # The child's word decides whether the crawl was cut short: a SIGINT that reached this process alone (not the
    # group), or the child while it could not take it yet, did not stop it. Either way the user asked to stop:
    # what comes after the crawl (a demo's next step, a digest) must not run.
    if child.returncode == INTERRUPTED_EXIT:
        raise CrawlInterrupted(summaries)
    if interrupts and child.returncode == 0:
        raise CrawlInterrupted(summaries, finished=True)
    if child.returncode != 0:
        detail = (errors or "").strip().splitlines()[-1:] if quiet else []
        raise CrawlFailed(f"the crawl process exited with code {child.returncode}"
                          + (f": {detail[0]}" if detail else ""))
    return summaries


def index_new_versions(database: sqlite_utils.Database) -> int:
    """Add the versions a crawl stored to the search index now, so the first search after it does not wait.

    An optimisation only (search indexes what is pending itself): a failure is logged, never a failed crawl.
    """
    try:
        added = index_pending(database)
    except Exception as error:  # noqa: BLE001
        log.warning("search indexing skipped: %s", error)
        return 0
    log.info("search index: %d new version(s)", added)
    return added


def read_run_ids(path: Path) -> list[int]:
    """The ids of the runs the crawl child opened (crawl_process.write_run_ids); none if it stopped before."""
    try:
        return [int(run_id) for run_id in json.loads(path.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return []


def run_summaries(database: sqlite_utils.Database, run_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The runs with these ids (every run if None), with their counters and up to ten fetch errors each."""
    if run_ids is None:
        rows = database["runs"].rows_where(order_by="id")
    else:
        marks = ", ".join("?" * len(run_ids))
        rows = database["runs"].rows_where(f"id in ({marks})", list(run_ids), order_by="id") if run_ids else []
    runs = [dict(row) for row in rows]
    for run in runs:
        run["error_list"] = [
            dict(row) for row in database["fetch_errors"].rows_where(
                "run_id = ?", [run["id"]], select="url, reason, http_status", order_by="id", limit=10)
        ]
    return runs
