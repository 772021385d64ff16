"""Loading and checking `ometsuke.toml`.

Every mistake is reported as one line that names the file, the entry and the key ("did you mean …" when a key is
misspelt), because a watchdog's config is edited by hand and a traceback helps nobody. Relative paths are resolved
against the config file's folder, not the current directory, so cron and systemd runs find the same files.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scrapers.settings as crawl_defaults
from nlp.watchlist import WATCH_KINDS, WatchEntry, WatchListError, combined_watch_list
from scrapers.revisit import RevisitError, parse_revisit
from scrapers.spiders.options import LIST_OF_STR, PPORTAL_URL, SOURCE_OPTIONS, SPIDER_OPTIONS, Syntax, options_of
from textutil.corporate_number import corporate_number_problem

DEFAULT_CONFIG_NAME = "ometsuke.toml"
SPIDERS = tuple(SPIDER_OPTIONS)  # spider types, from their declared options (scrapers/spiders/options.py)
PPORTAL_MAX_DAYS = 400
SOURCE_KINDS = ("government", "corporate", "media")


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line naming file, entry and key."""


# Key tables: key -> (expected type(s), human description). A source's keys are its core ones plus the options its
# spider declares (scrapers/spiders/options.py), so a spider's keys are allowed for that spider only.
SOURCE_KEYS: dict[str, tuple[Any, str]] = {
    "name": (str, "a string"),
    "spider": (str, "a string"),
    "urls": (list, LIST_OF_STR),
    "kind": (str, "a string"),
}


def source_keys(spider: str | None) -> dict[str, tuple[Any, str]]:
    """The keys a [[source]] of this spider may have (the common options only when the spider is unknown)."""
    options = options_of(spider) if spider in SPIDER_OPTIONS else SOURCE_OPTIONS
    return SOURCE_KEYS | {key: (option.type, option.description) for key, option in options.items()}


WATCH_KEYS: dict[str, tuple[Any, str]] = {
    "name": (str, "a string"),
    "kind": (str, "a string"),
    "family": (str, "a string"),
    "titles": (list, LIST_OF_STR),
    "aliases": (list, LIST_OF_STR),
    "affiliations": (list, LIST_OF_STR),
    "corporate_number": ((str, int), "a 13-digit corporate number (法人番号)"),
}
DATABASE_KEYS: dict[str, tuple[Any, str]] = {"path": (str, "a string")}
CRAWL_KEYS: dict[str, tuple[Any, str]] = {
    "download_timeout": ((int, float), "a number of seconds"),
    "max_page_bytes": (int, "an integer"),
    "concurrency": (int, "an integer"),
    "delay": ((int, float), "a number of seconds"),
    "user_agent": (str, "a string"),
    "obey_robots": (bool, "true or false"),
    "autothrottle": (bool, "true or false"),
    "retries": (int, "an integer"),
    "verify_every": (int, "a number of revisits"),
}
SCHEDULE_KEYS: dict[str, tuple[Any, str]] = {
    "crawl_every": (str, 'a duration such as "6h" or "30m"'),
    "digest_at": (str, 'a time such as "07:00"'),
    "timezone": (str, 'a time zone such as "Asia/Tokyo"'),
}
MAIL_KEYS: dict[str, tuple[Any, str]] = {
    "host": (str, "a string"),
    "port": (int, "an integer"),
    "from": (str, "a string"),
    "to": (list, LIST_OF_STR),
    "starttls": (bool, "true or false"),
    "ssl": (bool, "true or false"),
    "username": (str, "a string"),
    "password_env": (str, "the name of an environment variable"),
}
NOTIFY_KEYS: dict[str, tuple[Any, str]] = {
    "name": (str, "a string"),
    "url": (str, "an apprise URL such as slack://… or json://…"),
    "url_env": (str, "the name of an environment variable"),
    "on": (list, LIST_OF_STR),
    "sources": (list, LIST_OF_STR),
    "watch": (list, LIST_OF_STR),
}
NOTIFY_EVENTS = ("alerts", "digest", "failures")
NOTIFY_DEFAULT_ON = ("alerts", "failures")
MAIL_CHANNEL = "mail"  # the [mail] table's channel name in the deliveries queue
DIGEST_KEYS: dict[str, tuple[Any, str]] = {"language": (str, 'a language code, "ja" or "en"')}
TOP_LEVEL = ("database", "source", "watch", "crawl", "schedule", "mail", "notify", "digest")


