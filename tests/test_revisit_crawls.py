"""Nothing missed that could have been seen: real crawls (Scrapy in its own process, SQLite, `ometsuke diff`) of a
small press site on 127.0.0.1 that changes between crawls.

- a release that leaves its list is rechecked in the same crawl under the default revisit policy (its page is old:
  not due for a month), so its 404 is a removal at once; one that left the list but still stands costs one recheck
  (two if the first failed); one pushed off the last list page followed (`max_list_pages`) costs none;
- a list entry whose title or date changed is rechecked at once, in full;
- a server that answers 304 whatever the page now holds (a fixed ETag, or a fixed Last-Modified) cannot hide a
  change for more than `verify_every` revisits, and the verifying request really is unconditional (the headers
  the server saw);
- list dates that differ from the pages' own dates give zero changes on the second and third crawl, and every
  crawl's counts equal what `ometsuke diff --run` shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support.configs import source, write_config

from db import open_database
from ometsuke.cli import main
from ometsuke.config import Config, load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import LocalSite, RecordedRequest, serve_directory

# The page's date is a bare date in a sentence (not stamped by the headline, not labelled): the list's date wins.
PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title} | 試験市</title></head>
<body><nav><a href="/">トップ</a> <a href="/press/list.html">報道発表</a></nav>
<div id="main"><h1>{title}</h1><p>{body}</p><p>この件は{date}に決定しました。</p></div>
<footer>試験市役所 〒100-0001</footer></body></html>"""

# Old releases (令和3年 = 2021): under the default revisit policy a checked one is not due again for a month.
RELEASES = {
    "keep": ("道路工事のお知らせ", "令和3年3月1日", "市道の舗装工事を行います。"),
    "gone": ("説明会の開催について", "令和3年3月2日", "説明会を開催します。"),
    "moved": ("入札結果の公表", "令和3年3月3日", "入札結果を公表します。"),
}


def write_page(root: Path, name: str, title: str, date: str, body: str, headers: str = "") -> None:
    (root / "press").mkdir(parents=True, exist_ok=True)
    (root / "press" / f"{name}.html").write_text(PAGE.format(title=title, date=date, body=body), encoding="utf-8")
    if headers:
        (root / "press" / f"{name}.html.headers").write_text(headers, encoding="utf-8")


def write_list(root: Path, entries: list[tuple[str, str, str]]) -> None:
    """The list page: (name, title, date) per entry, the date shown beside the link."""
    items = "".join(f'<li><span>{date}</span> <a class="release" href="/press/{name}.html">{title}</a></li>'
                    for name, title, date in entries)
    write_page(root, "list", "報道発表一覧", "", f"</p><ul>{items}</ul><p>")


def write_releases(root: Path) -> Path:
    """Every release of RELEASES, listed with its own date."""
    for name, (title, date, body) in RELEASES.items():
        write_page(root, name, title, date, body)
    write_list(root, [(name, title, date) for name, (title, date, _) in RELEASES.items()])
    return root


def make_config(base: Path, site: LocalSite, crawl: Mapping[str, Any] | None = None, **options: Any) -> Config:
    """One source "press" on the site's list (newsroom, a.release); `crawl` adds [crawl] keys, `options` the
    source's (revisit, max_list_pages…)."""
    press = source("press", site.url + "/press/list.html", follow="a.release", **options)
    return load_config(write_config(base, press, crawl=crawl, database="watch.db"))


def crawl(config: Config, site: LocalSite) -> tuple[dict, list[RecordedRequest]]:
    """One crawl: its run summary and the requests the server saw during it."""
    before = len(site.requests)
    (run,) = run_crawl(config, quiet=True)
    return run, site.requests[before:]


def pages_requested(requests: list[RecordedRequest]) -> list[str]:
    """Names of the release pages requested (not the list, not robots.txt), sorted."""
    return sorted(r.path.rsplit("/", 1)[1].removesuffix(".html") for r in requests
                  if r.path.startswith("/press/") and not r.path.endswith("/list.html"))


def rows(config: Config, sql: str, params: list | None = None) -> list[tuple]:
    database = open_database(config.database_path)
    try:
        return database.execute(sql, params or []).fetchall()
    finally:
        database.close()


