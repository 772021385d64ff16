"""Watch-list entries: the officials and vendors a user wants to follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

WatchKind = Literal["official", "vendor"]
WATCH_KINDS: tuple[str, ...] = ("official", "vendor")


@dataclass(frozen=True)
class WatchEntry:
    """One watched person or organisation.

    family + titles let "宮坂副知事" match 宮坂学 without ever matching a bare 宮坂;
    affiliations tie a person to organisations for `ometsuke connections`.
    """

    name: str
    kind: str
    family: str | None = None
    titles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
