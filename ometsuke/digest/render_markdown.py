"""The digest as Markdown: what `ometsuke digest` prints and the text part of the e-mail.

Scraped text is backslash-escaped so a title cannot inject links or formatting; diffs use git's word-diff
markers [-removed-]{+added+}, which read unambiguously in a terminal and in rendered Markdown alike.
"""

from __future__ import annotations

import re

from ometsuke.diffing import mark_inline
from ometsuke.digest.model import Digest, Item

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
NOTHING = "Nothing new, changed or removed."
SOURCES_HEADING = "Sources not seen"


def escape(text: str | None) -> str:
    """Backslash-escape Markdown syntax and fold line breaks (scraped text is one line in a list item)."""
    return _SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def link(title: str, url: str) -> str:
    safe_url = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{escape(title)}](<{safe_url}>)"


def _yen(yen: int) -> str:
    return f"¥{yen:,}"


def _item_header(item: Item) -> str:
    parts = [item.source]
    if item.published:
        parts.append(f"published {item.published}")
    parts.append(f"seen {item.at_jst}" if item.kind != "removed" else f"removed {item.at_jst}")
    return f"{link(item.title, item.url)} — " + " · ".join(escape(p) for p in parts)


def _tags(item: Item) -> list[str]:
    lines = []
    for entity in item.entities():
        surfaces = ", ".join(escape(s) for s in entity["surfaces"])
        lines.append(f"  - {escape(entity['entity'])} ({entity['kind']}): {surfaces}")
    if item.amounts:
        lines.append("  - amounts: " + ", ".join(_yen(a["yen"]) for a in item.amounts[:8])
                     + (f", … {len(item.amounts) - 8} more" if len(item.amounts) > 8 else ""))
    return lines


def _diff_lines(item: Item) -> list[str]:
    lines = []
    if item.diff is None:
        return lines
    for line in item.shown_lines():
        where = "" if line.part == "body" else f"{line.part}: "
        if line.kind == "added":
            lines.append(f"  + {where}{escape(line.new)}")
        elif line.kind == "removed":
            lines.append(f"  - {where}{escape(line.old)}")
        else:
            marked = mark_inline(line.old or "", line.new or "", escape=escape)
            lines.append(f"  ~ {where}{marked}")
    if item.hidden_lines:
        lines.append(f"  … {item.hidden_lines} more changed sentence(s): see `ometsuke diff`")
    return lines


def render_markdown(digest: Digest) -> str:
    out = [f"# {escape(digest.title)}", ""]
    if digest.empty:
        out.append(NOTHING)
        return "\n".join(out) + "\n"
    if digest.alerts:
        out += [f"## Alerts ({len(digest.alerts)})", ""]
        for alert in digest.alerts:
            out.append(f"- {_item_header(alert.item)}")
            out += [f"  - **{escape(finding.headline)}**" for finding in alert.findings]
            out += [f"  > {escape(quote)}" for quote in alert.quotes]
        out.append("")
    if digest.sources:
        out += [f"## {SOURCES_HEADING} ({len(digest.sources)})", ""]
        for source in digest.sources:
            out.append(f"- **{escape(source.name)}** — {escape(source.status)}: {escape(source.reason)}")
        out.append("")
    if digest.quiet:
        out.append(NOTHING)
        return "\n".join(out).rstrip() + "\n"
    if digest.new:
        out += [f"## New documents ({digest.new_count})", ""]
        for source, items in digest.new.items():
            out += [f"### {escape(source)} ({len(items)})", ""]
            for item in items:
                out.append(f"- {_item_header(item)}")
                out += _tags(item)
            out.append("")
    if digest.changed:
        out += [f"## Changed documents ({len(digest.changed)})", ""]
        for item in digest.changed:
            out.append(f"- {_item_header(item)}")
            out += _diff_lines(item)
        out.append("")
    if digest.removed:
        out += [f"## Removed documents ({len(digest.removed)})", ""]
        out += [f"- {_item_header(item)}" for item in digest.removed]
        out.append("")
    if digest.noise_suppressed:
        out.append(f"_{len(digest.noise_suppressed)} change(s) only in volatile text (update dates, counters) "
                   "not shown._")
    return "\n".join(out).rstrip() + "\n"
