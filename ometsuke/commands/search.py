"""`ometsuke search`: full-text search over titles and bodies; Japanese words of any length (都, 入札, 宮坂)."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlite_utils

from db.award_search import search_awards
from db.search import SearchError
from db.search import search as run_search
from ometsuke.commands.common import UsageProblem, clear_errors, config_option, json_option, load, open_existing
from ometsuke.config import Config
from ometsuke.digest.build import DigestError, parse_since, show_jst


def check_source(db: sqlite_utils.Database, config: Config, name: str) -> None:
    """A --source that is neither configured nor in the database is a typo, not an empty result (exit 2)."""
    stored = [row[0] for row in db.execute("select name from sources order by name")]
    known = list(dict.fromkeys([s.name for s in config.sources] + stored))
    if name not in known:
        raise UsageProblem(f"{config.path}: no source named {name!r} (sources: {', '.join(known) or 'none'})")


@click.command()
@click.argument("query")
@click.option("--source", help="Only this source.")
@click.option("--since", help="Only page versions fetched since this date or date-time (Japan time).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@config_option
@json_option
def search(query: str, source: str | None, since: str | None, limit: int, config_path: Path | None,
           as_json: bool) -> None:
    """Search page titles and bodies, and award titles and winners. Words must all occur; "quoted phrases"; OR
    between two words.

    Matching is by substring, so 1- and 2-character words work (都, 入札) and ガレージ finds
    デジタルガレージ; full-width and half-width letters and digits match each other. Newest first,
    one hit per page: its newest version that matches (flagged when a later version no longer does,
    and when the page has been removed from its site). Then the awards (national award data) whose title or
    winner contains the words, most recently decided first (not with --source). An unknown --source is an error
    (exit 2).

    \b
    Example:
      ometsuke search 入札 --since 2026-11-01
      ometsuke search '宮坂 デジタルガレージ' --json
      ometsuke search '"ワクチン接種" OR 予約システム' --source tokyo-press
    """
    config = load(config_path)
    with clear_errors():
        db = open_existing(config)
        try:
            if source:
                check_source(db, config, source)
            since_utc = parse_since(since) if since else None
            hits = run_search(db, query, source=source, since=since_utc, limit=limit)
            # Awards come from no configured source: a --source search is a search of that source's pages.
            award_hits = [] if source else search_awards(db, query, since=since_utc, limit=limit)
        except (SearchError, DigestError) as error:
            raise UsageProblem(str(error)) from None
        finally:
            db.close()
    if as_json:
        found = [{"kind": "page", **hit.as_dict()} for hit in hits] + [hit.as_dict() for hit in award_hits]
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not hits and not award_hits:
        click.echo(f"No page contains {query}.")
        return
    for hit in hits:
        older = "" if hit.latest else " (an older version of this page)"
        if hit.removed_at:
            older += f" (removed from the site {show_jst(hit.removed_at)})"
        click.echo(f"{hit.title}{older}\n  {hit.url}\n  {hit.source} · {hit.published or '-'} · fetched "
                   f"{show_jst(hit.fetched_at)}\n  {hit.snippet}\n")
    if award_hits:
        click.echo(f"Awards ({len(award_hits)}), 出典：調達ポータル:")
        for award in award_hits:
            yen = f"¥{award.yen:,}" if award.yen is not None else "-"
            click.echo(f"  {award.decided or '-'}  {yen}  {award.title}\n    {award.vendor}"
                       + (f" (法人番号 {award.corporate_number})" if award.corporate_number else "")
                       + f" · {award.ministry or '-'} · case {award.case_number}")
