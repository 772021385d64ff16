"""A real crawl of a hostile newsroom (tests/support/faultserver.py): every fault ends as a counted, explained error,
the good pages beside them are stored, nothing hangs, and no request ever leaves the source's host.

Limits are small (2 s timeout, one retry, 1 MB pages) so the hung and dripping pages end within seconds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.configs import source, write_config
from support.faultserver import FAULTS, INJECTION_TITLE, FaultServer, serve_faults
from support.net import free_port

from db import open_database
from ometsuke.cli import main
from ometsuke.commands.crawl import format_summary
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl, run_summaries


def hostile_config(folder: Path, base: str) -> Path:
    return write_config(folder, source("hostile", base + "/news/", follow="a.release"), database="faults.db",
                        crawl={"download_timeout": 2, "retries": 1, "max_page_bytes": 1_000_000})


# What each fault must be recorded as: a fragment of the reason in fetch_errors.
EXPECTED_REASONS = {
    "/fault/500": "HTTP 500",
    "/fault/503": "HTTP 503",
    "/fault/404": "HTTP 404",
    "/fault/hang": "no complete response within 2 seconds ([crawl] download_timeout)",
    "/fault/drip": "no complete response within 2 seconds ([crawl] download_timeout)",
    "/fault/reset": "connection closed or reset by the server",
    "/fault/truncated": "response cut off",
    "/fault/loop": "redirect loop",
    "/fault/offsite-redirect": "redirected to another host localhost",
    "/fault/big": "page larger than 1000000 bytes (announced",
    "/fault/big-chunked": "page larger than 1000000 bytes ([crawl] max_page_bytes)",
    "/fault/random": "binary content served as a web page",
    "/fault/empty": "no text extracted",
    "/fault/comment-only": "no text extracted",
    "/fault/gzip-bomb": "exceeded DOWNLOAD_MAXSIZE (1000000 B)",
    "/fault/bad-gzip": "while decompressing data",
    "/news/page2.html": "no releases found",
    "/private/secret.html": "forbidden by robots.txt",
}


def query(config: Any, sql: str, params: list | None = None) -> list[tuple]:
    database = open_database(config.database_path)
    try:
        return database.execute(sql, params or []).fetchall()
    finally:
        database.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One crawl of the hostile site through the real CLI (`ometsuke crawl --json`), the server's request log kept."""
    base = tmp_path_factory.mktemp("faults")
    with serve_faults() as server:
        config_path = hostile_config(base, server.url)
        result = CliRunner().invoke(main, ["crawl", "--config", str(config_path), "--json"])
        requests = list(server.requests)
        other_url, url = server.other_url, server.url
    config = load_config(config_path)
    return {"result": result, "config": config, "requests": requests, "url": url, "other_url": other_url,
            "runs": json.loads(result.output) if result.exit_code == 0 else []}  # fmt: skip


def errors_by_url(hostile: dict[str, Any]) -> dict[str, str]:
    """fetch_errors of the run by path ("OTHER/…" for the other host's URLs)."""
    rows = query(hostile["config"], "select url, reason from fetch_errors where run_id = ?", [hostile["runs"][0]["id"]])
    short = {hostile["url"]: "", hostile["other_url"]: "OTHER"}
    return {next((s + url[len(p) :] for p, s in short.items() if url.startswith(p)), url): r for url, r in rows}


def test_crawl_with_failed_pages_exits_zero_and_finishes(hostile: dict[str, Any]) -> None:
    result = hostile["result"]
    assert result.exit_code == 0, result.output
    [run] = hostile["runs"]
    assert run["status"] == "done"
    assert run["errors"] > 0


def test_every_fault_is_recorded_with_its_reason(hostile: dict[str, Any]) -> None:
    errors = errors_by_url(hostile)
    for path, fragment in EXPECTED_REASONS.items():
        matching = [reason for url, reason in errors.items() if url.startswith(path)]
        assert matching, f"{path}: no fetch_errors row (rows: {sorted(errors)})"
        assert any(fragment in reason for reason in matching), f"{path}: {matching}"
        assert all("Traceback" not in reason and "twisted.python.failure" not in reason for reason in matching)


