"""`ometsuke connections` on a site crawled for real (Scrapy on 127.0.0.1, real tagger, real SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.configs import DIGITAL_GARAGE, MIYASAKA, source, write_config, write_toml

from db import open_database
from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.connections import ConnectionsError, find_connections
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div id="main"><h1>{title}</h1><p class="date">{date}</p>{body}</div></body></html>"""

PRESS = {
    "contract": ("ワクチン接種予約システムの契約について", "2021年3月15日",
                 "<p>大規模接種会場の予約システムについて契約を締結しました。</p>"
                 "<p>契約相手方は株式会社デジタルガレージです。契約金額は16,506,875円です。</p>"
                 "<p>本件は宮坂副知事が担当します。</p>"),
    "kaiken": ("副知事の記者会見", "2021年3月1日", "<p>宮坂副知事が記者会見を行いました。</p>"),
    "other": ("物品の購入について", "2021年3月20日",
              "<p>株式会社デジタルガレージから物品を購入しました。購入金額は300,000円です。</p>"),
}
NEWS = {
    "award": ("パートナーアワードの発表", "2019年6月10日",
              "<p>ヤフー株式会社は本日、パートナーアワードを発表しました。</p>"
              "<p>最優秀賞は株式会社デジタルガレージが受賞しました。</p>"),
}


def write_section(root: Path, folder: str, pages: dict[str, tuple[str, str, str]]) -> None:
    (root / folder).mkdir(parents=True, exist_ok=True)
    links = []
    for name, (title, date, body) in pages.items():
        (root / folder / f"{name}.html").write_text(PAGE.format(title=title, date=date, body=body), encoding="utf-8")
        links.append(f'<li>{date} <a class="release" href="/{folder}/{name}.html">{title}</a></li>')
    listing = PAGE.format(title="一覧", date="", body="<ul>" + "".join(links) + "</ul>")
    (root / folder / "list.html").write_text(listing, encoding="utf-8")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory):
    """Crawl the site, then crawl it again after the contract page dropped the sentence naming the official."""
    base = tmp_path_factory.mktemp("connections")
    v1, v2 = base / "v1", base / "v2"
    write_section(v1, "press", PRESS)
    write_section(v1, "news", NEWS)
    edited = dict(PRESS)
    title, date, body = PRESS["contract"]
    edited["contract"] = (title, date, body.replace("<p>本件は宮坂副知事が担当します。</p>", ""))
    write_section(v2, "press", edited)
    write_section(v2, "news", NEWS)
    with serve_directory(v1) as site:
        path = write_config(
            base,
            source("tokyo-press", site.url + "/press/list.html", kind="government", follow="a.release",
                   revisit={"0": 0}),
            source("yahoo-news", site.url + "/news/list.html", kind="corporate", follow="a.release"),
            watch=[MIYASAKA | {"aliases": ["宮坂 学"], "affiliations": ["ヤフー"]}, DIGITAL_GARAGE], database="conn.db",
        )
        loaded = load_config(path)
        first = run_crawl(loaded, quiet=True)
        assert sum(run["new"] for run in first) == 4, first
        site.root = v2
        second = run_crawl(loaded, quiet=True)
        assert sum(run["changed"] for run in second) == 1, second
    return loaded


def test_timeline_of_evidence_between_official_and_vendor(config) -> None:
    db = open_database(config.database_path)
    try:
        found = find_connections(db, "宮坂学", "デジタルガレージ")
    finally:
        db.close()
    timeline = [(e.date, e.kind, e.url.rsplit("/", 1)[1], e.latest) for e in found.evidence]
    assert timeline == [
        ("2019-06-10", "affiliation", "award.html", True),  # ヤフー (his former company) beside the vendor
        ("2021-03-15", "both", "contract.html", False),  # the sentence naming him was later deleted
        ("2021-03-15", "amount", "contract.html", False),
    ]
    award, both, amount = found.evidence
    assert award.quotes == ["ヤフー株式会社は本日、パートナーアワードを発表しました。",
                            "最優秀賞は株式会社デジタルガレージが受賞しました。"]
    assert award.source == "yahoo-news" and both.source == "tokyo-press"
    assert "本件は宮坂副知事が担当します。" in both.quotes
    assert amount.yen == 16_506_875 and "契約金額は16,506,875円です。" in amount.quotes
    # other.html names the vendor with an amount but nothing of the official: not evidence
    assert not any(e.url.endswith("other.html") for e in found.evidence)


def test_alias_lookup_and_unknown_names(config) -> None:
    db = open_database(config.database_path)
    try:
        assert find_connections(db, "宮坂 学", "デジタルガレージ").a["name"] == "宮坂学"
        with pytest.raises(ConnectionsError, match="'ヤフー' is not on the watch list"):
            find_connections(db, "宮坂学", "ヤフー")
    finally:
        db.close()


def test_cli_text_and_json(config) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["connections", "宮坂学", "デジタルガレージ", "--config", str(config.path)])
    assert result.exit_code == 0, result.output
    # the timeline speaks [digest] language: Japanese by default, like the digest and its alerts
    assert result.output.startswith("宮坂学（公職者）⇄ デジタルガレージ（企業）: 3件")
    line = "2021年3月15日（月）  【同一文書】 宮坂学とデジタルガレージが同じ文書に登場【現在のページにはない記述】"
    assert line in result.output
    assert "デジタルガレージの近くに16,506,875円" in result.output
    assert "ヤフー" in result.output and "宮坂学の関係先「ヤフー」がデジタルガレージとともに記載" in result.output
    data = json.loads(runner.invoke(main, ["connections", "宮坂学", "デジタルガレージ", "--json",
                                           "--config", str(config.path)]).output)
    assert [e["kind"] for e in data["evidence"]] == ["affiliation", "both", "amount"]
    assert set(data) == {"a", "b", "evidence"}
    assert set(data["evidence"][0]) == {"kind", "date", "source", "url", "title", "version_id", "latest", "detail",
                                        "quotes", "yen"}
    assert data["evidence"][1]["detail"] == "宮坂学とデジタルガレージが同じ文書に登場"
    bad = runner.invoke(main, ["connections", "誰か", "デジタルガレージ", "--config", str(config.path)])
    assert bad.exit_code == 2 and "not on the watch list" in bad.output


def test_cli_text_in_english(config) -> None:
    # the same config and database, with [digest] language = "en"
    english = write_toml(config.path.parent, config.path.read_text(encoding="utf-8") + '[digest]\nlanguage = "en"\n',
                         name="en.toml")
    result = CliRunner().invoke(main, ["connections", "宮坂学", "デジタルガレージ", "--config", str(english)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("宮坂学 (official) ⇄ デジタルガレージ (vendor): 3 item(s)")
    line = "2021-03-15  [both] 宮坂学 and デジタルガレージ in the same document [no longer on the page]"
    assert line in result.output
    assert "¥16,506,875 near デジタルガレージ" in result.output
    assert "ヤフー (宮坂学's affiliation) named with デジタルガレージ" in result.output


def test_no_evidence_in_both_languages() -> None:
    from ometsuke.connections import Connections, format_text
    from ometsuke.i18n import texts

    nothing = Connections({"name": "宮坂学", "kind": "official"}, {"name": "ソラノ", "kind": "vendor"}, [])
    assert format_text(nothing) == "保存したページに宮坂学とソラノを結びつける記述はありません。\n"
    assert format_text(nothing, texts("en")) == "No evidence ties 宮坂学 to ソラノ in the stored pages.\n"
