"""`ometsuke registry import / find`: the NTA 法人番号 registry (出典：国税庁法人番号公表サイト)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from db import open_database
from db.opendata import OpenDataError
from db.registry import BadRow
from ometsuke.commands.common import UsageProblem, clear_errors, config_option, json_option, load

REGISTRY_CREDIT = "出典：国税庁法人番号公表サイト"
SHOWN_BAD_ROWS = 20


@click.group()
def registry() -> None:
    """The 法人番号 registry: import the NTA bulk files, find organisations by name.

    \b
    Example:
      ometsuke registry import 00_zenkoku_all_20261130.zip
      ometsuke registry find 'ＮＴＴデータ' --prefecture 東京都
    """


def progress_printer(label: str, quiet: bool) -> Callable[[int, float], None] | None:
    """Rows and rows/s on stderr, at most once a second; None (no output) when quiet."""
    if quiet:
        return None
    from ometsuke.registry import progress_gate, rows_per_second

    due = progress_gate()

    def show(rows: int, elapsed: float) -> None:
        if due():
            click.echo(f"{label}: {rows:,} rows ({rows_per_second(rows, elapsed):,.0f} rows/s)", err=True)

    return show


def bad_row_printer(quiet: bool, kept: list[dict[str, object]]) -> Callable[[BadRow], None]:
    """Each bad row on stderr as `file: line N: problem` (the first few; all are counted), or into `kept`."""
    shown = [0]

    def report(bad: BadRow) -> None:
        entry = {"file": bad.where, "line": bad.line, "problem": bad.problem}
        if len(kept) < 1000:
            kept.append(entry)
        if quiet:
            return
        shown[0] += 1
        if shown[0] <= SHOWN_BAD_ROWS:
            click.echo(f"{bad.where}: line {bad.line}: {bad.problem}; skipped" if "kept" not in bad.problem
                       else f"{bad.where}: line {bad.line}: {bad.problem}", err=True)
        elif shown[0] == SHOWN_BAD_ROWS + 1:
            click.echo("… more bad rows: see the totals (--json lists up to 1,000)", err=True)

    return report


def run_import(
    config_path: Path | None, as_json: bool, label: str, credit: str, importer: Callable[..., Any],
    files: tuple[Path, ...],
) -> Any:
    """Open the database, run an importer (registry or awards) with progress and bad-row reports, close it; print
    the JSON totals under --json and return None, else return the totals for the caller's summary line."""
    config = load(config_path)
    bad_rows: list[dict[str, object]] = []
    with clear_errors():
        db = open_database(config.database_path)
        try:
            totals = importer(db, files, progress=progress_printer(label, as_json),
                              on_bad=bad_row_printer(as_json, bad_rows))
        except OpenDataError as error:
            raise UsageProblem(f"{error}; nothing after it was imported") from None
        finally:
            db.close()
    if as_json:
        click.echo(json.dumps({**totals.as_dict(), "bad_rows": bad_rows, "credit": credit},
                              ensure_ascii=False, indent=2))
        return None
    return totals


@registry.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@config_option
@json_option
def import_(files: tuple[Path, ...], config_path: Path | None, as_json: bool) -> None:
    """Import NTA bulk files (全件 or 差分; ZIP or CSV; Unicode or Shift_JIS) into `corporations`.

    Download them from the 法人番号公表サイト (基本3情報ダウンロード); no key is needed. Rows are applied in
    order of 更新年月日 and 一連番号, never over a newer record, so files may come in any order and twice.
    Renamed companies keep their former names. Bad rows are reported with file and line and skipped.

    \b
    Example:
      ometsuke registry import 13_tokyo_all_20261130.zip
      ometsuke registry import diff_20261201.zip diff_20261202.zip --json
    """
    from ometsuke.registry import import_files

    totals = run_import(config_path, as_json, "registry import", REGISTRY_CREDIT, import_files, files)
    if totals is None:
        return
    rate = totals.rows / totals.seconds if totals.seconds else 0
    click.echo(f"{totals.rows:,} rows from {totals.files} file(s) in {totals.seconds:.1f} s ({rate:,.0f} rows/s): "
               f"{totals.imported:,} imported, {totals.bad:,} bad rows skipped, {totals.written:,} records written")
    click.echo(REGISTRY_CREDIT)


@registry.command("find")
@click.argument("name")
@click.option("--prefecture", help="Only organisations registered in this prefecture (東京都 or 東京).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="At most this many (every exact homonym is listed whatever the limit).")
@config_option
@json_option
def find(name: str, prefecture: str | None, limit: int, config_path: Path | None, as_json: bool) -> None:
    """Organisations in the registry with this name, best first (score 0..1).

    Width (ＮＴＴ/NTT), case, spacing, variant kanji (髙/高, 齋/斎) and the legal form and where it is written
    (株式会社X, X株式会社, ㈱X, （株）X) do not matter. Every organisation with the name is listed (homonyms);
    former names are found too and flagged. Then names that start with the one asked for.

    \b
    Example:
      ometsuke registry find 'NTTデータ'
      ometsuke registry find '㈱ミライ' --prefecture 大阪府 --json
    """
    from ometsuke.registry import current_keys
    from ometsuke.registry import find as find_candidates

    config = load(config_path)
    with clear_errors():
        db = open_database(config.database_path)
        try:
            current_keys(db)
            candidates = find_candidates(db, name, prefecture=prefecture, limit=limit)
            empty = not candidates and db.execute("select 1 from corporations limit 1").fetchone() is None
        finally:
            db.close()
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in candidates], ensure_ascii=False, indent=2))
        return
    if empty:
        click.echo("The registry is empty: import the NTA files first (`ometsuke registry import FILE`).")
        return
    if not candidates:
        click.echo(f"No organisation named {name}" + (f" in {prefecture}." if prefecture else "."))
        return
    for c in candidates:
        place = " ".join(p for p in (c.prefecture, c.city) if p) or "-"
        notes = []
        if c.former:
            notes.append(f"formerly {c.matched_name}")
        if c.closed:
            notes.append(f"closed {c.closed}" + (f", successor {c.successor}" if c.successor else ""))
        extra = f"  ({'; '.join(notes)})" if notes else ""
        click.echo(f"{c.score:.2f}  {c.corporate_number}  {c.name}  {place}{extra}")
    click.echo(REGISTRY_CREDIT)
