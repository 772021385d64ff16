"""Decoding: Scrapy's response.text (after fix_response_encoding) and decode_bytes on saved bytes must agree, and
both must be right for Shift_JIS as CP932, EUC-JP, BOMs and lying labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse
from support.sites import FIXTURES

from scrapers.extract import decode_bytes
from scrapers.extract.decode import fix_response_encoding

EXTENSION_CHARS = "①②髙㈱№Ⅲ﨑∵≒"
ENCODING_PAGES = sorted((FIXTURES / "encodings").glob("*.html"))


def _header(path: Path) -> str | None:
    sidecar = path.with_name(path.name + ".headers")
    if not sidecar.exists():
        return None
    return sidecar.read_text(encoding="utf-8").split(":", 1)[1].strip()


@pytest.mark.parametrize("path", ENCODING_PAGES, ids=lambda p: p.name)
def test_saved_bytes_and_scrapy_response_decode_the_same_and_right(path: Path):
    body = path.read_bytes()
    header = _header(path)
    decoded = decode_bytes(body, header)
    headers = {"Content-Type": header} if header else {}
    response = fix_response_encoding(HtmlResponse("http://h/x", body=body, headers=headers))
    assert response.text == decoded.text
    assert "\ufffd" not in decoded.text
    assert "文字コード確認" in decoded.text and "令和元年５月１日に公開した資料です" in decoded.text
    if "euc" not in path.name and "2022" not in path.name:
        assert all(char in decoded.text for char in EXTENSION_CHARS), decoded.encoding
    if "nec_rows" in path.name:
        assert "①髙橋" not in decoded.text and "①高橋②㈱ミナト№7" in decoded.text


def test_plain_scrapy_trusts_a_lying_header_which_is_why_spiders_fix_it():
    body = (FIXTURES / "encodings/sjis_header_says_utf8.html").read_bytes()
    raw = HtmlResponse("http://h/x", body=body, headers={"Content-Type": "text/html; charset=UTF-8"})
    assert "\ufffd" in raw.text
    assert "①髙橋" in fix_response_encoding(raw).text


def test_reasons_name_the_source_of_the_choice():
    sjis = (FIXTURES / "encodings/sjis_meta.html").read_bytes()
    assert decode_bytes(sjis).encoding == "cp932" and decode_bytes(sjis).reason == "meta"
    assert decode_bytes(sjis, "text/html; charset=iso-8859-1").encoding == "cp932"
    bom = (FIXTURES / "encodings/utf8_bom.html").read_bytes()
    assert decode_bytes(bom, "text/html; charset=Shift_JIS").reason == "bom"
    assert not decode_bytes(bom).text.startswith("\ufeff")


ALPHABET = "あいうえおかきくけこアイウエオ漢字東京都契約金額円株式会社" + EXTENSION_CHARS + "０１２abc "
JAPANESE = st.text(
    alphabet=st.sampled_from(list(ALPHABET)),
    min_size=1, max_size=60,
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(text=JAPANESE, label=st.sampled_from([None, "utf-8", "iso-8859-1", "shift_jis", "euc-jp"]))
def test_cp932_text_survives_any_label(text: str, label: str | None):
    html = f"<html><head><title>t</title></head><body><p>ひらがな{text}</p></body></html>"
    body = html.encode("cp932")
    header = f"text/html; charset={label}" if label else None
    decoded = decode_bytes(body, header)
    assert decoded.text == html, decoded.encoding


@settings(max_examples=40, deadline=None)
@given(text=JAPANESE.filter(lambda t: not any(c in t for c in EXTENSION_CHARS)))
def test_euc_jp_without_any_label(text: str):
    html = f"<html><body><p>ひらがなとカタカナ{text}</p></body></html>"
    assert decode_bytes(html.encode("euc_jp")).text == html


KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ東京都契約金額"
KANA_TEXT = st.text(alphabet=st.sampled_from(list(KANA)), min_size=40, max_size=80)


@settings(max_examples=80, deadline=None)
@given(text=KANA_TEXT, swap=st.booleans())
def test_euc_jp_labelled_shift_jis_and_the_reverse(text: str, swap: bool):
    """EUC-JP bytes often decode as CP932 without one error (as half-width kana): only the text shows the lie."""
    real, label = ("cp932", "EUC-JP") if swap else ("euc_jp", "Shift_JIS")
    html = f'<html><head><meta charset="{label}"></head><body><p>{text}</p></body></html>'
    assert decode_bytes(html.encode(real), f"text/html; charset={label}").text == html
