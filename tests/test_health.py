"""Source health: the verdict rules (db.health), then three days of real crawls of local sites, one of them dead.

Day 1 (`ometsuke crawl --json`) and day 2 (the scheduler's crawl step) crawl five sources: a good list, a dead one
(nothing listens on its port), a list of 12 releases, a `page` source watching one page that exists and one that
does not, and a feed. Day 3 crawls all but the dead one, and the list of 12 now shows 2. Each crawl's runs are
then moved into its day (as tests/test_digest_data.py moves its changes), so the digests of the three days can be
read: the dead source is said on day 1 and day 2 with the same "failing since", and "not crawled" on day 3.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from support.configs import config_text, source
from support.net import free_port
from support.smtp import smtp_server
from test_mail import mail_config

from db import open_database
from db.health import DEGRADED, FAILING, OK, ListReport, judge, usual_listed
from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.digest import build_digest, render
from ometsuke.digest.mail import deliver_digest
from ometsuke.localsite import serve_directory
from ometsuke.scheduler import Scheduler

# -- the rules ------------------------------------------------------------------------------------------------


def test_a_list_read_with_releases_as_usual_is_ok() -> None:
    health = judge(ListReport("newsroom", 12), "done", 12)
    assert (health.verdict, health.reason) == (OK, "12 releases on the list")
    assert judge(ListReport("newsroom", 6), "done", 12).verdict == OK  # half the usual is still usual
    assert judge(ListReport("newsroom", 3), "done", None).verdict == OK  # no history yet


def test_a_list_under_half_its_usual_size_is_degraded() -> None:
    health = judge(ListReport("newsroom", 2), "done", 12)
    assert (health.verdict, health.reason) == (DEGRADED, "2 releases on the list, usually 12: has the page changed?")
    feed = judge(ListReport("feed", 1), "done", 10.5)
    assert feed.reason == "1 entries in the feed, usually 10: has the feed changed?"


def test_a_list_that_failed_or_yielded_nothing_is_failing() -> None:
    dead = judge(ListReport("newsroom", 0, ("list page failed: HTTP 503 (http://x/)",)), "done", 12)
    assert (dead.verdict, dead.reason) == (FAILING, "list page failed: HTTP 503 (http://x/)")
    empty = judge(ListReport("tokyo_press", 0, ("no releases found on http://x/",)), "done", None)
    assert (empty.verdict, empty.reason) == (FAILING, "no releases found on http://x/")


def test_several_start_urls_some_failed_is_degraded_all_failed_is_failing() -> None:
    some = judge(ListReport("newsroom", 8, ("list page failed: HTTP 404 (http://x/b)",)), "done", 8)
    assert (some.verdict, some.reason) == (DEGRADED, "1 list page(s) failed: list page failed: HTTP 404 (http://x/b)")
    every = judge(ListReport("newsroom", 0, ("list page failed: HTTP 404 (a)", "list page failed: HTTP 500 (b)")),
                  "done", 8)
    assert (every.verdict, every.reason) == (FAILING, "all 2 list pages failed; first: list page failed: HTTP 404 (a)")


def test_failed_release_pages_degrade_and_a_stopped_crawl_is_not_failing() -> None:
    pages = judge(ListReport("newsroom", 12, page_failures=2, first_page_failure="HTTP 500 (http://x/1)"), "done", 12)
    assert (pages.verdict, pages.reason) == (DEGRADED, "2 page(s) failed: HTTP 500 (http://x/1)")
    early = judge(ListReport("newsroom", 0), "stopped: shutdown", 12)
    assert (early.verdict, early.reason) == (DEGRADED, "the crawl stopped (stopped: shutdown) before the page was read")
    late = judge(ListReport("newsroom", 12), "stopped: shutdown", 12)
    assert (late.verdict, late.reason) == (DEGRADED, "the crawl stopped before it finished (stopped: shutdown)")


def test_page_spider_watched_pages_are_its_list() -> None:
    none = judge(ListReport("page", 0, page_failures=1, first_page_failure="HTTP 503 (http://x/)"), "done", 1)
    assert (none.verdict, none.reason) == (FAILING, "no watched page could be read: HTTP 503 (http://x/)")
    one = judge(ListReport("page", 1, page_failures=1, first_page_failure="HTTP 404 (http://x/b)"), "done", 1)
    assert one.verdict == DEGRADED and one.reason == "1 page(s) failed: HTTP 404 (http://x/b)"


def test_usual_is_the_median_of_the_last_five_successful_runs(fresh_db) -> None:
    from db import Store

    store = Store(fresh_db)
    store.ensure_source("s", "newsroom", "government", {})
    for listed, failures in ((10, ()), (10, ()), (10, ()), (0, ("dead",)), (30, ()), (30, ()), (30, ()), (14, ())):
        store.finish_run(store.start_run("s"), "done", ListReport("newsroom", listed, failures))
    verdicts = [row[0] for row in fresh_db.execute("select health from runs order by id")]
    assert verdicts == [OK, OK, OK, FAILING, OK, OK, OK, DEGRADED]
    last = fresh_db.execute("select max(id) from runs").fetchone()[0]
    # 30, 30, 30, 10, 10: the failing run is no history, and the first run is a sixth (its 10 would make it 20)
    assert usual_listed(fresh_db, "s", last) == 30
    assert fresh_db["runs"].get(last)["health_reason"] == "14 releases on the list, usually 30: has the page changed?"
    interrupted = store.start_run("s")
    assert store.mark_interrupted_runs() == 1
    row = fresh_db["runs"].get(interrupted)
    assert (row["status"], row["health"]) == ("interrupted", DEGRADED)


# -- three days of real crawls --------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div id="main"><h1>{title}</h1><p class="date">2026年11月{day}日</p><p>{body}</p></div></body></html>"""
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>お知らせ</title>
<link>{base}/feed/</link><description>d</description>
<item><title>入札結果の公表</title><link>{base}/feed/a.html</link><pubDate>Thu, 26 Nov 2026 09:00:00 +0900</pubDate>
<description>入札結果を公表しました。</description></item>
<item><title>契約の締結</title><link>{base}/feed/b.html</link><pubDate>Wed, 25 Nov 2026 09:00:00 +0900</pubDate>
<description>業務委託契約を締結しました。</description></item></channel></rss>"""
def health_config(base: str, dead_port: int) -> str:
    """Five sources: a good list, a dead host, a list that will shrink, two watched pages (one missing), a feed."""
    return config_text(
        source("good", f"{base}/good/list.html", follow="a.release"),
        source("dead", f"http://127.0.0.1:{dead_port}/press/list.html", follow="a.release"),
        source("shrink", f"{base}/shrink/list.html", follow="a.release"),
        source("pages", f"{base}/pages/bids.html", f"{base}/pages/missing.html", spider="page"),
        source("feed", f"{base}/feed/rss.xml", spider="feed", follow_links=False),
        database="health.db", crawl={"retries": 0, "download_timeout": 10},
    )
DAYS = [dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2026, 11, 26)]
NOT_CRAWLED_DAY = dt.date(2026, 11, 27)


def write_list(root: Path, name: str, count: int) -> None:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    links = []
    for number in range(1, 13):
        title = f"{name}のお知らせ第{number}号"
        (folder / f"r{number}.html").write_text(
            PAGE.format(title=title, day=number, body=f"{title}の本文です。"), encoding="utf-8")
        if number <= count:
            links.append(f'<li>2026年11月{number}日 <a class="release" href="r{number}.html">{title}</a></li>')
    (folder / "list.html").write_text(
        PAGE.format(title=f"{name} 一覧", day=1, body=f"<ul>{''.join(links)}</ul>"), encoding="utf-8")


def move_runs(config_path: Path, after_run_id: int, day: dt.date) -> None:
    """The runs (and their changes) after after_run_id happened at 09:00 JST on `day`."""
    at = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC).isoformat(timespec="microseconds")
    end = dt.datetime.combine(day, dt.time(0, 1), tzinfo=dt.UTC).isoformat(timespec="microseconds")
    database = open_database(load_config(config_path).database_path)
    try:
        database.execute("update runs set started_at = ?, finished_at = ? where id > ?", [at, end, after_run_id])
        database.execute("update changes set at = ? where run_id > ?", [at, after_run_id])
        database.execute("update sources set added_at = ?", ["2026-11-01T00:00:00.000000+00:00"])
        database.conn.commit()
    finally:
        database.close()


def last_run_id(config_path: Path) -> int:
    database = open_database(load_config(config_path).database_path)
    try:
        return database.execute("select coalesce(max(id), 0) from runs").fetchone()[0]
    finally:
        database.close()


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("health")
    root = base / "site"
    write_list(root, "good", 3)
    write_list(root, "shrink", 12)
    (root / "pages").mkdir()
    (root / "pages" / "bids.html").write_text(PAGE.format(title="入札結果", day=1, body="入札結果の一覧です。"),
                                              encoding="utf-8")
    result: dict = {}
    runner = CliRunner()
    with serve_directory(root) as site:
        (root / "feed").mkdir()
        (root / "feed" / "rss.xml").write_text(FEED.format(base=site.url), encoding="utf-8")
        config_path = base / "ometsuke.toml"
        config_path.write_text(health_config(site.url, free_port()), encoding="utf-8")
        result["config_path"] = config_path

        before = last_run_id(config_path)
        first = runner.invoke(main, ["crawl", "--json", "--config", str(config_path)])
        result["day1"] = first
        move_runs(config_path, before, DAYS[0])

        before = last_run_id(config_path)
        logger, lines = logging.getLogger("ometsuke.scheduler"), Lines()
        logger.addHandler(lines)
        previous_level = logger.level
        logger.setLevel(logging.INFO)
        try:
            result["day2_ok"] = Scheduler(load_config(config_path)).crawl_step()
        finally:
            logger.removeHandler(lines)
            logger.setLevel(previous_level)
        result["day2_log"] = lines.lines
        move_runs(config_path, before, DAYS[1])

        write_list(root, "shrink", 2)  # a redesign: the spider now finds 2 of the 12 releases
        before = last_run_id(config_path)
        sources = [arg for name in ("good", "shrink", "pages", "feed") for arg in ("--source", name)]
        result["day3"] = runner.invoke(main, ["crawl", *sources, "--config", str(config_path)])
        move_runs(config_path, before, DAYS[2])
    return result


def digest_of(history: dict, day: dt.date, fmt: str = "md") -> str:
    config = load_config(history["config_path"])
    database = open_database(config.database_path)
    try:
        return render(build_digest(database, day, configured=[s.name for s in config.sources], language="en"), fmt)
    finally:
        database.close()


def test_a_dead_source_beside_good_ones_exits_3_with_health_in_the_json(history: dict) -> None:
    first = history["day1"]
    assert first.exit_code == 3, first.output
    runs = {run["source"]: run for run in json.loads(first.stdout)}
    assert {name: run["health"] for name, run in runs.items()} == {
        "good": OK, "dead": FAILING, "shrink": OK, "pages": DEGRADED, "feed": OK}
    assert runs["dead"]["health_reason"].startswith("list page failed: ")
    assert "/press/list.html" in runs["dead"]["health_reason"]
    assert runs["good"]["health_reason"] == "3 releases on the list" and runs["good"]["status"] == "done"
    assert runs["shrink"]["listed"] == 12
    assert runs["feed"]["health_reason"] == "2 entries in the feed"
    assert runs["pages"]["health_reason"].startswith("1 page(s) failed: HTTP 404 ")
    assert runs["good"]["new"] == 3  # the good sources were crawled in full beside the dead one


def test_the_scheduler_log_names_each_sources_health(history: dict) -> None:
    assert history["day2_ok"] is True
    (done,) = [line for line in history["day2_log"] if line.startswith("crawl done")]
    assert "health: good ok, dead failing (list page failed: " in done
    assert "shrink ok" in done and "pages degraded (1 page(s) failed: HTTP 404" in done and "feed ok" in done


def test_a_shrinking_list_is_degraded_with_the_reason_and_exits_0(history: dict) -> None:
    third = history["day3"]
    assert third.exit_code == 0, third.output  # degraded is not failing
    header = third.stdout.splitlines()[0]
    assert header.split()[-2:] == ["status", "health"]
    rows = {line.split()[0]: line.split()[-1] for line in third.stdout.splitlines()[1:5]}
    assert rows == {"good": OK, "shrink": DEGRADED, "pages": DEGRADED, "feed": OK}
    assert "  degraded: shrink: 2 releases on the list, usually 12: has the page changed?" in third.stdout


def test_the_failing_source_is_said_on_both_days_with_the_start_of_its_streak(history: dict) -> None:
    day1, day2 = digest_of(history, DAYS[0]), digest_of(history, DAYS[1])
    for text in (day1, day2):
        sources = text.split("## Sources not seen (2)\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert sources[0].startswith("- **dead** — failing since 2026-11-24 09:00 JST: list page failed: ")
        assert sources[1].startswith("- **pages** — degraded since 2026-11-24 09:00 JST: 1 page(s) failed: HTTP 404")
    data = json.loads(digest_of(history, DAYS[1], "json"))
    assert [(s["name"], s["health"], s["failing_since"]) for s in data["sources"]] == [
        ("dead", FAILING, "2026-11-24T00:00:00.000000+00:00"), ("pages", DEGRADED, "2026-11-24T00:00:00.000000+00:00")]
    assert set(data["sources"][0]) >= {"name", "health", "reason", "failing_since"}


def test_sources_not_seen_come_after_the_alerts_in_markdown_and_html(history: dict) -> None:
    text = digest_of(history, DAYS[0])
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Sources not seen (2)" and headings[1].startswith("## New documents")
    html = digest_of(history, DAYS[1], "html")
    assert "<h2>Sources not seen (2)</h2>" in html
    assert html.index("Sources not seen") < html.index("Nothing new, changed or removed.")  # a quiet day, said
    assert 'class="item source health-failing"' in html and "failing since 2026-11-24 09:00 JST" in html


def test_atom_has_one_entry_per_source_not_seen_new_each_day(history: dict) -> None:
    ids = []
    for day in DAYS[:2]:
        feed = feedparser.parse(digest_of(history, day, "atom"))
        assert feed.bozo == 0, feed.get("bozo_exception")
        entries = [e for e in feed.entries if "source-health" in {t.term for t in e.tags}]
        assert [e.title.split(":", 1)[0] for e in entries] == ["[Source failing] dead", "[Source degraded] pages"]
        ids.append(entries[0].id)
    assert ids[0] != ids[1]  # a feed reader shows the dead source again on the second day


def test_day_3_degraded_list_and_a_source_not_crawled(history: dict) -> None:
    data = json.loads(digest_of(history, DAYS[2], "json"))
    found = {s["name"]: s for s in data["sources"]}
    assert list(found) == ["dead", "pages", "shrink"]  # failing / not crawled first, then degraded
    assert found["dead"]["health"] == "not crawled"
    assert "last crawl 2026-11-25 09:00 JST" in found["dead"]["reason"]
    shrink = (found["shrink"]["health"], found["shrink"]["failing_since"], found["shrink"]["reason"])
    assert shrink == (DEGRADED, "2026-11-26T00:00:00.000000+00:00",
                      "2 releases on the list, usually 12: has the page changed?")
    quiet = json.loads(digest_of(history, NOT_CRAWLED_DAY, "json"))
    assert [(s["name"], s["health"]) for s in quiet["sources"]] == [
        (name, "not crawled") for name in ("dead", "feed", "good", "pages", "shrink")]


def test_the_mail_subject_says_how_many_sources_failed(history: dict) -> None:
    config = load_config(history["config_path"])
    database = open_database(config.database_path)
    try:
        with smtp_server() as (inbox, port):
            digest = build_digest(database, DAYS[1], configured=[s.name for s in config.sources], language="en")
            deliver_digest(database, digest, mail_config(port), environ={})
    finally:
        database.close()
    (message,) = inbox.messages
    # (a long subject is folded onto the header's next line; the parser keeps the fold's space)
    assert message["Subject"].strip() == "ometsuke digest 2026-11-25 (JST): 1 source failing, 1 source degraded"
    text = message.get_body(("plain",)).get_content()
    assert "## Sources not seen (2)" in text and "- **dead** — failing since" in text


def test_crawl_help_documents_the_exit_codes() -> None:
    text = CliRunner().invoke(main, ["crawl", "--help"]).output
    for line in ("0  done", "1  the crawl could not run", "2  bad usage or config",
                 "3  done, but at least one source is failing"):
        assert line in text
