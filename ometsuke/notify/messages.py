"""What a notification says: an alert card, a source that turned failing (or recovered), the daily digest, a test.

Each message carries what a reader needs to act without opening anything else: the official and the vendor,
the amount, the quoted sentences, the document's title and URL. `fit` cuts it to one service's length at a
sentence or line boundary and ends it with a link to the rest (the document's URL).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ometsuke.digest import awards
from ometsuke.digest.mail import subject_for
from ometsuke.digest.model import Alert, Digest
from ometsuke.i18n import Texts

_BOUNDARY = re.compile(r"(?<=[。．！？!?])|(?<=\. )|\n")


@dataclass
class Message:
    """One notification; `key` names what it is about, so a channel gets it once (None: no such promise)."""

    event: str  # alerts | failures | digest | test
    key: str | None
    title: str
    body: str
    link: str | None = None  # where the rest is (the document's URL)
    source: str | None = None
    entities: list[str] = field(default_factory=list)
    digest: Digest | None = field(default=None, repr=False, compare=False)  # for the mail channel's HTML part

    def payload(self) -> str:
        data = asdict(self)
        data.pop("digest")
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_payload(cls, text: str) -> Message:
        return cls(**json.loads(text))


def alert_message(alert: Alert, say: Texts) -> Message:
    """The alert card: headlines, the document's title and URL, then the sentences that show it."""
    item = alert.item
    lines = [f"■ {finding.headline}" for finding in alert.findings]
    lines += ["", item.title, item.url, f"{item.source} · {say('seen', moment=item.at_jst)}", ""]
    lines += [f"「{quote}」" if say.language == "ja" else f"“{quote}”" for quote in alert.quotes]
    return Message("alerts", f"alert:{alert.entry_id}", say("notify_alert", title=item.title),
                   "\n".join(lines).strip(), item.url, item.source, alert.entities)


def award_message(award: dict[str, Any], say: Texts) -> Message:
    """An award to a watched vendor, once per channel (keyed by the award's row)."""
    lines = [f"■ {awards.headline(award, say)}", " · ".join(awards.details(award, say)), "", say("award_credit")]
    return Message("alerts", f"award:{award['id']}", say("notify_award", name=award["watched"]), "\n".join(lines),
                   None, None, [award["watched"]])


def failing_message(source: str, run_id: int, since: str | None, reason: str, say: Texts) -> Message:
    """A source that turned failing at run `run_id` (keyed by it: one message per failing streak)."""
    return Message("failures", f"failing:{source}:{run_id}", say("notify_failing", name=source),
                   say("notify_failing_body", name=source, moment=say.moment(since), reason=reason), None, source)


def recovered_message(source: str, run_id: int, at: str, say: Texts) -> Message:
    """A failing source read again at run `run_id`."""
    return Message("failures", f"recovered:{source}:{run_id}", say("notify_recovered", name=source),
                   say("notify_recovered_body", name=source, moment=say.moment(at)), None, source)


def digest_message(digest: Digest, say: Texts) -> Message:
    """The digest as a chat message: the mail's subject as its title, then each alert, source not seen and
    document with its URL (the whole digest stays one `ometsuke digest` away)."""
    lines: list[str] = []
    if digest.alerts:
        lines.append(f"■ {say('alerts')} ({len(digest.alerts)})")
        for alert in digest.alerts:
            lines += [f"・{alert.headline} — {alert.item.title}", f"  {alert.item.url}"]
    lines += awards.notification_lines(digest.awards, say)
    if digest.sources:
        lines.append(f"■ {say('sources_not_seen')} ({len(digest.sources)})")
        lines += [f"・{source.name}: {source.status}: {source.reason}" for source in digest.sources]
    for heading, items in (("new", digest.items()[:digest.new_count]),
                           ("changed", digest.changed), ("removed", digest.removed)):
        if items:
            lines.append(f"■ {say(heading)} ({len(items)})")
            for item in items:
                lines += [f"・{item.title} ({item.source})", f"  {item.url}"]
    if digest.quiet:
        lines.append(say("nothing"))
    lines += ["", say("full_digest")]
    return Message("digest", f"digest:{digest.start}:{digest.end or digest.since}", subject_for(digest),
                   "\n".join(lines), None, digest=digest)


def test_message(channel: str, say: Texts) -> Message:
    return Message("test", None, say("notify_test"), say("notify_test_body", name=channel))


def fit(body: str, limit: int | None, link: str | None, say: Texts) -> str:
    """The body cut to `limit` characters at the last sentence or line end that fits, with where to read on.

    No limit (0 or None), or a body that fits: unchanged. A cut body ends with the document's URL, so the reader
    is one tap from the rest."""
    if not limit or len(body) <= limit:
        return body
    tail = "\n" + (say("rest_at", url=link) if link else say("rest_cut"))
    room = max(0, limit - len(tail))
    head = body[:room]
    cuts = [match.end() for match in _BOUNDARY.finditer(head) if match.end() > room // 2]
    if cuts:
        head = head[:cuts[-1]]
    return head.rstrip() + tail if room else tail.strip()[:limit]
