"""`ometsuke digest` and `ometsuke diff` through click's CliRunner, on a real database and config file."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from test_digest_data import build

from ometsuke.cli import main


@pytest.fixture
def config(tmp_path: Path) -> Path:
    db, _ = build(tmp_path)
    db.close()
    path = tmp_path / "ometsuke.toml"
    # the command-line mechanics, in English; the Japanese default is tested in test_digest_language.py
    path.write_text('[database]\npath = "ometsuke.db"\n[digest]\nlanguage = "en"\n', encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_digest_markdown_for_a_day(config: Path) -> None:
    result = run("digest", "--date", "2026-11-27", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# ometsuke digest 2026-11-27 (JST)\n")
    assert "## Changed documents (1)" in result.output


def test_digest_formats_and_out_file(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "feed.xml"
    result = run("digest", "--since", "2026-11-26", "--format", "atom", "--out", str(out), "--config", str(config))
    assert result.exit_code == 0 and result.output == ""
    feed = feedparser.parse(out.read_text(encoding="utf-8"))
    assert feed.bozo == 0
    terms = [[t.term for t in e.tags if t.term in ("alert", "new", "changed", "removed")] for e in feed.entries]
    assert terms == [["alert"]] * 2 + [["new"]] * 5 + [["removed"]]  # 2 alert cards, then each document once
    data = json.loads(run("digest", "--date", "2026-11-26", "--json", "--config", str(config)).output)
    assert len(data["alerts"]) == 2  # one card per document: contract (pair + amount), award (affiliation)


def test_digest_usage_errors_exit_2(config: Path) -> None:
    result = run("digest", "--since", "last week", "--config", str(config))
    assert result.exit_code == 2 and "--since 'last week' is not a date" in result.output
    result = run("digest", "--mail", "--config", str(config))
    assert result.exit_code == 2 and "--mail needs a [mail] table" in result.output
    result = run("digest", "--date", "2026-11-27", "--since", "2026-11-20", "--config", str(config))
    assert result.exit_code == 2 and "not both" in result.output


def test_digest_mail_failure_exits_1_with_the_reason(config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '[mail]\nhost = "127.0.0.1"\nport = 9\nfrom = "o@example.org"\nto = ["d@example.org"]\n'
                      "starttls = false\n", encoding="utf-8")
    result = run("digest", "--date", "2026-11-27", "--mail", "--config", str(config))
    assert result.exit_code == 1
    assert "mail not sent: cannot connect to 127.0.0.1:9" in result.output


def test_diff_latest_runs_and_additions_only(config: Path) -> None:
    result = run("diff", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "CHANGED  宮坂副知事の記者会見" in result.output
    assert "  ~ 会見は午後[-2-]{+3+}時からで[-す-]{+した+}。" in result.output
    assert "REMOVED  古いお知らせ" in result.output
    assert "入札結果\n" not in result.output  # noise-only change hidden by default, and said
    assert result.output.rstrip().endswith("1 change(s) only in volatile text not shown: ometsuke diff --all")
    shown = run("diff", "--all", "--config", str(config)).output
    assert "CHANGED  入札結果" in shown and "only volatile text changed" in shown
    additions = run("diff", "--additions", "--config", str(config)).output
    assert "  + 会見は午後{+3+}時からで{+した+}。" in additions and "[-" not in additions
    assert "古いお知らせ" not in additions  # a removed page is a deletion: left out, as --help says
    data = json.loads(run("diff", "--additions", "--json", "--config", str(config)).output)
    assert data and "removed" not in {item["kind"] for item in data}


def test_diff_by_run_and_json(config: Path) -> None:
    data = json.loads(run("diff", "--run", "1", "--json", "--config", str(config)).output)
    assert {item["kind"] for item in data} == {"new"} and len(data) == 4
    missing = run("diff", "--run", "99", "--config", str(config))
    assert missing.exit_code == 2 and "no run 99" in missing.output