def test_run_counter_matches_fetch_errors_and_nothing_else_failed(hostile: dict[str, Any]) -> None:
    [run] = hostile["runs"]
    errors = errors_by_url(hostile)
    # A `follow` selector may pick a link to another host: the spider (or, behind it, SourceHostsMiddleware) refuses
    # it without a request, and may count that as an error naming the host.
    refused = errors.pop("OTHER/news/elsewhere.html", None)
    assert refused is None or "another host localhost" in refused
    # One row per fault (the loop's row carries the URL where the loop closed: /fault/loop-2).
    assert len(errors) == len(EXPECTED_REASONS)
    named = {url if url in EXPECTED_REASONS else next((p for p in EXPECTED_REASONS if url.startswith(p)), url)
             for url in errors}  # fmt: skip
    assert named == set(EXPECTED_REASONS)
    assert run["errors"] == len(EXPECTED_REASONS) + (refused is not None)


def test_good_pages_beside_the_faults_are_stored(hostile: dict[str, Any]) -> None:
    config = hostile["config"]
    stored = {url.removeprefix(hostile["url"]): (title, body) for url, title, body in query(
        config, "select d.url, v.title, v.body from versions v join documents d on d.id = v.document_id")}  # fmt: skip
    expected = {f.path for f in FAULTS if f.expect == "stored"}
    assert set(stored) == expected
    assert hostile["runs"][0]["new"] == len(expected)
    # The Shift_JIS page that claims UTF-8 is decoded right (CP932-only characters included), not stored as mojibake.
    assert "㈱髙島屋が①号館で説明会を開きます" in stored["/news/sjis-says-utf8.html"][1]
    # Stray control characters (Word exports) do not lose the page: they read as spaces.
    assert "本文に 制御文字 があります。" in stored["/news/control-chars.html"][1]
    # An attachment on another host is refused (recorded on the attachment), the one on the source's host is read.
    attachments = dict(query(hostile["config"], "select url, coalesce(nullif(error, ''), text) from attachments"))
    assert "another host localhost" in attachments[hostile["other_url"] + "/files/annex.pdf"]
    assert "添付資料の本文です。" in attachments[hostile["url"] + "/files/own.pdf"]
    # A charset name nobody knows falls back to detection: the Shift_JIS text is read right.
    assert "㈱髙島屋が①号館で説明会を開きます" in stored["/news/unknown-charset.html"][1]
    # A PDF served as text/html is read as the PDF it is.
    assert "PDFなのにHTMLと名乗る資料" in stored["/news/pdf-as-html"][1]
    # Malformed HTML still yields its text, to the last unclosed paragraph.
    assert "本文は最後まで読めます。" in stored["/news/malformed.html"][1]


def test_amounts_are_tagged_on_the_pages_that_survived(hostile: dict[str, Any]) -> None:
    yen = {row[0] for row in query(hostile["config"], "select yen from amounts")}
    assert {100_000, 200_000, 1_234_000, 3_000, 4_500_000} <= yen


def test_no_request_ever_leaves_the_source_host(hostile: dict[str, Any]) -> None:
    hosts = {r.host.split(":")[0] for r in hostile["requests"]}
    assert hosts == {"127.0.0.1"}, hosts
    never = {f.path.removeprefix("OTHER") for f in FAULTS if f.expect == "not requested"}
    assert never & {r.path for r in hostile["requests"]} == set()


def test_robots_txt_is_read_and_obeyed(hostile: dict[str, Any]) -> None:
    paths = [r.path for r in hostile["requests"]]
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)


def test_retries_follow_the_config(hostile: dict[str, Any]) -> None:
    """retries = 1: a 500, a 503 and a timeout are tried twice, a 404 and an oversize page once."""
    counts = {path: sum(1 for r in hostile["requests"] if r.path == path)
              for path in ("/fault/500", "/fault/503", "/fault/hang", "/fault/404", "/fault/big")}  # fmt: skip
    assert counts == {"/fault/500": 2, "/fault/503": 2, "/fault/hang": 2, "/fault/404": 1, "/fault/big": 1}


def test_retry_after_is_honoured_before_the_retry(hostile: dict[str, Any]) -> None:
    """The 503 said Retry-After: 1, so the retry comes no sooner than a second later (a lower bound on a wait the
    code makes on purpose, not a speed measurement)."""
    first, second = sorted(r.at for r in hostile["requests"] if r.path == "/fault/503")
    assert second - first >= 1.0


