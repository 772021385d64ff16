"""The evidence rules, in one place: what in one page version ties watched people to watched organisations.

- together: a person and an organisation named in one document;
- affiliation: an organisation a person is tied to (their `affiliations`) named beside an organisation;
- amount: a yen amount near an organisation's name: at most NEAR_CHARS characters between the two (`gap`).
Which kinds are people and which organisations is the kind table's (nlp.watchlist.WATCH_KINDS). The digest's
alert cards (which add "only what the new version brought"), `ometsuke connections` (two entities a user names)
and the Datasette query of amounts by vendor (`near_sql`) all read these rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.watchlist import ORGANISATION, PERSON, kinds_with_role, role_of

NEAR_CHARS = 200  # an amount this close to an organisation's name is "near" it (about two sentences)

Span = tuple[int, int]

# Where each watched entity is named in each version: its mentions, and the company names the tagger tied to it
# (株式会社デジタルガレージ, wider than the mention デジタルガレージ).
ENTITY_SPANS_SQL = """select version_id, entity_id, start, "end" from mentions
union all select version_id, entity_id, start, "end" from organizations where entity_id is not null"""


def gap(a: Span, b: Span) -> int:
    """Characters between two spans, 0 when they touch or overlap (the same from either side)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def near_sql(a: str, b: str) -> str:
    """`gap` ≤ NEAR_CHARS in SQL, for two table aliases with start and "end" columns (SQLite's scalar max())."""
    return f'max(0, {b}.start - {a}."end", {a}.start - {b}."end") <= {NEAR_CHARS}'


def sql_kinds(role: str) -> str:
    """The kinds playing `role` as an SQL list of literals: `'vendor'` (kind names are plain words)."""
    return ", ".join(f"'{kind}'" for kind in kinds_with_role(role)) or "''"


@dataclass
class Named:
    """A watched entity named in one version: its kind and every span naming it, in reading order."""

    name: str
    kind: str
    spans: list[Span] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        return role_of(self.kind)


def named_in(mentions: Sequence[Mapping[str, Any]], organizations: Sequence[Mapping[str, Any]]) -> dict[str, Named]:
    """The watched entities of a version (rows as `db.queries.versions` gives them), in order of first appearance:
    mentions, and watched organisations (their company-name span counts too)."""
    found: list[tuple[int, int, str, str]] = [(m["start"], m["end"], m["entity"], m["kind"]) for m in mentions]
    found += [(o["start"], o["end"], o["name"], o["entity_kind"]) for o in organizations
              if o.get("watched") and o.get("entity_kind")]
    named: dict[str, Named] = {}
    for start, end, name, kind in sorted(found):
        entry = named.setdefault(name, Named(name, kind))
        if (start, end) not in entry.spans:
            entry.spans.append((start, end))
    return named


def occurrences(body: str, needle: str) -> list[Span]:
    """Every span of needle in body (overlapping ones too)."""
    spans, at = [], body.find(needle) if needle else -1
    while at >= 0:
        spans.append((at, at + len(needle)))
        at = body.find(needle, at + 1)
    return spans


@dataclass(frozen=True)
class Together:
    """Two entities named in one document."""

    first: Named  # the person (or the first entity a user asked about)
    second: Named


@dataclass(frozen=True)
class AffiliationBeside:
    """An affiliation of `owner` named in a document that names `beside`."""

    owner: str  # the entity the affiliation belongs to (named in the document or not)
    affiliation: str
    spans: list[Span]  # every occurrence in the body
    beside: Named


@dataclass(frozen=True)
class AmountNear:
    """A yen amount at most NEAR_CHARS characters from an organisation's name."""

    yen: int
    span: Span
    organisation: Named
    nearest: Span  # the organisation's span closest to the amount
    gap: int


@dataclass
class Evidence:
    """What `find_evidence` found in one version, rule by rule."""

    together: list[Together] = field(default_factory=list)
    affiliations: list[AffiliationBeside] = field(default_factory=list)
    amounts: list[AmountNear] = field(default_factory=list)  # per amount, nearest organisation first


def find_evidence(
    body: str, named: Mapping[str, Named], amounts: Sequence[Mapping[str, Any]],
    watched: Sequence[Mapping[str, Any]], *, between: tuple[str, str] | None = None,
) -> Evidence:
    """The evidence in one version (`named` from `named_in`, amounts with yen/start/end, watched entities as rows
    with name, kind and affiliations).

    between=None (the digest): every person named with every organisation named; every watched person's
    affiliation beside an organisation named; every amount near an organisation.
    between=(a, b) (`connections`): those two, whatever their kinds: named together; one's affiliation beside the
    other; an amount near whichever is an organisation, when the other or one of its affiliations is there too.
    """
    found = Evidence()
    affiliations = {row["name"]: list(row.get("affiliations") or ()) for row in watched}
    if between is None:
        people = [n for n in named.values() if n.role == PERSON]
        organisations = [n for n in named.values() if n.role == ORGANISATION]
        pairs = [(p, o) for p in people for o in organisations]
        owners = [(row["name"], organisations) for row in watched if role_of(row["kind"]) == PERSON]
        near_to = organisations
    else:
        a, b = between
        pairs = [(named[a], named[b])] if a in named and b in named else []
        owners = [(owner, [named[other]]) for owner, other in ((a, b), (b, a)) if other in named]
        near_to = [named[x] for x, other in ((a, b), (b, a)) if x in named and named[x].role == ORGANISATION
                   and (other in named or any(occurrences(body, aff) for aff in affiliations.get(other, ())))]
    found.together = [Together(first, second) for first, second in pairs]
    for owner, besides in owners:
        for affiliation in affiliations.get(owner, ()):
            spans = occurrences(body, affiliation)
            found.affiliations += [AffiliationBeside(owner, affiliation, spans, beside)
                                   for beside in besides if spans and affiliation != beside.name]
    for amount in amounts:
        span = (amount["start"], amount["end"])
        near = []
        for organisation in near_to:
            nearest = min(organisation.spans, key=lambda s, span=span: (gap(s, span), s))
            distance = gap(nearest, span)
            if distance <= NEAR_CHARS:
                near.append(AmountNear(amount["yen"], span, organisation, nearest, distance))
        found.amounts += sorted(near, key=lambda n: (n.gap, n.organisation.name, n.nearest))
    return found
