"""ometsuke's benchmark: every figure is a ratio to a baseline measured in the same run, because the machines this
runs on are shared and noisy and absolute times drift.

    .venv/bin/python bench/run.py --json            # full: 5,000 pages, 100,000 documents (make bench)
    .venv/bin/python bench/run.py --quick --json    # 1,000 pages, 20,000 documents (the index build dominates)
    .venv/bin/python bench/run.py --tiny --json     # a few pages: the smoke test's size, figures meaningless

With --json the last line of output is one JSON object with the keys `crawl`, `recrawl`, `tagging`, `scale`
(see issue 6 and the README's Performance section). Progress goes to stderr.

- crawl: a generated site (bench/site.py) served by nginx if installed, else a threaded server (`crawl.server`),
  crawled by a bare Scrapy spider (bench/bare_spider.py) and by the full ometsuke crawl (`ometsuke.crawl_process`:
  extract, tag with 1,000 watch entries, store). The bare crawl runs before and after the full one; their mean is
  the baseline. Peak RSS is the crawl process's own (wait4), also at a fifth of the size for the memory ratio.
- recrawl: the same site again, unchanged, every known page rechecked (revisit "0" = 0).
- tagging: the site's release text tokenized by plain Sudachi (mode C, line by line) and tagged by nlp.Tagger.
- scale: bench/scale.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imported as bench.* : a top-level `site` would be the standard library's.
from bench.server import start_server  # noqa: E402
from bench.site import SiteInfo, generate_site, release_texts, watch_entries, watch_toml  # noqa: E402
from db import open_database  # noqa: E402


@dataclass(frozen=True)
class Size:
    pages: int
    small_pages: int  # for the memory ratio
    concurrency: int
    tag_docs: int  # releases whose text the tagging benchmark uses
    scale_documents: int


SIZES = {
    "full": Size(pages=5000, small_pages=1000, concurrency=16, tag_docs=300, scale_documents=100_000),
    "quick": Size(pages=1000, small_pages=200, concurrency=16, tag_docs=150, scale_documents=20_000),
    "tiny": Size(pages=30, small_pages=10, concurrency=8, tag_docs=10, scale_documents=2_000),
}
WATCH_ENTRIES = 1000
BIG_WATCH_ENTRIES = 100_000


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- child processes ------------------------------------------------------------------------------------------


@dataclass
class ChildResult:
    wall_s: float
    peak_rss_mb: float  # the process tree's (crawl + tagging worker), sampled every 0.2 s
    main_rss_mb: float  # the process's own peak, exact (wait4)
    peak_pss_mb: float  # the tree's proportional set size: the mmap'ed Sudachi dictionary counted once
    cpu_s: float  # user + system CPU of the process and the children it waited for (the tagging worker)
    returncode: int
    stdout: str
    stderr_path: Path


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(Rss, Pss) of a process and all its descendants in kB, from /proc ((0, 0) when it is gone)."""
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return rss, pss


def run_child(command: list[str], log: Path) -> ChildResult:
    """Run a command; return its wall time, its own peak RSS (wait4) and its process tree's peak RSS.

    The tree matters because the crawl may tag in a worker process: the crawl's memory is the sum of both.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out_path = log.with_suffix(".out")
    peak = [0, 0]
    with open(out_path, "w") as out, open(log, "w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT, env=env)
        done = threading.Event()

        def sample() -> None:  # every 0.2 s: often enough for a peak that builds up over seconds, cheap
            while not done.wait(0.2):
                rss, pss = _tree_memory_kb(process.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    main_mb = usage.ru_maxrss / 1024
    return ChildResult(wall, max(peak[0] / 1024, main_mb), main_mb, peak[1] / 1024,
                       usage.ru_utime + usage.ru_stime, process.returncode, out_path.read_text(), log)


def check(result: ChildResult, what: str) -> None:
    if result.returncode != 0:
        tail = result.stderr_path.read_text(errors="replace").strip().splitlines()[-5:]
        raise SystemExit(f"{what} failed with exit code {result.returncode}:\n" + "\n".join(tail))


# -- crawl ----------------------------------------------------------------------------------------------------


def write_config(folder: Path, site_url: str, info: SiteInfo, concurrency: int, watch_block: str) -> Path:
    config = folder / "ometsuke.toml"
    config.write_text(
        f"""[database]
