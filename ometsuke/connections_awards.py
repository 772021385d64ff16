"""The awards of a watched vendor as evidence in a `connections` timeline (issue 13): dated by 落札決定日.

Kept apart from ometsuke/connections.py, which calls `award_evidence` once per entity of the pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlite_utils

from db import vendors as store
from nlp.watchlist import ORGANISATION, role_of
from ometsuke.i18n import Texts
from ometsuke.vendors import watched_identities

if TYPE_CHECKING:
    from ometsuke.connections import Evidence

AWARD_SOURCE = "調達ポータル"


def award_evidence(db: sqlite_utils.Database, entity: dict[str, Any], say: Texts) -> list[Evidence]:
    """The awards to this watched vendor (by its number, or by a name the registry says is unambiguous); the
    detail in `say`'s language."""
    from ometsuke.connections import Evidence

    if role_of(entity.get("kind") or "") != ORGANISATION:
        return []
    identity = next((i for i in watched_identities(db) if i.entity_id == entity["id"]), None)
    if identity is None or not identity.numbers:
        return []
    return [
        Evidence("award", award["decided"] or "", AWARD_SOURCE, "", award["title"] or award["case_number"], 0, True,
                 say("connections_award_detail", vendor=entity["name"],
                     title=award["title"] or award["case_number"], number=award["case_number"],
                     ministry=award["ministry"] or "-", method=award["method"] or "-"),
                 [], award["yen"])
        for award in store.awards_by_number(db, identity.numbers)
    ]
