"""Attachments of a release (PDF, Excel, Word, CSV): which links are attachments, and their text.

Tokyo's new CMS links attachments as `/documents/d/tosei/YYYYMMDD_NN_MM` with no extension (PDF or Excel), the old
one as `…/documents/NN_00.pdf` with `<a class="icon_pdf">別紙（PDF：807KB）</a>`; so the type comes from the
Content-Type or the file's magic bytes, and a link is an attachment by extension, class, text or that path.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .decode import decode_bytes
from .html import clean_space, parse_html
from .links import Link, base_url, resolve_href

log = logging.getLogger(__name__)

_EXTENSIONS = (".pdf", ".xlsx", ".xls", ".xlsm", ".docx", ".doc", ".csv", ".pptx", ".txt")
_CLASS = re.compile(r"icon_?(?:pdf|excel|xls|word|doc)|pdf|excel|xlsx?", re.IGNORECASE)
_TEXT = re.compile(
    r"(?:PDF|ＰＤＦ|Excel|エクセル|xlsx?|Word|ワード|CSV)\s*(?:ファイル)?\s*[：:（(]?\s*[\d.,]+\s*(?:KB|MB|キロバイト|バイト)",
    re.IGNORECASE,
)
_PATH = re.compile(r"/documents/d/|/material/files/|/uploaded/attachment/|/files/")


@dataclass(frozen=True)
class AttachmentText:
    content_type: str  # what the bytes are: application/pdf, …xlsx, text/csv…
    text: str
    error: str = ""


def attachment_links(html: str | HtmlElement, url: str) -> list[Link]:
    """Links in the page (its text, or the tree already parsed from it) that point at attached documents, in order,
    each once."""
    tree = parse_html(html) if isinstance(html, str) else html
    base = base_url(tree, url)
    seen: set[str] = set()
    found: list[Link] = []
    for anchor in tree.iter("a"):
        target = resolve_href(anchor.get("href"), base)
        if target is None or target in seen or target == url:
            continue
        path = urlsplit(target).path.lower()
        text = clean_space(anchor.text_content())
        if (
            path.endswith(_EXTENSIONS)
            or _CLASS.search(anchor.get("class") or "")
            or _TEXT.search(text)
            or (_PATH.search(path) and "." not in path.rsplit("/", 1)[-1])
        ):
            seen.add(target)
            found.append(Link(target, text))
    return found


def sniff_type(body: bytes, content_type: str, url: str) -> str:
    """The document type from magic bytes first (servers mislabel), then Content-Type, then the extension."""
    head = body[:8]
    path = urlsplit(url).path.lower()
    declared = content_type.split(";", 1)[0].strip().lower()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        if "word" in declared or path.endswith(".docx"):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "presentation" in declared or path.endswith(".pptx"):
            return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "application/vnd.ms-excel" if "word" not in declared else "application/msword"
    if declared in ("text/csv", "application/csv") or path.endswith(".csv"):
        return "text/csv"
    return declared or "application/octet-stream"


def is_document_type(content_type: str, url: str) -> bool:
    """A detail URL that is itself a document (a list linking a PDF directly)."""
    declared = content_type.split(";", 1)[0].strip().lower()
    return declared.startswith("application/") and "html" not in declared and "xml" not in declared or urlsplit(
        url
    ).path.lower().endswith(_EXTENSIONS)


def _pdf_text(body: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    # detect_vertical lets pdfminer group 縦書き columns; boxes_flow keeps the natural reading order.
    return extract_text(io.BytesIO(body), laparams=LAParams(detect_vertical=True))


def _xlsx_text(body: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    lines: list[str] = []
    for sheet in workbook.worksheets:
        lines.append(f"# {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
            if cells:
                lines.append("\t".join(cells))
    workbook.close()
    return "\n".join(lines)


def _csv_text(body: bytes, content_type: str) -> str:
    text = decode_bytes(body, content_type).text
    rows = csv.reader(io.StringIO(text))
    return "\n".join("\t".join(c.strip() for c in row if c.strip()) for row in rows if any(c.strip() for c in row))


def _normalise(text: str) -> str:
    lines = [clean_space(line) for line in text.replace("\x0c", "\n").splitlines()]
    return "\n".join(line for line in lines if line)


def attachment_text(body: bytes, content_type: str, url: str) -> AttachmentText:
    """Text of an attached document; `error` says why there is none (unsupported, damaged, empty)."""
    kind = sniff_type(body, content_type, url)
    try:
        if kind == "application/pdf":
            text = _pdf_text(body)
        elif kind.endswith("spreadsheetml.sheet"):
            text = _xlsx_text(body)
        elif kind == "text/csv" or kind.startswith("text/plain"):
            text = _csv_text(body, content_type) if kind == "text/csv" else decode_bytes(body, content_type).text
        else:
            return AttachmentText(kind, "", f"no text extraction for {kind}")
    except ImportError as error:
        return AttachmentText(kind, "", f"text extraction unavailable: {error}")
    except Exception as error:  # noqa: BLE001 - a damaged file is recorded, never fatal
        log.warning("could not read %s (%s): %s", url, kind, error)
        return AttachmentText(kind, "", f"unreadable {kind}: {type(error).__name__}: {error}"[:200])
    text = _normalise(text)
    return AttachmentText(kind, text, "" if text else f"no text in {kind} (scanned image?)")