path = "bench.db"

[crawl]
delay = 0
autothrottle = false
concurrency = {concurrency}
download_timeout = 60
retries = 0

[[source]]
name = "bench-press"
spider = "newsroom"
kind = "government"
urls = ["{site_url}{info.start_path}"]
follow = "ul.press-list a.release"
next = "a.next"
max_list_pages = {info.list_pages + 1}
attachments = false
revisit = {{ "0" = 0 }}

{watch_block}""",
        encoding="utf-8",
    )
    return config


def full_crawl(config: Path, log: Path) -> ChildResult:
    result = run_child([sys.executable, "-m", "ometsuke.crawl_process", str(config)], log)
    check(result, "ometsuke crawl")
    return result


def bare_crawl(config: Path, log: Path) -> tuple[ChildResult, dict[str, Any]]:
    result = run_child([sys.executable, str(BENCH / "bare_spider.py"), str(config)], log)
    check(result, "bare spider crawl")
    return result, json.loads(result.stdout.strip().splitlines()[-1])


def last_run(database: Path) -> dict[str, Any]:
    db = open_database(database)
    try:
        row = dict(next(db["runs"].rows_where(order_by="id desc", limit=1)))
        row["versions"] = db.execute("select count(*) from versions where run_id = ?", [row["id"]]).fetchone()[0]
        row["mentions"], row["tagged"] = db.execute(
            "select count(*), count(distinct m.version_id) from mentions m join versions v on v.id = m.version_id "
            "where v.run_id = ?", [row["id"]]).fetchone()
    finally:
        db.close()
    return row


def crawl_benchmarks(size: Size, work: Path, prefer: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `crawl` and `recrawl` sections."""
    watch = watch_entries(WATCH_ENTRIES)
    block = watch_toml(watch)
    info = generate_site(work / "site", size.pages, watch)
    small = generate_site(work / "site-small", size.small_pages, watch)
    say(f"site: {info.pages} releases on {info.list_pages} list pages, {info.bytes / 1e6:.1f} MB, "
        f"{info.sjis_pages} in Shift_JIS")
    with start_server(info.root, prefer) as server:
        say(f"server: {server.kind} at {server.url}")
        crawl_dir = work / "crawl"
        crawl_dir.mkdir()
        config = write_config(crawl_dir, server.url, info, size.concurrency, block)
        say("bare crawl 1…")
        bare1, bare1_stats = bare_crawl(config, crawl_dir / "bare1.log")
        say(f"  {bare1_stats['pages']} pages in {bare1.wall_s:.1f} s")
        say("full crawl…")
        mark = len(server.hits())
        first = full_crawl(config, crawl_dir / "full.log")
        first_run = last_run(crawl_dir / "bench.db")
        say(f"  {first_run['new']} new, {first_run['errors']} errors in {first.wall_s:.1f} s, "
            f"peak RSS {first.peak_rss_mb:.0f} MB")
        say("bare crawl 2…")
        bare2, bare2_stats = bare_crawl(config, crawl_dir / "bare2.log")
        say(f"  {bare2_stats['pages']} pages in {bare2.wall_s:.1f} s")
        mark = len(server.hits())
        say("recrawl…")
        second = full_crawl(config, crawl_dir / "recrawl.log")
        hits = server.hits()[mark:]
        second_run = last_run(crawl_dir / "bench.db")
        say(f"  {second_run['not_modified']} not modified, {second_run['new']} new in {second.wall_s:.1f} s")
        server_kind = server.kind
    with start_server(small.root, prefer) as small_server:
        small_dir = work / "crawl-small"
        small_dir.mkdir()
        small_config = write_config(small_dir, small_server.url, small, size.concurrency, block)
        say(f"full crawl of {small.pages} pages (memory baseline)…")
        small_result = full_crawl(small_config, small_dir / "full.log")
        say(f"  peak RSS {small_result.peak_rss_mb:.0f} MB")

    bare_rates = [bare1_stats["pages"] / bare1.wall_s, bare2_stats["pages"] / bare2.wall_s]
    bare_rate = statistics.mean(bare_rates)
    pages = first_run["new"] + first_run["changed"] + first_run["unchanged"]
    full_rate = pages / first.wall_s
    crawl = {
        "pages": pages,
        "server": server_kind,
        "bare_pages_per_s": round(bare_rate, 1),
        "bare_runs_pages_per_s": [round(r, 1) for r in bare_rates],
        "full_pages_per_s": round(full_rate, 1),
        "ratio": round(full_rate / bare_rate, 3),
        # CPU per page: less sensitive to the neighbours than wall time; the full crawl's includes its worker.
        "bare_cpu_ms_per_page": round(1000 * (bare1.cpu_s + bare2.cpu_s)
                                      / (bare1_stats["pages"] + bare2_stats["pages"]), 2),
        "full_cpu_ms_per_page": round(1000 * first.cpu_s / pages, 2),
        "errors": first_run["errors"],
        "mentions": first_run["mentions"],
        "pages_with_mentions": first_run["tagged"],  # every generated release names a watched vendor
        "peak_rss_mb": round(first.peak_rss_mb, 1),
        "peak_rss_main_mb": round(first.main_rss_mb, 1),
        "peak_pss_mb": round(first.peak_pss_mb, 1),
        "small_peak_pss_mb": round(small_result.peak_pss_mb, 1),
        "bare_peak_rss_mb": round(max(bare1.peak_rss_mb, bare2.peak_rss_mb), 1),
        "small_pages": small.pages,
        "small_peak_rss_mb": round(small_result.peak_rss_mb, 1),
        "rss_ratio": round(first.peak_rss_mb / small_result.peak_rss_mb, 3),
        "site_mb": round(info.bytes / 1e6, 1),
        "sjis_pages": info.sjis_pages,
        "concurrency": size.concurrency,
    }
    list_paths = {h.path for h in hits if "/press/index" in h.path}
    recrawl = {
        "first_s": round(first.wall_s, 2),
        "recrawl_s": round(second.wall_s, 2),
        "first_cpu_s": round(first.cpu_s, 2),
        "recrawl_cpu_s": round(second.cpu_s, 2),
        "ratio": round(second.wall_s / first.wall_s, 3),
        "requests": len(hits),
        "bodies_downloaded": sum(1 for h in hits if h.status == 200 and h.bytes > 0 and h.path != "/robots.txt"),
        "list_pages": len(list_paths),
        "not_modified": sum(1 for h in hits if h.status == 304),
        "new_versions": second_run["versions"],
        "run_counts": {k: second_run[k] for k in ("new", "changed", "unchanged", "not_modified", "errors")},
    }
    return crawl, recrawl


