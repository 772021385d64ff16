"""Mailing the digest to a real SMTP server (aiosmtpd on 127.0.0.1): multipart, auth, STARTTLS, retry."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.net import free_port
from support.smtp import Inbox
from support.smtp import smtp_server as serve_smtp
from test_digest_data import DAY, FIRST_DAY, build

from ometsuke.config import MailConfig
from ometsuke.digest import build_digest
from ometsuke.digest.mail import MailError, deliver_digest, send_pending

PASSWORD = "s3cret-パス"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    with serve_smtp(Inbox(PASSWORD), auth=True) as served:
        yield served


def mail_config(port: int, **changes) -> MailConfig:
    values = {"host": "127.0.0.1", "port": port, "from_addr": "ometsuke@example.org",
              "to": ("desk@example.org", "chief@example.org"), "starttls": False}
    values.update(changes)
    return MailConfig(**values)


def test_digest_arrives_as_multipart_text_and_html(tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    db, _ = build(tmp_path)
    report = deliver_digest(db, build_digest(db, FIRST_DAY, language="en"), mail_config(port), environ={})
    assert len(report.sent) == 1 and report.pending == 0
    assert inbox.envelopes == [("ometsuke@example.org", ["desk@example.org", "chief@example.org"])]
    message = inbox.messages[0]
    assert message["Subject"] == "ometsuke digest 2026-11-26 (JST): 2 alert(s), 5 new"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "**¥16,506,875 near デジタルガレージ**" in text
    assert "<h2>Alerts (2)</h2>" in html
    row = db["deliveries"].get(report.sent[0])
    assert row["sent_at"] and row["attempts"] == 1 and row["last_error"] is None


def test_login_uses_the_password_from_the_environment_only(tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    db, _ = build(tmp_path)
    config = mail_config(port, username="ometsuke", password_env="OMETSUKE_TEST_SMTP_PASSWORD")
    deliver_digest(db, build_digest(db, DAY, language="en"), config, environ={"OMETSUKE_TEST_SMTP_PASSWORD": PASSWORD})
    assert inbox.logins and inbox.logins[0][0] == "ometsuke"
    assert len(inbox.messages) == 1


def test_missing_password_variable_is_a_clear_error_and_the_digest_waits(tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    db, _ = build(tmp_path)
    config = mail_config(port, username="ometsuke", password_env="OMETSUKE_TEST_SMTP_PASSWORD")
    with pytest.raises(MailError, match="OMETSUKE_TEST_SMTP_PASSWORD, which is not set"):
        deliver_digest(db, build_digest(db, DAY, language="en"), config, environ={})
    assert inbox.messages == []
    assert db.execute("select count(*) from deliveries where sent_at is null").fetchone()[0] == 1


def test_wrong_password_says_the_login_was_refused_without_the_password(tmp_path: Path, smtp_server) -> None:
    _, port = smtp_server
    db, _ = build(tmp_path)
    config = mail_config(port, username="ometsuke", password_env="PW")
    with pytest.raises(MailError, match="refused the login for 'ometsuke' \\(535\\)") as caught:
        deliver_digest(db, build_digest(db, DAY, language="en"), config, environ={"PW": "wrong-password"})
    assert "wrong-password" not in str(caught.value)
    row = next(db["deliveries"].rows)
    assert "wrong-password" not in row["last_error"]


def test_a_failed_send_is_retried_on_the_next_run(tmp_path: Path) -> None:
    db, _ = build(tmp_path)
    port = free_port()  # nothing listens here yet
    with pytest.raises(MailError, match=rf"cannot connect to 127.0.0.1:{port}: .*stay queued and will be sent"):
        deliver_digest(db, build_digest(db, FIRST_DAY, language="en"), mail_config(port), environ={})
    row = next(db["deliveries"].rows)
    assert row["sent_at"] is None and row["attempts"] == 1 and "cannot connect" in row["last_error"]

    with serve_smtp(port=port) as (inbox, _):
        report = deliver_digest(db, build_digest(db, DAY, language="en"), mail_config(port), environ={})
    assert len(report.sent) == 2
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects[0].startswith("ometsuke digest 2026-11-26") and subjects[1].startswith("ometsuke digest 2026-11-27")
    assert send_pending(db, mail_config(port), environ={}).sent == []  # nothing left to send


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return key, cert


def test_starttls_with_a_certificate_the_client_trusts(tmp_path: Path, tls_files, monkeypatch) -> None:
    key, cert = tls_files
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # ssl.create_default_context() trusts it, as a system CA would
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with serve_smtp(Inbox(PASSWORD), auth=True, tls_context=context, require_starttls=True) as (inbox, port):
        db, _ = build(tmp_path)
        config = mail_config(port, starttls=True, username="ometsuke", password_env="PW")
        deliver_digest(db, build_digest(db, DAY, language="en"), config, environ={"PW": PASSWORD})
    assert len(inbox.messages) == 1 and inbox.logins[0][0] == "ometsuke"
