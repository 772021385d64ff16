"""The 法人番号 registry: check digits, importing the NTA bulk files as published (ZIP or CSV, UTF-8 or Shift_JIS),
差分 rows (renames, closures, deletions, unknown codes), bad rows, and `registry find` (width, legal form and its
place, variant kanji, homonyms, former names). Files are generated in the official format at test time, plus the
real rows quoted in FORMATS.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db import open_database
from db.registry import BadRow, import_registry
from nlp.company_names import name_key
from ometsuke.cli import main
from tests.support.opendata import FORMATS, corporate_number, nta_csv, nta_row, real_blocks, write_text, write_zip
from textutil.corporate_number import (
    all_corporate_numbers,
    check_digit,
    corporate_number_problem,
    is_corporate_number,
)

REAL_NUMBERS = ["6010601062093", "7011003005763", "1010001138614", "1280001002413"]  # FORMATS.md, verified there
needs_formats = pytest.mark.skipif(not FORMATS.is_file(), reason=f"{FORMATS} not present: real rows not tested")

MIRAI_TOKYO = corporate_number(10001)
MIRAI_OSAKA = corporate_number(20002)
SUCCESSOR = corporate_number(30003)
TAKAHASHI = corporate_number(40004)


@pytest.fixture
def config(write_config) -> Path:
    return write_config('[database]\npath = "registry.db"\n')


def ometsuke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--config", str(config)])


def imported(config: Path, *files: Path) -> dict:
    result = ometsuke(config, "registry", "import", *map(str, files), "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def found(config: Path, name: str, *extra: str) -> list[dict]:
    result = ometsuke(config, "registry", "find", name, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table(config: Path, sql: str) -> list[tuple]:
    db = open_database(config.parent / "registry.db")
    try:
        return [tuple(row) for row in db.execute(sql).fetchall()]
    finally:
        db.close()


# -- check digits ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_corporate_numbers_pass_their_check_digit(number: str) -> None:
    assert is_corporate_number(number)
    assert check_digit(number[1:]) == int(number[0])
    assert corporate_number_problem(number) is None


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_a_wrong_digit_anywhere_is_caught(number: str) -> None:
    # The rule is mod 9 with weights 1 and 2, so 0 <-> 9 is the one substitution it cannot see.
    for position in range(13):
        for digit in "0123456789":
            original = number[position]
            if digit == original or {digit, original} == {"0", "9"}:
                continue
            wrong = number[:position] + digit + number[position + 1:]
            assert not is_corporate_number(wrong), wrong
            assert "check digit" in (corporate_number_problem(wrong) or "")


@pytest.mark.parametrize("value", ["", "601060106209", "60106010620931", "６０１０６０１０６２０９３", "6010-60106209"])
def test_what_is_not_thirteen_ascii_digits_is_not_a_number(value: str) -> None:
    assert not is_corporate_number(value)
    assert "13 digits" in (corporate_number_problem(value) or "")


# -- import -----------------------------------------------------------------------------------------------------------

@needs_formats
@pytest.mark.parametrize(("container", "encoding", "bom"), [
    ("csv", "utf-8", False), ("csv", "utf-8", True), ("zip", "utf-8", False), ("zip", "cp932", False),
    ("csv", "cp932", False),
])
def test_the_real_rows_import_in_every_published_form(config: Path, tmp_path: Path, container: str, encoding: str,
                                                      bom: bool) -> None:
    nta, _awards = real_blocks()
    if container == "zip":
        path = write_zip(tmp_path / "13_tokyo_all.zip", "13_tokyo_all.csv", nta, encoding=encoding, bom=bom)
    else:
        path = write_text(tmp_path / "13_tokyo_all.csv", nta, encoding=encoding, bom=bom)
    totals = imported(config, path)
    assert totals["rows"] == 3 and totals["imported"] == 3 and totals["bad"] == 0
    rows = {r[0]: r for r in table(config, "select corporate_number, name, kana, prefecture, city, address, kind, "
                                           "closed, closed_reason, process from corporations")}
    assert rows["1010001138614"] == ("1010001138614", "株式会社百吉", "モモキチ", "東京都", "港区",
                                     "北青山１丁目３番１号", "301", None, None, "12")
    assert rows["1280001002413"][7:] == ("2018-01-05", "01", "21")  # closed, with its reason
    assert rows["1000013050238"][1] == "鳥取簡易裁判所" and rows["1000013050238"][6] == "101"
    assert [c["corporate_number"] for c in found(config, "百吉")] == ["1010001138614"]


def test_reimporting_the_same_file_changes_nothing(config: Path, tmp_path: Path) -> None:
    rows = [nta_row(corporate_number(i), f"株式会社テスト{i}", sequence=i) for i in range(1, 60)]
    rows.append(nta_row(MIRAI_TOKYO, "株式会社ミライ", sequence=60, process="11", updated="2026-12-01",
                        changed="2026-11-28"))
    path = write_zip(tmp_path / "all.zip", "all.csv", nta_csv(rows))
    first = imported(config, path)
    snapshot = table(config, "select * from corporations order by 1")
    names = table(config, "select * from corporation_names order by 1, 2")
    second = imported(config, path)
    assert first["written"] == 60 and second["written"] == 0
    assert second["imported"] == 60
    assert table(config, "select * from corporations order by 1") == snapshot
    assert table(config, "select * from corporation_names order by 1, 2") == names == []


def test_a_rename_in_a_diff_keeps_the_old_name_findable(config: Path, tmp_path: Path) -> None:
    full = write_text(tmp_path / "all.csv", nta_csv([nta_row(MIRAI_TOKYO, "株式会社ミライ", updated="2026-11-30")]))
    diff = write_text(tmp_path / "diff_20261201.csv", nta_csv([
        nta_row(MIRAI_TOKYO, "株式会社ミライズ", process="11", updated="2026-12-01", changed="2026-11-25"),
    ]))
    imported(config, full)
    imported(config, diff)
    now = found(config, "ミライズ")
    assert now[0]["corporate_number"] == MIRAI_TOKYO and now[0]["name"] == "株式会社ミライズ"
    assert now[0]["former"] is False and now[0]["score"] == 1.0
    before = found(config, "株式会社ミライ")
    assert before[0]["corporate_number"] == MIRAI_TOKYO
    assert before[0]["former"] is True and before[0]["matched_name"] == "株式会社ミライ"
    assert before[0]["name"] == "株式会社ミライズ"  # shown under its current name
    assert table(config, "select name, first_seen, until from corporation_names") == [
        ("株式会社ミライ", "2026-11-30", "2026-11-25")]


def test_files_imported_out_of_order_never_undo_a_newer_record(config: Path, tmp_path: Path) -> None:
    old = write_text(tmp_path / "all_202610.csv", nta_csv([nta_row(MIRAI_TOKYO, "株式会社ミライ",
                                                                   updated="2026-10-31")]))
    new = write_text(tmp_path / "diff_20261201.csv", nta_csv([nta_row(MIRAI_TOKYO, "株式会社ミライズ", process="11",
                                                                      updated="2026-12-01")]))
    imported(config, new)
    second = imported(config, old)
    assert table(config, "select name, updated from corporations") == [("株式会社ミライズ", "2026-12-01")]
    assert found(config, "ミライ")[0]["former"] is True  # the older file's name is kept as a former name
    assert second["imported"] == 1


def test_diff_rows_of_one_file_apply_in_date_then_sequence_order(config: Path, tmp_path: Path) -> None:
    # Published out of order on purpose: the later rename must win whatever the line order.
    diff = write_text(tmp_path / "diff.csv", nta_csv([
        nta_row(MIRAI_TOKYO, "株式会社サード", process="11", updated="2026-12-02", sequence=1),
        nta_row(MIRAI_TOKYO, "株式会社ファースト", process="01", updated="2026-12-01", sequence=1),
        nta_row(MIRAI_TOKYO, "株式会社セカンド", process="11", updated="2026-12-01", sequence=2),
    ]))
    imported(config, diff)
    assert table(config, "select name from corporations") == [("株式会社サード",)]
    assert {r[0] for r in table(config, "select name from corporation_names")} == {"株式会社ファースト",
                                                                                  "株式会社セカンド"}


def test_a_closure_records_its_date_and_successor(config: Path, tmp_path: Path) -> None:
    path = write_text(tmp_path / "diff.csv", nta_csv([
        nta_row(SUCCESSOR, "株式会社ツギ", updated="2026-11-01"),
        nta_row(MIRAI_TOKYO, "株式会社ミライ", process="21", updated="2026-12-01", closed="2026-11-28",
                closed_reason="11", successor=SUCCESSOR, sequence=2),
    ]))
    imported(config, path)
    [mirai] = found(config, "ミライ")
    assert (mirai["closed"], mirai["successor"]) == ("2026-11-28", SUCCESSOR)
    assert mirai["score"] < 1.0  # an open homonym would rank first
    text = ometsuke(config, "registry", "find", "ミライ").output
    assert f"closed 2026-11-28, successor {SUCCESSOR}" in text and "出典：国税庁法人番号公表サイト" in text


def test_deleted_records_and_unknown_codes(config: Path, tmp_path: Path) -> None:
    path = write_text(tmp_path / "diff.csv", nta_csv([
        nta_row(MIRAI_TOKYO, "株式会社ミライ", updated="2026-11-01"),
        nta_row(MIRAI_TOKYO, "株式会社ミライ", process="99", updated="2026-12-01", sequence=2),
        nta_row(MIRAI_OSAKA, "株式会社ミライ", process="55", updated="2026-12-01", sequence=3, prefecture="大阪府"),
    ]))
    totals = imported(config, path)
    assert totals["processes"] == {"01": 1, "55": 1, "99": 1} and totals["bad"] == 0
    assert [c["corporate_number"] for c in found(config, "ミライ")] == [MIRAI_OSAKA]
    assert table(config, f"select deleted from corporations where corporate_number = '{MIRAI_TOKYO}'") == [
        ("2026-12-01",)]


def test_bad_rows_are_reported_with_file_and_line_and_the_rest_is_imported(config: Path, tmp_path: Path) -> None:
    good = nta_row(MIRAI_TOKYO, "株式会社ミライ")
    wrong_digit = nta_row("2" + MIRAI_OSAKA[1:], "株式会社ミライ", prefecture="大阪府")
    text = nta_csv([good[:20], wrong_digit, good, nta_row("12345", "株式会社X")])
    path = write_text(tmp_path / "all.csv", text)
    result = ometsuke(config, "registry", "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: line 1: 20 columns, expected 30; skipped" in result.stderr
    assert f"{path}: line 2: corporate number 2{MIRAI_OSAKA[1:]} fails its check digit; skipped" in result.stderr
    assert f"{path}: line 4: corporate number '12345' is not 13 digits; skipped" in result.stderr
    assert "4 rows from 1 file(s)" in result.stdout and "1 imported, 3 bad rows skipped" in result.stdout
    assert "rows/s" in result.stderr  # progress
    assert table(config, "select corporate_number from corporations") == [(MIRAI_TOKYO,)]


def test_undecodable_bytes_cost_their_row_only(config: Path, tmp_path: Path) -> None:
    rows = [nta_row(corporate_number(i), f"株式会社テスト{i}", sequence=i) for i in range(1, 4)]
    data = nta_csv(rows).encode("utf-8").replace("テスト2".encode(), b"\xff\xfe2")
    path = tmp_path / "all.csv"
    path.write_bytes(data)
    totals = imported(config, path)
    assert totals["imported"] == 2 and totals["bad"] == 1
    assert totals["bad_rows"] == [{"file": str(path), "line": 2, "problem": "bytes that are not utf-8"}]


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_a_record_that_is_not_csv_and_bad_bytes_after_it_each_cost_their_row(tmp_path: Path, chunk: int) -> None:
    """An unbalanced quote that runs a field past the CSV field limit, then a row with a byte that is not UTF-8:
    whatever the chunk size (the decoder reads ahead of the rows), each costs its own row and keeps its line."""
    rows = [nta_row(corporate_number(i), f"株式会社テスト{i}", sequence=i) for i in range(1, 6)]
    text = nta_csv(rows).encode("utf-8")
    lines = text.split(b"\r\n")
    lines[1] = lines[1].replace("テスト2".encode(), b'"' + b"x" * 1_100_000)
    lines[3] = lines[3].replace("テスト4".encode(), b"\xff4")
    path = tmp_path / "all.csv"
    path.write_bytes(b"\r\n".join(lines))
    bad: list[BadRow] = []
    db = open_database(tmp_path / "registry.db")
    totals = import_registry(db, [path], name_key, on_bad=bad.append, batch_rows=chunk)
    stored = [r[0] for r in db.execute("select name from corporations order by name")]
    db.close()
    assert [(b.line, b.problem) for b in bad] == [
        (2, "not CSV (field larger than field limit (1000000))"), (4, "bytes that are not utf-8")]
    assert totals.bad == 2 and totals.imported == 3 and totals.rows == 5
    assert stored == ["株式会社テスト1", "株式会社テスト3", "株式会社テスト5"]


def test_a_file_that_cannot_be_read_is_one_line_and_exit_2(config: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.zip").write_bytes(b"PK\x03\x04garbage")
    for path, expected in ((tmp_path / "nope.zip", "no such file"), (tmp_path / "empty.zip", "damaged ZIP")):
        result = ometsuke(config, "registry", "import", str(path))
        assert result.exit_code == 2 and expected in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_json_import_is_quiet_on_stderr(config: Path, tmp_path: Path) -> None:
    path = write_text(tmp_path / "all.csv", nta_csv([nta_row(MIRAI_TOKYO, "株式会社ミライ")]))
    result = ometsuke(config, "registry", "import", str(path), "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["credit"] == "出典：国税庁法人番号公表サイト"


# -- find -------------------------------------------------------------------------------------------------------------

@pytest.fixture
def registry(config: Path, tmp_path: Path) -> Path:
    rows = [
        nta_row(MIRAI_TOKYO, "株式会社ミライ", prefecture="東京都", city="渋谷区", sequence=1),
        nta_row(MIRAI_OSAKA, "株式会社ミライ", prefecture="大阪府", city="大阪市北区", sequence=2),
        nta_row(corporate_number(50005), "有限会社ミライ", prefecture="京都府", city="京都市", kind="302",
                sequence=3),
        nta_row(corporate_number(60006), "株式会社ミライテック", sequence=4),
        nta_row(corporate_number(70007), "株式会社ＮＴＴデータ", prefecture="東京都", city="江東区", sequence=5),
        nta_row(TAKAHASHI, "髙橋建設株式会社", prefecture="宮城県", city="仙台市", sequence=6),
        nta_row(corporate_number(80008), "齋藤 工業 株式会社", sequence=7),
    ]
    imported(config, write_text(tmp_path / "all.csv", nta_csv(rows), encoding="cp932"))
    return config


def test_homonyms_are_all_listed_and_prefecture_picks_one(registry: Path) -> None:
    every = found(registry, "株式会社ミライ")
    numbers = [c["corporate_number"] for c in every]
    assert set(numbers[:2]) == {MIRAI_TOKYO, MIRAI_OSAKA} and {c["score"] for c in every[:2]} == {1.0}
    assert numbers[2] == corporate_number(50005)  # a 有限会社 of the same name, ranked after the 株式会社
    assert numbers[3] == corporate_number(60006)  # then names that start with it
    assert set(every[0]) >= {"corporate_number", "name", "prefecture", "city", "score"}
    osaka = found(registry, "株式会社ミライ", "--prefecture", "大阪")
    assert [c["corporate_number"] for c in osaka] == [MIRAI_OSAKA]
    assert [c["city"] for c in found(registry, "ミライ", "--prefecture", "京都府")] == ["京都市"]


@pytest.mark.parametrize("query", [
    "株式会社ＮＴＴデータ", "NTTデータ株式会社", "㈱NTTデータ", "（株）ＮＴＴデータ", "NTTデータ(株)", "ｎｔｔ データ",
    "NTTデータ",
])
def test_width_legal_form_and_its_place_and_spacing_do_not_matter(registry: Path, query: str) -> None:
    best = found(registry, query)[0]
    assert best["corporate_number"] == corporate_number(70007) and best["score"] == 1.0


@pytest.mark.parametrize(("query", "number"), [("高橋建設", TAKAHASHI), ("株式会社髙橋建設", TAKAHASHI),
                                                ("斎藤工業株式会社", corporate_number(80008))])
def test_variant_kanji_and_registered_spacing_do_not_matter(registry: Path, query: str, number: str) -> None:
    assert found(registry, query)[0]["corporate_number"] == number


def test_find_says_when_nothing_fits_and_when_the_registry_is_empty(config: Path, registry: Path) -> None:
    assert found(registry, "存在しない会社") == []
    assert "No organisation named 存在しない会社" in ometsuke(registry, "registry", "find", "存在しない会社").output
    empty = config.parent / "empty.toml"
    empty.write_text('[database]\npath = "empty.db"\n', encoding="utf-8")
    assert "import the NTA files first" in ometsuke(empty, "registry", "find", "ミライ").output


def test_the_fast_check_agrees_with_the_rule_on_random_numbers() -> None:
    import random

    rng = random.Random(13)
    for _ in range(2000):
        base = f"{rng.randrange(10**12):012d}"
        good = check_digit(base)
        for first in range(10):
            assert is_corporate_number(f"{first}{base}") == (first == good)


def test_the_batch_check_agrees_with_the_rule_on_random_batches_with_one_bad_value() -> None:
    import random

    rng = random.Random(17)
    for _ in range(2000):
        values = [corporate_number(rng.randrange(10**11)) for _ in range(rng.choice((1, 2, 7, 300)))]
        if rng.random() < 0.7:
            index, digit = rng.randrange(len(values)), rng.randrange(13)
            value = values[index]
            values[index] = rng.choice((
                value[:digit] + str((int(value[digit]) + rng.randrange(1, 10)) % 10) + value[digit + 1:],
                value[:digit] + "５" + value[digit + 1:], value[:12], value + "0", value[:12] + "x",
            ))
        assert all_corporate_numbers(values) == all(map(is_corporate_number, values)), values
    assert all_corporate_numbers([]) and not all_corporate_numbers(["123456789012", "12345678901234"])