def test_summary_lists_failures_with_url_and_reason(hostile: dict[str, Any]) -> None:
    database = open_database(hostile["config"].database_path)
    try:
        runs = run_summaries(database)
    finally:
        database.close()
    summary = format_summary(runs)
    lines = [line for line in summary.splitlines() if line.startswith("  ! hostile: ")]
    assert len(lines) == 11  # ten listed, then "… N more in fetch_errors"
    assert lines[-1] == f"  ! hostile: … {runs[0]['errors'] - 10} more in fetch_errors (run {runs[0]['id']})"
    for line in lines[:-1]:
        url, reason = line.removeprefix("  ! hostile: ").split(": ", 1)
        assert url.startswith((hostile["url"], hostile["other_url"])) and reason


def test_hostile_title_is_stored_verbatim_as_data(hostile: dict[str, Any]) -> None:
    """SQL and markup in scraped text are data: stored byte for byte, and every table is still there."""
    config = hostile["config"]
    [(title, body)] = query(config, "select title, body from versions where title like ?", ["%drop table%"])
    assert title == INJECTION_TITLE
    assert INJECTION_TITLE in body
    assert query(config, "pragma integrity_check") == [("ok",)]
    tables = {row[0] for row in query(config, "select name from sqlite_master where type = 'table'")}
    assert {"versions", "documents", "runs", "fetch_errors", "changes"} <= tables
    assert query(config, "select count(*) from versions")[0][0] == len([f for f in FAULTS if f.expect == "stored"])


def test_hostile_title_is_escaped_in_the_html_digest(hostile: dict[str, Any]) -> None:
    digest_module = pytest.importorskip("ometsuke.digest", reason="the digest is built by another helper")
    from ometsuke.digest.build import build_digest

    database = open_database(hostile["config"].database_path)
    try:
        digest = build_digest(database, since="2000-01-01")
    finally:
        database.close()
    html = digest_module.render(digest, "html")
    assert "drop table versions" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


# -- allowed_domains: the one way to let a source reach another host ---------------------------------------------

def allowed_config(folder: Path, base: str, closed_port: int) -> Path:
    follow = "a.release[href$='/fault/offsite-redirect'], a.release[href$='/news/good-1.html']"
    return write_config(
        folder,
        source("two-hosts", base + "/news/", follow=follow, allowed_domains=["localhost"], max_list_pages=1),
        source("hung-list", base + "/fault/hang"),
        source("refused", f"http://127.0.0.1:{closed_port}/news/", spider="page"),
        source("broken-link", base + "/news/broken-link.html", follow="a.release", max_list_pages=1),
        database="allowed.db", crawl={"download_timeout": 2, "retries": 0},
    )


@pytest.fixture(scope="module")
def allowed(tmp_path_factory: pytest.TempPathFactory) -> tuple[FaultServer, Any, list[dict[str, Any]]]:
    base = tmp_path_factory.mktemp("allowed")
    with serve_faults() as server:
        config_path = allowed_config(base, server.url, closed_port=free_port())  # free a moment ago: nothing there
        config = load_config(config_path)
        runs = run_crawl(config, quiet=True)
    return server, config, runs


def test_a_host_listed_in_allowed_domains_is_followed(allowed: tuple[FaultServer, Any, list]) -> None:
    server, config, runs = allowed
    [run] = [r for r in runs if r["source"] == "two-hosts"]
    assert (run["status"], run["errors"], run["new"]) == ("done", 0, 2)
    assert server.requested("/news/elsewhere.html", host="localhost")
    urls = {row[0] for row in query(config, "select url from documents where source = 'two-hosts'")}
    assert urls == {f"{server.other_url}/news/elsewhere.html", f"{server.url}/news/good-1.html"}


def test_one_invalid_link_does_not_cost_the_rest_of_the_list(allowed: tuple[FaultServer, Any, list]) -> None:
    server, _config, runs = allowed
    [run] = [r for r in runs if r["source"] == "broken-link"]
    assert (run["status"], run["new"]) == ("done", 1), run["error_list"]
    assert server.requested("/news/good-2.html")


def test_a_site_that_refuses_connections_is_one_counted_error(allowed: tuple[FaultServer, Any, list]) -> None:
    _server, _config, runs = allowed
    [run] = [r for r in runs if r["source"] == "refused"]
    assert (run["status"], run["errors"], run["new"]) == ("done", 1, 0)
    [error] = run["error_list"]
    assert "refused the connection (site down or wrong port)" in error["reason"]


