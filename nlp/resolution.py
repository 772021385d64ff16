"""Organisations resolved to a corporate number (法人番号) — only when exactly one registered company fits.

The tagger finds 「株式会社ミライ」; a registry look-up (passed in: nlp does not import db) lists every company with
that name, current or former. The text may say where it is: 「株式会社ミライ（東京都渋谷区）」, 「本社：大阪府大阪市」
or 「所在地　大阪市北区…」 beside the name. A candidate whose legal form differs from the one written, or whose
prefecture or city contradicts the place stated, does not fit. One fitting candidate: resolved. None or several
(two 株式会社ミライ and no place, or a place neither fits): unresolved. Never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from nlp.company_names import company_key
from nlp.organizations import Organization
from textutil.width import fold_width


class RegisteredCompany(Protocol):
    """What a look-up returns per candidate (db.registry.Match has these attributes)."""

    corporate_number: str
    matched_name: str
    prefecture: str | None
    city: str | None


Lookup = Callable[[str], Sequence[RegisteredCompany]]

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
    "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
    "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
    "宮崎県", "鹿児島県", "沖縄県",
)
_PREFECTURE = "|".join(PREFECTURES)
# A place: a prefecture, then optionally a city (…市, …区, …郡…町/村); or a city alone.
_CHAR = r"[^\s、。，,（）()「」：:・]"
_CITY = rf"{_CHAR}{{1,8}}?(?:市{_CHAR}{{1,5}}?区|市|区|郡{_CHAR}{{1,5}}?[町村]|町|村)"
_PLACE = rf"(?P<prefecture>{_PREFECTURE})?(?P<city>{_CITY})?"
# Directly after the name: 「（東京都渋谷区）」, 「(本社：大阪市)」.
_PAREN = re.compile(rf"[ \u3000]*[（(](?:(?:本社|本店)(?:所在地)?[ \u3000]*[：:]?[ \u3000]*)?{_PLACE}")
# Labelled, in the lines after the name: 「本社：大阪府大阪市」, 「所在地　東京都港区…」, 「住所: …」.
_LABELLED = re.compile(rf"(?:本社|本店|所在地|住所)(?:所在地)?[ \u3000]*[：:]?[ \u3000]*{_PLACE}")
WINDOW_CHARS = 80  # how far after a name its place may be stated (a release's company block is a few lines)


@dataclass(frozen=True)
class Place:
    prefecture: str | None
    city: str | None

    def fits(self, company: RegisteredCompany) -> bool:
        if self.prefecture and company.prefecture != self.prefecture:
            return False
        if self.city:
            registered = company.city or ""
            return registered.startswith(self.city) or (bool(registered) and self.city.startswith(registered))
        return True


def _place(match: re.Match[str] | None) -> Place | None:
    if match is None or not (match.group("prefecture") or match.group("city")):
        return None
    return Place(match.group("prefecture"), match.group("city"))


def stated_place(text: str, org: Organization, window_end: int | None = None) -> Place | None:
    """The place the text gives for this organisation: in brackets right after it, else labelled (本社, 所在地)
    after it, before the next organisation (`window_end`) and within WINDOW_CHARS."""
    folded = fold_width(text)  # same length: offsets stay valid
    found = _place(_PAREN.match(folded, org.end))
    if found is not None:
        return found
    end = min(len(text), org.end + WINDOW_CHARS, window_end if window_end is not None else len(text))
    return _place(_LABELLED.search(folded, org.end, end))


def fitting(org: Organization, candidates: Sequence[RegisteredCompany], place: Place | None
            ) -> list[RegisteredCompany]:
    """The candidates that fit the written legal form (when both have one) and the stated place."""
    _, form = company_key(org.surface)
    by_number: dict[str, RegisteredCompany] = {}
    for company in candidates:
        registered_form = company_key(company.matched_name)[1]
        if form and registered_form and registered_form != form:
            continue
        if place is not None and not place.fits(company):
            continue
        by_number.setdefault(company.corporate_number, company)
    return list(by_number.values())


def resolve_organizations(text: str, organizations: Sequence[Organization], lookup: Lookup) -> list[Organization]:
    """The organisations with `corporate_number` set where exactly one registered company fits."""
    resolved = []
    for index, org in enumerate(organizations):
        if org.corporate_number:
            resolved.append(org)
            continue
        candidates = lookup(org.surface)
        if not candidates:  # nothing registered under the name (or no registry): the place need not be read
            resolved.append(org)
            continue
        following = organizations[index + 1].start if index + 1 < len(organizations) else None
        fits = fitting(org, candidates, stated_place(text, org, following))
        resolved.append(replace(org, corporate_number=fits[0].corporate_number) if len(fits) == 1 else org)
    return resolved
