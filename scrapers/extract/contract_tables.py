"""Contract tables that local governments publish (随意契約の公表, 契約締結状況, 入札結果) as HTML tables, Excel sheets
or PDF attachments, read into award rows: 件名, 相手方, 金額 in whole yen, 契約日 as an ISO date.

Tables are read by their headers, through one map of synonyms (HEADERS): a table is a contract table when one of
its first rows names a counterparty column (契約の相手方, 契約相手方, 落札者, 受注者…) and an amount or a title
column; any other table yields nothing. Amounts: 「1,234,567円」, 「￥1,234,567-」, 「1億2,345万円」, 「12,345千円」;
a header or caption saying 千円 multiplies the bare numbers of its column by 1,000. Dates: 和暦 or 西暦
(textutil.dates). Merged cells (rowspan/colspan) are repeated into the cells they cover; rows without a
counterparty, totals (合計, 小計, 計) and notes (※, 注) are skipped.

PDF text has no cells: a line is split into cells on tabs and runs of two or more spaces (what text extraction
leaves between columns), and read like a table row.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml.html import HtmlElement

from textutil.dates import find_dates
from textutil.width import fold_width

from .html import clean_space

# Column -> header phrases (width-folded, spaces removed), most specific first. A header cell belongs to the first
# column one of whose phrases it contains, unless it contains one of that column's exclusions.
HEADERS: dict[str, tuple[str, ...]] = {
    "vendor": ("契約の相手方", "契約相手方", "相手方", "落札者", "落札業者", "受注者", "契約業者", "契約先",
               "業者名", "事業者名", "商号又は名称", "商号"),
    "yen": ("契約金額", "落札金額", "契約額", "落札額", "契約価格", "落札価格", "請負金額", "委託料", "金額"),
    "decided": ("契約締結日", "契約年月日", "契約日", "締結日", "落札決定日", "落札日", "決定日", "開札日",
                "開札年月日"),
    "title": ("契約件名", "件名", "案件名", "業務名", "委託業務名", "工事名", "調達件名", "契約の名称", "品名",
              "名称"),
}
EXCLUDED: dict[str, tuple[str, ...]] = {
    "vendor": ("代表者", "所在地", "選定理由", "理由", "番号"),
    "yen": ("予定", "率", "見積", "単価"),
    "decided": ("期間", "予定", "期限"),
    "title": ("相手方", "商号", "業者", "落札者", "受注者", "根拠", "理由", "所在"),
}
_HEADER_ROWS = 4  # a header row is among the first rows of a table
_SKIP_ROW = re.compile(r"^(?:(?:合計|総計|小計|計)(?:[(（].*)?$|※|注[:：\d]|[(（]注|備考)")
_SPLIT_LINE = re.compile(r"\t|\s{2,}|\u3000+")
_THOUSAND_YEN = re.compile(r"千円")
_NUMBER = re.compile(r"(?:(\d+(?:\.\d+)?)億)?(?:(\d+(?:\.\d+)?)万)?(\d+(?:\.\d+)?)?(千)?(円)?")


@dataclass(frozen=True)
class ContractRow:
    """One row of a contract table: what a local government awarded to whom, for how much, when."""

    title: str
    vendor: str
    yen: int | None
    decided: str | None
    where: str  # which table or sheet, and row, of which document

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", fold_width(text))


def column_of(header: str) -> str | None:
    """The award column a header cell names, or None."""
    key = _header_key(header)
    if not key:
        return None
    for column, phrases in HEADERS.items():
        if any(p in key for p in phrases) and not any(x in key for x in EXCLUDED[column]):
            return column
    return None


def parse_yen(cell: str, thousands: bool = False) -> int | None:
    """Whole yen in a table cell: 「1,234,567円」「￥1,234,567-」「1億2,345万円」「12,345千円」; a bare number is in
    thousands of yen when the column says so. None when the cell holds no amount."""
    text = re.sub(r"[,，、\s￥¥\\]", "", fold_width(cell))
    text = re.sub(r"^[^\d]*", "", text)  # 金, 約, (税込)…
    match = _NUMBER.match(text)
    if not match or not any(match.group(i) for i in (1, 2, 3)):
        return None
    oku, man, rest, sen, en = match.groups()
    try:
        value = Decimal(oku or 0) * 100_000_000 + Decimal(man or 0) * 10_000
        if rest:
            value += Decimal(rest) * (1000 if sen or (thousands and not en and not oku and not man) else 1)
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else int(value.quantize(Decimal(1)))


def parse_date(cell: str) -> str | None:
    found = find_dates(cell)
    return found[0].date if found else None


def _first_line(cell: str) -> str:
    """The name in a cell that holds a name and an address (契約の相手方の商号又は名称及び住所)."""
    for line in cell.splitlines():
        if line.strip():
            return clean_space(line)
    return ""


def rows_from_table(table: Sequence[Sequence[str]], where: str, context: str = "") -> list[ContractRow]:
    """The award rows of one table (rows of cell text, merged cells already repeated); [] when it is not a
    contract table. `context` is text around the table (a caption saying 単位：千円)."""
    for index, header in enumerate(table[:_HEADER_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(header):
            column = column_of(cell)
            if column is not None and column not in columns:
                columns[column] = position
        if "vendor" in columns and ("yen" in columns or "title" in columns):
            thousands = bool(_THOUSAND_YEN.search(fold_width(header[columns["yen"]]) if "yen" in columns else "")) \
                or bool(re.search(r"単位\s*[:：]?\s*千円", fold_width(context)))
            return list(_rows(table[index + 1:], columns, thousands, where, index + 1))
    return []


def _rows(
    body: Sequence[Sequence[str]], columns: dict[str, int], thousands: bool, where: str, first: int
) -> Iterable[ContractRow]:
    def cell(row: Sequence[str], column: str) -> str:
        position = columns.get(column)
        return row[position] if position is not None and position < len(row) else ""

    for number, row in enumerate(body, start=first + 1):
        cells = [re.sub(r"\s+", "", fold_width(c)) for c in row]
        if not any(cells) or _SKIP_ROW.match(next((c for c in cells if c), "")):
            continue
        vendor = _first_line(cell(row, "vendor"))
        if not vendor or column_of(vendor) == "vendor":  # a repeated header row
            continue
        yen = parse_yen(cell(row, "yen"), thousands)
        title = clean_space(cell(row, "title"))
        if yen is None and not title:
            continue
        yield ContractRow(title=title, vendor=vendor, yen=yen, decided=parse_date(cell(row, "decided")),
                          where=f"{where} row {number}")


# -- HTML ---------------------------------------------------------------------------------------------------------


def _cell_text(element: HtmlElement) -> str:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(clean_space(line) for line in element.text_content().splitlines() if line.strip())


def html_table_rows(table: HtmlElement) -> list[list[str]]:
    """The cells of an HTML table, row by row, with rowspan and colspan cells repeated into what they cover."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)

    def covered(column: int, row: list[str]) -> bool:
        """Fill the cell a span from above covers, if any."""
        if column not in pending:
            return False
        left, text = pending.pop(column)
        row.append(text)
        if left > 1:
            pending[column] = (left - 1, text)
        return True

    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        row: list[str] = []
        cells = iter(tr.xpath("./th | ./td"))
        column = 0
        while True:
            if covered(column, row):
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = _cell_text(cell)
            down = _int(cell.get("rowspan"))
            for _ in range(_int(cell.get("colspan"))):
                if down > 1:
                    pending[column] = (down - 1, text)
                row.append(text)
                column += 1
        while covered(column, row):  # spans running past the row's last own cell
            column += 1
        grid.append(row)
    return grid


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def html_contract_rows(tree: HtmlElement, url: str) -> list[ContractRow]:
    """The award rows of every contract table of a parsed HTML page."""
    found: list[ContractRow] = []
    for number, table in enumerate(tree.iter("table"), start=1):
        if table.xpath("ancestor::table"):
            continue  # a layout table's inner tables are read on their own
        caption = " ".join(table.xpath("./caption//text()"))
        before = table.getprevious()
        context = caption + " " + (before.text_content() if before is not None else "")
        found.extend(rows_from_table(html_table_rows(table), f"{url} table {number}", context))
    return found