@dataclass(frozen=True)
class SourceConfig:
    name: str
    spider: str
    kind: str
    urls: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)

    def as_spider_arg(self) -> dict[str, Any]:
        """The plain dict a spider receives as its `source` argument."""
        return {"name": self.name, "spider": self.spider, "kind": self.kind, "urls": list(self.urls), **self.options}


# [crawl] key -> the Scrapy setting it sets; the defaults are scrapers/settings.py's values of those settings.
CRAWL_SETTINGS: dict[str, str] = {
    "download_timeout": "DOWNLOAD_TIMEOUT",
    "max_page_bytes": "DOWNLOAD_MAXSIZE",
    "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "delay": "DOWNLOAD_DELAY",
    "user_agent": "USER_AGENT",
    "obey_robots": "ROBOTSTXT_OBEY",
    "autothrottle": "AUTOTHROTTLE_ENABLED",
    "retries": "RETRY_TIMES",
    "verify_every": "OMETSUKE_VERIFY_EVERY",
}


@dataclass(frozen=True)
class CrawlConfig:
    """[crawl]: politeness and limits. Every default is the Scrapy project's own (scrapers/settings.py)."""

    download_timeout: float = crawl_defaults.DOWNLOAD_TIMEOUT
    max_page_bytes: int = crawl_defaults.DOWNLOAD_MAXSIZE
    concurrency: int = crawl_defaults.CONCURRENT_REQUESTS_PER_DOMAIN  # per site
    delay: float = crawl_defaults.DOWNLOAD_DELAY
    user_agent: str = crawl_defaults.USER_AGENT
    obey_robots: bool = crawl_defaults.ROBOTSTXT_OBEY
    autothrottle: bool = crawl_defaults.AUTOTHROTTLE_ENABLED
    retries: int = crawl_defaults.RETRY_TIMES
    verify_every: int = crawl_defaults.OMETSUKE_VERIFY_EVERY  # revisits between unconditional fetches of a page

    def overrides(self) -> dict[str, Any]:
        """The Scrapy settings this config changes: only the keys whose value is not the project's default."""
        changed = {CRAWL_SETTINGS[key]: getattr(self, key) for key in CRAWL_SETTINGS
                   if getattr(self, key) != getattr(crawl_defaults, CRAWL_SETTINGS[key])}
        if "DOWNLOAD_DELAY" in changed:  # AutoThrottle starts from the configured delay, never below it
            changed["AUTOTHROTTLE_START_DELAY"] = max(self.delay, 0.0)
        return changed


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    """'45s' / '30m' / '6h' / '1d' → seconds; ValueError for anything else, zero included (a crawl every 0 hours
    would never let the loop rest)."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", text)
    if not match or int(match.group(1)) == 0:
        raise ValueError('expected a duration such as "6h" or "30m" (a number above 0, then s, m, h or d)')
    return int(match.group(1)) * DURATION_UNITS[match.group(2)]


@dataclass(frozen=True)
class ScheduleConfig:
    crawl_every: str = "6h"  # as written, for messages
    crawl_every_seconds: int = 6 * 3600  # the same, parsed at load
    digest_at: str = "07:00"
    timezone: str = "Asia/Tokyo"


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int = 587
    from_addr: str = ""
    to: tuple[str, ...] = ()
    starttls: bool = True
    ssl: bool = False
    username: str | None = None
    password_env: str | None = None


@dataclass(frozen=True)
class NotifyConfig:
    """A [[notify]] channel. `url` (from the file) or `url_env` (the variable holding it) is read only when a
    message is sent; neither is ever printed, logged or stored: the channel is known by its name."""

    name: str
    url: str | None = None
    url_env: str | None = None
    on: tuple[str, ...] = NOTIFY_DEFAULT_ON
    sources: tuple[str, ...] = ()
    watch: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestConfig:
    language: str = "ja"


@dataclass(frozen=True)
class Config:
    path: Path
    database_path: Path
    sources: tuple[SourceConfig, ...] = ()
    watch: tuple[WatchEntry, ...] = ()
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    mail: MailConfig | None = None
    notify: tuple[NotifyConfig, ...] = ()
    digest: DigestConfig = field(default_factory=DigestConfig)

    def watch_as_written(self) -> list[WatchEntry]:
        """The config's [[watch]] tables plus `watch.csv` beside the config (imported lists), as written."""
        try:
            return combined_watch_list(self.watch, self.path)
        except WatchListError as error:
            raise ConfigError("; ".join(str(error).splitlines())) from None

    def watch_list(self) -> list[WatchEntry]:
        """Every watched entry (watch_as_written); a vendor with a corporate_number also gets the registry's names
        for it as aliases."""
        # Watched corporate numbers match every name the imported registry has for them (issue 13).
        from ometsuke.registry import with_registry_names

        return with_registry_names(self.watch_as_written(), self.database_path)

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise ConfigError(f"{self.path}: no source named {name!r} (sources: {known})")


