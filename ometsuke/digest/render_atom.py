"""The digest as an Atom feed: one entry per alert card (category `alert`), per source not seen (category
`source-health`) and per document change, with ids that never change for the same event.

Built with ElementTree so every scraped string is escaped as XML; characters XML 1.0 forbids (stray control
characters from broken pages) are dropped rather than producing a feed no reader can parse.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET

from ometsuke.diffing import mark_inline
from ometsuke.digest import awards
from ometsuke.digest.model import Alert, Digest, Item, SourceHealth
from ometsuke.digest.render_html import safe_url
from ometsuke.i18n import Texts, texts

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:ometsuke:digest"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def entry_html(item: Item, say: Texts | None = None) -> str:
    """The entry's content as (escaped) HTML: tags of a new page, sentence diff of a changed one."""
    say = say or texts()
    esc = html.escape
    parts = [f"<p>{esc(item.source)} · {esc(item.at_jst)}"
             + (f" · {esc(say('published', date=say.date(item.published)))}" if item.published else "") + "</p>"]
    if item.kind == "new":
        entities = [f"{esc(e['entity'])} ({esc(', '.join(e['surfaces']))})" for e in item.entities()]
        if entities:
            parts.append(f"<p>{esc(say('mentions'))}: " + "; ".join(entities) + "</p>")
        if item.amounts:
            parts.append(f"<p>{esc(say('amounts'))}: " + ", ".join(say.yen(a["yen"]) for a in item.amounts[:8])
                         + "</p>")
    elif item.kind == "changed" and item.diff is not None:
        rows = []
        for line in item.shown_lines():
            if line.kind == "added":
                rows.append(f"<li>+ <ins>{esc(line.new or '')}</ins></li>")
            elif line.kind == "removed":
                rows.append(f"<li>− <del>{esc(line.old or '')}</del></li>")
            else:
                marked = mark_inline(line.old or "", line.new or "", escape=esc,
                                     deleted=("<del>", "</del>"), inserted=("<ins>", "</ins>"))
                rows.append(f"<li>~ {marked}</li>")
        if item.hidden_lines:
            rows.append(f"<li>{esc(say('more_changed', count=item.hidden_lines))}</li>")
        parts.append("<ul>" + "".join(rows) + "</ul>")
    else:
        parts.append(f"<p>{esc(say('page_gone'))}</p>")
    return "".join(parts)


def alert_html(alert: Alert) -> str:
    """An alert card's content: each finding, then the sentences that show them."""
    esc = html.escape
    findings = "".join(f"<li><b>{esc(finding.headline)}</b></li>" for finding in alert.findings)
    quotes = "".join(f"<blockquote>{esc(quote)}</blockquote>" for quote in alert.quotes)
    return f"<p>{esc(alert.item.source)} · {esc(alert.item.at_jst)}</p><ul>{findings}</ul>{quotes}"


def source_entry_id(source: SourceHealth, digest: Digest) -> str:
    """One id per source, streak and digest period: a source failing for days is a new entry every day."""
    key = "\x00".join((source.name, source.health, source.failing_since or "", digest.start))
    return f"urn:ometsuke:source:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


def render_atom(digest: Digest) -> str:
    say = texts(digest.language)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", FEED_ID)
    _sub(feed, "title", digest.title)
    items = digest.items()
    moments = [i.at for i in items] + [s.last_run_at for s in digest.sources if s.last_run_at]
    _sub(feed, "updated", max(moments, default=digest.generated_at))
    author = _sub(feed, "author")
    _sub(author, "name", "ometsuke")
    _sub(feed, "generator", "ometsuke")
    for alert in digest.alerts:  # entries of their own, first: a reader must not find them among the changes
        entry = _sub(feed, "entry")
        _sub(entry, "id", alert.entry_id)
        _sub(entry, "title", f"{say('label_alert')} {alert.headline} — {alert.item.title}")
        _sub(entry, "updated", alert.item.at)
        _sub(entry, "link", href=safe_url(alert.item.url), rel="alternate")
        _sub(entry, "category", term="alert", label=say("alerts"))
        _sub(entry, "category", term=alert.item.source, label=alert.item.source)
        _sub(entry, "content", alert_html(alert), type="html")
    for award in awards.atom_entries(digest.awards, say):
        entry = _sub(feed, "entry")
        _sub(entry, "id", award["id"])
        _sub(entry, "title", award["title"])
        _sub(entry, "updated", award["updated"] or digest.generated_at)
        _sub(entry, "category", term="award", label="award")
        _sub(entry, "content", award["content"], type="html")
    for source in digest.sources:
        entry = _sub(feed, "entry")
        _sub(entry, "id", source_entry_id(source, digest))
        _sub(entry, "title", f"{say('label_source', health=say.health(source.health))} {source.name}: {source.reason}")
        _sub(entry, "updated", source.last_run_at or digest.generated_at)
        _sub(entry, "category", term="source-health", label=say("sources_not_seen"))
        _sub(entry, "category", term=source.name, label=source.name)
        _sub(entry, "content", f"<p>{html.escape(source.name)}: {html.escape(source.status)}</p>"
             f"<p>{html.escape(source.reason)}</p>", type="html")
    for item in items:
        entry = _sub(feed, "entry")
        _sub(entry, "id", item.entry_id)
        _sub(entry, "title", f"{say('label_' + item.kind)} {item.title}")
        _sub(entry, "updated", item.at)
        if item.published:
            _sub(entry, "published", f"{item.published}T00:00:00+09:00" if len(item.published) == 10
                 else item.published)
        _sub(entry, "link", href=safe_url(item.url), rel="alternate")
        _sub(entry, "category", term=item.kind)
        _sub(entry, "category", term=item.source, label=item.source)
        _sub(entry, "content", entry_html(item, say), type="html")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
