"""`ometsuke connections A B`: the timeline of evidence tying two watched entities together."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ometsuke.commands.common import UsageProblem, clear_errors, config_option, json_option, load, open_existing
from ometsuke.connections import ConnectionsError, find_connections, format_text
from ometsuke.i18n import texts


@click.command()
@click.argument("a")
@click.argument("b")
@config_option
@json_option
def connections(a: str, b: str, config_path: Path | None, as_json: bool) -> None:
    """What ties A to B: documents naming both, documents naming one with an affiliation of the other
    (an official's former company beside a vendor), amounts near the vendor. Each item with source, date,
    URL and the quoted sentence, oldest first. A and B are watch-list names or aliases. The timeline is
    in [digest] language (Japanese by default); --json keys stay English.

    \b
    Example:
      ometsuke connections 宮坂学 デジタルガレージ
      ometsuke connections '宮坂 学' デジタルガレージ --json
    """
    config = load(config_path)
    say = texts(config.digest.language)
    with clear_errors():
        db = open_existing(config)
        try:
            found = find_connections(db, a, b, say)
        except ConnectionsError as error:
            raise UsageProblem(str(error)) from None
        finally:
            db.close()
    if as_json:
        click.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(found, say), nl=False)
