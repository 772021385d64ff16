"""`ometsuke crawl`: crawl the configured sources and print a one-screen summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ometsuke.commands.common import clear_errors, config_option, json_option, load
from ometsuke.config import user_agent_warning
from ometsuke.crawl import INTERRUPTED_EXIT, CrawlFailed, CrawlInterrupted, run_crawl
from scrapers.items import reason_beside_url

SUMMARY_COLUMNS = ("fetched", "new", "changed", "unchanged", "not_modified", "removed", "errors")


def format_summary(runs: list[dict[str, Any]]) -> str:
    """A table of the runs' counters, then the failed URLs with their reasons."""
    if not runs:
        return "no runs recorded"
    width = max(len("source"), *(len(run["source"]) for run in runs))
    headers = ("fetched", "new", "changed", "same", "304", "removed", "errors")
    lines = [f"{'source':<{width}}  " + "  ".join(f"{h:>7}" for h in headers) + "  status"]
    for run in runs:
        counts = "  ".join(f"{run[c] or 0:>7}" for c in SUMMARY_COLUMNS)
        lines.append(f"{run['source']:<{width}}  {counts}  {run['status']}")
    for run in runs:
        for error in run.get("error_list", []):
            lines.append(f"  ! {run['source']}: {error['url']}: {reason_beside_url(error['reason'], error['url'])}")
        hidden = (run["errors"] or 0) - len(run.get("error_list", []))
        if hidden > 0:
            lines.append(f"  ! {run['source']}: … {hidden} more in fetch_errors (run {run['id']})")
    return "\n".join(lines)


@click.command()
@click.option("--source", "sources", multiple=True, help="Crawl only this source (repeatable).")
@click.option("--verbose", "-v", is_flag=True,
              help="Also show Scrapy's messages and the tracebacks of failures (always in DATABASE.crawl.log).")
@config_option
@json_option
def crawl(sources: tuple[str, ...], verbose: bool, config_path: Path | None, as_json: bool) -> None:
    """Crawl the configured sources: store new and changed pages, detect removed ones.

    A crawl in which some pages failed still succeeds (exit 0): the failures are counted
    in the summary and listed in the fetch_errors table; their details are in the crawl
    log beside the database (ometsuke.db.crawl.log). Ctrl-C stops the crawl cleanly: what
    was stored is kept, the summary is printed, the runs are marked interrupted (exit 130).

    \b
    Example:
      ometsuke crawl --source tokyo-press --config ometsuke.toml
    """
    config = load(config_path)
    warning = user_agent_warning(config)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    with clear_errors():
        try:
            runs = run_crawl(config, sources, quiet=as_json, verbose=verbose)
        except CrawlFailed as error:
            raise click.ClickException(str(error)) from None
        except CrawlInterrupted as interrupted:
            click.echo(json.dumps(interrupted.runs, ensure_ascii=False, indent=2) if as_json
                       else format_summary(interrupted.runs))
            click.echo(str(interrupted), err=True)
            click.get_current_context().exit(INTERRUPTED_EXIT)
    click.echo(json.dumps(runs, ensure_ascii=False, indent=2) if as_json else format_summary(runs))
