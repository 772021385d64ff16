"""The docs stay true to the code: every command has help with an example and is in the README, every command
line the README shows is a real command with real options, and the README's configuration table holds exactly the
config keys the loader accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ometsuke import config as config_module
from ometsuke.cli import main

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):  # the CLI loads its commands lazily: ask the group, not .commands
        command = group.get_command(context, name)
        assert command is not None, name
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


def shown_command_lines(text: str) -> Iterator[str]:
    """What follows `ometsuke ` in the README's code (code blocks, then inline code), up to a shell separator or a
    comment: "crawl --source tokyo-press", "vendor NAME/NUMBER [--json]"."""
    text = text.replace("\\|", "/").replace("bin/ometsuke ", " ometsuke ")  # a table's escaped bar; a venv's script
    blocks = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
    code = [line.split(" #")[0] for block in blocks for line in block.splitlines()]
    code += re.findall(r"`([^`\n]+)`", re.sub(r"```[^\n]*\n.*?```", "", text, flags=re.S))
    for line in code:
        for match in re.finditer(r"(?<![\w./=-])ometsuke ([^&|;)\n]*)", line):
            yield match.group(1).strip()


def resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    """The deepest command the words name, and its path."""
    command: click.Command = main
    path: list[str] = []
    for word in words:
        if not isinstance(command, click.Group) or word not in command.list_commands(click.Context(command)):
            break
        command = command.get_command(click.Context(command), word)
        path.append(word)
    return command, path


def test_every_command_line_in_the_readme_is_a_real_command_with_real_options() -> None:
    shown = list(shown_command_lines(README))
    assert len(shown) > 40, shown  # the parse found the README's examples
    wrong = []
    for line in shown:
        words = line.split()
        if not words or not re.fullmatch(r"[a-z][a-z-]*", words[0]):
            continue  # prose inside code ("ometsuke 2026-11-27 …" in a mail subject), not a command line
        command, path = resolve(words)
        if not path:
            wrong.append(f"ometsuke {line}: no command {words[0]!r}")
            continue
        if isinstance(command, click.Group):
            after = words[len(path)] if len(words) > len(path) else ""
            if re.fullmatch(r"[a-z][a-z-]*", after):
                wrong.append(f"ometsuke {line}: no {' '.join(path)} subcommand {after!r}")
            continue
        options = {name for param in command.params for name in getattr(param, "opts", [])} | {"--help"}
        wrong += [f"ometsuke {line}: no option {flag}" for flag in re.findall(r"(?<![\w-])--[a-z][\w-]*", line)
                  if flag not in options]
    assert not wrong, wrong


@pytest.mark.parametrize(("name", "command"), all_commands(main), ids=lambda value: str(value))
def test_every_option_of_a_command_is_on_its_readme_line(name: str, command: click.Command) -> None:
    """The Commands table (or an example) shows each option beside its command; --config, --json and --help are
    said once for all."""
    if isinstance(command, click.Group):
        return
    lines = [line for line in README.replace("\\|", "/").splitlines() if f"ometsuke {name}" in line]
    for param in command.params:
        flags = [flag for flag in getattr(param, "opts", []) if flag.startswith("--")]
        if not flags or flags[0] in ("--config", "--json"):
            continue
        assert any(flags[0] in line for line in lines), f"`ometsuke {name} {flags[0]}` is not in the README"


def test_every_config_key_is_documented() -> None:
    tables = [config_module.SOURCE_KEYS, config_module.WATCH_KEYS, config_module.DATABASE_KEYS,
              config_module.CRAWL_KEYS, config_module.SCHEDULE_KEYS, config_module.MAIL_KEYS,
              config_module.NOTIFY_KEYS, config_module.DIGEST_KEYS,
              *(config_module.source_keys(spider) for spider in config_module.SPIDERS)]
    missing = sorted({key for table in tables for key in table if f"`{key}`" not in README})
    assert not missing, f"config keys missing from the README: {missing}"


def config_rows(section: str) -> dict[str, tuple[str, str]]:
    """The README's configuration table rows of one section: key -> (type and default cell, description cell)."""
    rows: dict[str, tuple[str, str]] = {}
    current = None
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4:
            continue
        current = cells[0] if cells[0] else current
        if current == f"`{section}`" and cells[1].startswith("`"):
            rows[cells[1].strip("`")] = (cells[2], cells[3])
    return rows


