"""Notifications end to end: real crawls of a local site, apprise posting to a local receiver (json://127.0.0.1),
a channel that is down (a closed port) beside one that works, a source that turns failing and recovers, secrets
kept out of output, database and log file, and `ometsuke notify test|status`."""

from __future__ import annotations

import json
import logging
import os

import pytest
from click.testing import CliRunner
from support.configs import DIGITAL_GARAGE, MIYASAKA, config_text, source
from support.net import free_port
from support.receiver import Receiver, start_receiver
from test_end_to_end import write_site

from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory

SECRET = "tok-S3cr3tW3bh00kP4th"
ENV = "OMETSUKE_TEST_TEAM_HOOK"
CHANNELS = """
[[notify]]
name = "team"
url_env = "{env}"
on = ["alerts", "failures", "digest"]
[[notify]]
name = "desk"
url = "json://127.0.0.1:{down_port}/desk"
on = ["alerts"]
"""


def messages_of(receiver: Receiver, start: int = 0) -> list[dict]:
    return receiver.messages()[start:]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Five crawls: first (an alert), unchanged, list gone (failing; the down channel is up again), still
    failing, list back (recovered). What each receiver had after each crawl is kept."""
    base = tmp_path_factory.mktemp("notify")
    site_root = base / "site"
    write_site(site_root, ["contract", "sjis", "old"])
    team = start_receiver()
    down_port = free_port()
    log_path = base / "ometsuke.log"
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    os.environ[ENV] = team.url(SECRET)
    seen: list[dict] = []
    desk: Receiver | None = None
    try:
        with serve_directory(site_root) as site:
            config_path = base / "ometsuke.toml"
            crawl_config = config_text(
                source("press", site.url + "/press/list.html", follow="a.release", revisit={"0": 0}),
                watch=[MIYASAKA, DIGITAL_GARAGE, {"name": "ヤフー", "kind": "vendor"}], database="e2e.db",
            )
            config_path.write_text(crawl_config + CHANNELS.format(env=ENV, down_port=down_port), encoding="utf-8")
            config = load_config(config_path)
            outputs = []

            runs: list[list[dict]] = []

            def crawl() -> None:
                runs.append(run_crawl(config, quiet=True))
                status = CliRunner().invoke(main, ["notify", "status", "--json", "--config", str(config_path)])
                outputs.append(status.output)
                seen.append({"team": len(team.requests), "desk": len(desk.requests) if desk else 0,
                             "status": json.loads(status.output)})

            crawl()  # 1: three new pages, one alert card; desk is down
            crawl()  # 2: unchanged
            desk = start_receiver(down_port)  # the down channel comes back
            list_page = site_root / "press" / "list.html"
            saved = list_page.read_bytes()
            list_page.unlink()
            crawl()  # 3: list gone -> failing; desk is up: its queued alert goes now
            crawl()  # 4: still failing
            list_page.write_bytes(saved)
            crawl()  # 5: back
    finally:
        os.environ.pop(ENV, None)
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    yield {"config": config, "runs": runs, "team": team, "desk": desk, "seen": seen, "outputs": outputs,
           "log": log_path, "base": base, "config_path": config_path}
    team.close()
    desk.close()


def test_first_crawl_sends_the_alert_card_once_with_what_to_act_on(story: dict) -> None:
    first = messages_of(story["team"])[: story["seen"][0]["team"]]
    alerts = [m for m in first if m["title"].startswith("大目付アラート")]
    assert len(alerts) == 1
    body = alerts[0]["message"]
    assert "宮坂学とデジタルガレージが同じ文書に登場" in body
    assert "デジタルガレージの近くに16,506,875円" in body
    assert "ワクチン接種予約システムの契約について" in alerts[0]["title"]
    assert "/press/contract.html" in body
    assert "「契約金額：16,506,875円" in body  # the quoted sentence
    assert story["team"].requests[0].path == f"/{SECRET}"  # the URL from url_env was used


def test_unchanged_recrawl_sends_nothing(story: dict) -> None:
    seen = story["seen"]
    assert seen[1]["team"] == seen[0]["team"]


def test_down_channel_blocks_nothing_waits_and_is_retried_after_the_next_crawl(story: dict) -> None:
    seen = story["seen"]
    desk_status = [next(row for row in s["status"] if row["channel"] == "desk") for s in seen]
    assert desk_status[0]["queued"] == 1 and desk_status[0]["last_error"]
    assert desk_status[1]["queued"] == 1  # still down after crawl 2
    assert seen[0]["team"] >= 1  # the working channel got its alert at once
    assert desk_status[2]["queued"] == 0 and desk_status[2]["last_sent_at"] and desk_status[2]["last_error"] is None
    desk_messages = story["desk"].messages()
    assert [m["title"].startswith("大目付アラート") for m in desk_messages] == [True]  # desk asked for alerts only


def test_failing_source_is_sent_once_and_its_recovery_once(story: dict) -> None:
    seen, team = story["seen"], story["team"]
    after_failing = messages_of(team, seen[1]["team"])[: seen[2]["team"] - seen[1]["team"]]
    assert [m["title"] for m in after_failing] == ["大目付: 情報源「press」を取得できません"]
    assert seen[3]["team"] == seen[2]["team"]  # failing again: nothing
    recovered = messages_of(team, seen[3]["team"])
    assert [m["title"] for m in recovered] == ["大目付: 情報源「press」が復旧しました"]


def test_a_restart_that_notifies_a_crawl_again_sends_nothing_again(story: dict) -> None:
    """The keys of what was sent live in the database: a new process handing the first crawl's runs to notify
    (as a scheduler restarted mid-way would) finds every message already there."""
    from ometsuke.notify import CrawlDone, notify

    before = len(story["team"].requests), len(story["desk"].requests)
    os.environ[ENV] = story["team"].url(SECRET)
    try:
        report = notify(story["config"], CrawlDone(story["runs"][0]))
    finally:
        os.environ.pop(ENV, None)
    assert report.queued == {"team": 0, "desk": 0}
    assert (len(story["team"].requests), len(story["desk"].requests)) == before


def test_secret_never_leaves_the_environment(story: dict) -> None:
    assert SECRET not in "".join(story["outputs"])
    assert SECRET not in story["log"].read_text(encoding="utf-8")
    assert story["log"].read_text(encoding="utf-8")  # the log file did record the crawls and notifications
    for path in story["base"].glob("*.db*"):
        assert SECRET.encode() not in path.read_bytes(), path


def test_notify_status_and_test_commands(story: dict) -> None:
    os.environ[ENV] = story["team"].url(SECRET)
    try:
        result = CliRunner().invoke(main, ["notify", "test", "--config", str(story["config_path"])])
    finally:
        os.environ.pop(ENV, None)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["team: sent", "desk: sent"]
    assert story["team"].messages()[-1]["title"] == "大目付 テスト通知"
    assert SECRET not in result.output
    missing = CliRunner().invoke(main, ["notify", "test", "team", "--config", str(story["config_path"])])
    assert missing.exit_code == 1
    assert missing.output.strip() == f"team: FAILED: the environment variable {ENV} (url_env) is not set"
    status = CliRunner().invoke(main, ["notify", "status", "--config", str(story["config_path"])])
    assert status.exit_code == 0
    assert status.output.startswith("team (apprise): last sent 20")
