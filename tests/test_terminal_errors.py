"""One line, never a traceback, for the mistakes a new user makes before any crawl: reading a database that does not
exist yet, pointing ometsuke at a folder it cannot write, a config saved as Shift_JIS, the starter's placeholder
user_agent. All through the real CLI (CliRunner) on real files.

We run as root, for whom permissions do not block anything, so "unwritable" here is a path whose parent is a
regular file (NotADirectoryError) or a path under /proc, where nobody can create files: both are OSErrors like
EACCES, which the code turns into one line the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ometsuke.cli import main
from ometsuke.commands.init import starter_config
from ometsuke.config import ConfigError, load_config, parse_config, user_agent_warning

CONFIG = """
[database]
path = "nested/folder/watch.db"
[[source]]
name = "press"
spider = "newsroom"
urls = ["http://127.0.0.1:9/press/"]
"""

READ_COMMANDS = [["diff"], ["digest"], ["search", "契約"], ["connections", "宮坂学", "ヤフー"], ["serve"]]


def one_line_error(result: Result, exit_code: int) -> str:
    assert result.exit_code == exit_code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_on_a_missing_database_create_nothing(tmp_path: Path, command: list[str]) -> None:
    config = tmp_path / "ometsuke.toml"
    config.write_text(CONFIG, encoding="utf-8")
    database = tmp_path / "nested" / "folder" / "watch.db"
    line = one_line_error(CliRunner().invoke(main, [*command, "--config", str(config)]), 1)
    assert line == f'Error: no database at {database}: run "ometsuke crawl" first'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ometsuke.toml"]  # neither file nor folder


def test_read_commands_on_a_missing_database_in_an_existing_folder(tmp_path: Path) -> None:
    config = tmp_path / "ometsuke.toml"
    config.write_text(CONFIG.replace("nested/folder/", ""), encoding="utf-8")
    line = one_line_error(CliRunner().invoke(main, ["digest", "--config", str(config)]), 1)
    assert "no database at" in line and "ometsuke crawl" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ometsuke.toml"]  # no watch.db, no -wal, no -shm


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_init_into_an_unwritable_folder_is_one_line(a_file: Path, where: str) -> None:
    target = a_file / "conf" / "ometsuke.toml" if where == "under-a-file" else Path("/proc/ometsuke-test/o.toml")
    line = one_line_error(CliRunner().invoke(main, ["init", "--config", str(target)]), 1)
    assert str(target.parent) in line
    assert "Not a directory" in line or "No such file or directory" in line


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_demo_into_an_unwritable_folder_is_one_line(a_file: Path, where: str) -> None:
    target = a_file / "demo" if where == "under-a-file" else Path("/proc/ometsuke-demo")
    line = one_line_error(CliRunner().invoke(main, ["demo", "--dir", str(target)]), 1)
    assert str(target) in line
    assert "Not a directory" in line or "No such file or directory" in line


def test_crawl_into_an_unwritable_database_folder_is_one_line(tmp_path: Path, a_file: Path) -> None:
    config = tmp_path / "ometsuke.toml"
    config.write_text(CONFIG.replace("nested/folder/watch.db", "a-file/data/watch.db"), encoding="utf-8")
    line = one_line_error(CliRunner().invoke(main, ["crawl", "--config", str(config)]), 1)
    assert f"cannot create the database folder {a_file / 'data'}: Not a directory" in line


@pytest.mark.parametrize(("encoding", "named"), [("shift_jis", "SHIFT_JIS"), ("euc_jp", "EUC-JP")])
def test_a_config_that_is_not_utf8_names_its_line_and_how_to_convert_it(
    tmp_path: Path, encoding: str, named: str
) -> None:
    config = tmp_path / "ometsuke.toml"
    text = CONFIG.replace('name = "press"', 'name = "press"\n# 報道発表のページです')
    config.write_bytes(text.encode(encoding))
    expected_line = text.splitlines().index("# 報道発表のページです") + 1
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    message = str(raised.value)
    assert f"{config}: line {expected_line}: not UTF-8" in message
    assert f"iconv -f {named} -t UTF-8 ometsuke.toml" in message
    line = one_line_error(CliRunner().invoke(main, ["digest", "--config", str(config)]), 2)
    assert f"line {expected_line}" in line


def test_the_starter_user_agent_is_warned_about_and_a_real_one_is_not(tmp_path: Path) -> None:
    import tomllib

    starter = parse_config(tomllib.loads(starter_config()), tmp_path / "ometsuke.toml")
    warning = user_agent_warning(starter)
    assert warning is not None and "user_agent" in warning and "example.org" in warning
    own = starter_config().replace("https://example.org/contact", "mailto:desk@newsroom.jp")
    assert user_agent_warning(parse_config(tomllib.loads(own), tmp_path / "ometsuke.toml")) is None