def test_a_hung_list_page_is_one_counted_error_beside_a_good_source(allowed: tuple[FaultServer, Any, list]) -> None:
    _server, _config, runs = allowed
    [run] = [r for r in runs if r["source"] == "hung-list"]
    assert (run["status"], run["errors"], run["new"]) == ("done", 1, 0)
    [error] = run["error_list"]
    assert error["reason"].startswith("list page failed: Timeout: no complete response within 2 seconds")


def test_config_reaches_scrapy(tmp_path: Path) -> None:
    """The [crawl] values are what the crawl process hands to Scrapy (checked above in effect; here by name)."""
    from ometsuke.crawl_process import crawler_settings

    settings = crawler_settings(load_config(hostile_config(tmp_path, "http://127.0.0.1:9")))
    limits = (settings.getfloat("DOWNLOAD_TIMEOUT"), settings.getint("DOWNLOAD_MAXSIZE"),
              settings.getint("RETRY_TIMES"), settings.getbool("ROBOTSTXT_OBEY"))  # fmt: skip
    assert limits == (2.0, 1_000_000, 1, True)
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert {"scrapers.middlewares.SourceHostsMiddleware", "scrapers.middlewares.RedirectGuardMiddleware",
            "scrapers.middlewares.FaultReasonsMiddleware"} <= set(middlewares)  # fmt: skip


# -- the database refuses one page: that page is a counted error, its transaction leaves nothing behind -----------

def poisoned_config(folder: Path, base: str) -> Path:
    follow = "a.release[href$='/news/good-1.html'], a.release[href$='/news/good-2.html']"
    return write_config(folder, source("poisoned", base + "/news/", follow=follow, max_list_pages=1),
                        database="poisoned.db", crawl={"retries": 0})


# A real SQLite failure inside the page's transaction, after its documents row was written: what a full disk or
# an I/O error does. Injected with a trigger, so the code under test is the real store on a real database.
POISON = """create trigger poison before insert on versions when new.title = 'お知らせ2'
            begin select raise(abort, 'disk I/O error (injected by the test)'); end"""


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("poisoned")
    with serve_faults() as server:
        config_path = poisoned_config(base, server.url)
        config = load_config(config_path)
        database = open_database(config.database_path)
        database.execute(POISON)
        database.close()
        first = run_crawl(config, quiet=True)
        after_first = query(config, "select d.url, count(v.id) from documents d left join versions v "
                                    "on v.document_id = d.id group by d.url")  # fmt: skip
        database = open_database(config.database_path)
        database.execute("drop trigger poison")
        database.close()
        second = run_crawl(config, quiet=True)
        url = server.url
    return {"config": config, "first": first, "second": second, "after_first": after_first, "url": url}


def test_a_page_the_database_refuses_is_a_counted_error(poisoned: dict[str, Any]) -> None:
    [run] = poisoned["first"]
    assert (run["status"], run["new"], run["errors"]) == ("done", 1, 1)
    [error] = run["error_list"]
    assert error["url"] == poisoned["url"] + "/news/good-2.html"
    assert error["reason"].startswith("could not store the page: IntegrityError: disk I/O error (injected")
    # The refused page's transaction left nothing: not even the documents row written before the version.
    assert poisoned["after_first"] == [(poisoned["url"] + "/news/good-1.html", 1)]


def test_the_next_crawl_stores_the_refused_page(poisoned: dict[str, Any]) -> None:
    [run] = poisoned["second"]
    assert (run["status"], run["new"], run["errors"]) == ("done", 1, 0)
    assert query(poisoned["config"], "select count(*) from versions")[0][0] == 2


# -- robots.txt that never answers: the crawl waits download_timeout for it, then goes on -------------------------

def robots_hang_config(folder: Path, base: str) -> Path:
    slow = source("slow-robots", base + "/news/", follow="a.release[href$='/news/good-1.html']", max_list_pages=1)
    return write_config(folder, slow, database="robots.db", crawl={"download_timeout": 2, "retries": 0})


def test_a_hung_robots_txt_does_not_hang_the_crawl(tmp_path: Path) -> None:
    with serve_faults(robots_hang=True) as server:
        [run] = run_crawl(load_config(robots_hang_config(tmp_path, server.url)), quiet=True)
        asked = server.requested("/robots.txt")
    assert (run["status"], run["new"], run["errors"]) == ("done", 1, 0)
    assert asked  # it was asked for, and the crawl went on without it
