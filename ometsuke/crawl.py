"""Running crawls from the CLI and the scheduler: one child process per crawl, then the runs it recorded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from db import open_database
from db.search import index_pending
from ometsuke.config import Config


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
    summaries = run_summaries(config, after_run_id=before)
    index_new_versions(config)
    if result.returncode != 0:
        detail = (result.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise CrawlFailed(f"the crawl process exited with code {result.returncode}"
                          + (f": {detail[0]}" if detail else ""))
    return summaries


def index_new_versions(config: Config) -> int:
    """Add the versions this crawl stored to the search index, so `ometsuke search` finds them at once."""
    database = open_database(config.database_path)
    try:
        return index_pending(database)
    finally:
        database.close()


def run_summaries(config: Config, after_run_id: int = 0) -> list[dict[str, Any]]:
    """Runs newer than after_run_id with their counters and up to ten fetch errors each."""
    database = open_database(config.database_path)
    try:
        runs = [dict(row) for row in database["runs"].rows_where("id > ?", [after_run_id], order_by="id")]
        for run in runs:
            run["error_list"] = [
                dict(row) for row in database["fetch_errors"].rows_where(
                    "run_id = ?", [run["id"]], select="url, reason, http_status", order_by="id", limit=10)
            ]
    finally:
        database.close()
    return runs
