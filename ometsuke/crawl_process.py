"""The crawl itself, run in a child process: `python -m ometsuke.crawl_process [--verbose|--quiet] CONFIG [SOURCE…]`.

Scrapy's Twisted reactor can start only once per process, so every crawl gets a fresh process; a crash or a kill
of the crawler also leaves the calling process (CLI, scheduler, tests) standing.

What a person sees: stderr carries the progress lines only (one per new, changed, removed or failed page, and a
progress line every OMETSUKE_PROGRESS_INTERVAL seconds); tracebacks and Scrapy's own messages go to the crawl log
beside the database (`ometsuke.db.crawl.log`), and to stderr too with --verbose. Ctrl-C (SIGINT) or SIGTERM stops
the spiders gracefully, marks the runs "interrupted" and exits INTERRUPTED_EXIT (130).
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from db import DatabaseError, Store, open_database
from nlp.watchlist import WatchEntry
from ometsuke import INTERRUPTED_EXIT
from ometsuke.config import Config, ConfigError, load_config
from ometsuke.locks import LockHeld, hold, lock_path

log = logging.getLogger(__name__)
progress_log = logging.getLogger("ometsuke.progress")

LOG_MAX_BYTES = 2_000_000  # the crawl log is rotated at this size…
LOG_BACKUPS = 2  # …keeping this many old files (.1, .2): at most 6 MB however long ometsuke runs
OWN_LOGGERS = ("ometsuke", "scrapers", "db", "nlp")


def crawler_settings(config: Config, watch_list: Sequence[WatchEntry] | None = None) -> Settings:
    """Scrapy settings for this config: the project's defaults (scrapers/settings.py) with the [crawl] keys the
    user changed applied.

    The pipelines get plain values (the database path, the watch list) and never read the config themselves;
    `watch_list` saves reading watch.csv again when the caller already has it.
    """
    watch = tuple(config.watch_list() if watch_list is None else watch_list)
    settings = Settings()
    settings.setmodule("scrapers.settings", priority="project")
    settings.setdict(
        {"OMETSUKE_WATCH_LIST": watch, "OMETSUKE_DATABASE": str(config.database_path), **config.crawl.overrides()},
        priority="cmdline",
    )
    return settings


class ProblemCount(logging.Handler):
    """Counts the warnings and errors logged, so the terminal can point at the log file holding their details."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def crawl_log_path(database_path: Path) -> Path:
    """The crawl log beside the database: `ometsuke.db` → `ometsuke.db.crawl.log` (rotated, see LOG_MAX_BYTES)."""
    return database_path.with_name(database_path.name + ".crawl.log")


def configure_logging(log_path: Path | None, *, verbose: bool = False, quiet: bool = False) -> ProblemCount:
    """Terminal: the progress lines (one per new, changed, removed or failed page, and the periodic progress line);
    with verbose, every log record with its traceback too; with quiet, nothing. Log file: everything, tracebacks
    and Scrapy's own messages included, rotated at LOG_MAX_BYTES so that it never grows without bound.
    """
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for name in OWN_LOGGERS:  # our debug records carry the tracebacks of failures that became error items
        logging.getLogger(name).setLevel(logging.DEBUG)
    handlers: list[logging.Handler] = []
    if log_path is not None:
        try:
            log_file = logging.handlers.RotatingFileHandler(
                log_path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
        except OSError as error:
            print(f"warning: no crawl log ({log_path}: {error.strerror or error})", file=sys.stderr)
        else:
            log_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            handlers.append(log_file)
    progress = logging.getLogger("ometsuke.progress")
    progress.setLevel(logging.INFO)
    progress.propagate = False  # the root's terminal handler would print the line a second time
    for handler in handlers:
        root.addHandler(handler)
        progress.addHandler(handler)
    if not quiet:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setFormatter(logging.Formatter("%(message)s"))
        progress.addHandler(terminal)
        if verbose:
            details = logging.StreamHandler(sys.stderr)
            details.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            root.addHandler(details)
    problems = ProblemCount()
    root.addHandler(problems)
    return problems


class InterruptibleCrawlerProcess(CrawlerProcess):
    """Scrapy's CrawlerProcess, remembering whether SIGINT or SIGTERM stopped it, and losing no signal at start-up.

    Scrapy's handler stops the spiders gracefully on the first signal (in-flight pages are finished and stored,
    queued ones dropped) and stops the reactor at once on the second; either way `interrupted` is then True.
    Scrapy installs that handler only once the reactor runs; a KeyboardInterrupt raised before, while crawlers are
    being set up inside Twisted Deferreds, would be swallowed into a failed Deferred and the crawl would go on. So
    from `hold_signals()` on, a signal is only noted, and handed to Scrapy's handler as soon as it is in place.
    """

    interrupted = False
    held_signal: int | None = None

    def hold_signals(self) -> None:
        def note(signum: int, _frame: Any) -> None:
            self.held_signal = signum

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, note)

    def start(self, *args: Any, **kwargs: Any) -> None:
        from twisted.internet import reactor

        # callLater(0) from a "when running" trigger runs after every start-up trigger, Scrapy's handlers included.
        reactor.callWhenRunning(reactor.callLater, 0, self._hand_on_held_signal)  # type: ignore[attr-defined]
        super().start(*args, **kwargs)

    def _hand_on_held_signal(self) -> None:
        if self.held_signal is not None:
            os.kill(os.getpid(), self.held_signal)

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        self.interrupted = True
        super()._signal_shutdown(signum, frame)
        # Not logged here: a signal handler may interrupt a write to the same stream (see Scrapy's _log_shutdown).
        reactor.callFromThread(  # type: ignore[attr-defined]
            progress_log.warning, "stopping: finishing the pages being fetched (Ctrl-C again to stop at once)")


