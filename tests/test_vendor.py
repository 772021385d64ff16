"""Vendors by identity, end to end: registry rows imported from a generated NTA file, awards from a generated
p-portal ZIP, a local site crawled for real (Scrapy on 127.0.0.1, SudachiPy, SQLite) with a release that names the
watched vendor by its former name beside an official. Then `ometsuke vendor`, organisations resolved to corporate
numbers (with and without a place, homonyms), and the digest's awards section in every format and both languages,
with a private-person winner kept out."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.configs import MIYASAKA, source, write_config

from db import open_database
from nlp import Tagger
from ometsuke.cli import main
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory
from tests.support.opendata import awards_csv, corporate_number, nta_csv, nta_row, write_text, write_zip

SORA = corporate_number(424242)  # 株式会社ソラテック, formerly 株式会社アオゾラ技研 (東京都港区)
MIRAI_TOKYO = corporate_number(10001)  # 株式会社ミライ, 東京都渋谷区
MIRAI_OSAKA = corporate_number(20002)  # 株式会社ミライ, 大阪府大阪市北区
HIKARI = corporate_number(30003)  # 株式会社ヒカリ, the only one

REGISTRY = [
    nta_row(SORA, "株式会社アオゾラ技研", updated="2026-10-01"),
    nta_row(SORA, "株式会社ソラテック", process="11", updated="2026-12-01", sequence=2),
    nta_row(MIRAI_TOKYO, "株式会社ミライ", prefecture="東京都", city="渋谷区", sequence=3),
    nta_row(MIRAI_OSAKA, "株式会社ミライ", prefecture="大阪府", city="大阪市北区", sequence=4),
    nta_row(HIKARI, "株式会社ヒカリ", prefecture="大阪府", city="大阪市中央区", sequence=5),
]
AWARDS = [
    ["0000000000000700001", "庁舎清掃業務", "2026-04-01", "1200000.00", "S1", "8002010", "株式会社ソラテック", SORA],
    ["0000000000000700002", "統計システムの保守", "2027-02-10", "5000000.00", "K1", "8002010", "株式会社ソラテック",
     SORA],
    ["0000000000000700003", "河川調査", "2025-06-01", "800000.00", "S1", "8002010", "株式会社アオゾラ技研", SORA],
    ["0000000000000700004", "広報誌の印刷", "2026-05-01", "700000.00", "K1", "8002010", "株式会社ミライ", MIRAI_TOKYO],
    ["0000000000000700005", "会議運営", "2026-05-02", "600000.00", "K1", "8002010", "株式会社ミライ", MIRAI_OSAKA],
    ["0000000000000700006", "物品の購入", "2026-05-03", "250000.00", "K1", "8002050", "山田太郎", ""],
    ["0000000000000700007", "翻訳業務", "2026-05-04", "90000.00", "K1", "8002050", "鈴木一郎", ""],
    ["0000000000000700008", "照明設備の更新", "2026-05-05", "3000000.00", "S1", "8002010", "株式会社ヒカリ", HIKARI],
]
PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div id="main"><h1>{title}</h1><p class="date">{date}</p>{body}</div></body></html>"""
PRESS = {
    "contract": ("庁舎清掃業務の委託契約について", "2026年4月2日",
                 "<p>本日、株式会社アオゾラ技研と庁舎清掃業務の委託契約を締結しました。契約金額は1,200,000円です。</p>"
                 "<p>本件は宮坂副知事が担当します。</p>"),
    "partners": ("協力企業の決定について", "2026年5月10日",
                 "<p>協力企業は株式会社ミライ（大阪府大阪市北区）と株式会社ヒカリです。</p>"
                 "<p>説明会には株式会社ミライも参加します。</p>"),
}
WATCH = [
    MIYASAKA,
    {"name": "ソラテック", "kind": "vendor", "corporate_number": SORA},
    {"name": "ミライ", "kind": "vendor"},  # two registered companies: matched by name nowhere
    {"name": "ヒカリ", "kind": "vendor"},  # one registered company: its awards are the watched vendor's
    {"name": "鈴木一郎", "kind": "vendor"},  # a private winner on the watch list
]


