"""`[[watch]]` corporate_number: checked at load (a wrong digit is a config error, exit 2), and a watched vendor with
a number matches every name the registry has for it, former names included, in `tag` and in a crawl's watch list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ometsuke.cli import main
from ometsuke.config import ConfigError, load_config
from tests.support.opendata import corporate_number, nta_csv, nta_row, write_text

SORA = corporate_number(424242)
WATCHED = f"""
[database]
path = "watch.db"

[[watch]]
name = "ソラテック"
kind = "vendor"
corporate_number = "{SORA}"
"""


def wrong_digit(number: str) -> str:
    return str((int(number[0]) % 9) + 1) + number[1:]


def test_a_valid_corporate_number_is_kept_on_the_entry(write_config) -> None:
    config = load_config(write_config(WATCHED))
    assert config.watch[0].corporate_number == SORA
    as_integer = load_config(write_config(WATCHED.replace(f'"{SORA}"', SORA)))
    assert as_integer.watch[0].corporate_number == SORA


@pytest.mark.parametrize(("value", "expected"), [
    (lambda: f'"{wrong_digit(SORA)}"', "check digit"),
    (lambda: '"12345"', "is not 13 digits"),
    (lambda: "true", "must be a 13-digit corporate number"),
])
def test_a_wrong_corporate_number_is_a_config_error_naming_file_entry_and_key(write_config, value, expected) -> None:
    path = write_config(WATCHED.replace(f'"{SORA}"', value()))
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(f'{path}: [[watch]] #1 ("ソラテック"): key "corporate_number"')
    assert expected in message and "\n" not in message
    result = CliRunner().invoke(main, ["watch", "list", "--config", str(path)])
    assert result.exit_code == 2 and "corporate_number" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.fixture
def renamed(write_config, tmp_path: Path) -> Path:
    """A registry where SORA was 株式会社アオゾラ技研 and is now 株式会社ソラテック."""
    config = write_config(WATCHED)
    diff = write_text(tmp_path / "diff.csv", nta_csv([
        nta_row(SORA, "株式会社アオゾラ技研", updated="2026-10-01"),
        nta_row(SORA, "株式会社ソラテック", process="11", updated="2026-12-01", sequence=2),
    ]))
    result = CliRunner().invoke(main, ["registry", "import", str(diff), "--config", str(config)])
    assert result.exit_code == 0, result.output
    return config


def test_the_watch_list_gains_every_registered_name_as_an_alias(renamed: Path) -> None:
    [entry] = load_config(renamed).watch_list()
    assert set(entry.aliases) == {"株式会社ソラテック", "株式会社アオゾラ技研", "アオゾラ技研"}


def test_a_release_naming_the_former_name_tags_the_watched_vendor(renamed: Path) -> None:
    text = "本日、株式会社アオゾラ技研と業務委託契約を締結しました。契約金額は1,200,000円です。"
    result = CliRunner().invoke(main, ["tag", "--json", "--config", str(renamed)], input=text)
    assert result.exit_code == 0, result.output
    tags = json.loads(result.stdout)
    # The company under its old name is the watched vendor (reported under the watched name).
    assert [(o["name"], o["surface"]) for o in tags["organizations"] if o["watched"]] == [
        ("ソラテック", "株式会社アオゾラ技研")]
    assert [(m["entity"], m["surface"]) for m in tags["mentions"]] == [("ソラテック", "株式会社アオゾラ技研")]


def test_without_a_registry_the_number_changes_nothing(write_config) -> None:
    [entry] = load_config(write_config(WATCHED)).watch_list()
    assert entry.aliases == ()
