"""Opening the database: WAL so readers work while a crawl writes, a busy timeout, schema migrated."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from db.errors import DatabaseError, DatabaseMissing
from db.migrations import migrate

BUSY_TIMEOUT_MS = 30_000


def open_database(path: str | Path, *, migrate_schema: bool = True, create: bool = True) -> sqlite_utils.Database:
    """Open the ometsuke database at path, creating it (and its folder) if needed unless create is False.

    Without create, a missing file raises DatabaseMissing and neither file nor folder is made: commands that only
    read must not leave an empty database behind a mistyped path.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise DatabaseMissing(path)
    try:
        if create and path.parent and not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                reason = error.strerror or error
                raise DatabaseError(f"cannot create the database folder {path.parent}: {reason}") from None
        target = str(path) if create else path.resolve().as_uri() + "?mode=rw"  # mode=rw: fail rather than create
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, uri=not create)
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


@contextmanager
def not_waiting(conn: sqlite3.Connection) -> Iterator[None]:
    """Within: a write that finds another connection holding the write lock fails at once (an OperationalError
    that is_busy) instead of waiting the busy timeout; for work a reader may skip and leave to the writer."""
    before = int(conn.execute("pragma busy_timeout").fetchone()[0])
    conn.execute("pragma busy_timeout = 0")
    try:
        yield
    finally:
        conn.execute(f"pragma busy_timeout = {before}")


def is_busy(error: sqlite3.Error) -> bool:
    """Whether an error is SQLite's "database is locked" (SQLITE_BUSY, extended codes included)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
