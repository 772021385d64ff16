"""Companies by legal form: the name without the legal form, never the words in front of it."""

from __future__ import annotations

import pytest

from nlp.organizations import find_organizations


@pytest.mark.parametrize(
    ("text", "name", "surface"),
    [
        ("本日、丸紅株式会社と協定を締結", "丸紅", "丸紅株式会社"),
        ("受託候補者 丸紅株式会社", "丸紅", "丸紅株式会社"),
        ("契約相手方丸紅株式会社", "丸紅", "丸紅株式会社"),
        ("受託者は日本電気株式会社に決定", "日本電気", "日本電気株式会社"),
        ("今回選定された日本電気株式会社", "日本電気", "日本電気株式会社"),
        ("次点者株式会社NTTデータ", "NTTデータ", "株式会社NTTデータ"),
        ("富士通Japan株式会社が受注", "富士通Japan", "富士通Japan株式会社"),
        ("株式会社デジタルガレージ代表取締役", "デジタルガレージ", "株式会社デジタルガレージ"),
        ("株式会社 デジタルガレージと", "デジタルガレージ", "株式会社 デジタルガレージ"),
        ("株式会社　デジタルガレージと", "デジタルガレージ", "株式会社　デジタルガレージ"),
        ("(株)デジタルガレージ", "デジタルガレージ", "(株)デジタルガレージ"),
        ("（株）ＮＴＴデータが受注", "NTTデータ", "（株）ＮＴＴデータ"),
        ("㈱デジタルガレージ", "デジタルガレージ", "㈱デジタルガレージ"),
        ("デジタルガレージ(株)", "デジタルガレージ", "デジタルガレージ(株)"),
        ("ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ株式会社", "デジタルガレージ", "ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ株式会社"),
        ("落札者：有限会社山田商店", "山田商店", "有限会社山田商店"),
        ("合同会社DMM.comと提携", "DMM.com", "合同会社DMM.com"),
        ("契約相手方：Digital Garage, Inc.", "Digital Garage", "Digital Garage, Inc."),
        ("受注者：Hokuto Solutions Co., Ltd.", "Hokuto Solutions", "Hokuto Solutions Co., Ltd."),
        ("NEC Corporationは", "NEC", "NEC Corporation"),
        ("アクセンチュア株式会社東京支店", "アクセンチュア", "アクセンチュア株式会社"),
        ("令和8年度株式会社ミナト電算と", "ミナト電算", "株式会社ミナト電算"),
        ("日本電気株式会社外2者", "日本電気", "日本電気株式会社"),
        ("落札業者名：株式会社エヌ・ティ・ティ・データ", "エヌ・ティ・ティ・データ",
         "株式会社エヌ・ティ・ティ・データ"),
        ("三菱UFJリサーチ&コンサルティング株式会社", "三菱UFJリサーチ&コンサルティング",
         "三菱UFJリサーチ&コンサルティング株式会社"),
    ],
)
def test_legal_form_spellings(text: str, name: str, surface: str) -> None:
    found = find_organizations(text)
    assert [(o.name, o.surface) for o in found] == [(name, surface)]
    assert text[found[0].start:found[0].end] == surface
    assert not found[0].watched


def test_two_companies_in_one_sentence() -> None:
    text = "株式会社デジタルガレージと丸紅株式会社が共同で受託した。"
    assert [o.name for o in find_organizations(text)] == ["デジタルガレージ", "丸紅"]


@pytest.mark.parametrize("text", ["株式会社の設立について", "株式会社とは何か", "有限会社から株式会社へ"])
def test_legal_form_without_a_name_is_not_a_company(text: str) -> None:
    assert find_organizations(text) == []
