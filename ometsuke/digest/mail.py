"""E-mailing the digest: multipart text (Markdown) + HTML, through the [mail] SMTP server.

Every digest to send is first queued in the `deliveries` table; a send that fails leaves it there with the
reason, and the next run sends it before the new one. The password comes only from the environment variable
that `password_env` names: it is never stored, logged or put into an error message.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import sqlite_utils

from db.clock import utc_now
from ometsuke.config import MAIL_CHANNEL
from ometsuke.digest.model import Digest
from ometsuke.digest.render_html import render_html
from ometsuke.digest.render_markdown import render_markdown
from ometsuke.i18n import texts

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30


class MailError(Exception):
    """A digest could not be sent; the message says why and that it will be retried."""


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    pending: int = 0

    def summary(self) -> str:
        text = f"mailed {len(self.sent)} digest(s)"
        return text + (f"; {self.pending} still waiting" if self.pending else "")


def subject_for(digest: Digest) -> str:
    """The title and the counts, sources not seen first: a blind watch must show in the inbox list itself."""
    say = texts(digest.language)
    counts = []
    for health in ("failing", "not crawled", "degraded"):
        number = sum(1 for source in digest.sources if source.health == health)
        if number:
            counts.append(say("count_sources", count=number, health=say.health(health))
                          .replace("source(s)", "source" if number == 1 else "sources"))
    if digest.alerts:
        counts.append(say("count_alerts", count=len(digest.alerts)))
    if digest.awards:
        counts.append(say("count_awards", count=len(digest.awards)))
    for label, number in (("new", digest.new_count), ("changed", len(digest.changed)),
                          ("removed", len(digest.removed))):
        if number:
            counts.append(say(f"count_{label}", count=number))
    return digest.title + ": " + (say("subject_sep").join(counts) if counts else say("nothing_new"))


def queue_digest(db: sqlite_utils.Database, digest: Digest, mail: Any) -> int:
    """Store the rendered digest as a delivery to make; returns its id."""
    with db.atomic():
        return int(db["deliveries"].insert({
            "digest": digest.day.isoformat() if digest.day else f"since {digest.since}",
            "subject": subject_for(digest), "recipients": json.dumps(list(mail.to), ensure_ascii=False),
            "text": render_markdown(digest), "html": render_html(digest), "created_at": utc_now(), "attempts": 0,
            "channel": MAIL_CHANNEL, "kind": "mail",
        }).last_pk)


def build_message(delivery: Mapping[str, Any], mail: Any) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = delivery["subject"]
    message["From"] = mail.from_addr
    message["To"] = ", ".join(json.loads(delivery["recipients"]))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=mail.from_addr.rpartition("@")[2] or None)
    message.set_content(delivery["text"])
    message.add_alternative(delivery["html"], subtype="html")
    return message


def _password(mail: Any, environ: Mapping[str, str]) -> str | None:
    if not mail.username:
        return None
    if not mail.password_env:
        raise MailError("[mail] username is set but password_env is not: name the environment variable "
                        "that holds the SMTP password")
    password = environ.get(mail.password_env)
    if not password:
        raise MailError(f"[mail] password_env names {mail.password_env}, which is not set in the environment")
    return password


def _send(message: EmailMessage, mail: Any, password: str | None) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if getattr(mail, "ssl", False):
        smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=TIMEOUT_SECONDS)
    with smtp:
        smtp.ehlo()
        if mail.starttls and not getattr(mail, "ssl", False):
            smtp.starttls(context=context)
            smtp.ehlo()
        if mail.username:
            _login(smtp, mail.username, password or "")
        refused = smtp.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib.login, except that non-ASCII credentials go as UTF-8 AUTH PLAIN (RFC 4616), which smtplib refuses."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN, needed for a non-ASCII user name or password")
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, response = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, response)


def _reason(error: BaseException, mail: Any) -> str:
    where = f"{mail.host}:{mail.port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"{where} refused the login for {mail.username!r} ({error.smtp_code})"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"{where} refused the recipients {', '.join(error.recipients)}"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"{where} does not support {error} (check starttls/ssl in [mail])"
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return f"{where} answered {error.smtp_code} {detail}"
    if isinstance(error, ssl.SSLError):
        return f"TLS with {where} failed: {error.reason or error}"
    if isinstance(error, socket.timeout | TimeoutError):
        return f"{where} did not answer within {TIMEOUT_SECONDS} s"
    if isinstance(error, OSError):
        return f"cannot connect to {where}: {error.strerror or error}"
    return f"{where}: {error}"


def send_pending(
    db: sqlite_utils.Database, mail: Any, *, environ: Mapping[str, str] | None = None
) -> DeliveryReport:
    """Send every queued digest, oldest first; stop at the first failure (the rest stay queued) and raise."""
    environ = os.environ if environ is None else environ
    report = DeliveryReport()
    pending = list(db["deliveries"].rows_where("sent_at is null and channel = ?", [MAIL_CHANNEL], order_by="id"))
    try:
        password = _password(mail, environ) if pending else None
    except MailError as error:
        raise MailError(f"mail not sent: {error}; {len(pending)} digest(s) stay queued") from None
    for index, delivery in enumerate(pending):
        now = utc_now()
        try:
            _send(build_message(delivery, mail), mail, password)
        except (smtplib.SMTPException, OSError) as error:
            reason = _reason(error, mail)
            with db.atomic():
                db["deliveries"].update(delivery["id"], {
                    "attempts": (delivery["attempts"] or 0) + 1, "last_attempt_at": now, "last_error": reason,
                })
            report.pending = len(pending) - index
            log.warning("digest %s not mailed: %s", delivery["digest"], reason)
            raise MailError(
                f"mail not sent: {reason}; {report.pending} digest(s) stay queued and will be sent on the next run"
            ) from None
        with db.atomic():
            db["deliveries"].update(delivery["id"], {
                "attempts": (delivery["attempts"] or 0) + 1, "last_attempt_at": now, "sent_at": now,
                "last_error": None,
            })
        report.sent.append(delivery["id"])
        log.info("digest %s mailed to %s", delivery["digest"], delivery["recipients"])
    return report


def send_note(mail: Any, subject: str, text: str, *, environ: Mapping[str, str] | None = None) -> None:
    """Send one short plain-text mail now, unqueued (`ometsuke notify test`); MailError says why it did not go."""
    environ = os.environ if environ is None else environ
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, mail.from_addr, ", ".join(mail.to)
    message["Date"] = formatdate(localtime=False)
    message.set_content(text)
    try:
        _send(message, mail, _password(mail, environ))
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(_reason(error, mail)) from None


def deliver_digest(
    db: sqlite_utils.Database, digest: Digest, mail: Any, *, environ: Mapping[str, str] | None = None
) -> DeliveryReport:
    """Queue this digest and send everything queued (earlier failures first)."""
    queue_digest(db, digest, mail)
    return send_pending(db, mail, environ=environ)
