"""Reading the government's bulk CSV files as streams: ZIP or plain CSV, UTF-8 (with or without BOM) or
Shift_JIS (read as CP932), one row at a time with its line number.

The nationwide 法人番号 file is 5.8 million rows: nothing here holds more than a row and a read buffer, and a
ZIP member is decompressed while it is read, never extracted.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice, repeat
from operator import attrgetter
from pathlib import Path
from typing import IO

SNIFF_BYTES = 256 * 1024
ROW_CHUNK = 1_000  # records read_rows takes at a time
_ZIP_MAGIC = b"PK\x03\x04"
# Fields of the NTA files are short, but an unbalanced quote would read the rest of a file into one field:
# the limit turns that into an error on a line instead of a memory blow-up.
_FIELD_LIMIT = 1_000_000


class OpenDataError(Exception):
    """A file that cannot be read at all (missing, not a ZIP or CSV, no CSV in the ZIP): one line naming it."""


# One CSV record: (where: file label, line: physical line, fields, problem: why it cannot be used, or None).
# A plain tuple, not a NamedTuple or dataclass: millions are made, and NamedTuple's constructor is Python code.
Row = tuple[str, int, list[str], str | None]


def csv_parts(path: Path, data: bytes | None = None) -> list[str]:
    """The CSV members of a ZIP (in archive order), or [""] for a plain CSV file (`data`: its bytes, already
    downloaded; `path` then only names it)."""
    try:
        if data is not None:
            magic = data[:4]
        else:
            with open(path, "rb") as handle:
                magic = handle.read(4)
    except FileNotFoundError:
        raise OpenDataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise OpenDataError(f"{path}: is a directory; give a .zip or .csv file") from None
    except OSError as error:
        raise OpenDataError(f"{path}: cannot read: {error.strerror}") from None
    if magic != _ZIP_MAGIC:
        return [""]
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive:
            members = [i.filename for i in archive.infolist() if i.filename.lower().endswith(".csv")]
    except zipfile.BadZipFile as error:
        raise OpenDataError(f"{path}: a damaged ZIP file ({error})") from None
    if not members:
        raise OpenDataError(f"{path}: the ZIP holds no .csv file")
    return members


@contextmanager
def _open_binary(path: Path, member: str, data: bytes | None = None) -> Iterator[IO[bytes]]:
    if not member:
        with io.BytesIO(data) if data is not None else open(path, "rb") as handle:
            yield handle
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as archive, archive.open(member) as handle:
            yield handle
    except zipfile.BadZipFile as error:
        raise OpenDataError(f"{path}: {member}: a damaged ZIP file ({error})") from None


def _encoding(sample: bytes) -> str:
    """utf-8-sig with a BOM; else UTF-8 unless the sample reads as UTF-8 only in bits; else CP932 (Shift_JIS with
    the NEC/IBM extensions that 髙 and ① need).

    UTF-8 checks itself: Shift_JIS text read as UTF-8 fails on nearly every Japanese character, while a UTF-8 file
    with a damaged byte fails once. So a few failures among many multibyte characters still mean UTF-8 (and cost
    their rows only), where "any failure means Shift_JIS" would turn a whole file into mojibake.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
    failures = text.count("\ufffd")
    if failures == 0:
        return "utf-8"
    multibyte = len(text) - len(text.encode("ascii", "ignore").decode("ascii")) - failures
    return "utf-8" if failures * 20 <= multibyte else "cp932"


class _Undecodable:
    """A codec error handler that replaces each bad byte run with U+FFFD and counts them, so the reader knows which
    rows held one by comparing a counter instead of scanning every field of every row."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, error: UnicodeDecodeError) -> tuple[str, int]:
        self.count += 1
        return "\ufffd", error.end


_UNDECODABLE = _Undecodable()
codecs.register_error("ometsuke-count", _UNDECODABLE)


# One stretch of a CSV member, read in C: (where: file label, records: (fields, physical line) pairs, problems:
# why the record at an index cannot be used). Blank lines are left out.
Chunk = tuple[str, list[tuple[list[str], int]], dict[int, str]]
_LINE_NUM = attrgetter("line_num")


def read_chunks(path: Path, size: int, data: bytes | None = None) -> Iterator[Chunk]:
    """Every record of every CSV in path (a .csv, or a .zip holding CSVs), streamed in chunks of up to `size`;
    with `data`, of those bytes (a file downloaded by a crawl), `path` naming them in messages.

    A chunk is read by C iterators (csv.reader, filter, zip with the reader's line number, list.extend of an
    islice): no Python code runs per record, which is what a 5.8-million-row file needs. Bytes that do not
    decode become U+FFFD and their record gets a problem, so one bad byte costs one record, not the file; so
    does a record that is not CSV (a chunk then ends early). Raises OpenDataError only when the file cannot be
    opened as a whole, or its ZIP stream breaks off.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    for member in csv_parts(path, data):
        where = f"{path}:{member}" if member else str(path)
        with _open_binary(path, member, data) as sniff:
            encoding = _encoding(sniff.read(SNIFF_BYTES))
        with _open_binary(path, member, data) as binary:
            text = io.TextIOWrapper(binary, encoding=encoding, errors="ometsuke-count", newline="")
            reader = csv.reader(text)
            # zip asks the reader for a record, then for its line_num: each record with its own line number.
            records = zip(filter(None, reader), map(_LINE_NUM, repeat(reader)), strict=False)
            bad_bytes = f"bytes that are not {encoding.removesuffix('-sig')}"
            # The decoder runs ahead of the records: a count that moved means this or a later chunk holds U+FFFD;
            # records are looked at until every replacement is found.
            seen, pending = _UNDECODABLE.count, 0
            while True:
                chunk: list[tuple[list[str], int]] = []
                problems: dict[int, str] = {}
                try:
                    chunk.extend(islice(records, size))  # what was read before an error stays in the chunk
                    ended = len(chunk) < size
                except csv.Error as error:
                    problems[len(chunk)] = f"not CSV ({error})"
                    chunk.append(([], reader.line_num))
                    ended = False
                except (zipfile.BadZipFile, EOFError, OSError) as error:
                    raise OpenDataError(f"{where}: line {reader.line_num}: cannot read on ({error})") from None
                if _UNDECODABLE.count != seen:
                    pending += _UNDECODABLE.count - seen
                    seen = _UNDECODABLE.count
                if pending:
                    for index, (fields, _line) in enumerate(chunk):
                        if index not in problems and (found := "".join(fields).count("\ufffd")):
                            problems[index] = bad_bytes
                            pending = max(0, pending - found)
                            if not pending:
                                break
                if chunk:
                    yield where, chunk, problems
                if ended:
                    break


def read_rows(path: Path, data: bytes | None = None) -> Iterator[Row]:
    """Every record of every CSV in path, one at a time with its line number and problem (see read_chunks)."""
    for where, chunk, problems in read_chunks(path, ROW_CHUNK, data):
        if problems:
            for index, (fields, line) in enumerate(chunk):
                yield where, line, fields, problems.get(index)
        else:
            for fields, line in chunk:
                yield where, line, fields, None
