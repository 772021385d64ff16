"""`ometsuke watch import / list`: long watch lists kept in watch.csv beside the config.

The config's [[watch]] entries stay where they are; `watch import` checks a CSV completely (nothing is written
if any row is bad) and merges it into watch.csv next to the config, which every command reads as well.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from nlp.watchlist import (
    WATCH_KINDS,
    WatchEntry,
    WatchListError,
    load_watch_csv,
    merge_entries,
    watch_list_path,
    watch_list_with_origins,
    write_watch_csv,
)
from ometsuke.commands.common import UsageProblem, config_option, json_option, load


@click.group()
def watch() -> None:
    """Manage long watch lists (CSV) next to the [[watch]] entries of the config.

    \b
    Example:
      ometsuke watch import officials.csv
      ometsuke watch list --json
    """


IMPORT_HELP = f"""Check FILE.csv and merge it into watch.csv beside the config (all rows or none).

Columns: name, kind ({"|".join(WATCH_KINDS)}), family, titles, aliases, affiliations, corporate_number (a vendor's
13-digit 法人番号, check digit verified); only name and kind are required; lists are separated by |.
A row whose name is already in watch.csv replaces it. UTF-8 (with or without BOM) or Shift_JIS.

\b
Example:
  ometsuke watch import vendors.csv --config ometsuke.toml
with vendors.csv:
  name,kind,family,titles,aliases,affiliations,corporate_number
  デジタルガレージ,vendor,,,Digital Garage,,
  株式会社ミライ,vendor,,,ミライ,,3011001031419
  宮坂学,official,宮坂,副知事,宮坂 学,ヤフー,
"""


@watch.command("import", help=IMPORT_HELP)
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace watch.csv instead of merging into it.")
@config_option
def import_(csv_file: Path, replace: bool, config_path: Path | None) -> None:
    """`watch import`; its help (IMPORT_HELP) lists the kinds of the kind table."""
    config = load(config_path)
    try:
        new = load_watch_csv(csv_file)
    except WatchListError as error:
        raise UsageProblem(str(error)) from None
    in_config = sorted({e.name for e in config.watch} & {e.name for e in new})
    if in_config:
        raise UsageProblem(
            f"{csv_file}: {', '.join(in_config)} already in [[watch]] of {config.path}; "
            "remove them from the CSV or from the config (nothing imported)"
        )
    target = watch_list_path(config.path)
    existing: list[WatchEntry] = []
    if target.exists() and not replace:
        try:
            existing = load_watch_csv(target)
        except WatchListError as error:
            raise UsageProblem(f"{error}; fix it or use --replace") from None
    merged, added, updated = merge_entries(existing, new)
    try:
        write_watch_csv(target, merged)
    except OSError as error:
        raise click.ClickException(f"{target}: cannot write: {error.strerror}") from None
    click.echo(f"{len(new)} entries imported into {target} ({added} added, {updated} updated; {len(merged)} in file)")


@watch.command("list")
@config_option
@json_option
def list_(config_path: Path | None, as_json: bool) -> None:
    """Every watched official and vendor: the config's [[watch]] entries, then watch.csv.

    \b
    Example:
      ometsuke watch list
      ometsuke watch list --json | jq '.[] | select(.kind == "vendor") | .name'
    """
    config = load(config_path)
    try:
        rows = watch_list_with_origins(config.watch, config.path)
    except WatchListError as error:
        raise UsageProblem(str(error)) from None
    if as_json:
        click.echo(json.dumps([
            {"name": e.name, "kind": e.kind, "family": e.family, "titles": list(e.titles),
             "aliases": list(e.aliases), "affiliations": list(e.affiliations),
             "corporate_number": e.corporate_number, "from": origin}
            for origin, e in rows
        ], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no watch entries: add [[watch]] to {config.path} or run `ometsuke watch import FILE.csv`")
        return
    for origin, e in rows:
        details = []
        if e.family:
            details.append(f"family {e.family}" + (f" + {'/'.join(e.titles)}" if e.titles else ""))
        if e.aliases:
            details.append("aka " + ", ".join(e.aliases))
        if e.affiliations:
            details.append("tied to " + ", ".join(e.affiliations))
        if e.corporate_number:
            details.append(f"法人番号 {e.corporate_number}")
        click.echo(f"{e.kind:<9} {e.name:<20} {'; '.join(details)}  [{origin}]".rstrip())
