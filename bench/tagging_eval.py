"""Precision and recall of the tagger on the hand-labelled corpus (bench/corpus/gold.jsonl).

    .venv/bin/python bench/tagging_eval.py               # JSON summary (last line)
    .venv/bin/python bench/tagging_eval.py --errors      # also every miss and false hit, on stderr
    .venv/bin/python bench/tagging_eval.py --split dev   # only one split (dev | heldout)

A prediction counts only when it matches gold exactly: mentions by (entity, start, end), amounts by
(yen, start, end), dates by (date, start, end), organizations by (name, start, end); `organizations_span`
ignores the name. The watch list the corpus was labelled against is bench/corpus/watch.csv.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import Tagger  # noqa: E402
from nlp.watchlist import load_watch_csv  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"


def keys(category: str, items: list[dict]) -> set[tuple]:
    field = {"mentions": "entity", "amounts": "yen", "dates": "date", "organizations": "name"}[category]
    return {(item[field], item["start"], item["end"]) for item in items}


def score(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print misses and false hits to stderr")
    parser.add_argument("--split", choices=("dev", "heldout"), default=None)
    args = parser.parse_args()

    tagger = Tagger(load_watch_csv(CORPUS / "watch.csv"))
    records = [json.loads(line) for line in (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    categories = ("mentions", "amounts", "dates", "organizations")
    counts: dict[str, Counter] = {}
    offsets_ok = True

    def bump(group: str, category: str, tp: int, fp: int, fn: int) -> None:
        counter = counts.setdefault(f"{group}/{category}", Counter())
        counter.update({"tp": tp, "fp": fp, "fn": fn})

    for record in records:
        if args.split and record["split"] != args.split:
            continue
        text = record["text"]
        result = tagger.tag(text).to_dict()
        for category in categories:
            for item in result[category]:
                offsets_ok &= text[item["start"]:item["end"]] == item["surface"]
        for category in (*categories, "organizations_span"):
            base = "organizations" if category == "organizations_span" else category
            if category == "organizations_span":
                gold = {(0, g["start"], g["end"]) for g in record[base]}
                found = {(0, p["start"], p["end"]) for p in result[base]}
            else:
                gold, found = keys(base, record[base]), keys(base, result[base])
            tp, fp, fn = len(gold & found), len(found - gold), len(gold - found)
            for group in ("all", record["split"], "hard" if record["hard"] else "plain"):
                bump(group, category, tp, fp, fn)
            if args.errors and category != "organizations_span" and (fp or fn):
                print(f"[{record['id']}] {category}: {text}", file=sys.stderr)
                for key in sorted(gold - found, key=lambda k: k[1]):
                    print(f"    MISS  {key} {text[key[1]:key[2]]!r}", file=sys.stderr)
                for key in sorted(found - gold, key=lambda k: k[1]):
                    print(f"    FALSE {key} {text[key[1]:key[2]]!r}", file=sys.stderr)

    summary: dict[str, object] = {
        "sentences": sum(1 for r in records if not args.split or r["split"] == args.split),
        "watch_entries": len(tagger.entries),
        "offsets_exact": offsets_ok,
    }
    for name, counter in sorted(counts.items()):
        group, category = name.split("/")
        summary.setdefault(group, {})[category] = score(counter["tp"], counter["fp"], counter["fn"])  # type: ignore[union-attr]
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
