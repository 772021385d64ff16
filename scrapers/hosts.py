"""Which hosts a source may fetch: the one rule the spiders and the middlewares share.

A host is allowed when it is one of the source's hosts (those of its `urls`, plus `allowed_domains`) or a subdomain
of one. Both sides are normalised the same way: lower case, leading and trailing dots stripped ("www.example.jp."
is a valid, fully qualified host name for "www.example.jp").

Not Scrapy's `url_is_from_any_domain`: it compares the URL's netloc, port included (a local server's
"127.0.0.1:8080" matches no domain "127.0.0.1"), and keeps a trailing dot, so the same host could be both allowed
and refused depending on how it was written.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def normalise_host(host: str | None) -> str:
    """"WWW.Example.JP." → "www.example.jp"; "" for no host."""
    return (host or "").strip().lower().strip(".")


def allowed_hosts(urls: Iterable[str], domains: Iterable[str] = ()) -> list[str]:
    """The hosts of `urls` and the extra `domains`, normalised, sorted, without duplicates or blanks."""
    hosts = {normalise_host(urlsplit(url).hostname) for url in urls} | {normalise_host(d) for d in domains}
    return sorted(host for host in hosts if host)


def host_allowed(host: str | None, allowed: Iterable[str]) -> bool:
    """True if `host` is one of the `allowed` hosts (normalised by allowed_hosts) or a subdomain of one."""
    host = normalise_host(host)
    return bool(host) and any(host == domain or host.endswith("." + domain) for domain in allowed)


def url_allowed(url: str, allowed: Iterable[str]) -> bool:
    """host_allowed for the host of `url`."""
    return host_allowed(urlsplit(url).hostname, allowed)
