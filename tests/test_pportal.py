"""The `pportal` source: real crawls of a local stand-in for the 調達ポータル serving day files generated in the
official format (ZIP, one CSV, UTF-8 with BOM, CRLF, every field quoted), 400 for a day without a file.

Days are counted back from today in Japan time, as the spider counts them: D-4, D-2 and D-1 have files, D-3 and D
answer 400. The second crawl asks only for the days after the last file read, and finds D's file, which corrects a
price of D-4's (a change) and adds a winner.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support.configs import source, write_config
from support.crawls import crawl_json, query
from support.opendata import corporate_number
from support.pportal import day_zip, serve_portal

from db.health import DEGRADED, OK, ListReport, judge
from ometsuke.config import ConfigError, load_config
from scrapers.spiders.pportal import days_to_fetch, file_url

VENDOR = corporate_number(4242)


def name(day: dt.date) -> str:
    return f"successful_bid_record_info_diff_{day:%Y%m%d}.zip"


def ago(days: int) -> dt.date:
    """A day counted back from today in Japan time, as the spider counts (read each time: a suite may run over
    midnight)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date() - dt.timedelta(days=days)


def row(case: int, title: str, price: str, vendor: str = "株式会社ミナト測量", number: str = VENDOR,
        day: dt.date | None = None) -> list[str]:
    return [f"{case:019d}", title, (day or ago(4)).isoformat(), price, "S1", "8002010", vendor, number]


@pytest.fixture
def portal():
    portal = serve_portal()
    yield portal
    portal.close()


def test_days_after_the_last_file_within_the_window() -> None:
    today = dt.date(2026, 12, 2)
    assert days_to_fetch(today, [], 3) == [dt.date(2026, 11, 30), dt.date(2026, 12, 1), today]
    known = [{"day": "2026-11-20", "status": "fetched"},
             *({"day": f"2026-11-{d}", "status": "missing"} for d in range(21, 30)),
             {"day": "2026-11-30", "status": "fetched"}, {"day": "2026-12-01", "status": "missing"}]
    assert days_to_fetch(today, known, 13) == [dt.date(2026, 12, 1), today]  # every day before answered
    assert days_to_fetch(today, [{"day": "2026-12-02", "status": "fetched"}], 1) == []
    # A day that failed (no answer recorded) before a later file was read is asked again, oldest first.
    holes = [{"day": "2026-11-28", "status": "fetched"}, {"day": "2026-11-30", "status": "fetched"},
             {"day": "2026-12-01", "status": "missing"}]
    assert days_to_fetch(today, holes, 7) == [dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 29),
                                              dt.date(2026, 12, 1), today]
    assert days_to_fetch(today, holes, 3) == [dt.date(2026, 12, 1), today]  # the hole left the window: lost
    template = "https://api.p-portal.go.jp/pps-web-biz/UAB03/OAB0301?fileversion=v001&filename={file}"
    assert file_url(template, "f.zip").endswith("&filename=f.zip")
    assert file_url("http://x/get?filename=", "f.zip") == "http://x/get?filename=f.zip"


