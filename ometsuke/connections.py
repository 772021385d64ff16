"""The evidence that ties two watched entities together, as a timeline with the quoted sentences.

Three kinds of evidence, each a page version with its source, date, URL and sentences:
- both: a document mentions both entities;
- affiliation: a document names an organisation one entity is tied to (its `affiliations`, e.g. an official's
  former company) together with the other entity (the partner-award release);
- amount: a yen amount near the vendor, in a document that mentions the other entity or one of its affiliations.
- award: an award to the vendor (national award data, by its 法人番号), dated by its decision; no URL.
Every version is examined, not only the latest: a sentence that was later deleted is still evidence (flagged).
The rules (what is together, near, an affiliation) are ometsuke.evidence's, shared with the digest's alerts.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from db import queries
from db.clock import to_jst
from nlp.sentences import sentence_around
from ometsuke.evidence import ENTITY_SPANS_SQL, find_evidence, named_in
from ometsuke.i18n import Texts, texts

log = logging.getLogger(__name__)
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
    detail: str  # one sentence in the reader's language ([digest] language), like the digest's alerts
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


def _versions_naming(db: sqlite_utils.Database, entity_ids: tuple[int, ...]) -> set[int]:
    """The versions where any of these entities is named (a mention, or a company name tied to it)."""
    marks = ",".join("?" * len(entity_ids))
    return {row[0] for row in db.execute(
        f"select distinct version_id from ({ENTITY_SPANS_SQL}) where entity_id in ({marks})", list(entity_ids),
    )}


def _versions(db: sqlite_utils.Database, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    cursor = db.execute(
        f"""select v.id, v.document_id, v.title, v.published, d.url, d.source, d.first_seen_at,
                   v.id = (select max(id) from versions where document_id = v.document_id) as latest
            from versions v join documents d on d.id = v.document_id where v.id in ({marks})""",
        sorted(ids),
    )
    columns = [c[0] for c in cursor.description]
    return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor}


def _quotes(body: str, first: list[tuple[int, int]], second: list[tuple[int, int]]) -> list[str]:
    """The sentence holding both, if one does; else the first sentence of each, in reading order."""
    firsts = {sentence_around(body, s, e) for s, e in first}
    for s, e in second:
        sentence = sentence_around(body, s, e)
        if sentence in firsts:
            return [sentence]
    ordered = sorted([first[0], second[0]])
    return list(dict.fromkeys(q for q in (sentence_around(body, *span) for span in ordered) if q))


def find_connections(db: sqlite_utils.Database, a: str, b: str, say: Texts | None = None) -> Connections:
    """The timeline of evidence tying entity a to entity b (names or aliases on the watch list); each item's
    `detail` in `say`'s language (Japanese by default, as the digest)."""
    say = say or texts()
    first, second = resolve(db, a), resolve(db, b)
    if first["id"] == second["id"]:
        raise ConnectionsError(f"{a!r} and {b!r} are the same watched entity")
    candidate_ids = _versions_naming(db, (first["id"], second["id"]))
    versions = _versions(db, candidate_ids)
    tags = queries.versions(db, candidate_ids)
    pair = (first["name"], second["name"])

    evidence: list[Evidence] = []
    for version_id, version in versions.items():
        tagged = tags[version_id]  # body, mentions, amounts, organisations
        body = tagged["body"] or ""
        found = find_evidence(body, named_in(tagged["mentions"], tagged["organizations"]), tagged["amounts"],
                              [first, second], between=pair)

        def add(kind: str, detail: str, quotes: list[str], yen: int | None = None,
                version: dict[str, Any] = version, version_id: int = version_id) -> None:
            published = version["published"]
            date = published or to_jst(version["first_seen_at"]).date().isoformat()
            evidence.append(Evidence(kind, date, version["source"], version["url"], version["title"] or "",
                                     version_id, bool(version["latest"]), detail, quotes, yen))

        for together in found.together:
            add("both", say("together", person=together.first.name, organisation=together.second.name),
                _quotes(body, together.first.spans, together.second.spans))
        for beside in found.affiliations:
            add("affiliation", say("affiliation", affiliation=beside.affiliation, person=beside.owner,
                                   organisation=beside.beside.name),
                _quotes(body, beside.spans, beside.beside.spans))
        for near in found.amounts:
            add("amount", say("amount", amount=say.yen(near.yen), organisation=near.organisation.name),
                _quotes(body, [near.nearest], [near.span]), near.yen)
    from ometsuke.connections_awards import award_evidence

    evidence += award_evidence(db, first, say) + award_evidence(db, second, say)
    # One item per document and kind (its newest version that shows it), in date order.
    newest: dict[tuple[str, str, str, int | None], Evidence] = {}
    for item in sorted(evidence, key=lambda e: e.version_id):
        newest[(item.url, item.kind, item.detail, item.yen)] = item
    timeline = sorted(newest.values(), key=lambda e: (e.date, e.url, KINDS.index(e.kind)))
    return Connections(first, second, timeline)


def format_text(connections: Connections, say: Texts | None = None) -> str:
    """The timeline as the reader reads it: the words are the catalogue's ([digest] language), dates and amounts
    written as that language writes them; names, titles, quotes and URLs as they are."""
    say = say or texts()
    a, b = connections.a, connections.b
    if not connections.evidence:
        return say("connections_none", a=a["name"], b=b["name"]) + "\n"
    lines = [say("connections_heading", a=a["name"], a_kind=say.kind(a["kind"]), b=b["name"],
                 b_kind=say.kind(b["kind"]), count=len(connections.evidence)), ""]
    for item in connections.evidence:
        note = "" if item.latest else say("connections_gone")
        lines.append(f"{say.date(item.date)}  {say(f'connections_{item.kind}')} {item.detail}{note}")
        lines.append(f"  {item.title} · {item.source}")
        if item.url:
            lines.append(f"  {item.url}")
        lines += [f"  > {quote}" for quote in item.quotes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
