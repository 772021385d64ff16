"""Search results at scale: newest first, one hit per document (its newest matching version), filters exact,
the index rebuilt by migration 5, and folding/tokenizing shortcuts that keep the index exact."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from db import PageVersion, Store, open_database
from db.search import _RUN as WORD_RUN
from db.search import fold, index_tokens, search


@pytest.fixture
def db(fresh_db):
    return fresh_db


def record(db, source: str, url: str, body: str, title: str = "お知らせ") -> None:
    store = Store(db)
    store.ensure_source(source, "newsroom", "government", {})
    run = store.start_run(source)
    store.record_page(run, source, PageVersion(url=f"https://example.jp/{url}", title=title, body=body))
    store.finish_run(run)


def names(hits) -> list[str]:
    return [hit.url.rsplit("/", 1)[1] for hit in hits]


def test_newest_first_and_limit_keeps_the_newest_documents(db) -> None:
    for n in range(8):
        record(db, "tokyo", f"d{n}", f"第{n}回の契約について")
    assert names(search(db, "契約")) == [f"d{n}" for n in reversed(range(8))]
    assert names(search(db, "契約", limit=3)) == ["d7", "d6", "d5"]


def test_one_hit_per_document_its_newest_matching_version(db) -> None:
    record(db, "tokyo", "a", "入札を公告します。版1")
    record(db, "tokyo", "b", "入札の結果です。")
    record(db, "tokyo", "a", "入札を公告します。版2")  # a changes: its newest version matches, and is newer than b
    record(db, "tokyo", "a", "公告を取り消しました。")  # then the word is removed from a
    hits = search(db, "入札", limit=2)
    assert names(hits) == ["a", "b"]  # a's newest matching version (版2) is newer than b's
    assert "版2" in hits[0].snippet and not hits[0].latest and hits[1].latest
    versions = [row["id"] for row in db.query("select id from versions order by id")]
    assert hits[0].version_id == versions[2]
    # many versions of one document do not crowd out the others
    for n in range(30):
        record(db, "tokyo", "c", f"入札の変更（{n}回目）")
    assert names(search(db, "入札", limit=3)) == ["c", "a", "b"]


def test_source_filter_is_exact_for_any_source_name(db) -> None:
    record(db, "東京都 報道発表", "t1", "契約を締結しました。")
    record(db, "dg-news", "g1", "契約を締結しました。")
    record(db, "dg-news-2", "g2", "契約を締結しました。")
    assert names(search(db, "契約", source="東京都 報道発表")) == ["t1"]
    assert names(search(db, "契約", source="dg-news")) == ["g1"]  # not the source whose name it begins
    assert search(db, "契約", source="dg") == []
    assert names(search(db, "契約 OR 入札", source="dg-news-2")) == ["g2"]


def test_query_words_never_match_the_source_column(db) -> None:
    record(db, "tokyo-press", "t", "契約を締結しました。")  # indexed source token: "s746f6b…"
    assert search(db, "s") == []
    assert search(db, "s746f") == []
    assert search(db, "tokyo") == []


def test_since_is_exact_when_ids_and_fetch_times_disagree(db) -> None:
    for n in range(4):
        record(db, "tokyo", f"d{n}", "入札の公告")
    ids = [row["id"] for row in db.query("select id from versions order by id")]
    # a writer that committed late: the newest id carries the oldest time, the oldest id a recent one
    stamps = ["2026-11-20T00:00:00.000000+00:00", "2026-11-01T00:00:00.000000+00:00",
              "2026-11-02T00:00:00.000000+00:00", "2026-10-01T00:00:00.000000+00:00"]
    for version_id, stamp in zip(ids, stamps, strict=True):
        db.execute("update versions set fetched_at = ? where id = ?", [stamp, version_id])
    db.conn.commit()
    assert names(search(db, "入札", since="2026-11-01T00:00:00.000000+00:00")) == ["d2", "d1", "d0"]
    assert names(search(db, "入札", since="2026-11-10T00:00:00.000000+00:00")) == ["d0"]
    assert search(db, "入札", since="2026-12-01T00:00:00.000000+00:00") == []
    assert names(search(db, "入札", since="2026-11-02T00:00:00.000000+00:00", source="tokyo")) == ["d2", "d0"]


def test_migration_5_rebuilds_an_index_of_the_previous_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database = open_database(path)
    record(database, "tokyo", "a", "東京都の入札")
    # put the database back as migration 4 left it: the old index (no prefix index, no source column), full
    database.execute("drop table search_index")
    database.execute("create virtual table search_index using fts5(title, body, content='', "
                     "tokenize='unicode61 remove_diacritics 0')")
    database.execute("insert into search_index (rowid, title, body) select id, '', '' from versions")
    database.execute("delete from _migrations where number >= 5")
    database.conn.commit()
    database.close()
    database = open_database(path)
    try:
        assert names(search(database, "都")) == ["a"]
        assert names(search(database, "入札", source="tokyo")) == ["a"]
    finally:
        database.close()


def test_fold_keeps_one_character_for_one_character() -> None:
    for text in ("ＤＸ推進ＡＢＣ", "İstanbul", "ΟΔΟΣ ΟΔΟΣΟ", "Straße", "東京都"):
        folded = fold(text)
        assert len(folded) == len(text)
        assert folded == "".join(fold(c) for c in text)  # no context-dependent lowering (final sigma)
    assert fold("ＤＸ推進") == "dx推進"


def test_runs_are_exactly_letters_and_digits() -> None:
    """The runs must split where FTS5's unicode61 does: letters (L*) and digits (N*), nothing else."""
    everything = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    expected = "".join(char for char in everything if unicodedata.category(char)[0] in "LN")
    assert "".join(WORD_RUN.findall(everything)) == expected


def test_index_tokens_of_mixed_text() -> None:
    assert index_tokens("東京都_ＤＸ、a") == "東京 京都 都 dx x a"
    assert index_tokens(None) == ""
