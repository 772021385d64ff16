"""Watch-list entries: the officials and vendors a user wants to follow, and the table of their kinds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textutil.corporate_number import corporate_number_problem

# The roles a kind of watched entity plays. A person is matched by family name + titles too (宮坂副知事), may have
# `affiliations`, and is one side of "together"; an organisation gets company-name handling (株式会社…, NTT inside
# NTTデータ is another company), amounts near its name, and is the other side of "together".
PERSON = "person"
ORGANISATION = "organisation"

# The kind table: each kind a [[watch]] entry may have, and its role. Adding a kind (a `politician` as a PERSON, an
# `agency` as an ORGANISATION) is one line here: the config check, the tagger, the digest's alerts, `connections`,
# the Datasette queries and the digest's styles read this table. Its label for readers is `kind_<name>` in the
# catalogues ometsuke/i18n/{ja,en}.py (the kind's own name until it has one).
WATCH_KINDS: dict[str, str] = {"official": PERSON, "vendor": ORGANISATION}


def role_of(kind: str) -> str | None:
    """A kind's role (None for a kind the table does not have: no evidence rule pairs it)."""
    return WATCH_KINDS.get(kind)


def is_person(kind: str) -> bool:
    """Whether a kind is a person's; the tagger gives every other kind the company-name handling."""
    return role_of(kind) == PERSON


def kinds_with_role(role: str) -> tuple[str, ...]:
    """The kinds that play `role`, in table order."""
    return tuple(kind for kind, played in WATCH_KINDS.items() if played == role)


@dataclass(frozen=True)
class WatchEntry:
    """One watched person or organisation.

    family + titles let "宮坂副知事" match 宮坂学 without ever matching a bare 宮坂;
    affiliations tie a person to organisations for `ometsuke connections`.
    """

    name: str
    kind: str
    family: str | None = None
    titles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    # A vendor's 法人番号: the registry's names for it (current and former) become aliases (ometsuke/registry.py).
    corporate_number: str | None = None


# -- CSV watch lists -------------------------------------------------------------------------------------------

# corporate_number is optional (watch.csv files written before it had the column stay readable).
CSV_COLUMNS: tuple[str, ...] = ("name", "kind", "family", "titles", "aliases", "affiliations", "corporate_number")
LIST_SEPARATOR = "|"


class WatchListError(Exception):
    """A watch list that cannot be used. The message names the file and every bad row by line number."""


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


def entry_problems(entry: WatchEntry) -> list[str]:
    """What is wrong with one entry (empty when it is usable); shared by CSV import and checks elsewhere."""
    problems: list[str] = []
    if not entry.name.strip():
        problems.append('column "name" is empty')
    if entry.kind not in WATCH_KINDS:
        problems.append(f'column "kind" is {entry.kind!r}; expected one of {", ".join(WATCH_KINDS)}')
    if entry.titles and not entry.family:
        problems.append('column "titles" needs "family" (titles only match after the family name)')
    if entry.family and len(entry.family.strip()) < 1:
        problems.append('column "family" is blank')
    if entry.corporate_number:
        number_problem = corporate_number_problem(entry.corporate_number)
        if number_problem:  # a typo would silently pin nobody, or someone else
            problems.append(f'column "corporate_number": {number_problem}')
    return problems


def _decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), else CP932: Excel in Japan saves CSV as Shift_JIS."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError as error:
            raise WatchListError(f"{path}: neither UTF-8 nor Shift_JIS (bad byte at {error.start})") from None


