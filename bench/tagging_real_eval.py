"""Precision and recall of the tagger on real sentences (tests/labels/sentences.json, issue 13).

    .venv/bin/python bench/tagging_real_eval.py --part dev              # JSON summary
    .venv/bin/python bench/tagging_real_eval.py --part dev --errors     # also every miss and false hit, on stderr

The labels point into the bodies of real pages under /work/shared (or OMETSUKE_SHARED): each page is extracted as
`ometsuke extract FILE --url URL` does, tagged whole (a family name + 氏 needs the document around it), and the
findings inside each labelled sentence are compared with its labels. A finding counts only when it matches exactly:
organizations by span, amounts by (yen, span), mentions by (entity, span). A finding that straddles a sentence's
edge counts as false. A sentence that moved is found again by its hash; one that cannot be is reported as `lost`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import Tagger  # noqa: E402
from nlp.sentences import SENTENCE_END  # noqa: E402
from nlp.watchlist import load_watch_csv  # noqa: E402
from ometsuke.commands.extract import extract_file  # noqa: E402

LABELS = ROOT / "tests" / "labels" / "sentences.json"
KINDS = ("organizations", "amounts", "mentions")
_SHARED_CANDIDATES = (os.environ.get("OMETSUKE_SHARED", ""), str(ROOT.parent.parent / "shared"), "/work/shared")


def shared_dir() -> Path | None:
    """Where the real pages are (../shared beside the worktrees, or OMETSUKE_SHARED), or None."""
    for candidate in _SHARED_CANDIDATES:
        if candidate and (Path(candidate) / "realcorpus").is_dir():
            return Path(candidate)
    return None


def sentence_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _sentence_spans(body: str) -> list[tuple[int, int]]:
    """The body's sentences as spans, cut by the project's one rule and trimmed of spaces."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(body):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(body)))
    trimmed = []
    for s, e in spans:
        while s < e and body[s] in " \t\u3000\r\n":
            s += 1
        while e > s and body[e - 1] in " \t\u3000\r\n":
            e -= 1
        trimmed.append((s, e))
    return trimmed


def locate(body: str, label: dict) -> tuple[int, int] | None:
    """The sentence's span in body: where the label says, else wherever a sentence has its hash, else None."""
    start, end = label["start"], label["end"]
    if sentence_hash(body[start:end]) == label["sha1"]:
        return start, end
    for s, e in _sentence_spans(body):
        if e - s == end - start and sentence_hash(body[s:e]) == label["sha1"]:
            return s, e
    # The sentence may now sit inside a longer line: look for it at every position with its first character.
    length = end - start
    for s, e in _sentence_spans(body):
        for i in range(s, e - length + 1):
            if sentence_hash(body[i:i + length]) == label["sha1"]:
                return i, i + length
    return None


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    sentences: int = 0
    lost: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        out: dict = {"sentences": self.sentences, "lost": self.lost}
        for kind, c in self.counts.items():
            tp, fp, fn = c["tp"], c["fp"], c["fn"]
            out[kind] = {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
                         "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0, "tp": tp, "fp": fp, "fn": fn}
        return out


def _key(kind: str, item: dict, offset: int) -> tuple:
    span = (item["start"] - offset, item["end"] - offset)
    if kind == "amounts":
        return (item["yen"], *span)
    if kind == "mentions":
        return (item["entity"], *span)
    return span


def evaluate(part: str, shared: Path, labels_path: Path = LABELS) -> Report:
    """Tag every page of the part once and score the labelled sentences of that part."""
    doc = json.loads(labels_path.read_text(encoding="utf-8"))
    tagger = Tagger(load_watch_csv(labels_path.parent / doc["watchlist"]))
    by_file: dict[str, list[dict]] = {}
    for label in doc["sentences"]:
        if label["part"] == part:
            by_file.setdefault(label["file"], []).append(label)
    report = Report()
    for name, labels in sorted(by_file.items()):
        data = (shared / name).read_bytes()
        body = extract_file(data, labels[0]["url"])["body"]
        found = tagger.tag(body).to_dict()
        for label in labels:
            span = locate(body, label)
            if span is None:
                report.lost.append(label["id"])
                continue
            report.sentences += 1
            s0, s1 = span
            for kind in KINDS:
                inside = [item for item in found[kind] if item["start"] < s1 and item["end"] > s0]
                assert all(body[i["start"]:i["end"]] == i["surface"] for i in inside)
                got = {_key(kind, item, s0) for item in inside}
                want = {_key(kind, item, 0) for item in label[kind]}
                c = report.counts[kind]
                c.update({"tp": len(got & want), "fp": len(got - want), "fn": len(want - got)})
                for key in sorted(want - got, key=str):
                    report.errors.append(f"{label['id']} {kind} MISS {key} {body[s0 + key[-2]:s0 + key[-1]]!r}")
                for key in sorted(got - want, key=str):
                    report.errors.append(f"{label['id']} {kind} FALSE {key} {body[s0 + key[-2]:s0 + key[-1]]!r}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("dev", "heldout"), required=True)
    parser.add_argument("--errors", action="store_true", help="print misses and false hits to stderr")
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        raise SystemExit("the real pages are not here: set OMETSUKE_SHARED to the folder holding realcorpus/")
    report = evaluate(args.part, shared)
    if args.errors:
        for line in report.errors:
            print(line, file=sys.stderr)
    print(json.dumps({"part": args.part, **report.summary()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
