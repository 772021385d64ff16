"""Entity kinds are data: a kind added to the kind table (nlp.watchlist.WATCH_KINDS) and nothing else is accepted by
the config, tagged by the real tagger, paired in the digest's alerts, found by `connections`, counted by the canned
queries, and shown with its catalogue label or, without one, its own name."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.configs import DIGITAL_GARAGE, source, write_config

from db import PageTags, PageVersion, Store, open_database
from nlp.tagger import Tagger
from nlp.watchlist import ORGANISATION, PERSON, WATCH_KINDS
from ometsuke.config import ConfigError, load_config
from ometsuke.connections import find_connections
from ometsuke.digest import render
from ometsuke.digest.build import build_digest
from ometsuke.evidence import find_evidence, named_in
from ometsuke.explore import canned_queries, metadata
from ometsuke.i18n import texts

YAMADA = {"name": "山田太郎", "kind": "politician", "family": "山田", "titles": ["議員"]}
BODY = "山田議員は本日、株式会社デジタルガレージの担当者と面会しました。契約金額は1,000,000円です。"


def _config(tmp_path: Path) -> Path:
    return write_config(tmp_path, source("press", "https://example.jp/press/"), watch=[YAMADA, DIGITAL_GARAGE])


def test_a_kind_not_in_the_table_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"""key "kind" is 'politician'; expected one of official, vendor"""):
        load_config(_config(tmp_path))


def test_a_person_kind_added_to_the_table_works_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(WATCH_KINDS, "politician", PERSON)
    config = load_config(_config(tmp_path))
    tags = Tagger(config.watch).tag(BODY).to_dict()
    assert [(m["entity"], m["kind"], m["surface"]) for m in tags["mentions"]] == [
        ("山田太郎", "politician", "山田議員"), ("デジタルガレージ", "vendor", "デジタルガレージ")]

    db = open_database(config.database_path)
    store = Store(db)
    store.ensure_source("press", "page", "government", {})
    store.sync_entities(config.watch)
    run = store.start_run("press")
    store.record_page(run, "press", PageVersion(url="https://example.jp/press/1.html", title="面会", body=BODY),
                      PageTags(tags["mentions"], tags["amounts"], tags["organizations"]))
    store.finish_run(run)

    digest = build_digest(db, since="2000-01-01", language="en")
    [alert] = digest.alerts
    assert [(f.kind, f.entities) for f in alert.findings] == [
        ("together", ["山田太郎", "デジタルガレージ"]), ("amount", ["デジタルガレージ"])]
    assert "- 山田太郎 (politician): 山田議員" in render(digest, "md")  # no catalogue label: the kind's name
    assert 'class="tag kind-politician role-person"' in render(digest, "html")

    connections = find_connections(db, "山田太郎", "デジタルガレージ")
    assert [e.kind for e in connections.evidence] == ["both", "amount"]

    pairs = list(db.query(canned_queries()["co_occurrences"]["sql"]))
    assert [(row["official"], row["vendor"]) for row in pairs] == [("山田太郎", "デジタルガレージ")]
    assert metadata("ometsuke")["databases"]["ometsuke"]["tables"]["entities"]["columns"]["kind"] == (
        "official | vendor | politician")
    db.close()


def test_an_organisation_kind_gets_amounts_and_the_other_side(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlp.watchlist import WatchEntry

    monkeypatch.setitem(WATCH_KINDS, "agency", ORGANISATION)
    tagger = Tagger([WatchEntry("山田太郎", "official", family="山田", titles=("議員",)),
                     WatchEntry("デジタル庁", "agency")])
    body = "山田議員はデジタル庁と1,000,000円の契約について協議しました。"
    found = tagger.tag(body).to_dict()
    assert [(m["entity"], m["kind"]) for m in found["mentions"]] == [("山田太郎", "official"), ("デジタル庁", "agency")]
    evidence = find_evidence(body, named_in(found["mentions"], []), found["amounts"], [])
    assert [(t.first.name, t.second.name) for t in evidence.together] == [("山田太郎", "デジタル庁")]
    assert [(a.yen, a.organisation.name) for a in evidence.amounts] == [(1_000_000, "デジタル庁")]


def test_kind_labels_come_from_the_catalogue_else_the_kind() -> None:
    assert texts("ja").kind("official") == "公職者" and texts("en").kind("vendor") == "vendor"
    assert texts("ja").kind("politician") == "politician"
