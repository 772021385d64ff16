"""Japanese tagging for ometsuke: watched officials and vendors, yen amounts, dates, companies.

A plain library (no Scrapy). Spiders may import only `nlp.dates`, which does not load Sudachi.
"""

from nlp.amounts import Amount, find_amounts
from nlp.dates import DateMention, find_dates
from nlp.organizations import Organization, find_organizations
from nlp.tagger import Mention, Tagger, TagResult

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
