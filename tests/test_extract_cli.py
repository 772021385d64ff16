"""`ometsuke extract` through click's CliRunner: JSON shape, text output, feeds, documents, bad input."""

from __future__ import annotations

import json

from click.testing import CliRunner
from support.documents import japanese_pdf
from support.sites import FIXTURES

from ometsuke.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def test_json_for_a_shift_jis_list_page():
    result = _run(str(FIXTURES / "ward_news/index.html"), "--url", "https://www.city.example.lg.jp/", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"title", "published", "body", "links", "releases"} <= set(data)
    assert data["title"] == "新着情報一覧"
    assert len(data["releases"]) == 100
    assert data["releases"][0] == {"url": "https://www.city.example.lg.jp/kurashi/news/2026073101.html",
                                   "title": "①髙橋区長の定例記者会見（№12）", "date": "2026-07-31"}  # fmt: skip
    assert {"url", "text"} == set(data["links"][0])


def test_text_output_and_lying_content_type():
    page = FIXTURES / "encodings/sjis_header_says_utf8.html"
    result = _run(str(page), "--url", "https://x.example/a.html", "--content-type", "text/html; charset=UTF-8")
    assert result.exit_code == 0
    assert "title:     文字コード確認①" in result.output
    assert "published: 2019-05-01" in result.output
    assert "encoding:  cp932 (html)" in result.output
    assert "①髙橋②㈱ミナト№7" in result.output


def test_follow_selector_and_feed_and_pdf(tmp_path):
    result = _run(str(FIXTURES / "lycorp/ja/news/index.html"), "--url", "https://www.lycorp.co.jp/ja/news/",
                  "--follow", "li.c-col a.c-article-panel-d2", "--json")  # fmt: skip
    assert [r["date"] for r in json.loads(result.output)["releases"]] == ["2026-02-05", "2026-02-03", "2026-01-30"]
    feed = json.loads(_run(str(FIXTURES / "feeds/rss10_sjis.rdf"), "--url", "http://p.example/f.rdf", "--json").output)
    assert feed["title"] == "富士通のプレスリリース" and feed["releases"][0]["date"] == "2026-08-01"
    pdf = tmp_path / "annex.pdf"
    pdf.write_bytes(japanese_pdf(["契約金額 16,506,875円"]))
    assert "契約金額 16,506,875円" in json.loads(_run(str(pdf), "--url", "https://x/a.pdf", "--json").output)["body"]


def test_bad_input_exits_2_with_one_line(tmp_path):
    missing = _run(str(tmp_path / "nope.html"), "--url", "https://x/")
    assert missing.exit_code == 2 and missing.output.strip() == f"Error: {tmp_path / 'nope.html'}: no such file"
    bad_url = _run(str(FIXTURES / "ward_news/index.html"), "--url", "x.html")
    assert bad_url.exit_code == 2 and len(bad_url.output.strip().splitlines()) == 1 and "--url" in bad_url.output
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert _run(str(empty), "--url", "https://x/").exit_code == 2
    selector = _run(str(FIXTURES / "ward_news/index.html"), "--url", "https://x/", "--follow", "a[[")
    assert selector.exit_code == 2 and "not a valid CSS selector" in selector.output
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x')
    out = _run(str(broken), "--url", "https://x/f.xml")
    assert out.exit_code == 2 and out.output.startswith(f"Error: {broken}: not a well-formed feed at https://x/f.xml")


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["extract", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "ometsuke extract" in result.output


def test_a_document_is_what_the_crawl_calls_a_document(tmp_path):
    """extract decides by the crawl's rule (scrapers.spiders.base.is_document): a CSV by its extension, a PDF sold
    as HTML by its bytes; before, extract read a CSV as an HTML page."""
    table = tmp_path / "keiyaku.csv"
    table.write_text('契約名,金額\n庁舎清掃,"1,200,000"\n', encoding="utf-8")
    csv = json.loads(_run(str(table), "--url", "https://x.example/keiyaku.csv", "--json").output)
    assert (csv["kind"], csv["body"]) == ("text/csv", "契約名 金額\n庁舎清掃 1,200,000")
    pdf = tmp_path / "annex.html"
    pdf.write_bytes(japanese_pdf(["契約金額 16,506,875円"]))
    sold_as_html = _run(str(pdf), "--url", "https://x.example/annex", "--content-type", "text/html", "--json")
    assert json.loads(sold_as_html.output)["kind"] == "application/pdf"