def test_three_days_one_missing_then_only_the_new_day_with_a_changed_row(tmp_path: Path, portal) -> None:
    portal.files[name(ago(4))] = day_zip(name(ago(4)), [
        row(701, "測量業務委託", "4800000.00"),
        row(702, "庁舎警備業務", "2640000.00", "東都警備株式会社", corporate_number(4343)),
    ])
    portal.files[name(ago(2))] = day_zip(name(ago(2)), [row(703, "備品購入", "98000.00", "佐藤一郎", "", ago(2))])
    portal.files[name(ago(1))] = day_zip(name(ago(1)), [row(704, "印刷業務", "330000.00", day=ago(1))])
    portal.files[name(ago(9))] = day_zip(name(ago(9)), [row(700, "窓の外の日", "1.00")])  # outside the window
    config = write_config(tmp_path, source("p-portal", portal.url, spider="pportal", days=5), database="pp.db")

    first = crawl_json(config)
    assert sorted(portal.asked) == [name(ago(n)) for n in (4, 3, 2, 1, 0)]  # asked at once: any order
    [run] = first
    assert (run["fetched"], run["new"], run["errors"]) == (3, 4, 0)
    assert query(config, "select health, health_reason, listed from runs") == [(OK, "3 day file(s) read", 3)]
    assert query(config, "select day, status, rows from award_files order by day") == [
        (ago(4).isoformat(), "fetched", 2), (ago(3).isoformat(), "missing", 0), (ago(2).isoformat(), "fetched", 1),
        (ago(1).isoformat(), "fetched", 1), (ago(0).isoformat(), "missing", 0)]
    assert query(config, "select case_number, yen, ministry, vendor, maybe_private, source, source_file from awards "
                         "order by case_number") == [
        (f"{701:019d}", 4_800_000, "国土交通省", "株式会社ミナト測量", 0, "p-portal", name(ago(4))),
        (f"{702:019d}", 2_640_000, "国土交通省", "東都警備株式会社", 0, "p-portal", name(ago(4))),
        (f"{703:019d}", 98_000, "国土交通省", "佐藤一郎", 1, "p-portal", name(ago(2))),
        (f"{704:019d}", 330_000, "国土交通省", "株式会社ミナト測量", 0, "p-portal", name(ago(1)))]

    portal.asked.clear()
    portal.files[name(ago(0))] = day_zip(name(ago(0)), [
        row(701, "測量業務委託", "4620000.00"),  # the price of D-4's case was corrected
        row(705, "清掃業務", "1210000.00", "株式会社ハマカゼ", corporate_number(4444), ago(0)),
    ])
    second = crawl_json(config)
    assert portal.asked == [name(ago(0))]  # only the days after the last file read
    [run] = second
    assert (run["fetched"], run["new"], run["changed"], run["errors"]) == (1, 1, 1, 0)
    assert query(config, f"select yen, source_file from awards where case_number = '{701:019d}'") == [
        (4_620_000, name(ago(0)))]
    assert query(config, "select yen, source_file from award_changes") == [(4_800_000, name(ago(4)))]

    portal.asked.clear()
    crawl_json(config)  # today's file is read: nothing to ask for, and that is usual
    assert portal.asked == []
    assert query(config, "select health, health_reason from runs order by id desc limit 1") == [
        (OK, "no new day file yet")]


def test_no_file_for_a_week_and_a_file_that_is_not_a_zip_are_said(tmp_path: Path, portal) -> None:
    portal.broken[name(ago(7))] = (200, "text/html", "<html><body>メンテナンス中です</body></html>".encode())
    portal.broken[name(ago(8))] = (200, "application/zip", b"PK\x03\x04 cut short")  # a damaged download
    config = write_config(tmp_path, source("p-portal", portal.url, spider="pportal", days=9), database="pp.db")
    crawl_json(config)
    assert len(portal.asked) == 9
    health, reason = query(config, "select health, health_reason from runs")[0]
    assert health == DEGRADED
    assert reason.startswith("no award file for any of the last 7 days: has the download address changed?; "
                             "2 day file(s) failed: ")
    errors = sorted(r[0] for r in query(config, "select reason from fetch_errors"))
    assert len(errors) == 2
    assert errors[0].startswith(f"{name(ago(8))}: a damaged ZIP file")
    assert errors[1].startswith(f"{name(ago(7))}: not a ZIP file (text/html)")
    assert query(config, "select errors, fetched from runs") == [(2, 0)]
    # The days that failed were not recorded: the next crawl asks for them again.
    recorded = {r[0] for r in query(config, "select day from award_files")}
    assert {ago(7).isoformat(), ago(8).isoformat()}.isdisjoint(recorded)


