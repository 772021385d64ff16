"""`ometsuke source add`: from a URL to a checked `[[source]]` entry (fetch, classify, propose, append).

The click command only prints; the decisions live here so that they can be tested and reused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ometsuke.config import SOURCE_KINDS, Config, ConfigError
from ometsuke.config_edit import append_source, source_block
from ometsuke.discover import Discovery, discover
from ometsuke.fetch_one import FetchError, fetch

_GOVERNMENT_HOST = re.compile(r"(\.go\.jp|\.lg\.jp)$|^(www\.)?(pref|city|town|vill)\.[a-z0-9-]+\.[a-z.]*jp$")


class NothingFound(Exception):
    """The URL was read but holds no feed, no release list and no page worth watching; the message says why."""


@dataclass(frozen=True)
class SourcePlan:
    name: str
    url: str
    kind: str
    discovery: Discovery
    toml: str
    allowed_domains: list[str] = field(default_factory=list)

    @property
    def spider(self) -> str:
        assert self.discovery.spider is not None
        return self.discovery.spider

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "spider": self.spider,
            "url": self.url,
            "releases": [{"url": r.url, "title": r.title, "date": r.date} for r in self.discovery.releases],
            "follow": self.discovery.follow,
            "toml": self.toml,
        }


def guess_kind(url: str) -> str:
    """government for go.jp / lg.jp and pref./city./town./vill. hosts, else corporate (media cannot be told)."""
    host = (urlsplit(url).hostname or "").lower()
    return "government" if _GOVERNMENT_HOST.search(host) else "corporate"


def check_new_source(config: Config, name: str, url: str, kind: str | None) -> None:
    """Usage errors before any network traffic (ConfigError: exit 2)."""
    if not name.strip() or name != name.strip():
        raise ConfigError(f"source name {name!r}: give a name without leading or trailing spaces")
    if not re.match(r"https?://[^/\s]+", url):
        raise ConfigError(f"{url!r} is not an http(s) URL")
    if kind is not None and kind not in SOURCE_KINDS:
        raise ConfigError(f"--kind {kind!r}: expected one of {', '.join(SOURCE_KINDS)}")
    if any(source.name == name for source in config.sources):
        raise ConfigError(f'{config.path}: a source named "{name}" already exists; choose another name')


def plan_source(config: Config, name: str, url: str, kind: str | None = None) -> SourcePlan:
    """Fetch the URL politely, classify it and write the entry's text (FetchError, NothingFound, ConfigError)."""
    check_new_source(config, name, url, kind)
    fetched = fetch(url, config.crawl)
    found = discover(url, fetched.final_url, fetched.body, fetched.content_type)
    if found.spider is None:
        raise NothingFound(_nothing_message(name, url, found))
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=9))).date().isoformat()
    comment = f"{found.title} (added by `ometsuke source add` on {today})" if found.title else None
    kind = kind or guess_kind(url)
    hosts = other_hosts(url, [fetched.final_url, *(r.url for r in found.releases)])
    toml = source_block(name, found.spider, url, kind, found.follow, comment, hosts)
    return SourcePlan(name=name, url=url, kind=kind, discovery=found, toml=toml, allowed_domains=hosts)


def other_hosts(url: str, urls: list[str]) -> list[str]:
    """Hosts of these URLs outside the source URL's host (and its subdomains): the spiders fetch only from the
    source's hosts, so releases elsewhere (a cross-ministry list, a redirect to www.) need `allowed_domains`."""
    own = (urlsplit(url).hostname or "").lower()
    hosts = {(urlsplit(u).hostname or "").lower() for u in urls}
    return sorted(h for h in hosts if h and h != own and not h.endswith("." + own))


def _nothing_message(name: str, url: str, found: Discovery) -> str:
    message = f"nothing to add at {url}: " + "; ".join(found.tried)
    if found.feeds_advertised:
        feed = found.feeds_advertised[0]
        message += f"; the page points to a feed: try `ometsuke source add {name} {feed}`"
    return message


def add_planned(config_path: Path, plan: SourcePlan) -> Config:
    """Append the planned entry to the config (checked whole, written atomically)."""
    return append_source(config_path, plan.toml)


__all__ = [
    "FetchError", "NothingFound", "SourcePlan", "add_planned", "check_new_source", "guess_kind", "other_hosts",
    "plan_source",
]  # fmt: skip
