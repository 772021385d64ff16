"""One "near": the digest's alerts, `ometsuke connections` and the Datasette query of amounts by vendor agree on
which amounts are near a vendor, at the edges (before, after, overlapping, exactly NEAR_CHARS, a company name
wider than the mention). A real database written through db.Store; each case is its own page."""

from __future__ import annotations

from typing import Any

import pytest

from db import PageTags, PageVersion, Store
from nlp.watchlist import WatchEntry
from ometsuke.connections import find_connections
from ometsuke.digest.build import build_digest
from ometsuke.evidence import NEAR_CHARS, Named, find_evidence, gap, named_in
from ometsuke.explore import canned_queries

OFFICIAL = "宮坂副知事が担当します。"
VENDOR = "デジタルガレージ"
FILL = "あ"  # not a sentence break: the distance is all filler


def _case(yen: int, layout: str, fill: int) -> tuple[str, dict[str, Any]]:
    """A body with the official, then the vendor and an amount `fill` characters apart (layout says the order)."""
    amount = f"{yen:,}円"
    if layout == "amount first":
        text = amount + FILL * fill + VENDOR
    elif layout == "vendor first":
        text = VENDOR + FILL * fill + amount
    elif layout == "company name":  # デジタルガレージ株式会社: the company name ends 4 characters after the mention
        text = VENDOR + "株式会社" + FILL * fill + amount
    else:  # overlapping: the amount's span starts inside the vendor's (tags written by hand)
        text = VENDOR + amount
    body = OFFICIAL + text + "。"
    at, start = body.index(VENDOR), body.index(amount)
    tags: dict[str, Any] = {
        "mentions": [{"entity": "宮坂学", "surface": "宮坂副知事", "start": 0, "end": 5},
                     {"entity": VENDOR, "surface": VENDOR, "start": at, "end": at + len(VENDOR)}],
        "amounts": [{"yen": yen, "surface": amount, "start": start, "end": start + len(amount)}],
        "organizations": [],
    }
    if layout == "company name":
        tags["organizations"] = [{"name": VENDOR, "surface": VENDOR + "株式会社", "start": at, "end": at + 12,
                                  "watched": True}]
    if layout == "overlapping":
        tags["amounts"][0]["start"] -= 2
    return body, tags


# (layout, filler characters, near?) — each case gets its own power of two as its amount, so a sum says which.
CASES = [
    ("amount first", NEAR_CHARS, True),  # the gap is measured from the amount's end, not its start
    ("amount first", NEAR_CHARS + 1, False),
    ("vendor first", NEAR_CHARS, True),
    ("vendor first", NEAR_CHARS + 1, False),
    ("overlapping", 0, True),
    ("company name", NEAR_CHARS, True),  # 204 from the mention, 200 from the company name
    ("company name", NEAR_CHARS + 1, False),
]


@pytest.fixture
def db(fresh_db):
    store = Store(fresh_db)
    store.ensure_source("press", "page", "government", {})
    store.sync_entities([WatchEntry("宮坂学", "official", family="宮坂", titles=("副知事",)),
                         WatchEntry(VENDOR, "vendor")])
    run = store.start_run("press")
    for index, (layout, fill, _) in enumerate(CASES):
        body, tags = _case(2 ** (index + 10), layout, fill)
        store.record_page(run, "press", PageVersion(url=f"https://example.jp/{index}.html", title=layout, body=body),
                          PageTags(**tags))
    store.finish_run(run)
    return fresh_db


def _bits(total: int) -> set[int]:
    return {1 << bit for bit in range(total.bit_length()) if total >> bit & 1}


def test_gap_is_the_same_from_either_side() -> None:
    assert gap((0, 5), (205, 210)) == gap((205, 210), (0, 5)) == 200
    assert gap((0, 5), (3, 8)) == gap((3, 8), (0, 5)) == 0  # overlapping
    assert gap((0, 5), (5, 8)) == 0  # touching


def test_digest_connections_and_explore_agree_on_what_is_near(db) -> None:
    expected = {2 ** (index + 10) for index, (_, _, near) in enumerate(CASES) if near}

    digest = build_digest(db, since="2000-01-01", language="en")
    in_digest = {f.yen for alert in digest.alerts for f in alert.findings if f.kind == "amount"}

    connections = find_connections(db, "宮坂学", VENDOR)
    in_connections = {e.yen for e in connections.evidence if e.kind == "amount"}

    rows = list(db.query(canned_queries()["amounts_by_vendor"]["sql"]))
    in_explore = _bits(rows[0]["total_yen"]) if rows else set()

    assert in_digest == expected
    assert in_connections == expected
    assert in_explore == expected


def _named(body: str, *hits: tuple[str, str, str]) -> dict[str, Named]:
    """named_in over hand-written mentions: (entity, kind, surface), each at its first place in body."""
    return named_in([{"entity": e, "kind": k, "start": body.index(s), "end": body.index(s) + len(s)}
                     for e, k, s in hits], [])


def test_the_digest_pairs_people_with_organisations_connections_the_pair_it_is_asked() -> None:
    body = "宮坂副知事はヤフーの元幹部。デジタルガレージとNTTデータが受注した。"
    named = _named(body, ("宮坂学", "official", "宮坂副知事"), ("デジタルガレージ", "vendor", "デジタルガレージ"),
                   ("NTTデータ", "vendor", "NTTデータ"))
    watched = [{"name": "宮坂学", "kind": "official", "affiliations": ["ヤフー"]},
               {"name": "デジタルガレージ", "kind": "vendor", "affiliations": []},
               {"name": "NTTデータ", "kind": "vendor", "affiliations": []}]
    found = find_evidence(body, named, [], watched)
    assert [(t.first.name, t.second.name) for t in found.together] == [("宮坂学", "デジタルガレージ"),
                                                                       ("宮坂学", "NTTデータ")]
    assert [(a.owner, a.affiliation, a.beside.name) for a in found.affiliations] == [
        ("宮坂学", "ヤフー", "デジタルガレージ"), ("宮坂学", "ヤフー", "NTTデータ")]
    # two vendors are never paired unasked; asked about (connections), they are named together
    asked = find_evidence(body, named, [], watched[1:], between=("デジタルガレージ", "NTTデータ"))
    assert [(t.first.name, t.second.name) for t in asked.together] == [("デジタルガレージ", "NTTデータ")]
    assert asked.affiliations == []


def test_an_amount_counts_for_connections_only_beside_the_other_entity_or_its_affiliation() -> None:
    body = "ヤフーの発表。デジタルガレージとの契約金額は1,000円。"
    named = _named(body, ("デジタルガレージ", "vendor", "デジタルガレージ"))
    at = body.index("1,000円")
    amounts = [{"yen": 1000, "start": at, "end": at + 6}]
    official = {"name": "宮坂学", "kind": "official", "affiliations": ["ヤフー"]}
    vendor = {"name": "デジタルガレージ", "kind": "vendor", "affiliations": []}
    pair = ("宮坂学", "デジタルガレージ")
    assert [a.yen for a in find_evidence(body, named, amounts, [official, vendor], between=pair).amounts] == [1000]
    alone = {**official, "affiliations": []}
    assert find_evidence(body, named, amounts, [alone, vendor], between=pair).amounts == []
    assert [a.yen for a in find_evidence(body, named, amounts, [alone, vendor]).amounts] == [1000]  # the digest
