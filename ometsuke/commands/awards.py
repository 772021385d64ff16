"""`ometsuke awards import`: national award data from the 調達ポータル (出典：調達ポータル)."""

from __future__ import annotations

from pathlib import Path

import click

from ometsuke.commands.common import config_option, json_option
from ometsuke.commands.registry import run_import

AWARDS_CREDIT = "出典：調達ポータル"


@click.group()
def awards() -> None:
    """National award data (落札実績) from the 調達ポータル.

    \b
    Example:
      ometsuke awards import successful_bid_record_info_all_2026.zip
    """


@awards.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@config_option
@json_option
def import_(files: tuple[Path, ...], config_path: Path | None, as_json: bool) -> None:
    """Import p-portal 落札実績 files (ZIP or CSV) into `awards`, one row per winner of a case.

    Re-importing a file changes nothing; a row whose values changed is updated and its old values are kept in
    `award_changes`. Winners without a 法人番号 may be private persons: stored as published, marked
    `maybe_private`. Bad rows are reported with file and line and skipped.

    \b
    Example:
      ometsuke awards import successful_bid_record_info_all_2026.zip
      ometsuke awards import successful_bid_record_info_diff_20261201.zip --json
    """
    from db.awards import import_awards

    totals = run_import(config_path, as_json, "awards import", AWARDS_CREDIT, import_awards, files)
    if totals is None:
        return
    click.echo(f"{totals.rows:,} rows from {totals.files} file(s): {totals.new:,} new, {totals.changed:,} changed, "
               f"{totals.unchanged:,} unchanged, {totals.bad:,} bad rows skipped "
               f"({totals.maybe_private:,} winners without a 法人番号, marked maybe_private)")
    click.echo(AWARDS_CREDIT)
