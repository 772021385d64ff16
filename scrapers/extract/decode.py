"""Bytes → text for Japanese pages and feeds, agreeing with Scrapy's `response.text`.

Scrapy (w3lib) trusts, in order, a BOM, the HTTP charset, the meta/XML declaration, then guesses; it maps
Shift_JIS to CP932 so ①, 髙, ㈱ and № survive. What it cannot do is notice a header or meta that lies (Apache's
default `charset=ISO-8859-1` on a Shift_JIS page, a UTF-8 page labelled Shift_JIS): the result is mojibake or
U+FFFD. `choose_encoding` keeps Scrapy's choice whenever the bytes are valid in it and otherwise picks the
declared or Japanese encoding in which they are; spiders pass that name back to Scrapy (`response.replace(
encoding=…)`) so that `response.text` and `decode_bytes` on saved bytes always give the same text.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

log = logging.getLogger(__name__)

# Encodings in which any byte string decodes: a "successful" decode in them proves nothing.
_PERMISSIVE = {"cp1252", "latin_1", "iso8859_1", "ascii", "cp1254", "mac_roman"}
# euc_jis_2004 also reads the NEC row-13 characters (①, ㈱, №) that EUC-JP pages made on Windows carry.
_JAPANESE = ("cp932", "euc_jp", "euc_jis_2004")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used and where the choice came from (for `ometsuke extract` and logs)."""

    text: str
    encoding: str
    reason: str


def _norm(name: str | None) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name)
    return codecs.lookup(resolved).name.replace("-", "_") if resolved else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _japanese_score(text: str) -> int:
    """Hiragana is the surest sign of right Japanese decoding; mojibake gives half-width kana instead."""
    return len(_HIRAGANA.findall(text)) - len(_HALFWIDTH_KANA.findall(text))


def _better_japanese(body: bytes, chosen: str, chosen_text: str) -> str | None:
    """A Japanese encoding that reads the bytes far better than `chosen` does, which also decoded without error.

    EUC-JP bytes decode as CP932 without a single error (as half-width katakana and rare kanji), so a page that says
    Shift_JIS but is EUC-JP (or the reverse) is only caught by what the text looks like: real Japanese text is full
    of hiragana, mojibake has almost none.
    """
    if chosen not in ("cp932", "shift_jis", "euc_jp", "euc_jis_2004"):
        return None
    own: int | None = None  # scored only when a rival decodes at all (a CP932 page is rarely valid EUC-JP)
    for name in _JAPANESE:
        if name == chosen or (name == "euc_jis_2004" and chosen == "euc_jp"):
            continue
        text = _strict(body, name)
        if text is None:
            continue
        if own is None:
            own = _japanese_score(chosen_text)
        if _japanese_score(text) > max(20, 3 * max(own, 0)):
            return name
    return None


def scrapy_encoding(body: bytes, content_type: str | None) -> str:
    """The encoding Scrapy's TextResponse would pick for these bytes and this Content-Type header."""
    bom = read_bom(body)[0]
    if bom:
        return _norm(bom) or bom
    declared = http_content_type_encoding(content_type or "") or html_body_declared_encoding(body)
    if declared:
        return _norm(declared) or declared
    encoding, _ = html_to_unicode(content_type or "", body, auto_detect_fun=_auto_detect)
    return _norm(encoding) or encoding


def _auto_detect(body: bytes) -> str | None:
    for encoding in ("ascii", "utf-8"):
        if _strict(body, encoding) is not None:
            return encoding
    return None


def choose_encoding(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(encoding, reason): Scrapy's choice unless the bytes prove it wrong."""
    bom = read_bom(body)[0]
    if bom:
        return _norm(bom) or bom, "bom"
    header = _norm(http_content_type_encoding(content_type or ""))
    meta = _norm(html_body_declared_encoding(body))
    chosen = scrapy_encoding(body, content_type)
    if body.isascii():
        if (b"\x1b$B" in body or b"\x1b$@" in body) and chosen != "iso2022_jp":
            return "iso2022_jp", "ISO-2022-JP escape sequences"
        return chosen, "ascii"
    # Non-ASCII bytes that are valid UTF-8 are UTF-8 whatever the labels say (CP932/EUC-JP text practically never is).
    if chosen not in ("utf_8", "utf_8_sig") and _strict(body, "utf-8") is not None:
        return "utf-8", f"valid UTF-8 despite {chosen}"
    chosen_text = _strict(body, chosen) if chosen not in _PERMISSIVE else None
    if chosen_text is not None:
        rival = _better_japanese(body, chosen, chosen_text)
        if rival:
            return rival, f"{chosen} decodes to mojibake"
        return chosen, "header" if chosen == header else "meta" if chosen == meta else "detected"
    candidates: list[str] = []
    declared_euc = ("euc_jis_2004",) if "euc_jp" in (meta, header) else ()
    for name in (meta, header, *declared_euc, *_JAPANESE):
        if name and name not in _PERMISSIVE and name not in candidates:
            candidates.append(name)
    decodable = [(name, text) for name in candidates if (text := _strict(body, name)) is not None]
    if decodable:
        declared = [item for item in decodable if item[0] in (meta, header, *declared_euc)]
        best = declared[0] if declared else max(decodable, key=lambda item: _japanese_score(item[1]))
        log.debug("charset %s replaced by %s", chosen, best[0])
        return best[0], f"bytes invalid as {chosen}" if chosen not in _PERMISSIVE else f"{chosen} label ignored"
    # Nothing decodes cleanly: keep the candidate with the fewest replacement characters.
    best_name = min(
        [chosen, *candidates], key=lambda name: body.decode(name, errors="replace").count("\ufffd")
    )
    return best_name, "best effort (invalid bytes)"


def decode_bytes(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a saved page or feed the way the spiders do (BOM stripped)."""
    encoding, reason = choose_encoding(body, content_type)
    _, text = html_to_unicode(f"charset={encoding}", body)
    return Decoded(text=text, encoding=encoding, reason=reason)


def fix_response_encoding(response):  # type: ignore[no-untyped-def]
    """Return the Scrapy response re-labelled with the right encoding, so `response.text` is right."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    encoding, _ = choose_encoding(response.body, content_type)
    if _norm(response.encoding) == _norm(encoding):
        return response
    return response.replace(encoding=encoding)
