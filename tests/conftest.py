"""Shared fixtures: a fresh real SQLite database per test and a writer of raw config text (support/configs.py builds
configs from dicts)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils
from support.configs import write_toml

from db import open_database


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    """A migrated ometsuke database in a real file (WAL needs a file, not :memory:)."""
    database = open_database(tmp_path / "test.db")
    yield database
    database.close()


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write TOML text to tmp_path/ometsuke.toml and return its path."""

    def write(text: str, name: str = "ometsuke.toml") -> Path:
        return write_toml(tmp_path, text, name)

    return write
