"""English texts of the digest, the mail subject and notifications (the catalogue; keys are the same in ja.py).

The health reasons' English wording is db.health.REASONS (the sentence stored in runs.health_reason); it is
taken from there, under the keys `reason_…`, so it is written once."""

from db.health import REASONS, SEPARATOR

TEXTS: dict[str, str] = {
    # digest titles and headings
    "title_day": "ometsuke digest {day} (JST)",
    "title_since": "ometsuke digest since {moment}",
    "alerts": "Alerts",
    "sources_not_seen": "Sources not seen",
    "new": "New documents",
    "changed": "Changed documents",
    "removed": "Removed documents",
    "awards": "Awards to watched vendors",
    "nothing": "Nothing new, changed or removed.",
    # item lines
    "published": "published {date}",
    "seen": "seen {moment}",
    "removed_at": "removed {moment}",
    "kind_official": "official",
    "kind_vendor": "vendor",
    "amounts": "amounts",
    "mentions": "Mentions",
    "more": "… {count} more",
    "title_label": "title:",
    "published_label": "published:",
    "more_changed": "… {count} more changed sentence(s)",
    "see_diff": "see `ometsuke diff`",
    "noise": "{count} change(s) only in volatile text (update dates, counters) not shown.",
    "generated": "Generated {moment} by ometsuke.",
    "page_gone": "The page is gone (404/410).",
    # alert findings
    "together": "{person} and {organisation} in the same document",
    "amount": "{amount} near {organisation}",
    "affiliation": "{affiliation} ({person}'s affiliation) named with {organisation}",
    # source health
    "health_failing": "failing",
    "health_degraded": "degraded",
    "health_not crawled": "not crawled",
    "status_since": "{health} since {moment}",
    "status_recovered": " (ok again {moment})",
    "never_crawled": 'never crawled: run "ometsuke crawl"',
    "no_crawl": "no crawl in this period (is the scheduler running?); last crawl {moment}",
    # feed entry labels
    "label_alert": "[Alert]",
    "label_new": "[New]",
    "label_changed": "[Changed]",
    "label_removed": "[Removed]",
    "label_source": "[Source {health}]",
    # mail subject counts
    "count_sources": "{count} source(s) {health}",
    "count_alerts": "{count} alert(s)",
    "count_new": "{count} new",
    "count_changed": "{count} changed",
    "count_removed": "{count} removed",
    "nothing_new": "nothing new",
    "subject_sep": ", ",
    # notifications
    "notify_alert": "ometsuke alert: {title}",
    "notify_failing": "ometsuke: source {name} is failing",
    "notify_recovered": "ometsuke: source {name} is ok again",
    "notify_failing_body": "{name} could not be read since {moment}: {reason}",
    "notify_recovered_body": "{name} was read again at {moment}.",
    "notify_test": "ometsuke test message",
    "notify_test_body": "This channel ({name}) receives ometsuke notifications.",
    "rest_at": "… the rest: {url}",
    "rest_cut": "… (cut to this service's length)",
    "full_digest": "The whole digest: ometsuke digest",
    # awards to watched vendors
    "award_decided": "decided {date}",
    "award_case": "case {number}",
    "award_watched": "watched: {name}",
    "award_headline": "{vendor} won {title} ({amount})",
    "label_award": "[Award]",
    "count_awards": "{count} award(s)",
    "notify_award": "ometsuke: award to {name}",
    "award_credit": "Source: 調達ポータル (出典：調達ポータル)",
    # ometsuke connections (the timeline of evidence between two watched entities)
    "connections_none": "No evidence ties {a} to {b} in the stored pages.",
    "connections_heading": "{a} ({a_kind}) ⇄ {b} ({b_kind}): {count} item(s)",
    "connections_gone": " [no longer on the page]",
    "connections_both": "[both]",
    "connections_affiliation": "[affiliation]",
    "connections_amount": "[amount]",
    "connections_award": "[award]",
    "connections_award_detail": "{vendor} won {title} (case {number}, {ministry}, {method})",
    "demo_connections_title": "What ties the official to the vendor? (ometsuke connections {a} {b})",
}
# health reasons: db.health's wording (the English stored with each run), not repeated here
TEXTS.update({f"reason_{key}": template for key, template in REASONS.items()})
TEXTS["reason_sep"] = SEPARATOR
