"""Japanese tagging for ometsuke: watched officials and vendors, yen amounts, dates, companies.

A plain library (no Scrapy). Names are imported lazily so that `import nlp` does not pull in SudachiPy until
the tagger is used. Date parsing itself lives in `textutil.dates` (extraction uses it too); it is exported here
because dates are part of what the tagger finds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Amount": "nlp.amounts",
    "find_amounts": "nlp.amounts",
    "DateMention": "textutil.dates",
    "find_dates": "textutil.dates",
    "Organization": "nlp.organizations",
    "find_organizations": "nlp.organizations",
    "Mention": "nlp.tagger",
    "TagResult": "nlp.tagger",
    "Tagger": "nlp.tagger",
}
__all__ = [
    "Amount",
    "DateMention",
    "Mention",
    "Organization",
    "TagResult",
    "Tagger",
    "find_amounts",
    "find_dates",
    "find_organizations",
]

if TYPE_CHECKING:
    from nlp.amounts import Amount, find_amounts
    from nlp.organizations import Organization, find_organizations
    from nlp.tagger import Mention, Tagger, TagResult
    from textutil.dates import DateMention, find_dates


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