def crawl(
    config: Config, source_names: list[str], *, verbose: bool = False, quiet: bool = False,
    progress_every: float | None = None, runs_file: Path | None = None,
) -> bool:
    """Crawl the named sources (all if empty) concurrently in this process's reactor; True if interrupted.

    This function owns a run's life but its end: it opens a run row for each source before Scrapy starts (so a
    spider that fails at start-up, or a crawl that is killed, still leaves a trace), writes their ids to
    `runs_file` for the caller (see write_run_ids), marks "interrupted" the runs a killed crawl left "running",
    and marks its own at once when Ctrl-C stops it. The store pipeline finishes each run on spider_closed.
    """
    sources = [config.source(name) for name in source_names] if source_names else list(config.sources)
    database_path = config.database_path
    with hold(lock_path(database_path, "crawl"), f"another crawl is writing to {database_path}"):
        log_path = crawl_log_path(config.database_path)
        problems = configure_logging(log_path, verbose=verbose, quiet=quiet)
        log.info("crawl of %s started (pid %d)", ", ".join(s.name for s in sources) or "no sources", os.getpid())
        database = open_database(config.database_path)
        interrupted = False
        try:
            from ometsuke.registry import current_keys

            current_keys(database, say=progress_log.info, wait=True)  # before the pipelines resolve organisations
            store = Store(database)
            store.mark_interrupted_runs()
            watch_list = config.watch_list()
            store.sync_entities(watch_list)
            settings = crawler_settings(config, watch_list)
            if progress_every is not None:
                settings.set("OMETSUKE_PROGRESS_INTERVAL", progress_every, priority="cmdline")
            process = InterruptibleCrawlerProcess(settings)
            process.hold_signals()
            logging.getLogger("scrapy").setLevel(logging.INFO)  # Scrapy's DEBUG lines repeat every item whole
            run_ids = []
            for source in sources:
                store.ensure_source(source.name, source.spider, source.kind, source.as_spider_arg())
                known = store.known_documents(source.name)
                if source.spider == "pportal":  # its state is the day files it asked for, not documents
                    from db.award_sources import award_days

                    known = award_days(database, source.name)
                run_ids.append(store.start_run(source.name))
                spider_class = process.spider_loader.load(source.spider)
                process.crawl(spider_class, source=source.as_spider_arg(), known=known, run_id=run_ids[-1])
            database.close()
            if runs_file is not None:
                write_run_ids(runs_file, run_ids)
            if process.held_signal is None:
                process.start()
            interrupted = process.interrupted or process.held_signal is not None
        except KeyboardInterrupt:  # Ctrl-C before the reactor took over the signal
            interrupted = True
        finally:
            database.close()
            if interrupted:
                # Runs whose spider had no time to close (a second Ctrl-C) are still "running": not for long.
                marker = open_database(config.database_path)
                try:
                    Store(marker).mark_interrupted_runs()
                finally:
                    marker.close()
                log.info("crawl interrupted")
        if problems.count and not verbose and log_path.exists():
            progress_log.warning("details of %d warning(s) and error(s) in %s", problems.count, log_path)
        return interrupted


def write_run_ids(path: Path, run_ids: list[int]) -> None:
    """Tell the caller which runs this crawl opened: their ids as JSON, written whole or not at all (rename).

    The caller reads exactly these runs afterwards; "the runs after the newest one before the crawl" would also
    catch a run that another crawl (a scheduler beside a CLI crawl) opened between that look and this crawl.
    """
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(run_ids), encoding="utf-8")
    partial.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ometsuke.crawl_process")
    parser.add_argument("config")
    parser.add_argument("sources", nargs="*")
    parser.add_argument("--verbose", action="store_true", help="every log record on stderr, tracebacks included")
    parser.add_argument("--quiet", action="store_true", help="nothing on stderr but a fatal error")
    parser.add_argument("--progress-every", type=float, default=None, metavar="SECONDS",
                        help="seconds between progress lines (default: OMETSUKE_PROGRESS_INTERVAL, 10)")
    parser.add_argument("--runs-file", type=Path, default=None, metavar="PATH",
                        help="write the ids of the runs this crawl opens to PATH (JSON), once they are open")
    args = parser.parse_args(argv)
    try:
        interrupted = crawl(load_config(args.config), args.sources, verbose=args.verbose, quiet=args.quiet,
                            progress_every=args.progress_every, runs_file=args.runs_file)
    except (ConfigError, DatabaseError, LockHeld, OSError) as error:
        if isinstance(error, OSError) and error.filename:
            error = f"{error.filename}: {error.strerror}"  # type: ignore[assignment]
        print(f"error: {error}", file=sys.stderr)
        return 2 if isinstance(error, ConfigError) else 1
    except KeyboardInterrupt:  # Ctrl-C before any run was opened: nothing to mark
        return INTERRUPTED_EXIT
    return INTERRUPTED_EXIT if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
