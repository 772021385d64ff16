"""The docs stay true to the code: every command has help with an example and is in the README, and every
config key the loader accepts is in the README's configuration table."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ometsuke import config as config_module
from ometsuke.cli import main

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(main), ids=lambda value: str(value))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    if not isinstance(command, click.Group):
        assert "Example" in result.output, f"`ometsuke {name} --help` has no example"
    assert f"ometsuke {name}" in README, f"`ometsuke {name}` is not in the README"


def test_every_config_key_is_documented() -> None:
    tables = [config_module.SOURCE_KEYS, config_module.WATCH_KEYS, config_module.DATABASE_KEYS,
              config_module.CRAWL_KEYS, config_module.SCHEDULE_KEYS, config_module.MAIL_KEYS,
              config_module.NOTIFY_KEYS, config_module.DIGEST_KEYS,
              *config_module.SPIDER_KEYS.values()]
    missing = sorted({key for table in tables for key in table if f"`{key}`" not in README})
    assert not missing, f"config keys missing from the README: {missing}"
