"""Local contract tables (随意契約の公表, 契約締結状況, 入札結果) as award rows: the header map on its own, then real
crawls of a local site whose page holds a contract table in 千円, links an .xlsx and a PDF attachment in the shapes
municipal pages use (fictional text, files generated here), and a second page whose table is not a contract table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.configs import source, write_config
from support.crawls import crawl_json, query
from support.documents import japanese_pdf, xlsx

from ometsuke.localsite import serve_directory
from scrapers.extract.contract_tables import column_of, parse_yen, rows_from_table, text_contract_rows

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}｜架空市</title></head>
<body><nav><a href="/">ホーム</a> &gt; <a href="/keiyaku/">契約・入札</a></nav>
<div id="main"><h1>{title}</h1><p class="date">更新日：令和8年11月20日</p>{body}</div>
<footer>架空市役所 契約課 〒000-0000 架空県架空市中央1-1</footer></body></html>"""

CONTRACT_BODY = """<p>地方自治法施行令第167条の2第1項の規定により随意契約を締結したものを公表します。</p>
<table border="1"><caption>令和8年度 随意契約の公表（10月分）</caption>
<thead><tr><th>番号</th><th>契約件名</th><th>契約の相手方の商号又は名称及び住所</th><th>契約金額（千円）</th>
<th>契約締結日</th><th>随意契約の理由</th></tr></thead>
<tbody>
<tr><td>1</td><td>市民会館舞台設備点検業務</td><td>株式会社ヤマブキ舞台<br>架空県架空市北町２－３</td>
<td>1,980</td><td>令和８年１０月１日</td><td rowspan="2">契約の性質又は目的が競争入札に適さないため</td></tr>
<tr><td>2</td><td>防災行政無線保守業務</td><td>ツバメ通信合同会社<br>架空県架空市南町５</td><td>{amount}</td>
<td>令和８年１０月１５日</td></tr>
<tr><td>3</td><td>庁舎窓口案内業務</td><td></td><td></td><td></td><td>（契約手続中）</td></tr>
<tr><td colspan="3">合計</td><td>{total}</td><td></td><td></td></tr>
</tbody></table>
<p>※金額は消費税及び地方消費税を含みます。</p>
<ul><li><a href="keiyaku_r8_10.xlsx">契約締結状況（Excel：12KB）</a></li>
<li><a href="nyusatsu_r8_10.pdf">入札結果（PDF：80KB）</a></li></ul>"""

SCHEDULE_BODY = """<p>入札参加資格審査の日程をお知らせします。</p>
<table border="1"><tr><th>日程</th><th>内容</th><th>会場</th></tr>
<tr><td>令和8年12月1日</td><td>説明会</td><td>市役所3階 会議室（定員50人、参加費0円）</td></tr>
<tr><td>令和8年12月10日</td><td>申請受付</td><td>契約課窓口</td></tr></table>"""


def write_site(root: Path, amount: str = "3,520") -> None:
    folder = root / "keiyaku"
    folder.mkdir(parents=True, exist_ok=True)
    total = f"{1980 + int(amount.replace(',', '')):,}"
    (folder / "zuii.html").write_text(
        PAGE.format(title="随意契約の公表", body=CONTRACT_BODY.format(amount=amount, total=total)), encoding="utf-8")
    (folder / "keiyaku_r8_10.xlsx").write_bytes(xlsx([
        ["令和8年10月 契約締結状況", None, None, None, None],
        ["（単位：円）", None, None, None, None],
        ["件名", "契約相手方", "契約金額", "契約日", "契約方法"],
        ["小学校給食配送業務", "有限会社カモメ運輸", 7_150_000, "令和8年10月2日", "一般競争入札"],
        ["図書購入", "株式会社ホンダナ書店", "￥418,000-", "R8.10.20", "指名競争入札"],
        ["記念誌挿絵制作", "海野一郎", "55,000円", "令和8年10月23日", "随意契約"],
        ["合計", None, 7_623_000, None, None],
    ], title="10月"))
    (folder / "nyusatsu_r8_10.pdf").write_bytes(japanese_pdf([
        "令和８年１０月 入札結果",
        "件名　　落札者　　落札金額　　開札日",
        "市道３号線舗装工事　　株式会社コウノトリ建設　　24,640,000円　　令和8年10月9日",
        "注：落札金額は税込みです。",
    ]))
    (folder / "nittei.html").write_text(PAGE.format(title="入札参加資格審査の日程", body=SCHEDULE_BODY),
                                        encoding="utf-8")


