"""Files in the official formats of the NTA 法人番号 bulk download and the p-portal 落札実績 open data, written at
test time (../shared/procurement/FORMATS.md describes both), and the real rows quoted there.

Real rows are read from FORMATS.md, never copied into the repository; tests that need them skip loudly without it.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from textutil.corporate_number import check_digit

_CANDIDATES = [
    Path(os.environ.get("OMETSUKE_PROCUREMENT", "")) / "FORMATS.md",
    Path(__file__).resolve().parents[3] / "shared" / "procurement" / "FORMATS.md",
    Path("/work/shared/procurement/FORMATS.md"),
]
FORMATS = next((p for p in _CANDIDATES if p.is_file()), _CANDIDATES[-1])

# Columns of the NTA CSV that the publisher quotes (text); the others are codes, dates and numbers.
_QUOTED = {6, 9, 10, 11, 16, 21, 24, 25, 26, 27, 28}


def corporate_number(base: int) -> str:
    """A valid 13-digit corporate number for a 12-digit base."""
    digits = f"{base:012d}"
    return f"{check_digit(digits)}{digits}"


def nta_row(
    number: str, name: str, *, process: str = "01", updated: str = "2026-11-30", changed: str | None = None,
    sequence: int = 1, kind: str = "301", prefecture: str = "東京都", city: str = "港区",
    street: str = "北青山１丁目３番１号", closed: str = "", closed_reason: str = "", successor: str = "",
    latest: str = "1", kana: str = "",
) -> list[str]:
    """The 30 columns of one NTA record, in the published order."""
    row = [""] * 30
    row[0], row[1], row[2], row[3], row[4] = str(sequence), number, process, "0", updated
    row[5], row[6], row[8] = changed or updated, name, kind
    row[9], row[10], row[11] = prefecture, city, street
    row[13], row[14] = "13", "103"
    row[18], row[19], row[20] = closed, closed_reason, successor
    row[22], row[23], row[28], row[29] = "2015-10-05", latest, kana, "0"
    return row


def nta_csv(rows: list[list[str]]) -> str:
    """As published: no header, CRLF, text columns quoted."""
    lines = []
    for row in rows:
        lines.append(",".join(f'"{v}"' if i in _QUOTED and v else v for i, v in enumerate(row)))
    return "".join(line + "\r\n" for line in lines)


def awards_csv(rows: list[list[str]]) -> str:
    """As published: no header, CRLF, every field quoted (the BOM is added when encoding)."""
    return "".join(",".join(f'"{v}"' for v in row) + "\r\n" for row in rows)


def write_text(path: Path, text: str, *, encoding: str = "utf-8", bom: bool = False) -> Path:
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_zip(path: Path, member: str, text: str, *, encoding: str = "utf-8", bom: bool = False) -> Path:
    """A ZIP holding the CSV (and, like the NTA downloads, its .asc signature beside it)."""
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
        signature = "-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n"
        archive.writestr(member.rsplit(".", 1)[0] + ".asc", signature)
    return path


def real_blocks() -> tuple[str, str]:
    """(NTA rows, p-portal rows) as quoted in FORMATS.md, with the publishers' CRLF line ends restored."""
    text = FORMATS.read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)```", text, re.S)
    nta = next(b for b in blocks if re.match(r"\d+,\d{13},", b))
    awards = next(b for b in blocks if b.startswith('"'))
    return nta.replace("\n", "\r\n"), awards.replace("\n", "\r\n")