def test_a_day_that_failed_before_a_later_file_was_read_is_asked_again(tmp_path: Path, portal) -> None:
    portal.files[name(ago(4))] = day_zip(name(ago(4)), [row(801, "測量業務委託", "4800000.00")])
    portal.broken[name(ago(3))] = (503, "text/html", b"<html><body>Service Unavailable</body></html>")
    portal.files[name(ago(2))] = day_zip(name(ago(2)), [row(803, "印刷業務", "330000.00", day=ago(2))])
    config = write_config(tmp_path, source("p-portal", portal.url, spider="pportal", days=5), database="pp.db")

    [run] = crawl_json(config)
    assert (run["fetched"], run["new"], run["errors"]) == (2, 2, 1)
    health, reason = query(config, "select health, health_reason from runs")[0]
    assert health == DEGRADED
    assert reason.startswith("2 day file(s) read; 1 day file(s) failed: ")
    assert reason.endswith(f"; 1 day(s) of the window still missing, the oldest {ago(3).isoformat()} "
                           "(asked again next crawl)")
    assert ago(3).isoformat() not in {r[0] for r in query(config, "select day from award_files")}

    portal.asked.clear()
    del portal.broken[name(ago(3))]  # the portal is back, and D-3's file with it
    portal.files[name(ago(3))] = day_zip(name(ago(3)), [row(802, "清掃業務", "1210000.00", day=ago(3))])
    [run] = crawl_json(config)
    # D-3 before the newest file (D-2) had no answer: asked again; D-1 and D answered 400 after it: asked again.
    assert sorted(portal.asked) == [name(ago(n)) for n in (3, 1, 0)]
    assert (run["fetched"], run["new"], run["errors"]) == (1, 1, 0)
    assert query(config, "select health, health_reason from runs order by id desc limit 1") == [
        (OK, "1 day file(s) read")]
    assert query(config, "select day, status from award_files order by day") == [
        (ago(4).isoformat(), "fetched"), (ago(3).isoformat(), "fetched"), (ago(2).isoformat(), "fetched"),
        (ago(1).isoformat(), "missing"), (ago(0).isoformat(), "missing")]

    portal.asked.clear()
    crawl_json(config)  # nothing missing now: only the days after the newest file
    assert sorted(portal.asked) == [name(ago(n)) for n in (1, 0)]


def test_the_missing_days_reason_reads_in_japanese() -> None:
    import json

    from ometsuke.i18n import texts

    report = ListReport("pportal", 2, page_failures=1, first_page_failure="HTTP 503 (http://x/)", missing_days=1,
                        oldest_missing="2026-11-29")
    health = judge(report, "done", None)
    assert health.verdict == DEGRADED
    rendered = texts("ja").reason(health.detail(), health.reason)
    assert json.loads(health.detail())[-1] == {"key": "days_missing", "count": 1, "oldest": "2026-11-29"}
    assert "期間内の1日分がまだ読めていません（最も古い日: 2026-11-29" in rendered


def test_day_file_health_rules() -> None:
    assert judge(ListReport("pportal", 0, quiet_days=3), "done", None) == judge(
        ListReport("pportal", 0, quiet_days=3), "done", 40)
    assert judge(ListReport("pportal", 0, quiet_days=3), "done", None).verdict == OK
    assert judge(ListReport("pportal", 0, quiet_days=14), "done", None).verdict == "failing"
    dead = judge(ListReport("pportal", 0, page_failures=5, first_page_failure="TimeoutError"), "done", None)
    assert (dead.verdict, dead.reason) == ("failing", "no day file could be read: TimeoutError")


def test_pportal_config_keys(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {"name": "p", "spider": "pportal"}))
    assert config.sources[0].urls == (
        "https://api.p-portal.go.jp/pps-web-biz/UAB03/OAB0301?fileversion=v001&filename={file}",)
    with pytest.raises(ConfigError, match=r'"p".*key "days" is 0; expected 1 to 400'):
        load_config(write_config(tmp_path, {"name": "p", "spider": "pportal", "days": 0}))
    with pytest.raises(ConfigError, match=r'unknown key "follow"'):
        load_config(write_config(tmp_path, {"name": "p", "spider": "pportal", "follow": "a"}))
    with pytest.raises(ConfigError, match=r'key "awards" must be true or false'):
        load_config(write_config(tmp_path, source("x", "http://127.0.0.1/", spider="page", awards="yes")))
