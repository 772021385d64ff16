"""`ometsuke serve`: Datasette on the database, with descriptions and canned queries (optional extra)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import click

from ometsuke.commands.common import clear_errors, config_option, load, open_existing
from ometsuke.explore import metadata


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@config_option
def serve(host: str, port: int, config_path: Path | None) -> None:
    """Explore the database in Datasette: tables with descriptions and canned queries (mentions of an
    entity, officials and vendors together, amounts by vendor, organisations new this week).
    Needs the optional extra: pip install 'ometsuke[serve]'.

    \b
    Example:
      ometsuke serve --port 8001     # then open http://127.0.0.1:8001/
    """
    config = load(config_path)
    with clear_errors():
        open_existing(config).close()  # migrate it, or fail with one clear line (never create an empty one)
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("ometsuke serve needs Datasette: pip install 'ometsuke[serve]'")
    database = config.database_path
    # Beside the database, so `datasette ometsuke.db --metadata ometsuke.db.datasette.json` gives the same view.
    meta = database.with_name(database.name + ".datasette.json")
    try:
        meta.write_text(json.dumps(metadata(database.stem), ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {meta}: {error.strerror}") from None
    command = [sys.executable, "-m", "datasette", "serve", str(database), "--metadata", str(meta),
               "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000"]
    click.echo(f"Datasette on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)  # become Datasette: signals reach it directly, nothing is orphaned
