"""`ometsuke awards import`: the p-portal 落札実績 files as published (ZIP holding one CSV, UTF-8 with BOM, CRLF, every
field quoted, 8 columns, no header), generated at test time, plus the real rows quoted in FORMATS.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db import open_database
from ometsuke.cli import main
from tests.support.opendata import FORMATS, awards_csv, corporate_number, real_blocks, write_text, write_zip

VENDOR = corporate_number(777)
CASE = "0000000000000612345"
ROWS = [
    [CASE, "庁舎清掃業務", "2026-04-01", "1200000.00", "S1", "8002010", "株式会社キレイ", VENDOR],
    # One case, several winners (複数落札).
    ["0000000000000612346", "消耗品の購入", "2026-04-02", "300000.00", "K1", "8002050", "株式会社キレイ", VENDOR],
    ["0000000000000612346", "消耗品の購入", "2026-04-02", "250000.00", "K1", "8002050", "山田太郎", ""],
    ["0000000000000612347", "研究会運営", "2026-04-03", "98000.00", "ZZ", "8099999", "合同会社ケンキュウ",
     corporate_number(888)],
]


@pytest.fixture
def config(write_config) -> Path:
    return write_config('[database]\npath = "awards.db"\n')


def ometsuke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--config", str(config)])


def imported(config: Path, *files: Path) -> dict:
    result = ometsuke(config, "awards", "import", *map(str, files), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def query(config: Path, sql: str) -> list[tuple]:
    db = open_database(config.parent / "awards.db")
    try:
        return [tuple(row) for row in db.execute(sql).fetchall()]
    finally:
        db.close()


def published_zip(tmp_path: Path, rows: list[list[str]], name: str = "successful_bid_record_info_all_2026") -> Path:
    return write_zip(tmp_path / f"{name}.zip", f"{name}.csv", awards_csv(rows), bom=True)


@pytest.mark.skipif(not FORMATS.is_file(), reason=f"{FORMATS} not present: real rows not tested")
def test_the_real_rows_import_with_yen_as_integers_and_code_names(config: Path, tmp_path: Path) -> None:
    _nta, awards = real_blocks()
    path = write_zip(tmp_path / "successful_bid_record_info_diff_20260402.zip", "diff.csv", awards, bom=True)
    totals = imported(config, path)
    assert (totals["rows"], totals["new"], totals["bad"], totals["credit"]) == (2, 2, 0, "出典：調達ポータル")
    rows = query(config, "select case_number, decided, yen, ministry_code, ministry, method_code, method, vendor, "
                         "corporate_number, maybe_private from awards order by case_number")
    assert rows == [
        ("0000000000000496653", "2026-04-01", 31_389_000, "W1", "デジタル庁", "8004030", "随意契約・公募型プロポーザル",
         "Ｐｏｌｅ＆Ｌｉｎｅ合同会社", "7011003005763", 0),
        ("0000000000000539273", "2026-04-01", 1_073_500_000, "S1", "国土交通省", "8002040", "一般競争入札・総合評価",
         "株式会社ＮＴＴデータ", "6010601062093", 0),
    ]


def test_one_row_per_winner_private_persons_marked_unknown_codes_kept(config: Path, tmp_path: Path) -> None:
    totals = imported(config, published_zip(tmp_path, ROWS))
    assert (totals["new"], totals["maybe_private"], totals["bad"]) == (4, 1, 0)
    winners = query(config, "select vendor, yen, maybe_private from awards where case_number = "
                            "'0000000000000612346' order by yen")
    assert winners == [("山田太郎", 250_000, 1), ("株式会社キレイ", 300_000, 0)]
    assert query(config, "select ministry, method from awards where ministry_code = 'ZZ'") == [(None, None)]


def test_reimport_is_idempotent(config: Path, tmp_path: Path) -> None:
    path = published_zip(tmp_path, ROWS)
    imported(config, path)
    before = query(config, "select id, case_number, title, decided, yen, vendor, corporate_number, source_file, "
                           "first_seen from awards order by id")
    again = imported(config, path)
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 4)
    assert query(config, "select id, case_number, title, decided, yen, vendor, corporate_number, source_file, "
                         "first_seen from awards order by id") == before
    assert query(config, "select count(*) from award_changes") == [(0,)]


def test_a_changed_row_is_a_change_and_keeps_the_old_values(config: Path, tmp_path: Path) -> None:
    imported(config, published_zip(tmp_path, ROWS, "successful_bid_record_info_all_2026"))
    corrected = [list(row) for row in ROWS]
    corrected[0][3] = "1100000.00"  # the price was corrected
    totals = imported(config, published_zip(tmp_path, corrected, "successful_bid_record_info_diff_20260501"))
    assert (totals["new"], totals["changed"], totals["unchanged"]) == (0, 1, 3)
    assert query(config, f"select yen, source_file from awards where case_number = '{CASE}'") == [
        (1_100_000, "successful_bid_record_info_diff_20260501.zip")]
    assert query(config, "select yen, source_file, title from award_changes") == [
        (1_200_000, "successful_bid_record_info_all_2026.zip", "庁舎清掃業務")]


def test_bad_rows_are_reported_and_skipped(config: Path, tmp_path: Path) -> None:
    rows = [ROWS[0], ["0000000000000612399", "欠けた行"], ROWS[1],
            ["0000000000000612398", "価格", "2026-04-01", "12.5", "S1", "8002010", "株式会社ハンパ", VENDOR],
            ["0000000000000612397", "日付", "令和8年4月1日", "100.00", "S1", "8002010", "株式会社ワレキ", VENDOR],
            ["0000000000000612396", "番号", "2026-04-01", "100.00", "S1", "8002010", "株式会社ケタ", "1234567890123"]]
    path = write_text(tmp_path / "awards.csv", awards_csv(rows), bom=True)
    result = ometsuke(config, "awards", "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: line 2: 2 columns, expected 8; skipped" in result.stderr
    assert f"{path}: line 4: price '12.5' is not a whole number of yen; skipped" in result.stderr
    assert f"{path}: line 5: 落札決定日 '令和8年4月1日' is not YYYY-MM-DD; skipped" in result.stderr
    assert f"{path}: line 6: kept as published, but 法人番号 '1234567890123' has check digit" in result.stderr
    assert "3 new" in result.stdout and "3 bad rows skipped" in result.stdout and "出典：調達ポータル" in result.stdout
    assert query(config, "select count(*) from awards") == [(3,)]
