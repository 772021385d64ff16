"""The digest as one self-contained HTML page that reads well on a phone.

Everything scraped goes through jinja2's autoescape, links are limited to http(s) URLs (no `javascript:`), and a
Content-Security-Policy forbids scripts outright, so a page whose title holds `<script>` can never run it.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from nlp.watchlist import role_of
from ometsuke.diffing import inline_runs
from ometsuke.digest import awards
from ometsuke.digest.model import Digest
from ometsuke.digest.render_markdown import item_meta
from ometsuke.i18n import texts


def safe_url(url: str | None) -> str:
    """The URL if it is http(s), else '#': a scraped link must not become a script."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return "#"
    return url if url and scheme in ("http", "https") else "#"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ometsuke", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    # A kind's colour is its role's (the kind table), so a new kind needs no CSS.
    env.filters["role"] = lambda kind: role_of(kind) or "none"
    return env


def render_html(digest: Digest) -> str:
    """Every text the page shows comes from the catalogue (`say`); the template holds only markup."""
    template = environment().get_template("digest.html.j2")
    say = texts(digest.language)
    return template.render(
        digest=digest, say=say, meta=lambda item: item_meta(item, say), runs=inline_runs,
        generated=say("generated", moment=say.moment(digest.generated_at)),
        awards=Markup(awards.html_section(digest.awards, say)),
    )
