"""The digest as Markdown: what `ometsuke digest` prints and the text part of the e-mail.

Scraped text is backslash-escaped so a title cannot inject links or formatting; diffs use git's word-diff
markers [-removed-]{+added+}, which read unambiguously in a terminal and in rendered Markdown alike.
"""

from __future__ import annotations

import re

from ometsuke.diffing import mark_inline
from ometsuke.digest import awards
from ometsuke.digest.model import Digest, Item
from ometsuke.i18n import Texts, texts

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape(text: str | None) -> str:
    """Backslash-escape Markdown syntax and fold line breaks (scraped text is one line in a list item)."""
    return _SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def link(title: str, url: str) -> str:
    safe_url = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{escape(title)}](<{safe_url}>)"


def item_meta(item: Item, say: Texts) -> list[str]:
    """Source, publication date and when it was seen (or found removed), in the reader's language."""
    parts = [item.source]
    if item.published:
        parts.append(say("published", date=say.date(item.published)))
    parts.append(say("seen" if item.kind != "removed" else "removed_at", moment=item.at_jst))
    return parts


def _item_header(item: Item, say: Texts) -> str:
    return f"{link(item.title, item.url)} — " + " · ".join(escape(p) for p in item_meta(item, say))


def _tags(item: Item, say: Texts) -> list[str]:
    lines = []
    for entity in item.entities():
        surfaces = ", ".join(escape(s) for s in entity["surfaces"])
        lines.append(f"  - {escape(entity['entity'])} ({say.kind(entity['kind'])}): {surfaces}")
    if item.amounts:
        lines.append(f"  - {say('amounts')}: " + ", ".join(say.yen(a["yen"]) for a in item.amounts[:8])
                     + (", " + say("more", count=len(item.amounts) - 8) if len(item.amounts) > 8 else ""))
    return lines


def _diff_lines(item: Item, say: Texts) -> list[str]:
    lines = []
    if item.diff is None:
        return lines
    for line in item.shown_lines():
        where = "" if line.part == "body" else say(f"{line.part}_label") + " "
        if line.kind == "added":
            lines.append(f"  + {where}{escape(line.new)}")
        elif line.kind == "removed":
            lines.append(f"  - {where}{escape(line.old)}")
        else:
            marked = mark_inline(line.old or "", line.new or "", escape=escape)
            lines.append(f"  ~ {where}{marked}")
    if item.hidden_lines:
        lines.append(f"  {say('more_changed', count=item.hidden_lines)}: {say('see_diff')}")
    return lines


def render_markdown(digest: Digest) -> str:
    say = texts(digest.language)
    out = [f"# {escape(digest.title)}", ""]
    if digest.empty:
        out.append(say("nothing"))
        return "\n".join(out) + "\n"
    if digest.alerts:
        out += [f"## {say('alerts')} ({len(digest.alerts)})", ""]
        for alert in digest.alerts:
            out.append(f"- {_item_header(alert.item, say)}")
            out += [f"  - **{escape(finding.headline)}**" for finding in alert.findings]
            out += [f"  > {escape(quote)}" for quote in alert.quotes]
        out.append("")
    out += awards.markdown(digest.awards, say, escape)
    if digest.sources:
        out += [f"## {say('sources_not_seen')} ({len(digest.sources)})", ""]
        for source in digest.sources:
            out.append(f"- **{escape(source.name)}** — {escape(source.status)}: {escape(source.reason)}")
        out.append("")
    if digest.quiet:
        out.append(say("nothing"))
        return "\n".join(out).rstrip() + "\n"
    if digest.new:
        out += [f"## {say('new')} ({digest.new_count})", ""]
        for source, items in digest.new.items():
            out += [f"### {escape(source)} ({len(items)})", ""]
            for item in items:
                out.append(f"- {_item_header(item, say)}")
                out += _tags(item, say)
            out.append("")
    if digest.changed:
        out += [f"## {say('changed')} ({len(digest.changed)})", ""]
        for item in digest.changed:
            out.append(f"- {_item_header(item, say)}")
            out += _diff_lines(item, say)
        out.append("")
    if digest.removed:
        out += [f"## {say('removed')} ({len(digest.removed)})", ""]
        out += [f"- {_item_header(item, say)}" for item in digest.removed]
        out.append("")
    if digest.noise_suppressed:
        out.append(f"_{say('noise', count=len(digest.noise_suppressed))}_")
    return "\n".join(out).rstrip() + "\n"
