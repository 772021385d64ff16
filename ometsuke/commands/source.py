"""`ometsuke source add NAME URL`: look at a URL the way a crawl would and add it as a source."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ometsuke.commands.common import UsageProblem, config_option, json_option, load
from ometsuke.config import SOURCE_KINDS, ConfigError
from ometsuke.source_add import FetchError, NothingFound, SourcePlan, add_planned, plan_source

SHOWN = 10
_WHAT = {"feed": "a feed", "newsroom": "a list page", "page": "a single page"}


def _describe(plan: SourcePlan) -> str:
    found = plan.discovery
    lines = [f"{plan.url} is {_WHAT[plan.spider]} (spider {plan.spider})" + (f": {found.title}" if found.title else "")]
    if plan.spider == "page":
        lines.append("no release list or feed here: the page itself will be watched, and its changes reported")
        if found.feeds_advertised:
            lines.append(f"it points to a feed, which may suit better: {found.feeds_advertised[0]}")
    else:
        lines.append(f"releases: {len(found.releases)}")
        for release in found.releases[:SHOWN]:
            lines.append(f"  {release.date or '????-??-??'}  {release.title}  <{release.url}>")
        if len(found.releases) > SHOWN:
            lines.append(f"  … and {len(found.releases) - SHOWN} more")
    if plan.spider == "newsroom":
        if found.follow:
            lines.append(f"follow: {found.follow}  (selects exactly these {len(found.releases)} links)")
        else:
            lines.append("follow: none (no simple selector picks exactly these links; each crawl detects them)")
    if plan.allowed_domains:
        lines.append(f"other hosts the source will fetch from (allowed_domains): {', '.join(plan.allowed_domains)}")
    return "\n".join(lines)


@click.group()
def source() -> None:
    """Manage the configured sources."""


@source.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default=None,
              help="Publisher kind (default: government for go.jp/lg.jp and pref./city. hosts, else corporate).")
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@config_option
@json_option
def add(name: str, url: str, kind: str | None, dry_run: bool, config_path: Path | None, as_json: bool) -> None:
    """Fetch URL (robots.txt and [crawl] settings obeyed), tell a feed, a list page or a single page apart,
    show the releases found and the [[source]] entry, and append it to the config (comments kept).

    Exits 1 when the URL cannot be fetched or holds nothing to watch (it says what it tried), 2 when the
    name is already taken or the config is bad.

    \b
    Example:
      ometsuke source add naha-news https://www.city.naha.okinawa.jp/news.rss --dry-run
      ometsuke source add oricon https://www.oricon.co.jp/news/ --kind media
    """
    config = load(config_path)
    try:
        plan = plan_source(config, name, url, kind)
    except ConfigError as error:
        raise UsageProblem(str(error)) from None
    except (FetchError, NothingFound) as error:
        raise click.ClickException(str(error)) from None
    written = False
    if not dry_run:
        try:
            add_planned(config.path, plan)
        except ConfigError as error:
            raise UsageProblem(f"{error}; nothing was written") from None
        written = True
    if as_json:
        click.echo(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(_describe(plan))
    click.echo("")
    click.echo(plan.toml, nl=False)
    click.echo("")
    if written:
        click.echo(f'added source "{name}" to {config.path}; crawl it with `ometsuke crawl --source {name}`')
    else:
        click.echo(f"dry run: {config.path} not changed")
