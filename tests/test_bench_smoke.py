"""The benchmark itself must not rot: `bench/run.py --tiny --json` runs end to end (generated site, real server,
bare and full crawls, recrawl, tagging, a small generated database) and its JSON has every key with sane values.

No timing thresholds here: figures on a shared machine are noise; only counts and invariants are checked.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report() -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--tiny", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    return json.loads(last)


def positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def test_crawl_section(report: dict) -> None:
    crawl = report["crawl"]
    assert crawl["server"] in ("nginx", "threaded")
    assert crawl["pages"] == 30 and crawl["errors"] == 0
    # Every release names a watched vendor, so every page must come back tagged and stored with its mentions.
    assert crawl["pages_with_mentions"] == crawl["pages"]
    for key in ("bare_pages_per_s", "full_pages_per_s", "ratio", "peak_rss_mb", "small_peak_rss_mb", "rss_ratio"):
        assert positive(crawl[key]), key
    assert crawl["ratio"] == pytest.approx(crawl["full_pages_per_s"] / crawl["bare_pages_per_s"], rel=0.05)
    assert crawl["peak_rss_mb"] > 20  # a Python process with Scrapy and Sudachi loaded, read from wait4


def test_recrawl_section(report: dict) -> None:
    recrawl = report["recrawl"]
    for key in ("first_s", "recrawl_s", "ratio"):
        assert positive(recrawl[key]), key
    assert recrawl["new_versions"] == 0
    assert recrawl["not_modified"] == report["crawl"]["pages"]  # every release answered 304
    assert recrawl["bodies_downloaded"] == recrawl["list_pages"] >= 1  # only list pages came with a body
    assert recrawl["run_counts"]["not_modified"] == report["crawl"]["pages"]


def test_tagging_section(report: dict) -> None:
    tagging = report["tagging"]
    assert tagging["entries"] == 1000
    for key in ("mb", "sudachi_mb_per_s", "tagger_mb_per_s", "ratio"):
        assert positive(tagging[key]), key
    assert tagging["mentions"] > 0
    bigger = [value for key, value in tagging.items() if key.startswith("at_")]
    assert bigger and all(positive(b["ratio"]) and b["entries"] > 1000 for b in bigger)


def test_scale_section(report: dict) -> None:
    scale = report["scale"]
    assert scale["versions"] == 3 * scale["documents"]
    assert scale["mentions"] == round(scale["versions"] * 10 / 3)
    for key in ("digest_s", "search_ms", "db_mb"):
        assert positive(scale[key]), key
    assert scale["digest_items"] > 0 and scale["searches_with_hits"] >= 15
    assert len(scale["search_queries"]) == 20


def test_extract_ab_compares_two_trees_in_one_process() -> None:
    """`bench/extract_ab.py` (old and new extraction on the generated pages) runs and reports both sides."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extract_ab.py"), str(ROOT), str(ROOT), "--pages", "6", "--rounds", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["pages"] >= 6
    assert all(positive(figures[key]) for key in ("base_ms_per_page", "new_ms_per_page", "ratio_best"))
