"""Each fast path of the extractor against the plain computation it replaced, on the fixture sites, the real pages
in ../shared/realworld (when present), the benchmark's generated releases and hand-written awkward pages.

The fast paths exist for the crawl's speed (bench/run.py); they must never change what a page extracts to.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.amounts import Amount
from nlp.organizations import Organization
from nlp.tagger import Mention, TagResult
from scrapers.extract import dates as dates_module
from scrapers.extract.body import extract_body, extract_body_copying
from scrapers.extract.boiler import is_furniture
from scrapers.extract.decode import decode_bytes
from scrapers.extract.html import parse_html, text_of
from textutil.dates import DateMention, find_dates
from textutil.width import fold_width

TESTS = Path(__file__).resolve().parent
_REALWORLD = [Path(os.environ.get("OMETSUKE_REALWORLD", "")), TESTS.parents[1] / "shared" / "realworld",
              Path("/work/shared/realworld")]  # fmt: skip
REALWORLD = next((p for p in _REALWORLD if str(p) != "." and p.is_dir()), None)

AWKWARD = [
    # Furniture holding the page's h1 stays; an h1 inside <noscript> does not count (junk goes first).
    '<html><body><div class="header"><h1>Title</h1></div><div class="nav"><noscript><h1>x</h1></noscript>menu</div>'
    '<div id="main"><p>本文です。更新日：2026年7月31日</p><!-- c -->tail<script>s()</script>after</div></body></html>',
    # A header inside <article> is the article's own; hidden blocks go; an empty declared container falls back.
    '<html><body><article><header class="nav">記事の見出し 公開日 令和8年8月1日</header><p>本文</p>'
    '<div hidden>隠し</div><div style="display: none">none</div></article><footer>© site 最終更新 2026/08/02'
    '</footer></body></html>',
    '<html><body><div id="contents"><nav>only a menu</nav></div><div><p>本文はこちら。掲載日 2026年8月3日</p>'
    '<ul class="menu"><li><a href="/">ホーム</a></li></ul><p>二段落目</p></div></body></html>',
    '<html><body><iframe id="main"></iframe><div class="side">サイド 2026年1月1日更新</div><div><div>'
    '<p>長い本文の段落が続きます。<a href="/x">リンク</a>テキスト</p></div><div><p>短い</p></div></div></body></html>',
    '<html><head><meta property="og:published_time" content="2026-08-01T00:15:00+09:00">'
    '<meta name="date" content="2026-07-30"><meta itemprop="datePublished" content="2025-01-01"></head>'
    '<body><main><p>本文</p><span itemprop="datePublished" datetime="2024-02-03">x</span></main></body></html>',
    '<html><body><div class="tab">更</div>新日 2026年2月2日<p>発<span class="sns">x</span>表日：令和元年5月1日</p>'
    '</body></html>',
    # No declared container: a menu block holding the h1 is kept, and is the densest block here.
    '<html><body><div class="nav"><h1>サイトの見出し</h1><p>メニューの中にある長い本文のような文章です。</p></div>'
    "<div><p>短い</p></div></body></html>",
    # An article's own header is kept even when hidden (that is what the copying path does).
    "<html><body><article><header hidden>隠れた見出し</header><p>本文の段落</p></article></body></html>",
    # Microdata only: attributes read in their element's order, an unreadable value skipped.
    '<html><body><span itemprop="datePublished" datetime="bad" content="2023-01-01">x</span>'
    '<time itemprop="datePublished" datetime="2024-05-06"></time><p itemprop="name">n</p></body></html>',
    "<html><body></body></html>",
    "<p>no body tag at all 2026年3月4日 掲載</p>",
]


def _pages() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [(f"awkward{i}", html) for i, html in enumerate(AWKWARD)]
    paths = sorted(TESTS.glob("fixtures/**/*.html"))
    if REALWORLD is not None:
        paths += sorted(REALWORLD.glob("*.html"))
    found += [(p.name, decode_bytes(p.read_bytes(), None).text) for p in paths]
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """Releases of bench/site.py (the benchmark crawls these): UTF-8 and Shift_JIS, furniture around the text."""
    spec = importlib.util.spec_from_file_location("bench_site", TESTS.parent / "bench" / "site.py")
    site = importlib.util.module_from_spec(spec)
    sys.modules["bench_site"] = site  # its dataclasses look their module up
    spec.loader.exec_module(site)
    root = tmp_path_factory.mktemp("site")
    site.generate_site(root, 24, site.watch_entries(60))
    return [(p.name, decode_bytes(p.read_bytes(), None).text) for p in sorted(root.glob("press/*/*/*.html"))]


PAGES = _pages()


# -- the computations the fast paths replaced, kept here as the reference --------------------------------------


def text_without_furniture_copying(tree) -> str:
    body = tree.find("body")
    if body is None:
        return ""
    body = copy.deepcopy(body)
    for element in list(body.iter()):
        if element is not body and isinstance(element.tag, str) and element.getparent() is not None:
            if is_furniture(element):
                element.drop_tree()
    return text_of(body)


def meta_date_scanning(tree) -> str | None:
    for name in dates_module._META_DATE_NAMES:
        for attr in ("property", "name", "itemprop"):
            for value in tree.xpath(f'//meta[@{attr}="{name}"]/@content'):
                found = dates_module.iso_to_japan_date(value)
                if found:
                    return found
    for value in tree.xpath("//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"):
        found = dates_module.iso_to_japan_date(value)
        if found:
            return found
    return None


def labelled_date_without_precheck(text: str) -> str | None:
    """labelled_date as it was: find_dates over the whole text first, whether or not a label word is there."""
    saved = dates_module._ANY_LABEL
    dates_module._ANY_LABEL = re.compile("")
    try:
        return dates_module.labelled_date(text)
    finally:
        dates_module._ANY_LABEL = saved


def _check(html: str) -> None:
    tree = parse_html(html)
    assert extract_body(tree) == extract_body_copying(tree)
    text = text_without_furniture_copying(tree)
    assert dates_module._text_without_furniture(tree) == text
    assert meta_date_scanning(tree) == dates_module.meta_date(tree)
    union = "//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"
    assert dates_module._published_itemprops(tree) == tree.xpath(union)
    for sample in (text, extract_body(tree)):
        assert dates_module.labelled_date(sample) == labelled_date_without_precheck(sample)


@pytest.mark.parametrize("name,html", PAGES, ids=[name for name, _ in PAGES])
def test_fast_paths_agree_on_fixture_and_real_pages(name: str, html: str) -> None:
    _check(html)


def test_fast_paths_agree_on_generated_releases(generated: list[tuple[str, str]]) -> None:
    assert len(generated) == 24
    for _name, html in generated:
        _check(html)


def test_the_awkward_pages_exercise_each_branch() -> None:
    """The hand-written pages reach what they were written for (else the comparison above proves less)."""
    results = [extract_body(parse_html(html)) for html in AWKWARD]
    assert "Title" not in results[0] and "本文です。" in results[0] and "tail" in results[0] and "s()" not in results[0]
    assert "記事の見出し" in results[1] and "隠し" not in results[1] and "none" not in results[1]
    assert "本文はこちら" in results[2] and "ホーム" not in results[2]
    assert "長い本文の段落" in results[3] and "サイド" not in results[3]
    assert dates_module.meta_date(parse_html(AWKWARD[4])) == "2026-08-01"
    assert "メニューの中" in results[6] and "隠れた見出し" in results[7]
    assert dates_module.meta_date(parse_html(AWKWARD[8])) == "2023-01-01"
    assert dates_module.published_date(parse_html(AWKWARD[5]), "", "https://example.jp/")[0] == "2019-05-01"


BLOCKS = ["<div>", "</div>", "<p>", "</p>", '<div class="nav">', '<div class="side">', "<nav>", "</nav>",
          '<div id="main">', '<div id="contents">', "<main>", "</main>", "<article>", "</article>", "<header>",
          "</header>", '<div hidden>', "<h1>", "</h1>", "<noscript>", "</noscript>", "<script>x</script>", "<!--c-->",
          '<a href="/a">', "</a>", "<li>", "</li>", "<ul>", "</ul>", "本文", "更新日：", "掲載", "2026年7月31日",
          "令和8年8月1日", "発表日 ", "メニュー", " ", "\n",
          '<div class="header">', "<header hidden>", '<p style="display:none">', '<div role="main">',
          "<h2>関連リンク</h2>", "<h3>", "</h3>", "<section>", "</section>", "<iframe></iframe>",
          '<div class="recommend">']  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(BLOCKS), max_size=40))
def test_fast_paths_agree_on_random_markup(pieces: list[str]) -> None:
    _check("<html><body>" + "".join(pieces) + "</body></html>")


def test_labelled_date_precheck_is_only_a_shortcut() -> None:
    """Every label (and every word `_LABEL_AFTER` looks for) is matched by the precheck, unfolded or folded."""
    words = (*dates_module._PUBLISHED_LABELS, *dates_module._UPDATED_LABELS, "更新", "掲載", "発表", "公開")
    for label in words:
        assert dates_module._ANY_LABEL.search(label) and fold_width(label) == label
    assert dates_module.labelled_date("2026年7月31日") is None and find_dates("2026年7月31日")


def test_tag_result_to_dict_is_the_asdict_shape() -> None:
    result = TagResult(
        mentions=[Mention("宮坂学", "official", "宮坂副知事", 3, 8, "…宮坂副知事は…")],
        amounts=[Amount(16506875, "16,506,875円", 10, 21)],
        organizations=[Organization("デジタルガレージ", "株式会社デジタルガレージ", 0, 12, True, 4, 12)],
        dates=[DateMention("2026-07-31", "令和8年7月31日", 30, 40)],
    )
    expected = {
        "mentions": [asdict(m) for m in result.mentions],
        "amounts": [asdict(a) for a in result.amounts],
        "organizations": [{k: v for k, v in asdict(o).items() if k not in ("name_start", "name_end")}
                          for o in result.organizations],
        "dates": [asdict(d) for d in result.dates],
    }  # fmt: skip
    assert result.to_dict() == expected
    assert list(result.to_dict()["mentions"][0]) == list(asdict(result.mentions[0]))  # same key order in the JSON
