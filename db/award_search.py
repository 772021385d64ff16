"""Finding awards by title and winner: a scan of `awards`, with the query's words as `search` reads them.

Awards are short rows (a title and a name), a national year is about 100,000 of them, and they change in place
when the publisher corrects a row, which a contentless FTS5 index could not follow without the old values. A
scan with instr() is simple and honest: measured in bench/award_search_bench.py (see README, Search). Width and
ASCII case are matched by asking for the query's half-width and full-width, upper and lower case forms (ＮＴＴ, NTT,
ntt).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from db.search import _QUERY_PART, SearchError, fold

COLUMNS = ("id", "case_number", "title", "decided", "yen", "ministry", "method", "vendor", "corporate_number",
           "maybe_private", "first_seen")


@dataclass
class AwardHit:
    id: int
    case_number: str
    title: str
    decided: str | None
    yen: int | None
    ministry: str | None
    method: str | None
    vendor: str
    corporate_number: str | None
    maybe_private: bool
    first_seen: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "award", **asdict(self)}


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _forms(term: str) -> list[str]:
    """The spellings a published row may use: as typed, half-width lower and upper case, full-width upper and
    lower case (titles and names are published in either width)."""
    folded = fold(term)
    return list(dict.fromkeys([term, folded, folded.upper(), _full_width(folded.upper()), _full_width(folded)]))


def where_clause(query: str) -> tuple[str, list[str]]:
    """The query's words (all must occur, OR between two means either) as SQL over title and vendor."""
    if not query or not query.strip():
        raise SearchError("empty query; give a word to search for, e.g. 入札")
    pieces: list[str] = []
    params: list[str] = []
    for match in _QUERY_PART.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            if pieces and pieces[-1] not in ("or", "and"):
                pieces.append("or")
            continue
        term = (phrase if phrase is not None else word).strip()
        if not term:
            continue
        if pieces and pieces[-1] not in ("or", "and"):
            pieces.append("and")
        forms = _forms(term)
        # One string per row (title, a separator no query holds, winner): half the instr() calls of two columns.
        pieces.append("(" + " or ".join("instr(coalesce(title, '') || char(1) || vendor, ?)" for _ in forms) + ")")
        params += forms
    while pieces and pieces[-1] in ("or", "and"):
        pieces.pop()
    if not pieces:
        raise SearchError(f"query {query!r} has nothing to search for")
    return " ".join(pieces), params


def search_awards(db: sqlite_utils.Database, query: str, *, since: str | None = None, limit: int = 20
                  ) -> list[AwardHit]:
    """Awards whose title or winner contains the query, most recently decided first."""
    if "awards" not in db.table_names():
        return []
    where, params = where_clause(query)
    if since:
        where = f"({where}) and first_seen >= ?"
        params.append(since)
    # `+decided`: one pass over the table and a sort of the matches; walking the decided index instead reads
    # the rows in random order, slow for a word that few rows contain.
    rows = db.execute(f"select {', '.join(COLUMNS)} from awards where {where} "
                      "order by +decided desc, yen desc, id limit ?", [*params, limit]).fetchall()
    return [AwardHit(*row[:9], bool(row[9]), row[10]) for row in rows]
