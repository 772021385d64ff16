"""The tagger's matching rules, each with its own small cases, and exact offsets on any input."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import Tagger, TagResult
from nlp.watchlist import WatchEntry

ENTRIES = [
    WatchEntry("宮坂学", "official", "宮坂", ("副知事",), ("宮坂 学",), ("ヤフー",)),
    WatchEntry("小池百合子", "official", "小池", ("知事", "都知事")),
    WatchEntry("森田誠", "official", "森田", ("市長",)),
    WatchEntry("高橋一郎", "official", "高橋", ("局長",)),
    WatchEntry("デジタルガレージ", "vendor", aliases=("Digital Garage",)),
    WatchEntry("NEC", "vendor", aliases=("日本電気",)),
    WatchEntry("NTT", "vendor"),
    WatchEntry("NTTデータ", "vendor"),
    WatchEntry("富士通", "vendor"),
    WatchEntry("ヤフー", "vendor"),
]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(ENTRIES)


def spans(result: TagResult) -> list[tuple[str, str]]:
    return [(m.entity, m.surface) for m in result.mentions]


@pytest.mark.parametrize("surface", ["宮坂学", "宮坂 学", "宮坂　学"])
def test_full_name_with_or_without_a_space(tagger: Tagger, surface: str) -> None:
    assert spans(tagger.tag(f"本日、{surface}副知事が出席した。")) == [("宮坂学", surface)]


@pytest.mark.parametrize(
    ("text", "surface"),
    [("宮坂副知事は", "宮坂副知事"), ("小池都知事と", "小池都知事"), ("小池知事が", "小池知事"),
     ("宮坂氏は", "宮坂氏"), ("宮坂前副知事の", "宮坂前副知事"), ("宮坂 副知事", "宮坂 副知事")],
)
def test_family_name_with_own_title_or_honorific(tagger: Tagger, text: str, surface: str) -> None:
    assert [m.surface for m in tagger.tag(text).mentions] == [surface]


@pytest.mark.parametrize(
    "text",
    ["宮坂神社の祭り", "小池の周りを歩く", "宮坂が来た", "高橋副知事という役職", "宮坂学園の卒業式", "宮坂さん一家"],
)
def test_bare_family_other_titles_and_longer_words_never_match(tagger: Tagger, text: str) -> None:
    assert tagger.tag(text).mentions == []


def test_full_name_glued_to_its_title_by_sudachi(tagger: Tagger) -> None:
    # Sudachi reads 森田|誠市|長; the name followed by its own title still counts.
    assert spans(tagger.tag("森田誠市長は会見した。")) == [("森田誠", "森田誠")]


def test_variant_kanji(tagger: Tagger) -> None:
    assert spans(tagger.tag("髙橋局長が答弁した。")) == [("高橋一郎", "髙橋局長")]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("株式会社デジタルガレージは", "デジタルガレージ"),
        ("デジタルガレージ株式会社は", "デジタルガレージ"),
        ("(株)デジタルガレージと", "デジタルガレージ"),
        ("（株）デジタルガレージと", "デジタルガレージ"),
        ("㈱デジタルガレージと", "デジタルガレージ"),
        ("デジタルガレージ(株)と", "デジタルガレージ"),
        ("株式会社 デジタルガレージと", "デジタルガレージ"),
        ("Digital Garage, Inc.と", "Digital Garage"),
        ("Digital Garage Co., Ltd.と", "Digital Garage"),
        ("ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ株式会社", "ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ"),
        ("ＮＥＣと", "ＮＥＣ"),
        ("日本電気株式会社は", "日本電気"),
    ],
)
def test_vendor_in_every_spelling(tagger: Tagger, text: str, surface: str) -> None:
    result = tagger.tag(text)
    assert [m.surface for m in result.mentions] == [surface]
    if "株" in text or "Inc" in text or "Ltd" in text:
        assert [o.watched for o in result.organizations] == [True]


@pytest.mark.parametrize(
    "text",
    ["NECTARの新製品", "デジタル技術とガレージ", "デジタルなガレージ", "デジタルガレージシャッターを発売",
     "富士通Japan株式会社が受注", "NTTデータ関西株式会社が受注"],
)
def test_token_and_word_boundaries(tagger: Tagger, text: str) -> None:
    assert tagger.tag(text).mentions == []


def test_group_of_a_watched_company_is_a_mention(tagger: Tagger) -> None:
    assert spans(tagger.tag("デジタルガレージグループの決算")) == [("デジタルガレージ", "デジタルガレージ")]


def test_longest_name_wins(tagger: Tagger) -> None:
    assert spans(tagger.tag("NTTデータが受注した。")) == [("NTTデータ", "NTTデータ")]
    assert spans(tagger.tag("ＮＴＴデータ株式会社とNTT")) == [("NTTデータ", "ＮＴＴデータ"), ("NTT", "NTT")]


def test_context_is_the_sentence(tagger: Tagger) -> None:
    text = "前文です。宮坂副知事は会見した！次の文。\n次の行"
    (mention,) = tagger.tag(text).mentions
    assert mention.context == "宮坂副知事は会見した！"


def test_unknown_company_is_listed_unwatched(tagger: Tagger) -> None:
    result = tagger.tag("本日、丸紅株式会社と富士通Japan株式会社が受注した。")
    assert [(o.name, o.watched) for o in result.organizations] == [("丸紅", False), ("富士通Japan", False)]


def test_to_dict_is_the_json_shape_of_the_cli(tagger: Tagger) -> None:
    text = "宮坂副知事は、ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ株式会社と１６，５０６，８７５円で令和3年5月14日に契約した。"
    data = json.loads(json.dumps(tagger.tag(text).to_dict(), ensure_ascii=False))
    assert set(data) == {"mentions", "amounts", "organizations", "dates"}
    assert set(data["mentions"][0]) == {"entity", "kind", "surface", "start", "end", "context"}
    amount, company, date = "１６，５０６，８７５円", "ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ株式会社", "令和3年5月14日"
    assert data["amounts"] == [
        {"yen": 16506875, "surface": amount, "start": text.index(amount), "end": text.index(amount) + 11}
    ]
    assert data["organizations"] == [
        {"name": "デジタルガレージ", "surface": company, "start": 7, "end": 7 + len(company), "watched": True,
         "corporate_number": None}
    ]
    assert data["dates"] == [{"date": "2021-05-14", "surface": date, "start": 36, "end": 45}]
    assert text[36:45] == date


def test_long_text_beyond_sudachi_limit(tagger: Tagger) -> None:
    # One line of 120,000 characters (360 KB in UTF-8), far over Sudachi's 49,149-byte input limit.
    filler = "都民サービスの向上を図るため各種手続のオンライン化を進めます" * 4000
    text = filler + "宮坂副知事は丸紅株式会社と16,506,875円で契約" + filler
    result = tagger.tag(text)
    assert spans(result) == [("宮坂学", "宮坂副知事")]
    assert [a.yen for a in result.amounts] == [16_506_875]
    assert [o.name for o in result.organizations] == ["丸紅"]
    mention = result.mentions[0]
    assert text[mention.start:mention.end] == "宮坂副知事"
    assert len(mention.context) < 400


def test_empty_watch_list_still_finds_amounts_companies_and_dates() -> None:
    result = Tagger([]).tag("丸紅株式会社と令和3年5月14日に3億円で契約")
    assert result.mentions == []
    assert [o.name for o in result.organizations] == ["丸紅"]
    assert [a.yen for a in result.amounts] == [300_000_000]
    assert [d.date for d in result.dates] == ["2021-05-14"]


FRAGMENTS = st.sampled_from(
    ["宮坂学", "宮坂 学", "宮坂副知事", "ﾃﾞｼﾞﾀﾙｶﾞﾚｰｼﾞ", "デジタルガレージ", "株式会社", "㈱", "（株）", "ＮＥＣ", "NECTAR",
     "16,506,875円", "１６，５０６，８７５円", "約3億円", "令和3年5月14日", "２０２６／２／１７", "。", "、", "\n", " ",
     "\u3000", "は", "と", "の", "丸紅", "ｶﾞ", "\u3099", "\ufe00", "Digital Garage, Inc.", "髙橋局長", "森田誠市長", "x"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(FRAGMENTS, max_size=25).map("".join))
def test_every_span_indexes_the_original_text(text: str) -> None:
    result = _SHARED.tag(text)
    for item in [*result.mentions, *result.amounts, *result.organizations, *result.dates]:
        assert text[item.start:item.end] == item.surface
    for mention in result.mentions:
        assert mention.surface in mention.context or "\n" in mention.surface


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_never_breaks_offsets(text: str) -> None:
    result = _SHARED.tag(text)
    for item in [*result.mentions, *result.amounts, *result.organizations, *result.dates]:
        assert text[item.start:item.end] == item.surface


def test_sudachi_spelling_variant_of_a_name() -> None:
    tagger = Tagger([WatchEntry("東都サーバ", "vendor"), WatchEntry("ナアル", "vendor")])
    assert [m.surface for m in tagger.tag("東都サーバーが受注した。").mentions] == ["東都サーバー"]
    assert tagger.tag("そうなる。").mentions == []  # ナアル is not read as the verb なる


def test_final_long_vowel_either_way() -> None:
    tagger = Tagger([WatchEntry("東都コンピューター", "vendor"), WatchEntry("北斗サーバ", "vendor")])
    expected = ["東都コンピューター", "北斗サーバ"]
    assert [m.entity for m in tagger.tag("東都コンピュータと北斗サーバーが受注").mentions] == expected
    assert [m.entity for m in tagger.tag("東都コンピューターと北斗サーバが受注").mentions] == expected


def test_lone_surrogate_and_astral_characters() -> None:
    text = "\ud800𠮷野家と宮坂副知事\U0001F600が丸紅株式会社へ"
    result = _SHARED.tag(text)
    assert [(m.surface, text[m.start:m.end]) for m in result.mentions] == [("宮坂副知事", "宮坂副知事")]
    assert [o.surface for o in result.organizations] == ["丸紅株式会社"]


_SHARED = Tagger(ENTRIES)
