"""The labelled real corpus: label files under tests/labels/, page bytes under ../shared (never copied here).

One loader and one scorer for every label file, whoever wrote it (dev_lists.json, dev_pages.json, heldout.json):
- a label with "releases" is scored as a list page or feed: the share of its sample entries found with the right
  date, whether the number of entries found is within tolerance of the count a reader sees, and which of its
  `not_releases` (menu, ranking, paging links) were taken;
- a label with "title" / "published" / "passages" / "not_in_body" is scored as an article page.
Both go through `extract_file`, the function behind `ometsuke extract`, which decodes the bytes as a crawl does.
Used by the tests and by bench/realcorpus_eval.py (the lead measures the held-out part with it once, at the end).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LABELS = Path(__file__).resolve().parents[1] / "labels"
_CANDIDATES = [Path(os.environ.get("OMETSUKE_SHARED", "")), Path(__file__).resolve().parents[3] / "shared",
               Path("/work/shared")]  # fmt: skip
SHARED = next((p for p in _CANDIDATES if str(p) != "." and (p / "realcorpus").is_dir()), _CANDIDATES[-1])
COUNT_TOLERANCE = 0.25  # a list's entry count may be off by this share (or by 2): links repeat, items lack links


# The extraction labels (lists and pages); tests/labels/ also holds the tagging labels (sentences.json), which are
# read by bench/tagging_real_eval.py.
EXTRACTION_LABELS = ("dev_lists.json", "dev_pages.json", "heldout.json")


def load_labels(part: str | None = None) -> list[dict[str, Any]]:
    """Every extraction label (each file a JSON list), optionally only one part."""
    labels: list[dict[str, Any]] = []
    for path in (LABELS / name for name in EXTRACTION_LABELS):
        for label in json.loads(path.read_text(encoding="utf-8")):
            label.setdefault("part", "heldout" if path.stem.startswith("heldout") else "dev")
            if part is None or label["part"] == part:
                labels.append(label)
    return labels


def shared_present() -> bool:
    return (SHARED / "realcorpus").is_dir()


def read_bytes(label: dict[str, Any]) -> bytes:
    return (SHARED / label["file"]).read_bytes()


def extract_label(label: dict[str, Any], fetched_at: dt.datetime | None = None) -> dict[str, Any]:
    """What `ometsuke extract FILE --url URL` returns for the labelled file."""
    from ometsuke.commands.extract import extract_file

    if fetched_at is None:
        return extract_file(read_bytes(label), label["url"])
    return extract_file(read_bytes(label), label["url"], fetched_at=fetched_at)


@dataclass
class ListScore:
    file: str
    samples: int
    right: int  # samples found with the labelled date (null = found without a date)
    count: int  # entries a reader sees
    found: int  # entries extracted
    taken: list[str] = field(default_factory=list)  # not_releases that were extracted
    misses: list[str] = field(default_factory=list)  # "url: expected X, got Y"
    wrong: set[str] = field(default_factory=set)  # sample URLs not found with the labelled date
    missing: set[str] = field(default_factory=set)  # sample URLs not found at all

    @property
    def count_ok(self) -> bool:
        return abs(self.found - self.count) <= max(2, COUNT_TOLERANCE * self.count)


def score_list(label: dict[str, Any], result: dict[str, Any]) -> ListScore:
    releases = {r["url"]: r for r in result["releases"]}
    spec = label["releases"]
    score = ListScore(label["file"], len(spec["samples"]), 0, spec["count"], len(result["releases"]))
    for sample in spec["samples"]:
        got = releases.get(sample["url"])
        if got is not None and got["date"] == sample["date"]:
            score.right += 1
        else:
            score.wrong.add(sample["url"])
            if got is None:
                score.missing.add(sample["url"])
            score.misses.append(f"{sample['url']}: expected {sample['date']}, got "
                                f"{'no entry' if got is None else got['date']}")  # fmt: skip
    score.taken = [url for url in label.get("not_releases", []) if url in releases]
    return score


@dataclass
class PageScore:
    file: str
    title_ok: bool | None
    published_ok: bool | None
    passages: int
    passages_found: int
    furniture: int
    furniture_leaked: int
    misses: list[str] = field(default_factory=list)


def score_page(label: dict[str, Any], result: dict[str, Any]) -> PageScore:
    body = result["body"]
    passages = label.get("passages", [])
    furniture = label.get("not_in_body", [])
    score = PageScore(
        label["file"],
        result["title"] == label["title"] if "title" in label else None,
        result["published"] == label["published"] if "published" in label else None,
        len(passages), sum(p in body for p in passages), len(furniture), sum(f in body for f in furniture),
    )  # fmt: skip
    if score.title_ok is False:
        score.misses.append(f"title: expected {label['title']!r}, got {result['title']!r}")
    if score.published_ok is False:
        score.misses.append(f"published: expected {label['published']}, got {result['published']}")
    score.misses += [f"passage missing: {p!r}" for p in passages if p not in body]
    score.misses += [f"furniture in body: {f!r}" for f in furniture if f in body]
    return score


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def score_part(part: str) -> dict[str, Any]:
    """Scores of every labelled file of one part, per file and in total (what bench/realcorpus_eval.py prints)."""
    lists: list[ListScore] = []
    pages: list[PageScore] = []
    for label in load_labels(part):
        result = extract_label(label)
        if "releases" in label:
            lists.append(score_list(label, result))
        if any(key in label for key in ("title", "published", "passages", "not_in_body")):
            pages.append(score_page(label, result))
    totals: dict[str, Any] = {"part": part, "lists": len(lists), "pages": len(pages)}
    if lists:
        totals |= {
            "list_entries_right": _share(sum(s.right for s in lists), sum(s.samples for s in lists)),
            "list_counts_ok": _share(sum(s.count_ok for s in lists), len(lists)),
            "menu_links_taken": sum(len(s.taken) for s in lists),
        }
    if pages:
        titled = [s for s in pages if s.title_ok is not None]
        dated = [s for s in pages if s.published_ok is not None]
        totals |= {
            "titles_right": _share(sum(bool(s.title_ok) for s in titled), len(titled)),
            "dates_right": _share(sum(bool(s.published_ok) for s in dated), len(dated)),
            "passages_found": _share(sum(s.passages_found for s in pages), sum(s.passages for s in pages)),
            "menu_leaks": _share(sum(s.furniture_leaked for s in pages), sum(s.furniture for s in pages)),
        }
    files = [{"file": s.file, "kind": "list", "right": f"{s.right}/{s.samples}", "count": s.count, "found": s.found,
              "count_ok": s.count_ok, "taken": s.taken, "misses": s.misses} for s in lists]  # fmt: skip
    files += [{"file": s.file, "kind": "page", "title_ok": s.title_ok, "published_ok": s.published_ok,
               "passages": f"{s.passages_found}/{s.passages}", "leaks": s.furniture_leaked, "misses": s.misses}
              for s in pages]  # fmt: skip
    return {"totals": totals, "files": files}