# -- documents ----------------------------------------------------------------------------------------------------


def xlsx_contract_rows(body: bytes, url: str) -> list[ContractRow]:
    """The award rows of every sheet of an .xlsx workbook (cells kept in their columns; merged cells repeated)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), data_only=True)
    found: list[ContractRow] = []
    for sheet in workbook.worksheets:
        grid = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = value
        rows = [row for row in grid if any(cell.strip() for cell in row)]
        header_at = next((i for i, row in enumerate(rows) if any(column_of(c) == "vendor" for c in row)), None)
        if header_at is None:
            continue
        context = " ".join(" ".join(row) for row in rows[:header_at])
        found.extend(rows_from_table(rows[header_at:], f"{url} sheet {sheet.title}", context))
    return found


def text_contract_rows(text: str, url: str) -> list[ContractRow]:
    """The award rows of a contract table in extracted PDF text: cells are separated by tabs or wide spaces."""
    lines = [line for line in text.splitlines() if line.strip()]
    rows = [[cell for cell in _SPLIT_LINE.split(line.strip()) if cell] for line in lines]
    header_at = next((i for i, row in enumerate(rows) if len(row) > 1 and any(column_of(c) == "vendor" for c in row)),
                     None)
    if header_at is None:
        return []
    context = " ".join(lines[:header_at])
    return rows_from_table(rows[header_at:], f"{url} text", context)


def _pdf_layout_text(body: bytes) -> str:
    """A PDF's text with the spaces between its columns kept (the stored text has them collapsed)."""
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(body))


def document_contract_rows(body: bytes, kind: str, text: str, url: str) -> list[ContractRow]:
    """The award rows of an attached document (`kind` as sniffed, `text` as extracted): cells of a spreadsheet,
    lines of a PDF's or a CSV's text. An unreadable document has none (its text error is recorded elsewhere)."""
    try:
        if kind.endswith("spreadsheetml.sheet"):
            return xlsx_contract_rows(body, url)
        if kind == "application/pdf":
            return text_contract_rows(_pdf_layout_text(body), url)
    except Exception:  # noqa: BLE001 - a damaged file yields no rows, never a failed page
        return []
    return text_contract_rows(text, url) if text else []
