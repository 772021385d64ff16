"""The kinds of channel a message can go to, and the only module that knows how each one sends.

- `apprise`: every [[notify]] entry (Slack, Teams workflows, LINE, Discord, ntfy, mail, any webhook through
  json://…): apprise builds and posts the request; we only cut the text to the service's `body_maxlen`.
- `mail`: the [mail] table (SMTP, through ometsuke.digest.mail): the daily digest as text and HTML.

Adding a kind means one class here with `name`, `kind`, `on`, `wants`, `enqueue`, `flush` and `send`, and one
line in `channels_for`.

Secrets: a channel is known by its name only. Its URL (from the config or the variable `url_env` names) is read
when a message is sent and never printed, logged or stored; apprise's own log lines and errors (which may quote
the URL or its token) pass through `scrub` first.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

import sqlite_utils

from db.clock import utc_now
from ometsuke.config import MAIL_CHANNEL, Config, MailConfig, NotifyConfig
from ometsuke.i18n import Texts
from ometsuke.notify.messages import Message, fit

log = logging.getLogger(__name__)
_SECRETS: set[str] = set()  # every URL part a channel has resolved in this process, for `scrub`
_MASK = "***"


class DeliveryError(Exception):
    """A message could not be sent; the text is safe to show (no URL, no token)."""


def _secret_parts(url: str) -> set[str]:
    """The URL and every part of it that can hold a token: user, password, path segments, query values."""
    parts = {url, url.partition("://")[2]}
    try:
        split = urlsplit(url)
    except ValueError:
        return {part for part in parts if part}
    netloc = split.netloc.rpartition("@")
    if netloc[1]:
        parts.add(netloc[0])
        parts.update(unquote(piece) for piece in netloc[0].split(":"))
    parts.add(split.path)
    parts.update(unquote(piece) for piece in split.path.split("/"))
    parts.update(value for _, value in parse_qsl(split.query))
    if not netloc[1] and split.scheme not in ("json", "jsons", "xml", "form", "ntfy", "ntfys"):
        parts.add(split.hostname or "")  # slack://TOKEN/…, line://TOKEN/…: the "host" is a token
    return {part for part in parts if len(part) >= 4}


def scrub(text: str) -> str:
    """The text with every known URL part masked (longest first, so a URL is masked whole)."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return text


class _ScrubFilter(logging.Filter):
    """Masks secrets in apprise's and urllib3's own log records before any handler (a DEBUG log file) sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            record.msg, record.args = scrub(record.getMessage()), ()
        return True


_FILTER = _ScrubFilter()
for _name in ("apprise", "urllib3.connectionpool", "urllib3.util.retry", "requests"):
    logging.getLogger(_name).addFilter(_FILTER)


@dataclass
class Flushed:
    """What one channel's queue did: sent now, still waiting, and why the last attempt failed."""

    channel: str
    sent: int = 0
    pending: int = 0
    error: str | None = None


class Channel(Protocol):
    name: str
    kind: str
    on: tuple[str, ...]

    def wants(self, message: Message) -> bool: ...
    def enqueue(self, db: sqlite_utils.Database, message: Message) -> bool: ...
    def flush(self, db: sqlite_utils.Database) -> Flushed: ...
    def send(self, message: Message) -> None: ...


