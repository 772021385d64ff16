"""The full pipeline on the Tokyo fixture: a release's bureau, 問い合わせ先 and PDF annex reach the database, and
the annex's text is tagged like the release's own (one offset space: the annex follows the main text in `body`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.configs import DIGITAL_GARAGE, source, write_config
from support.documents import japanese_pdf
from support.sites import copy_site

from db import open_database
from ometsuke.config import load_config
from ometsuke.crawl import run_crawl
from ometsuke.localsite import serve_directory
from scrapers.pipelines import ATTACHMENT_HEADING, StorePipeline
from scrapers.spiders.newsroom import NewsroomSpider


def test_bureau_contact_and_annex_text_are_stored_and_tagged(tmp_path: Path) -> None:
    root = copy_site("tokyo", tmp_path)
    documents = root / "documents/d/tosei"
    documents.mkdir(parents=True)
    annex = japanese_pdf(["別紙 受託者 株式会社デジタルガレージ", "契約金額 16,506,875円"])
    (documents / "20260731_01_01").write_bytes(annex)
    (documents / "20260731_01_01.headers").write_text("Content-Type: application/pdf\n")
    with serve_directory(root) as site:
        press = source("tokyo-press", site.url + "/information/press/", spider="tokyo_press")
        config_path = write_config(tmp_path, press, watch=[DIGITAL_GARAGE], database="tokyo.db")
        config = load_config(config_path)
        (run,) = run_crawl(config, quiet=True)
    assert run["errors"] == 0 and run["new"] == 2
    database = open_database(config.database_path)
    try:
        version_id, body, bureau, contact = database.execute(
            """select v.id, v.body, v.bureau, v.contact from versions v join documents d on d.id = v.document_id
               where d.url like '%/2026073101'"""
        ).fetchone()
        assert bureau == "デジタルサービス局"
        assert contact.endswith("デジタルサービス局 企画調整課 電話 03-5388-0000")
        annex_at = body.index(ATTACHMENT_HEADING)
        amounts = database.execute("select yen, start, end from amounts where version_id = ?", [version_id]).fetchall()
        in_annex = [(yen, start, end) for yen, start, end in amounts if start > annex_at]
        assert [yen for yen, _, _ in in_annex] == [16506875]
        assert body[in_annex[0][1]:in_annex[0][2]] == "16,506,875円"
        mentions = database.execute("select surface, start, end from mentions where version_id = ?", [version_id])
        assert any(start > annex_at and body[start:end] == surface for surface, start, end in mentions)
        (content_type, text) = database.execute(
            "select content_type, text from attachments where version_id = ?", [version_id]).fetchone()
        assert content_type == "application/pdf" and "16,506,875円" in text
    finally:
        database.close()


def test_the_store_needs_the_run_the_crawl_process_opened(tmp_path: Path) -> None:
    """One way for a run to begin (ometsuke.crawl_process): a spider without run_id is refused, no run is opened."""
    spider = NewsroomSpider(source={"name": "press", "urls": ["http://127.0.0.1/news/"]})
    pipeline = StorePipeline(crawler=None, database_path=str(tmp_path / "runs.db"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="press: the spider has no run_id"):
        pipeline.open_spider(spider)
    assert not (tmp_path / "runs.db").exists()
