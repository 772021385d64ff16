"""Search approaches for Japanese compared on one synthetic corpus: recall against a LIKE scan, and speed.

    .venv/bin/python bench/search_bench.py [--docs 3000] [--json]

Approaches: (1) ometsuke's FTS5 index over character bigrams (db/search.py); (2) FTS5 trigram tokenizer;
(3) FTS5 over SudachiPy mode C tokens with the query tokenized the same way; (4) LIKE '%q%' full scan (the
ground truth for "contains"). The corpus is generated (press-release-like sentences from a fixed vocabulary,
seeded), so runs are comparable.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import open_database  # noqa: E402
from db.search import build_query, index_pending  # noqa: E402

SUBJECTS = ["東京都", "宮坂副知事", "デジタルサービス局", "総務局", "株式会社デジタルガレージ", "ヤフー株式会社",
            "財務局", "港区", "都民", "小池知事", "福祉保健局", "株式会社NTTデータ", "契約担当者"]
OBJECTS = ["ワクチン接種予約システム", "一般競争入札", "入札結果", "指名競争入札", "委託契約", "記者会見",
           "実施要領", "予定価格", "落札者", "都庁舎", "補助金", "DX推進", "説明会", "公募型プロポーザル"]
VERBS = ["を実施しました", "について公表します", "を締結しました", "を開始します", "の結果をお知らせします",
         "を変更しました", "に参加しました", "を行います"]
QUERIES = ["都", "宮坂", "入札", "契約", "デジタルガレージ", "ガレージ", "ワクチン接種予約", "NTT", "局", "予定価格"]


def corpus(count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(10, 25)):
            amount = f"{rng.randint(1, 99_999_999):,}円" if rng.random() < 0.2 else ""
            sentences.append(f"{rng.choice(SUBJECTS)}は{rng.choice(OBJECTS)}{rng.choice(VERBS)}{amount}。")
        docs.append((f"{rng.choice(OBJECTS)}について", "".join(sentences)))
    return docs


def timed(function, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    docs = corpus(args.docs)
    chars = sum(len(t) + len(b) for t, b in docs)
    out: dict[str, object] = {"docs": len(docs), "chars": chars, "sqlite": sqlite3.sqlite_version}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        db["sources"].insert({"name": "s", "spider": "page", "kind": "government"})
        db["documents"].insert_all({"id": i + 1, "url": f"u{i}", "source": "s"} for i in range(len(docs)))
        db["versions"].insert_all(
            {"id": i + 1, "document_id": i + 1, "title": t, "body": b, "fetched_at": "2026-11-27"}
            for i, (t, b) in enumerate(docs)
        )
        start = time.perf_counter()
        index_pending(db)
        out["bigram_index_s"] = round(time.perf_counter() - start, 2)
        conn = db.conn
        start = time.perf_counter()
        conn.execute("create virtual table tri using fts5(title, body, tokenize='trigram')")
        conn.execute("insert into tri (rowid, title, body) select id, title, body from versions")
        conn.commit()
        out["trigram_index_s"] = round(time.perf_counter() - start, 2)

        from sudachipy import SplitMode

        from nlp.sudachi import tokenizer

        tok = tokenizer(SplitMode.C)

        def words(text: str) -> str:
            return " ".join(m.surface() for m in tok.tokenize(text) if m.surface().strip())

        start = time.perf_counter()
        conn.execute("create virtual table sud using fts5(title, body, content='')")
        conn.executemany("insert into sud (rowid, title, body) values (?, ?, ?)",
                         [(i + 1, words(t), words(b)) for i, (t, b) in enumerate(docs)])
        conn.commit()
        out["sudachi_index_s"] = round(time.perf_counter() - start, 2)

        rows = []
        for query in QUERIES:
            like_ms, like = timed(lambda q=query: {r[0] for r in conn.execute(
                "select id from versions where instr(title, ?) or instr(body, ?)", [q, q])})
            bigram_ms, bigram = timed(lambda q=query: {r[0] for r in conn.execute(
                "select rowid from search_index where search_index match ?", [build_query(q)])})
            tri_ms, tri = timed(lambda q=query: {r[0] for r in conn.execute(
                "select rowid from tri where tri match ?", ['"' + q + '"'])})
            phrase = '"' + words(query) + '"'
            sud_ms, sud = timed(lambda p=phrase: {r[0] for r in conn.execute(
                "select rowid from sud where sud match ?", [p])})
            truth = len(like)
            rows.append({
                "query": query, "matching_docs": truth,
                "bigram": {"found": len(bigram), "ms": round(bigram_ms, 2)},
                "trigram": {"found": len(tri), "ms": round(tri_ms, 2)},
                "sudachi": {"found": len(sud), "ms": round(sud_ms, 2)},
                "like": {"found": truth, "ms": round(like_ms, 2)},
                "bigram_exact": bigram == like,
            })
        out["queries"] = rows
        from db.search import search

        out["search_api_ms"] = {
            q: round(timed(lambda q=q: search(db, q, limit=20))[0], 2) for q in ("宮坂", "都", "入札公告")
        }
        db.close()
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(f"{out['docs']} docs, {out['chars']:,} chars, SQLite {out['sqlite']}; index build: bigram "
          f"{out['bigram_index_s']} s, trigram {out['trigram_index_s']} s, sudachi {out['sudachi_index_s']} s")
    print(f"{'query':<16}{'docs':>6}  {'bigram':>14}  {'trigram':>14}  {'sudachi C':>14}  {'LIKE scan':>14}")
    for row in rows:
        cells = [f"{row[k]['found']:>5} {row[k]['ms']:>6.2f}ms" for k in ("bigram", "trigram", "sudachi", "like")]
        print(f"{row['query']:<16}{row['matching_docs']:>6}  " + "  ".join(f"{c:>14}" for c in cells))
    print("db.search.search() (top 20 with snippets), median ms:", out["search_api_ms"])


if __name__ == "__main__":
    main()
