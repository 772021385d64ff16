"""Attachments the tests generate: a real PDF with Japanese text (CID font, horizontal or vertical writing) and a
real .xlsx, so text extraction is checked on files made here rather than on stored binaries."""

from __future__ import annotations

import io


def japanese_pdf(lines: list[str], vertical: bool = False) -> bytes:
    """A one-page PDF showing `lines` in the standard HeiseiMin-W3 CID font (UniJIS-UCS2-H or -V encoding)."""
    encoding = "UniJIS-UCS2-V" if vertical else "UniJIS-UCS2-H"
    ops = ["BT", "/F1 12 Tf"]
    for number, line in enumerate(lines):
        x, y = (500 - 20 * number, 780) if vertical else (50, 780 - 20 * number)
        ops.append(f"1 0 0 1 {x} {y} Tm <{line.encode('utf-16-be').hex().upper()}> Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        f"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /{encoding} "
        f"/DescendantFonts [6 0 R] >>".encode(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 "
        b"/Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def xlsx(rows: list[list[object]], title: str = "契約一覧") -> bytes:
    """An Excel workbook with one sheet of rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