def write_site(root: Path) -> None:
    (root / "press").mkdir(parents=True)
    links = []
    for name, (title, date, body) in PRESS.items():
        (root / "press" / f"{name}.html").write_text(PAGE.format(title=title, date=date, body=body), encoding="utf-8")
        links.append(f'<li>{date} <a class="release" href="/press/{name}.html">{title}</a></li>')
    (root / "press" / "list.html").write_text(PAGE.format(title="報道発表", date="", body="<ul>" + "".join(links)
                                                          + "</ul>"), encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("vendor")
    write_site(base / "site")
    started = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    with serve_directory(base / "site") as site:
        config = write_config(base, source("tokyo-press", site.url + "/press/list.html", kind="government",
                                           follow="a.release"), watch=WATCH, database="vendor.db")
        registry = write_text(base / "diff.csv", nta_csv(REGISTRY))
        result = CliRunner().invoke(main, ["registry", "import", str(registry), "--config", str(config)])
        assert result.exit_code == 0, result.output
        name = "successful_bid_record_info_all_2026"
        awards = write_zip(base / f"{name}.zip", f"{name}.csv", awards_csv(AWARDS), bom=True)
        result = CliRunner().invoke(main, ["awards", "import", str(awards), "--config", str(config)])
        assert result.exit_code == 0, result.output
        runs = run_crawl(load_config(config), quiet=True)
        assert sum(run["new"] for run in runs) == 2, runs
    return {"config": config, "since": started.isoformat()}


def ometsuke(world: dict, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--config", str(world["config"])])


def organizations(world: dict) -> list[tuple[str, str | None]]:
    db = open_database(world["config"].parent / "vendor.db")
    try:
        return [(row[0], row[1]) for row in db.execute(
            "select o.surface, o.corporate_number from organizations o join versions v on v.id = o.version_id "
            "order by v.title, o.start")]
    finally:
        db.close()


# -- organisations resolved to corporate numbers --------------------------------------------------------------------

def test_the_crawl_stores_organisations_with_the_number_only_one_company_fits(world: dict) -> None:
    assert organizations(world) == [
        ("株式会社ミライ", MIRAI_OSAKA),  # the place in brackets decides between the two
        ("株式会社ヒカリ", HIKARI),  # one registered company of that name: no place needed
        ("株式会社ミライ", None),  # no place: two companies fit, never a guess
        ("株式会社アオゾラ技研", SORA),  # the watched vendor under its former name
    ]


@dataclass(frozen=True)
class Registered:
    corporate_number: str
    matched_name: str
    prefecture: str | None
    city: str | None


REGISTERED = {
    "ミライ": [Registered(MIRAI_TOKYO, "株式会社ミライ", "東京都", "渋谷区"),
              Registered(MIRAI_OSAKA, "株式会社ミライ", "大阪府", "大阪市北区"),
              Registered("1000000000009", "ミライ合同会社", "東京都", "港区")],
    "ヒカリ": [Registered(HIKARI, "株式会社ヒカリ", "大阪府", "大阪市中央区")],
}


def registry_lookup(name: str) -> list[Registered]:
    """A look-up over a fixed registry (the crawl test above uses the SQLite one)."""
    from nlp.company_names import name_key

    return REGISTERED.get(name_key(name), [])


@pytest.mark.parametrize(("text", "expected"), [
    ("株式会社ミライ（東京都渋谷区）と契約した。", MIRAI_TOKYO),
    ("株式会社ミライ(大阪府大阪市)と契約した。", MIRAI_OSAKA),  # 大阪市 starts the registry's 大阪市北区
    ("株式会社ミライ\n本社：大阪府大阪市北区梅田1-1\n代表取締役　山田花子", MIRAI_OSAKA),
    ("契約相手方　株式会社ミライ　所在地　東京都渋谷区道玄坂", MIRAI_TOKYO),
    ("株式会社ミライと契約した。", None),  # homonyms and no place
    ("株式会社ミライ（福岡県福岡市）と契約した。", None),  # a place neither fits
    ("ミライ合同会社と契約した。", "1000000000009"),  # the legal form written decides
    ("株式会社ヒカリと契約した。", HIKARI),  # one company: resolved without a place
    ("株式会社ヒカリ（東京都港区）と契約した。", None),  # the text contradicts the registry
    ("株式会社ヒカリと株式会社ミライ（東京都渋谷区）が参加。", HIKARI),  # the next company's place is not its
    ("株式会社ノゾミと契約した。", None),  # not registered
])
def test_resolution_with_and_without_a_place(text: str, expected: str | None) -> None:
    tagger = Tagger([], registry_lookup)
    first = tagger.tag(text).organizations[0]
    assert first.corporate_number == expected
    assert tagger.tag(text).to_dict()["organizations"][0]["corporate_number"] == expected


def test_without_a_lookup_nothing_is_resolved() -> None:
    assert Tagger([]).tag("株式会社ヒカリと契約した。").to_dict()["organizations"][0]["corporate_number"] is None


def test_tag_json_resolves_with_the_configs_registry(world: dict) -> None:
    result = CliRunner().invoke(main, ["tag", "--json", "--config", str(world["config"])],
                                input="株式会社ミライ（東京都渋谷区）と株式会社ミライが参加。")
    assert result.exit_code == 0, result.output
    found = [(o["surface"], o["corporate_number"]) for o in json.loads(result.stdout)["organizations"]]
    assert found == [("株式会社ミライ", MIRAI_TOKYO), ("株式会社ミライ", None)]


# -- the vendor profile ---------------------------------------------------------------------------------------------

def test_the_vendor_profile_shows_registry_awards_documents_officials_and_amounts(world: dict) -> None:
    result = ometsuke(world, "vendor", "ソラテック", "--json")
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    assert {"corporate_number", "name", "names", "prefecture", "awards", "awards_total_yen", "documents",
            "officials"} <= set(profile)
    assert (profile["corporate_number"], profile["name"], profile["prefecture"]) == (
        SORA, "株式会社ソラテック", "東京都")
    assert profile["names"][:2] == ["株式会社ソラテック", "株式会社アオゾラ技研"]
    assert [a["case_number"][-1] for a in profile["awards"]] == ["2", "1", "3"]  # largest first
    assert profile["awards_total_yen"] == 7_000_000
    assert [(g["ministry"], g["yen"]) for g in profile["awards_by_ministry"]] == [("総務省", 5_000_000),
                                                                                  ("国土交通省", 2_000_000)]
    assert [(g["fiscal_year"], g["yen"]) for g in profile["awards_by_fiscal_year"]] == [(2026, 6_200_000),
                                                                                        (2025, 800_000)]
    [document] = profile["documents"]
    assert document["title"] == "庁舎清掃業務の委託契約について"
    assert "株式会社アオゾラ技研" in document["surfaces"] and document["officials"] == ["宮坂学"]
    assert [o["name"] for o in profile["officials"]] == ["宮坂学"]
    assert [a["yen"] for a in profile["amounts"]] == [1_200_000]
    # The same company by its number, and as text.
    by_number = json.loads(ometsuke(world, "vendor", SORA, "--json").stdout)
    assert by_number["awards_total_yen"] == 7_000_000 and by_number["documents"] == profile["documents"]
    text = ometsuke(world, "vendor", SORA)
    assert text.exit_code == 0
    for expected in ("株式会社ソラテック", "株式会社アオゾラ技研", "¥7,000,000", "総務省", "宮坂学", "¥1,200,000"):
        assert expected in text.output


def test_an_organisation_resolved_to_a_number_is_a_document_of_that_vendor(world: dict) -> None:
    profile = json.loads(ometsuke(world, "vendor", MIRAI_OSAKA, "--json").stdout)
    assert [d["title"] for d in profile["documents"]] == ["協力企業の決定について"]
    assert [a["case_number"][-1] for a in profile["awards"]] == ["5"]
    tokyo = json.loads(ometsuke(world, "vendor", MIRAI_TOKYO, "--json").stdout)
    assert tokyo["documents"] == [] and [a["case_number"][-1] for a in tokyo["awards"]] == ["4"]


def test_a_name_two_companies_have_lists_them_and_asks_for_the_number(world: dict) -> None:
    result = ometsuke(world, "vendor", "株式会社ミライ")
    assert result.exit_code == 2
    assert "give the corporate number" in result.output
    assert MIRAI_TOKYO in result.output and MIRAI_OSAKA in result.output
    assert "渋谷区" in result.output and "大阪市北区" in result.output


def pinned_world(folder: Path, watch: list[dict]) -> Path:
    """A config with the registry's two 株式会社ミライ imported and these watch entries (no crawl)."""
    config = write_config(folder, watch=watch, database="pinned.db")
    registry = write_text(folder / "diff.csv", nta_csv(REGISTRY))
    result = CliRunner().invoke(main, ["registry", "import", str(registry), "--config", str(config)])
    assert result.exit_code == 0, result.output
    return config


@pytest.mark.parametrize("entry", [
    {"name": "株式会社ミライ", "kind": "vendor", "corporate_number": MIRAI_OSAKA},
    {"name": "ミライ大阪", "kind": "vendor", "aliases": ["ミライ"], "corporate_number": MIRAI_OSAKA},
])
def test_a_watch_entry_that_pins_a_number_decides_who_a_homonym_name_is(tmp_path: Path, entry: dict) -> None:
    config = pinned_world(tmp_path, [entry])
    text = CliRunner().invoke(main, ["vendor", "株式会社ミライ", "--config", str(config)])
    assert text.exit_code == 0, text.output
    assert f"法人番号 {MIRAI_OSAKA}" in text.output and "大阪市北区" in text.output
    assert "resolved through the watch list" in text.output and "(1 other registered company has the name)" \
        in text.output
    profile = json.loads(CliRunner().invoke(main, ["vendor", "株式会社ミライ", "--json", "--config",
                                                   str(config)]).stdout)
    assert (profile["corporate_number"], profile["resolved_through"], profile["homonyms"]) == (
        MIRAI_OSAKA, "watch list", 1)
    assert entry["name"] in profile["watched"]
    # The registry alone still cannot tell them apart: without the pin the name is ambiguous.
    plain = pinned_world(tmp_path / "plain", [{k: v for k, v in entry.items() if k != "corporate_number"}])
    assert CliRunner().invoke(main, ["vendor", "株式会社ミライ", "--config", str(plain)]).exit_code == 2


def test_a_number_imported_with_the_csv_watch_list_pins_the_vendor(tmp_path: Path) -> None:
    config = pinned_world(tmp_path, [MIYASAKA])
    csv = write_text(tmp_path / "vendors.csv", "name,kind,aliases,corporate_number\n"
                     f"ミライ大阪,vendor,株式会社ミライ,{MIRAI_OSAKA}\nヒカリ,vendor,,\n")
    result = CliRunner().invoke(main, ["watch", "import", str(csv), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert MIRAI_OSAKA in (tmp_path / "watch.csv").read_text(encoding="utf-8")
    listed = CliRunner().invoke(main, ["watch", "list", "--config", str(config)])
    assert f"法人番号 {MIRAI_OSAKA}" in listed.output
    as_json = json.loads(CliRunner().invoke(main, ["watch", "list", "--json", "--config", str(config)]).stdout)
    assert [(e["name"], e["corporate_number"], e["from"]) for e in as_json] == [
        ("宮坂学", None, "config"), ("ミライ大阪", MIRAI_OSAKA, "watch.csv"), ("ヒカリ", None, "watch.csv")]
    profile = CliRunner().invoke(main, ["vendor", "株式会社ミライ", "--json", "--config", str(config)])
    assert profile.exit_code == 0, profile.output
    assert (json.loads(profile.stdout)["corporate_number"], json.loads(profile.stdout)["resolved_through"]) == (
        MIRAI_OSAKA, "watch list")
    wrong = write_text(tmp_path / "wrong.csv", f"name,kind,corporate_number\nミライ東京,vendor,{MIRAI_TOKYO[:-1]}9\n")
    result = CliRunner().invoke(main, ["watch", "import", str(wrong), "--config", str(config)])
    assert result.exit_code == 2 and 'line 2: column "corporate_number"' in result.output
    assert "ミライ東京" not in (tmp_path / "watch.csv").read_text(encoding="utf-8")  # nothing imported


def test_two_watch_entries_pinning_different_numbers_for_one_name_are_ambiguous(tmp_path: Path) -> None:
    config = pinned_world(tmp_path, [
        {"name": "ミライ東京", "kind": "vendor", "aliases": ["株式会社ミライ"], "corporate_number": MIRAI_TOKYO},
        {"name": "ミライ大阪", "kind": "vendor", "aliases": ["株式会社ミライ"], "corporate_number": MIRAI_OSAKA},
    ])
    result = CliRunner().invoke(main, ["vendor", "ミライ", "--config", str(config)])
    assert result.exit_code == 2
    assert "pin different numbers" in result.output and MIRAI_TOKYO in result.output and MIRAI_OSAKA in result.output


def test_an_unknown_vendor_is_one_line_and_exit_1(world: dict) -> None:
    for query in ("株式会社ノゾミ", corporate_number(999999)):
        result = ometsuke(world, "vendor", query)
        assert result.exit_code == 1
        assert len(result.output.strip().splitlines()) == 1 and query in result.output


# -- the digest's awards section ------------------------------------------------------------------------------------

def set_language(world: dict, language: str) -> None:
    """[digest] language of the world's config (the tests that read it set it: it is shared by the module)."""
    config = world["config"]
    text = config.read_text(encoding="utf-8")
    if "[digest]" not in text:
        text = text.replace("[crawl]", '[digest]\nlanguage = "ja"\n\n[crawl]', 1)
    text = text.replace('language = "ja"', f'language = "{language}"').replace('language = "en"',
                                                                                f'language = "{language}"')
    config.write_text(text, encoding="utf-8")


def digest(world: dict, fmt: str, language: str) -> str:
    set_language(world, language)
    result = ometsuke(world, "digest", "--since", world["since"], "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


WATCHED_CASES = {"0000000000000700001", "0000000000000700002", "0000000000000700003", "0000000000000700007",
                 "0000000000000700008"}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_digest_json_lists_awards_to_watched_vendors_only(world: dict, language: str) -> None:
    data = json.loads(digest(world, "json", language))
    awards = data["awards"]
    assert {a["case_number"] for a in awards} == WATCHED_CASES
    assert all(set(a) == {"case_number", "title", "decided", "yen", "ministry", "method", "vendor",
                          "corporate_number", "watched"} for a in awards)
    watched = {a["case_number"][-1]: a["watched"] for a in awards}
    assert watched == {"1": "ソラテック", "2": "ソラテック", "3": "ソラテック", "7": "鈴木一郎", "8": "ヒカリ"}
    assert awards[0]["yen"] == 5_000_000  # largest first
    assert "山田太郎" not in json.dumps(data, ensure_ascii=False)  # a private winner not on the watch list


@pytest.mark.parametrize(("language", "heading"), [
    ("ja", "ウォッチ対象企業の落札"), ("en", "Awards to watched vendors")])
@pytest.mark.parametrize("fmt", ["md", "html", "atom"])
def test_digest_awards_section_in_every_format_and_language(world: dict, fmt: str, language: str,
                                                            heading: str) -> None:
    text = digest(world, fmt, language)
    assert "山田太郎" not in text
    amount = "5,000,000円" if language == "ja" else "¥5,000,000"
    if fmt == "atom":
        feed = ET.fromstring(text)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = [e for e in feed.findall("a:entry", ns)
                   if any(c.get("term") == "award" for c in e.findall("a:category", ns))]
        assert len(entries) == len(WATCHED_CASES)
        titles = " ".join(e.findtext("a:title", "", ns) for e in entries)
        assert amount in titles and "統計システムの保守" in titles and "鈴木一郎" in titles
        return
    assert f"{heading} ({len(WATCHED_CASES)})" in text
    assert amount in text and "統計システムの保守" in text and "出典：調達ポータル" in text
    assert "会議運営" not in text and "広報誌の印刷" not in text  # homonyms of a name-only watch entry


def test_search_finds_awards_by_title_and_winner(world: dict) -> None:
    result = ometsuke(world, "search", "清掃", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert {h["kind"] for h in hits} == {"page", "award"}
    assert [h["case_number"] for h in hits if h["kind"] == "award"] == ["0000000000000700001"]
    by_vendor = json.loads(ometsuke(world, "search", "ＳＯＲＡ OR ソラテック", "--json").stdout)
    assert {h["case_number"][-1] for h in by_vendor if h["kind"] == "award"} == {"1", "2"}


def test_connections_timeline_holds_the_vendors_awards(world: dict) -> None:
    result = ometsuke(world, "connections", "宮坂学", "ソラテック", "--json")
    assert result.exit_code == 0, result.output
    evidence = json.loads(result.stdout)["evidence"]
    awards = [e for e in evidence if e["kind"] == "award"]
    assert sorted(e["date"] for e in awards) == ["2025-06-01", "2026-04-01", "2027-02-10"]
    assert any(e["kind"] == "both" for e in evidence)
    assert [e["date"] for e in evidence] == sorted(e["date"] for e in evidence)
    for language, label, case in (("ja", "【落札】 ソラテックが「", "（案件番号 0000000000000700001、"),
                                  ("en", "[award] ソラテック won ", "(case 0000000000000700001, ")):
        set_language(world, language)  # the text speaks [digest] language
        text = ometsuke(world, "connections", "宮坂学", "ソラテック").stdout
        assert text.count(label) == 3 and case in text, text


def test_an_award_to_a_watched_vendor_is_notified_once(tmp_path: Path) -> None:
    from support.receiver import start_receiver

    write_site(tmp_path / "site")
    with serve_directory(tmp_path / "site") as site, start_receiver() as receiver:
        config = write_config(tmp_path, source("tokyo-press", site.url + "/press/list.html", kind="government",
                                               follow="a.release"), watch=WATCH, database="notify.db")
        config.write_text(config.read_text(encoding="utf-8") + f'\n[[notify]]\nname = "desk"\nurl = '
                          f'"{receiver.url()}"\non = ["alerts"]\n', encoding="utf-8")
        registry = write_text(tmp_path / "diff.csv", nta_csv(REGISTRY))
        assert CliRunner().invoke(main, ["registry", "import", str(registry), "--config", str(config)]).exit_code == 0
        run_crawl(load_config(config), quiet=True)
        before = len(receiver.messages())
        name = "successful_bid_record_info_diff_20261201"
        awards = write_zip(tmp_path / f"{name}.zip", f"{name}.csv", awards_csv(AWARDS), bom=True)
        assert CliRunner().invoke(main, ["awards", "import", str(awards), "--config", str(config)]).exit_code == 0
        run_crawl(load_config(config), quiet=True)
        sent = receiver.messages()[before:]
        run_crawl(load_config(config), quiet=True)
        again = receiver.messages()[before + len(sent):]
    texts = [json.dumps(message, ensure_ascii=False) for message in sent]
    assert len(texts) == len(WATCHED_CASES)
    assert sum("統計システムの保守" in text for text in texts) == 1 and sum("鈴木一郎" in text for text in texts) == 1
    assert not any("山田太郎" in text or "会議運営" in text for text in texts)
    assert again == []


def test_the_migration_adds_the_number_columns_and_can_run_again(fresh_db) -> None:
    from db.migrations import MIGRATIONS

    _number, _name, function = next(m for m in MIGRATIONS if m[1] == "organizations_corporate_number")
    assert "corporate_number" in fresh_db["organizations"].columns_dict
    assert "corporate_number" in fresh_db["entities"].columns_dict
    function(fresh_db)  # a renumbering on merge may apply it again: nothing fails, nothing is added twice
    assert list(fresh_db["organizations"].columns_dict).count("corporate_number") == 1
