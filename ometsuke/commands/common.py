"""What every command shares: the --config option and turning library errors into one clear line."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import sqlite_utils

from db import DatabaseError, DatabaseMissing, open_database
from ometsuke.config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """Bad usage or config: exit code 2, one line, no traceback."""

    exit_code = 2


def config_option(function: F) -> F:
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        envvar="OMETSUKE_CONFIG", show_envvar=True,
        help=f"Config file (default ./{DEFAULT_CONFIG_NAME}).",
    )(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")(function)


def load(config_path: Path | None) -> Config:
    """Load the config or exit 2 with the one-line reason."""
    try:
        return load_config(config_path)
    except ConfigError as error:
        raise UsageProblem(f"{error}") from None


def open_existing(config: Config) -> sqlite_utils.Database:
    """The database for a command that reads it: a missing one is an error (exit 1), never created empty. The
    registry's stored name keys are made current first (the commands that match names read them)."""
    from ometsuke.registry import current_keys

    db = open_database(config.database_path, create=False)
    try:
        current_keys(db)
    except BaseException:
        db.close()
        raise
    return db


def os_error_line(error: OSError, doing: str = "use") -> str:
    """One line naming the path and the problem ("Permission denied", "Not a directory", "Read-only file system")."""
    where = error.filename if error.filename is not None else "a file"
    return f"cannot {doing} {where}: {error.strerror or error}"


@contextlib.contextmanager
def clear_errors() -> Iterator[None]:
    """Library errors become `Error: …` lines: config problems exit 2, database and file problems exit 1."""
    try:
        yield
    except ConfigError as error:
        raise UsageProblem(str(error)) from None
    except DatabaseMissing as error:
        raise click.ClickException(f'{error}: run "ometsuke crawl" first') from None
    except DatabaseError as error:
        raise click.ClickException(f"{error}; check [database] path in the config") from None
    except OSError as error:
        raise click.ClickException(os_error_line(error)) from None
