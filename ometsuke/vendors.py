"""Vendors by identity: who a name or number is, which awards are to watched vendors, and the vendor profile.

A watched entity is tied to awards by its 法人番号 ([[watch]] corporate_number), or by name when the registry
says the name is unambiguous (exactly one registered company has it; when the registry holds no company of that
name, by the name as the award publishes it). A winner without a number (maybe_private: perhaps a private person)
is only ever shown when its name is on the watch list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from db import vendors as store
from db.registry import find_matches
from nlp.company_names import company_key, name_key
from nlp.watchlist import ORGANISATION, WatchEntry, role_of
from textutil.corporate_number import is_corporate_number

NEAR_CHARS = 200  # an amount this close to the vendor's name is "near" it (as in the digest's alerts)
PUBLIC_AWARD_KEYS = ("case_number", "title", "decided", "yen", "ministry", "method", "vendor", "corporate_number")


@dataclass(frozen=True)
class Identity:
    """Who a query is: its number (None for a winner known only by name), the published names to match awards
    without a number, and how it was decided ("number", "registry", "watch list", "awards")."""

    number: str | None
    published_names: list[str]
    resolved_through: str
    pinned_by: list[str] = field(default_factory=list)  # the watch entries that pinned the number
    homonyms: int = 0  # other registered companies of that name, when a watch entry decided


class VendorError(ValueError):
    """A vendor that cannot be shown: unknown (exit 1) or ambiguous (exit 2, with the candidates)."""

    def __init__(self, message: str, candidates: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


def _registered_numbers(db: sqlite_utils.Database, names: Iterable[str]) -> set[str]:
    """Numbers of the registered companies whose current or former name has the key of one of these names."""
    if "corporations" not in db.table_names():
        return set()
    found: set[str] = set()
    for name in names:
        key = name_key(name)
        if key:
            found.update(m.corporate_number for m in find_matches(db, key, prefix_limit=0))
    return found


@dataclass
class WatchedIdentity:
    """A watched entity as awards and organisations see it: its numbers and the keys of its names."""

    name: str
    kind: str
    entity_id: int
    numbers: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    registry_silent: bool = True  # the registry has no company under any of its names: match awards by name


def watched_identities(db: sqlite_utils.Database) -> list[WatchedIdentity]:
    identities = []
    entities = store.watched_entities(db)
    keys_of = {entity["id"]: {k for k in map(name_key, [entity["name"], *entity["aliases"]]) if k}
               for entity in entities}
    organisations = [e for e in entities if role_of(e["kind"]) == ORGANISATION]
    by_key = store.numbers_by_key(db, (k for e in organisations for k in keys_of[e["id"]]))
    for entity in entities:
        identity = WatchedIdentity(entity["name"], entity["kind"], entity["id"], keys=keys_of[entity["id"]])
        is_organisation = role_of(entity["kind"]) == ORGANISATION
        registered = {n for k in identity.keys for n in by_key.get(k, ())} if is_organisation else set()
        identity.registry_silent = not registered
        if entity["corporate_number"]:
            identity.numbers = {entity["corporate_number"]}
        elif len(registered) == 1:
            identity.numbers = registered
        identities.append(identity)
    return identities


def watcher_of(award: dict[str, Any], identities: list[WatchedIdentity]) -> str | None:
    """The watched entity an award went to, or None (a private winner only by a watched name)."""
    number = award.get("corporate_number")
    key = name_key(award.get("vendor") or "")
    for identity in identities:
        if number and number in identity.numbers:
            return identity.name
    for identity in identities:
        if key not in identity.keys:
            continue
        if not number or (role_of(identity.kind) == ORGANISATION and not identity.numbers and identity.registry_silent):
            return identity.name
    return None


def public_award(award: dict[str, Any], watched: str | None) -> dict[str, Any]:
    """An award as the digest's JSON gives it."""
    return {**{key: award.get(key) for key in PUBLIC_AWARD_KEYS}, "watched": watched}


