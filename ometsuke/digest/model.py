"""What a digest holds: plain dataclasses, so every renderer (Markdown, HTML, Atom, JSON, mail) shows the same facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ometsuke.diffing import DiffLine, TextDiff
from ometsuke.digest.awards import public as public_award
from ometsuke.i18n import DEFAULT_LANGUAGE, texts

MAX_DIFF_LINES = 15  # per document in a digest; `ometsuke diff` shows them all

@dataclass
class Item:
    """One document's change in the digest window (several changes of one document are merged into one item)."""

    kind: str  # new | changed | removed
    document_id: int
    url: str
    source: str
    source_kind: str | None
    title: str
    published: str | None
    at: str  # UTC ISO timestamp of the (last) change
    at_jst: str  # the same, shown in Japan time
    entry_id: str  # stable id for feeds: same change, same id
    change_ids: list[int] = field(default_factory=list)
    old_title: str | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    amounts: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    diff: TextDiff | None = None

    def shown_lines(self) -> list[DiffLine]:
        """The diff lines a digest shows (a rewritten page must not flood the digest)."""
        return self.diff.lines[:MAX_DIFF_LINES] if self.diff is not None else []

    @property
    def hidden_lines(self) -> int:
        return max(0, len(self.diff.lines) - MAX_DIFF_LINES) if self.diff is not None else 0

    def entities(self) -> list[dict[str, Any]]:
        """Each mentioned entity once, with its distinct surfaces, in order of first mention."""
        seen: dict[str, dict[str, Any]] = {}
        for mention in self.mentions:
            entry = seen.setdefault(
                mention["entity"], {"entity": mention["entity"], "kind": mention["kind"], "surfaces": []}
            )
            if mention["surface"] not in entry["surfaces"]:
                entry["surfaces"].append(mention["surface"])
        return list(seen.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "document_id": self.document_id, "url": self.url, "source": self.source,
            "source_kind": self.source_kind, "title": self.title, "old_title": self.old_title,
            "published": self.published, "at": self.at, "at_jst": self.at_jst, "entry_id": self.entry_id,
            "change_ids": self.change_ids, "entities": self.entities(), "mentions": self.mentions,
            "amounts": self.amounts, "organizations": self.organizations,
            "diff": self.diff.as_dict() if self.diff is not None else None,
        }


@dataclass
class Finding:
    """One thing in a document a reader must not miss (a pair, an amount, an affiliation), with its sentences."""

    kind: str  # together | amount | affiliation
    headline: str
    quotes: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    yen: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "headline": self.headline, "quotes": self.quotes, "entities": self.entities,
                "yen": self.yen}


@dataclass
class Alert:
    """One document's alert card: every official–vendor pair, amount and affiliation found in it, so a document
    that names two officials, a vendor and an amount is one card, not four."""

    item: Item
    findings: list[Finding] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The first finding's kind (a pair before an amount before an affiliation)."""
        return self.findings[0].kind

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(f.kind for f in self.findings))

    @property
    def headline(self) -> str:
        return "; ".join(f.headline for f in self.findings)

    @property
    def quotes(self) -> list[str]:
        return list(dict.fromkeys(q for f in self.findings for q in f.quotes))

    @property
    def entities(self) -> list[str]:
        return list(dict.fromkeys(e for f in self.findings for e in f.entities))

    @property
    def pairs(self) -> list[list[str]]:
        return [f.entities for f in self.findings if f.kind == "together"]

    @property
    def amounts(self) -> list[dict[str, Any]]:
        return [{"yen": f.yen, "vendor": f.entities[0]} for f in self.findings if f.kind == "amount"]

    @property
    def entry_id(self) -> str:
        """The card's Atom id: its document change's id, marked as the alert about it."""
        return self.item.entry_id.replace(":change:", ":alert:", 1)

    def as_dict(self) -> dict[str, Any]:
        yen = [f.yen for f in self.findings if f.yen is not None]
        return {
            "kind": self.kind, "kinds": self.kinds, "headline": self.headline, "quotes": self.quotes,
            "entities": self.entities, "yen": yen[0] if yen else None, "pairs": self.pairs, "amounts": self.amounts,
            "findings": [f.as_dict() for f in self.findings], "url": self.item.url, "title": self.item.title,
            "source": self.item.source, "at_jst": self.item.at_jst, "entry_id": self.item.entry_id,
        }


