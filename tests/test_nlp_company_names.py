"""The registry's matching key: width, case, spacing, variant kanji and the legal form (and where it is written) do
not change it; the form is returned beside it, abbreviations read as the form they abbreviate."""

from __future__ import annotations

import pytest

from nlp.company_names import bare_name, company_key, name_key


@pytest.mark.parametrize("name", [
    "株式会社ＮＴＴデータ", "NTTデータ株式会社", "㈱NTTデータ", "（株）ＮＴＴ データ", "NTTデータ(株)",
    "ＮＴＴデータ（株）",
    "株式会社　ＮＴＴデータ",
])
def test_every_way_of_writing_a_kabushiki_kaisha_has_one_key(name: str) -> None:
    assert company_key(name) == ("nttデータ", "株式会社")


@pytest.mark.parametrize(("name", "key", "form"), [
    ("有限会社ミライ", "ミライ", "有限会社"),
    ("㈲ミライ", "ミライ", "有限会社"),
    ("Ｐｏｌｅ＆Ｌｉｎｅ合同会社", "pole&line", "合同会社"),
    ("医療法人社団ミライ会", "ミライ会", "医療法人社団"),  # the longer form, not 医療法人 + 社団ミライ会
    ("一般社団法人日本ミライ協会", "日本ミライ協会", "一般社団法人"),
    ("髙橋建設株式会社", "高橋建設", "株式会社"),
    ("齋藤工業", "斎藤工業", ""),
    ("鳥取簡易裁判所", "鳥取簡易裁判所", ""),
    ("株式会社", "株式会社", ""),  # a name that is only a form keeps it: never an empty key
    ("", "", ""),
])
def test_keys_and_forms(name: str, key: str, form: str) -> None:
    assert company_key(name) == (key, form)
    assert name_key(name) == key


@pytest.mark.parametrize(("name", "bare"), [
    ("株式会社ＮＴＴデータ", "ＮＴＴデータ"), ("NTTデータ 株式会社", "NTTデータ"), ("（株）ミライ", "ミライ"),
    ("鳥取簡易裁判所", "鳥取簡易裁判所"), ("株式会社", "株式会社"),
])
def test_bare_name_drops_the_form_and_keeps_the_writing(name: str, bare: str) -> None:
    assert bare_name(name) == bare
