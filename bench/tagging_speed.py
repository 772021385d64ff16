"""Tagger throughput against plain SudachiPy (mode C, line by line) on the same text, in the same run.

    .venv/bin/python bench/tagging_speed.py                    # 1,000 and 100,000 watch entries
    .venv/bin/python bench/tagging_speed.py --entries 1000     # one size only

Text: documents of about 3,000 characters, paragraphs of 3-4 sentences per line. "dense" uses only the
labelled corpus (bench/corpus/gold.jsonl), where nearly every sentence holds an entity, an amount or a
company: a worst case for the tagger, which runs Sudachi only around candidates. "press" puts each corpus
sentence among five sentences of neutral release prose (bench/corpus/filler.txt), closer to real pages.
Watch lists: the corpus's 24 entries plus generated persons and companies (fixed seed). Best of --repeat
runs, Sudachi and tagger alternating. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import Tagger  # noqa: E402
from nlp.sudachi import dictionary  # noqa: E402
from nlp.watchlist import WatchEntry, load_watch_csv  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"
KANJI = (
    "安井伊上宇江岡河木北久熊栗黒小坂崎桜沢志島清杉須関瀬曽高竹谷玉千塚辻土堤"
    "豊長西根野萩橋畑浜原平広福藤舟堀本前松丸水溝宮村森八柳山湯横吉米若和"
)
GIVEN = "昭彦和夫雄一郎二三子美恵奈真由理香健太翔大輔陽菜結衣蓮悠斗"
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
SUFFIXES = ("システム", "テクノ", "ソリューションズ", "電機", "工業", "情報", "商事", "データ", "ネット", "")
TITLES = ("部長", "課長", "局長", "議員", "理事", "市長", "区長", "委員長")


def generated_entries(count: int, seed: int = 7) -> list[WatchEntry]:
    """Plausible but fictitious persons (1 in 5) and companies with aliases."""
    rng = random.Random(seed)
    entries: list[WatchEntry] = []
    names: set[str] = set()
    while len(entries) < count:
        if rng.random() < 0.2:
            family = "".join(rng.choice(KANJI) for _ in range(2))
            name = family + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            entry = WatchEntry(name, "official", family, (rng.choice(TITLES),))
        else:
            stem = "".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 6)))
            name = stem + rng.choice(SUFFIXES)
            entry = WatchEntry(name, "vendor", aliases=(stem.lower() + " corp",) if rng.random() < 0.2 else ())
        if name not in names:
            names.add(name)
            entries.append(entry)
    return entries


def documents(kind: str, size: int = 3000) -> list[str]:
    """~3,000-character documents of paragraphs (3-4 sentences per line, as extracted page bodies are)."""
    records = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    labelled = [r["text"] for r in records]
    filler = [line for line in (CORPUS / "filler.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]
    rng = random.Random(1)
    if kind == "dense":
        sentences = labelled * 3
    else:
        sentences = []
        for sentence in labelled:
            sentences.append(sentence)
            sentences.extend(rng.choice(filler) for _ in range(5))
    rng.shuffle(sentences)
    docs: list[str] = []
    paragraphs: list[str] = []
    length = 0
    while sentences:
        count = rng.randint(3, 4)
        paragraph = "".join(s if s.endswith(("。", "）", "」")) else s + "。" for s in sentences[:count])
        del sentences[:count]
        paragraphs.append(paragraph)
        length += len(paragraph)
        if length >= size or not sentences:
            docs.append("\n".join(paragraphs))
            paragraphs, length = [], 0
    return docs


def best_of_interleaved(repeat: int, first, second) -> tuple[float, float]:
    """Best times of two functions run alternately, so that load from other processes hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            function()
            bucket.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, action="append", help="watch-list sizes (default 1000, 100000)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = args.entries or [1000, 100_000]

    base = load_watch_csv(CORPUS / "watch.csv")
    plain_tokenizer = dictionary().tokenizer()  # mode C, all fields: "plain SudachiPy"

    def sudachi(docs: list[str]) -> None:
        for doc in docs:
            for line in doc.splitlines():
                for _ in plain_tokenizer.tokenize(line):
                    pass

    report: dict[str, object] = {"repeat": args.repeat}
    for size in sizes:
        entries = base + generated_entries(size - len(base))
        start = time.perf_counter()
        tagger = Tagger(entries)
        build = time.perf_counter() - start
        row: dict[str, object] = {"build_seconds": round(build, 2)}
        for kind in ("dense", "press"):
            docs = documents(kind)
            chars = sum(map(len, docs))
            sudachi_s, tagger_s = best_of_interleaved(
                args.repeat, lambda d=docs: sudachi(d), lambda d=docs, t=tagger: [t.tag(doc) for doc in d]
            )
            mentions = sum(len(tagger.tag(doc).mentions) for doc in docs)
            row[kind] = {
                "documents": len(docs), "chars": chars, "mentions": mentions,
                "sudachi_chars_per_s": round(chars / sudachi_s), "tagger_chars_per_s": round(chars / tagger_s),
                "speedup": round(sudachi_s / tagger_s, 2),
            }
        report[f"entries_{size}"] = row
        print(f"{size} entries: {json.dumps(row, ensure_ascii=False)}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
