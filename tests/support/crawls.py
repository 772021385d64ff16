"""A whole crawl through the CLI (`ometsuke crawl --json`, the child process and all) and a look at its database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from db import open_database
from ometsuke.cli import main
from ometsuke.config import load_config


def crawl_json(config: Path) -> list[dict]:
    """Crawl every source of the config; the runs as `crawl --json` prints them (the crawl must exit 0)."""
    result = CliRunner().invoke(main, ["crawl", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def query(config: Path, sql: str) -> list[tuple]:
    """Rows of a query on the config's database, as tuples."""
    database = open_database(load_config(config).database_path)
    try:
        return [tuple(r) for r in database.execute(sql).fetchall()]
    finally:
        database.close()
