"""The matching key of a registered organisation name: what stays when width, case, variant kanji, spacing and
the legal form (and where it is written) are taken away.

株式会社ＮＴＴデータ, NTTデータ株式会社, ㈱NTTデータ, （株）ＮＴＴ データ and NTTデータ(株) all have the key
「nttデータ」, so one look-up in the registry finds them. The legal form is returned beside the key: it ranks
candidates (a 有限会社 asked for prefers a 有限会社) without splitting them.
"""

from __future__ import annotations

import re

from nlp.normalize import normalize_key

# Legal forms as they read after normalize_key (NFKC: ㈱ and （株） become (株)). Longest first, so that
# 医療法人社団 is not read as 医療法人 + 社団.
LEGAL_FORMS: tuple[str, ...] = tuple(sorted((
    "株式会社", "有限会社", "合同会社", "合名会社", "合資会社", "相互会社",
    "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "特定非営利活動法人", "npo法人",
    "医療法人社団", "医療法人財団", "医療法人", "社会福祉法人", "学校法人", "宗教法人", "独立行政法人",
    "地方独立行政法人", "国立大学法人", "国立研究開発法人", "弁護士法人", "税理士法人", "監査法人", "司法書士法人",
    "行政書士法人", "特許業務法人", "社会保険労務士法人", "農事組合法人", "協同組合", "事業協同組合",
    "(株)", "(有)", "(同)", "(名)", "(資)", "(合)", "(一社)", "(一財)", "(公社)", "(公財)", "(特非)",
    "(医)", "(福)", "(学)", "(宗)", "(独)", "(社)", "(財)",
), key=len, reverse=True))
# Forms by their first and by their last character (longest first): one dict probe and a startswith or two per
# name, instead of a regex alternation of fifty forms that an end-anchored search tries at every position
# (the registry import keys millions of names).
_BY_FIRST: dict[str, tuple[str, ...]] = {}
_BY_LAST: dict[str, tuple[str, ...]] = {}
for _form in LEGAL_FORMS:
    _BY_FIRST[_form[0]] = (*_BY_FIRST.get(_form[0], ()), _form)
    _BY_LAST[_form[-1]] = (*_BY_LAST.get(_form[-1], ()), _form)
# Abbreviations read as the form they abbreviate, so that ㈱X and 株式会社X rank alike.
_CANONICAL = {
    "(株)": "株式会社", "(有)": "有限会社", "(同)": "合同会社", "(名)": "合名会社", "(資)": "合資会社",
    "(一社)": "一般社団法人", "(一財)": "一般財団法人", "(公社)": "公益社団法人", "(公財)": "公益財団法人",
    "(特非)": "特定非営利活動法人", "npo法人": "特定非営利活動法人", "(医)": "医療法人", "(福)": "社会福祉法人",
    "(学)": "学校法人", "(宗)": "宗教法人", "(独)": "独立行政法人",
}


def company_key(name: str) -> tuple[str, str]:
    """(key, legal form) of an organisation name; the form is "" when none is written.

    One legal form is taken from the front or, failing that, from the end. A name that is only a legal form
    keeps it as its key (never an empty key that would match everything).
    """
    key = normalize_key(name)
    if " " in key or "\t" in key:  # NFKC already made the ideographic space ASCII; line breaks never occur
        key = "".join(key.split())
    if not key:
        return key, ""
    for form in _BY_FIRST.get(key[0], ()):
        if key.startswith(form) and len(form) < len(key):
            return key[len(form):], _CANONICAL.get(form, form)
    for form in _BY_LAST.get(key[-1], ()):
        if key.endswith(form) and len(form) < len(key):
            return key[: -len(form)], _CANONICAL.get(form, form)
    return key, ""


# The version of name_key: bump it in the same commit as any change to what name_key returns (a new variant
# kanji, a legal form, another width rule). The registry stores keys with the version that made them, and stored
# keys of another version are made again before a look-up uses them (ometsuke/registry.py current_keys).
NAME_KEY_VERSION = 1


def name_key(name: str) -> str:
    """Just the key of company_key: what the registry stores and indexes (see NAME_KEY_VERSION)."""
    return company_key(name)[0]


def bare_name(name: str) -> str:
    """The name as written, without a leading or trailing legal form (「株式会社ＮＴＴデータ」 → 「ＮＴＴデータ」).

    For aliases: the tagger finds companies by their legal form and matches the name beside it.
    """
    stripped = name.strip()
    for pattern in (_LEADING_RAW, _TRAILING_RAW):
        match = pattern.search(stripped)
        if match and match.group() != stripped:
            return (stripped[: match.start()] + stripped[match.end():]).strip(" \u3000")
    return stripped


_RAW_FORMS = r"株式会社|有限会社|合同会社|合名会社|合資会社|[(（]\s*[株有同]\s*[)）]|㈱|㈲"
_LEADING_RAW = re.compile(rf"^(?:{_RAW_FORMS})[ \u3000]*")
_TRAILING_RAW = re.compile(rf"[ \u3000]*(?:{_RAW_FORMS})$")
