"""Adding a `[[source]]` entry to a hand-edited config without touching anything else in it.

The file is never re-serialised (a TOML writer would drop the user's comments and layout): the new entry is a
text block appended to the original bytes, the whole result is checked with `ometsuke.config.parse_config` before
anything is written, and the new file replaces the old one atomically, so a crash or a bad entry leaves the old
config as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tomllib
from pathlib import Path

from ometsuke.config import Config, ConfigError, parse_config

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes (\\", \\\\, \\n, \\uXXXX) are all valid TOML."""
    return json.dumps(value, ensure_ascii=False)


def source_block(
    name: str, spider: str, url: str, kind: str, follow: str | None = None, comment: str | None = None,
    allowed_domains: list[str] | None = None,
) -> str:
    """The `[[source]]` text for one source, in the layout of the starter config."""
    lines = []
    if comment:
        lines.append("# " + _CONTROL.sub(" ", comment).strip())
    lines += [
        "[[source]]",
        f"name = {toml_string(name)}",
        f"spider = {toml_string(spider)}",
        f"kind = {toml_string(kind)}",
        f"urls = [{toml_string(url)}]",
    ]
    if allowed_domains:
        lines.append(f"allowed_domains = [{', '.join(toml_string(host) for host in allowed_domains)}]")
    if follow:
        lines.append(f"follow = {toml_string(follow)}")
    return "\n".join(lines) + "\n"


def appended(original: bytes, block: str) -> bytes:
    """The original bytes untouched, then a blank line and the block (in the file's own line endings)."""
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    text = block.encode("utf-8").replace(b"\n", newline)
    if not original.strip():
        return original + text
    if not original.endswith(newline):
        original += newline
    return original + newline + text


def check_config_bytes(data: bytes, path: Path) -> Config:
    """Parse and check would-be config bytes exactly as `load_config` would (ConfigError when they are bad)."""
    try:
        parsed = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: the new entry would make it invalid TOML: {error}") from None
    return parse_config(parsed, path)


def write_atomically(path: Path, data: bytes) -> None:
    """Write next to the target, flush to disk, then rename over it: readers see the old file or the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def append_source(path: Path, block: str) -> Config:
    """Append a `[[source]]` block to the config at path after checking the whole result; returns the new Config."""
    try:
        original = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    data = appended(original, block)
    config = check_config_bytes(data, path)
    try:
        write_atomically(path, data)
    except OSError as error:
        raise ConfigError(f"{path}: cannot write: {error.strerror}; the file is unchanged") from None
    return config
