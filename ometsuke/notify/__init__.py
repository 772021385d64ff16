"""Notifications: where every one starts (`notify`), whatever asked for it (a crawl, the digest, a test).

`notify(config, event)` turns the event into messages, queues each for every channel that asked for its kind
(once per channel and key, remembered in the `deliveries` table, so an unchanged re-crawl or a restart sends
nothing again), then sends what every channel has waiting. A channel that is down keeps its messages queued
with the reason and blocks no other; nothing here raises into a crawl or a digest.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from db import open_database
from ometsuke.config import Config
from ometsuke.digest.build import alerts_in_runs
from ometsuke.digest.model import Digest
from ometsuke.i18n import Texts, texts
from ometsuke.notify.channels import Channel, DeliveryError, Flushed, channels_for, safe
from ometsuke.notify.messages import (
    Message,
    alert_message,
    award_message,
    digest_message,
    failing_message,
    recovered_message,
    test_message,
)
from ometsuke.vendors import awards_to_watched

log = logging.getLogger(__name__)


@dataclass
class CrawlDone:
    """A crawl finished: its runs (as run_crawl returns them)."""

    runs: Sequence[Mapping[str, Any]]


@dataclass
class DigestMade:
    """The daily digest was built (the [mail] channel gets it too when `mail`)."""

    digest: Digest
    mail: bool = True
    chat: bool = True  # the [[notify]] channels with "digest" in `on`


@dataclass
class NotifyReport:
    queued: dict[str, int] = field(default_factory=dict)  # channel -> messages newly queued
    channels: list[Flushed] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        for flushed in self.channels:
            text = f"{flushed.channel}: sent {flushed.sent}"
            if flushed.pending:
                text += f", {flushed.pending} waiting ({flushed.error})"
            parts.append(text)
        return "; ".join(parts) or "no channels"


def messages_for(db: sqlite_utils.Database, event: CrawlDone | DigestMade, language: str) -> list[Message]:
    """What an event has to say: a crawl's alerts and the sources that turned failing or recovered; a digest."""
    say = texts(language)
    if isinstance(event, DigestMade):
        return [digest_message(event.digest, say)]
    runs = list(event.runs)
    found = [alert_message(alert, say) for alert in alerts_in_runs(db, [run["id"] for run in runs], language=language)]
    found += award_messages(db, runs, say)
    for run in runs:
        previous = db.execute("select health from runs where source = ? and id < ? order by id desc limit 1",
                              [run["source"], run["id"]]).fetchone()
        before = previous[0] if previous else None
        if run.get("health") == "failing" and before != "failing":
            found.append(failing_message(run["source"], run["id"], run.get("started_at"),
                                         say.reason(run.get("health_detail"), run.get("health_reason")), say))
        elif run.get("health") in ("ok", "degraded") and before == "failing":  # read again
            found.append(recovered_message(run["source"], run["id"], run.get("started_at") or "", say))
    return found


def award_messages(db: sqlite_utils.Database, runs: Sequence[Mapping[str, Any]], say: Texts) -> list[Message]:
    """Awards to watched vendors first seen since the crawl before these runs started (stored by this crawl, or
    imported since the last one); each is queued once per channel (its key), so overlapping windows repeat none."""
    starts = [run["started_at"] for run in runs if run.get("started_at")]
    if not starts:
        return []
    previous = db.execute("select max(started_at) from runs where started_at < ?", [min(starts)]).fetchone()[0]
    return [award_message(award, say) for award in awards_to_watched(db, previous or min(starts), None)]


def notify(
    config: Config, event: CrawlDone | DigestMade, *, db: sqlite_utils.Database | None = None,
    environ: Mapping[str, str] | None = None,
) -> NotifyReport:
    """Queue the event's messages for every channel that wants them, then send every channel's queue.

    Never raises for a channel that fails: its messages wait (with the reason) for the next call."""
    say = texts(config.digest.language)
    channels = [channel for channel in channels_for(config, say, environ) if _takes_part(channel, event)]
    report = NotifyReport()
    if not channels:
        return report
    own = db is None
    db = open_database(config.database_path) if db is None else db
    try:
        messages = messages_for(db, event, config.digest.language)
        for channel in channels:
            report.queued[channel.name] = sum(channel.enqueue(db, m) for m in messages if channel.wants(m))
        for channel in channels:
            report.channels.append(_flush(channel, db))
    finally:
        if own:
            db.close()
    return report


def _takes_part(channel: Channel, event: CrawlDone | DigestMade) -> bool:
    """[mail] only for a digest asked to be mailed; [[notify]] channels for a crawl, or a digest asked for them."""
    if isinstance(event, DigestMade):
        return event.mail if channel.kind == "mail" else event.chat
    return channel.kind != "mail"


def _flush(channel: Channel, db: sqlite_utils.Database) -> Flushed:
    try:
        return channel.flush(db)
    except Exception as error:  # noqa: BLE001 (one broken channel must not stop the others or the crawl)
        reason = safe(f"{type(error).__name__}: {error}")
        log.warning("notify %s failed: %s", channel.name, reason)
        return Flushed(channel.name, 0, 0, reason)


def notify_after_crawl(config: Config, runs: Sequence[Mapping[str, Any]]) -> NotifyReport | None:
    """The crawl's hook (run_crawl, used by the crawl command and the scheduler): never fails the crawl."""
    if not config.notify:
        return None
    try:
        report = notify(config, CrawlDone(runs))
    except Exception as error:  # noqa: BLE001
        log.warning("notifications skipped: %s", safe(str(error)))
        return None
    if report.channels:
        log.info("notify: %s", report.summary())
    return report


def send_test(config: Config, name: str | None = None, environ: Mapping[str, str] | None = None
              ) -> list[tuple[str, str | None]]:
    """Send a test message to every channel (or the named one) now, unqueued: (channel, error or None)."""
    say = texts(config.digest.language)
    channels = channels_for(config, say, environ)
    if name is not None:
        channels = [channel for channel in channels if channel.name == name]
    results = []
    for channel in channels:
        try:
            channel.send(test_message(channel.name, say))
            results.append((channel.name, None))
        except DeliveryError as error:
            results.append((channel.name, safe(str(error))))
        except Exception as error:  # noqa: BLE001
            results.append((channel.name, safe(f"{type(error).__name__}: {error}")))
    return results


def channel_status(config: Config, db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Per configured channel: last sent, messages waiting, the last error of what waits."""
    names = ([channel.name for channel in channels_for(config, texts(config.digest.language), {})])
    found = []
    for name in names:
        sent, waiting = db.execute(
            "select max(sent_at), sum(sent_at is null) from deliveries where channel = ?", [name]).fetchone()
        error = db.execute(
            "select last_error from deliveries where channel = ? and sent_at is null and last_error is not null "
            "order by last_attempt_at desc limit 1", [name]).fetchone()
        kind = "mail" if config.mail is not None and name == "mail" else "apprise"
        found.append({"channel": name, "kind": kind, "last_sent_at": sent, "queued": int(waiting or 0),
                      "last_error": error[0] if error else None})
    return found


__all__ = ["CrawlDone", "DigestMade", "NotifyReport", "channel_status", "notify", "notify_after_crawl",
           "send_test"]
