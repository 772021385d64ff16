"""Shared test data for the digest, diff, mail and connections tests: a real database written through db.Store.

Two crawl runs of two sources: new pages with watched officials, vendors and amounts, a changed page, a page that
goes away, a change only in its 更新日 line, and a page whose title carries a <script>.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from db import PageTags, PageVersion, Store, open_database
from nlp.watchlist import WatchEntry

FIRST_DAY = dt.date(2026, 11, 26)  # the first run, in Japan time
DAY = dt.date(2026, 11, 27)  # the second run
WATCH = [
    WatchEntry("宮坂学", "official", family="宮坂", titles=("副知事",), aliases=("宮坂 学",), affiliations=("ヤフー",)),
    WatchEntry("デジタルガレージ", "vendor", aliases=("DG",)),
    WatchEntry("小池百合子", "official", family="小池", titles=("知事",)),
]
URL = "https://www.metro.tokyo.lg.jp/information/press/2026/11/"

CONTRACT_BODY = (
    "令和8年11月27日更新\n"
    "新型コロナウイルスワクチン大規模接種会場の予約システムについて、契約を締結しました。\n"
    "契約の相手方は株式会社デジタルガレージです。契約金額は16,506,875円（税込）です。\n"
    "本件は宮坂副知事が担当します。"
)
PRESS_V1 = "宮坂副知事が記者会見を行います。会見は午後2時からです。問い合わせは総務局まで。"
PRESS_V2 = (
    "宮坂副知事が記者会見を行いました。会見は午後3時からでした。問い合わせは総務局まで。\n"
    "配布資料を追加しました。"
)
AWARD_BODY = (
    "ヤフー株式会社は、パートナーアワードを発表しました。"
    "最優秀賞は株式会社デジタルガレージが受賞しました。"
)
NOISE_V1 = "更新日：2026年11月26日\n入札結果を掲載しています。閲覧番号1234"
NOISE_V2 = "更新日：2026年11月27日\n入札結果を掲載しています。閲覧番号5678"
XSS_TITLE = "<script>alert('x')</script>入札公告 & \"お知らせ\""


def mention(body: str, entity: str, surface: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    return {"entity": entity, "surface": surface, "start": start, "end": start + len(surface), "context": ""}


def amount(body: str, surface: str, yen: int) -> dict[str, Any]:
    start = body.index(surface)
    return {"yen": yen, "surface": surface, "start": start, "end": start + len(surface)}


def page(path: str, title: str, body: str, published: str | None = "2026-11-27") -> PageVersion:
    return PageVersion(url=URL + path, title=title, body=body, published=published)


def tags_for(body: str) -> PageTags:
    mentions, amounts, orgs = [], [], []
    for entity, surface in (("宮坂学", "宮坂副知事"), ("デジタルガレージ", "デジタルガレージ")):
        at = body.find(surface)
        while at >= 0:
            mentions.append({"entity": entity, "surface": surface, "start": at, "end": at + len(surface),
                             "context": ""})
            at = body.find(surface, at + 1)
    if "16,506,875円" in body:
        amounts.append(amount(body, "16,506,875円", 16_506_875))
    if "株式会社デジタルガレージ" in body:
        start = body.index("株式会社デジタルガレージ")
        orgs.append({"name": "デジタルガレージ", "surface": "株式会社デジタルガレージ", "start": start,
                     "end": start + 12, "watched": True})
    return PageTags(mentions=mentions, amounts=amounts, organizations=orgs)


def build(tmp_path: Path, *, second_run: bool = True):
    """The test database; returns (db, store). All change times are moved into DAY (Japan time)."""
    db = open_database(tmp_path / "ometsuke.db")
    store = Store(db)
    store.ensure_source("tokyo-press", "tokyo_press", "government", {"ignore": [r"閲覧番号\d+"]})
    store.ensure_source("dg-news", "newsroom", "corporate", {})
    store.sync_entities(WATCH)
    run = store.start_run("tokyo-press")
    for p in (
        page("contract.html", "ワクチン予約システムの契約について", CONTRACT_BODY),
        page("press.html", "宮坂副知事の記者会見", PRESS_V1),
        page("old.html", "古いお知らせ", "このページは削除されます。"),
        page("bids.html", "入札結果", NOISE_V1),
    ):
        store.record_page(run, "tokyo-press", p, tags_for(p.body))
    store.finish_run(run)
    run = store.start_run("dg-news")
    award = PageVersion(url="https://www.garage.co.jp/ja/pr/award.html", title="パートナーアワード受賞",
                        body=AWARD_BODY, published="2026-11-20")
    store.record_page(run, "dg-news", award, tags_for(AWARD_BODY))
    store.finish_run(run)
    _move(db, FIXED_TIMES[0])  # 2026-11-26 09:10 JST
    if second_run:
        run = store.start_run("tokyo-press")
        for p in (
            page("press.html", "宮坂副知事の記者会見", PRESS_V2),
            page("bids.html", "入札結果", NOISE_V2),
            page("xss.html", XSS_TITLE, "入札公告です。<b>太字</b>は表示されません。"),
        ):
            store.record_page(run, "tokyo-press", p, tags_for(p.body))
        store.record_gone(run, URL + "old.html")
        store.finish_run(run)
        _move(db, FIXED_TIMES[1])  # 2026-11-27 12:30 JST
    return db, store


FIXED_TIMES = ("2026-11-26T00:10:00+00:00", "2026-11-27T03:30:00+00:00")


def _move(db, at: str) -> None:
    """Give the changes written since the last move a fixed time inside DAY, so tests do not depend on the clock."""
    marks = ",".join("?" * len(FIXED_TIMES))
    db.execute(f"update changes set at = ? where at not in ({marks})", [at, *FIXED_TIMES])
    db.conn.commit()