class _Checker:
    """Reports problems as `file: entry: key: message`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: {where}: {message}")

    def table(self, where: str, value: Any, keys: dict[str, tuple[Any, str]]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        for key, item in value.items():
            if key not in keys:
                close = difflib.get_close_matches(key, list(keys), n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else f" (known keys: {', '.join(keys)})"
                raise self.fail(where, f'unknown key "{key}"{hint}')
            expected, description = keys[key]
            if isinstance(item, bool) and expected in (int, float, (int, float)):
                raise self.fail(where, f'key "{key}" must be {description}, not {item!r}')
            if not isinstance(item, expected):
                raise self.fail(where, f'key "{key}" must be {description}, not {type(item).__name__} {item!r}')
            if description == LIST_OF_STR and not all(isinstance(x, str) and x.strip() for x in item):
                raise self.fail(where, f'key "{key}" must be a list of non-empty strings')
        return value

    def require(self, where: str, value: dict[str, Any], *names: str) -> None:
        for name in names:
            if name not in value or value[name] in ("", []):
                raise self.fail(where, f'missing key "{name}"')

    def choice(self, where: str, key: str, value: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise self.fail(where, f'key "{key}" is {value!r}; expected one of {", ".join(choices)}')
        return value


def _check_syntax(check: _Checker, where: str, key: str, syntax: Syntax, value: Any) -> None:
    """A CSS selector, regular expressions or a revisit table that would only fail in the middle of a crawl."""
    if syntax == "css":
        from cssselect import GenericTranslator, SelectorError  # a Scrapy (parsel) dependency

        try:
            GenericTranslator().css_to_xpath(value)
        except SelectorError as error:
            raise check.fail(where, f'key "{key}" is not a valid CSS selector ({error})') from None
    elif syntax == "regex":
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                message = f'key "{key}": {pattern!r} is not a valid regular expression ({error})'
                raise check.fail(where, message) from None
    elif syntax == "revisit":
        try:
            parse_revisit(value)
        except RevisitError as error:
            raise check.fail(where, f'key "{key}": {error}') from None


def _parse_source(check: _Checker, index: int, raw: Any, seen: set[str]) -> SourceConfig:
    label = raw.get("name") if isinstance(raw, dict) else None
    where = f'[[source]] #{index}' + (f' ("{label}")' if isinstance(label, str) else "")
    if not isinstance(raw, dict):
        raise check.fail(where, "must be a table")
    spider = raw.get("spider")
    if isinstance(spider, str):
        check.choice(where, "spider", spider, SPIDERS)
    check.table(where, raw, source_keys(spider if isinstance(spider, str) else None))
    if spider == "pportal":
        raw = _pportal_defaults(check, where, raw)
    check.require(where, raw, "name", "spider", "urls")
    name = raw["name"].strip()
    if name in seen:
        raise check.fail(where, f'key "name": another source is already named "{name}"')
    seen.add(name)
    kind = check.choice(where, "kind", raw.get("kind", "government"), SOURCE_KINDS)
    for url in raw["urls"]:
        if not re.match(r"https?://[^/\s]+", url):
            raise check.fail(where, f'key "urls": {url!r} is not an http(s) URL')
    for key, option in options_of(spider).items():
        if key in raw and option.syntax is not None:
            _check_syntax(check, where, key, option.syntax, raw[key])
    options = {k: v for k, v in raw.items() if k not in ("name", "spider", "kind", "urls")}
    return SourceConfig(name=name, spider=spider, kind=kind, urls=tuple(raw["urls"]), options=options)


def _pportal_defaults(check: _Checker, where: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A `pportal` source: one download address (default the portal's), `days` within what can be asked for."""
    urls = raw.get("urls") or [PPORTAL_URL]
    if len(urls) != 1:
        raise check.fail(where, f'key "urls": a pportal source has one download address, not {len(urls)}')
    days = raw.get("days", SPIDER_OPTIONS["pportal"]["days"].default)
    if not 1 <= days <= PPORTAL_MAX_DAYS:
        raise check.fail(where, f'key "days" is {days}; expected 1 to {PPORTAL_MAX_DAYS} (the portal keeps about 60)')
    return {**raw, "urls": urls}


