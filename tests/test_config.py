"""Config loading: the starter config is valid, and every mistake is one line naming file, entry and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ometsuke.cli import main
from ometsuke.commands.init import starter_config
from ometsuke.config import ConfigError, load_config, parse_duration

MINIMAL_SOURCE = """
[[source]]
name = "press"
spider = "newsroom"
urls = ["https://example.org/press/"]
"""


def test_starter_config_is_valid_and_has_the_motivating_case(write_config) -> None:
    config = load_config(write_config(starter_config()))
    names = {entry.name for entry in config.watch}
    assert {"宮坂学", "小池百合子", "デジタルガレージ", "ヤフー"} <= names
    miyasaka = next(e for e in config.watch if e.name == "宮坂学")
    assert miyasaka.family == "宮坂" and "副知事" in miyasaka.titles and miyasaka.kind == "official"
    assert config.source("tokyo-press").spider == "tokyo_press"
    assert any(s.kind == "corporate" for s in config.sources)
    assert config.crawl.user_agent.startswith("ometsuke/")


def test_relative_database_path_is_relative_to_the_config_file(write_config, tmp_path: Path) -> None:
    config = load_config(write_config('[database]\npath = "data/watch.db"\n'))
    assert config.database_path == (tmp_path / "data" / "watch.db").resolve()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL_SOURCE.replace('urls =', 'folow = "a.x"\nurls ='),
         '[[source]] #1 ("press"): unknown key "folow" (did you mean "follow"?)'),
        (MINIMAL_SOURCE.replace('"newsroom"', '"newsrom"'), 'key "spider" is \'newsrom\'; expected one of'),
        (MINIMAL_SOURCE.replace('urls = ["https://example.org/press/"]', 'urls = "https://example.org/"'),
         'key "urls" must be a list of strings'),
        (MINIMAL_SOURCE.replace('urls =', 'follow = "a[["\nurls ='), 'key "follow" is not a valid CSS selector'),
        (MINIMAL_SOURCE.replace('urls =', 'ignore = ["(unclosed"]\nurls ='), 'key "ignore": \'(unclosed\''),
        (MINIMAL_SOURCE + MINIMAL_SOURCE, '[[source]] #2 ("press"): key "name": another source'),
        (MINIMAL_SOURCE.replace('urls = ["https://example.org/press/"]', 'urls = ["ftp://x"]'), "not an http(s) URL"),
        ('[[watch]]\nname = "宮坂学"\nkind = "person"\n', '[[watch]] #1 ("宮坂学"): key "kind" is \'person\''),
        ('[[watch]]\nname = "宮坂学"\nkind = "official"\ntitle = ["副知事"]\n',
         'unknown key "title" (did you mean "titles"?)'),
        ('[crawl]\ndelay = "fast"\n', '[crawl]: key "delay" must be a number of seconds'),
        ('[crawl]\nconcurrency = true\n', '[crawl]: key "concurrency" must be an integer'),
        ('[crawl]\nverify_every = 0\n', '[crawl]: key "verify_every" must be greater than 0'),
        ('[crawl]\nverify_every = "weekly"\n', '[crawl]: key "verify_every" must be a number of revisits'),
        ('[schedule]\ncrawl_every = "often"\n', 'key "crawl_every" is \'often\''),
        ('[mail]\nhost = "smtp.example.org"\n', '[mail]: missing key "from"'),
        ('[databse]\npath = "x.db"\n', 'unknown section "databse" (did you mean "database"?)'),
        ('[[source]\nname = "x"\n', "not valid TOML"),
        (MINIMAL_SOURCE.replace('urls =', 'revisit = { "old" = 7 }\nurls ='),
         'key "revisit": revisit key "old" is not an age in days'),
    ],
)
def test_config_mistakes_name_the_key(write_config, text: str, expected: str) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert expected in message
    assert message.startswith(str(path))
    assert "\n" not in message


def test_cli_reports_a_misspelt_key_in_one_line_with_exit_code_2(write_config) -> None:
    path = write_config(MINIMAL_SOURCE.replace('urls =', 'folow = "a.x"\nurls ='))
    result = CliRunner().invoke(main, ["crawl", "--config", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and 'unknown key "folow"' in lines[0]
    assert "Traceback" not in result.output


def test_missing_config_file_says_how_to_create_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["crawl", "--config", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "ometsuke init" in result.output


def test_unknown_source_name_lists_the_known_ones(write_config) -> None:
    path = write_config(MINIMAL_SOURCE)
    result = CliRunner().invoke(main, ["crawl", "--config", str(path), "--source", "nope"])
    assert result.exit_code == 2
    assert "no source named 'nope' (sources: press)" in result.output


def test_init_writes_the_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "ometsuke.toml"
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--config", str(target)]).exit_code == 0
    assert load_config(target).watch
    again = runner.invoke(main, ["init", "--config", str(target)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_crawl_defaults_are_the_scrapy_projects_and_only_set_keys_override_them(write_config) -> None:
    """scrapers/settings.py owns the crawl defaults: an empty [crawl] changes no Scrapy setting; a set key does."""
    from scrapy.settings import Settings

    from ometsuke.crawl_process import crawler_settings

    project = Settings()
    project.setmodule("scrapers.settings")
    default = crawler_settings(load_config(write_config(MINIMAL_SOURCE)), watch_list=[])
    assert default.getpriority("CONCURRENT_REQUESTS_PER_DOMAIN") == default.getpriority("BOT_NAME")  # not overridden
    for name in ("USER_AGENT", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT",
                 "DOWNLOAD_MAXSIZE", "ROBOTSTXT_OBEY", "RETRY_TIMES", "OMETSUKE_VERIFY_EVERY"):
        assert default[name] == project[name], name
    assert project.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2  # polite: see scrapers/settings.py

    changed = crawler_settings(load_config(write_config(MINIMAL_SOURCE + "[crawl]\nconcurrency = 4\ndelay = 2.5\n")),
                               watch_list=[])
    assert changed.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 4
    assert changed.getfloat("DOWNLOAD_DELAY") == changed.getfloat("AUTOTHROTTLE_START_DELAY") == 2.5
    assert changed["USER_AGENT"] == project["USER_AGENT"]


def test_one_duration_rule_and_zero_is_refused_at_load(write_config) -> None:
    """config.parse_duration is the scheduler's only parser: what loads is what the loop runs on."""
    assert [parse_duration(t) for t in ("45s", "30m", "6h", " 1d ")] == [45, 1800, 21600, 86400]
    config = load_config(write_config('[schedule]\ncrawl_every = "30m"\n'))
    assert (config.schedule.crawl_every, config.schedule.crawl_every_seconds) == ("30m", 1800)
    assert load_config(write_config("")).schedule.crawl_every_seconds == 6 * 3600
    path = write_config('[schedule]\ncrawl_every = "0h"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f'{path}: [schedule]: key "crawl_every" is \'0h\'; expected a duration')
