"""`ometsuke tag` and `ometsuke watch`: real files, real Sudachi, clear one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ometsuke.cli import main

CONFIG = """
[[watch]]
name = "宮坂学"
kind = "official"
family = "宮坂"
titles = ["副知事"]

[[watch]]
name = "デジタルガレージ"
kind = "vendor"
"""
HEADER = "name,kind,family,titles,aliases,affiliations\n"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "ometsuke.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run(*args: str, input: str | bytes | None = None):  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input)


def test_tag_stdin_json(config: Path) -> None:
    text = "宮坂副知事は本日、株式会社デジタルガレージと16,506,875円で契約した。"
    result = run("tag", "--config", str(config), "--json", input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(m["entity"], m["surface"]) for m in data["mentions"]] == [
        ("宮坂学", "宮坂副知事"), ("デジタルガレージ", "デジタルガレージ")
    ]
    assert data["amounts"][0]["yen"] == 16506875
    assert data["organizations"] == [
        {"name": "デジタルガレージ", "surface": "株式会社デジタルガレージ", "start": 9, "end": 21, "watched": True,
         "corporate_number": None}
    ]
    for key in ("mentions", "amounts", "organizations"):
        for item in data[key]:
            assert text[item["start"]:item["end"]] == item["surface"]


def test_tag_shift_jis_html_file_uses_visible_text(config: Path, tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="Shift_JIS"><title>報道発表</title><script>var 宮坂副知事 = 1;</script>'
        "<style>p{}</style></head><body><h1>契約について</h1><p>宮坂副知事は</p><p>㈱デジタルガレージと契約。</p>"
        "<table><tr><td>契約日</td><td>令和3年5月14日</td></tr></table></body></html>"
    )
    page = tmp_path / "release.html"
    page.write_bytes(html.encode("cp932"))
    result = run("tag", str(page), "--config", str(config), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [m["surface"] for m in data["mentions"]] == ["宮坂副知事", "デジタルガレージ"]  # not the script's
    assert data["mentions"][0]["context"] == "宮坂副知事は"  # paragraphs do not run together
    assert data["dates"][0]["date"] == "2021-05-14"


def test_tag_readable_table(config: Path) -> None:
    result = run("tag", "--config", str(config), input="宮坂副知事が丸紅株式会社を訪問。")
    assert result.exit_code == 0, result.output
    assert "mentions (1)" in result.output and "宮坂学 (official)" in result.output
    assert "organizations (1)" in result.output and "丸紅" in result.output


def test_tag_without_any_config_still_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OMETSUKE_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["tag", "--json"], input="丸紅株式会社と3億円で契約")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amounts"][0]["yen"] == 300_000_000
    assert "without a watch list" in result.stderr


def test_tag_config_with_only_watch_entries_is_valid(config: Path) -> None:
    assert run("tag", "--config", str(config), input="x").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [(["tag", "missing.txt"], "missing.txt: no such file"), (["tag", "--config", "nope.toml"], "no such config file")],
)
def test_tag_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args, input="")
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_tag_binary_file_is_refused(config: Path, tmp_path: Path) -> None:
    binary = tmp_path / "x.pdf"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02" * 10)
    result = run("tag", str(binary), "--config", str(config))
    assert result.exit_code == 2 and "binary data" in result.output


def test_watch_import_then_list_and_tag(config: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "more.csv"
    csv_file.write_text(HEADER + "丸紅,vendor,,,Marubeni,\n小池百合子,official,小池,知事|都知事,,\n", encoding="utf-8")
    result = run("watch", "import", str(csv_file), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "2 entries imported" in result.output
    assert (tmp_path / "watch.csv").exists()

    listed = json.loads(run("watch", "list", "--config", str(config), "--json").output)
    assert [(e["name"], e["from"]) for e in listed] == [
        ("宮坂学", "config"), ("デジタルガレージ", "config"), ("丸紅", "watch.csv"), ("小池百合子", "watch.csv")
    ]
    tagged = json.loads(run("tag", "--config", str(config), "--json", input="小池都知事が丸紅を視察").output)
    assert [m["entity"] for m in tagged["mentions"]] == ["小池百合子", "丸紅"]

    again = tmp_path / "update.csv"
    again.write_text(HEADER + "丸紅,vendor,,,Marubeni|MARUBENI,\n", encoding="utf-8")
    result = run("watch", "import", str(again), "--config", str(config))
    assert "(0 added, 1 updated; 2 in file)" in result.output


def test_watch_import_bad_rows_writes_nothing(config: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A,vendor,,,,\nB,boss,,,,\n", encoding="utf-8")
    result = run("watch", "import", str(bad), "--config", str(config))
    assert result.exit_code == 2
    assert "line 3" in result.output and "nothing imported" in result.output
    assert not (tmp_path / "watch.csv").exists()


def test_watch_import_refuses_names_already_in_the_config(config: Path, tmp_path: Path) -> None:
    clash = tmp_path / "clash.csv"
    clash.write_text(HEADER + "宮坂学,official,,,,\n", encoding="utf-8")
    result = run("watch", "import", str(clash), "--config", str(config))
    assert result.exit_code == 2 and "already in [[watch]]" in result.output
    assert not (tmp_path / "watch.csv").exists()


def test_watch_list_table(config: Path) -> None:
    result = run("watch", "list", "--config", str(config))
    assert result.exit_code == 0
    assert "official  宮坂学" in result.output and "family 宮坂 + 副知事" in result.output
