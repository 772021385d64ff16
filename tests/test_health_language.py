"""A source's health reason in the digest's language: kept as parts with each run (runs.health_detail), rendered
from the catalogue of `[digest] language` in every digest format, the mail and the failing-source notification;
runs.health_reason keeps the English sentence, and a run stored before parts were kept shows that.

Two real crawls of a local site: a list of 12 releases (then 2: shrunk), a list whose server is down (a failing
list page), a feed that is gone (HTTP 404: a failing feed) and a feed that answers with no entries. The failing
sources are notified to a local receiver (apprise json://) after the first crawl.
"""

from __future__ import annotations

import json
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.configs import config_text, source
from support.net import free_port
from support.receiver import start_receiver
from support.smtp import smtp_server
from test_health import write_list
from test_mail import mail_config

from db import open_database
from db.health import REASONS, failure_reason, render_reason
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.digest import build_digest, render
from ometsuke.digest.mail import deliver_digest
from ometsuke.i18n import CATALOGUES, texts
from ometsuke.localsite import serve_directory
from ometsuke.notify import DigestMade, messages_for

EMPTY_FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>お知らせ</title>
<link>{base}/empty/</link><description>d</description></channel></rss>"""
def reasons_config(base: str, dead_port: int, language: str, hook: str) -> str:
    """A list that will shrink, a dead host, a feed that is gone, an empty feed; a chat channel for failures."""
    return config_text(
        source("shrink", f"{base}/shrink/list.html", follow="a.release"),
        source("dead", f"http://127.0.0.1:{dead_port}/press/list.html", follow="a.release"),
        source("gonefeed", f"{base}/feed/missing.xml", spider="feed"),
        source("emptyfeed", f"{base}/empty/rss.xml", spider="feed"),
        notify=[{"name": "team", "url": hook, "on": ["failures", "digest"]}],
        database="reasons.db", crawl={"retries": 0, "download_timeout": 10}, digest={"language": language},
    )
SHRUNK_JA = "一覧の公表資料が2件（通常は12件）: ページの構成が変わりましたか？"
SHRUNK_EN = "2 releases on the list, usually 12: has the page changed?"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("reasons")
    root = base / "site"
    write_list(root, "shrink", 12)
    (root / "empty").mkdir()
    receiver = start_receiver()
    try:
        with serve_directory(root) as site:
            (root / "empty" / "rss.xml").write_text(EMPTY_FEED.format(base=site.url), encoding="utf-8")
            config_path = base / "ometsuke.toml"
            config_path.write_text(reasons_config(site.url, free_port(), "ja", receiver.url("team")),
                                   encoding="utf-8")
            config = load_config(config_path)
            first = run_crawl(config, quiet=True)
            notified = receiver.messages()
            write_list(root, "shrink", 2)  # a redesign: the spider now finds 2 of the 12 releases
            second = run_crawl(config, quiet=True)
    finally:
        receiver.close()
    runs = {run["source"]: run for run in [*first, *second]}  # each source's last run
    return {"config": config, "runs": runs, "since": first[0]["started_at"], "notified": notified, "base": base}


def digest_in(crawled: dict, language: str):
    config = crawled["config"]
    database = open_database(config.database_path)
    try:
        return build_digest(database, since=crawled["since"], configured=[s.name for s in config.sources],
                            language=language)
    finally:
        database.close()


def reasons_of(digest) -> dict[str, str]:
    return {source.name: source.reason for source in digest.sources}


# -- the parts ----------------------------------------------------------------------------------------------------


def test_english_is_stored_and_the_parts_beside_it(crawled: dict) -> None:
    runs = crawled["runs"]
    assert runs["shrink"]["health_reason"] == SHRUNK_EN
    assert json.loads(runs["shrink"]["health_detail"]) == [{"key": "shrunk", "what": "list", "listed": 2, "usual": 12}]
    dead = json.loads(runs["dead"]["health_detail"])
    assert [part["key"] for part in dead] == ["list_page_failed"]
    assert runs["dead"]["health_reason"] == f"list page failed: {dead[0]['detail']}"
    assert "/press/list.html" in dead[0]["detail"]  # the technical text is a parameter, as it is
    gone = json.loads(runs["gonefeed"]["health_detail"])
    assert gone[0]["key"] == "list_page_failed" and gone[0]["detail"].startswith("HTTP 404")
    assert runs["emptyfeed"]["health"] == "failing"
    for run in runs.values():  # the English sentence is the parts rendered with db.health's templates
        assert render_reason(json.loads(run["health_detail"])) == run["health_reason"]


def test_the_spiders_failure_words_are_read_back_as_parts() -> None:
    assert failure_reason("list page failed: HTTP 503 (http://x/)") == {
        "key": "list_page_failed", "detail": "HTTP 503 (http://x/)"}
    assert failure_reason('no releases found on http://x/ (selector "a.release")') == {
        "key": "no_releases_selector", "url": "http://x/", "selector": "a.release"}
    assert failure_reason("no releases found on http://x/ (detection)")["key"] == "no_releases_detected"
    assert failure_reason("no releases found on http://x/") == {"key": "no_releases", "url": "http://x/"}
    assert failure_reason("not a feed at http://x/f: no root element") == {
        "key": "not_a_feed", "url": "http://x/f", "detail": "no root element"}
    assert failure_reason("page failed: ValueError: boom (http://x/1)") == {
        "key": "page_failed", "detail": "ValueError: boom (http://x/1)"}
    assert failure_reason("no entries found in feed http://x/f") == {"key": "no_feed_entries", "url": "http://x/f"}
    assert failure_reason("something else broke") == {"key": "failure", "text": "something else broke"}
    for text in ("list page failed: HTTP 503 (http://x/)", "list page is not HTML (http://x/a.pdf)",
                 "not a well-formed feed at http://x/f: mismatched tag",
                 'no releases found on http://x/ (selector "a")',
                 "no releases found on http://x/ (detection)", "something else broke"):
        assert render_reason([failure_reason(text)]) == text


def test_every_reason_has_a_japanese_template_with_the_same_parameters() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for key, english in REASONS.items():
        assert CATALOGUES["en"][f"reason_{key}"] == english  # the English wording is written once, in db.health
        japanese = CATALOGUES["ja"][f"reason_{key}"]
        assert fields(japanese) == fields(english), key
        if key != "failure":
            assert any("\u3040" <= ch <= "\u9fff" for ch in japanese), key


def test_an_interrupted_run_and_a_degraded_one_with_several_parts_in_japanese(fresh_db) -> None:
    from db import Store
    from db.health import ListReport, judge

    store = Store(fresh_db)
    store.ensure_source("s", "newsroom", "government", {})
    several = store.finish_run(store.start_run("s"), "stopped: shutdown", ListReport(
        "newsroom", 3, ("list page failed: HTTP 500 (http://x/2)",), page_failures=2,
        first_page_failure="HTTP 404 (http://x/r1)"))
    assert several["health_reason"] == ("1 list page(s) failed: list page failed: HTTP 500 (http://x/2); "
                                        "2 page(s) failed: HTTP 404 (http://x/r1); "
                                        "the crawl stopped before it finished (stopped: shutdown)")
    assert texts("ja").reason(several["health_detail"], several["health_reason"]) == (
        "一覧ページ1件を読めませんでした（最初: 一覧ページを取得できませんでした: HTTP 500 (http://x/2)）。"
        "ページ2件を取得できませんでした: HTTP 404 (http://x/r1)。巡回が途中で止まりました（stopped: shutdown）")
    every = judge(ListReport("newsroom", 0, ("list page failed: HTTP 404 (a)", "list page failed: HTTP 500 (b)")),
                  "done", 12)
    assert texts("ja").reason(every.detail(), every.reason) == (
        "一覧ページ2件すべてを読めませんでした（最初: 一覧ページを取得できませんでした: HTTP 404 (a)）")
    interrupted = store.start_run("s")
    store.mark_interrupted_runs()
    row = fresh_db["runs"].get(interrupted)
    assert row["health_reason"] == "the crawl was interrupted before this source finished"
    japanese = texts("ja").reason(row["health_detail"], row["health_reason"])
    assert japanese == "この情報源を終える前に巡回が中断されました"


# -- the digest ---------------------------------------------------------------------------------------------------


def test_japanese_digest_says_the_reasons_in_japanese(crawled: dict) -> None:
    reasons = reasons_of(digest_in(crawled, "ja"))
    dead_detail = json.loads(crawled["runs"]["dead"]["health_detail"])[0]["detail"]
    assert reasons == {
        "shrink": SHRUNK_JA,
        "dead": f"一覧ページを取得できませんでした: {dead_detail}",
        "gonefeed": reasons["gonefeed"],
        "emptyfeed": f"フィード {crawled['runs']['emptyfeed']['health_reason'].rsplit(' ', 1)[1]} に記事がありません",
    }
    assert reasons["gonefeed"].startswith("一覧ページを取得できませんでした: HTTP 404")


@pytest.mark.parametrize("fmt", ["md", "html", "atom", "json"])
def test_japanese_digest_in_every_format_has_no_english_reason(crawled: dict, fmt: str) -> None:
    digest = digest_in(crawled, "ja")
    text = render(digest, fmt)
    if fmt == "atom":
        tree = ET.fromstring(text.encode())
        labels = {e.get("label") for e in tree.iter("{http://www.w3.org/2005/Atom}category")}
        assert "取得できなかった情報源" in labels and "source health" not in labels
        text = " ".join(e.text or "" for e in tree.iter())
    elif fmt == "json":
        text = " ".join(source["reason"] for source in json.loads(text)["sources"])
    assert SHRUNK_JA in text
    assert "一覧ページを取得できませんでした: HTTP 404" in text
    assert "/empty/rss.xml に記事がありません" in text
    for english in ("list page failed", "releases on the list", "has the page changed", "entries in the feed"):
        assert english not in text, english


def test_english_digest_says_the_stored_english(crawled: dict) -> None:
    reasons = reasons_of(digest_in(crawled, "en"))
    assert reasons == {name: crawled["runs"][name]["health_reason"] for name in reasons}
    assert reasons["shrink"] == SHRUNK_EN and reasons["emptyfeed"].startswith("no entries found in feed http")
    assert "- **shrink** — degraded since" in render(digest_in(crawled, "en"), "md")


def test_japanese_mail_and_chat_digest_say_the_reasons_in_japanese(crawled: dict) -> None:
    config = crawled["config"]
    digest = digest_in(crawled, "ja")
    database = open_database(config.database_path)
    try:
        with smtp_server() as (inbox, port):
            deliver_digest(database, digest, mail_config(port), environ={})
        (chat,) = messages_for(database, DigestMade(digest), "ja")
    finally:
        database.close()
    (message,) = inbox.messages
    for body in (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content(), chat.body):
        assert SHRUNK_JA in body and "/empty/rss.xml に記事がありません" in body
        assert "list page failed" not in body and "releases on the list" not in body


def test_an_old_run_without_parts_shows_its_stored_reason(crawled: dict, tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    copy.write_bytes(Path(crawled["config"].database_path).read_bytes())
    database = open_database(copy)
    try:
        database.execute("update runs set health_detail = null where source = 'shrink'")
        database.conn.commit()
        digest = build_digest(database, since=crawled["since"], configured=["shrink"], source="shrink",
                              language="ja")
    finally:
        database.close()
    assert reasons_of(digest) == {"shrink": SHRUNK_EN}
    say = texts("ja")
    assert say.reason(None, "stored") == "stored"
    assert say.reason('[{"key": "from_a_newer_version"}]', "stored") == "stored"


# -- notifications ------------------------------------------------------------------------------------------------


def test_japanese_failing_source_notification_says_the_reason_in_japanese(crawled: dict) -> None:
    failing = {m["title"]: m["message"] for m in crawled["notified"] if "取得できません" in m["title"]}
    assert set(failing) == {f"大目付: 情報源「{name}」を取得できません" for name in ("dead", "gonefeed", "emptyfeed")}
    assert "一覧ページを取得できませんでした: " in failing["大目付: 情報源「dead」を取得できません"]
    gone = failing["大目付: 情報源「gonefeed」を取得できません"]
    assert "一覧ページを取得できませんでした: HTTP 404" in gone and "/feed/missing.xml" in gone
    assert "/empty/rss.xml に記事がありません" in failing["大目付: 情報源「emptyfeed」を取得できません"]
    assert not any("list page failed" in body or "entries in the feed" in body for body in failing.values())


def test_english_failing_source_notification_says_the_english(crawled: dict) -> None:
    from ometsuke.notify import CrawlDone

    database = open_database(crawled["config"].database_path)
    try:
        runs = [dict(row) for row in database["runs"].rows_where("source = 'gonefeed'", order_by="id limit 1")]
        (message,) = messages_for(database, CrawlDone(runs), "en")
    finally:
        database.close()
    assert message.title == "ometsuke: source gonefeed is failing"
    assert message.body.endswith(f": {runs[0]['health_reason']}") and "HTTP 404" in message.body
