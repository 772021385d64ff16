"""What real text does that the first corpus did not (issue 13), on sentences of our own."""

from __future__ import annotations

import pytest

from nlp import Tagger, find_amounts, find_organizations
from nlp.watchlist import WatchEntry

MIYASAKA = WatchEntry("宮坂学", "official", family="宮坂", titles=("副知事",))
HANAKO = WatchEntry("宮坂花子", "official", family="宮坂", titles=("議員",))
COOK = WatchEntry("ティム・クック", "official", family="クック", titles=("CEO",))


def _mentions(tagger: Tagger, text: str) -> list[tuple[str, str]]:
    result = tagger.tag(text)
    for m in result.mentions:
        assert text[m.start:m.end] == m.surface
    return [(m.entity, m.surface) for m in result.mentions]


def test_family_and_honorific_is_the_person_named_earlier():
    tagger = Tagger([MIYASAKA, HANAKO])
    text = "会見には宮坂学副知事が出席した。宮坂氏は予算を説明した。宮坂さんは笑った。"
    assert _mentions(tagger, text) == [("宮坂学", "宮坂学"), ("宮坂学", "宮坂氏"), ("宮坂学", "宮坂さん")]


def test_family_and_honorific_is_no_one_when_two_of_that_family_were_named():
    tagger = Tagger([MIYASAKA, HANAKO])
    text = "宮坂学副知事と宮坂花子議員が出席した。宮坂氏は予算を説明した。"
    assert _mentions(tagger, text) == [("宮坂学", "宮坂学"), ("宮坂花子", "宮坂花子")]


def test_honorific_without_a_full_name_needs_one_watched_person_of_that_family():
    assert _mentions(Tagger([COOK]), "クック氏は新製品を示した。") == [("ティム・クック", "クック氏")]
    assert _mentions(Tagger([MIYASAKA, HANAKO]), "宮坂氏は予算を説明した。") == []
    assert _mentions(Tagger([COOK]), "クックさんが来た。") == []  # さん only after a full name


@pytest.mark.parametrize("text", ["宮坂（みやさか）副知事は述べた。", "宮坂(61)副知事は述べた。"])
def test_parenthetical_between_family_name_and_title(text: str):
    found = _mentions(Tagger([MIYASAKA]), text)
    assert found == [("宮坂学", text[: text.index("副知事") + 3])]


@pytest.mark.parametrize(
    ("text", "surface"),
    [("担当は宮 坂 学 副知事です。", "宮 坂 学"), ("担当　宮坂　　学", "宮坂　　学"), ("受託者は丸 紅です。", "丸 紅")],
)
def test_names_spaced_out_or_with_runs_of_spaces(text: str, surface: str):
    found = _mentions(Tagger([MIYASAKA, WatchEntry("丸紅", "vendor")]), text)
    assert [s for _, s in found] == [surface]


def test_spaced_run_does_not_join_the_end_of_a_longer_word():
    assert _mentions(Tagger([MIYASAKA]), "大宮坂  学園の前") == []


def test_parenthetical_is_not_read_inside_a_longer_word():
    assert _mentions(Tagger([MIYASAKA]), "大宮坂（みやさか）副知事") == []


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        ("被告株式会社ミライは控訴した。", "株式会社ミライ", "ミライ"),
        ("会社名有限会社さくら商店", "有限会社さくら商店", "さくら商店"),
        ("株式会社 宝島社", "株式会社 宝島社", "宝島社"),
        ("詳細は株式会社ブティック社公式サイトの下記", "株式会社ブティック社", "ブティック社"),
        ("詳細は株式会社あさひ公式サイトをご覧下さい。", "株式会社あさひ", "あさひ"),
        ("Copyright 2016 Example Media, Inc. All Rights Reserved.", "Example Media, Inc.", "Example Media"),
        ("現地法人ACME TRADING CO., LTD.が開催", "ACME TRADING CO., LTD.", "ACME TRADING"),
        ("ACME JAPAN LIMITED", "ACME JAPAN LIMITED", "ACME JAPAN"),
        ("Example Godo Kaisha", "Example Godo Kaisha", "Example"),
        ("なお、独立行政法人国民生活センターでは", "独立行政法人国民生活センター", "国民生活センター"),
        ("受託者　丸紅　　株式会社", "丸紅　　株式会社", "丸紅"),
        ("担当 株式会社丸紅", "株式会社丸紅", "丸紅"),
        ("「公益社団法人やまなし観光推進機構」ブース", "公益社団法人やまなし観光推進機構", "やまなし観光推進機構"),
    ],
)
def test_real_text_company_forms(text: str, surface: str, name: str):
    found = [(o.surface, o.name) for o in find_organizations(text)]
    assert found == [(surface, name)]
    assert all(text[o.start:o.end] == o.surface for o in find_organizations(text))


