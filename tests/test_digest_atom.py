"""The Atom feed, read back by feedparser: valid, one entry per document change, stable ids."""

from __future__ import annotations

from pathlib import Path

import feedparser
from test_digest_data import DAY, FIRST_DAY, XSS_TITLE, build

from ometsuke.digest import build_digest, render


def test_feedparser_reads_the_feed_without_error(tmp_path: Path) -> None:
    db, _ = build(tmp_path)
    digest = build_digest(db, DAY, language="en")
    feed = feedparser.parse(render(digest, "atom"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [
        f"[New] {XSS_TITLE}", "[Changed] 宮坂副知事の記者会見", "[Removed] 古いお知らせ"
    ]
    changed = feed.entries[1]
    assert changed.link.endswith("press.html")
    assert "<del>2</del><ins>3</ins>" in changed.content[0].value
    assert {t.term for t in changed.tags} == {"changed", "tokyo-press"}


def test_entry_ids_are_stable_across_renders_and_digest_windows(tmp_path: Path) -> None:
    db, _ = build(tmp_path)
    day_feed = feedparser.parse(render(build_digest(db, DAY, language="en"), "atom"))
    again = feedparser.parse(render(build_digest(db, DAY, language="en"), "atom"))
    week = feedparser.parse(render(build_digest(db, since="2026-11-27", language="en"), "atom"))
    ids = [e.id for e in day_feed.entries]
    assert len(set(ids)) == len(ids) == 3
    assert ids == [e.id for e in again.entries] == [e.id for e in week.entries]
    first = {e.id for e in feedparser.parse(render(build_digest(db, FIRST_DAY, language="en"), "atom")).entries}
    assert not first & set(ids)  # the same page new on day 1 and changed on day 2: two different entries


def test_control_characters_in_scraped_text_do_not_break_the_feed(tmp_path: Path) -> None:
    db, _ = build(tmp_path)
    db.execute("update versions set title = 'bad\x0btitle\x01' where title = '古いお知らせ'")
    db.conn.commit()
    feed = feedparser.parse(render(build_digest(db, DAY, language="en"), "atom"))
    assert feed.bozo == 0
    assert "[Removed] badtitle" in [e.title for e in feed.entries]


def test_alerts_are_entries_of_their_own_one_card_per_document(tmp_path: Path) -> None:
    db, _ = build(tmp_path)
    feed = feedparser.parse(render(build_digest(db, FIRST_DAY, language="en"), "atom"))
    assert feed.bozo == 0
    alerts = [e for e in feed.entries if "alert" in {t.term for t in e.tags}]
    assert [e.link.rsplit("/", 1)[-1] for e in alerts] == ["contract.html", "award.html"]
    assert feed.entries[:2] == alerts  # first, not lost among the new and changed pages
    contract = alerts[0]
    assert contract.title.startswith("[Alert] 宮坂学 and デジタルガレージ in the same document; "
                                     "¥16,506,875 near デジタルガレージ")
    assert "<b>¥16,506,875 near デジタルガレージ</b>" in contract.content[0].value
    pages = [e for e in feed.entries if e not in alerts]
    assert not {e.id for e in alerts} & {e.id for e in pages}
