"""`ometsuke demo` runs the whole pipeline on the bundled site and prints a digest with every kind of change."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from db import open_database
from ometsuke.cli import main
from ometsuke.digest import build_digest


def test_demo_crawls_twice_and_prints_the_digest(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    digest = result.stdout
    # the digest is in Japanese ([digest] language defaults to "ja")
    assert digest.startswith("# 大目付ダイジェスト ")
    assert "## 新着 (1)" in digest and "個人情報の漏えいについて" in digest
    assert "## 更新 (1)" in digest and "予約受付は令和8年8月10日開始予定" in digest
    assert "## 削除 (1)" in digest and "副知事の海外出張について" in digest
    assert "山科学とミライガレージが同じ文書に登場" in digest
    # the link found across the company's older release and the government contract
    connections = digest.split("# 公職者と企業を結ぶもの（ometsuke connections 山科学 ミライガレージ）", 1)[1]
    assert "パートナーアワード" in connections and "ミライガレージの近くに16,506,875円" in connections
    database = open_database(tmp_path / "demo.db")
    kinds = dict(database.execute(
        "select kind, count(*) from changes where run_id in (select id from runs where id > 2) group by kind"
    ).fetchall())
    alerts = build_digest(database, since="2026-01-01").alerts  # both crawls: 3 documents with alerts
    database.close()
    assert len(alerts) == len({alert.item.url for alert in alerts}) == 3  # one card per document, not 5 cards
    contract = next(alert for alert in alerts if alert.item.title.endswith("業務委託契約の締結について"))
    assert contract.pairs == [["山科学", "ミライガレージ"]]
    assert contract.amounts == [{"yen": 16_506_875, "vendor": "ミライガレージ"}]
    assert kinds == {"new": 1, "changed": 1, "removed": 1}
    assert "health" in result.stderr and "failing" not in result.stderr  # both demo sources are ok
    assert result.stderr.rstrip().splitlines()[-3:] == [  # it ends by saying where to keep exploring
        f"  ometsuke search 契約 --config {tmp_path / 'ometsuke.toml'}",
        f"  ometsuke digest --since 2026-01-01 --config {tmp_path / 'ometsuke.toml'}",
        f"  sqlite3 {tmp_path / 'demo.db'} 'select kind, count(*) from changes group by kind'",
    ]


def test_demo_in_a_temporary_folder_says_how_to_keep_the_database() -> None:
    from ometsuke.commands.demo import where_to_explore

    assert "ometsuke demo --dir demo-out" in where_to_explore(None)
