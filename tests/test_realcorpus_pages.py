"""Single real pages scored as a crawl stores them: title, own published date, body passages, menu leaks (issue 11).

The labels (tests/labels/dev_pages.json) were written by reading the pages before the extractor ran on them; the
pages themselves stay in ../shared (their text belongs to their publishers) and the test skips loudly without them.
Each page goes through the spiders' own path: a Scrapy response with the bytes as a server sends them, the charset
fix, one parse and `build_item` of the page spider, so what is scored is what a crawl would store.

Run `python tests/test_realcorpus_pages.py` for the scoreboard and every miss (`… heldout` scores the held-out part:
measured once, at the end of issue 11's work).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import pytest
from scrapy.http import HtmlResponse
from support.realcorpus import SHARED, load_labels, read_bytes

from scrapers.spiders.page import PageSpider

# Thresholds of issue 11 (held-out part; the development part is held to the same).
MIN_TITLES = 0.95
MIN_DATES = 0.95
MIN_PASSAGES = 1.0
MAX_LEAKS = 0.03

_SPACES = re.compile(r"\s+")


# -- loading (tests/support/realcorpus.py reads every label file; the pages are the labels without "releases") --


def load_page_labels(part: str) -> list[dict]:
    """The labelled single pages of one part: file, url, kind, part, title, published, passages, not_in_body."""
    labels = [label for label in load_labels(part) if "releases" not in label]
    for label in labels:
        missing = {"file", "url", "kind", "part", "title", "published", "passages", "not_in_body"} - set(label)
        if missing:
            raise ValueError(f"label for {label.get('file')!r} lacks {sorted(missing)}")
    return labels


page_bytes = read_bytes  # the captured page, byte for byte, from ../shared


@dataclass
class Stored:
    """What a crawl stores for a page (the fields this score reads)."""

    title: str
    published: str | None
    body: str


def crawl_extract(data: bytes, url: str, content_type: str = "text/html") -> Stored:
    """The page as the page spider stores it: Scrapy decodes the response, the spider fixes the charset, parses once
    and extracts (`SourceSpider.build_item`). `text/html` without a charset is what a static server sends for .html."""
    spider = PageSpider(source={"name": "realcorpus", "urls": [url], "attachments": False})
    response = HtmlResponse(url=url, body=data, headers={"Content-Type": content_type})
    item = spider.build_item(response, None)
    return Stored(title=item.title or "", published=item.published, body=item.body or "")


# -- scoring --------------------------------------------------------------------------------------------------------


def normalise_title(text: str) -> str:
    """Titles compare after whitespace normalisation (runs of any space, ideographic ones too, become one)."""
    return _SPACES.sub(" ", text).strip()


def _squeezed(text: str) -> str:
    return _SPACES.sub("", text)


@dataclass
class Score:
    titles: int = 0
    dates: int = 0
    passages: int = 0
    passages_total: int = 0
    leaks: int = 0
    leaks_total: int = 0
    pages: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, label: dict, stored: Stored) -> None:
        name = label["file"]
        self.pages += 1
        if normalise_title(stored.title) == normalise_title(label["title"]):
            self.titles += 1
        else:
            self.misses.append(f"{name}: title {stored.title!r} != {label['title']!r}")
        if stored.published == label["published"]:
            self.dates += 1
        else:
            self.misses.append(f"{name}: published {stored.published!r} != {label['published']!r}")
        body = _squeezed(stored.body)
        for passage in label["passages"]:
            self.passages_total += 1
            if _squeezed(passage) in body:
                self.passages += 1
            else:
                self.misses.append(f"{name}: passage {passage!r} missing from the body")
        for furniture in label["not_in_body"]:
            self.leaks_total += 1
            if _squeezed(furniture) in body:
                self.leaks += 1
                self.misses.append(f"{name}: {furniture!r} leaked into the body")

    def rates(self) -> dict[str, float]:
        return {
            "titles": self.titles / self.pages,
            "dates": self.dates / self.pages,
            "passages": self.passages / self.passages_total,
            "leaks": self.leaks / self.leaks_total,
        }

    def summary(self) -> str:
        return (
            f"titles {self.titles}/{self.pages}, dates {self.dates}/{self.pages}, "
            f"passages {self.passages}/{self.passages_total}, menu leaks {self.leaks}/{self.leaks_total}"
        )


def score_pages(labels: list[dict]) -> Score:
    score = Score()
    for label in labels:
        score.add(label, crawl_extract(page_bytes(label), label["url"]))
    return score


# -- tests ----------------------------------------------------------------------------------------------------------

DEV = load_page_labels("dev")
pytestmark = pytest.mark.skipif(
    not (SHARED / "realcorpus").is_dir(), reason=f"{SHARED}/realcorpus not present: real-page scores not measured"
)


def test_labels_are_short_facts_about_present_pages():
    """Labels stay labels (short phrases, never page text) and every labelled file is there."""
    assert len(DEV) >= 20
    for label in DEV:
        assert (SHARED / label["file"]).is_file(), label["file"]
        assert label["kind"] in ("article", "other") and label["part"] in ("dev", "heldout")
        assert label["published"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", label["published"])
        assert all(len(s) <= 25 for s in label["passages"] + label["not_in_body"]), label["file"]
        assert 2 <= len(label["not_in_body"]) <= 4, label["file"]


@pytest.mark.parametrize("label", DEV, ids=[label["file"].rsplit("/", 1)[-1] for label in DEV])
def test_furniture_strings_are_really_on_the_page(label: dict):
    """A leak count means something only if each not_in_body string is on the page (in its menus or boxes), and a
    passage only if the page shows it: both are looked for in the whole document's text."""
    from scrapers.extract import decode_bytes
    from scrapers.extract.html import parse_html

    tree = parse_html(decode_bytes(page_bytes(label), "text/html").text)
    text = _squeezed(tree.text_content())
    for phrase in label["not_in_body"] + label["passages"]:
        assert _squeezed(phrase) in text, (label["file"], phrase)


@functools.cache
def _dev_score() -> Score:
    return score_pages(DEV)


def _report(score: Score) -> str:
    return score.summary() + "".join(f"\n  {miss}" for miss in score.misses)


# Dev part before the fixes of issue 11: titles 20/24, dates 13/24, passages 47/47, menu leaks 22/94. Titles were
# 22/24 until <title> was read with a site name first (Vector) and og: metas spelt with value= instead of content=;
# the 2ch portal, whose only content is an <iframe>, is stored as 'no text extracted' without a title.
def test_dev_titles():
    score = _dev_score()
    assert score.rates()["titles"] >= MIN_TITLES, _report(score)


def test_dev_published_dates():
    score = _dev_score()
    assert score.rates()["dates"] >= MIN_DATES, _report(score)


def test_dev_passages():
    score = _dev_score()
    assert score.rates()["passages"] >= MIN_PASSAGES, _report(score)


def test_dev_menu_leaks():
    score = _dev_score()
    assert score.rates()["leaks"] <= MAX_LEAKS, _report(score)


if __name__ == "__main__":  # the scoreboard: python tests/test_realcorpus_pages.py [dev|heldout]
    import sys

    part = sys.argv[1] if len(sys.argv) > 1 else "dev"
    result = score_pages(load_page_labels(part))
    print(f"{part}: {result.summary()}")
    for miss in result.misses:
        print("  " + miss)
