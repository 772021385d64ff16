"""Datasette metadata for the ometsuke database: table and column descriptions, and canned queries.

Kept as data so `ometsuke serve` and anyone running `datasette` by hand (`--metadata`) get the same view.
"""

from __future__ import annotations

from typing import Any

from nlp.watchlist import ORGANISATION, PERSON, WATCH_KINDS
from ometsuke.evidence import ENTITY_SPANS_SQL, NEAR_CHARS, near_sql, sql_kinds

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "sources": ("Configured sources (one per site or feed).", {
        "name": "Unique source name from the config", "spider": "tokyo_press | newsroom | feed | page",
        "kind": "government | corporate | media", "config": "The source's config as JSON (urls, ignore, …)",
    }),
    "runs": ("One crawl of one source, with its counters.", {
        "status": "running, done, interrupted or stopped: …", "new": "Documents seen for the first time",
        "changed": "Documents whose content changed", "unchanged": "Fetched, same content hash",
        "not_modified": "Answered 304 to a conditional request", "removed": "Answered 404/410",
        "errors": "Failed fetches (see fetch_errors)",
    }),
    "fetch_errors": ("Failed fetches of a run.", {"reason": "Why the fetch failed", "http_status": "HTTP status"}),
    "documents": ("Every URL ever stored.", {
        "first_seen_at": "UTC", "last_seen_at": "UTC, last time it answered", "removed_at": "UTC, when it went 404/410",
    }),
    "versions": ("Each distinct content of a document; nothing is overwritten.", {
        "content_hash": "SHA-256 of title, published date and body", "published": "Publication date (ISO)",
        "body": "Main text; offsets in mentions/amounts/organizations point into it", "fetched_at": "UTC",
    }),
    "attachments": ("Files linked from a version (PDF text etc.).", {"text": "Extracted text", "error": "Why not"}),
    "entities": ("The watch list: officials and vendors.", {
        "family": "Family name used with titles (宮坂 + 副知事)",
        "affiliations": "JSON list of organisations tied to the entity",
    }),
    "mentions": ("A watched entity found in a version.", {
        "surface": "The text as written", "start": "Character offset into versions.body", "end": "End offset",
        "context": "The sentence",
    }),
    "amounts": ("Yen amounts found in a version.", {"yen": "Amount in yen (integer)", "surface": "As written"}),
    "organizations": ("Company names found by their legal form, watched or not.", {
        "watched": "1 if on the watch list", "entity_id": "The watched entity, if any",
    }),
    "changes": ("New / changed / removed documents per run.", {
        "kind": "new | changed | removed", "at": "UTC time of the change",
    }),
    "deliveries": ("Messages queued per channel (mail digests, chat alerts); sent_at is empty until delivered.", {
        "last_error": "Why the last attempt failed", "attempts": "Send attempts so far",
        "channel": "The channel's name in the config (mail for [mail]); never its URL",
        "key": "What the message is about, so it is queued once per channel",
    }),
}

def canned_queries() -> dict[str, dict[str, Any]]:
    """The canned queries, with the kind table's kinds and the evidence module's "near" (read when called)."""
    people, organisations = sql_kinds(PERSON), sql_kinds(ORGANISATION)
    return {
        "mentions_of_entity": {
            "title": "Mentions of an entity",
            "description": "Every mention of a watched entity (by name), newest page first, with its sentence.",
            "sql": """select e.name as entity, m.surface, m.context, v.title, d.url, d.source, v.published,
       v.fetched_at
from mentions m join entities e on e.id = m.entity_id
join versions v on v.id = m.version_id join documents d on d.id = v.document_id
where e.name = :entity
order by coalesce(v.published, v.fetched_at) desc limit 500""",
        },
        "co_occurrences": {
            "title": "Officials and vendors in the same document",
            "description": "Pairs of a watched official and a watched vendor named in one page version.",
            "sql": f"""select o.name as official, x.name as vendor, count(distinct v.document_id) as documents,
       max(coalesce(v.published, v.fetched_at)) as latest, min(d.url) as example_url
from mentions mo join entities o on o.id = mo.entity_id and o.kind in ({people})
join mentions mx on mx.version_id = mo.version_id
join entities x on x.id = mx.entity_id and x.kind in ({organisations})
join versions v on v.id = mo.version_id join documents d on d.id = v.document_id
group by o.name, x.name order by documents desc, latest desc""",
        },
        "amounts_by_vendor": {
            "title": "Amounts near each vendor",
            "description": f"Yen amounts within {NEAR_CHARS} characters of a watched vendor's name "
                           "(current version of each page).",
            "sql": f"""select vendor, count(*) as amounts, sum(yen) as total_yen, max(yen) as largest_yen,
       count(distinct document_id) as documents
from (select distinct e.name as vendor, a.id, a.yen, v.document_id
      from amounts a join ({ENTITY_SPANS_SQL}) m on m.version_id = a.version_id
      join entities e on e.id = m.entity_id and e.kind in ({organisations})
      join versions v on v.id = a.version_id
      where {near_sql("a", "m")}
        and v.id = (select max(id) from versions where document_id = v.document_id))
group by vendor order by total_yen desc""",
        },
        "new_organizations_this_week": {
            "title": "Organisations first seen this week",
            "description": "Company names (not on the watch list) seen for the first time in the last 7 days.",
            "sql": """select o.name, min(v.fetched_at) as first_seen, count(distinct v.document_id) as documents,
       min(d.url) as example_url
from organizations o join versions v on v.id = o.version_id join documents d on d.id = v.document_id
where o.watched = 0
group by o.name having min(v.fetched_at) >= datetime('now', '-7 days')
order by first_seen desc""",
        },
    }


def metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata for a database served under database_name (the file's stem)."""
    tables: dict[str, Any] = {
        name: {"description": description, "columns": columns} for name, (description, columns) in TABLES.items()
    }
    # The kinds come from the kind table when the metadata is asked for (a kind added there shows here).
    tables["entities"]["columns"] = {"kind": " | ".join(WATCH_KINDS), **tables["entities"]["columns"]}
    for hidden in ("_migrations", "search_index", "search_index_data", "search_index_idx",
                   "search_index_docsize", "search_index_config"):
        tables[hidden] = {"hidden": True}
    return {
        "title": "ometsuke",
        "description": "Press releases and procurement pages, every version kept, tagged with watched officials, "
                       "vendors and amounts. Timestamps are UTC.",
        "databases": {database_name: {"tables": tables, "queries": canned_queries()}},
    }
