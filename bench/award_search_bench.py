"""How long `search` spends on awards: a LIKE over generated award rows (issue 13), median of several queries.

    python bench/award_search_bench.py --rows 200000 --json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from db import open_database
from db.award_search import search_awards

WORDS = ["庁舎", "清掃", "業務", "システム", "保守", "運用", "委託", "物品", "購入", "調査", "研究", "工事", "設計",
         "ネットワーク", "更新", "ワクチン", "予約", "ＩＴ", "データ", "分析"]
VENDORS = ["株式会社ミライ", "ＮＴＴデータ株式会社", "株式会社キレイ", "合同会社ケンキュウ", "株式会社ソラテック"]
QUERIES = ["清掃", "システム 保守", "ミライ", "NTT", "ワクチン OR 予約", "ネットワークの更新", "存在しない語"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        rows = [(f"{i:019d}", "".join(rng.sample(WORDS, 4)), f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                 rng.randint(10_000, 500_000_000), "S1", "国土交通省", "8002010", "一般競争入札",
                 rng.choice(VENDORS) + ("" if i % 7 else str(i)), None, 1, "bench", "2026-12-01", "2026-12-01")
                for i in range(args.rows)]
        with db.atomic():
            db.conn.executemany(
                "insert into awards (case_number, title, decided, yen, ministry_code, ministry, method_code, method, "
                "vendor, corporate_number, maybe_private, source_file, first_seen, last_seen) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        times: dict[str, float] = {}
        for query in QUERIES:
            spent = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                search_awards(db, query, limit=20)
                spent.append(time.perf_counter() - started)
            times[query] = statistics.median(spent) * 1000
        db.close()
    report = {"rows": args.rows, "median_ms": round(statistics.median(times.values()), 1),
              "slowest": max(times, key=times.__getitem__), "slowest_ms": round(max(times.values()), 1),
              "per_query_ms": {q: round(t, 1) for q, t in times.items()}}
    print(json.dumps(report, ensure_ascii=False) if args.json else report)


if __name__ == "__main__":
    main()
