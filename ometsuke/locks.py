"""One lock file per job and database (crawl, scheduler): a second one is refused at once, naming the holder.

flock is released by the kernel when the holder dies, so a killed crawl never leaves a stale lock. The file is
opened "a+" (never "w"): a refused process must not wipe the holder's pid, which the next refusal names.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class LockHeld(Exception):
    """Another process holds the lock; the message names it (pid) and the lock file."""


def lock_path(database_path: Path, job: str) -> Path:
    """The lock beside the database: `ometsuke.db` → `ometsuke.db.crawl.lock`, `ometsuke.db.schedule.lock`."""
    return database_path.with_name(f"{database_path.name}.{job}.lock")


@contextlib.contextmanager
def hold(path: Path, what: str) -> Iterator[Path]:
    """Hold the lock at `path` while inside, or raise LockHeld: "<what> (pid N) …; lock: path".

    `what` says who holds it in the message, e.g. "another crawl is writing to ometsuke.db".
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:  # closing releases the flock
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockHeld(f"{what} (pid {holder}); stop it first or wait for it (lock: {path})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield path
