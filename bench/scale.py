"""The database at scale: 100,000 documents, 300,000 versions and 1,000,000 mentions, generated straight into a
migrated ometsuke database (executemany inside transactions, not a crawl), then one day's digest and searches timed.

    .venv/bin/python bench/scale.py OUT.db [--documents 100000]     # last line: one JSON object

Shape: 10 sources, one run per source per day over 300 days; each document is new once and changed twice by
small edits (an update note, then one more sentence), so a day holds about 1,000 changes; versions name 3, 3 and
4 watched entities (1,000 on the list) at offsets that really hold them (body[start:end] == surface). Bodies are
about 350 characters of release prose: shorter than real pages (3,000-4,000), which keeps generation and the
bigram search index within minutes; `body_chars` is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.site import FILLER, KANJI_STEMS, KANJI_TAILS, TOPICS, watch_entries  # noqa: E402
from db import open_database  # noqa: E402

SOURCES = 10
DAYS = 300
VERSIONS_PER_DOCUMENT = 3
UPDATES = ("（令和8年5月1日 更新）日程を一部変更しました。", "会場を変更しました。詳細は別添のとおりです。")
FIRST_DAY = dt.date(2025, 12, 1)
BATCH = 20_000
# 20 queries: common and rare two-character words, names, a one-character word, phrases and OR.
QUERIES = (
    "契約", "入札", "宮坂", "委託", "改修", "防災", "東京都", "都", "デジタル", "システムズ",
    "ネットワークの更新", "情報技術", "令和", "LED", "電算 OR 通信", "\"窓口業務の委託\"", "評価委員会",
    "協力事業者", "河川", "オープンデータ",
)


def _stamp(day: dt.date, second: int) -> str:
    """A UTC timestamp on `day` in Japan time (03:00 JST + second), in the store's format."""
    moment = dt.datetime.combine(day, dt.time(3), tzinfo=dt.timezone(dt.timedelta(hours=9)))
    return (moment + dt.timedelta(seconds=second)).astimezone(dt.UTC).isoformat(timespec="microseconds")


def _body(rng: random.Random, names: list[str]) -> tuple[str, list[tuple[str, int, int]]]:
    """A body naming each of `names` once, with the (surface, start, end) of each name."""
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    length = 0
    topic = rng.choice(TOPICS)
    for index, name in enumerate(names):
        lead = f"{topic}について、" if index == 0 else ""
        parts.append(lead)
        length += len(lead)
        spans.append((name, length, length + len(name)))
        tail = rng.choice(("と契約を締結しました。", "が所管します。", "も参加します。", "の提案を採用しました。"))
        parts.append(name + tail)
        length += len(name) + len(tail)
        for filler in rng.sample(FILLER, rng.randint(1, 3)):  # routine prose between the names
            parts.append(filler)
            length += len(filler)
    company = f"{rng.choice(KANJI_STEMS)}{rng.choice(KANJI_TAILS)}株式会社が協力します。"
    parts.append(company)
    return "".join(parts), spans


def _versions(document: int, entities: int, surfaces: list[str]) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """The three versions of a document as (body, [(entity index, start, end)]): 3, 3 and 4 mentions.

    Changes are edits, as on real pages: version 2 adds an update note at the end, version 3 also adds a
    sentence naming one more entity. Seeded by the document, so any version can be rebuilt on its own.
    """
    rng = random.Random(document)
    picked = [rng.randrange(entities) for _ in range(4)]
    body, spans = _body(rng, [surfaces[i] for i in picked[:3]])
    mentions = [(i, start, end) for i, (_s, start, end) in zip(picked, spans, strict=False)]
    second = body + rng.choice(UPDATES)
    extra = surfaces[picked[3]]
    third = second + "また、" + extra + "とも協定を締結しました。"
    start = len(second) + 3
    return [(body, mentions), (second, mentions), (third, [*mentions, (picked[3], start, start + len(extra))])]


