"""The texts users read (digest, mail subject, notifications) in their language: one catalogue per language.

A plain table per language (en.py, ja.py) rather than gettext: two languages, about a hundred short strings, no
plural forms that Japanese needs, and no compile step (.po → .mo) for packaging or for a contributor; a test
checks that every catalogue has the same keys. Dates and amounts are written as each language's readers write
them: 2026年12月2日（水）, 16,506,875円.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from db.clock import to_jst
from db.health import Reason, render_reason
from ometsuke.i18n import en, ja

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
CATALOGUES: dict[str, dict[str, str]] = {"en": en.TEXTS, "ja": ja.TEXTS}
_WEEKDAYS_JA = "月火水木金土日"


class Texts:
    """One language's texts: `texts("alerts")`, `texts("seen", moment=…)`, plus dates and amounts."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        if language not in CATALOGUES:
            raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
        self.language = language
        self.catalogue = CATALOGUES[language]

    def __call__(self, key: str, **values: Any) -> str:
        return self.catalogue[key].format(**values)

    def date(self, day: dt.date | str | None) -> str:
        """'2026年12月2日（水）' in Japanese; ISO '2026-12-02' in English (and a date that is not ISO as it is)."""
        if not day:
            return ""
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day) if len(day) == 10 else day
            except ValueError:
                pass
            if isinstance(day, str):
                return day
        if self.language == "ja":
            return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS_JA[day.weekday()]}）"
        return day.isoformat()

    def moment(self, timestamp: str | None) -> str:
        """A stored UTC timestamp in Japan time: '2026年11月27日（金）9:30' / '2026-11-27 09:30 JST'."""
        if not timestamp:
            return ""
        local = to_jst(timestamp)
        if self.language == "ja":
            return f"{self.date(local.date())}{local.hour}:{local.minute:02d}"
        return local.strftime("%Y-%m-%d %H:%M JST")

    def yen(self, amount: int) -> str:
        """'16,506,875円' / '¥16,506,875'."""
        return f"{amount:,}円" if self.language == "ja" else f"¥{amount:,}"

    def health(self, health: str) -> str:
        return self.catalogue.get(f"health_{health}", health)

    def reason(self, detail: str | Sequence[Reason] | None, stored: str | None) -> str:
        """A run's health reason in this language from its parts (runs.health_detail, JSON); a run stored before
        parts were kept, or with a part this catalogue does not know, shows its stored (English) reason."""
        if not detail:
            return stored or ""
        try:
            parts = json.loads(detail) if isinstance(detail, str) else detail
            return render_reason(parts, self.catalogue, self.catalogue["reason_sep"], prefix="reason_")
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return stored or ""

    def kind(self, kind: str) -> str:
        """A watched entity's kind (official, vendor) as the reader says it."""
        return self.catalogue.get(f"kind_{kind}", kind)


def texts(language: str | None = None) -> Texts:
    return Texts(language or DEFAULT_LANGUAGE)
