"""Opening the database: WAL so readers work while a crawl writes, a busy timeout, schema migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from db.errors import DatabaseError
from db.migrations import migrate

BUSY_TIMEOUT_MS = 30_000


def open_database(path: str | Path, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the ometsuke database at path."""
    path = Path(path)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        db = sqlite_utils.Database(conn)
        db.enable_wal()
        conn.execute("pragma foreign_keys = on")
        conn.execute("pragma synchronous = normal")
        if migrate_schema:
            migrate(db)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"cannot open database {path}: {error}") from error
    except OSError as error:
        raise DatabaseError(f"cannot open database {path}: {error.strerror or error}") from error
    return db