def awards_to_watched(db: sqlite_utils.Database, start: str, end: str | None) -> list[dict[str, Any]]:
    """Awards first seen in [start, end) that went to a watched vendor (or a watched name), largest first."""
    awards = store.awards_first_seen(db, start, end)
    if not awards:
        return []
    identities = watched_identities(db)
    found = []
    for award in awards:
        watched = watcher_of(award, identities)
        if watched is not None:
            found.append({**public_award(award, watched), "id": award["id"], "first_seen": award["first_seen"]})
    found.sort(key=lambda a: (-(a["yen"] or 0), a["decided"] or "", a["case_number"]))
    return found


# -- who a name is --------------------------------------------------------------------------------------------------


def _candidate(db: sqlite_utils.Database, number: str) -> dict[str, Any]:
    row = db.execute("select name, prefecture, city, closed from corporations where corporate_number = ?",
                     [number]).fetchone() if "corporations" in db.table_names() else None
    if row is None:
        return {"corporate_number": number, "name": None, "prefecture": None, "city": None, "closed": None}
    return {"corporate_number": number, "name": row[0], "prefecture": row[1], "city": row[2], "closed": row[3]}


def _pinned(query: str, watch: Sequence[WatchEntry]) -> dict[str, list[str]]:
    """corporate number -> names of the watch entries (as written) whose name or an alias has the key of `query`
    and that pin a corporate_number."""
    key = name_key(query)
    pins: dict[str, list[str]] = {}
    if not key:
        return pins
    for entry in watch:
        if entry.corporate_number and key in {name_key(n) for n in (entry.name, *entry.aliases)}:
            pins.setdefault(entry.corporate_number, []).append(entry.name)
    return pins


def _ambiguous(db: sqlite_utils.Database, text: str, numbers: Iterable[str], where: str) -> VendorError:
    found = set(numbers)
    candidates = sorted((_candidate(db, n) for n in found),
                        key=lambda c: (c["prefecture"] or "", c["city"] or "", c["corporate_number"]))
    return VendorError(f"{text}: {len(found)} {where}; give the corporate number", candidates)


def identify(db: sqlite_utils.Database, query: str, watch: Sequence[WatchEntry] = ()) -> Identity:
    """Who NAME|NUMBER is. A watch entry (`watch`: the config's [[watch]] and watch.csv, as written) whose name or
    alias is NAME and that pins a corporate_number decides first, whatever homonyms the registry has; then the
    registry's companies of that name; then a watched entry's number; then the awards' winners of that name.

    Raises VendorError: unknown, or several companies with that name (the candidates listed)."""
    text = query.strip()
    if is_corporate_number(text):
        known = (_candidate(db, text)["name"] or store.awards_by_number(db, [text])
                 or any(e["corporate_number"] == text for e in store.watched_entities(db))
                 or any(e.corporate_number == text for e in watch))
        if not known:
            raise VendorError(f"{text}: no company with this 法人番号 in the registry, the awards or the watch list")
        return Identity(text, [], "number")
    pins = _pinned(text, watch)
    if len(pins) > 1:
        raise _ambiguous(db, text, pins, "watch-list entries of this name pin different numbers")
    registered = _registered_numbers(db, [text])
    if pins:
        [(number, by)] = pins.items()
        return Identity(number, [], "watch list", pinned_by=by, homonyms=len(registered - {number}))
    numbers, how = registered, "registry"
    watched = [e for e in store.watched_entities(db)
               if name_key(text) in {name_key(n) for n in [e["name"], *e["aliases"]]}]
    if not numbers:
        numbers, how = {e["corporate_number"] for e in watched if e["corporate_number"]}, "watch list"
    if not numbers:
        key = name_key(text)
        published = [(v, n) for v, n in store.vendor_names_like(db, company_key(text)[0] or text)
                     if name_key(v) == key]
        numbers, how = {n for _, n in published if n}, "awards"
        if not numbers and (published or watched):
            return Identity(None, [v for v, _ in published] or [text], "awards" if published else "watch list")
    if not numbers:
        raise VendorError(f"{text}: no company of this name in the registry, the awards or the watch list")
    if len(numbers) > 1:
        raise _ambiguous(db, text, numbers, "companies have this name")
    return Identity(next(iter(numbers)), [], how)


