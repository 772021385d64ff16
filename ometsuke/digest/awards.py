"""The digest's "Awards to watched vendors" section (ウォッチ対象企業の落札), in every format, and its notifications.

The section holds the awards first seen in the digest's window that went to a watched vendor (by 法人番号, or by
name when the registry says the name is unambiguous; see ometsuke/vendors.py). A winner without a 法人番号 (maybe a
private person) appears only when its name is on the watch list. Kept apart from build.py and the renderers, which
call in here, so that the section is one module.
"""

from __future__ import annotations

import hashlib
import html
from typing import Any

import sqlite_utils

from ometsuke.i18n import Texts
from ometsuke.vendors import awards_to_watched


def build_awards(db: sqlite_utils.Database, start: str, end: str | None) -> list[dict[str, Any]]:
    """The section's awards (JSON shape plus `id` and `first_seen`, which the JSON leaves out)."""
    return awards_to_watched(db, start, end)


def public(award: dict[str, Any]) -> dict[str, Any]:
    """As the digest's JSON gives it: {"case_number", "title", "decided", "yen", "ministry", "method", "vendor",
    "corporate_number", "watched"}."""
    return {key: award[key] for key in ("case_number", "title", "decided", "yen", "ministry", "method", "vendor",
                                        "corporate_number", "watched")}


def headline(award: dict[str, Any], say: Texts) -> str:
    amount = say.yen(award["yen"]) if award["yen"] is not None else "-"
    return say("award_headline", vendor=award["vendor"], title=award["title"] or award["case_number"], amount=amount)


def details(award: dict[str, Any], say: Texts) -> list[str]:
    """Ministry, method, decision date, case number, who on the watch list it is, the number."""
    parts = [p for p in (award["ministry"], award["method"]) if p]
    if award["decided"]:
        parts.append(say("award_decided", date=say.date(award["decided"])))
    parts.append(say("award_case", number=award["case_number"]))
    if award["watched"] and award["watched"] != award["vendor"]:
        parts.append(say("award_watched", name=award["watched"]))
    if award["corporate_number"]:
        parts.append(f"法人番号 {award['corporate_number']}")
    return parts


def markdown(awards: list[dict[str, Any]], say: Texts, escape: Any) -> list[str]:
    if not awards:
        return []
    out = [f"## {say('awards')} ({len(awards)})", ""]
    for award in awards:
        out.append(f"- **{escape(headline(award, say))}** — " + " · ".join(escape(p) for p in details(award, say)))
    out += ["", f"_{say('award_credit')}_", ""]
    return out


def html_section(awards: list[dict[str, Any]], say: Texts) -> str:
    """The section as HTML (every value escaped), for the page template."""
    if not awards:
        return ""
    esc = html.escape
    items = "".join(
        f'<li class="item award"><div class="headline">{esc(headline(award, say))}</div>'
        f'<div class="meta">{esc(" · ".join(details(award, say)))}</div></li>'
        for award in awards
    )
    return (f"<h2>{esc(say('awards'))} ({len(awards)})</h2>\n<ul>{items}</ul>\n"
            f'<p class="note">{esc(say("award_credit"))}</p>')


def entry_id(award: dict[str, Any]) -> str:
    """One feed id per award (case and winner) and its values: the same award rendered again keeps it."""
    key = "\x00".join(str(award[k]) for k in ("case_number", "vendor", "decided", "yen", "title"))
    return f"urn:ometsuke:award:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


def atom_entries(awards: list[dict[str, Any]], say: Texts) -> list[dict[str, str]]:
    """Each award as an Atom entry's parts (id, title, updated, content as HTML, category)."""
    return [{
        "id": entry_id(award), "title": f"{say('label_award')} {headline(award, say)}",
        "updated": award.get("first_seen") or "", "category": "award",
        "content": f"<p>{html.escape(' · '.join(details(award, say)))}</p>"
                   f"<p>{html.escape(say('award_credit'))}</p>",
    } for award in awards]


def notification_lines(awards: list[dict[str, Any]], say: Texts) -> list[str]:
    """The section in the digest's chat message."""
    if not awards:
        return []
    return [f"■ {say('awards')} ({len(awards)})"] + [f"・{headline(award, say)}" for award in awards]
