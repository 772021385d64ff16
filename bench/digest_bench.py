"""How long the digest takes for a busy day: N new and N changed documents, rendered in every format.

    .venv/bin/python bench/digest_bench.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import PageTags, PageVersion, Store, open_database  # noqa: E402
from db.clock import JST  # noqa: E402
from nlp.watchlist import WatchEntry  # noqa: E402
from ometsuke.digest import build_digest, render  # noqa: E402

SENTENCES = ["東京都は委託契約を締結しました。", "契約金額は{n:,}円です。", "宮坂副知事が担当します。",
             "受注者は株式会社デジタルガレージです。", "詳細は別紙のとおりです。", "問い合わせは総務局まで。"]


def body(rng: random.Random, sentences: int = 30) -> str:
    return "\n".join(rng.choice(SENTENCES).format(n=rng.randint(1, 10**8)) for _ in range(sentences))


def tags(text: str) -> PageTags:
    mentions = []
    for entity, surface in (("宮坂学", "宮坂副知事"), ("デジタルガレージ", "デジタルガレージ")):
        at = text.find(surface)
        while at >= 0:
            mentions.append({"entity": entity, "surface": surface, "start": at, "end": at + len(surface)})
            at = text.find(surface, at + 1)
    return PageTags(mentions=mentions)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db")
        store = Store(db)
        store.ensure_source("s", "page", "government", {})
        store.sync_entities([WatchEntry("宮坂学", "official", family="宮坂", titles=("副知事",)),
                             WatchEntry("デジタルガレージ", "vendor")])
        run = store.start_run("s")
        originals = {}
        for i in range(args.docs * 2):
            text = body(rng)
            originals[i] = text
            store.record_page(run, "s", PageVersion(f"https://example.jp/{i}", f"お知らせ{i}", text), tags(text))
        db.execute("update changes set at = '2026-11-25T00:00:00+00:00'")
        db.conn.commit()
        run = store.start_run("s")
        for i in range(args.docs):  # half the documents change: one sentence edited, one added
            lines = originals[i].split("\n")
            lines[rng.randrange(len(lines))] = "契約金額を変更しました。"
            text = "\n".join(lines) + "\n資料を追加しました。"
            store.record_page(run, "s", PageVersion(f"https://example.jp/{i}", f"お知らせ{i}", text), tags(text))
        for i in range(args.docs * 2, args.docs * 3):
            text = body(rng)
            store.record_page(run, "s", PageVersion(f"https://example.jp/{i}", f"新着{i}", text), tags(text))
        today = dt.datetime.now(JST).date()
        start = time.perf_counter()
        digest = build_digest(db, today)
        built = time.perf_counter() - start
        print(f"{args.docs} new + {len(digest.changed)} changed documents, {len(digest.alerts)} alerts: "
              f"build {built:.2f} s")
        for fmt in ("md", "html", "atom", "json"):
            start = time.perf_counter()
            text = render(digest, fmt)
            print(f"  render {fmt:<4} {time.perf_counter() - start:.2f} s, {len(text.encode()) / 1e6:.1f} MB")
        db.close()


if __name__ == "__main__":
    main()
