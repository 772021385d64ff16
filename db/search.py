"""Full-text search over titles and bodies that finds Japanese words of any length.

SQLite 3.40's FTS5 trigram tokenizer returns nothing for terms under three characters, and Japanese has many
two-character words (入札, 宮坂, 契約). Sudachi tokens miss substrings of compounds (ガレージ in デジタルガレージ is
one token in mode C; 都 in 東京都). So the index holds overlapping character bigrams of every run of letters and
digits, plus the run's last character: a query of n >= 2 characters is the phrase of its bigrams (exact substring
semantics), a one-character query is a prefix query. Text is folded (full-width ASCII → ASCII, lower case) the
same way on both sides. Measured against trigram, LIKE and Sudachi-token indexes in bench/search_bench.py.

The index (`search_index`, rowid = versions.id; migration 5 rebuilt it with a one-character prefix index and a
`source` column) is filled incrementally from `versions`, so any writer's pages become searchable on the next
search without the crawl knowing about it. Every version is indexed, not only the latest: text that a later
edit removed (a vendor's name, an amount) is what a watchdog most wants to find again.

Results are newest first: FTS5 walks its doclists in descending rowid order and stops once `limit` documents
are found, so a search costs about the same for 契約 (200,000+ matching versions at 100,000 documents) as for a
rare word. Ranking by bm25 had to score every match first (1.3 s for 契約). See bench/search_scale.py.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from operator import add
from typing import Any

import sqlite_utils

from textutil.width import fold_width

log = logging.getLogger(__name__)
BATCH = 5000  # versions per transaction: bigger FTS5 segments, half the merging of 500
SNIPPET_CHARS = 40
AUTOMERGE = 8


class SearchError(ValueError):
    """The query cannot be searched (empty, unbalanced quotes, nothing searchable); the message says why."""


@dataclass
class Hit:
    version_id: int
    document_id: int
    url: str
    source: str
    title: str
    published: str | None
    fetched_at: str
    latest: bool  # False: only an older version of the page matched
    snippet: str  # the hit marked as **…**
    highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets into the version's body
    removed_at: str | None = None  # the page is gone from its site (404/410) since then; its text stays findable

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fold(text: str) -> str:
    """Case- and width-folding that keeps one character for one character (so offsets still fit the original)."""
    folded = fold_width(text)
    lowered = folded.lower()
    # str.lower() of the whole text is one C call; it is only unsafe where a character lowers to two (İ) or
    # depends on its neighbours (Σ at a word's end becomes ς), and then each character is lowered on its own.
    if len(lowered) == len(folded) and "\u03a3" not in folded:
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


# Letters and digits: in Python str.isalnum() is exactly the Unicode categories L* and N*, what FTS5's
# unicode61 tokenizer treats as token characters; `[^\W_]` is isalnum() without the underscore.
_RUN = re.compile(r"[^\W_]+")


def runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (what FTS5's unicode61 tokenizer also treats as token characters)."""
    return _RUN.findall(fold(text))


def index_tokens(text: str | None) -> str:
    """The indexed form: per run, its bigrams then its last character ("東京都" → "東京 京都 都")."""
    tokens: list[str] = []
    for run in runs(text or ""):
        tokens.extend(map(add, run, run[1:]))
        tokens.append(run[-1])
    return " ".join(tokens)


def source_token(source: str) -> str:
    """A source name as one token of the index's `source` column: hex, so the tokenizer never splits it."""
    return "s" + source.encode("utf-8").hex()


def _term_query(term: str) -> str | None:
    """One query term (a word or a quoted phrase) as an FTS5 phrase that matches it as a substring."""
    parts = runs(term)
    if not parts:
        return None
    tokens: list[str] = []
    prefix = False
    for index, run in enumerate(parts):
        last = index == len(parts) - 1
        if last and len(run) == 1:
            tokens.append(run)
            prefix = True  # matches the run's own unigram or any bigram starting with it
        elif last:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))  # a prefix of a longer run also matches
        else:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
            tokens.append(run[-1])
    return '"' + " ".join(tokens) + '"' + (" *" if prefix else "")


