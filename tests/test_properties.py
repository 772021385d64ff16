"""Property tests: the parsers meet text nobody wrote on purpose (scraped pages, mojibake, binary served as HTML).

For any input, the date and amount parsers, the tagger and the extractor never raise, and every span they return
lies inside the text and reads back as its surface (`text[start:end] == surface`), because the database stores
those offsets and the digest quotes from them.
"""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nlp import Tagger, find_amounts, find_dates
from nlp.watchlist import WatchEntry
from scrapers.extract import decode_bytes, extract_bytes
from scrapers.extract.links import resolve_href

# Pieces of the text these parsers are built for, so that random strings often come close to real matches.
TOKENS = [
    "令和", "平成", "昭和", "元年", "年", "月", "日", "（", "）", "(", ")", "3", "１２", "〇", "一", "二", "十",
    "百", "千", "万", "億", "兆", "円", "約", "¥", "￥", "\\", ",", "，", ".", "・", "～", "〜", "-", "から",
    "2026", "R8", "/", "株式会社", "㈱", "（株）", "デジタルガレージ", "ヤフー", "宮坂", "学", "副知事", "前",
    "元", "知事", "は", "が", "と", "の", "。", "\n", " ", "\u3000", "髙", "①", "\u200b", "\ufeff", "\x00",
    "\x0b", "\ud7ff", "𠮷", "e\u0301", "ｶﾞ",
]  # fmt: skip
japanese_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=3)), max_size=40).map("".join),
)

WATCH = (
    WatchEntry(name="宮坂学", kind="official", family="宮坂", titles=("副知事",), aliases=("宮坂 学",),
               affiliations=("ヤフー",)),
    WatchEntry(name="デジタルガレージ", kind="vendor"),
    WatchEntry(name="ヤフー", kind="vendor"),
)  # fmt: skip


@functools.cache
def tagger() -> Tagger:
    """One Tagger (one Sudachi dictionary) for the whole module."""
    return Tagger(WATCH)


def assert_span(text: str, start: int, end: int, surface: str) -> None:
    assert 0 <= start < end <= len(text), (start, end, len(text))
    assert text[start:end] == surface


@settings(max_examples=300, deadline=None)
@given(japanese_text)
@example("令和元年5月1日と2026年2月30日、R8.1.5")
def test_find_dates_never_raises_and_spans_read_back(text: str) -> None:
    for mention in find_dates(text):
        assert_span(text, mention.start, mention.end, mention.surface)
        dt.date.fromisoformat(mention.date)  # a real calendar date, never 2月30日


@settings(max_examples=300, deadline=None)
@given(japanese_text)
@example("約1,234万円～2億円、￥16,506,875、一千二百円、1.5億円")
def test_find_amounts_never_raises_and_spans_read_back(text: str) -> None:
    for amount in find_amounts(text):
        assert_span(text, amount.start, amount.end, amount.surface)
        assert isinstance(amount.yen, int) and (amount.yen >= 0 or amount.surface[0] in "△▲")  # △: a loss


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(japanese_text)
@example("宮坂副知事はヤフー出身。株式会社デジタルガレージと16,506,875円で契約（令和3年3月15日）。")
def test_tagger_offsets_stay_inside_the_text(text: str) -> None:
    result = tagger().tag(text)
    for found in [*result.mentions, *result.amounts, *result.organizations, *result.dates]:
        assert_span(text, found.start, found.end, found.surface)
    assert {m.entity for m in result.mentions} <= {entry.name for entry in WATCH}


html_bytes = st.one_of(
    st.binary(max_size=2000),
    st.lists(
        st.one_of(
            st.sampled_from([b"<html>", b"<body>", b"<div id=main>", b"<h1>", b"</h1>", b"<p>", b"<title>", b"<!--",
                             b"<meta charset=shift_jis>", b"<meta charset=utf-8>", b"\xef\xbb\xbf", b"\xff\xfe",
                             b"<script>", b"</script>", b"<a href='/a'>", b"</a>", b"&#0;", b"&amp;", b"]]>"]),
            st.text(max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass")),
            st.text(max_size=20).map(lambda s: s.encode("cp932", "ignore")),
        ),
        max_size=40,
    ).map(b"".join),
)  # fmt: skip
content_types = st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=Shift_JIS",
                                 "text/html; charset=x-unknown", "application/octet-stream"])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(html_bytes, content_types)
def test_decoding_arbitrary_bytes_never_raises(body: bytes, content_type: str | None) -> None:
    decoded = decode_bytes(body, content_type)
    assert isinstance(decoded.text, str) and decoded.encoding


def _as_page(data: bytes) -> bytes:
    """The bytes inside a document and without C0 controls other than tab/newline/CR (tested separately below)."""
    return b"<html><body>" + bytes(b for b in data if b >= 0x20 or b in b"\t\n\r")


@settings(max_examples=200, deadline=None)
@given(html_bytes.map(_as_page), content_types)
def test_extracting_arbitrary_pages_never_raises(body: bytes, content_type: str | None) -> None:
    page = extract_bytes(body, "http://127.0.0.1/press/1.html", content_type)
    assert isinstance(page.title, str) and isinstance(page.body, str)
    assert page.published is None or dt.date.fromisoformat(page.published)


@settings(max_examples=50, deadline=None)
@given(html_bytes, content_types)
@example(b"<!-- \xe3\x83\xa1\xe3\x83\xb3\xe3\x83\x86 -->", "text/html; charset=utf-8")
def test_extracting_a_comment_only_page_never_raises(body: bytes, content_type: str | None) -> None:
    extract_bytes(body, "http://127.0.0.1/press/1.html", content_type)


@settings(max_examples=50, deadline=None)
@given(html_bytes.map(lambda b: b"<html><body>" + b), content_types)
@example(b"<html><body><div id=main><h1>t</h1><p>a</p><script>x</script>tail\x01</div></body></html>", None)
def test_extracting_bytes_with_control_characters_never_raises(body: bytes, content_type: str | None) -> None:
    extract_bytes(body, "http://127.0.0.1/press/1.html", content_type)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["http://", "//", "https://[", "http://[::1", "?", "#"]).flatmap(
            lambda prefix: st.text(max_size=20).map(lambda rest: prefix + rest)
        ),
    )
)
@example("http://[broken/x")
def test_resolving_any_href_never_raises(href: str) -> None:
    resolved = resolve_href(href, "http://127.0.0.1/press/")
    assert resolved is None or resolved.startswith(("http://", "https://"))
