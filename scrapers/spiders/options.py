"""Every [[source]] option a spider takes, with its type and default, declared once (city-scrapers style).

Each spider class reads its options from here (`SourceSpider.options`, `SourceSpider.option(key)`), and the config
check reads the same declarations, so a key, its type and its default cannot disagree between the two; the README's
[[source]] table is checked against them (tests/test_docs.py). This module imports nothing of Scrapy on purpose:
`ometsuke.config` loads it on every command, and importing the spider modules would cost about a second.

A new spider: its module in scrapers/spiders/ (a `SourceSpider` with a `name`), its options here under that name
(an empty dict if it has none), and its test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Syntax = Literal["css", "regex", "revisit"]


@dataclass(frozen=True)
class Option:
    """One [[source]] key: its TOML type, how a wrong value is described, its default and what it is for."""

    type: type | tuple[type, ...]
    description: str  # in errors: 'key "next" must be a CSS selector, not int 3'
    default: Any
    help: str
    syntax: Syntax | None = None  # checked at config load: a CSS selector, regular expressions, a revisit table


LIST_OF_STR = "a list of strings"  # a list whose items must be non-empty strings (the config check knows it)
# pportal: the 調達ポータル download address, {file} where the day file's name goes (its default `urls`)
PPORTAL_URL = "https://api.p-portal.go.jp/pps-web-biz/UAB03/OAB0301?fileversion=v001&filename={file}"

# Keys every spider takes (SourceSpider).
SOURCE_OPTIONS: dict[str, Option] = {
    "allowed_domains": Option(list, LIST_OF_STR, (), "hosts besides those of `urls` that may be fetched"),
    "ignore": Option(list, LIST_OF_STR, (), "changes confined to text matching these are not reported",
                     syntax="regex"),
    "attachments": Option(bool, "true or false", True, "fetch linked PDF/Excel attachments and store their text"),
    "revisit": Option(dict, "a table", None, "when known releases are rechecked, by age in days",
                      syntax="revisit"),
}

# Each spider's own keys, by spider name (the config's `spider = …`), in the order the README lists the spiders.
SPIDER_OPTIONS: dict[str, dict[str, Option]] = {
    "tokyo_press": {
        "max_list_pages": Option(int, "an integer", 2, "how many monthly list pages to follow, newest first"),
    },
    "newsroom": {
        "follow": Option(str, "a CSS selector", None, "links to releases on a list page", syntax="css"),
        "next": Option(str, "a CSS selector", None, "link to the next list page", syntax="css"),
        "max_list_pages": Option(int, "an integer", 5, "how many list pages to follow"),
        "awards": Option(bool, "true or false", False, "contract tables on its releases become award rows"),
    },
    "feed": {
        "follow_links": Option(bool, "true or false", True, "fetch each entry's page (false stores the entries)"),
    },
    "page": {
        "awards": Option(bool, "true or false", False, "contract tables on the page become award rows"),
    },
    "pportal": {
        "days": Option(int, "a number of days", 60, "how many days back the first crawl asks for day files"),
    },
}


def options_of(spider: str) -> dict[str, Option]:
    """Every key a source of this spider takes: the common ones, then the spider's own."""
    return {**SOURCE_OPTIONS, **SPIDER_OPTIONS[spider]}
