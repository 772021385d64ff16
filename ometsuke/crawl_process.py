"""The crawl itself, run in a child process: `python -m ometsuke.crawl_process CONFIG [SOURCE…]`.

Scrapy's Twisted reactor can start only once per process, so every crawl gets a fresh process; a crash or a kill
of the crawler also leaves the calling process (CLI, scheduler, tests) standing.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from db import DatabaseError, Store, open_database
from nlp.watchlist import WatchEntry
from ometsuke.config import Config, ConfigError, load_config


def crawler_settings(config: Config, watch_list: Sequence[WatchEntry] | None = None) -> Settings:
    """Scrapy settings for this config: the project's defaults with the [crawl] limits applied.

    The pipelines get plain values (the database path, the watch list) and never read the config themselves;
    `watch_list` saves reading watch.csv again when the caller already has it.
    """
    watch = tuple(config.watch_list() if watch_list is None else watch_list)
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    crawl = config.crawl
    settings.setdict(
        {
            "OMETSUKE_WATCH_LIST": watch,
            "OMETSUKE_DATABASE": str(config.database_path),
            "USER_AGENT": crawl.user_agent,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout,
            "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency,
            "DOWNLOAD_DELAY": crawl.delay,
            "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
            "AUTOTHROTTLE_START_DELAY": max(crawl.delay, 0.0),
            "ROBOTSTXT_OBEY": crawl.obey_robots,
            "RETRY_TIMES": crawl.retries,
            "OMETSUKE_VERIFY_EVERY": crawl.verify_every,
        },
        priority="cmdline",
    )
    return settings


def _configure_logging() -> None:
    """Scrapy's own chatter at WARNING; ometsuke's progress lines plainly on stderr."""
    root_handler = logging.StreamHandler(sys.stderr)
    root_handler.setLevel(logging.WARNING)
    root_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(root_handler)
    progress = logging.getLogger("ometsuke.progress")
    progress.setLevel(logging.INFO)
    progress.propagate = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    progress.addHandler(handler)


def crawl(config: Config, source_names: list[str]) -> None:
    """Crawl the named sources (all if empty) concurrently in this process's reactor.

    A run row is opened for each source before Scrapy starts, so a spider that fails at start-up, or a crawl that
    is killed, still leaves a trace; runs left "running" by a killed crawl are marked "interrupted" here.
    """
    sources = [config.source(name) for name in source_names] if source_names else list(config.sources)
    with crawl_lock(config.database_path):
        database = open_database(config.database_path)
        store = Store(database)
        store.mark_interrupted_runs()
        watch_list = config.watch_list()
        store.sync_entities(watch_list)
        process = CrawlerProcess(crawler_settings(config, watch_list))
        for source in sources:
            store.ensure_source(source.name, source.spider, source.kind, source.as_spider_arg())
            known = store.known_documents(source.name)
            run_id = store.start_run(source.name)
            spider_class = process.spider_loader.load(source.spider)
            process.crawl(spider_class, source=source.as_spider_arg(), known=known, run_id=run_id)
        database.close()
        process.start()


@contextlib.contextmanager
def crawl_lock(database_path: Path) -> Iterator[None]:
    """One crawl at a time per database: a second one fails at once instead of interleaving runs."""
    lock_path = database_path.with_name(database_path.name + ".crawl.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlBusy(f"another crawl is writing to {database_path} (lock {lock_path})") from None
        handle.write(str(os.getpid()))
        handle.flush()
        yield


class CrawlBusy(Exception):
    """Another crawl holds the database's crawl lock."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ometsuke.crawl_process")
    parser.add_argument("config")
    parser.add_argument("sources", nargs="*")
    args = parser.parse_args(argv)
    _configure_logging()
    try:
        crawl(load_config(args.config), args.sources)
    except (ConfigError, DatabaseError, CrawlBusy) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if isinstance(error, ConfigError) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
