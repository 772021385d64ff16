"""End to end: real Scrapy crawls of a small site served on 127.0.0.1, before and after a change.

The site is written here (not the demo's): a press list in UTF-8 and releases, one of them Shift_JIS with CP932-only
characters, one announcing a contract with a watched vendor and its amount, dated in 和暦.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.configs import DIGITAL_GARAGE, MIYASAKA, source, write_config

from db import open_database
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="{charset}"><title>{title} | 東京都</title></head>
<body><nav><a href="/">トップ</a> <a href="/press/list.html">報道発表</a></nav>
<div id="main"><h1>{title}</h1><p class="date">{date}</p>{body}</div>
<footer>東京都庁 〒163-8001</footer></body></html>"""

RELEASES = {
    "contract": ("ワクチン接種予約システムの契約について", "令和3年3月15日",
                 "<p>契約相手方：株式会社デジタルガレージ</p><p>契約金額：16,506,875円</p>"
                 "<p>本件は宮坂副知事が担当します。</p>"),
    "sjis": ("説明会の開催について", "令和3年3月10日",
             "<p>講師は㈱髙島屋の方です。会場は①号館です。</p>"),
    "old": ("古いお知らせ", "令和3年3月1日", "<p>この発表は取り下げられます。</p>"),
    "added": ("新しいお知らせ", "令和3年3月20日", "<p>ヤフー株式会社と連携協定を締結しました。</p>"),
}


def write_site(root: Path, names: list[str], contract_note: str = "") -> None:
    (root / "press").mkdir(parents=True, exist_ok=True)
    items = []
    for name in names:
        title, date, body = RELEASES[name]
        if name == "contract":
            body += contract_note
        charset, encoding = ("Shift_JIS", "cp932") if name == "sjis" else ("utf-8", "utf-8")
        path = root / "press" / f"{name}.html"
        path.write_bytes(PAGE.format(charset=charset, title=title, date=date, body=body).encode(encoding))
        if name == "sjis":
            path.with_name("sjis.html.headers").write_text("Content-Type: text/html; charset=Shift_JIS\n")
        items.append(f'<li><span>{date}</span> <a class="release" href="/press/{name}.html">{title}</a></li>')
    listing = PAGE.format(charset="utf-8", title="報道発表一覧", date="", body=f"<ul>{''.join(items)}</ul>")
    (root / "press" / "list.html").write_text(listing, encoding="utf-8")




@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Crawl version 1, then version 2 (one new, one changed, one removed), then version 2 again."""
    base = tmp_path_factory.mktemp("e2e")
    v1, v2 = base / "v1", base / "v2"
    write_site(v1, ["contract", "sjis", "old"])
    write_site(v2, ["added", "contract", "sjis"], contract_note="<p>契約期間を延長しました。</p>")
    with serve_directory(v1) as site:
        config_path = write_config(
            base,
            # revisit "0" = 0: recheck every known page on every crawl, whatever its age
            source("press", site.url + "/press/list.html", follow="a.release", revisit={"0": 0}),
            watch=[MIYASAKA, DIGITAL_GARAGE, {"name": "ヤフー", "kind": "vendor"}], database="e2e.db",
        )
        config = load_config(config_path)
        runs = [run_crawl(config, quiet=True)]
        site.root = v2
        runs.append(run_crawl(config, quiet=True))
        runs.append(run_crawl(config, quiet=True))
        requests = list(site.requests)
    return {"config": config, "runs": [r[0] for r in runs], "requests": requests, "base": site.url}


def rows(config, sql: str, params: list | None = None) -> list[tuple]:
    database = open_database(config.database_path)
    try:
        return database.execute(sql, params or []).fetchall()
    finally:
        database.close()


def test_first_crawl_stores_three_new_documents(crawled: dict) -> None:
    first = crawled["runs"][0]
    assert (first["new"], first["changed"], first["removed"], first["errors"]) == (3, 0, 0, 0)
    assert first["status"] == "done"


def test_second_crawl_finds_one_new_one_changed_one_removed(crawled: dict) -> None:
    config, second = crawled["config"], crawled["runs"][1]
    changes = rows(config, """select c.kind, d.url from changes c join documents d on d.id = c.document_id
                              where c.run_id = ? order by c.kind""", [second["id"]])
    assert [(kind, url.rsplit("/", 1)[1]) for kind, url in changes] == [
        ("changed", "contract.html"), ("new", "added.html"), ("removed", "old.html")]
    assert (second["new"], second["changed"], second["removed"]) == (1, 1, 1)


def test_unchanged_recrawl_adds_no_versions_or_changes(crawled: dict) -> None:
    config, third = crawled["config"], crawled["runs"][2]
    assert (third["new"], third["changed"], third["removed"], third["errors"]) == (0, 0, 0, 0)
    assert rows(config, "select count(*) from changes where run_id = ?", [third["id"]]) == [(0,)]
    assert rows(config, "select count(*) from versions where run_id = ?", [third["id"]]) == [(0,)]
    assert rows(config, "select count(*) from versions") == [(5,)]  # 3 + added + changed contract


def test_shift_jis_page_is_decoded_with_cp932_characters(crawled: dict) -> None:
    config = crawled["config"]
    ((body, title),) = rows(config, """select v.body, v.title from versions v join documents d on d.id = v.document_id
                                       where d.url like '%sjis.html'""")
    assert title == "説明会の開催について"
    assert "㈱髙島屋" in body and "①号館" in body and "\ufffd" not in body


def test_wareki_date_becomes_iso_and_amount_an_integer(crawled: dict) -> None:
    config = crawled["config"]
    published = {url.rsplit("/", 1)[1]: date for url, date in rows(
        config, "select d.url, v.published from versions v join documents d on d.id = v.document_id")}
    assert published["contract.html"] == "2021-03-15"
    assert published["added.html"] == "2021-03-20"
    amounts = rows(config, "select yen, surface, context from amounts")
    assert (16506875, "16,506,875円", "契約金額：16,506,875円") in amounts


def test_every_mention_offset_points_at_its_surface(crawled: dict) -> None:
    config = crawled["config"]
    mentions = rows(config, """select e.name, m.surface, m.start, m.end, v.body from mentions m
                               join entities e on e.id = m.entity_id join versions v on v.id = m.version_id""")
    assert {name for name, *_ in mentions} >= {"宮坂学", "デジタルガレージ", "ヤフー"}
    for _name, surface, start, end, body in mentions:
        assert body[start:end] == surface
    assert any(surface == "宮坂副知事" for _, surface, *_ in mentions)


def test_the_removed_page_was_requested_again_and_answered_404(crawled: dict) -> None:
    gone = [r for r in crawled["requests"] if r.path.endswith("/old.html")]
    assert [r.status for r in gone][:2] == [200, 404]


def test_the_digest_lists_the_second_crawls_changes(crawled: dict) -> None:
    from ometsuke.digest import build_digest, render

    config, second = crawled["config"], crawled["runs"][1]
    database = open_database(config.database_path)
    try:
        markdown = render(build_digest(database, since=second["started_at"], language=config.digest.language), "md")
    finally:
        database.close()
    # the config has no [digest] language: the digest is in Japanese
    new, rest = markdown.split("## 新着", 1)[1].split("## 更新", 1)
    changed, removed = rest.split("## 削除", 1)
    assert "新しいお知らせ" in new and "ヤフー" in new
    assert "ワクチン接種予約システムの契約について" in changed and "契約期間を延長しました" in changed
    assert "古いお知らせ" in removed
    assert "説明会の開催について" not in markdown  # unchanged pages are not news
