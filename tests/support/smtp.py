"""A real SMTP server for tests (aiosmtpd on 127.0.0.1) that keeps every message it is sent and the logins it took."""

from __future__ import annotations

import contextlib
import email
from collections.abc import Iterator
from email import policy
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from support.net import free_port


class Inbox:
    """aiosmtpd handler: the messages and envelopes it accepted, and the logins whose password was `password`."""

    def __init__(self, password: str | None = None) -> None:
        self.password = password
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and auth_data.password.decode() == self.password:
            self.logins.append((auth_data.login.decode(), mechanism))
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@contextlib.contextmanager
def smtp_server(
    inbox: Inbox | None = None, *, port: int | None = None, auth: bool = False, **options: Any
) -> Iterator[tuple[Inbox, int]]:
    """Serve SMTP on 127.0.0.1 (a free port unless given) while the block runs; `auth` checks logins against the
    inbox's password (over plain SMTP unless a `tls_context` is given); other options go to aiosmtpd's Controller."""
    inbox = inbox or Inbox()
    if auth:
        options.setdefault("authenticator", inbox.authenticate)
        if "tls_context" not in options:
            options.setdefault("auth_require_tls", False)
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port(), **options)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