class AppriseChannel:
    """A [[notify]] entry: messages queue in `deliveries` (one per key) and go out through apprise."""

    kind = "apprise"

    def __init__(self, config: NotifyConfig, say: Texts, environ: Mapping[str, str]) -> None:
        self.config, self.say, self.environ = config, say, environ
        self.name, self.on = config.name, config.on

    def wants(self, message: Message) -> bool:
        if message.event == "test":
            return True
        if message.event not in self.on:
            return False
        if self.config.sources and message.source is not None and message.source not in self.config.sources:
            return False
        if self.config.watch and message.event == "alerts":
            return bool(set(self.config.watch) & set(message.entities))
        return True

    def _url(self) -> str:
        if self.config.url_env:
            url = self.environ.get(self.config.url_env, "")
            if not url:
                raise DeliveryError(f"the environment variable {self.config.url_env} (url_env) is not set")
        else:
            url = self.config.url or ""
        _SECRETS.update(_secret_parts(url))
        return url

    def send(self, message: Message) -> None:
        import apprise

        url = self._url()
        service = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if service is None:
            raise DeliveryError("apprise cannot parse this channel's URL")
        limit = getattr(service, "body_maxlen", 0) or 0
        title = message.title
        if not getattr(service, "title_maxlen", 0):  # LINE and the like: apprise puts the title into the body
            limit = max(0, limit - len(title) - 2) if limit else limit
        body = fit(message.body, limit, message.link, self.say)
        urllib3_log = logging.getLogger("urllib3")
        level = urllib3_log.level
        urllib3_log.setLevel(max(level, logging.WARNING))  # its DEBUG lines quote request paths (tokens)
        try:
            with apprise.LogCapture(level=logging.WARNING) as captured:
                sender = apprise.Apprise()
                sender.add(service)
                went = sender.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
        finally:
            urllib3_log.setLevel(level)
        if not went:
            lines = [line.split(" - ", 2)[-1].strip() for line in captured.getvalue().splitlines() if line.strip()]
            raise DeliveryError(scrub("; ".join(lines[-2:]) or "apprise could not send the message"))

    def enqueue(self, db: sqlite_utils.Database, message: Message) -> bool:
        """Queue once per (channel, key); False if this channel already has it (sent or waiting)."""
        with db.atomic():
            db["deliveries"].insert({
                "channel": self.name, "kind": self.kind, "key": message.key, "payload": message.payload(),
                "digest": message.event, "subject": message.title, "text": message.body, "created_at": utc_now(),
                "attempts": 0,
            }, ignore=True)
            return bool(db.execute("select changes()").fetchone()[0])

    def flush(self, db: sqlite_utils.Database) -> Flushed:
        """Send what waits for this channel, oldest first; at the first failure the rest wait for the next try."""
        report = Flushed(self.name)
        pending = list(db["deliveries"].rows_where("channel = ? and sent_at is null", [self.name], order_by="id"))
        for index, row in enumerate(pending):
            now = utc_now()
            try:
                self.send(Message.from_payload(row["payload"]))
            except DeliveryError as error:
                reason = scrub(str(error))
                with db.atomic():
                    db["deliveries"].update(row["id"], {"attempts": (row["attempts"] or 0) + 1,
                                                        "last_attempt_at": now, "last_error": reason})
                report.pending, report.error = len(pending) - index, reason
                log.warning("notify %s: not sent, %d waiting: %s", self.name, report.pending, reason)
                return report
            with db.atomic():
                db["deliveries"].update(row["id"], {"attempts": (row["attempts"] or 0) + 1, "last_attempt_at": now,
                                                    "sent_at": now, "last_error": None})
            report.sent += 1
        if report.sent:
            log.info("notify %s: sent %d message(s)", self.name, report.sent)
        return report


class MailChannel:
    """The [mail] table: the daily digest, queued and sent by ometsuke.digest.mail (its own retry queue)."""

    kind = "mail"
    name = MAIL_CHANNEL
    on = ("digest",)

    def __init__(self, config: MailConfig, environ: Mapping[str, str]) -> None:
        self.config, self.environ = config, environ

    def wants(self, message: Message) -> bool:
        return message.event == "test" or (message.event == "digest" and message.digest is not None)

    def enqueue(self, db: sqlite_utils.Database, message: Message) -> bool:
        from ometsuke.digest.mail import queue_digest

        assert message.digest is not None
        queue_digest(db, message.digest, self.config)
        return True

    def flush(self, db: sqlite_utils.Database) -> Flushed:
        from ometsuke.digest.mail import MailError, send_pending

        try:
            report = send_pending(db, self.config, environ=self.environ)
        except MailError as error:
            waiting = db.execute("select count(*) from deliveries where channel = ? and sent_at is null",
                                 [self.name]).fetchone()[0]
            return Flushed(self.name, 0, waiting, str(error))
        return Flushed(self.name, len(report.sent), report.pending)

    def send(self, message: Message) -> None:
        from ometsuke.digest.mail import MailError, send_note

        try:
            send_note(self.config, message.title, message.body, environ=self.environ)
        except MailError as error:
            raise DeliveryError(str(error)) from None


def channels_for(config: Config, say: Texts, environ: Mapping[str, str] | None = None) -> list[Any]:
    """Every channel the config names: [mail] first (if set), then each [[notify]] entry in order."""
    environ = os.environ if environ is None else environ
    found: list[Any] = [MailChannel(config.mail, environ)] if config.mail is not None else []
    found += [AppriseChannel(entry, say, environ) for entry in config.notify]
    return found


def safe(text: str) -> str:
    """Scrub, and fold to one line (for status output)."""
    return re.sub(r"\s+", " ", scrub(text)).strip()
