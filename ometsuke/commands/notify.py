"""`ometsuke notify test|status`: try every notification channel now; see what each sent, holds and why."""

from __future__ import annotations

import json
from pathlib import Path

import click

from db import open_database
from ometsuke.commands.common import UsageProblem, clear_errors, config_option, json_option, load
from ometsuke.notify import channel_status, send_test


@click.group()
def notify() -> None:
    """Notification channels: [[notify]] entries (Slack, Teams, LINE, Discord, ntfy, webhooks via apprise) and
    [mail]. Alerts and failing sources go out after each crawl; the digest at [schedule] digest_at.

    \b
    Example:
      ometsuke notify test            # a test message to every channel
      ometsuke notify status --json   # last sent, queued, last error per channel
    """


@notify.command("test")
@click.argument("name", required=False)
@config_option
@json_option
def test(name: str | None, config_path: Path | None, as_json: bool) -> None:
    """Send a test message to every channel, or to NAME, and say whether it went (exit 1 if any failed).

    \b
    Example:
      ometsuke notify test team-slack
    """
    config = load(config_path)
    known = (["mail"] if config.mail is not None else []) + [channel.name for channel in config.notify]
    if not known:
        raise UsageProblem(f"no channels in {config.path}: add a [[notify]] entry or a [mail] table")
    if name is not None and name not in known:
        raise UsageProblem(f"{config.path}: no channel named {name!r} (channels: {', '.join(known)})")
    results = send_test(config, name)
    if as_json:
        click.echo(json.dumps([{"channel": channel, "sent": error is None, "error": error}
                               for channel, error in results], ensure_ascii=False, indent=2))
    else:
        for channel, error in results:
            click.echo(f"{channel}: sent" if error is None else f"{channel}: FAILED: {error}")
    if any(error is not None for _, error in results):
        raise SystemExit(1)


@notify.command("status")
@config_option
@json_option
def status(config_path: Path | None, as_json: bool) -> None:
    """Per channel: when it last sent, how many messages wait, and why the last attempt failed.

    \b
    Example:
      ometsuke notify status
    """
    config = load(config_path)
    with clear_errors():
        db = open_database(config.database_path)
        try:
            rows = channel_status(config, db)
        finally:
            db.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no channels configured ([[notify]] or [mail])")
        return
    for row in rows:
        line = f"{row['channel']} ({row['kind']}): last sent {row['last_sent_at'] or 'never'}, {row['queued']} queued"
        if row["last_error"]:
            line += f"; last error: {row['last_error']}"
        click.echo(line)
