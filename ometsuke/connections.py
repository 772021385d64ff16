"""The evidence that ties two watched entities together, as a timeline with the quoted sentences.

Three kinds of evidence, each a page version with its source, date, URL and sentences:
- both: a document mentions both entities;
- affiliation: a document names an organisation one entity is tied to (its `affiliations`, e.g. an official's
  former company) together with the other entity (the partner-award release);
- amount: a yen amount near the vendor, in a document that mentions the other entity or one of its affiliations.
- award: an award to the vendor (national award data, by its 法人番号), dated by its decision; no URL.
Every version is examined, not only the latest: a sentence that was later deleted is still evidence (flagged).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from db import queries
from db.clock import to_jst
from nlp.sentences import sentence_around

log = logging.getLogger(__name__)
NEAR_CHARS = 200
KINDS = ("both", "affiliation", "amount", "award")  # award: the vendor's awards (ometsuke/connections_awards.py)


class ConnectionsError(ValueError):
    """An entity name that is not on the watch list; the message lists what is."""


@dataclass
class Evidence:
    kind: str  # both | affiliation | amount | award
    date: str  # published date, else the day the page was first seen (Japan time)
    source: str
    url: str
    title: str
    version_id: int
    latest: bool  # False: the page has changed since and no longer says this
    detail: str
    quotes: list[str] = field(default_factory=list)
    yen: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Connections:
    a: dict[str, Any]
    b: dict[str, Any]
    evidence: list[Evidence]

    def as_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "evidence": [e.as_dict() for e in self.evidence]}


def resolve(db: sqlite_utils.Database, name: str) -> dict[str, Any]:
    """A watched entity by name or alias (ignoring spaces and case)."""
    wanted = "".join(name.split()).casefold()
    everyone = queries.entities(db)
    for entity in everyone:
        names = [entity["name"], *entity["aliases"]]
        if any("".join(n.split()).casefold() == wanted for n in names):
            return entity
    known = ", ".join(e["name"] for e in everyone[:12]) or "none: run a crawl with [[watch]] entries first"
    raise ConnectionsError(f"{name!r} is not on the watch list (known: {known})")


def _hits(db: sqlite_utils.Database, entity_id: int) -> dict[int, list[tuple[int, int]]]:
    """version id -> spans where the entity is mentioned (mentions, and watched organisations linked to it)."""
    found: dict[int, list[tuple[int, int]]] = {}
    for version_id, start, end in db.execute(
        """select version_id, start, "end" from mentions where entity_id = ?
           union select version_id, start, "end" from organizations where entity_id = ?""",
        [entity_id, entity_id],
    ):
        found.setdefault(version_id, []).append((start, end))
    return {v: sorted(spans) for v, spans in found.items()}


def _versions(db: sqlite_utils.Database, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cursor = db.execute(
        f"""select v.id, v.document_id, v.title, v.published, v.body, d.url, d.source, d.first_seen_at,
                   v.id = (select max(id) from versions where document_id = v.document_id) as latest
            from versions v join documents d on d.id = v.document_id where v.id in ({marks})""",
        sorted(ids),
    )
    columns = [c[0] for c in cursor.description]
    return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor}


def _occurrences(body: str, needle: str) -> list[tuple[int, int]]:
    spans, at = [], body.find(needle)
    while needle and at >= 0:
        spans.append((at, at + len(needle)))
        at = body.find(needle, at + 1)
    return spans


def _quotes(body: str, first: list[tuple[int, int]], second: list[tuple[int, int]]) -> list[str]:
    """The sentence holding both, if one does; else the first sentence of each, in reading order."""
    firsts = {sentence_around(body, s, e) for s, e in first}
    for s, e in second:
        sentence = sentence_around(body, s, e)
        if sentence in firsts:
            return [sentence]
    ordered = sorted([first[0], second[0]])
    return list(dict.fromkeys(q for q in (sentence_around(body, *span) for span in ordered) if q))


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def find_connections(db: sqlite_utils.Database, a: str, b: str) -> Connections:
    """The timeline of evidence tying entity a to entity b (names or aliases on the watch list)."""
    first, second = resolve(db, a), resolve(db, b)
    if first["id"] == second["id"]:
        raise ConnectionsError(f"{a!r} and {b!r} are the same watched entity")
    hits = {first["id"]: _hits(db, first["id"]), second["id"]: _hits(db, second["id"])}
    candidate_ids = set(hits[first["id"]]) | set(hits[second["id"]])
    versions = _versions(db, candidate_ids)
    amounts: dict[int, list[dict[str, Any]]] = {}
    if candidate_ids:
        marks = ",".join("?" * len(candidate_ids))
        for version_id, yen, start, end in db.execute(
            f'select version_id, yen, start, "end" from amounts where version_id in ({marks}) order by start',
            sorted(candidate_ids),
        ):
            amounts.setdefault(version_id, []).append({"yen": yen, "start": start, "end": end})

    evidence: list[Evidence] = []
    for version_id, version in versions.items():
        body = version["body"] or ""
        spans_a = hits[first["id"]].get(version_id, [])
        spans_b = hits[second["id"]].get(version_id, [])

        def add(kind: str, detail: str, quotes: list[str], yen: int | None = None,
                version: dict[str, Any] = version, version_id: int = version_id) -> None:
            published = version["published"]
            date = published or to_jst(version["first_seen_at"]).date().isoformat()
            evidence.append(Evidence(kind, date, version["source"], version["url"], version["title"] or "",
                                     version_id, bool(version["latest"]), detail, quotes, yen))

        if spans_a and spans_b:
            add("both", f"{first['name']} and {second['name']} in the same document", _quotes(body, spans_a, spans_b))
        for owner, other, other_spans in ((first, second, spans_b), (second, first, spans_a)):
            if not other_spans:
                continue
            for affiliation in owner["affiliations"]:
                found = _occurrences(body, affiliation)
                if found and affiliation != other["name"]:
                    add("affiliation", f"{affiliation} ({owner['name']}'s affiliation) named with {other['name']}",
                        _quotes(body, found, other_spans))
        for vendor, other, vendor_spans, other_spans in (
            (first, second, spans_a, spans_b), (second, first, spans_b, spans_a)
        ):
            if vendor["kind"] != "vendor" or not vendor_spans:
                continue
            other_here = other_spans or [s for aff in other["affiliations"] for s in _occurrences(body, aff)]
            if not other_here:
                continue
            for amount in amounts.get(version_id, []):
                span = (amount["start"], amount["end"])
                nearest = min(vendor_spans, key=lambda s, span=span: _gap(s, span))
                if _gap(nearest, span) <= NEAR_CHARS:
                    add("amount", f"¥{amount['yen']:,} near {vendor['name']}",
                        _quotes(body, [nearest], [span]), amount["yen"])
    from ometsuke.connections_awards import award_evidence

    evidence += award_evidence(db, first) + award_evidence(db, second)
    # One item per document and kind (its newest version that shows it), in date order.
    newest: dict[tuple[str, str, str, int | None], Evidence] = {}
    for item in sorted(evidence, key=lambda e: e.version_id):
        newest[(item.url, item.kind, item.detail, item.yen)] = item
    timeline = sorted(newest.values(), key=lambda e: (e.date, e.url, KINDS.index(e.kind)))
    return Connections(first, second, timeline)


def format_text(connections: Connections) -> str:
    a, b = connections.a["name"], connections.b["name"]
    if not connections.evidence:
        return f"No evidence ties {a} to {b} in the stored pages."
    lines = [f"{a} ({connections.a['kind']}) ⇄ {b} ({connections.b['kind']}): {len(connections.evidence)} item(s)", ""]
    for item in connections.evidence:
        note = "" if item.latest else " [no longer on the page]"
        lines.append(f"{item.date}  [{item.kind}] {item.detail}{note}")
        lines.append(f"  {item.title} · {item.source}")
        if item.url:
            lines.append(f"  {item.url}")
        lines += [f"  > {quote}" for quote in item.quotes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
