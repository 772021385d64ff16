"""Full-text search over titles and bodies that finds Japanese words of any length.

SQLite 3.40's FTS5 trigram tokenizer returns nothing for terms under three characters, and Japanese has many
two-character words (入札, 宮坂, 契約). Sudachi tokens miss substrings of compounds (ガレージ in デジタルガレージ is
one token in mode C; 都 in 東京都). So the index holds overlapping character bigrams of every run of letters and
digits, plus the run's last character: a query of n >= 2 characters is the phrase of its bigrams (exact substring
semantics), a one-character query is a prefix query. Text is folded (full-width ASCII → ASCII, lower case) the
same way on both sides. Measured against trigram, LIKE and Sudachi-token indexes in bench/search_bench.py.

The index (migration 3, `search_index`, rowid = versions.id) is filled incrementally from `versions`, so any
writer's pages become searchable on the next search without the crawl knowing about it.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from nlp.dates import fold_width

log = logging.getLogger(__name__)
BATCH = 500
SNIPPET_CHARS = 40


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fold(text: str) -> str:
    """Case- and width-folding that keeps one character for one character (so offsets still fit the original)."""
    folded = fold_width(text)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def _is_word(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (what FTS5's unicode61 tokenizer also treats as token characters)."""
    found, current = [], []
    for char in fold(text):
        if _is_word(char):
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def index_tokens(text: str | None) -> str:
    """The indexed form: per run, its bigrams then its last character ("東京都" → "東京 京都 都")."""
    tokens: list[str] = []
    for run in runs(text or ""):
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        tokens.append(run[-1])
    return " ".join(tokens)


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
    done = db.execute("select coalesce(max(rowid), 0) from search_index").fetchone()[0]
    added = 0
    while True:
        rows = db.execute(
            "select id, title, body from versions where id > ? order by id limit ?", [done, BATCH]
        ).fetchall()
        if not rows:
            break
        with db.atomic():
            db.conn.executemany(
                "insert into search_index (rowid, title, body) values (?, ?, ?)",
                [(id_, index_tokens(title), index_tokens(body)) for id_, title, body in rows],
            )
        done = rows[-1][0]
        added += len(rows)
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
    """Documents whose title or body contain the query, best first; one hit per document (its newest match).

    `since` is a UTC ISO timestamp: only versions fetched at or after it.
    """
    match = build_query(query)
    index_pending(db)
    where, params = ["1"], [match]
    if source:
        where.append("d.source = ?")
        params.append(source)
    if since:
        where.append("v.fetched_at >= ?")
        params.append(since)
    sql = f"""
        with fts as materialized (
            select rowid as version_id, bm25(search_index, 2.0, 1.0) as rank
            from search_index where search_index match ?
        ), matched as (
            select v.id as version_id, v.document_id, fts.rank
            from fts join versions v on v.id = fts.version_id
            join documents d on d.id = v.document_id
            where {" and ".join(where)}
        ), best as (
            select document_id, max(version_id) as version_id, min(rank) as rank from matched group by document_id
        )
        select v.id, v.document_id, d.url, d.source, v.title, v.published, v.fetched_at, v.body,
               v.id = (select max(id) from versions where document_id = v.document_id) as latest
        from best join versions v on v.id = best.version_id join documents d on d.id = v.document_id
        order by best.rank, v.fetched_at desc
        limit ?
    """
    try:
        rows = db.execute(sql, [*params, limit]).fetchall()
    except sqlite3.OperationalError as error:
        raise SearchError(f"cannot search for {query!r}: {error}") from None
    hits = []
    for version_id, document_id, url, src, title, published, fetched_at, body, latest in rows:
        snippet, spans = highlight(body or "", query)
        if not spans:
            snippet, _ = highlight(title or "", query)
        hits.append(Hit(version_id, document_id, url, src, title or "", published, fetched_at, bool(latest),
                        snippet, spans))
    return hits
