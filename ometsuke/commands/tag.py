"""`ometsuke tag`: what the tagger finds in one text or HTML file: mentions, amounts, companies, dates."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nlp.watchlist import WatchEntry
from ometsuke.commands.common import UsageProblem, config_option, json_option, load
from ometsuke.config import DEFAULT_CONFIG_NAME, ConfigError


def database_path(config_path: Path | None) -> Path | None:
    """The config's database (its registry resolves organisations), when there is a config."""
    if config_path is None and not Path(DEFAULT_CONFIG_NAME).exists():
        return None
    return load(config_path).database_path


def watch_entries(config_path: Path | None, *, required: bool) -> list[WatchEntry]:
    """The config's [[watch]] entries plus the imported watch.csv beside it.

    Without --config and without ./ometsuke.toml, `tag` still runs (amounts, dates and companies need no
    watch list); `required` commands exit 2 instead.
    """
    if config_path is None and not Path(DEFAULT_CONFIG_NAME).exists() and not required:
        click.echo(f"note: no {DEFAULT_CONFIG_NAME} here and no --config: tagging without a watch list", err=True)
        return []
    config = load(config_path)
    try:
        return config.watch_list()
    except ConfigError as error:
        raise UsageProblem(str(error)) from None


def read_input(file: Path | None) -> str:
    """Text of FILE (or stdin): bytes decoded as the spiders do; HTML reduced to its visible text."""
    from nlp.html import looks_like_html, visible_text
    from scrapers.extract import decode_bytes

    if file is None:
        data = sys.stdin.buffer.read()
        where = "stdin"
    else:
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise UsageProblem(f"{file}: no such file") from None
        except IsADirectoryError:
            raise UsageProblem(f"{file}: is a directory; give a text or HTML file") from None
        except OSError as error:
            raise UsageProblem(f"{file}: cannot read: {error.strerror}") from None
        where = str(file)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UsageProblem(f"{where}: binary data; give a text or HTML file (use `ometsuke extract` for PDFs)")
    text = decode_bytes(data).text
    return visible_text(text) if looks_like_html(text) else text


def _pad(text: str, width: int) -> str:
    """Left-justify for a terminal: East Asian wide and full-width characters take two columns."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def _table(result: dict) -> str:
    lines: list[str] = []
    sections = (
        ("mentions", lambda m: f"{m['entity']} ({m['kind']})", lambda m: m["context"]),
        ("amounts", lambda a: f"{a['yen']:,} yen", lambda a: ""),
        ("organizations", lambda o: o["name"] + (" [watched]" if o["watched"] else "")
         + (f" 法人番号 {o['corporate_number']}" if o.get("corporate_number") else ""), lambda o: ""),
        ("dates", lambda d: d["date"], lambda d: ""),
    )
    for name, label, extra in sections:
        items = result[name]
        lines.append(f"{name} ({len(items)})")
        for item in items:
            line = f"  {item['start']:>6}-{item['end']:<6} {_pad(item['surface'], 24)} {label(item)}"
            context = extra(item)
            lines.append(line.rstrip() + (f"\n{'':16}「{context}」" if context else ""))
    return "\n".join(lines)


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=True))
@config_option
@json_option
def tag(file: Path | None, config_path: Path | None, as_json: bool) -> None:
    """Tag a text or HTML file (stdin if no FILE) with the watch list.

    Finds watched officials and vendors (with the sentence around each), yen amounts as integers, dates as
    ISO, and companies by legal form (watched or not), each with its 法人番号 when the config's database holds
    the registry and exactly one registered company fits its name and the place the text gives. HTML is reduced
    to the visible text of its body first; offsets index that text. The watch list is the config's [[watch]]
    entries plus watch.csv beside it.

    \b
    Example:
      ometsuke tag release.html
      echo '宮坂副知事は丸紅株式会社と16,506,875円で契約' | ometsuke tag --json
    """
    text = read_input(file)
    entries = watch_entries(config_path, required=config_path is not None)
    from nlp import Tagger
    from ometsuke.registry import registry_lookup

    lookup = registry_lookup(database_path(config_path))
    result = Tagger(entries, lookup).tag(text).to_dict()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(result))
