"""Full-text search (db.search) on a real database: 1-, 2- and 3-character Japanese words, phrases, filters, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import PageVersion, Store, open_database
from db.search import SearchError, build_query, index_tokens, search
from ometsuke.cli import main

PAGES = {
    "tokyo": ("東京都の入札公告", "東京都は一般競争入札を公告します。担当は財務局経理部です。"),
    "vice": ("副知事の記者会見", "宮坂学副知事が記者会見を行いました。ＤＸ推進について説明しました。"),
    "dg": ("パートナーアワード", "株式会社デジタルガレージが受賞しました。賞金は1,000,000円です。"),
    "osaka": ("大阪府のお知らせ", "大阪府は補助金の公募を開始します。"),
}


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "ometsuke.db")
    store = Store(database)
    store.ensure_source("tokyo-press", "tokyo_press", "government", {})
    store.ensure_source("dg-news", "newsroom", "corporate", {})
    run = store.start_run("tokyo-press")
    for key, (title, body) in PAGES.items():
        source = "dg-news" if key == "dg" else "tokyo-press"
        store.record_page(run, source, PageVersion(url=f"https://example.jp/{key}", title=title, body=body))
    store.finish_run(run)
    yield database
    database.close()


def urls(hits) -> list[str]:
    return sorted(hit.url.rsplit("/", 1)[1] for hit in hits)


def test_index_holds_bigrams_and_the_last_character_of_each_run() -> None:
    assert index_tokens("東京都、ＤＸ") == "東京 京都 都 dx x"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("都", ["tokyo"]),  # one character, at the end of the word 東京都
        ("府", ["osaka"]),
        ("宮坂", ["vice"]),  # two characters: FTS5 trigram would find nothing
        ("入札", ["tokyo"]),
        ("財務局", ["tokyo"]),  # three characters
        ("ガレージ", ["dg"]),  # inside the compound デジタルガレージ (one Sudachi token)
        ("dx", ["vice"]),  # full-width ＤＸ in the page, ASCII query
        ("１，０００，０００", ["dg"]),  # full-width digits in the query
        ("000,000", ["dg"]),  # a number split by commas, matched from the middle
        ("宮坂 記者会見", ["vice"]),
        ("宮坂 大阪", []),
        ("宮坂 OR 大阪", ["osaka", "vice"]),
        ('"一般競争入札を公告"', ["tokyo"]),
        ('"入札を公告する"', []),
    ],
)
def test_search_finds_japanese_words_of_any_length(db, query: str, expected: list[str]) -> None:
    assert urls(search(db, query)) == expected


def test_one_character_query_is_exact_not_fuzzy(db) -> None:
    assert urls(search(db, "京")) == ["tokyo"]
    assert urls(search(db, "阪")) == ["osaka"]
    assert search(db, "鹿") == []


def test_snippet_marks_the_hit_in_the_original_text(db) -> None:
    (hit,) = search(db, "ｄｘ推進")
    assert "**ＤＸ推進**について" in hit.snippet
    body = db["versions"].get(hit.version_id)["body"]
    start, end = hit.highlights[0]
    assert body[start:end] == "ＤＸ推進"


def test_source_and_since_filters(db) -> None:
    assert urls(search(db, "受賞", source="dg-news")) == ["dg"]
    assert search(db, "受賞", source="tokyo-press") == []
    assert search(db, "受賞", since="2999-01-01T00:00:00+00:00") == []


def test_new_versions_are_indexed_on_the_next_search_and_old_matches_are_flagged(db) -> None:
    assert urls(search(db, "締切")) == []
    store = Store(db)
    run = store.start_run("tokyo-press")
    store.record_page(run, "tokyo-press", PageVersion(url="https://example.jp/tokyo", title="東京都の入札公告",
                                                      body="入札の締切は12月1日です。"))
    (hit,) = search(db, "締切")
    assert hit.latest
    (old,) = search(db, "一般競争入札")  # only the first version said this
    assert old.url.endswith("/tokyo") and not old.latest


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ('"入札', "unbalanced quote"),
        ("。、！", "has no letters or digits"),
        ("OR 入札", "OR needs a word on each side"),
        ("入札 OR", "OR needs a word on each side"),
    ],
)
def test_malformed_queries_are_clear_errors(db, query: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        search(db, query)


def test_fts_syntax_in_user_input_is_plain_text(db) -> None:
    # "NEAR(a" is one word: the letters NEAR then a, as a phrase; FTS operators never reach FTS5
    assert build_query("NEAR(a b) AND * ^x") == '"ne ea ar r a" * AND "b" * AND "an nd" AND "x" *'
    assert search(db, "NEAR(a b) AND * ^x") == []


def test_cli_search_text_json_and_errors(db, tmp_path: Path) -> None:
    config = tmp_path / "ometsuke.toml"
    config.write_text('[database]\npath = "ometsuke.db"\n', encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["search", "入札", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "東京都の入札公告\n  https://example.jp/tokyo" in result.output
    assert "東京都は一般競争**入札**を公告します。" in result.output
    data = json.loads(runner.invoke(main, ["search", "宮坂", "--json", "--config", str(config)]).output)
    assert [hit["url"] for hit in data] == ["https://example.jp/vice"]
    bad = runner.invoke(main, ["search", '"入札', "--config", str(config)])
    assert bad.exit_code == 2 and "unbalanced quote" in bad.output and "Traceback" not in bad.output
    none = runner.invoke(main, ["search", "鹿", "--config", str(config)])
    assert none.exit_code == 0 and "No page contains 鹿." in none.output


def test_cli_search_unknown_source_is_a_usage_error(db, tmp_path: Path) -> None:
    config = tmp_path / "ometsuke.toml"
    config.write_text('[database]\npath = "ometsuke.db"\n', encoding="utf-8")
    runner = CliRunner()
    typo = runner.invoke(main, ["search", "入札", "--source", "tokyo-pres", "--config", str(config)])
    assert typo.exit_code == 2 and "Traceback" not in typo.output
    assert "no source named 'tokyo-pres' (sources: dg-news, tokyo-press)" in typo.output
    known = runner.invoke(main, ["search", "入札", "--source", "tokyo-press", "--config", str(config)])
    assert known.exit_code == 0 and "東京都の入札公告" in known.output


def test_cli_search_marks_removed_pages(db, tmp_path: Path) -> None:
    store = Store(db)
    run = store.start_run("tokyo-press")
    assert store.record_gone(run, "https://example.jp/osaka")
    store.finish_run(run)
    config = tmp_path / "ometsuke.toml"
    config.write_text('[database]\npath = "ometsuke.db"\n', encoding="utf-8")
    runner = CliRunner()
    text = runner.invoke(main, ["search", "します", "--config", str(config)]).output
    assert "大阪府のお知らせ (removed from the site " in text
    assert "東京都の入札公告 (removed" not in text
    hits = json.loads(runner.invoke(main, ["search", "します", "--json", "--config", str(config)]).output)
    removed = {hit["url"].rsplit("/", 1)[1]: hit["removed_at"] for hit in hits}
    assert removed["osaka"] is not None and removed["tokyo"] is None


_CHARS = "東京都入札契約宮坂デジタル局府ab12、。 "


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(alphabet=_CHARS, min_size=1, max_size=30), min_size=1, max_size=6),
       pick=st.integers(min_value=0), start=st.integers(min_value=0), length=st.integers(min_value=1, max_value=5))
def test_search_equals_a_substring_scan(tmp_path_factory, texts, pick, start, length) -> None:
    """For a query of letters and digits, the bigram index finds exactly the bodies that contain it."""
    text = texts[pick % len(texts)]
    begin = start % len(text)
    query = text[begin:begin + length].strip(" 、。").split(" ")[0].split("、")[0].split("。")[0]
    if not query:
        return
    database = open_database(tmp_path_factory.mktemp("prop") / "p.db")
    try:
        store = Store(database)
        store.ensure_source("s", "page", "media", {})
        run = store.start_run("s")
        for index, body in enumerate(texts):
            store.record_page(run, "s", PageVersion(url=f"https://example.jp/{index}", title="", body=body))
        found = {hit.url for hit in search(database, query, limit=100)}
        expected = {f"https://example.jp/{i}" for i, body in enumerate(texts) if query.lower() in body.lower()}
        assert found == expected
    finally:
        database.close()