def parse_watch_csv(text: str, path: str = "<csv>") -> list[WatchEntry]:
    """Entries from CSV text with a header row; all rows are checked and every bad one is reported at once."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise WatchListError(f"{path}: empty file; expected a header row: {','.join(CSV_COLUMNS)}") from None
    except csv.Error as error:
        raise WatchListError(f"{path}: line 1: {error}") from None
    columns = [h.strip().lower() for h in header]
    unknown = [c for c in columns if c not in CSV_COLUMNS]
    missing = [c for c in ("name", "kind") if c not in columns]
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        raise WatchListError(f"{path}: line 1: {'; '.join(parts)} (columns: {','.join(CSV_COLUMNS)})")
    entries: list[WatchEntry] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(f"line {reader.line_num}: {error}")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            errors.append(f"line {line}: {len(row)} fields but the header has {len(columns)}")
            continue
        values = dict(zip(columns, [cell.strip() for cell in row], strict=False))
        entry = WatchEntry(
            name=values.get("name", ""),
            kind=values.get("kind", ""),
            family=values.get("family") or None,
            titles=_split_list(values.get("titles", "")),
            aliases=_split_list(values.get("aliases", "")),
            affiliations=_split_list(values.get("affiliations", "")),
            corporate_number=values.get("corporate_number") or None,
        )
        problems = entry_problems(entry)
        if entry.name and entry.name in seen:
            problems.append(f'"{entry.name}" is already on line {seen[entry.name]}')
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems))
            continue
        seen[entry.name] = line
        entries.append(entry)
    if errors:
        shown = errors[:20] + ([f"... and {len(errors) - 20} more"] if len(errors) > 20 else [])
        raise WatchListError(f"{path}: {len(errors)} bad row(s), nothing imported: " + " | ".join(shown))
    return entries


def load_watch_csv(path: str | Path) -> list[WatchEntry]:
    """Read a watch-list CSV (name, kind, family, titles, aliases, affiliations, corporate_number; lists split by
    `|`; only name and kind are required).

    All or nothing: any bad row raises WatchListError listing every bad row with its line number.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise WatchListError(f"{path}: no such file") from None
    except OSError as error:
        raise WatchListError(f"{path}: cannot read: {error.strerror}") from None
    return parse_watch_csv(_decode(data, str(path)), str(path))


def write_watch_csv(path: str | Path, entries: Sequence[WatchEntry]) -> None:
    """Write entries as a UTF-8 CSV, atomically (a crash never leaves half a watch list)."""
    import csv
    import io
    import os
    import tempfile

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([e.name, e.kind, e.family or "", LIST_SEPARATOR.join(e.titles),
                         LIST_SEPARATOR.join(e.aliases), LIST_SEPARATOR.join(e.affiliations), e.corporate_number or ""])
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".watch-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def merge_entries(existing: Sequence[WatchEntry], new: Sequence[WatchEntry]) -> tuple[list[WatchEntry], int, int]:
    """existing + new, a new entry replacing an existing one of the same name: (merged, added, updated)."""
    by_name = {e.name: i for i, e in enumerate(existing)}
    merged = list(existing)
    added = updated = 0
    for entry in new:
        if entry.name in by_name:
            merged[by_name[entry.name]] = entry
            updated += 1
        else:
            by_name[entry.name] = len(merged)
            merged.append(entry)
            added += 1
    return merged, added, updated


# The imported list lives beside the config; `watch_list_path(config_path)` names it.
WATCH_CSV_NAME = "watch.csv"


def watch_list_path(config_path: str | Path) -> Path:
    """The CSV watch list that belongs to a config: `watch.csv` in the config's folder."""
    return Path(config_path).resolve().parent / WATCH_CSV_NAME


def watch_list_with_origins(
    config_entries: Sequence[WatchEntry], config_path: str | Path
) -> list[tuple[str, WatchEntry]]:
    """(origin, entry): the config's [[watch]] entries ("config"), then those imported into watch.csv beside it
    (origin "watch.csv"); the config wins when both name the same entry."""
    entries = [("config", e) for e in config_entries]
    csv_path = watch_list_path(config_path)
    if csv_path.exists():
        names = {e.name for e in config_entries}
        entries.extend((csv_path.name, e) for e in load_watch_csv(csv_path) if e.name not in names)
    return entries


def combined_watch_list(config_entries: Sequence[WatchEntry], config_path: str | Path) -> list[WatchEntry]:
    """The config's [[watch]] entries plus those imported into watch.csv beside it (config wins on a clash)."""
    return [entry for _, entry in watch_list_with_origins(config_entries, config_path)]