@dataclass
class SourceHealth:
    """A source not (fully) seen in the digest's period: its worst verdict there (failing, degraded), or
    "not crawled" for a configured source with no run at all in the period (a stopped scheduler)."""

    name: str
    health: str  # failing | degraded | not crawled
    reason: str
    failing_since: str | None  # UTC ISO: when the current streak of runs that were not ok began (or last crawl)
    since_jst: str
    last_run_at: str | None = None  # UTC ISO start of the run the reason comes from
    recovered_at: str | None = None  # UTC ISO start of a later ok run inside the period, if there was one
    recovered_jst: str = ""
    language: str = DEFAULT_LANGUAGE

    @property
    def status(self) -> str:
        """'failing since 2026-11-25 07:00 JST (ok again 2026-11-27 13:00 JST)', 'not crawled' (or in Japanese:
        '2026年11月25日（水）7:00から取得失敗（2026年11月27日（金）13:00に復旧）')."""
        say = texts(self.language)
        text = say.health(self.health)
        if self.since_jst and self.health != "not crawled":
            text = say("status_since", health=text, moment=self.since_jst)
        if self.recovered_jst:
            text += say("status_recovered", moment=self.recovered_jst)
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "health": self.health, "status": self.status, "reason": self.reason,
            "failing_since": self.failing_since,
            "since_jst": self.since_jst, "last_run_at": self.last_run_at, "recovered_at": self.recovered_at,
        }


@dataclass
class Digest:
    title: str
    day: dt.date | None
    since: str | None
    start: str  # UTC ISO, inclusive
    end: str | None  # UTC ISO, exclusive (None: up to now)
    generated_at: str
    alerts: list[Alert] = field(default_factory=list)
    sources: list[SourceHealth] = field(default_factory=list)  # sources not seen in the period
    new: dict[str, list[Item]] = field(default_factory=dict)  # source -> items
    changed: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    noise_suppressed: list[Item] = field(default_factory=list)
    awards: list[dict[str, Any]] = field(default_factory=list)  # to watched vendors (ometsuke/digest/awards.py)
    language: str = DEFAULT_LANGUAGE  # of every human-readable string in it; JSON keys stay English

    @property
    def empty(self) -> bool:
        return not (self.alerts or self.sources or self.new or self.changed or self.removed or self.awards)

    @property
    def quiet(self) -> bool:
        """Nothing new, changed or removed and no alert (sources not seen may still be reported)."""
        return not (self.alerts or self.new or self.changed or self.removed or self.awards)

    @property
    def new_count(self) -> int:
        return sum(len(items) for items in self.new.values())

    def items(self) -> list[Item]:
        """Every reported item once, in digest order (feeds use this)."""
        return [item for items in self.new.values() for item in items] + self.changed + self.removed

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "language": self.language, "day": self.day.isoformat() if self.day else None,
            "since": self.since,
            "start": self.start, "end": self.end, "generated_at": self.generated_at, "empty": self.empty,
            "alerts": [a.as_dict() for a in self.alerts],
            "awards": [public_award(a) for a in self.awards],
            "sources": [s.as_dict() for s in self.sources],
            "new": {source: [i.as_dict() for i in items] for source, items in self.new.items()},
            "changed": [i.as_dict() for i in self.changed],
            "removed": [i.as_dict() for i in self.removed],
            "noise_suppressed": [
                {"url": i.url, "title": i.title, "source": i.source, "at_jst": i.at_jst}
                for i in self.noise_suppressed
            ],
        }
