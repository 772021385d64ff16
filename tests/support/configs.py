"""One way for tests to write an ometsuke.toml: sources and watch entries as dicts, crawl settings for a local server.

    write_config(tmp_path, source("press", site.url + "/press/list.html", follow="a.release"),
                 watch=[MIYASAKA, DIGITAL_GARAGE], database="e2e.db")

Tests of the config checker itself write raw TOML with `write_toml` (conftest's `write_config` fixture).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# A server on 127.0.0.1 needs no politeness: no delay between requests, no AutoThrottle, 8 requests at once.
FAST_CRAWL: dict[str, Any] = {"delay": 0, "autothrottle": False, "concurrency": 8}
MIYASAKA: dict[str, Any] = {"name": "宮坂学", "kind": "official", "family": "宮坂", "titles": ["副知事"]}
DIGITAL_GARAGE: dict[str, Any] = {"name": "デジタルガレージ", "kind": "vendor"}


def source(name: str, *urls: str, spider: str = "newsroom", **options: Any) -> dict[str, Any]:
    """A [[source]] table: name, spider (newsroom unless said), urls, then any other keys (follow, kind, revisit…)."""
    return {"name": name, "spider": spider, "urls": list(urls), **options}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def _table(header: str, values: Mapping[str, Any]) -> str:
    return "\n".join([header, *(f"{key} = {_value(value)}" for key, value in values.items())])


def config_text(
    *sources: Mapping[str, Any],
    watch: Sequence[Mapping[str, Any]] = (),
    notify: Sequence[Mapping[str, Any]] = (),
    database: str = "ometsuke.db",
    crawl: Mapping[str, Any] | None = None,
    **sections: Mapping[str, Any],
) -> str:
    """The TOML: [database], [crawl] (FAST_CRAWL updated by `crawl`), other sections ([schedule], [mail]…), then
    the sources, watch entries and notification channels."""
    parts = [_table("[database]", {"path": database}), _table("[crawl]", {**FAST_CRAWL, **(crawl or {})})]
    parts += [_table(f"[{name}]", values) for name, values in sections.items()]
    parts += [_table("[[source]]", s) for s in sources]
    parts += [_table("[[watch]]", w) for w in watch]
    parts += [_table("[[notify]]", n) for n in notify]
    return "\n".join(parts) + "\n"


def write_toml(folder: Path, text: str, name: str = "ometsuke.toml") -> Path:
    """Write TOML text to folder/name and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_config(folder: Path, *sources: Mapping[str, Any], **options: Any) -> Path:
    """Write folder/ometsuke.toml from `config_text(*sources, **options)` and return its path."""
    return write_toml(folder, config_text(*sources, **options))
