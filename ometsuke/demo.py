"""`ometsuke demo`: the whole pipeline on a bundled, fictional site, with no network.

A government press list (one release announcing a contract with a vendor and its amount, one in Shift_JIS) and a
corporate newsroom (whose release names the official) are served on 127.0.0.1 in two snapshots; the demo crawls the
first, then the second (one release new, one changed, one removed), and prints the digest of what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from db import open_database
from db.clock import utc_now
from ometsuke.config import Config, load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory

DEMO_CONFIG = """\
# Written by `ometsuke demo`: the bundled fictional site served on 127.0.0.1.
[database]
path = "demo.db"

[crawl]
delay = 0
autothrottle = false
concurrency = 8
download_timeout = 10

[[source]]
name = "kaku-gov-press"
spider = "newsroom"
kind = "government"
urls = ["{base}/gov/press/index.html"]
follow = "ul.press-list a.press-link"
revisit = {{ "0" = 0 }}   # recheck every known release on every crawl (the default backs off with age)

[[source]]
name = "mirai-garage-pr"
spider = "newsroom"
kind = "corporate"
urls = ["{base}/corp/pr/index.html"]
follow = "ul.news-list a.news-link"
revisit = {{ "0" = 0 }}

[[watch]]
name = "山科学"
kind = "official"
family = "山科"
titles = ["副知事"]
aliases = ["山科 学"]
affiliations = ["ソラノ"]

[[watch]]
name = "大河内百合"
kind = "official"
family = "大河内"
titles = ["知事"]

[[watch]]
name = "ミライガレージ"
kind = "vendor"
aliases = ["Mirai Garage", "MG"]

[[watch]]
name = "ソラノ"
kind = "vendor"
"""


@dataclass
class DemoResult:
    config: Config
    first_runs: list[dict[str, Any]]
    second_runs: list[dict[str, Any]]
    digest: str
    connections: str
    connections_title: str  # the heading above `connections`, in the digest's language


def demo_site_root() -> Path:
    return Path(str(resources.files("ometsuke").joinpath("demo_site")))


def run_demo(workdir: Path, report: Callable[[str], None] = lambda _: None, digest_format: str = "md") -> DemoResult:
    """Serve snapshot 1, crawl; switch to snapshot 2, crawl again; render the digest of the second crawl."""
    from ometsuke.connections import find_connections, format_text
    from ometsuke.digest import build_digest, render  # the digest package is the heavier import
    from ometsuke.i18n import texts

    site_root = demo_site_root()
    workdir.mkdir(parents=True, exist_ok=True)
    for leftover in workdir.glob("demo.db*"):
        leftover.unlink()
    with serve_directory(site_root / "snapshot1") as site:
        config_path = workdir / "ometsuke.toml"
        config_path.write_text(DEMO_CONFIG.format(base=site.url), encoding="utf-8")
        config = load_config(config_path)
        report(f"Serving the demo site (snapshot 1) at {site.url}; crawling…")
        first = run_crawl(config)
        site.root = site_root / "snapshot2"
        report("Snapshot 2: one release added, one corrected, one withdrawn; crawling again…")
        second_started = utc_now()
        second = run_crawl(config)
    database = open_database(config.database_path)
    try:
        digest = render(build_digest(database, since=second_started, configured=[s.name for s in config.sources],
                                     language=config.digest.language), digest_format)
        say = texts(config.digest.language)  # the connections speak the digest's language
        evidence = format_text(find_connections(database, "山科学", "ミライガレージ", say), say)
        title = say("demo_connections_title", a="山科学", b="ミライガレージ")
    finally:
        database.close()
    return DemoResult(config, first, second, digest, evidence, title)
