"""`ometsuke schedule`: crawls every crawl_every and the digest daily at digest_at, until stopped."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ometsuke import INTERRUPTED_EXIT
from ometsuke.commands.common import UsageProblem, clear_errors, config_option, load
from ometsuke.digest import FORMATS, DigestError
from ometsuke.locks import LockHeld
from ometsuke.scheduler import ScheduleInterrupted, Scheduler, SchedulerError, schedule_lock


@click.command()
@click.option("--once", is_flag=True, help="One crawl and one digest (last 24 hours), then exit: for cron/systemd.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="Format of the digest written to --out (or printed with --once).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write each digest to this file (e.g. an Atom feed a web server publishes).")
@config_option
def schedule(once: bool, fmt: str, out: Path | None, config_path: Path | None) -> None:
    """Run crawls every [schedule] crawl_every and the digest every day at digest_at (Japan time by default),
    mailed when [mail] is set. One scheduler per database (a lock file beside it); SIGTERM finishes the
    current step and exits; a failed crawl is logged and retried at the next interval. An interrupted crawl
    (Ctrl-C) stops it without a digest, exit 130; so does --once after any stop request.

    \b
    Example:
      ometsuke schedule --config /etc/ometsuke/ometsuke.toml
      ometsuke schedule --once              # from cron: crawl, then print the digest
    """
    config = load(config_path)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with clear_errors():
        try:
            scheduler = Scheduler(config, digest_format=fmt, digest_out=out,
                                  on_digest=(lambda text: click.echo(text, nl=False)) if once and not out else None)
        except SchedulerError as error:
            raise UsageProblem(str(error)) from None
        try:
            with schedule_lock(config.database_path), scheduler.signals_stop():
                if once:
                    scheduler.run_once()
                else:
                    scheduler.run_forever()
        except (SchedulerError, LockHeld, DigestError) as error:
            raise click.ClickException(str(error)) from None
        except ScheduleInterrupted as interrupted:
            click.echo(f"schedule: {interrupted}", err=True)
            click.get_current_context().exit(INTERRUPTED_EXIT)
