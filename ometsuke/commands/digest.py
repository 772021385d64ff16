"""`ometsuke digest`: the daily digest (alerts, new, changed, removed) as Markdown, HTML, Atom or JSON; mailed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ometsuke.commands.common import UsageProblem, clear_errors, config_option, load, open_existing
from ometsuke.digest import FORMATS, DigestError, build_digest, render
from ometsuke.digest.build import parse_since
from ometsuke.notify import DigestMade, notify


@click.command()
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Japan-time day (default today, JST).")
@click.option("--since", help="Everything since a date or date-time, Japan time, instead of one day.")
@click.option("--source", help="Only this source.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--mail", "mail", is_flag=True,
              help="Also e-mail it (text + HTML) with [mail] from the config; undelivered ones are retried.")
@click.option("--notify", "to_chat", is_flag=True,
              help='Also send it to the [[notify]] channels with "digest" in `on` (once per period and channel).')
@config_option
def digest(day: dt.datetime | None, since: str | None, source: str | None, fmt: str, as_json: bool,
           out: Path | None, mail: bool, to_chat: bool, config_path: Path | None) -> None:
    """The daily digest: alerts (a watched official with a watched vendor; amounts near a vendor), the sources
    not seen (failing, degraded or not crawled in the period), new pages per source with their mentions, changed
    pages with sentence diffs, removed pages. Times in Japan time.

    \b
    Example:
      ometsuke digest                                  # today (JST), Markdown
      ometsuke digest --date 2026-11-27 --format html --out digest.html
      ometsuke digest --since 2026-11-20 --format atom --out feed.xml
      ometsuke digest --mail --notify
    """
    if day and since:
        raise UsageProblem("give --date or --since, not both")
    config = load(config_path)
    if mail and config.mail is None:
        raise UsageProblem(f"--mail needs a [mail] table in {config.path}")
    if to_chat and not any("digest" in channel.on for channel in config.notify):
        raise UsageProblem(f'--notify needs a [[notify]] entry with "digest" in its `on` in {config.path}')
    fmt = "json" if as_json else fmt
    if since:
        try:
            parse_since(since)  # bad usage is said before a missing database
        except DigestError as error:
            raise UsageProblem(str(error)) from None
    with clear_errors():
        db = open_existing(config)
        try:
            built = build_digest(db, day.date() if day else None, since, source=source,
                                 configured=[s.name for s in config.sources], language=config.digest.language)
            text = render(built, fmt)
            if out:
                try:
                    out.write_text(text, encoding="utf-8")
                except OSError as error:
                    raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
            else:
                click.echo(text, nl=False)
            if mail or to_chat:
                report = notify(config, DigestMade(built, mail=mail, chat=to_chat), db=db)
                click.echo(report.summary(), err=True)
                failed = [channel.error for channel in report.channels if channel.error]
                if failed:
                    raise click.ClickException("; ".join(failed))
        except DigestError as error:
            raise UsageProblem(str(error)) from None
        finally:
            db.close()
