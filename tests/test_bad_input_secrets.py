"""The SMTP password comes only from the environment and never shows: not in output, logs (DEBUG included), the
database or the config, whether the login succeeds or is refused. Through `ometsuke digest --mail` on a real
SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from db import open_database
from ometsuke.cli import main

pytest.importorskip("aiosmtpd", reason="aiosmtpd (dev extra) runs the SMTP server")
from support.smtp import Inbox, smtp_server  # noqa: E402

GOOD_PASSWORD = "correct-horse-秘密-7781"
WRONG_PASSWORD = "wrong-battery-staple-4412"

CONFIG = """
[database]
path = "mail.db"
[mail]
host = "127.0.0.1"
port = {port}
from = "ometsuke@example.org"
to = ["desk@example.org"]
starttls = false
username = "ometsuke"
password_env = "OMETSUKE_TEST_SMTP_SECRET"
"""


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server(Inbox(GOOD_PASSWORD), auth=True) as served:
        yield served


@pytest.mark.parametrize("password", [GOOD_PASSWORD, WRONG_PASSWORD])
def test_smtp_password_never_shows(
    tmp_path: Path, smtp: tuple[Inbox, int], password: str, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    if "digest" not in main.list_commands(click.Context(main)):
        pytest.skip("`ometsuke digest` is not built yet")
    handler, port = smtp
    config = tmp_path / "ometsuke.toml"
    config.write_text(CONFIG.format(port=port), encoding="utf-8")
    open_database(tmp_path / "mail.db").close()  # an empty database, as after a first crawl that found nothing
    monkeypatch.setenv("OMETSUKE_TEST_SMTP_SECRET", password)
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(main, ["digest", "--mail", "--config", str(config)])
    if password == GOOD_PASSWORD:
        assert result.exit_code == 0, result.output
        assert len(handler.messages) == 1
    else:
        assert result.exit_code == 1, result.output
        assert "refused the login" in result.output
    everything = result.output + caplog.text + config.read_text(encoding="utf-8")
    assert password not in everything
    database = open_database(tmp_path / "mail.db")
    try:
        for table in database.table_names():
            for row in database[table].rows:
                assert password not in repr(row), table
    finally:
        database.close()
    for path in tmp_path.iterdir():
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path  # WAL and journal files included