_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def build_query(query: str) -> str:
    """User syntax → FTS5: words and "quoted phrases" must all occur; `OR` between two of them means either."""
    if not query or not query.strip():
        raise SearchError("empty query; give a word to search for, e.g. 入札")
    if query.count('"') % 2:
        raise SearchError(f"unbalanced quote in query {query!r}")
    pieces: list[str] = []
    for match in _QUERY_PART.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            if not pieces or pieces[-1] == "OR":
                raise SearchError(f"OR needs a word on each side in query {query!r}")
            pieces.append("OR")
            continue
        compiled = _term_query(phrase if phrase is not None else word)
        if compiled is None:
            continue
        pieces.append(compiled)
    if pieces and pieces[-1] == "OR":
        raise SearchError(f"OR needs a word on each side in query {query!r}")
    if not pieces:
        raise SearchError(f"query {query!r} has no letters or digits to search for")
    out: list[str] = []
    for piece in pieces:
        if piece != "OR" and out and out[-1] != "OR":
            out.append("AND")
        out.append(piece)
    return " ".join(out)


def index_pending(db: sqlite_utils.Database) -> int:
    """Index versions newer than the newest indexed one; returns how many were added."""
    # ORDER BY rowid DESC LIMIT 1 is answered from the end of the index; max(rowid) would scan every row
    row = db.execute("select rowid from search_index order by rowid desc limit 1").fetchone()
    done = row[0] if row else 0
    added = 0
    while True:
        rows = db.execute(
            "select v.id, v.title, v.body, d.source from versions v join documents d on d.id = v.document_id "
            "where v.id > ? order by v.id limit ?", [done, BATCH]
        ).fetchall()
        if not rows:
            break
        with db.atomic():
            if not added:
                # FTS5 merges 4 segments of a level by default; 8 is about 40% less merging when 300,000 versions
                # are indexed at once (measured: 60,000 versions 27.7 s -> 17.1 s), queries stay under a ms.
                db.execute(f"insert into search_index (search_index, rank) values ('automerge', {AUTOMERGE})")
            db.conn.executemany(
                "insert into search_index (rowid, title, body, source) values (?, ?, ?, ?)",
                [(id_, index_tokens(title), index_tokens(body), source_token(source or ""))
                 for id_, title, body, source in rows],
            )
        done = rows[-1][0]
        added += len(rows)
        if added % (BATCH * 10) == 0:
            log.info("search index: %d version(s) added so far", added)
    if added:
        log.info("search index: %d version(s) added", added)
    return added


def _needles(query: str) -> list[str]:
    """The folded strings to highlight: each word or phrase, split where the index splits it."""
    needles: list[str] = []
    for match in _QUERY_PART.finditer(query):
        text = match.group(1) if match.group(1) is not None else match.group(2)
        if text == "OR":
            continue
        folded = fold(text).strip()
        if folded:
            needles.append(folded)
            needles.extend(r for r in runs(text) if r != folded)
    return needles


