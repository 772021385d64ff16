"""The held-out labels (tests/labels/heldout.json) keep their shape: a check of the JSON only.

It never opens the held-out pages and never runs the extractor on them: the held-out part is measured once, by the
lead, at the end (issue 11). What it guards is that an edit to the labels cannot silently break that measurement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

LABELS = Path(__file__).parent / "labels" / "heldout.json"
ENTRIES = json.loads(LABELS.read_text(encoding="utf-8"))
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _id(entry: dict) -> str:
    return Path(entry["file"]).name


def test_every_held_out_file_is_labelled_once():
    files = [entry["file"] for entry in ENTRIES]
    assert len(files) == len(set(files)) == 24
    assert all(entry["part"] == "heldout" for entry in ENTRIES)
    assert all(f.startswith("realcorpus/") for f in files)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if "title" in e], ids=_id)
def test_page_labels(entry: dict):
    assert entry["kind"] in ("article", "other")
    assert urlsplit(entry["url"]).scheme in ("http", "https")
    assert entry["title"].strip() == entry["title"] and entry["title"]
    assert entry["published"] is None or DATE.fullmatch(entry["published"])
    assert 2 <= len(entry["passages"]) <= 4 and all(0 < len(p) <= 25 for p in entry["passages"])
    assert 2 <= len(entry["not_in_body"]) <= 4 and all(entry["not_in_body"])
    assert not set(entry["passages"]) & set(entry["not_in_body"])


@pytest.mark.parametrize("entry", [e for e in ENTRIES if "releases" in e], ids=_id)
def test_list_and_feed_labels(entry: dict):
    assert entry["kind"] in ("list", "feed")
    releases = entry["releases"]
    samples = releases["samples"]
    assert releases["count"] >= len(samples)
    assert len(samples) == min(releases["count"], len(samples)) and (releases["count"] < 3 or 3 <= len(samples) <= 6)
    for sample in samples:
        assert urlsplit(sample["url"]).scheme in ("http", "https") and sample["title"]
        assert sample["date"] is None or DATE.fullmatch(sample["date"])
    sample_urls = {s["url"] for s in samples}
    assert len(sample_urls) == len(samples) and not sample_urls & set(entry["not_releases"])
    assert 1 <= len(entry["not_releases"]) <= 4
