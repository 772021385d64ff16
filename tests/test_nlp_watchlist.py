"""CSV watch lists: every bad row reported with its line number, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.watchlist import (
    WatchEntry,
    WatchListError,
    combined_watch_list,
    load_watch_csv,
    merge_entries,
    watch_list_path,
    write_watch_csv,
)

HEADER = "name,kind,family,titles,aliases,affiliations\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_lists_are_split_on_bars(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "宮坂学,official,宮坂,副知事|元社長,宮坂 学|Manabu Miyasaka,ヤフー\n")
    assert load_watch_csv(path) == [
        WatchEntry("宮坂学", "official", "宮坂", ("副知事", "元社長"), ("宮坂 学", "Manabu Miyasaka"), ("ヤフー",))
    ]


def test_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    path = write(tmp_path, "name,kind\nデジタルガレージ,vendor\n\n丸紅,vendor\n")
    assert [e.name for e in load_watch_csv(path)] == ["デジタルガレージ", "丸紅"]


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    text = HEADER + "ok,vendor,,,,\n,vendor,,,,\nX,boss,,,,\nY,official,,知事,,\nok,vendor,,,,\n"
    with pytest.raises(WatchListError) as error:
        load_watch_csv(write(tmp_path, text))
    message = str(error.value)
    assert "4 bad row(s), nothing imported" in message
    assert 'line 3: column "name" is empty' in message
    assert "line 4: column \"kind\" is 'boss'" in message
    assert 'line 5: column "titles" needs "family"' in message
    assert 'line 6: "ok" is already on line 2' in message


def test_quoted_field_with_newline_keeps_line_numbers_right(tmp_path: Path) -> None:
    text = HEADER + '"A",vendor,,,"x\ny",\nB,nope,,,,\n'
    with pytest.raises(WatchListError, match="line 4: column"):
        load_watch_csv(write(tmp_path, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "empty file"), ("name,type\nA,vendor\n", "unknown column(s) type; missing column(s) kind"),
     (HEADER + "A,vendor,,,,,extra\n", "line 2: 7 fields but the header has 6")],
)
def test_bad_structure(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(WatchListError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        load_watch_csv(write(tmp_path, text))


def test_shift_jis_and_bom_are_read(tmp_path: Path) -> None:
    assert load_watch_csv(write(tmp_path, HEADER + "髙橋一郎,official,髙橋,局長,,\n", "cp932"))[0].name == "髙橋一郎"
    assert load_watch_csv(write(tmp_path, HEADER + "丸紅,vendor,,,,\n", "utf-8-sig", "b.csv"))[0].name == "丸紅"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WatchListError, match="no such file"):
        load_watch_csv(tmp_path / "nope.csv")


def test_a_corporate_number_is_read_and_its_check_digit_verified_by_line(tmp_path: Path) -> None:
    header = HEADER.strip() + ",corporate_number\n"
    path = write(tmp_path, header + "ミライ,vendor,,,,,3011001031419\nヒカリ,vendor,,,,,\n")
    assert [(e.name, e.corporate_number) for e in load_watch_csv(path)] == [("ミライ", "3011001031419"),
                                                                          ("ヒカリ", None)]
    bad = (header + "ミライ,vendor,,,,,4011001031419\nヒカリ,vendor,,,,,301100103141\n"
           "ソラ,vendor,,,,,３０１１００１０３１４１９\n")
    with pytest.raises(WatchListError) as error:
        load_watch_csv(write(tmp_path, bad, name="bad.csv"))
    message = str(error.value)
    assert "3 bad row(s), nothing imported" in message
    assert "line 2: column \"corporate_number\": '4011001031419' has check digit 4, expected 3" in message
    assert "line 3: column \"corporate_number\": '301100103141' is not 13 digits" in message
    assert "line 4: column \"corporate_number\"" in message  # full-width digits are not a number as written


def test_a_watch_csv_written_before_the_number_column_stays_readable(tmp_path: Path) -> None:
    old = HEADER + "宮坂学,official,宮坂,副知事,,\nミライ,vendor,,,株式会社ミライ,\n"
    path = write(tmp_path, old, name="watch.csv")
    entries = load_watch_csv(path)
    assert [(e.name, e.aliases, e.corporate_number) for e in entries] == [
        ("宮坂学", (), None), ("ミライ", ("株式会社ミライ",), None)]
    write_watch_csv(path, entries)  # written back with the new column, nothing lost
    assert path.read_text(encoding="utf-8").splitlines()[0].endswith(",affiliations,corporate_number")
    assert load_watch_csv(path) == entries


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    entries = [WatchEntry("宮坂学", "official", "宮坂", ("副知事",), ("宮坂 学",), ("ヤフー", "Z, Inc.")),
               WatchEntry("Digital Garage, Inc.", "vendor"),
               WatchEntry("株式会社ミライ", "vendor", aliases=("ミライ",), corporate_number="3011001031419")]
    path = tmp_path / "watch.csv"
    write_watch_csv(path, entries)
    assert load_watch_csv(path) == entries
    assert [p.name for p in tmp_path.iterdir()] == ["watch.csv"]  # no temporary file left behind


def test_merge_replaces_by_name() -> None:
    old = [WatchEntry("A", "vendor"), WatchEntry("B", "vendor")]
    new = [WatchEntry("B", "vendor", aliases=("b",)), WatchEntry("C", "vendor")]
    merged, added, updated = merge_entries(old, new)
    assert [(e.name, e.aliases) for e in merged] == [("A", ()), ("B", ("b",)), ("C", ())]
    assert (added, updated) == (1, 1)


def test_combined_list_is_config_then_csv_beside_it(tmp_path: Path) -> None:
    config = tmp_path / "ometsuke.toml"
    assert watch_list_path(config) == tmp_path / "watch.csv"
    in_config = [WatchEntry("A", "vendor")]
    assert combined_watch_list(in_config, config) == in_config
    write_watch_csv(tmp_path / "watch.csv", [WatchEntry("A", "official"), WatchEntry("B", "vendor")])
    assert [(e.name, e.kind) for e in combined_watch_list(in_config, config)] == [("A", "vendor"), ("B", "vendor")]
