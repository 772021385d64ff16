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

EXIT_SOURCE_FAILING = 3  # the crawl finished, but a source's list or feed could not be read or yielded nothing
SUMMARY_COLUMNS = ("fetched", "new", "changed", "unchanged", "not_modified", "removed", "errors")


def format_summary(runs: list[dict[str, Any]]) -> str:
    """A table of the runs' counters, then the failed URLs with their reasons."""
    if not runs:
        return "no runs recorded"
    width = max(len("source"), *(len(run["source"]) for run in runs))
    headers = ("fetched", "new", "changed", "same", "304", "removed", "errors")
    status_width = max(len("status"), *(len(run["status"] or "") for run in runs))
    lines = [f"{'source':<{width}}  " + "  ".join(f"{h:>7}" for h in headers)
             + f"  {'status':<{status_width}}  health"]
    for run in runs:
        counts = "  ".join(f"{run[c] or 0:>7}" for c in SUMMARY_COLUMNS)
        lines.append(f"{run['source']:<{width}}  {counts}  {run['status'] or '':<{status_width}}  "
                     f"{run.get('health') or '-'}")
    for run in runs:
        if run.get("health") not in (None, "ok"):
            lines.append(f"  {run['health']}: {run['source']}: {run.get('health_reason') or ''}")
    for run in runs:
        for error in run.get("error_list", []):
            if error["reason"] != run.get("health_reason"):  # a failed list page is said once, as the health
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

    Every source's run gets a health verdict: ok; degraded (some pages failed, or the
    list yielded under half its usual number of releases); failing (its list page or
    feed could not be read or yielded nothing).

    \b
    Exit codes:
      0  done (some pages may have failed: they are counted and listed)
      1  the crawl could not run
      2  bad usage or config
      3  done, but at least one source is failing (all others were crawled)

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
    if any_failing(runs):
        raise SystemExit(EXIT_SOURCE_FAILING)


def any_failing(runs: list[dict[str, Any]]) -> bool:
    """True when a source's list page or feed could not be read or yielded nothing (exit 3)."""
    return any(run.get("health") == "failing" for run in runs)
