"""`ometsuke init`: write the commented starter config."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ometsuke.commands.common import UsageProblem, os_error_line
from ometsuke.config import DEFAULT_CONFIG_NAME


def starter_config() -> str:
    return resources.files("ometsuke").joinpath("starter.toml").read_text(encoding="utf-8")


@click.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_CONFIG_NAME, show_default=True, help="Where to write the config.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(config_path: Path, force: bool) -> None:
    """Write a commented starter config with real sources and the motivating watch list.

    \b
    Example:
      ometsuke init && ometsuke crawl --source tokyo-press
    """
    if config_path.exists() and not force:
        raise UsageProblem(f"{config_path} already exists; use --force to overwrite it")
    try:
        config_path.parent.mkdir(parents=True, exist_ok=True)
        config_path.write_text(starter_config(), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(os_error_line(error, "write")) from None
    click.echo(f"wrote {config_path}: 8 sources (Tokyo press, bureaus, newsrooms, feeds) and 4 watch entries")
