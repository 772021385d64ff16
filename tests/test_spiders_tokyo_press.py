"""tokyo_press against a fixture of both Tokyo sites (current CMS with extension-less URLs, old site)."""

from __future__ import annotations

from support.documents import japanese_pdf, xlsx
from support.sites import copy_site
from support.spider_runner import run_spider

from ometsuke.localsite import serve_directory
from scrapers.spiders.tokyo_press import bureau_and_contact


def test_current_cms_overview_month_list_release_and_extensionless_attachment(tmp_path):
    root = copy_site("tokyo", tmp_path)
    documents = root / "documents/d/tosei"
    documents.mkdir(parents=True)
    annex = japanese_pdf(["別紙 受託者 株式会社デジタルガレージ", "契約金額 16,506,875円"])
    (documents / "20260731_01_01").write_bytes(annex)
    (documents / "20260731_01_01.headers").write_text("Content-Type: application/pdf\n")
    (documents / "20260730_02_01").write_bytes(xlsx([["件名", "金額"], ["入札制度改正", 1000]]))
    (documents / "20260730_02_01.headers").write_text("Content-Type: application/octet-stream\n")
    with serve_directory(root) as site:
        source = {"name": "tokyo-press", "spider": "tokyo_press", "kind": "government",
                  "urls": [site.url + "/information/press/"]}  # fmt: skip
        items = {i["url"]: i for i in run_spider("tokyo_press", source, tmp_path=tmp_path)}
        paths = [r.path for r in site.requests]
    release = items[site.url + "/information/press/2026/07/2026073101"]
    assert release["status"] == "ok"
    assert release["title"] == "ワクチン接種予約システムの運用事業者の決定について"
    assert release["published"] == "2026-07-31"
    assert release["extra"]["bureau"] == "デジタルサービス局"
    assert release["extra"]["contact"].endswith("デジタルサービス局 企画調整課 電話 03-5388-0000")
    (attachment,) = release["attachments"]
    assert attachment["content_type"] == "application/pdf" and "16,506,875円" in attachment["text"]
    other = items[site.url + "/information/press/2026/07/2026073002"]
    assert other["extra"]["bureau"] == "財務局"
    assert "入札制度改正" in other["attachments"][0]["text"]
    assert "/information/press/2026/07/" in paths  # the monthly list linked from the overview
    assert len(items) == 2


def test_old_site_monthly_index_releases_and_icon_pdf(tmp_path):
    root = copy_site("tokyo", tmp_path)
    for day, number in (("05", "01"), ("04", "02")):
        folder = root / f"tosei/hodohappyo/press/2021/03/{day}/documents"
        folder.mkdir(parents=True)
        (folder / f"{number}_00.pdf").write_bytes(japanese_pdf([f"別紙{number} 契約の概要", "㈱東京電設"]))
    with serve_directory(root) as site:
        source = {"name": "tokyo-old", "spider": "tokyo_press",
                  "urls": [site.url + "/tosei/hodohappyo/press/2021/03/index.html"]}  # fmt: skip
        items = {i["url"]: i for i in run_spider("tokyo_press", source, tmp_path=tmp_path)}
    first = items[site.url + "/tosei/hodohappyo/press/2021/03/05/01.html"]
    assert first["title"] == "都庁舎の照明LED化工事の契約について"
    assert first["published"] == "2021-03-05"
    assert "ここから本文です" not in first["body"] and "トップページ" not in first["body"]
    assert "Copyright" not in first["body"]
    assert "契約金額 １２３，４５６，０００円" in first["body"]
    assert first["extra"] == {"bureau": "財務局", "contact": "問い合わせ先\n財務局経理部 電話 03-5388-2000"}
    assert first["attachments"][0]["title"] == "別紙（PDF：807KB）"
    assert "別紙01 契約の概要" in first["attachments"][0]["text"]
    second = items[site.url + "/tosei/hodohappyo/press/2021/03/04/02.html"]
    assert second["published"] == "2021-03-04" and second["extra"]["bureau"] == "建設局"


def test_bureau_and_contact_from_text():
    body = "報道発表資料\n件名\n2026年7月31日\n福祉局\n本文\n【問い合わせ先】\n福祉局 総務課\n電話 03-0000\n別紙（PDF）"
    expected = {"bureau": "福祉局", "contact": "【問い合わせ先】\n福祉局 総務課\n電話 03-0000"}
    assert bureau_and_contact(body) == expected
    assert bureau_and_contact("お問い合わせ先：保健医療局 感染症対策部 電話 03") == {
        "contact": "お問い合わせ先：保健医療局 感染症対策部 電話 03", "bureau": "保健医療局"}
