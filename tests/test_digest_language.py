"""The digest in Japanese (the default) and in English, in every format, from one catalogue per language."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_digest_data import DAY, FIRST_DAY, build

from ometsuke.digest import build_digest, render
from ometsuke.digest.mail import subject_for
from ometsuke.i18n import CATALOGUES, Texts

JA_HEADINGS = ("アラート", "新着")
EN_HEADINGS = ("Alerts", "New documents")


def test_catalogues_have_the_same_keys() -> None:
    assert set(CATALOGUES["ja"]) == set(CATALOGUES["en"])
    assert {"アラート", "取得できなかった情報源", "新着", "更新", "削除", "ウォッチ対象企業の落札"} <= set(
        CATALOGUES["ja"].values())


def test_dates_and_amounts_as_readers_write_them() -> None:
    ja, en = Texts("ja"), Texts("en")
    assert ja.date("2026-12-02") == "2026年12月2日（水）"
    assert ja.yen(16_506_875) == "16,506,875円"
    assert en.yen(16_506_875) == "¥16,506,875"
    assert ja.moment("2026-12-02T00:30:00+00:00") == "2026年12月2日（水）9:30"
    assert en.moment("2026-12-02T00:30:00+00:00") == "2026-12-02 09:30 JST"
    assert ja.date("令和8年") == "令和8年"  # not ISO: shown as found


@pytest.fixture(scope="module")
def digests(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db, _ = build(tmp_path_factory.mktemp("lang"))
    return {lang: {day: build_digest(db, day, language=lang) for day in (FIRST_DAY, DAY)} for lang in ("ja", "en")}


@pytest.mark.parametrize("fmt", ["md", "html", "atom", "json"])
def test_japanese_digest_in_every_format(digests: dict, fmt: str) -> None:
    digest = digests["ja"][FIRST_DAY]
    text = render(digest, fmt)
    assert "大目付ダイジェスト 2026年11月26日（木）" in text
    assert "宮坂学とデジタルガレージが同じ文書に登場" in text
    assert "デジタルガレージの近くに16,506,875円" in text
    for english in ("Alerts", "New documents", "near デジタルガレージ", "in the same document", "¥16", " JST"):
        assert english not in text, english
    if fmt == "md":
        assert [line for line in text.splitlines() if line.startswith("## ")] == ["## アラート (2)", "## 新着 (5)"]
        assert "  - 宮坂学 (公職者): 宮坂副知事" in text
    elif fmt == "html":
        assert '<html lang="ja">' in text and "<h2>アラート (2)</h2>" in text and "<h2>新着 (5)</h2>" in text
    elif fmt == "atom":
        titles = [e.text for e in ET.fromstring(text.encode()).iter("{http://www.w3.org/2005/Atom}title")]
        assert any(t.startswith("【アラート】") for t in titles) and any(t.startswith("【新着】") for t in titles)
    else:
        data = json.loads(text)
        assert data["language"] == "ja" and "alerts" in data and "new" in data  # keys stay English
        assert "年" in data["alerts"][0]["at_jst"]


@pytest.mark.parametrize("fmt", ["md", "html", "atom", "json"])
def test_english_digest_in_every_format(digests: dict, fmt: str) -> None:
    text = render(digests["en"][FIRST_DAY], fmt)
    assert "ometsuke digest 2026-11-26 (JST)" in text
    assert "宮坂学 and デジタルガレージ in the same document" in text
    assert "¥16,506,875 near デジタルガレージ" in text
    for japanese in ("アラート", "新着", "同じ文書", "16,506,875円 "):
        assert japanese not in text.replace("16,506,875円（税込）", ""), japanese
    if fmt == "md":
        assert [line for line in text.splitlines() if line.startswith("## ")] == ["## Alerts (2)",
                                                                                "## New documents (5)"]


def test_changed_and_removed_headings_and_subject_in_both_languages(digests: dict) -> None:
    ja, en = render(digests["ja"][DAY], "md"), render(digests["en"][DAY], "md")
    ja_sections = [line.split(" (")[0] for line in ja.splitlines() if line.startswith("## ")]
    en_sections = [line.split(" (")[0] for line in en.splitlines() if line.startswith("## ")]
    assert "## 更新" in ja_sections and "## 削除" in ja_sections
    assert "## Changed documents" in en_sections and "## Removed documents" in en_sections
    assert subject_for(digests["ja"][FIRST_DAY]) == "大目付ダイジェスト 2026年11月26日（木）: アラート2件、新着5件"
    assert subject_for(digests["en"][FIRST_DAY]) == "ometsuke digest 2026-11-26 (JST): 2 alert(s), 5 new"


def test_language_comes_from_the_config(tmp_path: Path, write_config) -> None:
    from click.testing import CliRunner

    from ometsuke.cli import main

    db, _ = build(tmp_path)
    db.close()
    path = tmp_path / "ometsuke.db"
    for language, heading in (("en", "## Alerts (2)"), ("ja", "## アラート (2)")):
        config = write_config(f'[database]\npath = "{path}"\n[digest]\nlanguage = "{language}"\n')
        result = CliRunner().invoke(main, ["digest", "--date", FIRST_DAY.isoformat(), "--config", str(config)])
        assert result.exit_code == 0, result.output
        assert heading in result.output
    bad = write_config('[digest]\nlanguage = "fr"\n')
    result = CliRunner().invoke(main, ["digest", "--config", str(bad)])
    assert result.exit_code == 2
    assert '[digest]: key "language" is \'fr\'; expected one of ja, en' in result.output
