"""Bad input everywhere outside the crawl: each mistake gives one line that says what and where, the right exit
code (2 bad usage or config, 1 failed), no traceback, and nothing half-written.

All through the real CLI (click's CliRunner) on real files and real SQLite databases.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from db import DatabaseError, open_database
from ometsuke.cli import main

GOOD = """
[database]
path = "watch.db"
[[source]]
name = "press"
spider = "newsroom"
urls = ["http://127.0.0.1:9/press/"]
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result: Result, exit_code: int, *fragments: str) -> str:
    """The command failed cleanly: this exit code, one `Error: …` line, no traceback, and it names the fragments."""
    assert result.exit_code == exit_code, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def commands_for(config: Path, database: bool = False) -> list[list[str]]:
    """Every command that reads the config, or only those that open the database (the ones built so far)."""
    wanted = [["crawl"], ["digest"], ["search", "契約"], ["diff"], ["connections", "宮坂学", "ヤフー"]]
    if not database:
        wanted.append(["watch", "list"])
    return [[*args, "--config", str(config)] for args in wanted if args[0] in main.list_commands(click.Context(main))]


# -- config ----------------------------------------------------------------------------------------------------

BAD_CONFIGS = {
    "typo-key": (GOOD.replace('spider = "newsroom"', 'spider = "newsroom"\nfolow = "a"'),
                 ['[[source]] #1 ("press")', '"folow"', 'did you mean "follow"']),
    "bad-toml": ("[database\npath = 1", ["not valid TOML"]),
    "bad-css": (GOOD.replace('spider = "newsroom"', 'spider = "newsroom"\nfollow = "a[[["'),
                ['"follow"', "not a valid CSS selector"]),
    "negative-timeout": (GOOD + "[crawl]\ndownload_timeout = -1\n", ["[crawl]", '"download_timeout"']),
    "urls-not-list": (GOOD.replace('urls = ["http://127.0.0.1:9/press/"]', 'urls = "http://127.0.0.1:9/"'),
                      ['"urls"', "list of strings"]),
    "not-http": (GOOD.replace("http://127.0.0.1:9/press/", "ftp://example.org/"), ['"urls"', "not an http(s) URL"]),
    "unknown-spider": (GOOD.replace('"newsroom"', '"newsroomm"'), ['"spider"', "newsroom"]),
    "bad-watch-kind": (GOOD + '[[watch]]\nname = "宮坂学"\nkind = "boss"\n', ['[[watch]] #1 ("宮坂学")', '"kind"']),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_config_error_is_one_line_naming_file_entry_and_key(tmp_path: Path, case: str) -> None:
    text, fragments = BAD_CONFIGS[case]
    config = tmp_path / "ometsuke.toml"
    config.write_text(text, encoding="utf-8")
    for args in commands_for(config):
        assert_one_line_error(run(*args), 2, str(config), *fragments)
    assert not (tmp_path / "watch.db").exists()  # nothing was created from a config that was refused


def test_missing_and_non_utf8_config_files(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    assert_one_line_error(run("crawl", "--config", str(missing)), 2, str(missing), "ometsuke init")
    sjis = tmp_path / "sjis.toml"
    sjis.write_bytes(GOOD.replace("press", "報道").encode("cp932"))
    assert_one_line_error(run("crawl", "--config", str(sjis)), 2, str(sjis), "not UTF-8")


def test_unknown_source_name_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "ometsuke.toml"
    config.write_text(GOOD, encoding="utf-8")
    assert_one_line_error(run("crawl", "--source", "pres", "--config", str(config)), 2, "'pres'", "press")


# -- database --------------------------------------------------------------------------------------------------


def config_with_database(tmp_path: Path, database: str) -> Path:
    config = tmp_path / "ometsuke.toml"
    config.write_text(GOOD.replace('path = "watch.db"', f'path = "{database}"'), encoding="utf-8")
    return config


def test_unwritable_database_path_stops_the_crawl_with_one_line(tmp_path: Path) -> None:
    """A file where the database folder should be: the crawl cannot run at all, so exit 1 (not a traceback)."""
    (tmp_path / "blocker").write_text("a file, not a folder")
    config = config_with_database(tmp_path, "blocker/sub/ometsuke.db")
    assert_one_line_error(run("crawl", "--config", str(config)), 1, "cannot create the database folder", "blocker/sub")


def test_a_folder_as_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "adir.db").mkdir()
    config = config_with_database(tmp_path, "adir.db")
    assert_one_line_error(run("crawl", "--config", str(config)), 1, "cannot open database")


def test_a_file_that_is_not_a_database_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes("これはデータベースではありません。\n".encode() * 200)
    before = path.read_bytes()
    config = config_with_database(tmp_path, "notes.db")
    for args in commands_for(config, database=True):
        assert_one_line_error(run(*args), 1, "cannot open database", "notes.db")
    assert path.read_bytes() == before  # never "repaired" or overwritten


def test_a_database_from_a_newer_ometsuke_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    database = open_database(path)
    number = database.execute("select max(number) from _migrations").fetchone()[0] + 1
    database["_migrations"].insert({"number": number, "name": "from the future", "applied_at": "2030-01-01"})
    database.close()
    with pytest.raises(DatabaseError, match="newer than this ometsuke knows"):
        open_database(path)
    config = config_with_database(tmp_path, "future.db")
    for args in commands_for(config, database=True):
        assert_one_line_error(run(*args), 1, "future.db", f"schema version {number}", "upgrade ometsuke")
    connection = sqlite3.connect(path)
    assert connection.execute("select max(number) from _migrations").fetchone()[0] == number  # left as it was
    connection.close()


# -- watch CSV -------------------------------------------------------------------------------------------------

BAD_CSV = """name,kind,family,titles,aliases,affiliations
デジタルガレージ,vendor,,,Digital Garage,
宮坂学,boss,宮坂,副知事,,ヤフー
,official,,,,
ヤフー,vendor,,,,,extra
"""


def test_watch_csv_with_bad_rows_names_each_line_and_imports_nothing(tmp_path: Path) -> None:
    if "watch" not in main.list_commands(click.Context(main)):
        pytest.skip("`ometsuke watch` is not built yet")
    config = tmp_path / "ometsuke.toml"
    config.write_text(GOOD, encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("name,kind\n小池百合子,official\n", encoding="utf-8")
    assert run("watch", "import", str(good), "--config", str(config)).exit_code == 0
    watch_files = sorted(p for p in tmp_path.iterdir() if p.name not in ("ometsuke.toml", "good.csv"))
    before = {p: p.read_bytes() for p in watch_files}
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    result = run("watch", "import", str(bad), "--config", str(config))
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for line in ("line 3", "line 4", "line 5"):
        assert line in result.output, result.output
    assert "line 2" not in result.output  # the good row is not blamed
    after = {p: p.read_bytes() for p in sorted(p for p in tmp_path.iterdir() if p in before)}
    assert after == before  # all or nothing: the good first row was not imported either
    listed = run("watch", "list", "--config", str(config))
    assert "小池百合子" in listed.output and "デジタルガレージ" not in listed.output


def test_watch_csv_that_is_not_csv_text(tmp_path: Path) -> None:
    if "watch" not in main.list_commands(click.Context(main)):
        pytest.skip("`ometsuke watch` is not built yet")
    config = tmp_path / "ometsuke.toml"
    config.write_text(GOOD, encoding="utf-8")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    result = run("watch", "import", str(binary), "--config", str(config))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and str(binary) in result.output


# -- search and digest ------------------------------------------------------------------------------------------

FTS_TRAPS = ['"unbalanced', "AND", "OR OR", "NEAR(", "*", "契約 OR", "-宮坂", "title:", "^", "(((", "a:b:c",
             "'); drop table versions; --", "\x00"]  # fmt: skip


@pytest.mark.parametrize("query", FTS_TRAPS)
def test_search_with_fts_syntax_is_never_a_traceback(tmp_path: Path, query: str) -> None:
    if "search" not in main.list_commands(click.Context(main)):
        pytest.skip("`ometsuke search` is not built yet")
    config = tmp_path / "ometsuke.toml"
    config.write_text(GOOD, encoding="utf-8")
    open_database(tmp_path / "watch.db").close()
    result = run("search", "--config", str(config), "--", query)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert_one_line_error(result, 2)
    database = open_database(tmp_path / "watch.db")
    assert "versions" in database.table_names()
    database.close()


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2026-13-45"],
        ["--date", "昨日"],
        ["--date", "2026/11/27x"],
        ["--since", "not a date"],
        ["--since", "2026-02-30"],
        ["--date", "2026-11-27", "--since", "2026-11-01"],
    ],  # fmt: skip
)
def test_digest_date_that_is_not_a_date_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    if "digest" not in main.list_commands(click.Context(main)):
        pytest.skip("`ometsuke digest` is not built yet")
    config = tmp_path / "ometsuke.toml"
    config.write_text(GOOD, encoding="utf-8")
    result = run("digest", *args, "--config", str(config))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error" in result.output and (args[1] in result.output or "--date" in result.output
                                         or "--since" in result.output)  # fmt: skip
