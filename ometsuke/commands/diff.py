"""`ometsuke diff`: what changed, with sentence-level text diffs (the latest crawl by default)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from db import queries
from ometsuke.commands.common import UsageProblem, clear_errors, config_option, json_option, load, open_existing
from ometsuke.digest.build import DigestError, build_items, parse_since
from ometsuke.digest.model import Item


def _lines(item: Item, additions: bool) -> list[str]:
    label = {"new": "NEW", "changed": "CHANGED", "removed": "REMOVED"}[item.kind]
    out = [f"{label}  {item.title}", f"  {item.url}", f"  {item.source} · {item.at_jst}"]
    if item.diff is None:
        return out
    if not item.diff.lines:
        out.append("  (only volatile text changed: update dates, counters, ignore patterns)")
        return out
    for line in item.diff.additions() if additions else item.diff.lines:
        where = "" if line.part == "body" else f"{line.part}: "
        if additions:
            out.append(f"  + {where}{line.added_text()}")
        else:
            sign = {"added": "+", "removed": "-", "changed": "~"}[line.kind]
            out.append(f"  {sign} {where}{line.marked()}")
    return out


@click.command()
@click.option("--run", "run_id", type=int, help="Changes of this crawl run (see the runs table).")
@click.option("--since", help="Changes since a date or date-time, Japan time (2026-11-27 or 2026-11-27T09:00).")
@click.option("--source", help="Only this source.")
@click.option("--additions", is_flag=True,
              help="Additions-only view: what was added, nothing about deletions (removed pages left out).")
@click.option("--all", "show_noise", is_flag=True, help="Also list changes confined to volatile text.")
@config_option
@json_option
def diff(run_id: int | None, since: str | None, source: str | None, additions: bool, show_noise: bool,
         config_path: Path | None, as_json: bool) -> None:
    """Show what changed: new, changed (sentence diff, changed characters as [-old-]{+new+}) and removed pages.

    Without --run or --since: the latest run of every source.

    \b
    Example:
      ometsuke diff --since 2026-11-27 --additions
      ometsuke diff --run 12 --json
    """
    if run_id is not None and since:
        raise UsageProblem("give --run or --since, not both")
    config = load(config_path)
    with clear_errors():
        db = open_existing(config)
        try:
            if run_id is not None:
                if db.execute("select 1 from runs where id = ?", [run_id]).fetchone() is None:
                    raise UsageProblem(f"no run {run_id} in {config.database_path}; see `ometsuke crawl` output")
                changes = queries.changes_in_run(db, run_id)
            elif since:
                changes = queries.changes_since(db, parse_since(since), source=source)
            else:
                changes = queries.changes_in_latest_runs(db, source=source)
            if source:
                changes = [c for c in changes if c["source"] == source]
            items = [item for item, _, _ in build_items(changes)]
        except DigestError as error:
            raise UsageProblem(str(error)) from None
        finally:
            db.close()
    hidden = 0
    if not show_noise:
        shown = [i for i in items if i.diff is None or i.diff.lines]
        hidden, items = len(items) - len(shown), shown
    if additions:  # what was added, nothing about deletions: a removed page is a deletion
        items = [i for i in items if i.kind != "removed"]
    if as_json:
        payload: list[dict[str, Any]] = [i.as_dict() for i in items]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    # The crawl counted the hidden ones as changed too: say so, so that its numbers and these always add up.
    note = f"{hidden} change(s) only in volatile text not shown: ometsuke diff --all" if hidden else ""
    if not items:
        click.echo(f"No changes ({note})." if note else "No changes.")
        return
    blocks = ["\n".join(_lines(item, additions)) for item in items]
    click.echo("\n\n".join(blocks + ([note] if note else [])))
