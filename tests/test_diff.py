"""Sentence diffs for Japanese text and noise suppression (ometsuke.diffing)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.sentences import sentence_around, split_sentences
from ometsuke.diffing import (
    NoiseFilter,
    PatternError,
    diff_texts,
    diff_versions,
)


def test_sentences_split_on_japanese_punctuation_and_line_breaks() -> None:
    text = "契約を締結しました。「本当ですか？」と記者。\n金額は未定！次回は12月\n"
    expected = ["契約を締結しました。", "「本当ですか？」", "と記者。", "金額は未定！", "次回は12月"]
    assert split_sentences(text) == expected


def test_closing_bracket_stays_with_its_sentence() -> None:
    assert split_sentences("彼は「行きます。」と言った。") == ["彼は「行きます。」", "と言った。"]


def test_changed_sentence_marks_the_changed_amount_as_one_token() -> None:
    diff = diff_texts("前文。契約金額は1,000,000円です。後文。", "前文。契約金額は16,506,875円です。後文。")
    assert [line.kind for line in diff.lines] == ["changed"]
    assert diff.lines[0].marked() == "契約金額は[-1,000,000-]{+16,506,875+}円です。"
    changed_new = [s.text for s in diff.lines[0].new_segments if s.changed]
    assert changed_new == ["16,506,875"]


def test_added_removed_and_changed_sentences_in_reading_order() -> None:
    old = "会見を行います。問い合わせは総務局まで。担当は山田です。"
    new = "会見を行いました。問い合わせは総務局まで。配布資料を追加しました。"
    diff = diff_texts(old, new)
    kinds = {(line.kind, line.old, line.new) for line in diff.lines}
    assert ("removed", "担当は山田です。", None) in kinds
    assert ("added", None, "配布資料を追加しました。") in kinds
    assert ("changed", "会見を行います。", "会見を行いました。") in kinds
    assert not any(line.old == "問い合わせは総務局まで。" for line in diff.lines)


def test_additions_only_view_drops_pure_deletions() -> None:
    old = "会見は午後2時からです。担当は山田です。"
    new = "会見は午後3時からです。資料を追加しました。"
    additions = diff_texts(old, new).additions()
    assert [line.added_text() for line in additions] == ["会見は午後{+3+}時からです。", "資料を追加しました。"]


def test_identical_texts_have_no_diff() -> None:
    diff = diff_texts("同じ文です。", "同じ文です。")
    assert not diff.changed and not diff.noise_only


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("更新日：2026年11月26日\n入札結果です。", "更新日：2026年11月27日\n入札結果です。"),
        ("令和8年11月26日更新\n入札結果です。", "令和8年11月27日更新\n入札結果です。"),
        ("最終更新日 2026/11/26\n本文。", "最終更新日 2026/11/27\n本文。"),
        ("Last updated: 26 Nov 2026\n本文。", "Last updated: 27 Nov 2026\n本文。"),
        ("本文。\nアクセス数：1,234", "本文。\nアクセス数：1,301"),
        ("本文です。閲覧数 12回", "本文です。閲覧数 13回"),
        ("資料はこちら。token=a81f9c", "資料はこちら。token=ffe012"),
        ("令和8年7月31日 デジタルサービス局", "令和8年7月31日 デジタルサービス局（令和8年8月5日 更新）"),
        ("総務局（更新日：2026年8月1日）", "総務局（更新日：2026年8月5日）"),
    ],
)
def test_changes_only_in_volatile_text_are_noise(old: str, new: str) -> None:
    diff = diff_texts(old, new)
    assert diff.lines == []
    assert diff.noise_only


def test_a_real_change_next_to_an_update_date_is_still_reported() -> None:
    diff = diff_texts("更新日：2026年11月26日\n予定価格は100万円。", "更新日：2026年11月27日\n予定価格は120万円。")
    assert [line.marked() for line in diff.lines] == ["予定価格は[-100-]{+120+}万円。"]
    assert not diff.noise_only


def test_per_source_ignore_patterns_mask_site_specific_noise() -> None:
    old, new = "入札結果です。受付番号A-1001", "入札結果です。受付番号A-1002"
    assert diff_texts(old, new).changed  # without the pattern this is a change
    masked = diff_texts(old, new, noise=NoiseFilter([r"受付番号[A-Z]-\d+"]))
    assert not masked.changed and masked.noise_only


def test_bad_ignore_pattern_is_a_clear_error() -> None:
    with pytest.raises(PatternError, match=r"bad regular expression '受付\(番号'"):
        NoiseFilter(["受付(番号"])


def test_diff_versions_reports_title_changes_separately() -> None:
    diff = diff_versions({"title": "入札公告", "body": "本文。"}, {"title": "入札公告（訂正）", "body": "本文。"})
    assert [(line.part, line.kind) for line in diff.lines] == [("title", "changed")]
    assert diff.lines[0].marked() == "入札公告{+（訂正）+}"


def test_diff_versions_shows_a_changed_published_date_as_its_own_part() -> None:
    """The content hash covers the date, so a date-only change is counted by the crawl: diff must show it too."""
    old = {"title": "入札公告", "published": "2026-03-01", "body": "本文。"}
    diff = diff_versions(old, {**old, "published": "2026-03-05"})
    assert [(line.part, line.kind) for line in diff.lines] == [("published", "changed")]
    assert diff.lines[0].marked() == "2026-03-[-01-]{+05+}" and not diff.noise_only
    assert [(line.part, line.kind) for line in diff_versions(old, {**old, "published": None}).lines] == [
        ("published", "removed")]
    assert diff_versions(old, dict(old)).lines == []


def test_sentence_around_quotes_one_sentence() -> None:
    text = "前文です。契約金額は16,506,875円です。後文。"
    start = text.index("16,506,875円")
    assert sentence_around(text, start, start + 11) == "契約金額は16,506,875円です。"
    assert sentence_around(text, 0, 2) == "前文です。"


_ALPHABET = "契約金額は円ですの。、！？\n0123456789,宮坂副知事デジタルガレージ「」ab "


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET + "｡』)!\r\u3000", max_size=80), st.integers(0, 80))
def test_a_quoted_sentence_is_one_the_diff_splits(text: str, at: int) -> None:
    """Stored contexts, digest quotes and the sentence diff cut a text at the same places (nlp.sentences)."""
    if not text:
        return
    at %= len(text)
    if text[at] in "。｡！？!?」』）)\n\r \u3000":  # a span on a sentence end or a space has no sentence of its own
        return
    assert sentence_around(text, at, at + 1) in split_sentences(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80), st.text(alphabet=_ALPHABET, max_size=80))
def test_marked_sentences_rebuild_both_sides(old: str, new: str) -> None:
    """Whatever the texts, each changed line's marks give back exactly the old and the new sentence."""
    import re

    diff = diff_texts(old, new, noise=NoiseFilter(builtin=False))
    old_sentences, new_sentences = split_sentences(old), split_sentences(new)
    for line in diff.lines:
        if line.kind == "changed":
            marked = line.marked()
            # the alphabet holds no marker characters, so the marks can be undone exactly
            assert re.sub(r"\[-(.*?)-\]", "", marked, flags=re.S).replace("{+", "").replace("+}", "") == line.new
            assert re.sub(r"\{\+(.*?)\+\}", "", marked, flags=re.S).replace("[-", "").replace("-]", "") == line.old
            assert "".join(s.text for s in line.old_segments) == line.old
            assert "".join(s.text for s in line.new_segments) == line.new
        if line.old is not None:
            assert line.old in old_sentences
        if line.new is not None:
            assert line.new in new_sentences
    if split_sentences(old) == split_sentences(new):
        assert diff.lines == []
    else:
        assert diff.lines