def parse_watch_entry(check: _Checker, where: str, raw: Any) -> WatchEntry:
    check.table(where, raw, WATCH_KEYS)
    check.require(where, raw, "name", "kind")
    check.choice(where, "kind", raw["kind"], tuple(WATCH_KINDS))
    corporate_number = _corporate_number(check, where, raw.get("corporate_number"))
    return WatchEntry(
        name=raw["name"].strip(),
        kind=raw["kind"],
        family=(raw.get("family") or "").strip() or None,
        titles=tuple(raw.get("titles", ())),
        aliases=tuple(raw.get("aliases", ())),
        affiliations=tuple(raw.get("affiliations", ())),
        corporate_number=corporate_number,
    )


def _corporate_number(check: _Checker, where: str, value: str | int | None) -> str | None:
    """A [[watch]] corporate_number, check digit verified: a typo would silently watch nobody."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise check.fail(where, f'key "corporate_number" must be {WATCH_KEYS["corporate_number"][1]}, not {value!r}')
    number = str(value).strip()
    problem = corporate_number_problem(number)
    if problem:
        raise check.fail(where, f'key "corporate_number": {problem}')
    return number


def apprise_can_use(url: str) -> bool:
    """True if apprise knows the URL's service and can parse it (the URL itself is never echoed: it may hold a
    token)."""
    import apprise  # imported only when a config has [[notify]] channels

    quiet = logging.getLogger("apprise")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL + 1)  # apprise logs the URL it loads (at DEBUG): it may hold a token
    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=True) is not None
    finally:
        quiet.setLevel(level)


def _parse_notify(check: _Checker, index: int, raw: Any, seen: set[str], sources: set[str]) -> NotifyConfig:
    label = raw.get("name") if isinstance(raw, dict) else None
    where = f"[[notify]] #{index}" + (f' ("{label}")' if isinstance(label, str) else "")
    check.table(where, raw, NOTIFY_KEYS)
    check.require(where, raw, "name")
    name = raw["name"].strip()
    if name == MAIL_CHANNEL:
        raise check.fail(where, f'key "name": "{MAIL_CHANNEL}" is the [mail] table\'s channel; choose another name')
    if name in seen:
        raise check.fail(where, f'key "name": another channel is already named "{name}"')
    seen.add(name)
    if ("url" in raw) == ("url_env" in raw):
        raise check.fail(where, 'give either "url" or "url_env" (the environment variable holding the URL)')
    if "url" in raw:
        scheme = raw["url"].partition("://")[0] if "://" in raw["url"] else ""
        if not apprise_can_use(raw["url"]):
            what = f"a {scheme}:// URL apprise cannot parse" if scheme else "not an apprise URL (scheme://…)"
            raise check.fail(where, f'key "url" is {what}; see https://github.com/caronc/apprise/wiki')
    else:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", raw["url_env"]):
            raise check.fail(where, f'key "url_env" is {raw["url_env"]!r}; expected an environment variable name')
        from_env = os.environ.get(raw["url_env"])
        if from_env and not apprise_can_use(from_env):  # unset is not a config error: sending says so
            raise check.fail(where, f'key "url_env": {raw["url_env"]} holds a URL apprise cannot parse')
    for event in raw.get("on", NOTIFY_DEFAULT_ON):
        check.choice(where, "on", event, NOTIFY_EVENTS)
    for source in raw.get("sources", ()):
        if source not in sources:
            known = ", ".join(sorted(sources)) or "none configured"
            raise check.fail(where, f'key "sources": no source named {source!r} (sources: {known})')
    return NotifyConfig(
        name=name, url=raw.get("url"), url_env=raw.get("url_env"),
        on=tuple(dict.fromkeys(raw.get("on", NOTIFY_DEFAULT_ON))),
        sources=tuple(raw.get("sources", ())), watch=tuple(raw.get("watch", ())),
    )


def parse_config(data: dict[str, Any], path: Path) -> Config:
    """Check a parsed TOML document and build the Config (raises ConfigError)."""
    check = _Checker(path)
    for key in data:
        if key not in TOP_LEVEL:
            close = difflib.get_close_matches(key, TOP_LEVEL, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else f" (known: {', '.join(TOP_LEVEL)})"
            raise check.fail("top level", f'unknown section "{key}"{hint}')
    database = check.table("[database]", data.get("database", {}), DATABASE_KEYS)
    base = path.parent
    database_path = (base / database.get("path", "ometsuke.db")).resolve()

    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise check.fail("[[source]]", "must be an array of tables ([[source]])")
    seen: set[str] = set()
    sources = tuple(_parse_source(check, i, raw, seen) for i, raw in enumerate(raw_sources, start=1))

    raw_watch = data.get("watch", [])
    if not isinstance(raw_watch, list):
        raise check.fail("[[watch]]", "must be an array of tables ([[watch]])")
    watch = []
    for i, raw in enumerate(raw_watch, start=1):
        label = raw.get("name") if isinstance(raw, dict) else None
        where = f"[[watch]] #{i}" + (f' ("{label}")' if isinstance(label, str) else "")
        watch.append(parse_watch_entry(check, where, raw))

    crawl_raw = check.table("[crawl]", data.get("crawl", {}), CRAWL_KEYS)
    for key in ("download_timeout", "max_page_bytes", "concurrency", "verify_every"):
        if key in crawl_raw and crawl_raw[key] <= 0:
            raise check.fail("[crawl]", f'key "{key}" must be greater than 0')
    if crawl_raw.get("delay", 0) < 0 or crawl_raw.get("retries", 0) < 0:
        raise check.fail("[crawl]", 'keys "delay" and "retries" cannot be negative')
    crawl = CrawlConfig(**crawl_raw)

    schedule_raw = dict(check.table("[schedule]", data.get("schedule", {}), SCHEDULE_KEYS))
    if "crawl_every" in schedule_raw:
        try:
            schedule_raw["crawl_every_seconds"] = parse_duration(schedule_raw["crawl_every"])
        except ValueError as error:
            raise check.fail("[schedule]", f'key "crawl_every" is {schedule_raw["crawl_every"]!r}; {error}') from None
    if "digest_at" in schedule_raw and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", schedule_raw["digest_at"]):
        raise check.fail("[schedule]", f'key "digest_at" is {schedule_raw["digest_at"]!r}; expected HH:MM')
    schedule = ScheduleConfig(**schedule_raw)

    mail = None
    if "mail" in data:
        raw_mail = check.table("[mail]", data["mail"], MAIL_KEYS)
        check.require("[mail]", raw_mail, "host", "from", "to")
        mail = MailConfig(
            host=raw_mail["host"], port=raw_mail.get("port", 587), from_addr=raw_mail["from"],
            to=tuple(raw_mail["to"]), starttls=raw_mail.get("starttls", True), ssl=raw_mail.get("ssl", False),
            username=raw_mail.get("username"), password_env=raw_mail.get("password_env"),
        )
    raw_notify = data.get("notify", [])
    if not isinstance(raw_notify, list):
        raise check.fail("[[notify]]", "must be an array of tables ([[notify]])")
    channels: set[str] = set()
    source_names = {source.name for source in sources}
    notify = tuple(_parse_notify(check, i, raw, channels, source_names) for i, raw in enumerate(raw_notify, start=1))

    digest_raw = check.table("[digest]", data.get("digest", {}), DIGEST_KEYS)
    if "language" in digest_raw:
        check.choice("[digest]", "language", digest_raw["language"], ("ja", "en"))
    digest = DigestConfig(**digest_raw)
    return Config(path=path, database_path=database_path, sources=sources, watch=tuple(watch), crawl=crawl,
                  schedule=schedule, mail=mail, notify=notify, digest=digest)


# Encodings a Japanese config saved by a Windows editor is likely to be in, most likely first: named in the hint.
_LIKELY_ENCODINGS = (("cp932", "SHIFT_JIS"), ("euc_jp", "EUC-JP"))
STARTER_CONTACT = "example.org"  # ometsuke/starter.toml's placeholder contact in user_agent


def not_utf8_message(path: Path, error: UnicodeDecodeError) -> str:
    """Where the first non-UTF-8 byte is (line number), and the iconv command that converts the file."""
    data = error.object if isinstance(error.object, bytes) else b""
    line = data[: error.start].count(b"\n") + 1
    source, best = "ENCODING", -1  # neither decodes: the user knows (or `file` says) what it is
    for codec, name in _LIKELY_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        kana = sum(1 for char in text if "\u3041" <= char <= "\u30ff")  # EUC-JP read as Shift_JIS has none
        if kana > best:
            source, best = name, kana
    return (f"{path}: line {line}: not UTF-8 text ({error.reason} at byte {error.start}); convert it, e.g. "
            f"iconv -f {source} -t UTF-8 {path.name} > utf8.toml && mv utf8.toml {path.name}")


def user_agent_warning(config: Config) -> str | None:
    """A warning when [crawl] user_agent still names the starter's placeholder contact (example.org).

    Site owners read the User-Agent to reach whoever crawls them; a placeholder tells them nothing.
    """
    if STARTER_CONTACT not in config.crawl.user_agent:
        return None
    return (f"{config.path}: [crawl] user_agent still names {STARTER_CONTACT} "
            f"({config.crawl.user_agent!r}): put your own contact URL or e-mail address in it")


def load_config(path: str | Path | None = None) -> Config:
    """Read and check the config file (default ./ometsuke.toml)."""
    path = Path(path or DEFAULT_CONFIG_NAME).expanduser().resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file; create one with `ometsuke init`") from None
    except UnicodeDecodeError as error:
        raise ConfigError(not_utf8_message(path, error)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    return parse_config(data, path)