@pytest.mark.parametrize(
    "text", ["国立研究開発法人情報通信研究機構法（平成11年法律第162号）", "独立行政法人通則法第3条"]
)
def test_a_law_named_after_a_body_is_not_the_body(text: str):
    assert find_organizations(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(3歳以上3勝クラス,1600万円以下)", [(16000000, "1600万円")]),
        ("〇年以下の懲役又は〇万円以下の罰金に処する", []),
        ("2万円台のプリンター", []),
        ("3兆円半ばの規模で減税", []),
        ("1円玉サイズのレシーバー", []),
        ("大人１,５００円(前売り１,２００円)", [(1500, "１,５００円"), (1200, "１,２００円")]),
        ("百万円", [(1000000, "百万円")]),
        ("被告は原告に対し金壱百萬円を支払え。", [(1000000, "壱百萬円")]),
        ("金参拾五萬円及び", [(350000, "参拾五萬円")]),
        ("持参1,000円", [(1000, "1,000円")]),  # 参 without 金 is no numeral
        ("当期純損失 △1,234千円（前期 ▲500千円）", [(-1234000, "△1,234千円"), (-500000, "▲500千円")]),
    ],
)
def test_real_text_amounts(text: str, expected: list[tuple[int, str]]):
    assert [(a.yen, a.surface) for a in find_amounts(text)] == expected

# The notations of audit reports (会計検査院, 監査委員) and court rulings; ../shared holds no such document, so these
# are sentences of our own, written the way those documents write sums.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("契約金額は金1,650万6,875円であった。", [(16506875, "1,650万6,875円")]),
        ("委託費16,506千円のうち", [(16506000, "16,506千円")]),
        ("事業費1億6,506万円を計上", [(165060000, "1億6,506万円")]),
        ("損失は1.2億円", [(120000000, "1.2億円")]),
        ("約3千万円が過大", [(30000000, "約3千万円")]),
        ("請求額　￥16,506,875－", [(16506875, "￥16,506,875")]),
        ("代金16,506,875円（税込）を支払う", [(16506875, "16,506,875円")]),
        ("被告は原告に対し金壱千六百五拾万円を支払え。", [(16500000, "壱千六百五拾万円")]),
        ("金壱百万円也", [(1000000, "壱百万円")]),  # not 百万円: the 大字 reading comes first
        ("金壱億六千五百万円及びこれに対する", [(165000000, "壱億六千五百万円")]),
        ("金弐百参拾四万五千六百七拾八円", [(2345678, "弐百参拾四万五千六百七拾八円")]),
        ("金１６５０万６８７５円", [(16506875, "１６５０万６８７５円")]),
        ("指摘金額　１６，５０６，８７５円", [(16506875, "１６，５０６，８７５円")]),
        ("金 1,650 万円", [(16500000, "1,650 万円")]),  # a space before the unit (PDF text)
        ("1億 6,506万円", [(165060000, "1億 6,506万円")]),
        ("補助金 16,506 千円", [(16506000, "16,506 千円")]),
        ("合計 1 6 , 5 0 6 円", [(16506, "1 6 , 5 0 6 円")]),  # spaced out letter by letter
        ("合計 １ ６ ， ５ ０ ６ 円", [(16506, "１ ６ ， ５ ０ ６ 円")]),
        ("合計 1 6 , 5 0 円", []),  # not a well-formed figure: neither 16,50 nor its last 0
        ("差額 △ 1,234千円、▲　500千円", [(-1234000, "△ 1,234千円"), (-500000, "▲\u3000500千円")]),
        ("第3 1,000円", [(1000, "1,000円")]),  # unevenly spaced figures are not joined
    ],
)
def test_audit_report_and_ruling_amounts(text: str, expected: list[tuple[int, str]]):
    found = find_amounts(text)
    assert [(a.yen, a.surface) for a in found] == expected
    assert all(text[a.start:a.end] == a.surface for a in found)



KATO = WatchEntry("加藤勝信", "official", family="加藤", titles=("長官",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加藤勝信長官が来た。加藤氏は語った。", [("加藤勝信", "加藤勝信"), ("加藤勝信", "加藤氏")]),
        # Someone of that family the watch list does not know was named: the honorific is not the official's.
        ("加藤邦子さんが見つかった。加藤さんは家にいた。", []),
        ("加藤邦子さん。加藤氏は語った。", []),
        ("加藤勝信長官と加藤邦子さんが会った。加藤氏は語った。", [("加藤勝信", "加藤勝信")]),
    ],
)
def test_honorific_and_people_the_watch_list_does_not_know(text: str, expected: list[tuple[str, str]]):
    assert _mentions(Tagger([KATO]), text) == expected


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("（株式会社めのや様、情報提供を有り難うございます。）", "株式会社めのや"),
        ("株式会社やまやコミュニケーションズのニュースリリース", "株式会社やまやコミュニケーションズ"),
        ("株式会社こんぷりんは、販売を始めます。", "株式会社こんぷりん"),
    ],
)
def test_names_in_hiragana(text: str, surface: str):
    assert [o.surface for o in find_organizations(text)] == [surface]


def test_a_watched_name_inside_a_web_address_is_no_mention():
    tagger = Tagger([WatchEntry("サンリオ", "vendor", aliases=("Sanrio",))])
    text = "詳細は http://www.sanrio.co.jp/news/ をご覧下さい。Sanrio Gift Gateで販売。"
    assert _mentions(tagger, text) == [("サンリオ", "Sanrio")]