# -- tagging --------------------------------------------------------------------------------------------------


def _watch_list(count: int) -> list:
    """The crawl's 1,000 entries (their names occur in the site's text), padded to `count` with
    bench/tagging_speed.py's generated persons and companies."""
    from bench.tagging_speed import generated_entries

    entries = watch_entries(min(count, WATCH_ENTRIES))
    names = {e.name for e in entries}
    if count > len(entries):
        entries += [e for e in generated_entries(count - len(entries)) if e.name not in names]
    return entries


def tagging_benchmark(texts: list[str], entry_counts: tuple[int, ...], repeat: int = 3) -> dict[str, Any]:
    """Plain Sudachi (mode C, line by line, every morpheme visited) against the full tagger on the same text.

    Main figures on the generated site's release text (what the crawl tags); `press_corpus` repeats them on
    bench/tagging_speed.py's "press" documents (the labelled corpus among neutral prose) as a cross-check.
    Best of `repeat`, the two alternating, in CPU time of this process (bench/tagging_speed.py's
    best_of_interleaved): on a shared machine wall time mostly measures the neighbours.
    """
    from bench.tagging_speed import best_of_interleaved
    from bench.tagging_speed import documents as corpus_documents
    from nlp import Tagger
    from nlp.sudachi import dictionary

    plain = dictionary().tokenizer()  # mode C, all fields

    def sudachi(docs: list[str]) -> None:
        for doc in docs:
            for line in doc.splitlines():
                for _ in plain.tokenize(line):
                    pass

    def measure(tagger: Any, docs: list[str]) -> dict[str, Any]:
        mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
        sudachi_s, tagger_s = best_of_interleaved(
            repeat, lambda: sudachi(docs), lambda: [tagger.tag(d) for d in docs])
        return {"mb": round(mb, 3), "sudachi_mb_per_s": round(mb / sudachi_s, 3),
                "tagger_mb_per_s": round(mb / tagger_s, 3), "ratio": round(sudachi_s / tagger_s, 3)}

    press = corpus_documents("press")
    result: dict[str, Any] = {"documents": len(texts), "text": "generated site releases (bench/site.py)"}
    for count in entry_counts:
        say(f"tagging: building a tagger of {count} entries…")
        started = time.perf_counter()
        tagger = Tagger(_watch_list(count))
        build_s = time.perf_counter() - started
        tagger.tag(texts[0])
        figures = measure(tagger, texts)
        figures.update(entries=count, build_s=round(build_s, 2),
                       mentions=sum(len(tagger.tag(t).mentions) for t in texts),
                       press_corpus=measure(tagger, press))
        if count == entry_counts[0]:
            result.update(figures)
        else:
            result[f"at_{count}"] = figures
        say(f"  sudachi {figures['sudachi_mb_per_s']} MB/s, tagger {figures['tagger_mb_per_s']} MB/s, "
            f"ratio {figures['ratio']} (press corpus: {figures['press_corpus']['ratio']})")
    return result


