"""tokyo_press on saved pages of both Tokyo sites (current CMS with extension-less URLs, old site), in process.

The whole crawl of this spider (HTTP, pipelines, database) is tests/test_pipeline_tokyo.py.
"""

from __future__ import annotations

from support.documents import japanese_pdf, xlsx
from support.responses import crawl_saved, make_spider
from support.sites import copy_site

from scrapers.spiders.tokyo_press import TokyoPressSpider, bureau_and_contact

METRO = "https://www.metro.tokyo.lg.jp"


def test_current_cms_overview_month_list_release_and_extensionless_attachment(tmp_path):
    root = copy_site("tokyo", tmp_path)
    documents = root / "documents/d/tosei"
    documents.mkdir(parents=True)
    annex = japanese_pdf(["別紙 受託者 株式会社デジタルガレージ", "契約金額 16,506,875円"])
    (documents / "20260731_01_01").write_bytes(annex)
    (documents / "20260731_01_01.headers").write_text("Content-Type: application/pdf\n")
    (documents / "20260730_02_01").write_bytes(xlsx([["件名", "金額"], ["入札制度改正", 1000]]))
    (documents / "20260730_02_01.headers").write_text("Content-Type: application/octet-stream\n")
    source = {"name": "tokyo-press", "spider": "tokyo_press", "kind": "government",
              "urls": [METRO + "/information/press/"]}  # fmt: skip
    found, requested = crawl_saved(make_spider(TokyoPressSpider, source), root)
    items = {i.url: i for i in found}
    release = items[METRO + "/information/press/2026/07/2026073101"]
    assert release.status == "ok"
    assert release.title == "ワクチン接種予約システムの運用事業者の決定について"
    assert release.published == "2026-07-31"
    assert release.extra["bureau"] == "デジタルサービス局"
    assert release.extra["contact"].endswith("デジタルサービス局 企画調整課 電話 03-5388-0000")
    (attachment,) = release.attachments
    assert attachment.content_type == "application/pdf" and "16,506,875円" in attachment.text
    other = items[METRO + "/information/press/2026/07/2026073002"]
    assert other.extra["bureau"] == "財務局"
    assert "入札制度改正" in other.attachments[0].text
    assert METRO + "/information/press/2026/07/" in [r.url for r in requested]  # the month linked from the overview
    assert len(items) == 2


def test_old_site_monthly_index_releases_and_icon_pdf(tmp_path):
    root = copy_site("tokyo", tmp_path)
    for day, number in (("05", "01"), ("04", "02")):
        folder = root / f"tosei/hodohappyo/press/2021/03/{day}/documents"
        folder.mkdir(parents=True)
        (folder / f"{number}_00.pdf").write_bytes(japanese_pdf([f"別紙{number} 契約の概要", "㈱東京電設"]))
    month = METRO + "/tosei/hodohappyo/press/2021/03/index.html"
    source = {"name": "tokyo-old", "spider": "tokyo_press", "urls": [month]}
    found, _requested = crawl_saved(make_spider(TokyoPressSpider, source), root)
    items = {i.url: i for i in found}
    first = items[METRO + "/tosei/hodohappyo/press/2021/03/05/01.html"]
    assert first.title == "都庁舎の照明LED化工事の契約について"
    assert first.published == "2021-03-05"
    assert "ここから本文です" not in first.body and "トップページ" not in first.body
    assert "Copyright" not in first.body
    assert "契約金額 １２３，４５６，０００円" in first.body
    assert first.extra == {"bureau": "財務局", "contact": "問い合わせ先\n財務局経理部 電話 03-5388-2000"}
    assert first.attachments[0].title == "別紙（PDF：807KB）"
    assert "別紙01 契約の概要" in first.attachments[0].text
    second = items[METRO + "/tosei/hodohappyo/press/2021/03/04/02.html"]
    assert second.published == "2021-03-04" and second.extra["bureau"] == "建設局"


def test_bureau_and_contact_from_text():
    body = "報道発表資料\n件名\n2026年7月31日\n福祉局\n本文\n【問い合わせ先】\n福祉局 総務課\n電話 03-0000\n別紙（PDF）"
    expected = {"bureau": "福祉局", "contact": "【問い合わせ先】\n福祉局 総務課\n電話 03-0000"}
    assert bureau_and_contact(body) == expected
    assert bureau_and_contact("お問い合わせ先：保健医療局 感染症対策部 電話 03") == {
        "contact": "お問い合わせ先：保健医療局 感染症対策部 電話 03", "bureau": "保健医療局"}