# -- the profile ----------------------------------------------------------------------------------------------------


def fiscal_year(decided: str | None) -> int | None:
    """The Japanese fiscal year (April to March) of an ISO date: 2027-03-31 is FY 2026."""
    if not decided or len(decided) < 7:
        return None
    year, month = int(decided[:4]), int(decided[5:7])
    return year if month >= 4 else year - 1


def _totals(awards: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    sums: dict[Any, dict[str, Any]] = {}
    for award in awards:
        group = sums.setdefault(award[key], {key: award[key], "yen": 0, "count": 0})
        group["yen"] += award["yen"] or 0
        group["count"] += 1
    return sorted(sums.values(), key=lambda g: (-g["yen"], str(g[key])))


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def vendor_profile(db: sqlite_utils.Database, query: str, watch: Sequence[WatchEntry] = ()) -> dict[str, Any]:
    """What a journalist asks first about a company: registry record and former names, awards (total, by ministry
    and fiscal year, largest first), documents naming it, officials named with it, amounts near it.

    `watch`: the config's watch list as written, whose corporate_number pins decide who a name is."""
    identity = identify(db, query, watch)
    number, published_names = identity.number, identity.published_names
    record = _candidate(db, number) if number else {"name": None, "prefecture": None, "city": None, "closed": None}
    registry: dict[str, Any] = {}
    names: list[str] = []
    if number and record["name"]:
        row = db.execute("select address, kind, closed_reason, successor from corporations where corporate_number = ?",
                         [number]).fetchone()
        registry = {"address": row[0], "kind": row[1], "closed_reason": row[2], "successor": row[3]}
        names = [record["name"]] + [n for (n,) in db.execute(
            "select name from corporation_names where corporate_number = ? order by coalesce(until, first_seen) desc",
            [number]) if n != record["name"]]
    awards = store.awards_by_number(db, [number]) if number else store.awards_by_vendor_names(db, published_names)
    for award in awards:
        if award["vendor"] not in names:
            names.append(award["vendor"])
    identities = [i for i in watched_identities(db)
                  if (number and number in i.numbers) or (not number and name_key(query) in i.keys)]
    watched_names = [i.name for i in identities]
    watched_names += [n for n in identity.pinned_by if n not in watched_names]  # pinned, not crawled since
    for watched_name in watched_names:
        if watched_name not in names:
            names.append(watched_name)
    name = record["name"] or (names[0] if names else query.strip())

    spans = store.vendor_spans(db, [number] if number else [], [i.entity_id for i in identities])
    versions = store.versions_with_documents(db, spans)
    newest: dict[int, int] = {}  # document -> its newest version naming the vendor
    for version_id, version in sorted(versions.items()):
        newest[version["document_id"]] = version_id
    shown = sorted(newest.values(), key=lambda v: (versions[v]["published"] or versions[v]["first_seen_at"], v),
                   reverse=True)
    officials: dict[str, dict[str, Any]] = {}
    for row in store.officials_in(db, shown):
        entry = officials.setdefault(row["name"], {"name": row["name"], "documents": [], "surfaces": []})
        url = versions[row["version_id"]]["url"]
        if url not in entry["documents"]:
            entry["documents"].append(url)
        if row["surface"] not in entry["surfaces"]:
            entry["surfaces"].append(row["surface"])
    near: list[dict[str, Any]] = []
    for amount in store.amounts_in(db, shown):
        version_spans = spans[amount["version_id"]]
        gap = min(_gap((s, e), (amount["start"], amount["end"])) for s, e, _ in version_spans)
        if gap <= NEAR_CHARS:
            near.append({"yen": amount["yen"], "surface": amount["surface"], "context": amount["context"],
                         "url": versions[amount["version_id"]]["url"]})
    near.sort(key=lambda a: -a["yen"])
    documents = [{
        "title": versions[v]["title"], "url": versions[v]["url"], "source": versions[v]["source"],
        "published": versions[v]["published"], "latest": bool(versions[v]["latest"]),
        "surfaces": list(dict.fromkeys(s for _, _, s in spans[v])),
        "officials": sorted({o["name"] for o in officials.values() if versions[v]["url"] in o["documents"]}),
    } for v in shown]
    for award in awards:
        award["fiscal_year"] = fiscal_year(award["decided"])
    return {
        "corporate_number": number, "name": name, "names": names, "prefecture": record["prefecture"],
        "city": record["city"], "closed": record["closed"], **registry, "watched": watched_names,
        "resolved_through": identity.resolved_through, "homonyms": identity.homonyms,
        "awards": [{**public_award(a, None), "fiscal_year": a["fiscal_year"]} for a in awards],
        "awards_total_yen": sum(a["yen"] or 0 for a in awards),
        "awards_by_ministry": _totals(awards, "ministry"), "awards_by_fiscal_year": _totals(awards, "fiscal_year"),
        "documents": documents,
        "officials": sorted(officials.values(), key=lambda o: (-len(o["documents"]), o["name"])),
        "amounts": near,
    }


def format_profile(profile: dict[str, Any]) -> str:
    """The profile as text for a terminal."""
    number = profile["corporate_number"]
    lines = [f"{profile['name']}" + (f"  法人番号 {number}" if number else "")]
    place = " ".join(p for p in (profile["prefecture"], profile["city"], profile.get("address")) if p)
    if place:
        lines.append(f"  {place}")
    if profile.get("closed"):
        lines.append(f"  closed {profile['closed']}" + (f", successor {profile['successor']}"
                                                        if profile.get("successor") else ""))
    former = [n for n in profile["names"] if n != profile["name"]]
    if former:
        lines.append(f"  other names: {', '.join(former)}")
    if profile["watched"]:
        lines.append(f"  watched as: {', '.join(profile['watched'])}")
    if profile["resolved_through"] == "watch list" and number:
        others = profile["homonyms"]
        lines.append("  resolved through the watch list: its entry pins this 法人番号"
                     + (f" ({others} other registered compan{'y has' if others == 1 else 'ies have'} the name)"
                        if others else ""))
    lines += ["", f"Awards: {len(profile['awards'])}, total ¥{profile['awards_total_yen']:,}"]
    for label, key, groups in (("by ministry", "ministry", profile["awards_by_ministry"]),
                               ("by fiscal year", "fiscal_year", profile["awards_by_fiscal_year"])):
        if groups:
            lines.append(f"  {label}: " + "; ".join(f"{g[key] or '-'} ¥{g['yen']:,} ({g['count']})" for g in groups))
    for award in profile["awards"][:20]:
        lines.append(f"  {award['decided'] or '-'}  ¥{award['yen'] or 0:>14,}  {award['title']} "
                     f"({award['ministry'] or '-'}, {award['method'] or '-'})")
    lines += ["", f"Documents naming it: {len(profile['documents'])}"]
    for document in profile["documents"][:20]:
        lines.append(f"  {document['published'] or '-'}  {document['title']} · {document['source']}")
        lines.append(f"    {document['url']}  (as {', '.join(document['surfaces'])})")
    lines += ["", f"Officials named with it: {len(profile['officials'])}"]
    lines += [f"  {o['name']} in {len(o['documents'])} document(s)" for o in profile["officials"]]
    if profile["amounts"]:
        lines += ["", "Amounts near it:"]
        lines += [f"  ¥{a['yen']:,}  {a['context']}" for a in profile["amounts"][:20]]
    return "\n".join(lines) + "\n"
