"""Running crawls from the CLI and the scheduler: one child process per crawl, then the runs it recorded."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from db import open_database
from db.search import index_pending
from ometsuke.config import Config

log = logging.getLogger(__name__)


class CrawlFailed(Exception):
    """The crawl could not run at all (as opposed to a crawl in which some pages failed)."""


def run_crawl(
    config: Config, source_names: Sequence[str] | None = None, *, quiet: bool = False
) -> list[dict[str, Any]]:
    """Crawl the configured sources (or the named ones) and return one summary dict per run.

    Progress lines from the crawl go to stderr as they happen unless quiet.
    """
    names = list(source_names or [])
    for name in names:
        config.source(name)  # raises ConfigError naming the known sources
    database = open_database(config.database_path)
    before = database.execute("select coalesce(max(id), 0) from runs").fetchone()[0]
    database.close()
    command = [sys.executable, "-m", "ometsuke.crawl_process", str(config.path), *names]
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE if quiet else None, text=True
    )
    database = open_database(config.database_path)
    try:
        summaries = run_summaries(database, after_run_id=before)
        index_new_versions(database)
    finally:
        database.close()
    from ometsuke.notify import notify_after_crawl  # the digest package is a heavier import than a crawl needs

    notify_after_crawl(config, summaries)  # alerts and failing sources to [[notify]]; never fails the crawl
    if result.returncode != 0:
        detail = (result.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise CrawlFailed(f"the crawl process exited with code {result.returncode}"
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


def run_summaries(database: sqlite_utils.Database, after_run_id: int = 0) -> list[dict[str, Any]]:
    """Runs newer than after_run_id with their counters and up to ten fetch errors each."""
    runs = [dict(row) for row in database["runs"].rows_where("id > ?", [after_run_id], order_by="id")]
    for run in runs:
        run["error_list"] = [
            dict(row) for row in database["fetch_errors"].rows_where(
                "run_id = ?", [run["id"]], select="url, reason, http_status", order_by="id", limit=10)
        ]
    return runs