def diff_items(config: Config, run_id: int) -> list[dict]:
    result = CliRunner().invoke(main, ["diff", "--run", str(run_id), "--json", "--config", str(config.path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_release_that_left_its_list_is_rechecked_at_once_under_the_default_policy(tmp_path: Path) -> None:
    root = write_releases(tmp_path / "site")
    with serve_directory(root) as site:
        config = make_config(tmp_path, site, crawl={"retries": 0})  # no `revisit`: the default policy
        first, _ = crawl(config, site)
        assert (first["new"], first["errors"]) == (3, 0)

        # "gone" is taken down (404) and off the list; "moved" leaves the list, its page stays but fails for now.
        (root / "press" / "gone.html").unlink()
        write_list(root, [("keep", *RELEASES["keep"][:2])])
        write_page(root, "moved", *RELEASES["moved"], headers="Status: 503\n")
        second, seen = crawl(config, site)
        assert pages_requested(seen) == ["gone", "moved"]  # "keep" is listed and not due: left alone
        assert (second["removed"], second["new"], second["changed"], second["errors"]) == (1, 0, 0, 1)
        assert [i["kind"] for i in diff_items(config, second["id"])] == ["removed"]

        (root / "press" / "moved.html.headers").unlink()
        third, seen = crawl(config, site)
        assert pages_requested(seen) == ["moved"]  # its recheck failed, so it is rechecked again
        assert (third["not_modified"], third["errors"]) == (1, 0)

        fourth, seen = crawl(config, site)
        assert pages_requested(seen) == []  # leaving the list cost "moved" one recheck that saw it
        assert (fourth["fetched"], fourth["removed"], fourth["errors"]) == (0, 0, 0)
    assert rows(config, "select url from documents where removed_at is not null") == [
        (f"{site.url}/press/gone.html",)]
    assert rows(config, "select listed_on from documents where url like '%moved.html'") == [(None,)]


def test_a_release_that_aged_off_the_last_list_page_followed_is_not_rechecked(tmp_path: Path) -> None:
    """max_list_pages = 1 and the list goes on (a 次へ link): releases pushed off page 1 did not leave the list."""
    root = write_releases(tmp_path / "site")
    keep, gone, moved = (RELEASES[n] for n in ("keep", "gone", "moved"))
    write_list(root, [("keep", *keep[:2]), ("gone", *gone[:2])])
    next_link = '<a href="/press/list2.html">次へ</a>'
    (root / "press" / "list.html").write_text(
        (root / "press" / "list.html").read_text(encoding="utf-8").replace("</ul>", f"</ul>{next_link}"),
        encoding="utf-8")
    with serve_directory(root) as site:
        config = make_config(tmp_path, site, max_list_pages=1)
        first, _ = crawl(config, site)
        assert first["new"] == 2
        listing = (root / "press" / "list.html").read_text(encoding="utf-8")
        newest = f'<li><span>{moved[1]}</span> <a class="release" href="/press/moved.html">{moved[0]}</a></li>'
        pushed = f'<li><span>{gone[1]}</span> <a class="release" href="/press/gone.html">{gone[0]}</a></li>'
        assert pushed in listing
        (root / "press" / "list.html").write_text(
            listing.replace("<ul>", f"<ul>{newest}").replace(pushed, ""), encoding="utf-8")
        second, seen = crawl(config, site)
    assert pages_requested(seen) == ["moved"]  # the new one; "gone" went on to page 2, which is not read
    assert (second["new"], second["fetched"]) == (1, 1)


def test_a_list_entry_whose_title_or_date_changed_is_rechecked_in_full(tmp_path: Path) -> None:
    root = write_releases(tmp_path / "site")
    with serve_directory(root) as site:
        config = make_config(tmp_path, site)
        crawl(config, site)
        keep, gone, moved = (RELEASES[n] for n in ("keep", "gone", "moved"))
        write_list(root, [("keep", keep[0] + "（訂正）", keep[1]), ("gone", gone[0], "令和3年3月9日"),
                          ("moved", moved[0], moved[1])])
        second, seen = crawl(config, site)
        assert pages_requested(seen) == ["gone", "keep"]  # neither is due; both entries changed
        assert all("If-None-Match" not in r.headers for r in seen if not r.path.endswith("list.html"))
        # The page shows only a bare date in its text, so the list's new date is its published date now;
        # the page's own title stays its title. Diff shows exactly what the crawl counted.
        assert (second["changed"], second["new"], second["errors"]) == (1, 0, 0)
        (item,) = diff_items(config, second["id"])
        assert item["url"].endswith("/gone.html")
        assert [(line["part"], line["old"], line["new"]) for line in item["diff"]["lines"]] == [
            ("published", "2021-03-02", "2021-03-09")]

        third, seen = crawl(config, site)
        assert pages_requested(seen) == []  # the new entries are the recorded ones now
        assert (third["changed"], third["new"]) == (0, 0)


STAMPED = "Last-Modified: Fri, 05 Mar 2021 00:00:00 GMT\n"  # the publication date, never changed by the CMS


@pytest.mark.parametrize(
    ("stamp", "validator"),
    [('ETag: "cms-stamp-1"\n' + STAMPED, "If-None-Match"), ("ETag:\n" + STAMPED, "If-Modified-Since")],
    ids=["fixed-etag", "fixed-last-modified"],
)
def test_lying_validators_hide_a_change_for_at_most_verify_every_revisits(
    tmp_path: Path, stamp: str, validator: str
) -> None:
    root = tmp_path / "site"
    title, date, body = RELEASES["keep"]
    write_page(root, "keep", title, date, body, headers=stamp)
    write_list(root, [("keep", title, date)])
    with serve_directory(root) as site:
        config = make_config(tmp_path, site, crawl={"verify_every": 3}, revisit={"0": 0})
        crawl(config, site)
        write_page(root, "keep", title, date, body + "工期を延長しました。", headers=stamp)

        outcomes = []
        for _ in range(4):
            run, seen = crawl(config, site)
            (request,) = [r for r in seen if r.path == "/press/keep.html"]
            outcomes.append((run["not_modified"], run["changed"], request.status, request.headers))
    # Revisits 1 and 2: conditional, and the server lies (304). Revisit 3 = verify_every: unconditional.
    assert [(nm, ch, status) for nm, ch, status, _ in outcomes] == [(1, 0, 304), (1, 0, 304), (0, 1, 200), (1, 0, 304)]
    conditional, verifying = outcomes[0][3], outcomes[2][3]
    assert validator in conditional
    assert "If-None-Match" not in verifying and "If-Modified-Since" not in verifying
    assert verifying["Cache-Control"] == "no-cache" and verifying["Pragma"] == "no-cache"
    assert validator in outcomes[3][3]  # verified: conditional again, the count starts over
    assert rows(config, "select revisits, revisits_unverified from documents where url like '%keep.html'") == [
        (4, 1)]
    assert "工期を延長しました" in rows(config, "select body from versions order by id desc limit 1")[0][0]


def test_list_dates_that_differ_from_page_dates_give_no_changes_over_three_crawls(tmp_path: Path) -> None:
    """The list shows the day it was posted, the page a day earlier in its text. Every page is fetched in full on
    every crawl (verify_every = 1), from the list or, for "moved" once it left the list, as a revisit."""
    root = tmp_path / "site"
    listed = {name: (title, date.replace("3月", "3月1")) for name, (title, date, _) in RELEASES.items()}
    for name, (title, date, body) in RELEASES.items():
        write_page(root, name, title, date, body)
    write_list(root, [(name, *listed[name]) for name in RELEASES])
    with serve_directory(root) as site:
        config = make_config(tmp_path, site, crawl={"verify_every": 1}, revisit={"0": 0})
        runs = [crawl(config, site)[0]]
        write_list(root, [(name, *listed[name]) for name in ("keep", "gone")])  # "moved" leaves the list
        for _ in range(2):
            run, seen = crawl(config, site)
            assert pages_requested(seen) == ["gone", "keep", "moved"]
            # Full fetches: `published` was decided again each time.
            assert all(r.status == 200 for r in seen if r.path.startswith("/press/"))
            runs.append(run)
    assert [(r["new"], r["changed"], r["unchanged"], r["errors"]) for r in runs] == [
        (3, 0, 0, 0), (0, 0, 3, 0), (0, 0, 3, 0)]
    for run in runs:
        assert len(diff_items(config, run["id"])) == run["new"] + run["changed"] + run["removed"]
    published = rows(config, "select d.url, v.published from versions v join documents d on d.id = v.document_id")
    assert sorted(p for _, p in published) == ["2021-03-11", "2021-03-12", "2021-03-13"]  # the list's dates
