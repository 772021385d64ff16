"""`ometsuke vendor NAME|NUMBER`: the profile of one company, by its 法人番号."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ometsuke.commands.common import UsageProblem, clear_errors, config_option, json_option, load, open_existing


@click.command()
@click.argument("query", metavar="NAME|NUMBER")
@config_option
@json_option
def vendor(query: str, config_path: Path | None, as_json: bool) -> None:
    """The profile of a company: its registry record and former names, its awards (total, by ministry and by
    fiscal year, largest first), the documents that name it (under any of its names, or as an organisation
    resolved to its 法人番号), the watched officials named in them, and the amounts near it.

    A name that several companies have lists them and exits 2: give the corporate number. A [[watch]] entry (or
    watch.csv row) whose name or alias is NAME and that has a corporate_number decides who NAME is, homonyms or
    not ("resolved through the watch list"). An unknown name or number exits 1.

    \b
    Example:
      ometsuke vendor 株式会社ミライ
      ometsuke vendor 7000000000002 --json
    """
    from ometsuke.vendors import VendorError, format_profile, vendor_profile

    config = load(config_path)
    with clear_errors():
        watch = config.watch_as_written()  # as written: its pins decide who a name is
        db = open_existing(config)
        try:
            profile = vendor_profile(db, query, watch)
        except VendorError as error:
            if not error.candidates:
                raise click.ClickException(str(error)) from None
            for candidate in error.candidates:
                click.echo(f"{candidate['corporate_number']}  {candidate['name'] or '-'}  "
                           f"{candidate['prefecture'] or ''}{candidate['city'] or ''}"
                           + ("  (closed)" if candidate["closed"] else ""), err=True)
            raise UsageProblem(str(error)) from None
        finally:
            db.close()
    if as_json:
        click.echo(json.dumps(profile, ensure_ascii=False, indent=2))
    else:
        click.echo(format_profile(profile), nl=False)