# -- main -----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ometsuke benchmark (ratios to same-run baselines)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="1,000 pages instead of 5,000")
    group.add_argument("--tiny", action="store_true", help="a few pages: checks the benchmark runs, nothing more")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--server", choices=("nginx", "threaded"), default="nginx",
                        help="nginx if installed (default), or force the threaded stdlib server")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (sites, databases, logs)")
    parser.add_argument("--only", action="append", choices=("crawl", "tagging", "scale"),
                        help="run only these sections (repeatable)")
    args = parser.parse_args(argv)
    name = "tiny" if args.tiny else "quick" if args.quick else "full"
    size = SIZES[name]
    only = set(args.only or ("crawl", "tagging", "scale"))
    work = args.keep or Path(tempfile.mkdtemp(prefix="ometsuke-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result: dict[str, Any] = {"size": name, "machine": machine()}
    try:
        if "crawl" in only:
            result["crawl"], result["recrawl"] = crawl_benchmarks(size, work, args.server)
        if "tagging" in only:
            texts_root = work / "site"
            if not texts_root.exists():
                generate_site(texts_root, size.tag_docs, watch_entries(WATCH_ENTRIES))
            texts = release_texts(texts_root, limit=size.tag_docs)
            counts = (WATCH_ENTRIES, BIG_WATCH_ENTRIES) if name != "tiny" else (WATCH_ENTRIES, 5_000)
            result["tagging"] = tagging_benchmark(texts, counts)
        if "scale" in only:
            from bench.scale import scale_benchmark

            result["scale"] = scale_benchmark(work / "scale.db", size.scale_documents, say=say)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def machine() -> dict[str, Any]:
    import platform

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


if __name__ == "__main__":
    sys.exit(main())