def generate(path: Path, documents: int, say: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Write the database; returns the row counts and the generation time."""
    started = time.perf_counter()
    rng = random.Random(5)
    db = open_database(path)
    conn = db.conn
    entries = watch_entries(1000)
    with db.atomic():
        conn.executemany(
            "insert into entities (id, name, kind, family, titles, aliases, affiliations) values (?,?,?,?,?,?,?)",
            [(i + 1, e.name, e.kind, e.family, json.dumps(list(e.titles), ensure_ascii=False), "[]", "[]")
             for i, e in enumerate(entries)])
        conn.executemany(
            "insert into sources (name, spider, kind, config, added_at) values (?,?,?,?,?)",
            [(f"source-{s:02d}", "newsroom", "government", "{}", _stamp(FIRST_DAY, 0)) for s in range(SOURCES)])
        runs = []
        for day in range(DAYS):
            date = FIRST_DAY + dt.timedelta(days=day)
            for s in range(SOURCES):
                runs.append((day * SOURCES + s + 1, f"source-{s:02d}", _stamp(date, 0), _stamp(date, 3000), "done"))
        conn.executemany("insert into runs (id, source, started_at, finished_at, status) values (?,?,?,?,?)", runs)
    surfaces = [e.name for e in entries]
    # Each document appears on day `first` and changes on two later days.
    plan: list[tuple[int, int, int]] = []  # (day, document index, version number)
    for doc in range(documents):
        first = rng.randrange(DAYS - 40)
        later = sorted(rng.sample(range(first + 1, DAYS), VERSIONS_PER_DOCUMENT - 1))
        plan.extend((day, doc, n) for n, day in enumerate([first, *later]))
    plan.sort()
    say(f"scale: writing {documents} documents, {len(plan)} versions…")
    version_id = mention_id = 0
    latest: dict[int, int] = {}
    body_chars = 0
    docs: list[tuple] = []
    versions: list[tuple] = []
    mentions: list[tuple] = []
    changes: list[tuple] = []

    def flush() -> None:
        with db.atomic():
            conn.executemany("insert into documents (id, url, source, first_seen_at, last_seen_at, "
                             "last_checked_at) values (?,?,?,?,?,?)", docs)
            conn.executemany("insert into versions (id, document_id, run_id, fetched_at, content_hash, title, "
                             "published, body, etag, last_modified) values (?,?,?,?,?,?,?,?,?,?)", versions)
            conn.executemany('insert into mentions (id, version_id, entity_id, surface, start, "end", context) '
                             "values (?,?,?,?,?,?,?)", mentions)
            conn.executemany("insert into changes (run_id, document_id, kind, old_version_id, new_version_id, at) "
                             "values (?,?,?,?,?,?)", changes)
        for rows in (docs, versions, mentions, changes):
            rows.clear()

    for day, doc, number in plan:
        date = FIRST_DAY + dt.timedelta(days=day)
        source = doc % SOURCES
        run_id = day * SOURCES + source + 1
        at = _stamp(date, 60 + doc % 2900)
        version_id += 1
        body, spans = _versions(doc, len(entries), surfaces)[number]
        body_chars += len(body)
        if number == 0:
            url = f"https://source-{source:02d}.example.jp/press/{doc:06d}.html"
            docs.append((doc + 1, url, f"source-{source:02d}", at, at, at))
        title = f"{rng.choice(TOPICS)}について（第{doc}号）"
        versions.append((version_id, doc + 1, run_id, at, f"{version_id:064x}", title, date.isoformat(), body,
                         None, None))
        for entity_index, start, end in spans:
            mention_id += 1
            mentions.append((mention_id, version_id, entity_index + 1, body[start:end], start, end,
                             body[max(0, start - 20):end + 20]))
        changes.append((run_id, doc + 1, "new" if number == 0 else "changed", latest.get(doc), version_id, at))
        latest[doc] = version_id
        if len(versions) >= BATCH:
            flush()
    flush()
    db.execute("analyze")
    db.close()
    return {"documents": documents, "versions": version_id, "mentions": mention_id,
            "body_chars": round(body_chars / max(version_id, 1)), "generate_s": round(time.perf_counter() - started, 1)}


def busiest_day(db: Any) -> tuple[dt.date, int]:
    """The Japan-time day with the most changes (the digest's worst day in this database)."""
    row = db.execute(
        "select date(at, '+9 hours') as day, count(*) as n from changes group by day order by n desc limit 1"
    ).fetchone()
    return dt.date.fromisoformat(row[0]), int(row[1])


def scale_benchmark(path: Path, documents: int = 100_000, say: Callable[[str], None] = lambda m: None,
                    keep: bool = False) -> dict[str, Any]:
    """Generate, index for search, then time one day's digest (best of 3) and 20 searches (median)."""
    from db.search import index_pending, search
    from ometsuke.digest import build_digest

    if path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    result = generate(path, documents, say)
    db = open_database(path)
    try:
        say("scale: building the search index…")
        started = time.perf_counter()
        index_pending(db)
        result["index_s"] = round(time.perf_counter() - started, 1)
        day, changes = busiest_day(db)
        middle = FIRST_DAY + dt.timedelta(days=DAYS // 2)
        say(f"scale: digest of {middle} and of the busiest day {day} ({changes} changes)…")
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            digest = build_digest(db, day=middle)
            timings.append(time.perf_counter() - started)
        result["digest_s"] = round(min(timings), 3)
        result["digest_day"] = middle.isoformat()
        result["digest_items"] = sum(len(v) for v in digest.new.values()) + len(digest.changed) + len(
            digest.noise_suppressed)
        started = time.perf_counter()
        build_digest(db, day=day)
        result["digest_busiest_s"] = round(time.perf_counter() - started, 3)
        result["digest_busiest_changes"] = changes
        say("scale: 20 searches…")
        search(db, "準備")  # first call: index_pending finds nothing to add, caches warm
        per_query = {}
        for query in QUERIES:
            started = time.perf_counter()
            hits = search(db, query)
            per_query[query] = (round((time.perf_counter() - started) * 1000, 1), len(hits))
        times = [ms for ms, _ in per_query.values()]
        result["search_ms"] = round(statistics.median(times), 1)
        result["search_max_ms"] = round(max(times), 1)
        result["search_queries"] = {q: ms for q, (ms, _) in per_query.items()}
        result["searches_with_hits"] = sum(1 for _, n in per_query.values() if n)
    finally:
        db.close()
    result["db_mb"] = round(sum(Path(str(path) + s).stat().st_size for s in ("", "-wal")
                                if Path(str(path) + s).exists()) / 1e6, 1)
    say(f"scale: digest {result['digest_s']} s, search median {result['search_ms']} ms, {result['db_mb']} MB")
    return result



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args(argv)
    result = scale_benchmark(args.out, args.documents, say=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
