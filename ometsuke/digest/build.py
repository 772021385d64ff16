"""Building the digest: a query over what the store wrote for one Japan-time day (or since a moment).

Several changes of one document inside the window are merged, so a page that was added and then edited the same
day shows once, as new. Changed documents whose diff is only volatile text (更新日, counters) are held back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from db import queries
from db.clock import JST, jst_day_bounds, to_jst, utc_now
from db.health import DEGRADED, FAILING, OK
from nlp.sentences import sentence_around
from nlp.watchlist import ORGANISATION, PERSON
from ometsuke.diffing import PatternError, diff_versions, source_ignore_patterns
from ometsuke.digest.awards import build_awards
from ometsuke.digest.model import Alert, Digest, Finding, Item, SourceHealth
from ometsuke.evidence import find_evidence, named_in
from ometsuke.i18n import DEFAULT_LANGUAGE, Texts, texts

log = logging.getLogger(__name__)

NOT_CRAWLED = "not crawled"  # a configured source with no run in the digest's period


class DigestError(ValueError):
    """The digest cannot be built as asked (bad date, bad ignore pattern); the message says which."""


def parse_since(since: str) -> str:
    """A date (midnight Japan time) or ISO date-time (Japan time unless it says otherwise) → UTC ISO."""
    text = since.strip()
    try:
        if len(text) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(0), tzinfo=JST)
        else:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=JST)
    except ValueError:
        raise DigestError(f"--since {since!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)") from None
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def today_jst() -> dt.date:
    return dt.datetime.now(JST).date()


def show_jst(timestamp: str | None) -> str:
    """A stored UTC timestamp as '2026-11-27 09:30 JST'."""
    if not timestamp:
        return ""
    return to_jst(timestamp).strftime("%Y-%m-%d %H:%M JST")


def entry_id(url: str, kind: str, content_hash: str | None, at: str) -> str:
    """A feed id that depends only on what happened, so re-rendering never makes a reader show it twice."""
    digest = hashlib.sha256("\x00".join((url, kind, content_hash or "", at)).encode("utf-8")).hexdigest()
    return f"urn:ometsuke:change:{digest[:32]}"


def build_digest(
    db: sqlite_utils.Database, day: dt.date | None = None, since: str | None = None, *, source: str | None = None,
    configured: Sequence[str] | None = None, language: str = DEFAULT_LANGUAGE,
) -> Digest:
    """The digest for one Japan-time day (default today), or for everything since `since`.

    `configured`: the config's source names, so a source with no run at all in the period is reported too.
    `language`: "ja" or "en", for every text a reader sees (titles, headlines, times).
    """
    say = texts(language)
    if since:
        start, end = parse_since(since), None
        title = say("title_since", moment=say.moment(start))
        day = None
    else:
        day = day or today_jst()
        start, end = jst_day_bounds(day)
        title = say("title_day", day=say.date(day))
    changes = queries.changes_between(db, start, end, source=source)
    digest = Digest(title=title, day=day, since=since, start=start, end=end, generated_at=utc_now(),
                    language=say.language)
    digest.sources = sources_not_seen(db, start, end, configured=configured, source=source, language=language)
    watched = {row["name"]: row for row in queries.entities(db)}
    for item, old, new in build_items(changes, say):
        if item.kind == "new":
            digest.new.setdefault(item.source, []).append(item)
        elif item.kind == "changed":
            if item.diff is not None and not item.diff.changed:
                digest.noise_suppressed.append(item)
                continue
            digest.changed.append(item)
        else:
            digest.removed.append(item)
        if item.kind != "removed" and new is not None:
            findings = find_alerts(item, old, new, watched, say)
            if findings:
                digest.alerts.append(Alert(item, findings))
    digest.new = dict(sorted(digest.new.items()))
    digest.awards = build_awards(db, start, end)
    return digest


def alerts_in_runs(
    db: sqlite_utils.Database, run_ids: Iterable[int], *, language: str = DEFAULT_LANGUAGE
) -> list[Alert]:
    """The alert cards of the changes these runs recorded (what a crawl just found), for notifications."""
    say = texts(language)
    changes = [change for run_id in run_ids for change in queries.changes_in_run(db, run_id)]
    changes.sort(key=lambda change: (change["at"], change["change_id"]))
    watched = {row["name"]: row for row in queries.entities(db)}
    alerts = []
    for item, old, new in build_items(changes, say):
        if item.kind == "removed" or new is None:
            continue
        if item.kind == "changed" and item.diff is not None and not item.diff.changed:
            continue
        findings = find_alerts(item, old, new, watched, say)
        if findings:
            alerts.append(Alert(item, findings))
    return alerts


def sources_not_seen(
    db: sqlite_utils.Database, start: str, end: str | None, *, configured: Sequence[str] | None = None,
    source: str | None = None, language: str = DEFAULT_LANGUAGE,
) -> list[SourceHealth]:
    """Every source that was not ok in [start, end): its worst verdict there with that run's reason and since
    when it has not been ok; then each configured source with no run at all in the period. Failing first.

    A source failing for days is reported in every period it fails in, with the start of its failing streak.
    """
    say = texts(language)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for run in queries.runs_between(db, start, end, source=source):
        by_source.setdefault(run["source"], []).append(run)
    found = []
    for name, runs in by_source.items():
        judged = [run for run in runs if run["health"] in (DEGRADED, FAILING)]
        if not judged:
            continue
        worst = FAILING if any(run["health"] == FAILING for run in judged) else DEGRADED
        run = [run for run in judged if run["health"] == worst][-1]
        recovered = next((later for later in runs if later["id"] > run["id"] and later["health"] == OK), None)
        since = queries.unhealthy_since(db, name, run["id"])
        reason = say.reason(run.get("health_detail"), run["health_reason"])  # older runs: the stored English
        found.append(SourceHealth(
            name, worst, reason, since, say.moment(since), run["started_at"],
            recovered["started_at"] if recovered else None, say.moment(recovered["started_at"]) if recovered else "",
            language=say.language,
        ))
    for name in configured or ():
        if name in by_source or (source and name != source):
            continue
        added = queries.source_added_at(db, name)
        if added and end and added >= end:
            continue  # configured after this period
        last = queries.last_run_before(db, name, end or utc_now())
        if last is None:
            found.append(SourceHealth(name, NOT_CRAWLED, say("never_crawled"), None, "", language=say.language))
            continue
        found.append(SourceHealth(
            name, NOT_CRAWLED, say("no_crawl", moment=say.moment(last["started_at"])), last["started_at"],
            say.moment(last["started_at"]), last["started_at"], language=say.language,
        ))
    rank = {FAILING: 0, NOT_CRAWLED: 1, DEGRADED: 2}
    return sorted(found, key=lambda entry: (rank[entry.health], entry.name))


def build_items(
    changes: list[dict[str, Any]], say: Texts | None = None,
) -> list[tuple[Item, dict[str, Any] | None, dict[str, Any] | None]]:
    """One item per document (with its old and new version): first change's old version against the last's new.

    `changes` are rows from `db.queries`; changed items carry their sentence diff (empty if only noise changed).
    """
    say = say or texts()
    by_document: dict[int, list[dict[str, Any]]] = {}
    for change in changes:
        by_document.setdefault(change["document_id"], []).append(change)
    merged = []
    for group in by_document.values():
        first, last = group[0], group[-1]
        if last["kind"] == "removed":
            kind, old, new = "removed", last["old"], None
        elif first["kind"] == "new":
            kind, old, new = "new", None, last["new"]
        else:
            kind, old, new = "changed", first["old"], last["new"]
        shown = new or old or {}
        item = Item(
            kind=kind, document_id=last["document_id"], url=last["url"], source=last["source"],
            source_kind=last.get("source_kind"), title=shown.get("title") or last["url"],
            published=shown.get("published"), at=last["at"], at_jst=say.moment(last["at"]),
            entry_id=entry_id(last["url"], kind, shown.get("content_hash"), last["at"]),
            change_ids=[c["change_id"] for c in group],
        )
        if new is not None:
            item.mentions, item.amounts, item.organizations = new["mentions"], new["amounts"], new["organizations"]
        if kind == "changed":
            if old and old.get("title") != shown.get("title"):
                item.old_title = old.get("title")
            try:
                ignore = source_ignore_patterns(last.get("source_config"))
                item.diff = diff_versions(old, new, ignore=ignore)
            except PatternError as error:
                raise DigestError(f"source {last['source']}: {error}") from None
        merged.append((item, old, new))
    merged.sort(key=lambda entry: (entry[0].at, entry[0].document_id))
    return merged


# -- alerts -------------------------------------------------------------------------------------------------


def _quote(body: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    quotes: list[str] = []
    for start, end in spans:
        sentence = sentence_around(body, start, end)
        if sentence and sentence not in quotes:
            quotes.append(sentence)
    return quotes


def find_alerts(
    item: Item, old: dict[str, Any] | None, new: dict[str, Any], watched: dict[str, dict[str, Any]],
    say: Texts | None = None,
) -> list[Finding]:
    """What one new or changed document must be flagged for (its alert card's findings): the evidence in the new
    version (ometsuke.evidence), and on a changed document only what the new version brought. Headlines are in
    `say`'s language."""
    say = say or texts()
    body = new.get("body") or ""
    named = named_in(new["mentions"], new["organizations"])
    found = find_evidence(body, named, new["amounts"], list(watched.values()))
    before = named_in(old["mentions"], old["organizations"]) if old else {}
    old_organisations = {name for name, entry in before.items() if entry.role == ORGANISATION}
    pairs_before = {(p, o) for p in before if before[p].role == PERSON for o in old_organisations}
    alerts: list[Finding] = []

    for pair in found.together:
        person, organisation = pair.first, pair.second
        if (person.name, organisation.name) in pairs_before:
            continue
        alerts.append(Finding("together", say("together", person=person.name, organisation=organisation.name),
                              _quote(body, [person.spans[0], organisation.spans[0]]),
                              [person.name, organisation.name]))

    old_yen = {a["yen"] for a in old["amounts"]} if old else set()
    seen_amounts: set[tuple[int, int]] = set()
    for near in found.amounts:  # per amount, the nearest organisation first
        if near.span in seen_amounts:
            continue
        seen_amounts.add(near.span)
        if near.yen in old_yen:
            continue
        old_yen.add(near.yen)  # the same amount twice near an organisation in one page: one alert
        vendor = near.organisation.name
        alerts.append(Finding("amount", say("amount", amount=say.yen(near.yen), organisation=vendor),
                              _quote(body, [near.nearest, near.span]), [vendor], near.yen))

    organisations_now = {name for name, entry in named.items() if entry.role == ORGANISATION}
    shown: set[tuple[str, str]] = set()
    for beside in found.affiliations:  # the first organisation named beside each affiliation
        if (beside.owner, beside.affiliation) in shown:
            continue
        shown.add((beside.owner, beside.affiliation))
        if old and beside.affiliation in (old.get("body") or "") and old_organisations >= organisations_now:
            continue
        alerts.append(Finding(
            "affiliation", say("affiliation", affiliation=beside.affiliation, person=beside.owner,
                               organisation=beside.beside.name),
            _quote(body, [beside.spans[0], beside.beside.spans[0]]), [beside.owner, beside.beside.name],
        ))
    return alerts