def readme_default(value: object) -> str | None:
    """How the README writes a declared default; None when there is none to write (no value, or a table)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return str(value)
    return None


@pytest.mark.parametrize(("section", "keys"), [
    ("[database]", config_module.DATABASE_KEYS), ("[[watch]]", config_module.WATCH_KEYS),
    ("[crawl]", config_module.CRAWL_KEYS), ("[schedule]", config_module.SCHEDULE_KEYS),
    ("[mail]", config_module.MAIL_KEYS), ("[[notify]]", config_module.NOTIFY_KEYS),
    ("[digest]", config_module.DIGEST_KEYS),
], ids=lambda value: value if isinstance(value, str) else "")
def test_the_readme_config_table_rows_are_the_loaders_keys(section: str, keys: dict) -> None:
    """Each section's rows are exactly the keys the loader accepts: none missing, none the loader refuses."""
    assert set(config_rows(section)) == set(keys), section


def test_the_readme_config_table_sections_are_the_loaders() -> None:
    documented = {line.split("|")[1].strip().strip("`[]") for line in README.splitlines()
                  if line.startswith("| `[")}
    assert documented == set(config_module.TOP_LEVEL)


def test_the_readmes_toml_examples_use_only_keys_the_loader_accepts() -> None:
    import tomllib

    tables = {"database": config_module.DATABASE_KEYS, "watch": config_module.WATCH_KEYS,
              "crawl": config_module.CRAWL_KEYS, "schedule": config_module.SCHEDULE_KEYS,
              "mail": config_module.MAIL_KEYS, "notify": config_module.NOTIFY_KEYS,
              "digest": config_module.DIGEST_KEYS}  # fmt: skip
    blocks = re.findall(r"```toml\n(.*?)```", README, flags=re.S)
    assert blocks
    for block in blocks:
        for section, value in tomllib.loads(block).items():
            assert section in config_module.TOP_LEVEL, (section, block)
            for entry in value if isinstance(value, list) else [value]:
                keys = config_module.source_keys(entry.get("spider")) if section == "source" else tables[section]
                assert set(entry) <= set(keys), (section, set(entry) - set(keys))


def test_the_readme_crawl_table_gives_the_defaults_of_scrapers_settings() -> None:
    """[crawl]'s defaults are scrapers/settings.py's (through CrawlConfig): the README must say the same."""
    rows = config_rows("[crawl]")
    defaults = config_module.CrawlConfig()
    for key in config_module.CRAWL_SETTINGS:
        value = readme_default(getattr(defaults, key))
        assert value is None or f", {value}" in rows[key][0], (key, rows[key][0], value)


def test_the_readme_source_table_matches_the_spiders_declared_options() -> None:
    """Each [[source]] key, the spiders that take it and its default(s) in the README are the declarations'
    (scrapers/spiders/options.py): a default changed in the code and not in the README fails here."""
    from scrapers.spiders.options import SOURCE_OPTIONS, SPIDER_OPTIONS

    rows = config_rows("[[source]]")
    declared = set(config_module.SOURCE_KEYS) | set(SOURCE_OPTIONS)
    declared |= {key for options in SPIDER_OPTIONS.values() for key in options}
    assert set(rows) == declared, "README [[source]] rows differ from the declared keys"
    for key, option in SOURCE_OPTIONS.items():
        default = readme_default(option.default)
        assert default is None or default in rows[key][0], (key, rows[key])
    takers: dict[str, dict[str, object]] = {}
    for spider, options in SPIDER_OPTIONS.items():
        for key, option in options.items():
            takers.setdefault(key, {})[spider] = option.default
    for key, defaults in takers.items():
        kind, description = rows[key]
        assert all(spider in description.split(":")[0] for spider in defaults), (key, description)
        written = {spider: readme_default(value) for spider, value in defaults.items()}
        if len(set(written.values())) == 1:
            value = next(iter(written.values()))
            assert value is None or f", {value}" in kind, (key, kind)
        else:
            for spider, value in written.items():
                assert f"{spider} {value}" in kind, (key, spider, kind)


def test_each_spider_class_takes_the_options_declared_for_it() -> None:
    """The config (which never imports Scrapy) and the spider classes read the same declarations."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    from scrapers.spiders.options import options_of

    settings = Settings()
    settings.setmodule("scrapers.settings")
    loader = SpiderLoader.from_settings(settings)
    assert sorted(loader.list()) == sorted(config_module.SPIDERS)
    for name in config_module.SPIDERS:
        assert loader.load(name).options == options_of(name), name
