"""`ometsuke source add`: real HTTP on 127.0.0.1 (the project's local server), real config files, real extraction.

A fictional site of our own (tests/fixtures/sites/source_add) covers every outcome without ../shared; the real
pages of ../shared (development part only: a Shift_JIS list, an RSS 2.0 feed, a portal page with nothing to
watch) are copied to a temporary folder and served the same way, and skipped loudly when absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.sites import copy_site

from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.localsite import LocalSite, serve_directory
from scrapers.extract import decode_bytes, find_releases
from scrapers.extract.html import parse_html

CONFIG = """# my watchdog — comments and layout must survive `source add`
[database]
path = "watch.db"   # next to this file

[crawl]
user_agent = "ometsuke-test (+https://example.org/contact)"
download_timeout = 10

[[source]]
name = "existing"     # keep me
spider = "feed"
urls = ["https://example.org/feed.xml"]
"""


@pytest.fixture
def site(tmp_path: Path):
    with serve_directory(copy_site("source_add", tmp_path)) as served:
        yield served


def run(config: Path, *args: str):
    return CliRunner().invoke(main, ["source", "add", *args, "--config", str(config)])


def paths(site: LocalSite) -> list[str]:
    return [request.path for request in site.requests]


def test_list_page_dry_run_shows_releases_and_entry_and_writes_nothing(site, write_config):
    config = write_config(CONFIG)
    before = config.read_bytes()
    result = run(config, "midori-news", site.url + "/news/", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "is a list page (spider newsroom)" in result.output
    assert "releases: 5" in result.output
    first = f"2026-07-31  みどり大橋の補修工事の入札結果について  <{site.url}/news/2026/0731-bridge.html>"
    assert first in result.output
    assert 'spider = "newsroom"' in result.output and 'name = "midori-news"' in result.output
    assert "dry run" in result.output
    assert config.read_bytes() == before
    # Fetched politely: robots.txt first, with the configured user agent.
    assert paths(site) == ["/robots.txt", "/news/"]
    assert {r.headers["User-Agent"] for r in site.requests} == {"ometsuke-test (+https://example.org/contact)"}


def test_list_page_is_appended_keeping_the_file_byte_for_byte(site, write_config):
    config = write_config(CONFIG)
    before = config.read_bytes()
    result = run(config, "midori-news", site.url + "/news/", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"name", "spider", "url", "releases", "follow", "toml"}
    assert (data["name"], data["spider"], data["url"]) == ("midori-news", "newsroom", site.url + "/news/")
    assert [r["date"] for r in data["releases"]] == ["2026-07-31", "2026-07-28", "2026-07-22", "2026-07-15",
                                                     "2026-07-03"]  # fmt: skip
    after = config.read_bytes()
    assert after.startswith(before) and after[len(before):] == b"\n" + data["toml"].encode("utf-8")
    loaded = load_config(config)
    added = loaded.source("midori-news")
    assert (added.spider, added.kind, added.urls) == ("newsroom", "corporate", (site.url + "/news/",))
    assert added.options["follow"] == data["follow"]
    assert loaded.source("existing").spider == "feed"
    # The offered selector picks exactly the detected releases, as the newsroom spider will run it.
    page = (site.root / "news" / "index.html").read_bytes()
    tree = parse_html(decode_bytes(page).text)
    picked = find_releases(tree, site.url + "/news/", data["follow"])
    assert [r.url for r in picked] == [r["url"] for r in data["releases"]]


def test_feed_is_added_as_a_feed_source(site, write_config):
    config = write_config(CONFIG)
    result = run(config, "midori-feed", site.url + "/news/feed.xml", "--kind", "government")
    assert result.exit_code == 0, result.output
    assert "is a feed (spider feed)" in result.output and "releases: 3" in result.output
    # An entry published at 01:30 Japan time on the 22nd is dated the 22nd (not the 21st in UTC).
    assert "2026-07-22  夏休み子ども科学教室の参加者を募集します" in result.output
    added = load_config(config).source("midori-feed")
    assert (added.spider, added.kind, "follow" in added.options) == ("feed", "government", False)


def test_single_page_with_text_is_added_as_a_page_source(site, write_config):
    config = write_config(CONFIG)
    result = run(config, "midori-zuikei", site.url + "/about.html", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["spider"], data["releases"], data["follow"]) == ("page", [], None)
    assert load_config(config).source("midori-zuikei").spider == "page"


def test_nothing_found_says_what_was_tried_and_exits_1(site, write_config):
    config = write_config(CONFIG)
    before = config.read_bytes()
    result = run(config, "midori-top", site.url + "/empty.html")
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert line.startswith("Error: nothing to add at") and "\n" not in line
    assert "not a feed" in line and "dated release link" in line and "main text of" in line
    assert config.read_bytes() == before


def test_a_duplicate_name_is_a_usage_error_before_any_request(site, write_config):
    config = write_config(CONFIG)
    before = config.read_bytes()
    result = run(config, "existing", site.url + "/news/")
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f'Error: {config}: a source named "existing" already exists; choose another name'
    assert site.requests == [] and config.read_bytes() == before


def test_robots_txt_disallow_is_respected(site, write_config):
    config = write_config(CONFIG)
    result = run(config, "midori-private", site.url + "/private/")
    assert result.exit_code == 1, result.output
    assert "robots.txt disallows" in result.output
    assert paths(site) == ["/robots.txt"]  # the page itself was never requested


def test_max_page_bytes_is_respected(site, write_config):
    config = write_config(CONFIG.replace("download_timeout = 10", "download_timeout = 10\nmax_page_bytes = 500"))
    result = run(config, "midori-news", site.url + "/news/")
    assert result.exit_code == 1 and "max_page_bytes" in result.output, result.output


def test_http_errors_are_one_line(site, write_config):
    config = write_config(CONFIG)
    result = run(config, "midori-gone", site.url + "/gone.html")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {site.url}/gone.html: HTTP 404 Not Found"


def test_an_entry_that_would_break_the_config_is_not_written(site, write_config):
    # `source = […]` as an inline array cannot be extended with [[source]]: the check before writing catches it.
    config = write_config('source = []\n')
    result = run(config, "midori-news", site.url + "/news/")
    assert result.exit_code == 2 and "nothing was written" in result.output, result.output
    assert config.read_bytes() == b"source = []\n"


def test_crlf_config_keeps_its_line_endings(site, write_config):
    config = write_config("")
    config.write_bytes(CONFIG.replace("\n", "\r\n").encode("utf-8"))
    before = config.read_bytes()
    result = run(config, "midori-feed", site.url + "/news/feed.xml")
    assert result.exit_code == 0, result.output
    after = config.read_bytes()
    assert after.startswith(before) and b"\n" not in after[len(before):].replace(b"\r\n", b"")
    assert load_config(config).source("midori-feed").spider == "feed"


# --- real pages from ../shared (development part only) -------------------------------------------------------

SHARED = Path("/work/shared")
REAL = {
    "oricon_news_list_2022_sjis.html": SHARED / "realworld" / "oricon_news_list_2022_sjis.html",
    "naha_city_rss20_utf8.xml": SHARED / "realworld" / "naha_city_rss20_utf8.xml",
    "2ch_top_2009_sjis.html": SHARED / "realcorpus" / "2ch_top_2009_sjis.html",
}
needs_shared = pytest.mark.skipif(
    not all(path.is_file() for path in REAL.values()),
    reason=f"real pages not present under {SHARED} (realworld/, realcorpus/): source add on real pages NOT tested",
)


@pytest.fixture
def real_site(tmp_path: Path):
    root = tmp_path / "real"
    root.mkdir()
    for name, path in REAL.items():
        shutil.copyfile(path, root / name)
    with serve_directory(root) as served:
        yield served


@needs_shared
def test_real_shift_jis_list_page(real_site, write_config):
    config = write_config(CONFIG)
    url = real_site.url + "/oricon_news_list_2022_sjis.html"
    result = run(config, "oricon", url, "--kind", "media", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spider"] == "newsroom"
    assert len(data["releases"]) >= 10 and all(r["date"] and r["title"] for r in data["releases"])
    # Shift_JIS decoded as a crawl decodes it: real Japanese titles, no mojibake.
    assert any("\u3040" <= ch <= "\u30ff" for r in data["releases"] for ch in r["title"])
    if data["follow"]:
        tree = parse_html(decode_bytes((real_site.root / "oricon_news_list_2022_sjis.html").read_bytes()).text)
        assert [r.url for r in find_releases(tree, url, data["follow"])] == [r["url"] for r in data["releases"]]
    assert load_config(config).source("oricon").kind == "media"


@needs_shared
def test_real_rss_feed(real_site, write_config):
    config = write_config(CONFIG)
    result = run(config, "naha", real_site.url + "/naha_city_rss20_utf8.xml", "--json", "--dry-run")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spider"] == "feed" and len(data["releases"]) == 22  # the feed's 22 <item>s
    assert data["releases"][0]["date"] == "2026-08-01"


@needs_shared
def test_real_page_with_nothing_to_find(real_site, write_config):
    config = write_config(CONFIG)
    result = run(config, "2ch", real_site.url + "/2ch_top_2009_sjis.html")
    assert result.exit_code == 1, result.output
    assert "nothing to add at" in result.output and "dated release link" in result.output


def test_releases_on_other_hosts_get_allowed_domains(site, write_config):
    # A cross-office list (like 政府広報オンライン's 各府省の新着情報) links to releases on other hosts; the spiders
    # fetch only from the source's own hosts, so the entry names the others.
    items = "".join(
        f'<li><time datetime="2026-07-0{day}">7月{day}日</time><a href="https://www.{office}.example.go.jp/press/{day}.html">'
        f"{office} お知らせ {day}</a></li>"
        for day, office in ((3, "soumu"), (2, "keisan"), (1, "soumu"))
    )
    (site.root / "links.html").write_text(
        f'<html><head><meta charset="utf-8"><title>各庁の新着</title></head><body><ul class="news">{items}</ul>'
        "</body></html>", encoding="utf-8")  # fmt: skip
    config = write_config(CONFIG)
    result = run(config, "offices", site.url + "/links.html")
    assert result.exit_code == 0, result.output
    assert "allowed_domains" in result.output
    added = load_config(config).source("offices")
    assert added.options["allowed_domains"] == ["www.keisan.example.go.jp", "www.soumu.example.go.jp"]


def _one_error_line(result, exit_code: int) -> str:
    assert result.exit_code == exit_code, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    [line] = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("Error: ")
    return line


def test_bad_input_is_one_line(tmp_path, write_config):
    missing = tmp_path / "none.toml"
    assert "no such config file" in _one_error_line(run(missing, "x", "https://example.org/"), 2)
    config = write_config(CONFIG)
    assert "is not an http(s) URL" in _one_error_line(run(config, "x", "ftp://example.org/"), 2)
    assert "leading or trailing spaces" in _one_error_line(run(config, " x", "https://example.org/"), 2)
    with serve_directory(tmp_path) as closed:  # a port that was just free and is closed again
        url = closed.url + "/news/"
    assert "cannot connect" in _one_error_line(run(config, "x", url), 1)
    assert not missing.exists() and "[[source]]\nname = \"x\"" not in config.read_text(encoding="utf-8")


def test_redirects_are_followed_and_each_hop_obeys_robots_txt(site, write_config):
    for name, target in (("moved.html", "/news/"), ("sneaky.html", "/private/")):
        (site.root / name).write_text("moved", encoding="utf-8")
        (site.root / f"{name}.headers").write_text(f"Status: 301\nLocation: {target}\n", encoding="utf-8")
    config = write_config(CONFIG)
    result = run(config, "midori-moved", site.url + "/moved.html", "--json", "--dry-run")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["url"] == site.url + "/moved.html" and len(data["releases"]) == 5
    site.requests.clear()
    result = run(config, "midori-sneaky", site.url + "/sneaky.html")
    assert result.exit_code == 1 and "robots.txt disallows" in result.output, result.output
    assert "/private/" not in paths(site)
