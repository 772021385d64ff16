"""The registry as the rest of ometsuke uses it: import with nlp's name key, ranked look-ups, and the names a
watched corporate number adds to the watch list.

db/registry.py stores and looks up keys; the key itself (width, variant kanji, legal form) comes from
nlp/company_names.py, which db may not import, so the two meet here.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils

from db.connection import is_busy, not_waiting
from db.registry import (
    BadRow,
    ImportTotals,
    Match,
    Progress,
    RegistryLookup,
    find_matches,
    import_registry,
    names_of,
    record_key_version,
    rekey,
    stored_key_version,
)
from nlp.company_names import NAME_KEY_VERSION, bare_name, company_key, name_key
from nlp.watchlist import WatchEntry

log = logging.getLogger(__name__)

EXACT, FORMER, PREFIX_BASE, PREFIX_SPAN = 1.0, 0.9, 0.5, 0.3
OTHER_FORM_PENALTY = 0.1
CLOSED_PENALTY = 0.01


PROGRESS_EVERY = 1.0  # seconds between progress lines of an import or a re-keying


def progress_gate(every: float = PROGRESS_EVERY) -> Callable[[bool], bool]:
    """Whether a progress line is due: at most once every `every` seconds, and always for the last one (`final`),
    so a long import or re-keying shows it is alive without flooding the terminal."""
    last = [0.0]

    def due(final: bool = False) -> bool:
        now = time.monotonic()
        if final or now - last[0] >= every:
            last[0] = now
            return True
        return False

    return due


def rows_per_second(rows: int, elapsed: float) -> float:
    return rows / elapsed if elapsed > 0 else 0.0


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def current_keys(
    db: sqlite_utils.Database, say: Callable[[str], None] = _stderr, *, wait: bool = False,
    warn: Callable[[str], None] | None = None,
) -> int:
    """Make the registry's stored name keys those of this version's name_key, before anything looks one up.

    The choke point every reader of the keys passes through: `registry import` and `find`, the commands that open
    an existing database (`vendor`, `digest`, `connections` …), the crawl before it resolves organisations, and
    `tag`. Keys written by another NAME_KEY_VERSION (or by an ometsuke that recorded none) would silently stop
    matching; they are made again, streamed in batches, with progress lines through `say` (stderr). A registry
    already current costs one query. Returns how many keys changed.

    A reader (wait False) never waits for the write lock: when another process holds it (a crawl), the re-keying
    stops at once, the keys stay as they are (read-only from here), and one line through `warn` (default `say`)
    says that look-ups may miss until the next crawl or import re-keys. The writers (import, crawl) pass wait=True.
    """
    if "corporations" not in db.table_names():
        return 0
    old = stored_key_version(db)
    if old == NAME_KEY_VERSION or db.execute("select 1 from corporations limit 1").fetchone() is None:
        return 0  # current, or nothing stored: a reader writes nothing (a crawl may hold the write lock)
    was = "unrecorded" if old is None else old
    label = f"registry names re-keyed for name key version {NAME_KEY_VERSION} (stored: {was})"
    due = progress_gate()

    def show(done: int, total: int, elapsed: float) -> None:
        if due(done == total):
            say(f"{label}: {done:,} of {total:,} rows ({rows_per_second(done, elapsed):,.0f} rows/s)")

    if wait:
        changed = rekey(db, name_key, NAME_KEY_VERSION, progress=show)
    else:
        try:
            with not_waiting(db.conn):
                changed = rekey(db, name_key, NAME_KEY_VERSION, progress=show)
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            (warn or say)(
                f"registry name keys are from name key version {was}, not {NAME_KEY_VERSION}, and another process "
                "is writing the database: going on without re-keying them; organisation look-ups may miss until "
                "they are re-made (the next crawl or registry import re-keys first)")
            return 0
    say(f"{label}: {changed:,} keys changed")
    return changed


def import_files(
    db: sqlite_utils.Database, paths: Iterable[Path], *, progress: Progress | None = None,
    on_bad: Callable[[BadRow], None] | None = None,
) -> ImportTotals:
    """`ometsuke registry import`: the NTA files into `corporations`, keyed with nlp's company_key (the stored
    keys made current first, so one registry never mixes two key versions)."""
    current_keys(db, wait=True)
    if stored_key_version(db) != NAME_KEY_VERSION:  # an empty registry: what comes in is keyed by this version
        record_key_version(db, NAME_KEY_VERSION)
    return import_registry(db, paths, name_key, progress=progress, on_bad=on_bad)


@dataclass(frozen=True)
class Candidate:
    """A registry record that may be the organisation asked for, with how well its name fits (0..1)."""

    corporate_number: str
    name: str
    prefecture: str | None
    city: str | None
    score: float
    former: bool
    matched_name: str
    closed: str | None
    successor: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "corporate_number": self.corporate_number, "name": self.name, "prefecture": self.prefecture,
            "city": self.city, "score": self.score, "former": self.former, "matched_name": self.matched_name,
            "closed": self.closed, "successor": self.successor,
        }


def prefecture_forms(prefecture: str) -> set[str]:
    """How a prefecture may be asked for: 東京都 or 東京, 京都府 or 京都, 北海道."""
    p = prefecture.strip()
    return {p} | {p + suffix for suffix in "都府県"}


def _score(match: Match, query_key: str, query_form: str) -> float:
    if match.prefix:
        score = PREFIX_BASE + PREFIX_SPAN * len(query_key) / max(len(match.key), 1)
    else:
        score = FORMER if match.former else EXACT
    if query_form and company_key(match.matched_name)[1] != query_form:
        score -= OTHER_FORM_PENALTY
    if match.closed:
        score -= CLOSED_PENALTY
    return round(score, 3)


def find(db: sqlite_utils.Database, name: str, *, prefecture: str | None = None, limit: int = 20) -> list[Candidate]:
    """Candidates for a name, best first: every exact homonym, then names that start with it."""
    key, form = company_key(name)
    wanted = prefecture_forms(prefecture) if prefecture else None
    matches = [m for m in find_matches(db, key, prefix_limit=limit) if wanted is None or m.prefecture in wanted]
    candidates = [
        Candidate(m.corporate_number, m.name, m.prefecture, m.city, _score(m, key, form), m.former, m.matched_name,
                  m.closed, m.successor)
        for m in matches
    ]
    candidates.sort(key=lambda c: (-c.score, c.prefecture or "", c.city or "", c.corporate_number))
    exact = sum(1 for m in matches if not m.prefix)  # every homonym is listed, whatever the limit
    return candidates[: max(limit, exact)]


def with_registry_names(entries: Sequence[WatchEntry], database_path: Path) -> list[WatchEntry]:
    """Entries whose corporate_number the registry knows gain every name it has for that number as aliases
    (as registered, and without the legal form, which is how the tagger reads a company name).

    Read-only and optional: no database, or one without the registry, leaves the entries as they are.
    """
    numbers = [e.corporate_number for e in entries if e.corporate_number]
    if not numbers or not Path(database_path).exists():
        return list(entries)
    try:
        conn = sqlite3.connect(f"file:{Path(database_path).resolve()}?mode=ro", uri=True)
        try:
            names = names_of(sqlite_utils.Database(conn), numbers)
        finally:
            conn.close()
    except sqlite3.Error as error:
        log.warning("%s: registry names not read (%s); watched corporate numbers match by name only",
                    database_path, error)
        return list(entries)
    result = []
    for entry in entries:
        found = names.get(entry.corporate_number or "", [])
        if not found:
            result.append(entry)
            continue
        aliases = list(entry.aliases)
        for registered in found:
            for form in (registered, bare_name(registered)):
                if form and form != entry.name and form not in aliases:
                    aliases.append(form)
        result.append(replace(entry, aliases=tuple(aliases)))
    return result


def registry_lookup(database_path: Path | None) -> RegistryLookup | None:
    """The look-up that resolves organisations to corporate numbers (nlp/resolution.py), or None when there is no
    database yet (it never creates one; the look-up itself reads only, after the stored keys are made current)."""
    if database_path is None or not Path(database_path).exists():
        return None
    from db import DatabaseError, open_database

    try:
        db = open_database(database_path, create=False)
    except DatabaseError as error:
        log.warning("%s: registry not read (%s); organisations stay unresolved", database_path, error)
        return None
    try:
        current_keys(db)
    finally:
        db.close()
    return RegistryLookup(database_path, name_key)
