"""The digest built from a real database: order, merging, alerts, noise, escaping, Markdown / JSON / HTML."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_digest_data import DAY, FIRST_DAY, URL, build

from ometsuke.digest import DigestError, build_digest, render


@pytest.fixture
def db(tmp_path: Path):
    database, _ = build(tmp_path)
    yield database
    database.close()


def test_first_day_alerts_come_first_then_new_documents_per_source(db) -> None:
    digest = build_digest(db, FIRST_DAY, language="en")
    kinds = [(alert.kinds, alert.item.url.rsplit("/", 1)[-1]) for alert in digest.alerts]
    assert kinds == [(["together", "amount"], "contract.html"), (["affiliation"], "award.html")]  # one card each
    contract = digest.alerts[0]
    assert contract.pairs == [["宮坂学", "デジタルガレージ"]]
    assert contract.amounts == [{"yen": 16_506_875, "vendor": "デジタルガレージ"}]
    assert "契約金額は16,506,875円（税込）です。" in contract.quotes
    assert list(digest.new) == ["dg-news", "tokyo-press"]
    assert len(digest.new["tokyo-press"]) == 4
    assert not digest.changed and not digest.removed

    text = render(digest, "md")
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == ["## Alerts (2)", "## New documents (5)"]
    assert "**¥16,506,875 near デジタルガレージ**" in text
    assert "  - 宮坂学 (official): 宮坂副知事" in text
    assert "seen 2026-11-26 09:10 JST" in text  # stored 00:10 UTC, shown in Japan time


def test_second_day_changed_with_sentence_diff_removed_and_noise_held_back(db) -> None:
    digest = build_digest(db, DAY, language="en")
    assert [i.url for i in digest.new["tokyo-press"]] == [URL + "xss.html"]
    assert [i.url for i in digest.changed] == [URL + "press.html"]
    assert [i.url for i in digest.removed] == [URL + "old.html"]
    assert [i.url for i in digest.noise_suppressed] == [URL + "bids.html"]  # only 更新日 and 閲覧番号 changed
    assert digest.alerts == []  # the changed page did not bring an official and a vendor together

    text = render(digest, "md")
    order = [text.index(h) for h in ("## New documents", "## Changed documents", "## Removed documents")]
    assert order == sorted(order)
    assert "  ~ 会見は午後[-2-]{+3+}時からで[-す-]{+した+}。" in text
    assert "  + 配布資料を追加しました。" in text
    assert "removed 2026-11-27 12:30 JST" in text
    assert "入札結果" not in text.split("_1 change(s)")[0]


def test_changes_of_one_document_in_one_window_are_merged(db) -> None:
    digest = build_digest(db, since="2026-11-26", language="en")
    press = [i for i in digest.new.get("tokyo-press", []) if i.url.endswith("press.html")]
    assert len(press) == 1 and len(press[0].change_ids) == 2  # new then changed: shown once, as new
    assert not any(i.url.endswith("press.html") for i in digest.changed)
    assert [i.url for i in digest.removed] == [URL + "old.html"]


def test_an_empty_day_says_so_in_one_line(db) -> None:
    text = render(build_digest(db, dt.date(2026, 11, 25), language="en"), "md")
    assert text.splitlines()[2:] == ["Nothing new, changed or removed."]


def test_scraped_markup_is_escaped_in_markdown(db) -> None:
    text = render(build_digest(db, DAY, language="en"), "md")
    assert "<script>" not in text
    assert r"\<script\>alert('x')\</script\>入札公告" in text


def test_json_holds_the_same_facts(db) -> None:
    data = json.loads(render(build_digest(db, FIRST_DAY, language="en"), "json"))
    assert data["day"] == "2026-11-26" and data["empty"] is False
    assert [a["kinds"] for a in data["alerts"]] == [["together", "amount"], ["affiliation"]]
    assert data["alerts"][0]["pairs"] == [["宮坂学", "デジタルガレージ"]]
    assert data["alerts"][0]["amounts"] == [{"yen": 16_506_875, "vendor": "デジタルガレージ"}]
    assert data["sources"] == []  # runs written without a list report have no verdict to report
    contract = next(i for i in data["new"]["tokyo-press"] if i["url"].endswith("contract.html"))
    assert contract["amounts"][0]["yen"] == 16_506_875
    assert {e["entity"] for e in contract["entities"]} == {"宮坂学", "デジタルガレージ"}
    changed = json.loads(render(build_digest(db, DAY, language="en"), "json"))["changed"][0]
    assert changed["diff"]["lines"][-1] == {**changed["diff"]["lines"][-1], "kind": "added",
                                            "new": "配布資料を追加しました。"}


def test_html_escapes_every_scraped_string(db) -> None:
    page = render(build_digest(db, DAY, language="en"), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;入札公告 &amp; &#34;お知らせ&#34;" in page
    assert "<del>2</del><ins>3</ins>" in page
    assert 'name="viewport"' in page and "Content-Security-Policy" in page


def test_html_links_only_to_http_urls(fresh_db) -> None:
    from db import PageVersion, Store

    database = fresh_db
    store = Store(database)
    store.ensure_source("s", "page", "media", {})
    run = store.start_run("s")
    store.record_page(run, "s", PageVersion(url="javascript:alert(1)", title="t", body="本文。"))
    page = render(build_digest(database, since="2000-01-01", language="en"), "html")
    assert "javascript:" not in page.split("<body>")[1].split('class="meta"')[0]
    assert 'href="#"' in page


def test_bad_since_and_format_are_clear_errors(db) -> None:
    with pytest.raises(DigestError, match="--since 'yesterday' is not a date"):
        build_digest(db, since="yesterday", language="en")
    with pytest.raises(DigestError, match="unknown digest format 'pdf'"):
        render(build_digest(db, DAY, language="en"), "pdf")


def test_bad_ignore_pattern_in_source_config_names_the_source(db) -> None:
    db.execute("""update sources set config = '{"ignore": ["閲覧(番号"]}' where name = 'tokyo-press'""")
    db.conn.commit()
    with pytest.raises(DigestError, match=r"source tokyo-press: .*bad regular expression '閲覧\(番号'"):
        build_digest(db, DAY, language="en")


def test_a_rewritten_page_does_not_flood_the_digest(fresh_db) -> None:
    from db import PageVersion, Store
    from ometsuke.digest.model import MAX_DIFF_LINES

    database = fresh_db
    store = Store(database)
    store.ensure_source("s", "page", "media", {})
    url = "https://example.jp/long"
    run = store.start_run("s")
    store.record_page(run, "s", PageVersion(url, "t", "".join(f"第{i}項は旧です。" for i in range(40))))
    run = store.start_run("s")
    store.record_page(run, "s", PageVersion(url, "t", "".join(f"第{i}項は新です。" for i in range(40))))
    database.execute("update changes set at = '2026-01-01T00:00:00+00:00' where kind = 'new'")
    database.conn.commit()
    digest = build_digest(database, since="2026-01-02", language="en")
    assert [i.url for i in digest.changed] == [url]
    text = render(digest, "md")
    assert text.count("  ~ ") == MAX_DIFF_LINES
    assert f"… {40 - MAX_DIFF_LINES} more changed sentence(s)" in text
    assert f"… {40 - MAX_DIFF_LINES} more changed sentence(s)" in render(digest, "html")


def test_amount_alerts_need_a_vendor_nearby_and_count_each_amount_once() -> None:
    from ometsuke.digest.build import find_alerts
    from ometsuke.digest.model import Item
    from ometsuke.evidence import NEAR_CHARS

    far = "。" * (NEAR_CHARS + 50)
    body = f"予算は500円です。{far}受注者はデジタルガレージです。契約金額は1,000円です。再掲：1,000円。"

    def span(surface: str, nth: int = 0) -> tuple[int, int]:
        at = -1
        for _ in range(nth + 1):
            at = body.index(surface, at + 1)
        return at, at + len(surface)

    amounts = [{"yen": yen, "surface": s, "start": span(s, n)[0], "end": span(s, n)[1]}
               for yen, s, n in ((500, "500円", 0), (1000, "1,000円", 0), (1000, "1,000円", 1))]
    vendor = span("デジタルガレージ")
    new = {"body": body, "amounts": amounts, "organizations": [],
           "mentions": [{"entity": "デジタルガレージ", "kind": "vendor", "start": vendor[0], "end": vendor[1]}]}
    item = Item("new", 1, "https://example.jp/x", "s", None, "t", None, "2026-11-27T00:00:00+00:00", "", "id")
    alerts = find_alerts(item, None, new, {})
    assert [(a.kind, a.yen) for a in alerts] == [("amount", 1000)]  # 500 is too far; 1,000 twice → once
    old = {**new, "amounts": [amounts[1]]}
    assert find_alerts(item, old, new, {}) == []  # the amount was already there: not new
