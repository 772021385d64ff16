"""`ometsuke digest`: the daily digest (alerts, new, changed, removed) as Markdown, HTML, Atom or JSON; mailed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ometsuke.commands.common import UsageProblem, clear_errors, config_option, load, open_existing
from ometsuke.digest import FORMATS, DigestError, build_digest, render
from ometsuke.digest.build import parse_since
from ometsuke.digest.mail import MailError, deliver_digest


@click.command()
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Japan-time day (default today, JST).")
@click.option("--since", help="Everything since a date or date-time, Japan time, instead of one day.")
@click.option("--source", help="Only this source.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--mail", "mail", is_flag=True,
              help="Also e-mail it (text + HTML) with [mail] from the config; undelivered ones are retried.")
@config_option
def digest(day: dt.datetime | None, since: str | None, source: str | None, fmt: str, as_json: bool,
           out: Path | None, mail: bool, config_path: Path | None) -> None:
    """The daily digest: alerts (a watched official with a watched vendor; amounts near a vendor), the sources
    not seen (failing, degraded or not crawled in the period), new pages per source with their mentions, changed
    pages with sentence diffs, removed pages. Times in Japan time.

    \b
    Example:
      ometsuke digest                                  # today (JST), Markdown
      ometsuke digest --date 2026-11-27 --format html --out digest.html
      ometsuke digest --since 2026-11-20 --format atom --out feed.xml
      ometsuke digest --mail
    """
    if day and since:
        raise UsageProblem("give --date or --since, not both")
    config = load(config_path)
    if mail and config.mail is None:
        raise UsageProblem(f"--mail needs a [mail] table in {config.path}")
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
                                 configured=[s.name for s in config.sources])
            text = render(built, fmt)
            if out:
                try:
                    out.write_text(text, encoding="utf-8")
                except OSError as error:
                    raise click.ClickException(f"cannot write {out}: {error.strerror}") from None
            else:
                click.echo(text, nl=False)
            if mail and config.mail is not None:
                report = deliver_digest(db, built, config.mail)
                click.echo(report.summary(), err=True)
        except DigestError as error:
            raise UsageProblem(str(error)) from None
        except MailError as error:
            raise click.ClickException(str(error)) from None
        finally:
            db.close()
