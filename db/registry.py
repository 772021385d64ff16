"""The NTA 法人番号 registry in SQLite: streaming import of the bulk files (全件 and 差分) and name look-ups.

Each number's latest record is one row of `corporations`; a rename moves the old name into `corporation_names`
(a trigger of migration 6), so a release that used an old name still resolves. Rows are applied in order of
更新年月日 then 一連番号 within each batch, and a row never overwrites a newer stored record, so files may be
imported in any order and twice: the second time nothing changes.

The matching key of a name (`name_key`) is computed by the caller (nlp/company_names.py), because db does not
import nlp; it is stored beside the name and indexed.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import sqlite_utils

from db.clock import utc_now
from db.opendata import read_chunks
from textutil.corporate_number import all_corporate_numbers, check_digit

COLUMNS = 30
NAME_INDEX = "corporations_name_key"
_CREATE_NAME_INDEX = f"create index if not exists {NAME_INDEX} on corporations (name_key)"
BATCH_ROWS = 5_000
IMPORT_CACHE_KIB = 64 * 1024
# 処理区分 (column 3) as documented; other codes exist and are applied as ordinary updates of the record.
PROCESS_CODES = {
    "01": "新規", "11": "商号又は名称の変更", "12": "国内所在地の変更", "13": "国外所在地の変更",
    "21": "登記記録の閉鎖等", "22": "登記記録の閉鎖等の抹消", "71": "吸収合併", "72": "吸収合併無効",
    "81": "商号の登記の抹消", "99": "削除",
}
DELETED = "99"

# Column positions (0-based) of the published 30-column CSV.
NUMBER, PROCESS, UPDATED, CHANGED, NAME, KIND = 1, 2, 4, 5, 6, 8
PREFECTURE, CITY, STREET, FOREIGN_ADDRESS = 9, 10, 11, 16
CLOSED, CLOSED_REASON, SUCCESSOR, LATEST, KANA = 18, 19, 20, 23, 28

_RECORD_COLUMNS = (
    "corporate_number", "name", "name_key", "kana", "prefecture", "city", "address", "kind", "closed",
    "closed_reason", "successor", "updated", "changed", "process", "deleted",
)
_COMPARED = _RECORD_COLUMNS[1:]
# A row is bound as it was read (its 30 fields, then its key appended as the 31st): the statements pick the fields
# by position (?N is field N - 1), empty strings become NULL and the address and deletion date are derived in SQL,
# so Python touches no field one by one and builds no tuple per row (millions of rows).
KEY = COLUMNS


def _at(column: int) -> str:
    return f"?{column + 1}"


def _or_null(column: int) -> str:
    return f"nullif({_at(column)}, '')"


_VALUES = ", ".join((
    _at(NUMBER), _at(NAME), _at(KEY), _or_null(KANA), _or_null(PREFECTURE), _or_null(CITY),
    f"coalesce({_or_null(STREET)}, {_or_null(FOREIGN_ADDRESS)})", _or_null(KIND), _or_null(CLOSED),
    _or_null(CLOSED_REASON), _or_null(SUCCESSOR), _at(UPDATED), _or_null(CHANGED), _at(PROCESS),
    f"iif({_at(PROCESS)} = '{DELETED}', {_at(UPDATED)}, null)",
))
_INSERT = f"insert into corporations ({', '.join(_RECORD_COLUMNS)}) values ({_VALUES})"
_UPSERT = (
    f"insert into corporations ({', '.join(_RECORD_COLUMNS)}) values ({_VALUES}) "
    "on conflict (corporate_number) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in _COMPARED)
    + " where excluded.updated >= corporations.updated and "
    f"({', '.join('excluded.' + c for c in _COMPARED)}) is not ({', '.join('corporations.' + c for c in _COMPARED)})"
)
# A row older than the stored record, or a history row (最新履歴 0), only adds its name as a former name.
_FORMER = (
    "insert or ignore into corporation_names (corporate_number, name, name_key, first_seen, until) "
    "select ?1, ?2, ?3, ?4, null where exists (select 1 from corporations "
    "where corporate_number = ?1 and name <> ?2 and (updated > ?5 or ?6 = '0'))"
)


@dataclass
class ImportTotals:
    """What an import did: rows read, applied, skipped as bad, records written, and rows per 処理区分."""

    files: int = 0
    rows: int = 0
    imported: int = 0
    bad: int = 0
    written: int = 0
    processes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "rows": self.rows, "imported": self.imported, "bad": self.bad,
            "written": self.written, "processes": dict(sorted(self.processes.items())),
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class BadRow:
    where: str
    line: int
    problem: str


Progress = Callable[[int, float], None]


def _row_problem(fields: list[str]) -> str | None:
    if len(fields) != COLUMNS:
        return f"{len(fields)} columns, expected {COLUMNS}"
    number = fields[NUMBER]
    if len(number) != 13 or not number.isascii() or not number.isdigit():
        return f"corporate number {number!r} is not 13 digits"
    if int(number[0]) != check_digit(number[1:]):
        return f"corporate number {number} fails its check digit"
    if not fields[NAME]:
        return "empty name (column 7)"
    return None


# Rows are sorted by 更新年月日 only: the sort is stable, so rows of one day keep their file order, which is the
# order of 一連番号 (a 差分 file numbers its rows in the order they happened). itemgetter keeps the sort in C.
_ORDER = itemgetter(UPDATED)
_PROCESS_OF = itemgetter(PROCESS)
_NAME_OF = itemgetter(NAME)
_LATEST_OF = itemgetter(LATEST)


def import_registry(
    db: sqlite_utils.Database,
    paths: Iterable[Path],
    name_key: Callable[[str], str],
    *,
    progress: Progress | None = None,
    on_bad: Callable[[BadRow], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportTotals:
    """Import NTA bulk files (ZIP or CSV, 全件 or 差分) into `corporations`; bad rows are reported and skipped.

    One transaction per batch of `batch_rows` rows (an interrupted import keeps whole batches, and a re-run
    completes it). Raises OpenDataError for a file that cannot be read at all.
    """
    totals = ImportTotals()
    started = time.monotonic()
    conn = db.conn
    # Into an empty table (the first 全件 file), the name index is built once at the end: sorting 5.8 million
    # keys is several times faster than inserting each into a B-tree, and it is what keeps the import near a
    # bare executemany. The index is recreated whatever happens (and by the next import if this one is killed).
    bulk = conn.execute("select 1 from corporations limit 1").fetchone() is None
    if bulk:
        conn.execute(f"drop index if exists {NAME_INDEX}")
    else:
        conn.execute(_CREATE_NAME_INDEX)
    # Upserts into a large registry (a 差分 file) find their pages cached in a larger page cache, for the import only
    # and bounded, so memory stays flat. Not for the bulk load: appends touch few pages, and the index build sorts
    # faster in the default 2 MB runs than in one large in-memory sort (1M keys: 0.7 s against 1.15 s of CPU; 5.8M
    # generated keys: 4.3-7.1 s against 7.3-9.8 s).
    cache_size = conn.execute("pragma cache_size").fetchone()[0]
    if not bulk:
        conn.execute(f"pragma cache_size = {-IMPORT_CACHE_KIB}")
    # The import makes no reference cycles, but each batch's thousands of row lists live long enough to be promoted
    # and walked again and again by the cyclic collector (with every object of the loaded program): at 1M rows,
    # 17.7 s of CPU with it against 13.8 s without. Reference counting frees the rows as before; the collector is
    # back on at the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _import_paths(db, paths, name_key, totals, started, progress, on_bad, batch_rows, bulk)
    finally:
        if collecting:
            gc.enable()
        if bulk:
            conn.execute(_CREATE_NAME_INDEX)
        conn.execute(f"pragma cache_size = {int(cache_size)}")
    totals.seconds = time.monotonic() - started
    return totals


def _import_paths(
    db: sqlite_utils.Database, paths: Iterable[Path], name_key: Callable[[str], str], totals: ImportTotals,
    started: float, progress: Progress | None, on_bad: Callable[[BadRow], None] | None, batch_rows: int,
    bulk: bool,
) -> None:
    conn = db.conn
    for path in paths:
        totals.files += 1
        newest = conn.execute("select max(updated) from corporations").fetchone()[0] or ""
        for where, chunk, problems in read_chunks(Path(path), batch_rows):
            batch = list(map(_FIELDS_OF, chunk))
            if problems or not _all_good(batch):
                batch = _good_rows(where, chunk, problems, totals, on_bad)
            totals.rows += len(chunk)
            if batch:
                _apply(db, batch, name_key, newest, totals, bulk)
            if progress is not None:
                progress(totals.rows, time.monotonic() - started)


_FIELDS_OF = itemgetter(0)
_NUMBER_OF = itemgetter(NUMBER)


def _all_good(batch: list[list[str]]) -> bool:
    """Whether every row of a batch has 30 columns, a name and a valid corporate number: the common case, checked
    for the whole batch by C iterators (map, set, all) and big-integer arithmetic, with no Python code per row."""
    return (set(map(len, batch)) == {COLUMNS} and all(map(_NAME_OF, batch))
            and all_corporate_numbers(list(map(_NUMBER_OF, batch))))


def _good_rows(
    where: str, chunk: list[tuple[list[str], int]], problems: dict[int, str], totals: ImportTotals,
    on_bad: Callable[[BadRow], None] | None,
) -> list[list[str]]:
    """The usable rows of a chunk that holds a bad one; each bad row is counted and reported with its line."""
    good = []
    for index, (fields, line) in enumerate(chunk):
        problem = problems.get(index) or _row_problem(fields)
        if problem is None:
            good.append(fields)
            continue
        totals.bad += 1
        if on_bad is not None:
            on_bad(BadRow(where, line, problem))
    return good


def _apply(
    db: sqlite_utils.Database, batch: list[list[str]], name_key: Callable[[str], str], newest: str,
    totals: ImportTotals, bulk: bool,
) -> None:
    """Write one batch in one transaction, oldest row first (each row gains its key as a 31st field)."""
    batch.sort(key=_ORDER)
    # map keeps the per-row work in C where it can: this runs for every row of the nationwide file.
    keys = list(map(name_key, map(_NAME_OF, batch)))
    any(map(list.append, batch, keys))  # list.append returns None: any() runs it for every row, in C
    records = batch
    older = []
    history = "0" in set(map(_LATEST_OF, batch))
    if history or (newest and batch[0][UPDATED] < newest):
        records = []
        for fields in batch:
            latest = fields[LATEST]
            if fields[UPDATED] < newest or latest == "0":
                older.append((fields[NUMBER], fields[NAME], fields[KEY], fields[CHANGED] or fields[UPDATED],
                              fields[UPDATED], latest))
            if latest != "0":
                records.append(fields)
    totals.processes.update(map(_PROCESS_OF, batch))  # Counter.update counts an iterable in C
    conn = db.conn
    before = conn.total_changes
    with db.atomic():
        if older:
            conn.executemany(_FORMER, older)
        if bulk and not older:
            # Into a table that was empty, a plain insert first (a 全件 file has one row per number; the upsert's
            # conflict handling costs a tenth of the import). A number seen twice rolls the batch back to the
            # savepoint and it is upserted instead, with the same result.
            try:
                with db.atomic():
                    conn.executemany(_INSERT, records)
            except sqlite3.IntegrityError:
                conn.executemany(_UPSERT, records)
        else:
            conn.executemany(_UPSERT, records)
    totals.written += conn.total_changes - before
    totals.imported += len(batch)


# -- keys of an older key function --------------------------------------------------------------------------------

REKEY_BATCH_ROWS = 50_000
# (table, its key columns): both tables are WITHOUT ROWID, so they are walked in key order, one batch after another.
_KEYED_TABLES = (("corporations", ("corporate_number",)), ("corporation_names", ("corporate_number", "name")))


def stored_key_version(db: sqlite_utils.Database) -> int | None:
    """The version of the key function that wrote the stored keys (None: never recorded)."""
    if "name_key_version" not in db.table_names():
        return None
    row = db.execute("select version from name_key_version").fetchone()
    return None if row is None else int(row[0])


def record_key_version(db: sqlite_utils.Database, version: int) -> None:
    """Stamp the stored keys as made by key function `version` (after an import into an empty registry, or a
    re-keying)."""
    with db.atomic():
        db.execute("delete from name_key_version")
        db.execute("insert into name_key_version (version, keyed_at) values (?, ?)", [version, utc_now()])


def rekey(
    db: sqlite_utils.Database, name_key: Callable[[str], str], version: int, *,
    progress: Callable[[int, int, float], None] | None = None, batch_rows: int = REKEY_BATCH_ROWS,
) -> int:
    """Make the stored name keys those of `name_key` (version `version`): a no-op when the stamp says so already;
    otherwise every stored name is keyed again, streamed in batches of `batch_rows` (one transaction each, memory
    flat whatever the registry's size), and the stamp written last, so an interrupted re-keying is redone whole
    next time. Returns the number of keys that changed. `progress(done, total, seconds)` after each batch."""
    stored = stored_key_version(db)
    if stored == version:
        return 0
    conn = db.conn
    total = sum(conn.execute(f"select count(*) from {table}").fetchone()[0] for table, _ in _KEYED_TABLES)
    # Every changed key moves in the name-key index, at a random place: the import's larger page cache keeps more
    # of the index at hand (1M keys all changed: 17.5 s of CPU against 23.8 s with the default 2 MB).
    cache_size = conn.execute("pragma cache_size").fetchone()[0]
    conn.execute(f"pragma cache_size = {-IMPORT_CACHE_KIB}")
    try:
        changed = _rekey_tables(db, name_key, total, progress, batch_rows)
    finally:
        conn.execute(f"pragma cache_size = {int(cache_size)}")
    record_key_version(db, version)
    return changed


def _rekey_tables(
    db: sqlite_utils.Database, name_key: Callable[[str], str], total: int,
    progress: Callable[[int, int, float], None] | None, batch_rows: int,
) -> int:
    conn = db.conn
    started, done, changed = time.monotonic(), 0, 0
    for table, keys in _KEYED_TABLES:
        columns = ", ".join(keys)
        after: tuple[str, ...] | None = None
        while True:
            where = f"where ({columns}) > ({', '.join('?' * len(keys))}) " if after else ""
            rows = conn.execute(f"select {columns}, name, name_key from {table} {where}order by {columns} limit ?",
                                [*(after or ()), batch_rows]).fetchall()
            if not rows:
                break
            updates = [(new, *row[: len(keys)]) for row in rows if (new := name_key(row[-2])) != row[-1]]
            if updates:
                with db.atomic():
                    conn.executemany(f"update {table} set name_key = ? where "
                                     + " and ".join(f"{k} = ?" for k in keys), updates)
            changed += len(updates)
            done += len(rows)
            after = tuple(rows[-1][: len(keys)])
            if progress is not None:
                progress(done, total, time.monotonic() - started)
    return changed


# -- look-ups ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    """A registry record whose current or former name has the asked key (or starts with it, when `prefix`)."""

    corporate_number: str
    name: str
    matched_name: str
    former: bool
    prefix: bool
    key: str
    prefecture: str | None
    city: str | None
    kind: str | None
    closed: str | None
    successor: str | None


_SELECT = (
    "select c.corporate_number, c.name, {matched}, {former}, c.name_key, c.prefecture, c.city, c.kind, c.closed, "
    "c.successor, {key} from {source} where {where} and c.deleted is null"
)


def find_matches(db: sqlite_utils.Database, key: str, *, prefix_limit: int = 20) -> list[Match]:
    """Records whose name or former name has this key exactly, then those whose key starts with it.

    Exact matches are all returned (homonyms are never cut); prefix matches only to fill up to prefix_limit
    candidates in all. A number is listed once: its best match (exact before prefix, current name before former).
    """
    if not key:
        return []
    end = key + "\U0010ffff"
    queries: list[tuple[str, tuple[object, ...], bool]] = [
        (_SELECT.format(matched="c.name", former="0", key="c.name_key", source="corporations c",
                        where="c.name_key = ?"), (key,), False),
        (_SELECT.format(matched="n.name", former="1", key="n.name_key",
                        source="corporation_names n join corporations c using (corporate_number)",
                        where="n.name_key = ?"), (key,), False),
        (_SELECT.format(matched="c.name", former="0", key="c.name_key", source="corporations c",
                        where="c.name_key > ? and c.name_key < ?") + " order by c.name_key limit ?",
         (key, end, prefix_limit), True),
        (_SELECT.format(matched="n.name", former="1", key="n.name_key",
                        source="corporation_names n join corporations c using (corporate_number)",
                        where="n.name_key > ? and n.name_key < ?") + " order by n.name_key limit ?",
         (key, end, prefix_limit), True),
    ]
    seen: set[str] = set()
    found: list[Match] = []
    for sql, params, prefix in queries:
        if prefix and len(found) >= prefix_limit:
            break
        for number, name, matched, former, _current_key, prefecture, city, kind, closed, successor, matched_key in (
            db.execute(sql, params)
        ):
            if number in seen or (former and matched == name):
                continue
            seen.add(number)
            found.append(Match(number, name, matched, bool(former), prefix, matched_key, prefecture, city, kind,
                               closed, successor))
    return found


def names_of(db: sqlite_utils.Database, numbers: Iterable[str]) -> dict[str, list[str]]:
    """Every name the registry has for each number (current first, then former), for numbers it knows."""
    wanted = sorted(set(numbers))
    if not wanted or "corporations" not in db.table_names():
        return {}
    marks = ", ".join("?" * len(wanted))
    names: dict[str, list[str]] = {}
    for number, name in db.execute(
        f"select corporate_number, name from corporations where corporate_number in ({marks}) and deleted is null "
        f"union all select corporate_number, name from corporation_names where corporate_number in ({marks})",
        [*wanted, *wanted],
    ):
        if name not in names.setdefault(number, []):
            names[number].append(name)
    return names


def iter_corporations(db: sqlite_utils.Database) -> Iterator[dict[str, object]]:
    """Every record, for tests and exports (ordered by number)."""
    yield from db.query("select * from corporations order by corporate_number")


class RegistryLookup:
    """Exact registry candidates for a company name (current or former name), for resolving organisations.

    Opened read-only on first use (a crawl writes the same file through WAL), cached per name, picklable as its
    path and key function. A database without a registry answers nothing: organisations stay unresolved.
    """

    CACHE = 8192

    def __init__(self, database_path: str | Path, name_key: Callable[[str], str]) -> None:
        self.database_path = str(database_path)
        self.name_key = name_key
        self._db: sqlite_utils.Database | None = None
        self._cache: dict[str, list[Match]] = {}
        self._empty: bool | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"database_path": self.database_path, "name_key": self.name_key}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["database_path"], state["name_key"])  # type: ignore[misc, arg-type]

    def _open(self) -> sqlite_utils.Database | None:
        if self._empty is None:
            try:
                conn = sqlite3.connect(f"file:{Path(self.database_path).resolve()}?mode=ro", uri=True,
                                       check_same_thread=False)
                self._db = sqlite_utils.Database(conn)
                self._empty = "corporations" not in self._db.table_names() or self._db.execute(
                    "select 1 from corporations limit 1").fetchone() is None
            except sqlite3.Error:
                self._empty = True
        return None if self._empty else self._db

    def __call__(self, name: str) -> list[Match]:
        db = self._open()
        if db is None:  # no registry imported: no name needs its key computed
            return []
        key = self.name_key(name)
        found = self._cache.get(key)
        if found is None:
            found = find_matches(db, key, prefix_limit=0) if key else []
            if len(self._cache) >= self.CACHE:
                self._cache.clear()
            self._cache[key] = found
        return found

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._empty = None, None