def test_headers_amounts_and_non_contract_tables() -> None:
    assert column_of("契約の相手方の商号又は名称及び住所") == "vendor"
    assert column_of("契約相手方の所在地") is None and column_of("予定価格（円）") is None
    assert column_of("落札金額（税込）") == "yen" and column_of("契約締結日") == "decided"
    assert column_of("件　名") == "title"
    assert parse_yen("1億2,345万円") == 123_450_000 and parse_yen("１，２５０", thousands=True) == 1_250_000
    assert parse_yen("1,250千円") == 1_250_000 and parse_yen("未定") is None
    assert rows_from_table([["日程", "内容"], ["令和8年12月1日", "説明会"]], "t") == []
    rows = rows_from_table([["件名", "落札者", "落札金額"], ["計量器購入", "株式会社ハカリ", "55,000円"],
                            ["小計", "", "55,000円"]], "t")
    assert [(r.title, r.vendor, r.yen) for r in rows] == [("計量器購入", "株式会社ハカリ", 55_000)]
    assert text_contract_rows("お知らせ\n本文に表はありません。", "u") == []


@pytest.fixture
def site(tmp_path: Path):
    root = tmp_path / "site"
    write_site(root)
    with serve_directory(root) as served:
        yield root, served


def test_a_contract_page_with_xlsx_and_pdf_becomes_award_rows(tmp_path: Path, site) -> None:
    root, served = site
    contracts = source("contracts", f"{served.url}/keiyaku/zuii.html", f"{served.url}/keiyaku/nittei.html",
                       spider="page", awards=True)
    plain = source("plain", f"{served.url}/keiyaku/zuii.html?copy", spider="page")
    config = write_config(tmp_path, contracts, plain, database="local.db")
    crawl_json(config)
    page = f"{served.url}/keiyaku/zuii.html"
    rows = query(config, "select title, vendor, yen, decided, source, document_url, maybe_private, ministry "
                         "from awards order by yen")
    assert rows == [
        ("記念誌挿絵制作", "海野一郎", 55_000, "2026-10-23", "contracts", page, 1, None),  # maybe a private person
        ("図書購入", "株式会社ホンダナ書店", 418_000, "2026-10-20", "contracts", page, 0, None),
        ("市民会館舞台設備点検業務", "株式会社ヤマブキ舞台", 1_980_000, "2026-10-01", "contracts", page, 0, None),
        ("防災行政無線保守業務", "ツバメ通信合同会社", 3_520_000, "2026-10-15", "contracts", page, 0, None),
        ("小学校給食配送業務", "有限会社カモメ運輸", 7_150_000, "2026-10-02", "contracts", page, 0, None),
        ("市道３号線舗装工事", "株式会社コウノトリ建設", 24_640_000, "2026-10-09", "contracts", page, 0, None),
    ]
    # The rows point at the version they were read from; the schedule page and the source without awards give none.
    assert query(config, "select count(distinct a.version_id), min(v.title) from awards a "
                         "join versions v on v.id = a.version_id") == [(1, "随意契約の公表")]
    assert query(config, "select count(*) from awards where document_url like '%nittei%' or source = 'plain'") == [
        (0,)]
    keys = query(config, "select case_number from awards order by case_number")

    crawl_json(config)  # unchanged page: nothing new, nothing changed
    assert query(config, "select count(*) from awards") == [(6,)]
    assert query(config, "select count(*) from award_changes") == [(0,)]

    write_site(root, amount="3,410")  # the amount of one contract was corrected on the page
    crawl_json(config)
    assert query(config, "select case_number from awards order by case_number") == keys  # stable keys
    assert query(config, "select yen from awards where vendor = 'ツバメ通信合同会社'") == [(3_410_000,)]
    old = query(config, "select a.yen, c.yen, c.source_file, a.source_file from award_changes c "
                        "join awards a on a.id = c.award_id")
    first, latest = query(config, f"select min(v.id), max(v.id) from versions v join documents d "
                                  f"on d.id = v.document_id where d.url = '{page}'")[0]
    assert old == [(3_410_000, 3_520_000, f"{page}#version={first}", f"{page}#version={latest}")]


def test_a_newsroom_source_with_awards_reads_the_tables_of_its_releases(tmp_path: Path, site) -> None:
    from support.spider_runner import run_spider

    root, served = site
    (root / "keiyaku" / "index.html").write_text(PAGE.format(title="契約・入札", body=(
        '<ul><li>令和8年11月20日 <a class="release" href="zuii.html">随意契約の公表</a></li>'
        '<li>令和8年11月18日 <a class="release" href="nittei.html">入札参加資格審査の日程</a></li></ul>')),
        encoding="utf-8")
    spec = source("news", f"{served.url}/keiyaku/", follow="a.release", awards=True)
    items = {item["url"].rsplit("/", 1)[-1]: item for item in run_spider("newsroom", spec, tmp_path=tmp_path)}
    assert sorted((a["vendor"], a["yen"]) for a in items["zuii.html"]["awards"]) == sorted([
        ("有限会社カモメ運輸", 7_150_000), ("株式会社コウノトリ建設", 24_640_000), ("株式会社ヤマブキ舞台", 1_980_000),
        ("株式会社ホンダナ書店", 418_000), ("ツバメ通信合同会社", 3_520_000), ("海野一郎", 55_000)])
    assert items["nittei.html"]["awards"] == []
    without = run_spider("newsroom", {**spec, "name": "plain", "awards": False}, tmp_path=tmp_path)
    assert all(item["awards"] == [] for item in without)
