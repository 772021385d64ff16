"""What a digest holds: plain dataclasses, so every renderer (Markdown, HTML, Atom, JSON, mail) shows the same facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ometsuke.diffing import DiffLine, TextDiff

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
class Alert:
    """Something a reader must not miss, with the sentence that shows it."""

    kind: str  # together | amount | affiliation
    headline: str
    item: Item
    quotes: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    yen: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "headline": self.headline, "quotes": self.quotes, "entities": self.entities,
            "yen": self.yen, "url": self.item.url, "title": self.item.title, "source": self.item.source,
            "at_jst": self.item.at_jst, "entry_id": self.item.entry_id,
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
    new: dict[str, list[Item]] = field(default_factory=dict)  # source -> items
    changed: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    noise_suppressed: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.alerts or self.new or self.changed or self.removed)

    @property
    def new_count(self) -> int:
        return sum(len(items) for items in self.new.values())

    def items(self) -> list[Item]:
        """Every reported item once, in digest order (feeds use this)."""
        return [item for items in self.new.values() for item in items] + self.changed + self.removed

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "day": self.day.isoformat() if self.day else None, "since": self.since,
            "start": self.start, "end": self.end, "generated_at": self.generated_at, "empty": self.empty,
            "alerts": [a.as_dict() for a in self.alerts],
            "new": {source: [i.as_dict() for i in items] for source, items in self.new.items()},
            "changed": [i.as_dict() for i in self.changed],
            "removed": [i.as_dict() for i in self.removed],
            "noise_suppressed": [
                {"url": i.url, "title": i.title, "source": i.source, "at_jst": i.at_jst}
                for i in self.noise_suppressed
            ],
        }