def highlight(body: str, query: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet around the first hit with every hit in it marked **…**, and all hit offsets into body."""
    folded = fold(body)
    spans: list[tuple[int, int]] = []
    for needle in _needles(query):
        start = folded.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + 1)
    spans = _merge(sorted(spans))
    if not spans:
        return body[: SNIPPET_CHARS * 2].replace("\n", " "), []
    s0 = max(0, spans[0][0] - SNIPPET_CHARS)
    s1 = min(len(body), spans[0][1] + SNIPPET_CHARS)
    out, at = [], s0
    for start, end in spans:
        if start >= s1:
            break
        out.append(body[at:start])
        out.append("**" + body[start:min(end, s1)] + "**")
        at = min(end, s1)
    out.append(body[at:s1])
    text = ("…" if s0 > 0 else "") + "".join(out) + ("…" if s1 < len(body) else "")
    return " ".join(text.split()), spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def search(
    db: sqlite_utils.Database, query: str, *, source: str | None = None, since: str | None = None, limit: int = 20
) -> list[Hit]:
    """Documents whose title or body contain the query, newest first; one hit per document (its newest match).

    `since` is a UTC ISO timestamp: only versions fetched at or after it. The order is that of the matching
    version's id, i.e. when ometsuke stored that text.
    """
    if limit < 1:
        raise SearchError(f"limit must be at least 1, not {limit}")
    match = f"{{title body}} : ({build_query(query)})"
    index_pending(db)
    if source:
        match += f" AND source : {source_token(source)}"  # FTS5 intersects doclists: a small source stays cheap
    newest: dict[int, int] = {}  # document id -> its newest matching version id, in the order found
    try:
        if not since:
            _scan(db, match, source, since, None, None, newest, limit)
        else:
            # Ids grow with fetch times but not strictly (a writer can commit an earlier time stamp after another
            # writer's later one). Scan down to the version fetched first since `since` (one index probe); only
            # if that finds fewer than `limit` documents, go on down to the exact lowest id fetched since then.
            start = db.execute("select id from versions where fetched_at >= ? order by fetched_at limit 1",
                               [since]).fetchone()
            if start is None:
                return []
            _scan(db, match, source, since, start[0], None, newest, limit)
            if len(newest) < limit:
                lowest = _first_version_since(db, since)
                if lowest is not None and lowest < start[0]:
                    _scan(db, match, source, since, lowest, start[0], newest, limit)
    except sqlite3.OperationalError as error:
        raise SearchError(f"cannot search for {query!r}: {error}") from None
    return _hits(db, query, list(newest.values()))


def _scan(db: sqlite_utils.Database, match: str, source: str | None, since: str | None, lowest: int | None,
          below: int | None, newest: dict[int, int], limit: int) -> None:
    """Add to `newest` the documents of matching versions with lowest <= id < below, newest first, until `limit`."""
    where, params = ["search_index match ?"], [match]
    tables = "search_index s cross join versions v on v.id = s.rowid"
    if lowest is not None:
        where.append("s.rowid >= ?")
        params.append(lowest)
    if below is not None:
        where.append("s.rowid < ?")
        params.append(below)
    if since:
        where.append("v.fetched_at >= ?")
        params.append(since)
    if source:  # the index says it already; the join keeps the answer exact even if a document changed source
        tables += " cross join documents d on d.id = v.document_id"
        where.append("d.source = ?")
        params.append(source)
    # CROSS JOIN keeps the index as the outer loop, so ORDER BY rowid DESC is its own order: no sort, and the
    # loop stops reading as soon as it has `limit` documents.
    sql = f"select s.rowid, v.document_id from {tables} where {' and '.join(where)} order by s.rowid desc"
    cursor = db.conn.execute(sql, params)
    try:
        while len(newest) < limit:
            rows = cursor.fetchmany(limit * 4)
            if not rows:
                break
            for version_id, document_id in rows:
                newest.setdefault(document_id, version_id)
                if len(newest) == limit:
                    break
    finally:
        cursor.close()


def _first_version_since(db: sqlite_utils.Database, since: str) -> int | None:
    """The smallest id of a version fetched at or after `since` (None: there is none): exact, so a lower bound
    for the index scan even where ids and fetch times disagree."""
    # `id + 0`: min(id) alone makes SQLite walk the table in id order until a row is recent enough (all of it
    # for a recent `since`); this reads the range of the fetched_at index instead.
    row = db.execute("select min(id + 0) from versions where fetched_at >= ?", [since]).fetchone()
    return None if row[0] is None else int(row[0])


def _hits(db: sqlite_utils.Database, query: str, version_ids: list[int]) -> list[Hit]:
    """The found versions as hits, in the given order, with their snippets."""
    if not version_ids:
        return []
    marks = ", ".join("?" * len(version_ids))
    rows = db.execute(
        f"""select v.id, v.document_id, d.url, d.source, v.title, v.published, v.fetched_at, v.body,
                   v.id = (select max(id) from versions where document_id = v.document_id) as latest, d.removed_at
            from versions v join documents d on d.id = v.document_id where v.id in ({marks})""",
        version_ids,
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    hits = []
    for version_id in version_ids:
        _, document_id, url, src, title, published, fetched_at, body, latest, removed_at = by_id[version_id]
        snippet, spans = highlight(body or "", query)
        if not spans:
            snippet, _ = highlight(title or "", query)
        hits.append(Hit(version_id, document_id, url, src, title or "", published, fetched_at, bool(latest),
                        snippet, spans, removed_at))
    return hits
